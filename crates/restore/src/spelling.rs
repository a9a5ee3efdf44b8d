//! Restored words in the text's own spelling. The thesauri list British and
//! American spellings alike, and the language model reads both as one word
//! (its keys are normalized), so which of "labour" and "labor" the decoder
//! writes says nothing of the text. A text that writes "colour" and
//! "programme" gets "labour"; one that writes "color" gets "labor".

use rustc_hash::FxHashMap;
use unspin_lexicon::Lexicon;
use unspin_text::TokenizedText;
use unspin_text::normalize::{american_spelling, british_spelling};

/// A spelling of English.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Variety {
    /// "colour", "centre", "organise", "travelled".
    British,
    /// "color", "center", "organize", "traveled": the default, the variety
    /// of most English text and of the thesauri.
    #[default]
    American,
}

/// Which endings a variant pair differs in: `-ise`/`-ize` apart from the
/// rest, as some British writers use `-ize` ("organization", "colour").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Family {
    Ize,
    Other,
}

/// Regular endings, British and American, with the endings of the base
/// words they inflect (both must be thesaurus terms: "scour" and "score"
/// are two words, as "scor" is none), the family, and how many letters at
/// least come before the ending.
const ENDINGS: &[(&str, &str, [&str; 2], Family, usize)] = &[
    ("our", "or", ["our", "or"], Family::Other, 2),
    ("ours", "ors", ["our", "or"], Family::Other, 2),
    ("oured", "ored", ["our", "or"], Family::Other, 2),
    ("ouring", "oring", ["our", "or"], Family::Other, 2),
    ("ourable", "orable", ["our", "or"], Family::Other, 2),
    ("ourite", "orite", ["our", "or"], Family::Other, 2),
    ("ourites", "orites", ["our", "or"], Family::Other, 2),
    ("ourful", "orful", ["our", "or"], Family::Other, 2),
    ("ourless", "orless", ["our", "or"], Family::Other, 2),
    ("tre", "ter", ["tre", "ter"], Family::Other, 3),
    ("tres", "ters", ["tre", "ter"], Family::Other, 3),
    ("ise", "ize", ["ise", "ize"], Family::Ize, 3),
    ("ised", "ized", ["ise", "ize"], Family::Ize, 3),
    ("ises", "izes", ["ise", "ize"], Family::Ize, 3),
    ("ising", "izing", ["ise", "ize"], Family::Ize, 3),
    ("isation", "ization", ["ise", "ize"], Family::Ize, 3),
    ("isations", "izations", ["ise", "ize"], Family::Ize, 3),
    ("iser", "izer", ["ise", "ize"], Family::Ize, 3),
    ("isers", "izers", ["ise", "ize"], Family::Ize, 3),
    ("yse", "yze", ["yse", "yze"], Family::Ize, 3),
    ("ysed", "yzed", ["yse", "yze"], Family::Ize, 3),
    ("yses", "yzes", ["yse", "yze"], Family::Ize, 3),
    ("ysing", "yzing", ["yse", "yze"], Family::Ize, 3),
];

/// Base words whose final "l" British English doubles before "-ed",
/// "-ing" and "-er" and American English does not ("travelled",
/// "traveled"). A rule would take "revealed" and "compelled" too.
const DOUBLED_L: &[&str] = &[
    "barrel", "bevel", "cancel", "channel", "counsel", "cudgel", "dial", "dishevel", "duel",
    "enamel", "equal", "fuel", "funnel", "grovel", "jewel", "kennel", "label", "level", "libel",
    "marvel", "model", "panel", "parcel", "pedal", "pencil", "quarrel", "revel", "rival", "shovel",
    "signal", "snivel", "spiral", "total", "towel", "travel", "trial", "tunnel", "unravel",
    "yodel",
];

/// The endings after which [`DOUBLED_L`]'s words differ.
const L_ENDINGS: &[&str] = &["ed", "er", "ers", "ing"];

/// Words either variety writes so, though a regular ending or the
/// normalizer's table would respell them: "glamour", "troubadour",
/// "advertise", "improvise", "reprise", "exorcise", "apprise", "dialogue";
/// "practise" (American "practice", not "practize"); and "outre",
/// "littre", other words.
const KEEP: &[&str] = &[
    "advertise",
    "amour",
    "apprise",
    "dialogue",
    "exorcise",
    "glamour",
    "improvise",
    "littre",
    "outre",
    "practise",
    "reprise",
    "troubadour",
];

