//! `score` (issue 5): held-aside BBC originals against their synthetic spins,
//! and MRPC human paraphrases as hard negatives.

use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;
use unspin::Scorer;
use unspin_testkit::{Obfuscation, obfuscate};

pub fn run(data: &Path, held: usize) -> anyhow::Result<()> {
    let (bbc, aside, model) = crate::held_aside_model(data, held)?;
    let originals: Vec<&String> = aside.iter().map(|&k| &bbc[k]).collect();
    let spins: Vec<String> =
        aside.iter().map(|&k| obfuscate(&bbc[k], &Obfuscation::spinner(0.3), k as u64)).collect();
    let mut mrpc: Vec<String> = Vec::new();
    if let Ok(t) = std::fs::read_to_string(data.join("mrpc-train/msr_paraphrase_train.txt")) {
        for line in t.lines().skip(1) {
            if let Some(s2) = line.split('\t').nth(4) {
                mrpc.push(s2.to_string());
            }
        }
    }
    if let Ok(path) = std::env::var("DUMP") {
        dump_features(&model, &originals, &spins, &mrpc, &path)?;
    }
    // BIGRAMS=N sets the bigram context support, BIGRAMS=off disables it;
    // unset, the library default holds.
    let bigrams: Option<Option<u32>> = std::env::var("BIGRAMS").ok().map(|v| v.parse().ok());
    suggestions(&model, &originals, &spins);
    tortured_holdout(&model, bigrams);
    paragraphs(&model, &originals);
    other_spinners(&model, &bbc, &aside);
    let thresholds: Vec<f64> = match std::env::var("THRESHOLDS") {
        Ok(v) => v.split(',').filter_map(|x| x.trim().parse().ok()).collect(),
        Err(_) => vec![0.3, 0.35, 0.4, 0.45, 0.5],
    };
    for th in thresholds {
        let mut scorer = scorer(&model).gain_threshold(th);
        if let Some(g) = std::env::var("RARE_GAIN").ok().and_then(|v| v.parse().ok()) {
            scorer = scorer.rare_gain(g);
        }
        if let Some(b) = bigrams {
            scorer = scorer.bigram_support(b);
        }
        let t1 = Instant::now();
        let fp = originals.par_iter().filter(|t| scorer.score(t).verdict == "spun").count();
        let tp = spins.par_iter().filter(|t| scorer.score(t).verdict == "spun").count();
        let secs = t1.elapsed().as_secs_f64();
        let mb: usize = originals.iter().map(|t| t.len()).sum::<usize>()
            + spins.iter().map(String::len).sum::<usize>();
        let fn_ = spins.len() - tp;
        let precision = tp as f64 / (tp + fp).max(1) as f64;
        let recall = tp as f64 / spins.len().max(1) as f64;
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        let mrpc_spun = mrpc.par_iter().filter(|t| scorer.score(t).verdict == "spun").count();
        println!(
            "threshold {th:.3}: F1 {f1:.4} (precision {precision:.4}, recall {recall:.4}; originals called spun {fp}/{}, spins missed {fn_}); MRPC sentences called spun {}/{} ({:.4}); {:.2} MB/s on {} threads",
            originals.len(),
            mrpc_spun,
            mrpc.len(),
            mrpc_spun as f64 / mrpc.len().max(1) as f64,
            mb as f64 / 1e6 / secs,
            rayon::current_num_threads()
        );
    }
    Ok(())
}

