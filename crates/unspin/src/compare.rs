use std::time::Duration;

use unspin_align::{Aligner, AlignerBuilder, Passage};
use unspin_explain::{LexiconSimilarity, Substitution, explain};
use unspin_lexicon::Lexicon;
use unspin_text::{TokenKind, TokenizedText, Tokenizer};

use crate::report::{
    CharRange, PassageReport, Report, Stats, SubstitutionKind, SubstitutionReport, TextRange,
    Verdict,
};

/// Configures a [`Comparer`].
#[derive(Clone, Debug, Default)]
pub struct ComparerBuilder {
    aligner: AlignerBuilder,
}

/// An error building a [`Comparer`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The aligner configuration is invalid.
    #[error(transparent)]
    Aligner(#[from] unspin_align::BuildError),
}

impl ComparerBuilder {
    /// A builder with the defaults.
    pub fn new() -> ComparerBuilder {
        ComparerBuilder::default()
    }

    /// A time budget per comparison; past it, gaps between anchors are
    /// reported coarsely instead of being aligned word by word. By default,
    /// there is no budget.
    pub fn timeout(&mut self, budget: Option<Duration>) -> &mut ComparerBuilder {
        self.aligner.timeout(budget);
        self
    }

    /// The longest unmatched stretch (in tokens) inside a passage. By default,
    /// this is 40.
    pub fn max_gap(&mut self, tokens: usize) -> &mut ComparerBuilder {
        self.aligner.max_gap(tokens);
        self
    }

    /// The lowest share of equal tokens in a passage. By default, this is
    /// 0.3; `check` verifies candidates at 0.2, since retrieval already
    /// vouches for them.
    pub fn min_density(&mut self, share: f32) -> &mut ComparerBuilder {
        self.aligner.min_density(share);
        self
    }

    /// Validates the configuration and builds the comparer.
    pub fn build(&self) -> Result<Comparer, BuildError> {
        Ok(Comparer {
            tokenizer: Tokenizer::default(),
            aligner: self.aligner.build()?,
            lexicon: Lexicon::global(),
        })
    }
}

/// Compares an original (source) with a suspect text. Immutable, reusable,
/// `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Comparer {
    tokenizer: Tokenizer,
    aligner: Aligner,
    lexicon: &'static Lexicon,
}

impl Default for Comparer {
    fn default() -> Self {
        Comparer {
            tokenizer: Tokenizer::default(),
            aligner: Aligner::default(),
            lexicon: Lexicon::global(),
        }
    }
}

/// Shares of the passages' tokens, behind the verdict and the score.
/// Format changes (`two`/`2`, `did not`/`didn't`) do not count as changes.
#[derive(Debug, Default, Clone, Copy)]
struct Shape {
    changed: usize,
    source_len: usize,
    suspect_len: usize,
    in_place: usize,
    indels: usize,
}

impl Shape {
    fn of(passages: &[Passage], subs: &[Substitution]) -> Shape {
        let mut s = Shape::default();
        for p in passages {
            s.source_len += p.source.len();
            s.suspect_len += p.suspect.len();
        }
        for sub in subs.iter().filter(|x| x.kind != SubstitutionKind::Format) {
            let (a, b) = (sub.source.len(), sub.suspect.len());
            s.changed += a.max(b);
            s.in_place += a.min(b);
            s.indels += a.abs_diff(b);
        }
        s
    }

    /// Share of passage tokens (longer side) changed.
    fn changed(&self) -> f64 {
        let longer = self.source_len.max(self.suspect_len);
        if longer == 0 { 0.0 } else { (self.changed as f64 / longer as f64).min(1.0) }
    }

    /// Share of changes made in place.
    fn in_place_share(&self) -> f64 {
        let all = self.in_place + self.indels;
        if all == 0 { 1.0 } else { self.in_place as f64 / all as f64 }
    }

    /// Tokens (longer side) equal or changed only in format.
    fn equal(&self) -> usize {
        self.source_len.max(self.suspect_len).saturating_sub(self.changed)
    }
}

/// Above this many input bytes, the two texts are tokenized on two threads.
const PARALLEL_BYTES: usize = 64 * 1024;

/// Fewest equal tokens for reuse to count when passages cover less than
/// half of the shorter text.
const MIN_SUBSTANCE: usize = 15;

/// Fewest unchanged content words for reuse to count, under the same
/// condition: quotes and stock phrases ("he said", "for the first time")
/// align between unrelated texts on function words and punctuation.
const MIN_ANCHORS: usize = 10;

/// Share of the shorter text's content words that suffices as anchors when
/// that is fewer than [`MIN_ANCHORS`].
const SHORT_ANCHOR_SHARE: f64 = 0.15;

impl Comparer {
    /// A comparer with the default configuration.
    pub fn new() -> Comparer {
        Comparer::default()
    }

