//! Calibration of the restorer's confidences (issue 5): an edit given
//! confidence 0.9 should restore the original about nine times in ten, so
//! that a reviewer can sort or cut edits by it.
//!
//! `unspin-eval calibrate` fits the map from a decoder edit's margin (nats
//! over keeping the words) to that chance, by logistic regression, on
//! synthetic spins of 200 BBC articles that are neither in its language
//! model nor among the 200 articles `unspin-eval restore` evaluates on; the
//! decoder's `CALIBRATION` constants come from it. `unspin-eval restore`
//! then reports how well the confidences it ships hold on its own
//! held-aside spins ([`reliability`]).

use std::path::Path;

use rayon::prelude::*;
use unspin::restoration::{CALIBRATION, Decoder, Edit, calibration_feature};
use unspin_testkit::{Obfuscation, obfuscate};

use crate::restore::{Knobs, Step, alignment, tokens_at};

/// An original and its spin, aligned once, to judge the edits of the spin.
pub struct Truth {
    original: Vec<String>,
    spun: Vec<(String, usize, usize)>,
    steps: Vec<Step>,
}

impl Truth {
    /// `original` aligned with `spun`.
    pub fn new(original: &str, spun: &str) -> Truth {
        let o: Vec<String> = tokens_at(original).into_iter().map(|t| t.0).collect();
        let s = tokens_at(spun);
        let sw: Vec<String> = s.iter().map(|t| t.0.clone()).collect();
        let (_, steps) = alignment(&o, &sw);
        Truth { original: o, spun: s, steps }
    }

    /// Whether `edit` (byte offsets of the spun text) restores the
    /// original there: the words it writes are the original's at the spun
    /// words it covers (in a run of one-for-one substitutions) or a stretch
    /// of the original's words of the changed run it lies in (in a run the
    /// spinner changed in length), and it covers at least one word the
    /// spinner changed.
    pub fn right(&self, edit: &Edit) -> bool {
        let (o, s) = (&self.original, &self.spun);
        let got: Vec<String> = tokens_at(&edit.restored).into_iter().map(|t| t.0).collect();
        let kept = |st: &Step| matches!(*st, (Some(i), Some(j)) if o[i] == s[j].0);
        let covered = |j: usize| s[j].1 < edit.end && edit.start < s[j].2;
        let (mut want, mut changed, mut loose) = (Vec::new(), false, false);
        let mut k = 0;
        // Each run of steps that are not kept words.
        while k < self.steps.len() {
            if kept(&self.steps[k]) {
                k += 1;
                continue;
            }
            let end =
                (k..self.steps.len()).find(|&e| kept(&self.steps[e])).unwrap_or(self.steps.len());
            let run = &self.steps[k..end];
            if run.iter().any(|st| st.1.is_some_and(covered)) {
                changed = true;
                if run.iter().all(|st| st.0.is_some() && st.1.is_some()) {
                    want.extend(
                        run.iter()
                            .filter(|st| st.1.is_some_and(covered))
                            .filter_map(|st| st.0)
                            .map(|i| o[i].clone()),
                    );
                } else {
                    loose = true;
                    want.extend(run.iter().filter_map(|st| st.0).map(|i| o[i].clone()));
                }
            }
            k = end;
        }
        changed
            && (got == want
                || (loose
                    && !got.is_empty()
                    && want.windows(got.len()).any(|w| w == got.as_slice())))
    }

    /// [`Truth::right`] for an edit the restorer reports (character offsets
    /// of `spun`, the text this truth was made with).
    pub fn applied_right(&self, spun: &str, e: &unspin::restoration::AppliedEdit) -> bool {
        let byte = |c: usize| spun.char_indices().nth(c).map_or(spun.len(), |(b, _)| b);
        self.right(&Edit {
            start: byte(e.suspect.start),
            end: byte(e.suspect.end),
            restored: e.restored.clone(),
            confidence: e.confidence,
            evidence: e.evidence,
        })
    }
}

