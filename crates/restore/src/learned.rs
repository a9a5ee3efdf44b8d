//! A learned spinner lexicon: which phrases a spinner wrote for which
//! originals, with counts, learned from aligned (original, spun) pairs.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use unspin_lm::Model;
use unspin_text::{TokenizedText, Tokenizer};

use crate::{Edit, Evidence};

/// The format name written into learned lexicon files.
pub const LEARNED_FORMAT: &str = "unspin-learned-lexicon";
/// The version of the learned lexicon file format (version 1, without
/// word counts, is still read).
pub const LEARNED_VERSION: u32 = 2;

/// How many occurrences of a word the default channel counts as when the
/// learned counts of that word are weighed against it
/// ([`Learned::channel`]).
pub const PRIOR_WEIGHT: f32 = 2.0;

/// How much better (nats, trigram model) a phrase learned only once must
/// read restored than as it stands, for [`Learned::phrase_edits_in`].
pub const ONCE_SEEN_MARGIN: f32 = 8.0;

/// An error reading or writing a learned lexicon.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LexiconError {
    /// A file system error.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Not a learned lexicon, or a damaged one.
    #[error("{}: not a valid unspin learned lexicon ({reason})", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A lexicon of another format version.
    #[error("{}: learned lexicon format version {found}, this build reads version {LEARNED_VERSION}", path.display())]
    IncompatibleVersion {
        /// The file.
        path: PathBuf,
        /// The version found.
        found: u32,
    },
}

/// One learned substitution: the spinner wrote `spun` for `original`,
/// `count` times.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Substitution {
    /// The spun phrase (lowercase).
    pub spun: String,
    /// The original phrase (lowercase).
    pub original: String,
    /// How often it was seen.
    pub count: u32,
}

#[derive(Serialize, Deserialize)]
struct File {
    format: String,
    version: u32,
    substitutions: Vec<Substitution>,
    /// How often each word occurred in the originals learned from (since
    /// version 2).
    #[serde(default)]
    words: BTreeMap<String, u32>,
}

/// [`Learned::channel`] for one spun phrase ([`Learned::channels`]).
pub struct Channels<'l> {
    learned: &'l Learned,
    /// Indexes of the substitutions that wrote the spun phrase.
    written: &'l [usize],
}

impl Channels<'_> {
    /// `P(the spinner writes the spun phrase | original)`, as
    /// [`Learned::channel`].
    pub fn of(&self, original: &str, prior: f32) -> f32 {
        let l = self.learned;
        let seen = l.words.get(original).copied().unwrap_or(0) as f32;
        let written: u32 = self
            .written
            .iter()
            .map(|&i| &l.substitutions[i])
            .filter(|s| s.original == original)
            .map(|s| s.count)
            .sum();
        ((written as f32).min(seen) + PRIOR_WEIGHT * prior) / (seen + PRIOR_WEIGHT)
    }
}

/// A spinner's substitution table. Immutable once built, `Send + Sync`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Learned {
    substitutions: Vec<Substitution>,
    /// Spun phrase to indexes of its substitutions.
    by_spun: HashMap<String, Vec<usize>>,
    /// How often the spinner wrote each single original word as something
    /// else.
    swapped: HashMap<String, u32>,
    /// How often each word occurred in the originals learned from (empty
    /// if not counted: [`Learned::count_originals`]).
    words: HashMap<String, u32>,
    max_words: usize,
}

