//! plagdet, from its published definition (Potthast, Stein, Barrón-Cedeño,
//! Rosso: "An Evaluation Framework for Plagiarism Detection", COLING 2010).
//!
//! A case `s` and a detection `r` are annotations of a (suspicious, source)
//! document pair with a character range on each side; `s ⊓ r` is the set of
//! characters, on **both** sides, that they share, and is empty unless they
//! overlap on both sides. Then
//!
//! * macro recall = mean over cases `s` of `|⋃_r (s ⊓ r)| / |s|`,
//! * macro precision = the same with cases and detections swapped,
//! * granularity = mean, over detected cases, of the number of detections
//!   overlapping each,
//! * plagdet = F1(precision, recall) / log2(1 + granularity).
//!
//! Conventions (those of the PAN-13 evaluation): identical annotations count
//! once; with neither cases nor detections recall and precision are 1, with
//! only one of them 0; detections of pairs outside the corpus are ignored.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use serde::Serialize;

use crate::Error;
use crate::xml::{Annotation, read_annotations};

/// Scores of a set of detections against a set of cases.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Scores {
    /// plagdet.
    pub plagdet: f64,
    /// Macro recall.
    pub recall: f64,
    /// Macro precision.
    pub precision: f64,
    /// Granularity.
    pub granularity: f64,
    /// Number of cases.
    pub cases: usize,
    /// Number of detections.
    pub detections: usize,
}

type PairKey<'a> = (&'a str, &'a str);

fn overlaps(a: &Annotation, b: &Annotation) -> bool {
    a.suspect_doc == b.suspect_doc
        && a.source_doc == b.source_doc
        && a.this_offset < b.this_offset + b.this_length
        && b.this_offset < a.this_offset + a.this_length
        && a.source_offset < b.source_offset + b.source_length
        && b.source_offset < a.source_offset + a.source_length
}

/// Characters of `[start, start + len)` covered by the union of `spans`.
fn covered(start: usize, len: usize, spans: &mut [(usize, usize)]) -> usize {
    let end = start + len;
    spans.sort_unstable();
    let (mut total, mut cur): (usize, Option<(usize, usize)>) = (0, None);
    for &(s, e) in spans.iter() {
        let (s, e) = (s.max(start), e.min(end));
        if e <= s {
            continue;
        }
        cur = match cur {
            Some((cs, ce)) if s <= ce => Some((cs, ce.max(e))),
            Some((cs, ce)) => {
                total += ce - cs;
                Some((s, e))
            }
            None => Some((s, e)),
        };
    }
    total + cur.map_or(0, |(s, e)| e - s)
}

fn by_pair(anns: &[Annotation]) -> HashMap<PairKey<'_>, Vec<&Annotation>> {
    let mut m: HashMap<PairKey<'_>, Vec<&Annotation>> = HashMap::new();
    for a in anns {
        m.entry((a.suspect_doc.as_str(), a.source_doc.as_str())).or_default().push(a);
    }
    m
}

fn macro_recall(cases: &[Annotation], dets: &[Annotation]) -> f64 {
    if cases.is_empty() || dets.is_empty() {
        return if cases.is_empty() && dets.is_empty() { 1.0 } else { 0.0 };
    }
    let index = by_pair(dets);
    let mut sum = 0.0;
    for c in cases {
        let size = c.this_length + c.source_length;
        let key = (c.suspect_doc.as_str(), c.source_doc.as_str());
        let hits: Vec<&&Annotation> = index
            .get(&key)
            .map(|v| v.iter().filter(|d| overlaps(c, d)).collect())
            .unwrap_or_default();
        if hits.is_empty() || size == 0 {
            continue;
        }
        let mut this: Vec<(usize, usize)> =
            hits.iter().map(|d| (d.this_offset, d.this_offset + d.this_length)).collect();
        let mut src: Vec<(usize, usize)> =
            hits.iter().map(|d| (d.source_offset, d.source_offset + d.source_length)).collect();
        let got = covered(c.this_offset, c.this_length, &mut this)
            + covered(c.source_offset, c.source_length, &mut src);
        sum += got as f64 / size as f64;
    }
    sum / cases.len() as f64
}

fn granularity(cases: &[Annotation], dets: &[Annotation]) -> f64 {
    let index = by_pair(dets);
    let (mut detected, mut total) = (0usize, 0usize);
    for c in cases {
        let key = (c.suspect_doc.as_str(), c.source_doc.as_str());
        let n = index.get(&key).map_or(0, |v| v.iter().filter(|d| overlaps(c, d)).count());
        if n > 0 {
            detected += 1;
            total += n;
        }
    }
    if detected == 0 { 1.0 } else { total as f64 / detected as f64 }
}

