//! `unspin restore`, `unspin learn`, `unspin lm build` and `unspin score`.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, anyhow, bail};
use rayon::prelude::*;
use unspin::lm::{Model, ModelBuilder};
use unspin::restoration::Learned;

use crate::args::{LearnArgs, LmBuildArgs, ModelFormat, RestoreArgs, ScoreArgs};
use crate::corpus::{open_index, read_file};
use crate::render::{Written, use_color};

/// Every file under `paths` (directories walked in name order).
fn files_under(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            files.extend(
                walkdir::WalkDir::new(p)
                    .sort_by_file_name()
                    .into_iter()
                    .filter_map(Result::ok)
                    .filter(|e| e.file_type().is_file())
                    .map(|e| e.into_path()),
            );
        } else if p.is_file() {
            files.push(p.clone());
        } else {
            bail!("{}: no such file or directory", p.display());
        }
    }
    Ok(files)
}

/// A text at least this large gets the language model read into huge pages
/// ([`Model::load`]); a smaller one maps it ([`Model::map`]). Reading costs
/// 20-30 ms more at start-up (the pages are zeroed, then filled), and saves
/// about 6 % of the decoding of a megabyte (benches README, session 32).
const LARGE_TEXT: usize = 256 * 1024;

/// How much work the language model is loaded for.
#[derive(Clone, Copy)]
pub(crate) enum Work {
    /// One text of this many bytes.
    Text(usize),
    /// A corpus.
    Corpus,
}

impl Work {
    fn large(self) -> bool {
        match self {
            Work::Text(bytes) => bytes >= LARGE_TEXT,
            Work::Corpus => true,
        }
    }
}

/// The language model to use: `--lm`, else the one kept in `--index`.
pub(crate) fn model(
    lm: Option<&Path>,
    index: Option<&Path>,
    work: Work,
) -> anyhow::Result<Option<Model>> {
    let open = |p: &Path| {
        let m = if work.large() { Model::load(p) } else { Model::map(p) };
        m.map(Some).map_err(|e| anyhow!("{e}"))
    };
    if let Some(p) = lm {
        return open(p);
    }
    if let Some(dir) = index {
        let path = open_index(dir)?.lm_path();
        if path.is_file() {
            return open(&path);
        }
    }
    Ok(None)
}

/// [`model`], with the lexicon's tables (thesauri, tortured-phrase list)
/// built on another core meanwhile: restoring and scoring need both, and
/// neither needs the other.
fn model_and_lexicon(
    lm: Option<&Path>,
    index: Option<&Path>,
    work: Work,
) -> anyhow::Result<Option<Model>> {
    let (model, _) = rayon::join(
        || model(lm, index, work),
        || unspin::lexicon::Lexicon::global().tortured_list().max_words(),
    );
    model
}

fn learned(path: Option<&Path>) -> anyhow::Result<Option<Learned>> {
    path.map(|p| Learned::load(p).map_err(|e| anyhow!("{e}"))).transpose()
}

pub fn restore(args: RestoreArgs) -> anyhow::Result<()> {
    let index = args.index.as_deref().map(open_index).transpose()?;
    // The text first: a bad one is told before a model is loaded, and its
    // size (standard input's too) says how to load the model.
    let suspect = crate::input::read(&args.suspect, args.model.max_bytes)?;
    let work = Work::Text(suspect.len());
    let model = model_and_lexicon(args.model.lm.as_deref(), args.index.as_deref(), work)?;
    let learned = learned(args.model.lexicon.as_deref())?;
    let r = unspin::Restorer::new()
        .index(index.as_ref())
        .model(model.as_ref())
        .learned(learned.as_ref())
        .min_confidence(args.min_confidence)
        .restore(&suspect)
        .map_err(|e| anyhow!("{e}"))?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.model.format {
        ModelFormat::Json => crate::render::json(&mut out, &r)?,
        ModelFormat::Diff => {
            let edits = r.edits.iter();
            let marks = edits.map(|e| (e.suspect.start, e.suspect.end, e.restored.as_str()));
            crate::render::inline(&mut out, &suspect, marks, Written::Old, use_color())?;
        }
        ModelFormat::Text => {
            out.write_all(r.text.as_bytes())?;
            if !r.text.ends_with('\n') {
                writeln!(out)?;
            }
        }
    }
    // What was used, beside a text or diff (JSON says it in `method`).
    if args.model.format != ModelFormat::Json {
        let how = match (&r.source, r.method.as_str()) {
            (Some(id), "source+lm") => format!("from source {id}, language model elsewhere"),
            (Some(id), _) => format!("from source {id}"),
            (None, "lm") => "no source found: language model and lexicons".to_string(),
            _ => "lexicon only: no source found and no language model (--lm or lm build --index)"
                .to_string(),
        };
        eprintln!("unspin: {} edits ({how})", r.edits.len());
    }
    out.flush()?;
    Ok(())
}

