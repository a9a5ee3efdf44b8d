//! Test and benchmark helpers: a deterministic synthetic text generator and
//! an **obfuscation generator** that imitates an article spinner (context-free
//! thesaurus swaps, function words included) and, optionally, PAN-style
//! random obfuscation (shuffles, insertions, deletions). It exists only to
//! build test and benchmark inputs, as PAN built its corpora; it is not part
//! of the product and no binary exposes it.
#![deny(missing_docs)]

use std::borrow::Cow;
use std::collections::HashMap;

use unspin_lexicon::Lexicon;

/// A small deterministic random number generator (splitmix64).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator with a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
}

const FUNCTION: &[&str] = &[
    "the", "of", "and", "a", "to", "in", "is", "that", "for", "it", "as", "was", "with", "on",
    "by", "at", "from", "this", "are", "be", "or", "an", "which", "their", "has", "have",
];

/// Content words for synthetic texts: single lowercase words of the
/// thesauri, so a spin can always find replacements.
fn vocabulary(lex: &Lexicon) -> Vec<&'static str> {
    lex.terms()
        .step_by(7)
        .filter(|t| t.len() >= 4 && t.bytes().all(|b| b.is_ascii_lowercase()))
        .collect()
}

/// A synthetic English-like text of `words` words: a skewed mix of content
/// words from the thesauri and function words, with commas, full stops and
/// the odd capitalized name and number.
pub fn synthetic_text(words: usize, seed: u64) -> String {
    let lex = Lexicon::global();
    let vocab = vocabulary(lex);
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(words * 7);
    let mut in_sentence = 0;
    for _ in 0..words {
        let w: String = if rng.chance(0.4) {
            FUNCTION[rng.below(FUNCTION.len())].to_string()
        } else if rng.chance(0.03) {
            format!("{}", 1900 + rng.below(200))
        } else {
            // Skewed: low ranks are much more frequent.
            let r = rng.below(vocab.len());
            let r = r * rng.below(vocab.len()) / vocab.len().max(1);
            let w = vocab[r];
            if rng.chance(0.04) { capitalize(w) } else { w.to_string() }
        };
        if in_sentence == 0 {
            out.push_str(&capitalize(&w));
        } else {
            out.push_str(&w);
        }
        in_sentence += 1;
        if in_sentence > 8 && rng.chance(0.1) {
            out.push_str(". ");
            in_sentence = 0;
        } else if rng.chance(0.05) {
            out.push_str(", ");
        } else {
            out.push(' ');
        }
    }
    out.push('.');
    out
}

