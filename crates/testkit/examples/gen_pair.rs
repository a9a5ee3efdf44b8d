//! Writes a synthetic source and its spun copy, for measuring the CLI:
//! `cargo run --release -p unspin-testkit --example gen_pair -- WORDS SOURCE SUSPECT [FROM]`
//! (with FROM, that file's text is spun instead of a synthetic text).
fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 && args.len() != 5 {
        eprintln!("usage: gen_pair WORDS SOURCE SUSPECT [FROM]");
        std::process::exit(2);
    }
    let words: usize = args[1].parse().unwrap_or(1000);
    let source = match args.get(4) {
        Some(from) => match std::fs::read_to_string(from) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("gen_pair: {from}: {e}");
                std::process::exit(2);
            }
        },
        None => unspin_testkit::synthetic_text(words, 11),
    };
    let suspect =
        unspin_testkit::obfuscate(&source, &unspin_testkit::Obfuscation::spinner(0.25), 12);
    if let Err(e) = std::fs::write(&args[2], source).and_then(|_| std::fs::write(&args[3], suspect))
    {
        eprintln!("gen_pair: {e}");
        std::process::exit(2);
    }
}
