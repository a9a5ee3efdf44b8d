//! The readings of each position: a content word's thesaurus (and
//! inflected, and learned) originals, pruned by their prior; a function
//! word's other function words, weighed on the evidence of the text.

use super::*;

impl<'a> Decoder<'a> {
    /// The thesaurus originals of a spun word or phrase, scored by prior
    /// (count in the originals times channel), with their key and channel.
    /// Cheap: counts come from the model's memo; the model is asked for a
    /// candidate's full statistics only once it survives pruning
    /// ([`Decoder::arc`]).
    pub(super) fn thesaurus(&self, lex: &Lexicon, spun: &str) -> Vec<Candidate> {
        let spun_text = spun;
        let Some(spun) = lex.term_id(spun) else { return Vec::new() };
        let mut scored = Vec::new();
        let swap = self.swap.ln();
        // A lexicon learned with its originals' words counted knows how
        // this spinner writes each candidate.
        let learned = self.counted().map(|l| l.channels(spun_text));
        // A content word is no spinner's rewrite of a word that is grammar
        // alone ("stylish" for "in", "fleece" for "have"), though the
        // thesauri list such senses.
        let content_word = !spun_text.contains(' ') && !unspin_text::is_function_word(spun_text);
        // The memos of the candidates a few places on are read ahead: each
        // is a miss of the caches, and there are tens per word type.
        let global = std::ptr::eq(lex, Lexicon::global());
        let mut ahead = lex.original_ids(spun).filter(|_| global);
        let mut read_ahead = || {
            if let Some(id) = ahead.next() {
                self.model.prefetch_memoized_pair(id.as_u32() as usize);
            }
        };
        (0..MEMO_AHEAD).for_each(|_| read_ahead());
        for id in lex.original_ids(spun) {
            read_ahead();
            let Some(info) = self.term_info(lex, id) else { continue };
            if info.count < self.min_count
                || id == spun
                || (content_word && is_grammatical(lex, id))
                || (info.might_vary(spun_text.as_bytes())
                    && might_be_spelling_variants(lex.term_bytes(id), spun_text.as_bytes())
                    && spelling_variants(lex.term(id), spun_text))
            {
                continue;
            }
            let (key, count) = (info.key, info.count);
            let mut channel = swap - ln(usize::from(info.fan_out).max(1));
            if let Some(learned) = &learned {
                channel = learned.of(lex.term(id), channel.exp()).ln();
            }
            scored.push(Candidate {
                prior: channel + ln(count as usize),
                id,
                key,
                channel,
                inflection: None,
                text: None,
            });
        }
        scored
    }

    /// The originals of an inflected word through its base forms: "jobs"
    /// is "job" inflected, a spinner may have written "job" for "role", so
    /// "roles" is a candidate (in the spelling the model knows best). A
    /// real spinner keeps a word's inflection when it swaps it; the
    /// thesauri list base forms.
    pub(super) fn inflected(&self, lex: &Lexicon, spun: &str) -> Vec<Candidate> {
        let mut scored = Vec::new();
        if self.inflected == f32::NEG_INFINITY || lex.term_id(spun).is_some() {
            return scored;
        }
        let swap = self.swap.ln() + self.inflected;
        let learned = self.counted().map(|l| l.channels(spun));
        for (base, how) in lex.inflected_terms(spun) {
            let base_bytes = lex.term_bytes(base);
            for (id, fan_out) in lex.original_ids_with_fan_out(base) {
                let Some((count, k)) = self.inflected_count(lex, id, how) else { continue };
                if count < self.min_count
                    || id == base
                    || (might_be_spelling_variants(lex.term_bytes(id), base_bytes)
                        && spelling_variants(lex.term(id), lex.term(base)))
                {
                    continue;
                }
                let mut channel = swap - ln(fan_out.max(1));
                if let Some(learned) = &learned
                    && let Some(form) = inflect(lex.term(id), how).into_iter().nth(usize::from(k))
                {
                    channel = learned.of(&form, channel.exp()).ln();
                }
                scored.push(Candidate {
                    prior: channel + ln(count as usize),
                    id,
                    key: 0,
                    channel,
                    inflection: Some((how, k)),
                    text: None,
                });
            }
        }
        scored
    }

