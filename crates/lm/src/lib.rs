//! A compact word n-gram language model of original texts.
//!
//! Spinners replace common words with thesaurus entries that are often much
//! rarer ("pooch" for "dog") and that read oddly in context ("the residential
//! puppy"). This model knows how often words, word pairs and word triples
//! occur in a corpus of originals: `score` uses the word counts to spot
//! unlikely replacements, `restore` scores candidate originals in context
//! with stupid backoff (Brants et al. 2007).
//!
//! The model is compact: n-grams are xxh3 hashes of normalized tokens (with a
//! sentence-start mark), pairs and triples seen fewer than `min_count` times
//! are pruned, counts are quantized to 16 bits (exact up to about 1,000,
//! within 0.05 % above), and each order is an open-addressing hash table laid
//! out exactly as on disk, so [`Model::load`] memory-maps the file and looks
//! n-grams up in place.
//!
//! # Overview
//!
//! * [`ModelBuilder`]: count the tokens of texts (`add`, `merge`), `build`.
//! * [`Model`]: `count(word)`, `ngram_count`, `logprob` (stupid backoff),
//!   `save`, `load` (a corrupt file or one of another version is a typed
//!   [`Error`]).
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

use unspin_text::Tokenizer;
use xxhash_rust::xxh3::xxh3_64;

/// The version of the model file format.
pub const FORMAT_VERSION: u32 = 2;
const MAGIC: &[u8; 8] = b"UNSPINLM";
/// Orders stored: words, pairs, triples.
pub const ORDER: usize = 3;
/// Stupid backoff's penalty for each order backed off.
const BACKOFF: f32 = 0.4;
/// Quantization base: a count `c` is stored as `round(log_QBASE(c))`.
const QBASE: f64 = 1.001;
const HEADER: usize = 8 + 4 + 8 + 4;

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
    #[error("{}: language model format version {found}, this build reads version {FORMAT_VERSION}", path.display())]
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
    counts: [HashMap<u64, u32>; ORDER],
    tokens: u64,
    min_count: u32,
    tokenizer: Tokenizer,
}

impl Default for ModelBuilder {
    fn default() -> ModelBuilder {
        ModelBuilder {
            counts: Default::default(),
            tokens: 0,
            min_count: 1,
            tokenizer: Tokenizer::default(),
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
        for t in tt.tokens() {
            if t.sentence() != sentence {
                sentence = t.sentence();
                *self.counts[0].entry(Model::BOS).or_default() += 1;
                (u, v) = (0, Model::BOS);
            }
            let w = nonzero(t.hash());
            *self.counts[0].entry(w).or_default() += 1;
            self.tokens += 1;
            if v != 0 {
                *self.counts[1].entry(nonzero(mix(v, w))).or_default() += 1;
            }
            if u != 0 {
                *self.counts[2].entry(nonzero(mix(mix(u, v), w))).or_default() += 1;
            }
            (u, v) = (v, w);
        }
    }

    /// Adds another builder's counts (for building in parallel).
    pub fn merge(&mut self, other: ModelBuilder) {
        for (mine, theirs) in self.counts.iter_mut().zip(other.counts) {
            for (h, c) in theirs {
                let e = mine.entry(h).or_default();
                *e = e.saturating_add(c);
            }
        }
        self.tokens += other.tokens;
    }

    /// The model.
    pub fn build(self) -> Model {
        let mut buf = Vec::new();
        buf.extend_from_slice(MAGIC);
        buf.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        buf.extend_from_slice(&self.tokens.to_le_bytes());
        buf.extend_from_slice(&(ORDER as u32).to_le_bytes());
        for (order, counts) in self.counts.into_iter().enumerate() {
            let keep = |c: u32| order == 0 || c >= self.min_count;
            let n = counts.values().filter(|&&c| keep(c)).count();
            let cap = (n * 3 / 2 + 1).next_power_of_two().max(2);
            let mut keys = vec![0u64; cap];
            let mut qs = vec![0u16; cap];
            let mut entries: Vec<(u64, u32)> = counts.into_iter().filter(|e| keep(e.1)).collect();
            entries.sort_unstable();
            for (k, c) in entries {
                let mut i = (k as usize) & (cap - 1);
                while keys[i] != 0 {
                    i = (i + 1) & (cap - 1);
                }
                keys[i] = k;
                qs[i] = quantize(c);
            }
            buf.extend_from_slice(&(cap as u64).to_le_bytes());
            buf.extend_from_slice(&(n as u64).to_le_bytes());
            keys.iter().for_each(|k| buf.extend_from_slice(&k.to_le_bytes()));
            qs.iter().for_each(|q| buf.extend_from_slice(&q.to_le_bytes()));
        }
        let sum = xxh3_64(&buf);
        buf.extend_from_slice(&sum.to_le_bytes());
        match Model::parse(Bytes::Owned(buf)) {
            Ok(m) => m,
            // The layout written above is the layout parsed: unreachable.
            Err(reason) => unreachable!("model layout: {reason}"),
        }
    }
}

fn quantize(c: u32) -> u16 {
    ((f64::from(c.max(1)).ln() / QBASE.ln()).round() as u64).min(u64::from(u16::MAX)) as u16
}

fn dequantize(q: u16) -> u32 {
    static TABLE: std::sync::OnceLock<Vec<u32>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (0..=u16::MAX).map(|q| (f64::from(q) * QBASE.ln()).exp().round() as u32).collect()
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
    keys: usize,
    counts: usize,
    mask: usize,
    len: usize,
}

/// Token, pair and triple counts of a corpus of originals. Immutable,
/// `Send + Sync`.
#[derive(Debug)]
pub struct Model {
    bytes: Bytes,
    tokens: u64,
    tables: [Table; ORDER],
}

impl PartialEq for Model {
    fn eq(&self, other: &Model) -> bool {
        *self.bytes == *other.bytes
    }
}

fn u64_at(b: &[u8], p: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[p..p + 8]);
    u64::from_le_bytes(a)
}