/// The American spelling of a lowercase British-spelled word, with its
/// family: from the spelling normalizer's table, a regular ending of two
/// thesaurus terms, or a final "l" doubled.
fn to_american(lex: &Lexicon, word: &str) -> Option<(String, Family)> {
    let kept = |stem: &str, base: &str| KEEP.iter().any(|k| k.strip_prefix(stem) == Some(base));
    if KEEP.contains(&word)
        || ENDINGS.iter().any(|&(brit, _, [base, _], ..)| {
            word.strip_suffix(brit).is_some_and(|stem| kept(stem, base))
        })
    {
        return None;
    }
    if let Some(amer) = american_spelling(word) {
        let family =
            if amer.contains("iz") || amer.contains("yz") { Family::Ize } else { Family::Other };
        return Some((amer.into_owned(), family));
    }
    for &(brit, amer, [base_brit, base_amer], family, min) in ENDINGS {
        let Some(stem) = word.strip_suffix(brit) else { continue };
        if stem.len() < min
            || lex.term_id(&format!("{stem}{base_brit}")).is_none()
            || lex.term_id(&format!("{stem}{base_amer}")).is_none()
        {
            continue;
        }
        return Some((format!("{stem}{amer}"), family));
    }
    for ending in L_ENDINGS {
        if let Some(base) = word.strip_suffix(ending).and_then(|w| w.strip_suffix('l'))
            && DOUBLED_L.binary_search(&base).is_ok()
        {
            return Some((format!("{base}{ending}"), Family::Other));
        }
    }
    None
}

/// The British spelling of a lowercase American-spelled word: the word
/// whose [`to_american`] it is.
fn to_british(lex: &Lexicon, word: &str) -> Option<(String, Family)> {
    if let Some(brit) = british_spelling(word) {
        let family =
            if word.contains("iz") || word.contains("yz") { Family::Ize } else { Family::Other };
        return Some((brit.to_string(), family));
    }
    // "traveled" is "travel" + "ed": British doubles the "l".
    let doubled = L_ENDINGS.iter().map(|&e| (e, e, "l"));
    for (brit, amer, l) in ENDINGS.iter().map(|&(brit, amer, ..)| (brit, amer, "")).chain(doubled) {
        let Some(stem) = word.strip_suffix(amer) else { continue };
        let british = format!("{stem}{l}{brit}");
        // A pair of the normalizer's table that `british_spelling` left
        // out: British English writes "meter" and "program" too.
        if american_spelling(&british).is_some() {
            continue;
        }
        if let Some((a, family)) = to_american(lex, &british)
            && a == word
        {
            return Some((british, family));
        }
    }
    None
}

/// The spelling a text writes, read from the words it spells one way or
/// the other: `-ise`/`-ize` words on their own, the rest on theirs, each
/// deciding for the other where it has no evidence. A text with no
/// evidence either way (or as much for each) is written American, the
/// variety of most English text and of the thesauri: its restored words
/// are then spelled one way, not as each thesaurus entry happens to be.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Spelling {
    ize: Variety,
    other: Variety,
}

