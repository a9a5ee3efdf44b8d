use std::collections::{HashMap, HashSet};
use std::ops::Range;

use unspin::CharRange;
use unspin::align::{Aligner, AlignerBuilder, Passage, Similarity};
use unspin::explain::LexiconSimilarity;
use unspin::lexicon::Lexicon;
use unspin::text::{Token, TokenizedText, Tokenizer};

/// A detected reuse: character ranges in the suspicious and the source
/// document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Detection {
    /// Range in the suspicious document (PAN's `this_offset`/`this_length`).
    pub suspect: CharRange,
    /// Range in the source document.
    pub source: CharRange,
}

/// Configures a [`Detector`].
#[derive(Clone, Debug)]
pub struct DetectorBuilder {
    min_chars: usize,
    merge_gap: usize,
    summary_source_gap: usize,
    min_content_kept: usize,
    min_density: f32,
    aligner_density: f32,
    snap: usize,
    snap_source: usize,
    aligner_min_equal: usize,
    rounds: usize,
    summary_mode: bool,
    verbatim_mode: bool,
    shuffled_mode: bool,
    reorder_sentences: usize,
}

impl Default for DetectorBuilder {
    fn default() -> Self {
        DetectorBuilder {
            min_chars: 100,
            merge_gap: 300,
            summary_source_gap: 3000,
            min_content_kept: 10,
            min_density: 0.2,
            aligner_density: 0.2,
            snap: 10,
            snap_source: 10,
            aligner_min_equal: 8,
            rounds: 8,
            summary_mode: true,
            verbatim_mode: true,
            shuffled_mode: true,
            reorder_sentences: 2,
        }
    }
}

impl DetectorBuilder {
    /// A builder with the defaults.
    pub fn new() -> DetectorBuilder {
        DetectorBuilder::default()
    }

    /// Detections shorter than this (characters, on either side) are dropped.
    /// By default, this is 100.
    pub fn min_chars(&mut self, chars: usize) -> &mut DetectorBuilder {
        self.min_chars = chars;
        self
    }

    /// Passages closer than this many characters on both sides are merged
    /// into one detection (PAN counts fragments against granularity). By
    /// default, this is 300.
    pub fn merge_gap(&mut self, chars: usize) -> &mut DetectorBuilder {
        self.merge_gap = chars;
        self
    }

    /// The largest source-side gap (characters) bridged when merging, as long
    /// as the suspect-side gap is within [`DetectorBuilder::merge_gap`]: a
    /// summary skips much of its source. By default, this is 3000.
    pub fn summary_source_gap(&mut self, chars: usize) -> &mut DetectorBuilder {
        self.summary_source_gap = chars;
        self
    }

    /// The fewest kept content words (not function words, not punctuation)
    /// a detection needs: equal, or replaced one for one by a thesaurus
    /// neighbour or another form of the same word. By default, this is 10.
    pub fn min_content_kept(&mut self, words: usize) -> &mut DetectorBuilder {
        self.min_content_kept = words;
        self
    }

    /// The lowest share of kept content words among the content words of a
    /// detection's suspect side. By default, this is 0.2.
    pub fn min_density(&mut self, share: f32) -> &mut DetectorBuilder {
        self.min_density = share;
        self
    }

    /// The aligner's own passage density threshold. By default, this is 0.2.
    pub fn aligner_density(&mut self, share: f32) -> &mut DetectorBuilder {
        self.aligner_density = share;
        self
    }

    /// Extends a detection's edges to the start and end of their sentences
    /// when those are at most this many tokens away (obfuscation garbles the
    /// edges of a reused passage, which usually spans whole sentences). By
    /// default, this is 10; 0 turns it off.
    pub fn snap(&mut self, tokens: usize) -> &mut DetectorBuilder {
        self.snap = tokens;
        self
    }

    /// [`DetectorBuilder::snap`] for the source side.
    /// By default, this is 10.
    pub fn snap_source(&mut self, tokens: usize) -> &mut DetectorBuilder {
        self.snap_source = tokens;
        self
    }

    /// The aligner's fewest equal tokens per passage; fragments merge into a
    /// detection before the detection thresholds apply. By default, this is 8.
    pub fn aligner_min_equal(&mut self, tokens: usize) -> &mut DetectorBuilder {
        self.aligner_min_equal = tokens;
        self
    }

    /// The aligner's chaining rounds (each finds passages in another order;
    /// reordered sentences need more). By default, this is 8.
    pub fn rounds(&mut self, rounds: usize) -> &mut DetectorBuilder {
        self.rounds = rounds.max(1);
        self
    }

    /// Summary mode: a short suspect passage matched thinly across much of a
    /// longer source document is reported against the whole document. By
    /// default, this is on.
    pub fn summary_mode(&mut self, on: bool) -> &mut DetectorBuilder {
        self.summary_mode = on;
        self
    }

    /// Verbatim mode: in a pair with a verbatim copied passage, passages
    /// with under half their content words equal are dropped (boilerplate
    /// shared by similar pages, not reuse). By default, this is on.
    pub fn verbatim_mode(&mut self, on: bool) -> &mut DetectorBuilder {
        self.verbatim_mode = on;
        self
    }

