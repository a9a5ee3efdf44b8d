use std::process::{Command, Stdio};

use crate::util::{Dir, repo, stderr, stdout, unspin};

fn stats(dir: &str) -> u64 {
    let o = unspin(&["index", "stats", "--index", dir], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    out.lines()
        .find_map(|l| l.strip_prefix("documents: "))
        .and_then(|n| n.trim().parse().ok())
        .expect("documents line")
}

fn listing(dir: &std::path::Path) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = std::fs::read_dir(dir)
        .expect("read dir")
        .filter_map(|e| e.ok())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().map(|m| m.len()).unwrap_or(0),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn add_replace_remove_and_check() {
    let d = Dir::new("index-basic");
    let idx = d.0.join("idx").to_string_lossy().into_owned();
    // The sources of the fixture pairs (not their suspects).
    std::fs::create_dir_all(d.0.join("sources")).expect("mkdir");
    for n in ["01", "02", "03"] {
        let text = std::fs::read(repo(&format!("testdata/pairs/{n}.source.txt"))).expect("fixture");
        d.file(&format!("sources/{n}.source.txt"), &text);
    }
    let sources = d.0.join("sources").to_string_lossy().into_owned();
    let o = unspin(&["index", "add", "--index", &idx, &sources], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stats(&idx), 3);
    let jsonl = d.file(
        "docs.jsonl",
        b"{\"id\": \"a\", \"text\": \"first version\", \"title\": \"A\"}\n{\"id\": \"a\", \"text\": \"The second version of a.\"}\n",
    );
    let o = unspin(&["index", "add", "--index", &idx, &jsonl.to_string_lossy()], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stats(&idx), 4, "help: an id that exists is replaced");
    // The spun suspect finds its source.
    let suspect = repo("testdata/pairs/01.suspect.txt").to_string_lossy().into_owned();
    let o = unspin(&["check", "--index", &idx, &suspect, "--format", "json"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    let first = &v["sources"][0];
    assert!(first["id"].as_str().is_some_and(|id| id.ends_with("01.source.txt")), "{v}");
    assert!(first["report"]["verdict"].is_string() && first["score"].as_f64().is_some());
    // An unrelated text finds nothing.
    let other = d.file("other.txt", b"Heavy snow closed mountain roads in the Alps, stranding skiers and forcing rescue teams to evacuate several villages by helicopter over the weekend.");
    let o = unspin(&["check", "--index", &idx, &other.to_string_lossy(), "--format", "json"], None);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["sources"].as_array().map(Vec::len), Some(0), "{v}");
    let o = unspin(&["index", "rm", "--index", &idx, "a"], None);
    assert!(o.status.success());
    assert_eq!(stats(&idx), 3);
}

#[test]
fn bad_inputs_are_skipped_and_counted() {
    let d = Dir::new("index-bad");
    let idx = d.0.join("idx").to_string_lossy().into_owned();
    std::fs::create_dir_all(d.0.join("in")).expect("mkdir");
    d.file("in/good.txt", b"A good plain text document about rivers.");
    d.file("in/binary.bin", b"\x00\x01\x02\x03binary");
    d.file("in/latin1.txt", b"caf\xe9");
    d.file("in/docs.jsonl", b"{\"id\": \"j1\", \"text\": \"fine\"}\n{not json\n{\"id\": \"j2\", \"text\": \"also fine\"}\n");
    let o = unspin(&["index", "add", "--index", &idx, &d.0.join("in").to_string_lossy()], None);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("docs.jsonl:2: skipped: malformed JSON"), "help: name the line: {err}");
    assert!(err.contains("binary.bin: skipped") && err.contains("latin1.txt: skipped"), "{err}");
    assert!(err.contains("skipped 2 files and 1 bad lines"), "{err}");
    assert_eq!(stats(&idx), 3);
}

#[test]
fn adding_nothing_but_bad_inputs_is_an_error_and_keeps_the_index() {
    let d = Dir::new("index-all-bad");
    let idx = d.0.join("idx").to_string_lossy().into_owned();
    let good = d.file("good.txt", b"A good plain text document about rivers.");
    let o = unspin(&["index", "add", "--index", &idx, &good.to_string_lossy()], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let binary = d.file("binary.bin", b"\x00\x01\x02\x03binary");
    let jsonl = d.file("docs.jsonl", b"{not json\n");
    let o = unspin(
        &["index", "add", "--index", &idx, &binary.to_string_lossy(), &jsonl.to_string_lossy()],
        None,
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    let last = err.lines().last().unwrap_or_default();
    assert!(last.starts_with("unspin: error: nothing indexed: every input was skipped"), "{err}");
    assert_eq!(stats(&idx), 1);
    std::fs::create_dir_all(d.0.join("none")).expect("mkdir");
    let o = unspin(&["index", "add", "--index", &idx, &d.0.join("none").to_string_lossy()], None);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("nothing indexed: no documents"), "{}", stderr(&o));
    assert_eq!(stats(&idx), 1);
}

#[test]
fn refuses_what_is_not_an_index_and_never_touches_it() {
    let d = Dir::new("index-refuse");
    let plain = d.0.join("plain");
    std::fs::create_dir_all(&plain).expect("mkdir");
    std::fs::write(plain.join("notes.txt"), b"precious").expect("write");
    let before = listing(&plain);
    let doc = d.file("doc.txt", b"Some text.");
    let o = unspin(
        &["index", "add", "--index", &plain.to_string_lossy(), &doc.to_string_lossy()],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not an unspin index"), "{}", stderr(&o));
    for cmd in [&["index", "stats", "--index"][..], &["index", "rm", "--index"][..]] {
        let mut args: Vec<&str> = cmd.to_vec();
        let p = plain.to_string_lossy().into_owned();
        args.push(&p);
        if cmd[1] == "rm" {
            args.push("x");
        }
        let o = unspin(&args, None);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
    }
    assert_eq!(listing(&plain), before, "help: a directory that is not an index is never modified");
    // An index of another format version.
    let idx = d.0.join("idx");
    let o =
        unspin(&["index", "add", "--index", &idx.to_string_lossy(), &doc.to_string_lossy()], None);
    assert!(o.status.success());
    std::fs::write(
        idx.join("unspin-index.json"),
        b"{\"format\": \"unspin-index\", \"version\": 99}",
    )
    .expect("write");
    let before = listing(&idx);
    let o =
        unspin(&["index", "add", "--index", &idx.to_string_lossy(), &doc.to_string_lossy()], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("version 99"), "{}", stderr(&o));
    assert_eq!(listing(&idx), before);
}

#[test]
fn killed_mid_run_keeps_committed_documents_and_a_rerun_completes() {
    let d = Dir::new("index-kill");
    std::fs::create_dir_all(d.0.join("in")).expect("mkdir");
    let n = 3000;
    for k in 0..n {
        let text = format!("Document number {k} talks about topic {} and item {}.", k % 17, k * 7);
        std::fs::write(d.0.join(format!("in/{k:05}.txt")), text).expect("write");
    }
    let idx = d.0.join("idx").to_string_lossy().into_owned();
    let input = d.0.join("in").to_string_lossy().into_owned();
    let mut child = Command::new(env!("CARGO_BIN_EXE_unspin"))
        .args(["index", "add", "--index", &idx, &input, "--commit-every", "200"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    // Killed once the index exists (however slow the machine), mid-run.
    let made = d.0.join("idx/unspin-index.json");
    for _ in 0..600 {
        if made.is_file() || child.try_wait().ok().flatten().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_millis(200));
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
    let after_kill = stats(&idx);
    assert!(after_kill <= n, "{after_kill}");
    let o = unspin(&["index", "add", "--index", &idx, &input], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stats(&idx), n, "help: a rerun completes the index, replacing what was there");
}

#[test]
fn restore_from_source_and_from_the_lexicon() {
    let d = Dir::new("restore");
    let t = d.file("t.txt", b"Researchers used counterfeit consciousness to predict the weather.");
    let o = unspin(&["restore", &t.to_string_lossy()], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "Researchers used artificial intelligence to predict the weather.\n");
    assert!(stderr(&o).contains("lexicon only"), "help: say that no source was used");
    std::fs::create_dir_all(d.0.join("src")).expect("mkdir");
    let source = std::fs::read(repo("testdata/pairs/01.source.txt")).expect("fixture");
    d.file("src/01.source.txt", &source);
    let idx = d.0.join("idx").to_string_lossy().into_owned();
    let o = unspin(&["index", "add", "--index", &idx, &d.0.join("src").to_string_lossy()], None);
    assert!(o.status.success());
    let suspect = repo("testdata/pairs/01.suspect.txt").to_string_lossy().into_owned();
    let o = unspin(&["restore", "--index", &idx, &suspect, "--format", "json"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["method"], "source");
    assert_eq!(
        v["text"].as_str(),
        std::str::from_utf8(&source).ok(),
        "help: the source's wording comes back"
    );
    assert!(v["edits"][0]["suspect"]["start"].is_u64() && v["edits"][0]["evidence"] == "source");
}

#[test]
fn jsonl_on_standard_input() {
    let d = Dir::new("index-stdin");
    let idx = d.0.join("idx").to_string_lossy().into_owned();
    let input = b"{\"id\": \"s1\", \"text\": \"one\"}\nbroken\n{\"id\": 2, \"text\": \"two\", \"url\": \"https://example.org\"}\n";
    let o = unspin(&["index", "add", "--index", &idx, "-"], Some(input));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("standard input:2: skipped: malformed JSON"), "{}", stderr(&o));
    assert_eq!(stats(&idx), 2);
}

#[test]
fn lm_build_and_score() {
    let d = Dir::new("score");
    std::fs::create_dir_all(d.0.join("orig")).expect("mkdir");
    let common = "The dog ran to the house and the dog saw the man. ".repeat(60);
    d.file("orig/a.txt", common.as_bytes());
    let model = d.0.join("lm.bin").to_string_lossy().into_owned();
    let o = unspin(&["lm", "build", "-o", &model, &d.0.join("orig").to_string_lossy()], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let t = d.file(
        "t.txt",
        b"Researchers used counterfeit consciousness and a profound learning model.",
    );
    let o = unspin(&["score", &t.to_string_lossy(), "--format", "json"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["method"], "lexicon-only");
    assert_eq!(v["flagged"][0]["suggested"], "artificial intelligence");
    let o = unspin(&["score", &t.to_string_lossy(), "--lm", &model], None);
    assert!(o.status.success() && stdout(&o).contains("frequency-model"));
    let bad = d.file("bad.bin", b"not a model at all, just text");
    let o = unspin(&["score", &t.to_string_lossy(), "--lm", &bad.to_string_lossy()], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a valid unspin language model"), "{}", stderr(&o));
}

#[test]
fn scan_reports_each_spun_pair_once_and_a_model_tells_the_original() {
    let d = Dir::new("index-scan");
    let idx = d.0.join("idx").to_string_lossy().into_owned();
    // Ids are the fixture names: JSONL, so the snapshot holds no temp path.
    let mut jsonl = String::new();
    for n in ["01", "02", "03"] {
        for side in ["source", "suspect"] {
            let text = std::fs::read_to_string(repo(&format!("testdata/pairs/{n}.{side}.txt")))
                .expect("fixture");
            jsonl.push_str(
                &serde_json::json!({"id": format!("{n}.{side}"), "text": text}).to_string(),
            );
            jsonl.push('\n');
        }
    }
    jsonl.push_str("{\"id\": \"other\", \"text\": \"Heavy snow closed mountain roads in the Alps, stranding skiers and forcing rescue teams to evacuate several villages by helicopter over the weekend.\"}\n");
    let docs = d.file("docs.jsonl", jsonl.as_bytes());
    let o = unspin(&["index", "add", "--index", &idx, &docs.to_string_lossy()], None);
    assert!(o.status.success(), "{}", stderr(&o));
    // A model of the originals only (as `lm build` over a newsroom's
    // archive would be).
    let sources: Vec<String> = ["01", "02", "03"]
        .iter()
        .map(|n| repo(&format!("testdata/pairs/{n}.source.txt")).to_string_lossy().into_owned())
        .collect();
    let lm = d.0.join("m.lm").to_string_lossy().into_owned();
    let mut args = vec!["lm", "build"];
    args.extend(sources.iter().map(String::as_str));
    args.extend(["-o", &lm]);
    let o = unspin(&args, None);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = unspin(&["scan", "--index", &idx, "--lm", &lm, "--format", "json"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    let pairs = v["pairs"].as_array().expect("pairs");
    let mut found: Vec<(String, String)> = pairs
        .iter()
        .map(|p| {
            (p["source"].as_str().unwrap_or("").into(), p["suspect"].as_str().unwrap_or("").into())
        })
        .collect();
    found.sort();
    let want: Vec<(String, String)> = ["01", "02", "03"]
        .iter()
        .map(|n| (format!("{n}.source"), format!("{n}.suspect")))
        .collect();
    assert_eq!(found, want, "{v}");
    assert!(
        pairs.iter().all(|p| p["verdict"] == "spun" && p["oriented_by"] == "language-model"),
        "{v}"
    );
    insta::assert_json_snapshot!(v);
    // `learn --index` learns the spinner's table from those pairs, each
    // read the right way round: spun words from the suspects, originals
    // from the sources.
    let lex = d.0.join("l.json").to_string_lossy().into_owned();
    let o = unspin(&["learn", "--index", &idx, "--lm", &lm, "-o", &lex], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("3 spun pairs found"), "{}", stderr(&o));
    let table: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&lex).expect("lexicon")).expect("json");
    let subs = table["substitutions"].as_array().expect("substitutions");
    let side = |s: &str| -> String {
        ["01", "02", "03"]
            .iter()
            .map(|n| {
                std::fs::read_to_string(repo(&format!("testdata/pairs/{n}.{s}.txt")))
                    .expect("fixture")
                    .to_lowercase()
            })
            .collect()
    };
    let (sources, suspects) = (side("source"), side("suspect"));
    assert!(
        subs.iter().any(|s| s["spun"] == "clergyman" && s["original"] == "minister"),
        "{table}"
    );
    for s in subs {
        let (spun, original) =
            (s["spun"].as_str().unwrap_or(""), s["original"].as_str().unwrap_or(""));
        assert!(suspects.contains(spun) && sources.contains(original), "{s}");
    }
    // A missing index is an error (exit 2).
    let o = unspin(&["learn", "--index", &d.0.join("nope").to_string_lossy(), "-o", &lex], None);
    assert_eq!(o.status.code(), Some(2));
    // Without a model, each pair is still reported once.
    let o = unspin(&["scan", "--index", &idx], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 3, "{}", stdout(&o));
    assert!(stderr(&o).contains("no language model"), "{}", stderr(&o));
    // A missing index is a one-line error, exit 2.
    let o = unspin(&["scan", "--index", &d.0.join("nope").to_string_lossy()], None);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o).trim().lines().count(), 1, "{}", stderr(&o));
}