/// Scores `dets` against `cases` (each deduplicated first).
///
/// ```
/// use unspin_pan::eval::score;
/// use unspin_pan::xml::Annotation;
/// let case = Annotation::new("s.txt", 0, 100, "r.txt", 0, 100);
/// let halves = [Annotation::new("s.txt", 0, 50, "r.txt", 0, 50), Annotation::new("s.txt", 50, 50, "r.txt", 50, 50)];
/// let s = score(&[case], &halves);
/// assert_eq!((s.recall, s.precision, s.granularity), (1.0, 1.0, 2.0));
/// assert!((s.plagdet - 1.0 / 3f64.log2()).abs() < 1e-12);
/// ```
pub fn score(cases: &[Annotation], dets: &[Annotation]) -> Scores {
    let dedup = |v: &[Annotation]| -> Vec<Annotation> {
        v.iter().cloned().collect::<BTreeSet<_>>().into_iter().collect()
    };
    let (cases, dets) = (dedup(cases), dedup(dets));
    let recall = macro_recall(&cases, &dets);
    let precision = macro_recall(&dets, &cases);
    let granularity = granularity(&cases, &dets);
    let f1 = if recall + precision == 0.0 {
        0.0
    } else {
        2.0 * recall * precision / (recall + precision)
    };
    let plagdet = if f1 == 0.0 { 0.0 } else { f1 / (1.0 + granularity).log2() };
    Scores { plagdet, recall, precision, granularity, cases: cases.len(), detections: dets.len() }
}

/// The evaluation of a detections directory against a PAN corpus.
#[derive(Clone, Debug, Serialize)]
pub struct Evaluation {
    /// Scores per obfuscation folder (e.g. `02-no-obfuscation`).
    pub per_type: BTreeMap<String, Scores>,
    /// Scores over all folders (cases and detections pooled).
    pub overall: Scores,
    /// Detection files that could not be read (counted as no detections).
    pub unreadable_detection_files: usize,
    /// Detections of pairs that are not in the corpus (ignored).
    pub off_pair_detections: usize,
}

fn xml_files(dir: &Path, recursive: bool, out: &mut Vec<std::path::PathBuf>) -> Result<(), Error> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if path.is_dir() {
            if recursive {
                xml_files(&path, true, out)?;
            }
        } else if path.extension().is_some_and(|x| x == "xml") {
            out.push(path);
        }
    }
    out.sort();
    Ok(())
}

/// The (suspicious, source) pairs of a type folder: its `pairs` file, else
/// the names of its truth files.
fn pairs_of(
    dir: &Path,
    truth: &[Annotation],
    files: &[std::path::PathBuf],
) -> BTreeSet<(String, String)> {
    if let Ok(text) = std::fs::read_to_string(dir.join("pairs")) {
        return text
            .lines()
            .filter_map(|l| {
                let mut it = l.split_whitespace();
                match (it.next(), it.next(), it.next()) {
                    (Some(a), Some(b), None) => Some((a.to_string(), b.to_string())),
                    _ => None,
                }
            })
            .collect();
    }
    let mut pairs: BTreeSet<(String, String)> =
        truth.iter().map(|a| (a.suspect_doc.clone(), a.source_doc.clone())).collect();
    for f in files {
        let stem = f.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        if let Some(i) = stem.find("-source-") {
            pairs.insert((format!("{}.txt", &stem[..i]), format!("{}.txt", &stem[i + 1..])));
        }
    }
    pairs
}

