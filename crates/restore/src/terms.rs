//! Unknown tortured phrases: a run of words that a spinner could have
//! written for an established term of the tortured-phrase list, word for
//! word ("fake consciousness" for "artificial intelligence" when only
//! "counterfeit consciousness" is listed).
//!
//! Each word's candidates are the word itself, the words the list's
//! same-length pairs swapped it for and, with a language model, its
//! thesaurus originals with at most
//! [`unspin_lexicon::TERM_MAX_FAN_OUT`] replacements. A run becomes an edit
//! when its candidates spell an established term with at most one thesaurus
//! swap, it is not a term itself nor takes some words of a term the text
//! writes as it is ("component analysis" of "principal component
//! analysis") nor follows a subject pronoun ("we study data" begins with a
//! verb), and (with a model) some pair of
//! neighbours in it was never seen in the originals. Function words are
//! never swapped and never end a run. Longer runs, then runs with fewer
//! swapped words, win overlaps.

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;

use unspin_lexicon::TorturedList;
use unspin_lm::Model;
use unspin_text::{TokenKind, TokenizedText};

use crate::{Edit, Evidence, capitalized};

/// Confidence of an edit to an established term: below a known tortured
/// phrase (0.9), as the run itself is not listed.
const TERM_CONFIDENCE: f64 = 0.7;

/// Edits that restore unknown tortured forms of the established terms of
/// `list` in `toks` (see the module documentation). Without a model only
/// the list's own word swaps are tried.
pub fn term_edits_in(
    toks: &TokenizedText<'_>,
    list: &TorturedList,
    model: Option<&Model>,
) -> Vec<Edit> {
    term_edits_and_terms_in(toks, list, model).0
}

