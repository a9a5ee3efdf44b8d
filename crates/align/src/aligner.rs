use std::ops::Range;
use std::time::{Duration, Instant};

use unspin_text::TokenizedText;

use crate::dp::{self, Anchor};
use crate::seeds::{self, Keys, Seed};
use crate::{AlignHook, AlignOp, Capture, Passage};

/// Scores how likely a spinner wrote suspect token `suspect` for source token
/// `source` (indices into the two texts' tokens): 0 for unrelated words, 1 for
/// certain (thesaurus synonyms score high, stems equal higher). Only called
/// for tokens whose normalized forms differ.
pub trait Similarity {
    /// Similarity in [0, 1].
    fn similarity(&self, source: usize, suspect: usize) -> f32;
}

impl<F: Fn(usize, usize) -> f32> Similarity for F {
    fn similarity(&self, source: usize, suspect: usize) -> f32 {
        self(source, suspect)
    }
}

/// A [`Similarity`] that knows no synonyms: only equal tokens align.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoSimilarity;

impl Similarity for NoSimilarity {
    fn similarity(&self, _: usize, _: usize) -> f32 {
        0.0
    }
}

/// Configures an [`Aligner`].
#[derive(Clone, Debug)]
pub struct AlignerBuilder {
    max_gap: usize,
    min_equal: usize,
    min_density: f32,
    max_rounds: usize,
    timeout: Option<Duration>,
}

impl Default for AlignerBuilder {
    fn default() -> Self {
        AlignerBuilder { max_gap: 40, min_equal: 8, min_density: 0.3, max_rounds: 8, timeout: None }
    }
}

/// An error building an [`Aligner`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError(String);

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid aligner configuration: {}", self.0)
    }
}

impl std::error::Error for BuildError {}

impl AlignerBuilder {
    /// A builder with the defaults.
    pub fn new() -> AlignerBuilder {
        AlignerBuilder::default()
    }

    /// The longest run of unmatched tokens (on either side) inside a passage;
    /// a longer one splits it. By default, this is 40.
    pub fn max_gap(&mut self, tokens: usize) -> &mut AlignerBuilder {
        self.max_gap = tokens;
        self
    }

    /// The fewest equal tokens a passage needs (lowered to half the shorter
    /// text for short texts). By default, this is 8.
    pub fn min_equal(&mut self, tokens: usize) -> &mut AlignerBuilder {
        self.min_equal = tokens;
        self
    }

    /// The lowest share of equal tokens in a passage (of its longer side).
    /// By default, this is 0.3.
    pub fn min_density(&mut self, share: f32) -> &mut AlignerBuilder {
        self.min_density = share;
        self
    }

    /// How many times seeds left outside the passages found so far are chained
    /// again, to find passages in a different order. By default, this is 8.
    pub fn max_rounds(&mut self, rounds: usize) -> &mut AlignerBuilder {
        self.max_rounds = rounds;
        self
    }

    /// A time budget per alignment. Once spent, gaps are no longer filled by
    /// the dynamic programme: each is reported as one `Replace` (or
    /// `Insert`/`Delete`), so the passages stay right but the ops get coarser.
    /// By default, there is no budget.
    pub fn timeout(&mut self, budget: Option<Duration>) -> &mut AlignerBuilder {
        self.timeout = budget;
        self
    }

    /// Validates the configuration.
    pub fn build(&self) -> Result<Aligner, BuildError> {
        if !(4..=1000).contains(&self.max_gap) {
            return Err(BuildError(format!("max_gap {} is not in 4..=1000", self.max_gap)));
        }
        if !(0.0..=1.0).contains(&self.min_density) {
            return Err(BuildError(format!("min_density {} is not in [0, 1]", self.min_density)));
        }
        if self.max_rounds == 0 {
            return Err(BuildError("max_rounds must be at least 1".into()));
        }
        Ok(Aligner { cfg: self.clone() })
    }
}

/// Aligns a source and a suspect text into [`Passage`]s. Immutable,
/// reusable, `Send + Sync`.
#[derive(Clone, Debug, Default)]
pub struct Aligner {
    cfg: AlignerBuilder,
}

