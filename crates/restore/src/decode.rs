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
//! "music" in an article about a band), `P(S | O)` the spinner's channel
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
use std::sync::atomic::{AtomicU64, Ordering};

use unspin_lexicon::{Inflection, Lexicon, TermId, inflect};
use unspin_lm::{Context, Model, Profile, Word};
use unspin_text::{Token, TokenKind, TokenizedText, Tokenizer};

use crate::{Edit, Evidence, Learned};

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
    /// Each function word's key and statistics (a text has few of them).
    own: HashMap<String, (u64, Word)>,
    /// Scratch: the pool words that fit (by index), with their fit and
    /// channel.
    scored: Vec<(f32, usize, f32)>,
}

impl PoolFits {
    /// A function word's key and statistics in `model`.
    fn own_word(&mut self, model: &Model, lower: &str) -> (u64, Word) {
        match self.own.get(lower) {
            Some(&known) => known,
            None => {
                let own = Model::key(lower);
                let known = (own, model.word(own));
                self.own.insert(lower.to_string(), known);
                known
            }
        }
    }
}

/// A token of the suspect in lowercase, if it may be restored.
type Lower<'t> = Option<Cow<'t, str>>;

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
const MAX_PHRASE: usize = 8;

/// One way to read suspect tokens `pos..pos + len`: keep them (`text` is
/// `None`, one token) or restore them to one original word.
#[derive(Clone, Copy, Debug)]
struct Arc<'a> {
    len: usize,
    /// The word's key and statistics in the model (looked up once).
    word: Word,
    /// The text to write (lowercase; cased at output time).
    text: Option<&'a str>,
    /// `log P(suspect words | this original)`.
    channel: f32,
    /// How well the word fits the text's topic (nats, weighted; 0 for a
    /// function word).
    topic: f32,
    /// A candidate original that occurs elsewhere in the document (it gains
    /// the decoder's cache bonus).
    cached: bool,
    evidence: Evidence,
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

/// Slots per lexicon term in the model's memo: the term's count, then its
/// count in each [`Inflection`].
const MEMO_SLOTS: usize = 1 + Inflection::ALL.len();

