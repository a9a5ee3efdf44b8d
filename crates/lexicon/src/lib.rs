//! Lexicon lookups for unspin: synonyms from the Moby and WordNet thesauri,
//! English stemming, and the tortured-phrase list of the Problematic Paper
//! Screener.
//!
//! Spinners are context-free thesaurus swaps, so the thesauri they draw from
//! explain most of their substitutions (Moby about two thirds of single-word
//! swaps, WordNet about half). This crate answers "could a spinner have
//! written *b* for *a*?" quickly and without start-up cost: the thesauri are
//! compiled by `build.rs` into a compact sorted term table and adjacency lists
//! (about 19 MB) that are read in place from the binary, never parsed at run
//! time.
//!
//! # Overview
//!
//! * [`Lexicon`]: the shared, immutable lookup object ([`Lexicon::global`]).
//! * [`Lexicon::related`]: whether two words or phrases are thesaurus
//!   synonyms, trying base forms of inflected words (`bred`/`reared`).
//! * [`Lexicon::replacements`] / [`Lexicon::originals`]: the terms a spinner
//!   could write for a term, and the terms it could have replaced.
//! * [`Lexicon::tortured`] / [`Lexicon::tortured_sources`]: the tortured-phrase
//!   list, both ways; [`TorturedList`] also holds the established terms it
//!   restores to and the word swaps it teaches, and can be built from part
//!   of the list.
//! * [`Lexicon::stem`]: Snowball English stemming.
//! * [`inflections`] / [`inflect`] / [`Lexicon::inflected_terms`]: regular
//!   English inflection both ways ("puppies" is "puppy" plural; "role"
//!   plural is "roles"), as spinners keep a word's inflection and the
//!   thesauri list base forms.
//!
//! # Example
//!
//! ```
//! use unspin_lexicon::Lexicon;
//! let lex = Lexicon::global();
//! assert!(lex.related("domestic", "residential"));
//! assert!(lex.related("dogs", "canines"));
//! assert!(!lex.related("dog", "carburetor"));
//! assert_eq!(lex.tortured("counterfeit consciousness"), Some("artificial intelligence"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

mod inflect;
mod table;
mod tortured;

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

pub use crate::inflect::{Inflection, inflect, inflections};
use crate::table::Table;
pub use crate::table::{Relation, TermId};
pub use crate::tortured::{
    TERM_MAX_FAN_OUT, TorturedList, notes_a_term, restored_text, term_words,
};

/// The lexicon: thesauri, stemmer and tortured phrases. Immutable,
/// `Send + Sync`; get the shared instance with [`Lexicon::global`].
pub struct Lexicon {
    table: Table,
    stemmer: Stemmer,
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon").field("terms", &self.table.len()).finish()
    }
}

