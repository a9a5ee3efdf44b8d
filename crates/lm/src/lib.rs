//! A compact word n-gram language model of original texts.
//!
//! Spinners replace common words with thesaurus entries that are often much
//! rarer ("pooch" for "dog") and that read oddly in context ("the residential
//! puppy"). This model knows how often words, word pairs and word triples
//! occur in a corpus of originals: `score` uses the word counts to spot
//! unlikely replacements, `restore` scores candidate originals in context
//! with interpolated Kneser-Ney smoothing (Chen & Goodman 1998), whose
//! discounted counts keep an n-gram seen once in a small corpus from
//! reading as certain.
//!
//! The model is compact: n-grams are xxh3 hashes of normalized tokens (with a
//! sentence-start mark), pairs and triples seen fewer than `min_count` times
//! are pruned, counts are quantized to 16 bits (exact up to about 1,000,
//! within 0.05 % above), and each order is an open-addressing hash table laid
//! out exactly as on disk, so [`Model::load`] reads the file (into huge
//! pages) or [`Model::map`] memory-maps it, and n-grams are looked up in
//! place. A word's or pair's slot holds its count and its
//! Kneser-Ney statistics (continuation count; total and distinct followers)
//! beside its key, a triple's slot its 48-bit fingerprint and count in one
//! word, so each lookup reads one cache line; a one-hash filter of the
//! stored pairs answers most lookups of unseen pairs without the table.
//!
//! # Overview
//!
//! * [`ModelBuilder`]: count the tokens of texts (`add`, `merge`), `build`.
//! * [`Model`]: `count(word)`, `ngram_count`, `logprob` (Kneser-Ney),
//!   `save`, `load` (a corrupt file or one of another version is a typed
//!   [`Error`]).
//! * [`Topics`] (`Model::topics`): each document's content words, to weigh
//!   a word by how well it fits the topic of a text ([`Profile`]).
//!
//! # Example
//!
//! ```
//! use unspin_lm::{Model, ModelBuilder};
//! let mut b = ModelBuilder::new();
//! b.add("The dog saw another dog. The dog barked.");
//! let m = b.build();
//! assert_eq!(m.count("dog"), 3);
//! assert_eq!(m.count("pooch"), 0);
//! let [the, dog, pooch] = ["the", "dog", "pooch"].map(Model::key);
//! assert!(m.logprob(Some(Model::BOS), Some(the), dog) > m.logprob(Some(Model::BOS), Some(the), pooch));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use unspin_text::{TokenKind, Tokenizer};
use xxhash_rust::xxh3::xxh3_64;

mod topic;
pub use topic::{Profile, Topics};

/// The version of the model file format.
pub const FORMAT_VERSION: u32 = 5;
const MAGIC: &[u8; 8] = b"UNSPINLM";
/// Orders stored: words, pairs, triples.
pub const ORDER: usize = 3;
/// Quantization base: a count `c` is stored as `round(log_QBASE(c))`.
const QBASE: f64 = 1.001;
/// Magic, version, tokens, orders, the three discounts, continuation
/// total.
const HEADER: usize = 8 + 4 + 8 + 4 + 3 * 4 + 8;
/// Bytes of a slot: a 48-bit fingerprint of the key and the count in one
/// word; words and pairs keep their Kneser-Ney statistics beside it.
const SLOT: [usize; ORDER] = [16, 16, 8];
/// The stand-in for the missing word before a sentence's first word, so
/// that a sentence-initial pair has a continuation count like any other.
const SENTENCE_EDGE: u64 = 1;

/// An error reading or writing a model.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file system error.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Not a model file, or a damaged one.
    #[error("{}: not a valid unspin language model ({reason})", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A model of another format version.
    #[error("{}: language model format version {found}, this build reads version {FORMAT_VERSION} (rebuild it with `unspin lm build`)", path.display())]
    IncompatibleVersion {
        /// The file.
        path: PathBuf,
        /// The version found.
        found: u32,
    },
}

/// Counts tokens, pairs and triples of texts into a [`Model`].
#[derive(Debug)]
pub struct ModelBuilder {
    words: HashMap<u64, u32>,
    pairs: HashMap<(u64, u64), u32>,
    /// Triples; a sentence's first pair is counted after
    /// [`SENTENCE_EDGE`] for its continuation count, and not stored.
    triples: HashMap<(u64, u64, u64), u32>,
    tokens: u64,
    min_count: u32,
    tokenizer: Tokenizer,
    /// Each text's content words, for [`Topics`].
    docs: Vec<topic::DocWords>,
}

impl Default for ModelBuilder {
    fn default() -> ModelBuilder {
        ModelBuilder {
            words: HashMap::new(),
            pairs: HashMap::new(),
            triples: HashMap::new(),
            tokens: 0,
            min_count: 1,
            tokenizer: Tokenizer::default(),
            docs: Vec::new(),
        }
    }
}

fn mix(a: u64, b: u64) -> u64 {
    let mut buf = [0u8; 16];
    buf[..8].copy_from_slice(&a.to_le_bytes());
    buf[8..].copy_from_slice(&b.to_le_bytes());
    xxh3_64(&buf)
}

/// A table key is never 0 (0 marks an empty slot).
fn nonzero(k: u64) -> u64 {
    k.max(1)
}

/// Every slot starts with a 48-bit fingerprint of its key and its count in
/// the low 16 bits; the fingerprint is never 0.
fn fingerprint(k: u64) -> u64 {
    let f = k & !0xFFFF;
    if f == 0 { 1 << 16 } else { f }
}

/// The Kneser-Ney statistics of a word or pair, as stored beside it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Stats {
    /// How often it occurs.
    count: u32,
    /// How many distinct words precede it (its continuation count).
    cont: u32,
    /// As a context: the total count of what follows it at the next order
    /// (continuation counts after a word, counts after a pair).
    after: u32,
    /// As a context: how many distinct words follow it.
    followers: u32,
    /// Of a word as a context: the total count of the pairs it starts.
    after_raw: u32,
}