struct Run<'a> {
    cfg: &'a AlignerBuilder,
    src: &'a [u64],
    sus: &'a [u64],
    /// Per token: 1 content word, 2 sentence start, 4 sentence end.
    src_marks: &'a [u8],
    sus_marks: &'a [u8],
    sim: &'a dyn Similarity,
    deadline: Option<Instant>,
}

impl Aligner {
    /// Aligns `source` and `suspect` and returns the passages, ordered by
    /// their suspect position.
    ///
    /// ```
    /// use unspin_align::{Aligner, NoSimilarity};
    /// use unspin_text::Tokenizer;
    /// let tok = Tokenizer::default();
    /// let source = tok.tokenize("The domestic dog is a member of the genus Canis, which forms part of the wolf-like canids.");
    /// let suspect = tok.tokenize("The residential puppy is an individual from the genus Canis, which shapes some portion of the wolf-like canids.");
    /// let passages = Aligner::default().align(&source, &suspect, &NoSimilarity);
    /// assert_eq!(passages.len(), 1);
    /// assert!(passages[0].equal_tokens() >= 12);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn align(
        &self,
        source: &TokenizedText<'_>,
        suspect: &TokenizedText<'_>,
        sim: &dyn Similarity,
    ) -> Vec<Passage> {
        let mut capture = Capture::new();
        self.align_into(source, suspect, sim, &mut capture);
        capture.into_passages()
    }

    /// The low-level form of [`Aligner::align`]: pushes each passage and its
    /// ops into `hook`.
    pub fn align_into(
        &self,
        source: &TokenizedText<'_>,
        suspect: &TokenizedText<'_>,
        sim: &dyn Similarity,
        hook: &mut dyn AlignHook,
    ) {
        let src: Vec<u64> = source.tokens().iter().map(|t| t.hash()).collect();
        let sus: Vec<u64> = suspect.tokens().iter().map(|t| t.hash()).collect();
        let (src_marks, sus_marks) = (marks(source), marks(suspect));
        let run = Run {
            cfg: &self.cfg,
            src: &src,
            sus: &sus,
            src_marks: &src_marks,
            sus_marks: &sus_marks,
            sim,
            deadline: self.cfg.timeout.map(|d| Instant::now() + d),
        };
        let passages = if !src.is_empty() && src == sus {
            vec![Passage {
                source: 0..src.len(),
                suspect: 0..sus.len(),
                ops: vec![AlignOp::Equal { source: 0, suspect: 0, len: src.len() }],
            }]
        } else {
            let content = |t: &TokenizedText<'_>| -> Vec<bool> {
                t.tokens().iter().map(|k| k.is_wordlike() && !k.is_function_word()).collect()
            };
            let ks = Keys::new(&src, &content(source));
            let kt = Keys::new(&sus, &content(suspect));
            run.passages(&ks, &kt)
        };
        for p in &passages {
            hook.start_passage(p.source.clone(), p.suspect.clone());
            for op in &p.ops {
                hook.op(op);
            }
            hook.end_passage();
        }
    }
}

