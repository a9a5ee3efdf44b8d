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

/// A small model of originals for the restore and score properties.
fn small_model() -> &'static crate::lm::Model {
    static MODEL: std::sync::OnceLock<crate::lm::Model> = std::sync::OnceLock::new();
    MODEL.get_or_init(|| {
        let mut b = crate::lm::ModelBuilder::new();
        for _ in 0..20 {
            for s in [
                "Firms take advantage of the new rules.",
                "The big firm will begin work on the new bridge.",
                "He said that the talks were going well this year.",
                "Prices rose sharply in the first quarter, the bank said.",
            ] {
                b.add(s);
            }
        }
        b.build()
    })
}

/// The characters `start..end` of `s`.
fn chars(s: &str, start: usize, end: usize) -> String {
    s.chars().skip(start).take(end.saturating_sub(start)).collect()
}

/// Words a spinner writes and their originals, function words, names,
/// numbers and punctuation, mixed with any printable characters.
fn spun_like() -> impl Strategy<Value = String> {
    prop::collection::vec(spun_word(), 0..40).prop_map(|w| w.join(" "))
}

/// An original of such words and a copy with some of them swapped for
/// others: a pair to learn a lexicon from.
fn spun_pair() -> impl Strategy<Value = (String, String)> {
    prop::collection::vec((spun_word(), prop::option::weighted(0.3, spun_word())), 0..40).prop_map(
        |words| {
            let original: Vec<&str> = words.iter().map(|(w, _)| w.as_str()).collect();
            let spun: Vec<&str> =
                words.iter().map(|(w, s)| s.as_deref().unwrap_or(w.as_str())).collect();
            (original.join(" "), spun.join(" "))
        },
    )
}

fn spun_word() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "large", "commence", "enterprise", "costs", "climbed", "fill the bill",
            "firms", "take", "advantage", "of", "the", "from", "a", "an", "big", "begin",
            "talks", "were", "going", "well", "said", "He", "Firms", "Royal", "Air", "Drive",
            "two", "2", ",", ".", "!", "\n\n", "firm's", "colour", "color",
        ])
        .prop_map(str::to_string),
        1 => "\\PC{1,4}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64)))]

    /// Whatever the text: restore's edits are in order, do not overlap,
    /// each names the suspect's characters exactly, and applying them
    /// gives the restored text; a minimum confidence keeps only edits at
    /// or above it.
    #[test]
    fn restore_edits_rebuild_the_restored_text(
        s in spun_like(),
        p in 0.0f64..1.0,
        pair in spun_pair(),
    ) {
        let model = small_model();
        // A lexicon learned from any pair of texts.
        let learned = crate::learn_table(&Comparer::new(), &[pair]);
        for (min, learned) in [(0.0, None), (p, None), (0.0, Some(&learned))] {
            let r = crate::Restorer::new()
                .model(Some(model))
                .learned(learned)
                .min_confidence(min)
                .restore(&s);
            let r = match r {
                Ok(r) => r,
                Err(e) => return Err(TestCaseError::fail(format!("{e}"))),
            };
            let mut rebuilt = String::new();
            let mut at = 0;
            for e in &r.edits {
                prop_assert!(at <= e.suspect.start && e.suspect.start <= e.suspect.end, "{:?}", r.edits);
                prop_assert_eq!(&chars(&s, e.suspect.start, e.suspect.end), &e.suspect.text);
                prop_assert!((min..=1.0).contains(&e.confidence), "{} below {}", e.confidence, min);
                rebuilt.push_str(&chars(&s, at, e.suspect.start));
                rebuilt.push_str(&e.restored);
                at = e.suspect.end;
            }
            rebuilt.push_str(&chars(&s, at, usize::MAX));
            prop_assert_eq!(rebuilt, r.text);
        }
    }

    /// Whatever the text: a spin score in [0, 1] that agrees with the
    /// verdict, and flags that name the text's characters exactly, in order.
    #[test]
    fn score_is_bounded_and_its_flags_point_into_the_text(
        s in spun_like(),
        pair in spun_pair(),
    ) {
        let learned = crate::learn_table(&Comparer::new(), &[pair]);
        for (model, learned) in
            [(None, None), (Some(small_model()), None), (Some(small_model()), Some(&learned))]
        {
            let r = crate::Scorer::new(model).learned(learned).score(&s);
            prop_assert!((0.0..=1.0).contains(&r.spin_score), "{}", r.spin_score);
            prop_assert_eq!(r.verdict == "spun", r.spin_score >= 0.5, "{:?}", r);
            let mut at = 0;
            for f in &r.flagged {
                prop_assert!(at <= f.suspect.start && f.suspect.start < f.suspect.end, "{:?}", r.flagged);
                prop_assert_eq!(&chars(&s, f.suspect.start, f.suspect.end), &f.suspect.text);
                at = f.suspect.end;
            }
        }
    }
}