/// Nats added by default to the channel of an original reached through an
/// inflection ([`Decoder::inflections`]).
const INFLECTED: f32 = -1.0;

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
            local: 4,
            pool: 1.0,
            topic: 1.0,
            topic_docs: 20,
            inflected: INFLECTED,
            function_pool: function_pool(model),
            block: BLOCK_TOKENS,
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

    /// `log P(arc's word | context)` from the n-gram model, plus its
    /// topic fit and cache bonus, and the context the arc's word makes for
    /// the next ([`Model::logprob_next`]).
    fn lm_next(&self, ctx: &Context, a: &Arc<'_>) -> (f32, Context) {
        let (lp, next) = self.model.logprob_next(ctx, &a.word);
        let cache = if a.cached { self.cache } else { 0.0 };
        (lp + a.topic + cache, next)
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

    /// The thesaurus originals of a spun word or phrase, scored by prior
    /// (count in the originals times channel), with their key and channel.
    /// Cheap: counts come from the model's memo; the model is asked for a
    /// candidate's full statistics only once it survives pruning
    /// ([`Decoder::arc`]).
    fn thesaurus(&self, lex: &Lexicon, spun: &str) -> Vec<Candidate> {
        let spun_text = spun;
        let Some(spun) = lex.term_id(spun) else { return Vec::new() };
        let mut scored = Vec::new();
        let swap = self.swap.ln();
        // A lexicon learned with its originals' words counted knows how
        // this spinner writes each candidate.
        let learned = self.counted().map(|l| l.channels(spun_text));
        for (id, fan_out) in lex.original_ids_with_fan_out(spun) {
            let Some((key, count)) = self.term_count(lex, id) else { continue };
            if count < self.min_count || id == spun {
                continue;
            }
            let mut channel = swap - ln(fan_out.max(1));
            if let Some(learned) = &learned {
                channel = learned.of(lex.term(id), channel.exp()).ln();
            }
            scored.push(Candidate {
                prior: channel + ln(count as usize),
                id,
                key,
                channel,
                inflection: None,
                text: None,
            });
        }
        scored
    }

    /// The originals of an inflected word through its base forms: "jobs"
    /// is "job" inflected, a spinner may have written "job" for "role", so
    /// "roles" is a candidate (in the spelling the model knows best). A
    /// real spinner keeps a word's inflection when it swaps it; the
    /// thesauri list base forms.
    fn inflected(&self, lex: &Lexicon, spun: &str) -> Vec<Candidate> {
        let mut scored = Vec::new();
        if self.inflected == f32::NEG_INFINITY || lex.term_id(spun).is_some() {
            return scored;
        }
        let swap = self.swap.ln() + self.inflected;
        let learned = self.counted().map(|l| l.channels(spun));
        for (base, how) in lex.inflected_terms(spun) {
            for (id, fan_out) in lex.original_ids_with_fan_out(base) {
                let Some((count, k)) = self.inflected_count(lex, id, how) else { continue };
                if count < self.min_count || id == base {
                    continue;
                }
                let mut channel = swap - ln(fan_out.max(1));
                if let Some(learned) = &learned
                    && let Some(form) = inflect(lex.term(id), how).into_iter().nth(usize::from(k))
                {
                    channel = learned.of(&form, channel.exp()).ln();
                }
                scored.push(Candidate {
                    prior: channel + ln(count as usize),
                    id,
                    key: 0,
                    channel,
                    inflection: Some((how, k)),
                    text: None,
                });
            }
        }
        scored
    }

    /// The count in the originals of a lexicon term (a single lowercase
    /// word) in the inflection `how`, in its spelling the model knows best
    /// (with that spelling's index in [`inflect`]); computed once per
    /// model.
    fn inflected_count(&self, lex: &Lexicon, id: TermId, how: Inflection) -> Option<(u32, u8)> {
        const NOT_A_WORD: u32 = u32::MAX - 1;
        const COUNT_BITS: u32 = 30;
        let compute = || {
            let term = lex.term(id);
            if !term.bytes().all(|b| b.is_ascii_lowercase()) {
                return NOT_A_WORD;
            }
            let mut best = (0u32, 0u32);
            // A spelling's index fits the two top bits (`inflect` writes two).
            for (k, form) in inflect(term, how).into_iter().enumerate().take(4) {
                let count = self.model.count_hash(Model::key(&form)).min((1 << COUNT_BITS) - 2);
                if k == 0 || count > best.0 {
                    best = (count, k as u32);
                }
            }
            best.0 | (best.1 << COUNT_BITS)
        };
        let value = self.memoized(lex, 1 + how as usize, id, compute);
        (value != NOT_A_WORD)
            .then_some((value & ((1 << COUNT_BITS) - 1), (value >> COUNT_BITS) as u8))
    }

    /// The model key and count of a lexicon term that may be an original (a
    /// single lowercase word), computed once per model.
    fn term_count(&self, lex: &Lexicon, id: TermId) -> Option<(u64, u32)> {
        /// Marks a term that cannot be an original.
        const NOT_A_WORD: u32 = u32::MAX - 1;
        let compute = || {
            if lex.term(id).bytes().all(|b| b.is_ascii_lowercase()) {
                self.model.count_hash(term_key(lex, id)).min(NOT_A_WORD - 1)
            } else {
                NOT_A_WORD
            }
        };
        let count = self.memoized(lex, 0, id, compute);
        (count != NOT_A_WORD).then(|| (term_key(lex, id), count))
    }

    /// A value derived from the model for the term `id`, in `slot` of
    /// [`MEMO_SLOTS`]: memoized in the model by the global lexicon's term
    /// ids, computed each time for another lexicon.
    fn memoized(
        &self,
        lex: &Lexicon,
        slot: usize,
        id: TermId,
        compute: impl FnOnce() -> u32,
    ) -> u32 {
        if std::ptr::eq(lex, Lexicon::global()) {
            let terms = lex.term_count();
            self.model.memoized(MEMO_SLOTS * terms, slot * terms + id.as_u32() as usize, compute)
        } else {
            compute()
        }
    }

    /// The arc reading `len` suspect words as the candidate original.
    fn arc(&self, lex: &Lexicon, len: usize, c: &Candidate) -> Arc<'a> {
        Arc {
            len,
            word: self.model.word(c.key),
            text: Some(c.text.unwrap_or_else(|| lex.term(c.id))),
            channel: c.channel,
            topic: 0.0,
            cached: false,
            evidence: Evidence::Lm,
        }
    }

    /// Whether the word with key `own` was seen in the originals between
    /// `prev` and `next` (after `prev` at a sentence's end): a reading
    /// that fits its neighbours so well is kept as it stands.
    fn seen_between(&self, prev: &Word, own: u64, next: Option<&Word>) -> bool {
        match next {
            Some(n) => self.model.ngram_count(&[prev.key(), own, n.key()]) > 0,
            None => self.model.ngram_count(&[prev.key(), own]) > 0,
        }
    }

    /// The learned lexicon, if it counted its originals' words: then it
    /// knows this spinner's channel ([`Learned::channel`]).
    fn counted(&self) -> Option<&'a Learned> {
        self.learned.filter(|l| l.counts_words())
    }

    /// `log P(a content word kept | it was the original)`: the spinner
    /// leaves a word it has replacements for with probability `1 - swap`
    /// (with a counted learned lexicon, as often as it did there).
    fn keep_channel(&self, lex: &Lexicon, lower: &str) -> f32 {
        let prior = if lex.fan_out(lower) > 0 { 1.0 - self.swap } else { 1.0 };
        match self.counted() {
            Some(learned) => learned.keep(lower, prior).ln(),
            None => prior.ln(),
        }
    }

    /// The arcs of a content word: keep it, or one of its originals.
    fn word_arcs(&self, lex: &Lexicon, lower: &str) -> Vec<Arc<'a>> {
        let own = Model::key(lower);
        let keep = self.keep_channel(lex, lower);
        let own_word = self.model.word(own);
        let mut out = vec![Arc {
            len: 1,
            word: own_word,
            text: None,
            channel: keep,
            topic: 0.0,
            cached: false,
            evidence: Evidence::Lm,
        }];
        let mut scored = self.thesaurus(lex, lower);
        scored.extend(self.inflected(lex, lower));
        let mut learned_arcs = Vec::new();
        if let Some(learned) = self.learned {
            for (o, share) in learned.originals(lower) {
                if o.contains(' ') || o == lower {
                    continue;
                }
                scored.retain(|c| lex.term(c.id) != o || c.inflection.is_some());
                learned_arcs.push(Arc {
                    len: 1,
                    word: self.model.word(Model::key(o)),
                    text: Some(o),
                    channel: if learned.counts_words() {
                        learned.channel(o, lower, self.swap * share).ln()
                    } else {
                        (0.9 * share).ln()
                    },
                    topic: 0.0,
                    cached: false,
                    evidence: Evidence::Learned,
                });
            }
        }
        // Candidates far less likely a priori than keeping the word (its
        // count in the originals and the keep channel) are not weighed.
        let keep_prior = keep + (own_word.count() as f32 + 0.5).ln();
        scored.retain(|c| c.prior >= keep_prior - self.prune);
        scored.sort_by(|a, b| b.prior.total_cmp(&a.prior));
        let room = self.max_candidates.saturating_sub(learned_arcs.len());
        // An original reached both ways (or learned) is weighed once, at
        // its best; an inflected one's text and key are found only now.
        let mut seen: HashSet<u64> = learned_arcs.iter().map(|a| a.word.key()).collect();
        seen.insert(own);
        out.extend(learned_arcs.into_iter().take(self.max_candidates));
        let mut kept = 0;
        for mut c in scored {
            if kept == room {
                break;
            }
            if let Some((how, k)) = c.inflection {
                let Some(form) = inflect(lex.term(c.id), how).into_iter().nth(usize::from(k))
                else {
                    continue;
                };
                c.key = Model::key(&form);
                if seen.contains(&c.key) {
                    continue;
                }
                c.text = Some(intern(form));
            }
            if seen.insert(c.key) {
                out.push(self.arc(lex, 1, &c));
                kept += 1;
            }
        }
        out
    }

    /// The readings of a text's function words: keep each, or another
    /// function word that fits its neighbours. A context-free spinner swaps
    /// a function word type into one other throughout (at some of its
    /// occurrences), so the channel is learned from the text: "from" is
    /// read as "the" more readily where other occurrences of "from" fit
    /// "the" far better, and more so if the text has many occurrences of
    /// "the" to swap. Per type and pool word, the odds that the spinner
    /// swapped the pool word into the type are a prior times the likelihood
    /// ratio of the type's other occurrences (a mixture of kept and swapped
    /// ones, each weighed by its fit in its five-word window); an
    /// occurrence's own fit is left to the decoder. A function
    /// word seen between its two neighbours in the originals (or after the
    /// one before it, at a sentence's end) is taken as it stands.
    fn function_readings(
        &self,
        toks: &[Token],
        lower: &[Lower<'_>],
        neighbours: impl Fn(usize) -> (Word, Option<Word>) + Sync,
        outer: impl Fn(usize) -> (Option<u64>, Option<Word>) + Sync,
        memo: &mut PoolFits,
    ) -> Vec<Vec<Arc<'a>>> {
        let mut out: Vec<Vec<Arc<'a>>> = vec![Vec::new(); toks.len()];
        let pool = &self.function_pool;
        let n = pool.len();
        let s = self.swap_function;
        let flat_keep = (1.0 - s).ln();
        let function_word = |i: usize| lower[i].as_deref().filter(|_| toks[i].is_function_word());
        let mut count: HashMap<&str, u32> = HashMap::default();
        for i in 0..toks.len() {
            if let Some(w) = function_word(i) {
                *count.entry(w).or_default() += 1;
            }
        }
        let counted = |w: &str| count.get(w).copied().unwrap_or(0) as f32;
        let swapping = s > 0.0 && s < 1.0 && n >= 2 && self.function_candidates > 0;
        // The prior that the spinner swapped a pool word into a given type:
        // that it swapped it at all (the text's count of it kept is about
        // 1 - s of its count), into one of the pool's other words.
        let den = (n.max(2) - 1) as f32;
        let prior: Vec<f64> = pool
            .iter()
            .map(|(f, _)| {
                let at_all = 1.0 - (1.0 - s).powf(counted(f) / (1.0 - s) + 1.0);
                f64::from(at_all / den)
            })
            .collect();
        // One occurrence's evidence that the spinner swapped a pool word
        // into its type: ln((1 - s) P(w) + s P(f)) - ln((1 - s) P(w)), g
        // the pool word's fit over the type's (ln P(f) - ln P(w)).
        // (The odds inside, x = s / (1 - s) e^g, are kept: the evidence is
        // ln(1 + x).) Fits below FUNCTION_FLOOR carry next to none.
        let odds_swapped = (s / (1.0 - s)).ln();
        // Pass 1: each occurrence's fits (pool index, fit over keeping, odds
        // x; as a flat list) and each type's evidence. The lookups run in
        // parallel: first which occurrences are weighed (those not seen
        // between their neighbours in the originals) and the fit of each
        // pool word after each of their left neighbours; then the fits of
        // each chunk of sentences (each with its own memo of fits before a
        // right neighbour); the evidence is summed in text order after.
        // Each occurrence keeps its word (its key and statistics looked up
        // once per type).
        // A lexicon learned with its originals' words counted knows how
        // this spinner writes function words too.
        let learned = self.counted();
        for (i, here) in out.iter_mut().enumerate() {
            let Some(w) = function_word(i) else { continue };
            here.push(Arc {
                len: 1,
                word: memo.own_word(self.model, w).1,
                text: None,
                channel: learned.map_or(flat_keep, |l| l.keep(w, 1.0 - s).ln()),
                topic: 0.0,
                cached: false,
                evidence: Evidence::Lm,
            });
        }
        let own_keys = &memo.own;
        let weighed: Vec<bool> = (0..toks.len())
            .into_par_iter()
            .with_min_len(PARALLEL_MIN * 16)
            .map(|i| {
                let Some(&(own, _)) =
                    function_word(i).filter(|_| swapping).and_then(|w| own_keys.get(w))
                else {
                    return false;
                };
                let (prev, next) = neighbours(i);
                !self.seen_between(&prev, own, next.as_ref())
            })
            .collect();
        let mut lefts: Vec<Word> = Vec::new();
        let mut listed: HashSet<u64> = HashSet::default();
        for (i, _) in weighed.iter().enumerate().filter(|(_, w)| **w) {
            let prev = neighbours(i).0;
            if !memo.after.contains_key(&prev.key()) && listed.insert(prev.key()) {
                lefts.push(prev);
            }
        }
        let rows: Vec<(u64, Box<[f32]>)> = lefts
            .par_iter()
            .with_min_len(PARALLEL_MIN)
            .map(|prev| {
                let left = self.model.context_word(None, prev);
                (
                    prev.key(),
                    pool.iter().map(|(_, word)| self.model.logprob_word(&left, word)).collect(),
                )
            })
            .collect();
        memo.after.extend(rows);
        let (after, own) = (&memo.after, &memo.own);
        let chunk_fits = |range: Range<usize>| -> ChunkFits {
            let mut fits: Vec<(usize, f32, f32)> = Vec::new();
            let mut fits_of: Vec<(usize, usize, usize)> = Vec::new();
            let mut before: HashMap<Option<u64>, Box<[f32]>> = HashMap::default();
            for i in range.filter(|&i| weighed[i]) {
                let (Some(w), Some(after)) = (function_word(i), after.get(&neighbours(i).0.key()))
                else {
                    continue;
                };
                let Some(&(_, own_word)) = own.get(w) else { continue };
                let (prev, next) = neighbours(i);
                let left = self.model.context_word(None, &prev);
                let right = |word: &Word| {
                    next.map_or(0.0, |n| {
                        self.model.logprob_word(&self.model.context_word(None, word), &n)
                    })
                };
                let own_fit = self.model.logprob_word(&left, &own_word) + right(&own_word);
                let before =
                    before.entry(next.map(|n| n.key())).or_insert_with(|| vec![f32::NAN; n].into());
                let from = fits.len();
                // The fit in the five-word window (trigrams), for the pool
                // words whose fit to the two neighbours (bigrams) beats the
                // word's by FUNCTION_BIGRAM_GAIN.
                let (before_prev, after_next) = outer(i);
                let left3 = self.model.context_word(before_prev, &prev);
                let window = |word: &Word| {
                    let mut f = self.model.logprob_word(&left3, word);
                    if let Some(nx) = next {
                        f += self
                            .model
                            .logprob_word(&self.model.context_word(Some(prev.key()), word), &nx);
                        if let Some(nn) = after_next {
                            f += self
                                .model
                                .logprob_word(&self.model.context_word(Some(word.key()), &nx), &nn);
                        }
                    }
                    f
                };
                let mut own3 = f32::NAN;
                for (k, &(f, word)) in pool.iter().enumerate() {
                    // The right side is at most 0: the left alone rules most
                    // out.
                    if f == w || after[k] - own_fit <= FUNCTION_BIGRAM_GAIN {
                        continue;
                    }
                    if before[k].is_nan() {
                        before[k] = right(&word);
                    }
                    let g = after[k] + before[k] - own_fit;
                    if g <= FUNCTION_BIGRAM_GAIN {
                        continue;
                    }
                    if own3.is_nan() {
                        own3 = window(&own_word);
                    }
                    let g = window(&word) - own3;
                    if g > FUNCTION_FLOOR {
                        fits.push((k, g, (odds_swapped + g.min(FUNCTION_CLIP)).exp()));
                    }
                }
                fits_of.push((i, from, fits.len()));
            }
            (fits_of, fits)
        };
        let chunks: Vec<ChunkFits> =
            sentence_chunks(toks).into_par_iter().map(chunk_fits).collect();
        let mut fits: Vec<(usize, f32, f32)> = Vec::new();
        let mut fits_of: Vec<(usize, usize, usize)> = Vec::new();
        let mut sum: HashMap<&str, Box<[f32]>> = HashMap::default();
        for (chunk_of, chunk) in chunks {
            for (i, from, to) in chunk_of {
                let Some(w) = function_word(i) else { continue };
                let ev = sum.entry(w).or_insert_with(|| vec![0.0; n].into());
                let start = fits.len();
                for &(k, g, x) in &chunk[from..to] {
                    ev[k] += x.ln_1p();
                    fits.push((k, g, x));
                }
                fits_of.push((i, start, fits.len()));
            }
        }
        // A pool word is swapped into one type at most: its types compete
        // (the evidence for one explains the others away). Per pool word,
        // the posterior's normalizer: 1 + prior * sum over types of
        // (likelihood ratio - 1).
        // (Likelihood ratios are capped where the odds are certain anyway.)
        let ratio = |ev: f32| f64::from(ev.min(FUNCTION_EVIDENCE_MAX)).exp();
        let norm: Vec<f64> = (0..n)
            .map(|k| {
                let lr: f64 = sum.values().map(|ev| ratio(ev[k]) - 1.0).sum();
                1.0 + prior[k] * lr
            })
            .collect();
        // Pass 2: each occurrence's readings, its own evidence left out of
        // the odds (the decoder weighs its fit).
        let scored = &mut memo.scored;
        let swap = s.ln();
        let all = unspin_text::function_words().len();
        let flat = swap - ln((all - 1).max(1));
        // The channel is at most ln s (ln 1 with a learned lexicon).
        let most = if learned.is_some() { 0.0 } else { swap };
        for &(i, from, to) in &fits_of {
            let Some(w) = function_word(i) else { continue };
            let Some(ev) = sum.get(w) else { continue };
            let keep = learned.map_or(flat_keep, |l| l.keep(w, 1.0 - s).ln());
            scored.clear();
            for &(k, g, x) in &fits[from..to] {
                if g + most <= keep - FUNCTION_PRUNE {
                    continue;
                }
                let all = ratio(ev[k]);
                let others = all / f64::from(1.0 + x);
                let p = prior[k] * others / (norm[k] + prior[k] * (others - all));
                let mut channel = if self.pool > 0.0 {
                    (p.clamp(f64::MIN_POSITIVE, 1.0) as f32).ln() + swap
                } else {
                    flat
                };
                if let Some(l) = learned {
                    channel = l.channel(pool[k].0, w, channel.exp()).ln();
                }
                if g + channel > keep - FUNCTION_PRUNE {
                    scored.push((g + channel, k, channel));
                }
            }
            scored.sort_by(|a, b| b.0.total_cmp(&a.0));
            out[i].extend(scored.iter().take(self.function_candidates).map(|&(_, k, channel)| {
                Arc {
                    len: 1,
                    word: pool[k].1,
                    text: Some(pool[k].0),
                    channel,
                    topic: 0.0,
                    cached: false,
                    evidence: Evidence::Lm,
                }
            }));
        }
        out
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
        let cached = |key: u64| doc.contains(&key);
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
            self.function_readings(toks, &lower, neighbours, outer, &mut pool_fits);
        // Each token's readings, in chunks of whole sentences decoded in
        // parallel, each with its own memo of a word's and a phrase's
        // readings (a word type's readings are the same wherever it is).
        let chunk_arcs = |range: Range<usize>, function_readings: &mut [Vec<Arc<'a>>]| {
            let mut cache: HashMap<&str, Vec<Arc<'a>>> = HashMap::default();
            // A phrase's readings, and whether a longer term begins with it.
            let mut phrase_cache: HashMap<&[Lower<'_>], (Vec<Arc<'a>>, bool)> = HashMap::default();
            let mut begins: HashMap<&str, bool> = HashMap::default();
            let mut arcs: Vec<Vec<Arc<'a>>> = Vec::with_capacity(range.len());
            let mut window = windows.partition_point(|&(end, _)| end <= range.start);
            for i in range.clone() {
                let t = &toks[i];
                while windows.get(window).is_some_and(|&(end, _)| end <= i) {
                    window += 1;
                }
                let same_sentence = |j: usize| toks[j].sentence() == t.sentence();
                let (prev, next) = neighbours(i);
                let mut here = match &lower[i] {
                    Some(_) if t.is_function_word() => {
                        std::mem::take(&mut function_readings[i - range.start])
                    }
                    // A content word seen between its neighbours in the
                    // originals is taken as it stands, as a function word is:
                    // another reading would seldom beat it.
                    Some(w) if self.seen_between(&prev, words[i].key(), next.as_ref()) => {
                        let keep = match cache.get(&**w) {
                            Some(arcs) => arcs[0].channel,
                            None => self.keep_channel(lex, w),
                        };
                        vec![Arc {
                            len: 1,
                            word: words[i],
                            text: None,
                            channel: keep,
                            topic: topic_fit(window, &words[i]),
                            cached: false,
                            evidence: Evidence::Lm,
                        }]
                    }
                    Some(w) => {
                        let mut arcs =
                            cache.entry(w).or_insert_with_key(|w| self.word_arcs(lex, w)).clone();
                        for (k, a) in arcs.iter_mut().enumerate() {
                            a.cached = k > 0 && cached(a.word.key());
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
                            cached: false,
                            evidence: Evidence::Lm,
                        }]
                    }
                };
                // Phrases are read only from words that begin a longer term.
                let begins_term = match &lower[i] {
                    Some(w) if self.phrases && !(t.is_capitalized() && names.contains(&**w)) => {
                        *begins.entry(&**w).or_insert_with(|| lex.continues(w))
                    }
                    _ => false,
                };
                if begins_term {
                    for n in 2..=MAX_PHRASE {
                        let end = i + n;
                        if end > toks.len()
                        || !same_sentence(end - 1)
                        || lower[i..end].iter().any(Option::is_none)
                        // A name of several words ("Tony Blair") is not
                        // read as a spun phrase: a spinner's phrases are
                        // common words, capitalized at most in their first
                        // letter ("Great britain" for "UK").
                        || toks[i + 1..end].iter().any(Token::is_capitalized)
                        || toks[i + 1..end].iter().any(Token::is_sentence_start)
                        {
                            break;
                        }
                        // Looked up by its words (no string built unless the
                        // phrase is new to this text).
                        let words = &lower[i..end];
                        let (found, continues) = phrase_cache.entry(words).or_insert_with(|| {
                            let phrase: Vec<&str> = words.iter().flatten().map(|w| &**w).collect();
                            let phrase = phrase.join(" ");
                            let mut scored = self.thesaurus(lex, &phrase);
                            scored.sort_by(|a, b| b.prior.total_cmp(&a.prior));
                            let arcs = scored
                                .iter()
                                .take(self.max_candidates)
                                .map(|c| self.arc(lex, n, c))
                                .collect();
                            (arcs, lex.continues(&phrase))
                        });
                        here.extend(found.iter().map(|a| Arc {
                            cached: cached(a.word.key()),
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
        self.pool_and_prune(toks, &lower, &words, &mut arcs);
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
        edits
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

    /// Weighs each reading against its neighbours in the suspect (bigram
    /// model, channel and cache), lends a content word's readings the
    /// evidence of the same word's other occurrences (a context-free
    /// spinner writes one replacement for a word throughout a text), and
    /// keeps the [`Decoder::local_candidates`] best readings per position.
    fn pool_and_prune(
        &self,
        toks: &[Token],
        lower: &[Lower<'_>],
        words: &[Word],
        arcs: &mut [Vec<Arc<'a>>],
    ) {
        let word = |i: usize, j: usize| {
            (j < toks.len() && toks[j].sentence() == toks[i].sentence()).then(|| words[j])
        };
        // A content word's single-word readings are pooled over its
        // occurrences.
        let pooled_word = |i: usize| match &lower[i] {
            Some(w) if self.pool > 0.0 && !toks[i].is_function_word() => Some(&**w),
            _ => None,
        };
        let mut occurrences: HashMap<&str, usize> = HashMap::default();
        for i in 0..toks.len() {
            if let Some(w) = pooled_word(i) {
                *occurrences.entry(w).or_default() += 1;
            }
        }
        let repeated = |i: usize| pooled_word(i).filter(|w| occurrences.get(w) > Some(&1));
        // Each reading's fit minus keeping the word, where readings are to
        // be pruned or pooled.
        let fits: Vec<Vec<f32>> = arcs
            .par_iter()
            .enumerate()
            .with_min_len(PARALLEL_MIN * 16)
            .map(|(i, here)| {
                if here.len() <= self.local + 1 && (here.len() < 2 || repeated(i).is_none()) {
                    return Vec::new();
                }
                let prev = i.checked_sub(1).and_then(|j| word(i, j));
                let left = match prev {
                    Some(prev) => self.model.context_word(None, &prev),
                    None => self.model.context(None, Some(Model::BOS)),
                };
                let next_word = word(i, i + 1);
                let fit = |a: &Arc<'_>| {
                    let next = if a.len == 1 { next_word } else { word(i, i + a.len) };
                    let right = next.map_or(0.0, |n| {
                        self.model.logprob_word(&self.model.context_word(None, &a.word), &n)
                    });
                    self.lm_next(&left, a).0 + right + a.channel
                };
                let keep = fit(&here[0]);
                here.iter().map(|a| fit(a) - keep).collect()
            })
            .collect();
        let clipped = |f: f32| f.clamp(-POOL_CLIP, POOL_CLIP);
        let mut evidence: HashMap<(&str, &str), f32> = HashMap::default();
        for (i, here) in arcs.iter().enumerate() {
            let Some(w) = repeated(i) else { continue };
            for (a, f) in here.iter().zip(&fits[i]).skip(1) {
                if let (1, Some(text)) = (a.len, a.text) {
                    *evidence.entry((w, text)).or_default() += clipped(*f);
                }
            }
        }
        // Each position's readings pooled and pruned on its own, in
        // parallel.
        arcs.par_iter_mut().enumerate().with_min_len(PARALLEL_MIN * 16).for_each(|(i, here)| {
            if fits[i].is_empty() {
                return;
            }
            let mut scored: Vec<(f32, Arc<'a>)> = Vec::with_capacity(here.len());
            for (a, f) in here.iter().zip(&fits[i]).skip(1) {
                let mut a = *a;
                let mut bonus = 0.0;
                if let (Some(w), 1, Some(text)) = (repeated(i), a.len, a.text) {
                    let others = evidence.get(&(w, text)).copied().unwrap_or(0.0) - clipped(*f);
                    bonus = self.pool * others;
                    a.channel += bonus;
                }
                scored.push((f + bonus, a));
            }
            if here.len() > self.local + 1 {
                scored.sort_by(|a, b| b.0.total_cmp(&a.0));
                scored.truncate(self.local);
            }
            here.truncate(1);
            here.extend(scored.iter().map(|(_, a)| *a));
        });
    }

    /// How much better `path` scores than the same path keeping the suspect
    /// words of its `k`-th arc. Only the arc and the two after it (whose
    /// trigram context it is) differ, so only they are scored.
    fn gain(&self, arcs: &[Vec<Arc<'a>>], path: &[(usize, usize)], k: usize, bos: Word) -> f32 {
        let word = |j: usize| {
            let (p, i) = path[j];
            arcs[p][i].word
        };
        let ctx = match k {
            0 => self.model.context_word(None, &bos),
            1 => self.model.context_word(Some(Model::BOS), &word(0)),
            _ => self.model.context_word(Some(word(k - 2).key()), &word(k - 1)),
        };
        let (pos, ai) = path[k];
        let after = &path[k + 1..path.len().min(k + 3)];
        let score = |entries: &mut dyn Iterator<Item = (usize, usize)>| {
            let (mut ctx, mut s) = (ctx, 0.0);
            for (p, i) in entries {
                let a = &arcs[p][i];
                let (lp, next) = self.lm_next(&ctx, a);
                s += lp + a.channel;
                ctx = next;
            }
            s
        };
        let with = score(&mut std::iter::once((pos, ai)).chain(after.iter().copied()));
        let kept =
            score(&mut (pos..pos + arcs[pos][ai].len).map(|q| (q, 0)).chain(after.iter().copied()));
        with - kept
    }

    /// The best path through one sentence's readings (beam search):
    /// (start position, arc index) per step, or `None` if nothing reaches
    /// its end. `beam` is scratch space, reused from sentence to sentence.
    fn search(
        &self,
        beam: &mut Beam,
        arcs: &[Vec<Arc<'a>>],
        bos: Word,
    ) -> Option<Vec<(usize, usize)>> {
        let n = arcs.len();
        let Beam { arena, ends, hyps } = beam;
        arena.clear();
        if ends.len() < n + 1 {
            ends.resize_with(n + 1, HashMap::default);
        }
        ends.iter_mut().take(n + 1).for_each(HashMap::clear);
        ends[0].insert((0, Model::BOS), (0.0, NONE, 0, NONE, self.model.context_word(None, &bos)));
        for pos in 0..n {
            hyps.clear();
            hyps.extend(ends[pos].drain().map(|((u, v), (s, parent, start, ai, ctx))| {
                arena.push((parent, start, ai));
                (s, u, v, arena.len() - 1, ctx)
            }));
            hyps.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
            hyps.truncate(self.beam);
            for (score, _, v, node, ctx) in hyps.iter() {
                for (ai, a) in arcs[pos].iter().enumerate() {
                    let to = pos + a.len;
                    if to > n {
                        continue;
                    }
                    let (lp, next) = self.lm_next(ctx, a);
                    let s = score + lp + a.channel;
                    let e = ends[to].entry((*v, a.word.key())).or_insert((
                        f32::NEG_INFINITY,
                        NONE,
                        0,
                        NONE,
                        next,
                    ));
                    if s > e.0 {
                        *e = (s, *node, pos, ai, next);
                    }
                }
            }
        }
        let best_end = ends[n]
            .iter()
            .max_by(|a, b| a.1.0.total_cmp(&b.1.0).then(b.0.cmp(a.0)))
            .map(|(_, &e)| e);
        let (_, mut node, start, ai, _) = best_end?;
        let mut path = vec![(start, ai)];
        while node != NONE {
            let (parent, start, ai) = arena[node];
            if ai == NONE {
                break;
            }
            path.push((start, ai));
            node = parent;
        }
        path.reverse();
        Some(path)
    }

    /// Beam search over one sentence (tokens `first..`): its edits.
    fn sentence(
        &self,
        tt: &TokenizedText<'_>,
        first: usize,
        arcs: &[Vec<Arc<'a>>],
        bos: Word,
    ) -> Vec<(Edit, f32)> {
        let mut edits = Vec::new();
        if arcs.iter().all(|a| a.len() == 1) {
            return edits;
        }
        let found = BEAM.with_borrow_mut(|beam| {
            let path = self.search(beam, arcs, bos);
            // A run-on sentence's states are not kept for the thread's life.
            if beam.ends.len() > BEAM_KEPT {
                beam.ends.truncate(BEAM_KEPT);
                beam.ends.shrink_to_fit();
            }
            path
        });
        let Some(path) = found else {
            return edits;
        };
        let toks = tt.tokens();
        for (k, &(pos, ai)) in path.iter().enumerate() {
            let a = &arcs[pos][ai];
            let Some(text) = &a.text else { continue };
            // Margin: the best path against the same path keeping these words.
            let margin = self.gain(arcs, &path, k, bos);
            if margin < self.min_margin {
                continue;
            }
            // Neighbouring edits must not only hold each other up ("dry
            // mouth" for "earthbound carnivore"): with its neighbours kept
            // as they stand, the edit must still beat keeping the word.
            let edited = |j: usize| path.get(j).is_some_and(|&(p, i)| arcs[p][i].text.is_some());
            if (k > 0 && edited(k - 1)) || edited(k + 1) {
                let revert = |j: usize, out: &mut Vec<(usize, usize)>| {
                    let (p, i) = path[j];
                    if j != k && (j + 1 == k || j == k + 1) && arcs[p][i].text.is_some() {
                        out.extend((p..p + arcs[p][i].len).map(|q| (q, 0)));
                    } else {
                        out.push((p, i));
                    }
                };
                let mut alone = Vec::with_capacity(path.len() + 8);
                for j in 0..path.len() {
                    revert(j, &mut alone);
                }
                let at = alone.iter().position(|&e| e == (pos, ai)).unwrap_or(0);
                if self.gain(arcs, &alone, at, bos) < self.min_margin_alone {
                    continue;
                }
            }
            let (t, last) = (&toks[first + pos], &toks[first + pos + a.len - 1]);
            edits.push((
                Edit {
                    start: t.span().start(),
                    end: last.span().end(),
                    restored: cased(tt.text(t), text),
                    confidence: confidence(margin, a.len > 1),
                    evidence: a.evidence,
                },
                margin,
            ));
        }
        edits
    }
}

/// How a decoder edit's margin (nats by which the restored reading beats
/// keeping the words) maps to its confidence, the chance that it restores
/// the original: `1 / (1 + e^-(a ln(m) + b))`, with `m` the margin held
/// between 1 and [`CALIBRATION_CAP`] nats and `(a, b)` the first pair for
/// an edit of one word, the second for a spun phrase of several (restored
/// to a word less often right: the thesaurus lists a phrase under many
/// words).
///
/// Fitted by logistic regression (`unspin-eval calibrate`) on the decoder's
/// edits of synthetic spins of 200 BBC articles outside both the language
/// model and the 200 articles `unspin-eval restore` evaluates on. The
/// margin read as a probability (`1 / (1 + e^-m)`) overstated it: edits at
/// 2.5 to 3 nats, said 0.93, were right 0.39 of the time.
pub const CALIBRATION: [(f32, f32); 2] = [(1.934, -2.621), (0.882, -1.831)];

/// The margin (nats) beyond which an edit is no more likely right: longer
/// phrases win by more without being surer.
pub const CALIBRATION_CAP: f32 = 20.0;

/// The confidence of a decoder edit with this margin, of one word or of a
/// phrase ([`CALIBRATION`]).
///
/// ```
/// use unspin_restore::confidence;
/// let (low, high) = (confidence(2.5, false), confidence(10.0, false));
/// assert!(0.0 < low && low < high && high < 1.0);
/// assert_eq!(confidence(40.0, true), confidence(80.0, true));
/// ```
pub fn confidence(margin: f32, phrase: bool) -> f64 {
    let (a, b) = CALIBRATION[usize::from(phrase)];
    let x = f64::from(calibration_feature(margin));
    1.0 / (1.0 + (-(f64::from(a) * x + f64::from(b))).exp())
}

/// What [`CALIBRATION`] weighs: the log of the margin, held between 1 and
/// [`CALIBRATION_CAP`] nats.
pub fn calibration_feature(margin: f32) -> f32 {
    margin.clamp(1.0, CALIBRATION_CAP).ln()
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

/// `text` in lowercase, borrowed when it is already.
pub(crate) fn lowercase(text: &str) -> Cow<'_, str> {
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

/// The language-model key of a lexicon term ([`Model::key`]), computed once
/// per process: candidates repeat across words and documents, and
/// normalizing them is a good share of decoding time.
fn term_key(lex: &Lexicon, id: TermId) -> u64 {
    static KEYS: OnceLock<Vec<AtomicU64>> = OnceLock::new();
    if !std::ptr::eq(lex, Lexicon::global()) {
        return Model::key(lex.term(id));
    }
    let keys = KEYS.get_or_init(|| (0..lex.term_count()).map(|_| AtomicU64::new(0)).collect());
    let Some(slot) = keys.get(id.as_u32() as usize) else { return Model::key(lex.term(id)) };
    match slot.load(Ordering::Relaxed) {
        0 => {
            let key = Model::key(lex.term(id));
            slot.store(key, Ordering::Relaxed);
            key
        }
        key => key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unspin_lm::ModelBuilder;

    fn model() -> Model {
        model_with(&[])
    }

    /// The test model's originals and `extra` sentences, each once.
    fn model_with(extra: &[&str]) -> Model {
        let originals = [
            "Firms take advantage of the new rules.",
            "The deal will end the dispute this year.",
            "He said that the talks were going well.",
        ];
        model_of(30, &originals, extra)
    }

    /// A model of `sentences`, each `times` times, and `once`, each once.
    fn model_of(times: usize, sentences: &[&str], once: &[&str]) -> Model {
        let mut b = ModelBuilder::new();
        for _ in 0..times {
            sentences.iter().for_each(|s| b.add(s));
        }
        once.iter().for_each(|s| b.add(s));
        b.build()
    }

    #[test]
    fn a_long_text_read_in_chunks_on_many_threads_restores_as_on_one() {
        let model = model();
        // About 40,000 tokens: three chunks of readings on four threads.
        let suspect =
            "Firms take fill the bill of the new rules. He said from the talks were going well. "
                .repeat(2_000);
        let on = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build();
            pool.map(|p| p.install(|| Decoder::new(&model).edits(&suspect)))
        };
        let (one, four) = (on(1).ok(), on(4).ok());
        let restored = |word: &str| {
            one.as_ref().map_or(0, |e| e.iter().filter(|e| e.restored == word).count())
        };
        assert_eq!(restored("advantage"), 2_000, "every spun phrase is restored");
        assert_eq!(restored("that"), 2_000, "every swapped function word is restored");
        assert_eq!(one, four);
    }

    #[test]
    fn a_thesaurus_phrase_is_restored_to_the_single_word_it_replaced() {
        let model = model();
        let suspect = "Firms take fill the bill of the new rules.";
        let edits = Decoder::new(&model).edits(suspect);
        let phrase = edits.iter().find(|e| &suspect[e.start..e.end] == "fill the bill");
        assert_eq!(phrase.map(|e| e.restored.as_str()), Some("advantage"), "{edits:?}");
        let words = Decoder::new(&model).phrases(false).edits(suspect);
        assert!(words.iter().all(|e| e.restored != "advantage"), "{words:?}");
    }

    #[test]
    fn a_content_word_seen_between_its_neighbours_is_kept() {
        let lex = Lexicon::global();
        let base = model();
        // A synonym of "end" the decoder restores in "will _ the dispute".
        let (spun, suspect) = lex
            .replacements("end")
            .into_iter()
            .filter(|r| r.bytes().all(|b| b.is_ascii_lowercase()))
            .map(|r| (r, format!("The deal will {r} the dispute this year.")))
            .find(|(_, s)| Decoder::new(&base).edits(s).iter().any(|e| e.restored == "end"))
            .expect("some synonym of end is restored");
        // Once the originals hold "will <spun> the", the word stands there.
        let seen = model_with(&[&format!("They will {spun} the game.")]);
        let edits = Decoder::new(&seen).edits(&suspect);
        assert!(edits.iter().all(|e| e.restored != "end"), "{spun}: {edits:?}");
    }

    #[test]
    fn a_swapped_function_word_is_restored_and_a_fitting_one_kept() {
        let model = model();
        let suspect = "He said which the talks were going well.";
        let edits = Decoder::new(&model).edits(suspect);
        assert_eq!(edits.len(), 1, "{edits:?}");
        assert_eq!(&suspect[edits[0].start..edits[0].end], "which");
        assert_eq!(edits[0].restored, "that");
        assert!(Decoder::new(&model).swap_function(0.0).edits(suspect).is_empty());
        assert!(Decoder::new(&model).edits("He said that the talks were going well.").is_empty());
    }

    #[test]
    fn a_function_word_swapped_throughout_is_restored_on_the_evidence_of_its_occurrences() {
        let sentences = [
            "The dog barked at the moon.",
            "She walked the dog home.",
            "They came from the city.",
            "He sold the car.",
        ];
        let model = model_of(30, &sentences, &[]);
        let first = "She walked from dog home.";
        // The margin of restoring the first "from" to "the".
        let margin = |text: &str| {
            Decoder::new(&model)
                .min_margin(0.0)
                .edits_with_margin(text)
                .into_iter()
                .find(|(e, _)| e.start == 11 && e.restored == "the")
                .map_or(f32::NEG_INFINITY, |(_, m)| m)
        };
        // Other occurrences of "from" that fit "the" far better...
        let swapped = margin(&format!("{first} He sold from car. The dog barked at from moon."));
        // ...against others that fit "from" as it stands, with as many "the".
        let kept = margin(&format!("{first} They came from the city. They came from the city."));
        assert!(swapped.is_finite(), "{swapped}");
        assert!(swapped > kept + 1.0, "{swapped} against {kept}");
    }

    #[test]
    fn a_capitalized_word_is_restored_in_its_case_and_a_name_phrase_kept() {
        assert!(Lexicon::global().replacements("uk").contains(&"great britain"));
        let lex = Lexicon::global();
        // A capitalized word of a title, spun to one of its synonyms.
        let spun = lex
            .replacements("supreme")
            .into_iter()
            .find(|r| r.bytes().all(|b| b.is_ascii_lowercase()))
            .expect("the thesaurus has synonyms of supreme");
        // Often enough to outweigh the spread of its many synonyms.
        let sentences = [
            "The Supreme Court ruled on the case today.",
            "The breed of dog is old.",
            "He flew to the UK today.",
        ];
        let model = model_of(200, &sentences, &["Canis familiaris is the dog."]);
        let capital = |w: &str| w[..1].to_uppercase() + &w[1..];
        let suspect = format!("The {} Court ruled on the case today.", capital(spun));
        let edits = Decoder::new(&model).edits(&suspect);
        assert_eq!(edits.len(), 1, "{suspect}: {edits:?}");
        assert_eq!(edits[0].restored, "Supreme");
        // A spinner capitalizes the first letter of a phrase it writes for
        // a capitalized word.
        let edits = Decoder::new(&model).edits("He flew to the Great britain today.");
        assert_eq!(edits.len(), 1, "{edits:?}");
        assert_eq!(edits[0].restored.to_lowercase(), "uk");
        // "Canis familiaris" is a thesaurus phrase for "dog", but the text
        // uses "Canis" as a name on its own.
        let name = "The genus Canis (canines) is old. The breed of Canis familiaris is old.";
        let edits = Decoder::new(&model).edits(name);
        assert!(edits.iter().all(|e| e.restored.to_lowercase() != "dog"), "{edits:?}");
        // A run with a capital past its first word is a name.
        let edits = Decoder::new(&model).edits("He flew to the Great Britain today.");
        assert!(edits.is_empty(), "{edits:?}");
    }

    #[test]
    fn neighbouring_edits_must_each_beat_keeping_the_words() {
        let mut b = ModelBuilder::new();
        for _ in 0..400 {
            b.add("Patients often complain of a dry mouth.");
            b.add("The rain fell on the dry ground of the north.");
            b.add("He opened his mouth to speak.");
        }
        for _ in 0..3 {
            b.add("The wolf is a carnivore.");
        }
        let model = b.build();
        let suspect = "Patients often complain of a earthbound carnivore.";
        let joint = Decoder::new(&model).min_margin_alone(f32::NEG_INFINITY).edits(suspect);
        assert!(joint.iter().any(|e| e.restored == "mouth"), "{joint:?}");
        let edits = Decoder::new(&model).edits(suspect);
        assert!(edits.iter().all(|e| e.restored != "mouth"), "{edits:?}");
    }

    #[test]
    fn the_text_topic_picks_between_originals_its_sentence_cannot_tell_apart() {
        let mut b = ModelBuilder::new();
        for _ in 0..20 {
            b.add("We talked about music.");
            b.add("We talked about football.");
        }
        for _ in 0..5 {
            b.add("The band played a concert with guitar and drums. Music.");
            b.add("The striker scored a goal at the stadium. Football.");
        }
        let model = b.build();
        let learned = Learned::from_pairs([("zorbex", "music"), ("zorbex", "football")]);
        let decoder = Decoder::new(&model).learned(Some(&learned));
        let restored = |text: &str| {
            let edits = decoder.edits(text);
            assert_eq!(edits.len(), 1, "{text}: {edits:?}");
            edits[0].restored.clone()
        };
        let band = "The band played a concert with guitar and drums. We talked about zorbex.";
        let match_ = "The striker scored a goal at the stadium. We talked about zorbex.";
        assert_eq!(restored(band), "music");
        assert_eq!(restored(match_), "football");
        // Without the topic, both texts read the same.
        let off = decoder.clone().topic(0.0);
        let pick = |text: &str| off.edits(text).into_iter().map(|e| e.restored).collect::<Vec<_>>();
        assert_eq!(pick(band), pick(match_));
    }

    /// A model of three sentences about a `dog` and a `cat`, 30 times each.
    fn dog_model(dog: &str, cat: &str) -> Model {
        let sentences = [
            format!("The {dog} barked at night."),
            format!("She walked the {dog} home."),
            format!("The {cat} slept."),
        ];
        model_of(30, &sentences.each_ref().map(String::as_str), &[])
    }

    #[test]
    fn a_word_spun_twice_is_restored_on_the_evidence_of_both_occurrences() {
        let model = dog_model("dog", "cat");
        let lex = Lexicon::global();
        let spun = lex
            .replacements("dog")
            .into_iter()
            .find(|r| r.bytes().all(|b| b.is_ascii_lowercase()) && model.count(r) == 0)
            .expect("the thesaurus has synonyms of dog");
        let suspect = format!("The {spun} barked at night. She walked the {spun} home.");
        let restored = |d: Decoder<'_>| -> Vec<(String, f32)> {
            d.edits_with_margin(&suspect)
                .into_iter()
                .filter(|(e, _)| e.restored == "dog")
                .map(|(e, m)| (e.restored, m))
                .collect()
        };
        let alone = restored(Decoder::new(&model).pool(0.0).min_margin(0.0));
        assert_eq!(alone.len(), 2, "{suspect}: {alone:?}");
        let best_alone = alone.iter().map(|(_, m)| *m).fold(f32::NEG_INFINITY, f32::max);
        let pooled = restored(Decoder::new(&model).min_margin(best_alone + 0.5));
        assert_eq!(pooled.len(), 2, "{suspect}: {pooled:?}");
        let unpooled = restored(Decoder::new(&model).pool(0.0).min_margin(best_alone + 0.5));
        assert!(unpooled.is_empty(), "{unpooled:?}");
    }

    #[test]
    fn an_inflected_word_is_restored_through_its_base_form_in_its_inflection() {
        let lex = Lexicon::global();
        // "dogs" is no thesaurus term: only its base form "dog" is.
        assert!(lex.term_id("dogs").is_none());
        let model = dog_model("dogs", "cats");
        // A synonym of "dog" whose plural is no term and unknown to the
        // model ("puppies" for "dogs").
        let spun = lex
            .replacements("dog")
            .into_iter()
            .filter(|r| r.bytes().all(|b| b.is_ascii_lowercase()))
            .filter_map(|r| unspin_lexicon::inflect(r, Inflection::S).into_iter().next())
            .find(|p| lex.term_id(p).is_none() && model.count(p) == 0)
            .expect("the thesaurus has synonyms of dog");
        let suspect = format!("The {spun} barked at night.");
        assert!(margin_of(&model, &suspect, "dogs", None) > 0.0, "{suspect}");
        let off = Decoder::new(&model).inflections(f32::NEG_INFINITY).pool(0.0).min_margin(-100.0);
        let edits = off.edits(&suspect);
        assert!(edits.iter().all(|e| e.restored != "dogs"), "{edits:?}");
    }

    /// The margin of restoring `restored` in `suspect` (no pooling, any
    /// margin kept), or minus infinity if the decoder does not restore it.
    fn margin_of(model: &Model, suspect: &str, restored: &str, learned: Option<&Learned>) -> f32 {
        let d = Decoder::new(model).pool(0.0).min_margin(-100.0).learned(learned);
        d.edits_with_margin(suspect)
            .into_iter()
            .find(|(e, _)| e.restored == restored)
            .map_or(f32::NEG_INFINITY, |(_, m)| m)
    }

    #[test]
    fn a_lexicon_learned_with_its_originals_knows_which_words_the_spinner_keeps() {
        let mut b = ModelBuilder::new();
        for _ in 0..30 {
            b.add("The dog barked at night.");
            b.add("The cat slept.");
        }
        let model = b.build();
        let spun = Lexicon::global()
            .replacements("dog")
            .into_iter()
            .find(|r| r.bytes().all(|b| b.is_ascii_lowercase()) && model.count(r) == 0)
            .expect("the thesaurus has synonyms of dog");
        let suspect = format!("The {spun} barked at night.");
        // Twenty learned originals held "dog": this spinner wrote it as
        // `spun` six times, or never.
        let learned_from = |spins: Vec<(&str, &str)>| {
            Learned::from_pairs(spins).count_originals(vec!["The dog barked."; 20])
        };
        let (often, never) =
            (learned_from(vec![(spun, "dog"); 6]), learned_from(vec![("hound", "dog")]));
        assert_often_beats_never(&model, &suspect, "dog", &often, &never);
    }

    /// With a lexicon that saw the spinner write the spun word for
    /// `restored` `often`, restoring it gains over the default channel; with
    /// one that saw it `never`, it loses.
    fn assert_often_beats_never(
        model: &Model,
        suspect: &str,
        restored: &str,
        often: &Learned,
        never: &Learned,
    ) {
        let margin = |learned| margin_of(model, suspect, restored, learned);
        let (default, often, never) = (margin(None), margin(Some(often)), margin(Some(never)));
        assert!(often > default + 3.0, "{often} against {default}");
        assert!(never < default - 1.0, "{never} against {default}");
    }

    #[test]
    fn a_lexicon_learned_with_its_originals_knows_how_the_spinner_writes_function_words() {
        let model = model();
        let suspect = "He said which the talks were going well.";
        // Ten learned originals held "that": this spinner wrote it as
        // "which" four times, or never.
        let learned_from = |spins: Vec<(&str, &str)>| {
            Learned::from_pairs(spins).count_originals(vec!["He said that it was so."; 10])
        };
        let (often, never) =
            (learned_from(vec![("which", "that"); 4]), learned_from(vec![("this", "that")]));
        assert_often_beats_never(&model, suspect, "that", &often, &never);
    }

    #[test]
    fn margins_are_at_least_the_minimum_and_give_the_calibrated_confidence() {
        let model = model();
        let suspect = "The deal will deprive of life the dispute this year.";
        let edits = Decoder::new(&model).min_margin(2.0).edits_with_margin(suspect);
        assert!(!edits.is_empty());
        assert!(
            edits.iter().all(|(e, m)| {
                let phrase = suspect[e.start..e.end].split_whitespace().count() > 1;
                *m >= 2.0 && e.confidence == confidence(*m, phrase)
            }),
            "{edits:?}"
        );
    }

    #[test]
    fn confidence_rises_with_the_margin_up_to_the_cap() {
        for phrase in [false, true] {
            let c: Vec<f64> =
                [2.5f32, 4.0, 8.0, 16.0].iter().map(|&m| confidence(m, phrase)).collect();
            assert!(c.windows(2).all(|w| w[0] < w[1]), "{c:?}");
            assert!(c[0] > 0.2 && c[0] < 0.5, "{c:?}");
            let cap = confidence(CALIBRATION_CAP, phrase);
            assert_eq!(cap, confidence(CALIBRATION_CAP * 4.0, phrase));
            assert!(cap < 0.97, "{cap}");
        }
        // A spun phrase restored to a word is less often right.
        assert!(confidence(12.0, true) < confidence(12.0, false));
    }

    #[test]
    fn a_long_text_decoded_in_parallel_gets_each_sentence_s_edits_in_text_order() {
        let model = model();
        let sentence = "The deal will deprive of life the dispute this year. ";
        let one = Decoder::new(&model).edits(sentence);
        assert_eq!(one.len(), 1, "{one:?}");
        // Enough sentences for many parallel tasks.
        let n = PARALLEL_MIN * 40;
        let long = sentence.repeat(n);
        let edits = Decoder::new(&model).edits(&long);
        assert_eq!(edits.len(), n);
        for (k, e) in edits.iter().enumerate() {
            let at = k * sentence.len();
            assert_eq!((e.start - at, e.end - at), (one[0].start, one[0].end), "edit {k}");
            assert_eq!(e.restored, one[0].restored);
        }
    }

    #[test]
    fn a_text_longer_than_a_block_is_decoded_block_by_block() {
        let model = model();
        let sentence = "The deal will deprive of life the dispute this year. ";
        let long = sentence.repeat(30);
        let whole = Decoder::new(&model).edits(&long);
        assert_eq!(whole.len(), 30);
        // Blocks of whole sentences (each sentence is 11 tokens).
        let mut small = Decoder::new(&model);
        small.block = 25;
        assert_eq!(small.edits(&long), whole);
        // A sentence running on past two blocks is cut between blocks; the
        // edits still point at the words they replace.
        let run_on = "the deal will deprive of life the dispute ".repeat(12);
        small.block = 9;
        let edits = small.edits(&run_on);
        assert!(!edits.is_empty());
        assert!(edits.iter().all(|e| run_on[e.start..e.end].starts_with("deprive")), "{edits:?}");
    }
}
