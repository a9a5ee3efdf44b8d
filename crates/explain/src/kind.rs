use serde::{Deserialize, Serialize};

/// What a substitution is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum SubstitutionKind {
    /// Backed by the lexicon: thesaurus synonyms (either direction, with base
    /// forms), equal stems, or a known tortured phrase.
    Synonym,
    /// A part of a proper name or fixed term replaced (`Arctic Council` to
    /// `Arctic Chamber`): the source side holds a capitalized word that is not
    /// merely sentence-initial.
    BrokenTerm,
    /// Only function words changed (`a member of` to `an individual from` has
    /// content words too and is not one; `of` to `from` is).
    FunctionWord,
    /// The same words written differently: digits vs number words,
    /// contractions, British/American spelling, case, quotes, hyphens,
    /// punctuation.
    Format,
    /// Words only in the suspect.
    Insertion,
    /// Words only in the source.
    Deletion,
    /// Anything else: a replacement the lexicon does not explain.
    Rewrite,
}

impl SubstitutionKind {
    /// The name used in reports, e.g. `broken-term`.
    pub fn as_str(self) -> &'static str {
        match self {
            SubstitutionKind::Synonym => "synonym",
            SubstitutionKind::BrokenTerm => "broken-term",
            SubstitutionKind::FunctionWord => "function-word",
            SubstitutionKind::Format => "format",
            SubstitutionKind::Insertion => "insertion",
            SubstitutionKind::Deletion => "deletion",
            SubstitutionKind::Rewrite => "rewrite",
        }
    }
}

impl std::fmt::Display for SubstitutionKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
