use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn text(words: usize) -> String {
    let base = "The domestic dog (Canis familiaris) is a member of the genus Canis, which forms \
                part of the wolf-like canids; it didn't thrive on two colours. ";
    let mut s = String::new();
    while s.split_whitespace().count() < words {
        s.push_str(base);
    }
    s
}

fn bench(c: &mut Criterion) {
    let t = text(10_000);
    let tokenizer = unspin_text::Tokenizer::default();
    let n = tokenizer.tokenize(&t).len();
    assert!(n > 10_000, "tokens: {n}");
    let mut g = c.benchmark_group("tokenize");
    g.throughput(Throughput::Bytes(t.len() as u64));
    g.bench_function("10k_words", |b| b.iter(|| tokenizer.tokenize(black_box(&t)).len()));
    g.finish();
    // Word boundaries alone: unicode-segmentation (the baseline) and the
    // tokenizer's, which takes a fast path on lines of ASCII text.
    use unicode_segmentation::UnicodeSegmentation;
    let mut g = c.benchmark_group("word_bounds");
    g.throughput(Throughput::Bytes(t.len() as u64));
    g.bench_function("unicode_segmentation", |b| {
        b.iter(|| black_box(&t).split_word_bound_indices().count())
    });
    g.bench_function("unspin_text", |b| {
        b.iter(|| unspin_text::word_bound_indices(black_box(&t)).count())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
