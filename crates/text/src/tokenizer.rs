use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use crate::function_words::is_function_hash;
use crate::normalize;
use crate::segment::word_bound_indices;
use crate::token::{FLAG_CAPITALIZED, FLAG_FUNCTION, FLAG_SENTENCE_START};
use crate::{Span, Token, TokenKind};

/// Builds a [`Tokenizer`].
#[derive(Clone, Debug)]
pub struct TokenizerBuilder {
    lossy: bool,
}

impl Default for TokenizerBuilder {
    fn default() -> Self {
        TokenizerBuilder { lossy: true }
    }
}

impl TokenizerBuilder {
    /// A builder with the defaults.
    pub fn new() -> TokenizerBuilder {
        TokenizerBuilder::default()
    }

    /// Whether to run the lossy normalizers (spelling, numbers, contractions)
    /// after the lossless ones. By default, this is enabled.
    pub fn lossy(&mut self, yes: bool) -> &mut TokenizerBuilder {
        self.lossy = yes;
        self
    }

    /// Builds the tokenizer.
    pub fn build(&self) -> Tokenizer {
        Tokenizer { lossy: self.lossy }
    }
}

/// Splits text into [`Token`]s (words, numbers, punctuation; whitespace is
/// skipped) and sentences. Immutable and reusable.
#[derive(Clone, Debug)]
pub struct Tokenizer {
    lossy: bool,
}

impl Default for Tokenizer {
    fn default() -> Self {
        TokenizerBuilder::default().build()
    }
}

/// A text and its tokens. Token spans point into [`TokenizedText::original`].
#[derive(Clone, Debug)]
pub struct TokenizedText<'t> {
    original: &'t str,
    tokens: Vec<Token>,
    sentences: u32,
}

impl Tokenizer {
    /// Tokenizes `text`.
    ///
    /// ```
    /// use unspin_text::{Tokenizer, TokenKind};
    /// let t = Tokenizer::default().tokenize("Two dogs didn't bark.");
    /// let norms: Vec<&str> = t.tokens().iter().map(|t| t.norm()).collect();
    /// assert_eq!(norms, ["2", "dogs", "did not", "bark", "."]);
    /// assert_eq!(t.tokens()[4].kind(), TokenKind::Punct);
    /// ```
    pub fn tokenize<'t>(&self, text: &'t str) -> TokenizedText<'t> {
        if text.len() < PARALLEL_BYTES {
            let (tokens, sentences, _) = self.part(text, 0);
            return TokenizedText { original: text, tokens, sentences };
        }
        self.in_parts(text, PART_BYTES)
    }

    /// [`Tokenizer::tokenize`] in parts of at least `part_bytes`, in
    /// parallel.
    pub(crate) fn in_parts<'t>(&self, text: &'t str, part_bytes: usize) -> TokenizedText<'t> {
        // Parts that end after a blank line (where a sentence ends and a
        // word boundary falls whatever comes next) are tokenized in
        // parallel, then their sentence numbers and character offsets
        // follow on from the parts before.
        let mut cuts = vec![0];
        while let Some(&last) = cuts.last() {
            let from = last + part_bytes.max(1);
            let Some(at) = text.get(from..).and_then(|rest| rest.find("\n\n")) else { break };
            cuts.push(from + at + 2);
        }
        cuts.push(text.len());
        let parts: Vec<(Vec<Token>, u32, u32)> =
            cuts.par_windows(2).map(|w| self.part(&text[w[0]..w[1]], w[0])).collect();
        let mut tokens = Vec::with_capacity(parts.iter().map(|p| p.0.len()).sum());
        let (mut sentences, mut chars) = (0u32, 0u32);
        for (part, part_sentences, part_chars) in parts {
            tokens.extend(part.into_iter().map(|mut t| {
                t.sentence += sentences;
                t.chars = (t.chars.0 + chars, t.chars.1 + chars);
                t
            }));
            sentences += part_sentences;
            chars += part_chars;
        }
        TokenizedText { original: text, tokens, sentences }
    }

    /// The tokens of `text`, which starts at byte `base` of the whole text
    /// (spans are in the whole text's bytes; characters and sentences count
    /// from this part's start), its number of sentences and of characters.
    pub(crate) fn part(&self, text: &str, base: usize) -> (Vec<Token>, u32, u32) {
        let mut tokens = Vec::with_capacity(text.len() / 5 + 1);
        let mut chars: u32 = 0;
        let mut sentence: u32 = 0;
        let mut at_sentence_start = true;
        let mut newlines = 0usize;
        for (start, seg) in word_bound_indices(text) {
            let seg_chars = if seg.is_ascii() { seg.len() } else { seg.chars().count() } as u32;
            if seg.chars().all(char::is_whitespace) {
                // A blank line ends a sentence (headlines, list items).
                newlines += seg.matches('\n').count();
                if newlines >= 2 && !at_sentence_start {
                    sentence += 1;
                    at_sentence_start = true;
                }
                chars += seg_chars;
                continue;
            }
            newlines = 0;
            for (off, piece) in split_glued_sentence(seg) {
                let piece_chars =
                    if piece.is_ascii() { piece.len() } else { piece.chars().count() };
                let prefix_chars = if off == 0 { 0 } else { seg[..off].chars().count() as u32 };
                let c0 = chars + prefix_chars;
                let kind = classify(piece);
                let span = Span::new(base + start + off, base + start + off + piece.len());
                let lossless = normalize::lossless(piece);
                let mut flags = 0;
                if kind == TokenKind::Word {
                    if lossless.len() <= 10 && is_function_hash(xxh3_64(lossless.as_bytes())) {
                        flags |= FLAG_FUNCTION;
                    }
                    if piece.chars().next().is_some_and(char::is_uppercase) {
                        flags |= FLAG_CAPITALIZED;
                    }
                }
                if at_sentence_start && kind != TokenKind::Punct {
                    flags |= FLAG_SENTENCE_START;
                    at_sentence_start = false;
                }
                let norm = if self.lossy { normalize::lossy(lossless) } else { lossless };
                let hash = xxh3_64(norm.as_bytes());
                tokens.push(Token {
                    kind,
                    span,
                    chars: (c0, c0 + piece_chars as u32),
                    norm: norm.into(),
                    hash,
                    sentence,
                    flags,
                });
                if kind == TokenKind::Punct && matches!(piece, "." | "!" | "?") {
                    sentence += 1;
                    at_sentence_start = true;
                }
            }
            chars += seg_chars;
        }
        let sentences =
            if tokens.is_empty() { 0 } else { sentence + u32::from(!at_sentence_start) };
        (tokens, sentences, chars)
    }
}