/// The discount `n1 / (n1 + 2 n2)` of Ney et al. from how many n-grams
/// occur once and twice.
fn discount(counts: impl Iterator<Item = u32>) -> f32 {
    let (mut n1, mut n2) = (0u64, 0u64);
    for c in counts {
        match c {
            1 => n1 += 1,
            2 => n2 += 1,
            _ => {}
        }
    }
    if n1 == 0 { 0.75 } else { (n1 as f64 / (n1 + 2 * n2) as f64).clamp(0.1, 0.95) as f32 }
}

impl ModelBuilder {
    /// An empty builder.
    pub fn new() -> ModelBuilder {
        ModelBuilder::default()
    }

    /// Pairs and triples seen fewer times than this are dropped at `build`
    /// (words are always kept). By default, this is 1 (nothing pruned:
    /// pairs seen once are a good share of what a restorer needs).
    pub fn min_count(mut self, n: u32) -> ModelBuilder {
        self.min_count = n.max(1);
        self
    }

    /// Counts the tokens of `text` (words, numbers, punctuation; each
    /// sentence starts with [`Model::BOS`]).
    pub fn add(&mut self, text: &str) {
        let tt = self.tokenizer.tokenize(text);
        let mut sentence = usize::MAX;
        let (mut u, mut v) = (0u64, 0u64);
        let mut content: HashMap<u64, u32> = HashMap::new();
        for t in tt.tokens() {
            if t.sentence() != sentence {
                sentence = t.sentence();
                *self.words.entry(Model::BOS).or_default() += 1;
                (u, v) = (SENTENCE_EDGE, Model::BOS);
            }
            let w = nonzero(t.hash());
            *self.words.entry(w).or_default() += 1;
            self.tokens += 1;
            *self.pairs.entry((v, w)).or_default() += 1;
            *self.triples.entry((u, v, w)).or_default() += 1;
            (u, v) = (v, w);
            if t.kind() == TokenKind::Word && !t.is_function_word() {
                *content.entry(w).or_default() += 1;
            }
        }
        if !content.is_empty() {
            self.docs.push(content.into_iter().collect());
        }
    }

    /// Adds another builder's counts (for building in parallel).
    pub fn merge(&mut self, other: ModelBuilder) {
        fn add<K: std::hash::Hash + Eq>(mine: &mut HashMap<K, u32>, theirs: HashMap<K, u32>) {
            for (k, c) in theirs {
                let e = mine.entry(k).or_default();
                *e = e.saturating_add(c);
            }
        }
        add(&mut self.words, other.words);
        add(&mut self.pairs, other.pairs);
        add(&mut self.triples, other.triples);
        self.tokens += other.tokens;
        self.docs.extend(other.docs);
    }

    /// The model: counts and interpolated Kneser-Ney statistics.
    pub fn build(self) -> Model {
        let mut words: HashMap<u64, Stats> = HashMap::with_capacity(self.words.len());
        for (&w, &count) in &self.words {
            words.insert(w, Stats { count, ..Stats::default() });
        }
        let mut pairs: HashMap<u64, Stats> = HashMap::with_capacity(self.pairs.len());
        let mut pair_cont: HashMap<(u64, u64), u32> = HashMap::with_capacity(self.pairs.len());
        for (&(u, v, w), &c) in &self.triples {
            *pair_cont.entry((v, w)).or_default() += 1;
            if u != SENTENCE_EDGE {
                let s = pairs.entry(nonzero(mix(u, v))).or_default();
                s.after = s.after.saturating_add(c);
                s.followers += 1;
            }
        }
        for (&(v, w), &count) in &self.pairs {
            let cont = pair_cont.get(&(v, w)).copied().unwrap_or(0);
            let s = pairs.entry(nonzero(mix(v, w))).or_default();
            s.count = count;
            s.cont = cont;
            if let Some(x) = words.get_mut(&v) {
                x.after = x.after.saturating_add(cont);
                x.after_raw = x.after_raw.saturating_add(count);
                x.followers += 1;
            }
            if let Some(x) = words.get_mut(&w) {
                x.cont += 1;
            }
        }
        let d3 = discount(
            self.triples.iter().filter(|((u, _, _), _)| *u != SENTENCE_EDGE).map(|(_, &c)| c),
        );
        let d2 = discount(pair_cont.values().copied());
        let d2_raw = discount(self.pairs.values().copied());
        let cont_total: u64 = words.values().map(|s| u64::from(s.cont)).sum();
        let min = self.min_count;
        let pairs: Vec<(u64, Stats)> =
            pairs.into_iter().filter(|(_, s)| s.count >= min || s.after > 0).collect();
        let triples: Vec<(u64, u32)> = self
            .triples
            .into_iter()
            .filter(|((u, _, _), c)| *u != SENTENCE_EDGE && *c >= min)
            .map(|((u, v, w), c)| (nonzero(mix(mix(u, v), w)), c))
            .collect();

        let mut buf = Vec::new();
        buf.extend_from_slice(MAGIC);
        buf.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        buf.extend_from_slice(&self.tokens.to_le_bytes());
        buf.extend_from_slice(&(ORDER as u32).to_le_bytes());
        buf.extend_from_slice(&d2.to_le_bytes());
        buf.extend_from_slice(&d3.to_le_bytes());
        buf.extend_from_slice(&d2_raw.to_le_bytes());
        buf.extend_from_slice(&cont_total.to_le_bytes());
        write_stats_table(&mut buf, words.into_iter().collect());
        let filter = pair_filter(pairs.iter().map(|e| e.0), pairs.len());
        write_stats_table(&mut buf, pairs);
        write_count_table(&mut buf, triples);
        buf.extend_from_slice(&(filter.len() as u64).to_le_bytes());
        filter.iter().for_each(|w| buf.extend_from_slice(&w.to_le_bytes()));
        Topics::build(&self.docs).write(&mut buf);
        let sum = xxh3_64(&buf);
        buf.extend_from_slice(&sum.to_le_bytes());
        match Model::parse(Bytes::Owned(buf)) {
            Ok(m) => m,
            // The layout written above is the layout parsed: unreachable.
            Err(reason) => unreachable!("model layout: {reason}"),
        }
    }
}

