use std::ops::Range;

use unspin_align::{AlignOp, Passage};
use unspin_lexicon::Lexicon;
use unspin_text::{Span, Token, TokenKind, TokenizedText};

use crate::SubstitutionKind;

/// One substitution: a run of source tokens the suspect shows differently.
/// Token ranges index the texts' tokens; spans are byte spans into the
/// original texts (empty, at the insertion point, for the missing side of an
/// insertion or deletion).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Substitution {
    /// Source token range.
    pub source: Range<usize>,
    /// Suspect token range.
    pub suspect: Range<usize>,
    /// Byte span into the source text.
    pub source_span: Span,
    /// Byte span into the suspect text.
    pub suspect_span: Span,
    /// What kind of substitution it is.
    pub kind: SubstitutionKind,
}

/// The longest phrase (in tokens) tried as one thesaurus entry.
const MAX_PHRASE: usize = 4;
/// Runs longer than this on either side are not segmented: `rewrite`.
const MAX_RUN: usize = 24;

/// Explains aligned passages: one [`Substitution`] per maximal run of
/// changed tokens, plus `format` substitutions for tokens that align as equal
/// but are written differently (`two`/`2`, `colour`/`color`, case).
pub fn explain(
    lex: &Lexicon,
    source: &TokenizedText<'_>,
    suspect: &TokenizedText<'_>,
    passages: &[Passage],
) -> Vec<Substitution> {
    let cx = Context { lex, source, suspect };
    let mut out = Vec::new();
    for p in passages {
        for op in &p.ops {
            let (s, t) = (op.source_range(), op.suspect_range());
            match op {
                AlignOp::Equal { .. } => cx.format_runs(s, t, &mut out),
                _ => {
                    let kind = cx.classify(s.clone(), t.clone());
                    out.push(cx.substitution(s, t, kind));
                }
            }
        }
    }
    out
}

struct Context<'a, 't> {
    lex: &'a Lexicon,
    source: &'a TokenizedText<'t>,
    suspect: &'a TokenizedText<'t>,
}

fn span_of(text: &TokenizedText<'_>, r: &Range<usize>) -> Span {
    let toks = text.tokens();
    if r.is_empty() {
        let at = toks.get(r.start).map_or(text.original().len(), |t| t.span().start());
        return Span::new(at, at);
    }
    Span::new(toks[r.start].span().start(), toks[r.end - 1].span().end())
}

fn is_free(t: &Token) -> bool {
    t.kind() == TokenKind::Punct || t.is_function_word()
}

impl Context<'_, '_> {
    fn substitution(
        &self,
        s: Range<usize>,
        t: Range<usize>,
        kind: SubstitutionKind,
    ) -> Substitution {
        Substitution {
            source_span: span_of(self.source, &s),
            suspect_span: span_of(self.suspect, &t),
            source: s,
            suspect: t,
            kind,
        }
    }

    /// Tokens equal after normalization but written differently.
    fn format_runs(&self, s: Range<usize>, t: Range<usize>, out: &mut Vec<Substitution>) {
        let (a, b) = (self.source.tokens(), self.suspect.tokens());
        let mut k = 0;
        while k < s.len() {
            let differs =
                |k: usize| self.source.text(&a[s.start + k]) != self.suspect.text(&b[t.start + k]);
            if !differs(k) {
                k += 1;
                continue;
            }
            let k0 = k;
            while k < s.len() && differs(k) {
                k += 1;
            }
            out.push(self.substitution(
                s.start + k0..s.start + k,
                t.start + k0..t.start + k,
                SubstitutionKind::Format,
            ));
        }
    }

