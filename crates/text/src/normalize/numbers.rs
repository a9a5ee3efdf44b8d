//! Number words to digits: `two` and `2` are the same token to the aligner.

use super::Normalizer;
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::sync::OnceLock;

/// Cardinal number words (`zero` to `ninety`, `hundred`, `thousand`,
/// `million`, `billion`, `dozen`) to digits; digits with thousands separators
/// (`1,000`) lose the separators.
pub struct NumberWords;

const WORDS: &[(&str, &str)] = &[
    ("billion", "1000000000"),
    ("dozen", "12"),
    ("eight", "8"),
    ("eighteen", "18"),
    ("eighty", "80"),
    ("eleven", "11"),
    ("fifteen", "15"),
    ("fifty", "50"),
    ("five", "5"),
    ("forty", "40"),
    ("four", "4"),
    ("fourteen", "14"),
    ("hundred", "100"),
    ("million", "1000000"),
    ("nine", "9"),
    ("nineteen", "19"),
    ("ninety", "90"),
    ("one", "1"),
    ("seven", "7"),
    ("seventeen", "17"),
    ("seventy", "70"),
    ("six", "6"),
    ("sixteen", "16"),
    ("sixty", "60"),
    ("ten", "10"),
    ("thirteen", "13"),
    ("thirty", "30"),
    ("thousand", "1000"),
    ("three", "3"),
    ("twelve", "12"),
    ("twenty", "20"),
    ("two", "2"),
    ("zero", "0"),
];

/// The digits for a lowercase number word, if it is one (`two` -> `2`).
pub fn number_word(word: &str) -> Option<&'static str> {
    static MAP: OnceLock<FxHashMap<&'static str, &'static str>> = OnceLock::new();
    if !(3..=9).contains(&word.len()) {
        return None;
    }
    MAP.get_or_init(|| WORDS.iter().copied().collect()).get(word).copied()
}

/// The number word for digits (`2` -> `two`), if one is listed; `12` is
/// `twelve`, not `dozen`.
pub fn number_name(digits: &str) -> Option<&'static str> {
    WORDS.iter().find(|(w, d)| *d == digits && *w != "dozen").map(|(w, _)| *w)
}

fn is_grouped_digits(form: &str) -> bool {
    let b = form.as_bytes();
    b.len() > 4
        && b[0].is_ascii_digit()
        && b.contains(&b',')
        && b.iter().all(|c| c.is_ascii_digit() || *c == b',' || *c == b'.')
}

impl Normalizer for NumberWords {
    fn name(&self) -> &'static str {
        "numbers"
    }

    fn should_normalize(&self, form: &str) -> bool {
        number_word(form).is_some() || is_grouped_digits(form)
    }

    fn normalize<'a>(&self, form: Cow<'a, str>) -> Cow<'a, str> {
        match number_word(&form) {
            Some(d) => Cow::Borrowed(d),
            None => Cow::Owned(form.replace(',', "")),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sorted() {
        assert!(super::WORDS.windows(2).all(|w| w[0].0 < w[1].0), "help: keep WORDS sorted");
    }

    #[test]
    fn number_names_both_ways() {
        assert_eq!(super::number_name("2"), Some("two"));
        assert_eq!(super::number_name("12"), Some("twelve"));
        assert_eq!(super::number_name("13x"), None);
        assert_eq!(super::number_word("nine"), Some("9"));
    }
    super::super::test_normalizer!(super::NumberWords,
        "two" => "2", "twenty" => "20", "1,000" => "1000", "2004" => "2004", "dog" => "dog");
}