/// The bit of a pair's key in the pair filter (bits the table index does
/// not use).
fn filter_bit(key: u64, words: usize) -> (usize, u64) {
    let bit = (key >> 32) as usize & (words * 64 - 1);
    (bit / 64, 1 << (bit % 64))
}

/// A one-hash filter of the stored pairs, about 8 bits a pair: most pairs
/// a decoder asks about were never seen, and the filter (a few megabytes,
/// cache-resident) answers them without reading the pair table.
fn pair_filter(keys: impl Iterator<Item = u64>, n: usize) -> Vec<u64> {
    let words = (n * 8 / 64 + 1).next_power_of_two();
    let mut filter = vec![0u64; words];
    for k in keys {
        let (w, b) = filter_bit(k, words);
        filter[w] |= b;
    }
    filter
}

/// The first free slot for fingerprint `f` by linear probing from its
/// home slot (the order [`Model`] probes in).
fn free_slot(f: u64, cap: usize, taken: impl Fn(usize) -> bool) -> usize {
    let mut i = home(f, cap);
    while taken(i) {
        i = if i + 1 == cap { 0 } else { i + 1 };
    }
    i
}

/// The home slot of fingerprint `f` in a table of `cap` slots: the
/// fingerprint's 48 bits scaled to the table (any size, not only powers
/// of two).
fn home(f: u64, cap: usize) -> usize {
    ((u128::from(f >> 16) * cap as u128) >> 48) as usize
}

/// Slots for `n` entries: a fifth left free, so that a probe seldom runs
/// past the cache line of its home slot.
fn capacity(n: usize) -> usize {
    (n * 5 / 4 + 1).max(2)
}

/// A table of words or pairs: capacity, length, then 16-byte slots
/// (fingerprint and count, then continuation, after, followers and raw
/// after quantized).
fn write_stats_table(buf: &mut Vec<u8>, mut entries: Vec<(u64, Stats)>) {
    let cap = capacity(entries.len());
    let mut slots = vec![(0u64, [0u16; 4]); cap];
    entries.sort_unstable_by_key(|e| e.0);
    for (k, s) in &entries {
        let f = fingerprint(*k);
        let i = free_slot(f, cap, |i| slots[i].0 != 0);
        let q = [s.cont, s.after, s.followers, s.after_raw].map(quantize);
        slots[i] = (f | u64::from(quantize(s.count)), q);
    }
    buf.extend_from_slice(&(cap as u64).to_le_bytes());
    buf.extend_from_slice(&(entries.len() as u64).to_le_bytes());
    for (k, q) in slots {
        buf.extend_from_slice(&k.to_le_bytes());
        q.iter().for_each(|q| buf.extend_from_slice(&q.to_le_bytes()));
    }
}

/// A table of triples: capacity, length, then 8-byte slots (fingerprint
/// and quantized count).
fn write_count_table(buf: &mut Vec<u8>, mut entries: Vec<(u64, u32)>) {
    let cap = capacity(entries.len());
    let mut slots = vec![0u64; cap];
    entries.sort_unstable();
    for (k, c) in &entries {
        let f = fingerprint(*k);
        let i = free_slot(f, cap, |i| slots[i] != 0);
        slots[i] = f | u64::from(quantize(*c));
    }
    buf.extend_from_slice(&(cap as u64).to_le_bytes());
    buf.extend_from_slice(&(entries.len() as u64).to_le_bytes());
    slots.iter().for_each(|s| buf.extend_from_slice(&s.to_le_bytes()));
}

/// 0 stays 0; other counts are stored on a log scale.
fn quantize(c: u32) -> u16 {
    if c == 0 {
        return 0;
    }
    ((f64::from(c).ln() / QBASE.ln()).round() as u64 + 1).min(u64::from(u16::MAX)) as u16
}

fn dequantize(q: u16) -> u32 {
    static TABLE: std::sync::OnceLock<Vec<u32>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (0..=u16::MAX)
            .map(|q| if q == 0 { 0 } else { (f64::from(q - 1) * QBASE.ln()).exp().round() as u32 })
            .collect()
    });
    table[usize::from(q)]
}

#[derive(Debug)]
enum Bytes {
    Owned(Vec<u8>),
    Mapped(memmap2::Mmap),
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Owned(v) => v,
            Bytes::Mapped(m) => m,
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Table {
    slots: usize,
    cap: usize,
    len: usize,
}

/// Token, pair and triple counts of a corpus of originals, with the
/// statistics of interpolated Kneser-Ney smoothing. Immutable,
/// `Send + Sync`.
#[derive(Debug)]
pub struct Model {
    bytes: Bytes,
    tokens: u64,
    /// Discounts of the pair (continuation counts) and triple orders,
    /// and of pairs' own counts when a pair is the highest order asked.
    d2: f32,
    d3: f32,
    d2_raw: f32,
    /// Sum of all words' continuation counts (distinct pairs).
    cont_total: f64,
    tables: [Table; ORDER],
    /// Offset and length (in 64-bit words) of the pair filter.
    filter: (usize, usize),
    /// What each document of the originals is about.
    topics: Topics,
    memo: Memo,
}

/// Values callers derive from a model for their own dense ids
/// ([`Model::memoized`]): 0 if not yet computed, else 1 + the value.
/// And pairs of 64-bit values ([`Model::memoized_pair`]), each pair in
/// one cache line.
#[derive(Default)]
struct Memo(OnceLock<Box<[AtomicU32]>>, OnceLock<Box<[MemoPair]>>);

/// Two 64-bit values, the first nonzero once computed; aligned so that a
/// pair never straddles two cache lines.
#[repr(align(16))]
struct MemoPair([AtomicU64; 2]);

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memo")
            .field("ids", &self.0.get().map_or(0, |m| m.len()))
            .field("pair_ids", &self.1.get().map_or(0, |m| m.len()))
            .finish()
    }
}

impl PartialEq for Model {
    fn eq(&self, other: &Model) -> bool {
        *self.bytes == *other.bytes
    }
}

/// Asks the processor to bring the cache line holding `b` into its
/// caches, without waiting for it (a hint: nothing is read, nothing can
/// fault). A no-op where the target has no such instruction.
#[inline]
#[allow(unsafe_code)]
fn prefetch_line<T>(b: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint that reads nothing and never faults;
    // the pointer comes from a reference anyway.
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(b).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = b;
}

