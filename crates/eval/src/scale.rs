//! Scale of the index and `check` (issue 4): a synthetic corpus of N
//! documents of about 500 words, built from real sentences of
//! `../shared/data`, with spun copies (30 % of words swapped by the test-only
//! obfuscation generator) of some of them as queries.

use std::path::Path;
use std::time::Instant;

use anyhow::bail;
use rayon::prelude::*;
use unspin::index::{Document, Index};
use unspin_testkit::{Obfuscation, SentencePool, obfuscate};

pub fn run(
    data: &Path,
    docs: usize,
    queries: usize,
    dir: &Path,
    export: Option<&Path>,
) -> anyhow::Result<()> {
    if !data.join("bbc-news").is_dir() {
        bail!("{}: shared data not found (evaluations need ../shared/data)", data.display());
    }
    let texts = crate::bbc_articles(&data.join("bbc-news"))?;
    let pool = SentencePool::from_texts(texts.iter().map(String::as_str));
    println!("sentence pool: {} sentences from {} BBC articles", pool.len(), texts.len());
    let mut corpus_out = match export {
        Some(e) => {
            std::fs::create_dir_all(e)?;
            Some(std::io::BufWriter::new(std::fs::File::create(e.join("corpus.jsonl"))?))
        }
        None => None,
    };
    let _ = std::fs::remove_dir_all(dir);
    let index = Index::open_or_create(dir)?;
    let mut w = index.writer()?;
    let started = Instant::now();
    let mut bytes = 0usize;
    const BATCH: usize = 10_000;
    let mut k = 0;
    while k < docs {
        let n = BATCH.min(docs - k);
        let prepared: Vec<_> = (k..k + n)
            .into_par_iter()
            .map(|i| {
                index.prepare(Document::new(&format!("doc-{i}"), &pool.document(500, i as u64)))
            })
            .collect();
        for p in prepared {
            bytes += p.document().text.len();
            if let Some(out) = corpus_out.as_mut() {
                use std::io::Write;
                serde_json::to_writer(
                    &mut *out,
                    &serde_json::json!({"id": p.document().id, "text": p.document().text}),
                )?;
                out.write_all(b"\n")?;
            }
            w.add_prepared(p)?;
        }
        k += n;
        if k % 100_000 == 0 || k == docs {
            w.commit()?;
            let secs = started.elapsed().as_secs_f64();
            println!(
                "  {k} docs, {:.0} MB, {:.1} MB/s",
                bytes as f64 / 1e6,
                bytes as f64 / 1e6 / secs
            );
        }
    }
    drop(w);
    let secs = started.elapsed().as_secs_f64();
    println!(
        "indexed {docs} documents, {:.0} MB in {:.1} s: {:.1} MB/s (generation and feature extraction included)",
        bytes as f64 / 1e6,
        secs,
        bytes as f64 / 1e6 / secs
    );
    let comparer = unspin::check_comparer();
    let step = (docs / queries.max(1)).max(1);
    let targets: Vec<usize> = (0..queries.min(docs)).map(|q| q * step).collect();
    drop(corpus_out);
    let mut queries_out = match export {
        Some(e) => Some(std::io::BufWriter::new(std::fs::File::create(e.join("queries.jsonl"))?)),
        None => None,
    };
    let mut times = Vec::with_capacity(targets.len());
    let mut hits = 0;
    for &t in &targets {
        let spun =
            obfuscate(&pool.document(500, t as u64), &Obfuscation::spinner(0.3), t as u64 + 1);
        if let Some(out) = queries_out.as_mut() {
            use std::io::Write;
            serde_json::to_writer(
                &mut *out,
                &serde_json::json!({"target": format!("doc-{t}"), "text": spun}),
            )?;
            out.write_all(b"\n")?;
        }
        let q0 = Instant::now();
        let r = unspin::check(&comparer, &index, &spun, 1)?;
        times.push(q0.elapsed().as_secs_f64() * 1000.0);
        if r.sources.first().is_some_and(|m| m.id == format!("doc-{t}")) {
            hits += 1;
        }
    }
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "check of {} planted spun copies (one thread): recall@1 {:.4}, p50 {:.1} ms, p99 {:.1} ms",
        targets.len(),
        hits as f64 / targets.len().max(1) as f64,
        pct(0.5),
        pct(0.99)
    );
    Ok(())
}
