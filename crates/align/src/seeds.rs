//! Seeds: position pairs where source and suspect share a rare unigram or
//! 3-gram of normalized tokens, and their longest increasing chain.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The keys are already xxh3 hashes: pass them through.
#[derive(Default)]
pub(crate) struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(b) ^ (self.0 >> 56);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

pub(crate) type HashIndex<V> = HashMap<u64, V, BuildHasherDefault<PassThrough>>;

/// A seed: `len` equal tokens from source `i` and suspect `j`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Seed {
    pub(crate) i: u32,
    pub(crate) j: u32,
    pub(crate) len: u32,
}

/// Most positions kept per key; a key seeds only if the product of its
/// counts on the two sides is at most this (a block repeated four times in
/// the source still seeds against its one copy in the suspect).
const MAX_PAIRS: u32 = 8;

/// Occurrences of a key: count and up to `MAX_PAIRS` positions.
#[derive(Clone, Copy, Default)]
struct Occ {
    count: u32,
    pos: [u32; MAX_PAIRS as usize],
}

fn mix(a: u64, b: u64) -> u64 {
    (a.rotate_left(23) ^ b).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// Keys of one side: per position, the unigram key (0 if not eligible) and
/// the 3-gram key.
pub(crate) struct Keys {
    uni: Vec<u64>,
    tri: Vec<u64>,
}

impl Keys {
    /// `hashes[k]` is the token hash, `content[k]` whether a unigram seed may
    /// start there (a content word or number).
    pub(crate) fn new(hashes: &[u64], content: &[bool]) -> Keys {
        let uni = hashes.iter().zip(content).map(|(&h, &c)| if c { h | 1 } else { 0 }).collect();
        let tri = if hashes.len() >= 3 {
            hashes.windows(3).map(|w| mix(mix(w[0], w[1]), w[2]) | 1).collect()
        } else {
            Vec::new()
        };
        Keys { uni, tri }
    }
}

fn count(keys: &[u64], range: std::ops::Range<usize>) -> HashIndex<Occ> {
    let mut map: HashIndex<Occ> = HashIndex::default();
    map.reserve(range.len());
    for k in range {
        let key = keys[k];
        if key == 0 {
            continue;
        }
        let e = map.entry(key).or_default();
        if e.count < MAX_PAIRS {
            e.pos[e.count as usize] = k as u32;
        }
        e.count = e.count.saturating_add(1);
    }
    map
}

/// Seeds between `src[si]` and `sus[sj]`, whose keys occur so rarely that
/// the product of their counts on the two sides is at most `max_pairs`.
pub(crate) fn find(
    src: &Keys,
    sus: &Keys,
    si: std::ops::Range<usize>,
    sj: std::ops::Range<usize>,
    max_pairs: u32,
    trigrams: bool,
) -> Vec<Seed> {
    let max_pairs = max_pairs.min(MAX_PAIRS);
    let mut seeds = Vec::new();
    let mut add = |src_keys: &[u64],
                   sus_keys: &[u64],
                   len: u32,
                   si: std::ops::Range<usize>,
                   sj: std::ops::Range<usize>| {
        if si.is_empty() || sj.is_empty() {
            return;
        }
        let a = count(src_keys, si);
        let b = count(sus_keys, sj);
        let (small, large, flip) =
            if a.len() <= b.len() { (&a, &b, false) } else { (&b, &a, true) };
        for (key, x) in small {
            if x.count > max_pairs {
                continue;
            }
            let Some(y) = large.get(key) else { continue };
            if x.count.saturating_mul(y.count) > max_pairs {
                continue;
            }
            let (p, q) = if flip { (y, x) } else { (x, y) };
            for &i in &p.pos[..p.count.min(MAX_PAIRS) as usize] {
                for &j in &q.pos[..q.count.min(MAX_PAIRS) as usize] {
                    seeds.push(Seed { i, j, len });
                }
            }
        }
    };
    add(&src.uni, &sus.uni, 1, si.clone(), sj.clone());
    if trigrams {
        let ti = si.start..si.end.saturating_sub(2).max(si.start);
        let tj = sj.start..sj.end.saturating_sub(2).max(sj.start);
        add(&src.tri, &sus.tri, 3, ti, tj);
    }
    seeds.sort_unstable();
    seeds.dedup_by(|a, b| a.i == b.i && a.j == b.j);
    seeds
}

/// The longest chain of seeds strictly increasing in both `i` and `j`
/// (patience sorting, O(s log s)). Returns indices into `seeds`, which must be
/// sorted by `(i, j)`.
pub(crate) fn longest_chain(seeds: &[Seed]) -> Vec<usize> {
    // Process by i ascending, j descending within equal i, so that one i
    // contributes at most one seed.
    let mut order: Vec<usize> = (0..seeds.len()).collect();
    order.sort_unstable_by(|&a, &b| seeds[a].i.cmp(&seeds[b].i).then(seeds[b].j.cmp(&seeds[a].j)));
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<usize> = vec![usize::MAX; seeds.len()];
    for &k in &order {
        let j = seeds[k].j;
        let pos = tails.partition_point(|&t| seeds[t].j < j);
        if pos > 0 {
            prev[k] = tails[pos - 1];
        }
        if pos == tails.len() {
            tails.push(k);
        } else {
            tails[pos] = k;
        }
    }
    let mut chain = Vec::with_capacity(tails.len());
    let mut cur = tails.last().copied().unwrap_or(usize::MAX);
    while cur != usize::MAX {
        chain.push(cur);
        cur = prev[cur];
    }
    chain.reverse();
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_skips_crossing_seeds() {
        let s = |i, j| Seed { i, j, len: 1 };
        let seeds = vec![s(0, 0), s(1, 5), s(2, 1), s(3, 2), s(4, 3)];
        let chain: Vec<(u32, u32)> =
            longest_chain(&seeds).into_iter().map(|k| (seeds[k].i, seeds[k].j)).collect();
        assert_eq!(chain, [(0, 0), (2, 1), (3, 2), (4, 3)]);
    }
}
