//! Evaluations of unspin on the real data in `../shared/data` (never bundled).
//!
//! `unspin-eval compare [--data DIR]` measures the acceptance figures of
//! `unspin compare`: verdicts on PAN-13 training passages per obfuscation
//! category, and on random pairs of unrelated BBC articles.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

mod calibrate;
mod check;
mod restore;
mod scale;
mod scan;
mod score;
use clap::Parser;
use rayon::prelude::*;
use unspin::{Comparer, Verdict};

#[derive(Parser)]
#[command(about = "Measure unspin on ../shared/data")]
enum Cli {
    /// Source retrieval with `check`: PAN-13 sources, synthetic spins of BBC
    /// articles, and unrelated BBC articles held out of the index.
    Check {
        /// The shared data directory.
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// Number of synthetic spins.
        #[arg(long, default_value_t = 500)]
        spins: usize,
    },
    /// Index a synthetic corpus of real sentences and query planted spun
    /// copies: indexing MB/s, query p50/p99, recall@1.
    Scale {
        /// The shared data directory.
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// Documents to index.
        #[arg(long, default_value_t = 100_000)]
        docs: usize,
        /// Planted spun copies to query.
        #[arg(long, default_value_t = 1000)]
        queries: usize,
        /// Where to build the index (removed first).
        #[arg(long, default_value = "/tmp/unspin-scale-index")]
        dir: PathBuf,
        /// Also write the corpus and the queries as JSONL into this directory
        /// (for the MinHash baseline, `benches/minhash_baseline.py`).
        #[arg(long)]
        export: Option<PathBuf>,
    },
    /// `scan` over every BBC article and synthetic spins of some of them:
    /// planted pairs reported, other pairs, orientation, documents/s.
    Scan {
        /// The shared data directory.
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// Synthetic spins planted (20, 30 and 40 % of words swapped).
        #[arg(long, default_value_t = 300)]
        spins: usize,
    },
    /// `score` on held-aside BBC originals, their synthetic spins and MRPC
    /// paraphrases, with a frequency model of the other BBC articles and the
    /// PAN sources.
    Score {
        /// The shared data directory.
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// BBC articles held aside from the model (tested, with their spins).
        #[arg(long, default_value_t = 1000)]
        held: usize,
    },
    /// `restore` without a source on synthetic spins of held-aside BBC
    /// articles (language model: the other BBC articles and the PAN
    /// sources), and on the SpinBot dog pair: word errors undone, damage.
    Restore {
        /// The shared data directory.
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// BBC articles held aside from the model (spun, then restored).
        #[arg(long, default_value_t = 200)]
        held: usize,
        #[command(flatten)]
        knobs: restore::Knobs,
    },
    /// A content farm with no originals: the 200 `restore` test articles
    /// and `texts` more, all outside the model and spun by one
    /// fixed-dictionary spinner; the spinner's table learned from the
    /// texts' own restorations, round after round.
    Farm {
        /// The shared data directory.
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// Spun texts of the farm besides the 200 test articles.
        #[arg(long, default_value_t = 800)]
        texts: usize,
        /// Rounds of restoring and learning.
        #[arg(long, default_value_t = 2)]
        rounds: usize,
        /// Learn only from edits at least this confident.
        #[arg(long, default_value_t = unspin::LEARN_MIN_CONFIDENCE)]
        min_confidence: f64,
        #[command(flatten)]
        knobs: restore::Knobs,
    },
    /// Fit the restorer's confidences: the chance that a decoder edit
    /// restores the original, against its margin, on synthetic spins of
    /// 200 BBC articles outside the model and the `restore` evaluation.
    Calibrate {
        /// The shared data directory.
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        #[command(flatten)]
        knobs: restore::Knobs,
    },
    /// Verdicts on PAN-13 training cases and unrelated BBC pairs.
    Compare {
        /// The shared data directory.
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// Number of random unrelated BBC pairs.
        #[arg(long, default_value_t = 1000)]
        pairs: usize,
        /// Seed for picking the pairs.
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
}

#[derive(serde::Deserialize)]
struct Case {
    category: String,
    susp_text: String,
    src_text: String,
}

fn tally(verdicts: &[Verdict]) -> BTreeMap<&'static str, usize> {
    let mut m = BTreeMap::new();
    for v in verdicts {
        *m.entry(v.as_str()).or_default() += 1;
    }
    m
}

