use rayon::prelude::*;
use unspin_index::{Error, Index};
use unspin_lm::Model;
use unspin_restore::Learned;

use crate::{Comparer, Orientation, Restorer, ScanOptions, SubstitutionKind, scan};

/// A spinner's table learned from `(original, spun)` pairs, on all cores:
/// each pair's substitutions ([`learn_pair`]), counted, and the words of
/// the originals counted too (what `unspin learn` writes).
pub fn learn_table(comparer: &Comparer, pairs: &[(String, String)]) -> Learned {
    let found: Vec<(String, String)> =
        pairs.par_iter().flat_map_iter(|(o, s)| learn_pair(comparer, o, s)).collect();
    Learned::from_pairs(found.iter().map(|(s, o)| (s.as_str(), o.as_str())))
        .count_originals(pairs.iter().map(|(o, _)| o.as_str()))
}

/// (restoration, text) pairs of spun texts whose originals nobody has:
/// each text restored by `restorer` (with a language model), on all cores.
/// Learned from as found pairs are, they teach the table of a spinner that
/// wrote all the texts (a content farm's): its swaps restored with
/// confidence in one text are the same in the others. Texts by different
/// spinners teach nothing that holds across them.
pub fn restored_pairs(
    restorer: &Restorer<'_>,
    texts: &[String],
) -> Result<Vec<(String, String)>, Error> {
    texts.par_iter().map(|t| Ok((restorer.restore(t)?.text, t.clone()))).collect()
}

/// The (original, spun) texts of every spun pair [`scan`] finds in
/// `index` whose original it could tell (by the `model` of originals, else
/// by coverage): a content farm's spun copies of indexed articles, the
/// material to learn its spinner's table from. Pairs left undetermined are
/// counted, not returned.
pub fn spun_pairs_in(
    comparer: &Comparer,
    index: &Index,
    model: Option<&Model>,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<(Vec<(String, String)>, usize), Error> {
    let found = scan(comparer, index, model, &ScanOptions::default(), progress)?;
    let mut pairs = Vec::new();
    let mut undetermined = 0;
    for p in found {
        if p.oriented_by == Orientation::Undetermined {
            undetermined += 1;
            continue;
        }
        if let (Some(o), Some(s)) = (index.get(&p.source)?, index.get(&p.suspect)?) {
            pairs.push((o.text, s.text));
        }
    }
    Ok((pairs, undetermined))
}

/// The substitutions a spinner made in one (original, spun) pair, as
/// `(spun phrase, original phrase)`
/// (equally long phrases also word by word), found by the `compare` aligner: the
/// material of a learned spinner lexicon
/// ([`Learned::from_pairs`](crate::restoration::Learned::from_pairs)).
/// Insertions, deletions and format changes are left out.
pub fn learn_pair(comparer: &Comparer, original: &str, spun: &str) -> Vec<(String, String)> {
    let report = comparer.compare(original, spun);
    report
        .substitutions
        .into_iter()
        .filter(|s| {
            matches!(
                s.kind,
                SubstitutionKind::Synonym
                    | SubstitutionKind::BrokenTerm
                    | SubstitutionKind::FunctionWord
                    | SubstitutionKind::Rewrite
            ) && s.suspect.text.split_whitespace().count() <= 4
                && s.source.text.split_whitespace().count() <= 4
        })
        .flat_map(|s| {
            // Equally long phrases may be word-for-word swaps: learn each
            // word too (a context-free spinner mostly rewrites words).
            let (a, b): (Vec<&str>, Vec<&str>) = (
                s.suspect.text.split_whitespace().collect(),
                s.source.text.split_whitespace().collect(),
            );
            let mut out = vec![(s.suspect.text.clone(), s.source.text.clone())];
            if a.len() == b.len() && a.len() > 1 {
                out.extend(
                    a.iter()
                        .zip(&b)
                        .filter(|(x, y)| !x.eq_ignore_ascii_case(y))
                        .map(|(x, y)| (x.to_string(), y.to_string())),
                );
            }
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn learns_the_swaps() {
        let c = crate::Comparer::new();
        let o = "The domestic dog is a member of the genus Canis, which forms part of the wolf-like canids. It is the most widely abundant terrestrial carnivore on the planet today.";
        let s = "The residential puppy is an individual from the genus Canis, which forms part of the wolf-like canids. It is the most generally plentiful earthbound carnivore on the planet today.";
        let pairs = super::learn_pair(&c, o, s);
        assert!(pairs.iter().any(|(sp, or)| sp == "residential" && or == "domestic"), "{pairs:?}");
        assert!(pairs.iter().all(|(sp, or)| sp != or));
    }
}
