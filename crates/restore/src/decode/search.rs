//! Choosing among the readings: each position's readings weighed against
//! its neighbours and pooled over a word's occurrences, then a beam search
//! over each sentence and the margin of each edit.

use super::*;
use std::collections::hash_map::Entry;

impl<'a> Decoder<'a> {
    /// Weighs each reading against its neighbours in the suspect (bigram
    /// model, channel and cache), lends a content word's readings the
    /// evidence of the same word's other occurrences (a context-free
    /// spinner writes one replacement for a word throughout a text), and
    /// keeps the [`Decoder::local_candidates`] best readings per position.
    pub(super) fn pool_and_prune(
        &self,
        toks: &[Token],
        lower: &[Lower<'_>],
        types: &WordTypes<'_>,
        words: &[Word],
        arcs: &mut [Vec<Arc<'a>>],
    ) {
        let word = |i: usize, j: usize| {
            (j < toks.len() && toks[j].sentence() == toks[i].sentence()).then(|| words[j])
        };
        // A content word's single-word readings are pooled over its
        // occurrences.
        let pooled_word = |i: usize| match &lower[i] {
            Some(w) if self.pool > 0.0 && !toks[i].is_function_word() => Some(&**w),
            _ => None,
        };
        let mut occurrences: Vec<u32> = vec![0; types.count()];
        for i in 0..toks.len() {
            if pooled_word(i).is_some() {
                occurrences[types.at(i)] += 1;
            }
        }
        // Each position's word if it is pooled and occurs more than once.
        let repeated_at: Vec<Option<&str>> = (0..toks.len())
            .map(|i| pooled_word(i).filter(|_| occurrences[types.at(i)] > 1))
            .collect();
        drop(occurrences);
        let repeated = |i: usize| repeated_at[i];
        // Each reading's fit minus keeping the word, where readings are to
        // be pruned or pooled.
        let weighed = |i: usize| {
            let here = &arcs[i];
            here.len() > self.local + 1 || (here.len() >= 2 && repeated(i).is_some())
        };
        let left_of = |i: usize| match i.checked_sub(1).and_then(|j| word(i, j)) {
            Some(prev) => self.model.context_word(None, &prev),
            None => self.model.context(None, Some(Model::BOS)),
        };
        let after = |i: usize, a: &Arc<'_>| word(i, i + a.tokens());
        // The table reads of a later position's fits started early, so that
        // they overlap with the work in between.
        let prefetch = |i: usize| {
            if i < arcs.len() && weighed(i) {
                let left = left_of(i);
                for a in &arcs[i] {
                    self.model.prefetch_next(&left, &a.word);
                    if let Some(n) = after(i, a) {
                        self.model.prefetch_next(&self.model.context_word(None, &a.word), &n);
                    }
                }
            }
        };
        // Each reading's fit, and its pooling bucket (below).
        let mut fits: Vec<Vec<(f32, u32)>> = arcs
            .par_iter()
            .enumerate()
            .with_min_len(PARALLEL_MIN * 16)
            .map(|(i, here)| {
                prefetch(i + 2);
                if !weighed(i) {
                    return Vec::new();
                }
                let left = left_of(i);
                let fit = |a: &Arc<'_>| {
                    let right = after(i, a).map_or(0.0, |n| {
                        self.model.logprob_word(&self.model.context_word(None, &a.word), &n)
                    });
                    self.lm_next(&left, a).0 + right + a.channel
                };
                let keep = fit(&here[0]);
                here.iter().map(|a| (fit(a) - keep, NO_BUCKET)).collect()
            })
            .collect();
        let clipped = |f: f32| f.clamp(-POOL_CLIP, POOL_CLIP);
        // The evidence of every (word, one-word reading) over the word's
        // occurrences, in a bucket each reading of it is marked with.
        let mut bucket_of: HashMap<(&str, &str), u32> = HashMap::default();
        let mut evidence: Vec<f32> = Vec::new();
        for (i, here) in arcs.iter().enumerate() {
            let Some(w) = repeated(i) else { continue };
            for (a, (f, bucket)) in here.iter().zip(&mut fits[i]).skip(1) {
                if let (1, Some(text)) = (a.len, a.text) {
                    let b = *bucket_of.entry((w, text)).or_insert_with(|| {
                        evidence.push(0.0);
                        (evidence.len() - 1) as u32
                    });
                    evidence[b as usize] += clipped(*f);
                    *bucket = b;
                }
            }
        }
        drop(bucket_of);
        // Each position's readings pooled and pruned on its own, in
        // parallel.
        arcs.par_iter_mut().enumerate().with_min_len(PARALLEL_MIN * 16).for_each(|(i, here)| {
            if fits[i].is_empty() {
                return;
            }
            let mut scored: Vec<(f32, Arc<'a>)> = Vec::with_capacity(here.len());
            for (a, &(f, bucket)) in here.iter().zip(&fits[i]).skip(1) {
                let mut a = *a;
                let mut bonus = 0.0;
                if let Some(&all) = evidence.get(bucket as usize) {
                    bonus = self.pool * (all - clipped(f));
                    a.channel += bonus;
                }
                scored.push((f + bonus, a));
            }
            if here.len() > self.local + 1 {
                scored.sort_by(|a, b| b.0.total_cmp(&a.0));
                scored.truncate(self.local);
            }
            here.truncate(1);
            here.extend(scored.iter().map(|(_, a)| *a));
        });
    }

    /// How much better `path` scores than the same path keeping the suspect
    /// words of its `k`-th arc. Only the arc and the two after it (whose
    /// trigram context it is) differ, so only they are scored.
    pub(super) fn gain(
        &self,
        arcs: &[Vec<Arc<'a>>],
        path: &[(usize, usize)],
        k: usize,
        bos: Word,
    ) -> f32 {
        let word = |j: usize| {
            let (p, i) = path[j];
            arcs[p][i].word
        };
        let ctx = match k {
            0 => self.model.context_word(None, &bos),
            1 => self.model.context_word(Some(Model::BOS), &word(0)),
            _ => self.model.context_word(Some(word(k - 2).key()), &word(k - 1)),
        };
        let (pos, ai) = path[k];
        let after = &path[k + 1..path.len().min(k + 3)];
        let score = |entries: &mut dyn Iterator<Item = (usize, usize)>| {
            let (mut ctx, mut s) = (ctx, 0.0);
            for (p, i) in entries {
                let a = &arcs[p][i];
                let (lp, next) = self.lm_next(&ctx, a);
                s += lp + a.channel;
                ctx = next;
            }
            s
        };
        let with = score(&mut std::iter::once((pos, ai)).chain(after.iter().copied()));
        let kept = score(
            &mut (pos..pos + arcs[pos][ai].tokens()).map(|q| (q, 0)).chain(after.iter().copied()),
        );
        with - kept
    }

    /// The best path through one sentence's readings (beam search):
    /// (start position, arc index) per step, or `None` if nothing reaches
    /// its end. `beam` is scratch space, reused from sentence to sentence.
    pub(super) fn search(
        &self,
        beam: &mut Beam,
        arcs: &[Vec<Arc<'a>>],
        bos: Word,
    ) -> Option<Vec<(usize, usize)>> {
        let n = arcs.len();
        let Beam { arena, ends, hyps } = beam;
        arena.clear();
        if ends.len() < n + 1 {
            ends.resize_with(n + 1, HashMap::default);
        }
        ends.iter_mut().take(n + 1).for_each(HashMap::clear);
        ends[0].insert((0, Model::BOS), (0.0, NONE, 0, NONE, self.model.context_word(None, &bos)));
        for pos in 0..n {
            hyps.clear();
            hyps.extend(ends[pos].drain().map(|((u, v), (s, parent, start, ai, ctx))| {
                arena.push((parent, start, ai));
                (s, u, v, arena.len() - 1, ctx)
            }));
            hyps.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
            hyps.truncate(self.beam);
            // Every (hypothesis, reading) score's table reads started first:
            // they are independent, so they overlap.
            for (_, _, _, _, ctx) in hyps.iter() {
                arcs[pos].iter().for_each(|a| self.model.prefetch_next(ctx, &a.word));
            }
            for (score, _, v, node, ctx) in hyps.iter() {
                for (ai, a) in arcs[pos].iter().enumerate() {
                    let to = pos + a.tokens();
                    if to > n {
                        continue;
                    }
                    let (lp, next) = self.lm_next(ctx, a);
                    let s = score + lp + a.channel;
                    let e = match ends[to].entry((*v, a.word.key())) {
                        Entry::Occupied(e) => e.into_mut(),
                        Entry::Vacant(e) => {
                            // A new state: the reads of its scores at the
                            // position it reaches started now.
                            if let Some(later) = arcs.get(to) {
                                later.iter().for_each(|b| self.model.prefetch_next(&next, &b.word));
                            }
                            e.insert((f32::NEG_INFINITY, NONE, 0, NONE, next))
                        }
                    };
                    if s > e.0 {
                        *e = (s, *node, pos, ai, next);
                    }
                }
            }
        }
        let best_end = ends[n]
            .iter()
            .max_by(|a, b| a.1.0.total_cmp(&b.1.0).then(b.0.cmp(a.0)))
            .map(|(_, &e)| e);
        let (_, mut node, start, ai, _) = best_end?;
        let mut path = vec![(start, ai)];
        while node != NONE {
            let (parent, start, ai) = arena[node];
            if ai == NONE {
                break;
            }
            path.push((start, ai));
            node = parent;
        }
        path.reverse();
        Some(path)
    }

    /// Beam search over one sentence (tokens `first..`): its edits.
    pub(super) fn sentence(
        &self,
        tt: &TokenizedText<'_>,
        first: usize,
        arcs: &[Vec<Arc<'a>>],
        bos: Word,
    ) -> Vec<(Edit, f32)> {
        let mut edits = Vec::new();
        if arcs.iter().all(|a| a.len() == 1) {
            return edits;
        }
        let found = BEAM.with_borrow_mut(|beam| {
            let path = self.search(beam, arcs, bos);
            // A run-on sentence's states are not kept for the thread's life.
            if beam.ends.len() > BEAM_KEPT {
                beam.ends.truncate(BEAM_KEPT);
                beam.ends.shrink_to_fit();
            }
            path
        });
        let Some(path) = found else {
            return edits;
        };
        let toks = tt.tokens();
        for (k, &(pos, ai)) in path.iter().enumerate() {
            let a = &arcs[pos][ai];
            let Some(text) = &a.text else { continue };
            // Margin: the best path against the same path keeping these words.
            let margin = self.gain(arcs, &path, k, bos);
            if margin < self.min_margin {
                continue;
            }
            // Neighbouring edits must not only hold each other up ("dry
            // mouth" for "earthbound carnivore"): with its neighbours kept
            // as they stand, the edit must still beat keeping the word.
            let edited = |j: usize| path.get(j).is_some_and(|&(p, i)| arcs[p][i].text.is_some());
            if (k > 0 && edited(k - 1)) || edited(k + 1) {
                let revert = |j: usize, out: &mut Vec<(usize, usize)>| {
                    let (p, i) = path[j];
                    if j != k && (j + 1 == k || j == k + 1) && arcs[p][i].text.is_some() {
                        out.extend((p..p + arcs[p][i].tokens()).map(|q| (q, 0)));
                    } else {
                        out.push((p, i));
                    }
                };
                let mut alone = Vec::with_capacity(path.len() + 8);
                for j in 0..path.len() {
                    revert(j, &mut alone);
                }
                let at = alone.iter().position(|&e| e == (pos, ai)).unwrap_or(0);
                if self.gain(arcs, &alone, at, bos) < self.min_margin_alone {
                    continue;
                }
            }
            let (t, last) = (&toks[first + pos], &toks[first + pos + a.tokens() - 1]);
            edits.push((
                Edit {
                    start: t.span().start(),
                    end: last.span().end(),
                    restored: cased(tt.text(t), text),
                    confidence: confidence(margin, a.len > 1),
                    evidence: a.evidence,
                },
                margin,
            ));
        }
        edits
    }
}
