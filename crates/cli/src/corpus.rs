//! `unspin index add|stats|rm` and `unspin check`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, anyhow, bail};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use unspin::index::{Document, Index};

use crate::args::{
    CheckArgs, Format, IndexAddArgs, IndexCommand, IndexRmArgs, ScanArgs, ScanFormat,
};

pub(crate) fn open_index(dir: &Path) -> anyhow::Result<Index> {
    Index::open(dir).map_err(|e| anyhow!("{e}"))
}

pub fn index(cmd: IndexCommand) -> anyhow::Result<()> {
    match cmd {
        IndexCommand::Add(args) => add(args),
        IndexCommand::Stats(args) => {
            let index = open_index(&args.index)?;
            let s = index.stats().map_err(|e| anyhow!("{e}"))?;
            println!(
                "documents: {}\nbytes: {}\nsegments: {}\nformat version: {}",
                s.documents, s.bytes, s.segments, s.format_version
            );
            Ok(())
        }
        IndexCommand::Rm(args) => rm(args),
    }
}

fn rm(args: IndexRmArgs) -> anyhow::Result<()> {
    let index = open_index(&args.index)?;
    let mut w = index.writer().map_err(|e| anyhow!("{e}"))?;
    let mut missing = 0;
    for id in &args.ids {
        if index.get(id).map_err(|e| anyhow!("{e}"))?.is_none() {
            eprintln!("unspin: warning: {id}: no such document");
            missing += 1;
        }
        w.remove(id);
    }
    w.commit().map_err(|e| anyhow!("{e}"))?;
    eprintln!("unspin: removed {} documents", args.ids.len() - missing);
    Ok(())
}

/// One input unit: a plain-text file, or a JSONL source.
enum Source {
    File(PathBuf),
    Jsonl(PathBuf),
    Stdin,
}

fn expand(paths: &[PathBuf]) -> anyhow::Result<Vec<Source>> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Source::Stdin);
        } else if p.is_dir() {
            let mut files: Vec<PathBuf> = walkdir::WalkDir::new(p)
                .sort_by_file_name()
                .into_iter()
                .filter_map(|e| match e {
                    Ok(e) if e.file_type().is_file() => Some(e.into_path()),
                    Ok(_) => None,
                    Err(err) => {
                        eprintln!("unspin: warning: {err}");
                        None
                    }
                })
                .collect();
            files.sort();
            out.extend(files.into_iter().map(|f| {
                if f.extension().is_some_and(|x| x == "jsonl") {
                    Source::Jsonl(f)
                } else {
                    Source::File(f)
                }
            }));
        } else if p.extension().is_some_and(|x| x == "jsonl") {
            out.push(Source::Jsonl(p.clone()));
        } else if p.is_file() {
            out.push(Source::File(p.clone()));
        } else if p.exists() {
            // A device or a pipe has no end to read to (/dev/zero).
            bail!("{}: not a regular file", p.display());
        } else {
            bail!("{}: no such file or directory", p.display());
        }
    }
    Ok(out)
}

#[derive(serde::Deserialize)]
struct JsonDoc {
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

fn id_string(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[derive(Default)]
struct Counts {
    docs: usize,
    bytes: usize,
    skipped_files: usize,
    bad_lines: usize,
}

/// Reads a plain-text file into a document, or a warning.
pub(crate) fn read_file(path: &Path, max_bytes: usize) -> Result<Document, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: skipped: {e}", path.display()))?;
    let text = unspin::text::decode_lenient(&bytes, Some(max_bytes))
        .map_err(|e| format!("{}: skipped: {e}", path.display()))?;
    Ok(Document::new(&path.display().to_string(), text))
}

/// Reads JSONL documents into `sink`; returns the number of bad lines
/// (each reported with its line number and skipped).
fn jsonl_docs(
    reader: &mut dyn BufRead,
    label: &str,
    mut sink: impl FnMut(Document) -> anyhow::Result<()>,
) -> anyhow::Result<usize> {
    let mut bad = 0;
    let mut line = Vec::new();
    let mut n = 0;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).with_context(|| format!("{label}: cannot read"))?
            == 0
        {
            return Ok(bad);
        }
        n += 1;
        let Ok(text) = std::str::from_utf8(&line) else {
            eprintln!("unspin: warning: {label}:{n}: skipped: not valid UTF-8");
            bad += 1;
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<JsonDoc>(text) {
            Ok(d) => match id_string(&d.id) {
                Some(id) if !d.text.contains('\0') => {
                    sink(Document { id, title: d.title, url: d.url, text: d.text })?
                }
                Some(_) => {
                    eprintln!("unspin: warning: {label}:{n}: skipped: text holds a NUL byte");
                    bad += 1;
                }
                None => {
                    eprintln!(
                        "unspin: warning: {label}:{n}: skipped: `id` must be a non-empty string or a number"
                    );
                    bad += 1;
                }
            },
            Err(e) => {
                eprintln!("unspin: warning: {label}:{n}: skipped: malformed JSON ({e})");
                bad += 1;
            }
        }
    }
}

