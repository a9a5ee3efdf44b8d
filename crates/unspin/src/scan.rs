//! `scan`: every pair of indexed documents that share reused text.

use std::collections::HashSet;
use std::sync::Mutex;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{Comparer, Report, SubstitutionKind, Verdict, check};
use unspin_index::{Document, Error, Index};
use unspin_lm::Model;

/// How a [`ScanPair`] was told which of its documents is the original.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Orientation {
    /// The words a spinner changed read as rarer on one side under a
    /// language model of originals: that side is the suspect (spinners
    /// swap common words for rarer synonyms).
    LanguageModel,
    /// The document more of which the other explains is the suspect (a
    /// spun copy of part of an article is covered whole, its original
    /// only in part); without a language model, or when its words do not
    /// tell.
    Coverage,
    /// Neither tells (no model or no lean, and equal coverage): the pair
    /// is given in id order, and either text may be the original.
    Undetermined,
}

/// Two indexed documents that share reused text, found by [`scan`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScanPair {
    /// The id of the document read as the original.
    pub source: String,
    /// The id of the document read as its reuse.
    pub suspect: String,
    /// What the suspect is, relative to the source.
    pub verdict: Verdict,
    /// The comparison's spin score in [0, 1].
    pub spin_score: f64,
    /// Share of the suspect's tokens aligned with the source, in [0, 1].
    pub coverage: f64,
    /// Substitutions in the aligned passages.
    pub substitutions: usize,
    /// How source and suspect were told apart.
    pub oriented_by: Orientation,
}

/// What [`scan`] reports.
#[derive(Clone, Debug)]
pub struct ScanOptions {
    /// Candidate sources verified per document (as `check --top`).
    pub top: usize,
    /// The verdicts reported; by default, `spun` only.
    pub verdicts: Vec<Verdict>,
}

impl Default for ScanOptions {
    fn default() -> ScanOptions {
        ScanOptions { top: 5, verdicts: vec![Verdict::Spun] }
    }
}

/// A mean lean (nats per substitution, see [`lean`]) smaller than this
/// does not orient a pair.
const ORIENT_MARGIN: f64 = 0.25;

/// Coverages closer than this do not orient a pair.
const COVERAGE_MARGIN: f64 = 0.02;

/// Finds every pair of documents in `index` that share reused text with one
/// of the `verdicts` of `options`: each document is checked against the
/// index as a suspect (as [`check`] does, on all cores), each pair is kept
/// once, and its source is told from its suspect by the `model` of
/// originals if given (the side whose changed words read as rarer is the
/// spun one), else by coverage, else left `undetermined`. `progress` is
/// called with the number of documents done. Pairs come best first (spin
/// score, then ids). Every document's text is held in memory for the scan
/// (about the corpus's size).
pub fn scan(
    comparer: &Comparer,
    index: &Index,
    model: Option<&Model>,
    options: &ScanOptions,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Vec<ScanPair>, Error> {
    let mut docs: Vec<Document> = Vec::new();
    index.for_each_document(|d| docs.push(d))?;
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    let by_id = |id: &str| docs.binary_search_by(|d| d.id.as_str().cmp(id)).ok();
    let seen: Mutex<HashSet<(usize, usize)>> = Mutex::new(HashSet::new());
    let done = std::sync::atomic::AtomicUsize::new(0);
    let found: Vec<Vec<ScanPair>> = docs
        .par_iter()
        .enumerate()
        .map(|(k, doc)| -> Result<Vec<ScanPair>, Error> {
            let checked = check(comparer, index, &doc.text, options.top + 1)?;
            let mut out = Vec::new();
            for m in checked.sources {
                let Some(j) = by_id(&m.id).filter(|&j| j != k) else { continue };
                let pair = (k.min(j), k.max(j));
                if !seen.lock().unwrap_or_else(|e| e.into_inner()).insert(pair) {
                    continue;
                }
                // Both readings: `a` as the source of `b`, and `b` as the
                // source of `a`. The check's report is `j` read as the
                // source of `k`; the other reading is computed. Each is a
                // function of the two texts alone, so whichever document
                // found the pair first (threads race for it), they agree.
                let (a, b) = pair;
                let other = comparer.compare(&doc.text, &docs[j].text);
                let (a_source, b_source) =
                    if j == a { (m.report, other) } else { (other, m.report) };
                // Positive lean: `a` holds the commoner words, so `b` is
                // the suspect.
                let by_lm = model
                    .map(|m| lean(m, &a_source))
                    .filter(|l| l.abs() >= ORIENT_MARGIN)
                    .map(|l| l > 0.0);
                let (cb, ca) = (coverage(&a_source), coverage(&b_source));
                let by_coverage = ((cb - ca).abs() >= COVERAGE_MARGIN).then_some(cb > ca);
                // Undetermined: in id order (`a` sorts first).
                let b_is_suspect = by_lm.or(by_coverage).unwrap_or(true);
                let oriented_by = match (by_lm, by_coverage) {
                    (Some(_), _) => Orientation::LanguageModel,
                    (None, Some(_)) => Orientation::Coverage,
                    (None, None) => Orientation::Undetermined,
                };
                let (source, suspect, report) =
                    if b_is_suspect { (a, b, &a_source) } else { (b, a, &b_source) };
                if !options.verdicts.contains(&report.verdict) {
                    continue;
                }
                out.push(ScanPair {
                    source: docs[source].id.clone(),
                    suspect: docs[suspect].id.clone(),
                    verdict: report.verdict,
                    spin_score: report.spin_score,
                    coverage: (coverage(report) * 1000.0).round() / 1000.0,
                    substitutions: report.substitutions.len(),
                    oriented_by,
                });
            }
            progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1);
            Ok(out)
        })
        .collect::<Result<_, Error>>()?;
    let mut pairs: Vec<ScanPair> = found.into_iter().flatten().collect();
    pairs.sort_by(|a, b| {
        b.spin_score
            .total_cmp(&a.spin_score)
            .then_with(|| a.suspect.cmp(&b.suspect))
            .then_with(|| a.source.cmp(&b.source))
    });
    Ok(pairs)
}

/// How much commoner, under `model`, the source's side of the report's
/// word substitutions is than the suspect's: the mean over substitutions of
/// the difference of their words' mean log counts (nats). Positive: the
/// source reads as the original.
fn lean(model: &Model, report: &Report) -> f64 {
    let mean_log_count = |text: &str| {
        let words: Vec<f64> = text
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| !w.is_empty())
            .map(|w| (f64::from(model.count(&w.to_lowercase())) + 1.0).ln())
            .collect();
        words.iter().sum::<f64>() / words.len().max(1) as f64
    };
    let diffs: Vec<f64> = report
        .substitutions
        .iter()
        .filter(|s| {
            matches!(
                s.kind,
                SubstitutionKind::Synonym
                    | SubstitutionKind::BrokenTerm
                    | SubstitutionKind::Rewrite
            )
        })
        .map(|s| mean_log_count(&s.source.text) - mean_log_count(&s.suspect.text))
        .collect();
    diffs.iter().sum::<f64>() / diffs.len().max(1) as f64
}

/// Share of the suspect's tokens aligned with the source.
fn coverage(report: &Report) -> f64 {
    (report.stats.aligned_tokens as f64 / report.stats.suspect_tokens.max(1) as f64).min(1.0)
}
