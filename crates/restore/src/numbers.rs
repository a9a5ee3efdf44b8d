//! Number words written as digits. Spinners turn "two" into "2"; news
//! style (the BBC's, AP's) spells out one to nine in running text, so a
//! lone digit between two lowercase words ("the 2 men") is restored to its
//! word. The language model cannot weigh this (its keys normalize number
//! words to digits), so it is a style rule, kept narrow: in all 2,225 BBC
//! originals it rewrites 26 lone digits (`unspin-eval restore`), where
//! about 4,400 number words stand before a lowercase word, and in MRPC's
//! 4,076 sentences of US news 3, as style guides give numerals even below
//! ten to percentages, cents and points ("2 percent"), and a digit after
//! an abbreviation ("Nov. 2", "No.3") or in a ratio ("3 to 1") is no
//! number word.

use unspin_text::{TokenKind, TokenizedText, Tokenizer, number_name};

use crate::{Edit, Evidence, capitalized};

/// Words before which a digit stays a digit: units, large numbers and the
/// words style guides give numerals even below ten (AP: percentages,
/// cents, points, degrees: "5 million", "3 pm", "2 percent", "1 cent",
/// "6 points").
const KEEP_BEFORE: &[&str] = &[
    "am",
    "basis",
    "bn",
    "billion",
    "cent",
    "cents",
    "cm",
    "degree",
    "degrees",
    "ft",
    "kg",
    "km",
    "lb",
    "m",
    "million",
    "mm",
    "mph",
    "nd",
    "oz",
    "pc",
    "per",
    "percent",
    "percentage",
    "pm",
    "points",
    "pts",
    "rd",
    "st",
    "th",
    "trillion",
];

/// Abbreviations whose full stop the tokenizer may read as a sentence's
/// end: a digit after them ("Nov. 2", "No. 3", "Fig. 4") is no sentence's
/// first word.
const ABBREVIATIONS: &[&str] = &[
    "apr", "art", "aug", "capt", "ch", "col", "dec", "dr", "feb", "fig", "figs", "gen", "gov",
    "jan", "jr", "jul", "jun", "lt", "mar", "mr", "mrs", "ms", "no", "nos", "nov", "oct", "op",
    "p", "pp", "rep", "sec", "sen", "sep", "sept", "sgt", "sr", "st", "vol",
];

/// Edits writing lone digits 1-9 in running text as words ("2 men" ->
/// "two men"; "2" at a sentence start -> "Two").
pub fn number_word_edits(suspect: &str) -> Vec<Edit> {
    number_word_edits_in(&Tokenizer::default().tokenize(suspect))
}

/// [`number_word_edits`] on text already tokenized (by the default
/// tokenizer).
pub fn number_word_edits_in(tt: &TokenizedText<'_>) -> Vec<Edit> {
    let suspect = tt.original();
    let toks = tt.tokens();
    let mut edits = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        let text = tt.text(t);
        if t.kind() != TokenKind::Number || !matches!(text.as_bytes(), [b'1'..=b'9']) {
            continue;
        }
        let Some(word) = number_name(text) else { continue };
        // Separated by one space from the words around it (not "3-1",
        // "6:30", "(2)", "£5").
        let spaced = |a: usize, b: usize| suspect.get(a..b) == Some(" ");
        let Some(next) = toks.get(i + 1) else { continue };
        let next_text = tt.text(next);
        let lower_word = |s: &str| s.chars().all(|c| c.is_ascii_lowercase());
        if next.kind() != TokenKind::Word
            || !lower_word(next_text)
            || KEEP_BEFORE.contains(&next_text)
            || !spaced(t.span().end(), next.span().start())
        {
            continue;
        }
        // A range or ratio ("6 to 9", "3 to 1"), either number: the word
        // after the next, or the one before the previous, is a number.
        let range = |w: &str| matches!(w, "to" | "and" | "or");
        let number_at = |j: Option<usize>| {
            j.and_then(|j| toks.get(j)).is_some_and(|n| n.kind() == TokenKind::Number)
        };
        if (range(next_text) && number_at(Some(i + 2)))
            || (i >= 1 && range(tt.text(&toks[i - 1])) && number_at(i.checked_sub(2)))
        {
            continue;
        }
        let start = t.is_sentence_start();
        if start {
            // A sentence's first word stands after a space or at the
            // text's start ("No.3" is a name), not after an abbreviation.
            let after_space =
                t.span().start() == 0 || suspect[..t.span().start()].ends_with(char::is_whitespace);
            let abbreviated = i >= 2
                && tt.text(&toks[i - 1]) == "."
                && ABBREVIATIONS.contains(&tt.text(&toks[i - 2]).to_lowercase().as_str());
            if !after_space || abbreviated {
                continue;
            }
        } else {
            // After a lowercase word only ("Halo 2", "PlayStation 3" are
            // names; "from 6" after a number is a range).
            let Some(prev) = i.checked_sub(1).map(|j| &toks[j]) else { continue };
            if prev.kind() != TokenKind::Word
                || !lower_word(tt.text(prev))
                || !spaced(prev.span().end(), t.span().start())
            {
                continue;
            }
        }
        let restored = if start { capitalized(word) } else { word.to_string() };
        edits.push(Edit {
            start: t.span().start(),
            end: t.span().end(),
            restored,
            confidence: 0.8,
            evidence: Evidence::Lexicon,
        });
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::number_word_edits;
    use crate::apply;

    fn restored(s: &str) -> String {
        apply(s, &number_word_edits(s)).text
    }

    #[test]
    fn lone_digits_in_running_text_become_words() {
        assert_eq!(restored("He met 2 men and 3 women."), "He met two men and three women.");
        assert_eq!(restored("4 people died."), "Four people died.");
        assert_eq!(restored("It rained.\n\n4 people died."), "It rained.\n\nFour people died.");
        assert_eq!(restored("It rained. 4 people died."), "It rained. Four people died.");
    }

    #[test]
    fn digits_that_news_style_keeps_are_kept() {
        for s in [
            "Halo 2 sold well.",
            "It sold 5 million copies.",
            "The show runs from 6 to 9 January.",
            "The score was 3-1 at 6:30 pm.",
            "It cost £5 in 2004, up 2%.",
            "They won 10 games.",
            "Wait until 3 pm today.",
            "Shares rose 2 percent, or 1 cent, and the index 6 points.",
            "Advancers beat decliners 3 to 1 on the exchange.",
            "The poll closed on Nov. 2 and the vote on Dec. 8 in the hall.",
            "The Onagawa No.3 unit shut down.",
            "It ended.3 men left.",
        ] {
            assert_eq!(restored(s), s);
        }
    }
}
