//! Builds the compact synonym table at compile time, so no run pays for
//! decompressing and parsing the thesaurus crates (about 220 ms).
//!
//! Layout of `lexicon.bin` (all integers u32 little-endian):
//! magic `UNSPLEX1`, n_terms, n_edges, blob_len, term_offsets[n_terms + 1],
//! blob[blob_len] (sorted terms, UTF-8), adj_offsets[n_terms + 1],
//! adj[n_edges] (neighbour id in the low 28 bits, relation flags above),
//! n_slots (a power of two), slots[n_slots]: an open-addressing hash table
//! (xxh3 of the term, linear probing) holding `id + 1`, 0 for empty;
//! n_filter_words, filter[n_filter_words] (u64): two bits of the xxh3 of
//! each word prefix of a longer term ("fill the" of "fill the bill");
//! fan_outs[n_terms]: each term's forward neighbours (the replacements a
//! spinner has for it), counted here so that no run counts them.

use std::collections::HashMap;
use std::io::Write;

const MOBY_FWD: u32 = 1 << 28;
const WN_FWD: u32 = 1 << 30;

fn clean(term: &str) -> Option<String> {
    let t = term.trim().to_lowercase().replace('_', " ");
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() || t.len() > 60 { None } else { Some(t) }
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let mut edges: Vec<(String, String, u32)> = Vec::new();
    for (text, fwd) in
        [(thesaurus_moby::uncompress(), MOBY_FWD), (thesaurus_wordnet::uncompress(), WN_FWD)]
    {
        for line in text.lines() {
            let mut parts = line.split('|');
            let Some(head) = parts.next().and_then(clean) else { continue };
            for syn in parts.filter_map(clean) {
                if syn != head {
                    edges.push((head.clone(), syn, fwd));
                }
            }
        }
    }
    let mut terms: Vec<&str> =
        edges.iter().flat_map(|(a, b, _)| [a.as_str(), b.as_str()]).collect();
    terms.sort_unstable();
    terms.dedup();
    let ids: HashMap<&str, u32> = terms.iter().enumerate().map(|(i, t)| (*t, i as u32)).collect();
    assert!(terms.len() < (1 << 28), "too many terms for 28-bit ids");

    let mut adj: Vec<Vec<u32>> = vec![Vec::new(); terms.len()];
    for (a, b, fwd) in &edges {
        let (ia, ib) = (ids[a.as_str()], ids[b.as_str()]);
        adj[ia as usize].push(ib | fwd);
        // The reverse flag is the forward flag shifted up by one.
        adj[ib as usize].push(ia | (fwd << 1));
    }
    let mut out: Vec<u8> = Vec::new();
    let mut blob = Vec::new();
    let mut term_offsets = vec![0u32];
    for t in &terms {
        blob.extend_from_slice(t.as_bytes());
        term_offsets.push(blob.len() as u32);
    }
    let mut flat: Vec<u32> = Vec::new();
    let mut adj_offsets = vec![0u32];
    let mut fan_outs: Vec<u32> = Vec::with_capacity(terms.len());
    for list in &mut adj {
        list.sort_unstable_by_key(|e| (e & 0x0FFF_FFFF, *e));
        // Merge the flags of duplicate neighbours.
        let mut merged: Vec<u32> = Vec::with_capacity(list.len());
        for &e in list.iter() {
            match merged.last_mut() {
                Some(last) if *last & 0x0FFF_FFFF == e & 0x0FFF_FFFF => *last |= e,
                _ => merged.push(e),
            }
        }
        // Forward: Moby's (bit 0 of the flags) or WordNet's (bit 2).
        fan_outs.push(merged.iter().filter(|&&e| (e >> 28) & 5 != 0).count() as u32);
        flat.extend_from_slice(&merged);
        adj_offsets.push(flat.len() as u32);
    }
    out.extend_from_slice(b"UNSPLEX3");
    for v in [terms.len() as u32, flat.len() as u32, blob.len() as u32] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for v in &term_offsets {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&blob);
    for v in adj_offsets.iter().chain(flat.iter()) {
        out.extend_from_slice(&v.to_le_bytes());
    }
    let n_slots = (terms.len() * 2).next_power_of_two();
    let mut slots = vec![0u32; n_slots];
    for (id, t) in terms.iter().enumerate() {
        let mut h = xxhash_rust::xxh3::xxh3_64(t.as_bytes()) as usize & (n_slots - 1);
        while slots[h] != 0 {
            h = (h + 1) & (n_slots - 1);
        }
        slots[h] = id as u32 + 1;
    }
    out.extend_from_slice(&(n_slots as u32).to_le_bytes());
    for v in &slots {
        out.extend_from_slice(&v.to_le_bytes());
    }
    // The words a longer term begins with ("fill", "fill the" of "fill the
    // bill"), as a two-bit filter of their xxh3 (16 bits a prefix): most
    // word runs of a text begin no term, and the filter says so without a
    // binary search of the terms.
    let mut prefixes: Vec<u64> = terms
        .iter()
        .flat_map(|t| {
            t.match_indices(' ').map(|(i, _)| xxhash_rust::xxh3::xxh3_64(&t.as_bytes()[..i]))
        })
        .collect();
    prefixes.sort_unstable();
    prefixes.dedup();
    let n_bits = (prefixes.len() * 16).next_power_of_two().max(64);
    let mut filter = vec![0u64; n_bits / 64];
    for h in prefixes {
        for b in [h as usize & (n_bits - 1), (h >> 32) as usize & (n_bits - 1)] {
            filter[b / 64] |= 1 << (b % 64);
        }
    }
    out.extend_from_slice(&(filter.len() as u32).to_le_bytes());
    for v in &filter {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for v in &fan_outs {
        out.extend_from_slice(&v.to_le_bytes());
    }
    let path =
        std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("lexicon.bin");
    let mut f = std::fs::File::create(&path).expect("create lexicon.bin");
    f.write_all(&out).expect("write lexicon.bin");
}
