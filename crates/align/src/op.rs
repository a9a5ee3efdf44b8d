use std::ops::Range;

/// One alignment operation, in token indices (into
/// [`TokenizedText::tokens`](unspin_text::TokenizedText::tokens)), the shape of
/// `similar`'s `DiffOp`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AlignOp {
    /// `len` tokens equal after normalization.
    Equal {
        /// First source token.
        source: usize,
        /// First suspect token.
        suspect: usize,
        /// Number of tokens on each side.
        len: usize,
    },
    /// Source tokens replaced by suspect tokens.
    Replace {
        /// First source token.
        source: usize,
        /// Number of source tokens.
        source_len: usize,
        /// First suspect token.
        suspect: usize,
        /// Number of suspect tokens.
        suspect_len: usize,
    },
    /// Suspect tokens with no source counterpart.
    Insert {
        /// Source position before which they are inserted.
        source: usize,
        /// First suspect token.
        suspect: usize,
        /// Number of suspect tokens.
        suspect_len: usize,
    },
    /// Source tokens dropped from the suspect.
    Delete {
        /// First source token.
        source: usize,
        /// Number of source tokens.
        source_len: usize,
        /// Suspect position where they would be.
        suspect: usize,
    },
}

impl AlignOp {
    /// Source token range.
    pub fn source_range(&self) -> Range<usize> {
        match *self {
            AlignOp::Equal { source, len, .. } => source..source + len,
            AlignOp::Replace { source, source_len, .. } => source..source + source_len,
            AlignOp::Insert { source, .. } => source..source,
            AlignOp::Delete { source, source_len, .. } => source..source + source_len,
        }
    }

    /// Suspect token range.
    pub fn suspect_range(&self) -> Range<usize> {
        match *self {
            AlignOp::Equal { suspect, len, .. } => suspect..suspect + len,
            AlignOp::Replace { suspect, suspect_len, .. } => suspect..suspect + suspect_len,
            AlignOp::Insert { suspect, suspect_len, .. } => suspect..suspect + suspect_len,
            AlignOp::Delete { suspect, .. } => suspect..suspect,
        }
    }

    /// Whether this is an [`AlignOp::Equal`].
    pub fn is_equal(&self) -> bool {
        matches!(self, AlignOp::Equal { .. })
    }

    /// Builds the op for a (possibly empty) pair of ranges that differ.
    pub(crate) fn change(source: Range<usize>, suspect: Range<usize>) -> Option<AlignOp> {
        match (source.is_empty(), suspect.is_empty()) {
            (true, true) => None,
            (true, false) => Some(AlignOp::Insert {
                source: source.start,
                suspect: suspect.start,
                suspect_len: suspect.len(),
            }),
            (false, true) => Some(AlignOp::Delete {
                source: source.start,
                source_len: source.len(),
                suspect: suspect.start,
            }),
            (false, false) => Some(AlignOp::Replace {
                source: source.start,
                source_len: source.len(),
                suspect: suspect.start,
                suspect_len: suspect.len(),
            }),
        }
    }
}

/// An aligned pair of token ranges and the ops that cover both exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Passage {
    /// Source token range.
    pub source: Range<usize>,
    /// Suspect token range.
    pub suspect: Range<usize>,
    /// The ops, in order; their source ranges tile `source`, their suspect
    /// ranges tile `suspect`.
    pub ops: Vec<AlignOp>,
}

impl Passage {
    /// Number of tokens (per side) in `Equal` ops.
    pub fn equal_tokens(&self) -> usize {
        self.ops.iter().filter(|o| o.is_equal()).map(|o| o.suspect_range().len()).sum()
    }
}

/// Receives alignment results as they are produced (the low-level API).
/// Every method defaults to doing nothing.
pub trait AlignHook {
    /// A passage begins.
    fn start_passage(&mut self, _source: Range<usize>, _suspect: Range<usize>) {}
    /// One op of the current passage.
    fn op(&mut self, _op: &AlignOp) {}
    /// The current passage ends.
    fn end_passage(&mut self) {}
}

/// An [`AlignHook`] that collects passages.
#[derive(Debug, Default)]
pub struct Capture {
    passages: Vec<Passage>,
}

impl Capture {
    /// An empty capture.
    pub fn new() -> Capture {
        Capture::default()
    }

    /// The captured passages.
    pub fn into_passages(self) -> Vec<Passage> {
        self.passages
    }
}

impl AlignHook for Capture {
    fn start_passage(&mut self, source: Range<usize>, suspect: Range<usize>) {
        self.passages.push(Passage { source, suspect, ops: Vec::new() });
    }

    fn op(&mut self, op: &AlignOp) {
        if let Some(p) = self.passages.last_mut() {
            p.ops.push(*op);
        }
    }
}