fn u64_at(b: &[u8], p: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[p..p + 8]);
    u64::from_le_bytes(a)
}

fn u16_at(b: &[u8], p: usize) -> u16 {
    u16::from_le_bytes([b[p], b[p + 1]])
}

/// A word's key and statistics, from [`Model::word`].
#[derive(Clone, Copy, Debug)]
pub struct Word {
    key: u64,
    stats: Stats,
}

impl Word {
    /// The word's key.
    pub fn key(&self) -> u64 {
        self.key
    }

    /// How often the word occurs.
    pub fn count(&self) -> u32 {
        self.stats.count
    }
}

/// The statistics of a two-word context, from [`Model::context`].
#[derive(Clone, Copy, Debug)]
pub struct Context {
    u: Option<u64>,
    v: Option<u64>,
    /// Of the pair `u v`: counts after it and distinct followers.
    uv: Stats,
    /// Of the word `v`.
    v_stats: Stats,
}

impl Model {
    /// The key of the sentence-start mark.
    pub const BOS: u64 = 0x5eed_0000_0000_0b05;

    /// The key of a word (normalized like the tokenizer does).
    pub fn key(word: &str) -> u64 {
        nonzero(xxh3_64(unspin_text::normalize::normalized(word).as_bytes()))
    }

    /// The key of a token (its normalized-form hash).
    pub fn token_key(token: &unspin_text::Token) -> u64 {
        nonzero(token.hash())
    }

    fn parse(bytes: Bytes) -> Result<Model, String> {
        let b: &[u8] = &bytes;
        if b.len() < HEADER + 8 || &b[..8] != MAGIC {
            return Err("wrong magic".into());
        }
        let body = b.len() - 8;
        if xxh3_64(&b[..body]) != u64_at(b, body) {
            return Err("checksum mismatch".into());
        }
        let orders = u32::from_le_bytes([b[20], b[21], b[22], b[23]]) as usize;
        if orders != ORDER {
            return Err(format!("{orders} orders"));
        }
        let tokens = u64_at(b, 12);
        let d2 = f32::from_le_bytes([b[24], b[25], b[26], b[27]]);
        let d3 = f32::from_le_bytes([b[28], b[29], b[30], b[31]]);
        let d2_raw = f32::from_le_bytes([b[32], b[33], b[34], b[35]]);
        if [d2, d3, d2_raw].iter().any(|d| !(0.0..1.0).contains(d)) {
            return Err("bad discounts".into());
        }
        let cont_total = u64_at(b, 36) as f64;
        let mut tables = [Table { slots: 0, cap: 0, len: 0 }; ORDER];
        let mut p = HEADER;
        for (t, slot) in tables.iter_mut().zip(SLOT) {
            if p + 16 > body {
                return Err("truncated".into());
            }
            let (cap, len) = (u64_at(b, p) as usize, u64_at(b, p + 8) as usize);
            if len >= cap {
                return Err("bad table size".into());
            }
            let end = cap
                .checked_mul(slot)
                .and_then(|s| s.checked_add(p + 16))
                .filter(|&e| e <= body)
                .ok_or("truncated")?;
            *t = Table { slots: p + 16, cap, len };
            p = end;
        }
        if p + 8 > body {
            return Err("truncated".into());
        }
        let words = u64_at(b, p) as usize;
        if !words.is_power_of_two() {
            return Err("bad filter size".into());
        }
        let filter = (p + 8, words);
        p = words.checked_mul(8).and_then(|s| s.checked_add(p + 8)).ok_or("truncated")?;
        let (topics, p) = Topics::read(b, p, body)?;
        if p != body {
            return Err("trailing bytes".into());
        }
        Ok(Model {
            bytes,
            tokens,
            d2,
            d3,
            d2_raw,
            cont_total,
            tables,
            filter,
            topics,
            memo: Memo::default(),
        })
    }

    /// The statistics of a word (order 0) or pair (order 1) by key.
    fn stats(&self, order: usize, key: u64) -> Stats {
        let Some((at, count)) = self.probe(order, key) else { return Stats::default() };
        let q = |j: usize| dequantize(u16_at(&self.bytes, at + 8 + 2 * j));
        Stats { count, cont: q(0), after: q(1), followers: q(2), after_raw: q(3) }
    }

    /// The statistics of a pair by key; the pair filter answers most pairs
    /// never seen without reading the table.
    fn pair(&self, key: u64) -> Stats {
        let (w, bit) = filter_bit(key, self.filter.1);
        if u64_at(&self.bytes, self.filter.0 + 8 * w) & bit == 0 {
            return Stats::default();
        }
        self.stats(1, key)
    }

    /// The count of a triple by key.
    fn triple(&self, key: u64) -> u32 {
        self.probe(2, key).map_or(0, |(_, count)| count)
    }

    /// The offset of a key's slot in an order's table, and its count.
    fn probe(&self, order: usize, key: u64) -> Option<(usize, u32)> {
        let t = self.tables[order];
        let b: &[u8] = &self.bytes;
        let f = fingerprint(key);
        let mut i = home(f, t.cap);
        for _ in 0..t.cap {
            let at = t.slots + SLOT[order] * i;
            let s = u64_at(b, at);
            if s & !0xFFFF == f {
                return Some((at, dequantize((s & 0xFFFF) as u16)));
            }
            if s == 0 {
                return None;
            }
            i = if i + 1 == t.cap { 0 } else { i + 1 };
        }
        None
    }

    /// How often `word` (normalized like the tokenizer does) occurs.
    pub fn count(&self, word: &str) -> u32 {
        self.count_hash(Model::key(word))
    }

    /// How often the token with this key occurs ([`Model::key`],
    /// [`Model::token_key`]).
    pub fn count_hash(&self, key: u64) -> u32 {
        self.stats(0, nonzero(key)).count
    }

