use crate::util::{Dir, repo, stderr, stdout, unspin, unspin_within};

/// A small corpus of originals where "dog" is common in context.
fn originals(d: &Dir) -> String {
    std::fs::create_dir_all(d.0.join("orig")).expect("mkdir");
    let text = "The dog ran to the house and the dog saw the man. The old dog slept. ".repeat(400);
    d.file("orig/a.txt", text.as_bytes());
    d.0.join("orig").to_string_lossy().into_owned()
}

/// `lm build` of [`originals`]: the model file's path.
fn model_of_originals(d: &Dir) -> String {
    let orig = originals(d);
    let model = d.0.join("lm.bin").to_string_lossy().into_owned();
    let o = unspin(&["lm", "build", "-o", &model, &orig], None);
    assert!(o.status.success(), "{}", stderr(&o));
    model
}

#[test]
fn learn_from_spun_texts_alone_restores_them_first() {
    let d = Dir::new("learn-spun");
    let model = model_of_originals(&d);
    std::fs::create_dir_all(d.0.join("spun")).expect("mkdir");
    d.file("spun/a.txt", b"The pooch ran to the house.");
    d.file("spun/b.txt", b"The old pooch slept.");
    d.file("spun/c.bin", b"\x00\x01binary");
    let spun = d.0.join("spun").to_string_lossy().into_owned();
    let lex = d.0.join("l.json").to_string_lossy().into_owned();
    let o = unspin(&["learn", "--spun", &spun, "--lm", &model, "-o", &lex], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("2 spun texts restored"), "{}", stderr(&o));
    assert!(stderr(&o).contains("c.bin: skipped"), "{}", stderr(&o));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&lex).expect("lexicon")).expect("json");
    let subs = v["substitutions"].as_array().expect("substitutions");
    assert!(
        subs.iter().any(|s| s["spun"] == "pooch" && s["original"] == "dog" && s["count"] == 2),
        "{v}"
    );
    // The originals' words are the restorations'.
    assert_eq!(v["words"]["dog"], 2, "{v}");
    // No edit is sure enough at 1: nothing is learned.
    let o = unspin(
        &["learn", "--spun", &spun, "--lm", &model, "--min-confidence", "1", "-o", &lex],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&lex).expect("lexicon")).expect("json");
    assert_eq!(v["substitutions"].as_array().map(Vec::len), Some(0), "{v}");
    // At least one round.
    let o = unspin(&["learn", "--spun", &spun, "--lm", &model, "--rounds", "0", "-o", &lex], None);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("not a number of rounds"), "{}", stderr(&o));
    // Rounds and a minimum confidence are for spun texts only.
    let o = unspin(&["learn", "a", "b", "--rounds", "3", "-o", &lex], None);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // Restoring needs a language model; nothing readable, nothing to learn.
    let o = unspin(&["learn", "--spun", &spun, "-o", &lex], None);
    assert_eq!(o.status.code(), Some(2));
    let bin = d.0.join("spun/c.bin").to_string_lossy().into_owned();
    let o = unspin(&["learn", "--spun", &bin, "--lm", &model, "-o", &lex], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no pairs to learn from"), "{}", stderr(&o));
}

