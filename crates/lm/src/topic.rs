//! What each document of the originals is about: its content words, for
//! a restorer to weigh candidates by the topic of the text they are in.
//!
//! A spinner is context-free: "music" becomes "nine", "retail" becomes
//! "bestrew", whatever the article is about. A trigram model sees only the
//! two words before; the document sees the whole text. [`Topics`] keeps, for
//! each document of the originals, the content words it holds (a forward
//! list) and, for each content word seen in two documents or more, the
//! documents holding it (an inverted list). A suspect text's [`Profile`]
//! is the word distribution of the documents of the originals that share
//! most of its rarer words (ranked like BM25); [`Topics::bonus`] is how
//! much likelier a word is in those documents than in the whole corpus
//! (log ratio, Dirichlet-smoothed), the way topic-adapted language models
//! rescale unigrams.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

/// Content words of the documents of the originals, both ways.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Topics {
    /// Word keys (sorted), each the key of a dense word id.
    keys: Vec<u64>,
    /// Per word id `w`: its documents are `inv_doc[inv_off[w]..inv_off[w + 1]]`,
    /// with the word's count there in `inv_tf`.
    inv_off: Vec<u32>,
    inv_doc: Vec<u32>,
    inv_tf: Vec<u16>,
    /// Per document `d`: its words are `fwd_word[fwd_off[d]..fwd_off[d + 1]]`,
    /// with counts in `fwd_tf`.
    fwd_off: Vec<u32>,
    fwd_word: Vec<u32>,
    fwd_tf: Vec<u16>,
    /// Per document: content words counted (all of them, stored or not).
    doc_len: Vec<u32>,
    /// Content words counted in all documents.
    total: u64,
    /// Per entry of the inverted lists: the word's BM25 term weight in
    /// that document, `2.2 tf / (tf + norm)` with the document's length
    /// norm (derived from `inv_tf` and `doc_len`, not stored).
    inv_weight: Vec<f32>,
}

/// The topic of one text: the word counts of the documents of the
/// originals most like it.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    /// Word key -> count in the documents.
    counts: FxHashMap<u64, u32>,
    len: u64,
    docs: usize,
}

impl Profile {
    /// Documents of the originals the profile was made of.
    pub fn documents(&self) -> usize {
        self.docs
    }
}

thread_local! {
    /// [`Topics::profile`]'s scratch: a count per word id (all 0 between
    /// calls) and the ids counted.
    static COUNTS: std::cell::RefCell<(Vec<u32>, Vec<u32>)> = std::cell::RefCell::default();
}

/// Content-word counts per document, as the model builder gathers them.
pub(crate) type DocWords = Vec<(u64, u32)>;

fn clamp_u16(n: u32) -> u16 {
    n.min(u32::from(u16::MAX)) as u16
}

impl Topics {
    /// Builds the lists from each document's content-word counts; words
    /// seen in only one document are counted in lengths but not stored.
    pub(crate) fn build(docs: &[DocWords]) -> Topics {
        let mut df: HashMap<u64, u32> = HashMap::new();
        let mut total = 0u64;
        for doc in docs {
            for &(k, c) in doc {
                *df.entry(k).or_default() += 1;
                total += u64::from(c);
            }
        }
        let mut keys: Vec<u64> = df.iter().filter(|(_, n)| **n >= 2).map(|(k, _)| *k).collect();
        keys.sort_unstable();
        let id: HashMap<u64, u32> = keys.iter().enumerate().map(|(i, &k)| (k, i as u32)).collect();
        let mut t = Topics { keys, total, ..Topics::default() };
        let mut inverted: Vec<Vec<(u32, u16)>> = vec![Vec::new(); t.keys.len()];
        t.fwd_off.push(0);
        for (d, doc) in docs.iter().enumerate() {
            let mut words: Vec<(u32, u16)> =
                doc.iter().filter_map(|(k, c)| id.get(k).map(|&w| (w, clamp_u16(*c)))).collect();
            words.sort_unstable();
            for &(w, c) in &words {
                inverted[w as usize].push((d as u32, c));
                t.fwd_word.push(w);
                t.fwd_tf.push(c);
            }
            t.fwd_off.push(t.fwd_word.len() as u32);
            t.doc_len.push(doc.iter().map(|e| e.1).sum());
        }
        t.inv_off.push(0);
        for list in inverted {
            for (d, c) in list {
                t.inv_doc.push(d);
                t.inv_tf.push(c);
            }
            t.inv_off.push(t.inv_doc.len() as u32);
        }
        t.with_norms()
    }

