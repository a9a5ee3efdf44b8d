//! The Problematic Paper Screener's tortured-phrase list (CC BY 4.0, see
//! `data/ATTRIBUTION.md`), parsed on first use.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::borrow::Cow;
use std::sync::OnceLock;

use crate::Lexicon;

/// A thesaurus original is weighed for an unknown tortured phrase only when
/// it has at most this many replacements: a spinner picking among more is
/// unlikely to have picked the word seen, and broad words match terms by
/// chance.
pub const TERM_MAX_FAN_OUT: usize = 400;

static TSV: &str = include_str!("../data/tortured_to_expected.tsv");

/// A tortured-phrase list read both ways, with what it teaches about
/// unknown tortured phrases: the established terms it restores to (the
/// expected column, two words or more) and the word-for-word swaps inside
/// its same-length pairs ("neural organization" -> "neural network" teaches
/// "organization" -> "network").
///
/// [`TorturedList::bundled`] is the whole bundled list;
/// [`TorturedList::from_tsv`] builds one from part of it, as evaluations do
/// to hold phrases out.
#[derive(Debug, Default)]
pub struct TorturedList {
    /// The rows kept (tortured, expected; trimmed, lowercase), in the
    /// list's order.
    rows: Vec<(String, String)>,
    /// Each tortured phrase's row (the last that lists it).
    forward: HashMap<String, u32>,
    max_words: usize,
    /// The first word of every tortured phrase.
    first_words: HashSet<String>,
    /// Every proper word prefix of every tortured phrase ("counterfeit"
    /// for "counterfeit consciousness").
    prefixes: HashSet<String>,
    /// What the list teaches beyond its phrases, read from `rows` on
    /// first use: a text with no known tortured phrase never asks.
    rest: OnceLock<Rest>,
}

/// [`TorturedList`]'s expected phrases read backwards, its established
/// terms and its word swaps.
#[derive(Debug, Default)]
struct Rest {
    reverse: HashMap<String, Vec<String>>,
    /// Established terms of two words or more, by their first word.
    terms: HashMap<String, Vec<Vec<String>>>,
    /// Every word of an established term, and its id (its place in
    /// `term_word_list`).
    term_words: HashMap<String, u32>,
    term_word_list: Vec<String>,
    /// The term words by thesaurus term id, and by the term id of their
    /// base form and the inflection ("training": "train", -ing); built on
    /// first use, from the list's words alone (no replacement lists read).
    term_ids: OnceLock<TermIds>,
    /// The whole terms, joined by spaces.
    term_set: HashSet<String>,
    /// Tortured word -> the words it stood for.
    swaps: HashMap<String, Vec<String>>,
}

/// [`TorturedList`]'s term words by thesaurus term id (each word's id in
/// `term_word_list`), and by their base forms' ids and inflections.
#[derive(Debug, Default)]
struct TermIds {
    by_id: HashMap<u32, u32>,
    by_base: HashMap<(u32, u8), Vec<u32>>,
}

/// The words of an expected phrase: lowercase, parenthesized remarks
/// ("region of interest (roi)") and question marks dropped.
pub fn term_words(expected: &str) -> Vec<String> {
    // Most phrases have nothing to drop: no need to copy them char by char.
    if !expected.contains(['(', ')', '?']) {
        return expected.split_whitespace().map(str::to_lowercase).collect();
    }
    let mut out = String::with_capacity(expected.len());
    let mut depth = 0usize;
    for c in expected.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            '?' => {}
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().map(str::to_lowercase).collect()
}

/// [`term_words`] of a phrase already in lowercase, borrowed from it
/// where nothing is dropped.
fn lower_words(lower: &str) -> Vec<Cow<'_, str>> {
    if lower.bytes().any(|b| matches!(b, b'(' | b')' | b'?')) {
        term_words(lower).into_iter().map(Cow::Owned).collect()
    } else {
        lower.split_whitespace().map(Cow::Borrowed).collect()
    }
}