    /// How often this sequence of 1 to 3 token keys occurs (0 for a pair or
    /// triple pruned at build time).
    pub fn ngram_count(&self, keys: &[u64]) -> u32 {
        match *keys {
            [w] => self.stats(0, nonzero(w)).count,
            [v, w] => self.pair(nonzero(mix(v, w))).count,
            [u, v, w] => self.triple(nonzero(mix(mix(u, v), w))),
            _ => 0,
        }
    }

    /// The counts of many pairs of token keys at once, into `out` (0 for
    /// a pair never seen, as [`Model::ngram_count`] gives): the pair
    /// filter is read for all of them before the table is, so that the
    /// reads overlap instead of waiting on memory one by one.
    pub fn pair_counts(&self, pairs: impl IntoIterator<Item = (u64, u64)>, out: &mut Vec<u32>) {
        let start = out.len();
        let keys: Vec<u64> = pairs.into_iter().map(|(v, w)| nonzero(mix(v, w))).collect();
        let (at, words) = self.filter;
        out.extend(keys.iter().map(|&k| {
            let (w, bit) = filter_bit(k, words);
            u32::from(u64_at(&self.bytes, at + 8 * w) & bit != 0)
        }));
        for (count, &k) in out[start..].iter_mut().zip(&keys) {
            if *count != 0 {
                *count = self.probe(1, k).map_or(0, |(_, c)| c);
            }
        }
    }

    /// The natural log of the interpolated Kneser-Ney probability of `w`
    /// after `u v` (either may be missing, e.g. at the start of a text).
    /// An unknown word gets half a continuation count.
    pub fn logprob(&self, u: Option<u64>, v: Option<u64>, w: u64) -> f32 {
        self.logprob_after(&self.context(u, v), w)
    }

    /// A word's statistics, looked up once to score it in many contexts
    /// ([`Model::logprob_word`], [`Model::context_word`]).
    pub fn word(&self, key: u64) -> Word {
        let key = nonzero(key);
        Word { key, stats: self.stats(0, key) }
    }

    /// The statistics of a context `u v` (either may be missing), to score
    /// many next words after it with [`Model::logprob_after`].
    pub fn context(&self, u: Option<u64>, v: Option<u64>) -> Context {
        match v {
            Some(v) => self.context_word(u, &self.word(v)),
            None => Context { u, v: None, uv: Stats::default(), v_stats: Stats::default() },
        }
    }

    /// [`Model::context`] with `v` looked up already.
    pub fn context_word(&self, u: Option<u64>, v: &Word) -> Context {
        let uv = match u {
            Some(u) if v.stats.followers > 0 => self.pair(nonzero(mix(u, v.key))),
            _ => Stats::default(),
        };
        Context { u, v: Some(v.key), uv, v_stats: v.stats }
    }

    /// [`Model::logprob`] of `w` after a context from [`Model::context`]
    /// (the same value, with fewer lookups).
    pub fn logprob_after(&self, ctx: &Context, w: u64) -> f32 {
        self.logprob_word(ctx, &self.word(w))
    }

    /// [`Model::logprob_after`] with `w` looked up already. The highest
    /// order asked weighs its own counts, the orders below it their
    /// continuation counts (how many distinct words precede an n-gram).
    pub fn logprob_word(&self, ctx: &Context, w: &Word) -> f32 {
        self.score(ctx, w).0
    }

    /// [`Model::logprob_word`], and the context `w` makes for the word
    /// after it (`v w`, as [`Model::context_word`] gives it, without
    /// looking up the pair again).
    pub fn logprob_next(&self, ctx: &Context, w: &Word) -> (f32, Context) {
        let (lp, pair) = self.score(ctx, w);
        let uv = if w.stats.followers > 0 { pair } else { Stats::default() };
        (lp, Context { u: ctx.v, v: Some(w.key), uv, v_stats: w.stats })
    }

    /// Starts loading the table slots that scoring `w` after `ctx`
    /// ([`Model::logprob_next`], [`Model::logprob_word`]) will read, and
    /// returns at once: a caller with many independent scores to compute
    /// asks for all of them first, so that their memory reads overlap
    /// instead of waiting one by one. Changes no result.
    #[inline]
    pub fn prefetch_next(&self, ctx: &Context, w: &Word) {
        let Some(v) = ctx.v else { return };
        if w.stats.count == 0 || ctx.v_stats.followers == 0 {
            return;
        }
        self.prefetch_pair(nonzero(mix(v, w.key)));
        if let Some(u) = ctx.u
            && ctx.uv.after > 0
        {
            self.prefetch_slot(2, nonzero(mix(mix(u, v), w.key)));
        }
    }

    /// Starts loading the table slot [`Model::ngram_count`] of `keys` will
    /// read, as [`Model::prefetch_next`] does for a score.
    #[inline]
    pub fn prefetch_ngram(&self, keys: &[u64]) {
        match *keys {
            [w] => self.prefetch_slot(0, nonzero(w)),
            [v, w] => self.prefetch_pair(nonzero(mix(v, w))),
            [u, v, w] => self.prefetch_slot(2, nonzero(mix(mix(u, v), w))),
            _ => {}
        }
    }

    /// Starts loading what [`Model::pair`] of `key` reads: the filter's
    /// word and the pair's home slot.
    #[inline]
    fn prefetch_pair(&self, key: u64) {
        let (word, _) = filter_bit(key, self.filter.1);
        self.prefetch(self.filter.0 + 8 * word);
        self.prefetch_slot(1, key);
    }

    /// Starts loading the home slot of `key` in the table of `order`.
    #[inline]
    fn prefetch_slot(&self, order: usize, key: u64) {
        self.prefetch(self.home_slot(order, key));
    }

    /// The byte offset of the home slot of `key` in the table of `order`.
    #[inline]
    fn home_slot(&self, order: usize, key: u64) -> usize {
        let t = self.tables[order];
        t.slots + SLOT[order] * home(fingerprint(key), t.cap)
    }

    /// Starts loading the cache line of byte `at` of the model, if it is
    /// one.
    #[inline]
    fn prefetch(&self, at: usize) {
        if let Some(b) = self.bytes.get(at) {
            prefetch_line(b);
        }
    }

