use serde::{Deserialize, Serialize};
use unspin_index::{Error, Index};
use unspin_lexicon::Lexicon;
use unspin_lm::Model;
use unspin_restore::{
    AppliedEdit, Decoder, Edit, Evidence, Learned, Spelling, acronym, apply, article_edits,
    established_terms_in, lowercase, number_word_edits_in, term_edits_in, tortured_edits_in,
};
use unspin_text::Tokenizer;

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

/// Known tortured phrases (one at least) and established terms a text
/// needs, in all and per 1,000 words, before unknown tortured phrases are
/// looked for in it.
const TECHNICAL_MIN: usize = 3;
const TECHNICAL_PER_1000: usize = 5;

/// Restores the original wording of spun texts. Built with the optional
/// helps it can use; immutable, `Send + Sync`.
///
/// * With an index, the best source `check` finds supplies its wording
///   wherever passages align (`evidence: "source"`).
/// * A learned spinner lexicon (`unspin learn`) restores the phrases it
///   knows (`learned`) and weighs its single words in the decoder.
/// * Known tortured phrases are restored from the bundled list (`lexicon`),
///   unknown ones to the list's established terms their words could stand
///   for ([`term_edits_in`], `lexicon`; in technical texts holding a known
///   one), and lone digits in running text to number words (`lexicon`: "2
///   men" -> "two men"; news style spells out one to nine).
/// * With a language model, the noisy-channel [`Decoder`] restores the rest
///   (`lm`); without one, only the above is done and `method` says so.
/// * "a" and "an" before a restored word are made to agree with it
///   ([`article_edits`]).
/// * With [`Restorer::min_confidence`], only edits at least that confident
///   are made (a decoder edit's confidence is calibrated: the chance it
///   restores the original).
#[derive(Clone, Debug, Default)]
pub struct Restorer<'a> {
    index: Option<&'a Index>,
    model: Option<&'a Model>,
    learned: Option<&'a Learned>,
    decoder: Option<Decoder<'a>>,
    min_confidence: f64,
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

    /// A decoder with settings of its own (on its own model), in place of
    /// the default decoder on [`Restorer::model`].
    pub fn decoder(mut self, decoder: Decoder<'a>) -> Restorer<'a> {
        self.decoder = Some(decoder);
        self
    }

    /// Make only edits whose confidence is at least `p` (0 by default:
    /// every edit): a higher bar restores fewer words and changes fewer
    /// the spinner left alone. An edit left out does not hold back another
    /// layer's edit of the same words.
    pub fn min_confidence(mut self, p: f64) -> Restorer<'a> {
        self.min_confidence = p;
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
        // inside aligned passages the source's wording stands.
        let mut blocked =
            Blocked::new(aligned.into_iter().chain(edits.iter().map(|e| (e.start, e.end))));
        let min = self.min_confidence;
        let mut add = |more: Vec<Edit>, edits: &mut Vec<Edit>| {
            for e in more {
                if e.confidence >= min && blocked.insert(e.start, e.end) {
                    edits.push(e);
                }
            }
        };
        let tt = Tokenizer::default().tokenize(suspect);
        let model = self.decoder.as_ref().map(Decoder::model).or(self.model);
        if let Some(learned) = self.learned {
            add(learned.phrase_edits_in(&tt, model), &mut edits);
        }
        let tortured = tortured_edits_in(&tt);
        // Unknown tortured phrases are looked for only in texts that hold a
        // known one and are technical (outside them, the terms they restore
        // to are jargon): known tortured phrases and established terms, 3
        // or more and at least 5 per 1,000 words.
        // Terms are counted only when a known phrase makes it worth it.
        let list = Lexicon::global().tortured_list();
        let technical = |known: usize| {
            let n = known + established_terms_in(&tt, list);
            let words = tt.tokens().iter().filter(|t| t.is_wordlike()).count();
            n >= TECHNICAL_MIN && n * 1000 >= TECHNICAL_PER_1000 * words
        };
        let look = !tortured.is_empty() && technical(tortured.len());
        add(tortured, &mut edits);
        if look {
            add(term_edits_in(&tt, list, model), &mut edits);
        }
        add(number_word_edits_in(&tt), &mut edits);
        let decoder = match (&self.decoder, self.model) {
            (Some(decoder), _) => Some(decoder.clone()),
            (None, Some(model)) => Some(Decoder::new(model)),
            (None, None) => None,
        };
        if let Some(decoder) = decoder {
            let decoded = decoder.learned(self.learned).edits_in(&tt);
            add(decoded.into_iter().map(|(e, _)| e).collect(), &mut edits);
        }
        let method = match (&source, model.is_some()) {
            (Some(_), true) => "source+lm",
            (Some(_), false) => "source",
            (None, true) => "lm",
            (None, false) => "lexicon-only",
        };
        acronyms_as_written(&tt, &mut edits);
        spelling_as_written(&tt, &mut edits);
        let articles = article_edits(suspect, &edits);
        edits.extend(articles);
        let r = apply(suspect, &edits);
        Ok(RestoreReport { text: r.text, edits: r.edits, method: method.to_string(), source })
    }
}