/// The wording to write for an expected phrase of the list, if it is one:
/// parenthesized remarks and a trailing ", see ..." dropped, brackets'
/// words kept ("\[neural\] networks" -> "neural networks", "true positive
/// rate (tpr)" -> "true positive rate", "social influence, see https://..."
/// -> "social influence"). Some entries are notes rather than phrases: one
/// that names a single word gives it ("the word ‘are’ as in the conjugated
/// verb ‘be’" -> "are"), others none ("the words ‘an’ and ‘are’",
/// "meaning unclear"), nor does a reading the list is unsure of ("???",
/// "rythm pattern (?)"). Of alternatives ("head pain / headache"), the
/// first.
pub fn restored_text(expected: &str) -> Option<String> {
    // The list marks a reading it is unsure of with "?".
    if expected.contains('?') {
        return None;
    }
    let phrase = expected.split(", see ").next().unwrap_or(expected);
    // Of alternatives ("brain cancer / brain tumor"), the first.
    let phrase = phrase.split(" / ").next().unwrap_or(phrase);
    let kept: String = phrase.chars().filter(|c| !matches!(c, '[' | ']' | '"' | '\\')).collect();
    let words: Vec<String> =
        term_words(&kept).into_iter().filter(|w| w.chars().any(char::is_alphanumeric)).collect();
    let plain = words.join(" ");
    if plain.starts_with("the word ‘") {
        let word = named_words(&plain).first().copied()?;
        return (!word.is_empty() && !word.contains(' ')).then(|| word.to_string());
    }
    let note = plain.is_empty()
        || plain.contains('‘')
        || plain.contains("://")
        || plain.starts_with("meaning unclear");
    (!note).then_some(plain)
}

/// The words a note of the list names in quotes (‘an’, ‘are’), up to its
/// first remark in brackets or its ", see" ("the word ‘are’ as in the
/// conjugated verb ‘be’" names "are" and "be"); none for a phrase.
fn named_words(expected: &str) -> Vec<&str> {
    let note = expected.split(['(', '[']).next().unwrap_or(expected);
    let note = note.split(", see ").next().unwrap_or(note);
    note.split('‘').skip(1).filter_map(|s| s.split('’').next()).map(str::trim).collect()
}

/// Whether a row of the list only notes where its "tortured" phrase, a
/// real term, was misused ("neural network" -> "[neural network] layer
/// outputs", "machine learning" -> "discriminative learning (machine
/// learning)"): the phrase is in its own expected phrase, so it is no
/// tortured form to look for. Both lowercase.
pub fn notes_a_term(tortured: &str, expected: &str) -> bool {
    // Most rows share not even the first word's stem with their expected phrase.
    let first = tortured.split_whitespace().next();
    let stem = first.map_or("", |w| w.strip_suffix('s').unwrap_or(w));
    if tortured.contains('(') || stem.is_empty() || !expected.contains(stem) {
        return false;
    }
    let t: Vec<&str> = tortured.split_whitespace().collect();
    // A row whose expected phrase needs no cleaning notes a term only if
    // it holds every tortured word's stem.
    let plain_row = !expected.contains(['[', ']', '(', ')', '?'])
        && !expected.chars().chain(tortured.chars()).any(char::is_uppercase);
    if plain_row && t.iter().any(|w| !expected.contains(w.strip_suffix('s').unwrap_or(w))) {
        return false;
    }
    let plain: String = expected.chars().filter(|c| !matches!(c, '[' | ']' | '(' | ')')).collect();
    let dropped: String = expected.chars().filter(|c| !matches!(c, '[' | ']')).collect();
    let dropped = term_words(&dropped).join(" ");
    [plain.to_lowercase(), dropped].iter().any(|e| {
        let e: Vec<&str> = e.split_whitespace().collect();
        let same = |a: &str, b: &str| {
            a == b || a.strip_suffix('s') == Some(b) || b.strip_suffix('s') == Some(a)
        };
        !t.is_empty() && e.windows(t.len()).any(|w| w.iter().zip(&t).all(|(a, b)| same(a, b)))
    })
}

