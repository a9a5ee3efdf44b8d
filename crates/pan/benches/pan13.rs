//! All 5,185 PAN-13 training pairs through the detector on all cores, timed
//! end to end, against a baseline in the same run: reading and tokenizing
//! every pair. Reads `../shared/data/pan13-train` and says so when absent.
//! Run: `cargo bench -p unspin-pan --bench pan13`.

use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;
use unspin_pan::Detector;

fn main() {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/pan13-train");
    let Ok(pairs) = std::fs::read_to_string(data.join("pairs")) else {
        eprintln!("pan13 bench: {} not found; nothing measured", data.display());
        return;
    };
    let pairs: Vec<(String, String)> = pairs
        .lines()
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            Some((it.next()?.to_string(), it.next()?.to_string()))
        })
        .collect();
    let read = |p: &(String, String)| {
        let s = std::fs::read(data.join("susp").join(&p.0)).unwrap_or_default();
        let r = std::fs::read(data.join("src").join(&p.1)).unwrap_or_default();
        (String::from_utf8_lossy(&s).into_owned(), String::from_utf8_lossy(&r).into_owned())
    };
    let detector = Detector::default();
    let t0 = Instant::now();
    let tokens: usize = pairs
        .par_iter()
        .map(|p| {
            let (s, r) = read(p);
            detector.tokenizer().tokenize(&s).len() + detector.tokenizer().tokenize(&r).len()
        })
        .sum();
    let baseline = t0.elapsed();
    let t1 = Instant::now();
    let detections: usize = pairs
        .par_iter()
        .map(|p| {
            let (s, r) = read(p);
            detector.detect(&s, &r).len()
        })
        .sum();
    let full = t1.elapsed();
    assert!(tokens > 1_000_000 && detections > 3_000, "tokens {tokens} detections {detections}");
    println!(
        "pan13: {} pairs on {} threads: detect {:.2} s ({:.1} ms/pair); baseline read+tokenize {:.2} s; ratio {:.1}x; {detections} detections",
        pairs.len(),
        rayon::current_num_threads(),
        full.as_secs_f64(),
        full.as_secs_f64() * 1000.0 / pairs.len() as f64,
        baseline.as_secs_f64(),
        full.as_secs_f64() / baseline.as_secs_f64()
    );
}