impl Run<'_> {
    fn expired(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() > d)
    }

    fn min_equal(&self) -> usize {
        let shorter = self.src.len().min(self.sus.len());
        self.cfg.min_equal.min(shorter.div_ceil(2)).max(2)
    }

    fn passages(&self, ks: &Keys, kt: &Keys) -> Vec<Passage> {
        let mut seeds = seeds::find(ks, kt, 0..self.src.len(), 0..self.sus.len(), 8, true);
        let mut accepted: Vec<Passage> = Vec::new();
        for _ in 0..self.cfg.max_rounds {
            if seeds.is_empty() {
                break;
            }
            let chain: Vec<Seed> =
                seeds::longest_chain(&seeds).into_iter().map(|k| seeds[k]).collect();
            let mut found = false;
            for piece in self.split(&chain) {
                let Some(p) = self.build(piece, &accepted) else { continue };
                // A passage that overlaps accepted ones replaces them only if
                // it is stronger than each (a chance match of a few names
                // must not block the real passage around them).
                let overlapping: Vec<usize> = (0..accepted.len())
                    .filter(|&k| {
                        overlaps(&accepted[k].source, &p.source)
                            || overlaps(&accepted[k].suspect, &p.suspect)
                    })
                    .collect();
                let strength = p.equal_tokens();
                if overlapping.iter().all(|&k| accepted[k].equal_tokens() < strength) {
                    for k in overlapping.into_iter().rev() {
                        accepted.remove(k);
                    }
                    accepted.push(p);
                    found = true;
                } else if let Some(q) = self.clip(p, &accepted) {
                    // Weaker, but only its edge overlaps: the rest stands.
                    accepted.push(q);
                    found = true;
                }
            }
            if !found {
                break;
            }
            // Seeds inside an accepted passage (on both sides) are used up.
            seeds.retain(|s| {
                !accepted.iter().any(|p| {
                    p.source.contains(&(s.i as usize)) && p.suspect.contains(&(s.j as usize))
                })
            });
        }
        accepted.sort_by_key(|p| (p.suspect.start, p.source.start));
        accepted
    }

    /// Cuts a chain wherever consecutive seeds are more than `max_gap` apart.
    fn split<'c>(&self, chain: &'c [Seed]) -> Vec<&'c [Seed]> {
        let mut out = Vec::new();
        let mut start = 0;
        for k in 1..=chain.len() {
            let cut = k == chain.len() || {
                let (a, b) = (chain[k - 1], chain[k]);
                (b.i - (a.i + a.len).min(b.i)) as usize > self.cfg.max_gap
                    || (b.j - (a.j + a.len).min(b.j)) as usize > self.cfg.max_gap
            };
            if cut {
                out.push(&chain[start..k]);
                start = k;
            }
        }
        out
    }

    fn eq(&self, i: usize, j: usize) -> bool {
        self.src[i] == self.sus[j]
    }

    /// Builds a passage from a piece of chain: fills the gaps between seeds,
    /// extends past both ends, and checks it against the thresholds.
    fn build(&self, piece: &[Seed], accepted: &[Passage]) -> Option<Passage> {
        let first = piece.first()?;
        let mut ops: Vec<AlignOp> = Vec::new();
        let (mut ci, mut cj) = (first.i as usize, first.j as usize);
        for s in piece {
            let (mut i, mut j) = (s.i as usize, s.j as usize);
            if i < ci || j < cj {
                let shift = (ci.saturating_sub(i)).max(cj.saturating_sub(j));
                i += shift;
                j += shift;
            }
            if i >= self.src.len() || j >= self.sus.len() || !self.eq(i, j) {
                continue;
            }
            self.fill(ci..i, cj..j, &mut ops);
            let mut len = 0;
            while i + len < self.src.len() && j + len < self.sus.len() && self.eq(i + len, j + len)
            {
                len += 1;
            }
            push(&mut ops, AlignOp::Equal { source: i, suspect: j, len });
            ci = i + len;
            cj = j + len;
        }
        // Bounds from passages already accepted, so passages never overlap.
        let (s0, t0) = (first.i as usize, first.j as usize);
        let lo_i = accepted.iter().map(|p| p.source.end).filter(|&e| e <= s0).max().unwrap_or(0);
        let lo_j = accepted.iter().map(|p| p.suspect.end).filter(|&e| e <= t0).max().unwrap_or(0);
        let hi_i = accepted
            .iter()
            .map(|p| p.source.start)
            .filter(|&s| s >= ci)
            .min()
            .unwrap_or(self.src.len());
        let hi_j = accepted
            .iter()
            .map(|p| p.suspect.start)
            .filter(|&s| s >= cj)
            .min()
            .unwrap_or(self.sus.len());
        let g = self.cfg.max_gap;
        let head_i = s0.saturating_sub(g).max(lo_i);
        let head_j = t0.saturating_sub(g).max(lo_j);
        let mut head = self.extend(head_i..s0, head_j..t0, Anchor::End);
        let tail = self.extend(
            ci..(ci + g).min(hi_i).max(ci),
            cj..(cj + g).min(hi_j).max(cj),
            Anchor::Start,
        );
        head.extend(ops);
        let mut all: Vec<AlignOp> = Vec::with_capacity(head.len() + tail.len());
        for op in head.into_iter().chain(tail) {
            push(&mut all, op);
        }
        self.trim_ends(&mut all);
        let source = all.first()?.source_range().start..all.last()?.source_range().end;
        let suspect = all.first()?.suspect_range().start..all.last()?.suspect_range().end;
        self.passes(Passage { source, suspect, ops: all })
    }

    /// The strongest part of `p` that overlaps none of `accepted` (on
    /// either side), if it still passes the thresholds.
    fn clip(&self, p: Passage, accepted: &[Passage]) -> Option<Passage> {
        let free = |o: &AlignOp| {
            !accepted.iter().any(|a| {
                overlaps(&a.source, &o.source_range()) || overlaps(&a.suspect, &o.suspect_range())
            })
        };
        // Equal runs split into single tokens, so a run may be cut inside.
        let unit: Vec<AlignOp> = p
            .ops
            .iter()
            .flat_map(|o| match *o {
                AlignOp::Equal { source, suspect, len } => (0..len)
                    .map(|k| AlignOp::Equal { source: source + k, suspect: suspect + k, len: 1 })
                    .collect(),
                _ => vec![*o],
            })
            .collect();
        let mut best: Option<(usize, Range<usize>)> = None;
        let mut start = 0;
        for k in 0..=unit.len() {
            if k < unit.len() && free(&unit[k]) {
                continue;
            }
            let equal = unit[start..k].iter().filter(|o| o.is_equal()).count();
            if equal > 0 && best.as_ref().is_none_or(|b| equal > b.0) {
                best = Some((equal, start..k));
            }
            start = k + 1;
        }
        let (_, run) = best?;
        if run.len() == unit.len() {
            return None;
        }
        let mut ops = Vec::new();
        for op in &unit[run] {
            push(&mut ops, *op);
        }
        self.trim_ends(&mut ops);
        let source = ops.first()?.source_range().start..ops.last()?.source_range().end;
        let suspect = ops.first()?.suspect_range().start..ops.last()?.suspect_range().end;
        self.passes(Passage { source, suspect, ops })
    }

    /// `p` if it has enough equal tokens, densely enough.
    fn passes(&self, p: Passage) -> Option<Passage> {
        let equal = p.equal_tokens();
        let longer = p.source.len().max(p.suspect.len()).max(1);
        if equal < self.min_equal() || (equal as f32) < self.cfg.min_density * longer as f32 {
            return None;
        }
        Some(p)
    }

    /// For an equal run of only function words and punctuation at the edge
    /// of a passage (a chance `about ... and ...`), the part worth keeping:
    /// from the first token that starts a sentence on both sides (`at_start`)
    /// or up to the last that ends one. `None` keeps the whole run (it holds a
    /// content word), `Some(0)` nothing.
    fn edge_keep(&self, op: &AlignOp, at_start: bool) -> Option<usize> {
        let (s, t) = (op.source_range(), op.suspect_range());
        if s.clone().any(|k| self.src_marks[k] & 1 != 0) {
            return None;
        }
        let both = |k: usize, bit: u8| {
            self.src_marks[s.start + k] & bit != 0 && self.sus_marks[t.start + k] & bit != 0
        };
        let n = s.len();
        if at_start {
            Some((0..n).find(|&k| both(k, 2)).map_or(0, |k| n - k))
        } else {
            Some((0..n).rev().find(|&k| both(k, 4)).map_or(0, |k| k + 1))
        }
    }

    /// Trims a passage so that it starts and ends on equal tokens, and drops
    /// an equal run at either end that is cut off from the rest by a change
    /// and is either short next to a long change, or weak (`edge_keep`).
    fn trim_ends(&self, ops: &mut Vec<AlignOp>) {
        loop {
            let before = ops.clone();
            while ops.first().is_some_and(|o| !o.is_equal()) {
                ops.remove(0);
            }
            while ops.last().is_some_and(|o| !o.is_equal()) {
                ops.pop();
            }
            if ops.len() >= 3 {
                let keep = self.keep(&ops[0], &ops[1], true);
                if keep == 0 {
                    ops.drain(..2);
                } else if let AlignOp::Equal { source, suspect, len } = ops[0] {
                    let cut = len - keep;
                    ops[0] =
                        AlignOp::Equal { source: source + cut, suspect: suspect + cut, len: keep };
                }
            }
            let n = ops.len();
            if n >= 3 {
                let keep = self.keep(&ops[n - 1], &ops[n - 2], false);
                if keep == 0 {
                    ops.truncate(n - 2);
                } else if let AlignOp::Equal { source, suspect, .. } = ops[n - 1] {
                    ops[n - 1] = AlignOp::Equal { source, suspect, len: keep };
                }
            }
            if *ops == before {
                return;
            }
        }
    }

    /// How many tokens of the edge run `eq` (next to `change`) to keep.
    fn keep(&self, eq: &AlignOp, change: &AlignOp, at_start: bool) -> usize {
        let e = eq.source_range().len();
        let c = change.source_range().len().max(change.suspect_range().len());
        if e <= 2 && c >= 6 {
            return 0;
        }
        self.edge_keep(eq, at_start).unwrap_or(e)
    }

    fn score(&self, i: usize, j: usize) -> f32 {
        dp::substitution(self.sim.similarity(i, j))
    }

    /// Fills the gap between two anchors with ops covering both ranges.
    fn fill(&self, si: Range<usize>, sj: Range<usize>, ops: &mut Vec<AlignOp>) {
        if si.is_empty() || sj.is_empty() || self.expired() {
            if let Some(op) = AlignOp::change(si, sj) {
                push(ops, op);
            }
            return;
        }
        let (m, n) = (si.len(), sj.len());
        let (i0, j0) = (si.start, sj.start);
        let (gap_ops, _, _) =
            dp::align(m, n, i0, j0, Anchor::Global, &|a, b| self.eq(i0 + a, j0 + b), &|a, b| {
                self.score(i0 + a, j0 + b)
            });
        for op in gap_ops {
            push(ops, op);
        }
    }

    /// Extends a passage into `si` × `sj` (anchored at their start or end),
    /// keeping the best-scoring part.
    fn extend(&self, si: Range<usize>, sj: Range<usize>, anchor: Anchor) -> Vec<AlignOp> {
        if si.is_empty() || sj.is_empty() || self.expired() {
            return Vec::new();
        }
        let (i0, j0) = (si.start, sj.start);
        let (ops, _, _) = dp::align(
            si.len(),
            sj.len(),
            i0,
            j0,
            anchor,
            &|a, b| self.eq(i0 + a, j0 + b),
            &|a, b| self.score(i0 + a, j0 + b),
        );
        ops
    }
}

