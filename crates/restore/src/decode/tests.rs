//! The decoder's tests.

use super::*;
use unspin_lm::ModelBuilder;

fn model() -> Model {
    model_with(&[])
}

/// The test model's originals and `extra` sentences, each once.
fn model_with(extra: &[&str]) -> Model {
    let originals = [
        "Firms take advantage of the new rules.",
        "The deal will end the dispute this year.",
        "He said that the talks were going well.",
    ];
    model_of(30, &originals, extra)
}

/// A model of `sentences`, each `times` times, and `once`, each once.
fn model_of(times: usize, sentences: &[&str], once: &[&str]) -> Model {
    let mut b = ModelBuilder::new();
    for _ in 0..times {
        sentences.iter().for_each(|s| b.add(s));
    }
    once.iter().for_each(|s| b.add(s));
    b.build()
}

/// The first lowercase thesaurus replacement of `original` (two letters
/// or more) that the decoder restores to it in `template` (its `{}`).
fn restored_synonym(model: &Model, original: &str, template: &str) -> &'static str {
    Lexicon::global()
        .replacements(original)
        .into_iter()
        .filter(|r| r.len() > 1 && r.bytes().all(|b| b.is_ascii_lowercase()))
        .find(|r| {
            let edits = Decoder::new(model).edits(&template.replace("{}", r));
            edits.iter().any(|e| e.restored == original)
        })
        .unwrap_or_else(|| panic!("some synonym of {original} is restored"))
}

#[test]
fn a_long_text_read_in_chunks_on_many_threads_restores_as_on_one() {
    let model = model();
    // About 40,000 tokens: three chunks of readings on four threads.
    let suspect =
        "Firms take fill the bill of the new rules. He said from the talks were going well. "
            .repeat(2_000);
    let on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build();
        pool.map(|p| p.install(|| Decoder::new(&model).edits(&suspect)))
    };
    let (one, four) = (on(1).ok(), on(4).ok());
    let restored =
        |word: &str| one.as_ref().map_or(0, |e| e.iter().filter(|e| e.restored == word).count());
    assert_eq!(restored("advantage"), 2_000, "every spun phrase is restored");
    assert_eq!(restored("that"), 2_000, "every swapped function word is restored");
    assert_eq!(one, four);
}

#[test]
fn a_thesaurus_phrase_is_restored_to_the_single_word_it_replaced() {
    let model = model();
    let suspect = "Firms take fill the bill of the new rules.";
    let edits = Decoder::new(&model).edits(suspect);
    let phrase = edits.iter().find(|e| &suspect[e.start..e.end] == "fill the bill");
    assert_eq!(phrase.map(|e| e.restored.as_str()), Some("advantage"), "{edits:?}");
    let words = Decoder::new(&model).phrases(false).edits(suspect);
    assert!(words.iter().all(|e| e.restored != "advantage"), "{words:?}");
}

#[test]
fn a_content_word_seen_between_its_neighbours_is_kept() {
    let base = model();
    // A synonym of "end" the decoder restores in "will _ the dispute".
    let spun = restored_synonym(&base, "end", "The deal will {} the dispute this year.");
    let suspect = format!("The deal will {spun} the dispute this year.");
    // Once the originals hold "will <spun> the", the word stands there.
    let seen = model_with(&[&format!("They will {spun} the game.")]);
    let edits = Decoder::new(&seen).edits(&suspect);
    assert!(edits.iter().all(|e| e.restored != "end"), "{spun}: {edits:?}");
}