    /// Shuffled mode: a pair with no detection is searched for short
    /// passages shuffled beyond the aligner's monotone chains (windows of
    /// suspect content words clustering in a short source span, with some
    /// of their word pairs and triples). By default, this is on.
    pub fn shuffled_mode(&mut self, on: bool) -> &mut DetectorBuilder {
        self.shuffled_mode = on;
        self
    }

    /// Reordered sentences: up to this many suspect sentences on either
    /// side of a detection join it when most of their content words occur
    /// close together near its source side (random obfuscation moves
    /// sentences within a passage). As many source sentences next to its
    /// source side join it when most of their distinct content words occur
    /// on its suspect side (shuffled into it). By default, this is 2; 0
    /// turns both off.
    pub fn reorder_sentences(&mut self, sentences: usize) -> &mut DetectorBuilder {
        self.reorder_sentences = sentences;
        self
    }

    /// Builds the detector.
    pub fn build(&self) -> Detector {
        let aligner = AlignerBuilder::new()
            .min_density(self.aligner_density.clamp(0.0, 1.0))
            .min_equal(self.aligner_min_equal)
            .max_rounds(self.rounds)
            .build()
            .unwrap_or_default();
        Detector { cfg: self.clone(), tokenizer: Tokenizer::default(), aligner }
    }
}

/// Detects reused passages between a suspicious and a source document: the
/// `compare` aligner, then a passage layer that merges fragments of one case
/// and drops weak or short ones.
#[derive(Clone, Debug)]
pub struct Detector {
    cfg: DetectorBuilder,
    tokenizer: Tokenizer,
    aligner: Aligner,
}

impl Default for Detector {
    fn default() -> Self {
        DetectorBuilder::default().build()
    }
}

/// Fragments merged so far.
#[derive(Clone, Debug)]
struct Group {
    suspect: Range<usize>,
    source: Range<usize>,
    content_kept: usize,
}

/// Reordered sentences: the share of a sentence's distinct content words
/// that must occur close together in the source.
const REORDER_SHARE: f32 = 0.5;

/// A reordered source sentence needs at least this many distinct content
/// words...
const SOURCE_SENTENCE_MIN: usize = 4;
/// ...of which at least this share must occur on the suspect side.
const SOURCE_SENTENCE_SHARE: f32 = 0.6;

/// Share of kept content words above which a passage counts as verbatim.
const VERBATIM: f32 = 0.8;

/// Verbatim mode: a pair with a passage of at least this share of kept
/// content words (of the longer side's) is a verbatim copy...
const VERBATIM_PAIR: f32 = 0.95;
/// ...and its other passages need at least this share.
const VERBATIM_PAIR_OTHERS: f32 = 0.5;

/// A verbatim passage with at least this many kept content words is a
/// copy, not a summary's sentence: it merges only with close neighbours.
const VERBATIM_LONG: usize = 40;

/// Widens `r` to the start of its first sentence and the end of its last
/// when they are at most `max` tokens away. With `lines`, a line break also
/// bounds a sentence (reused passages often start on a new line).
fn snap(text: &str, toks: &[Token], r: Range<usize>, max: usize, lines: bool) -> Range<usize> {
    if max == 0 || r.is_empty() {
        return r;
    }
    // Whether a sentence (or a line) starts at token `k`.
    let starts = |k: usize| {
        k == 0
            || k == toks.len()
            || toks[k - 1].sentence() != toks[k].sentence()
            || (lines
                && text
                    .get(toks[k - 1].span().end()..toks[k].span().start())
                    .is_some_and(|gap| gap.contains('\n')))
    };
    let (mut a, mut b) = (r.start, r.end);
    let mut k = a;
    while !starts(k) && a - k < max {
        k -= 1;
    }
    if starts(k) {
        a = k;
    }
    let mut k = b;
    while !starts(k) && k - b < max {
        k += 1;
    }
    if starts(k) {
        b = k;
    }
    a..b
}

fn is_content(t: &Token) -> bool {
    t.is_wordlike() && !t.is_function_word()
}

/// The sentence of `toks` ending just before token `end`.
fn sentence_before(toks: &[Token], end: usize) -> Option<Range<usize>> {
    let last = toks[end.checked_sub(1)?].sentence();
    let start = toks[..end].iter().rposition(|t| t.sentence() != last).map_or(0, |k| k + 1);
    Some(start..end)
}

/// The sentence of `toks` starting at token `start`.
fn sentence_from(toks: &[Token], start: usize) -> Option<Range<usize>> {
    let first = toks.get(start)?.sentence();
    let end =
        toks[start..].iter().position(|t| t.sentence() != first).map_or(toks.len(), |k| start + k);
    Some(start..end)
}

/// The distinct normalized content words of `toks[r]`.
fn content_words(toks: &[Token], r: Range<usize>) -> HashSet<&str> {
    toks[r].iter().filter(|t| is_content(t)).map(|t| t.norm()).collect()
}

/// The densest stretch of `hits` (positions, sorted, with their words):
/// the most distinct words among hits at most `span` positions apart, and
/// the first and last index into `hits` of the first stretch holding them.
fn densest(hits: &[(usize, &str)], span: usize) -> (usize, usize, usize) {
    let (mut best, mut from, mut to) = (0usize, 0usize, 0usize);
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut j = 0;
    for (i, &(at, word)) in hits.iter().enumerate() {
        *counts.entry(word).or_default() += 1;
        while at - hits[j].0 > span {
            if let Some(n) = counts.get_mut(hits[j].1) {
                *n -= 1;
                if *n == 0 {
                    counts.remove(hits[j].1);
                }
            }
            j += 1;
        }
        if counts.len() > best {
            (best, from, to) = (counts.len(), j, i);
        }
    }
    (best, from, to)
}