/// How right the flags' suggestions are: each reason's flags on the spins
/// applied (the suggestion written over the flagged words), measured as a
/// restoration is (word errors undone, untouched words changed).
fn suggestions(model: &unspin::lm::Model, originals: &[&String], spins: &[String]) {
    let scorer = scorer(model);
    let reports: Vec<_> = spins.par_iter().map(|s| scorer.score(s)).collect();
    let mut reasons: Vec<&str> =
        reports.iter().flat_map(|r| r.flagged.iter().map(|f| f.reason.as_str())).collect();
    reasons.sort_unstable();
    reasons.dedup();
    // Each spin's byte offset of each character (flags count characters),
    // found once for all reasons.
    let offsets: Vec<Vec<usize>> =
        spins.iter().map(|s| s.char_indices().map(|(b, _)| b).collect()).collect();
    for reason in reasons.into_iter().map(Some).chain([None]) {
        let mut flags = 0;
        let texts = originals.iter().zip(spins).zip(&reports).zip(&offsets);
        let measured = texts.map(|(((o, s), r), at)| {
            let mut text = String::with_capacity(s.len());
            let byte = |c: usize| at.get(c).copied().unwrap_or(s.len());
            let mut last = 0;
            for f in r.flagged.iter().filter(|f| reason.is_none_or(|x| f.reason == x)) {
                let (a, b) = (byte(f.suspect.start), byte(f.suspect.end));
                if a < last {
                    continue;
                }
                text.push_str(&s[last..a]);
                text.push_str(&f.suggested);
                last = b;
                flags += 1;
            }
            text.push_str(&s[last..]);
            crate::restore::measure(o, s, &text)
        });
        let total = crate::restore::sum(measured.collect::<Vec<_>>());
        crate::restore::report(
            &format!("suggestions of {flags} flags ({}) on the spins", reason.unwrap_or("all")),
            total,
        );
    }
}

/// Spins by other spinners and at lower rates, scored at the default
/// threshold: how many of the held-aside articles' spins are called spun.
fn other_spinners(model: &unspin::lm::Model, bbc: &[String], aside: &[usize]) {
    let scorer = scorer(model);
    let spinners = [
        ("inflecting, 30 %", Obfuscation::spinner(0.3).inflecting()),
        ("news, 30 %", Obfuscation::news_spinner(0.3)),
        ("news, 10 %", Obfuscation::news_spinner(0.1)),
        ("20 %", Obfuscation::spinner(0.2)),
        ("10 %", Obfuscation::spinner(0.1)),
    ];
    let called: Vec<String> = spinners
        .iter()
        .map(|(name, how)| {
            let spun = aside
                .par_iter()
                .filter(|&&k| scorer.score(&obfuscate(&bbc[k], how, k as u64)).verdict == "spun")
                .count();
            format!("{name} {spun}/{}", aside.len())
        })
        .collect();
    println!("other spinners' spins called spun: {}", called.join(", "));
}

/// Paragraphs alone: each held-aside article's first paragraph of 40 words
/// or more, and its synthetic spin, scored at the default threshold.
fn paragraphs(model: &unspin::lm::Model, originals: &[&String]) {
    let paras: Vec<(usize, &str)> = originals
        .iter()
        .enumerate()
        .filter_map(|(k, t)| {
            t.split("\n\n").skip(1).find(|p| p.split_whitespace().count() >= 40).map(|p| (k, p))
        })
        .collect();
    let scorer = scorer(model);
    let reports: Vec<_> = paras.par_iter().map(|(_, p)| scorer.score(p)).collect();
    let fp = reports.iter().filter(|r| r.verdict == "spun").count();
    let flags: usize = reports.iter().map(|r| r.flagged.len()).sum();
    let tp = paras
        .par_iter()
        .filter(|(k, p)| {
            scorer.score(&obfuscate(p, &Obfuscation::spinner(0.3), *k as u64)).verdict == "spun"
        })
        .count();
    let words: usize = paras.iter().map(|(_, p)| p.split_whitespace().count()).sum();
    println!(
        "paragraphs alone ({} of 40 words or more, {:.0} words on average): spins called spun {tp}, originals called spun {fp} (flags on originals: {:.2} a paragraph)",
        paras.len(),
        words as f64 / paras.len().max(1) as f64,
        flags as f64 / paras.len().max(1) as f64
    );
}