fn capitalize(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// How to obfuscate.
#[derive(Clone, Debug)]
pub struct Obfuscation {
    /// Share of content words replaced by a thesaurus synonym (0.2-0.4 for
    /// real spinners).
    pub swap: f64,
    /// Share of function words replaced by another function word.
    pub swap_function: f64,
    /// PAN-style: share of words deleted.
    pub delete: f64,
    /// PAN-style: share of positions where a random word is inserted.
    pub insert: f64,
    /// PAN-style: share of adjacent word pairs swapped.
    pub shuffle: f64,
    /// Number words one to nine written as digits ("two" -> "2"), as a
    /// real news spinner did.
    pub digits: bool,
    /// A fixed dictionary: with a seed, a word's replacement is the same in
    /// every text this spinner spins (a commercial spinner's phrase table),
    /// not drawn anew for each text. Which occurrences are swapped stays
    /// random per text.
    pub dictionary: Option<u64>,
    /// An inflected word that is no thesaurus term is swapped through its
    /// base form and written in the same inflection ("dogs" -> "puppies"
    /// by "dog" -> "puppy"), as SpinBot does.
    pub inflect: bool,
}

impl Obfuscation {
    /// An article spinner: `swap` of content words replaced, context-free,
    /// and a tenth of function words swapped.
    pub fn spinner(swap: f64) -> Obfuscation {
        Obfuscation {
            swap,
            swap_function: 0.1,
            delete: 0.0,
            insert: 0.0,
            shuffle: 0.0,
            digits: false,
            dictionary: None,
            inflect: false,
        }
    }

    /// The same spinner with a fixed dictionary ([`Obfuscation::dictionary`]).
    pub fn with_dictionary(self, seed: u64) -> Obfuscation {
        Obfuscation { dictionary: Some(seed), ..self }
    }

    /// The same spinner, also swapping inflected words through their base
    /// forms ([`Obfuscation::inflect`]).
    pub fn inflecting(self) -> Obfuscation {
        Obfuscation { inflect: true, ..self }
    }

    /// A news spinner: [`Obfuscation::spinner`] that also writes number
    /// words as digits.
    pub fn news_spinner(swap: f64) -> Obfuscation {
        Obfuscation { digits: true, ..Obfuscation::spinner(swap) }
    }

    /// PAN-style random obfuscation on top of a spinner.
    pub fn random(swap: f64) -> Obfuscation {
        Obfuscation {
            swap,
            swap_function: 0.1,
            delete: 0.05,
            insert: 0.05,
            shuffle: 0.05,
            digits: false,
            dictionary: None,
            inflect: false,
        }
    }
}

/// A seed from a word's bytes (FNV-1a), for a fixed spinner dictionary.
fn word_seed(word: &str) -> u64 {
    word.bytes()
        .fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// The replacements of an inflected word through its base forms, written
/// in its inflection (single words only): "dogs" -> "puppies".
fn inflected_replacements(lex: &Lexicon, lower: &str) -> Vec<Cow<'static, str>> {
    let mut out: Vec<Cow<'static, str>> = Vec::new();
    for (base, how) in lex.inflected_terms(lower) {
        for r in lex.replacements(lex.term(base)) {
            if r.bytes().all(|b| b.is_ascii_lowercase())
                && let Some(form) = unspin_lexicon::inflect(r, how).into_iter().next()
                && form != lower
                && !out.iter().any(|o| *o == form)
            {
                out.push(Cow::Owned(form));
            }
        }
    }
    out
}

/// Obfuscates `text` the way a spinner does: each chosen word type gets one
/// replacement used throughout (context-free), kept in the word's case.
pub fn obfuscate(text: &str, how: &Obfuscation, seed: u64) -> String {
    let lex = Lexicon::global();
    let mut rng = Rng::new(seed);
    let mut choice: HashMap<String, Option<Cow<'static, str>>> = HashMap::new();
    let mut words: Vec<String> = Vec::new();
    for piece in text.split_inclusive(' ') {
        let (word, rest) = match piece.find(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
        {
            Some(i) => piece.split_at(i),
            None => (piece, ""),
        };
        let lower = word.to_lowercase();
        let is_function = unspin_text::is_function_word(&lower);
        let p = if is_function { how.swap_function } else { how.swap };
        // One to nine only: news style spells out those.
        let digit = unspin_text::number_word(&lower)
            .filter(|d| how.digits && matches!(d.as_bytes(), [b'1'..=b'9']));
        let replaced = if let Some(d) = digit {
            Some(d.to_string())
        } else if !word.is_empty() && rng.chance(p) {
            let pick = choice.entry(lower.clone()).or_insert_with(|| {
                let mut cands: Vec<Cow<'static, str>> = if is_function {
                    FUNCTION.iter().copied().filter(|f| *f != lower).map(Cow::Borrowed).collect()
                } else if how.inflect && lex.term_id(&lower).is_none() {
                    inflected_replacements(lex, &lower)
                } else {
                    lex.replacements(&lower)
                        .into_iter()
                        .filter(|r| !r.contains('-'))
                        .map(Cow::Borrowed)
                        .collect()
                };
                if cands.is_empty() {
                    return None;
                }
                Some(cands.swap_remove(match how.dictionary {
                    // A fixed table: the pick depends on the word and the
                    // spinner, never on the text.
                    Some(seed) => Rng::new(seed ^ word_seed(&lower)).below(cands.len()),
                    None => rng.below(cands.len()),
                }))
            });
            pick.as_deref().map(|r| {
                if word.chars().next().is_some_and(char::is_uppercase) {
                    capitalize(r)
                } else {
                    r.to_string()
                }
            })
        } else {
            None
        };
        let w = replaced.unwrap_or_else(|| word.to_string());
        if rng.chance(how.delete) && rest.trim().is_empty() {
            continue;
        }
        words.push(format!("{w}{rest}"));
        if rng.chance(how.insert) {
            words.push(format!("{} ", FUNCTION[rng.below(FUNCTION.len())]));
        }
    }
    for k in 1..words.len() {
        if rng.chance(how.shuffle) {
            words.swap(k - 1, k);
        }
    }
    words.concat()
}

#[cfg(test)]
mod tests {
    #[test]
    fn deterministic_and_changed() {
        let t = super::synthetic_text(300, 1);
        assert_eq!(t, super::synthetic_text(300, 1));
        let s = super::obfuscate(&t, &super::Obfuscation::spinner(0.3), 2);
        assert_ne!(s, t);
        let orig: std::collections::HashSet<&str> = t.split(' ').collect();
        let b: Vec<&str> = s.split(' ').collect();
        let kept = b.iter().filter(|w| orig.contains(*w)).count();
        assert!(kept * 10 > b.len() * 5, "kept {kept} of {}", b.len());
    }

    #[test]
    fn an_inflecting_spinner_swaps_inflected_words_through_their_base_forms() {
        let lex = unspin_lexicon::Lexicon::global();
        assert!(lex.term_id("dogs").is_none());
        let all = super::Obfuscation { swap_function: 0.0, ..super::Obfuscation::spinner(1.0) };
        assert_eq!(super::obfuscate("dogs", &all, 1), "dogs");
        let plurals: Vec<String> = lex
            .replacements("dog")
            .into_iter()
            .filter_map(|r| {
                unspin_lexicon::inflect(r, unspin_lexicon::Inflection::S).into_iter().next()
            })
            .collect();
        for seed in 0..20 {
            let spun = super::obfuscate("dogs", &all.clone().inflecting(), seed);
            assert!(plurals.contains(&spun), "{spun}");
        }
    }

    #[test]
    fn a_fixed_dictionary_writes_a_word_alike_in_every_text() {
        let replacements = |seed: u64, how: &super::Obfuscation| {
            // Content words only: each is swapped somewhere in 40 sentences.
            let text = "Dogs ran home quickly. ".repeat(40);
            let spun = super::obfuscate(&text, how, seed);
            let mut seen: Vec<String> = spun
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty() && !["Dogs", "ran", "home", "quickly"].contains(w))
                .map(str::to_lowercase)
                .collect();
            seen.sort();
            seen.dedup();
            seen
        };
        let fixed = super::Obfuscation::spinner(0.5).with_dictionary(7);
        let (a, b) = (replacements(1, &fixed), replacements(2, &fixed));
        assert!(!a.is_empty());
        assert_eq!(a, b, "the same spinner wrote other words for the same text");
        // Without a dictionary, each text draws its own replacements.
        let free = super::Obfuscation::spinner(0.5);
        let drawn: Vec<Vec<String>> = (1..6).map(|seed| replacements(seed, &free)).collect();
        assert!(drawn.iter().any(|d| *d != drawn[0]), "{drawn:?}");
    }
}