/// How many distinct `n`-word runs of `ours` occur in `theirs`.
fn shared_runs(ours: &[&str], theirs: &[&str], n: usize) -> usize {
    let runs: HashSet<&[&str]> = theirs.windows(n).collect();
    ours.windows(n).collect::<HashSet<_>>().into_iter().filter(|w| runs.contains(w)).count()
}

/// Summary mode: a detection whose source side is this many times longer
/// than its suspect side or more...
const SUMMARY_STRETCH: f32 = 1.5;
/// ...in a source document at least this many times longer than the suspect
/// side...
const SUMMARY_DOC_STRETCH: f32 = 3.0;
/// ...of at least this many characters (a summary condenses a few
/// paragraphs at least)...
const SUMMARY_MIN_DOC: f32 = 2000.0;
/// ...covering at least this share of that document...
const SUMMARY_COVERAGE: f32 = 0.2;
/// ...where fewer than this share of the source side's content words occur
/// on the suspect side, is a summary of the whole source document.
const SUMMARY_DENSITY: f32 = 0.45;

impl Detector {
    /// Summary mode: a short suspect passage whose matches are spread thinly
    /// over much of a longer source document summarizes that document, so
    /// the detection's source side becomes the whole document (as in the
    /// PAN summary cases, and as top systems' summary modes assume).
    fn summary(&self, ts: &[Token], tr: &[Token], g: Group) -> Group {
        if !self.cfg.summary_mode || tr.is_empty() || g.suspect.is_empty() || g.source.is_empty() {
            return g;
        }
        let chars = |toks: &[Token], r: &Range<usize>| {
            (toks[r.end - 1].char_end() - toks[r.start].char_start()) as f32
        };
        let (sus, src, doc) =
            (chars(ts, &g.suspect), chars(tr, &g.source), chars(tr, &(0..tr.len())));
        if src < SUMMARY_STRETCH * sus
            || doc < SUMMARY_MIN_DOC
            || doc < SUMMARY_DOC_STRETCH * sus
            || src < SUMMARY_COVERAGE * doc
        {
            return g;
        }
        let words = content_words(ts, g.suspect.clone());
        let (mut shared, mut all) = (0usize, 0usize);
        for t in tr[g.source.clone()].iter().filter(|t| is_content(t)) {
            all += 1;
            shared += usize::from(words.contains(t.norm()));
        }
        if (shared as f32) < SUMMARY_DENSITY * all.max(1) as f32 {
            Group { source: 0..tr.len(), ..g }
        } else {
            g
        }
    }

    /// Reordered sentences: random obfuscation moves sentences within a
    /// reused passage, and the aligner's chains miss one that moved to an
    /// edge. A suspect sentence next to a detection joins it when most of
    /// its content words occur close together in the source near the
    /// detection's source side (which then covers them too).
    fn reordered(&self, ts: &[Token], tr: &[Token], mut g: Group) -> Group {
        if self.cfg.reorder_sentences == 0 || g.suspect.is_empty() || g.source.is_empty() {
            return g;
        }
        let reach = self.cfg.merge_gap;
        // The source tokens within `reach` characters of the source side.
        let lo = {
            let c = tr[g.source.start].char_start().saturating_sub(reach);
            tr.partition_point(|t| t.char_start() < c)
        };
        let hi = {
            let c = tr[g.source.end - 1].char_end() + reach;
            tr.partition_point(|t| t.char_start() < c)
        };
        // Where `s`'s content words cluster in the source window, if they
        // are most of them.
        let matched = |s: &Range<usize>| -> Option<Range<usize>> {
            let words = content_words(ts, s.clone());
            if words.len() < 4 {
                return None;
            }
            let hits: Vec<(usize, &str)> = (lo..hi)
                .filter(|&k| is_content(&tr[k]) && words.contains(tr[k].norm()))
                .map(|k| (k, tr[k].norm()))
                .collect();
            // The densest stretch of at most `span` tokens.
            let span = 2 * s.len();
            let (best, at, _) = densest(&hits, span);
            let need = (words.len() as f32 * REORDER_SHARE).ceil() as usize;
            if best < need.max(4) {
                return None;
            }
            let first = hits[at].0;
            let last = hits[at..].iter().map(|h| h.0).take_while(|&k| k - first <= span).last()?;
            Some(first..last + 1)
        };
        for _ in 0..self.cfg.reorder_sentences {
            let Some(s) = sentence_before(ts, g.suspect.start) else { break };
            match matched(&s) {
                Some(r) => {
                    g.suspect.start = s.start;
                    g.source = g.source.start.min(r.start)..g.source.end.max(r.end);
                }
                None => break,
            }
        }
        for _ in 0..self.cfg.reorder_sentences {
            let Some(s) = sentence_from(ts, g.suspect.end) else { break };
            match matched(&s) {
                Some(r) => {
                    g.suspect.end = s.end;
                    g.source = g.source.start.min(r.start)..g.source.end.max(r.end);
                }
                None => break,
            }
        }
        g
    }