/// Unknown tortured phrases: every fifth phrase of the bundled list is held
/// out, and the scorer gets a list built from the other four fifths (its
/// known phrases, established terms and word swaps); flags of known
/// phrases are not counted. Each held-out phrase is scored in a sentence,
/// and so is its expected phrase in the same sentence (the control).
/// Recall: held-out phrases with a flag inside them (not reaching into the
/// sentence around); precision: flags inside them among all flags on both
/// sentences; exact: flags that cover the phrase and suggest its expected
/// phrase.
fn tortured_holdout(model: &unspin::lm::Model, bigrams: Option<Option<u32>>) {
    let list = include_str!("../../lexicon/data/tortured_to_expected.tsv");
    let kept = unspin::lexicon::TorturedList::from_tsv(list, |k| k % 5 != 0);
    let mut scorer = scorer(model).tortured(&kept);
    if let Some(b) = bigrams {
        scorer = scorer.bigram_support(b);
    }
    let templates = [
        "In this paper we study {} and report the results.",
        "The proposed method relies on {} to improve accuracy.",
        "Recent work on {} has attracted much attention.",
    ];
    let (mut n, mut hit, mut good, mut flags, mut exact) = (0usize, 0usize, 0usize, 0usize, 0usize);
    let mut any = 0usize;
    // MISSED=FILE lists the held-out phrases with no flag inside them.
    let mut missed = String::new();
    for (k, line) in list.lines().skip(1).enumerate() {
        let mut cols = line.split('\t');
        let (Some(tortured), Some(expected)) = (cols.next(), cols.next()) else { continue };
        // Rows that only note a real term's misuse ("neural network") are
        // not tortured phrases; the list leaves them out.
        if k % 5 != 0
            || tortured.split_whitespace().count() < 2
            || unspin::lexicon::notes_a_term(&tortured.to_lowercase(), &expected.to_lowercase())
        {
            continue;
        }
        let t = templates[k % templates.len()];
        let at = t.find("{}").unwrap_or(0);
        let (start, end) = (at, at + tortured.chars().count());
        let (s1, s2) = (t.replace("{}", tortured), t.replace("{}", expected));
        let own = |f: &unspin::Flag| f.reason != "known tortured phrase";
        let r1 = scorer.score(&s1);
        // A flag reaching into the sentence around the phrase ("study data"
        // in "we study data warehouse") has not found it.
        let inside = r1
            .flagged
            .iter()
            .filter(|f| own(f) && start <= f.suspect.start && f.suspect.end <= end)
            .count();
        let want = unspin::lexicon::term_words(expected).join(" ");
        exact += usize::from(r1.flagged.iter().any(|f| {
            own(f)
                && f.suspect.start <= start
                && end <= f.suspect.end
                && f.suggested.to_lowercase() == want
        }));
        n += 1;
        hit += usize::from(inside > 0);
        if inside == 0 {
            missed.push_str(&format!("{tortured}\t{expected}\n"));
        }
        // Found at all: also by a known phrase inside it ("counterfeit
        // neural" of "counterfeit neural organization").
        any += usize::from(
            r1.flagged.iter().any(|f| start <= f.suspect.start && f.suspect.end <= end),
        );
        good += inside;
        flags += r1.flagged.iter().filter(|f| own(f)).count();
        flags += scorer.score(&s2).flagged.iter().filter(|f| own(f)).count();
    }
    if let Some(path) = std::env::var_os("MISSED")
        && let Err(e) = std::fs::write(&path, &missed)
    {
        eprintln!("MISSED: {e}");
    }
    println!(
        "unknown tortured phrases (every 5th of the list held out, {n} in sentences): recall {:.4}, precision {:.4} ({good} of {flags} flags); suggested exactly {:.4} ({exact}); flagged at all, also by a known phrase inside, {:.4}",
        hit as f64 / n.max(1) as f64,
        good as f64 / flags.max(1) as f64,
        exact as f64 / n.max(1) as f64,
        any as f64 / n.max(1) as f64
    );
}

