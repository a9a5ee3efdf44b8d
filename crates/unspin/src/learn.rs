use crate::{Comparer, SubstitutionKind};

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