    /// The log-probability of `w` after `ctx`, and the statistics of the
    /// pair `v w` (default if not looked up: `v` or `w` never seen so).
    fn score(&self, ctx: &Context, w: &Word) -> (f32, Stats) {
        let word = w.stats;
        let mut p = f64::from(word.cont).max(0.5) / self.cont_total.max(1.0);
        let Some(v) = ctx.v else { return ((p as f32).ln(), Stats::default()) };
        let vs = ctx.v_stats;
        let pair = if word.count > 0 && vs.followers > 0 {
            self.pair(nonzero(mix(v, w.key)))
        } else {
            Stats::default()
        };
        let top = ctx.u.is_none();
        let (after, d, c) = if top {
            (vs.after_raw, f64::from(self.d2_raw), pair.count)
        } else {
            (vs.after, f64::from(self.d2), pair.cont)
        };
        if after > 0 {
            p = ((f64::from(c) - d).max(0.0) + d * f64::from(vs.followers) * p) / f64::from(after);
        }
        let Some(u) = ctx.u else { return ((p as f32).ln(), pair) };
        if ctx.uv.after == 0 {
            return ((p as f32).ln(), pair);
        }
        let c3 = if pair.count > 0 { self.triple(nonzero(mix(mix(u, v), w.key))) } else { 0 };
        let d3 = f64::from(self.d3);
        p = ((f64::from(c3) - d3).max(0.0) + d3 * f64::from(ctx.uv.followers) * p)
            / f64::from(ctx.uv.after);
        ((p as f32).ln(), pair)
    }

    /// A value the caller derives from this model for its dense id `id`,
    /// of `ids` in all (a lexicon's term ids, say: every caller must number
    /// the same way, and the first call fixes `ids`), computed by `compute`
    /// once per model and shared by all its users; values are capped at
    /// `u32::MAX - 1`. Ids out of range are computed each time.
    pub fn memoized(&self, ids: usize, id: usize, compute: impl FnOnce() -> u32) -> u32 {
        let memo = self.memo.0.get_or_init(|| (0..ids).map(|_| AtomicU32::new(0)).collect());
        let Some(slot) = memo.get(id) else { return compute().min(u32::MAX - 1) };
        match slot.load(Ordering::Relaxed) {
            0 => {
                let value = compute().min(u32::MAX - 1);
                slot.store(value + 1, Ordering::Relaxed);
                value
            }
            stored => stored - 1,
        }
    }

    /// Two values the caller derives from this model for its dense id
    /// `id`, as [`Model::memoized`] (of `ids` in all, the first call
    /// fixing `ids`), read together from one cache line: for values asked
    /// for together in a hot loop. The first value must not be 0 (0 marks
    /// a pair not yet computed: such a pair is computed each time). Ids out
    /// of range are computed each time.
    pub fn memoized_pair(
        &self,
        ids: usize,
        id: usize,
        compute: impl FnOnce() -> [u64; 2],
    ) -> [u64; 2] {
        let memo = self.memo.1.get_or_init(|| {
            (0..ids).map(|_| MemoPair([AtomicU64::new(0), AtomicU64::new(0)])).collect()
        });
        let Some(MemoPair([first, second])) = memo.get(id) else { return compute() };
        match first.load(Ordering::Acquire) {
            0 => {
                let [a, b] = compute();
                // The second value is in place before the first says so.
                second.store(b, Ordering::Relaxed);
                first.store(a, Ordering::Release);
                [a, b]
            }
            a => [a, second.load(Ordering::Relaxed)],
        }
    }

    /// Starts loading the value [`Model::memoized_pair`] keeps for `id`
    /// (nothing before its first call, or for an id out of range): for a
    /// loop over ids whose memos are read one after another.
    pub fn prefetch_memoized_pair(&self, id: usize) {
        if let Some(slot) = self.memo.1.get().and_then(|memo| memo.get(id)) {
            prefetch_line(&slot.0[0]);
        }
    }

    /// The content words of each document of the originals, for weighing
    /// words by the topic of a text.
    pub fn topics(&self) -> &Topics {
        &self.topics
    }

    /// Tokens counted.
    pub fn tokens(&self) -> u64 {
        self.tokens
    }

    /// Distinct tokens.
    pub fn len(&self) -> usize {
        self.tables[0].len
    }

    /// Distinct n-grams stored, per order (after pruning).
    pub fn sizes(&self) -> [usize; ORDER] {
        self.tables.map(|t| t.len)
    }

    /// Size of the model in bytes (as on disk).
    pub fn byte_size(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the model is empty.
    pub fn is_empty(&self) -> bool {
        self.tokens == 0
    }

    /// Writes the model to `path` (through a temporary file and a rename).
    pub fn save(&self, path: &Path) -> Result<(), Error> {
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, &*self.bytes)
            .map_err(|e| Error::Io { path: tmp.clone(), source: e })?;
        std::fs::rename(&tmp, path).map_err(|e| Error::Io { path: path.to_path_buf(), source: e })
    }

    /// Reads a model written by [`Model::save`] into memory, checking
    /// magic, version, layout and checksum. The memory is asked for in
    /// transparent huge pages, as KenLM loads its models: the decoder's
    /// lookups land all over tables of tens of megabytes, and with 4 KiB
    /// pages nearly every one also misses the TLB (see the benches README,
    /// session 32, for what it gains). Where the kernel has none, the
    /// advice is ignored.
    pub fn load(path: &Path) -> Result<Model, Error> {
        Model::open(path, Load::Read)
    }

    /// [`Model::load`], but memory-mapped: pages are read as lookups touch
    /// them and shared with every process mapping the same file (many
    /// worker processes on one machine), at the cost of slower lookups.
    pub fn map(path: &Path) -> Result<Model, Error> {
        Model::open(path, Load::Map)
    }