impl TorturedList {
    /// The whole bundled list, parsed once.
    pub fn bundled() -> &'static TorturedList {
        static LIST: OnceLock<TorturedList> = OnceLock::new();
        LIST.get_or_init(|| TorturedList::from_tsv(TSV, |_| true))
    }

    /// The bundled list's text (tab-separated `tortured`, `expected`, with a
    /// header line).
    pub fn bundled_tsv() -> &'static str {
        TSV
    }

    /// A list from tab-separated `tortured`, `expected` lines after a header,
    /// keeping the rows (numbered from 0 after the header) for which `keep`
    /// is true. Lines without a tab or with an empty side are skipped.
    pub fn from_tsv(tsv: &str, keep: impl Fn(usize) -> bool) -> TorturedList {
        let mut t = TorturedList::default();
        for (k, line) in tsv.lines().skip(1).enumerate() {
            if !keep(k) {
                continue;
            }
            let Some((tortured, expected)) = line.split_once('\t') else { continue };
            let expected = expected.split('\t').next().unwrap_or(expected);
            let (tortured, expected) =
                (tortured.trim().to_lowercase(), expected.trim().to_lowercase());
            if tortured.is_empty() || expected.is_empty() || notes_a_term(&tortured, &expected) {
                continue;
            }
            t.max_words = t.max_words.max(tortured.split(' ').count());
            if let Some(first) = tortured.split(' ').next()
                && !t.first_words.contains(first)
            {
                t.first_words.insert(first.to_string());
            }
            for (at, _) in tortured.match_indices(' ') {
                if !t.prefixes.contains(&tortured[..at]) {
                    t.prefixes.insert(tortured[..at].to_string());
                }
            }
            t.forward.insert(tortured.clone(), t.rows.len() as u32);
            t.rows.push((tortured, expected));
        }
        t
    }

    /// What the list teaches beyond its phrases (built once, from its rows
    /// in order).
    fn rest(&self) -> &Rest {
        self.rest.get_or_init(|| {
            let mut t = Rest::default();
            for (tortured, expected) in &self.rows {
                // Both sides are lowercase already: their words are slices
                // of them unless remarks are dropped.
                let (tw, ew) = (lower_words(tortured), lower_words(expected));
                let joined = (ew.len() >= 2).then(|| ew.join(" "));
                if let Some(joined) = joined.filter(|j| !t.term_set.contains(j)) {
                    t.term_set.insert(joined);
                    for w in &ew {
                        if !t.term_words.contains_key(&**w) {
                            t.term_words.insert(w.to_string(), t.term_word_list.len() as u32);
                            t.term_word_list.push(w.to_string());
                        }
                    }
                    let owned: Vec<String> = ew.iter().map(|w| w.to_string()).collect();
                    t.terms.entry(owned[0].clone()).or_default().push(owned);
                }
                if tw.len() == ew.len() {
                    for (a, b) in tw.iter().zip(&ew) {
                        let to = match t.swaps.get_mut(&**a) {
                            Some(to) => to,
                            None => t.swaps.entry(a.to_string()).or_default(),
                        };
                        if a != b && !to.iter().any(|w| w == b) {
                            to.push(b.to_string());
                        }
                    }
                }
                match t.reverse.get_mut(expected) {
                    Some(sources) => sources.push(tortured.clone()),
                    None => {
                        t.reverse.insert(expected.clone(), vec![tortured.clone()]);
                    }
                }
            }
            t.swaps.retain(|_, v| !v.is_empty());
            t
        })
    }

    /// The expected phrase for a known tortured phrase (lowercase).
    pub fn expected(&self, phrase: &str) -> Option<&str> {
        let row = self.rows.get(*self.forward.get(phrase)? as usize)?;
        Some(row.1.as_str())
    }

    /// The wording to write for a known tortured phrase whose expected
    /// phrase is `expected`, before the word `next` (lowercase, if any):
    /// [`restored_text`], after following the list from an expected
    /// phrase that is itself a listed paraphrase of a function word
    /// ("vicinity unit" -> "area unit" -> "are"); where the list's note
    /// names two words, the one that fits before `next` (of ‘an’ and ‘are’,
    /// "an" before a vowel, "are" before any other letter: "associate in
    /// nursing example" -> "an example", "results associate in nursing
    /// shown" -> "results are shown"). `None` where the list gives no
    /// wording.
    pub fn wording(&self, expected: &str, next: Option<&str>) -> Option<String> {
        let mut expected = expected;
        // A chain is a few rows long at most; the bound guards a cycle.
        for _ in 0..4 {
            match self.expected(&expected.to_lowercase()) {
                Some(further) if !named_words(further).is_empty() => expected = further,
                _ => break,
            }
        }
        if let Some(text) = restored_text(expected) {
            return Some(text);
        }
        let named = named_words(expected);
        let first = next?.chars().next()?;
        if !first.is_alphabetic() || named.len() != 2 {
            return None;
        }
        let vowel = "aeiou".contains(first.to_ascii_lowercase());
        let fits = |w: &&&str| match **w {
            "an" => vowel,
            "are" => !vowel,
            _ => false,
        };
        let mut fitting = named.iter().filter(fits);
        match (fitting.next(), fitting.next()) {
            (Some(w), None) => Some((*w).to_string()),
            _ => None,
        }
    }

    /// The known tortured forms of an expected phrase (lowercase).
    pub fn sources(&self, expected: &str) -> &[String] {
        self.rest().reverse.get(expected).map_or(&[], Vec::as_slice)
    }

    /// Whether some known tortured phrase starts with this lowercase word
    /// (a cheap test before building phrases).
    pub fn starts_with(&self, word: &str) -> bool {
        self.first_words.contains(word)
    }

    /// Whether some known tortured phrase is longer than these lowercase
    /// words and starts with them (a phrase is read on only while one
    /// does).
    pub fn continues(&self, words: &str) -> bool {
        self.prefixes.contains(words)
    }

    /// The longest tortured phrase, in words.
    pub fn max_words(&self) -> usize {
        self.max_words
    }

    /// The established terms (two words or more, lowercase) that start with
    /// this lowercase word.
    pub fn terms_starting_with(&self, word: &str) -> &[Vec<String>] {
        self.rest().terms.get(word).map_or(&[], Vec::as_slice)
    }

    /// Whether this lowercase word is part of some established term.
    pub fn is_term_word(&self, word: &str) -> bool {
        self.rest().term_words.contains_key(word)
    }

    /// The term words that `word` (lowercase) could stand for by the
    /// thesauri: those with at most [`TERM_MAX_FAN_OUT`] replacements, one
    /// of which is `word`, and inflected term words whose base form has at
    /// most that many, one of which is `word` in the same inflection
    /// ("coaching" for "training"). Found from `word`'s side: the terms it
    /// could have replaced, each kept if it is a term word with few
    /// replacements (the list's own side would read the replacement lists
    /// of all its words, tens of milliseconds, before the first answer).
    pub fn thesaurus_term_words(&self, word: &str) -> impl Iterator<Item = &str> {
        let lex = Lexicon::global();
        let ids = self.term_ids();
        let mut direct: Vec<u32> = lex
            .term_id(word)
            .into_iter()
            .flat_map(|id| lex.original_ids(id))
            .filter_map(|w| ids.by_id.get(&w.as_u32()).map(|&k| (w, k)))
            .filter(|&(w, _)| lex.fan_out_of(w) <= TERM_MAX_FAN_OUT)
            .map(|(_, k)| k)
            .collect();
        direct.sort_unstable();
        direct
            .into_iter()
            .chain(self.inflected_term_words(word))
            .filter_map(|k| self.rest().term_word_list.get(k as usize).map(String::as_str))
    }

    /// The term words by thesaurus term id and by base form (built once).
    fn term_ids(&self) -> &TermIds {
        let rest = self.rest();
        rest.term_ids.get_or_init(|| {
            let lex = Lexicon::global();
            let mut ids = TermIds::default();
            for (k, w) in rest.term_word_list.iter().enumerate() {
                if let Some(id) = lex.term_id(w) {
                    ids.by_id.insert(id.as_u32(), k as u32);
                }
                for (base, how) in lex.inflected_terms(w) {
                    ids.by_base.entry((base.as_u32(), how as u8)).or_default().push(k as u32);
                }
            }
            ids
        })
    }

    /// The inflected term words that `word` could stand for: its base
    /// form is a replacement of theirs (which has at most
    /// [`TERM_MAX_FAN_OUT`]), in the same inflection. In the order of
    /// `word`'s base forms, each one's term words in the list's order.
    fn inflected_term_words(&self, word: &str) -> Vec<u32> {
        let lex = Lexicon::global();
        let ids = self.term_ids();
        let mut out = Vec::new();
        for (base, how) in lex.inflected_terms(word) {
            let mut found: Vec<u32> = lex
                .original_ids(base)
                .filter_map(|o| ids.by_base.get(&(o.as_u32(), how as u8)).map(|ks| (o, ks)))
                .filter(|&(o, _)| lex.fan_out_of(o) <= TERM_MAX_FAN_OUT)
                .flat_map(|(_, ks)| ks.iter().copied())
                .collect();
            found.sort_unstable();
            found.dedup();
            for k in found {
                if !out.contains(&k) {
                    out.push(k);
                }
            }
        }
        out
    }

    /// Whether these lowercase words, joined by spaces, are an established
    /// term.
    pub fn is_term(&self, words: &str) -> bool {
        self.rest().term_set.contains(words)
    }

    /// The words a lowercase word stood for in the list's same-length pairs
    /// ("organization" -> "network").
    pub fn swapped_for(&self, word: &str) -> &[String] {
        self.rest().swaps.get(word).map_or(&[], Vec::as_slice)
    }

    /// How many established terms the list holds.
    pub fn term_count(&self) -> usize {
        self.rest().term_set.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_and_word_swaps_are_learned_from_the_pairs() {
        let tsv = "tortured\texpected\nneural organization\tneural network\n\
                   place of interest\tregion of interest (roi)\nmalignant growth\tcancer\n\
                   bad line\n";
        let t = TorturedList::from_tsv(tsv, |_| true);
        assert_eq!(t.expected("neural organization"), Some("neural network"));
        assert_eq!(t.sources("cancer"), ["malignant growth".to_string()]);
        assert!(t.is_term("region of interest"));
        assert!(t.is_term("neural network"));
        assert!(!t.is_term("cancer"), "single words are not terms");
        assert_eq!(t.terms_starting_with("region").len(), 1);
        assert_eq!(t.swapped_for("organization"), ["network".to_string()]);
        assert_eq!(t.swapped_for("place"), ["region".to_string()]);
        assert!(t.swapped_for("neural").is_empty(), "unchanged words teach nothing");
        assert_eq!(t.max_words(), 3);
        let held = TorturedList::from_tsv(tsv, |k| k != 0);
        assert_eq!(held.expected("neural organization"), None);
        assert!(!held.is_term("neural network"));
    }

    #[test]
    fn an_inflected_term_word_is_reached_through_its_base_form() {
        let lex = Lexicon::global();
        let t =
            TorturedList::from_tsv("tortured\texpected\ncoaching set\ttraining set\n", |_| true);
        let reps = lex.replacements("train");
        assert!(!reps.is_empty() && reps.len() <= TERM_MAX_FAN_OUT, "{}", reps.len());
        // Every replacement of "train" in the "-ing" form stands for "training".
        for r in reps.into_iter().filter(|r| r.bytes().all(|b| b.is_ascii_lowercase())) {
            let form = crate::inflect(r, crate::Inflection::Ing).remove(0);
            if form == "training" {
                continue;
            }
            let words: Vec<&str> = t.thesaurus_term_words(&form).collect();
            assert!(words.contains(&"training"), "{form}: {words:?}");
        }
        assert!(t.thesaurus_term_words("coaching").any(|w| w == "training"));
    }

    #[test]
    fn a_note_gives_the_wording_that_fits_and_a_chain_of_rows_is_followed() {
        let tsv = "tortured\texpected\n\
                   area unit\tthe word ‘are’ as in the conjugated verb ‘be’, see https://x.org/1\n\
                   associate in nursing\tthe words ‘an’ and ‘are’ (see https://x.org/2)\n\
                   vicinity unit\tarea unit\n\
                   companion in nursing\tassociate in nursing\n\
                   discourse signal\tspeech signal\n\
                   speech signal\tfundamental frequency\n\
                   bad row\t???\n";
        let t = TorturedList::from_tsv(tsv, |_| true);
        let wording =
            |phrase: &str, next: Option<&str>| t.wording(t.expected(phrase).expect("listed"), next);
        assert_eq!(wording("area unit", None).as_deref(), Some("are"));
        assert_eq!(wording("vicinity unit", Some("low")).as_deref(), Some("are"));
        assert_eq!(wording("associate in nursing", Some("example")).as_deref(), Some("an"));
        assert_eq!(wording("associate in nursing", Some("shown")).as_deref(), Some("are"));
        assert_eq!(wording("companion in nursing", Some("idea")).as_deref(), Some("an"));
        assert_eq!(wording("associate in nursing", Some("2")), None);
        assert_eq!(wording("associate in nursing", None), None);
        // A chain is followed only to a note of a function word: "speech
        // signal" is a term of its own.
        assert_eq!(wording("discourse signal", None).as_deref(), Some("speech signal"));
        assert_eq!(wording("bad row", Some("x")), None);
    }

    #[test]
    fn a_row_noting_a_real_term_is_no_tortured_phrase_and_notes_restore_no_text() {
        let tsv = "tortured\texpected\nneural network\t[neural network] layer outputs\n\
                   mutual information\tmutual information (mi)\n\
                   machine learning\tdiscriminative learning (machine learning)\n\
                   smart device\tsmart devices\n\
                   polyethylene glycol (stake)\tpolyethylene glycol (peg)\n\
                   area unit\tthe word ‘are’ as in the conjugated verb ‘be’, see https://x.org/1\n\
                   associate in nursing\tthe words ‘an’ and ‘are’ (see https://x.org/2)\n\
                   neural organization\tneural network\n";
        let t = TorturedList::from_tsv(tsv, |_| true);
        for real in ["neural network", "mutual information", "machine learning", "smart device"] {
            assert_eq!(t.expected(real), None, "{real}");
        }
        assert!(
            t.expected("polyethylene glycol (stake)").is_some(),
            "its tortured part is (stake)"
        );
        assert!(t.expected("neural organization").is_some());
        assert!(t.expected("area unit").is_some());
        assert_eq!(
            restored_text("true positive rate (tpr)").as_deref(),
            Some("true positive rate")
        );
        assert_eq!(
            restored_text("deep [neural] networks").as_deref(),
            Some("deep neural networks")
        );
        assert_eq!(
            restored_text("extracting [...] features").as_deref(),
            Some("extracting features")
        );
        assert_eq!(restored_text(t.expected("area unit").expect("kept")).as_deref(), Some("are"));
        let nursing = t.expected("associate in nursing").expect("kept");
        assert_eq!(restored_text(nursing), None, "two words named: no one wording");
        assert_eq!(restored_text("http requests").as_deref(), Some("http requests"));
        let see = "social influence, see https://en.wikipedia.org/wiki/x";
        assert_eq!(restored_text(see).as_deref(), Some("social influence"));
        let nist = "computing resources (see nist https://bit.ly/x)";
        assert_eq!(restored_text(nist).as_deref(), Some("computing resources"));
        assert_eq!(restored_text("meaning unclear, see https://pubpeer.com/x"), None);
        assert_eq!(restored_text("???"), None);
        assert_eq!(restored_text("rythm pattern (?)"), None);
        assert_eq!(restored_text("head pain / headache").as_deref(), Some("head pain"));
    }

    #[test]
    fn the_bundled_list_parses() {
        let t = TorturedList::bundled();
        assert_eq!(t.expected("counterfeit consciousness"), Some("artificial intelligence"));
        assert!(t.term_count() > 1000, "{}", t.term_count());
    }
}