#[test]
fn the_diff_format_marks_each_edit_and_flag_in_place() {
    let d = Dir::new("restore-diff");
    let model = model_of_originals(&d);
    let t = d.file("t.txt", "The pooch ran to the house. Né.".as_bytes());
    let t = t.to_string_lossy().into_owned();
    let o = unspin(&["restore", "--lm", &model, &t, "--format", "diff"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    // Not a terminal: no colour.
    assert_eq!(stdout(&o), "The [-pooch-]{+dog+} ran to the house. Né.\n");
    assert!(stderr(&o).contains("1 edits"), "{}", stderr(&o));
    let o = unspin(&["score", "--lm", &model, &t, "--format", "diff"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("The [-pooch-]{+dog+} ran to the house. Né.\n\nverdict: "), "{out}");
    assert!(out.contains("flagged)"), "{out}");
}

#[test]
fn restore_without_source_uses_the_language_model() {
    let d = Dir::new("restore-lm");
    let model = model_of_originals(&d);
    let t = d.file("t.txt", b"The pooch ran to the house.");
    let o = unspin(&["restore", "--lm", &model, &t.to_string_lossy(), "--format", "json"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["method"], "lm");
    assert_eq!(v["text"], "The dog ran to the house.", "{v}");
    assert_eq!(v["edits"][0]["evidence"], "lm");
    assert_eq!(v["edits"][0]["suspect"]["start"], 4);
    // The edit's confidence is calibrated, below 1; asking for more
    // leaves the text as it is.
    let c = v["edits"][0]["confidence"].as_f64().expect("confidence");
    assert!(0.2 < c && c < 1.0, "{v}");
    let above = format!("{:.4}", (c + 1.0) / 2.0);
    let o = unspin(
        &["restore", "--lm", &model, &t.to_string_lossy(), "--min-confidence", &above],
        None,
    );
    assert_eq!(stdout(&o), "The pooch ran to the house.\n");
    for bad in ["1.5", "-0.1", "often"] {
        let arg = format!("--min-confidence={bad}");
        let o = unspin(&["restore", "--lm", &model, &t.to_string_lossy(), &arg], None);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(stderr(&o).contains("not a probability"), "{}", stderr(&o));
    }
    // The untouched original is left alone.
    let t = d.file("u.txt", b"The dog ran to the house.");
    let o = unspin(&["restore", "--lm", &model, &t.to_string_lossy()], None);
    assert_eq!(stdout(&o), "The dog ran to the house.\n");
}

#[test]
fn lm_kept_in_the_index() {
    let d = Dir::new("lm-index");
    let orig = originals(&d);
    let idx = d.0.join("idx").to_string_lossy().into_owned();
    assert!(unspin(&["index", "add", "--index", &idx, &orig], None).status.success());
    let o = unspin(&["lm", "build", "--index", &idx], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(d.0.join("idx/unspin-lm.bin").is_file());
    let t = d.file("t.txt", b"A cat sat.");
    let o = unspin(&["score", "--index", &idx, &t.to_string_lossy()], None);
    assert!(o.status.success() && stdout(&o).contains("frequency-model"), "{}", stderr(&o));
    let o = unspin(&["lm", "build"], None);
    assert_eq!(o.status.code(), Some(2), "help: paths or --index are required");
}

#[test]
fn lm_build_of_no_text_is_refused_and_keeps_the_model() {
    let d = Dir::new("lm-empty");
    let model = model_of_originals(&d);
    let before = std::fs::read(&model).expect("model");
    let empty = d.file("empty.txt", b"");
    let binary = d.file("b.bin", b"\x00\x01binary");
    let o = unspin(
        &["lm", "build", "-o", &model, &empty.to_string_lossy(), &binary.to_string_lossy()],
        None,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("no text to build a model from"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&model).expect("model"), before, "the model is untouched");
    // An empty index has nothing to build from either. (Adding nothing
    // but an empty file is refused, and leaves the new index empty.)
    let idx = d.0.join("idx");
    std::fs::create_dir_all(&idx).expect("mkdir");
    let o = unspin(
        &["index", "add", "--index", &idx.to_string_lossy(), &empty.to_string_lossy()],
        None,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = unspin(&["lm", "build", "--index", &idx.to_string_lossy()], None);
    assert!(stderr(&o).contains("nothing written"), "{}", stderr(&o));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!idx.join("unspin-lm.bin").exists());
}

#[test]
fn learn_then_restore_and_score_with_the_lexicon() {
    let d = Dir::new("learn");
    let a = d
        .file("a.txt", b"He is a member of the club. The domestic dog barked at the domestic cat.");
    let b = d.file(
        "b.txt",
        b"He is an individual from the club. The residential puppy barked at the residential cat.",
    );
    let lex = d.0.join("l.json").to_string_lossy().into_owned();
    let o = unspin(&["learn", &a.to_string_lossy(), &b.to_string_lossy(), "-o", &lex], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&lex).expect("lexicon")).expect("json");
    assert_eq!(v["format"], "unspin-learned-lexicon");
    let subs = v["substitutions"].as_array().expect("array");
    assert!(
        subs.iter()
            .any(|s| s["spun"] == "residential" && s["original"] == "domestic" && s["count"] == 2),
        "{v}"
    );
    let t = d.file("t.txt", b"She is an individual from the board.");
    let o = unspin(&["restore", "--lexicon", &lex, &t.to_string_lossy()], None);
    assert_eq!(stdout(&o), "She is a member of the board.\n", "{}", stderr(&o));
    let o = unspin(&["score", "--lexicon", &lex, &t.to_string_lossy(), "--format", "json"], None);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["flagged"][0]["reason"], "learned spinner substitution");
    // JSONL pairs: a bad line is reported with its number and skipped.
    let j = d.file(
        "p.jsonl",
        b"{\"original\": \"The domestic dog.\", \"spun\": \"The residential puppy.\"}\n{oops\n",
    );
    let o = unspin(&["learn", &j.to_string_lossy(), "-o", &lex], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("p.jsonl:2: skipped"), "{}", stderr(&o));
}

#[test]
fn bad_lexicons_and_pairs() {
    let d = Dir::new("learn-bad");
    let t = d.file("t.txt", b"Some text.");
    let bad = d.file("bad.json", b"{not json");
    let o = unspin(&["restore", "--lexicon", &bad.to_string_lossy(), &t.to_string_lossy()], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a valid unspin learned lexicon"), "{}", stderr(&o));
    assert_eq!(stderr(&o).lines().count(), 1);
    let v9 = d.file(
        "v9.json",
        b"{\"format\": \"unspin-learned-lexicon\", \"version\": 9, \"substitutions\": []}",
    );
    let o = unspin(&["score", "--lexicon", &v9.to_string_lossy(), &t.to_string_lossy()], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("format version 9"), "{}", stderr(&o));
    let out = d.0.join("o.json").to_string_lossy().into_owned();
    let o = unspin(&["learn", &t.to_string_lossy(), "-o", &out], None);
    assert_eq!(o.status.code(), Some(2), "help: plain-text pairs come two files at a time");
    let o = unspin(&["learn", &d.0.join("missing").to_string_lossy(), "-o", &out], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(!d.0.join("o.json").exists(), "help: nothing is written on error");
}

/// A bad text is told before any model is read (a large model takes
/// a while to load, and its error would hide the text's).
#[test]
fn the_text_is_read_before_the_model() {
    let d = Dir::new("text-first");
    let corrupt = d.file("corrupt.bin", b"not a model at all");
    let missing = d.0.join("missing.txt").to_string_lossy().into_owned();
    for cmd in ["restore", "score"] {
        let o = unspin(&[cmd, "--lm", &corrupt.to_string_lossy(), &missing], None);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{cmd}: {err}");
        assert!(err.contains("missing.txt") && !err.contains("corrupt.bin"), "{cmd}: {err}");
    }
}

/// A device has no length to check first: /dev/zero as the text, the
/// lexicon, the model, a document to index or a PAN pairs file is refused
/// with one line, not read forever.
#[cfg(unix)]
#[test]
fn a_device_is_refused_not_read_forever() {
    let d = Dir::new("device");
    let t = d.file("t.txt", b"Some text.");
    let t = t.to_string_lossy();
    let dir = d.0.to_string_lossy().into_owned();
    let idx = d.0.join("idx").to_string_lossy().into_owned();
    for args in [
        vec!["score", "/dev/zero", "--max-bytes", "1000"],
        vec!["restore", "--lexicon", "/dev/zero", &t],
        vec!["restore", "--lm", "/dev/zero", &t],
        vec!["index", "add", "--index", &idx, "/dev/zero"],
        vec!["pan", "/dev/zero", &dir, &dir, &dir],
    ] {
        let o = unspin_within(&args, 60);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert_eq!(stderr(&o).lines().count(), 1, "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn a_paper_in_established_terms_is_original_and_its_tortured_twin_is_restored() {
    let paper =
        |name: &str| repo(&format!("testdata/papers/{name}.txt")).to_string_lossy().into_owned();
    let (original, tortured) = (paper("original"), paper("tortured"));
    let score = |file: &str| {
        let o = unspin(&["score", "--format", "json", file], None);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_str::<serde_json::Value>(&stdout(&o)).expect("json")
    };
    // "neural network", "principal component analysis", "mean squared
    // error": real terms, none of them flagged.
    let v = score(&original);
    assert_eq!(v["verdict"], "original", "{v}");
    assert_eq!(v["flagged"].as_array().map(Vec::len), Some(0), "{v}");
    let v = score(&tortured);
    assert_eq!(v["verdict"], "spun", "{v}");
    let flagged: Vec<&str> = v["flagged"]
        .as_array()
        .expect("flags")
        .iter()
        .filter_map(|f| f["suspect"]["text"].as_str())
        .collect();
    assert!(flagged.contains(&"profound learning") && !flagged.contains(&"neural network"), "{v}");
    // The restoration writes the terms, not the list's remarks ("(tpr)").
    let o = unspin(&["restore", &tortured], None);
    let text = stdout(&o);
    assert!(text.contains("a novel deep learning framework"), "{text}");
    assert!(text.contains("report the true positive rate, the false"), "{text}");
    assert!(
        text.contains("a convolutional neural network with an artificial intelligence"),
        "{text}"
    );
}