    fn open(path: &Path, how: Load) -> Result<Model, Error> {
        let io = |e| Error::Io { path: path.to_path_buf(), source: e };
        // Looked at before it is opened: opening a pipe waits for a writer.
        let meta = std::fs::metadata(path).map_err(io)?;
        if meta.is_dir() {
            let reason = "a directory, not a model file".to_string();
            return Err(Error::Corrupt { path: path.to_path_buf(), reason });
        }
        // A device or a pipe has no length to check (/dev/zero would be
        // read forever).
        if !meta.is_file() {
            let reason = "not a regular file".to_string();
            return Err(Error::Corrupt { path: path.to_path_buf(), reason });
        }
        let file = std::fs::File::open(path).map_err(io)?;
        let len = usize::try_from(meta.len()).map_err(|_| Error::Corrupt {
            path: path.to_path_buf(),
            reason: "too large for this machine".into(),
        })?;
        let bytes = match how {
            _ if len < 4096 => {
                let mut small = Vec::with_capacity(len);
                std::io::Read::read_to_end(&mut &file, &mut small).map_err(io)?;
                Bytes::Owned(small)
            }
            Load::Read => read_huge(&file, len).map_err(io)?,
            Load::Map => map(&file).map_err(io)?,
        };
        if bytes.len() >= 12 && &bytes[..8] == MAGIC {
            let version = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
            if version != FORMAT_VERSION {
                return Err(Error::IncompatibleVersion {
                    path: path.to_path_buf(),
                    found: version,
                });
            }
        }
        Model::parse(bytes).map_err(|reason| Error::Corrupt { path: path.to_path_buf(), reason })
    }
}

/// How [`Model::open`] brings a model file into memory.
#[derive(Clone, Copy, Debug)]
enum Load {
    /// Read into anonymous memory (in huge pages where the kernel has them).
    Read,
    /// Memory-mapped.
    Map,
}

/// Reads `len` bytes of a model file into anonymous memory advised for
/// transparent huge pages.
fn read_huge(mut file: &std::fs::File, len: usize) -> std::io::Result<Bytes> {
    use std::io::Read;
    let mut m = memmap2::MmapOptions::new().len(len).map_anon()?;
    // Advice only: a kernel without transparent huge pages ignores it or
    // says no, and the model works the same in small pages.
    #[cfg(target_os = "linux")]
    let _ = m.advise(memmap2::Advice::HugePage);
    file.read_exact(&mut m)?;
    Ok(Bytes::Mapped(m.make_read_only()?))
}

