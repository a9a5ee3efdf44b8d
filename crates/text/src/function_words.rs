//! English function words: articles, pronouns, prepositions, conjunctions,
//! auxiliaries and common adverbs that carry grammar rather than content.

use std::sync::OnceLock;

use xxhash_rust::xxh3::xxh3_64;

// Sorted; checked by a test.
const WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "across",
    "after",
    "again",
    "against",
    "all",
    "almost",
    "along",
    "already",
    "also",
    "although",
    "always",
    "am",
    "among",
    "an",
    "and",
    "another",
    "any",
    "are",
    "around",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "either",
    "else",
    "even",
    "ever",
    "every",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "however",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "least",
    "less",
    "may",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "myself",
    "neither",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "onto",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "per",
    "quite",
    "rather",
    "same",
    "shall",
    "she",
    "should",
    "since",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "through",
    "throughout",
    "thus",
    "till",
    "to",
    "too",
    "toward",
    "towards",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "via",
    "was",
    "we",
    "were",
    "what",
    "whatever",
    "when",
    "where",
    "whereas",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "yet",
    "you",
    "your",
    "yours",
];

/// The English function words (lowercase, sorted).
///
/// ```
/// assert!(unspin_text::function_words().contains(&"the"));
/// ```
pub fn function_words() -> &'static [&'static str] {
    WORDS
}

/// Whether a lowercase word is an English function word.
///
/// ```
/// assert!(unspin_text::is_function_word("the"));
/// assert!(!unspin_text::is_function_word("dog"));
/// ```
pub fn is_function_word(lowercase: &str) -> bool {
    lowercase.len() <= 10 && is_function_hash(xxh3_64(lowercase.as_bytes()))
}

/// Whether an xxh3 hash of a lowercase word is that of a function word.
pub(crate) fn is_function_hash(hash: u64) -> bool {
    static HASHES: OnceLock<Vec<u64>> = OnceLock::new();
    let set = HASHES.get_or_init(|| {
        let mut v: Vec<u64> = WORDS.iter().map(|w| xxh3_64(w.as_bytes())).collect();
        v.sort_unstable();
        v
    });
    set.binary_search(&hash).is_ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn sorted() {
        assert!(super::WORDS.windows(2).all(|w| w[0] < w[1]), "help: keep WORDS sorted");
    }
}