#[cfg(test)]
mod notes_tests {
    use super::*;

    /// `notes_a_term` as it was before its rejection of rows missing a
    /// word's stem: the windows of the expected phrase's words compared
    /// with the tortured words, after a test of the first word alone.
    fn notes_slowly(tortured: &str, expected: &str) -> bool {
        let t: Vec<&str> = tortured.split_whitespace().collect();
        let stem = t.first().map_or("", |w| w.strip_suffix('s').unwrap_or(w));
        if tortured.contains('(') || stem.is_empty() || !expected.contains(stem) {
            return false;
        }
        let plain: String =
            expected.chars().filter(|c| !matches!(c, '[' | ']' | '(' | ')')).collect();
        let dropped: String = expected.chars().filter(|c| !matches!(c, '[' | ']')).collect();
        let dropped = term_words(&dropped).join(" ");
        let same = |a: &str, b: &str| {
            a == b || a.strip_suffix('s') == Some(b) || b.strip_suffix('s') == Some(a)
        };
        [plain.to_lowercase(), dropped].iter().any(|e| {
            let e: Vec<&str> = e.split_whitespace().collect();
            e.windows(t.len()).any(|w| w.iter().zip(&t).all(|(a, b)| same(a, b)))
        })
    }

    #[test]
    fn every_bundled_row_is_read_as_before_the_stem_rejection() {
        for line in TSV.lines().skip(1) {
            let Some((a, b)) = line.split_once('\t') else { continue };
            let (a, b) = (a.trim().to_lowercase(), b.trim().to_lowercase());
            assert_eq!(notes_a_term(&a, &b), notes_slowly(&a, &b), "{a} / {b}");
        }
    }

