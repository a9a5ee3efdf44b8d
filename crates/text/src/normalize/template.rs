//! A template: copy this file to add a normalizer, rename the struct, fill in
//! the two methods, list it in `LOSSLESS` or `LOSSY` in `mod.rs`, and keep the
//! table test below (the macro also checks idempotence).

use super::Normalizer;
use std::borrow::Cow;

/// Replaces the ASCII "per cent" spelling by "percent" (an example only).
pub struct Template;

impl Normalizer for Template {
    fn name(&self) -> &'static str {
        "template"
    }

    fn should_normalize(&self, form: &str) -> bool {
        form.contains("per cent")
    }

    fn normalize<'a>(&self, form: Cow<'a, str>) -> Cow<'a, str> {
        Cow::Owned(form.replace("per cent", "percent"))
    }
}

#[cfg(test)]
mod tests {
    super::super::test_normalizer!(super::Template, "per cent" => "percent", "dog" => "dog");
}