#[test]
fn an_acronym_is_kept_unless_the_sentence_is_in_capitals() {
    let model = model();
    // A synonym of "advantage" the decoder restores in "take _ of".
    let spun = restored_synonym(&model, "advantage", "Firms take {} of the new rules.");
    // Written in capitals among lowercase words, it is an acronym.
    let caps = spun.to_uppercase();
    for suspect in [format!("Firms take {caps} of the new rules."), format!("{caps}'s rules.")] {
        let edits = Decoder::new(&model).edits(&suspect);
        assert!(edits.iter().all(|e| !e.restored.eq_ignore_ascii_case("advantage")), "{edits:?}");
    }
    // A sentence all in capitals (a headline) is read as ever.
    let headline = format!("FIRMS TAKE {caps} OF THE NEW RULES.");
    let edits = Decoder::new(&model).edits(&headline);
    assert!(edits.iter().any(|e| e.restored == "ADVANTAGE"), "{spun}: {edits:?}");
}

#[test]
fn a_content_word_is_not_read_as_a_word_that_is_grammar_alone() {
    // The thesauri list "stylish" under "in" (the fashion), and "in" fits
    // "is _ the city" as nothing else does; no spinner wrote it so.
    assert!(Lexicon::global().originals("stylish").contains(&"in"));
    let model = model_of(30, &["He is in the city.", "It is in the house."], &[]);
    let edits = Decoder::new(&model).edits("He is stylish the city.");
    assert!(edits.iter().all(|e| e.restored != "in"), "{edits:?}");
}

#[test]
fn a_swapped_function_word_is_restored_and_a_fitting_one_kept() {
    let model = model();
    let suspect = "He said which the talks were going well.";
    let edits = Decoder::new(&model).edits(suspect);
    assert_eq!(edits.len(), 1, "{edits:?}");
    assert_eq!(&suspect[edits[0].start..edits[0].end], "which");
    assert_eq!(edits[0].restored, "that");
    assert!(Decoder::new(&model).swap_function(0.0).edits(suspect).is_empty());
    assert!(Decoder::new(&model).edits("He said that the talks were going well.").is_empty());
}

#[test]
fn a_function_word_swapped_throughout_is_restored_on_the_evidence_of_its_occurrences() {
    let sentences = [
        "The dog barked at the moon.",
        "She walked the dog home.",
        "They came from the city.",
        "He sold the car.",
    ];
    let model = model_of(30, &sentences, &[]);
    let first = "She walked from dog home.";
    // The margin of restoring the first "from" to "the".
    let margin = |text: &str| {
        Decoder::new(&model)
            .min_margin(0.0)
            .edits_with_margin(text)
            .into_iter()
            .find(|(e, _)| e.start == 11 && e.restored == "the")
            .map_or(f32::NEG_INFINITY, |(_, m)| m)
    };
    // Other occurrences of "from" that fit "the" far better...
    let swapped = margin(&format!("{first} He sold from car. The dog barked at from moon."));
    // ...against others that fit "from" as it stands, with as many "the".
    let kept = margin(&format!("{first} They came from the city. They came from the city."));
    assert!(swapped.is_finite(), "{swapped}");
    assert!(swapped > kept + 1.0, "{swapped} against {kept}");
}

#[test]
fn a_capitalized_word_is_restored_in_its_case_and_a_name_phrase_kept() {
    assert!(Lexicon::global().replacements("uk").contains(&"great britain"));
    let lex = Lexicon::global();
    // A capitalized word of a title, spun to one of its synonyms.
    let spun = lex
        .replacements("supreme")
        .into_iter()
        .find(|r| r.bytes().all(|b| b.is_ascii_lowercase()))
        .expect("the thesaurus has synonyms of supreme");
    // Often enough to outweigh the spread of its many synonyms.
    let sentences = [
        "The Supreme Court ruled on the case today.",
        "The breed of dog is old.",
        "He flew to the UK today.",
    ];
    let model = model_of(200, &sentences, &["Canis familiaris is the dog."]);
    let capital = |w: &str| w[..1].to_uppercase() + &w[1..];
    let suspect = format!("The {} Court ruled on the case today.", capital(spun));
    let edits = Decoder::new(&model).edits(&suspect);
    assert_eq!(edits.len(), 1, "{suspect}: {edits:?}");
    assert_eq!(edits[0].restored, "Supreme");
    // A spinner capitalizes the first letter of a phrase it writes for
    // a capitalized word.
    let edits = Decoder::new(&model).edits("He flew to the Great britain today.");
    assert_eq!(edits.len(), 1, "{edits:?}");
    assert_eq!(edits[0].restored.to_lowercase(), "uk");
    // "Canis familiaris" is a thesaurus phrase for "dog", but the text
    // uses "Canis" as a name on its own.
    let name = "The genus Canis (canines) is old. The breed of Canis familiaris is old.";
    let edits = Decoder::new(&model).edits(name);
    assert!(edits.iter().all(|e| e.restored.to_lowercase() != "dog"), "{edits:?}");
    // A run with a capital past its first word is a name.
    let edits = Decoder::new(&model).edits("He flew to the Great Britain today.");
    assert!(edits.is_empty(), "{edits:?}");
}