/// A restored word the text writes elsewhere in capitals ("UK", "BBC"),
/// and never with small letters, is written so: the lexicons and the model keep
/// words in lowercase, and a spun phrase capitalized in its first letter
/// ("Great britain") would otherwise give "Uk". A source's wording is left
/// as the source has it.
fn acronyms_as_written(tt: &unspin_text::TokenizedText<'_>, edits: &mut [Edit]) {
    let toks = tt.tokens();
    // Not in a headline in capitals ("DOG BITES MAN").
    // Looked up for nearly every token of the text: a fast hash.
    let mut written: rustc_hash::FxHashMap<String, &str> = rustc_hash::FxHashMap::default();
    for w in (0..toks.len()).filter_map(|k| acronym(tt, k)) {
        written.entry(w.to_lowercase()).or_insert(w);
    }
    if written.is_empty() {
        return;
    }
    // A word the text also writes with small letters ("it" beside "IT",
    // "Ms" beside "MS") or a function word is a word, not an acronym.
    for t in toks {
        let w = tt.text(t);
        if t.is_function_word() || w.chars().any(char::is_lowercase) {
            // A word in small letters is its own key: no copy to look it up.
            written.remove(&*lowercase(w));
        }
    }
    for e in edits.iter_mut().filter(|e| e.evidence != Evidence::Source) {
        if let Some(form) = written.get(&e.restored.to_lowercase()) {
            e.restored = (*form).to_string();
        }
    }
}

/// A restored word is spelled as the text spells ([`Spelling`]): the
/// thesauri list "labour" and "labor" alike and the model reads them as one
/// word, so a text that writes "colour" gets "labour". A source's wording
/// is left as the source has it; an edit respelled into the words it
/// replaces is dropped.
fn spelling_as_written(tt: &unspin_text::TokenizedText<'_>, edits: &mut Vec<Edit>) {
    let toks = tt.tokens();
    // The token an edit begins at, if it begins at one.
    let at = |start: usize| {
        let i = toks.partition_point(|t| t.span().start() < start);
        toks.get(i).is_some_and(|t| t.span().start() == start).then_some(i)
    };
    let wordings: Vec<(Option<usize>, &str)> = edits
        .iter()
        .map(|e| match e.evidence {
            Evidence::Source => (None, ""),
            _ => (at(e.start), e.restored.as_str()),
        })
        .collect();
    let edited = Blocked::new(edits.iter().map(|e| (e.start, e.end)));
    let replaced = |k: usize| edited.overlaps(toks[k].span().start(), toks[k].span().end());
    for (k, respelled) in Spelling::respell(tt, replaced, &wordings) {
        edits[k].restored = respelled;
    }
    let text = tt.original();
    edits.retain(|e| text.get(e.start..e.end) != Some(e.restored.as_str()));
}