/// Evaluates every detection XML under `det_dir` against the truth folders of
/// `truth_dir` (one folder per obfuscation type).
pub fn evaluate(truth_dir: &Path, det_dir: &Path) -> Result<Evaluation, Error> {
    let mut det_files = Vec::new();
    xml_files(det_dir, true, &mut det_files)?;
    let mut dets: BTreeSet<Annotation> = BTreeSet::new();
    let mut unreadable = 0;
    for f in &det_files {
        match read_annotations(f, "detected-plagiarism") {
            Ok(v) => dets.extend(v),
            Err(_) => unreadable += 1,
        }
    }
    let mut per_type = BTreeMap::new();
    let (mut all_cases, mut all_dets) = (Vec::new(), BTreeSet::new());
    let mut folders: Vec<_> = std::fs::read_dir(truth_dir)
        .map_err(|e| Error::io(truth_dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    // One type folder given on its own is scored as such.
    let mut own = Vec::new();
    xml_files(truth_dir, false, &mut own)?;
    if !own.is_empty() {
        folders.insert(0, truth_dir.to_path_buf());
    }
    let mut truth_files = 0;
    for folder in folders {
        let mut files = Vec::new();
        xml_files(&folder, false, &mut files)?;
        if files.is_empty() {
            continue;
        }
        truth_files += files.len();
        let mut cases = Vec::new();
        for f in &files {
            cases.extend(read_annotations(f, "plagiarism")?);
        }
        let pairs = pairs_of(&folder, &cases, &files);
        let mine: Vec<Annotation> = dets
            .iter()
            .filter(|d| pairs.contains(&(d.suspect_doc.clone(), d.source_doc.clone())))
            .cloned()
            .collect();
        let name = folder
            .file_name()
            .map_or_else(|| folder.display().to_string(), |s| s.to_string_lossy().into_owned());
        per_type.insert(name, score(&cases, &mine));
        all_cases.extend(cases);
        all_dets.extend(mine);
    }
    if truth_files == 0 {
        return Err(Error::NoTruth { path: truth_dir.to_path_buf() });
    }
    let off_pair = dets.len() - all_dets.len();
    let all_dets: Vec<Annotation> = all_dets.into_iter().collect();
    Ok(Evaluation {
        per_type,
        overall: score(&all_cases, &all_dets),
        unreadable_detection_files: unreadable,
        off_pair_detections: off_pair,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(t: usize, tl: usize, s: usize, sl: usize) -> Annotation {
        Annotation::new("s.txt", t, tl, "r.txt", s, sl)
    }

    fn close(x: f64, y: f64) -> bool {
        (x - y).abs() < 1e-12
    }

    macro_rules! t {
        ($name:ident, $cases:expr, $dets:expr, rec = $r:expr, prec = $p:expr, gran = $g:expr, plagdet = $pd:expr) => {
            #[test]
            fn $name() {
                let s = score(&$cases, &$dets);
                assert!(close(s.recall, $r), "help: recall {} want {}", s.recall, $r);
                assert!(close(s.precision, $p), "help: precision {} want {}", s.precision, $p);
                assert!(
                    close(s.granularity, $g),
                    "help: granularity {} want {}",
                    s.granularity,
                    $g
                );
                assert!(close(s.plagdet, $pd), "help: plagdet {} want {}", s.plagdet, $pd);
            }
        };
    }

    // Worked out by hand. One case of 100 + 100 characters throughout.
    t!(
        exact,
        [a(0, 100, 0, 100)],
        [a(0, 100, 0, 100)],
        rec = 1.0,
        prec = 1.0,
        gran = 1.0,
        plagdet = 1.0
    );
    // Detection shifted by 50 on both sides: shares 50 + 50 of 200 chars each way.
    // F1 = 0.5, log2(2) = 1.
    t!(
        half,
        [a(0, 100, 0, 100)],
        [a(50, 100, 50, 100)],
        rec = 0.5,
        prec = 0.5,
        gran = 1.0,
        plagdet = 0.5
    );
    // Two halves: full recall and precision, granularity 2, plagdet 1/log2(3).
    t!(
        split,
        [a(0, 100, 0, 100)],
        [a(0, 50, 0, 50), a(50, 50, 50, 50)],
        rec = 1.0,
        prec = 1.0,
        gran = 2.0,
        plagdet = 1.0 / 3f64.log2()
    );
    // Overlap on the suspicious side only: no overlap at all.
    t!(
        one_side,
        [a(0, 100, 0, 100)],
        [a(0, 100, 500, 100)],
        rec = 0.0,
        prec = 0.0,
        gran = 1.0,
        plagdet = 0.0
    );
    // Detection covers the case plus 50 chars before and after on each side:
    // recall 1, precision 200/400 = 0.5, F1 = 2/3.
    t!(
        too_long,
        [a(100, 100, 100, 100)],
        [a(50, 200, 50, 200)],
        rec = 1.0,
        prec = 0.5,
        gran = 1.0,
        plagdet = 2.0 / 3.0
    );
    // Two cases, one found exactly: recall 0.5, precision 1, F1 = 2/3.
    t!(
        one_of_two,
        [a(0, 100, 0, 100), a(1000, 100, 1000, 100)],
        [a(0, 100, 0, 100)],
        rec = 0.5,
        prec = 1.0,
        gran = 1.0,
        plagdet = 2.0 / 3.0
    );
    // Source side 100 of 100, suspicious side 50 of 100 chars: recall 150/200.
    // Precision: detection is 50 + 100, all covered: 1. F1 = 2*0.75/1.75 = 6/7.
    t!(
        asymmetric,
        [a(0, 100, 0, 100)],
        [a(50, 50, 0, 100)],
        rec = 0.75,
        prec = 1.0,
        gran = 1.0,
        plagdet = 6.0 / 7.0
    );
    // Conventions: nothing to find and nothing found is perfect; a false
    // positive with no cases scores 0; duplicates count once.
    t!(empty, [], [], rec = 1.0, prec = 1.0, gran = 1.0, plagdet = 1.0);
    t!(false_positive, [], [a(0, 10, 0, 10)], rec = 0.0, prec = 0.0, gran = 1.0, plagdet = 0.0);
    t!(
        duplicates,
        [a(0, 100, 0, 100)],
        [a(0, 100, 0, 100), a(0, 100, 0, 100)],
        rec = 1.0,
        prec = 1.0,
        gran = 1.0,
        plagdet = 1.0
    );
}
