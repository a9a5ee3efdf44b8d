//! `restore` without a source (issue 5): synthetic spins of held-aside BBC
//! articles (and news spins: number words written as digits too) restored
//! by the facade's `Restorer` with a language model of the other articles; word
//! error rate against the original before and after, and damage (words the
//! restorer changed that the spinner had left alone). Tokens and WER follow
//! `../shared/tools/pair_eval.py` (words with inner `-'’`, or one other
//! non-space character; lowercased; edit distance).

use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;
use unspin::restoration::{Decoder, Learned, apply, number_word_edits};
use unspin::{LEARN_MIN_CONFIDENCE, LEARN_ROUNDS, Restorer};
use unspin_testkit::{Obfuscation, obfuscate};

fn tokens(text: &str) -> Vec<String> {
    tokens_at(text).into_iter().map(|t| t.0).collect()
}

/// The tokens of [`tokens`] with the byte range each covers.
pub(crate) fn tokens_at(text: &str) -> Vec<(String, usize, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte = |i: usize| chars.get(i).map_or(text.len(), |c| c.0);
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        if word(c) {
            let mut j = i;
            loop {
                while j < chars.len() && word(chars[j].1) {
                    j += 1;
                }
                if j + 1 < chars.len()
                    && matches!(chars[j].1, '-' | '\'' | '’')
                    && word(chars[j + 1].1)
                {
                    j += 1;
                    continue;
                }
                break;
            }
            out.push((text[byte(i)..byte(j)].to_lowercase(), byte(i), byte(j)));
            i = j;
        } else {
            if !c.is_whitespace() {
                out.push((c.to_string(), byte(i), byte(i + 1)));
            }
            i += 1;
        }
    }
    out
}

