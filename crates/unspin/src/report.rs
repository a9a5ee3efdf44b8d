use serde::{Deserialize, Serialize};

pub use unspin_explain::SubstitutionKind;

/// What the suspect is, relative to the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Verdict {
    /// Passages cover a substantial part of a text and at most 3 % of their
    /// tokens differ after normalization (formatting changes do not count).
    Copy,
    /// Passages cover a substantial part of a text, 3-65 % of their tokens
    /// differ, and the changes are mostly in place (replacements rather than
    /// insertions and deletions): the skeleton of the source survives, the
    /// signature of an article spinner.
    Spun,
    /// Passages exist but the changes are heavier or mostly insertions,
    /// deletions and reorderings: a rewrite that still follows the source.
    Paraphrase,
    /// No passage of substance: the texts share no reused text.
    Unrelated,
}

impl Verdict {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Copy => "copy",
            Verdict::Spun => "spun",
            Verdict::Paraphrase => "paraphrase",
            Verdict::Unrelated => "unrelated",
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A half-open range of **character** offsets (Unicode scalar values, as PAN
/// counts them) into a text exactly as read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CharRange {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

/// A character range with the text it covers.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TextRange {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// The covered text, exactly as in the input.
    pub text: String,
}

/// An aligned pair of passages.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PassageReport {
    /// The passage in the source.
    pub source: CharRange,
    /// The passage in the suspect.
    pub suspect: CharRange,
}

/// One substitution: what the source said, what the suspect says instead.
/// For an insertion the source range is empty (at the insertion point); for a
/// deletion the suspect range is.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SubstitutionReport {
    /// The source side.
    pub source: TextRange,
    /// The suspect side.
    pub suspect: TextRange,
    /// What kind of change it is.
    pub kind: SubstitutionKind,
}

/// Token counts behind the score.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Stats {
    /// Tokens (words, numbers, punctuation) in the source.
    pub source_tokens: usize,
    /// Tokens in the suspect.
    pub suspect_tokens: usize,
    /// Suspect tokens inside aligned passages.
    pub aligned_tokens: usize,
    /// Suspect tokens inside substitutions (format changes included).
    pub substituted_tokens: usize,
    /// Content words (not function words, numbers or punctuation) the
    /// passages keep unchanged: the anchors that make reuse evidence.
    #[serde(default)]
    pub anchor_words: usize,
}

/// The result of comparing a source and a suspect: the JSON contract shared
/// by `unspin compare --format json`, `unspin check`, the HTTP API and the
/// Python layer.
///
/// ```json
/// { "verdict": "spun", "spin_score": 0.83,
///   "passages": [ {"source": {"start": 0, "end": 7050}, "suspect": {"start": 0, "end": 7325}} ],
///   "substitutions": [ {"source": {"start": 12, "end": 15, "text": "top"},
///                       "suspect": {"start": 4, "end": 11, "text": "highest"}, "kind": "synonym"} ],
///   "stats": {"source_tokens": 0, "suspect_tokens": 0, "aligned_tokens": 0, "substituted_tokens": 0} }
/// ```
///
/// * `verdict`: one of `copy`, `spun`, `paraphrase`, `unrelated`
///   (see [`Verdict`]).
/// * `spin_score`: in [0, 1], how much of the suspect is a spun copy of the
///   source: the share of suspect tokens inside passages, times
///   `min(1, changed / 0.25)` where `changed` is the share of passage tokens
///   that differ, times the share of changes made in place (replacements
///   rather than insertions or deletions), weighted `0.5 + 0.5 × share`. A
///   verbatim copy and an unrelated text both score 0; a whole text spun the
///   way spinners do (a quarter of the words swapped in place) scores near 1.
/// * `passages`: aligned passage pairs, ordered by suspect position, with
///   **character** offsets (Unicode scalar values), half-open, into the texts
///   exactly as read.
/// * `substitutions`: every change inside the passages, in suspect order,
///   phrase level, with character offsets and text on both sides, and a
///   `kind`: `synonym`, `broken-term`, `function-word`, `format`,
///   `insertion`, `deletion` or `rewrite` (see [`SubstitutionKind`]).
/// * `stats`: the token counts behind the score (see [`Stats`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The verdict.
    pub verdict: Verdict,
    /// The spin score in [0, 1].
    pub spin_score: f64,
    /// Aligned passages.
    pub passages: Vec<PassageReport>,
    /// Substitutions inside the passages.
    pub substitutions: Vec<SubstitutionReport>,
    /// Token counts.
    pub stats: Stats,
}