    /// The lists with each entry's BM25 term weight computed (once, so
    /// that ranking a text's documents is a multiply-add per entry).
    fn with_norms(mut self) -> Topics {
        let avg = self.total as f32 / self.documents().max(1) as f32;
        let norm: Vec<f32> =
            self.doc_len.iter().map(|&l| 1.2 * (0.25 + 0.75 * l as f32 / avg.max(1.0))).collect();
        self.inv_weight = self
            .inv_doc
            .iter()
            .zip(&self.inv_tf)
            .map(|(&d, &tf)| {
                let tf = f32::from(tf);
                let norm = norm.get(d as usize).copied().unwrap_or(1.2);
                tf * 2.2 / (tf + norm)
            })
            .collect();
        self
    }

    /// Documents described.
    pub fn documents(&self) -> usize {
        self.doc_len.len()
    }

    /// Whether there is nothing to weigh a text against.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    fn id(&self, key: u64) -> Option<usize> {
        self.keys.binary_search(&key).ok()
    }

    /// The profile of a text from its content words (key, count): the
    /// word counts of the `k` documents sharing most of its rarer words
    /// (BM25 over the words found in at most a tenth of the documents, or
    /// two).
    /// `None` if no document shares any.
    pub fn profile(
        &self,
        words: impl IntoIterator<Item = (u64, u32)>,
        k: usize,
    ) -> Option<Profile> {
        let n = self.documents();
        if n == 0 || k == 0 {
            return None;
        }
        let mut score = vec![0.0f32; n];
        let mut any = false;
        for (key, q) in words {
            let Some(w) = self.id(key) else { continue };
            let (a, b) = (self.inv_off[w] as usize, self.inv_off[w + 1] as usize);
            let df = b - a;
            if df > (n / 10).max(2) {
                continue;
            }
            let idf = ((n as f32 - df as f32 + 0.5) / (df as f32 + 0.5)).ln_1p();
            let qw = idf * (q.min(3) as f32);
            for (&d, &weight) in self.inv_doc[a..b].iter().zip(&self.inv_weight[a..b]) {
                if let Some(s) = score.get_mut(d as usize) {
                    *s += qw * weight;
                }
            }
            any |= b > a;
        }
        if !any {
            return None;
        }
        let mut ranked: Vec<(u32, f32)> = (0u32..).zip(score).filter(|&(_, s)| s > 0.0).collect();
        let order = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if ranked.len() > k {
            ranked.select_nth_unstable_by(k - 1, order);
            ranked.truncate(k);
        }
        ranked.sort_by(order);
        let mut p = Profile { docs: ranked.len(), ..Profile::default() };
        // Counted by word id in a dense array (a word is in several of the
        // documents), then kept by key: one hash insert per word, not one
        // hash update per entry of the documents' lists.
        COUNTS.with_borrow_mut(|(count, counted)| {
            if count.len() < self.keys.len() {
                count.resize(self.keys.len(), 0);
            }
            for &(d, _) in &ranked {
                let d = d as usize;
                let (a, b) = (self.fwd_off[d] as usize, self.fwd_off[d + 1] as usize);
                for (&w, &tf) in self.fwd_word[a..b].iter().zip(&self.fwd_tf[a..b]) {
                    let c = &mut count[w as usize];
                    if *c == 0 && tf > 0 {
                        counted.push(w);
                    }
                    *c += u32::from(tf);
                }
                p.len += u64::from(self.doc_len[d]);
            }
            p.counts.reserve(counted.len());
            for &w in counted.iter() {
                p.counts.insert(self.keys[w as usize], std::mem::take(&mut count[w as usize]));
            }
            counted.clear();
        });
        Some(p)
    }

    /// How much likelier the word with this key, seen `count` times in
    /// all documents (its count in the model), is in the profile's
    /// documents than in all of them (natural log; the profile's counts
    /// smoothed toward the corpus with a prior of `mu` words). 0 for a
    /// word never seen.
    pub fn bonus(&self, profile: &Profile, key: u64, count: u32, mu: f32) -> f32 {
        if count == 0 || self.total == 0 {
            return 0.0;
        }
        let p = count as f32 / self.total as f32;
        let c = profile.counts.get(&key).copied().unwrap_or(0) as f32;
        ((c + mu * p) / ((profile.len as f32 + mu) * p)).ln()
    }

    /// Appends the lists to a model file's bytes.
    pub(crate) fn write(&self, buf: &mut Vec<u8>) {
        let lens = [self.keys.len(), self.inv_doc.len(), self.doc_len.len(), self.fwd_word.len()];
        lens.iter().for_each(|&n| buf.extend_from_slice(&(n as u64).to_le_bytes()));
        buf.extend_from_slice(&self.total.to_le_bytes());
        self.keys.iter().for_each(|v| buf.extend_from_slice(&v.to_le_bytes()));
        for v in [&self.inv_off, &self.inv_doc, &self.fwd_off, &self.fwd_word] {
            v.iter().for_each(|x| buf.extend_from_slice(&x.to_le_bytes()));
        }
        self.doc_len.iter().for_each(|x| buf.extend_from_slice(&x.to_le_bytes()));
        for v in [&self.inv_tf, &self.fwd_tf] {
            v.iter().for_each(|x| buf.extend_from_slice(&x.to_le_bytes()));
        }
    }

    /// Reads lists written by [`Topics::write`] from `b[p..end]`, checking
    /// their shape; returns them and the offset after them.
    pub(crate) fn read(b: &[u8], mut p: usize, end: usize) -> Result<(Topics, usize), String> {
        let mut take = |n: usize| -> Result<&[u8], String> {
            let e = p.checked_add(n).filter(|&e| e <= end).ok_or("truncated topics")?;
            let s = &b[p..e];
            p = e;
            Ok(s)
        };
        let mut head = [0u64; 5];
        for h in &mut head {
            *h = u64::from_le_bytes(take(8)?.try_into().map_err(|_| "truncated topics")?);
        }
        let [words, postings, docs, fwd, total] = head;
        let size = |n: u64, width: usize| -> Result<usize, String> {
            usize::try_from(n)
                .ok()
                .and_then(|n| n.checked_mul(width))
                .ok_or_else(|| "bad topic sizes".to_string())
        };
        fn u64s(s: &[u8]) -> Vec<u64> {
            s.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8]))).collect()
        }
        fn u32s(s: &[u8]) -> Vec<u32> {
            s.chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().unwrap_or([0; 4]))).collect()
        }
        fn u16s(s: &[u8]) -> Vec<u16> {
            s.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect()
        }
        let keys = u64s(take(size(words, 8)?)?);
        let inv_off = u32s(take(size(words + 1, 4)?)?);
        let inv_doc = u32s(take(size(postings, 4)?)?);
        let fwd_off = u32s(take(size(docs + 1, 4)?)?);
        let fwd_word = u32s(take(size(fwd, 4)?)?);
        let doc_len = u32s(take(size(docs, 4)?)?);
        let inv_tf = u16s(take(size(postings, 2)?)?);
        let fwd_tf = u16s(take(size(fwd, 2)?)?);
        let t = Topics {
            keys,
            inv_off,
            inv_doc,
            inv_tf,
            fwd_off,
            fwd_word,
            fwd_tf,
            doc_len,
            total,
            inv_weight: Vec::new(),
        }
        .with_norms();
        t.check().map(|()| (t, p))
    }

    /// Whether every offset and id is in range, so lookups cannot fail.
    fn check(&self) -> Result<(), String> {
        let bad = || Err("bad topic lists".to_string());
        let offsets_ok = |off: &[u32], len: usize| {
            off.first() == Some(&0)
                && off.last().is_some_and(|&l| l as usize == len)
                && off.windows(2).all(|w| w[0] <= w[1])
        };
        if !self.keys.windows(2).all(|w| w[0] < w[1])
            || !offsets_ok(&self.inv_off, self.inv_doc.len())
            || !offsets_ok(&self.fwd_off, self.fwd_word.len())
        {
            return bad();
        }
        let (words, docs) = (self.keys.len(), self.doc_len.len());
        if self.inv_doc.iter().any(|&d| d as usize >= docs)
            || self.fwd_word.iter().any(|&w| w as usize >= words)
        {
            return bad();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs() -> Vec<DocWords> {
        let doc = |ws: &[(u64, u32)]| ws.to_vec();
        vec![
            doc(&[(1, 3), (2, 1), (10, 2)]),
            doc(&[(1, 2), (2, 2), (11, 1)]),
            doc(&[(3, 2), (4, 3), (10, 1)]),
            doc(&[(3, 1), (4, 1), (12, 4)]),
        ]
    }

    #[test]
    fn a_text_is_profiled_by_the_documents_sharing_its_words() {
        let t = Topics::build(&docs());
        // Words seen in one document only are not stored.
        assert_eq!(t.keys, vec![1, 2, 3, 4, 10]);
        let p = t.profile([(3, 1), (4, 1)], 2).expect("shared words");
        assert_eq!(p.documents(), 2);
        assert!(t.bonus(&p, 4, 4, 10.0) > 0.0, "a word of the topic is likelier");
        assert!(t.bonus(&p, 1, 5, 10.0) < 0.0, "a word of another topic is less likely");
        assert_eq!(t.bonus(&p, 99, 0, 10.0), 0.0);
        assert!(t.profile([(99, 1)], 2).is_none());
    }

    #[test]
    fn a_profile_sums_its_documents_counts_and_owes_nothing_to_the_last() {
        let t = Topics::build(&docs());
        let counts = |p: &Profile| {
            let mut v: Vec<(u64, u32)> = p.counts.iter().map(|(&k, &c)| (k, c)).collect();
            v.sort_unstable();
            v
        };
        let p = t.profile([(3, 1), (4, 1)], 2).expect("shared words");
        // Documents 2 and 3 (word 12 is in one document only: not stored).
        assert_eq!(counts(&p), [(3, 3), (4, 4), (10, 1)]);
        assert_eq!(p.len, 6 + 6);
        let q = t.profile([(1, 1), (2, 1)], 2).expect("shared words");
        assert_eq!(counts(&q), [(1, 5), (2, 3), (10, 2)]);
        let again = t.profile([(3, 1), (4, 1)], 2).expect("shared words");
        assert_eq!(counts(&again), counts(&p));
    }

    #[test]
    fn lists_round_trip_and_bad_ones_are_refused() {
        let t = Topics::build(&docs());
        let mut buf = vec![7u8];
        t.write(&mut buf);
        let (back, end) = Topics::read(&buf, 1, buf.len()).expect("round trip");
        assert_eq!((back, end), (t, buf.len()));
        assert!(Topics::read(&buf, 1, buf.len() - 1).is_err());
        // A document id out of range.
        let mut bad = Topics::build(&docs());
        bad.inv_doc[0] = 99;
        let mut buf = Vec::new();
        bad.write(&mut buf);
        assert!(Topics::read(&buf, 0, buf.len()).is_err());
    }
}
