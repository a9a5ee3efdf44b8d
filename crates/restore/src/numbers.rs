//! Number words written as digits. Spinners turn "two" into "2"; news
//! style (the BBC's, AP's) spells out one to nine in running text, so a
//! lone digit between two lowercase words ("the 2 men") is restored to its
//! word. The language model cannot weigh this (its keys normalize number
//! words to digits), so it is a style rule, kept narrow: in all 2,225 BBC
//! originals it rewrites 29 lone digits (`unspin-eval restore`), where
//! about 4,400 number words stand before a lowercase word.

use unspin_text::{TokenKind, TokenizedText, Tokenizer, number_name};

use crate::{Edit, Evidence, capitalized};

/// Words after which a digit stays a digit: units and large numbers
/// ("5 million", "3 pm"), and the parts of a range ("6 to 9").
const KEEP_BEFORE: &[&str] = &[
    "am", "bn", "billion", "cm", "ft", "kg", "km", "lb", "m", "million", "mm", "mph", "nd", "oz",
    "per", "pm", "rd", "st", "th", "trillion",
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
        // A range ("6 to 9"): the word after the next is a number.
        if matches!(next_text, "to" | "and" | "or")
            && toks.get(i + 2).is_some_and(|n| n.kind() == TokenKind::Number)
        {
            continue;
        }
        let start = t.is_sentence_start();
        if !start {
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
        ] {
            assert_eq!(restored(s), s);
        }
    }
}