    #[test]
    fn a_word_found_only_after_cleaning_is_not_rejected() {
        // Each is a note of the term, and its second word is in the
        // expected phrase only once a mark is dropped or the case lowered.
        for (tortured, expected) in [("a bb", "a b?b"), ("a bb", "a b[b]"), ("a b", "a B")] {
            assert!(notes_slowly(tortured, expected), "{tortured} / {expected}");
            assert!(notes_a_term(tortured, expected), "{tortured} / {expected}");
        }
    }

    proptest::proptest! {
        /// The rejection of rows missing a word's stem never changes the
        /// answer, brackets, question marks, capitals and plurals included.
        #[test]
        fn the_stem_rejection_changes_nothing(
            tortured in "[abAs ]{1,9}",
            expected in "[abAs ()?\\[\\]]{0,14}",
        ) {
            proptest::prop_assert_eq!(
                notes_a_term(&tortured, &expected),
                notes_slowly(&tortured, &expected)
            );
        }
    }
}

#[cfg(test)]
mod term_word_tests {
    use super::*;
    use crate::TermId;

    /// The thesaurus replacements of the term `id` (itself left out), if there
    /// are at most [`TERM_MAX_FAN_OUT`]; none otherwise.
    fn few_replacements(lex: &Lexicon, id: TermId) -> Vec<TermId> {
        let replacements: Vec<TermId> = lex
            .neighbors(id)
            .filter(|(r, rel)| rel.is_forward() && *r != id)
            .map(|(r, _)| r)
            .collect();
        if replacements.len() > TERM_MAX_FAN_OUT { Vec::new() } else { replacements }
    }

