use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use unspin_lexicon::Lexicon;

fn bench(c: &mut Criterion) {
    let lex = Lexicon::global();
    assert!(lex.related("domestic", "residential"));
    c.bench_function("related/hit", |b| {
        b.iter(|| lex.related(black_box("domestic"), black_box("residential")))
    });
    c.bench_function("related/miss", |b| {
        b.iter(|| lex.related(black_box("dog"), black_box("carburetor")))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
