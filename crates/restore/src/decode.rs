//! Restoration without a source: a noisy-channel decoder.
//!
//! For each word of the suspect the candidates are the word itself and the
//! originals a spinner could have replaced by it (the reverse thesaurus, and
//! a learned spinner lexicon if given). A beam search over each sentence
//! picks the sequence maximizing `log P(O) + log P(S | O)`: `P(O)` from the
//! n-gram [`Model`] of originals, `P(S | O)` the spinner's channel (a word is
//! rewritten with probability `swap`, uniformly into one of its thesaurus
//! entries; learned substitutions with their observed share).

use std::collections::HashMap;

use unspin_lexicon::Lexicon;
use unspin_lm::Model;
use unspin_text::{Token, TokenKind, TokenizedText, Tokenizer};

use crate::{Edit, Evidence, Learned};

/// One candidate original of a suspect word.
#[derive(Clone, Debug)]
struct Cand {
    key: u64,
    /// The text to write (lowercase; cased at output time).
    text: Option<String>,
    /// `log P(suspect word | this original)`.
    channel: f32,
    evidence: Evidence,
}

/// Restores spun words with a language model and the reversed thesauri.
/// Immutable, `Send + Sync`.
#[derive(Clone, Debug)]
pub struct Decoder<'a> {
    model: &'a Model,
    learned: Option<&'a Learned>,
    swap: f32,
    beam: usize,
    max_candidates: usize,
    min_count: u32,
    min_margin: f32,
    prune: f32,
}

impl<'a> Decoder<'a> {
    /// A decoder on a model of originals.
    pub fn new(model: &'a Model) -> Decoder<'a> {
        Decoder {
            model,
            learned: None,
            swap: 0.3,
            beam: 8,
            max_candidates: 12,
            min_count: 3,
            min_margin: 1.0,
            prune: 1.0,
        }
    }

    /// A learned spinner lexicon whose substitutions are candidates too.
    pub fn learned(mut self, learned: Option<&'a Learned>) -> Decoder<'a> {
        self.learned = learned;
        self
    }

    /// The share of content words the spinner is assumed to rewrite. By
    /// default, this is 0.3.
    pub fn swap(mut self, share: f32) -> Decoder<'a> {
        self.swap = share.clamp(1e-4, 0.99);
        self
    }

    /// Hypotheses kept per position. By default, this is 8.
    pub fn beam(mut self, n: usize) -> Decoder<'a> {
        self.beam = n.max(1);
        self
    }