    /// [`TorturedList::thesaurus_term_words`] as it was built from the
    /// list's side: every term word's few replacements, and its base
    /// forms' few replacements per inflection, read into sorted tables.
    fn term_words_from_the_list(t: &TorturedList, word: &str) -> Vec<String> {
        let lex = Lexicon::global();
        let mut pairs = Vec::new();
        let mut inflected = Vec::new();
        for (k, w) in t.rest().term_word_list.iter().enumerate() {
            if let Some(id) = lex.term_id(w) {
                for r in few_replacements(lex, id) {
                    pairs.push((r.as_u32(), k as u32));
                }
            }
            for (base, how) in lex.inflected_terms(w) {
                for r in few_replacements(lex, base) {
                    inflected.push((r.as_u32(), how as u8, k as u32));
                }
            }
        }
        pairs.sort_unstable();
        inflected.sort_unstable();
        inflected.dedup();
        let id = lex.term_id(word).map(|id| id.as_u32());
        let mut out: Vec<u32> = pairs.iter().filter(|p| Some(p.0) == id).map(|p| p.1).collect();
        let mut more = Vec::new();
        for (base, how) in lex.inflected_terms(word) {
            for p in inflected.iter().filter(|p| (p.0, p.1) == (base.as_u32(), how as u8)) {
                if !more.contains(&p.2) {
                    more.push(p.2);
                }
            }
        }
        out.extend(more);
        out.into_iter().map(|k| t.rest().term_word_list[k as usize].clone()).collect()
    }

