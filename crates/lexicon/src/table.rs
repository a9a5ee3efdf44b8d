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
}

fn u32_at(pos: usize) -> u32 {
    let b = &DATA[pos..pos + 4];
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

impl Table {
    pub(crate) fn open() -> Table {
        assert_eq!(&DATA[..8], b"UNSPLEX1", "lexicon table built by another version");
        let n_terms = u32_at(8) as usize;
        let blob_len = u32_at(16) as usize;
        let term_offsets = 20;
        let blob = term_offsets + 4 * (n_terms + 1);
        let adj_offsets = blob + blob_len;
        let adj = adj_offsets + 4 * (n_terms + 1);
        Table { n_terms, term_offsets, blob, adj_offsets, adj }
    }

    pub(crate) fn len(&self) -> usize {
        self.n_terms
    }

    pub(crate) fn term(&self, id: TermId) -> &'static str {
        let i = id.0 as usize;
        let s = u32_at(self.term_offsets + 4 * i) as usize;
        let e = u32_at(self.term_offsets + 4 * (i + 1)) as usize;
        std::str::from_utf8(&DATA[self.blob + s..self.blob + e]).unwrap_or("")
    }

    pub(crate) fn id(&self, term: &str) -> Option<TermId> {
        let (mut lo, mut hi) = (0usize, self.n_terms);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.term(TermId(mid as u32)).cmp(term) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(TermId(mid as u32)),
            }
        }
        None
    }

    fn adj_range(&self, id: TermId) -> (usize, usize) {
        let i = id.0 as usize;
        (u32_at(self.adj_offsets + 4 * i) as usize, u32_at(self.adj_offsets + 4 * (i + 1)) as usize)
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
