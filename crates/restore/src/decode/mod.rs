//! Restoration without a source: a noisy-channel decoder over a lattice.
//!
//! For each word of the suspect the candidates are the word itself and the
//! originals a spinner could have replaced by it (the reverse thesaurus;
//! for an inflected word that is no thesaurus term, its base form's
//! originals in its inflection, "jobs" -> "roles"; and a learned spinner
//! lexicon if given), unless the word was seen between
//! its two neighbours in the originals (then it stands); for each run of two to eight words
//! that is itself a thesaurus entry ("fill the bill"), the single words it
//! could stand for ("advantage") are candidates spanning the whole run; for
//! a function word, the other function words that fit its neighbours. A
//! beam search over each sentence picks the path maximizing
//! `log P(O) + log P(S | O)`: `P(O)` from the n-gram [`Model`] of originals,
//! each content word rescaled by how well it fits the topic of the text
//! ([`unspin_lm::Topics`]: a context-free spinner writes "nine" for
//! "music" in an article about a band) and raised for a word the text
//! writes elsewhere, or writes beside the same neighbour elsewhere ("air
//! force" where it reads "air drive"; such an original is weighed even if
//! its prior would have left it out; so is one such original that makes a
//! pair seen in the originals with a neighbouring content word where the
//! word makes none, "foreign secretary" for "international secretary"),
//! `P(S | O)` the spinner's channel
//! (a content word is rewritten with probability `swap`, uniformly into one
//! of its thesaurus entries; a function word with probability
//! `swap_function`, into another function word, the odds of each swap
//! learned from the text's other occurrences of the word; learned
//! substitutions with their observed share). A learned lexicon that
//! counted the words of its originals ([`Learned::count_originals`])
//! replaces each of these by the spinner's own rates, weighed against
//! them: how often it wrote the original as the spun word, and how often
//! it left a word alone.

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

use unspin_lexicon::{Inflection, Lexicon, TermId, inflect};
use unspin_lm::{Context, Model, Profile, Word};
use unspin_text::{Token, TokenKind, TokenizedText, Tokenizer};

use crate::{Edit, Evidence, Learned};

mod candidates;
mod confidence;
mod search;

pub use confidence::{CALIBRATION, CALIBRATION_CAP, calibration_feature, confidence};

/// A beam state reached at a position: (score, parent node, start position
/// of the last arc, its index, the context it makes for the next word).
type Reached = (f32, usize, usize, usize, Context);

/// No node or arc (the root of a beam search's back-pointers).
const NONE: usize = usize::MAX;

/// A beam search's scratch space, kept per thread so that sentences do not
/// allocate it anew: the back-pointer arena (parent, start position, arc
/// index), the states reached per end position ((u, v) -> [`Reached`]),
/// and the hypotheses expanded at one position.
#[derive(Default)]
struct Beam {
    arena: Vec<(usize, usize, usize)>,
    ends: Vec<HashMap<(u64, u64), Reached>>,
    hyps: Vec<(f32, u64, u64, usize, Context)>,
}

/// Positions whose beam states a thread keeps between sentences at most.
const BEAM_KEPT: usize = 1024;

thread_local! {
    static BEAM: std::cell::RefCell<Beam> = std::cell::RefCell::new(Beam::default());
}

/// The fit of each function word of the pool after a word (`after`, by the
/// word's key), memoized over a text: the same neighbours recur. (Fits
/// before a word are memoized per chunk of the text, see
/// `function_readings`.)
#[derive(Default)]
struct PoolFits {
    after: HashMap<u64, Box<[f32]>>,
    /// Scratch: the pool words that fit (by index), with their fit and
    /// channel.
    scored: Vec<(f32, usize, f32)>,
}

/// A token of the suspect in lowercase, if it may be restored.
type Lower<'t> = Option<Cow<'t, str>>;

/// The word types of a block: each restorable token's lowercase word as a
/// dense id (in order of first occurrence), looked up by its text once, so
/// that the decoder's memos and counts are indexed by it and no lookup
/// hashes or compares a word's text.
struct WordTypes<'t> {
    /// Per token: its type, or [`NO_TYPE`].
    of: Vec<u32>,
    /// Each type by its text.
    by_text: HashMap<&'t str, u32>,
}

impl<'t> WordTypes<'t> {
    fn of(lower: &'t [Lower<'t>]) -> WordTypes<'t> {
        let mut by_text: HashMap<&str, u32> = HashMap::default();
        let of = lower
            .iter()
            .map(|w| match w {
                Some(w) => {
                    let next = by_text.len() as u32;
                    *by_text.entry(&**w).or_insert(next)
                }
                None => NO_TYPE,
            })
            .collect();
        WordTypes { of, by_text }
    }

    /// How many types there are.
    fn count(&self) -> usize {
        self.by_text.len()
    }

    /// The type of token `i` (of a restorable token).
    fn at(&self, i: usize) -> usize {
        self.of[i] as usize
    }

    /// The types of tokens `range` renumbered densely in order of first
    /// occurrence ([`NO_TYPE`] stays), and how many there are: for a
    /// chunk's memos, sized to the chunk's vocabulary.
    fn local(&self, range: Range<usize>) -> (Vec<u32>, usize) {
        let mut to_local = vec![NO_TYPE; self.count()];
        let mut count = 0;
        let local = self.of[range]
            .iter()
            .map(|&t| match to_local.get_mut(t as usize) {
                Some(l) => {
                    if *l == NO_TYPE {
                        *l = count;
                        count += 1;
                    }
                    *l
                }
                None => NO_TYPE,
            })
            .collect();
        (local, count as usize)
    }

    /// The type of a lowercase word, if the block writes it.
    fn of_text(&self, word: &str) -> Option<usize> {
        self.by_text.get(word).map(|&t| t as usize)
    }
}

/// One chunk's function-word occurrences weighed (token, first and end of
/// its fits) and their fits (pool index, fit over keeping, odds).
type ChunkFits = (Vec<(usize, usize, usize)>, Vec<(usize, f32, f32)>);

/// A text's content-word keys, and its topic per window (the window's end
/// token and profile).
type ContentWords = (HashSet<u64>, Vec<(usize, Option<Profile>)>);