/// `text` in American spelling where the spelling normalizer's table
/// knows the word ("colour" -> "color"), a first capital kept.
fn american_spelling(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (lower, start, end) in tokens_at(text) {
        let Some(amer) = unspin::text::normalize::american_spelling(&lower) else { continue };
        let word = &text[start..end];
        out.push_str(&text[at..start]);
        if word.starts_with(char::is_uppercase) {
            let mut c = amer.chars();
            out.extend(c.next().map(|f| f.to_ascii_uppercase()));
            out.extend(c);
        } else {
            out.push_str(&amer);
        }
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// Edit distance, and for each token of `b` whether an alignment keeps it
/// unchanged.
fn align(a: &[String], b: &[String]) -> (usize, Vec<bool>) {
    let (d, steps) = alignment(a, b);
    let mut kept = vec![false; b.len()];
    for step in steps {
        if let (Some(i), Some(j)) = step {
            kept[j] = a[i] == b[j];
        }
    }
    (d, kept)
}

/// One step of an alignment: a token of each side (kept or substituted),
/// or of one side alone.
pub(crate) type Step = (Option<usize>, Option<usize>);

/// Edit distance of `a` and `b` and an alignment of least cost, in order.
pub(crate) fn alignment(a: &[String], b: &[String]) -> (usize, Vec<Step>) {
    let (n, m) = (a.len(), b.len());
    let mut d = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in 0..=n {
        d[at(i, 0)] = i as u32;
    }
    for j in 0..=m {
        d[at(0, j)] = j as u32;
    }
    for i in 1..=n {
        for j in 1..=m {
            let sub = d[at(i - 1, j - 1)] + u32::from(a[i - 1] != b[j - 1]);
            d[at(i, j)] = sub.min(d[at(i - 1, j)] + 1).min(d[at(i, j - 1)] + 1);
        }
    }
    let mut steps = Vec::with_capacity(n.max(m));
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        if i > 0 && j > 0 && d[at(i, j)] == d[at(i - 1, j - 1)] + u32::from(a[i - 1] != b[j - 1]) {
            steps.push((Some(i - 1), Some(j - 1)));
            i -= 1;
            j -= 1;
        } else if i > 0 && d[at(i, j)] == d[at(i - 1, j)] + 1 {
            steps.push((Some(i - 1), None));
            i -= 1;
        } else {
            steps.push((None, Some(j - 1)));
            j -= 1;
        }
    }
    steps.reverse();
    (d[at(n, m)] as usize, steps)
}

/// (errors before, errors after, untouched words, untouched words changed).
pub(crate) fn measure(original: &str, spun: &str, restored: &str) -> [usize; 4] {
    let (o, s, r) = (tokens(original), tokens(spun), tokens(restored));
    let (before, untouched) = align(&o, &s);
    let (after, _) = align(&o, &r);
    let (_, kept_by_restorer) = align(&r, &s);
    let n_untouched = untouched.iter().filter(|&&u| u).count();
    let damaged = untouched.iter().zip(&kept_by_restorer).filter(|(u, k)| **u && !**k).count();
    [before, after, n_untouched, damaged]
}

/// [`measure`]'s counts summed over texts.
pub(crate) fn sum(measured: impl IntoIterator<Item = [usize; 4]>) -> [usize; 4] {
    measured.into_iter().fold([0; 4], |mut t, m| {
        t.iter_mut().zip(m).for_each(|(t, x)| *t += x);
        t
    })
}

pub(crate) fn report(name: &str, m: [usize; 4]) {
    println!(
        "{name}: word errors {} -> {} (undone {:.4}), damage {:.4} ({} of {} untouched words changed)",
        m[0],
        m[1],
        1.0 - m[1] as f64 / m[0].max(1) as f64,
        m[3] as f64 / m[2].max(1) as f64,
        m[3],
        m[2]
    );
}

/// The decoder's settings under evaluation.
#[derive(clap::Args)]
pub struct Knobs {
    /// The decoder's assumed swap rate.
    #[arg(long, default_value_t = 0.3)]
    pub swap: f32,
    /// The decoder's minimum margin (nats) for an edit.
    #[arg(long, default_value_t = 2.5)]
    pub margin: f32,
    /// The decoder's beam width.
    #[arg(long, default_value_t = 8)]
    pub beam: usize,
    /// The decoder's candidates per word.
    #[arg(long, default_value_t = 24)]
    pub candidates: usize,
    /// The decoder's prior pruning (nats below keeping the word).
    #[arg(long, default_value_t = 4.5)]
    pub prune: f32,
    /// The decoder's readings per position weighed in the beam search.
    #[arg(long, default_value_t = 4)]
    pub local: usize,
    /// The decoder's assumed share of function words swapped.
    #[arg(long, default_value_t = 0.1)]
    pub swap_function: f32,
    /// The decoder's document-cache bonus (nats).
    #[arg(long, default_value_t = 2.0)]
    pub cache: f32,
    /// The decoder's bonus for a pair the text writes elsewhere (nats).
    #[arg(long, default_value_t = 2.0)]
    pub pairs: f32,
    /// Originals the prior left out weighed per occurrence where they make
    /// a seen pair with a neighbour (0: none).
    #[arg(long, default_value_t = 1)]
    pub collocates: usize,
    /// The decoder's share of evidence pooled over a word's occurrences.
    #[arg(long, default_value_t = 1.0)]
    pub pool: f32,
    /// The decoder's weight of the text's topic.
    #[arg(long, default_value_t = 1.0)]
    pub topic: f32,
    /// The documents of the originals that make a text's topic.
    #[arg(long, default_value_t = 20)]
    pub topic_docs: usize,
    /// Nats added to the channel of an original reached through an
    /// inflection (-inf: none).
    #[arg(long, default_value_t = -1.0, allow_hyphen_values = true)]
    pub inflected: f32,
    /// The decoder's minimum margin (nats) of an edit with its edited
    /// neighbours kept as they stand (-inf: no such check).
    #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
    pub margin_alone: f32,
    /// Do not read thesaurus phrases as one spun unit.
    #[arg(long)]
    pub no_phrases: bool,
    /// Weigh every text at the assumed swap rate, not at the rate
    /// estimated from the text.
    #[arg(long)]
    pub no_rate_estimate: bool,
}

impl Knobs {
    /// A decoder of `model` with these settings.
    pub fn decoder<'m>(&self, model: &'m unspin::lm::Model) -> Decoder<'m> {
        Decoder::new(model)
            .swap(self.swap)
            .min_margin(self.margin)
            .beam(self.beam)
            .prune(self.prune)
            .max_candidates(self.candidates)
            .swap_function(self.swap_function)
            .cache(self.cache)
            .pairs(self.pairs)
            .collocates(self.collocates)
            .pool(self.pool)
            .topic(self.topic)
            .topic_documents(self.topic_docs)
            .phrases(!self.no_phrases)
            .local_candidates(self.local)
            .min_margin_alone(self.margin_alone)
            .inflections(self.inflected)
            .estimate_rate(!self.no_rate_estimate)
    }
}