    /// An edit is made only when the decoded path beats keeping the word by
    /// this many nats (log-probability) locally. By default, this is 1.
    pub fn min_margin(mut self, nats: f32) -> Decoder<'a> {
        self.min_margin = nats;
        self
    }

    /// Candidates weighed per word, the most likely a priori first. By
    /// default, this is 12.
    pub fn max_candidates(mut self, n: usize) -> Decoder<'a> {
        self.max_candidates = n.max(1);
        self
    }

    /// Candidates whose prior (count in the originals times channel) is
    /// more than this many nats below keeping the word are dropped. By
    /// default, this is 1.
    pub fn prune(mut self, nats: f32) -> Decoder<'a> {
        self.prune = nats;
        self
    }

    fn candidates(&self, lex: &Lexicon, word: &str) -> Vec<Cand> {
        let lower = word.to_lowercase();
        let own = Model::key(&lower);
        let has_replacements = lex.fan_out(&lower) > 0;
        let keep = if has_replacements { (1.0 - self.swap).ln() } else { 0.0 };
        let mut out = vec![Cand { key: own, text: None, channel: keep, evidence: Evidence::Lm }];
        let mut scored: Vec<(f32, Cand)> = Vec::new();
        for o in lex.originals(&lower) {
            if o == lower || !o.bytes().all(|b| b.is_ascii_lowercase()) {
                continue;
            }
            let count = self.model.count(o);
            if count < self.min_count {
                continue;
            }
            let fan_out = lex.fan_out(o).max(1) as f32;
            let channel = self.swap.ln() - fan_out.ln();
            let prior = channel + (count as f32).ln();
            let cand = Cand {
                key: Model::key(o),
                text: Some(o.to_string()),
                channel,
                evidence: Evidence::Lm,
            };
            scored.push((prior, cand));
        }
        if let Some(learned) = self.learned {
            for (o, share) in learned.originals(&lower) {
                if o.contains(' ') || o == lower {
                    continue;
                }
                let channel = (0.9 * share).ln();
                scored.retain(|(_, c)| c.text.as_deref() != Some(o));
                let cand = Cand {
                    key: Model::key(o),
                    text: Some(o.to_string()),
                    channel,
                    evidence: Evidence::Learned,
                };
                scored.push((f32::MAX, cand));
            }
        }
        // Candidates far less likely a priori than keeping the word (its
        // count in the originals and the keep channel) are not weighed.
        let keep_prior = keep + (self.model.count_hash(own) as f32 + 0.5).ln();
        scored.retain(|(prior, _)| *prior >= keep_prior - self.prune);
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        out.extend(scored.into_iter().take(self.max_candidates).map(|(_, c)| c));
        out
    }

    /// Whether a token may be restored: a lowercase-or-sentence-initial word
    /// of at least two letters (names, numbers and punctuation are kept).
    fn restorable(t: &Token) -> bool {
        t.kind() == TokenKind::Word && !t.is_name_like() && t.norm().len() >= 2
    }

    /// Edits restoring the spun words of `suspect`.
    pub fn edits(&self, suspect: &str) -> Vec<Edit> {
        let lex = Lexicon::global();
        let tt = Tokenizer::default().tokenize(suspect);
        let toks = tt.tokens();
        let mut cache: HashMap<String, Vec<Cand>> = HashMap::new();
        let mut cands: Vec<Vec<Cand>> = Vec::with_capacity(toks.len());
        for t in toks {
            if Decoder::restorable(t) {
                let w = tt.text(t).to_lowercase();
                let c = cache.entry(w).or_insert_with_key(|w| self.candidates(lex, w)).clone();
                cands.push(c);
            } else {
                let key = Model::token_key(t);
                cands.push(vec![Cand { key, text: None, channel: 0.0, evidence: Evidence::Lm }]);
            }
        }
        let mut edits = Vec::new();
        let mut start = 0;
        while start < toks.len() {
            let s = toks[start].sentence();
            let mut end = start;
            while end < toks.len() && toks[end].sentence() == s {
                end += 1;
            }
            self.sentence(&tt, start, &cands[start..end], &mut edits);
            start = end;
        }
        edits
    }

    /// Beam search over one sentence (tokens `first..`), pushing its edits.
    fn sentence(
        &self,
        tt: &TokenizedText<'_>,
        first: usize,
        cands: &[Vec<Cand>],
        edits: &mut Vec<Edit>,
    ) {
        if cands.iter().all(|c| c.len() == 1) {
            return;
        }
        // Back-pointer arena: (parent, candidate index).
        let mut arena: Vec<(usize, u16)> = Vec::new();
        // Hypotheses: (score, u, v, arena index).
        let mut beam: Vec<(f32, u64, u64, usize)> = vec![(0.0, 0, Model::BOS, usize::MAX)];
        let mut next: HashMap<(u64, u64), (f32, usize, u16)> = HashMap::new();
        for pos in cands {
            next.clear();
            for &(score, u, v, node) in &beam {
                let u = (u != 0).then_some(u);
                for (ci, c) in pos.iter().enumerate() {
                    let s = score + self.model.logprob(u, Some(v), c.key) + c.channel;
                    let e = next.entry((v, c.key)).or_insert((f32::NEG_INFINITY, node, 0));
                    if s > e.0 {
                        *e = (s, node, ci as u16);
                    }
                }
            }
            let mut hyps: Vec<(f32, u64, u64, usize)> = next
                .iter()
                .map(|(&(v, w), &(s, parent, ci))| {
                    arena.push((parent, ci));
                    (s, v, w, arena.len() - 1)
                })
                .collect();
            hyps.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
            hyps.truncate(self.beam);
            beam = hyps;
        }
        let Some(&(_, _, _, mut node)) = beam.first() else { return };
        let mut choice = vec![0u16; cands.len()];
        for slot in choice.iter_mut().rev() {
            let (parent, ci) = arena[node];
            *slot = ci;
            node = parent;
        }
        let key = |i: usize, ch: &[u16]| cands[i][ch[i] as usize].key;
        let toks = tt.tokens();
        for i in 0..cands.len() {
            if choice[i] == 0 {
                continue;
            }
            // Local margin: the positions whose trigram sees position i.
            let local = |ch: &[u16]| -> f32 {
                let mut s = cands[i][ch[i] as usize].channel;
                for j in i..(i + 3).min(cands.len()) {
                    let (u, v) = match j {
                        0 => (None, Model::BOS),
                        1 => (Some(Model::BOS), key(0, ch)),
                        _ => (Some(key(j - 2, ch)), key(j - 1, ch)),
                    };
                    s += self.model.logprob(u, Some(v), key(j, ch));
                }
                s
            };
            let mut kept = choice.clone();
            kept[i] = 0;
            let margin = local(&choice) - local(&kept);
            if margin < self.min_margin {
                continue;
            }
            let c = &cands[i][choice[i] as usize];
            let Some(text) = &c.text else { continue };
            let t = &toks[first + i];
            edits.push(Edit {
                start: t.span().start(),
                end: t.span().end(),
                restored: cased(tt.text(t), text),
                confidence: f64::from(1.0 / (1.0 + (-margin).exp())),
                evidence: c.evidence,
            });
        }
    }
}

/// `word` written in the case of `like` (capital initial or all capitals).
pub(crate) fn cased(like: &str, word: &str) -> String {
    let mut chars = like.chars();
    let first_upper = chars.next().is_some_and(char::is_uppercase);
    let all_upper =
        first_upper && like.chars().count() > 1 && like.chars().all(|c| !c.is_lowercase());
    if all_upper {
        word.to_uppercase()
    } else if first_upper {
        let mut c = word.chars();
        c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
    } else {
        word.to_string()
    }
}
