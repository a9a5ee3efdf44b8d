use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use unspin_lexicon::{Lexicon, TorturedList};
use unspin_lm::Model;
use unspin_restore::{
    Decoder, Learned, Spelling, term_edits_and_terms_in, tortured_phrases_in, tortured_wording,
};
use unspin_text::Tokenizer;

use crate::TextRange;

/// One flagged word or phrase.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    /// Where, in characters of the text.
    pub suspect: TextRange,
    /// The likely original.
    pub suggested: String,
    /// Why it is flagged.
    pub reason: String,
}

/// How spun a text looks on its own: `{"spin_score", "verdict", "flagged",
/// "method"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreReport {
    /// In [0, 1], 0.5 at the decision threshold, capped at 1. With a
    /// language model: the restoration gain per content word (how much
    /// more probable the restored text is than the text as it stands, plus
    /// a little for each rare word that could stand for a much more common
    /// one) relative to twice its threshold (higher for a short text:
    /// [`Scorer::short_margin`]), or the total gain relative to twice
    /// [`Scorer::min_gain`] if that is less; without: the share of
    /// flagged content words relative to twice its threshold, or the
    /// flags relative to twice their least number if that is less.
    pub spin_score: f64,
    /// `spun` or `original`.
    pub verdict: String,
    /// The flagged words and phrases.
    pub flagged: Vec<Flag>,
    /// `frequency-model` or `lexicon-only` (no model: only known tortured
    /// phrases can be flagged).
    pub method: String,
}

/// Scores texts. Immutable, `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Scorer<'m> {
    model: Option<&'m Model>,
    learned: Option<&'m Learned>,
    tortured: &'m TorturedList,
    margin: f32,
    bigram_support: Option<u32>,
    ratio: f64,
    threshold: f64,
    min_flags: usize,
    gain_threshold: f64,
    min_gain: f64,
    short_margin: f64,
    max_own: u32,
    evidence_max_own: u32,
    rare_gain: f64,
}

/// The evidence (nats) a known tortured phrase or a learned spinner phrase
/// adds to the restoration gain.
const PHRASE_GAIN: f64 = 10.0;

/// The evidence (nats) a run that could stand for an established term adds:
/// less than a listed phrase, as the run itself is not listed.
const TERM_GAIN: f64 = 5.0;

/// The restoration gain per content word (nats) an original text has on
/// average: the median of 1,000 BBC paragraphs outside the model was 0.057
/// (`unspin-eval score`). A short text's gain strays further from it.
const ORIGINAL_GAIN: f64 = 0.06;

/// A replacement is suspicious when a word it could have replaced is this
/// many times more frequent in the originals.
const RATIO: f64 = 20.0;
/// ... and that word occurs at least this often.
const MIN_COUNT: u32 = 50;

/// A rare word's likely originals weighed for its suggestion at most (the
/// commonest).
const FIT_CANDIDATES: usize = 16;

/// A rare word's likely originals (text, model key, channel: the log of
/// one over the original's thesaurus replacements), commonest first, and
/// whether the word is rare enough to be evidence.
#[derive(Debug)]
struct Suspicious {
    originals: Vec<(&'static str, u64, f32)>,
    evidence: bool,
}

/// Words at most this frequent in the model may be flagged as a rare
/// replacement ([`Scorer::max_own`]).
const MAX_OWN: u32 = 10;

impl<'m> Scorer<'m> {
    /// A scorer on a frequency model of originals (or none: lexicon only).
    pub fn new(model: Option<&'m Model>) -> Scorer<'m> {
        Scorer {
            model,
            learned: None,
            tortured: TorturedList::bundled(),
            margin: 1.0,
            bigram_support: None,
            ratio: RATIO,
            threshold: 0.05,
            min_flags: 3,
            gain_threshold: 0.35,
            min_gain: 15.0,
            short_margin: 2.6,
            max_own: MAX_OWN,
            evidence_max_own: 3,
            rare_gain: 2.0,
        }
    }

    /// A learned spinner lexicon: its phrases (two words or more) are
    /// flagged.
    pub fn learned(mut self, learned: Option<&'m Learned>) -> Scorer<'m> {
        self.learned = learned;
        self
    }

    /// The tortured-phrase list whose phrases are flagged as known and
    /// whose established terms unknown tortured phrases are restored to. By
    /// default, this is the bundled list ([`TorturedList::bundled`]);
    /// evaluations pass one built without held-out phrases.
    pub fn tortured(mut self, list: &'m TorturedList) -> Scorer<'m> {
        self.tortured = list;
        self
    }

    /// With a language model, the restoring decoder's minimum margin
    /// (nats) for a word or phrase to be flagged and to count towards the
    /// gain. By default, this is 1.
    pub fn min_margin(mut self, nats: f32) -> Scorer<'m> {
        self.margin = nats;
        self
    }

    /// Without a language model: the share of flagged content words from
    /// which a text is `spun` (and at least 3 flags). By default, this is
    /// 0.05.
    pub fn threshold(mut self, share: f64) -> Scorer<'m> {
        self.threshold = share;
        self
    }

    /// With a language model: the restoration gain per content word (nats)
    /// from which a text is `spun`. By default, this is 0.35.
    pub fn gain_threshold(mut self, nats: f64) -> Scorer<'m> {
        self.gain_threshold = nats;
        self
    }

