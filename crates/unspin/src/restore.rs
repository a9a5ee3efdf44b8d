use serde::{Deserialize, Serialize};
use unspin_index::{Error, Index};
use unspin_restore::{AppliedEdit, Edit, Evidence, apply, tortured_edits};

use crate::{Report, SubstitutionKind, check, check_comparer};

/// The result of [`restore`]: `{"text", "edits": [{"suspect": {"start",
/// "end", "text"}, "restored", "confidence", "evidence"}], "method",
/// "source"}`, offsets in characters of the suspect.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RestoreReport {
    /// The restored text.
    pub text: String,
    /// Every edit made, in suspect order.
    pub edits: Vec<AppliedEdit>,
    /// How: `source` (a found source's wording where passages align) or
    /// `lexicon-only` (no source found and no language model yet: only
    /// known tortured phrases are restored).
    pub method: String,
    /// The id of the source used, if any.
    pub source: Option<String>,
}

/// Byte offset of each character offset (plus the end).
fn byte_offsets(text: &str) -> Vec<usize> {
    let mut v: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    v.push(text.len());
    v
}

fn source_edits(suspect: &str, report: &Report) -> Vec<Edit> {
    let bytes = byte_offsets(suspect);
    let at = |c: usize| bytes.get(c).copied().unwrap_or(suspect.len());
    report
        .substitutions
        .iter()
        .map(|s| Edit {
            start: at(s.suspect.start),
            end: at(s.suspect.end),
            restored: s.source.text.clone(),
            confidence: match s.kind {
                SubstitutionKind::Format => 0.99,
                SubstitutionKind::Rewrite => 0.8,
                _ => 0.95,
            },
            evidence: Evidence::Source,
        })
        .collect()
}

/// Restores the original wording of `suspect`. With an index, the best
/// source `check` finds supplies its wording wherever passages align; with
/// none (or no source found), known tortured phrases are restored from the
/// lexicon. A language model for choosing among thesaurus candidates is not
/// built yet.
pub fn restore(index: Option<&Index>, suspect: &str) -> Result<RestoreReport, Error> {
    if let Some(index) = index {
        let found = check(&check_comparer(), index, suspect, 1)?;
        if let Some(best) = found.sources.into_iter().next() {
            let mut edits = source_edits(suspect, &best.report);
            // Outside the aligned passages the lexicon may still help.
            let covered =
                |e: &Edit| edits.iter().any(|x: &Edit| x.start < e.end && e.start < x.end);
            let extra: Vec<Edit> =
                tortured_edits(suspect).into_iter().filter(|e| !covered(e)).collect();
            edits.extend(extra);
            let r = apply(suspect, &edits);
            return Ok(RestoreReport {
                text: r.text,
                edits: r.edits,
                method: "source".to_string(),
                source: Some(best.id),
            });
        }
    }
    let r = apply(suspect, &tortured_edits(suspect));
    Ok(RestoreReport {
        text: r.text,
        edits: r.edits,
        method: "lexicon-only".to_string(),
        source: None,
    })
}
