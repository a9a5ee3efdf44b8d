use crate::util::{Dir, stderr, unspin};

/// Runs compare with a good source and a bad suspect; expects exit code 2
/// and a one-line error naming the file and containing `problem`.
fn rejects(name: &str, bytes: Option<&[u8]>, extra: &[&str], problem: &str) {
    let d = Dir::new(name);
    let good = d.file("good.txt", b"A perfectly fine source text.");
    let bad = match bytes {
        Some(b) => d.file(name, b),
        None => d.0.join(name),
    };
    let (good, bad) = (good.to_string_lossy().into_owned(), bad.to_string_lossy().into_owned());
    let mut args = vec!["compare", good.as_str(), bad.as_str()];
    args.extend_from_slice(extra);
    let o = unspin(&args, None);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "help: bad input exits 2; stderr: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "help: one line: {err}");
    assert!(err.contains(name), "help: the error names the file: {err}");
    assert!(err.contains(problem), "help: the error says {problem:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn invalid_utf8() {
    rejects("latin1.txt", Some(b"caf\xe9 au lait"), &[], "not valid UTF-8");
}

#[test]
fn binary_file() {
    rejects("image.bin", Some(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), &[], "binary");
}

#[test]
fn utf16_file() {
    // "Dog" in UTF-16, little-endian and big-endian, as Windows tools save it.
    rejects("le.txt", Some(b"\xff\xfeD\0o\0g\0"), &[], "UTF-16");
    rejects("be.txt", Some(b"\xfe\xff\0D\0o\0g"), &[], "UTF-16");
}

#[test]
fn empty_file() {
    rejects("empty.txt", Some(b""), &[], "empty");
}

#[test]
fn whitespace_only_file() {
    rejects("blank.txt", Some(b"  \n\t\n"), &[], "empty");
}

#[test]
fn missing_file() {
    rejects("missing.txt", None, &[], "no such file");
}

#[test]
fn over_max_bytes() {
    rejects("big.txt", Some(&[b'a'; 2000]), &["--max-bytes", "1000"], "--max-bytes");
}

#[test]
fn over_max_bytes_on_stdin() {
    let d = Dir::new("stdin-big");
    let good = d.file("good.txt", b"A fine text.");
    let o =
        unspin(&["compare", &good.to_string_lossy(), "-", "--max-bytes", "20"], Some(&[b'a'; 100]));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("standard input") && stderr(&o).contains("--max-bytes"));
}

#[test]
fn both_texts_from_stdin() {
    let o = unspin(&["compare", "-", "-"], Some(b"The dog ran home."));
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("both standard input"),
        "help: say why, not that the text is empty: {err}"
    );
}

#[test]
fn directory_instead_of_file() {
    let d = Dir::new("dir-arg");
    std::fs::create_dir_all(d.0.join("sub.txt")).expect("mkdir");
    let good = d.file("good.txt", b"A fine text.");
    let o =
        unspin(&["compare", &good.to_string_lossy(), &d.0.join("sub.txt").to_string_lossy()], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("directory"));
}
