use crate::{AlignOp, Aligner, NoSimilarity, Passage};
use proptest::prelude::*;
use unspin_text::Tokenizer;

fn align(a: &str, b: &str) -> Vec<Passage> {
    let tok = Tokenizer::default();
    Aligner::default().align(&tok.tokenize(a), &tok.tokenize(b), &NoSimilarity)
}

fn check_tiling(p: &Passage) {
    let (mut i, mut j) = (p.source.start, p.suspect.start);
    for op in &p.ops {
        assert_eq!(op.source_range().start, i, "help: ops must tile the source range");
        assert_eq!(op.suspect_range().start, j, "help: ops must tile the suspect range");
        i = op.source_range().end;
        j = op.suspect_range().end;
    }
    assert_eq!((i, j), (p.source.end, p.suspect.end));
}

const DOG: &str = "The domestic dog is a member of the genus Canis, which forms part of the \
    wolf-like canids, and is the most widely abundant terrestrial carnivore. The dog and the \
    extant gray wolf are sister taxa as modern wolves are not closely related to the wolves that \
    were first domesticated.";
const SPUN: &str = "The residential puppy is an individual from the sort Canis, which shapes some \
    portion of the wolf-like canids, and is the most generally bottomless earthbound carnivore. \
    The hound and the surviving dim wolf are sister taxa as current wolves are not firmly \
    identified with the wolves that were first tamed.";

#[test]
fn whole_spun_text_is_one_passage() {
    let ps = align(DOG, SPUN);
    assert_eq!(ps.len(), 1, "{ps:#?}");
    check_tiling(&ps[0]);
    insta::assert_debug_snapshot!(ps[0].ops);
}

#[test]
fn dropped_headline_and_inserted_boilerplate() {
    let source = format!("Dogs and wolves: a study of kinship\n\n{DOG}");
    let boiler = "Subscribe to our newsletter for the latest articles, deals and exclusive \
        offers delivered straight to your inbox every single week of the year!";
    let suspect = format!("{SPUN}\n\n{boiler}");
    let ps = align(&source, &suspect);
    assert_eq!(ps.len(), 1);
    let tok = Tokenizer::default();
    let s = tok.tokenize(&source);
    let t = tok.tokenize(&suspect);
    assert_eq!(s.slice(ps[0].source.start, ps[0].source.start + 1), "The");
    assert!(t.slice(ps[0].suspect.end - 1, ps[0].suspect.end) == ".");
    assert!(ps[0].suspect.end < t.len() - 10, "help: boilerplate must stay outside the passage");
}

#[test]
fn reordered_passages_are_both_found() {
    let a = "First part: the committee approved the budget for the new hospital in Leeds after \
        a long debate about costs and staffing levels. Second part: engineers in Bristol tested \
        a solar powered boat that crossed the channel without stopping once during the trip.";
    let b = "Second part: engineers in Bristol tested a solar powered boat that crossed the \
        channel without stopping once during the trip. First part: the committee approved the \
        budget for the new hospital in Leeds after a long debate about costs and staffing levels.";
    let ps = align(a, b);
    assert_eq!(ps.len(), 2, "{ps:#?}");
    ps.iter().for_each(check_tiling);
}

#[test]
fn unrelated_texts_have_no_passage() {
    let a = "The central bank raised interest rates by a quarter point on Thursday, citing \
        persistent inflation in services and a tight labour market across the country.";
    let b = "Heavy snow closed mountain roads in the Alps, stranding skiers and forcing \
        rescue teams to evacuate several villages by helicopter over the weekend.";
    assert!(align(a, b).is_empty());
}

#[test]
fn identical_texts_are_one_equal_op() {
    let ps = align(DOG, DOG);
    assert_eq!(ps.len(), 1);
    assert!(matches!(ps[0].ops[..], [AlignOp::Equal { .. }]));
}

#[test]
fn send_sync() {
    fn is<T: Send + Sync + std::panic::UnwindSafe>() {}
    is::<Aligner>();
    is::<Passage>();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(128)))]

    #[test]
    fn ops_tile_passages(a in "[a-e ,.]{0,120}", b in "[a-e ,.]{0,120}") {
        for p in align(&a, &b) {
            check_tiling(&p);
        }
    }

    #[test]
    fn no_panic_on_arbitrary_strings(a in "\\PC{0,80}", b in "\\PC{0,80}") {
        let _ = align(&a, &b);
    }
}

/// Two reordered, heavily cut sentences where the first passage's tail runs
/// into the second by a chance match: the second is clipped to what is left
/// instead of being dropped for the overlap.
#[test]
fn a_passage_overlapping_at_its_edge_is_clipped_not_dropped() {
    let source = "Marrow, or bone jelly, an old staple dish of the northern valleys. It is one of \
        the richest foods of the region, thought to be matched in value only by the smoked river \
        eel. The jelly takes about 7 hours (2 h) in the oven and 175 grams (80 oz) of salt, but \
        may need more than twice that time, as does any marrow or jelly.";
    let suspect = "The jelly takes about hours (2 h) to oven and 175 g (80 key) of salt, but may \
        need more than twice that time. Marrow, or bone jelly, an dish. It is one food, thought \
        in be matched in value.";
    let tok = Tokenizer::default();
    let (src, sus) = (tok.tokenize(source), tok.tokenize(suspect));
    let aligner = crate::AlignerBuilder::new().min_density(0.2).build().expect("valid");
    let ps = aligner.align(&src, &sus, &NoSimilarity);
    assert_eq!(ps.len(), 2, "{ps:#?}");
    ps.iter().for_each(check_tiling);
    let second = &source[src.tokens()[ps[1].source.start].span().start()..];
    assert!(second.starts_with("It is one"), "{second}");
}
