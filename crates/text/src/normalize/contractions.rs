//! Contractions to their long forms: `didn't` and `did not` agree.

use super::Normalizer;
use std::borrow::Cow;

/// Expands English contractions; the result may hold a space.
/// Possessive `'s` is left alone (it is ambiguous with `is`).
pub struct Contractions;

const IRREGULAR: &[(&str, &str)] = &[
    ("ain't", "is not"),
    ("can't", "can not"),
    ("cannot", "can not"),
    ("i'm", "i am"),
    ("let's", "let us"),
    ("shan't", "shall not"),
    ("won't", "will not"),
];

const SUFFIXES: &[(&str, &str)] =
    &[("n't", " not"), ("'re", " are"), ("'ll", " will"), ("'ve", " have"), ("'d", " would")];

impl Normalizer for Contractions {
    fn name(&self) -> &'static str {
        "contractions"
    }

    fn should_normalize(&self, form: &str) -> bool {
        form.contains('\'') || form == "cannot"
    }

    fn normalize<'a>(&self, form: Cow<'a, str>) -> Cow<'a, str> {
        if let Some((_, long)) = IRREGULAR.iter().find(|(short, _)| *short == form) {
            return Cow::Borrowed(long);
        }
        for (suffix, long) in SUFFIXES {
            if let Some(stem) = form.strip_suffix(suffix)
                && !stem.is_empty()
                && !stem.contains(' ')
            {
                return Cow::Owned(format!("{stem}{long}"));
            }
        }
        form
    }
}

#[cfg(test)]
mod tests {
    super::super::test_normalizer!(super::Contractions,
        "didn't" => "did not", "won't" => "will not", "they're" => "they are",
        "man's" => "man's", "cannot" => "can not");
}
