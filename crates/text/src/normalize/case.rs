//! Case folding to lowercase.

use super::Normalizer;
use std::borrow::Cow;

/// Lowercase (full Unicode).
pub struct Case;

impl Normalizer for Case {
    fn name(&self) -> &'static str {
        "case"
    }

    fn should_normalize(&self, form: &str) -> bool {
        form.chars().any(char::is_uppercase)
    }

    fn normalize<'a>(&self, form: Cow<'a, str>) -> Cow<'a, str> {
        Cow::Owned(form.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    super::super::test_normalizer!(super::Case, "Dog" => "dog", "NATO" => "nato", "Élan" => "élan");
}