/// Texts this long or longer are tokenized in parts, in parallel.
pub(crate) const PARALLEL_BYTES: usize = 256 * 1024;
/// The least bytes of a part (it runs on to the next blank line).
const PART_BYTES: usize = 64 * 1024;

/// Splits `carnivore.The` (a missing space after a full stop, which word
/// segmentation keeps as one word) into `carnivore`, `.`, `The`; leaves
/// abbreviations (`U.S.`), numbers (`3.5`) and names (`node.js`) alone.
fn split_glued_sentence(seg: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    let mut cut = None;
    if seg.len() >= 4 {
        let b = seg.as_bytes();
        for i in 2..b.len().saturating_sub(1) {
            if b[i] == b'.'
                && b[i - 1].is_ascii_lowercase()
                && b[i - 2].is_ascii_lowercase()
                && b[i + 1].is_ascii_uppercase()
                && b.get(i + 2).is_some_and(|c| c.is_ascii_lowercase())
            {
                cut = Some(i);
                break;
            }
        }
    }
    let parts: [(usize, &str); 3] = match cut {
        Some(i) => [(0, &seg[..i]), (i, &seg[i..i + 1]), (i + 1, &seg[i + 1..])],
        None => [(0, seg), (0, ""), (0, "")],
    };
    parts.into_iter().filter(|(_, p)| !p.is_empty())
}

fn classify(seg: &str) -> TokenKind {
    if seg.chars().any(char::is_alphabetic) {
        TokenKind::Word
    } else if seg.chars().next().is_some_and(|c| c.is_numeric()) {
        TokenKind::Number
    } else {
        TokenKind::Punct
    }
}

impl<'t> TokenizedText<'t> {
    /// The text exactly as read.
    pub fn original(&self) -> &'t str {
        self.original
    }

    /// The tokens, in text order.
    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Whether there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// Number of sentences.
    pub fn sentence_count(&self) -> usize {
        self.sentences as usize
    }

    /// The original text of a token.
    pub fn text(&self, token: &Token) -> &'t str {
        &self.original[token.span.range()]
    }

    /// The original text from the start of token `start` to the end of token
    /// `end - 1`; empty if `start >= end`.
    pub fn slice(&self, start: usize, end: usize) -> &'t str {
        if start >= end || end > self.tokens.len() {
            return "";
        }
        &self.original[self.tokens[start].span.start()..self.tokens[end - 1].span.end()]
    }

    /// Character offset of byte offset `byte` (which must be on a token
    /// boundary or the end of the text).
    pub fn char_offset(&self, byte: usize) -> usize {
        match self.tokens.binary_search_by(|t| t.span.start().cmp(&byte)) {
            Ok(i) => self.tokens[i].char_start(),
            Err(i) => {
                let (base_byte, base_char) = match i.checked_sub(1) {
                    Some(p) => (self.tokens[p].span.end(), self.tokens[p].char_end()),
                    None => (0, 0),
                };
                let end = byte.min(self.original.len()).max(base_byte);
                base_char + self.original.get(base_byte..end).map_or(0, |s| s.chars().count())
            }
        }
    }

    /// Pieces of the original text in order: each token with `Some(token)`,
    /// and the whitespace between tokens with `None`. Joining the pieces gives
    /// back the original text exactly.
    ///
    /// ```
    /// let text = "A dog,  barking.\n";
    /// let t = unspin_text::Tokenizer::default().tokenize(text);
    /// let joined: String = t.reconstruct().map(|(piece, _)| piece).collect();
    /// assert_eq!(joined, text);
    /// ```
    pub fn reconstruct(&self) -> impl Iterator<Item = (&'t str, Option<&Token>)> + '_ {
        let mut pos = 0;
        let mut it = self.tokens.iter();
        let mut pending: Option<&Token> = None;
        std::iter::from_fn(move || {
            let tok = match pending.take() {
                Some(t) => t,
                None => match it.next() {
                    Some(t) => t,
                    None => {
                        if pos < self.original.len() {
                            let rest = &self.original[pos..];
                            pos = self.original.len();
                            return Some((rest, None));
                        }
                        return None;
                    }
                },
            };
            if tok.span.start() > pos {
                let gap = &self.original[pos..tok.span.start()];
                pos = tok.span.start();
                pending = Some(tok);
                return Some((gap, None));
            }
            pos = tok.span.end();
            Some((&self.original[tok.span.range()], Some(tok)))
        })
    }
}