#[test]
fn neighbouring_edits_must_each_beat_keeping_the_words() {
    let mut b = ModelBuilder::new();
    for _ in 0..400 {
        b.add("Patients often complain of a dry mouth.");
        b.add("The rain fell on the dry ground of the north.");
        b.add("He opened his mouth to speak.");
    }
    for _ in 0..3 {
        b.add("The wolf is a carnivore.");
    }
    let model = b.build();
    let suspect = "Patients often complain of a earthbound carnivore.";
    let joint = Decoder::new(&model).min_margin_alone(f32::NEG_INFINITY).edits(suspect);
    assert!(joint.iter().any(|e| e.restored == "mouth"), "{joint:?}");
    let edits = Decoder::new(&model).edits(suspect);
    assert!(edits.iter().all(|e| e.restored != "mouth"), "{edits:?}");
}

#[test]
fn the_text_topic_picks_between_originals_its_sentence_cannot_tell_apart() {
    let mut b = ModelBuilder::new();
    for _ in 0..20 {
        b.add("We talked about music.");
        b.add("We talked about football.");
    }
    for _ in 0..5 {
        b.add("The band played a concert with guitar and drums. Music.");
        b.add("The striker scored a goal at the stadium. Football.");
    }
    let model = b.build();
    let learned = Learned::from_pairs([("zorbex", "music"), ("zorbex", "football")]);
    let decoder = Decoder::new(&model).learned(Some(&learned));
    let restored = |text: &str| {
        let edits = decoder.edits(text);
        assert_eq!(edits.len(), 1, "{text}: {edits:?}");
        edits[0].restored.clone()
    };
    let band = "The band played a concert with guitar and drums. We talked about zorbex.";
    let match_ = "The striker scored a goal at the stadium. We talked about zorbex.";
    assert_eq!(restored(band), "music");
    assert_eq!(restored(match_), "football");
    // Without the topic, both texts read the same.
    let off = decoder.clone().topic(0.0);
    let pick = |text: &str| off.edits(text).into_iter().map(|e| e.restored).collect::<Vec<_>>();
    assert_eq!(pick(band), pick(match_));
}

/// A model of three sentences about a `dog` and a `cat`, 30 times each.
fn dog_model(dog: &str, cat: &str) -> Model {
    let sentences = [
        format!("The {dog} barked at night."),
        format!("She walked the {dog} home."),
        format!("The {cat} slept."),
    ];
    model_of(30, &sentences.each_ref().map(String::as_str), &[])
}

