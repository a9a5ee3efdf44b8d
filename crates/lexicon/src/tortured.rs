//! The Problematic Paper Screener's tortured-phrase list (CC BY 4.0, see
//! `data/ATTRIBUTION.md`), parsed on first use.

use std::collections::{HashMap, HashSet};

static TSV: &str = include_str!("../data/tortured_to_expected.tsv");

#[derive(Debug, Default)]
pub(crate) struct Tortured {
    pub(crate) forward: HashMap<String, String>,
    pub(crate) reverse: HashMap<String, Vec<String>>,
    pub(crate) max_words: usize,
    /// The first word of every tortured phrase.
    pub(crate) first_words: HashSet<String>,
}

impl Tortured {
    pub(crate) fn load() -> Tortured {
        let mut t = Tortured::default();
        for line in TSV.lines().skip(1) {
            let Some((tortured, expected)) = line.split_once('\t') else { continue };
            let (tortured, expected) =
                (tortured.trim().to_lowercase(), expected.trim().to_lowercase());
            if tortured.is_empty() || expected.is_empty() {
                continue;
            }
            t.max_words = t.max_words.max(tortured.split(' ').count());
            if let Some(first) = tortured.split(' ').next() {
                t.first_words.insert(first.to_string());
            }
            t.reverse.entry(expected.clone()).or_default().push(tortured.clone());
            t.forward.insert(tortured, expected);
        }
        t
    }
}
