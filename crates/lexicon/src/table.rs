//! Zero-copy view of the synonym table that `build.rs` compiled in.

static DATA: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lexicon.bin"));

const ID_MASK: u32 = 0x0FFF_FFFF;

/// A term of the thesauri: an index into the sorted term table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TermId(pub(crate) u32);

impl TermId {
    /// The raw index.
    pub fn as_u32(self) -> u32 {
        self.0
    }
}

/// How two terms are related in the thesauri. A relation is *forward* when the
/// second term is listed among the synonyms of the first: the direction a
/// spinner looks things up (original to replacement).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Relation(u8);

impl Relation {
    /// Listed under the first term in Moby.
    pub fn moby_forward(self) -> bool {
        self.0 & 1 != 0
    }
    /// The first term is listed under the second in Moby.
    pub fn moby_reverse(self) -> bool {
        self.0 & 2 != 0
    }
    /// Listed under the first term in WordNet.
    pub fn wordnet_forward(self) -> bool {
        self.0 & 4 != 0
    }
    /// The first term is listed under the second in WordNet.
    pub fn wordnet_reverse(self) -> bool {
        self.0 & 8 != 0
    }
    /// Whether any thesaurus lists the second as a replacement for the first.
    pub fn is_forward(self) -> bool {
        self.0 & 5 != 0
    }
}

#[derive(Debug)]
pub(crate) struct Table {
    n_terms: usize,
    term_offsets: usize,
    blob: usize,
    adj_offsets: usize,
    adj: usize,
    slots: usize,
    slot_mask: usize,
    /// The prefix filter: its first byte and its size in bits, minus one.
    filter: usize,
    filter_mask: usize,
    /// Each term's forward neighbours counted (at build time).
    fan_outs: usize,
    /// All terms' text, checked as UTF-8 once (a term is then a slice of
    /// it, not checked again); `None` if the check failed, and then each
    /// term is checked on its own.
    text: Option<&'static str>,
}

/// The first index in `0..n` where `below` turns false (it must be true,
/// then false).
fn partition_point(n: usize, below: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if below(mid) { lo = mid + 1 } else { hi = mid }
    }
    lo
}