    /// With a language model: the least total restoration gain (nats) for
    /// `spun`, so that a sentence needs several telling words. By default,
    /// this is 15.
    pub fn min_gain(mut self, nats: f64) -> Scorer<'m> {
        self.min_gain = nats;
        self
    }

    /// With a language model: how far above an original's usual gain per
    /// content word a short text must be for `spun`, in nats times the
    /// square root of its content words. The gain per word of a short
    /// text is noisy (its spread shrinks as one over the square root of
    /// its length), so the threshold rises for short texts: a text is
    /// `spun` only if its gain per content word also reaches `0.06 +
    /// margin / sqrt(content words)`. With the default 2.6 this is above
    /// the [`Scorer::gain_threshold`] of 0.35 below about 80 content words
    /// (a paragraph), and has no effect on longer texts; 0 turns it off.
    pub fn short_margin(mut self, margin: f64) -> Scorer<'m> {
        self.short_margin = margin.max(0.0);
        self
    }

    /// Only words at most this frequent in the model can be flagged (a
    /// spinner's replacements are mostly rare words). By default, this is
    /// 10.
    pub fn max_own(mut self, count: u32) -> Scorer<'m> {
        self.max_own = count;
        self
    }

    /// With a language model: a rare word flagged as a likely replacement
    /// adds [`Scorer::rare_gain`] to the evidence only if it (and the
    /// dictionary form the flag comes from) is at most this frequent in the
    /// model, and at most [`Scorer::max_own`]: rarer words are surer signs
    /// of a spinner, and flags of commoner ones would call originals spun.
    /// By default, this is 3.
    pub fn evidence_max_own(mut self, count: u32) -> Scorer<'m> {
        self.evidence_max_own = count;
        self
    }

    /// With a language model: the evidence (nats) a rare word that could
    /// stand for a much more common one adds to the restoration gain, when
    /// the decoder did not already count it (a real spinner's rare
    /// replacements often fit their trigram well enough). By default, this
    /// is 2.
    pub fn rare_gain(mut self, nats: f64) -> Scorer<'m> {
        self.rare_gain = nats;
        self
    }

    /// The frequency ratio that makes a thesaurus replacement suspicious. By
    /// default, this is 20.
    pub fn ratio(mut self, ratio: f64) -> Scorer<'m> {
        self.ratio = ratio;
        self
    }

    /// The likely original of `word` (lowercase) if it looks like a
    /// spinner's replacement of a much more common word.
    ///
    /// Also whether it is rare enough to be evidence
    /// ([`Scorer::evidence_max_own`]).
    fn suspicious(&self, lex: &Lexicon, model: &Model, word: &str) -> Option<Suspicious> {
        let own_count = model.count(word);
        if own_count > self.max_own {
            return None;
        }
        let own = f64::from(own_count);
        let mut originals: Vec<(u32, &'static str)> = Vec::new();
        let mut evidence = false;
        for form in lex.base_forms(word) {
            let form_count = f64::from(model.count(lex.term(form))).max(own);
            if form_count > f64::from(self.max_own) {
                continue;
            }
            let mut found = false;
            for (o, rel) in lex.neighbors(form) {
                if !(rel.moby_reverse() || rel.wordnet_reverse()) {
                    continue;
                }
                let text = lex.term(o);
                // No word that is grammar alone: "clout" is no spinner's
                // "in".
                if text.contains(' ') || unspin_text::is_grammatical_word(text) {
                    continue;
                }
                let c = model.count(text);
                if c >= MIN_COUNT && f64::from(c) >= self.ratio * (form_count + 1.0) {
                    found = true;
                    originals.push((c, text));
                }
            }
            evidence |= found && form_count <= f64::from(self.evidence_max_own);
        }
        // The commonest first, each once; the rest are seldom the one.
        originals.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        originals.dedup_by_key(|o| o.1);
        originals.truncate(FIT_CANDIDATES);
        let originals = originals
            .into_iter()
            .map(|(_, o)| (o, Model::key(o), -(lex.fan_out(o).max(1) as f32).ln()))
            .collect::<Vec<_>>();
        (!originals.is_empty()).then_some(Suspicious { originals, evidence })
    }

    /// What a rare word at `k` is flagged with: the decoder's reading of
    /// it in context (`in_context`) where it has one, else the likely
    /// original that fits its neighbours ([`Scorer::best_fit`]).
    fn suggestion(
        in_context: Option<&str>,
        model: &Model,
        toks: &[unspin_text::Token],
        k: usize,
        originals: &[(&'static str, u64, f32)],
    ) -> String {
        match in_context {
            Some(o) => o.to_string(),
            None => Scorer::best_fit(model, toks, k, originals).to_string(),
        }
    }

    /// Which of a rare word's likely originals fits the word's neighbours
    /// best (a bigram on each side, and the spinner's channel: one of the
    /// original's replacements, picked uniformly), or the commonest where
    /// the text gives no neighbours.
    fn best_fit(
        model: &Model,
        toks: &[unspin_text::Token],
        k: usize,
        originals: &[(&'static str, u64, f32)],
    ) -> &'static str {
        let neighbour = |j: Option<usize>| {
            j.and_then(|j| toks.get(j))
                .filter(|t| t.sentence() == toks[k].sentence())
                .map(Model::token_key)
        };
        let (prev, next) = (neighbour(k.checked_sub(1)), neighbour(Some(k + 1)));
        if originals.len() < 2 || (prev.is_none() && next.is_none()) {
            return originals.first().map_or("", |o| o.0);
        }
        let fit = |&(_, key, channel): &(&str, u64, f32)| {
            let left = prev.map_or(0.0, |p| model.logprob(None, Some(p), key));
            let right = next.map_or(0.0, |n| model.logprob(None, Some(key), n));
            left + right + channel
        };
        originals
            .iter()
            .map(|o| (fit(o), o.0))
            .fold((f32::NEG_INFINITY, ""), |best, f| if f.0 > best.0 { f } else { best })
            .1
    }

    /// The cheap context signal: `word` (at `k`) was never seen after its
    /// left neighbour nor before its right one in the originals, while one
    /// of the words a thesaurus replaces by it was seen on both sides at
    /// least [`Scorer::bigram_support`] times.
    fn bigram_context(
        &self,
        originals: &mut HashMap<String, Vec<(u64, &'static str)>>,
        model: &Model,
        toks: &[unspin_text::Token],
        k: usize,
        word: &str,
    ) -> Option<String> {
        let support = self.bigram_support?;
        let (prev, next) = (toks.get(k.checked_sub(1)?)?, toks.get(k + 1)?);
        let (p, n, w) = (Model::token_key(prev), Model::token_key(next), Model::key(word));
        if model.ngram_count(&[p, w]) > 0 || model.ngram_count(&[w, n]) > 0 {
            return None;
        }
        let mut best: Option<(u32, &str)> = None;
        let cands = originals.entry(word.to_string()).or_insert_with(|| {
            Lexicon::global()
                .originals(word)
                .into_iter()
                .filter(|o| *o != word && o.bytes().all(|b| b.is_ascii_lowercase()))
                .map(|o| (Model::key(o), o))
                .collect()
        });
        for &(ok, o) in cands.iter() {
            let left = model.ngram_count(&[p, ok]);
            let right = model.ngram_count(&[ok, n]);
            let both = left.min(right);
            if both >= support && best.is_none_or(|b| both > b.0) {
                best = Some((both, o));
            }
        }
        best.map(|(_, o)| o.to_string())
    }

    /// Enables the bigram context signal (explanatory flags only; off by
    /// default) with this much support (see
    /// [`Scorer::score`]); `None` turns it off.
    pub fn bigram_support(mut self, count: Option<u32>) -> Scorer<'m> {
        self.bigram_support = count;
        self
    }

    /// Scores `text`.
    pub fn score(&self, text: &str) -> ScoreReport {
        let lex = Lexicon::global();
        let tt = Tokenizer::default().tokenize(text);
        let toks = tt.tokens();
        let mut flagged = Vec::new();
        let mut content = 0usize;
        let mut cache: HashMap<String, Option<Suspicious>> = HashMap::new();
        let mut originals: HashMap<String, Vec<(u64, &'static str)>> = HashMap::new();
        let range = |a: usize, b: usize| {
            let (s, e) = (toks[a].span().start(), toks[b - 1].span().end());
            let start = toks[a].char_start();
            TextRange {
                start,
                end: start + text[s..e].chars().count(),
                text: text[s..e].to_string(),
            }
        };
        // Evidence needs fewer candidates than the best restoration: the
        // restorer's prior pruning (as measured for the score figures)
        // keeps scoring fast. Evidence pooled over a word's occurrences
        // would count each occurrence's evidence again at the others (16 of
        // 1,000 BBC originals called spun with it, 4 without), so the score
        // weighs each occurrence alone. The text's own pairs
        // ([`Decoder::pairs`]) are left out too: an original repeats its
        // pairs, and they called 7 of 1,000 BBC originals spun, 5 without;
        // so are the collocates the prior left out ([`Decoder::collocates`]:
        // 7 of 1,000 with them, and more time).
        let decoder = self.model.map(|model| {
            Decoder::new(model)
                .pool(0.0)
                .estimate_rate(false)
                .pairs(0.0)
                .collocates(0)
                .min_margin(self.margin)
                .prune(1.0)
                .max_candidates(12)
                .learned(self.learned)
        });
        // The decoder (parallel itself) runs while this thread finds the
        // known and unknown tortured phrases.
        let ((known, (terms, established)), decoded) = rayon::join(
            || {
                (
                    tortured_phrases_in(&tt, self.tortured, 2),
                    term_edits_and_terms_in(&tt, self.tortured, self.model),
                )
            },
            || decoder.map(|d| d.edits_in(&tt)),
        );
        // The words of established terms the text writes as they are
        // ("wavelet transform", "convolutional neural network") are
        // technical, not spun, though a model of news has seldom seen them:
        // none is flagged as a rare or out-of-context word. (The decoder's
        // phrases are still weighed there: spinners write such terms for
        // abbreviations, "Human immunodeficiency virus" for "HIV".)
        let mut in_term = vec![false; toks.len()];
        for (a, b) in established {
            in_term[a..b].iter_mut().for_each(|t| *t = true);
        }
        // Known tortured phrases (two words or more), the longest from each
        // word.
        let mut taken = vec![false; toks.len()];
        for (k, n, expected) in known {
            let wording = tortured_wording(&tt, self.tortured, k + n, expected);
            flagged.push(Flag {
                suspect: range(k, k + n),
                // The wording to write, or the list's note as it stands.
                suggested: wording.unwrap_or_else(|| expected.to_string()),
                reason: "known tortured phrase".into(),
            });
            taken[k..k + n].iter_mut().for_each(|t| *t = true);
        }
        // Unknown tortured phrases: runs whose words could stand for an
        // established term of the list.
        let mut term_flags = 0usize;
        for e in terms {
            let k = toks.partition_point(|t| t.span().start() < e.start);
            let j = toks.partition_point(|t| t.span().start() < e.end);
            if k < j && !taken[k..j].iter().any(|&t| t) {
                taken[k..j].iter_mut().for_each(|t| *t = true);
                term_flags += 1;
                flagged.push(Flag {
                    suspect: range(k, j),
                    suggested: e.restored,
                    reason: "could stand for an established term (unknown tortured phrase)".into(),
                });
            }
        }
        if let Some(learned) = self.learned {
            let bytes = crate::restore::byte_offsets(text);
            // With a model, only where the original reads at least as
            // well (a spinner's phrase is often ordinary English).
            for e in learned.phrase_edits_in(&tt, self.model) {
                let k = toks.partition_point(|t| t.span().start() < e.start);
                let j = toks.partition_point(|t| t.span().start() < e.end);
                if k < j && !taken[k..j].iter().any(|&t| t) {
                    taken[k..j].iter_mut().for_each(|t| *t = true);
                    let start = bytes.partition_point(|&b| b < e.start);
                    flagged.push(Flag {
                        suspect: TextRange {
                            start,
                            end: start + text[e.start..e.end].chars().count(),
                            text: text[e.start..e.end].to_string(),
                        },
                        suggested: e.restored,
                        reason: "learned spinner substitution".into(),
                    });
                }
            }
        }
        // Known, unknown tortured and learned phrases so far; each is
        // evidence.
        let mut gain =
            PHRASE_GAIN * (flagged.len() - term_flags) as f64 + TERM_GAIN * term_flags as f64;
        let mut in_context: HashMap<usize, String> = HashMap::new();
        if let Some(decoded) = decoded {
            for (e, margin) in decoded {
                let k = toks.partition_point(|t| t.span().start() < e.start);
                let j = toks.partition_point(|t| t.span().start() < e.end);
                if k >= j || taken[k..j].iter().any(|&t| t) {
                    continue;
                }
                gain += f64::from(margin);
                // Phrases, function words and capitalized words (not
                // content words below, but spinners rewrite them too) are
                // flagged here; content words with the other signals below.
                let reason = if j > k + 1 {
                    "thesaurus phrase unlikely in context; a single word fits"
                } else if toks[k].is_function_word() {
                    "function word unlikely in context; another fits"
                } else if toks[k].is_name_like() {
                    "capitalized word unlikely in context; a thesaurus original fits"
                } else {
                    in_context.insert(e.start, e.restored);
                    continue;
                };
                taken[k..j].iter_mut().for_each(|t| *t = true);
                flagged.push(Flag {
                    suspect: range(k, j),
                    suggested: e.restored,
                    reason: reason.into(),
                });
            }
        }
        let is_content = |t: &unspin_text::Token| {
            t.is_wordlike()
                && !t.is_function_word()
                && t.kind() == unspin_text::TokenKind::Word
                && !t.is_name_like()
        };
        for (k, t) in toks.iter().enumerate() {
            if !is_content(t) {
                continue;
            }
            content += 1;
            let (Some(model), false, false) = (self.model, taken[k], in_term[k]) else { continue };
            let word = tt.text(t).to_lowercase();
            let hit =
                cache.entry(word.clone()).or_insert_with(|| self.suspicious(lex, model, &word));
            if let Some(Suspicious { originals: likely, evidence }) = hit {
                taken[k] = true;
                let fits = in_context.get(&t.span().start()).map(String::as_str);
                if *evidence && fits.is_none() {
                    gain += self.rare_gain;
                }
                flagged.push(Flag {
                    suspect: range(k, k + 1),
                    // The decoder's reading in context, where it has one,
                    // else the likely original that fits the neighbours:
                    // the commonest word a thesaurus replaces by this one
                    // seldom fits ("tamed" stands for "domesticated", not
                    // "water").
                    suggested: Scorer::suggestion(fits, model, toks, k, likely),
                    reason: "rare synonym of a much more common word".into(),
                });
            } else if let Some(o) = self.bigram_context(&mut originals, model, toks, k, &word) {
                taken[k] = true;
                flagged.push(Flag {
                    suspect: range(k, k + 1),
                    suggested: o,
                    reason: "unseen next to its neighbours; a thesaurus original is common there"
                        .into(),
                });
            } else if let Some(o) = in_context.get(&t.span().start()) {
                taken[k] = true;
                flagged.push(Flag {
                    suspect: range(k, k + 1),
                    suggested: o.clone(),
                    reason: "unlikely in context; a thesaurus original fits".into(),
                });
            }
        }
        flagged.sort_by_key(|f| f.suspect.start);
        // Suggestions spelled as the text spells, as `restore` writes them.
        let at = |start: usize| {
            let i = toks.partition_point(|t| t.char_start() < start);
            toks.get(i).is_some_and(|t| t.char_start() == start).then_some(i)
        };
        let wordings: Vec<(Option<usize>, &str)> =
            flagged.iter().map(|f| (at(f.suspect.start), f.suggested.as_str())).collect();
        // The words of the text no flag covers (see `restore`).
        let respelled = Spelling::respell(&tt, |k| taken[k], &wordings);
        for (k, w) in respelled {
            if !w.eq_ignore_ascii_case(&flagged[k].suspect.text) {
                flagged[k].suggested = w;
            }
        }
        // The flagged share: content words inside a flagged word or phrase.
        let flagged_words = toks.iter().zip(&taken).filter(|(t, x)| **x && is_content(t)).count();
        // Each condition of `spun` as a share of twice its bar (0.5 where
        // it is just met); the score is the least of them, so that 0.5 is
        // the decision whichever condition decides.
        let share =
            |value: f64, bar: f64| if bar > 0.0 { value / (2.0 * bar) } else { f64::INFINITY };
        let (spun, score) = if self.model.is_some() {
            let per_word = gain / content.max(1) as f64;
            let short = ORIGINAL_GAIN + self.short_margin / (content.max(1) as f64).sqrt();
            (
                per_word >= self.gain_threshold && per_word >= short && gain >= self.min_gain,
                share(per_word, self.gain_threshold.max(short)).min(share(gain, self.min_gain)),
            )
        } else {
            let density = flagged_words as f64 / content.max(1) as f64;
            (
                flagged.len() >= self.min_flags && density >= self.threshold,
                share(density, self.threshold)
                    .min(share(flagged.len() as f64, self.min_flags as f64)),
            )
        };
        ScoreReport {
            // Rounded to three decimals, never up to the decision.
            spin_score: match (score.clamp(0.0, 1.0) * 1000.0).round() / 1000.0 {
                rounded if rounded.is_nan() => 0.0,
                rounded if !spun && rounded >= 0.5 => 0.499,
                rounded => rounded,
            },
            verdict: if spun { "spun" } else { "original" }.to_string(),
            flagged,
            method: if self.model.is_some() { "frequency-model" } else { "lexicon-only" }
                .to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unspin_lm::ModelBuilder;

    /// An original and its spin, with two spun phrases.
    const FIRMS: &str = "Firms take advantage of the new rules. The deal will end the dispute.";
    const FIRMS_SPUN: &str =
        "Firms take fill the bill of the new rules. The deal will deprive of life the dispute.";

    /// A model of each text added the given number of times.
    fn model_of(texts: &[(usize, &str)]) -> Model {
        let mut b = ModelBuilder::new();
        for &(times, text) in texts {
            (0..times).for_each(|_| b.add(text));
        }
        b.build()
    }

    #[test]
    fn the_verdict_follows_the_restoration_gain_per_content_word() {
        let (original, spun) = (FIRMS, FIRMS_SPUN);
        let model = model_of(&[(30, original)]);
        let scorer = Scorer::new(Some(&model)).min_gain(5.0);
        let (o, s) = (scorer.score(original), scorer.score(spun));
        assert_eq!((o.verdict.as_str(), o.flagged.len()), ("original", 0), "{o:?}");
        assert_eq!(s.verdict, "spun", "{s:?}");
        assert!(s.spin_score > 0.5 && o.spin_score < 0.5);
        let phrases: Vec<&str> = s.flagged.iter().map(|f| f.suspect.text.as_str()).collect();
        assert_eq!(phrases, ["fill the bill", "deprive of life"]);
        // Too little evidence in all for the minimum gain: not spun.
        assert_eq!(Scorer::new(Some(&model)).min_gain(1e3).score(spun).verdict, "original");
    }

    #[test]
    fn a_short_text_needs_more_gain_per_content_word() {
        let (original, spun) = (FIRMS, FIRMS_SPUN);
        let model = model_of(&[(30, original)]);
        let scorer = Scorer::new(Some(&model)).min_gain(5.0);
        // The gain per content word, read off a score whose threshold is
        // far above it.
        let per_word =
            |text: &str| 20.0 * scorer.clone().gain_threshold(10.0).score(text).spin_score;
        let long = format!("{spun}\n\n").repeat(40);
        let (short_gain, long_gain) = (per_word(spun), per_word(&long));
        assert!((short_gain - long_gain).abs() < 0.1, "{short_gain} {long_gain}");
        // About 10 content words: a margin of 15 asks for 0.06 + 15 /
        // sqrt(10), about 4.8 nats a word; 40 times as many ask for 0.8.
        let strict = scorer.clone().short_margin(15.0);
        let s = strict.score(spun);
        assert_eq!(s.verdict, "original", "{s:?}");
        assert!(s.spin_score < 0.5, "{s:?}");
        assert_eq!(strict.score(&long).verdict, "spun");
        assert_eq!(scorer.clone().short_margin(0.0).score(spun).verdict, "spun");
        // The default margin asks for about 0.9 nats a word here.
        assert_eq!(scorer.score(spun).verdict, "spun");
    }

    #[test]
    fn a_learned_phrase_that_reads_as_ordinary_english_is_no_evidence_with_a_model() {
        let original = FIRMS;
        let model = model_of(&[(30, original)]);
        // The aligner once grouped a swap with its unchanged neighbours:
        // "of the" learned as a spin of "in a".
        let learned = Learned::from_pairs([("of the", "in a")]);
        let with = |m: Option<&Model>| {
            let r = Scorer::new(m).learned(Some(&learned)).score(original);
            r.flagged.iter().filter(|f| f.reason == "learned spinner substitution").count()
        };
        assert_eq!(with(Some(&model)), 0, "the model reads \"of the\" as it stands");
        assert_eq!(with(None), 1, "without a model the table is all there is");
    }

    #[test]
    fn a_rare_word_suggests_the_original_that_fits_its_neighbours() {
        // "bag" is the commonest word a thesaurus replaces by "pooch", but
        // only "dog" is seen before "barked".
        let model = model_of(&[
            (60, "The dog barked at the postman."),
            (200, "The bag was full of money."),
        ]);
        let scorer = Scorer::new(Some(&model));
        let rare = scorer.suspicious(Lexicon::global(), &model, "pooch").expect("a rare synonym");
        assert_eq!(rare.originals[0].0, "bag", "the commonest first");
        let text = "The pooch barked at the postman.";
        let tt = Tokenizer::default().tokenize(text);
        assert_eq!(Scorer::best_fit(&model, tt.tokens(), 1, &rare.originals), "dog");
        let flag = scorer.score(text).flagged.into_iter().find(|f| f.suspect.text == "pooch");
        assert_eq!(flag.expect("flagged").suggested, "dog");
        // No neighbour in its sentence: the commonest.
        let alone = Tokenizer::default().tokenize("Pooch");
        assert_eq!(Scorer::best_fit(&model, alone.tokens(), 0, &rare.originals), "bag");
        // The decoder's reading in context, where it has one, comes first.
        let suggest = |fits| Scorer::suggestion(fits, &model, tt.tokens(), 1, &rare.originals);
        assert_eq!(suggest(Some("hound")), "hound");
        assert_eq!(suggest(None), "dog");
    }

    #[test]
    fn a_suggestion_is_spelled_as_the_text_spells() {
        let list =
            TorturedList::from_tsv("tortured\texpected\nshading space\tcolor space\n", |_| true);
        let suggested = |text: &str| {
            let report = Scorer::new(None).tortured(&list).score(text);
            report.flagged.into_iter().map(|f| f.suggested).collect::<Vec<_>>()
        };
        let british = "The neighbouring pixels are normalised in the shading space.";
        assert_eq!(suggested(british), ["colour space"]);
        let american = "The neighboring pixels are normalized in the shading space.";
        assert_eq!(suggested(american), ["color space"]);
    }

    #[test]
    fn an_unknown_tortured_phrase_is_flagged_with_its_established_term() {
        // Built without "fake consciousness": the list's pairs teach the
        // swaps, and "artificial intelligence" is an established term.
        let list = TorturedList::from_tsv(
            "tortured\texpected\ncounterfeit consciousness\tartificial intelligence\n\
             fake intelligence\tartificial intelligence\n",
            |_| true,
        );
        let text = "Our robots use fake consciousness to plan.";
        let report = Scorer::new(None).tortured(&list).score(text);
        let flag = report.flagged.iter().find(|f| f.suspect.text == "fake consciousness");
        let flag = flag.expect("flagged");
        assert_eq!(flag.suggested, "artificial intelligence");
        assert_eq!((flag.suspect.start, flag.suspect.end), (15, 33));
        assert!(flag.reason.contains("established term"), "{}", flag.reason);
        let clean =
            Scorer::new(None).tortured(&list).score("Our robots use artificial intelligence.");
        assert!(clean.flagged.is_empty(), "{clean:?}");
    }

    #[test]
    fn a_known_phrase_noted_as_two_words_suggests_the_one_that_fits() {
        let text = "We take associate in nursing approach. Results associate in nursing shown.";
        let report = Scorer::new(None).score(text);
        let suggested: Vec<&str> = report
            .flagged
            .iter()
            .filter(|f| f.suspect.text == "associate in nursing")
            .map(|f| f.suggested.as_str())
            .collect();
        assert_eq!(suggested, ["an", "are"]);
    }

    #[test]
    fn a_rewritten_capitalized_word_is_flagged() {
        let spun = Lexicon::global()
            .replacements("supreme")
            .into_iter()
            .find(|r| r.bytes().all(|b| b.is_ascii_lowercase()))
            .expect("the thesaurus has synonyms of supreme");
        let model = model_of(&[(200, "The Supreme Court ruled on the case today.")]);
        let text = format!(
            "The {}{} Court ruled on the case today.",
            &spun[..1].to_uppercase(),
            &spun[1..]
        );
        let report = Scorer::new(Some(&model)).score(&text);
        let flag = report.flagged.iter().find(|f| f.suggested == "Supreme");
        assert!(flag.is_some_and(|f| f.reason.starts_with("capitalized")), "{report:?}");
    }

    #[test]
    fn a_rare_word_seen_a_few_times_is_flagged_but_is_no_evidence() {
        // "pooch" seen 5 times, "dog" 150: flagged (at most 10), but not
        // rare enough (at most 3) to count towards the verdict.
        let model = model_of(&[(150, "The dog ran home."), (5, "The pooch sat still.")]);
        let text = "The pooch ran home.";
        let scorer = Scorer::new(Some(&model)).min_margin(1e3).min_gain(1.0).short_margin(0.0);
        let flagged = |r: &ScoreReport| r.flagged.iter().any(|f| f.suggested == "dog");
        let default = scorer.clone().score(text);
        assert!(flagged(&default), "{default:?}");
        assert_eq!(default.verdict, "original", "{default:?}");
        let counted = scorer.clone().evidence_max_own(10).score(text);
        assert!(flagged(&counted) && counted.verdict == "spun", "{counted:?}");
        assert!(!flagged(&scorer.max_own(3).score(text)));
    }

    #[test]
    fn a_rare_word_is_no_spinners_rewrite_of_a_word_that_is_grammar_alone() {
        // The thesauri list "clout" under "influence" and under "in"
        // (to have an in), and "in" is the commoner here.
        let lex = Lexicon::global();
        let originals = lex.originals("clout");
        assert!(originals.contains(&"in") && originals.contains(&"influence"), "{originals:?}");
        let model = model_of(&[(150, "The firm has influence."), (600, "He is in the city.")]);
        let r = Scorer::new(Some(&model)).min_margin(1e3).score("The firm has clout.");
        let suggested: Vec<&str> = r.flagged.iter().map(|f| f.suggested.as_str()).collect();
        assert_eq!(suggested, ["influence"], "{r:?}");
    }

    #[test]
    fn a_rare_word_of_an_established_term_written_as_it_is_is_not_flagged() {
        // "pooch" is rare beside "dog"; "pooch training" is an established
        // term of this list, and its words are the term's, not a spinner's.
        let model = model_of(&[(150, "The dog ran home."), (5, "The pooch sat still.")]);
        let list =
            TorturedList::from_tsv("tortured\texpected\ndoggy coaching\tpooch training\n", |_| {
                true
            });
        let scorer = Scorer::new(Some(&model)).tortured(&list);
        let pooch = |text: &str| {
            scorer.score(text).flagged.iter().any(|f| f.suspect.text.eq_ignore_ascii_case("pooch"))
        };
        assert!(pooch("The pooch ran home."));
        assert!(!pooch("The pooch training ran long."));
        assert!(!pooch("Two pooch trainings ran long."), "the term's last word in the plural");
    }

    #[test]
    fn a_word_unseen_between_its_neighbours_is_flagged_by_bigram_context() {
        let model = model_of(&[
            (20, "The company said on Monday that its profits rose sharply."),
            (6, "He gave her a firm handshake at the door."),
        ]);
        let text = "The firm said on Monday that its profits rose sharply.";
        let reason = |r: &ScoreReport| {
            r.flagged.iter().find(|f| f.suspect.text == "firm").map(|f| f.reason.clone())
        };
        let on = Scorer::new(Some(&model)).bigram_support(Some(10)).score(text);
        assert!(reason(&on).is_some_and(|r| r.starts_with("unseen next to")), "{on:?}");
        assert_eq!(on.flagged[0].suggested, "company");
        let off = Scorer::new(Some(&model)).score(text);
        assert_eq!(reason(&off), None, "{off:?}");
    }

    #[test]
    fn a_rare_replacement_the_decoder_does_not_count_adds_its_own_evidence() {
        let model = model_of(&[(60, "The dog ran home.")]);
        let text = "The pooch ran home.";
        // The decoder counts nothing at this margin: only the rare word
        // (in a text of three content words: no short-text margin).
        let scorer = |nats: f64| {
            let scorer = Scorer::new(Some(&model)).min_margin(1e3).min_gain(1.0).short_margin(0.0);
            scorer.rare_gain(nats).score(text)
        };
        let (without, with) = (scorer(0.0), scorer(2.0));
        assert_eq!(without.verdict, "original", "{without:?}");
        assert_eq!(with.verdict, "spun", "{with:?}");
        assert!(with.spin_score > without.spin_score);
        let flag = with.flagged.iter().find(|f| f.suspect.text == "pooch");
        assert!(flag.is_some_and(|f| f.suggested == "dog" && f.reason.starts_with("rare")));
    }
}
