//! Typographic quotes, apostrophes and dashes to their ASCII forms.

use super::Normalizer;
use std::borrow::Cow;

/// `’` to `'`, `“` to `"`, `–` and `—` to `-`.
pub struct Quotes;

fn map(c: char) -> Option<char> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        _ => return None,
    })
}

impl Normalizer for Quotes {
    fn name(&self) -> &'static str {
        "quotes"
    }

    fn should_normalize(&self, form: &str) -> bool {
        form.chars().any(|c| map(c).is_some())
    }

    fn normalize<'a>(&self, form: Cow<'a, str>) -> Cow<'a, str> {
        Cow::Owned(form.chars().map(|c| map(c).unwrap_or(c)).collect())
    }
}

#[cfg(test)]
mod tests {
    super::super::test_normalizer!(super::Quotes,
        "didn’t" => "didn't", "“" => "\"", "—" => "-", "dog" => "dog");
}
