//! Spin-robust alignment of a source and a suspect text.
//!
//! Spinners keep the skeleton of a text (names, numbers, punctuation, most
//! function words) and swap about a quarter of the words. This stage anchors
//! on what survives (rare shared unigrams and 3-grams of normalized tokens),
//! chains the anchors monotonically, cuts the chain into [`Passage`]s at long
//! gaps (a dropped headline, inserted boilerplate), and aligns the gaps with a
//! dynamic programme that scores likely substitutions (a caller's
//! [`Similarity`], e.g. thesaurus pairs) above unrelated words. Memory and
//! time are linear in the texts apart from small per-gap tables; see
//! `DESIGN.md`.
//!
//! # Overview
//!
//! * [`Aligner`] (configured by [`AlignerBuilder`]): the reusable aligner.
//! * [`Passage`]: aligned token ranges with the [`AlignOp`]s covering them.
//! * [`Similarity`]: how likely a spinner wrote one word for another.
//! * [`AlignHook`] and [`Capture`]: the low-level, push-style interface.
//!
//! # Deadlines
//!
//! [`AlignerBuilder::timeout`] bounds the work per alignment: once spent, gaps
//! are reported as coarse `Replace` ops instead of being aligned token by
//! token. The passages themselves are still found.
//!
//! # Example
//!
//! ```
//! use unspin_align::{AlignOp, Aligner, NoSimilarity};
//! use unspin_text::Tokenizer;
//! let tok = Tokenizer::default();
//! let a = tok.tokenize("Finnish Prime Minister Anna Virtanen met officials in Oslo on Monday.");
//! let b = tok.tokenize("Finnish Prime Clergyman Anna Virtanen met authorities in Oslo on Monday.");
//! let passages = Aligner::default().align(&a, &b, &NoSimilarity);
//! let changed: Vec<&AlignOp> = passages[0].ops.iter().filter(|o| !o.is_equal()).collect();
//! assert_eq!(changed.len(), 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

mod aligner;
mod dp;
mod op;
mod seeds;

pub use crate::aligner::{Aligner, AlignerBuilder, BuildError, NoSimilarity, Similarity};
pub use crate::op::{AlignHook, AlignOp, Capture, Passage};

#[cfg(test)]
mod tests;