    /// Reordered source sentences: random obfuscation shuffles a reused
    /// passage, so the aligner's monotone chains can miss a source sentence
    /// at the edge of a detection whose words moved inside the suspect side.
    /// A source sentence next to the detection's source side joins it when
    /// most of its distinct content words occur on the suspect side.
    fn source_sentences(&self, ts: &[Token], tr: &[Token], mut g: Group) -> Group {
        if self.cfg.reorder_sentences == 0 || g.suspect.is_empty() || g.source.is_empty() {
            return g;
        }
        let words = content_words(ts, g.suspect.clone());
        // Whether most of the distinct content words of `s` are `words`.
        let matched = |s: Range<usize>| -> bool {
            let own = content_words(tr, s);
            let hits = own.iter().filter(|w| words.contains(*w)).count();
            own.len() >= SOURCE_SENTENCE_MIN
                && hits as f32 >= SOURCE_SENTENCE_SHARE * own.len() as f32
        };
        for _ in 0..self.cfg.reorder_sentences {
            let Some(s) = sentence_before(tr, g.source.start) else { break };
            if !matched(s.clone()) {
                break;
            }
            g.source.start = s.start;
        }
        for _ in 0..self.cfg.reorder_sentences {
            let Some(s) = sentence_from(tr, g.source.end) else { break };
            if !matched(s.clone()) {
                break;
            }
            g.source.end = s.end;
        }
        g
    }

    /// The reused passages of `source` in `suspect`, ordered by suspect
    /// position.
    pub fn detect(&self, suspect: &str, source: &str) -> Vec<Detection> {
        let sus = self.tokenizer.tokenize(suspect);
        let src = self.tokenizer.tokenize(source);
        // One similarity (and its per-token lexicon cache) for both stages.
        let sim = LexiconSimilarity::new(Lexicon::global(), &src, &sus);
        let passages = self.aligner.align(&src, &sus, &sim);
        self.select_with(&src, &sus, &passages, &sim)
    }

    /// Aligns two tokenized documents (source first) with the lexicon.
    pub fn align(&self, src: &TokenizedText<'_>, sus: &TokenizedText<'_>) -> Vec<Passage> {
        let sim = LexiconSimilarity::new(Lexicon::global(), src, sus);
        self.aligner.align(src, sus, &sim)
    }

    /// The tokenizer in use.
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// The passage layer: merges the aligned passages of one pair into
    /// detections and keeps those that pass the thresholds.
    pub fn select(
        &self,
        src: &TokenizedText<'_>,
        sus: &TokenizedText<'_>,
        passages: &[Passage],
    ) -> Vec<Detection> {
        let sim = LexiconSimilarity::new(Lexicon::global(), src, sus);
        self.select_with(src, sus, passages, &sim)
    }