    /// Compares `source` with `suspect`.
    ///
    /// ```
    /// use unspin::{Comparer, Verdict};
    /// let source = "The domestic dog is a member of the genus Canis, which forms part of \
    ///     the wolf-like canids, and is the most widely abundant terrestrial carnivore.";
    /// let suspect = "The residential puppy is an individual from the sort Canis, which shapes \
    ///     some portion of the wolf-like canids, and is the most generally bottomless earthbound carnivore.";
    /// let report = Comparer::new().compare(source, suspect);
    /// assert_eq!(report.verdict, Verdict::Spun);
    /// assert!(report.substitutions.iter().any(|s| s.source.text == "domestic dog"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn compare(&self, source: &str, suspect: &str) -> Report {
        let (src, sus) = self.tokenize_pair(source, suspect);
        let passages = self.align(&src, &sus);
        let subs = explain(self.lexicon, &src, &sus, &passages);
        build_report(&src, &sus, &passages, &subs, source == suspect)
    }

    /// Tokenizes both texts, in parallel when they are large.
    fn tokenize_pair<'a, 'b>(
        &self,
        source: &'a str,
        suspect: &'b str,
    ) -> (TokenizedText<'a>, TokenizedText<'b>) {
        if source.len() + suspect.len() < PARALLEL_BYTES {
            return (self.tokenizer.tokenize(source), self.tokenizer.tokenize(suspect));
        }
        std::thread::scope(|scope| {
            let handle = scope.spawn(|| self.tokenizer.tokenize(suspect));
            let src = self.tokenizer.tokenize(source);
            match handle.join() {
                Ok(sus) => (src, sus),
                Err(_) => (src, self.tokenizer.tokenize(suspect)),
            }
        })
    }

    /// Aligns two tokenized texts with the lexicon-backed similarity.
    pub fn align(&self, source: &TokenizedText<'_>, suspect: &TokenizedText<'_>) -> Vec<Passage> {
        let sim = LexiconSimilarity::new(self.lexicon, source, suspect);
        self.aligner.align(source, suspect, &sim)
    }

    /// The tokenizer in use.
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }
}

fn text_range(text: &TokenizedText<'_>, span: unspin_text::Span) -> TextRange {
    let start = text.char_offset(span.start());
    let slice = &text.original()[span.range()];
    TextRange { start, end: start + slice.chars().count(), text: slice.to_string() }
}

fn char_range(text: &TokenizedText<'_>, r: &std::ops::Range<usize>) -> CharRange {
    let toks = text.tokens();
    match (toks.get(r.start), r.end.checked_sub(1).and_then(|e| toks.get(e))) {
        (Some(a), Some(b)) if r.start < r.end => {
            CharRange { start: a.char_start(), end: b.char_end() }
        }
        _ => CharRange { start: 0, end: 0 },
    }
}

/// Whether an unchanged token is reuse evidence: a word that is not a
/// function word (numbers and punctuation coincide too easily).
fn is_anchor(t: &unspin_text::Token) -> bool {
    t.kind() == TokenKind::Word && !t.is_function_word()
}

fn build_report(
    src: &TokenizedText<'_>,
    sus: &TokenizedText<'_>,
    passages: &[Passage],
    subs: &[Substitution],
    identical: bool,
) -> Report {
    let shape = Shape::of(passages, subs);
    let aligned: usize = passages.iter().map(|p| p.suspect.len()).sum();
    let substituted: usize = subs.iter().map(|s| s.suspect.len()).sum();
    let shorter = src.len().min(sus.len()).max(1);
    let coverage_shorter = shape.source_len.min(shape.suspect_len) as f64 / shorter as f64;
    let stoks = sus.tokens();
    let anchors = passages
        .iter()
        .flat_map(|p| p.ops.iter().filter(|o| o.is_equal()).flat_map(|o| o.suspect_range()))
        .filter(|&k| stoks.get(k).is_some_and(is_anchor))
        .count();
    // A short text (a passage as the query) needs fewer anchors.
    let content = |t: &TokenizedText<'_>| t.tokens().iter().filter(|t| is_anchor(t)).count();
    let shorter_content = content(src).min(content(sus));
    let min_anchors =
        MIN_ANCHORS.min((shorter_content as f64 * SHORT_ANCHOR_SHARE).ceil() as usize);
    let substantial = !passages.is_empty()
        && ((shape.equal() >= MIN_SUBSTANCE && anchors >= min_anchors) || coverage_shorter >= 0.5);
    let changed = shape.changed();
    let in_place = shape.in_place_share();
    let verdict = if identical {
        Verdict::Copy
    } else if !substantial {
        Verdict::Unrelated
    } else if changed <= 0.03 {
        Verdict::Copy
    } else if changed <= 0.65 && in_place >= 0.5 {
        Verdict::Spun
    } else {
        Verdict::Paraphrase
    };
    let coverage_suspect = aligned as f64 / sus.len().max(1) as f64;
    let spin_score = match verdict {
        Verdict::Copy | Verdict::Unrelated => 0.0,
        _ => coverage_suspect * (changed / 0.25).min(1.0) * (0.5 + 0.5 * in_place),
    };
    Report {
        verdict,
        spin_score: (spin_score.clamp(0.0, 1.0) * 1000.0).round() / 1000.0,
        passages: passages
            .iter()
            .map(|p| PassageReport {
                source: char_range(src, &p.source),
                suspect: char_range(sus, &p.suspect),
            })
            .collect(),
        substitutions: subs
            .iter()
            .map(|s| SubstitutionReport {
                source: text_range(src, s.source_span),
                suspect: text_range(sus, s.suspect_span),
                kind: s.kind,
            })
            .collect(),
        stats: Stats {
            source_tokens: src.len(),
            suspect_tokens: sus.len(),
            aligned_tokens: aligned,
            substituted_tokens: substituted,
            anchor_words: anchors,
        },
    }
}