    /// Reading known phrases builds nothing of what the list teaches
    /// beyond them; asking for a term builds it once.
    #[test]
    fn the_rest_is_built_on_first_use() {
        let tsv = "tortured\texpected\ncounterfeit consciousness\tartificial intelligence\n";
        let t = TorturedList::from_tsv(tsv, |_| true);
        assert!(t.starts_with("counterfeit") && t.continues("counterfeit"));
        assert_eq!(t.expected("counterfeit consciousness"), Some("artificial intelligence"));
        assert_eq!(t.max_words(), 2);
        assert!(t.rest.get().is_none());
        assert!(t.is_term("artificial intelligence"));
        assert!(t.rest.get().is_some());
        assert_eq!(t.sources("artificial intelligence"), ["counterfeit consciousness"]);
    }

    #[test]
    fn term_words_found_from_the_word_are_those_the_list_gives() {
        let lex = Lexicon::global();
        let t = TorturedList::from_tsv(
            "tortured\texpected\ncoaching set\ttraining set\nprofound learning\tdeep learning\n\
             irregular woodland\trandom forest\nblunder rate\terror rate\n",
            |_| true,
        );
        let mut asked = 0;
        for w in &t.rest().term_word_list {
            let Some(id) = lex.term_id(w) else { continue };
            for r in lex.neighbors(id).map(|(r, _)| lex.term(r)).take(60) {
                let forms = [r.to_string(), crate::inflect(r, crate::Inflection::Ing).remove(0)];
                for form in forms {
                    let lazy: Vec<&str> = t.thesaurus_term_words(&form).collect();
                    assert_eq!(lazy, term_words_from_the_list(&t, &form), "{form}");
                    asked += usize::from(!lazy.is_empty());
                }
            }
        }
        assert!(asked > 50, "{asked}");
    }
}