impl Learned {
    /// A table from (spun, original) phrase pairs, counted; pairs are
    /// lowercased, and identical or empty ones dropped.
    pub fn from_pairs<'p>(pairs: impl IntoIterator<Item = (&'p str, &'p str)>) -> Learned {
        let mut counts: HashMap<(String, String), u32> = HashMap::new();
        for (spun, original) in pairs {
            let (s, o) = (spun.trim().to_lowercase(), original.trim().to_lowercase());
            if s.is_empty() || o.is_empty() || s == o {
                continue;
            }
            *counts.entry((s, o)).or_default() += 1;
        }
        let mut substitutions: Vec<Substitution> = counts
            .into_iter()
            .map(|((spun, original), count)| Substitution { spun, original, count })
            .collect();
        substitutions.sort_by(|a, b| {
            a.spun.cmp(&b.spun).then(b.count.cmp(&a.count)).then(a.original.cmp(&b.original))
        });
        Learned::from_substitutions(substitutions, HashMap::new())
    }

    fn from_substitutions(
        substitutions: Vec<Substitution>,
        words: HashMap<String, u32>,
    ) -> Learned {
        let mut by_spun: HashMap<String, Vec<usize>> = HashMap::new();
        let mut swapped: HashMap<String, u32> = HashMap::new();
        let mut max_words = 0;
        for (i, s) in substitutions.iter().enumerate() {
            by_spun.entry(s.spun.clone()).or_default().push(i);
            max_words = max_words.max(s.spun.split_whitespace().count());
            if !s.original.contains(' ') {
                *swapped.entry(s.original.clone()).or_default() += s.count;
            }
        }
        Learned { substitutions, by_spun, swapped, words, max_words }
    }

    /// The table with the words of the originals it was learned from
    /// counted, so that it knows how often the spinner left each word
    /// alone ([`Learned::channel`], [`Learned::keep`]).
    pub fn count_originals<'t>(self, originals: impl IntoIterator<Item = &'t str>) -> Learned {
        let mut words = HashMap::new();
        originals.into_iter().for_each(|text| count_words(text, &mut words));
        self.with_word_counts(words)
    }

    /// [`Learned::count_originals`] with the words counted elsewhere (by
    /// [`count_words`], say, on many machines), added to those it has.
    pub fn with_word_counts(self, counts: impl IntoIterator<Item = (String, u32)>) -> Learned {
        let mut words = self.words;
        for (w, n) in counts {
            *words.entry(w).or_default() += n;
        }
        Learned::from_substitutions(self.substitutions, words)
    }

    /// `P(the spinner writes spun | the original word)`, the learned counts
    /// weighed against `prior` (the default channel's value, worth
    /// [`PRIOR_WEIGHT`] occurrences); `prior` itself where the original
    /// was never counted.
    pub fn channel(&self, original: &str, spun: &str, prior: f32) -> f32 {
        self.channels(spun).of(original, prior)
    }

    /// [`Learned::channel`] for many originals of one spun phrase.
    pub fn channels<'l>(&'l self, spun: &str) -> Channels<'l> {
        let written = self.by_spun.get(spun).map_or(&[][..], Vec::as_slice);
        Channels { learned: self, written }
    }

    /// `P(the spinner leaves the word as it is)`, as [`Learned::channel`].
    pub fn keep(&self, word: &str, prior: f32) -> f32 {
        let seen = self.words.get(word).copied().unwrap_or(0) as f32;
        let swapped = (self.swapped.get(word).copied().unwrap_or(0) as f32).min(seen);
        (seen - swapped + PRIOR_WEIGHT * prior) / (seen + PRIOR_WEIGHT)
    }

    /// Whether the originals' words were counted ([`Learned::count_originals`]).
    pub fn counts_words(&self) -> bool {
        !self.words.is_empty()
    }

    /// Every substitution, ordered by spun phrase, most frequent first.
    pub fn substitutions(&self) -> &[Substitution] {
        &self.substitutions
    }

    /// Number of substitutions.
    pub fn len(&self) -> usize {
        self.substitutions.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.substitutions.is_empty()
    }

    /// The originals seen for a spun phrase (lowercase), with their share of
    /// its occurrences, most frequent first.
    pub fn originals(&self, spun: &str) -> Vec<(&str, f32)> {
        let Some(ix) = self.by_spun.get(spun) else { return Vec::new() };
        let total = self.seen(spun);
        ix.iter()
            .map(|&i| {
                let s = &self.substitutions[i];
                (s.original.as_str(), s.count as f32 / total.max(1) as f32)
            })
            .collect()
    }

    /// How often a spun phrase (lowercase) was seen, whatever it stood for.
    fn seen(&self, spun: &str) -> u32 {
        self.by_spun.get(spun).map_or(0, |ix| ix.iter().map(|&i| self.substitutions[i].count).sum())
    }

    /// Edits for learned phrases of two words or more (longest match first;
    /// single words are left to the decoder, which weighs them in context),
    /// when one original accounts for at least half of the phrase's uses.
    pub fn phrase_edits(&self, suspect: &str) -> Vec<Edit> {
        self.phrase_edits_in(&Tokenizer::default().tokenize(suspect), None)
    }

    /// [`Learned::phrase_edits`] on a tokenized text. With a language model
    /// of originals, a phrase is restored only where the original reads at
    /// least as well in its sentence as the spun phrase does (the trigram
    /// model over the phrase and the two words after it), and a phrase
    /// learned only once only where it reads [`ONCE_SEEN_MARGIN`] nats
    /// better: a spinner's phrase is often ordinary English ("in order
    /// to") that stands as written in most places, and a phrase learned
    /// once may be the aligner's grouping of a swapped word with unchanged
    /// neighbours.
    pub fn phrase_edits_in(&self, tt: &TokenizedText<'_>, model: Option<&Model>) -> Vec<Edit> {
        let words = tt.tokens();
        let mut edits = Vec::new();
        let mut k = 0;
        while k < words.len() {
            let mut step = 1;
            for n in (2..=self.max_words.min(words.len() - k)).rev() {
                let slice = &words[k..k + n];
                if !slice.iter().all(|t| t.is_wordlike()) {
                    continue;
                }
                let phrase: Vec<String> = slice.iter().map(|t| tt.text(t).to_lowercase()).collect();
                let phrase = phrase.join(" ");
                let Some(&(original, share)) = self.originals(&phrase).first() else {
                    continue;
                };
                // A phrase learned once may be the aligner's grouping of a
                // swap with its unchanged neighbours: the model must prefer
                // its original clearly.
                let margin = if self.seen(&phrase) >= 2 { 0.0 } else { ONCE_SEEN_MARGIN };
                if share < 0.5
                    || model.is_some_and(|m| reads_worse(m, tt, k..k + n, original, margin))
                {
                    continue;
                }
                let (start, end) = (slice[0].span().start(), slice[n - 1].span().end());
                edits.push(Edit {
                    start,
                    end,
                    restored: crate::decode::cased(tt.text(&slice[0]), original),
                    confidence: f64::from(share).min(0.95),
                    evidence: Evidence::Learned,
                });
                step = n;
                break;
            }
            k += step;
        }
        edits
    }

    /// Writes the table as JSON (through a temporary file and a rename).
    pub fn save(&self, path: &Path) -> Result<(), LexiconError> {
        let file = File {
            format: LEARNED_FORMAT.to_string(),
            version: LEARNED_VERSION,
            substitutions: self.substitutions.clone(),
            words: self.words.iter().map(|(w, &n)| (w.clone(), n)).collect(),
        };
        let io = |p: &Path, e| LexiconError::Io { path: p.to_path_buf(), source: e };
        let json = serde_json::to_vec_pretty(&file).map_err(|e| LexiconError::Corrupt {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, json).map_err(|e| io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| io(path, e))
    }

    /// Reads a table written by [`Learned::save`].
    pub fn load(path: &Path) -> Result<Learned, LexiconError> {
        let io = |e| LexiconError::Io { path: path.to_path_buf(), source: e };
        let corrupt = |reason: String| LexiconError::Corrupt { path: path.to_path_buf(), reason };
        // A device or a pipe is refused before it is opened (/dev/zero
        // would be read forever; opening a pipe waits for a writer).
        if !std::fs::metadata(path).map_err(io)?.is_file() {
            return Err(corrupt("not a regular file".into()));
        }
        let bytes = std::fs::read(path).map_err(io)?;
        let value: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| corrupt(e.to_string()))?;
        if value.get("format").and_then(|f| f.as_str()) != Some(LEARNED_FORMAT) {
            return Err(corrupt(format!("no \"format\": \"{LEARNED_FORMAT}\"")));
        }
        let version = value.get("version").and_then(serde_json::Value::as_u64).unwrap_or(0);
        if version != u64::from(LEARNED_VERSION) && version != 1 {
            return Err(LexiconError::IncompatibleVersion {
                path: path.to_path_buf(),
                found: u32::try_from(version).unwrap_or(u32::MAX),
            });
        }
        let file: File = serde_json::from_value(value).map_err(|e| corrupt(e.to_string()))?;
        Ok(Learned::from_substitutions(file.substitutions, file.words.into_iter().collect()))
    }
}

