use serde::{Deserialize, Serialize};
use unspin_index::{Error, Index};
use unspin_lm::Model;
use unspin_restore::{AppliedEdit, Decoder, Edit, Evidence, Learned, apply, tortured_edits};

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
    /// How: `source` (a found source's wording where passages align),
    /// `source+lm` (and the language model elsewhere), `lm` (no source: the
    /// language model and the lexicons), or `lexicon-only` (no source and no
    /// language model: only known tortured phrases and learned phrases are
    /// restored).
    pub method: String,
    /// The id of the source used, if any.
    pub source: Option<String>,
}

/// Byte offset of each character offset (plus the end).
pub(crate) fn byte_offsets(text: &str) -> Vec<usize> {
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

/// Restores the original wording of spun texts. Built with the optional
/// helps it can use; immutable, `Send + Sync`.
///
/// * With an index, the best source `check` finds supplies its wording
///   wherever passages align (`evidence: "source"`).
/// * A learned spinner lexicon (`unspin learn`) restores the phrases it
///   knows (`learned`) and weighs its single words in the decoder.
/// * Known tortured phrases are restored from the bundled list (`lexicon`).
/// * With a language model, the noisy-channel [`Decoder`] restores the rest
///   (`lm`); without one, only the above is done and `method` says so.
#[derive(Clone, Debug, Default)]
pub struct Restorer<'a> {
    index: Option<&'a Index>,
    model: Option<&'a Model>,
    learned: Option<&'a Learned>,
}

impl<'a> Restorer<'a> {
    /// A restorer with no index, model or learned lexicon.
    pub fn new() -> Restorer<'a> {
        Restorer::default()
    }

    /// An index to look for the source in.
    pub fn index(mut self, index: Option<&'a Index>) -> Restorer<'a> {
        self.index = index;
        self
    }

    /// A language model of originals.
    pub fn model(mut self, model: Option<&'a Model>) -> Restorer<'a> {
        self.model = model;
        self
    }

    /// A learned spinner lexicon.
    pub fn learned(mut self, learned: Option<&'a Learned>) -> Restorer<'a> {
        self.learned = learned;
        self
    }

    /// Restores `suspect`. Fails only when the index cannot be searched.
    pub fn restore(&self, suspect: &str) -> Result<RestoreReport, Error> {
        let mut edits: Vec<Edit> = Vec::new();
        let mut aligned: Vec<(usize, usize)> = Vec::new();
        let mut source = None;
        if let Some(index) = self.index {
            let found = check(&check_comparer(), index, suspect, 1)?;
            if let Some(best) = found.sources.into_iter().next() {
                edits = source_edits(suspect, &best.report);
                let bytes = byte_offsets(suspect);
                let at = |c: usize| bytes.get(c).copied().unwrap_or(suspect.len());
                aligned = best
                    .report
                    .passages
                    .iter()
                    .map(|p| (at(p.suspect.start), at(p.suspect.end)))
                    .collect();
                source = Some(best.id);
            }
        }
        // Each further layer fills in only where nothing before it applies;
        // inside aligned passages the source's wording stands. `blocked` is
        // kept sorted (and, passages and edits not overlapping, with
        // increasing ends), so each check is a binary search.
        let mut blocked: Vec<(usize, usize)> =
            aligned.into_iter().chain(edits.iter().map(|e| (e.start, e.end))).collect();
        blocked.sort_unstable();
        let mut add = |more: Vec<Edit>, edits: &mut Vec<Edit>| {
            for e in more {
                let i = blocked.partition_point(|x| x.1 <= e.start);
                if i < blocked.len() && blocked[i].0 < e.end {
                    continue;
                }
                blocked.insert(i, (e.start, e.end));
                edits.push(e);
            }
        };
        if let Some(learned) = self.learned {
            add(learned.phrase_edits(suspect), &mut edits);
        }
        add(tortured_edits(suspect), &mut edits);
        if let Some(model) = self.model {
            add(Decoder::new(model).learned(self.learned).edits(suspect), &mut edits);
        }
        let method = match (&source, self.model) {
            (Some(_), Some(_)) => "source+lm",
            (Some(_), None) => "source",
            (None, Some(_)) => "lm",
            (None, None) => "lexicon-only",
        };
        let r = apply(suspect, &edits);
        Ok(RestoreReport { text: r.text, edits: r.edits, method: method.to_string(), source })
    }
}

/// Restores `suspect` with an optional index and nothing else (see
/// [`Restorer`] for a language model and a learned lexicon).
pub fn restore(index: Option<&Index>, suspect: &str) -> Result<RestoreReport, Error> {
    Restorer::new().index(index).restore(suspect)
}
