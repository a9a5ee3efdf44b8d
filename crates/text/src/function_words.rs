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

/// The function words that are grammar alone: articles, determiners,
/// pronouns, auxiliaries and modals, conjunctions, the core prepositions
/// and question words (sorted; a subset of the function words). Unlike
/// "many", "often" or "about", which spinners write as "numerous",
/// "frequently", "approximately", no spinner writes one of these as a
/// single content word, though a thesaurus lists "in" under "clout" and
/// "have" under "fleece".
#[rustfmt::skip]
const GRAMMATICAL: &[&str] = &[
    "a", "against", "although", "am", "an", "and", "are", "as", "at", "be", "because", "been",
    "being", "but", "by", "can", "could", "did", "do", "does", "doing", "for", "from", "had",
    "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his",
    "how", "i", "if", "in", "into", "is", "it", "its", "itself", "may", "me", "might", "must",
    "my", "myself", "nor", "of", "off", "on", "onto", "or", "our", "ours", "ourselves", "out",
    "over", "per", "shall", "she", "should", "so", "than", "that", "the", "their", "theirs",
    "them", "themselves", "then", "there", "these", "they", "this", "those", "though", "to",
    "under", "up", "us", "via", "was", "we", "were", "what", "when", "where", "whereas", "whether",
    "which", "while", "who", "whom", "whose", "why", "will", "with", "would", "you", "your",
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

/// Whether a lowercase word is a function word that is grammar alone
/// (an article, pronoun, auxiliary, conjunction, core preposition or
/// question word), never a spinner's single content word.
///
/// ```
/// assert!(unspin_text::is_grammatical_word("in"));
/// assert!(!unspin_text::is_grammatical_word("many"));
/// ```
pub fn is_grammatical_word(lowercase: &str) -> bool {
    GRAMMATICAL.binary_search(&lowercase).is_ok()
}

/// Slots of [`is_function_hash`]'s table: a power of two, about six times
/// the function words, so that a lookup mostly reads one slot (8 KiB, in
/// the L1 cache).
const HASH_SLOTS: usize = 1024;

/// Whether an xxh3 hash of a lowercase word is that of a function word.
/// Asked of nearly every word a tokenizer reads: an open-addressing table
/// of the words' hashes (0 marks an empty slot; no function word hashes
/// to 0, which a test checks).
pub(crate) fn is_function_hash(hash: u64) -> bool {
    static TABLE: OnceLock<Box<[u64]>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = vec![0u64; HASH_SLOTS].into_boxed_slice();
        for w in WORDS {
            let h = xxh3_64(w.as_bytes());
            let mut i = h as usize % HASH_SLOTS;
            while t[i] != 0 && t[i] != h {
                i = (i + 1) % HASH_SLOTS;
            }
            t[i] = h;
        }
        t
    });
    let mut i = hash as usize % HASH_SLOTS;
    loop {
        match table[i] {
            // An empty slot ends the probe first, so a hash of 0 is never
            // found.
            0 => return false,
            h if h == hash => return true,
            _ => i = (i + 1) % HASH_SLOTS,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn grammatical_words_are_sorted_function_words() {
        let g = super::GRAMMATICAL;
        assert!(g.windows(2).all(|w| w[0] < w[1]), "help: keep GRAMMATICAL sorted");
        assert!(g.iter().all(|w| super::is_function_word(w)), "help: a subset of WORDS");
    }

    #[test]
    fn every_function_word_and_no_other_word_is_found_by_its_hash() {
        use xxhash_rust::xxh3::xxh3_64;
        assert!(super::WORDS.len() * 2 < super::HASH_SLOTS, "help: more slots");
        for w in super::WORDS {
            let h = xxh3_64(w.as_bytes());
            assert_ne!(h, 0, "{w}: 0 marks an empty slot");
            assert!(super::is_function_hash(h), "{w}");
        }
        for w in ["dog", "pooch", "thee", "", "The", "froms", "a b"] {
            assert!(!super::is_function_hash(xxh3_64(w.as_bytes())), "{w}");
        }
        assert!(!super::is_function_hash(0));
    }

    #[test]
    fn sorted() {
        assert!(super::WORDS.windows(2).all(|w| w[0] < w[1]), "help: keep WORDS sorted");
    }
}