    /// The count in the originals of a lexicon term (a single lowercase
    /// word) in the inflection `how`, in its spelling the model knows best
    /// (with that spelling's index in [`inflect`]); computed once per
    /// model.
    pub(super) fn inflected_count(
        &self,
        lex: &Lexicon,
        id: TermId,
        how: Inflection,
    ) -> Option<(u32, u8)> {
        const NOT_A_WORD: u32 = u32::MAX - 1;
        const COUNT_BITS: u32 = 30;
        let compute = || {
            let term = lex.term(id);
            if !term.bytes().all(|b| b.is_ascii_lowercase()) {
                return NOT_A_WORD;
            }
            let mut best = (0u32, 0u32);
            // A spelling's index fits the two top bits (`inflect` writes two).
            for (k, form) in inflect(term, how).into_iter().enumerate().take(4) {
                let count = self.model.count_hash(Model::key(&form)).min((1 << COUNT_BITS) - 2);
                if k == 0 || count > best.0 {
                    best = (count, k as u32);
                }
            }
            best.0 | (best.1 << COUNT_BITS)
        };
        let value = self.memoized(lex, how as usize, id, compute);
        (value != NOT_A_WORD)
            .then_some((value & ((1 << COUNT_BITS) - 1), (value >> COUNT_BITS) as u8))
    }

    /// What weighing a lexicon term as a candidate original asks of it
    /// ([`TermInfo`]); `None` for a term that cannot be one (not a single
    /// lowercase word). Computed once per model and read from one cache
    /// line: candidates are many (about a hundred per word type), and one
    /// read each instead of four is a good share of their cost.
    pub(super) fn term_info(&self, lex: &Lexicon, id: TermId) -> Option<TermInfo> {
        /// Marks a term that cannot be an original.
        const NOT_A_WORD: u32 = u32::MAX;
        let compute = || {
            let term = lex.term(id);
            let key = Model::key(term);
            let count = if term.bytes().all(|b| b.is_ascii_lowercase()) {
                self.model.count_hash(key).min(NOT_A_WORD - 1)
            } else {
                NOT_A_WORD
            };
            let fan_out = lex.fan_out_of(id).min(usize::from(u16::MAX)) as u64;
            let len = term.len().min(usize::from(u8::MAX)) as u64;
            let first = u64::from(term.as_bytes().first().copied().unwrap_or(0));
            [key, u64::from(count) | fan_out << 32 | len << 48 | first << 56]
        };
        let [key, packed] = if std::ptr::eq(lex, Lexicon::global()) {
            self.model.memoized_pair(lex.term_count(), id.as_u32() as usize, compute)
        } else {
            compute()
        };
        let count = packed as u32;
        (count != NOT_A_WORD).then_some(TermInfo {
            key,
            count,
            fan_out: (packed >> 32) as u16,
            len: (packed >> 48) as u8,
            first: (packed >> 56) as u8,
        })
    }

    /// A value derived from the model for the term `id`, in `slot` of
    /// [`MEMO_SLOTS`]: memoized in the model by the global lexicon's term
    /// ids, computed each time for another lexicon.
    pub(super) fn memoized(
        &self,
        lex: &Lexicon,
        slot: usize,
        id: TermId,
        compute: impl FnOnce() -> u32,
    ) -> u32 {
        if std::ptr::eq(lex, Lexicon::global()) {
            let terms = lex.term_count();
            self.model.memoized(MEMO_SLOTS * terms, slot * terms + id.as_u32() as usize, compute)
        } else {
            compute()
        }
    }