impl Lexicon {
    /// The shared lexicon; the first call costs microseconds (the tables are
    /// read in place from the binary).
    pub fn global() -> &'static Lexicon {
        static LEX: OnceLock<Lexicon> = OnceLock::new();
        LEX.get_or_init(|| Lexicon {
            table: Table::open(),
            stemmer: Stemmer::create(Algorithm::English),
        })
    }

    /// Number of terms (words and phrases) in the thesauri.
    pub fn term_count(&self) -> usize {
        self.table.len()
    }

    /// All terms, in sorted order.
    pub fn terms(&self) -> impl Iterator<Item = &'static str> + '_ {
        (0..self.table.len() as u32).map(|k| self.table.term(TermId(k)))
    }

    /// The id of a lowercase term (a word or a phrase with single spaces).
    pub fn term_id(&self, term: &str) -> Option<TermId> {
        self.table.id(term)
    }

    /// Whether some term of the thesauri is `words` (a lowercase word or
    /// phrase) followed by more words: "fill the" continues, "puppy" does
    /// not.
    pub fn continues(&self, words: &str) -> bool {
        self.table.continues(words.as_bytes())
    }

    /// The text of a term.
    pub fn term(&self, id: TermId) -> &'static str {
        self.table.term(id)
    }

    /// The bytes of a term's text, not checked as UTF-8 the way
    /// [`Lexicon::term`] checks them: for a quick test of many terms
    /// (their length, how they begin) before any is read as text.
    ///
    /// ```
    /// let lex = unspin_lexicon::Lexicon::global();
    /// let id = lex.term_id("dog").expect("a term");
    /// assert_eq!(lex.term_bytes(id), b"dog");
    /// ```
    pub fn term_bytes(&self, id: TermId) -> &'static [u8] {
        self.table.term_bytes(id.as_u32() as usize)
    }

    /// The thesaurus relation of two terms, if any.
    pub fn relation(&self, a: TermId, b: TermId) -> Option<Relation> {
        self.table.relation(a, b)
    }

    /// All thesaurus neighbours of a term, with their relation.
    pub fn neighbors(&self, id: TermId) -> impl Iterator<Item = (TermId, Relation)> + '_ {
        self.table.neighbors(id)
    }

    /// Terms a spinner could write in place of `term` (its thesaurus entries).
    pub fn replacements(&self, term: &str) -> Vec<&'static str> {
        self.directed(term, |r| r.is_forward())
    }

    /// How many replacements a spinner has for `term` (the length of
    /// [`Lexicon::replacements`], without building it).
    pub fn fan_out(&self, term: &str) -> usize {
        self.table.id(&term.to_lowercase()).map_or(0, |id| self.fan_out_of(id))
    }

    /// The fan-out of the term `id` ([`Lexicon::fan_out`]), counted when
    /// the tables were built (0 for an id of no term).
    pub fn fan_out_of(&self, id: TermId) -> usize {
        if (id.as_u32() as usize) < self.table.len() { self.table.fan_out(id) } else { 0 }
    }

    /// The ids of the terms a spinner could have replaced by the term
    /// `id` ([`Lexicon::originals`]), each with its [`Lexicon::fan_out`]:
    /// what a noisy-channel restorer weighs for every candidate. No term
    /// text is read.
    pub fn original_ids_with_fan_out(
        &self,
        id: TermId,
    ) -> impl Iterator<Item = (TermId, usize)> + '_ {
        self.original_ids(id).map(move |n| (n, self.fan_out_of(n)))
    }

    /// The ids of the terms a spinner could have replaced by the term `id`
    /// ([`Lexicon::originals`]), without their fan-outs.
    pub fn original_ids(&self, id: TermId) -> impl Iterator<Item = TermId> + '_ {
        self.table
            .neighbors(id)
            .filter(|(_, r)| r.moby_reverse() || r.wordnet_reverse())
            .map(|(n, _)| n)
    }

    /// Terms a spinner could have replaced by `term` (the reverse lookup).
    pub fn originals(&self, term: &str) -> Vec<&'static str> {
        self.directed(term, |r| r.moby_reverse() || r.wordnet_reverse())
    }

    fn directed(&self, term: &str, keep: impl Fn(Relation) -> bool) -> Vec<&'static str> {
        let Some(id) = self.table.id(&term.to_lowercase()) else { return Vec::new() };
        self.table
            .neighbors(id)
            .filter(|(_, r)| keep(*r))
            .map(|(n, _)| self.table.term(n))
            .collect()
    }

    /// The Snowball English stem of a lowercase word.
    pub fn stem<'a>(&self, word: &'a str) -> std::borrow::Cow<'a, str> {
        self.stemmer.stem(word)
    }

    /// Candidate dictionary forms of a lowercase word: the word itself and
    /// forms with common English inflections removed (`dogs` → `dog`,
    /// `bred` stays, `tamed` → `tame`, `wolves` → `wolf`), those that are
    /// thesaurus terms only.
    pub fn base_forms(&self, word: &str) -> Vec<TermId> {
        let mut out: Vec<TermId> = Vec::with_capacity(3);
        let mut push = |s: &str| {
            if let Some(id) = self.table.id(s)
                && !out.contains(&id)
            {
                out.push(id);
            }
        };
        push(word);
        if word.contains(' ') || word.len() < 4 {
            return out;
        }
        const RULES: &[(&str, &str)] = &[
            ("ies", "y"),
            ("ves", "f"),
            ("es", ""),
            ("s", ""),
            ("ied", "y"),
            ("ed", ""),
            ("ed", "e"),
            ("d", ""),
            ("ing", ""),
            ("ing", "e"),
            ("ly", ""),
            ("ily", "y"),
            ("er", ""),
            ("est", ""),
        ];
        let mut buf = String::with_capacity(word.len() + 2);
        for (suffix, repl) in RULES {
            if let Some(stem) = word.strip_suffix(suffix)
                && stem.len() >= 2
            {
                buf.clear();
                buf.push_str(stem);
                buf.push_str(repl);
                push(&buf);
                // Doubled consonant: `stopped` -> `stop`.
                let b = stem.as_bytes();
                let n = b.len();
                if n >= 3
                    && b[n - 1].is_ascii_alphabetic()
                    && b[n - 1] == b[n - 2]
                    && repl.is_empty()
                {
                    push(&stem[..stem.len() - 1]);
                }
            }
        }
        out
    }

    /// The thesaurus terms `word` (lowercase) is a regular inflection of,
    /// with the inflection ([`inflections`]): "puppies" is "puppy" in
    /// [`Inflection::S`]. The word itself is not among them.
    pub fn inflected_terms(&self, word: &str) -> Vec<(TermId, Inflection)> {
        inflections(word)
            .into_iter()
            .filter_map(|(base, how)| self.table.id(&base).map(|id| (id, how)))
            .collect()
    }

    /// Whether `a` and `b` (lowercase words or phrases) are synonyms in the
    /// thesauri, in either direction, trying their base forms.
    pub fn related(&self, a: &str, b: &str) -> bool {
        self.relation_of(a, b).is_some()
    }

    /// The thesaurus relation of `a` and `b`, trying their base forms.
    pub fn relation_of(&self, a: &str, b: &str) -> Option<Relation> {
        let (fa, fb) = (self.base_forms(a), self.base_forms(b));
        for &x in &fa {
            for &y in &fb {
                if let Some(r) = self.table.relation(x, y) {
                    return Some(r);
                }
            }
        }
        None
    }

    /// The bundled tortured-phrase list ([`TorturedList::bundled`]).
    pub fn tortured_list(&self) -> &'static TorturedList {
        TorturedList::bundled()
    }

    /// The expected phrase for a known tortured phrase (lowercase).
    pub fn tortured(&self, phrase: &str) -> Option<&'static str> {
        self.tortured_list().expected(phrase)
    }

    /// The known tortured forms of an expected phrase (lowercase).
    pub fn tortured_sources(&self, expected: &str) -> &'static [String] {
        self.tortured_list().sources(expected)
    }
}

