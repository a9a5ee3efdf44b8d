//! Writes a synthetic source and its spun copy, for measuring the CLI:
//! `cargo run --release -p unspin-testkit --example gen_pair -- WORDS SOURCE SUSPECT`
fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: gen_pair WORDS SOURCE SUSPECT");
        std::process::exit(2);
    }
    let words: usize = args[1].parse().unwrap_or(1000);
    let source = unspin_testkit::synthetic_text(words, 11);
    let suspect =
        unspin_testkit::obfuscate(&source, &unspin_testkit::Obfuscation::spinner(0.25), 12);
    if let Err(e) = std::fs::write(&args[2], source).and_then(|_| std::fs::write(&args[3], suspect))
    {
        eprintln!("gen_pair: {e}");
        std::process::exit(2);
    }
}