/// Memory-maps a model file.
#[allow(unsafe_code)]
fn map(file: &std::fs::File) -> std::io::Result<Bytes> {
    // SAFETY: the map is read-only and files are only ever replaced by a
    // rename (`Model::save`), never rewritten in place; a file truncated by
    // someone else under a live map is the documented risk of memory maps.
    let m = unsafe { memmap2::Mmap::map(file)? };
    Ok(Bytes::Mapped(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantization_is_exact_for_small_counts() {
        for c in 1..=1000 {
            assert_eq!(dequantize(quantize(c)), c);
        }
        let big = dequantize(quantize(3_000_000));
        assert!((f64::from(big) / 3e6 - 1.0).abs() < 0.001);
    }

    #[test]
    fn ngrams_and_smoothing() {
        let mut b = ModelBuilder::new().min_count(1);
        b.add("The dog barked. The dog ran. A cat ran.");
        let m = b.build();
        let [the, dog, cat, ran, barked] = ["the", "dog", "cat", "ran", "barked"].map(Model::key);
        assert_eq!(m.ngram_count(&[the, dog]), 2);
        assert_eq!(m.ngram_count(&[Model::BOS, the, dog]), 2);
        assert_eq!(m.ngram_count(&[Model::BOS]), 3);
        // Seen after its context beats unseen there.
        assert!(m.logprob(Some(the), Some(dog), ran) > m.logprob(Some(the), Some(dog), cat));
        assert!(
            m.logprob(Some(Model::BOS), Some(the), dog)
                > m.logprob(Some(Model::BOS), Some(the), ran)
        );
        // Each context's distribution over the vocabulary sums to one
        // (up to the quantized statistics), seen contexts or not.
        let vocab = ["the", "dog", "barked", "ran", "a", "cat", "."].map(Model::key);
        let contexts = [
            (Some(Model::BOS), Some(the)),
            (Some(the), Some(dog)),
            (Some(dog), Some(ran)),
            (Some(cat), Some(dog)),
            (None, Some(barked)),
            (None, Some(Model::key("wolf"))),
            (None, None),
        ];
        for (u, v) in contexts {
            let sum: f32 = vocab.iter().map(|&w| m.logprob(u, v, w).exp()).sum();
            assert!((sum - 1.0).abs() < 1e-3, "{u:?} {v:?}: {sum}");
        }
    }

    /// A prefetch's address stays inside the model for any key (every
    /// home slot of every table), and scores stay as they were.
    #[test]
    fn prefetching_any_key_stays_in_the_model() {
        let mut b = ModelBuilder::new().min_count(1);
        b.add("The dog barked. The dog ran. A cat ran.");
        let m = b.build();
        let words: Vec<Word> = ["the", "dog", "ran", "wolf"].map(|w| m.word(Model::key(w))).into();
        let before: Vec<f32> =
            words.iter().map(|w| m.logprob_word(&m.context(None, None), w)).collect();
        let mut hits = 0;
        for i in 0..20_000u64 {
            let k = xxh3_64(&i.to_le_bytes());
            for (order, (t, slot)) in m.tables.iter().zip(SLOT).enumerate() {
                let at = m.home_slot(order, k);
                assert!(at + slot <= m.bytes.len(), "order {order}, key {k:x}");
                hits += usize::from(at == t.slots + slot * (t.cap - 1));
            }
            m.prefetch_ngram(&[k]);
            m.prefetch_ngram(&[k, k ^ 1]);
            m.prefetch_ngram(&[k, k ^ 1, k ^ 2]);
            for w in &words {
                let ctx = m.context_word(Some(k), w);
                m.prefetch_next(&ctx, w);
                m.prefetch_next(&m.context_word(Some(Model::key("the")), w), &m.word(k));
            }
        }
        // The last slot of some table was some key's home.
        assert!(hits > 0);
        let after: Vec<f32> =
            words.iter().map(|w| m.logprob_word(&m.context(None, None), w)).collect();
        assert_eq!(before, after);
    }

    #[test]
    fn next_context_matches_a_fresh_one() {
        let mut b = ModelBuilder::new().min_count(1);
        b.add("The dog barked. The dog ran. A cat ran. The cat barked at the dog.");
        let m = b.build();
        let keys = ["the", "dog", "barked", "ran", "a", "cat", "at", ".", "wolf"].map(Model::key);
        for u in keys.iter().copied().chain([Model::BOS]) {
            for v in keys {
                let ctx = m.context(None, Some(u));
                let (lp, next) = m.logprob_next(&ctx, &m.word(v));
                assert_eq!(lp, m.logprob(None, Some(u), v));
                let fresh = m.context(Some(u), Some(v));
                for w in keys {
                    assert_eq!(m.logprob_after(&next, w), m.logprob_after(&fresh, w));
                }
            }
        }
    }

    #[test]
    fn pair_counts_together_match_one_by_one() {
        let mut b = ModelBuilder::new().min_count(1);
        b.add("The dog barked. The dog ran. A cat ran. The cat barked at the dog.");
        let m = b.build();
        let words = ["the", "dog", "cat", "ran", "barked", "at", "a", "fox"].map(Model::key);
        let pairs: Vec<(u64, u64)> =
            words.iter().flat_map(|&v| words.iter().map(move |&w| (v, w))).collect();
        let mut counts = vec![7];
        m.pair_counts(pairs.iter().copied(), &mut counts);
        let one_by_one: Vec<u32> = pairs.iter().map(|&(v, w)| m.ngram_count(&[v, w])).collect();
        assert_eq!(counts[0], 7, "appended, not overwritten");
        assert_eq!(&counts[1..], one_by_one);
        assert_eq!(m.ngram_count(&[words[0], words[1]]), 3, "the dog");
    }

    #[test]
    fn memoized_once_per_model() {
        let m = ModelBuilder::new().build();
        let calls = std::cell::Cell::new(0);
        let compute = |v: u32| {
            calls.set(calls.get() + 1);
            v
        };
        assert_eq!(m.memoized(4, 1, || compute(7)), 7);
        assert_eq!(m.memoized(4, 1, || compute(9)), 7);
        assert_eq!(m.memoized(4, 2, || compute(u32::MAX)), u32::MAX - 1);
        assert_eq!(m.memoized(4, 2, || compute(0)), u32::MAX - 1);
        assert_eq!(calls.get(), 2);
        // Out of range: computed each time.
        assert_eq!(m.memoized(4, 4, || compute(3)), 3);
        assert_eq!(m.memoized(4, 4, || compute(5)), 5);
        assert_eq!(calls.get(), 4);
    }

    #[test]
    fn memoized_pairs_once_per_model() {
        let m = ModelBuilder::new().build();
        // Read ahead before there is a memo, and out of range: a hint only.
        m.prefetch_memoized_pair(1);
        let calls = std::cell::Cell::new(0);
        let compute = |v: [u64; 2]| {
            calls.set(calls.get() + 1);
            v
        };
        assert_eq!(m.memoized_pair(4, 1, || compute([7, 0])), [7, 0]);
        assert_eq!(m.memoized_pair(4, 1, || compute([9, 9])), [7, 0]);
        assert_eq!(calls.get(), 1);
        // A first value of 0 is no memo: computed each time.
        assert_eq!(m.memoized_pair(4, 2, || compute([0, 5])), [0, 5]);
        assert_eq!(m.memoized_pair(4, 2, || compute([0, 6])), [0, 6]);
        // Out of range: computed each time.
        assert_eq!(m.memoized_pair(4, 4, || compute([3, 3])), [3, 3]);
        assert_eq!(m.memoized_pair(4, 4, || compute([5, 5])), [5, 5]);
        assert_eq!(calls.get(), 5);
        (0..8).for_each(|id| m.prefetch_memoized_pair(id));
        assert_eq!(m.memoized_pair(4, 1, || compute([9, 9])), [7, 0]);
        assert_eq!(std::mem::align_of::<MemoPair>(), 16);
    }

    #[test]
    fn round_trip_and_corruption() {
        let dir = std::env::temp_dir().join(format!("unspin-lm-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let mut b = ModelBuilder::new();
        for _ in 0..300 {
            b.add("Two dogs and two cats.");
        }
        // Enough words that the file is read and mapped, not read whole
        // as a small file is.
        b.add(&(0..400).map(|i| format!("word{i}")).collect::<Vec<_>>().join(" "));
        let m = b.build();
        assert_eq!(m.count("2"), 600);
        let p = dir.join("m.bin");
        m.save(&p).expect("save");
        assert!(std::fs::metadata(&p).expect("saved").len() >= 4096);
        for open in [Model::load, Model::map] {
            let back = open(&p).expect("load");
            assert_eq!(back, m);
            assert_eq!(back.topics(), m.topics());
            assert_eq!(back.topics().documents(), 301);
            assert_eq!(back.count("word399"), 1);
        }
        let good = std::fs::read(&p).expect("read");
        for open in [Model::load, Model::map] {
            let mut bytes = good.clone();
            let last = bytes.len() - 9;
            bytes[last] ^= 1;
            std::fs::write(&p, &bytes).expect("write");
            assert!(matches!(open(&p), Err(Error::Corrupt { .. })));
            bytes[8] = 9;
            std::fs::write(&p, &bytes).expect("write");
            assert!(matches!(open(&p), Err(Error::IncompatibleVersion { found: 9, .. })));
            // Cut short.
            std::fs::write(&p, &good[..good.len() / 2]).expect("write");
            assert!(matches!(open(&p), Err(Error::Corrupt { .. })));
            std::fs::write(&p, b"hello").expect("write");
            assert!(matches!(open(&p), Err(Error::Corrupt { .. })));
            // A directory is named as one.
            let e = open(&dir).expect_err("a directory");
            assert!(e.to_string().contains("a directory, not a model file"), "{e}");
            // A device is refused before it is read (/dev/zero would never
            // end; the CLI's tests try that one, with a time limit).
            #[cfg(unix)]
            {
                let e = open(Path::new("/dev/null")).expect_err("a device");
                assert!(e.to_string().contains("not a regular file"), "{e}");
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
