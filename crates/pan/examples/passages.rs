//! Prints the aligner's passages and the detections of one PAN pair, for
//! looking into a missed or false case.
//! usage: passages SUSPECT SOURCE (env AME, AD, ROUNDS: aligner settings)
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a: Vec<String> = std::env::args().collect();
    let (Some(sus), Some(src)) = (a.get(1), a.get(2)) else {
        return Err("usage: passages SUSPECT SOURCE".into());
    };
    let (st, rt) = (std::fs::read_to_string(sus)?, std::fs::read_to_string(src)?);
    let env = |k: &str, d: f32| std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(d);
    let d = unspin_pan::DetectorBuilder::new()
        .aligner_min_equal(env("AME", 8.0) as usize)
        .aligner_density(env("AD", 0.2))
        .rounds(env("ROUNDS", 8.0) as usize)
        .build();
    let (ts, tr) = (d.tokenizer().tokenize(&st), d.tokenizer().tokenize(&rt));
    let ps = d.align(&tr, &ts);
    let chars = |t: &unspin::text::TokenizedText<'_>, r: &std::ops::Range<usize>| {
        (t.tokens()[r.start].char_start(), t.tokens()[r.end - 1].char_end())
    };
    for p in &ps {
        println!(
            "passage: source tokens {:?} chars {:?}, suspect tokens {:?} chars {:?}, {} equal",
            p.source,
            chars(&tr, &p.source),
            p.suspect,
            chars(&ts, &p.suspect),
            p.equal_tokens()
        );
    }
    for x in d.select(&tr, &ts, &ps) {
        println!("detection: {x:?}");
    }
    Ok(())
}
