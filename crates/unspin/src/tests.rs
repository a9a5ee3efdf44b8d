use crate::{Comparer, Verdict};
use proptest::prelude::*;

#[test]
fn send_sync() {
    fn is<T: Send + Sync + std::panic::UnwindSafe>() {}
    is::<Comparer>();
    is::<crate::Report>();
}

#[test]
fn unrelated() {
    let r = Comparer::new().compare(
        "The central bank raised interest rates by a quarter point on Thursday, citing \
         persistent inflation in services and a tight labour market across the country.",
        "Heavy snow closed mountain roads in the Alps, stranding skiers and forcing rescue \
         teams to evacuate several villages by helicopter over the weekend.",
    );
    assert_eq!(r.verdict, Verdict::Unrelated);
    assert_eq!(r.spin_score, 0.0);
    assert!(r.substitutions.is_empty());
}

/// Two different stories told in the same quoting style: the aligner finds
/// stretches of equal function words and punctuation, but no reuse.
#[test]
fn stock_phrases_are_not_reuse() {
    let intro = "Crowds gathered outside the stadium long before the gates opened. ";
    let source = format!(
        "{}\"I think that we have to look at it again, and we will do that as soon as we can,\" \
         he said. \"It is not the end of the world for us, but it is a blow,\" he added.",
        intro.repeat(6)
    );
    let suspect = "Bakers in the old quarter complained about the price of flour. \"I think that \
        we have to raise it again, and we will do that as soon as we can,\" she said. \"It is \
        not the end of the season for us, but it is a worry,\" she added. Customers \
        queued all morning for bread, cakes and the famous almond biscuits of the town. \
        The mill that supplies most of the bakeries closed for repairs in March, and farmers \
        blamed the wet summer for a poor harvest of wheat across the valley and the hills.";
    let r = Comparer::new().compare(&source, suspect);
    assert!(r.stats.aligned_tokens >= 15, "{:?}", r.stats);
    assert!(r.stats.anchor_words < 10, "{:?}", r.stats);
    assert_eq!(r.verdict, Verdict::Unrelated, "{:?}", r.stats);
}

#[test]
fn copy_with_format_changes() {
    let r = Comparer::new().compare(
        "The two ministers did not agree on the colour of the new flag for the republic.",
        "The 2 ministers didn't agree on the color of the new flag for the republic.",
    );
    assert_eq!(r.verdict, Verdict::Copy, "{r:#?}");
    assert!(r.substitutions.iter().all(|s| s.kind == crate::SubstitutionKind::Format));
    assert_eq!(r.substitutions.len(), 3);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64)))]

    #[test]
    fn self_compare_is_copy(x in "\\PC{0,200}") {
        let r = Comparer::new().compare(&x, &x);
        prop_assert_eq!(r.verdict, Verdict::Copy);
        prop_assert!(r.substitutions.is_empty());
        prop_assert_eq!(r.spin_score, 0.0);
    }

    #[test]
    fn no_panic_and_offsets_in_bounds(a in "\\PC{0,200}", b in "\\PC{0,200}") {
        let r = Comparer::new().compare(&a, &b);
        prop_assert!((0.0..=1.0).contains(&r.spin_score));
        let (na, nb) = (a.chars().count(), b.chars().count());
        for s in &r.substitutions {
            prop_assert!(s.source.start <= s.source.end && s.source.end <= na);
            prop_assert!(s.suspect.start <= s.suspect.end && s.suspect.end <= nb);
            let got: String = b.chars().skip(s.suspect.start).take(s.suspect.end - s.suspect.start).collect();
            prop_assert_eq!(got, s.suspect.text.clone());
        }
    }
}