/// [`term_edits_in`], and the token ranges (start, end) of the established
/// terms the text writes as they are, the last word also in the plural
/// ("recurrent neural networks"), which it found on the way.
pub fn term_edits_and_terms_in(
    toks: &TokenizedText<'_>,
    list: &TorturedList,
    model: Option<&Model>,
) -> (Vec<Edit>, Vec<(usize, usize)>) {
    let words = toks.tokens();
    // Borrowed where a word is lowercase already (most are).
    let lower: Vec<Cow<'_, str>> =
        words.iter().map(|t| crate::decode::lowercase(toks.text(t))).collect();
    // A word that could stand for another: plain lowercase words that are
    // not function words.
    let swappable = |k: usize| {
        let t = &words[k];
        t.kind() == TokenKind::Word && !t.is_function_word() && !t.is_name_like()
    };
    // Per word type: the term words it could stand for (itself excluded),
    // each marked when only the thesauri (not the list) suggest it, and the
    // terms that start with it (`None`) or with one of them (`Some`, so
    // marked).
    type Cands<'l> = (Vec<(&'l str, bool)>, Vec<(Option<bool>, &'l [Vec<String>])>);
    let mut by_type: HashMap<&str, Cands<'_>> = HashMap::default();
    for k in (0..words.len()).filter(|&k| swappable(k)) {
        by_type.entry(&lower[k]).or_insert_with_key(|w| {
            let mut c: Vec<(&str, bool)> = list
                .swapped_for(w)
                .iter()
                .filter(|o| list.is_term_word(o))
                .map(|o| (o.as_str(), false))
                .collect();
            if model.is_some() {
                for o in list.thesaurus_term_words(w) {
                    if !c.iter().any(|(x, _)| *x == o) {
                        c.push((o, true));
                    }
                }
            }
            c.retain(|(o, _)| o != w);
            let starts = std::iter::once((None, *w))
                .chain(c.iter().map(|&(o, thesauri)| (Some(thesauri), o)))
                .map(|(how, f)| (how, list.terms_starting_with(f)))
                .filter(|t| !t.1.is_empty())
                .collect();
            (c, starts)
        });
    }
    let cands = |k: usize| -> &[(&str, bool)] {
        match by_type.get(&*lower[k]) {
            Some(c) if swappable(k) => &c.0,
            _ => &[],
        }
    };
    // The established terms the text writes as they are ("principal
    // component analysis", "recurrent neural networks"): their words are
    // that term's, so a run that takes some of them without the whole
    // term ("component analysis", "recurrent neural") is no tortured
    // phrase.
    let verbatim = verbatim_terms(toks, &lower, list);
    let splits_a_term = |i: usize, n: usize| {
        verbatim.iter().any(|&(a, b)| a < i + n && i < b && !(i <= a && b <= i + n))
    };
    let mut found: Vec<(usize, usize, usize, String)> = Vec::new();
    // A run right after a subject ("we study data") begins with its verb,
    // not a term.
    let after_subject =
        |i: usize| i > 0 && matches!(&*lower[i - 1], "i" | "we" | "you" | "he" | "she" | "they");
    for i in 0..words.len() {
        if !words[i].is_wordlike() || words[i].is_function_word() || after_subject(i) {
            continue;
        }
        let own;
        let starts: &[(Option<bool>, &[Vec<String>])] = match by_type.get(&*lower[i]) {
            Some(c) if swappable(i) => &c.1,
            _ => {
                own = [(None, list.terms_starting_with(&lower[i]))];
                &own
            }
        };
        for &(first, terms) in starts {
            for term in terms.iter() {
                let n = term.len();
                let Some(run) = words.get(i..i + n) else { continue };
                if !run.iter().all(|t| t.is_wordlike()) || run[n - 1].is_function_word() {
                    continue;
                }
                // The first word is the term's first or, as marked, one of
                // the words it could stand for.
                let (mut swaps, mut thesaurus) = match first {
                    None => (0, 0),
                    Some(from_thesauri) => (1, usize::from(from_thesauri)),
                };
                let fits = (1..n).all(|j| {
                    if lower[i + j] == term[j] {
                        return true;
                    }
                    swaps += 1;
                    match cands(i + j).iter().find(|c| c.0 == term[j]) {
                        Some(&(_, from_thesauri)) => {
                            thesaurus += usize::from(from_thesauri);
                            true
                        }
                        None => false,
                    }
                });
                if !fits
                    || swaps == 0
                    || thesaurus > 1
                    || list.is_term(&lower[i..i + n].join(" "))
                    || splits_a_term(i, n)
                {
                    continue;
                }
                let unseen = model.is_none_or(|m| {
                    run.windows(2).any(|p| {
                        m.ngram_count(&[Model::token_key(&p[0]), Model::token_key(&p[1])]) == 0
                    })
                });
                if unseen {
                    found.push((i, n, swaps, term.join(" ")));
                }
            }
        }
    }
    found.sort_by_key(|&(i, n, swaps, _)| (std::cmp::Reverse(n), swaps, i));
    let mut taken = vec![false; words.len()];
    let mut edits = Vec::new();
    for (i, n, _, term) in found {
        if taken[i..i + n].iter().any(|&t| t) {
            continue;
        }
        taken[i..i + n].iter_mut().for_each(|t| *t = true);
        edits.push(Edit {
            start: words[i].span().start(),
            end: words[i + n - 1].span().end(),
            restored: if words[i].is_capitalized() { capitalized(&term) } else { term },
            confidence: TERM_CONFIDENCE,
            evidence: Evidence::Lexicon,
        });
    }
    edits.sort_by_key(|e| e.start);
    (edits, verbatim)
}

