//! Regular English inflection, both ways: the thesauri list base forms
//! ("dog", "role", "unique"), while a real spinner keeps a word's
//! inflection when it swaps it ("puppies" for "dogs", "jobs" for "roles",
//! "extraordinarily" for "uniquely"). [`inflections`] reads a word as a
//! base form and an [`Inflection`]; [`inflect`] writes a base form back in
//! one, in every regular spelling (a caller keeps the one its corpus
//! knows: "stopped" or "stoped").

/// A regular inflection of an English word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Inflection {
    /// Plural or third person singular: "dogs", "boxes", "parties".
    S,
    /// Past tense or participle: "tamed", "stopped", "carried".
    Ed,
    /// Present participle or gerund: "hunting", "making", "running".
    Ing,
    /// Adverb from an adjective: "widely", "happily", "simply".
    Ly,
}

impl Inflection {
    /// All inflections, in a fixed order.
    pub const ALL: [Inflection; 4] =
        [Inflection::S, Inflection::Ed, Inflection::Ing, Inflection::Ly];
}

fn vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Whether `word` ends in consonant, vowel, consonant (not w, x or y): the
/// words that may double their last letter ("stop" → "stopped").
fn cvc(word: &str) -> bool {
    match word.as_bytes() {
        [.., a, b, c] => !vowel(*a) && vowel(*b) && !vowel(*c) && !matches!(c, b'w' | b'x' | b'y'),
        _ => false,
    }
}

/// The base forms `word` (lowercase) may be an inflection of, by rule,
/// each with its inflection; candidates only (a caller keeps those its
/// thesaurus knows). Words of fewer than four letters, and words with
/// characters other than ASCII letters, have none.
pub fn inflections(word: &str) -> Vec<(String, Inflection)> {
    let mut out: Vec<(String, Inflection)> = Vec::new();
    if word.len() < 4 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return out;
    }
    let mut push = |base: String, how: Inflection| {
        if base.len() >= 2 && base != word && !out.iter().any(|(b, h)| *b == base && *h == how) {
            out.push((base, how));
        }
    };
    // Every rule that fits is tried: a caller keeps the bases its thesaurus
    // knows ("houses" may be "hous" or "house").
    let undouble = |stem: &str| -> Option<String> {
        let b = stem.as_bytes();
        let n = b.len();
        (n >= 3 && b[n - 1] == b[n - 2] && !vowel(b[n - 1])).then(|| stem[..n - 1].to_string())
    };
    if let Some(stem) = word.strip_suffix("ies") {
        push(format!("{stem}y"), Inflection::S);
    }
    if let Some(stem) = word.strip_suffix("ves") {
        push(format!("{stem}f"), Inflection::S);
        push(format!("{stem}fe"), Inflection::S);
    }
    if let Some(stem) = word.strip_suffix("es")
        && (stem.ends_with(['s', 'x', 'z', 'o']) || stem.ends_with("ch") || stem.ends_with("sh"))
    {
        push(stem.to_string(), Inflection::S);
    }
    if let Some(stem) = word.strip_suffix('s')
        && !stem.ends_with('s')
    {
        push(stem.to_string(), Inflection::S);
    }
    if let Some(stem) = word.strip_suffix("ied") {
        push(format!("{stem}y"), Inflection::Ed);
    }
    if let Some(stem) = word.strip_suffix("ed") {
        push(stem.to_string(), Inflection::Ed);
        if let Some(single) = undouble(stem) {
            push(single, Inflection::Ed);
        }
    }
    if let Some(stem) = word.strip_suffix('d')
        && stem.ends_with('e')
    {
        push(stem.to_string(), Inflection::Ed);
    }
    if let Some(stem) = word.strip_suffix("ying") {
        push(format!("{stem}ie"), Inflection::Ing);
    }
    if let Some(stem) = word.strip_suffix("ing") {
        push(stem.to_string(), Inflection::Ing);
        push(format!("{stem}e"), Inflection::Ing);
        if let Some(single) = undouble(stem) {
            push(single, Inflection::Ing);
        }
    }
    if let Some(stem) = word.strip_suffix("ically") {
        push(format!("{stem}ic"), Inflection::Ly);
    }
    if let Some(stem) = word.strip_suffix("ily") {
        push(format!("{stem}y"), Inflection::Ly);
    }
    if let Some(stem) = word.strip_suffix("ly") {
        // "simply", "fully": the base ends in "le", "ll".
        push(format!("{stem}le"), Inflection::Ly);
        if stem.ends_with('l') {
            push(format!("{stem}l"), Inflection::Ly);
        }
        push(stem.to_string(), Inflection::Ly);
    }
    out
}

/// `base` with `suffix`, and with its last letter doubled before it where
/// English may double it ("stoped", "stopped").
fn suffixed(base: &str, suffix: &str) -> Vec<String> {
    let plain = format!("{base}{suffix}");
    match base.chars().last() {
        Some(last) if cvc(base) => vec![plain, format!("{base}{last}{suffix}")],
        _ => vec![plain],
    }
}