/// The confidence of each edit of one kind the restorer makes on the spun
/// texts of `pairs` (original, spun), with whether it restored the
/// original.
pub fn outcomes(
    restorer: &unspin::Restorer<'_>,
    pairs: &[(&String, String)],
    evidence: unspin::restoration::Evidence,
) -> anyhow::Result<Vec<(f64, bool)>> {
    Ok(pairs
        .par_iter()
        .map(|(o, s)| {
            let truth = Truth::new(o, s);
            Ok(restorer
                .restore(s)?
                .edits
                .iter()
                .filter(|e| e.evidence == evidence)
                .map(|e| (e.confidence, truth.applied_right(s, e)))
                .collect::<Vec<_>>())
        })
        .collect::<anyhow::Result<Vec<_>>>()?
        .concat())
}

/// A decoder edit's margin, whether it replaced a phrase (more than one
/// word), and whether it restored the original.
pub type Outcome = (f32, bool, bool);

/// The decoder's edits on synthetic spins of the `articles`.
pub fn margins(decoder: &Decoder<'_>, bbc: &[String], articles: &[usize]) -> Vec<Outcome> {
    articles
        .par_iter()
        .flat_map_iter(|&k| {
            let spun = obfuscate(&bbc[k], &Obfuscation::spinner(0.3), k as u64);
            let truth = Truth::new(&bbc[k], &spun);
            decoder
                .edits_with_margin(&spun)
                .into_iter()
                .map(|(e, m)| {
                    let phrase = spun[e.start..e.end].split_whitespace().count() > 1;
                    (m, phrase, truth.right(&e))
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Logistic regression of rightness on a feature `x` (Newton's method):
/// `(a, b)` with `P(right) = 1 / (1 + e^-(a x + b))`.
pub fn fit(samples: &[(f32, bool)]) -> (f64, f64) {
    let (mut a, mut b) = (0.0f64, 0.0f64);
    for _ in 0..50 {
        let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for &(m, y) in samples {
            let m = f64::from(m);
            let p = 1.0 / (1.0 + (-(a * m + b)).exp());
            let r = f64::from(u8::from(y)) - p;
            let w = p * (1.0 - p);
            ga += r * m;
            gb += r;
            haa += w * m * m;
            hab += w * m;
            hbb += w;
        }
        let det = haa * hbb - hab * hab;
        if det.abs() < 1e-12 {
            break;
        }
        // Newton steps from zero, capped, so that a wide spread of
        // margins cannot throw the first steps off.
        let (da, db) = ((hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det);
        let scale = (1.0 / (da.abs() + db.abs())).min(1.0);
        let (da, db) = (da * scale, db * scale);
        a += da;
        b += db;
        if da.abs() + db.abs() < 1e-9 {
            break;
        }
    }
    (a, b)
}

/// Reliability of confidences against outcomes: for each tenth of the
/// confidence scale, the edits in it, their mean confidence and
/// the share right; and the expected calibration error (the mean absolute
/// gap, weighted by edits).
pub fn reliability(name: &str, samples: &[(f64, bool)]) {
    let mut bins = [(0usize, 0.0f64, 0usize); 10];
    for &(c, y) in samples {
        let b = ((c * 10.0).floor().max(0.0) as usize).min(9);
        bins[b].0 += 1;
        bins[b].1 += c;
        bins[b].2 += usize::from(y);
    }
    let n = samples.len().max(1) as f64;
    let ece: f64 = bins
        .iter()
        .filter(|b| b.0 > 0)
        .map(|b| (b.1 / b.0 as f64 - b.2 as f64 / b.0 as f64).abs() * b.0 as f64 / n)
        .sum();
    let rows: Vec<String> = bins
        .iter()
        .enumerate()
        .filter(|(_, b)| b.0 > 0)
        .map(|(k, b)| {
            format!(
                "{:.1}-{:.1}: {} edits, said {:.3}, right {:.3}",
                k as f64 / 10.0,
                (k + 1) as f64 / 10.0,
                b.0,
                b.1 / b.0 as f64,
                b.2 as f64 / b.0 as f64
            )
        })
        .collect();
    let right = samples.iter().filter(|s| s.1).count();
    println!(
        "{name}: {} edits, {right} right ({:.3}); expected calibration error {ece:.3}\n  {}",
        samples.len(),
        right as f64 / n,
        rows.join("\n  ")
    );
}

/// `unspin-eval calibrate`: fit the margin-to-confidence map on spins of
/// 200 articles outside both the model and the evaluation set, for edits
/// of one word and of phrases apart.
pub fn run(data: &Path, k: &Knobs) -> anyhow::Result<()> {
    // The first 200 of the shuffled articles are `restore`'s evaluation
    // set; the next 200 are held out of this model too and calibrate it.
    let (bbc, aside, model) = crate::held_aside_model(data, 400)?;
    let decoder = k.decoder(&model);
    let samples = margins(&decoder, &bbc, &aside[200..]);
    println!(
        "calibration on {} decoder edits of 200 spun articles outside the model and the evaluation set",
        samples.len()
    );
    for (phrase, name) in [(false, "one word"), (true, "a phrase")] {
        let of_kind: Vec<(f32, bool)> =
            samples.iter().filter(|s| s.1 == phrase).map(|&(m, _, y)| (m, y)).collect();
        let edges = [0.0f32, 3.0, 4.0, 6.0, 10.0, 20.0, f32::INFINITY];
        let rows: Vec<String> = edges
            .windows(2)
            .filter_map(|w| {
                let inside: Vec<bool> =
                    of_kind.iter().filter(|s| w[0] <= s.0 && s.0 < w[1]).map(|s| s.1).collect();
                let right = inside.iter().filter(|&&y| y).count();
                (!inside.is_empty()).then(|| {
                    format!(
                        "{}-{} nats: {} edits, right {:.3}",
                        w[0],
                        w[1],
                        inside.len(),
                        right as f64 / inside.len() as f64
                    )
                })
            })
            .collect();
        let features: Vec<(f32, bool)> =
            of_kind.iter().map(|&(m, y)| (calibration_feature(m), y)).collect();
        let (a, b) = fit(&features);
        let (sa, sb) = CALIBRATION[usize::from(phrase)];
        println!(
            "edits of {name}: P(right) = 1 / (1 + e^-({a:.3} x + {b:.3})), x = ln(margin) held to 1..20 nats (shipped: {sa:.3}, {sb:.3})\n  {}",
            rows.join("\n  ")
        );
    }
    let as_margin: Vec<(f64, bool)> =
        samples.iter().map(|&(m, _, y)| (1.0 / (1.0 + (-f64::from(m)).exp()), y)).collect();
    reliability("the margin as a probability, 1 / (1 + e^-margin)", &as_margin);
    reliability("shipped", &shipped(&samples));
    Ok(())
}

/// The confidences the decoder gives these edits, with their outcomes.
pub fn shipped(samples: &[Outcome]) -> Vec<(f64, bool)> {
    samples.iter().map(|&(m, phrase, y)| (unspin::restoration::confidence(m, phrase), y)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(spun: &str, word: &str, restored: &str) -> Edit {
        let start = spun.find(word).expect("the word is in the fixture");
        Edit {
            start,
            end: start + word.len(),
            restored: restored.into(),
            confidence: 0.9,
            evidence: unspin::restoration::Evidence::Lm,
        }
    }

    #[test]
    fn an_edit_is_right_where_it_writes_the_original() {
        let (o, s) = ("the domestic dog barked at night", "the residential puppy barked at night");
        let truth = Truth::new(o, s);
        assert!(truth.right(&edit(s, "puppy", "dog")));
        assert!(truth.right(&edit(s, "residential", "domestic")));
        assert!(!truth.right(&edit(s, "puppy", "hound")));
        // A word the spinner left alone is never restored rightly.
        assert!(!truth.right(&edit(s, "barked", "barked")));
        assert!(!truth.right(&edit(s, "night", "day")));
        assert!(!truth.right(&edit(s, "at", "")), "deleting a word the spinner kept");
        // A phrase the spinner wrote for one word.
        let s2 = "the domestic dog barked at time of darkness";
        let truth = Truth::new(o, s2);
        assert!(truth.right(&edit(s2, "time of darkness", "night")));
        assert!(!truth.right(&edit(s2, "time of darkness", "dusk")));
    }

    #[test]
    fn the_fit_recovers_a_known_map() {
        // Outcomes drawn from P = 1 / (1 + e^-(0.5 m - 1)) in exact shares.
        let mut samples = Vec::new();
        for m in 0..12 {
            let p = 1.0 / (1.0 + (-(0.5 * f64::from(m) - 1.0)).exp());
            let right = (p * 1000.0).round() as usize;
            samples.extend((0..1000).map(|i| (m as f32, i < right)));
        }
        let (a, b) = fit(&samples);
        assert!((a - 0.5).abs() < 0.01 && (b + 1.0).abs() < 0.05, "{a} {b}");
    }
}
