//! Restores the original wording of a spun text.
//!
//! Restoration is span surgery on the suspect exactly as read: each [`Edit`]
//! names a half-open **byte** range of the suspect and the text that
//! replaces it; [`apply`] rebuilds the text and reports every edit with
//! character offsets. Edits come from a found source (the aligned
//! substitutions of a `compare` report: the facade builds those) or, with no
//! source, from the lexicon: [`tortured_edits`] reverses the Problematic
//! Paper Screener's tortured phrases ("counterfeit consciousness" back to
//! "artificial intelligence").
//!
//! # Overview
//!
//! * [`Edit`] and [`Evidence`]: one replacement and why it is believed.
//! * [`apply`]: edits to a [`Restoration`] (text plus reported edits).
//! * [`tortured_edits`]: lexicon-only edits for known tortured phrases.
//! * [`term_edits_in`]: unknown tortured phrases, restored to the
//!   established terms of the tortured-phrase list that their words could
//!   stand for ("fake consciousness" -> "artificial intelligence");
//!   [`term_edits_and_terms_in`] also gives the established terms the text
//!   writes as they are, whose words `score` does not flag.
//! * [`article_edits`]: "a"/"an" agreement with a restored word.
//! * [`number_word_edits`]: lone digits in running text back to number
//!   words ("2 men" -> "two men"), as spinners write number words as digits.
//! * [`Decoder`]: the noisy-channel decoder that restores the rest with a
//!   language model, at the spin rate it reads from the text around each
//!   edit ([`Decoder::estimate_rate`]: an original is seldom changed); each
//!   edit's confidence is the calibrated chance that it restores the
//!   original ([`confidence`], [`CALIBRATION`]).
//! * [`Spelling`]: a restored word in the text's own spelling, British or
//!   American, read from the words no edit replaced.
//! * [`Learned`]: a spinner's substitution table learned from pairs, with
//!   the counts of its originals' words ([`count_words`]).
//!
//! # Example
//!
//! ```
//! use unspin_restore::{apply, tortured_edits};
//! let suspect = "We trained a profound learning model with counterfeit consciousness.";
//! let r = apply(suspect, &tortured_edits(suspect));
//! assert_eq!(r.text, "We trained a deep learning model with artificial intelligence.");
//! assert_eq!(r.edits.len(), 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use unspin_lexicon::{Lexicon, TorturedList};
use unspin_text::{TokenizedText, Tokenizer};

mod decode;
mod learned;
mod numbers;
mod spelling;
mod terms;
pub use decode::{
    CALIBRATION, CALIBRATION_CAP, Decoder, acronym, calibration_feature, confidence, lowercase,
};
pub use learned::{
    Channels, LEARNED_FORMAT, LEARNED_VERSION, Learned, LexiconError, ONCE_SEEN_MARGIN,
    PRIOR_WEIGHT, Substitution, count_words,
};
pub use numbers::{number_word_edits, number_word_edits_in};
pub use spelling::{Spelling, Variety};
pub use terms::{established_terms_in, term_edits_and_terms_in, term_edits_in};

/// Why an edit is believed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Evidence {
    /// The wording of a found source, aligned with the suspect.
    Source,
    /// The lexicon (the tortured-phrase list read backwards).
    Lexicon,
    /// A learned spinner lexicon.
    Learned,
    /// A language model's choice among lexicon candidates.
    Lm,
}

/// One replacement: bytes `start..end` of the suspect become `restored`.
#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    /// First byte of the replaced text in the suspect.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// The restored text.
    pub restored: String,
    /// Confidence in [0, 1].
    pub confidence: f64,
    /// Why.
    pub evidence: Evidence,
}

/// A span of the suspect in characters, with its text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuspectSpan {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// The text exactly as in the suspect.
    pub text: String,
}

/// An applied edit, as reported.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppliedEdit {
    /// What was replaced, in character offsets of the suspect.
    pub suspect: SuspectSpan,
    /// What replaced it.
    pub restored: String,
    /// Confidence in [0, 1].
    pub confidence: f64,
    /// Why.
    pub evidence: Evidence,
}

