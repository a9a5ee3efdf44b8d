use serde::{Deserialize, Serialize};

use crate::{Comparer, ComparerBuilder, Report, Verdict};
use unspin_index::{Error, Index};

/// A source found for a suspect.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceMatch {
    /// The source's id in the index.
    pub id: String,
    /// Its title, if indexed with one.
    pub title: Option<String>,
    /// Share of the suspect's tokens aligned with this source, in [0, 1].
    pub score: f64,
    /// The full comparison of the source with the suspect.
    pub report: Report,
}

/// The result of [`check`]: `{"sources": [...]}`, best first; empty when
/// nothing in the index shares passages with the suspect.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CheckReport {
    /// The sources that really share passages with the suspect.
    pub sources: Vec<SourceMatch>,
}

/// The comparer `check` verifies candidates with: the default one, but
/// keeping passages down to 20 % equal tokens (instead of 30 %), since
/// retrieval already vouches for the candidate; heavily obfuscated passages
/// (translation, shuffles) are verified that way.
pub fn check_comparer() -> Comparer {
    ComparerBuilder::new().min_density(0.2).build().unwrap_or_default()
}

/// A source explaining this share of the suspect ends the verification early.
const COMPLETE: f64 = 0.9;

/// How many retrieved candidates are verified per source asked for.
const CANDIDATES_PER_SOURCE: usize = 4;

/// Finds the sources of `suspect` in `index`: retrieves candidates on
/// spin-robust features, verifies each with `comparer` (normally
/// [`check_comparer`]), and keeps those that are not `unrelated`, ranked by
/// the share of the suspect they explain.
pub fn check(
    comparer: &Comparer,
    index: &Index,
    suspect: &str,
    top: usize,
) -> Result<CheckReport, Error> {
    let want = top.max(1);
    let candidates = index.search(suspect, (want * CANDIDATES_PER_SOURCE).max(10))?;
    let mut sources = Vec::new();
    for c in candidates {
        let doc = c.document;
        let report = comparer.compare(&doc.text, suspect);
        if report.verdict == Verdict::Unrelated {
            continue;
        }
        let score = report.stats.aligned_tokens as f64 / report.stats.suspect_tokens.max(1) as f64;
        sources.push(SourceMatch {
            id: doc.id,
            title: doc.title,
            score: (score.min(1.0) * 1000.0).round() / 1000.0,
            report,
        });
        // Enough sources that each explain nearly all of the suspect: the
        // remaining candidates (lower BM25) cannot rank above them.
        if sources.iter().filter(|m| m.score >= COMPLETE).count() >= want {
            break;
        }
    }
    // Equal shares: the source needing fewer substitutions is the closer
    // original (a near-duplicate article differs in a few more places); then
    // retrieval (BM25) order, the sort being stable.
    sources.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.report.stats.substituted_tokens.cmp(&b.report.stats.substituted_tokens))
    });
    sources.truncate(top);
    Ok(CheckReport { sources })
}