    /// [`Detector::select`] with the pair's similarity already built.
    fn select_with(
        &self,
        src: &TokenizedText<'_>,
        sus: &TokenizedText<'_>,
        passages: &[Passage],
        sim: &LexiconSimilarity<'_>,
    ) -> Vec<Detection> {
        let (ts, tr) = (sus.tokens(), src.tokens());
        // Content words kept, or replaced one for one by a thesaurus
        // neighbour or another form of the same word.
        let kept = |p: &Passage| -> usize {
            let mut n = 0;
            for o in &p.ops {
                let (a, b) = (o.source_range(), o.suspect_range());
                if o.is_equal() {
                    n += b.filter(|&k| is_content(&ts[k])).count();
                } else if a.len() == b.len() {
                    n += a
                        .zip(b)
                        .filter(|&(i, j)| is_content(&ts[j]) && sim.similarity(i, j) >= 0.8)
                        .count();
                }
            }
            n
        };
        let mut groups: Vec<Group> = passages
            .iter()
            .filter(|p| !p.source.is_empty() && !p.suspect.is_empty())
            .map(|p| Group {
                suspect: p.suspect.clone(),
                source: p.source.clone(),
                content_kept: kept(p),
            })
            .collect();
        groups.sort_by_key(|g| (g.suspect.start, g.source.start));
        let gap_chars = |toks: &[Token], a: &Range<usize>, b: &Range<usize>| -> usize {
            let (first, second) = if a.start <= b.start { (a, b) } else { (b, a) };
            if second.start <= first.end {
                0
            } else {
                toks[second.start].char_start().saturating_sub(toks[first.end - 1].char_end())
            }
        };
        // Kept content words per content word of the longer side.
        let density = |g: &Group| {
            let sus = g.suspect.clone().filter(|&k| is_content(&ts[k])).count();
            let src = g.source.clone().filter(|&k| is_content(&tr[k])).count();
            g.content_kept as f32 / sus.max(src).max(1) as f32
        };
        // The wide source gap is for summaries: a long verbatim passage only
        // merges with what follows it closely on both sides.
        let copied = |g: &Group| g.content_kept >= VERBATIM_LONG && density(g) >= VERBATIM;
        let mut merged: Vec<Group> = Vec::new();
        for g in groups {
            if let Some(last) = merged.last_mut() {
                let sg = gap_chars(ts, &last.suspect, &g.suspect);
                let rg = gap_chars(tr, &last.source, &g.source);
                let source_gap = if copied(last) || copied(&g) {
                    self.cfg.merge_gap
                } else {
                    self.cfg.merge_gap.max(self.cfg.summary_source_gap)
                };
                if sg <= self.cfg.merge_gap && rg <= source_gap {
                    last.suspect = last.suspect.start.min(g.suspect.start)
                        ..last.suspect.end.max(g.suspect.end);
                    last.source =
                        last.source.start.min(g.source.start)..last.source.end.max(g.source.end);
                    last.content_kept += g.content_kept;
                    continue;
                }
            }
            merged.push(g);
        }
        let cfg = &self.cfg;
        // Verbatim mode: a pair with a copied passage is a verbatim copy;
        // its loosely similar passages are shared boilerplate, not reuse.
        let verbatim = cfg.verbatim_mode
            && merged
                .iter()
                .any(|g| g.content_kept >= cfg.min_content_kept && density(g) >= VERBATIM_PAIR);
        let selected = merged
            .into_iter()
            .filter(|g| !verbatim || density(g) >= VERBATIM_PAIR_OTHERS)
            .map(|g| {
                let content = g.suspect.clone().filter(|&k| is_content(&ts[k])).count().max(1);
                (g, content)
            })
            .filter(|(g, content)| {
                g.content_kept >= cfg.min_content_kept
                    && g.content_kept as f32 >= cfg.min_density * *content as f32
            })
            .map(|(g, content)| {
                // Verbatim passages have exact edges; only snap obfuscated ones.
                let obfuscated = (g.content_kept as f32) < VERBATIM * content as f32;
                let (max, max_source) =
                    if obfuscated { (cfg.snap, cfg.snap_source) } else { (0, 0) };
                // A source passage often starts on a new line; the suspect
                // side's lines are the obfuscator's, not the author's.
                Group {
                    suspect: snap(sus.original(), ts, g.suspect, max, false),
                    source: snap(src.original(), tr, g.source, max_source, true),
                    ..g
                }
            })
            // Verbatim passages have exact edges: only obfuscated ones.
            .map(|g| {
                if density(&g) < VERBATIM_PAIR {
                    self.source_sentences(ts, tr, self.reordered(ts, tr, g))
                } else {
                    g
                }
            })
            .fold(Vec::<Group>::new(), |mut out, g| {
                // Extended detections that now overlap are one.
                match out.last_mut() {
                    Some(last) if g.suspect.start < last.suspect.end => {
                        last.suspect = last.suspect.start..last.suspect.end.max(g.suspect.end);
                        last.source = last.source.start.min(g.source.start)
                            ..last.source.end.max(g.source.end);
                        last.content_kept += g.content_kept;
                    }
                    _ => out.push(g),
                }
                out
            })
            .into_iter()
            .map(|g| self.summary(ts, tr, g))
            .fold(Vec::<Group>::new(), |mut out, g| {
                // Two parts of one summary of the whole document are one case.
                let whole = 0..tr.len();
                match out.last_mut() {
                    Some(last)
                        if (last.source == whole || g.source == whole)
                            && gap_chars(ts, &last.suspect, &g.suspect) <= 2 * cfg.merge_gap =>
                    {
                        last.suspect = last.suspect.start.min(g.suspect.start)
                            ..last.suspect.end.max(g.suspect.end);
                        last.source = whole;
                        last.content_kept += g.content_kept;
                    }
                    _ => out.push(g),
                }
                out
            })
            .into_iter();
        let found = self.detections(ts, tr, selected);
        if !found.is_empty() || !cfg.shuffled_mode {
            return found;
        }
        // A shuffled passage's edges are obfuscated ones: snapped.
        let shuffled = self.shuffled(ts, tr).into_iter().map(|g| Group {
            suspect: snap(sus.original(), ts, g.suspect, cfg.snap, false),
            source: snap(src.original(), tr, g.source, cfg.snap_source, true),
            ..g
        });
        self.detections(ts, tr, shuffled)
    }

    /// Groups as detections in characters, the short ones dropped.
    fn detections(
        &self,
        ts: &[Token],
        tr: &[Token],
        groups: impl Iterator<Item = Group>,
    ) -> Vec<Detection> {
        groups
            .map(|g| Detection {
                suspect: CharRange {
                    start: ts[g.suspect.start].char_start(),
                    end: ts[g.suspect.end - 1].char_end(),
                },
                source: CharRange {
                    start: tr[g.source.start].char_start(),
                    end: tr[g.source.end - 1].char_end(),
                },
            })
            .filter(|d| {
                d.suspect.end - d.suspect.start >= self.cfg.min_chars
                    && d.source.end - d.source.start >= self.cfg.min_chars
            })
            .collect()
    }