/// The restored text and the edits made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Restoration {
    /// The restored text.
    pub text: String,
    /// The edits, in suspect order.
    pub edits: Vec<AppliedEdit>,
}

/// Applies `edits` to `suspect`. Edits out of bounds, off character
/// boundaries, or overlapping an earlier one are skipped; with no edits the
/// result is the suspect unchanged.
pub fn apply(suspect: &str, edits: &[Edit]) -> Restoration {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.start, e.end));
    let mut text = String::with_capacity(suspect.len());
    let mut applied = Vec::new();
    let (mut pos, mut chars) = (0usize, 0usize);
    for e in sorted {
        let valid = e.start >= pos
            && e.start <= e.end
            && e.end <= suspect.len()
            && suspect.is_char_boundary(e.start)
            && suspect.is_char_boundary(e.end);
        if !valid {
            continue;
        }
        let before = &suspect[pos..e.start];
        text.push_str(before);
        chars += before.chars().count();
        let old = &suspect[e.start..e.end];
        let n = old.chars().count();
        applied.push(AppliedEdit {
            suspect: SuspectSpan { start: chars, end: chars + n, text: old.to_string() },
            restored: e.restored.clone(),
            confidence: e.confidence,
            evidence: e.evidence,
        });
        text.push_str(&e.restored);
        chars += n;
        pos = e.end;
    }
    text.push_str(&suspect[pos..]);
    Restoration { text, edits: applied }
}

/// Edits for the known tortured phrases of `suspect` (longest match first),
/// keeping a capital initial.
pub fn tortured_edits(suspect: &str) -> Vec<Edit> {
    tortured_edits_in(&Tokenizer::default().tokenize(suspect))
}

/// [`tortured_edits`] on text already tokenized (by the default
/// tokenizer), for callers that tokenize it anyway.
pub fn tortured_edits_in(toks: &TokenizedText<'_>) -> Vec<Edit> {
    let words = toks.tokens();
    let list = Lexicon::global().tortured_list();
    tortured_phrases_in(toks, list, 1)
        .into_iter()
        // A note of the list rather than a phrase restores the word it
        // names that fits before the next word, or nothing ("meaning
        // unclear"); `score` still flags it.
        .filter_map(|(k, n, expected)| {
            let (start, end) = (words[k].span().start(), words[k + n - 1].span().end());
            let expected = tortured_wording(toks, list, k + n, expected)?;
            let restored =
                if words[k].is_capitalized() { capitalized(&expected) } else { expected };
            Some(Edit { start, end, restored, confidence: 0.9, evidence: Evidence::Lexicon })
        })
        .collect()
}

/// The wording to write for a known tortured phrase of `list` ending
/// before token `end` of `toks` whose expected phrase is `expected`
/// ([`TorturedList::wording`], told by the word after it): `None` for a
/// note of the list that names no word fitting there.
pub fn tortured_wording(
    toks: &TokenizedText<'_>,
    list: &TorturedList,
    end: usize,
    expected: &str,
) -> Option<String> {
    let next = toks.tokens().get(end).filter(|t| t.is_wordlike()).map(|t| toks.text(t));
    list.wording(expected, next.map(str::to_lowercase).as_deref())
}