/// Real sentences to build synthetic corpora from (so an index sees
/// realistic vocabulary at any size).
#[derive(Clone, Debug, Default)]
pub struct SentencePool {
    sentences: Vec<String>,
}

impl SentencePool {
    /// Splits every text into sentences (at `. `, `! `, `? ` and line
    /// breaks), keeping those of 5 to 60 words.
    pub fn from_texts<'a>(texts: impl IntoIterator<Item = &'a str>) -> SentencePool {
        let mut sentences = Vec::new();
        for text in texts {
            let mut start = 0;
            let b = text.as_bytes();
            for i in 0..b.len() {
                let end = (matches!(b[i], b'.' | b'!' | b'?')
                    && b.get(i + 1).is_none_or(|c| c.is_ascii_whitespace()))
                    || b[i] == b'\n';
                if end && text.is_char_boundary(start) && text.is_char_boundary(i + 1) {
                    let s = text[start..=i].trim();
                    let words = s.split_whitespace().count();
                    if (5..=60).contains(&words) {
                        sentences.push(s.to_string());
                    }
                    start = i + 1;
                }
            }
        }
        SentencePool { sentences }
    }

    /// Number of sentences.
    pub fn len(&self) -> usize {
        self.sentences.len()
    }

    /// Whether the pool is empty.
    pub fn is_empty(&self) -> bool {
        self.sentences.is_empty()
    }

    /// A document of about `words` words of random sentences.
    pub fn document(&self, words: usize, seed: u64) -> String {
        let mut rng = Rng::new(seed);
        let mut out = String::new();
        let mut n = 0;
        while n < words && !self.sentences.is_empty() {
            let s = &self.sentences[rng.below(self.sentences.len())];
            n += s.split_whitespace().count();
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(s);
        }
        out
    }
}