/// The regular spellings of `base` (a lowercase word) in the inflection
/// `how`, the likeliest first.
pub fn inflect(base: &str, how: Inflection) -> Vec<String> {
    let b = base.as_bytes();
    let last = b.last().copied().unwrap_or(b'a');
    let before_last = if b.len() >= 2 { b[b.len() - 2] } else { b'a' };
    let consonant_y = last == b'y' && !vowel(before_last);
    let cut = |n: usize| &base[..base.len().saturating_sub(n)];
    match how {
        Inflection::S => {
            if consonant_y {
                vec![format!("{}ies", cut(1))]
            } else if base.ends_with(['s', 'x', 'z'])
                || base.ends_with("ch")
                || base.ends_with("sh")
            {
                vec![format!("{base}es")]
            } else if base.ends_with('o') {
                vec![format!("{base}s"), format!("{base}es")]
            } else if base.ends_with("fe") {
                vec![format!("{base}s"), format!("{}ves", cut(2))]
            } else if last == b'f' {
                vec![format!("{base}s"), format!("{}ves", cut(1))]
            } else {
                vec![format!("{base}s")]
            }
        }
        Inflection::Ed => {
            if last == b'e' {
                vec![format!("{base}d")]
            } else if consonant_y {
                vec![format!("{}ied", cut(1))]
            } else {
                suffixed(base, "ed")
            }
        }
        Inflection::Ing => {
            if base.ends_with("ie") {
                vec![format!("{}ying", cut(2))]
            } else if last == b'e' && !base.ends_with("ee") && !base.ends_with("ye") {
                vec![format!("{}ing", cut(1))]
            } else {
                suffixed(base, "ing")
            }
        }
        Inflection::Ly => {
            if consonant_y {
                vec![format!("{}ily", cut(1))]
            } else if base.ends_with("le") && base.len() > 3 {
                vec![format!("{}y", cut(1))]
            } else if base.ends_with("ic") {
                vec![format!("{base}ally")]
            } else if base.ends_with("ll") {
                vec![format!("{base}y")]
            } else {
                vec![format!("{base}ly")]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(word: &str, base: &str, how: Inflection) -> bool {
        inflections(word).iter().any(|(b, h)| b == base && *h == how)
    }

    #[test]
    fn reads_regular_inflections() {
        assert!(has("puppies", "puppy", Inflection::S));
        assert!(has("roles", "role", Inflection::S));
        assert!(has("boxes", "box", Inflection::S));
        assert!(has("wolves", "wolf", Inflection::S));
        assert!(has("knives", "knife", Inflection::S));
        assert!(has("tamed", "tame", Inflection::Ed));
        assert!(has("stopped", "stop", Inflection::Ed));
        assert!(has("carried", "carry", Inflection::Ed));
        assert!(has("agreed", "agree", Inflection::Ed));
        assert!(has("hunting", "hunt", Inflection::Ing));
        assert!(has("making", "make", Inflection::Ing));
        assert!(has("running", "run", Inflection::Ing));
        assert!(has("lying", "lie", Inflection::Ing));
        assert!(has("widely", "wide", Inflection::Ly));
        assert!(has("happily", "happy", Inflection::Ly));
        assert!(has("simply", "simple", Inflection::Ly));
        assert!(has("basically", "basic", Inflection::Ly));
        // Not inflections.
        assert!(!has("glass", "glas", Inflection::S));
        assert!(inflections("dog").is_empty());
        assert!(inflections("naïve").is_empty());
    }

    #[test]
    fn writes_regular_inflections() {
        use Inflection::{Ed, Ing, Ly, S};
        // The likeliest spelling first.
        let first = [
            ("dog", S, "dogs"),
            ("party", S, "parties"),
            ("day", S, "days"),
            ("church", S, "churches"),
            ("tame", Ed, "tamed"),
            ("carry", Ed, "carried"),
            ("play", Ed, "played"),
            ("make", Ing, "making"),
            ("see", Ing, "seeing"),
            ("lie", Ing, "lying"),
            ("unique", Ly, "uniquely"),
            ("happy", Ly, "happily"),
            ("simple", Ly, "simply"),
            ("basic", Ly, "basically"),
            ("full", Ly, "fully"),
        ];
        for (base, how, form) in first {
            assert_eq!(inflect(base, how).first().map(String::as_str), Some(form), "{base}");
        }
        // Other regular spellings.
        for (base, how, form) in
            [("stop", Ed, "stopped"), ("run", Ing, "running"), ("wolf", S, "wolves")]
        {
            assert!(inflect(base, how).iter().any(|f| f == form), "{base}: {form}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_read_and_written_without_panicking(word in "\\PC{0,12}") {
            for how in Inflection::ALL {
                for form in inflect(&word, how) {
                    // An inflection adds to a word, dropping at most its last two letters.
                    proptest::prop_assert!(form.len() >= word.len(), "{} -> {}", word, form);
                }
            }
            for (base, _) in inflections(&word) {
                proptest::prop_assert!(base.len() >= 2 && base != word);
            }
        }

        #[test]
        fn every_written_inflection_reads_back(base in "[a-z]{3,12}") {
            for how in Inflection::ALL {
                for form in inflect(&base, how) {
                    proptest::prop_assert!(
                        inflections(&form).iter().any(|(b, h)| *b == base && *h == how),
                        "{} does not read back as {} {:?}", form, base, how
                    );
                }
            }
        }
    }

    #[test]
    fn a_written_inflection_reads_back() {
        for base in
            ["dog", "party", "church", "tame", "carry", "stop", "make", "unique", "basic", "wolf"]
        {
            for how in Inflection::ALL {
                for form in inflect(base, how) {
                    assert!(
                        inflections(&form).iter().any(|(b, h)| b == base && *h == how),
                        "{form} does not read back as {base} {how:?}"
                    );
                }
            }
        }
    }
}