/// The counts of a two-word context, from [`Model::context`].
#[derive(Clone, Copy, Debug)]
pub struct Context {
    u: Option<u64>,
    v: Option<u64>,
    uv_count: u32,
    v_count: u32,
}

impl Model {
    /// The key of the sentence-start mark.
    pub const BOS: u64 = 0x5eed_0000_0000_0b05;

    /// The key of a word (normalized like the tokenizer does).
    pub fn key(word: &str) -> u64 {
        nonzero(xxh3_64(unspin_text::normalize(word).as_bytes()))
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
        let mut tables = [Table { keys: 0, counts: 0, mask: 0, len: 0 }; ORDER];
        let mut p = HEADER;
        for t in &mut tables {
            if p + 16 > body {
                return Err("truncated".into());
            }
            let (cap, len) = (u64_at(b, p) as usize, u64_at(b, p + 8) as usize);
            if !cap.is_power_of_two() || len >= cap {
                return Err("bad table size".into());
            }
            let end = cap
                .checked_mul(10)
                .and_then(|s| s.checked_add(p + 16))
                .filter(|&e| e <= body)
                .ok_or("truncated")?;
            *t = Table { keys: p + 16, counts: p + 16 + cap * 8, mask: cap - 1, len };
            p = end;
        }
        if p != body {
            return Err("trailing bytes".into());
        }
        Ok(Model { bytes, tokens, tables })
    }

    fn lookup(&self, order: usize, key: u64) -> u32 {
        let t = self.tables[order];
        let b: &[u8] = &self.bytes;
        let mut i = (key as usize) & t.mask;
        for _ in 0..=t.mask {
            let k = u64_at(b, t.keys + 8 * i);
            if k == key {
                let q = u16::from_le_bytes([b[t.counts + 2 * i], b[t.counts + 2 * i + 1]]);
                return dequantize(q);
            }
            if k == 0 {
                return 0;
            }
            i = (i + 1) & t.mask;
        }
        0
    }

    /// How often `word` (normalized like the tokenizer does) occurs.
    pub fn count(&self, word: &str) -> u32 {
        self.lookup(0, Model::key(word))
    }

    /// How often the token with this key occurs ([`Model::key`],
    /// [`Model::token_key`]).
    pub fn count_hash(&self, key: u64) -> u32 {
        self.lookup(0, nonzero(key))
    }

    /// How often this sequence of 1 to 3 token keys occurs (0 for a pair or
    /// triple pruned at build time).
    pub fn ngram_count(&self, keys: &[u64]) -> u32 {
        match *keys {
            [w] => self.lookup(0, nonzero(w)),
            [v, w] => self.lookup(1, nonzero(mix(v, w))),
            [u, v, w] => self.lookup(2, nonzero(mix(mix(u, v), w))),
            _ => 0,
        }
    }