/// One (original, spun) pair, or a warning.
type Pair = (String, String);

/// Reads pairs from JSONL (`original`/`spun` or `src_text`/`susp_text`),
/// gzip-compressed if the name ends in `.gz`; bad lines are reported with
/// their number and skipped.
fn jsonl_pairs(path: &Path, out: &mut Vec<Pair>) -> anyhow::Result<usize> {
    let file = std::fs::File::open(path).with_context(|| path.display().to_string())?;
    let reader: Box<dyn BufRead> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(std::io::BufReader::new(flate2::read::GzDecoder::new(file)))
    } else {
        Box::new(std::io::BufReader::new(file))
    };
    let mut bad = 0;
    for (n, line) in reader.lines().enumerate() {
        let line = line.with_context(|| format!("{}:{}", path.display(), n + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("unspin: warning: {}:{}: skipped: {e}", path.display(), n + 1);
                bad += 1;
                continue;
            }
        };
        let field = |a: &str, b: &str| {
            v.get(a).or_else(|| v.get(b)).and_then(|x| x.as_str()).map(str::to_string)
        };
        match (field("original", "src_text"), field("spun", "susp_text")) {
            (Some(o), Some(s)) => out.push((o, s)),
            _ => {
                eprintln!(
                    "unspin: warning: {}:{}: skipped: needs \"original\" and \"spun\" (or \"src_text\" and \"susp_text\")",
                    path.display(),
                    n + 1
                );
                bad += 1;
            }
        }
    }
    Ok(bad)
}

fn read_text(path: &Path) -> anyhow::Result<String> {
    read_file(path, 256 * 1024 * 1024).map(|d| d.text).map_err(|w| anyhow!("{w}"))
}

/// Pairs `NAME.original.txt`/`NAME.spun.txt` (or `.source`/`.suspect`) in a
/// directory.
fn dir_pairs(dir: &Path, out: &mut Vec<Pair>) -> anyhow::Result<()> {
    let mut found = 0;
    for f in files_under(&[dir.to_path_buf()])? {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        for (a, b) in [(".original.txt", ".spun.txt"), (".source.txt", ".suspect.txt")] {
            if let Some(stem) = name.strip_suffix(a) {
                let other = f.with_file_name(format!("{stem}{b}"));
                if other.is_file() {
                    out.push((read_text(&f)?, read_text(&other)?));
                    found += 1;
                }
            }
        }
    }
    if found == 0 {
        bail!("{}: no NAME.original.txt/NAME.spun.txt (or .source/.suspect) pairs", dir.display());
    }
    Ok(())
}

pub fn learn(args: LearnArgs) -> anyhow::Result<()> {
    let mut pairs: Vec<Pair> = Vec::new();
    let mut bad = 0;
    let is_jsonl = |p: &Path| {
        let n = p.to_string_lossy();
        n.ends_with(".jsonl") || n.ends_with(".jsonl.gz")
    };
    let plain: Vec<&PathBuf> = args.pairs.iter().filter(|p| p.is_file() && !is_jsonl(p)).collect();
    if !plain.len().is_multiple_of(2) {
        bail!("plain-text pairs come two files at a time (original, spun): {} given", plain.len());
    }
    for p in &args.pairs {
        if p.is_dir() {
            dir_pairs(p, &mut pairs)?;
        } else if is_jsonl(p) {
            bad += jsonl_pairs(p, &mut pairs)?;
        } else if !p.is_file() {
            bail!("{}: no such file or directory", p.display());
        }
    }
    for two in plain.chunks(2) {
        pairs.push((read_text(two[0])?, read_text(two[1])?));
    }
    if let Some(dir) = &args.index {
        let index = open_index(dir)?;
        let model = model(args.lm.as_deref(), Some(dir), Work::Corpus)?;
        let (found, undetermined) =
            unspin::spun_pairs_in(&unspin::check_comparer(), &index, model.as_ref(), &|_| {})
                .map_err(|e| anyhow!("{e}"))?;
        eprintln!(
            "unspin: {} spun pairs found in {} ({undetermined} whose original could not be told left out)",
            found.len(),
            dir.display()
        );
        pairs.extend(found);
    }
    let comparer = unspin::Comparer::new();
    let (table, learned_from) = if args.spun.is_empty() {
        if pairs.is_empty() {
            bail!("no pairs to learn from");
        }
        (unspin::learn_table(&comparer, &pairs), pairs.len())
    } else {
        let model = model(args.lm.as_deref(), None, Work::Corpus)?;
        // An unreadable text (binary, empty) is skipped with a warning, as
        // `lm build` skips one.
        let mut texts = Vec::new();
        for f in files_under(&args.spun)? {
            match read_text(&f) {
                Ok(t) => texts.push(t),
                Err(e) => eprintln!("unspin: warning: {e}"),
            }
        }
        if pairs.is_empty() && texts.is_empty() {
            bail!("no pairs to learn from");
        }
        let restorer = unspin::Restorer::new().model(model.as_ref());
        let table = unspin::learn_spun(
            &comparer,
            &restorer,
            &pairs,
            &texts,
            args.rounds,
            args.min_confidence,
        )
        .map_err(|e| anyhow!("{e}"))?;
        let rounds = args.rounds;
        eprintln!(
            "unspin: {} spun texts restored to learn from ({rounds} round{})",
            texts.len(),
            if rounds == 1 { "" } else { "s" }
        );
        (table, pairs.len() + texts.len())
    };
    table.save(&args.output).map_err(|e| anyhow!("{e}"))?;
    eprintln!(
        "unspin: {} substitutions learned from {} pairs ({bad} bad lines skipped), written to {}",
        table.len(),
        learned_from,
        args.output.display()
    );
    Ok(())
}

