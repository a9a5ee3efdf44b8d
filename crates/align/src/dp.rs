//! Gap filling: a substitution-aware Needleman-Wunsch programme on small
//! regions, global (both ends anchored) or anchored at one end only (for
//! extending a passage past its first or last seed).

use crate::AlignOp;

/// Score of two equal tokens.
pub(crate) const EQUAL: f32 = 2.0;
/// Score of a skipped token.
pub(crate) const GAP: f32 = -0.5;

/// Substitution score from a similarity in [0, 1]: unrelated words cost a
/// little (so a 1:1 swap beats two gaps), thesaurus pairs earn.
pub(crate) fn substitution(similarity: f32) -> f32 {
    -0.6 + 2.0 * similarity.clamp(0.0, 1.0)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Move {
    Stop,
    Diag,
    Up,
    Left,
}

/// Where the alignment of a region may end.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    /// Both corners fixed: the whole region is aligned.
    Global,
    /// Starts at the region's start, ends anywhere (best-scoring cell).
    Start,
    /// Ends at the region's end, starts anywhere (best-scoring cell).
    End,
}

/// Aligns `m` source tokens with `n` suspect tokens. `score(a, b)` gives the
/// pair score of source offset `a` and suspect offset `b` (`EQUAL` for equal
/// tokens). Returns the per-token moves as ops relative to `(si, sj)`, and the
/// covered extent `(source_len, suspect_len)` from the anchored corner.
pub(crate) fn align(
    m: usize,
    n: usize,
    si: usize,
    sj: usize,
    anchor: Anchor,
    equal: &dyn Fn(usize, usize) -> bool,
    score: &dyn Fn(usize, usize) -> f32,
) -> (Vec<AlignOp>, usize, usize) {
    // For `End`, align the reversed sequences anchored at their start.
    let rev = anchor == Anchor::End;
    let at = |a: usize, b: usize| if rev { (m - 1 - a, n - 1 - b) } else { (a, b) };
    let w = n + 1;
    let mut h = vec![0f32; (m + 1) * w];
    let mut mv = vec![Move::Stop; (m + 1) * w];
    for a in 1..=m {
        h[a * w] = GAP * a as f32;
        mv[a * w] = Move::Up;
    }
    for b in 1..=n {
        h[b] = GAP * b as f32;
        mv[b] = Move::Left;
    }
    let (mut best, mut best_at) = (0f32, (0usize, 0usize));
    for a in 1..=m {
        for b in 1..=n {
            let (x, y) = at(a - 1, b - 1);
            let s = if equal(x, y) { EQUAL } else { score(x, y) };
            let d = h[(a - 1) * w + b - 1] + s;
            let u = h[(a - 1) * w + b] + GAP;
            let l = h[a * w + b - 1] + GAP;
            let (v, m_) = if d >= u && d >= l {
                (d, Move::Diag)
            } else if u >= l {
                (u, Move::Up)
            } else {
                (l, Move::Left)
            };
            h[a * w + b] = v;
            mv[a * w + b] = m_;
            if v > best {
                best = v;
                best_at = (a, b);
            }
        }
    }
    let (mut a, mut b) = if anchor == Anchor::Global { (m, n) } else { best_at };
    let (ext_m, ext_n) = (a, b);
    // Trace back into per-token steps: (source offset, suspect offset, kind).
    let mut steps: Vec<(usize, usize, u8)> = Vec::with_capacity(a + b);
    while a > 0 || b > 0 {
        match mv[a * w + b] {
            Move::Diag => {
                let (x, y) = at(a - 1, b - 1);
                steps.push((x, y, if equal(x, y) { 0 } else { 1 }));
                a -= 1;
                b -= 1;
            }
            Move::Up => {
                let (x, _) = at(a - 1, 0);
                steps.push((x, usize::MAX, 2));
                a -= 1;
            }
            Move::Left | Move::Stop => {
                let (_, y) = at(0, b - 1);
                steps.push((usize::MAX, y, 3));
                b -= 1;
            }
        }
    }
    if !rev {
        steps.reverse();
    }
    // Region covered, in forward offsets.
    let (src0, sus0) = if rev { (m - ext_m, n - ext_n) } else { (0, 0) };
    (steps_to_ops(&steps, si + src0, sj + sus0), ext_m, ext_n)
}

/// Turns per-token steps into ops: runs of equal steps become `Equal`, runs of
/// anything else one `Replace`/`Insert`/`Delete`.
fn steps_to_ops(steps: &[(usize, usize, u8)], si: usize, sj: usize) -> Vec<AlignOp> {
    let mut ops = Vec::new();
    let (mut ci, mut cj) = (si, sj);
    let mut k = 0;
    while k < steps.len() {
        if steps[k].2 == 0 {
            let mut len = 0;
            while k < steps.len() && steps[k].2 == 0 {
                len += 1;
                k += 1;
            }
            ops.push(AlignOp::Equal { source: ci, suspect: cj, len });
            ci += len;
            cj += len;
        } else {
            let (i0, j0) = (ci, cj);
            while k < steps.len() && steps[k].2 != 0 {
                match steps[k].2 {
                    1 => {
                        ci += 1;
                        cj += 1;
                    }
                    2 => ci += 1,
                    _ => cj += 1,
                }
                k += 1;
            }
            ops.extend(AlignOp::change(i0..ci, j0..cj));
        }
    }
    ops
}
