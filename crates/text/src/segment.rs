//! Word boundaries (Unicode Standard Annex #29), with a fast path for
//! ASCII text.
//!
//! [`word_bound_indices`] gives exactly the segments of
//! `unicode_segmentation`'s `split_word_bound_indices`, in pieces that
//! always end at a boundary ([`WordBounds`]): a piece of ASCII text by
//! the rules as they read for ASCII (a byte class table, no Unicode
//! lookups), any other piece by `unicode_segmentation`. A property test
//! checks the two against each other on random text.

use unicode_segmentation::{UWordBoundIndices, UnicodeSegmentation};

/// The word-boundary class of an ASCII byte (UAX #29, table 3), as far as
/// the rules tell classes apart in ASCII text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Cr,
    Lf,
    /// Vertical tab and form feed.
    Newline,
    /// A-Z and a-z.
    Letter,
    /// 0-9.
    Numeric,
    /// `:`.
    MidLetter,
    /// `,` and `;`.
    MidNum,
    /// `.`.
    MidNumLet,
    /// `'`.
    SingleQuote,
    /// `_`.
    ExtendNumLet,
    /// The space (a tab is `Other`).
    Space,
    Other,
}

const fn class_of(b: u8) -> Class {
    match b {
        b'\r' => Class::Cr,
        b'\n' => Class::Lf,
        0x0B | 0x0C => Class::Newline,
        b'A'..=b'Z' | b'a'..=b'z' => Class::Letter,
        b'0'..=b'9' => Class::Numeric,
        b':' => Class::MidLetter,
        b',' | b';' => Class::MidNum,
        b'.' => Class::MidNumLet,
        b'\'' => Class::SingleQuote,
        b'_' => Class::ExtendNumLet,
        b' ' => Class::Space,
        _ => Class::Other,
    }
}

/// Every ASCII byte's class.
const CLASSES: [Class; 128] = {
    let mut t = [Class::Other; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = class_of(b as u8);
        b += 1;
    }
    t
};

fn class(b: u8) -> Class {
    CLASSES[usize::from(b & 0x7F)]
}

/// Whether an ASCII byte is a letter or a digit: a run of them never
/// breaks (WB5, WB8-10), so it is skipped without the other rules.
const ALNUM: [bool; 128] = {
    let mut t = [false; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = matches!(CLASSES[b], Class::Letter | Class::Numeric);
        b += 1;
    }
    t
};

fn alnum(b: u8) -> bool {
    ALNUM[usize::from(b & 0x7F)]
}

/// A letter may be joined to a letter across it ("can't", "e.g"; WB6-7).
fn mid_letter(c: Class) -> bool {
    matches!(c, Class::MidLetter | Class::MidNumLet | Class::SingleQuote)
}

/// A digit may be joined to a digit across it ("3.5", "1,000"; WB11-12).
fn mid_num(c: Class) -> bool {
    matches!(c, Class::MidNum | Class::MidNumLet | Class::SingleQuote)
}

/// Whether a word boundary falls between `b[i - 1]` and `b[i]` in a piece
/// of ASCII text ending at `end` (a byte before the piece is looked at
/// only where the piece begins after a line feed or a space, which no
/// rule looks back across).
fn is_boundary(b: &[u8], i: usize, end: usize) -> bool {
    let (before, here) = (class(b[i - 1]), class(b[i]));
    let after = || (i + 1 < end).then(|| class(b[i + 1]));
    let before_that = || i.checked_sub(2).map(|j| class(b[j]));
    match (before, here) {
        (Class::Cr, Class::Lf) => false,
        (Class::Cr | Class::Lf | Class::Newline, _)
        | (_, Class::Cr | Class::Lf | Class::Newline) => true,
        (Class::Space, Class::Space)
        | (Class::Letter | Class::Numeric, Class::Letter | Class::Numeric)
        | (Class::Letter | Class::Numeric | Class::ExtendNumLet, Class::ExtendNumLet)
        | (Class::ExtendNumLet, Class::Letter | Class::Numeric) => false,
        (Class::Letter, c) if mid_letter(c) && after() == Some(Class::Letter) => false,
        (c, Class::Letter) if mid_letter(c) && before_that() == Some(Class::Letter) => false,
        (Class::Numeric, c) if mid_num(c) && after() == Some(Class::Numeric) => false,
        (c, Class::Numeric) if mid_num(c) && before_that() == Some(Class::Numeric) => false,
        _ => true,
    }
}

/// The segments of `text` between word boundaries (UAX #29), each with
/// its byte offset: what `unicode_segmentation`'s
/// `split_word_bound_indices` gives, faster on ASCII text.
///
/// ```
/// let segs: Vec<(usize, &str)> = unspin_text::word_bound_indices("It's 3.5 km.\n").collect();
/// assert_eq!(segs, [(0, "It's"), (4, " "), (5, "3.5"), (8, " "), (9, "km"), (11, "."), (12, "\n")]);
/// ```
pub fn word_bound_indices(text: &str) -> WordBounds<'_> {
    WordBounds { text, line_end: 0, ascii_line: true, piece: 0, end: 0, pos: 0, slow: None }
}