pub(crate) fn bbc_articles(dir: &Path) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut cats: Vec<PathBuf> =
        std::fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    cats.sort();
    for cat in cats.into_iter().filter(|p| p.is_dir()) {
        let mut files: Vec<PathBuf> =
            std::fs::read_dir(&cat)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for f in files {
            let bytes = std::fs::read(&f)?;
            out.push(String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    Ok(out)
}

/// The BBC articles, `held` of them set aside (shuffled with a fixed seed),
/// and a language model of the others plus the PAN sources.
pub(crate) fn held_aside_model(
    data: &Path,
    held: usize,
) -> anyhow::Result<(Vec<String>, Vec<usize>, unspin::lm::Model)> {
    if !data.join("bbc-news").is_dir() {
        bail!("{}: shared data not found (evaluations need ../shared/data)", data.display());
    }
    let bbc = bbc_articles(&data.join("bbc-news"))?;
    let mut order: Vec<usize> = (0..bbc.len()).collect();
    let mut rng = unspin_testkit::Rng::new(5);
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let (aside, model_bbc) = order.split_at(held.min(bbc.len()));
    let t0 = std::time::Instant::now();
    let mut texts: Vec<String> = model_bbc.iter().map(|&k| bbc[k].clone()).collect();
    if let Ok(dir) = std::fs::read_dir(data.join("pan13-train/src")) {
        for e in dir.flatten() {
            texts.push(
                String::from_utf8_lossy(&std::fs::read(e.path()).unwrap_or_default()).into_owned(),
            );
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    let min_count = std::env::var("MIN_COUNT").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
    let new_builder = || unspin::lm::ModelBuilder::new().min_count(min_count);
    let model = texts
        .par_iter()
        .fold(new_builder, |mut b, t| {
            b.add(t);
            b
        })
        .reduce(new_builder, |mut a, b| {
            a.merge(b);
            a
        })
        .build();
    println!(
        "model: {} documents, {:.1} MB, {} tokens, n-grams {:?}, {:.1} MB, built in {:.1} s",
        texts.len(),
        bytes as f64 / 1e6,
        model.tokens(),
        model.sizes(),
        model.byte_size() as f64 / 1e6,
        t0.elapsed().as_secs_f64()
    );
    // For analysis with other tools: the model without the held-aside
    // articles (env SAVE_MODEL=FILE).
    if let Some(path) = std::env::var_os("SAVE_MODEL") {
        model.save(Path::new(&path))?;
    }
    Ok((bbc, aside.to_vec(), model))
}

fn main() -> anyhow::Result<()> {
    match Cli::parse() {
        Cli::Compare { data, pairs, seed } => compare(data, pairs, seed),
        Cli::Check { data, spins } => check::run(&data, spins),
        Cli::Score { data, held } => score::run(&data, held),
        Cli::Scan { data, spins } => scan::run(&data, spins),
        Cli::Restore { data, held, knobs } => restore::run(&data, held, &knobs),
        Cli::Farm { data, texts, rounds, min_confidence, knobs } => {
            restore::farm(&data, texts, rounds, min_confidence, &knobs)
        }
        Cli::Calibrate { data, knobs } => calibrate::run(&data, &knobs),
        Cli::Scale { data, docs, queries, dir, export } => {
            scale::run(&data, docs, queries, &dir, export.as_deref())
        }
    }
}

fn compare(data: PathBuf, pairs: usize, seed: u64) -> anyhow::Result<()> {
    if !data.join("pan13-train").is_dir() {
        bail!("{}: shared data not found (evaluations need ../shared/data)", data.display());
    }
    let comparer = Comparer::new();
    let file =
        std::fs::File::open(data.join("pan13-train/cases.jsonl.gz")).context("cases.jsonl.gz")?;
    let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(file));
    let mut cases: Vec<Case> = Vec::new();
    for line in reader.lines() {
        cases.push(serde_json::from_str(&line?)?);
    }
    let mut by_cat: BTreeMap<String, Vec<&Case>> = BTreeMap::new();
    for c in &cases {
        by_cat.entry(c.category.clone()).or_default().push(c);
    }
    for (cat, cs) in &by_cat {
        let verdicts: Vec<Verdict> =
            cs.par_iter().map(|c| comparer.compare(&c.src_text, &c.susp_text).verdict).collect();
        let t = tally(&verdicts);
        let n = verdicts.len() as f64;
        let share = |names: &[&str]| {
            names.iter().map(|k| t.get(k).copied().unwrap_or(0)).sum::<usize>() as f64 / n
        };
        println!(
            "pan {cat}: n={} {:?} copy={:.4} spun|paraphrase={:.4}",
            verdicts.len(),
            t,
            share(&["copy"]),
            share(&["spun", "paraphrase"])
        );
    }
    let bbc = bbc_articles(&data.join("bbc-news"))?;
    let mut rng = unspin_testkit::Rng::new(seed);
    let mut picks = Vec::with_capacity(pairs);
    while picks.len() < pairs {
        let (a, b) = (rng.below(bbc.len()), rng.below(bbc.len()));
        if a != b && bbc[a] != bbc[b] {
            picks.push((a, b));
        }
    }
    let reports: Vec<(usize, usize, unspin::Report)> =
        picks.par_iter().map(|&(a, b)| (a, b, comparer.compare(&bbc[a], &bbc[b]))).collect();
    let verdicts: Vec<Verdict> = reports.iter().map(|r| r.2.verdict).collect();
    let t = tally(&verdicts);
    println!(
        "bbc unrelated pairs: n={} {:?} unrelated={:.4}",
        verdicts.len(),
        t,
        t.get("unrelated").copied().unwrap_or(0) as f64 / verdicts.len() as f64
    );
    for (a, b, r) in reports.iter().filter(|r| r.2.verdict != Verdict::Unrelated).take(5) {
        println!("  not unrelated: articles {a} and {b}: {} {:?}", r.verdict, r.stats);
    }
    Ok(())
}