const BATCH: usize = 512;

fn add(args: IndexAddArgs) -> anyhow::Result<()> {
    let sources = expand(&args.paths)?;
    let index = Index::open_or_create(&args.index).map_err(|e| anyhow!("{e}"))?;
    let mut writer = index.writer().map_err(|e| anyhow!("{e}"))?;
    let bar = if std::io::stderr().is_terminal() {
        let b = ProgressBar::new_spinner();
        b.set_style(
            ProgressStyle::with_template("{spinner} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    let started = Instant::now();
    let mut counts = Counts::default();
    let mut since_commit = 0usize;
    let mut pending: Vec<Document> = Vec::with_capacity(BATCH);
    let commit_every = args.commit_every.max(1);
    let mut flush = |pending: &mut Vec<Document>,
                     counts: &mut Counts,
                     force_commit: bool|
     -> anyhow::Result<()> {
        let prepared: Vec<_> =
            std::mem::take(pending).into_par_iter().map(|d| index.prepare(d)).collect();
        for p in prepared {
            counts.bytes += p.document().text.len();
            writer.add_prepared(p).map_err(|e| anyhow!("{e}"))?;
            counts.docs += 1;
            since_commit += 1;
            if since_commit >= commit_every {
                writer.commit().map_err(|e| anyhow!("{e}"))?;
                since_commit = 0;
            }
        }
        if force_commit {
            writer.commit().map_err(|e| anyhow!("{e}"))?;
        }
        let secs = started.elapsed().as_secs_f64().max(1e-3);
        bar.set_message(format!(
            "{} docs, {:.1} MB, {:.0} docs/s",
            counts.docs,
            counts.bytes as f64 / 1e6,
            counts.docs as f64 / secs
        ));
        Ok(())
    };
    let mut files: Vec<PathBuf> = Vec::new();
    let take_files =
        |files: &mut Vec<PathBuf>, pending: &mut Vec<Document>, counts: &mut Counts| {
            let read: Vec<Result<Document, String>> =
                std::mem::take(files).par_iter().map(|f| read_file(f, args.max_bytes)).collect();
            for r in read {
                match r {
                    Ok(d) => pending.push(d),
                    Err(w) => {
                        bar.suspend(|| eprintln!("unspin: warning: {w}"));
                        counts.skipped_files += 1;
                    }
                }
            }
        };
    for source in sources {
        match &source {
            Source::File(f) => {
                files.push(f.clone());
                if files.len() >= BATCH {
                    take_files(&mut files, &mut pending, &mut counts);
                    flush(&mut pending, &mut counts, false)?;
                }
            }
            Source::Jsonl(_) | Source::Stdin => {
                take_files(&mut files, &mut pending, &mut counts);
                let (mut reader, label): (Box<dyn BufRead>, String) = match &source {
                    Source::Jsonl(path) => match std::fs::File::open(path) {
                        Ok(f) => (Box::new(std::io::BufReader::new(f)), path.display().to_string()),
                        Err(e) => {
                            eprintln!("unspin: warning: {}: skipped: {e}", path.display());
                            counts.skipped_files += 1;
                            continue;
                        }
                    },
                    _ => (Box::new(std::io::stdin().lock()), "standard input".to_string()),
                };
                // Streamed: indexed a batch at a time, never held whole.
                let bad = jsonl_docs(&mut *reader, &label, |d| {
                    pending.push(d);
                    if pending.len() >= BATCH {
                        flush(&mut pending, &mut counts, false)?;
                    }
                    Ok(())
                })?;
                counts.bad_lines += bad;
            }
        }
    }
    take_files(&mut files, &mut pending, &mut counts);
    flush(&mut pending, &mut counts, true)?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64().max(1e-3);
    eprintln!(
        "unspin: indexed {} documents ({:.1} MB, {:.1} MB/s); skipped {} files and {} bad lines",
        counts.docs,
        counts.bytes as f64 / 1e6,
        counts.bytes as f64 / 1e6 / secs,
        counts.skipped_files,
        counts.bad_lines
    );
    // As `lm build` and `learn` do: a run that found nothing to add is an
    // error (the index is left as it was; a new one, empty).
    if counts.docs == 0 {
        if counts.skipped_files + counts.bad_lines > 0 {
            bail!("nothing indexed: every input was skipped (see the warnings above)");
        }
        bail!("nothing indexed: no documents in the paths given");
    }
    Ok(())
}

pub fn check(args: CheckArgs) -> anyhow::Result<()> {
    let index = open_index(&args.index)?;
    let suspect = crate::input::read(&args.suspect, args.max_bytes)?;
    let comparer = unspin::check_comparer();
    let result =
        unspin::check(&comparer, &index, &suspect, args.top).map_err(|e| anyhow!("{e}"))?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        Format::Json => {
            crate::render::json(&mut out, &result)?;
        }
        Format::Text => {
            if result.sources.is_empty() {
                writeln!(out, "no source found")?;
            }
            for (n, s) in result.sources.iter().enumerate() {
                writeln!(
                    out,
                    "{:>3}. {}  score {:.2}  verdict {}  spin score {:.2}  substitutions {}{}",
                    n + 1,
                    s.id,
                    s.score,
                    s.report.verdict,
                    s.report.spin_score,
                    s.report.substitutions.len(),
                    s.title.as_deref().map(|t| format!("  ({t})")).unwrap_or_default()
                )?;
            }
        }
        Format::Html => {
            if let Some(best) = result.sources.first() {
                let doc = index
                    .get(&best.id)
                    .map_err(|e| anyhow!("{e}"))?
                    .map(|d| d.text)
                    .unwrap_or_default();
                crate::render::html(&mut out, &doc, &suspect, &best.report)?;
            } else {
                writeln!(out, "<!DOCTYPE html><html><body><p>No source found.</p></body></html>")?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

pub fn scan(args: ScanArgs) -> anyhow::Result<()> {
    let index = open_index(&args.index)?;
    let model =
        crate::restore::model(args.lm.as_deref(), Some(&args.index), crate::restore::Work::Corpus)?;
    let documents = index.stats().map_err(|e| anyhow!("{e}"))?.documents;
    let bar = if std::io::stderr().is_terminal() {
        let b = ProgressBar::new(documents as u64);
        b.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} documents, {eta} left")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    let mut options = unspin::ScanOptions { top: args.top.max(1), ..Default::default() };
    if args.all {
        options.verdicts =
            vec![unspin::Verdict::Spun, unspin::Verdict::Copy, unspin::Verdict::Paraphrase];
    }
    let comparer = unspin::check_comparer();
    let started = Instant::now();
    let pairs =
        unspin::scan(&comparer, &index, model.as_ref(), &options, &|n| bar.set_position(n as u64))
            .map_err(|e| anyhow!("{e}"))?;
    bar.finish_and_clear();
    eprintln!(
        "unspin: scanned {documents} documents in {:.1} s: {} pairs{}",
        started.elapsed().as_secs_f64(),
        pairs.len(),
        if model.is_some() {
            ""
        } else {
            " (no language model: pairs oriented by coverage where it differs, else undetermined)"
        }
    );
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        ScanFormat::Json => {
            let doc = serde_json::json!({ "documents": documents, "pairs": pairs });
            crate::render::json(&mut out, &doc)?;
        }
        ScanFormat::Text => {
            if pairs.is_empty() {
                writeln!(out, "no pairs found")?;
            }
            for p in &pairs {
                writeln!(
                    out,
                    "{}  <-  {}  verdict {}  spin score {:.2}  coverage {:.2}  substitutions {}",
                    p.suspect, p.source, p.verdict, p.spin_score, p.coverage, p.substitutions
                )?;
            }
        }
    }
    out.flush()?;
    Ok(())
}