#[test]
fn a_word_spun_twice_is_restored_on_the_evidence_of_both_occurrences() {
    let model = dog_model("dog", "cat");
    let lex = Lexicon::global();
    let spun = lex
        .replacements("dog")
        .into_iter()
        .find(|r| r.bytes().all(|b| b.is_ascii_lowercase()) && model.count(r) == 0)
        .expect("the thesaurus has synonyms of dog");
    let suspect = format!("The {spun} barked at night. She walked the {spun} home.");
    let restored = |d: Decoder<'_>| -> Vec<(String, f32)> {
        d.edits_with_margin(&suspect)
            .into_iter()
            .filter(|(e, _)| e.restored == "dog")
            .map(|(e, m)| (e.restored, m))
            .collect()
    };
    let alone = restored(Decoder::new(&model).pool(0.0).min_margin(0.0));
    assert_eq!(alone.len(), 2, "{suspect}: {alone:?}");
    let best_alone = alone.iter().map(|(_, m)| *m).fold(f32::NEG_INFINITY, f32::max);
    let pooled = restored(Decoder::new(&model).min_margin(best_alone + 0.5));
    assert_eq!(pooled.len(), 2, "{suspect}: {pooled:?}");
    let unpooled = restored(Decoder::new(&model).pool(0.0).min_margin(best_alone + 0.5));
    assert!(unpooled.is_empty(), "{unpooled:?}");
}

#[test]
fn an_inflected_word_is_restored_through_its_base_form_in_its_inflection() {
    let lex = Lexicon::global();
    // "dogs" is no thesaurus term: only its base form "dog" is.
    assert!(lex.term_id("dogs").is_none());
    let model = dog_model("dogs", "cats");
    // A synonym of "dog" whose plural is no term and unknown to the
    // model ("puppies" for "dogs").
    let spun = lex
        .replacements("dog")
        .into_iter()
        .filter(|r| r.bytes().all(|b| b.is_ascii_lowercase()))
        .filter_map(|r| unspin_lexicon::inflect(r, Inflection::S).into_iter().next())
        .find(|p| lex.term_id(p).is_none() && model.count(p) == 0)
        .expect("the thesaurus has synonyms of dog");
    let suspect = format!("The {spun} barked at night.");
    assert!(margin_of(&model, &suspect, "dogs", None) > 0.0, "{suspect}");
    let off = Decoder::new(&model).inflections(f32::NEG_INFINITY).pool(0.0).min_margin(-100.0);
    let edits = off.edits(&suspect);
    assert!(edits.iter().all(|e| e.restored != "dogs"), "{edits:?}");
}

/// The margin of restoring `restored` in `suspect` (no pooling, any
/// margin kept), or minus infinity if the decoder does not restore it.
fn margin_of(model: &Model, suspect: &str, restored: &str, learned: Option<&Learned>) -> f32 {
    let d = Decoder::new(model).pool(0.0).min_margin(-100.0).learned(learned);
    d.edits_with_margin(suspect)
        .into_iter()
        .find(|(e, _)| e.restored == restored)
        .map_or(f32::NEG_INFINITY, |(_, m)| m)
}

#[test]
fn a_lexicon_learned_with_its_originals_knows_which_words_the_spinner_keeps() {
    let mut b = ModelBuilder::new();
    for _ in 0..30 {
        b.add("The dog barked at night.");
        b.add("The cat slept.");
    }
    let model = b.build();
    let spun = Lexicon::global()
        .replacements("dog")
        .into_iter()
        .find(|r| r.bytes().all(|b| b.is_ascii_lowercase()) && model.count(r) == 0)
        .expect("the thesaurus has synonyms of dog");
    let suspect = format!("The {spun} barked at night.");
    // Twenty learned originals held "dog": this spinner wrote it as
    // `spun` six times, or never.
    let learned_from = |spins: Vec<(&str, &str)>| {
        Learned::from_pairs(spins).count_originals(vec!["The dog barked."; 20])
    };
    let (often, never) =
        (learned_from(vec![(spun, "dog"); 6]), learned_from(vec![("hound", "dog")]));
    assert_often_beats_never(&model, &suspect, "dog", &often, &never);
}

