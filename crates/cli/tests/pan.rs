use crate::util::{Dir, repo, stderr, stdout, unspin};

fn corpus() -> (String, String, String) {
    let r = |p: &str| repo(&format!("testdata/pan/{p}")).to_string_lossy().into_owned();
    (r("pairs"), r("src"), r("susp"))
}

#[test]
fn pan_then_pan_eval() {
    let d = Dir::new("pan-ok");
    let (pairs, src, susp) = corpus();
    let out = d.0.join("out").to_string_lossy().into_owned();
    let o = unspin(&["pan", &pairs, &src, &susp, &out], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let xml =
        std::fs::read_to_string(d.0.join("out/suspicious-document00001-source-document00001.xml"))
            .expect("detections written");
    assert!(
        xml.contains("name=\"detected-plagiarism\"")
            && xml.contains("source_reference=\"source-document00001.txt\"")
    );
    let none =
        std::fs::read_to_string(d.0.join("out/suspicious-document00001-source-document00002.xml"))
            .expect("empty pair written");
    assert!(!none.contains("<feature"), "help: the unrelated pair has no detection: {none}");
    let truth = repo("testdata/pan/truth").to_string_lossy().into_owned();
    let o = unspin(&["pan-eval", &truth, &out, "--format", "json"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    let plagdet = v["overall"]["plagdet"].as_f64().expect("plagdet");
    assert!(plagdet > 0.8, "help: the fixture case should be found: {v}");
    let o = unspin(&["pan-eval", &truth, &out], None);
    assert!(stdout(&o).contains("02-fixture") && stdout(&o).contains("overall"));
}

#[test]
fn bad_pair_line_and_missing_document() {
    let d = Dir::new("pan-bad");
    let (_, src, susp) = corpus();
    let pairs = d.file(
        "pairs",
        b"suspicious-document00001.txt source-document00001.txt\nthis line is wrong\nsuspicious-document00001.txt source-document09999.txt\n",
    );
    let out = d.0.join("out").to_string_lossy().into_owned();
    let o = unspin(&["pan", &pairs.to_string_lossy(), &src, &susp, &out], None);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "help: failures exit 2: {err}");
    assert!(err.contains(":2: malformed pair line"), "help: name the line: {err}");
    assert!(err.contains("source-document09999.txt"), "help: name the missing file: {err}");
    assert!(err.contains("2 of 3 pairs failed"), "{err}");
    assert!(
        d.0.join("out/suspicious-document00001-source-document00001.xml").is_file(),
        "help: the good pair is still processed"
    );
    assert!(!err.contains("panicked"));
}

#[test]
fn unwritable_out_dir() {
    let d = Dir::new("pan-unwritable");
    let (pairs, src, susp) = corpus();
    let file = d.file("not-a-dir", b"x");
    let out = file.join("out").to_string_lossy().into_owned();
    let o = unspin(&["pan", &pairs, &src, &susp, &out], None);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("OUT_DIR") && err.trim_end().lines().count() == 1, "{err}");
}

#[test]
fn missing_pairs_file_and_malformed_truth() {
    let d = Dir::new("pan-missing");
    let (_, src, susp) = corpus();
    let o = unspin(
        &[
            "pan",
            &d.0.join("nope").to_string_lossy(),
            &src,
            &susp,
            &d.0.join("o").to_string_lossy(),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nope"));
    std::fs::create_dir_all(d.0.join("truth/01-x")).expect("mkdir");
    d.file("truth/01-x/a-source-b.xml", b"<document reference=\"a\"><feature");
    std::fs::create_dir_all(d.0.join("det")).expect("mkdir");
    let o = unspin(
        &["pan-eval", &d.0.join("truth").to_string_lossy(), &d.0.join("det").to_string_lossy()],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("malformed XML") && stderr(&o).contains("a-source-b.xml"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn pan_eval_on_one_type_folder_or_no_truth() {
    let d = Dir::new("pan-one-folder");
    let (pairs, src, susp) = corpus();
    let out = d.0.join("out").to_string_lossy().into_owned();
    assert!(unspin(&["pan", &pairs, &src, &susp, &out], None).status.success());
    // One type folder of the truth, given on its own, is scored as the
    // whole truth is.
    let whole = |truth: &str| {
        let o = unspin(&["pan-eval", truth, &out, "--format", "json"], None);
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
        (v["overall"]["plagdet"].as_f64().expect("plagdet"), v["overall"]["cases"].clone())
    };
    let all = whole(&repo("testdata/pan/truth").to_string_lossy());
    let one = whole(&repo("testdata/pan/truth/02-fixture").to_string_lossy());
    assert_eq!(one, all);
    assert_ne!(one.1, serde_json::json!(0), "the folder's cases are read");
    // A directory with no truth XML is an error, not a perfect score.
    let empty = d.0.join("empty");
    std::fs::create_dir_all(empty.join("01-x")).expect("mkdir");
    let o = unspin(&["pan-eval", &empty.to_string_lossy(), &out], None);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("no PAN truth XML"), "{}", stderr(&o));
}
