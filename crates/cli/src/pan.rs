//! `unspin pan` and `unspin pan-eval`.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, anyhow, bail};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use unspin_pan::{Detector, read_pairs, run_pair};

use crate::args::{EvalFormat, PanArgs, PanEvalArgs};

fn check_dir(path: &std::path::Path, what: &str) -> anyhow::Result<()> {
    if !path.is_dir() {
        bail!("{}: {what} is not a directory", path.display());
    }
    Ok(())
}

/// Runs the detector over every pair; bad lines and unreadable documents are
/// reported one line each and the other pairs still run; the exit status is
/// 2 if any pair failed.
pub fn run(args: PanArgs) -> anyhow::Result<()> {
    check_dir(&args.src_dir, "SRC_DIR")?;
    check_dir(&args.susp_dir, "SUSP_DIR")?;
    std::fs::create_dir_all(&args.out_dir)
        .with_context(|| format!("{}: cannot create OUT_DIR", args.out_dir.display()))?;
    let probe = args.out_dir.join(".unspin-write-test");
    std::fs::write(&probe, b"")
        .with_context(|| format!("{}: OUT_DIR is not writable", args.out_dir.display()))?;
    let _ = std::fs::remove_file(&probe);
    let jobs = read_pairs(&args.pairs).map_err(|e| anyhow!("{e}"))?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context("cannot start worker threads")?;
    let detector = Detector::default();
    let bar = if std::io::stderr().is_terminal() {
        let b = ProgressBar::new(jobs.len() as u64);
        b.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} pairs {per_sec} eta {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    let (detections, failed) = (AtomicUsize::new(0), AtomicUsize::new(0));
    pool.install(|| {
        jobs.par_iter().for_each(|job| {
            let result = job.as_ref().map_err(|e| anyhow!("{e}")).and_then(|job| {
                run_pair(&detector, job, &args.src_dir, &args.susp_dir, &args.out_dir)
                    .map_err(|e| anyhow!("{}:{}: {e}", args.pairs.display(), job.line))
            });
            match result {
                Ok(outcome) => {
                    detections.fetch_add(outcome.detections, Ordering::Relaxed);
                }
                Err(e) => {
                    failed.fetch_add(1, Ordering::Relaxed);
                    bar.suspend(|| eprintln!("unspin: error: {e:#}"));
                }
            }
            bar.inc(1);
        })
    });
    bar.finish_and_clear();
    let failed = failed.into_inner();
    eprintln!(
        "unspin: {} pairs, {} detections, {} failed",
        jobs.len(),
        detections.into_inner(),
        failed
    );
    if failed > 0 {
        bail!("{failed} of {} pairs failed (see above)", jobs.len());
    }
    Ok(())
}

/// Scores detections against a corpus.
pub fn eval(args: PanEvalArgs) -> anyhow::Result<()> {
    check_dir(&args.truth_dir, "TRUTH_DIR")?;
    check_dir(&args.detections_dir, "DETECTIONS_DIR")?;
    let ev = unspin_pan::eval::evaluate(&args.truth_dir, &args.detections_dir)
        .map_err(|e| anyhow!("{e}"))?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        EvalFormat::Json => {
            crate::render::json(&mut out, &ev)?;
        }
        EvalFormat::Text => {
            writeln!(
                out,
                "{:28} {:>8} {:>7} {:>7} {:>6} {:>6} {:>6}",
                "type", "plagdet", "recall", "prec", "gran", "cases", "dets"
            )?;
            let rows = ev.per_type.iter().map(|(k, v)| (k.as_str(), v));
            for (name, s) in rows.chain(std::iter::once(("overall", &ev.overall))) {
                writeln!(
                    out,
                    "{:28} {:8.4} {:7.4} {:7.4} {:6.3} {:6} {:6}",
                    name, s.plagdet, s.recall, s.precision, s.granularity, s.cases, s.detections
                )?;
            }
            if ev.unreadable_detection_files > 0 {
                writeln!(out, "unreadable detection files: {}", ev.unreadable_detection_files)?;
            }
        }
    }
    Ok(())
}