    /// The natural log of the stupid-backoff score of `w` after `u v`
    /// (either may be missing, e.g. at the start of a text). Unknown words
    /// get half a count.
    pub fn logprob(&self, u: Option<u64>, v: Option<u64>, w: u64) -> f32 {
        self.logprob_after(&self.context(u, v), w)
    }

    /// The counts of a context `u v` (either may be missing), to score many
    /// next words after it with [`Model::logprob_after`].
    pub fn context(&self, u: Option<u64>, v: Option<u64>) -> Context {
        let v_count = v.map_or(0, |v| self.ngram_count(&[v]));
        let uv_count = match (u, v) {
            (Some(u), Some(v)) => self.ngram_count(&[u, v]),
            _ => 0,
        };
        Context { u, v, uv_count, v_count }
    }

    /// [`Model::logprob`] of `w` after a context from [`Model::context`]
    /// (the same value, with fewer lookups).
    pub fn logprob_after(&self, ctx: &Context, w: u64) -> f32 {
        let mut penalty = 1.0f32;
        if let Some(v) = ctx.v {
            if let Some(u) = ctx.u {
                if ctx.uv_count > 0 {
                    let c3 = self.ngram_count(&[u, v, w]);
                    if c3 > 0 {
                        return (c3 as f32 / ctx.uv_count.max(c3) as f32).ln();
                    }
                }
                penalty *= BACKOFF;
            }
            if ctx.v_count > 0 {
                let c2 = self.ngram_count(&[v, w]);
                if c2 > 0 {
                    return (penalty * c2 as f32 / ctx.v_count.max(c2) as f32).ln();
                }
            }
            penalty *= BACKOFF;
        }
        let c1 = self.ngram_count(&[w]) as f32;
        (penalty * c1.max(0.5) / (self.tokens.max(1) as f32)).ln()
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

    /// Reads a model written by [`Model::save`] (memory-mapped), checking
    /// magic, version, layout and checksum.
    pub fn load(path: &Path) -> Result<Model, Error> {
        let io = |e| Error::Io { path: path.to_path_buf(), source: e };
        let file = std::fs::File::open(path).map_err(io)?;
        let len = file.metadata().map_err(io)?.len();
        let bytes = if len >= 4096 {
            map(&file).map_err(io)?
        } else {
            Bytes::Owned(std::fs::read(path).map_err(io)?)
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
    fn ngrams_and_backoff() {
        let mut b = ModelBuilder::new().min_count(1);
        b.add("The dog barked. The dog ran. A cat ran.");
        let m = b.build();
        let [the, dog, cat, ran] = ["the", "dog", "cat", "ran"].map(Model::key);
        assert_eq!(m.ngram_count(&[the, dog]), 2);
        assert_eq!(m.ngram_count(&[Model::BOS, the, dog]), 2);
        assert_eq!(m.ngram_count(&[Model::BOS]), 3);
        assert!(m.logprob(Some(the), Some(dog), ran) > m.logprob(Some(the), Some(cat), ran));
        assert!((m.logprob(Some(Model::BOS), Some(the), dog) - 0.0).abs() < 1e-6);
    }

    #[test]
    fn round_trip_and_corruption() {
        let dir = std::env::temp_dir().join(format!("unspin-lm-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let mut b = ModelBuilder::new();
        for _ in 0..300 {
            b.add("Two dogs and two cats.");
        }
        let m = b.build();
        assert_eq!(m.count("2"), 600);
        let p = dir.join("m.bin");
        m.save(&p).expect("save");
        assert_eq!(Model::load(&p).expect("load"), m);
        let mut bytes = std::fs::read(&p).expect("read");
        let last = bytes.len() - 9;
        bytes[last] ^= 1;
        std::fs::write(&p, &bytes).expect("write");
        assert!(matches!(Model::load(&p), Err(Error::Corrupt { .. })));
        bytes[8] = 9;
        std::fs::write(&p, &bytes).expect("write");
        assert!(matches!(Model::load(&p), Err(Error::IncompatibleVersion { found: 9, .. })));
        std::fs::write(&p, b"hello").expect("write");
        assert!(matches!(Model::load(&p), Err(Error::Corrupt { .. })));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