pub fn lm_build(args: LmBuildArgs) -> anyhow::Result<()> {
    let output = match (&args.output, &args.index) {
        (Some(o), _) => o.clone(),
        (None, Some(dir)) => open_index(dir)?.lm_path(),
        (None, None) => bail!("-o FILE is required without --index"),
    };
    let files = files_under(&args.paths)?;
    let skipped = AtomicUsize::new(0);
    let new = || ModelBuilder::new().min_count(args.min_count);
    let mut builder = files
        .par_iter()
        .fold(new, |mut b, f| {
            match read_file(f, usize::MAX) {
                Ok(doc) => b.add(&doc.text),
                Err(w) => {
                    eprintln!("unspin: warning: {w}");
                    skipped.fetch_add(1, Ordering::Relaxed);
                }
            }
            b
        })
        .reduce(new, |mut a, b| {
            a.merge(b);
            a
        });
    let mut docs = files.len() - skipped.load(Ordering::Relaxed);
    if let Some(dir) = &args.index {
        let index = open_index(dir)?;
        index
            .for_each_document(|d| {
                builder.add(&d.text);
                docs += 1;
            })
            .map_err(|e| anyhow!("{e}"))?;
    }
    let model = builder.build();
    // A model of nothing would replace a useful one and restore nothing.
    if model.tokens() == 0 {
        bail!(
            "no text to build a model from ({docs} documents read, {} files skipped); nothing written",
            skipped.load(Ordering::Relaxed)
        );
    }
    model.save(&output).map_err(|e| anyhow!("{e}"))?;
    eprintln!(
        "unspin: model of {} tokens ({} distinct; pairs and triples {:?}; {:.1} MB) from {docs} documents ({} files skipped) written to {}",
        model.tokens(),
        model.len(),
        &model.sizes()[1..],
        model.byte_size() as f64 / 1e6,
        skipped.load(Ordering::Relaxed),
        output.display()
    );
    Ok(())
}

pub fn score(args: ScoreArgs) -> anyhow::Result<()> {
    // As in `restore`: the text first.
    let text = crate::input::read(&args.file, args.model.max_bytes)?;
    let work = Work::Text(text.len());
    let model = model_and_lexicon(args.model.lm.as_deref(), args.index.as_deref(), work)?;
    let learned = learned(args.model.lexicon.as_deref())?;
    let r = unspin::Scorer::new(model.as_ref()).learned(learned.as_ref()).score(&text);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.model.format {
        ModelFormat::Json => crate::render::json(&mut out, &r)?,
        ModelFormat::Diff => {
            let flags = r.flagged.iter();
            let marks = flags.map(|f| (f.suspect.start, f.suspect.end, f.suggested.as_str()));
            crate::render::inline(&mut out, &text, marks, Written::Old, use_color())?;
            writeln!(out)?;
            writeln!(
                out,
                "verdict: {}   spin score: {:.2}   ({}; {} flagged)",
                r.verdict,
                r.spin_score,
                r.method,
                r.flagged.len()
            )?;
        }
        ModelFormat::Text => {
            writeln!(
                out,
                "verdict: {}   spin score: {:.2}   ({})",
                r.verdict, r.spin_score, r.method
            )?;
            for f in &r.flagged {
                writeln!(
                    out,
                    "  {:?} -> {:?}  ({}; chars {}..{})",
                    f.suspect.text, f.suggested, f.reason, f.suspect.start, f.suspect.end
                )?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_text_or_a_corpus_reads_the_model_a_small_one_maps_it() {
        assert!(Work::Text(LARGE_TEXT).large());
        assert!(Work::Corpus.large());
        assert!(!Work::Text(LARGE_TEXT - 1).large());
    }
}