/// Sentences (or, times 16, positions) per parallel task: enough to
/// outweigh the cost of scheduling it.
const PARALLEL_MIN: usize = 8;
/// Tokens per chunk where each token's lowercase form and model word are
/// found in parallel (each chunk memoizes its word types).
const WORDS_CHUNK: usize = 16_384;
/// Tokens decoded together at most (about 2.5 MB of English text; the
/// readings of a block take about 100 bytes of memory per byte of text).
const BLOCK_TOKENS: usize = 500_000;

/// Tokens whose readings are found together at least (a chunk memoizes
/// its word types' readings; smaller texts are one chunk).
const CHUNK_TOKENS: usize = 16_384;

/// Longest thesaurus entry (in words) read as one spun phrase.
const MAX_PHRASE: u8 = 8;
/// The type of a token that is no word to restore, and the filler of a
/// phrase's key after its last word.
const NO_TYPE: u32 = u32::MAX;
/// A reading pooled with no other occurrence's.
const NO_BUCKET: u32 = u32::MAX;
/// How many tokens ahead a loop over a text's tokens starts the model reads
/// of a later token ([`Model::prefetch_ngram`]), so that they overlap with
/// the work in between.
const AHEAD: usize = 8;

/// How many candidates ahead a word type's thesaurus candidates have their
/// memos read ([`Decoder::thesaurus`]).
const MEMO_AHEAD: usize = 8;

/// One way to read suspect tokens `pos..pos + len`: keep them (`text` is
/// `None`, one token) or restore them to one original word.
#[derive(Clone, Copy, Debug)]
struct Arc<'a> {
    /// Suspect tokens read (1 to [`MAX_PHRASE`]).
    len: u8,
    /// The word's key and statistics in the model (looked up once).
    word: Word,
    /// The text to write (lowercase; cased at output time).
    text: Option<&'a str>,
    /// `log P(suspect words | this original)`.
    channel: f32,
    /// How well the word fits the text's topic (nats, weighted; 0 for a
    /// function word).
    topic: f32,
    /// What the rest of the document says for a candidate original (nats):
    /// the cache bonus if it occurs elsewhere in the text, the pair bonus
    /// if it makes a pair with a neighbour that the text writes elsewhere.
    bonus: f32,
    evidence: Evidence,
}

impl Arc<'_> {
    /// Suspect tokens read.
    fn tokens(&self) -> usize {
        usize::from(self.len)
    }
}

/// Restores spun words with a language model and the reversed thesauri.
/// Immutable, `Send + Sync`.
#[derive(Clone, Debug)]
pub struct Decoder<'a> {
    model: &'a Model,
    learned: Option<&'a Learned>,
    swap: f32,
    swap_function: f32,
    function_candidates: usize,
    phrases: bool,
    beam: usize,
    max_candidates: usize,
    min_count: u32,
    min_margin: f32,
    min_margin_alone: f32,
    prune: f32,
    cache: f32,
    pairs: f32,
    collocates: usize,
    local: usize,
    pool: f32,
    topic: f32,
    topic_docs: usize,
    /// Nats added to the channel of an original reached through a regular
    /// inflection ([`Decoder::inflections`]).
    inflected: f32,
    /// The function words that may be originals: the most frequent in the
    /// model, with their statistics.
    function_pool: Vec<(&'static str, Word)>,
    /// Tokens decoded together at most ([`BLOCK_TOKENS`]).
    block: usize,
    /// Whether the spin rate is estimated from the text
    /// ([`Decoder::estimate_rate`]).
    estimate_rate: bool,
}

/// What weighing a lexicon term as a candidate original asks of it
/// ([`Decoder::term_info`]).
#[derive(Clone, Copy, Debug)]
struct TermInfo {
    /// Its language-model key.
    key: u64,
    /// Its count in the originals.
    count: u32,
    /// Its fan-out ([`Lexicon::fan_out_of`], at most `u16::MAX`).
    fan_out: u16,
    /// Its length in bytes (255: that long or longer) and first byte: the
    /// spelling test's cheapest checks, without reading the term.
    len: u8,
    first: u8,
}

impl TermInfo {
    /// Whether the term may be a spelling variant of the word `other`
    /// (where this says no, so does [`might_be_spelling_variants`]):
    /// lengths within two bytes, and the same first byte where both have
    /// three.
    fn might_vary(&self, other: &[u8]) -> bool {
        let len = usize::from(self.len);
        self.len == u8::MAX
            || (len.abs_diff(other.len()) <= 2
                && (len < 3 || other.len() < 3 || other.first() == Some(&self.first)))
    }
}

/// A thesaurus original of a spun word or phrase before it is weighed.
#[derive(Clone, Copy, Debug)]
struct Candidate {
    /// Count in the originals times channel (log).
    prior: f32,
    id: TermId,
    key: u64,
    /// `log P(suspect words | this original)`.
    channel: f32,
    /// The original is the term `id` in this inflection, in the spelling
    /// of this index ([`unspin_lexicon::inflect`]).
    inflection: Option<(Inflection, u8)>,
    /// An inflected original's text, once it is weighed.
    text: Option<&'static str>,
}

/// The most a reading's fit at one occurrence of a word counts (nats,
/// either way) in the evidence pooled over its occurrences.
const POOL_CLIP: f32 = 6.0;

/// The most a word's topic fit counts for it (nats, before the decoder's
/// topic weight).
const TOPIC_CLIP: f32 = 3.0;

/// The most a word's topic fit counts against it (nats, before the
/// decoder's topic weight): a word absent from the neighbouring documents
/// may still be the author's.
const TOPIC_FLOOR: f32 = 1.0;

/// Tokens (about) whose words make one topic: a long text is weighed
/// window by window.
const TOPIC_WINDOW: usize = 1000;

/// The prior (in words) that smooths a text's topic toward the corpus.
const TOPIC_PRIOR: f32 = 2000.0;

/// Function words weighed as the original of a swapped function word (the
/// most frequent ones in the model of originals).
const FUNCTION_POOL: usize = 48;

/// The most one occurrence's fit counts for a function word's original
/// (nats) in the evidence of the whole text.
const FUNCTION_CLIP: f32 = 8.0;

/// A function word's fit over the word it may stand for (nats) below
/// which an occurrence's evidence is left out (it would be below 0.001).
const FUNCTION_FLOOR: f32 = -5.0;

