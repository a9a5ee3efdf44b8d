use compact_str::CompactString;

use crate::Span;

/// What kind of text a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenKind {
    /// A word of letters (possibly with inner apostrophes), e.g. `dog`, `didn't`.
    Word,
    /// A number written with digits, e.g. `2004`, `3.5`, `1,000`.
    Number,
    /// A punctuation mark or symbol, e.g. `,` or `"`.
    Punct,
}

/// One token: its kind, its span into the original text, and its normalized form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub(crate) kind: TokenKind,
    pub(crate) span: Span,
    pub(crate) chars: (u32, u32),
    /// Held inline up to 24 bytes (nearly every word): no allocation per
    /// token.
    pub(crate) norm: CompactString,
    pub(crate) hash: u64,
    pub(crate) sentence: u32,
    pub(crate) flags: u8,
}

pub(crate) const FLAG_FUNCTION: u8 = 1;
pub(crate) const FLAG_CAPITALIZED: u8 = 2;
pub(crate) const FLAG_SENTENCE_START: u8 = 4;

impl Token {
    /// The kind of token.
    pub fn kind(&self) -> TokenKind {
        self.kind
    }

    /// Byte span into the original text.
    pub fn span(&self) -> Span {
        self.span
    }

    /// Character offset (Unicode scalar values) of the token's first character.
    pub fn char_start(&self) -> usize {
        self.chars.0 as usize
    }

    /// Character offset one past the token's last character.
    pub fn char_end(&self) -> usize {
        self.chars.1 as usize
    }

    /// The normalized form (lowercase, NFKC, American spelling, digits, ...).
    /// It may contain a space, e.g. `didn't` normalizes to `did not`.
    pub fn norm(&self) -> &str {
        &self.norm
    }

    /// A stable 64-bit hash (xxh3) of [`Token::norm`]: equal norms, equal hashes.
    pub fn hash(&self) -> u64 {
        self.hash
    }

    /// Index of the sentence the token belongs to.
    pub fn sentence(&self) -> usize {
        self.sentence as usize
    }

    /// Whether the token is an English function word (`the`, `of`, `from`, ...).
    pub fn is_function_word(&self) -> bool {
        self.flags & FLAG_FUNCTION != 0
    }

    /// Whether the token starts with an uppercase letter in the original text.
    pub fn is_capitalized(&self) -> bool {
        self.flags & FLAG_CAPITALIZED != 0
    }

    /// Whether the token is the first word of its sentence.
    pub fn is_sentence_start(&self) -> bool {
        self.flags & FLAG_SENTENCE_START != 0
    }

    /// Whether this is a word or number (not punctuation).
    pub fn is_wordlike(&self) -> bool {
        matches!(self.kind, TokenKind::Word | TokenKind::Number)
    }

    /// Whether the token looks like part of a proper name: capitalized but not
    /// merely because it opens a sentence, or written in capitals (`NATO`).
    pub fn is_name_like(&self) -> bool {
        self.kind == TokenKind::Word && self.is_capitalized() && !self.is_sentence_start()
    }
}