/// With a lexicon that saw the spinner write the spun word for
/// `restored` `often`, restoring it gains over the default channel; with
/// one that saw it `never`, it loses.
fn assert_often_beats_never(
    model: &Model,
    suspect: &str,
    restored: &str,
    often: &Learned,
    never: &Learned,
) {
    let margin = |learned| margin_of(model, suspect, restored, learned);
    let (default, often, never) = (margin(None), margin(Some(often)), margin(Some(never)));
    assert!(often > default + 3.0, "{often} against {default}");
    assert!(never < default - 1.0, "{never} against {default}");
}

#[test]
fn a_lexicon_learned_with_its_originals_knows_how_the_spinner_writes_function_words() {
    let model = model();
    let suspect = "He said which the talks were going well.";
    // Ten learned originals held "that": this spinner wrote it as
    // "which" four times, or never.
    let learned_from = |spins: Vec<(&str, &str)>| {
        Learned::from_pairs(spins).count_originals(vec!["He said that it was so."; 10])
    };
    let (often, never) =
        (learned_from(vec![("which", "that"); 4]), learned_from(vec![("this", "that")]));
    assert_often_beats_never(&model, suspect, "that", &often, &never);
}

#[test]
fn margins_are_at_least_the_minimum_and_give_the_calibrated_confidence() {
    let model = model();
    let suspect = "The deal will deprive of life the dispute this year.";
    let edits = Decoder::new(&model).min_margin(2.0).edits_with_margin(suspect);
    assert!(!edits.is_empty());
    assert!(
        edits.iter().all(|(e, m)| {
            let phrase = suspect[e.start..e.end].split_whitespace().count() > 1;
            *m >= 2.0 && e.confidence == confidence(*m, phrase)
        }),
        "{edits:?}"
    );
}

#[test]
fn confidence_rises_with_the_margin_up_to_the_cap() {
    for phrase in [false, true] {
        let c: Vec<f64> = [2.5f32, 4.0, 8.0, 16.0].iter().map(|&m| confidence(m, phrase)).collect();
        assert!(c.windows(2).all(|w| w[0] < w[1]), "{c:?}");
        assert!(c[0] > 0.2 && c[0] < 0.5, "{c:?}");
        let cap = confidence(CALIBRATION_CAP, phrase);
        assert_eq!(cap, confidence(CALIBRATION_CAP * 4.0, phrase));
        assert!(cap < 0.97, "{cap}");
    }
    // A spun phrase restored to a word is less often right.
    assert!(confidence(12.0, true) < confidence(12.0, false));
}

#[test]
fn a_long_text_decoded_in_parallel_gets_each_sentence_s_edits_in_text_order() {
    let model = model();
    let sentence = "The deal will deprive of life the dispute this year. ";
    let one = Decoder::new(&model).edits(sentence);
    assert_eq!(one.len(), 1, "{one:?}");
    // Enough sentences for many parallel tasks.
    let n = PARALLEL_MIN * 40;
    let long = sentence.repeat(n);
    let edits = Decoder::new(&model).edits(&long);
    assert_eq!(edits.len(), n);
    for (k, e) in edits.iter().enumerate() {
        let at = k * sentence.len();
        assert_eq!((e.start - at, e.end - at), (one[0].start, one[0].end), "edit {k}");
        assert_eq!(e.restored, one[0].restored);
    }
}

#[test]
fn a_text_longer_than_a_block_is_decoded_block_by_block() {
    let model = model();
    let sentence = "The deal will deprive of life the dispute this year. ";
    let long = sentence.repeat(30);
    let whole = Decoder::new(&model).edits(&long);
    assert_eq!(whole.len(), 30);
    // Blocks of whole sentences (each sentence is 11 tokens).
    let mut small = Decoder::new(&model);
    small.block = 25;
    assert_eq!(small.edits(&long), whole);
    // A sentence running on past two blocks is cut between blocks; the
    // edits still point at the words they replace.
    let run_on = "the deal will deprive of life the dispute ".repeat(12);
    small.block = 9;
    let edits = small.edits(&run_on);
    assert!(!edits.is_empty());
    assert!(edits.iter().all(|e| run_on[e.start..e.end].starts_with("deprive")), "{edits:?}");
}

