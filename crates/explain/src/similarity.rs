use std::cell::OnceCell;

use unspin_align::Similarity;
use unspin_lexicon::{Lexicon, TermId};
use unspin_text::{Token, TokenKind, TokenizedText};

/// Per-token lexicon facts, computed on first use.
struct Info {
    stem: Box<str>,
    forms: Vec<TermId>,
}

/// The lexicon-backed [`Similarity`]: equal stems 0.9, thesaurus synonyms
/// 0.8, two function words 0.4, two punctuation marks 0.4, else 0.
///
/// Per-token lookups are cached, so build one per pair of texts.
pub struct LexiconSimilarity<'a> {
    lex: &'a Lexicon,
    source: &'a TokenizedText<'a>,
    suspect: &'a TokenizedText<'a>,
    src_info: Vec<OnceCell<Info>>,
    sus_info: Vec<OnceCell<Info>>,
}

impl<'a> LexiconSimilarity<'a> {
    /// A similarity for aligning `source` with `suspect`.
    pub fn new(
        lex: &'a Lexicon,
        source: &'a TokenizedText<'a>,
        suspect: &'a TokenizedText<'a>,
    ) -> LexiconSimilarity<'a> {
        LexiconSimilarity {
            lex,
            source,
            suspect,
            src_info: (0..source.len()).map(|_| OnceCell::new()).collect(),
            sus_info: (0..suspect.len()).map(|_| OnceCell::new()).collect(),
        }
    }

    fn info<'c>(&self, cell: &'c OnceCell<Info>, token: &Token) -> &'c Info {
        cell.get_or_init(|| {
            let norm = token.norm();
            Info { stem: self.lex.stem(norm).into(), forms: self.lex.base_forms(norm) }
        })
    }
}

impl Similarity for LexiconSimilarity<'_> {
    fn similarity(&self, source: usize, suspect: usize) -> f32 {
        let (Some(a), Some(b)) =
            (self.source.tokens().get(source), self.suspect.tokens().get(suspect))
        else {
            return 0.0;
        };
        match (a.kind(), b.kind()) {
            (TokenKind::Punct, TokenKind::Punct) => return 0.4,
            (TokenKind::Punct, _) | (_, TokenKind::Punct) => return 0.0,
            _ => {}
        }
        if a.is_function_word() && b.is_function_word() {
            return 0.4;
        }
        let ia = self.info(&self.src_info[source], a);
        let ib = self.info(&self.sus_info[suspect], b);
        if ia.stem.len() >= 3 && ia.stem == ib.stem {
            return 0.9;
        }
        for &x in &ia.forms {
            for &y in &ib.forms {
                if self.lex.relation(x, y).is_some() {
                    return 0.8;
                }
            }
        }
        0.0
    }
}
