//! `Comparer::compare` on synthetic texts spun by the test-only obfuscation
//! generator: 10,000 and 1,000,000 words a side. A baseline in the same run
//! (tokenizing both texts) gives the ratio that survives a noisy machine.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use unspin::{Comparer, Verdict};
use unspin_testkit::{Obfuscation, obfuscate, synthetic_text};

fn pair(words: usize) -> (String, String) {
    let source = synthetic_text(words, 11);
    let suspect = obfuscate(&source, &Obfuscation::spinner(0.25), 12);
    (source, suspect)
}

fn bench(c: &mut Criterion) {
    let comparer = Comparer::new();
    for (name, words, samples) in [("10k", 10_000, 50), ("1m", 1_000_000, 10)] {
        let (source, suspect) = pair(words);
        let report = comparer.compare(&source, &suspect);
        assert_eq!(report.verdict, Verdict::Spun, "{name}: {:?}", report.stats);
        assert!(
            report.stats.aligned_tokens * 10 > report.stats.suspect_tokens * 9,
            "{name}: {:?}",
            report.stats
        );
        let mut g = c.benchmark_group(format!("compare_{name}"));
        g.sample_size(samples);
        g.bench_function("baseline_tokenize", |b| {
            b.iter(|| {
                let t = comparer.tokenizer();
                t.tokenize(black_box(&source)).len() + t.tokenize(black_box(&suspect)).len()
            })
        });
        g.bench_function("compare", |b| {
            b.iter(|| comparer.compare(black_box(&source), black_box(&suspect)).substitutions.len())
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