/// The token ranges (start, end) of the established terms of `list` (of
/// two words or more) that `toks` writes as they are, the last word also in
/// the plural ("recurrent neural networks"): their words are no spinner's.
/// `lower` is each token in lowercase.
fn verbatim_terms(
    toks: &TokenizedText<'_>,
    lower: &[Cow<'_, str>],
    list: &TorturedList,
) -> Vec<(usize, usize)> {
    let words = toks.tokens();
    let mut out = Vec::new();
    for i in 0..words.len() {
        if !words[i].is_wordlike() {
            continue;
        }
        for term in list.terms_starting_with(&lower[i]) {
            let n = term.len();
            let Some(run) = lower.get(i..i + n).filter(|_| n >= 2) else { continue };
            let same = |(w, t): (&Cow<'_, str>, &String)| **w == **t;
            let last = n - 1;
            let written = words[i..i + n].iter().all(|t| t.is_wordlike())
                && run[..last].iter().zip(&term[..last]).all(same)
                && (run[last] == term[last]
                    || run[last].strip_suffix('s').is_some_and(|w| w == term[last]));
            if written {
                out.push((i, i + n));
            }
        }
    }
    out
}

/// How many established terms of `list` stand verbatim in `toks` (two to
/// four words each; overlapping ones count once each): a sign of a
/// scientific or technical text, where tortured phrases are looked for.
pub fn established_terms_in(toks: &TokenizedText<'_>, list: &TorturedList) -> usize {
    let words = toks.tokens();
    // Borrowed where a word is lowercase already (most are).
    let lower: Vec<Cow<'_, str>> =
        words.iter().map(|t| crate::decode::lowercase(toks.text(t))).collect();
    let mut count = 0;
    for i in 0..words.len() {
        if !words[i].is_wordlike() || list.terms_starting_with(&lower[i]).is_empty() {
            continue;
        }
        let starts_term = (2..=4).any(|n| {
            i + n <= words.len()
                && words[i..i + n].iter().all(|t| t.is_wordlike())
                && list.is_term(&lower[i..i + n].join(" "))
        });
        count += usize::from(starts_term);
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use unspin_lm::ModelBuilder;
    use unspin_text::Tokenizer;

    fn list() -> TorturedList {
        TorturedList::from_tsv(
            "tortured\texpected\nneural organization\tneural network\n\
             counterfeit consciousness\tartificial intelligence\n\
             profound learning\tdeep learning\n",
            |_| true,
        )
    }

    fn restored(text: &str, model: Option<&Model>) -> String {
        let tt = Tokenizer::default().tokenize(text);
        crate::apply(text, &term_edits_in(&tt, &list(), model)).text
    }

    #[test]
    fn a_run_inside_an_established_term_written_as_it_is_is_kept() {
        // The pair teaches "component" -> "factor"; "factor analysis" and
        // "principal component analysis" are established terms.
        let list = TorturedList::from_tsv(
            "tortured\texpected\ncomponent study\tfactor analysis\n\
             main component analysis\tprincipal component analysis\n",
            |_| true,
        );
        let restored = |text: &str| {
            let tt = Tokenizer::default().tokenize(text);
            crate::apply(text, &term_edits_in(&tt, &list, None)).text
        };
        assert_eq!(restored("We ran a component analysis."), "We ran a factor analysis.");
        // After a subject, the run's first word is a verb.
        let verb = "In this work we component analysis.";
        assert_eq!(restored(verb), verb);
        assert_eq!(restored("The component analysis."), "The factor analysis.");
        // "component analysis" here is part of the term the text writes.
        let whole = "We ran a principal component analysis.";
        assert_eq!(restored(whole), whole);
        let spans = term_edits_and_terms_in(&Tokenizer::default().tokenize(whole), &list, None).1;
        assert_eq!(spans, [(3, 6)], "the token range of its three words");
    }

    #[test]
    fn the_list_word_swaps_restore_an_unlisted_combination() {
        // "organization" -> "network" is taught by one pair, "neural" is
        // kept: "deep organization" is not listed, "deep network" is no term.
        assert_eq!(
            restored("A recurrent neural organization was trained.", None),
            "A recurrent neural network was trained."
        );
        assert_eq!(
            restored("The deep organization of the firm.", None),
            "The deep organization of the firm."
        );
    }

    #[test]
    fn thesaurus_swaps_need_a_model_and_an_unseen_pair() {
        let text = "We build fake consciousness for robots.";
        assert_eq!(restored(text, None), text, "no thesaurus swaps without a model");
        let mut b = ModelBuilder::new();
        b.add("Robots need artificial intelligence. We build robots.");
        let m = b.build();
        assert_eq!(restored(text, Some(&m)), "We build artificial intelligence for robots.");
        let mut seen = ModelBuilder::new();
        seen.add("fake consciousness is a phrase people use.");
        let m = seen.build();
        assert_eq!(restored(text, Some(&m)), text, "a pair seen in the originals stays");
    }

    #[test]
    fn established_terms_and_function_words_stay() {
        let mut b = ModelBuilder::new();
        b.add("Nothing here.");
        let m = b.build();
        let text = "Deep learning and artificial intelligence in the network.";
        assert_eq!(restored(text, Some(&m)), text);
        let r = restored("Profound organization of a network.", Some(&m));
        assert_eq!(r, "Profound organization of a network.");
    }
}
