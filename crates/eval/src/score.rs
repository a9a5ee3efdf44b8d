//! `score` (issue 5): held-aside BBC originals against their synthetic spins,
//! and MRPC human paraphrases as hard negatives.

use std::path::Path;
use std::time::Instant;

use anyhow::bail;
use rayon::prelude::*;
use unspin::Scorer;
use unspin::lm::ModelBuilder;
use unspin_testkit::{Obfuscation, Rng, obfuscate};

pub fn run(data: &Path, held: usize) -> anyhow::Result<()> {
    if !data.join("bbc-news").is_dir() {
        bail!("{}: shared data not found (evaluations need ../shared/data)", data.display());
    }
    let bbc = crate::bbc_articles(&data.join("bbc-news"))?;
    let mut order: Vec<usize> = (0..bbc.len()).collect();
    let mut rng = Rng::new(5);
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let (aside, model_bbc) = order.split_at(held.min(bbc.len()));
    let t0 = Instant::now();
    let mut texts: Vec<String> = model_bbc.iter().map(|&k| bbc[k].clone()).collect();
    let src = data.join("pan13-train/src");
    if let Ok(dir) = std::fs::read_dir(&src) {
        for e in dir.flatten() {
            texts.push(
                String::from_utf8_lossy(&std::fs::read(e.path()).unwrap_or_default()).into_owned(),
            );
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    let model = texts
        .par_iter()
        .fold(ModelBuilder::new, |mut b, t| {
            b.add(t);
            b
        })
        .reduce(ModelBuilder::new, |mut a, b| {
            a.merge(b);
            a
        })
        .build();
    println!(
        "model: {} documents, {:.1} MB, {} words, {} distinct, built in {:.1} s",
        texts.len(),
        bytes as f64 / 1e6,
        model.tokens(),
        model.len(),
        t0.elapsed().as_secs_f64()
    );
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
    let max_own: u32 = std::env::var("MAX_OWN").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    for th in [0.03, 0.035, 0.04, 0.045, 0.05] {
        let scorer = Scorer::new(Some(&model)).threshold(th).max_own(max_own);
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