/// The known tortured phrases of `list` in `toks`, of at least
/// `min_words` words: read left to right, the longest from each word, read
/// on only while a known phrase continues (no string per word). Each is
/// (first token, tokens, expected phrase).
pub fn tortured_phrases_in<'l>(
    toks: &TokenizedText<'_>,
    list: &'l TorturedList,
    min_words: usize,
) -> Vec<(usize, usize, &'l str)> {
    let words = toks.tokens();
    let max = list.max_words().max(1);
    let mut found = Vec::new();
    // Borrowed where a word is lowercase already (most are).
    let lower: Vec<Cow<'_, str>> = words.iter().map(|t| decode::lowercase(toks.text(t))).collect();
    let mut k = 0;
    let mut phrase = String::new();
    while k < words.len() {
        // The longest known phrase from word k, read on while one is.
        let mut hit = None;
        if words[k].is_wordlike() && list.starts_with(&lower[k]) {
            phrase.clear();
            for n in 1..=max.min(words.len() - k) {
                if !words[k + n - 1].is_wordlike() {
                    break;
                }
                if n > 1 {
                    phrase.push(' ');
                }
                phrase.push_str(&lower[k + n - 1]);
                if n >= min_words
                    && let Some(expected) = list.expected(&phrase)
                {
                    hit = Some((n, expected));
                }
                if !list.continues(&phrase) {
                    break;
                }
            }
        }
        match hit {
            Some((n, expected)) => {
                found.push((k, n, expected));
                k += n;
            }
            None => k += 1,
        }
    }
    found
}

/// Article agreement after restoring: where an edit's restored text follows
/// a lone "a" or "an" that no edit covers and needs the other form ("a
/// artificial intelligence", "an member"), an edit for the article. Spinners
/// adjust the article to their word ("a member of" -> "an individual
/// from"), so putting the word back must put the article back too. The
/// choice is by spelling, with the common exceptions ("an hour", "a
/// unit", "a one-off").
pub fn article_edits(suspect: &str, edits: &[Edit]) -> Vec<Edit> {
    let covered = |a: usize, b: usize| edits.iter().any(|e| e.start < b && a < e.end);
    let mut out = Vec::new();
    for e in edits {
        let Some(want_an) = wants_an(&e.restored) else { continue };
        let Some(before) = suspect.get(..e.start) else { continue };
        let trimmed = before.trim_end();
        if trimmed.len() == before.len() {
            continue;
        }
        let start = trimmed
            .char_indices()
            .rev()
            .find(|&(_, c)| !c.is_alphabetic())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let article = &trimmed[start..];
        let is_an = match article.to_lowercase().as_str() {
            "a" => false,
            "an" => true,
            _ => continue,
        };
        if is_an == want_an || covered(start, trimmed.len()) {
            continue;
        }
        let restored = match (want_an, article.starts_with('A')) {
            (true, true) => "An",
            (true, false) => "an",
            (false, true) => "A",
            (false, false) => "a",
        };
        out.push(Edit {
            start,
            end: trimmed.len(),
            restored: restored.to_string(),
            confidence: e.confidence,
            evidence: e.evidence,
        });
    }
    out
}

/// Whether `word` takes "an" (vowel sound), by spelling; `None` when it
/// does not start with a lowercase letter (names and acronyms: "a UK firm",
/// "an MP") or either article is in use ("a/an historic").
fn wants_an(word: &str) -> Option<bool> {
    let w = word.trim_start();
    let first = w.chars().next().filter(|c| c.is_lowercase())?;
    let starts = |p: &[&str]| p.iter().any(|x| w.starts_with(x));
    if starts(&["histor", "hotel", "herb"]) {
        return None;
    }
    Some(if "aeiou".contains(first) {
        !starts(&["uni", "use", "usu", "uti", "eu", "ewe", "one", "once", "ubiq", "ura"])
    } else {
        starts(&["hour", "honest", "honor", "honour", "heir"])
    })
}