#[test]
fn a_pair_the_text_writes_elsewhere_brings_back_a_pruned_original() {
    // "drive" is common in these originals and "force" rare, so the prior
    // prunes "force" as an original of "drive"; the model knows "air
    // force" all the same.
    let model = model_of(
        40,
        &["They went for a long drive in the country.", "The drive was long."],
        &["The air force said it was ready."; 4],
    );
    let text = "The air force flew on Monday. Later the air drive said it was ready.";
    let restored =
        |d: Decoder<'_>| d.edits(text).into_iter().map(|e| e.restored).collect::<Vec<_>>();
    assert_eq!(restored(Decoder::new(&model)), ["force"]);
    assert!(restored(Decoder::new(&model).pairs(0.0)).is_empty());
    // Not without the pair elsewhere in the text.
    let alone = "Later the air drive said it was ready.";
    assert!(Decoder::new(&model).edits(alone).is_empty());
    // Nor with the pair more than a window away (weighed at the assumed
    // spin rate: so much unspun text around would ask more of the edit).
    let at_rate = || Decoder::new(&model).estimate_rate(false);
    let far = format!("The air force flew on Monday. {}{alone}", "It was ready. ".repeat(1_500));
    assert!(at_rate().edits(&far).is_empty());
    let near = format!("The air force flew on Monday. {}{alone}", "It was ready. ".repeat(500));
    assert_eq!(at_rate().edits(&near).len(), 1);
    // Unpruned, "force" is weighed without the pair too, by 2 nats less.
    let margin = |d: Decoder<'_>| d.edits_with_margin(text).first().map(|e| e.1);
    let (with, without) =
        (margin(Decoder::new(&model)), margin(Decoder::new(&model).prune(100.0).pairs(0.0)));
    assert!(
        with.zip(without).is_some_and(|(a, b)| (a - b - 2.0).abs() < 1e-3),
        "{with:?} {without:?}"
    );
}

#[test]
fn an_original_the_prior_left_out_is_weighed_beside_a_neighbour_it_pairs_with() {
    let lex = Lexicon::global();
    // Other text, so that "secretary" alone is rare.
    let other: Vec<String> =
        (0..2_000).map(|k| format!("Item{k} and thing{k} stood apart{k}.")).collect();
    let other: Vec<&str> = other.iter().map(String::as_str).collect();
    let model = model_of(
        30,
        &["The foreign secretary met the press.", "International trade is growing fast."],
        &other,
    );
    let decoder = Decoder::new(&model);
    // "foreign" is an original of "international", too rare a one to be
    // weighed everywhere...
    let (arcs, left_out) = decoder.word_arcs(lex, "international");
    let foreign = Model::key("foreign");
    assert!(arcs.iter().all(|a| a.word.key() != foreign), "{arcs:?}");
    assert!(left_out.iter().any(|c| c.key == foreign), "{left_out:?}");
    // ...but it is where it makes a pair of the originals with the next word.
    let suspect = "The international secretary met the press.";
    let edits = decoder.edits(suspect);
    assert_eq!(edits.iter().map(|e| e.restored.as_str()).collect::<Vec<_>>(), ["foreign"]);
    assert_eq!(&suspect[edits[0].start..edits[0].end], "international");
    assert!(Decoder::new(&model).collocates(0).edits(suspect).is_empty());
}

