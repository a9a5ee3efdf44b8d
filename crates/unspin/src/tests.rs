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
