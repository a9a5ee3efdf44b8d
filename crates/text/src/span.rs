use std::ops::Range;

/// A half-open byte range `[start, end)` into the **original** text.
///
/// Spans are never moved by normalization: whatever a normalizer does to a
/// token's normalized form, its span still slices the text exactly as read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    start: u32,
    end: u32,
}

impl Span {
    /// Creates a span.
    ///
    /// # Panics
    ///
    /// Panics if `start > end`; spans are built by the tokenizer, never from
    /// user input.
    pub fn new(start: usize, end: usize) -> Span {
        assert!(start <= end, "span start {start} > end {end}");
        Span { start: start as u32, end: end as u32 }
    }

    /// Byte offset of the first byte.
    pub fn start(&self) -> usize {
        self.start as usize
    }

    /// Byte offset one past the last byte.
    pub fn end(&self) -> usize {
        self.end as usize
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    /// Whether the span is empty.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The byte range.
    pub fn range(&self) -> Range<usize> {
        self.start()..self.end()
    }
}
