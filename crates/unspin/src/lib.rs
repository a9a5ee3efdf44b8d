//! unspin finds the original behind a *spun* text, shows every word the
//! spinner changed, and puts the words back.
//!
//! This is the facade: it wires the stages together and owns the [`Report`]
//! type that the CLI, the server and the Python layer all return.
//!
//! # Overview
//!
//! * [`Comparer`] (configured by [`ComparerBuilder`]): compares a source with
//!   a suspect and returns a [`Report`].
//! * [`Report`]: verdict, spin score, passages and substitutions with
//!   character offsets; its JSON form is documented on the type.
//! * [`Verdict`] and [`SubstitutionKind`]: what the suspect is and what each
//!   change is.
//! * [`check`]: find the sources of a suspect in an [`index::Index`] and
//!   explain each with a [`Report`].
//! * [`scan`]: every pair of documents of an index that share reused text
//!   (spun copies by default), each kept once, source told from suspect.
//! * The stage crates, re-exported: [`text`], [`lexicon`], [`align`],
//!   [`explain`], [`index`].
//!
//! # Example
//!
//! ```
//! use unspin::{Comparer, SubstitutionKind, Verdict};
//! let report = Comparer::new().compare(
//!     "Finnish Prime Minister Anna Virtanen met two officials of the Arctic Council in Oslo on Monday.",
//!     "Finnish Prime Clergyman Anna Virtanen met 2 authorities of the Arctic Chamber in Oslo on Monday.",
//! );
//! assert_eq!(report.verdict, Verdict::Spun);
//! let kinds: Vec<_> = report.substitutions.iter().map(|s| s.kind).collect();
//! assert_eq!(kinds, [SubstitutionKind::BrokenTerm, SubstitutionKind::Format,
//!                    SubstitutionKind::Synonym, SubstitutionKind::BrokenTerm]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

mod check;
mod compare;
mod learn;
mod report;
mod restore;
mod scan;
mod score;

pub use crate::check::{CheckReport, SourceMatch, check, check_comparer};
pub use crate::compare::{BuildError, Comparer, ComparerBuilder};
pub use crate::learn::{
    LEARN_MIN_CONFIDENCE, LEARN_ROUNDS, learn_pair, learn_spun, learn_spun_rounds, learn_table,
    restored_pairs, spun_pairs_in,
};
pub use crate::report::{
    CharRange, PassageReport, Report, Stats, SubstitutionKind, SubstitutionReport, TextRange,
    Verdict,
};
pub use crate::restore::{RestoreReport, Restorer, restore};
pub use crate::scan::{Orientation, ScanOptions, ScanPair, scan};
pub use crate::score::{Flag, ScoreReport, Scorer};

pub use unspin_align as align;
pub use unspin_explain as explain;
pub use unspin_index as index;
pub use unspin_lexicon as lexicon;
pub use unspin_lm as lm;
pub use unspin_restore as restoration;
pub use unspin_text as text;

#[cfg(test)]
mod tests;

#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