    fn classify(&self, s: Range<usize>, t: Range<usize>) -> SubstitutionKind {
        let a = &self.source.tokens()[s.clone()];
        let b = &self.suspect.tokens()[t.clone()];
        let all_punct = |x: &[Token]| x.iter().all(|k| k.kind() == TokenKind::Punct);
        let all_free = |x: &[Token]| x.iter().all(is_free);
        if a.is_empty() || b.is_empty() {
            let side = if a.is_empty() { b } else { a };
            return if all_punct(side) {
                SubstitutionKind::Format
            } else if all_free(side) {
                SubstitutionKind::FunctionWord
            } else if a.is_empty() {
                SubstitutionKind::Insertion
            } else {
                SubstitutionKind::Deletion
            };
        }
        if self.same_words(a, b) || (all_punct(a) && all_punct(b)) {
            return SubstitutionKind::Format;
        }
        if self.breaks_term(s.clone()) {
            return SubstitutionKind::BrokenTerm;
        }
        if all_free(a) && all_free(b) {
            return SubstitutionKind::FunctionWord;
        }
        if a.len() <= MAX_RUN && b.len() <= MAX_RUN && self.explained(a, b) {
            return SubstitutionKind::Synonym;
        }
        SubstitutionKind::Rewrite
    }

    /// The same words written differently: `did not`/`didn't`,
    /// `starch-rich`/`starch rich`.
    fn same_words(&self, a: &[Token], b: &[Token]) -> bool {
        let squash = |x: &[Token]| -> String {
            x.iter()
                .filter(|k| k.kind() != TokenKind::Punct)
                .flat_map(|k| k.norm().chars().filter(|c| c.is_alphanumeric()))
                .collect()
        };
        let (x, y) = (squash(a), squash(b));
        !x.is_empty() && x == y
    }

    /// Whether the source run breaks a proper name or fixed term: it holds a
    /// name-like word, or starts a sentence with a capitalized word right
    /// before a name-like word (`Northern Europe` at the start of a sentence).
    fn breaks_term(&self, s: Range<usize>) -> bool {
        let toks = self.source.tokens();
        if toks[s.clone()].iter().any(|k| k.is_name_like() && !k.is_function_word()) {
            return true;
        }
        let first = &toks[s.start];
        first.is_capitalized()
            && !first.is_function_word()
            && toks.get(s.end).is_some_and(|n| n.is_name_like() && n.sentence() == first.sentence())
    }

    fn lower(&self, text: &TokenizedText<'_>, x: &[Token]) -> String {
        let mut out = String::new();
        for (k, t) in x.iter().enumerate() {
            if k > 0 {
                out.push(' ');
            }
            out.push_str(&text.text(t).to_lowercase());
        }
        out
    }

    /// Whether `a` and `b` are lexicon-backed phrase pairs up to function
    /// words and punctuation, which may be added or dropped freely: a
    /// segmentation of both runs into pairs of phrases (up to four tokens a
    /// side) that the thesauri, the stemmer or the tortured-phrase list
    /// explain.
    fn explained(&self, a: &[Token], b: &[Token]) -> bool {
        let (m, n) = (a.len(), b.len());
        let whole_a = self.lower(self.source, a);
        let whole_b = self.lower(self.suspect, b);
        if self.lex.tortured(&whole_b) == Some(whole_a.as_str()) {
            return true;
        }
        // reach[x][y]: a prefix of length x of `a` and y of `b` is explained.
        let w = n + 1;
        let mut reach = vec![false; (m + 1) * w];
        reach[0] = true;
        for x in 0..=m {
            for y in 0..=n {
                if !reach[x * w + y] {
                    continue;
                }
                if x < m && is_free(&a[x]) {
                    reach[(x + 1) * w + y] = true;
                }
                if y < n && is_free(&b[y]) {
                    reach[x * w + y + 1] = true;
                }
                for dx in 1..=MAX_PHRASE.min(m - x) {
                    for dy in 1..=MAX_PHRASE.min(n - y) {
                        if !reach[(x + dx) * w + y + dy] && self.pair(&a[x..x + dx], &b[y..y + dy])
                        {
                            reach[(x + dx) * w + y + dy] = true;
                        }
                    }
                }
            }
        }
        reach[m * w + n]
    }

    fn pair(&self, a: &[Token], b: &[Token]) -> bool {
        if self.same_words(a, b) {
            return true;
        }
        if a.len() == 1 && b.len() == 1 {
            let (x, y) = (a[0].norm(), b[0].norm());
            let (sx, sy) = (self.lex.stem(x), self.lex.stem(y));
            if sx.len() >= 3 && sx == sy {
                return true;
            }
        }
        let (x, y) = (self.lower(self.source, a), self.lower(self.suspect, b));
        self.lex.related(&x, &y) || self.lex.tortured(&y) == Some(x.as_str())
    }
}