#[cfg(test)]
mod tests {
    use super::{Inflection, Lexicon};

    macro_rules! t {
        ($name:ident, $a:expr, $b:expr, $want:expr) => {
            #[test]
            fn $name() {
                assert_eq!(
                    Lexicon::global().related($a, $b),
                    $want,
                    "help: thesaurus relation of {:?} and {:?}",
                    $a,
                    $b
                );
            }
        };
    }

    #[test]
    fn inflected_words_lead_to_their_base_terms() {
        let lex = Lexicon::global();
        let bases = |w: &str| -> Vec<(&str, Inflection)> {
            lex.inflected_terms(w).into_iter().map(|(id, how)| (lex.term(id), how)).collect()
        };
        assert!(bases("puppies").contains(&("puppy", Inflection::S)));
        assert!(bases("hunting").contains(&("hunt", Inflection::Ing)));
        assert!(bases("widely").contains(&("wide", Inflection::Ly)));
        assert!(bases("puppy").is_empty(), "{:?}", bases("puppy"));
    }

    t!(plain, "domestic", "residential", true);
    t!(inflected, "breeding", "reared", true);
    t!(plural, "behaviors", "practices", true);
    t!(reversed, "residential", "domestic", true);
    t!(phrase, "in shape", "fit", true);
    t!(unrelated, "dog", "carburetor", false);
    t!(multibyte_no_panic, "𒓓𒓓ed", "ééing", false);

    #[test]
    fn directions() {
        let lex = Lexicon::global();
        assert!(lex.replacements("dog").contains(&"hound"));
        assert!(lex.originals("hound").contains(&"dog"));
        assert!(lex.term_count() > 100_000);
    }

    #[test]
    fn continued_terms() {
        let lex = Lexicon::global();
        // The binary search needs the terms in byte order.
        let terms: Vec<&str> = lex.terms().collect();
        assert!(terms.windows(2).all(|w| w[0].as_bytes() < w[1].as_bytes()));
        assert!(lex.continues("fill") && lex.continues("fill the"));
        // Checked against a plain scan of the sorted terms.
        for words in ["fill the bill", "puppy", "canines", "in", "in shape", "dog"] {
            let scan = terms.iter().any(|t| t.starts_with(&format!("{words} ")));
            assert_eq!(lex.continues(words), scan, "{words}");
        }
        assert!(lex.continues("puppy") && !lex.continues("fill the bill"));
        assert!(!lex.continues("zzzzzz"));
        // The prefix filter lets no word prefix of a term through.
        for t in &terms {
            for (i, _) in t.match_indices(' ') {
                assert!(lex.continues(&t[..i]), "{t}");
            }
        }
        // And the terms it passes wrongly are caught by the search.
        let begins = |w: &str| {
            let p = format!("{w} ");
            let k = terms.partition_point(|t| *t < p.as_str());
            terms.get(k).is_some_and(|t| t.starts_with(&p))
        };
        for t in terms.iter().step_by(7) {
            assert_eq!(lex.continues(t), begins(t), "{t}");
        }
    }

    #[test]
    fn tortured_both_ways() {
        let lex = Lexicon::global();
        assert!(lex.tortured_list().continues("counterfeit"));
        assert!(!lex.tortured_list().continues("counterfeit consciousness"));
        assert_eq!(lex.tortured("counterfeit consciousness"), Some("artificial intelligence"));
        assert!(
            lex.tortured_sources("artificial intelligence")
                .iter()
                .any(|s| s == "counterfeit consciousness")
        );
    }

    #[test]
    fn send_sync() {
        fn is<T: Send + Sync + std::panic::UnwindSafe>() {}
        is::<Lexicon>();
    }
}
