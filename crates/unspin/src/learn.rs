use rayon::prelude::*;
use unspin_index::{Error, Index};
use unspin_lm::Model;
use unspin_restore::Learned;

use crate::{Comparer, Orientation, Restorer, ScanOptions, SubstitutionKind, scan};

/// A spinner's table learned from `(original, spun)` pairs, on all cores:
/// each pair's substitutions ([`learn_pair`]), counted, and the words of
/// the originals counted too (what `unspin learn` writes).
pub fn learn_table(comparer: &Comparer, pairs: &[(String, String)]) -> Learned {
    table_of(&substitutions(comparer, pairs), pairs.iter().map(|(o, _)| o.as_str()))
}

/// Every (spun, original) substitution of `(original, spun)` pairs
/// ([`learn_pair`]), on all cores, in the pairs' order.
fn substitutions(comparer: &Comparer, pairs: &[(String, String)]) -> Vec<(String, String)> {
    pairs.par_iter().flat_map_iter(|(o, s)| learn_pair(comparer, o, s)).collect()
}

/// The table of counted substitutions, with the words of `originals`.
fn table_of<'t>(
    substitutions: &[(String, String)],
    originals: impl IntoIterator<Item = &'t str>,
) -> Learned {
    Learned::from_pairs(substitutions.iter().map(|(s, o)| (s.as_str(), o.as_str())))
        .count_originals(originals)
}

/// The least confidence of a restoration's edit that `unspin learn
/// --spun` learns from by default ([`learn_spun`], [`restored_pairs`]):
/// edits more likely right than wrong (the decoder's confidences are
/// calibrated). On 200 synthetic
/// spins by one fixed-dictionary spinner, restored with the table learned
/// from the restorations of 1,000 texts by it (`unspin-eval farm`): undone
/// 0.5689 and damage 1.28 % when learning from every edit, 0.5826 and
/// 0.76 % at 0.5.
pub const LEARN_MIN_CONFIDENCE: f64 = 0.5;

/// (restoration, text) pairs of spun texts whose originals nobody has:
/// each text restored by `restorer` (with a language model), on all cores,
/// with only its edits at least `min_confidence` confident
/// ([`LEARN_MIN_CONFIDENCE`] is the default of `unspin learn --spun`):
/// a doubtful edit learned as a spinner's swap is made again wherever
/// the word occurs. Learned from as found pairs are, they teach the table
/// of a spinner that wrote all the texts (a content farm's): its swaps
/// restored with confidence in one text are the same in the others. Texts
/// by different spinners teach nothing that holds across them.
pub fn restored_pairs(
    restorer: &Restorer<'_>,
    texts: &[String],
    min_confidence: f64,
) -> Result<Vec<(String, String)>, Error> {
    let restorer = restorer.clone().min_confidence(min_confidence);
    texts.par_iter().map(|t| Ok((restorer.restore(t)?.text, t.clone()))).collect()
}

/// Rounds of [`learn_spun`] in `unspin learn --spun` by default.
pub const LEARN_ROUNDS: usize = 2;

/// A spinner's table learned from the (original, spun) pairs `found` and
/// from spun texts alone (`unspin learn --spun`): each round restores the
/// texts (with `restorer`, and the table so far: at first the one the
/// found pairs teach), keeps the edits at least `min_confidence`
/// confident ([`restored_pairs`]), and learns anew from the found pairs
/// and the restorations. A second round restores more with the first
/// round's table (`unspin-eval farm`: 0.5945 -> 0.6085 of the word errors
/// of 200 texts undone, learning from 1,000); a third adds little. At
/// least one round is run (`rounds` 0 runs one).
pub fn learn_spun(
    comparer: &Comparer,
    restorer: &Restorer<'_>,
    found: &[(String, String)],
    texts: &[String],
    rounds: usize,
    min_confidence: f64,
) -> Result<Learned, Error> {
    let mut tables = learn_spun_rounds(comparer, restorer, found, texts, rounds, min_confidence)?;
    Ok(tables.pop().unwrap_or_default())
}

/// [`learn_spun`]'s table after each round, in order (at least one).
pub fn learn_spun_rounds(
    comparer: &Comparer,
    restorer: &Restorer<'_>,
    found: &[(String, String)],
    texts: &[String],
    rounds: usize,
    min_confidence: f64,
) -> Result<Vec<Learned>, Error> {
    // The found pairs are aligned once; each round aligns only its
    // restorations.
    let mut subs = substitutions(comparer, found);
    let from_found = subs.len();
    let from_pairs = table_of(&subs, found.iter().map(|(o, _)| o.as_str()));
    let mut tables: Vec<Learned> = Vec::with_capacity(rounds.max(1));
    for _ in 0..rounds.max(1) {
        let table = tables.last().unwrap_or(&from_pairs);
        let with = restorer.clone().learned((!table.is_empty()).then_some(table));
        let restored = restored_pairs(&with, texts, min_confidence)?;
        subs.truncate(from_found);
        subs.extend(substitutions(comparer, &restored));
        let originals = found.iter().chain(&restored).map(|(o, _)| o.as_str());
        tables.push(table_of(&subs, originals));
    }
    Ok(tables)
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

    #[test]
    fn spun_texts_teach_only_their_confident_restorations() {
        let mut b = unspin_lm::ModelBuilder::new();
        for _ in 0..30 {
            b.add("Firms take advantage of the new rules.");
            b.add("He said that the talks were going well.");
        }
        let model = b.build();
        let restorer = crate::Restorer::new().model(Some(&model));
        let texts = vec!["Firms take fill the bill of the new rules.".to_string(); 3];
        let c = crate::Comparer::new();
        let learned =
            |min: f64| super::learn_spun(&c, &restorer, &[], &texts, 1, min).expect("no index");
        let confidence = restorer.restore(&texts[0]).expect("no index").edits[0].confidence;
        let taught = learned(confidence);
        assert!(taught.originals("fill the bill").iter().any(|(o, _)| *o == "advantage"));
        assert!(learned(confidence + 1e-6).is_empty(), "a less confident edit teaches nothing");
        // Each round's table, the last as `learn_spun` gives it; at least one.
        let rounds = |n: usize| {
            super::learn_spun_rounds(&c, &restorer, &[], &texts, n, 0.0).expect("no index")
        };
        let three = rounds(3);
        assert_eq!(three.len(), 3);
        for (n, table) in (1..).zip(&three) {
            assert_eq!(*table, super::learn_spun(&c, &restorer, &[], &texts, n, 0.0).expect("ok"));
        }
        assert_eq!(rounds(0).len(), 1);
    }
}
