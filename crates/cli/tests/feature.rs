use crate::util::{Dir, repo, stdout, unspin};

fn pair(n: &str) -> (String, String) {
    let s = repo(&format!("testdata/pairs/{n}.source.txt"));
    let t = repo(&format!("testdata/pairs/{n}.suspect.txt"));
    (s.to_string_lossy().into_owned(), t.to_string_lossy().into_owned())
}

#[test]
fn compare_json_is_the_report() {
    let (s, t) = pair("01");
    let o = unspin(&["compare", &s, &t, "--format", "json"], None);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    assert_eq!(v["verdict"], "spun");
    assert!(v["spin_score"].as_f64().is_some_and(|x| (0.0..=1.0).contains(&x)));
    let subs = v["substitutions"].as_array().expect("substitutions");
    let kinds: Vec<&str> = subs.iter().filter_map(|s| s["kind"].as_str()).collect();
    assert!(kinds.contains(&"broken-term") && kinds.contains(&"format"), "{kinds:?}");
    for key in ["source_tokens", "suspect_tokens", "aligned_tokens", "substituted_tokens"] {
        assert!(v["stats"][key].as_u64().is_some(), "help: stats.{key} missing");
    }
}

#[test]
fn compare_text_is_plain_off_a_terminal() {
    let (s, t) = pair("03");
    let o = unspin(&["compare", &s, &t], None);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(!out.contains('\x1b'), "help: no colour when stdout is not a terminal");
    assert!(out.contains("[-artificial intelligence-]{+counterfeit consciousness+}"), "{out}");
    assert!(out.contains("verdict: spun"));
    insta::assert_snapshot!(out);
}

#[test]
fn compare_html_is_one_page() {
    let (s, t) = pair("01");
    let o = unspin(&["compare", &s, &t, "--format", "html"], None);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.starts_with("<!DOCTYPE html>") && out.trim_end().ends_with("</html>"));
    assert!(out.contains("class=\"sub k-broken-term\"") && out.contains("href=\"#r0\""));
    assert!(!out.contains("<script src") && !out.contains("<link"), "help: self-contained");
}

#[test]
fn stdin_as_suspect() {
    let (s, t) = pair("01");
    let suspect = std::fs::read(&t).expect("fixture");
    let o = unspin(&["compare", &s, "-", "--format", "json"], Some(&suspect));
    assert!(o.status.success());
    assert!(stdout(&o).contains("\"verdict\": \"spun\""));
}

#[test]
fn identical_files_are_a_copy() {
    let d = Dir::new("copy");
    let a = d.file("a.txt", b"The same words, twice over.");
    let a = a.to_string_lossy();
    let o = unspin(&["compare", &a, &a, "--format", "json"], None);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["verdict"], "copy");
    assert_eq!(v["substitutions"].as_array().map(Vec::len), Some(0));
}