    /// The arc reading `len` suspect words as the candidate original.
    pub(super) fn arc(&self, lex: &Lexicon, len: u8, c: &Candidate) -> Arc<'a> {
        Arc {
            len,
            word: self.model.word(c.key),
            text: Some(c.text.unwrap_or_else(|| lex.term(c.id))),
            channel: c.channel,
            topic: 0.0,
            bonus: 0.0,
            evidence: Evidence::Lm,
        }
    }

    /// Whether the word with key `own` was seen in the originals between
    /// `prev` and `next` (after `prev` at a sentence's end): a reading
    /// that fits its neighbours so well is kept as it stands.
    pub(super) fn seen_between(&self, prev: &Word, own: u64, next: Option<&Word>) -> bool {
        match next {
            Some(n) => self.model.ngram_count(&[prev.key(), own, n.key()]) > 0,
            None => self.model.ngram_count(&[prev.key(), own]) > 0,
        }
    }

    /// Starts loading what [`Decoder::seen_between`] of the same words
    /// will read.
    pub(super) fn prefetch_between(&self, prev: &Word, own: u64, next: Option<&Word>) {
        match next {
            Some(n) => self.model.prefetch_ngram(&[prev.key(), own, n.key()]),
            None => self.model.prefetch_ngram(&[prev.key(), own]),
        }
    }

    /// The learned lexicon, if it counted its originals' words: then it
    /// knows this spinner's channel ([`Learned::channel`]).
    pub(super) fn counted(&self) -> Option<&'a Learned> {
        self.learned.filter(|l| l.counts_words())
    }

    /// `log P(a content word kept | it was the original)`: the spinner
    /// leaves a word it has replacements for with probability `1 - swap`
    /// (with a counted learned lexicon, as often as it did there).
    pub(super) fn keep_channel(&self, lex: &Lexicon, lower: &str) -> f32 {
        // `lower` is lowercase already: no copy to look it up.
        let fan_out = lex.term_id(lower).map_or(0, |id| lex.fan_out_of(id));
        let prior = if fan_out > 0 { 1.0 - self.swap } else { 1.0 };
        match self.counted() {
            Some(learned) => learned.keep(lower, prior).ln(),
            None => prior.ln(),
        }
    }

    /// The arcs of a content word: keep it, or one of its originals; and
    /// the originals the prior left out that may still be weighed where
    /// they make a pair with a neighbour ([`Decoder::collocates`]), the
    /// most likely first.
    pub(super) fn word_arcs(&self, lex: &Lexicon, lower: &str) -> (Vec<Arc<'a>>, Vec<Candidate>) {
        let own = Model::key(lower);
        let keep = self.keep_channel(lex, lower);
        let own_word = self.model.word(own);
        let mut out = vec![Arc {
            len: 1,
            word: own_word,
            text: None,
            channel: keep,
            topic: 0.0,
            bonus: 0.0,
            evidence: Evidence::Lm,
        }];
        let mut scored = self.thesaurus(lex, lower);
        scored.extend(self.inflected(lex, lower));
        let mut learned_arcs = Vec::new();
        if let Some(learned) = self.learned {
            for (o, share) in learned.originals(lower) {
                if o.contains(' ') || o == lower {
                    continue;
                }
                scored.retain(|c| lex.term(c.id) != o || c.inflection.is_some());
                learned_arcs.push(Arc {
                    len: 1,
                    word: self.model.word(Model::key(o)),
                    text: Some(o),
                    channel: if learned.counts_words() {
                        learned.channel(o, lower, self.swap * share).ln()
                    } else {
                        (0.9 * share).ln()
                    },
                    topic: 0.0,
                    bonus: 0.0,
                    evidence: Evidence::Learned,
                });
            }
        }
        // Candidates far less likely a priori than keeping the word (its
        // count in the originals and the keep channel) are not weighed.
        let keep_prior = keep + (own_word.count() as f32 + 0.5).ln();
        let reach = if self.collocates > 0 { COLLOCATE_PRUNE.max(self.prune) } else { self.prune };
        scored.retain(|c| c.prior >= keep_prior - reach);
        scored.sort_by(|a, b| b.prior.total_cmp(&a.prior));
        let mut left_out = Vec::new();
        let room = self.max_candidates.saturating_sub(learned_arcs.len());
        // An original reached both ways (or learned) is weighed once, at
        // its best; an inflected one's text and key are found only now.
        let mut seen: HashSet<u64> = learned_arcs.iter().map(|a| a.word.key()).collect();
        seen.insert(own);
        out.extend(learned_arcs.into_iter().take(self.max_candidates));
        let mut kept = 0;
        for mut c in scored {
            if kept == room || c.prior < keep_prior - self.prune {
                // Left out by the prior: weighed only beside a neighbour it
                // makes a pair with (a thesaurus original, not an inflected one),
                // once (the candidates come best first).
                if c.inflection.is_none() && left_out.len() < COLLOCATE_MAX && seen.insert(c.key) {
                    left_out.push(c);
                }
                continue;
            }
            if let Some((how, k)) = c.inflection {
                let Some(form) = inflect(lex.term(c.id), how).into_iter().nth(usize::from(k))
                else {
                    continue;
                };
                c.key = Model::key(&form);
                if seen.contains(&c.key) {
                    continue;
                }
                c.text = Some(intern(form));
            }
            if seen.insert(c.key) {
                out.push(self.arc(lex, 1, &c));
                kept += 1;
            }
        }
        if self.collocates == 0 {
            left_out.clear();
        }
        (out, left_out)
    }

    /// Adds to a content word's `arcs` up to [`Decoder::collocates`] of its
    /// originals that the prior `left_out`, each where it makes a pair seen
    /// in the originals with a neighbour (`prev` if `sides.0`, `next` if
    /// `sides.1`) that the word `own` does not make: "international
    /// secretary" is never seen, "foreign secretary" often, though
    /// "foreign" is too rare an original of "international" to be weighed
    /// everywhere. The pairs are looked up together
    /// ([`Model::pair_counts`]); the likeliest (channel times the pairs'
    /// counts) are added, at [`COLLOCATE_CHANNEL`] nats.
    pub(super) fn add_collocates(
        &self,
        lex: &Lexicon,
        (prev, own, next): (&Word, &Word, Option<&Word>),
        sides: (bool, bool),
        left_out: &[Candidate],
        arcs: &mut Vec<Arc<'a>>,
    ) {
        if left_out.is_empty() {
            return;
        }
        let unseen = |v: u64, w: u64| self.model.ngram_count(&[v, w]) == 0;
        let left = sides.0 && prev.key() != Model::BOS && unseen(prev.key(), own.key());
        let right = match next {
            Some(n) if sides.1 => unseen(own.key(), n.key()),
            _ => false,
        };
        let next = next.filter(|_| right).map(Word::key);
        if !(left || right) {
            return;
        }
        let mut counts = Vec::with_capacity(2 * left_out.len());
        let prev = prev.key();
        let asked = left_out.iter().flat_map(|c| {
            let l = left.then_some((prev, c.key));
            let r = next.map(|n| (c.key, n));
            l.into_iter().chain(r)
        });
        self.model.pair_counts(asked, &mut counts);
        let per = usize::from(left) + usize::from(next.is_some());
        let mut best: Vec<(f32, &Candidate)> = left_out
            .iter()
            .zip(counts.chunks_exact(per))
            .filter(|(c, n)| {
                n.iter().any(|&n| n > 0) && !arcs.iter().any(|a| a.word.key() == c.key)
            })
            .map(|(c, n)| (c.channel + (n.iter().sum::<u32>() as f32).ln(), c))
            .collect();
        best.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (_, c) in best.into_iter().take(self.collocates) {
            let mut arc = self.arc(lex, 1, c);
            arc.channel += COLLOCATE_CHANNEL;
            arcs.push(arc);
        }
    }

    /// Adds to a word's `arcs` its thesaurus originals among `wanted` that
    /// it lacks (the prior pruned them): words the text writes beside a
    /// neighbour of this occurrence ([`Decoder::pairs`]). The word type's
    /// unpruned originals are looked up once, in its `memo` slot, and only
    /// if something is wanted.
    pub(super) fn add_wanted(
        &self,
        lex: &Lexicon,
        lower: &str,
        wanted: impl Iterator<Item = u64>,
        memo: &mut Option<HashMap<u64, Candidate>>,
        arcs: &mut Vec<Arc<'a>>,
    ) {
        let mut wanted = wanted.peekable();
        if wanted.peek().is_none() {
            return;
        }
        let found = memo.get_or_insert_with(|| {
            self.thesaurus(lex, lower).into_iter().map(|c| (c.key, c)).collect()
        });
        for key in wanted {
            if let Some(c) = found.get(&key)
                && !arcs.iter().any(|a| a.word.key() == key)
            {
                arcs.push(self.arc(lex, 1, c));
            }
        }
    }

    /// The readings of a text's function words: keep each, or another
    /// function word that fits its neighbours. A context-free spinner swaps
    /// a function word type into one other throughout (at some of its
    /// occurrences), so the channel is learned from the text: "from" is
    /// read as "the" more readily where other occurrences of "from" fit
    /// "the" far better, and more so if the text has many occurrences of
    /// "the" to swap. Per type and pool word, the odds that the spinner
    /// swapped the pool word into the type are a prior times the likelihood
    /// ratio of the type's other occurrences (a mixture of kept and swapped
    /// ones, each weighed by its fit in its five-word window); an
    /// occurrence's own fit is left to the decoder. A function
    /// word seen between its two neighbours in the originals (or after the
    /// one before it, at a sentence's end) is taken as it stands.
    pub(super) fn function_readings(
        &self,
        toks: &[Token],
        lower: &[Lower<'_>],
        types: &WordTypes<'_>,
        neighbours: impl Fn(usize) -> (Word, Option<Word>) + Sync,
        outer: impl Fn(usize) -> (Option<u64>, Option<Word>) + Sync,
        memo: &mut PoolFits,
    ) -> Vec<Vec<Arc<'a>>> {
        let mut out: Vec<Vec<Arc<'a>>> = vec![Vec::new(); toks.len()];
        let pool = &self.function_pool;
        let n = pool.len();
        let s = self.swap_function;
        let flat_keep = (1.0 - s).ln();
        let function_word = |i: usize| lower[i].as_deref().filter(|_| toks[i].is_function_word());
        // By word type ([`WordTypes`]): a function word's key and
        // statistics, and its count.
        let mut own: Vec<Option<(u64, Word)>> = vec![None; types.count()];
        let mut count: Vec<u32> = vec![0; types.count()];
        for i in 0..toks.len() {
            if let Some(w) = function_word(i) {
                own[types.at(i)].get_or_insert_with(|| {
                    let key = Model::key(w);
                    (key, self.model.word(key))
                });
                count[types.at(i)] += 1;
            }
        }
        let own_at = |i: usize| function_word(i).and_then(|_| own[types.at(i)].as_ref());
        let counted = |w: &str| types.of_text(w).map_or(0, |t| count[t]) as f32;
        let swapping = s > 0.0 && s < 1.0 && n >= 2 && self.function_candidates > 0;
        // The prior that the spinner swapped a pool word into a given type:
        // that it swapped it at all (the text's count of it kept is about
        // 1 - s of its count), into one of the pool's other words.
        let den = (n.max(2) - 1) as f32;
        let prior: Vec<f64> = pool
            .iter()
            .map(|(f, _)| {
                let at_all = 1.0 - (1.0 - s).powf(counted(f) / (1.0 - s) + 1.0);
                f64::from(at_all / den)
            })
            .collect();
        // One occurrence's evidence that the spinner swapped a pool word
        // into its type: ln((1 - s) P(w) + s P(f)) - ln((1 - s) P(w)), g
        // the pool word's fit over the type's (ln P(f) - ln P(w)).
        // (The odds inside, x = s / (1 - s) e^g, are kept: the evidence is
        // ln(1 + x).) Fits below FUNCTION_FLOOR carry next to none.
        let odds_swapped = (s / (1.0 - s)).ln();
        // Pass 1: each occurrence's fits (pool index, fit over keeping, odds
        // x; as a flat list) and each type's evidence. The lookups run in
        // parallel: first which occurrences are weighed (those not seen
        // between their neighbours in the originals) and the fit of each
        // pool word after each of their left neighbours; then the fits of
        // each chunk of sentences (each with its own memo of fits before a
        // right neighbour); the evidence is summed in text order after.
        // Each occurrence keeps its word (its key and statistics looked up
        // once per type).
        // A lexicon learned with its originals' words counted knows how
        // this spinner writes function words too.
        let learned = self.counted();
        for (i, here) in out.iter_mut().enumerate() {
            let (Some(w), Some(&(_, word))) = (function_word(i), own_at(i)) else { continue };
            here.push(Arc {
                len: 1,
                word,
                text: None,
                channel: learned.map_or(flat_keep, |l| l.keep(w, 1.0 - s).ln()),
                topic: 0.0,
                bonus: 0.0,
                evidence: Evidence::Lm,
            });
        }
        let weighed: Vec<bool> = (0..toks.len())
            .into_par_iter()
            .with_min_len(PARALLEL_MIN * 16)
            .map(|i| {
                let Some(&(own, _)) = own_at(i).filter(|_| swapping) else {
                    return false;
                };
                // The reads of a later occurrence started first.
                let ahead = i + AHEAD;
                if ahead < toks.len()
                    && let Some(&(own, _)) = own_at(ahead)
                {
                    let (prev, next) = neighbours(ahead);
                    self.prefetch_between(&prev, own, next.as_ref());
                }
                let (prev, next) = neighbours(i);
                !self.seen_between(&prev, own, next.as_ref())
            })
            .collect();
        let mut lefts: Vec<Word> = Vec::new();
        let mut listed: HashSet<u64> = HashSet::default();
        for (i, _) in weighed.iter().enumerate().filter(|(_, w)| **w) {
            let prev = neighbours(i).0;
            if !memo.after.contains_key(&prev.key()) && listed.insert(prev.key()) {
                lefts.push(prev);
            }
        }
        let rows: Vec<(u64, Box<[f32]>)> = lefts
            .par_iter()
            .with_min_len(PARALLEL_MIN)
            .map(|prev| {
                let left = self.model.context_word(None, prev);
                pool.iter().for_each(|(_, word)| self.model.prefetch_next(&left, word));
                (
                    prev.key(),
                    pool.iter().map(|(_, word)| self.model.logprob_word(&left, word)).collect(),
                )
            })
            .collect();
        memo.after.extend(rows);
        let after = &memo.after;
        let chunk_fits = |range: Range<usize>| -> ChunkFits {
            let mut fits: Vec<(usize, f32, f32)> = Vec::new();
            let mut fits_of: Vec<(usize, usize, usize)> = Vec::new();
            let mut before: HashMap<Option<u64>, Box<[f32]>> = HashMap::default();
            for i in range.filter(|&i| weighed[i]) {
                let (Some(w), Some(after)) = (function_word(i), after.get(&neighbours(i).0.key()))
                else {
                    continue;
                };
                let Some(&(_, own_word)) = own_at(i) else { continue };
                let (prev, next) = neighbours(i);
                let left = self.model.context_word(None, &prev);
                let right = |word: &Word| {
                    next.map_or(0.0, |n| {
                        self.model.logprob_word(&self.model.context_word(None, word), &n)
                    })
                };
                let own_fit = self.model.logprob_word(&left, &own_word) + right(&own_word);
                let before =
                    before.entry(next.map(|n| n.key())).or_insert_with(|| vec![f32::NAN; n].into());
                let from = fits.len();
                // The fit in the five-word window (trigrams), for the pool
                // words whose fit to the two neighbours (bigrams) beats the
                // word's by FUNCTION_BIGRAM_GAIN.
                let (before_prev, after_next) = outer(i);
                let left3 = self.model.context_word(before_prev, &prev);
                let window = |word: &Word| {
                    let mut f = self.model.logprob_word(&left3, word);
                    if let Some(nx) = next {
                        f += self
                            .model
                            .logprob_word(&self.model.context_word(Some(prev.key()), word), &nx);
                        if let Some(nn) = after_next {
                            f += self
                                .model
                                .logprob_word(&self.model.context_word(Some(word.key()), &nx), &nn);
                        }
                    }
                    f
                };
                // The right-hand reads of the pool words the left leaves in
                // started first.
                if let Some(n) = &next {
                    for (k, &(f, word)) in pool.iter().enumerate() {
                        if f != w && after[k] - own_fit > FUNCTION_BIGRAM_GAIN && before[k].is_nan()
                        {
                            self.model.prefetch_next(&self.model.context_word(None, &word), n);
                        }
                    }
                }
                // The right side is at most 0: the left alone rules most out.
                let mut passed = [0usize; FUNCTION_POOL];
                let mut passing = 0;
                for (k, &(f, word)) in pool.iter().enumerate().take(FUNCTION_POOL) {
                    if f == w || after[k] - own_fit <= FUNCTION_BIGRAM_GAIN {
                        continue;
                    }
                    if before[k].is_nan() {
                        before[k] = right(&word);
                    }
                    if after[k] + before[k] - own_fit > FUNCTION_BIGRAM_GAIN {
                        passed[passing] = k;
                        passing += 1;
                    }
                }
                let passed = &passed[..passing];
                if passed.is_empty() {
                    fits_of.push((i, from, fits.len()));
                    continue;
                }
                // The window's reads of the word and of every pool word
                // left started together.
                let words = std::iter::once(own_word).chain(passed.iter().map(|&k| pool[k].1));
                for word in words {
                    let (p, v) = (prev.key(), word.key());
                    self.model.prefetch_next(&left3, &word);
                    if let Some(nx) = next {
                        self.model.prefetch_ngram(&[p, v]);
                        self.model.prefetch_ngram(&[v, nx.key()]);
                        self.model.prefetch_ngram(&[p, v, nx.key()]);
                        if let Some(nn) = after_next {
                            self.model.prefetch_ngram(&[v, nx.key(), nn.key()]);
                        }
                    }
                }
                let own3 = window(&own_word);
                for &k in passed {
                    let g = window(&pool[k].1) - own3;
                    if g > FUNCTION_FLOOR {
                        fits.push((k, g, (odds_swapped + g.min(FUNCTION_CLIP)).exp()));
                    }
                }
                fits_of.push((i, from, fits.len()));
            }
            (fits_of, fits)
        };
        let chunks: Vec<ChunkFits> =
            sentence_chunks(toks).into_par_iter().map(chunk_fits).collect();
        let mut fits: Vec<(usize, f32, f32)> = Vec::new();
        let mut fits_of: Vec<(usize, usize, usize)> = Vec::new();
        let mut sum: HashMap<&str, Box<[f32]>> = HashMap::default();
        for (chunk_of, chunk) in chunks {
            for (i, from, to) in chunk_of {
                let Some(w) = function_word(i) else { continue };
                let ev = sum.entry(w).or_insert_with(|| vec![0.0; n].into());
                let start = fits.len();
                for &(k, g, x) in &chunk[from..to] {
                    ev[k] += x.ln_1p();
                    fits.push((k, g, x));
                }
                fits_of.push((i, start, fits.len()));
            }
        }
        // A pool word is swapped into one type at most: its types compete
        // (the evidence for one explains the others away). Per pool word,
        // the posterior's normalizer: 1 + prior * sum over types of
        // (likelihood ratio - 1).
        // (Likelihood ratios are capped where the odds are certain anyway.)
        let ratio = |ev: f32| f64::from(ev.min(FUNCTION_EVIDENCE_MAX)).exp();
        let norm: Vec<f64> = (0..n)
            .map(|k| {
                let lr: f64 = sum.values().map(|ev| ratio(ev[k]) - 1.0).sum();
                1.0 + prior[k] * lr
            })
            .collect();
        // Pass 2: each occurrence's readings, its own evidence left out of
        // the odds (the decoder weighs its fit).
        let scored = &mut memo.scored;
        let swap = s.ln();
        let all = unspin_text::function_words().len();
        let flat = swap - ln((all - 1).max(1));
        // The channel is at most ln s (ln 1 with a learned lexicon).
        let most = if learned.is_some() { 0.0 } else { swap };
        for &(i, from, to) in &fits_of {
            let Some(w) = function_word(i) else { continue };
            let Some(ev) = sum.get(w) else { continue };
            let keep = learned.map_or(flat_keep, |l| l.keep(w, 1.0 - s).ln());
            scored.clear();
            for &(k, g, x) in &fits[from..to] {
                if g + most <= keep - FUNCTION_PRUNE {
                    continue;
                }
                let all = ratio(ev[k]);
                let others = all / f64::from(1.0 + x);
                let p = prior[k] * others / (norm[k] + prior[k] * (others - all));
                let mut channel = if self.pool > 0.0 {
                    (p.clamp(f64::MIN_POSITIVE, 1.0) as f32).ln() + swap
                } else {
                    flat
                };
                if let Some(l) = learned {
                    channel = l.channel(pool[k].0, w, channel.exp()).ln();
                }
                if g + channel > keep - FUNCTION_PRUNE {
                    scored.push((g + channel, k, channel));
                }
            }
            scored.sort_by(|a, b| b.0.total_cmp(&a.0));
            out[i].extend(scored.iter().take(self.function_candidates).map(|&(_, k, channel)| {
                Arc {
                    len: 1,
                    word: pool[k].1,
                    text: Some(pool[k].0),
                    channel,
                    topic: 0.0,
                    bonus: 0.0,
                    evidence: Evidence::Lm,
                }
            }));
        }
        out
    }
}

/// Whether a thesaurus term is a word that is grammar alone
/// ([`unspin_text::is_grammatical_word`]), by its id: asked of every
/// candidate, so no term's text is read for it.
fn is_grammatical(lex: &Lexicon, id: TermId) -> bool {
    static IDS: OnceLock<Vec<TermId>> = OnceLock::new();
    let ids = IDS.get_or_init(|| {
        let grammatical =
            unspin_text::function_words().iter().filter(|w| unspin_text::is_grammatical_word(w));
        let mut ids: Vec<TermId> = grammatical.filter_map(|w| lex.term_id(w)).collect();
        ids.sort_unstable();
        ids
    });
    ids.binary_search(&id).is_ok()
}
