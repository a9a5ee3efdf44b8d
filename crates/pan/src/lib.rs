//! PAN text alignment on the unspin aligner.
//!
//! The PAN shared task on text alignment (2012-2015) asks, for each pair of a
//! suspicious and a source document, for the reused passages as character
//! spans on both sides. This crate is a passage layer on the same aligner as
//! `unspin compare` (one engine): [`Detector`] turns aligned passages into
//! [`Detection`]s, merges fragments and drops short or weak ones; [`xml`]
//! reads and writes the PAN XML format; [`eval`] computes plagdet from its
//! published definition (Potthast et al., COLING 2010).
//!
//! # Example
//!
//! ```
//! use unspin_pan::Detector;
//! let reused = "The committee approved the budget for the new hospital in Leeds after a long \
//!     debate about costs, staffing levels and the future of emergency care in the region. \
//!     Nurses from three wards told councillors that waiting times had doubled since March, \
//!     and the chief executive promised a review of night shifts before the winter.";
//! let spun = "The board approved the budget for the new infirmary in Leeds after a lengthy \
//!     debate about costs, staffing levels and the future of emergency care in the area. \
//!     Nurses from 3 wards told councillors that waiting times had doubled since March, \
//!     and the chief executive guaranteed a review of night shifts before the winter.";
//! let source = format!("{} {reused}", "An unrelated opening about gardens and roses. ".repeat(4));
//! let suspect = format!("{} {spun}", "Something else entirely about trains and timetables. ".repeat(3));
//! let found = Detector::default().detect(&suspect, &source);
//! assert_eq!(found.len(), 1);
//! let start: String = suspect.chars().skip(found[0].suspect.start).take(9).collect();
//! assert_eq!(start, "The board");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

mod detect;
mod error;
pub mod eval;
mod run;
pub mod xml;

pub use crate::detect::{Detection, Detector, DetectorBuilder};
pub use crate::error::Error;
pub use crate::run::{PairJob, PairOutcome, read_pairs, run_pair};