/// How much better (nats) a function word must fit a function word's two
/// neighbours (bigrams) than the word itself to be weighed as its original
/// in the five-word window (trigrams): few are, and the window costs.
const FUNCTION_BIGRAM_GAIN: f32 = 2.0;

/// The most evidence (nats) a text's function-word swap is weighed with:
/// beyond it the swap is certain (and its likelihood ratio would overflow).
const FUNCTION_EVIDENCE_MAX: f32 = 200.0;

/// Function words whose fit to the neighbours (with the channel) is more
/// than this many nats below keeping the word are not weighed.
const FUNCTION_PRUNE: f32 = 1.0;

/// How far below keeping a word (nats of prior) its originals may still
/// be weighed as collocates ([`Decoder::collocates`]).
const COLLOCATE_PRUNE: f32 = 8.0;

/// Originals left out by the prior looked up as collocates of a word at
/// most (the likeliest a priori).
const COLLOCATE_MAX: usize = 32;

/// Nats added to the channel of a collocate: the prior left it out.
const COLLOCATE_CHANNEL: f32 = -4.0;

/// Slots per lexicon term in the model's memo: its count in each
/// [`Inflection`] (its own count is in [`TermInfo`]).
const MEMO_SLOTS: usize = Inflection::ALL.len();

/// Nats added by default to the channel of an original reached through an
/// inflection ([`Decoder::inflections`]).
const INFLECTED: f32 = -1.0;

/// Tokens (about) around an edit over which the text's spin rate is
/// estimated ([`Decoder::estimate_rate`]).
const RATE_WINDOW: usize = 1000;

/// Decoder edits per restorable word in text no spinner touched (about
/// 1.2 in 100 words of BBC articles outside the model; set a little above,
/// as edits in originals come in clusters).
const RATE_FALSE_EDITS: f32 = 0.015;

/// Decoder edits per restorable word for each unit of spin rate: a
/// spinner's swaps that the decoder finds and edits (about 0.3 of them at
/// a rate of 0.3, 0.4 at 0.1; set a little below, so that a text spun at
/// the assumed rate is weighed at it).
const RATE_EDITS_PER_SWAP: f32 = 0.22;

/// The least spin rate estimated (a text with no more edits than an
/// original's is not taken as certainly unspun).
const RATE_FLOOR: f32 = 0.01;

impl<'a> Decoder<'a> {
    /// A decoder on a model of originals.
    pub fn new(model: &'a Model) -> Decoder<'a> {
        Decoder {
            model,
            learned: None,
            swap: 0.3,
            swap_function: 0.1,
            function_candidates: 4,
            phrases: true,
            beam: 8,
            max_candidates: 24,
            min_count: 3,
            min_margin: 2.5,
            min_margin_alone: 0.0,
            prune: 4.5,
            cache: 2.0,
            pairs: 2.0,
            collocates: 1,
            local: 4,
            pool: 1.0,
            topic: 1.0,
            topic_docs: 20,
            inflected: INFLECTED,
            function_pool: function_pool(model),
            block: BLOCK_TOKENS,
            estimate_rate: true,
        }
    }

    /// The model this decoder weighs candidates on.
    pub fn model(&self) -> &'a Model {
        self.model
    }

    /// A learned spinner lexicon whose substitutions are candidates too.
    pub fn learned(mut self, learned: Option<&'a Learned>) -> Decoder<'a> {
        self.learned = learned;
        self
    }

    /// The share of content words the spinner is assumed to rewrite. By
    /// default, this is 0.3.
    pub fn swap(mut self, share: f32) -> Decoder<'a> {
        self.swap = share.clamp(1e-4, 0.99);
        self
    }