    /// Shuffled mode, for a pair with no detection: random obfuscation can
    /// shuffle a short passage beyond the aligner's monotone chains. A
    /// window of [`SHUFFLED_WINDOW`] suspect content words is a shuffled
    /// copy when most of its distinct words cluster in a short source span
    /// and enough of its word pairs and triples occur near that span (the
    /// local wording a shuffle keeps, which topical overlap lacks).
    /// Overlapping windows are one passage.
    fn shuffled(&self, ts: &[Token], tr: &[Token]) -> Vec<Group> {
        // A content word's key: its first six characters (inflections agree).
        fn key(t: &Token) -> &str {
            let n = t.norm();
            n.char_indices().nth(SHUFFLED_PREFIX).map_or(n, |(i, _)| &n[..i])
        }
        let sc: Vec<usize> = (0..ts.len()).filter(|&k| is_content(&ts[k])).collect();
        let rc: Vec<usize> = (0..tr.len()).filter(|&k| is_content(&tr[k])).collect();
        let mut at: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, &k) in rc.iter().enumerate() {
            at.entry(key(&tr[k])).or_default().push(i);
        }
        fn words(toks: &[Token], r: Range<usize>) -> Vec<&str> {
            toks[r].iter().filter(|t| t.is_wordlike()).map(|t| t.norm()).collect()
        }
        let mut found: Vec<Group> = Vec::new();
        let span = SHUFFLED_SPAN * SHUFFLED_WINDOW;
        for a in (0..sc.len().saturating_sub(SHUFFLED_WINDOW - 1)).step_by(SHUFFLED_STEP) {
            let window = &sc[a..a + SHUFFLED_WINDOW];
            let distinct: HashSet<&str> = window.iter().map(|&k| key(&ts[k])).collect();
            if distinct.len() < SHUFFLED_MIN_WORDS {
                continue;
            }
            let mut hits: Vec<(usize, &str)> = distinct
                .iter()
                .flat_map(|w| at.get(w).into_iter().flatten().map(move |&i| (i, *w)))
                .collect();
            hits.sort_unstable();
            // The source span of at most `span` content words holding the
            // most distinct words of the window.
            let (best, from, to) = densest(&hits, span);
            if (best as f32) < SHUFFLED_SHARE * distinct.len() as f32 {
                continue;
            }
            let source = rc[hits[from].0]..rc[hits[to].0] + 1;
            // The suspect side from the first to the last window word found.
            let matched: HashSet<&str> = hits[from..=to].iter().map(|h| h.1).collect();
            let first = window.iter().find(|&&k| matched.contains(key(&ts[k])));
            let last = window.iter().rev().find(|&&k| matched.contains(key(&ts[k])));
            let (Some(&first), Some(&last)) = (first, last) else { continue };
            let suspect = first..last + 1;
            // Word pairs and triples of the window near the source span.
            let near = {
                let lo = tr[source.start].char_start().saturating_sub(SHUFFLED_NEAR);
                let hi = tr[source.end - 1].char_end() + SHUFFLED_NEAR;
                tr.partition_point(|t| t.char_start() < lo)
                    ..tr.partition_point(|t| t.char_start() < hi)
            };
            let (ours, theirs) = (words(ts, suspect.clone()), words(tr, near));
            if shared_runs(&ours, &theirs, 2) < SHUFFLED_PAIRS
                || shared_runs(&ours, &theirs, 3) < SHUFFLED_TRIPLES
            {
                continue;
            }
            match found.last_mut() {
                Some(last) if suspect.start < last.suspect.end => {
                    last.suspect =
                        last.suspect.start.min(suspect.start)..last.suspect.end.max(suspect.end);
                    last.source =
                        last.source.start.min(source.start)..last.source.end.max(source.end);
                    last.content_kept += best;
                }
                _ => found.push(Group { suspect, source, content_kept: best }),
            }
        }
        found
    }
}

/// Shuffled mode: suspect content words per window...
const SHUFFLED_WINDOW: usize = 12;
/// ...taken every this many content words...
const SHUFFLED_STEP: usize = 5;
/// ...with at least this many distinct ones (first six characters)...
const SHUFFLED_MIN_WORDS: usize = 10;
const SHUFFLED_PREFIX: usize = 6;
/// ...of which at least this share occur within a source span of this many
/// times the window's length in content words...
const SHUFFLED_SHARE: f32 = 0.5;
const SHUFFLED_SPAN: usize = 2;
/// ...and at least this many distinct word pairs and triples of the window
/// occur within this many characters of that span.
const SHUFFLED_PAIRS: usize = 7;
const SHUFFLED_TRIPLES: usize = 2;
const SHUFFLED_NEAR: usize = 200;

#[cfg(test)]
mod tests {
    use super::*;

    /// Source sentences about one story; the summary keeps a run of each.
    const SENTENCES: [(&str, &str); 6] = [
        (
            "The regional council approved a new budget for the hospital in Leeds",
            " after months of argument between managers, unions and patient groups about staffing.",
        ),
        (
            "Surgeons at the hospital warned that waiting lists for hip operations",
            " had grown longer every winter since the closure of the old orthopaedic unit in Otley.",
        ),
        (
            "The chief executive promised that night shifts on the emergency wards",
            " would be reviewed before December, and that agency nurses would be paid on time.",
        ),
        (
            "Patient groups welcomed the decision but said that parking charges",
            " remained the most common complaint they heard from visitors and families every week.",
        ),
        (
            "Engineers will begin replacing the heating system in the maternity building",
            " during the spring, once the contractors have finished surveying the basement pipes.",
        ),
        (
            "Councillors agreed to publish monthly figures on ambulance handover times",
            " so that residents could judge whether the new money was making any difference.",
        ),
    ];

    /// What the summary leaves out of every source sentence as well.
    const AFTER: &str = "Reporters from several regional newspapers followed every \
        stage of this long dispute closely through the autumn months.";

