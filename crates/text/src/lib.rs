//! The text model of unspin: tokens and sentences with spans into the
//! original text, and an ordered list of normalizers.
//!
//! A spinner keeps the skeleton of a text (punctuation, names, numbers, most
//! function words) and swaps the rest. To find that skeleton we compare
//! *normalized* tokens (`Two` and `2`, `colour` and `color`, `didn't` and
//! `did not` agree), but every [`Token`] keeps a [`Span`] into the text exactly
//! as read, so reports and restorations always slice the original.
//!
//! # Overview
//!
//! * [`Tokenizer`] (built by [`TokenizerBuilder`]) turns a `&str` into a
//!   [`TokenizedText`]: words, numbers and punctuation (whitespace is skipped),
//!   each with a byte [`Span`], character offsets, a normalized form, a stable
//!   xxh3 hash of that form, and its sentence.
//! * [`word_bound_indices`] gives the Unicode word boundaries (UAX #29) the
//!   tokenizer splits on, with a fast path for ASCII text.
//! * [`TokenizedText::reconstruct`] yields every piece of the original text,
//!   tokens and the whitespace between them; joined, they give back the input.
//! * [`normalize`](mod@normalize) holds the normalizers: [`normalize::LOSSLESS`]
//!   (NFKC, quotes, case) then [`normalize::LOSSY`] (hyphenation, spelling,
//!   number words, contractions).
//! * [`decode`] checks raw bytes (binary, UTF-8, empty, size) before any of this.
//!
//! # Which normalizers should you use?
//!
//! The default runs both lists, which is what alignment wants: a spinner that
//! writes `2` for `two` has not hidden anything. Turn the lossy list off with
//! [`TokenizerBuilder::lossy`] when you need to tell such variants apart.
//!
//! # Example
//!
//! ```
//! use unspin_text::Tokenizer;
//! let text = "The colour of two dogs";
//! let t = Tokenizer::default().tokenize(text);
//! assert_eq!(t.tokens()[1].norm(), "color");
//! assert_eq!(t.text(&t.tokens()[3]), "two");
//! assert_eq!(t.tokens()[3].norm(), "2");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

mod error;
mod function_words;
pub mod normalize;
mod segment;
mod span;
mod token;
mod tokenizer;

pub use crate::error::{Error, ErrorKind, decode, decode_lenient};
pub use crate::function_words::{function_words, is_function_word, is_grammatical_word};
pub use crate::normalize::{normalize, number_name, number_word};
pub use crate::segment::{WordBounds, word_bound_indices};
pub use crate::span::Span;
pub use crate::token::{Token, TokenKind};
pub use crate::tokenizer::{TokenizedText, Tokenizer, TokenizerBuilder};

#[cfg(test)]
mod tests;