impl Spelling {
    /// Reads the words of a text (its tokens, say, but for those a
    /// spinner may have written): the variety with more lowercase words
    /// of its own spelling, for each family (American where neither has
    /// more, in both families). The thesauri
    /// a spinner draws on are mostly American, so its own words ("luster",
    /// "behavior") are best left out.
    pub fn of<'w>(words: impl IntoIterator<Item = &'w str>) -> Spelling {
        let lex = Lexicon::global();
        // British and American words, in the `-ize` family and the rest.
        let mut counts = [[0usize; 2]; 2];
        // Each word type is looked up once: a text repeats its words.
        let mut seen: FxHashMap<&str, Option<(usize, Family)>> = FxHashMap::default();
        for w in words {
            // Lowercase words only: a name keeps its own spelling ("the
            // Defense Department" in a British text).
            if w.len() < 4 || !w.bytes().all(|b| b.is_ascii_lowercase()) {
                continue;
            }
            let marker = *seen.entry(w).or_insert_with(|| {
                to_american(lex, w)
                    .map(|(_, f)| (0, f))
                    .or_else(|| to_british(lex, w).map(|(_, f)| (1, f)))
            });
            if let Some((side, family)) = marker {
                counts[usize::from(family == Family::Other)][side] += 1;
            }
        }
        let pick = |[brit, amer]: [usize; 2]| match brit.cmp(&amer) {
            std::cmp::Ordering::Greater => Some(Variety::British),
            std::cmp::Ordering::Less => Some(Variety::American),
            std::cmp::Ordering::Equal => None,
        };
        let (ize, other) = (pick(counts[0]), pick(counts[1]));
        let either = ize.or(other).unwrap_or_default();
        Spelling { ize: ize.unwrap_or(either), other: other.unwrap_or(either) }
    }

    /// The wordings of `wordings` respelled as the text `tt` spells, as
    /// (index into `wordings`, new wording), for those that change. Each
    /// wording comes with the token it begins at, if it begins at one
    /// (its capital is respelled only where that token opens a sentence);
    /// the text's spelling is read from the tokens `replaced` leaves out,
    /// by index: what a spinner wrote says little of it, as its thesauri
    /// are mostly American. The text is read only when a wording has a
    /// word spelled two ways.
    pub fn respell(
        tt: &TokenizedText<'_>,
        replaced: impl Fn(usize) -> bool,
        wordings: &[(Option<usize>, &str)],
    ) -> Vec<(usize, String)> {
        let varying = Spelling::varying(wordings.iter().map(|&(_, w)| w));
        if varying.is_empty() {
            return Vec::new();
        }
        let toks = tt.tokens();
        let words = (0..toks.len()).filter(|&k| !replaced(k)).map(|k| tt.text(&toks[k]));
        let spelling = Spelling::of(words);
        varying
            .into_iter()
            .filter_map(|k| {
                let (at, words) = wordings[k];
                let opens = at.and_then(|i| toks.get(i)).is_some_and(|t| t.is_sentence_start());
                spelling.write(words, opens).map(|w| (k, w))
            })
            .collect()
    }

    /// Whether a word of `words` is spelled one way in British and
    /// another in American English.
    pub fn varies(words: &str) -> bool {
        let lex = Lexicon::global();
        words.split(' ').any(|w| {
            let lower = w.to_ascii_lowercase();
            to_american(lex, &lower).is_some() || to_british(lex, &lower).is_some()
        })
    }

    /// The indexes of the wordings (restored words or phrases) of which
    /// [`Spelling::varies`] holds, each distinct wording asked once.
    pub fn varying<'w>(wordings: impl IntoIterator<Item = &'w str>) -> Vec<usize> {
        let mut asked: FxHashMap<&str, bool> = FxHashMap::default();
        let mut out = Vec::new();
        for (k, w) in wordings.into_iter().enumerate() {
            if *asked.entry(w).or_insert_with(|| Spelling::varies(w)) {
                out.push(k);
            }
        }
        out
    }

    /// The text's spelling of `words` (a restored word or phrase), where it
    /// differs: each word in lowercase respelled in the variety the text
    /// writes, and a first word capitalized where it `opens_sentence`
    /// ("Labour" -> "Labor"). Inside a sentence a capital marks a name,
    /// which keeps its spelling: "the Labour Party", "Pearl Harbor".
    pub fn write(&self, words: &str, opens_sentence: bool) -> Option<String> {
        let lex = Lexicon::global();
        let mut changed = false;
        let out: Vec<String> = words
            .split(' ')
            .enumerate()
            .map(|(k, w)| {
                let lower = w.to_ascii_lowercase();
                let respelled = to_american(lex, &lower)
                    .filter(|(_, f)| self.variety(*f) == Variety::American)
                    .or_else(|| {
                        to_british(lex, &lower)
                            .filter(|(_, f)| self.variety(*f) == Variety::British)
                    });
                match respelled {
                    Some((form, _)) if w.chars().all(|c| c.is_ascii_lowercase()) => {
                        changed = true;
                        form
                    }
                    Some((form, _))
                        if k == 0
                            && opens_sentence
                            && w.chars().next().is_some_and(char::is_uppercase)
                            && w.chars().skip(1).all(|c| c.is_ascii_lowercase()) =>
                    {
                        changed = true;
                        crate::capitalized(&form)
                    }
                    _ => w.to_string(),
                }
            })
            .collect();
        changed.then(|| out.join(" "))
    }

    /// The variety the text writes in a family.
    fn variety(&self, family: Family) -> Variety {
        match family {
            Family::Ize => self.ize,
            Family::Other => self.other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Spelling, Variety, to_american, to_british};
    use unspin_lexicon::Lexicon;
    use unspin_text::Tokenizer;

    fn spelling(text: &str) -> Spelling {
        let tt = Tokenizer::default().tokenize(text);
        Spelling::of(tt.tokens().iter().map(|t| tt.text(t)))
    }

    #[test]
    fn regular_endings_both_ways_where_the_thesauri_know_both() {
        let lex = Lexicon::global();
        for (brit, amer) in [
            ("harbour", "harbor"),
            ("vigour", "vigor"),
            ("theatre", "theater"),
            ("modelling", "modeling"),
            ("equalled", "equaled"),
            ("characterised", "characterized"),
            ("paralysed", "paralyzed"),
            ("colour", "color"),
        ] {
            assert_eq!(to_american(lex, brit).map(|(a, _)| a).as_deref(), Some(amer), "{brit}");
            assert_eq!(to_british(lex, amer).map(|(b, _)| b).as_deref(), Some(brit), "{amer}");
        }
        // Other words, or spelled so in both: never respelled.
        for word in [
            "four",
            "tour",
            "pour",
            "filled",
            "controlled",
            "killing",
            "advertise",
            "advertised",
            "improvise",
            "glamour",
            "surprise",
            "raise",
            "program",
            "check",
            "for",
            "actor",
            "error",
            "size",
            "prize",
            "outre",
            "meter",
            "meters",
            "practise",
            "practising",
            "dialogue",
            "scored",
            "revealed",
            "compelling",
            "installed",
        ] {
            assert_eq!(to_american(lex, word), None, "{word}");
            assert_eq!(to_british(lex, word), None, "{word}");
        }
    }

    #[test]
    fn the_wordings_spelled_two_ways_are_found() {
        let wordings = ["labour", "dog", "labour", "centre stage", "", "Harbor"];
        assert_eq!(Spelling::varying(wordings), [0, 2, 3, 5]);
    }

    #[test]
    fn lists_are_sorted() {
        assert!(super::DOUBLED_L.windows(2).all(|w| w[0] < w[1]), "help: keep DOUBLED_L sorted");
        assert!(super::KEEP.windows(2).all(|w| w[0] < w[1]), "help: keep KEEP sorted");
    }

    #[test]
    fn every_respelling_of_a_thesaurus_word_goes_back() {
        // What the American spelling of a British word is, the British
        // spelling of that American word is the British word (or none,
        // where British English writes it too: "check", "program"): a
        // text is never respelled into a third word.
        let lex = Lexicon::global();
        let (mut pairs, mut one_way) = (0, 0);
        for term in lex.terms().filter(|t| t.bytes().all(|b| b.is_ascii_lowercase())) {
            if let Some((amer, family)) = to_american(lex, term) {
                match to_british(lex, &amer) {
                    None => one_way += 1,
                    back => assert_eq!(back, Some((term.to_string(), family)), "{term}"),
                }
                pairs += 1;
            }
            if let Some((brit, family)) = to_british(lex, term) {
                assert_eq!(to_american(lex, &brit), Some((term.to_string(), family)), "{term}");
            }
        }
        assert!(pairs > 500 && one_way < 10, "{pairs} pairs, {one_way} one way");
    }

    #[test]
    fn a_text_is_read_as_the_variety_it_writes_more() {
        let british = spelling("The colour of the centre was a favourite of the neighbours.");
        assert_eq!(british.write("labor", false), Some("labour".to_string()));
        assert_eq!(british.write("Harbor master", true), Some("Harbour master".to_string()));
        assert_eq!(british.write("Pearl Harbor", false), None, "a name");
        assert_eq!(british.write("Harbor master", false), None, "a name");
        assert_eq!(british.write("labour", false), None, "already British");
        let american = spelling("The color of the center was a favorite of the neighbors.");
        assert_eq!(american.write("labour", false), Some("labor".to_string()));
        assert_eq!(american.write("programme", false), Some("program".to_string()));
        let none = spelling("The dog barked at the cat.");
        assert_eq!(none.write("labour", false), Some("labor".to_string()), "no evidence");
        assert_eq!(none.write("labor", false), None, "no evidence");
        let tie = spelling("The colour and the color.");
        assert_eq!(tie.write("labour", false), Some("labor".to_string()), "a tie");
    }

    #[test]
    fn ize_and_the_rest_are_read_apart() {
        // Oxford spelling: British, with -ize.
        let oxford = spelling("The organization will recognize the colour of the centre.");
        assert_eq!(oxford.write("realised", false), Some("realized".to_string()));
        assert_eq!(oxford.write("harbor", false), Some("harbour".to_string()));
        // Evidence of one family decides the other.
        let ize = spelling("They will organize and recognize it.");
        assert_eq!(ize.write("harbour", false), Some("harbor".to_string()));
        assert_eq!(ize.other, Variety::American);
    }
}
