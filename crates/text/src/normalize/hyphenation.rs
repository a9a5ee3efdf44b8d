//! Hyphenation: soft hyphens and line-break hyphens inside a word.

use super::Normalizer;
use std::borrow::Cow;

/// Removes soft hyphens (U+00AD) and zero-width characters that typesetting
/// leaves inside words, so `exam\u{AD}ple` matches `example`.
pub struct Hyphenation;

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

impl Normalizer for Hyphenation {
    fn name(&self) -> &'static str {
        "hyphenation"
    }

    fn should_normalize(&self, form: &str) -> bool {
        !form.is_ascii() && form.chars().any(is_invisible)
    }

    fn normalize<'a>(&self, form: Cow<'a, str>) -> Cow<'a, str> {
        let out: String = form.chars().filter(|&c| !is_invisible(c)).collect();
        if out.is_empty() { Cow::Borrowed("-") } else { Cow::Owned(out) }
    }
}

#[cfg(test)]
mod tests {
    super::super::test_normalizer!(super::Hyphenation, "exam\u{AD}ple" => "example", "dog" => "dog");
}
