//! Normalization: an ordered list of small, single-purpose normalizers.
//!
//! Normalizers only ever change a token's *normalized* form; the span of the
//! token into the original text is never touched. They run in the order of
//! [`LOSSLESS`] then [`LOSSY`]: the lossless ones only remove differences of
//! encoding (Unicode width, curly quotes, case), the lossy ones also merge
//! distinct spellings of the same word (British/American spelling, number
//! words and digits, contractions).
//!
//! To add one, copy `template.rs`, and list it in the order below.

mod case;
mod contractions;
mod hyphenation;
mod nfkc;
mod numbers;
pub use numbers::{number_name, number_word};
mod quotes;
mod spelling;
pub use spelling::{american_spelling, british_spelling};
#[cfg(test)]
mod template;

use std::borrow::Cow;

/// One normalization step.
pub trait Normalizer: Send + Sync {
    /// A short name, e.g. `"case"`.
    fn name(&self) -> &'static str;
    /// Whether the step could change this form; cheap, checked first.
    fn should_normalize(&self, form: &str) -> bool;
    /// Normalizes `form`; called only when [`Normalizer::should_normalize`] said so.
    fn normalize<'a>(&self, form: Cow<'a, str>) -> Cow<'a, str>;
}

/// Lossless normalizers, in order: NFKC, quotes/apostrophes/dashes, case.
pub static LOSSLESS: &[&dyn Normalizer] = &[&nfkc::Nfkc, &quotes::Quotes, &case::Case];

/// Lossy normalizers, in order: hyphenation, British/American spelling,
/// number words to digits, contractions.
pub static LOSSY: &[&dyn Normalizer] = &[
    &hyphenation::Hyphenation,
    &spelling::Spelling,
    &numbers::NumberWords,
    &contractions::Contractions,
];

/// The lossy normalizers that can change a word of ASCII small letters
/// alone, in [`LOSSY`]'s order: no lossless one changes such a word (it
/// has no wide or compatibility form, quote or capital), nor does
/// hyphenation (it removes invisible non-ASCII characters).
static LOSSY_LOWERCASE: &[&dyn Normalizer] =
    &[&spelling::Spelling, &numbers::NumberWords, &contractions::Contractions];

/// Whether `form` is ASCII small letters alone (most words of a text).
fn is_ascii_lowercase(form: &str) -> bool {
    form.bytes().all(|b| b.is_ascii_lowercase())
}

/// [`apply`] of [`LOSSLESS`], which leaves ASCII small letters as they are.
pub(crate) fn lossless(form: &str) -> Cow<'_, str> {
    if is_ascii_lowercase(form) {
        Cow::Borrowed(form)
    } else {
        apply(LOSSLESS, Cow::Borrowed(form))
    }
}

/// [`apply`] of [`LOSSY`], with fewer checks for ASCII small letters.
pub(crate) fn lossy(form: Cow<'_, str>) -> Cow<'_, str> {
    let list = if is_ascii_lowercase(&form) { LOSSY_LOWERCASE } else { LOSSY };
    apply(list, form)
}

/// Runs `list` over `form` in order.
pub fn apply<'a>(list: &[&dyn Normalizer], mut form: Cow<'a, str>) -> Cow<'a, str> {
    for n in list {
        if n.should_normalize(&form) {
            form = n.normalize(form);
        }
    }
    form
}

/// Normalizes a single word the way the tokenizer does (lossless then lossy).
///
/// ```
/// assert_eq!(unspin_text::normalize("Colour"), "color");
/// assert_eq!(unspin_text::normalize("Two"), "2");
/// assert_eq!(unspin_text::normalize("didn’t"), "did not");
/// ```
pub fn normalize(word: &str) -> String {
    normalized(word).into_owned()
}

/// [`normalize`], borrowing `word` where no normalizer changes it (most
/// lowercase words): for hashing a word without copying it.
///
/// ```
/// use std::borrow::Cow;
/// assert!(matches!(unspin_text::normalize::normalized("dog"), Cow::Borrowed("dog")));
/// assert_eq!(unspin_text::normalize::normalized("Colour"), "color");
/// ```
pub fn normalized(word: &str) -> Cow<'_, str> {
    lossy(lossless(word))
}

#[cfg(test)]
macro_rules! test_normalizer {
    ($normalizer:expr, $($input:expr => $expected:expr),+ $(,)?) => {
        #[test]
        fn table() {
            use std::borrow::Cow;
            use $crate::normalize::Normalizer;
            let n = $normalizer;
            $(
                let got = if n.should_normalize($input) {
                    n.normalize(Cow::Borrowed($input)).into_owned()
                } else {
                    $input.to_string()
                };
                assert_eq!(got, $expected, "help: normalizer `{}` on {:?}", n.name(), $input);
                // Idempotent: normalizing the output changes nothing.
                let again = if n.should_normalize(&got) {
                    n.normalize(Cow::Borrowed(got.as_str())).into_owned()
                } else {
                    got.clone()
                };
                assert_eq!(again, got, "help: normalizer `{}` is not idempotent", n.name());
            )+
        }
    };
}
#[cfg(test)]
pub(crate) use test_normalizer;