/// Adds the words of an original text to `counts`, as
/// [`Learned::count_originals`] counts them (lowercase word tokens).
pub fn count_words(text: &str, counts: &mut HashMap<String, u32>) {
    let tt = Tokenizer::default().tokenize(text);
    for t in tt.tokens().iter().filter(|t| t.is_wordlike()) {
        *counts.entry(tt.text(t).to_lowercase()).or_default() += 1;
    }
}

/// Whether `original` in place of the tokens `phrase` of `tt` reads worse
/// than the tokens as they stand: the trigram log-probability of the
/// phrase and the two tokens after it (in its sentence), each reading with
/// its own context.
fn reads_worse(
    model: &Model,
    tt: &TokenizedText<'_>,
    phrase: Range<usize>,
    original: &str,
    margin: f32,
) -> bool {
    let toks = tt.tokens();
    let sentence = toks[phrase.start].sentence();
    let same = |j: &usize| toks[*j].sentence() == sentence;
    let before: Vec<u64> = (phrase.start.saturating_sub(2)..phrase.start)
        .filter(same)
        .map(|j| Model::token_key(&toks[j]))
        .collect();
    let after: Vec<u64> = (phrase.end..(phrase.end + 2).min(toks.len()))
        .take_while(same)
        .map(|j| Model::token_key(&toks[j]))
        .collect();
    let spun: Vec<u64> = toks[phrase].iter().map(Model::token_key).collect();
    let restored: Vec<u64> =
        Tokenizer::default().tokenize(original).tokens().iter().map(Model::token_key).collect();
    let score = |middle: &[u64]| {
        let seq: Vec<u64> = before.iter().chain(middle).chain(&after).copied().collect();
        let start = before.len();
        (start..seq.len())
            .map(|i| {
                let u = i.checked_sub(2).map(|j| seq[j]);
                let v = i.checked_sub(1).map(|j| seq[j]);
                model.logprob(u, v, seq[i])
            })
            .sum::<f32>()
    };
    score(&restored) < score(&spun) + margin
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_shares_and_phrases() {
        let l = Learned::from_pairs([
            ("an individual from", "a member of"),
            ("An individual from", "a member of"),
            ("puppy", "dog"),
            ("puppy", "dog"),
            ("puppy", "pup"),
            ("same", "same"),
        ]);
        assert_eq!(l.len(), 3);
        let o = l.originals("puppy");
        assert_eq!(o[0].0, "dog");
        assert!((o[0].1 - 2.0 / 3.0).abs() < 1e-6);
        let e = l.phrase_edits("He is an individual from the club.");
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].restored, "a member of");
    }

    #[test]
    fn with_a_model_a_phrase_is_restored_only_where_its_original_reads_better() {
        let mut b = unspin_lm::ModelBuilder::new();
        for _ in 0..20 {
            b.add("He is a member of the club. They walked in order to save money.");
            b.add("The house is in the hands of the bank.");
        }
        let model = b.build();
        // "in the hands of" was learned (twice) as a spin of "owned by", and
        // "an individual from" (twice) of "a member of".
        let l = Learned::from_pairs([
            ("an individual from", "a member of"),
            ("an individual from", "a member of"),
            ("in the hands of", "owned by"),
            ("in the hands of", "owned by"),
        ]);
        let text = "He is an individual from the club. The house is in the hands of the bank.";
        let tt = Tokenizer::default().tokenize(text);
        let edits = l.phrase_edits_in(&tt, Some(&model));
        let restored: Vec<&str> = edits.iter().map(|e| e.restored.as_str()).collect();
        assert_eq!(restored, ["a member of"], "ordinary English the model knows stands");
        // Without a model both are restored.
        assert_eq!(l.phrase_edits_in(&tt, None).len(), 2);
        // Learned once, a phrase needs the model's clear preference.
        let once = Learned::from_pairs([("an individual from", "a member of")]);
        let e = once.phrase_edits_in(&tt, Some(&model));
        assert_eq!(e.len(), 1, "the model prefers \"a member of the club\" by far");
        let weak = unspin_lm::ModelBuilder::new().build();
        assert!(once.phrase_edits_in(&tt, Some(&weak)).is_empty(), "no evidence, no edit");
    }

    #[test]
    fn learned_counts_are_weighed_against_the_default_channel() {
        let l = Learned::from_pairs([("puppy", "dog"), ("puppy", "dog"), ("puppy", "dog")]);
        assert!(!l.counts_words());
        let l = l.count_originals(["The dog and the dog.", "A dog, a dog, a dog; people, dog."]);
        assert!(l.counts_words());
        // "dog" was seen 6 times and written "puppy" 3 times.
        assert!((l.channel("dog", "puppy", 0.01) - (3.0 + 0.02) / 8.0).abs() < 1e-6);
        assert!((l.keep("dog", 0.7) - (3.0 + 1.4) / 8.0).abs() < 1e-6);
        // "people" was seen once and never swapped.
        assert!((l.keep("people", 0.7) - (1.0 + 1.4) / 3.0).abs() < 1e-6);
        assert!((l.channel("people", "persons", 0.01) - 0.02 / 3.0).abs() < 1e-6);
        // A word never seen keeps the default channel.
        assert!((l.channel("cat", "feline", 0.01) - 0.01).abs() < 1e-6);
        assert!((l.keep("cat", 0.7) - 0.7).abs() < 1e-6);
    }

    #[test]
    fn save_load_and_bad_files() {
        let dir = std::env::temp_dir().join(format!("unspin-learned-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let p = dir.join("l.json");
        let l = Learned::from_pairs([("puppy", "dog")]).count_originals(["The dog."]);
        l.save(&p).expect("save");
        assert_eq!(Learned::load(&p).expect("load"), l);
        // Version 1 (no word counts) is still read.
        std::fs::write(
            &p,
            b"{\"format\":\"unspin-learned-lexicon\",\"version\":1,\"substitutions\":[{\"spun\":\"puppy\",\"original\":\"dog\",\"count\":1}]}",
        )
        .expect("write");
        let v1 = Learned::load(&p).expect("version 1");
        assert_eq!(v1.originals("puppy"), [("dog", 1.0)]);
        assert!(!v1.counts_words());
        std::fs::write(
            &p,
            b"{\"format\":\"unspin-learned-lexicon\",\"version\":7,\"substitutions\":[]}",
        )
        .expect("write");
        assert!(matches!(
            Learned::load(&p),
            Err(LexiconError::IncompatibleVersion { found: 7, .. })
        ));
        std::fs::write(&p, b"{not json").expect("write");
        assert!(matches!(Learned::load(&p), Err(LexiconError::Corrupt { .. })));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