/// Per-document features for designing the score (env DUMP=FILE): label,
/// content words, flags, rare words, words unseen beside both neighbours,
/// beside either, the mean log-probability of content words, and rare words
/// that are thesaurus replacements.
fn dump_features(
    model: &unspin::lm::Model,
    originals: &[&String],
    spins: &[String],
    mrpc: &[String],
    path: &str,
) -> anyhow::Result<()> {
    use std::fmt::Write as _;
    use unspin::lm::Model;
    let lex = unspin::lexicon::Lexicon::global();
    let scorer = scorer(model);
    let decoder = unspin::restoration::Decoder::new(model).min_margin(1.0);
    let row = |label: &str, text: &str| -> String {
        let tt = unspin::text::Tokenizer::default().tokenize(text);
        let toks = tt.tokens();
        let (mut content, mut rare, mut novel2, mut novel1, mut lp, mut thes) =
            (0usize, 0usize, 0usize, 0usize, 0f64, 0usize);
        for (k, t) in toks.iter().enumerate() {
            if !t.is_wordlike()
                || t.is_function_word()
                || t.kind() != unspin::text::TokenKind::Word
                || t.is_name_like()
            {
                continue;
            }
            content += 1;
            let w = tt.text(t).to_lowercase();
            let c = model.count(&w);
            if c <= 3 {
                rare += 1;
                if !lex.originals(&w).is_empty() {
                    thes += 1;
                }
            }
            let key = Model::key(&w);
            let prev = k.checked_sub(1).map(|p| Model::token_key(&toks[p]));
            let prev2 = k.checked_sub(2).map(|p| Model::token_key(&toks[p]));
            let next = toks.get(k + 1).map(Model::token_key);
            let l = prev.is_some_and(|p| model.ngram_count(&[p, key]) == 0);
            let r = next.is_some_and(|n| model.ngram_count(&[key, n]) == 0);
            novel2 += usize::from(l && r);
            novel1 += usize::from(l || r);
            lp += f64::from(model.logprob(prev2, prev, key));
        }
        let report = scorer.score(text);
        let flags = report.flagged.len();
        let edits = decoder.edits(text);
        let margin = |c: f64| (c / (1.0 - c).max(1e-12)).ln();
        let phrases = edits.iter().filter(|e| text[e.start..e.end].contains(' ')).count();
        let gain1: f64 = edits.iter().map(|e| margin(e.confidence)).sum();
        let gain3: f64 = edits.iter().map(|e| margin(e.confidence)).filter(|m| *m >= 3.0).sum();
        let n3 = edits.iter().filter(|e| margin(e.confidence) >= 3.0).count();
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{label}\t{content}\t{flags}\t{rare}\t{novel2}\t{novel1}\t{:.4}\t{thes}\t{:.4}\t{}\t{phrases}\t{gain1:.2}\t{gain3:.2}\t{n3}",
            lp / content.max(1) as f64,
            report.spin_score,
            edits.len()
        );
        out
    };
    let mut all: Vec<(&str, &str)> = originals.iter().map(|t| ("orig", t.as_str())).collect();
    all.extend(spins.iter().map(|t| ("spun", t.as_str())));
    all.extend(mrpc.iter().map(|t| ("mrpc", t.as_str())));
    let rows: Vec<String> = all.par_iter().map(|(l, t)| row(l, t)).collect();
    std::fs::write(path, rows.concat())?;
    Ok(())
}

/// The scorer on the evaluation's model: the library's defaults, but for
/// those set in the environment: `RATIO` ([`Scorer::ratio`]), `MARGIN`
/// ([`Scorer::min_margin`]), `MAX_OWN` ([`Scorer::max_own`]),
/// `EVIDENCE_MAX_OWN` ([`Scorer::evidence_max_own`]) and `SHORT_MARGIN`
/// ([`Scorer::short_margin`]; 0 turns it off).
fn scorer(model: &unspin::lm::Model) -> Scorer<'_> {
    let mut scorer = Scorer::new(Some(model));
    if let Some(r) = std::env::var("RATIO").ok().and_then(|v| v.parse().ok()) {
        scorer = scorer.ratio(r);
    }
    if let Some(m) = std::env::var("MARGIN").ok().and_then(|v| v.parse().ok()) {
        scorer = scorer.min_margin(m);
    }
    if let Some(m) = std::env::var("MAX_OWN").ok().and_then(|v| v.parse().ok()) {
        scorer = scorer.max_own(m);
    }
    if let Some(m) = std::env::var("EVIDENCE_MAX_OWN").ok().and_then(|v| v.parse().ok()) {
        scorer = scorer.evidence_max_own(m);
    }
    match std::env::var("SHORT_MARGIN").ok().and_then(|v| v.parse().ok()) {
        Some(margin) => scorer.short_margin(margin),
        None => scorer,
    }
}