    fn pair() -> (String, String) {
        let mut source = String::new();
        let mut summary = String::new();
        for (kept, rest) in SENTENCES {
            source.push_str(&format!("{kept}{rest} {AFTER} "));
            summary.push_str(&format!("{kept}. "));
        }
        source.push_str(
            &"A long history of the town follows, with its markets, mills and churches. "
                .repeat(12),
        );
        let suspect = format!(
            "{}{summary}{}",
            "Gardeners across the county prepared their roses for the frost. ".repeat(4),
            "Trains to the coast ran late all weekend because of engineering work. ".repeat(4)
        );
        (source, suspect)
    }

    #[test]
    fn summary_mode_reports_the_whole_source_document() {
        let (source, suspect) = pair();
        let found = Detector::default().detect(&suspect, &source);
        assert_eq!(found.len(), 1, "{found:?}");
        let whole = source.trim_end().chars().count();
        assert_eq!((found[0].source.start, found[0].source.end), (0, whole));
        let plain = DetectorBuilder::new().summary_mode(false).build().detect(&suspect, &source);
        assert_eq!(plain.len(), 1, "{plain:?}");
        let story = source.find("A long history").unwrap_or(0);
        assert!(plain[0].source.end <= story, "{plain:?}");
    }

    #[test]
    fn a_verbatim_passage_is_not_a_summary() {
        let (source, _) = pair();
        let reused: String = SENTENCES.iter().map(|(a, b)| format!("{a}{b} {AFTER} ")).collect();
        let suspect =
            format!("{}{reused}", "Gardeners prepared their roses for the frost. ".repeat(4));
        let found = Detector::default().detect(&suspect, &source);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].source.start, 0);
        assert!(found[0].source.end <= reused.trim_end().chars().count(), "{found:?}");
    }

    /// The template text of two drug pages: similar, but not reuse.
    const TEMPLATE_SOURCE: &str = "How Does Zoloft Work? Zoloft is part of a class of drugs \
        called selective serotonin reuptake inhibitors, or SSRIs for short. Common side effects \
        of Zoloft include dry mouth, insomnia, nausea and dizziness. Zoloft is manufactured by \
        Pfizer, and several different manufacturers make a generic version of it for patients.";
    const TEMPLATE_SUSPECT: &str = "How Does Maxalt Work? Maxalt is part of a class of \
        medicines called triptans, which narrow swollen blood vessels around the brain during a \
        migraine attack. Common side effects of Maxalt include tiredness, chest pain, a sore \
        throat, nausea and dizziness. Maxalt is made by Merck in New Jersey, and several \
        different companies in India make a generic version of it for patients.";

    #[test]
    fn verbatim_mode_drops_boilerplate_beside_a_copied_passage() {
        let copied: String = SENTENCES.iter().map(|(a, b)| format!("{a}{b} ")).collect();
        let filler = "Trains to the coast ran late all weekend because of engineering work. ";
        let source = format!("{copied}{}{TEMPLATE_SOURCE}", filler.repeat(6));
        let suspect = format!(
            "{copied}{}{TEMPLATE_SUSPECT}",
            "Gardeners across the county prepared their roses for the frost. ".repeat(6)
        );
        let plain = DetectorBuilder::new().verbatim_mode(false).build().detect(&suspect, &source);
        assert_eq!(plain.len(), 2, "{plain:?}");
        let found = Detector::default().detect(&suspect, &source);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].suspect.start, 0);
        // Without the copied passage the template match stands.
        let alone = Detector::default().detect(TEMPLATE_SUSPECT, TEMPLATE_SOURCE);
        assert_eq!(alone.len(), 1, "{alone:?}");
    }

    #[test]
    fn a_sentence_moved_to_the_edge_of_a_passage_joins_it() {
        let full: String = SENTENCES.iter().map(|(a, b)| format!("{a}{b} ")).collect();
        // Obfuscated: the suspect keeps the first part of each sentence.
        let kept: String = SENTENCES.iter().map(|(a, _)| format!("{a}. ")).collect();
        let last = "The harbour master closed the northern pier after autumn storms damaged \
            its old wooden railings.";
        let source = format!("{full}{last} {}", AFTER.repeat(3));
        // The last sentence moved to the front and rephrased: most of its
        // content words, too few in one run for the aligner's chains.
        let moved = "Autumn storms damaged old wooden railings, so the harbour master shut \
            the northern pier.";
        let filler = "Gardeners across the county prepared their roses for the frost. ";
        let suspect = format!("{}{moved} {kept}{}", filler.repeat(4), filler.repeat(4));
        let at = suspect.find(moved).unwrap_or(0);
        let off = DetectorBuilder::new().reorder_sentences(0).build().detect(&suspect, &source);
        assert_eq!(off.len(), 1, "{off:?}");
        assert!(off[0].suspect.start > at, "{off:?}");
        let on = Detector::default().detect(&suspect, &source);
        assert_eq!(on.len(), 1, "{on:?}");
        assert_eq!(on[0].suspect.start, at, "{on:?}");
        assert!(on[0].source.end >= source.find(" The harbour").unwrap_or(0) + 10, "{on:?}");
    }

    #[test]
    fn a_source_sentence_shuffled_into_the_passage_joins_it() {
        let full: String = SENTENCES.iter().map(|(a, b)| format!("{a}{b} ")).collect();
        let kept: Vec<String> = SENTENCES.iter().map(|(a, _)| format!("{a}. ")).collect();
        let first = "The harbour master closed the northern pier after autumn storms damaged \
            its old wooden railings.";
        let source = format!("{AFTER} {first} {full}{}", AFTER.repeat(3));
        // The first sentence moved into the middle of the passage, rephrased.
        let moved = "Autumn storms damaged old wooden railings, so the harbour master shut \
            the northern pier. ";
        let filler = "Gardeners across the county prepared their roses for the frost. ";
        let suspect = format!(
            "{}{}{moved}{}{}",
            filler.repeat(4),
            kept[..3].concat(),
            kept[3..].concat(),
            filler.repeat(4)
        );
        let char_at = |text: &str, s: &str| text[..text.find(s).unwrap_or(0)].chars().count();
        let off = DetectorBuilder::new().reorder_sentences(0).build().detect(&suspect, &source);
        assert_eq!(off.len(), 1, "{off:?}");
        // Without it the detection starts at (the full stop before) the
        // first sentence still in order.
        assert!(off[0].source.start + 3 > char_at(&source, SENTENCES[0].0), "{off:?}");
        let on = Detector::default().detect(&suspect, &source);
        assert_eq!(on.len(), 1, "{on:?}");
        assert_eq!(on[0].source.start, char_at(&source, first), "{on:?}");
    }

    #[test]
    fn a_short_shuffled_passage_is_found_in_shuffled_mode() {
        let passage = "Locks may be operated by a key or combination. If the patron presents a \
            substandard lock, at the discretion of the aquatic staff, they will not be allowed \
            into the locker room area. Each swimmer must present a lock and swim cap before \
            entering the pool.";
        // Shuffled in runs of a few words, some of them replaced.
        let shuffled = "Each swimmer must present the pool. They will not be allowed at the \
            discretion of the aquatic staff into the area. Locks may be operated by \
            combination, if a substandard lock the patron presents, a lock and swim cap \
            before entering the locker room.";
        let source = format!("{AFTER} {passage} {}", AFTER.repeat(2));
        let filler = "Gardeners across the county prepared their roses for the frost. ";
        let suspect = format!("{}{shuffled} {}", filler.repeat(3), filler.repeat(3));
        let off = DetectorBuilder::new().shuffled_mode(false).build().detect(&suspect, &source);
        assert!(off.is_empty(), "{off:?}");
        let on = Detector::default().detect(&suspect, &source);
        assert_eq!(on.len(), 1, "{on:?}");
        let char_at = |text: &str, s: &str| text[..text.find(s).unwrap_or(0)].chars().count();
        let (at, from) = (char_at(&suspect, shuffled), char_at(&source, passage));
        assert!(on[0].suspect.start >= at && on[0].suspect.end <= at + shuffled.len(), "{on:?}");
        assert!(on[0].source.start >= from && on[0].source.end <= from + passage.len(), "{on:?}");
        // Topical overlap alone is not a shuffled passage.
        let topical = "The pool staff asked every swimmer about the locker room and the \
            new lock policy, and the patron said that the aquatic centre had a key problem.";
        let suspect = format!("{}{topical} {}", filler.repeat(3), filler.repeat(3));
        assert!(Detector::default().detect(&suspect, &source).is_empty());
    }

    #[test]
    fn source_edges_snap_to_a_line_start() {
        let text = "Services for families\nAdult and young recipients receive training";
        let toks = Tokenizer::default().tokenize(text);
        let t = toks.tokens();
        let and = t.iter().position(|t| t.norm() == "and").unwrap_or(0);
        let snapped = |lines| t[snap(text, t, and..t.len(), 10, lines).start].norm().to_string();
        assert_eq!(snapped(true), "adult");
        assert_eq!(snapped(false), "services");
    }

    const DOG: &str = "The domestic dog is a member of the genus Canis, which forms part of \
        the wolf-like canids, and is the most widely abundant terrestrial carnivore. The dog and \
        the extant gray wolf are sister taxa as modern wolves are not closely related to the \
        wolves that were first domesticated.";
    const SPUN: &str = "The residential puppy is an individual from the sort Canis, which \
        shapes some portion of the wolf-like canids, and is the most generally bottomless \
        earthbound carnivore. The hound and the surviving dim wolf are sister taxa as current \
        wolves are not firmly identified with the wolves that were first tamed.";

    #[test]
    fn thesaurus_replacements_count_as_kept_content_words() {
        let d = Detector::default();
        let (src, sus) = (d.tokenizer().tokenize(DOG), d.tokenizer().tokenize(SPUN));
        let passages = d.align(&src, &sus);
        let equal: usize = passages
            .iter()
            .flat_map(|p| p.ops.iter().filter(|o| o.is_equal()).flat_map(|o| o.suspect_range()))
            .filter(|&k| is_content(&sus.tokens()[k]))
            .count();
        // More kept content words are needed than are exactly equal: the
        // replacements by thesaurus neighbours make up the difference.
        let strict = DetectorBuilder::new().min_content_kept(equal + 2).min_chars(50).build();
        let found = strict.select(&src, &sus, &passages);
        assert_eq!(found.len(), 1, "{equal} equal: {found:?}");
    }
}