fn u32_at(pos: usize) -> u32 {
    let b = &DATA[pos..pos + 4];
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

impl Table {
    pub(crate) fn open() -> Table {
        assert_eq!(&DATA[..8], b"UNSPLEX3", "lexicon table built by another version");
        let n_terms = u32_at(8) as usize;
        let blob_len = u32_at(16) as usize;
        let term_offsets = 20;
        let blob = term_offsets + 4 * (n_terms + 1);
        let adj_offsets = blob + blob_len;
        let adj = adj_offsets + 4 * (n_terms + 1);
        let n_edges = u32_at(12) as usize;
        let n_slots_at = adj + 4 * n_edges;
        let n_slots = u32_at(n_slots_at) as usize;
        let filter_at = n_slots_at + 4 + 4 * n_slots;
        let filter_words = u32_at(filter_at) as usize;
        let fan_outs = filter_at + 4 + 8 * filter_words;
        let text = DATA.get(blob..adj_offsets).and_then(|b| std::str::from_utf8(b).ok());
        Table {
            n_terms,
            term_offsets,
            blob,
            adj_offsets,
            adj,
            slots: n_slots_at + 4,
            slot_mask: n_slots.saturating_sub(1),
            filter: filter_at + 4,
            filter_mask: (filter_words * 64).saturating_sub(1),
            fan_outs,
            text,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.n_terms
    }

    /// Where term `i`'s text lies in the terms' text.
    fn term_range(&self, i: usize) -> std::ops::Range<usize> {
        u32_at(self.term_offsets + 4 * i) as usize..u32_at(self.term_offsets + 4 * (i + 1)) as usize
    }

    pub(crate) fn term_bytes(&self, i: usize) -> &'static [u8] {
        let r = self.term_range(i);
        &DATA[self.blob + r.start..self.blob + r.end]
    }

    pub(crate) fn term(&self, id: TermId) -> &'static str {
        let i = id.0 as usize;
        match self.text {
            Some(text) => text.get(self.term_range(i)).unwrap_or(""),
            None => std::str::from_utf8(self.term_bytes(i)).unwrap_or(""),
        }
    }

    /// Whether a term begins with `prefix` and a space: the prefix filter
    /// answers most words that begin none; the rest get one binary search
    /// of the terms (sorted bytewise).
    pub(crate) fn continues(&self, prefix: &[u8]) -> bool {
        let h = xxhash_rust::xxh3::xxh3_64(prefix);
        let set = |b: usize| {
            let b = b & self.filter_mask;
            u32_at(self.filter + 8 * (b / 64) + 4 * (b % 64 / 32)) & (1 << (b % 32)) != 0
        };
        if !set(h as usize) || !set((h >> 32) as usize) {
            return false;
        }
        let mut target = Vec::with_capacity(prefix.len() + 1);
        target.extend_from_slice(prefix);
        target.push(b' ');
        let lo = partition_point(self.n_terms, |i| self.term_bytes(i) < &target[..]);
        lo < self.n_terms && self.term_bytes(lo).starts_with(&target)
    }

    /// O(1): one hash, usually one probe and one comparison.
    pub(crate) fn id(&self, term: &str) -> Option<TermId> {
        let mut h = xxhash_rust::xxh3::xxh3_64(term.as_bytes()) as usize & self.slot_mask;
        loop {
            let v = u32_at(self.slots + 4 * h);
            if v == 0 {
                return None;
            }
            if self.term_bytes(v as usize - 1) == term.as_bytes() {
                return Some(TermId(v - 1));
            }
            h = (h + 1) & self.slot_mask;
        }
    }

    fn adj_range(&self, id: TermId) -> (usize, usize) {
        let i = id.0 as usize;
        (u32_at(self.adj_offsets + 4 * i) as usize, u32_at(self.adj_offsets + 4 * (i + 1)) as usize)
    }

    /// How many replacements a spinner has for a term: its forward
    /// neighbours (counted at build time).
    pub(crate) fn fan_out(&self, id: TermId) -> usize {
        u32_at(self.fan_outs + 4 * id.0 as usize) as usize
    }

    pub(crate) fn neighbors(&self, id: TermId) -> impl Iterator<Item = (TermId, Relation)> + '_ {
        let (s, e) = self.adj_range(id);
        (s..e).map(move |k| {
            let v = u32_at(self.adj + 4 * k);
            (TermId(v & ID_MASK), Relation((v >> 28) as u8))
        })
    }

    pub(crate) fn relation(&self, a: TermId, b: TermId) -> Option<Relation> {
        let (mut lo, mut hi) = self.adj_range(a);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let v = u32_at(self.adj + 4 * mid);
            match (v & ID_MASK).cmp(&b.0) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(Relation((v >> 28) as u8)),
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every term's stored fan-out is its forward neighbours counted.
    #[test]
    fn every_fan_out_is_the_forward_neighbours_counted() {
        let t = Table::open();
        assert_eq!(t.fan_outs + 4 * t.len(), DATA.len());
        for i in 0..t.len() {
            let id = TermId(i as u32);
            let counted = t.neighbors(id).filter(|(_, r)| r.is_forward()).count();
            assert_eq!(t.fan_out(id), counted, "term {i}");
        }
    }

    /// The terms' text is checked once as a whole, and every term read
    /// from it is its own bytes.
    #[test]
    fn every_term_is_its_bytes() {
        let t = Table::open();
        assert!(t.text.is_some());
        for i in 0..t.len() {
            assert_eq!(t.term(TermId(i as u32)).as_bytes(), t.term_bytes(i), "term {i}");
        }
    }
}