/// Per-token marks for trimming: 1 content word, 2 sentence start, 4
/// sentence end (the token closes its sentence or the text).
fn marks(text: &TokenizedText<'_>) -> Vec<u8> {
    let toks = text.tokens();
    (0..toks.len())
        .map(|k| {
            let t = &toks[k];
            let mut m = 0;
            if t.is_wordlike() && !t.is_function_word() {
                m |= 1;
            }
            if k == 0 || toks[k - 1].sentence() != t.sentence() {
                m |= 2;
            }
            if k + 1 == toks.len() || toks[k + 1].sentence() != t.sentence() {
                m |= 4;
            }
            m
        })
        .collect()
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Appends an op, merging it with the previous one when both are `Equal` or
/// both are changes.
fn push(ops: &mut Vec<AlignOp>, op: AlignOp) {
    if op.source_range().is_empty() && op.suspect_range().is_empty() {
        return;
    }
    if let Some(last) = ops.last_mut()
        && last.is_equal() == op.is_equal()
    {
        let (s, t) = (last.source_range(), last.suspect_range());
        let (s2, t2) = (op.source_range(), op.suspect_range());
        if s.end == s2.start && t.end == t2.start {
            *last = if op.is_equal() {
                AlignOp::Equal { source: s.start, suspect: t.start, len: s.len() + s2.len() }
            } else {
                match AlignOp::change(s.start..s2.end, t.start..t2.end) {
                    Some(o) => o,
                    None => return,
                }
            };
            return;
        }
    }
    ops.push(op);
}