pub fn run(data: &Path, held: usize, k: &Knobs) -> anyhow::Result<()> {
    let (bbc, aside, model) = crate::held_aside_model(data, held)?;
    let decoder = k.decoder(&model);
    let restorer = Restorer::new().decoder(decoder.clone());
    let restore = |s: &str| -> anyhow::Result<String> { Ok(restorer.restore(s)?.text) };
    for (k, (name, how)) in [
        ("synthetic spins (30 %)", Obfuscation::spinner(0.3)),
        ("synthetic news spins (30 %, number words as digits)", Obfuscation::news_spinner(0.3)),
        (
            "synthetic inflecting spins (30 %, inflected words swapped through their base forms)",
            Obfuscation::spinner(0.3).inflecting(),
        ),
        ("synthetic light spins (10 %)", Obfuscation::spinner(0.1)),
    ]
    .into_iter()
    .enumerate()
    {
        let pairs: Vec<(&String, String)> =
            aside.iter().map(|&k| (&bbc[k], obfuscate(&bbc[k], &how, k as u64))).collect();
        let main = k == 0;
        if main && std::env::var_os("DIAG").is_some() {
            diag(&pairs, &model);
            let (o, s) = &pairs[0];
            println!("{}\n---\n{}", &o[..o.len().min(1500)], &s[..s.len().min(1500)]);
            for e in apply(s, &decoder.edits(s)).edits.iter().take(40) {
                println!("  {:?} -> {:?} ({:.2})", e.suspect.text, e.restored, e.confidence);
            }
        }
        let t0 = Instant::now();
        let restored: Vec<String> =
            pairs.par_iter().map(|(_, s)| restore(s)).collect::<anyhow::Result<_>>()?;
        let secs = t0.elapsed().as_secs_f64();
        if let Some(path) = std::env::var_os("DUMP").filter(|_| main) {
            let rows: Vec<serde_json::Value> = pairs
                .iter()
                .zip(&restored)
                .map(|((o, s), r)| serde_json::json!({"original": o, "spun": s, "restored": r}))
                .collect();
            std::fs::write(path, serde_json::to_string(&rows)?)?;
        }
        let mb = pairs.iter().map(|p| p.1.len()).sum::<usize>() as f64 / 1e6;
        let total = sum(pairs.iter().zip(&restored).map(|((o, s), r)| measure(o, s, r)));
        report(&format!("{} {name}, no source", pairs.len()), total);
        println!(
            "  restored {mb:.2} MB in {secs:.2} s on {} threads ({:.2} MB/s)",
            rayon::current_num_threads(),
            mb / secs
        );
        if how.digits {
            // How sure the lexicon layer's edits (number words here) are.
            let outcomes = crate::calibrate::outcomes(
                &restorer,
                &pairs,
                unspin::restoration::Evidence::Lexicon,
            )?;
            crate::calibrate::reliability("  confidence of the lexicon layer's edits", &outcomes);
        }
        if main {
            // Fewer, surer edits (`restore --min-confidence`).
            for p in [0.5, 0.7, 0.9] {
                let sure = restorer.clone().min_confidence(p);
                let measured = pairs
                    .par_iter()
                    .map(|(o, s)| Ok(measure(o, s, &sure.restore(s)?.text)))
                    .collect::<anyhow::Result<Vec<_>>>()?;
                report(&format!("  with --min-confidence {p}"), sum(measured));
            }
        }
    }
    if std::env::var_os("DENSITY").is_some() {
        edit_density(&decoder, &bbc, &aside);
    }
    // The same articles in American spelling (the spelling normalizer's
    // table): the restorer is to write a restored word as the text spells.
    let american: Vec<(String, u64)> =
        aside.iter().map(|&k| (american_spelling(&bbc[k]), k as u64)).collect();
    let measured = american
        .par_iter()
        .map(|(o, k)| {
            let s = obfuscate(o, &Obfuscation::spinner(0.3), *k);
            Ok(measure(o, &s, &restore(&s)?))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    report(
        &format!(
            "{} synthetic spins (30 %) of the articles in American spelling, no source",
            american.len()
        ),
        sum(measured),
    );
    // Originals no spinner touched: every word the restorer changes is
    // damage (a user may run `restore` on a text that is not spun).
    let originals: Vec<&str> = aside.iter().map(|&k| bbc[k].as_str()).collect();
    unspun("originals (not spun)", &originals, &restore, "DUMP_ORIGINALS")?;
    // The spins' paragraphs restored one by one (a user pastes one).
    if std::env::var_os("PARAGRAPHS").is_some() {
        let pairs: Vec<(String, String)> = aside
            .par_iter()
            .flat_map_iter(|&k| {
                let spun = obfuscate(&bbc[k], &Obfuscation::spinner(0.3), k as u64);
                let o: Vec<String> = bbc[k].split("\n\n").map(str::to_string).collect();
                let s: Vec<String> = spun.split("\n\n").map(str::to_string).collect();
                let same = o.len() == s.len();
                o.into_iter().zip(s).filter(move |_| same).collect::<Vec<_>>()
            })
            .collect();
        let measured = pairs
            .par_iter()
            .map(|(o, s)| Ok(measure(o, s, &restore(s)?)))
            .collect::<anyhow::Result<Vec<_>>>()?;
        report(&format!("{} paragraphs of the spins, one by one", pairs.len()), sum(measured));
    }
    // Human paraphrases (MRPC's second sentences), restored one by one:
    // short texts no spinner touched.
    if let Ok(t) = std::fs::read_to_string(data.join("mrpc-train/msr_paraphrase_train.txt")) {
        let sentences: Vec<&str> = t.lines().skip(1).filter_map(|l| l.split('\t').nth(4)).collect();
        unspun("MRPC sentences (human paraphrases, not spun)", &sentences, &restore, "DUMP_MRPC")?;
    }
    // The shipped confidences on these held-aside spins (`unspin-eval
    // calibrate` fits them on other articles).
    let shipped = crate::calibrate::shipped(&crate::calibrate::margins(&decoder, &bbc, &aside));
    crate::calibrate::reliability(
        "confidence of the decoder's edits on the 200 synthetic spins",
        &shipped,
    );
    same_spinner(&bbc, &aside, &restorer, &model)?;
    // Damage of the digit rule alone: lone digits it would rewrite in
    // originals, which no spinner touched.
    let digits: usize = bbc.par_iter().map(|t| number_word_edits(t).len()).sum();
    println!("number-word rule on all {} BBC originals: {digits} digits rewritten", bbc.len());
    let dog = data.join("spinbot-dog");
    if let (Ok(o), Ok(s)) = (
        std::fs::read_to_string(dog.join("original.txt")),
        std::fs::read_to_string(dog.join("spun.txt")),
    ) {
        report("spinbot-dog, no source", measure(&o, &s, &restore(&s)?));
    }
    Ok(())
}

/// Texts no spinner touched, restored one by one (every word changed is
/// damage): prints how many words changed, and writes the restorations to
/// the file the environment variable `dump` names, if any.
fn unspun(
    name: &str,
    texts: &[&str],
    restore: &(dyn Fn(&str) -> anyhow::Result<String> + Sync),
    dump: &str,
) -> anyhow::Result<()> {
    let restored: Vec<String> =
        texts.par_iter().map(|t| restore(t)).collect::<anyhow::Result<_>>()?;
    let m = sum(texts.iter().zip(&restored).map(|(t, r)| measure(t, t, r)));
    println!(
        "{} {name}, no source: {} of {} words changed ({:.4})",
        texts.len(),
        m[3],
        m[2],
        m[3] as f64 / m[2].max(1) as f64
    );
    if let Some(path) = std::env::var_os(dump) {
        let rows: Vec<serde_json::Value> = texts
            .iter()
            .zip(&restored)
            .map(|(o, r)| serde_json::json!({"original": o, "spun": o, "restored": r}))
            .collect();
        std::fs::write(path, serde_json::to_string(&rows)?)?;
    }
    Ok(())
}

/// `DENSITY=1`: the decoder's edits per 100 words, weighed at the assumed
/// spin rate, in the held-aside articles and their spins at 10, 20 and
/// 30 % (quantiles over the texts): what the estimated spin rate
/// ([`Decoder::estimate_rate`]) reads.
fn edit_density(decoder: &Decoder<'_>, bbc: &[String], aside: &[usize]) {
    let decoder = decoder.clone().estimate_rate(false);
    for (name, spin) in [("originals", 0.0), ("10 %", 0.1), ("20 %", 0.2), ("30 %", 0.3)] {
        let mut d: Vec<f64> = aside
            .par_iter()
            .map(|&k| {
                let t = match spin {
                    0.0 => bbc[k].clone(),
                    r => obfuscate(&bbc[k], &Obfuscation::spinner(r), k as u64),
                };
                let edits = decoder.edits(&t).len();
                100.0 * edits as f64 / t.split_whitespace().count().max(1) as f64
            })
            .collect();
        d.sort_by(f64::total_cmp);
        let q = |p: f64| d[((d.len() - 1) as f64 * p) as usize];
        println!(
            "edits per 100 words, {name}: q05 {:.2} q25 {:.2} q50 {:.2} q75 {:.2} q95 {:.2}",
            q(0.05),
            q(0.25),
            q(0.5),
            q(0.75),
            q(0.95)
        );
    }
}

/// A content farm's spinner keeps one phrase table: once some of its
/// (original, spun) pairs are found (by `check` or `scan`), `unspin learn`
/// learns the table and `restore --lexicon` uses it on the farm's other
/// output. Measured with a fixed-dictionary spinner: the lexicon is learned
/// from spins of N articles of the model's corpus and the 200 held-aside
/// articles' spins by the same spinner are restored, against restoring them
/// with no lexicon.
fn same_spinner(
    bbc: &[String],
    aside: &[usize],
    restorer: &Restorer<'_>,
    model: &unspin::lm::Model,
) -> anyhow::Result<()> {
    const SPINNER: u64 = 0x5eed_f00d;
    let how = Obfuscation::spinner(0.3).with_dictionary(SPINNER);
    let held: std::collections::HashSet<usize> = aside.iter().copied().collect();
    // Training articles: from the model's corpus, in a fixed order.
    let train: Vec<usize> = (0..bbc.len()).filter(|k| !held.contains(k)).step_by(3).collect();
    // Per-text seeds differ from the held-aside ones (which use `k`).
    let spin = |k: usize, salt: u64| obfuscate(&bbc[k], &how, (k as u64) ^ salt);
    let pairs: Vec<(&String, String)> = aside.iter().map(|&k| (&bbc[k], spin(k, 0))).collect();
    let total =
        |restored: &[String]| sum(pairs.iter().zip(restored).map(|((o, s), r)| measure(o, s, r)));
    let comparer = unspin::Comparer::new();
    let texts = texts_of(&pairs);
    // The held-aside spins restored with a learned table: their totals.
    let restored_with = |learned: &Learned| -> anyhow::Result<[usize; 4]> {
        let with = restorer.clone().learned(Some(learned));
        let restored: Vec<String> =
            texts.par_iter().map(|s| Ok(with.restore(s)?.text)).collect::<anyhow::Result<_>>()?;
        Ok(total(&restored))
    };
    for n in [0usize, 25, 100, 400] {
        let t0 = Instant::now();
        let found: Vec<(String, String)> =
            train.iter().take(n).map(|&k| (bbc[k].clone(), spin(k, 0xa5a5))).collect();
        let learned = unspin::learn_table(&comparer, &found);
        let secs = t0.elapsed().as_secs_f64();
        report(
            &format!(
                "{} fixed-dictionary spins (30 %), lexicon learned from {n} other pairs ({} substitutions, {secs:.1} s)",
                pairs.len(),
                learned.len()
            ),
            restored_with(&learned)?,
        );
        if n == 100 {
            // How sure the learned table's own edits are.
            let with = restorer.clone().learned(Some(&learned));
            let outcomes =
                crate::calibrate::outcomes(&with, &pairs, unspin::restoration::Evidence::Learned)?;
            crate::calibrate::reliability("  confidence of its learned phrases' edits", &outcomes);
        }
    }
    // The newsroom's way: its 100 articles and the farm's spins of them in
    // one index; `learn --index` finds and orients the pairs (the model
    // of originals tells which is the spin) and learns from them.
    let t0 = Instant::now();
    let dir = std::env::temp_dir().join(format!("unspin-eval-learn-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let index = unspin::index::Index::open_or_create(&dir)?;
    let mut w = index.writer()?;
    for &k in train.iter().take(100) {
        w.add(&unspin::index::Document::new(&format!("a{k}"), &bbc[k]))?;
        w.add(&unspin::index::Document::new(&format!("b{k}"), &spin(k, 0xa5a5)))?;
    }
    w.commit()?;
    drop(w);
    let (found, undetermined) =
        unspin::spun_pairs_in(&unspin::check_comparer(), &index, Some(model), &|_| {})?;
    let right =
        found.iter().filter(|(o, _)| train.iter().take(100).any(|&k| bbc[k] == **o)).count();
    let learned = unspin::learn_table(&comparer, &found);
    let secs = t0.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&dir);
    report(
        &format!(
            "{} fixed-dictionary spins (30 %), lexicon learned from an index of 100 articles and their spins ({} pairs found, {right} the right way round, {undetermined} undetermined; {} substitutions, {secs:.1} s)",
            pairs.len(),
            found.len(),
            learned.len()
        ),
        restored_with(&learned)?,
    );
    // No pairs at all: the table learned from the texts' own restorations
    // (`unspin learn --spun`).
    let learned =
        unspin::learn_spun(&comparer, restorer, &[], &texts, LEARN_ROUNDS, LEARN_MIN_CONFIDENCE)?;
    report(
        &format!(
            "{} fixed-dictionary spins (30 %), lexicon learned from their own restorations ({LEARN_ROUNDS} rounds, {} substitutions)",
            pairs.len(),
            learned.len()
        ),
        restored_with(&learned)?,
    );
    // Both: a few found pairs, and the texts' own restorations made with
    // what those pairs teach (`unspin learn PAIRS --spun TEXTS`).
    for n in [25, 100] {
        let found: Vec<(String, String)> =
            train.iter().take(n).map(|&k| (bbc[k].clone(), spin(k, 0xa5a5))).collect();
        let learned = unspin::learn_spun(
            &comparer,
            restorer,
            &found,
            &texts,
            LEARN_ROUNDS,
            LEARN_MIN_CONFIDENCE,
        )?;
        report(
            &format!(
                "{} fixed-dictionary spins (30 %), lexicon learned from {n} other pairs and their own restorations ({LEARN_ROUNDS} rounds, {} substitutions)",
                pairs.len(),
                learned.len()
            ),
            restored_with(&learned)?,
        );
    }
    Ok(())
}

/// The spun side of each pair.
fn texts_of(pairs: &[(&String, String)]) -> Vec<String> {
    pairs.iter().map(|(_, s)| s.clone()).collect()
}

/// Diagnostic (env `DIAG=1`): for swapped single words, whether the original
/// is among the thesaurus originals of the spun word, and its frequency;
/// and an upper bound for the decoder with this model: how often the
/// original beats keeping the word and every other candidate on the
/// trigram score of a five-word window (with the channel), as if all its
/// neighbours were decoded right.
pub fn diag(pairs: &[(&String, String)], model: &unspin::lm::Model) {
    let lex = unspin::lexicon::Lexicon::global();
    let (mut swaps, mut in_cands, mut fn_swaps, mut n_cands) = (0usize, 0usize, 0usize, 0usize);
    let mut shown = 0;
    let mut ranks = [0usize; 21];
    let mut keep_wins = 0usize;
    let mut gains: Vec<f32> = Vec::new();
    let (mut wins, mut clear_wins, mut wrong_wins) = (0usize, 0usize, 0usize);
    let mut wins_pruned = 0usize;
    let mut pool: Vec<&str> = unspin::text::function_words().to_vec();
    pool.sort_by_key(|w| std::cmp::Reverse(model.count(w)));
    pool.truncate(48);
    let mut fdiag = FnDiag::default_for(model);
    for (o, s) in pairs {
        let (ow, sw) = (tokens(o), tokens(s));
        let (_, kept) = align(&ow, &sw);
        // Substitutions: positions where both sides have equally many
        // tokens between kept anchors (1:1 runs).
        let mut pairs_ = Vec::new();
        let (mut i, mut j) = (0usize, 0usize);
        let anchors: Vec<usize> = (0..sw.len()).filter(|&j| kept[j]).collect();
        for &aj in anchors.iter().chain(std::iter::once(&sw.len())) {
            // Find the original index of this anchor by scanning forward.
            let target = if aj < sw.len() { Some(&sw[aj]) } else { None };
            let start_i = i;
            while i < ow.len() && target.is_some_and(|t| &ow[i] != t) {
                i += 1;
            }
            if aj - j == i - start_i {
                for k in 0..(aj - j) {
                    pairs_.push((ow[start_i + k].clone(), sw[j + k].clone(), j + k));
                }
            }
            i += 1;
            j = aj + 1;
        }
        for &aj in &anchors {
            if unspin::text::is_function_word(&sw[aj]) {
                fn_gain(&sw, aj, None, &pool, &mut fdiag);
            }
        }
        for (a, b, jj) in pairs_ {
            if a == b {
                continue;
            }
            if unspin::text::is_function_word(&a) {
                fn_swaps += 1;
                fn_gain(&sw, jj, Some(&a), &pool, &mut fdiag);
                continue;
            }
            swaps += 1;
            let c = lex.originals(&b);
            n_cands += c.len();
            if c.contains(&a.as_str()) {
                in_cands += 1;
                let prior = |o: &str| {
                    let fan = lex.replacements(o).len().max(1) as f64;
                    (f64::from(model.count(o)) + 0.5).ln() - fan.ln()
                };
                let pa = prior(&a);
                let rank = c.iter().filter(|o| prior(o) > pa).count();
                ranks[rank.min(20)] += 1;
                if prior(&b) + (0.7f64 / 0.3).ln() > pa {
                    keep_wins += 1;
                }
                // Local gain: trigram score of the window around the word
                // with the original against the spun word, plus channel.
                let key = |w: &str| unspin::lm::Model::key(w);
                let at = |k: isize| -> Option<u64> {
                    (k >= 0 && (k as usize) < sw.len()).then(|| key(&sw[k as usize]))
                };
                let window = |mid: u64| {
                    let jj = jj as isize;
                    let seq: Vec<Option<u64>> = (jj - 2..=jj + 2)
                        .map(|k| if k == jj { Some(mid) } else { at(k) })
                        .collect();
                    let mut t = 0.0f32;
                    for k in 2..5 {
                        if let Some(w) = seq[k] {
                            t += model.logprob(seq[k - 2], seq[k - 1], w);
                        }
                    }
                    t
                };
                // The candidate against keeping the spun word, with the
                // channel (swap 0.3, uniform over the candidate's entries).
                let kept_score = window(key(&b));
                let gain = |x: &str| {
                    let fan = lex.replacements(x).len().max(1) as f32;
                    window(key(x)) - kept_score + (0.3f32 / 0.7).ln() - fan.ln()
                };
                let g = gain(&a);
                gains.push(g);
                let best_other = c
                    .iter()
                    .filter(|x| **x != a.as_str() && x.bytes().all(|b| b.is_ascii_lowercase()))
                    .map(|x| gain(x))
                    .fold(f32::NEG_INFINITY, f32::max);
                if g > 0.0 && g > best_other {
                    wins += 1;
                    // Would the decoder's prior pruning (3 nats below
                    // keeping, 24 candidates) drop the original?
                    let keep_prior = (f64::from(model.count(&b)) + 0.5).ln() + (0.7f64 / 0.3).ln();
                    if pa < keep_prior - 3.0 || rank >= 24 {
                        wins_pruned += 1;
                    }
                }
                if g > 3.0 && g > best_other + 1.0 {
                    clear_wins += 1;
                }
                if best_other > 3.0 && best_other > g {
                    wrong_wins += 1;
                }
            } else if shown < 10 {
                shown += 1;
                println!("  miss: {a} -> {b} ({} cands, count {})", c.len(), model.count(&a));
            }
        }
    }
    println!(
        "diag: content swaps {swaps}, original among candidates {in_cands} ({:.3}), mean candidates {:.1}; function swaps {fn_swaps}",
        in_cands as f64 / swaps.max(1) as f64,
        n_cands as f64 / swaps.max(1) as f64
    );
    println!("prior rank of the original: {ranks:?}; spun word's own prior beats it {keep_wins}");
    println!(
        "original best of all candidates and keep: {wins} (pruned by prior: {wins_pruned}); by 3 nats and 1 over the next: {clear_wins}; a wrong one best by 3: {wrong_wins}"
    );
    fdiag.print();
    for t in [-3.0f32, 0.0, 1.0, 2.0, 3.0, 5.0] {
        let n = gains.iter().filter(|&&g| g > t).count();
        println!(
            "local gain > {t}: {n} of {} ({:.3})",
            gains.len(),
            n as f64 / gains.len().max(1) as f64
        );
    }
}

/// Function-word part of the diagnostic: for each function word of the spun
/// text (swapped or not), the LM gain (five-word trigram window, neighbours
/// as spun) of the best other pool word over keeping it.
struct FnDiag<'m> {
    model: &'m unspin::lm::Model,
    /// (best other's gain, original's gain if swapped and in the pool,
    /// whether the best other is the original).
    swapped: Vec<(f32, Option<f32>, bool)>,
    kept: Vec<f32>,
}

impl<'m> FnDiag<'m> {
    fn default_for(model: &'m unspin::lm::Model) -> FnDiag<'m> {
        FnDiag { model, swapped: Vec::new(), kept: Vec::new() }
    }

    fn print(&self) {
        for t in [0.0f32, 2.0, 4.0, 6.0, 8.0, 10.0] {
            let right = self.swapped.iter().filter(|x| x.2 && x.0 > t).count();
            let wrong = self.swapped.iter().filter(|x| !x.2 && x.0 > t).count();
            let orig = self.swapped.iter().filter(|x| x.1.is_some_and(|g| g > t)).count();
            let dmg = self.kept.iter().filter(|&&g| g > t).count();
            println!(
                "fn LM gain > {t}: swapped {} : best is original {right}, best other {wrong}, original's gain over {orig}; kept {}: some other over {dmg}",
                self.swapped.len(),
                self.kept.len()
            );
        }
    }
}

fn fn_gain(sw: &[String], jj: usize, orig: Option<&str>, pool: &[&str], d: &mut FnDiag<'_>) {
    let key = unspin::lm::Model::key;
    let window = |mid: &str| {
        let seq: Vec<Option<u64>> = (jj as isize - 2..=jj as isize + 2)
            .map(|k| {
                if k == jj as isize {
                    Some(key(mid))
                } else {
                    (k >= 0 && (k as usize) < sw.len()).then(|| key(&sw[k as usize]))
                }
            })
            .collect();
        (2..5)
            .filter_map(|k| seq[k].map(|w| d.model.logprob(seq[k - 2], seq[k - 1], w)))
            .sum::<f32>()
    };
    let keep = window(&sw[jj]);
    let (best, best_w) = pool
        .iter()
        .filter(|w| **w != sw[jj])
        .map(|w| (window(w) - keep, *w))
        .fold((f32::NEG_INFINITY, ""), |a, b| if b.0 > a.0 { b } else { a });
    match orig {
        Some(o) => {
            let og = pool.contains(&o).then(|| window(o) - keep);
            d.swapped.push((best, og, best_w == o));
        }
        None => d.kept.push(best),
    }
}

/// A content farm's output and no originals at all: the 200 test
/// articles (the `restore` evaluation's) and `texts` more, all outside the
/// model and spun by one fixed-dictionary spinner. The spinner's table is
/// learned from the restorations of the 200 and of 0, a quarter or all of
/// the others (`unspin learn --spun`), and the 200 are restored with it;
/// with all of them, further rounds restore the texts with the table of
/// the round before and learn again. One model for all lines (`200 +
/// texts` articles held aside), so its figure without a table is below
/// `restore`'s.
pub fn farm(
    data: &Path,
    texts: usize,
    rounds: usize,
    min_confidence: f64,
    k: &Knobs,
) -> anyhow::Result<()> {
    const TEST: usize = 200;
    let (bbc, aside, model) = crate::held_aside_model(data, TEST + texts)?;
    let restorer = Restorer::new().decoder(k.decoder(&model));
    let how = Obfuscation::spinner(0.3).with_dictionary(0x5eed_f00d);
    let spun: Vec<String> = aside.par_iter().map(|&k| obfuscate(&bbc[k], &how, k as u64)).collect();
    let test = &aside[..TEST.min(aside.len())];
    let measured = |with: &Restorer<'_>| -> anyhow::Result<[usize; 4]> {
        let measured: Vec<[usize; 4]> = test
            .par_iter()
            .zip(&spun)
            .map(|(&k, s)| Ok(measure(&bbc[k], s, &with.restore(s)?.text)))
            .collect::<anyhow::Result<_>>()?;
        Ok(sum(measured))
    };
    let name = |what: &str| format!("{} fixed-dictionary spins (30 %), {what}", test.len());
    report(&name("no lexicon"), measured(&restorer)?);
    let comparer = unspin::Comparer::new();
    let mut sizes = vec![test.len(), test.len() + texts / 4, spun.len()];
    sizes.dedup();
    let last = sizes.len() - 1;
    for (i, n) in sizes.into_iter().enumerate() {
        let rounds = if i == last { rounds.max(1) } else { 1 };
        let t0 = Instant::now();
        let tables = unspin::learn_spun_rounds(
            &comparer,
            &restorer,
            &[],
            &spun[..n],
            rounds,
            min_confidence,
        )?;
        let secs = t0.elapsed().as_secs_f64();
        for (round, table) in (1..).zip(&tables) {
            let what = format!(
                "lexicon learned from the restorations of {n} spun texts, {round} round(s) ({} substitutions; {rounds} round(s) in {secs:.1} s)",
                table.len()
            );
            report(&name(&what), measured(&restorer.clone().learned(Some(table)))?);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn wer_and_damage() {
        let m = super::measure("the dog ran home", "the pooch ran home", "a dog ran home");
        assert_eq!(m, [1, 1, 3, 1]);
    }
}
