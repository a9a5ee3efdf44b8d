use crate::{TokenKind, Tokenizer};
use proptest::prelude::*;

fn norms(text: &str) -> Vec<String> {
    Tokenizer::default().tokenize(text).tokens().iter().map(|t| t.norm().to_string()).collect()
}

macro_rules! t {
    ($name:ident, $input:expr, $expected:expr) => {
        #[test]
        fn $name() {
            let got = norms($input);
            let want: Vec<&str> = $expected.to_vec();
            assert_eq!(got, want, "help: tokenizer output changed for {:?}", $input);
        }
    };
}

t!(basic, "The dog barks.", ["the", "dog", "barks", "."]);
t!(numbers, "Two of 1,000 dogs", ["2", "of", "1000", "dogs"]);
t!(contraction, "They didn’t go", ["they", "did not", "go"]);
t!(glued_sentence, "carnivore.The dog", ["carnivore", ".", "the", "dog"]);
t!(abbreviation, "the U.S. army", ["the", "u.s", ".", "army"]);
t!(hyphen, "starch-rich diet", ["starch", "-", "rich", "diet"]);
t!(spelling, "grey colour", ["gray", "color"]);
t!(possessive, "man's best friend", ["man's", "best", "friend"]);
t!(empty, "", []);

#[test]
fn kinds_and_flags() {
    let t = Tokenizer::default().tokenize("Dogs met Arctic Council in 2004. The end");
    let toks = t.tokens();
    assert_eq!(toks[0].kind(), TokenKind::Word);
    assert!(toks[0].is_sentence_start() && !toks[0].is_name_like());
    assert!(toks[2].is_name_like() && toks[3].is_name_like());
    assert!(toks[4].is_function_word());
    assert_eq!(toks[5].kind(), TokenKind::Number);
    assert_eq!(toks[6].kind(), TokenKind::Punct);
    assert!(toks[7].is_sentence_start());
    assert_eq!(toks[7].sentence(), 1);
    assert_eq!(t.sentence_count(), 2);
}

#[test]
fn blank_line_ends_a_sentence() {
    let t = Tokenizer::default().tokenize("A headline\r\n\r\nThe text\nwraps here.");
    let starts: Vec<bool> = t.tokens().iter().map(|k| k.is_sentence_start()).collect();
    assert_eq!(starts, [true, false, true, false, false, false, false]);
}

#[test]
fn char_offsets() {
    let text = "Café “two” dogs";
    let t = Tokenizer::default().tokenize(text);
    for tok in t.tokens() {
        let by_chars: String =
            text.chars().skip(tok.char_start()).take(tok.char_end() - tok.char_start()).collect();
        assert_eq!(by_chars, t.text(tok));
        assert_eq!(t.char_offset(tok.span().start()), tok.char_start());
    }
    assert_eq!(t.char_offset(text.len()), text.chars().count());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)))]

    #[test]
    fn reconstruct_round_trips(s in "\\PC*") {
        let t = Tokenizer::default().tokenize(&s);
        let joined: String = t.reconstruct().map(|(p, _)| p).collect();
        prop_assert_eq!(joined, s.clone());
        for tok in t.tokens() {
            prop_assert!(!t.text(tok).trim().is_empty());
        }
    }

    #[test]
    fn normalization_is_idempotent(s in "[a-zA-Z’'\\-0-9 ]{0,40}") {
        for word in s.split(' ') {
            let once = crate::normalize(word);
            prop_assert_eq!(crate::normalize(&once), once.clone());
        }
    }

    /// The shortcut for ASCII small letters gives what every normalizer
    /// in order gives, for such words (spelling, number words, "cannot")
    /// and any other.
    #[test]
    fn the_lowercase_shortcut_normalizes_as_the_whole_list(
        s in "([a-z]{0,12}|colour|organisation|twelve|cannot|\\PC{0,8}|[a-zA-Z’'\\-\u{ad}]{0,10})"
    ) {
        use crate::normalize::{LOSSLESS, LOSSY, apply, lossless, lossy, normalized};
        use std::borrow::Cow;
        let whole = apply(LOSSY, apply(LOSSLESS, Cow::Borrowed(s.as_str())));
        prop_assert_eq!(&normalized(&s), &whole);
        prop_assert_eq!(&lossless(&s), &apply(LOSSLESS, Cow::Borrowed(s.as_str())));
        prop_assert_eq!(&lossy(Cow::Borrowed(s.as_str())), &apply(LOSSY, Cow::Borrowed(s.as_str())));
    }

    #[test]
    fn tokenizing_in_parts_gives_the_same_tokens(
        paras in proptest::collection::vec("(\\PC|[ \\r\\n.!?])*", 0..8),
        seps in proptest::collection::vec("[ \\r\\n]{0,4}", 8),
        part in 1usize..40,
    ) {
        // Paragraphs joined by blank lines and other whitespace, so that
        // parts end at blank lines of every kind.
        let mut text = String::new();
        for (p, sep) in paras.iter().zip(&seps) {
            text.push_str(p);
            text.push_str("\n\n");
            text.push_str(sep);
        }
        let tok = Tokenizer::default();
        let whole = tok.part(&text, 0);
        let parts = tok.in_parts(&text, part);
        prop_assert_eq!(parts.tokens(), whole.0.as_slice());
        prop_assert_eq!(parts.sentence_count(), whole.1 as usize);
    }

    #[test]
    fn char_offsets_agree(s in "\\PC{0,60}") {
        let t = Tokenizer::default().tokenize(&s);
        for tok in t.tokens() {
            prop_assert_eq!(s[..tok.span().start()].chars().count(), tok.char_start());
        }
    }
}

#[test]
fn a_long_text_is_tokenized_in_parts_as_in_one() {
    let para = "Dogs vary widely in shape. The U.S. dog\u{2019}s owner said \u{201c}no\u{201d}!\n\
                Two dogs didn't bark carnivore.The end";
    // Paragraphs end in blank lines of several kinds, some of them where
    // a sentence is still open.
    let ends = ["\n\n", "\r\n\r\n", "\n \n", " and\n\n\n"];
    let text: String = (0..3000).map(|k| format!("{k}. {para}{}", ends[k % 4])).collect();
    assert!(text.len() > super::tokenizer::PARALLEL_BYTES);
    let tok = Tokenizer::default();
    let t = tok.tokenize(&text);
    let (whole, sentences, _) = tok.part(&text, 0);
    assert_eq!(t.tokens(), whole.as_slice());
    assert_eq!(t.sentence_count(), sentences as usize);
}