/// Byte ranges of the suspect already restored or covered by the source:
/// disjoint and sorted (overlapping ranges merged; the source's edits lie
/// inside its passages), so each check is a binary search.
struct Blocked(Vec<(usize, usize)>);

impl Blocked {
    fn new(spans: impl IntoIterator<Item = (usize, usize)>) -> Blocked {
        let mut spans: Vec<(usize, usize)> = spans.into_iter().collect();
        spans.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
        for (start, end) in spans {
            match merged.last_mut() {
                Some(last) if start < last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        Blocked(merged)
    }

    /// Where `start..end` would go, unless it overlaps a range held.
    fn free_at(&self, start: usize, end: usize) -> Option<usize> {
        let i = self.0.partition_point(|x| x.1 <= start);
        (i == self.0.len() || self.0[i].0 >= end).then_some(i)
    }

    /// Whether `start..end` overlaps a range held.
    fn overlaps(&self, start: usize, end: usize) -> bool {
        self.free_at(start, end).is_none()
    }

    /// Adds `start..end` unless it overlaps a range held; whether it was
    /// added.
    fn insert(&mut self, start: usize, end: usize) -> bool {
        let Some(i) = self.free_at(start, end) else { return false };
        self.0.insert(i, (start, end));
        true
    }
}

/// Restores `suspect` with an optional index and nothing else (see
/// [`Restorer`] for a language model and a learned lexicon).
pub fn restore(index: Option<&Index>, suspect: &str) -> Result<RestoreReport, Error> {
    Restorer::new().index(index).restore(suspect)
}

#[cfg(test)]
mod tests {
    use super::Blocked;

    #[test]
    fn a_range_inside_a_passage_with_edits_is_blocked() {
        // A passage 0..1000 holding the source's edits at 10..20 and
        // 500..510: a later layer's edit at 300..310 lies in the passage.
        let mut b = Blocked::new([(0, 1000), (10, 20), (500, 510), (2000, 2010)]);
        assert!(!b.insert(300, 310));
        assert!(!b.insert(995, 1005));
        assert!(!b.insert(2005, 2006));
        assert!(b.insert(1000, 1010));
        assert!(b.insert(1500, 1600));
        assert!(!b.insert(1550, 1560));
        assert_eq!(b.0, [(0, 1000), (1000, 1010), (1500, 1600), (2000, 2010)]);
    }

    #[test]
    fn without_a_model_known_tortured_phrases_and_number_words_are_restored() {
        let suspect = "Counterfeit consciousness helped 3 teams, said 2 experts.";
        let r = super::restore(None, suspect).expect("no index to search");
        assert_eq!(r.text, "Artificial intelligence helped three teams, said two experts.");
        assert_eq!(r.method, "lexicon-only");
        let spans: Vec<(usize, usize)> =
            r.edits.iter().map(|e| (e.suspect.start, e.suspect.end)).collect();
        assert_eq!(spans, [(0, 25), (33, 34), (47, 48)]);
    }

    /// An edit of the first `word` of `suspect` to `restored`, 0.9 sure.
    fn edit_of(
        suspect: &str,
        word: &str,
        restored: &str,
        evidence: super::Evidence,
    ) -> super::Edit {
        let start = suspect.find(word).expect("in the text");
        super::Edit {
            start,
            end: start + word.len(),
            restored: restored.into(),
            confidence: 0.9,
            evidence,
        }
    }

    #[test]
    fn a_restored_word_the_text_writes_in_capitals_is_written_so() {
        let suspect = "DOG BITES MAN. The UK's economy grew. Great britain exports rose, said 2 \
                       BBC reporters of the pooch. IT firms ask it; ASK shares fell. MS and \
                       Ms Smith.";
        let tt = unspin_text::Tokenizer::default().tokenize(suspect);
        let edit =
            |word: &str, restored: &str, evidence| edit_of(suspect, word, restored, evidence);
        let mut edits = vec![
            edit("Great britain", "Uk", super::Evidence::Lm),
            edit("2", "two", super::Evidence::Lexicon),
            edit("reporters", "bbc", super::Evidence::Source),
            edit("pooch", "dog", super::Evidence::Lm),
            edit("firms", "it", super::Evidence::Lm),
            edit("shares", "ask", super::Evidence::Lm),
            edit("Smith", "Ms", super::Evidence::Lm),
        ];
        super::acronyms_as_written(&tt, &mut edits);
        let restored: Vec<&str> = edits.iter().map(|e| e.restored.as_str()).collect();
        // "it", "ask" and "Ms" are written with small letters too: words,
        // not acronyms.
        assert_eq!(restored, ["UK", "two", "bbc", "dog", "it", "ask", "Ms"]);
    }

    #[test]
    fn a_restored_word_is_spelled_as_the_text_spells() {
        let suspect = "The color of the center was a favorite of the neighbors. Their union \
                       force and harbor chief spoke; the hard graft pleased the Defence \
                       Secretary. Toil is hard.";
        let tt = unspin_text::Tokenizer::default().tokenize(suspect);
        let edit =
            |word: &str, restored: &str, evidence| edit_of(suspect, word, restored, evidence);
        let mut edits = vec![
            edit("union", "labour", super::Evidence::Lm),
            edit("harbor", "harbour", super::Evidence::Learned),
            edit("hard graft", "Labour", super::Evidence::Source),
            edit("Defence", "Offence", super::Evidence::Lexicon),
            edit("Toil", "Labour", super::Evidence::Lm),
        ];
        super::spelling_as_written(&tt, &mut edits);
        let restored: Vec<&str> = edits.iter().map(|e| e.restored.as_str()).collect();
        // The text writes American spelling in lowercase words (a name,
        // "Defence Secretary", says nothing and keeps its spelling); a
        // source's wording stands; "harbour" respelled is the text's own
        // "harbor", no edit; a capital that opens a sentence is no name.
        assert_eq!(restored, ["labor", "Labour", "Offence", "Labor"]);

        // The words an edit replaces are the spinner's, not the author's:
        // "behavior" and "luster" say nothing, "colour" says British.
        let suspect = "The colour of their behavior had a luster, and the union grew.";
        let tt = unspin_text::Tokenizer::default().tokenize(suspect);
        let mut edits = vec![
            edit_of(suspect, "behavior", "conduct", super::Evidence::Lm),
            edit_of(suspect, "luster", "shine", super::Evidence::Lm),
            edit_of(suspect, "union", "labor", super::Evidence::Lm),
        ];
        super::spelling_as_written(&tt, &mut edits);
        assert_eq!(edits[2].restored, "labour");
    }

    #[test]
    fn only_edits_at_least_as_confident_as_asked_are_made() {
        // A known tortured phrase is restored at 0.9, a number word at 0.8.
        let suspect = "Counterfeit consciousness helped 3 teams.";
        let at = |p: f64| {
            super::Restorer::new().min_confidence(p).restore(suspect).expect("no index").text
        };
        assert_eq!(at(0.0), "Artificial intelligence helped three teams.");
        assert_eq!(at(0.85), "Artificial intelligence helped 3 teams.");
        assert_eq!(at(0.95), suspect);
    }

    #[test]
    fn unknown_tortured_phrases_are_restored_in_technical_texts_only() {
        // "fake consciousness" is not listed; the list's own pairs teach
        // "fake" -> "artificial" and "consciousness" -> "intelligence".
        assert_eq!(unspin_lexicon::Lexicon::global().tortured("fake consciousness"), None);
        let paper = "A profound learning model with a concealed layer and fake consciousness \
                     beats the preparation set baseline.";
        let r = super::restore(None, paper).expect("no index to search");
        assert_eq!(
            r.text,
            "A deep learning model with a hidden layer and artificial intelligence beats the \
             training set baseline."
        );
        let news = "The minister said fake consciousness was not a crime, and left.";
        let r = super::restore(None, news).expect("no index to search");
        assert_eq!(r.text, news, "no technical context: no unknown tortured phrases");
    }
}