/// The iterator of [`word_bound_indices`].
///
/// A boundary always falls after a line feed (WB3a), and where a space is
/// followed by an ASCII character other than a space (no rule joins a
/// space to what follows it but another space, WB3d, or a combining mark,
/// a format character or a zero-width joiner, WB4, none of them ASCII). So a line is segmented on its own, and a line that is not all
/// ASCII in pieces that end at such places: an ASCII piece by the rules
/// as they read in ASCII, any other piece by `unicode_segmentation`.
pub struct WordBounds<'t> {
    text: &'t str,
    /// Where the current line ends (after its line feed), and whether it
    /// is all ASCII (then it is one piece).
    line_end: usize,
    ascii_line: bool,
    /// The current piece: `text[piece..end]`.
    piece: usize,
    end: usize,
    /// The next segment's start, in an ASCII piece.
    pos: usize,
    /// The segments of a piece that is not all ASCII.
    slow: Option<UWordBoundIndices<'t>>,
}

impl<'t> Iterator for WordBounds<'t> {
    type Item = (usize, &'t str);

    fn next(&mut self) -> Option<(usize, &'t str)> {
        let b = self.text.as_bytes();
        loop {
            if let Some(slow) = &mut self.slow {
                if let Some((i, seg)) = slow.next() {
                    return Some((self.piece + i, seg));
                }
                self.slow = None;
            } else if self.pos < self.end {
                let (start, end) = (self.pos, self.end);
                let mut i = start + 1;
                loop {
                    while i < end && alnum(b[i - 1]) && alnum(b[i]) {
                        i += 1;
                    }
                    if i >= end || is_boundary(b, i, end) {
                        break;
                    }
                    i += 1;
                }
                self.pos = i;
                return Some((start, &self.text[start..i]));
            }
            if self.end >= self.line_end {
                // The next line.
                if self.line_end >= self.text.len() {
                    return None;
                }
                let rest = &self.text[self.line_end..];
                self.end = self.line_end;
                self.line_end += rest.find('\n').map_or(rest.len(), |i| i + 1);
                self.ascii_line = self.text[self.end..self.line_end].is_ascii();
            }
            // The next piece of the line.
            self.piece = self.end;
            self.end = if self.ascii_line {
                self.line_end
            } else {
                (self.piece + 1..self.line_end)
                    .find(|&i| b[i - 1] == b' ' && b[i] != b' ' && b[i].is_ascii())
                    .unwrap_or(self.line_end)
            };
            let piece = &self.text[self.piece..self.end];
            if self.ascii_line || piece.is_ascii() {
                self.pos = self.piece;
            } else {
                self.pos = self.end;
                self.slow = Some(piece.split_word_bound_indices());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A text's segments with their offsets.
    type Segments<'t> = Vec<(usize, &'t str)>;

    /// The segments of `text`, ours and unicode-segmentation's.
    fn both(text: &str) -> (Segments<'_>, Segments<'_>) {
        (word_bound_indices(text).collect(), text.split_word_bound_indices().collect())
    }

    #[test]
    fn the_rules_as_they_read_in_ascii() {
        for text in [
            "",
            "The dog's U.S. visit cost $1,000.50; e.g. 3.5 x_1 can't.",
            "a  b\t\tc\r\n\r\nd\x0be\x0cf\n",
            "1.a a.1 a:b 1:2 1;2 a;b a'b 1'2 'a' .5 5. _a a_ __ 1_a",
            "ends with a letter",
            "\n\n\r",
        ] {
            let (fast, slow) = both(text);
            assert_eq!(fast, slow, "{text:?}");
        }
        // A line that is not all ASCII is read in pieces, those not all
        // ASCII by the full rules.
        for text in [
            "naïve café’s 1’000 e\u{301}t\u{e9}\nplain line.",
            "£5 and  ’quoted’ then  \u{301}x a\u{200d} b £ 1,5 x",
            "\u{a0} a  日本 'a' b",
        ] {
            let (fast, slow) = both(text);
            assert_eq!(fast, slow, "{text:?}");
        }
    }

    /// Characters that the rules tell apart, ASCII and not.
    const ALPHABET: &[char] = &[
        'a',
        'Z',
        'q',
        '0',
        '7',
        ' ',
        ' ',
        ' ',
        ' ',
        '\t',
        '\n',
        '\r',
        '\x0b',
        '\x0c',
        '.',
        ',',
        ';',
        ':',
        '\'',
        '"',
        '_',
        '-',
        '(',
        '!',
        '$',
        'é',
        '’',
        '\u{301}',
        '\u{200d}',
        '\u{a0}',
        '€',
        '£',
        '日',
        'ア',
        'א',
        '\u{1f600}',
        '\u{1f1e6}',
    ];

    proptest! {
        #[test]
        fn the_same_segments_as_unicode_segmentation(
            chars in proptest::collection::vec(proptest::sample::select(ALPHABET), 0..48),
            ascii_only in any::<bool>(),
        ) {
            let text: String = chars.into_iter().filter(|c| !ascii_only || c.is_ascii()).collect();
            let (fast, slow) = both(&text);
            prop_assert_eq!(fast, slow, "{:?}", text);
        }
    }
}
