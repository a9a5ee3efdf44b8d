//! The whole `unspin compare` process on two 1,000-word texts, against the
//! same binary printing its version (process start-up alone) as a baseline.

use criterion::{Criterion, criterion_group, criterion_main};
use std::process::Command;
use unspin_testkit::{Obfuscation, obfuscate, synthetic_text};

fn bench(c: &mut Criterion) {
    let exe = env!("CARGO_BIN_EXE_unspin");
    let dir = std::env::temp_dir().join(format!("unspin-startup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let source = synthetic_text(1_000, 3);
    let suspect = obfuscate(&source, &Obfuscation::spinner(0.25), 4);
    let (a, b) = (dir.join("source.txt"), dir.join("suspect.txt"));
    std::fs::write(&a, &source).expect("write");
    std::fs::write(&b, &suspect).expect("write");
    let run = |args: &[&std::ffi::OsStr]| {
        let out = Command::new(exe).args(args).output().expect("run unspin");
        assert!(out.status.success());
        out.stdout
    };
    let json = run(&[
        "compare".as_ref(),
        a.as_os_str(),
        b.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let json = String::from_utf8_lossy(&json);
    assert!(json.contains("\"verdict\": \"spun\""), "{json}");
    let mut g = c.benchmark_group("startup");
    g.sample_size(30);
    g.bench_function("baseline_version", |bch| bch.iter(|| run(&["--version".as_ref()])));
    g.bench_function("compare_1k_words", |bch| {
        bch.iter(|| {
            run(&[
                "compare".as_ref(),
                a.as_os_str(),
                b.as_os_str(),
                "--format".as_ref(),
                "json".as_ref(),
            ])
        })
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