#[test]
fn a_spelling_variant_is_no_restoration() {
    assert!(spelling_variants("tumours", "tumors"));
    assert!(spelling_variants("maximise", "maximize"));
    assert!(spelling_variants("organisation", "organization"));
    assert!(spelling_variants("travelled", "traveled"));
    assert!(!spelling_variants("colour", "colour"));
    assert!(!spelling_variants("course", "curse"), "not a British/American pair");
    // The model knows only the American spelling, the thesauri list the
    // British one as its synonym: the British text stays as it is.
    let model = model_of(
        30,
        &["Firms maximize profits.", "Two tumors grew fast.", "A tumour was found."],
        &["Firms maximise profits."],
    );
    let lex = Lexicon::global();
    // A synonym of the thesauri, and one of an inflected word's base form.
    for (british, american) in [("maximise", "maximize"), ("tumours", "tumors")] {
        let (arcs, _) = Decoder::new(&model).word_arcs(lex, british);
        assert!(arcs.iter().all(|a| a.text != Some(american)), "{arcs:?}");
    }
    assert!(Decoder::new(&model).edits("Two tumours grew fast.").is_empty());
    assert!(Decoder::new(&model).edits("Firms maximise profits.").is_empty());
}

/// A decoder edit of token `k` with this margin.
fn edit_at(toks: &[Token], k: usize, margin: f32) -> (Edit, f32) {
    let span = toks[k].span();
    let e = Edit {
        start: span.start(),
        end: span.end(),
        restored: "term".to_string(),
        confidence: confidence(margin, false),
        evidence: Evidence::Lm,
    };
    (e, margin)
}

#[test]
fn an_edit_in_a_text_that_looks_unspun_must_beat_keeping_by_the_prior_too() {
    let model = model();
    let decoder = Decoder::new(&model);
    // `edits` of the tokens given by `at` (token, margin) in `words` words,
    // weighed at the rate estimated around each.
    let weigh = |words: usize, at: &[(usize, f32)]| {
        let text = "word ".repeat(words);
        let tt = Tokenizer::default().tokenize(&text);
        let toks = tt.tokens();
        let lower: Vec<Lower<'_>> = toks
            .iter()
            .map(|t| Decoder::restorable(&text, t).then(|| lowercase(tt.text(t))))
            .collect();
        let edits: Vec<(Edit, f32)> = at.iter().map(|&(k, m)| edit_at(toks, k, m)).collect();
        (decoder.at_estimated_rate(toks, &lower, edits.clone()), edits)
    };
    // One edit in 400 words: the text looks unspun (a rate of 0.01, not
    // 0.3: 3.7 nats more to beat).
    assert!(weigh(400, &[(10, 5.0)]).0.is_empty());
    let (sure, _) = weigh(400, &[(10, 8.0)]);
    assert_eq!(sure.len(), 1);
    assert!((sure[0].1 - 4.25).abs() < 0.01, "{}", sure[0].1);
    assert!(sure[0].0.confidence < confidence(8.0, false));
    // One edit in every four words: the assumed rate, margins as they are.
    let dense: Vec<(usize, f32)> = (0..400).step_by(4).map(|k| (k, 5.0)).collect();
    let (kept, edits) = weigh(400, &dense);
    assert_eq!(kept, edits);
    // Estimated around each edit: the spun half of a text keeps its
    // edits, the unspun half's lone edit is left out.
    let mut mixed: Vec<(usize, f32)> = (0..2_000).step_by(4).map(|k| (k, 5.0)).collect();
    mixed.push((3_500, 5.0));
    let (kept, edits) = weigh(4_000, &mixed);
    assert_eq!(kept, edits[..500]);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    /// Weighing at the estimated rate keeps a subsequence of the edits,
    /// in order, each with a margin no larger and at least the minimum;
    /// an edit sure beyond the largest difference is always kept.
    #[test]
    fn the_estimated_rate_only_leaves_out_and_lowers(
        words in 1usize..1_500,
        picks in proptest::collection::vec((0usize..1_500, 2.5f32..12.0), 0..200),
    ) {
        let model = model();
        let decoder = Decoder::new(&model);
        let text = "word ".repeat(words);
        let tt = Tokenizer::default().tokenize(&text);
        let toks = tt.tokens();
        let lower: Vec<Lower<'_>> = toks.iter().map(|t| Some(lowercase(tt.text(t)))).collect();
        let mut at: Vec<(usize, f32)> = picks.into_iter().map(|(k, m)| (k % words, m)).collect();
        at.sort_by_key(|p| p.0);
        at.dedup_by_key(|p| p.0);
        let edits: Vec<(Edit, f32)> = at.iter().map(|&(k, m)| edit_at(toks, k, m)).collect();
        let kept = decoder.at_estimated_rate(toks, &lower, edits.clone());
        let mut rest = edits.iter();
        for (e, m) in &kept {
            let original = rest.find(|(o, _)| o.start == e.start);
            proptest::prop_assert!(original.is_some_and(|(_, om)| *m <= *om && *m >= 2.5));
        }
        let largest = (0.3f32 / 0.7).ln() - (0.01f32 / 0.99).ln();
        for (e, m) in &edits {
            if *m >= 2.5 + largest {
                proptest::prop_assert!(kept.iter().any(|(k, _)| k.start == e.start));
            }
        }
    }
}

