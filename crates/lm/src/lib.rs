//! A compact word-frequency model of original texts.
//!
//! Spinners replace common words with thesaurus entries, which are often much
//! rarer ("pooch" for "dog", "earthbound" for "terrestrial"). Knowing how
//! often each word occurs in a corpus of originals tells `score` which words
//! look like such replacements. The model holds xxh3 hashes of normalized
//! words with their counts, sorted, in a small versioned binary file.
//!
//! # Overview
//!
//! * [`ModelBuilder`]: count the words of texts (`add`), then `build`.
//! * [`Model`]: `count(word)`, `save`, `load` (a corrupt file or one of
//!   another version is a typed [`Error`]).
//!
//! # Example
//!
//! ```
//! use unspin_lm::ModelBuilder;
//! let mut b = ModelBuilder::new();
//! b.add("The dog saw another dog.");
//! let m = b.build();
//! assert_eq!(m.count("dog"), 2);
//! assert_eq!(m.count("pooch"), 0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use unspin_text::Tokenizer;
use xxhash_rust::xxh3::xxh3_64;

/// The version of the model file format.
pub const FORMAT_VERSION: u32 = 1;
const MAGIC: &[u8; 8] = b"UNSPINLM";

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

/// Counts words of texts into a [`Model`].
#[derive(Debug, Default)]
pub struct ModelBuilder {
    counts: HashMap<u64, u32>,
    tokens: u64,
    tokenizer: Tokenizer,
}

impl ModelBuilder {
    /// An empty builder.
    pub fn new() -> ModelBuilder {
        ModelBuilder::default()
    }

    /// Counts the words of `text`.
    pub fn add(&mut self, text: &str) {
        for t in self.tokenizer.tokenize(text).tokens() {
            if t.is_wordlike() {
                *self.counts.entry(t.hash()).or_default() += 1;
                self.tokens += 1;
            }
        }
    }

    /// Adds another builder's counts (for building in parallel).
    pub fn merge(&mut self, other: ModelBuilder) {
        for (h, c) in other.counts {
            let e = self.counts.entry(h).or_default();
            *e = e.saturating_add(c);
        }
        self.tokens += other.tokens;
    }

    /// The model.
    pub fn build(self) -> Model {
        let mut entries: Vec<(u64, u32)> = self.counts.into_iter().collect();
        entries.sort_unstable();
        Model { entries, tokens: self.tokens }
    }
}

/// Word counts of a corpus of originals. Immutable, `Send + Sync`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Model {
    entries: Vec<(u64, u32)>,
    tokens: u64,
}

impl Model {
    /// How often `word` (normalized like the tokenizer does) occurs.
    pub fn count(&self, word: &str) -> u32 {
        let h = xxh3_64(unspin_text::normalize(word).as_bytes());
        self.count_hash(h)
    }

    /// How often the word with this normalized-form hash occurs.
    pub fn count_hash(&self, hash: u64) -> u32 {
        self.entries.binary_search_by_key(&hash, |e| e.0).map_or(0, |i| self.entries[i].1)
    }

    /// Words counted.
    pub fn tokens(&self) -> u64 {
        self.tokens
    }

    /// Distinct words.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the model is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Writes the model to `path` (through a temporary file and a rename).
    pub fn save(&self, path: &Path) -> Result<(), Error> {
        let mut buf = Vec::with_capacity(24 + self.entries.len() * 12);
        buf.extend_from_slice(MAGIC);
        buf.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        buf.extend_from_slice(&(self.entries.len() as u64).to_le_bytes());
        buf.extend_from_slice(&self.tokens.to_le_bytes());
        for (h, c) in &self.entries {
            buf.extend_from_slice(&h.to_le_bytes());
            buf.extend_from_slice(&c.to_le_bytes());
        }
        buf.extend_from_slice(&xxh3_64(&buf).to_le_bytes());
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, &buf).map_err(|e| Error::Io { path: tmp.clone(), source: e })?;
        std::fs::rename(&tmp, path).map_err(|e| Error::Io { path: path.to_path_buf(), source: e })
    }

    /// Reads a model written by [`Model::save`], checking magic, version,
    /// size and checksum.
    pub fn load(path: &Path) -> Result<Model, Error> {
        let bytes =
            std::fs::read(path).map_err(|e| Error::Io { path: path.to_path_buf(), source: e })?;
        let bad =
            |reason: &str| Error::Corrupt { path: path.to_path_buf(), reason: reason.to_string() };
        if bytes.len() < 36 || &bytes[..8] != MAGIC {
            return Err(bad("wrong magic"));
        }
        let u32_at =
            |p: usize| u32::from_le_bytes([bytes[p], bytes[p + 1], bytes[p + 2], bytes[p + 3]]);
        let u64_at = |p: usize| {
            let mut a = [0u8; 8];
            a.copy_from_slice(&bytes[p..p + 8]);
            u64::from_le_bytes(a)
        };
        let version = u32_at(8);
        if version != FORMAT_VERSION {
            return Err(Error::IncompatibleVersion { path: path.to_path_buf(), found: version });
        }
        let n = u64_at(12) as usize;
        let tokens = u64_at(20);
        let body_end =
            n.checked_mul(12).and_then(|b| b.checked_add(28)).ok_or_else(|| bad("size"))?;
        if bytes.len() != body_end + 8 {
            return Err(bad("truncated or padded"));
        }
        if xxh3_64(&bytes[..body_end]) != u64_at(body_end) {
            return Err(bad("checksum mismatch"));
        }
        let entries = (0..n).map(|k| (u64_at(28 + 12 * k), u32_at(36 + 12 * k))).collect();
        Ok(Model { entries, tokens })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_corruption() {
        let dir = std::env::temp_dir().join(format!("unspin-lm-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let mut b = ModelBuilder::new();
        b.add("Two dogs and two cats.");
        let m = b.build();
        assert_eq!(m.count("2"), 2);
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
