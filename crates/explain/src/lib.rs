//! Explains an alignment: which words the spinner changed, and how.
//!
//! Every maximal run of changed tokens in a [`Passage`](unspin_align::Passage)
//! becomes one [`Substitution`] (phrase level: `indirect fire` to `oblique
//! hearth` is one substitution, not two), with spans into both original texts
//! and a [`SubstitutionKind`]. Tokens that align as equal after normalization
//! but are written differently (`two`/`2`) become `format` substitutions.
//!
//! # Overview
//!
//! * [`explain`]: passages to substitutions.
//! * [`SubstitutionKind`]: synonym, broken term, function word, format,
//!   insertion, deletion, rewrite; the rules are on each variant.
//! * [`LexiconSimilarity`]: the thesaurus- and stem-backed scores the aligner
//!   fills gaps with.
//!
//! # Example
//!
//! ```
//! use unspin_align::Aligner;
//! use unspin_explain::{explain, LexiconSimilarity, SubstitutionKind};
//! use unspin_lexicon::Lexicon;
//! use unspin_text::Tokenizer;
//! let tok = Tokenizer::default();
//! let a = tok.tokenize("The domestic dog has lived with two families of people in Canis County.");
//! let b = tok.tokenize("The residential dog has lived with 2 families of people in Canis Nation.");
//! let lex = Lexicon::global();
//! let passages = Aligner::default().align(&a, &b, &LexiconSimilarity::new(lex, &a, &b));
//! let subs = explain(lex, &a, &b, &passages);
//! let kinds: Vec<SubstitutionKind> = subs.iter().map(|s| s.kind).collect();
//! assert_eq!(kinds, [SubstitutionKind::Synonym, SubstitutionKind::Format, SubstitutionKind::BrokenTerm]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

mod explain;
mod kind;
mod similarity;

pub use crate::explain::{Substitution, explain};
pub use crate::kind::SubstitutionKind;
pub use crate::similarity::LexiconSimilarity;