proptest::proptest! {
    /// The cheap checks a candidate's memo answers never rule out a pair
    /// the spelling test's own checks would let through.
    #[test]
    fn a_memo_rules_out_no_spelling_variant(a in "[abé]{0,6}", b in "[abé]{0,6}") {
        let info = TermInfo {
            key: 1,
            count: 0,
            fan_out: 0,
            len: a.len().min(255) as u8,
            first: a.as_bytes().first().copied().unwrap_or(0),
        };
        if might_be_spelling_variants(a.as_bytes(), b.as_bytes()) {
            proptest::prop_assert!(info.might_vary(b.as_bytes()));
        }
    }

    /// The spelling test's replacement without a string built is
    /// `str::replace`, on any text and any pattern.
    #[test]
    fn replaced_is_str_replace(s in "[a-eé ]{0,12}", from in "[a-eé]{0,3}", to in "[a-eé]{0,3}") {
        let got: Vec<u8> = replaced(&s, &from, &to).collect();
        let want = if from.is_empty() { s.clone() } else { s.replace(&from, &to) };
        proptest::prop_assert_eq!(got, want.into_bytes());
    }
}

/// A megabyte of text holds tens of megabytes of readings before they are
/// pruned: each fits a cache line (72 bytes until session 32 made its
/// token count a `u8`).
#[test]
fn a_reading_fits_a_cache_line() {
    assert!(std::mem::size_of::<Arc<'_>>() <= 64, "{}", std::mem::size_of::<Arc<'_>>());
}

/// A term's fan-out fits the 16 bits [`TermInfo`] keeps of it (the
/// thesauri's largest is 1,488), so no channel is cut short.
#[test]
fn every_fan_out_fits_a_term_info() {
    let lex = Lexicon::global();
    let largest =
        lex.terms().filter_map(|t| lex.term_id(t)).map(|id| lex.fan_out_of(id)).max().unwrap_or(0);
    assert!(largest > 100 && largest < usize::from(u16::MAX), "{largest}");
}

/// A block's word types are numbered by first occurrence, the same word
/// with one type wherever it stands; a chunk renumbers the types it holds
/// densely, in its own order of first occurrence.
#[test]
fn word_types_and_a_chunks_own_numbering() {
    let words = ["the", "dog", "", "the", "cat", "dog", "cat", "emu"];
    let lower: Vec<Lower<'_>> =
        words.iter().map(|w| (!w.is_empty()).then_some(Cow::Borrowed(*w))).collect();
    let types = WordTypes::of(&lower);
    assert_eq!(types.of, [0, 1, NO_TYPE, 0, 2, 1, 2, 3]);
    assert_eq!(types.count(), 4);
    assert_eq!((types.at(4), types.of_text("cat"), types.of_text("owl")), (2, Some(2), None));
    assert_eq!(types.local(4..8), (vec![0, 1, 0, 2], 3));
    assert_eq!(types.local(1..4), (vec![0, NO_TYPE, 1], 2));
}