/// `word` with its first letter upper-case.
pub(crate) fn capitalized(word: &str) -> String {
    let mut c = word.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn character_offsets() {
        let r = apply(
            "Café counterfeit consciousness",
            &[Edit {
                start: 6,
                end: 31,
                restored: "AI".into(),
                confidence: 1.0,
                evidence: Evidence::Source,
            }],
        );
        assert_eq!(r.text, "Café AI");
        assert_eq!((r.edits[0].suspect.start, r.edits[0].suspect.end), (5, 30));
    }

    /// Each known tortured phrase's words in `text` and its restoration.
    fn tortured_spans(text: &str) -> Vec<(&str, String)> {
        tortured_edits(text).into_iter().map(|e| (&text[e.start..e.end], e.restored)).collect()
    }

    #[test]
    fn the_longest_known_tortured_phrase_wins() {
        // "herbal language" is listed, and so is the longer phrase it
        // begins; a phrase broken by punctuation is read up to it.
        let text = "Herbal language processing works. Herbal language, processing.";
        assert_eq!(
            tortured_spans(text),
            [
                ("Herbal language processing", "Natural language processing".to_string()),
                ("Herbal language", "Natural language".to_string())
            ]
        );
    }

    #[test]
    fn a_note_of_the_list_restores_the_word_it_names_that_fits() {
        // The list notes "area unit" as "the word ‘are’ ...", "associate
        // in nursing" as either of ‘an’ and ‘are’, and "vicinity unit" as
        // "area unit".
        let text = "The results area unit shown, associate in nursing example too. \
                    Associate in nursing shown. Values vicinity unit low.";
        let restored: Vec<String> = tortured_spans(text).into_iter().map(|s| s.1).collect();
        assert_eq!(restored, ["are", "an", "Are", "are"]);
        // No word after it: nothing to tell the two apart.
        assert!(tortured_spans("It is associate in nursing").is_empty());
    }

    #[test]
    fn articles_follow_the_restored_word() {
        let e = |s, t, r: &str| Edit {
            start: s,
            end: t,
            restored: r.into(),
            confidence: 0.8,
            evidence: Evidence::Lm,
        };
        let text = "He is an individual from a fake consciousness lab. A idea.";
        let edits = vec![e(9, 19, "member"), e(27, 45, "artificial intelligence")];
        let mut all = edits.clone();
        all.extend(article_edits(text, &edits));
        assert_eq!(
            apply(text, &all).text,
            "He is a member from an artificial intelligence lab. A idea."
        );
        // Already right, not an article, or a capital kept.
        assert!(article_edits("a unit", &[e(2, 6, "union")]).is_empty());
        assert!(article_edits("data", &[e(0, 4, "item")]).is_empty());
        let cap = article_edits("A dog", &[e(2, 5, "owl")]);
        assert_eq!(cap[0].restored, "An");
        assert!(article_edits("a dog", &[e(2, 5, "Uk")]).is_empty(), "acronyms and names stay");
        assert!(article_edits("an epic", &[e(3, 7, "historic")]).is_empty());
        assert_eq!(article_edits("an honour", &[e(3, 9, "hour")]), vec![]);
    }

    #[test]
    fn overlapping_and_invalid_edits_are_skipped() {
        let e = |s, t, r: &str| Edit {
            start: s,
            end: t,
            restored: r.into(),
            confidence: 1.0,
            evidence: Evidence::Source,
        };
        let r = apply("abcdef", &[e(0, 3, "X"), e(2, 4, "Y"), e(9, 12, "Z"), e(5, 4, "W")]);
        assert_eq!(r.text, "Xdef");
        assert_eq!(r.edits.len(), 1);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        #[test]
        fn no_edits_is_the_identity(s in "\\PC{0,100}") {
            prop_assert_eq!(apply(&s, &[]).text, s.clone());
            let _ = tortured_edits(&s);
        }

        #[test]
        fn term_and_article_edits_lie_on_character_boundaries(
            s in "(\\PC|[aA]n? |fake |consciousness |profound |learning )\\PC{0,3}{0,30}",
            at in 0usize..200,
        ) {
            let tt = Tokenizer::default().tokenize(&s);
            let list = Lexicon::global().tortured_list();
            let mut edits = term_edits_in(&tt, list, None);
            // An edit anywhere, even off a character boundary.
            edits.push(Edit {
                start: at,
                end: at + 1,
                restored: "owl".into(),
                confidence: 0.5,
                evidence: Evidence::Lm,
            });
            for e in term_edits_in(&tt, list, None).iter().chain(&article_edits(&s, &edits)) {
                prop_assert!(s.is_char_boundary(e.start) && s.is_char_boundary(e.end));
                prop_assert!(e.start <= e.end && e.end <= s.len());
            }
        }
    }
}
