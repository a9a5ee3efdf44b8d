//! Unicode compatibility normalization (NFKC): full-width letters, ligatures.

use super::Normalizer;
use std::borrow::Cow;
use unicode_normalization::{UnicodeNormalization, is_nfkc_quick};

/// NFKC; ASCII is already normalized and skipped.
pub struct Nfkc;

impl Normalizer for Nfkc {
    fn name(&self) -> &'static str {
        "nfkc"
    }

    fn should_normalize(&self, form: &str) -> bool {
        !form.is_ascii() && is_nfkc_quick(form.chars()) != unicode_normalization::IsNormalized::Yes
    }

    fn normalize<'a>(&self, form: Cow<'a, str>) -> Cow<'a, str> {
        Cow::Owned(form.nfkc().collect())
    }
}

#[cfg(test)]
mod tests {
    super::super::test_normalizer!(super::Nfkc, "ﬁne" => "fine", "Ｄｏｇ" => "Dog", "dog" => "dog");
}