    /// The share of function words the spinner is assumed to rewrite into
    /// other function words; 0 leaves function words alone. By default,
    /// this is 0.1.
    pub fn swap_function(mut self, share: f32) -> Decoder<'a> {
        self.swap_function = share.clamp(0.0, 0.99);
        self
    }

    /// Other function words weighed in place of a function word (those
    /// that fit its neighbours best). By default, this is 4.
    pub fn function_candidates(mut self, n: usize) -> Decoder<'a> {
        self.function_candidates = n;
        self
    }

    /// Whether runs of words that are thesaurus entries are read as one
    /// spun phrase. By default, this is on.
    pub fn phrases(mut self, on: bool) -> Decoder<'a> {
        self.phrases = on;
        self
    }

    /// The document cache: a candidate original that occurs elsewhere in
    /// the document gains this many nats (a spinner leaves most occurrences
    /// of a word alone, and topic words recur). 0 turns it off. By default,
    /// this is 2.
    pub fn cache(mut self, nats: f32) -> Decoder<'a> {
        self.cache = nats.max(0.0);
        self
    }

    /// The text's own pairs: a candidate original of a single word that
    /// makes, with the word before or after it, a pair of neighbouring
    /// content words the text writes elsewhere gains this many nats, and is
    /// weighed even if the prior pruned it (a text repeats its names and phrases, and a
    /// spinner leaves most of their occurrences alone: "Royal Air Drive"
    /// where the text also writes "Royal Air Force"). 0 turns it off. By
    /// default, this is 2.
    pub fn pairs(mut self, nats: f32) -> Decoder<'a> {
        self.pairs = nats.max(0.0);
        self
    }

    /// Originals the prior leaves out that are still weighed at an
    /// occurrence of a content word, where they make a pair seen in the
    /// originals with a neighbouring content word and the word does not
    /// ("international secretary" read as "foreign secretary"): at most
    /// this many per occurrence, the likeliest first. 0 turns it off. By
    /// default, this is 1.
    pub fn collocates(mut self, n: usize) -> Decoder<'a> {
        self.collocates = n;
        self
    }

    /// `log P(arc's word | context)` from the n-gram model, plus its
    /// topic fit and document bonus, and the context the arc's word makes for
    /// the next ([`Model::logprob_next`]).
    fn lm_next(&self, ctx: &Context, a: &Arc<'_>) -> (f32, Context) {
        let (lp, next) = self.model.logprob_next(ctx, &a.word);
        (lp + a.topic + a.bonus, next)
    }

    /// Readings weighed per position in the beam search besides keeping
    /// the words: those that fit the suspect's own neighbours best (bigram
    /// model, channel and cache). By default, this is 4.
    pub fn local_candidates(mut self, n: usize) -> Decoder<'a> {
        self.local = n.max(1);
        self
    }

    /// How much of the evidence of a word's other occurrences a reading
    /// of it gains (a context-free spinner writes one replacement for a
    /// word throughout a text, so "puppy" read as "dog" in one sentence
    /// makes "dog" likelier for "puppy" in the next). For function words,
    /// pooling learns the spinner's swaps from the text (see
    /// `function_readings`); 0 turns pooling off, and function words are
    /// then weighed each on its own, with a flat channel. By default, this
    /// is 1.
    pub fn pool(mut self, share: f32) -> Decoder<'a> {
        self.pool = share.max(0.0);
        self
    }

    /// The weight of the text's topic: each content word, kept or
    /// restored, gains this share of how much likelier it is in the
    /// documents of the originals most like the text than in all of them
    /// ([`unspin_lm::Topics`]; log ratio, clipped to -1..3 nats). 0 turns
    /// it off. By default, this is 1.
    pub fn topic(mut self, weight: f32) -> Decoder<'a> {
        self.topic = weight.max(0.0);
        self
    }

    /// Nats added to the channel of an original reached through a regular
    /// inflection ("roles" for "jobs", by "role" for "job");
    /// `f32::NEG_INFINITY` weighs none. By default, this is -1.
    pub fn inflections(mut self, nats: f32) -> Decoder<'a> {
        self.inflected = nats;
        self
    }

    /// How many documents of the originals make a text's topic. By
    /// default, this is 20.
    pub fn topic_documents(mut self, n: usize) -> Decoder<'a> {
        self.topic_docs = n;
        self
    }

    /// Hypotheses kept per position. By default, this is 8.
    pub fn beam(mut self, n: usize) -> Decoder<'a> {
        self.beam = n.max(1);
        self
    }

    /// An edit is made only when the decoded path beats keeping the words
    /// by this many nats (log-probability). By default, this is 2.5.
    pub fn min_margin(mut self, nats: f32) -> Decoder<'a> {
        self.min_margin = nats;
        self
    }

    /// An edit next to another edit must also beat keeping its words by
    /// this many nats with its neighbours kept as they stand, so that two
    /// edits do not only hold each other up (a collocation of the model
    /// such as "dry mouth" read into "earthbound carnivore"). By default,
    /// this is 0; `f32::NEG_INFINITY` turns the check off.
    pub fn min_margin_alone(mut self, nats: f32) -> Decoder<'a> {
        self.min_margin_alone = nats;
        self
    }

    /// Whether the share of words spun ([`Decoder::swap`] is the most
    /// assumed) is estimated from the text itself, around each edit: the
    /// decoder's edits per word in about 1,000 tokens around it, less the
    /// share it makes in text no spinner touched, over the share of swaps
    /// it finds. Where the text looks less spun than `swap`, an edit must
    /// beat keeping the words by the prior's difference too (the log odds
    /// of `swap` over those of the estimate; about 3.7 nats in a text that
    /// looks unspun), so `restore` on an original changes few words. Its
    /// margin, and so its confidence, is what remains. By default, this is
    /// on; `score` weighs the margins as evidence of spinning and turns it
    /// off.
    pub fn estimate_rate(mut self, on: bool) -> Decoder<'a> {
        self.estimate_rate = on;
        self
    }

    /// Candidates weighed per word or phrase, the most likely a priori
    /// first. By default, this is 24.
    pub fn max_candidates(mut self, n: usize) -> Decoder<'a> {
        self.max_candidates = n.max(1);
        self
    }

    /// Candidates whose prior (count in the originals times channel) is
    /// more than this many nats below keeping the word are dropped. By
    /// default, this is 4.5.
    pub fn prune(mut self, nats: f32) -> Decoder<'a> {
        self.prune = nats;
        self
    }

    /// Whether a token of `text` may be restored: a word of at least two
    /// letters, or a function word, and not part of a hyphenated compound
    /// (numbers and punctuation are kept). Capitalized words are included:
    /// spinners rewrite them too ("Prime Minister" as "Prime
    /// Clergyman"), and the language model keeps real names, which fit
    /// their context.
    fn restorable(text: &str, t: &Token) -> bool {
        let span = t.span();
        let hyphen_before = text[..span.start()].ends_with('-');
        let hyphen_after = text[span.end()..].starts_with('-');
        t.kind() == TokenKind::Word
            && (t.norm().len() >= 2 || t.is_function_word())
            && !hyphen_before
            && !hyphen_after
    }

    /// Edits restoring the spun words of `suspect`.
    pub fn edits(&self, suspect: &str) -> Vec<Edit> {
        self.edits_with_margin(suspect).into_iter().map(|(e, _)| e).collect()
    }

    /// Edits restoring the spun words of `suspect`, each with its margin:
    /// how many nats (natural-log probability) the restored reading beats
    /// keeping the words as they stand. The margins summed are the
    /// evidence that the text was spun.
    pub fn edits_with_margin(&self, suspect: &str) -> Vec<(Edit, f32)> {
        self.edits_in(&Tokenizer::default().tokenize(suspect))
    }

    /// [`Decoder::edits_with_margin`] on text already tokenized (by the
    /// default tokenizer), for callers that tokenize it anyway.
    ///
    /// A long text is decoded in blocks of whole sentences of about
    /// 500,000 tokens (about 2.5 MB), each with its own
    /// document-wide evidence, so memory stays bounded whatever the
    /// text's size.
    pub fn edits_in(&self, tt: &TokenizedText<'_>) -> Vec<(Edit, f32)> {
        let toks = tt.tokens();
        let mut edits = Vec::new();
        let mut start = 0;
        while start < toks.len() {
            let end = (start + self.block).min(toks.len());
            // To the sentence's end, unless it runs on for another block.
            let end = sentence_end(toks, end - 1, (end + self.block).min(toks.len()));
            edits.extend(self.block(tt, start..end));
            start = end;
        }
        edits
    }

    /// [`Decoder::edits_in`] on the tokens `block` of `tt`.
    fn block(&self, tt: &TokenizedText<'_>, block: Range<usize>) -> Vec<(Edit, f32)> {
        let lex = Lexicon::global();
        let suspect = tt.original();
        let toks = &tt.tokens()[block.clone()];
        let lower: Vec<Lower<'_>> = toks
            .par_iter()
            .with_min_len(WORDS_CHUNK)
            .map(|t| Decoder::restorable(suspect, t).then(|| lowercase(tt.text(t))))
            .collect();
        let types = WordTypes::of(&lower);
        // Acronyms stay as written, but count as the text's words.
        let acronyms: Vec<bool> = (0..toks.len())
            .map(|i| lower[i].is_some() && acronym(tt, block.start + i).is_some())
            .collect();
        // Each token's word in the model, looked up once per word type (in
        // each chunk of tokens, the chunks in parallel).
        let bos = self.model.word(Model::BOS);
        let words: Vec<Word> = toks
            .par_chunks(WORDS_CHUNK)
            .flat_map_iter(|chunk| {
                let mut seen: HashMap<u64, Word> = HashMap::default();
                chunk
                    .iter()
                    .map(|t| {
                        let key = Model::token_key(t);
                        *seen.entry(key).or_insert_with(|| self.model.word(key))
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        // The document's content words (for the cache model) and its topic
        // per window: how much a word fits it, in nats.
        let (doc, windows) = self.content_words(toks, &lower, &words);
        let cache_bonus = |key: u64| if doc.contains(&key) { self.cache } else { 0.0 };
        // The pairs of neighbouring content words the text writes: a
        // candidate that makes one with a neighbour here ("air drive" where
        // the text writes "air force" elsewhere) is likelier the original.
        let pairs = TextPairs::of(toks, &lower, &words, self.pairs > 0.0);
        // (A pair's words are the document's content words: a word not
        // among them makes none.)
        let doc_bonus = |i: usize, key: u64, prev: u64, next: Option<u64>| {
            if !doc.contains(&key) {
                return 0.0;
            }
            let paired = if pairs.pairs(i, prev, key, next) { self.pairs } else { 0.0 };
            self.cache + paired
        };
        let topics = self.model.topics();
        let topic_fit = |window: usize, w: &Word| -> f32 {
            let Some((_, Some(p))) = windows.get(window) else { return 0.0 };
            let fit = topics.bonus(p, w.key(), w.count(), TOPIC_PRIOR);
            self.topic * fit.clamp(-TOPIC_FLOOR, TOPIC_CLIP)
        };
        // Names the text uses on their own ("Canis" before a bracket): a
        // run they begin is a name ("Canis familiaris"), not a spun phrase.
        let names: HashSet<&str> = toks
            .iter()
            .enumerate()
            .filter(|&(i, t)| {
                t.is_name_like()
                    && toks.get(i + 1).is_none_or(|n| {
                        n.sentence() != t.sentence()
                            || n.kind() != TokenKind::Word
                            || n.is_capitalized()
                    })
            })
            .filter_map(|(i, _)| lower[i].as_deref())
            .collect();
        let mut pool_fits = PoolFits::default();
        // A token's neighbours in its sentence (the sentence's start before
        // its first, none after its last).
        let neighbours = |i: usize| {
            let same_sentence = |j: usize| toks[j].sentence() == toks[i].sentence();
            let prev = match i {
                0 => bos,
                _ if !same_sentence(i - 1) => bos,
                _ => words[i - 1],
            };
            (prev, (i + 1 < toks.len() && same_sentence(i + 1)).then(|| words[i + 1]))
        };
        // The word before a token's previous one (its key; the sentence's
        // start if that is the previous one) and the word after its next.
        let outer = |i: usize| {
            let sentence = toks[i].sentence();
            let before_prev = match i {
                0 | 1 => (i == 1 && toks[0].sentence() == sentence).then_some(Model::BOS),
                _ if toks[i - 1].sentence() != sentence => None,
                _ if toks[i - 2].sentence() != sentence => Some(Model::BOS),
                _ => Some(words[i - 2].key()),
            };
            let after_next =
                toks.get(i + 2).filter(|t| t.sentence() == sentence).map(|_| words[i + 2]);
            (before_prev, after_next)
        };
        let mut function_readings =
            self.function_readings(toks, &lower, &types, neighbours, outer, &mut pool_fits);
        // Each token's readings, in chunks of whole sentences decoded in
        // parallel, each with its own memo of a word's and a phrase's
        // readings (a word type's readings are the same wherever it is).
        let chunk_arcs = |range: Range<usize>, function_readings: &mut [Vec<Arc<'a>>]| {
            // The chunk's own numbering of the word types it holds
            // ([`WordTypes`]), so that its memos are as small as its
            // vocabulary.
            let (local, local_count) = types.local(range.clone());
            let type_at = |j: usize| local[j - range.start] as usize;
            // By word type: a type's readings, and the originals the prior
            // left out; its keep channel, where its readings are not
            // wanted; its thesaurus originals before pruning, where a pair
            // of the text asks for one.
            let mut cache: Vec<Option<(Vec<Arc<'a>>, Vec<Candidate>)>> = vec![None; local_count];
            let mut keeps: Vec<Option<f32>> = vec![None; local_count];
            let mut originals: Vec<Option<HashMap<u64, Candidate>>> = vec![None; local_count];
            // A phrase's readings, and whether a longer term begins with it,
            // by its words' types.
            let mut phrase_cache: HashMap<[u32; MAX_PHRASE as usize], (Vec<Arc<'a>>, bool)> =
                HashMap::default();
            // Whether a longer term begins with a word type.
            let mut begins: Vec<Option<bool>> = vec![None; local_count];
            let mut phrase = String::new();
            let mut arcs: Vec<Vec<Arc<'a>>> = Vec::with_capacity(range.len());
            let mut window = windows.partition_point(|&(end, _)| end <= range.start);
            for i in range.clone() {
                // The reads of a later content word's test started first.
                let ahead = i + AHEAD;
                if ahead < range.end && lower[ahead].is_some() && !toks[ahead].is_function_word() {
                    let (prev, next) = neighbours(ahead);
                    self.prefetch_between(&prev, words[ahead].key(), next.as_ref());
                }
                let t = &toks[i];
                while windows.get(window).is_some_and(|&(end, _)| end <= i) {
                    window += 1;
                }
                let same_sentence = |j: usize| toks[j].sentence() == t.sentence();
                let (prev, next) = neighbours(i);
                let mut here = match &lower[i] {
                    Some(_) if t.is_function_word() && !acronyms[i] => {
                        std::mem::take(&mut function_readings[i - range.start])
                    }
                    // A content word seen between its neighbours in the
                    // originals is taken as it stands, as a function word is:
                    // another reading would seldom beat it. So is an
                    // acronym.
                    Some(w)
                        if acronyms[i]
                            || self.seen_between(&prev, words[i].key(), next.as_ref()) =>
                    {
                        let keep = match &cache[type_at(i)] {
                            Some((arcs, _)) => arcs[0].channel,
                            None => {
                                *keeps[type_at(i)].get_or_insert_with(|| self.keep_channel(lex, w))
                            }
                        };
                        vec![Arc {
                            len: 1,
                            word: words[i],
                            text: None,
                            channel: keep,
                            topic: topic_fit(window, &words[i]),
                            bonus: 0.0,
                            evidence: Evidence::Lm,
                        }]
                    }
                    Some(w) => {
                        let (arcs, left_out) =
                            cache[type_at(i)].get_or_insert_with(|| self.word_arcs(lex, w));
                        let mut arcs = arcs.clone();
                        let (p, n) = (prev.key(), next.map(|n| n.key()));
                        // Originals the prior pruned that make a pair of
                        // the text with a neighbour are weighed too.
                        // (The pairs with this word itself ask for nothing.)
                        let own = words[i].key();
                        let around = pairs.around(i, p, n).filter(|&c| c != own);
                        self.add_wanted(lex, w, around, &mut originals[type_at(i)], &mut arcs);
                        // A pair is told by a content word beside it
                        // (almost any word is seen after "the").
                        let content = |j: usize| {
                            same_sentence(j) && lower[j].is_some() && !toks[j].is_function_word()
                        };
                        let sides = (i > 0 && content(i - 1), i + 1 < toks.len() && content(i + 1));
                        self.add_collocates(
                            lex,
                            (&prev, &words[i], next.as_ref()),
                            sides,
                            left_out,
                            &mut arcs,
                        );
                        for (k, a) in arcs.iter_mut().enumerate() {
                            a.bonus = if k > 0 { doc_bonus(i, a.word.key(), p, n) } else { 0.0 };
                            a.topic = topic_fit(window, &a.word);
                        }
                        arcs
                    }
                    None => {
                        vec![Arc {
                            len: 1,
                            word: words[i],
                            text: None,
                            channel: 0.0,
                            topic: 0.0,
                            bonus: 0.0,
                            evidence: Evidence::Lm,
                        }]
                    }
                };
                // Phrases are read only from words that begin a longer term.
                let begins_term = match &lower[i] {
                    Some(w) if self.phrases && !(t.is_capitalized() && names.contains(&**w)) => {
                        *begins[type_at(i)].get_or_insert_with(|| lex.continues(w))
                    }
                    _ => false,
                };
                if begins_term {
                    for n in 2..=MAX_PHRASE {
                        let end = i + usize::from(n);
                        if end > toks.len()
                        || !same_sentence(end - 1)
                        || lower[i..end].iter().any(Option::is_none)
                        || acronyms[i..end].contains(&true)
                        // A name of several words ("Tony Blair") is not
                        // read as a spun phrase: a spinner's phrases are
                        // common words, capitalized at most in their first
                        // letter ("Great britain" for "UK").
                        || toks[i + 1..end].iter().any(Token::is_capitalized)
                        || toks[i + 1..end].iter().any(Token::is_sentence_start)
                        {
                            break;
                        }
                        // Looked up by its words' types (no string built
                        // unless the phrase is new to this text).
                        let mut key = [NO_TYPE; MAX_PHRASE as usize];
                        key[..end - i].copy_from_slice(&types.of[i..end]);
                        let (found, continues) = phrase_cache.entry(key).or_insert_with(|| {
                            phrase.clear();
                            for (k, w) in lower[i..end].iter().flatten().enumerate() {
                                if k > 0 {
                                    phrase.push(' ');
                                }
                                phrase.push_str(w);
                            }
                            let phrase = phrase.as_str();
                            let mut scored = self.thesaurus(lex, phrase);
                            scored.sort_by(|a, b| b.prior.total_cmp(&a.prior));
                            let arcs = scored
                                .iter()
                                .take(self.max_candidates)
                                .map(|c| self.arc(lex, n, c))
                                .collect();
                            (arcs, lex.continues(phrase))
                        });
                        here.extend(found.iter().map(|a| Arc {
                            // The cache only: the pair bonus on phrases
                            // changed more untouched words than it
                            // restored.
                            bonus: cache_bonus(a.word.key()),
                            topic: topic_fit(window, &a.word),
                            ..*a
                        }));
                        if !*continues {
                            break;
                        }
                    }
                }
                arcs.push(here);
            }
            arcs
        };
        let mut chunks = Vec::new();
        let mut rest: &mut [Vec<Arc<'a>>] = &mut function_readings;
        for range in sentence_chunks(toks) {
            let (here, after) = rest.split_at_mut(range.len());
            chunks.push((range, here));
            rest = after;
        }
        let mut arcs: Vec<Vec<Arc<'a>>> = Vec::with_capacity(toks.len());
        let built: Vec<Vec<Vec<Arc<'a>>>> =
            chunks.into_par_iter().map(|(range, readings)| chunk_arcs(range, readings)).collect();
        built.into_iter().for_each(|chunk| arcs.extend(chunk));
        self.pool_and_prune(toks, &lower, &types, &words, &mut arcs);
        let mut sentences = Vec::new();
        let mut start = 0;
        while start < toks.len() {
            let end = sentence_end(toks, start, toks.len());
            sentences.push(start..end);
            start = end;
        }
        // Sentences are decoded independently (the document-wide evidence
        // is in the arcs already), in parallel, their edits in text order.
        let edits = sentences
            .into_par_iter()
            .with_min_len(PARALLEL_MIN)
            .flat_map_iter(|r| self.sentence(tt, block.start + r.start, &arcs[r], bos))
            .collect();
        // Every position's readings freed on all threads, not this one.
        arcs.into_par_iter().with_min_len(WORDS_CHUNK).for_each(drop);
        if self.estimate_rate { self.at_estimated_rate(toks, &lower, edits) } else { edits }
    }

    /// The edits of a block weighed at the spin rate estimated around each
    /// ([`Decoder::estimate_rate`]): each margin less the prior's
    /// difference from the assumed rate, the edits whose margin falls
    /// below the minimum left out.
    fn at_estimated_rate(
        &self,
        toks: &[Token],
        lower: &[Lower<'_>],
        edits: Vec<(Edit, f32)>,
    ) -> Vec<(Edit, f32)> {
        if edits.is_empty() {
            return edits;
        }
        // Restorable words before each token, and each edit's token.
        let mut words = Vec::with_capacity(toks.len() + 1);
        words.push(0u32);
        for l in lower {
            words.push(words.last().copied().unwrap_or(0) + u32::from(l.is_some()));
        }
        let at: Vec<usize> = edits
            .iter()
            .map(|(e, _)| toks.partition_point(|t| t.span().start() < e.start))
            .collect();
        let logit = |p: f32| (p / (1.0 - p)).ln();
        let assumed = logit(self.swap);
        let n = toks.len();
        edits
            .into_iter()
            .zip(&at)
            .filter_map(|((mut e, margin), &i)| {
                let hi = (i.saturating_sub(RATE_WINDOW / 2) + RATE_WINDOW).min(n);
                let lo = hi.saturating_sub(RATE_WINDOW);
                let made = at.partition_point(|&j| j < hi) - at.partition_point(|&j| j < lo);
                let restorable = (words[hi] - words[lo]).max(1) as f32;
                let rate = ((made as f32 / restorable - RATE_FALSE_EDITS) / RATE_EDITS_PER_SWAP)
                    .clamp(RATE_FLOOR.min(self.swap), self.swap);
                let margin = margin - (assumed - logit(rate));
                if margin < self.min_margin {
                    return None;
                }
                // A spun phrase of several tokens, as the search tells it.
                let phrase = toks.partition_point(|t| t.span().start() < e.end) > i + 1;
                e.confidence = confidence(margin, phrase);
                Some((e, margin))
            })
            .collect()
    }

    /// The text's content words (keys), and the topic of each window of
    /// about `TOPIC_WINDOW` tokens (whole sentences; a long text drifts from
    /// topic to topic): the window's end and its [`Profile`] (none if no
    /// document of the originals shares its words). No windows when topics
    /// are off or the model has none.
    fn content_words(&self, toks: &[Token], lower: &[Lower<'_>], words: &[Word]) -> ContentWords {
        let topics = self.model.topics();
        let weigh = self.topic > 0.0 && !topics.is_empty();
        let mut doc = HashSet::default();
        // Each window's end and word counts, then their profiles (in
        // parallel: each ranks the documents of the originals).
        let mut windows: Vec<(usize, HashMap<u64, u32>)> = Vec::new();
        let mut counts: HashMap<u64, u32> = HashMap::default();
        let mut start = 0;
        for (i, t) in toks.iter().enumerate() {
            let new_sentence = i > 0 && t.sentence() != toks[i - 1].sentence();
            if weigh
                && new_sentence
                && i - start >= TOPIC_WINDOW
                && toks.len() - i >= TOPIC_WINDOW / 2
            {
                windows.push((i, std::mem::take(&mut counts)));
                start = i;
            }
            if lower[i].is_some() && !t.is_function_word() {
                let key = words[i].key();
                doc.insert(key);
                if weigh {
                    *counts.entry(key).or_default() += 1;
                }
            }
        }
        if weigh {
            windows.push((toks.len(), counts));
        }
        let windows = windows
            .into_par_iter()
            .map(|(end, counts)| (end, topics.profile(counts, self.topic_docs)))
            .collect();
        (doc, windows)
    }
}

/// Where the sentence of `toks[start]` ends (the index after its last
/// token), or `cap` if it runs on to there.
fn sentence_end(toks: &[Token], start: usize, cap: usize) -> usize {
    let s = toks[start].sentence();
    (start + 1..cap).find(|&j| toks[j].sentence() != s).unwrap_or(cap)
}

/// The tokens split into chunks of whole sentences for the threads to
/// share, of at least [`CHUNK_TOKENS`] tokens each.
fn sentence_chunks(toks: &[Token]) -> Vec<Range<usize>> {
    let threads = rayon::current_num_threads().max(1);
    let per_chunk = toks.len().div_ceil(threads).max(CHUNK_TOKENS);
    let mut chunks = Vec::new();
    let mut start = 0;
    while start < toks.len() {
        let end = sentence_end(toks, (start + per_chunk).min(toks.len()) - 1, toks.len());
        chunks.push(start..end);
        start = end;
    }
    chunks
}

/// The [`FUNCTION_POOL`] most frequent function words in `model`, with
/// their keys.
fn function_pool(model: &Model) -> Vec<(&'static str, Word)> {
    let mut words: Vec<(u32, &'static str, Word)> = unspin_text::function_words()
        .iter()
        .map(|w| {
            let word = model.word(Model::key(w));
            (word.count(), *w, word)
        })
        .collect();
    words.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    words.into_iter().take(FUNCTION_POOL).map(|(_, w, k)| (w, k)).collect()
}

/// `(n as f32).ln()`, from a table for the small counts and fan-outs the
/// decoder takes the logarithm of for every candidate.
fn ln(n: usize) -> f32 {
    const SMALL: usize = 1 << 16;
    static TABLE: OnceLock<Box<[f32]>> = OnceLock::new();
    if n >= SMALL {
        return (n as f32).ln();
    }
    TABLE.get_or_init(|| (0..SMALL).map(|k| (k as f32).ln()).collect())[n]
}

/// Whether two lowercase words are one word in British and American
/// spelling ("tumours" and "tumors", "maximise" and "maximize",
/// "travelled" and "traveled"): the thesauri list such variants as
/// synonyms, but writing one for the other restores nothing.
pub(crate) fn spelling_variants(a: &str, b: &str) -> bool {
    const PAIRS: [(&str, &str); 10] = [
        ("our", "or"),
        ("isation", "ization"),
        ("ise", "ize"),
        ("yse", "yze"),
        ("tre", "ter"),
        ("ence", "ense"),
        ("ogue", "og"),
        ("ll", "l"),
        ("ae", "e"),
        ("oe", "e"),
    ];
    might_be_spelling_variants(a.as_bytes(), b.as_bytes())
        && PAIRS.iter().any(|(x, y)| replaced(a, x, y).eq(replaced(b, x, y)))
}

/// The bytes of `s` with every `from` replaced by `to`, left to right (as
/// [`str::replace`], without building the string).
fn replaced<'s>(s: &'s str, from: &'s str, to: &'s str) -> impl Iterator<Item = u8> + 's {
    let (s, from, to) = (s.as_bytes(), from.as_bytes(), to.as_bytes());
    let mut at = 0;
    let mut pending: &[u8] = &[];
    std::iter::from_fn(move || {
        loop {
            if let Some((&b, rest)) = pending.split_first() {
                pending = rest;
                return Some(b);
            }
            if !from.is_empty() && s[at..].starts_with(from) {
                at += from.len();
                pending = to;
                continue;
            }
            let b = *s.get(at)?;
            at += 1;
            return Some(b);
        }
    })
}

/// The cheap tests of [`spelling_variants`], on bytes: most pairs differ
/// in length or in how they begin.
pub(crate) fn might_be_spelling_variants(a: &[u8], b: &[u8]) -> bool {
    a != b && a.len().abs_diff(b.len()) <= 2 && a.get(..3) == b.get(..3)
}

/// The acronym or ticker token `i` of `tt` writes ("CIA", "NYSE: PEP";
/// "ABC" of the possessive "ABC's"), if it is one: a word of two letters
/// or more, all capitals, with a word written in lowercase among the three
/// words of its sentence on either side (so not a headline in capitals).
/// The decoder keeps them: a spinner writes its replacement in the
/// original's case, capitalized at most in its first letter, and the
/// thesauri read "cia" as a common noun ("CIA" -> "FBI", "PEP" ->
/// "ENERGY").
pub fn acronym<'t>(tt: &TokenizedText<'t>, i: usize) -> Option<&'t str> {
    let toks = tt.tokens();
    let t = toks.get(i)?;
    let text = tt.text(t);
    // Most words fail at their first two letters.
    let mut first = text.chars();
    if !(first.next().is_some_and(char::is_uppercase)
        && first.next().is_some_and(char::is_uppercase))
    {
        return None;
    }
    let text = text.strip_suffix("'s").or_else(|| text.strip_suffix("’s")).unwrap_or(text);
    if text.chars().any(char::is_lowercase) {
        return None;
    }
    let sentence = t.sentence();
    let words = |r: &mut dyn Iterator<Item = &Token>| {
        r.take_while(|t| t.sentence() == sentence)
            .filter(|t| t.kind() == TokenKind::Word)
            .take(3)
            .any(|t| tt.text(t).chars().any(char::is_lowercase))
    };
    (words(&mut toks[..i].iter().rev()) || words(&mut toks[i + 1..].iter())).then_some(text)
}

/// `text` in lowercase, borrowed when it is already.
pub fn lowercase(text: &str) -> Cow<'_, str> {
    if text.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.to_lowercase())
    }
}

/// `word` written in the case of `like` (capital initial or all capitals).
pub(crate) fn cased(like: &str, word: &str) -> String {
    let mut chars = like.chars();
    let first_upper = chars.next().is_some_and(char::is_uppercase);
    let all_upper =
        first_upper && like.chars().count() > 1 && like.chars().all(|c| !c.is_lowercase());
    if all_upper {
        word.to_uppercase()
    } else if first_upper {
        let mut c = word.chars();
        c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
    } else {
        word.to_string()
    }
}

/// An inflected original's text, kept for the life of the process: the
/// forms are regular inflections of thesaurus terms that a model of
/// originals knows, so there are at most a few of each term.
fn intern(form: String) -> &'static str {
    static FORMS: OnceLock<std::sync::Mutex<HashSet<&'static str>>> = OnceLock::new();
    let forms = FORMS.get_or_init(Default::default);
    let mut forms = forms.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    match forms.get(form.as_str()) {
        Some(&kept) => kept,
        None => {
            let kept: &'static str = Box::leak(form.into_boxed_str());
            forms.insert(kept);
            kept
        }
    }
}

/// The pairs of neighbouring content words a text writes (by model key),
/// in windows of [`PAIRS_WINDOW`] tokens: an article is one window, and a
/// book's pairs are weighed near where it writes them.
#[derive(Default)]
struct TextPairs {
    /// (window, first word, second word).
    pairs: HashSet<(usize, u64, u64)>,
    /// The words written after a word, and before one, in a window.
    after: HashMap<(usize, u64), Vec<u64>>,
    before: HashMap<(usize, u64), Vec<u64>>,
}

/// The tokens of a window of [`TextPairs`].
const PAIRS_WINDOW: usize = 4096;

impl TextPairs {
    /// The pairs of restorable content words of one sentence in `toks`
    /// (none if not `on`).
    fn of(toks: &[Token], lower: &[Lower<'_>], words: &[Word], on: bool) -> TextPairs {
        let mut pairs = TextPairs::default();
        if !on {
            return pairs;
        }
        let content = |j: usize| lower[j].is_some() && !toks[j].is_function_word();
        for j in 1..toks.len() {
            if toks[j].sentence() == toks[j - 1].sentence() && content(j) && content(j - 1) {
                let (v, w, at) = (words[j - 1].key(), words[j].key(), j / PAIRS_WINDOW);
                if pairs.pairs.insert((at, v, w)) {
                    pairs.after.entry((at, v)).or_default().push(w);
                    pairs.before.entry((at, w)).or_default().push(v);
                }
            }
        }
        pairs
    }

    /// Whether the text writes `word` after `prev` or before `next`, in
    /// the window of token `i`.
    fn pairs(&self, i: usize, prev: u64, word: u64, next: Option<u64>) -> bool {
        let at = i / PAIRS_WINDOW;
        self.pairs.contains(&(at, prev, word))
            || next.is_some_and(|n| self.pairs.contains(&(at, word, n)))
    }

    /// The words the text writes after `prev` and those before `next`, in
    /// the window of token `i`.
    fn around(&self, i: usize, prev: u64, next: Option<u64>) -> impl Iterator<Item = u64> + '_ {
        let at = i / PAIRS_WINDOW;
        let after = self.after.get(&(at, prev)).into_iter().flatten();
        let before = next.and_then(|n| self.before.get(&(at, n))).into_iter().flatten();
        after.chain(before).copied()
    }
}

#[cfg(test)]
mod tests;
