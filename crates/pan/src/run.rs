//! Running the detector over a PAN PAIRS file, one pair at a time.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::{Detector, Error};

/// One line of a PAIRS file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PairJob {
    /// 1-based line number in the PAIRS file.
    pub line: usize,
    /// The suspicious document's file name.
    pub suspect: String,
    /// The source document's file name.
    pub source: String,
}

impl PairJob {
    /// The output file name: `suspicious-documentNNNNN-source-documentNNNNN.xml`.
    pub fn output_name(&self) -> String {
        let stem = |s: &str| s.strip_suffix(".txt").unwrap_or(s).to_string();
        format!("{}-{}.xml", stem(&self.suspect), stem(&self.source))
    }
}

/// What one pair gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PairOutcome {
    /// Number of detections written.
    pub detections: usize,
}

/// Reads a PAIRS file: one job per non-empty line, or an error naming a
/// malformed line (the other lines are still returned).
pub fn read_pairs(path: &Path) -> Result<Vec<Result<PairJob, Error>>, Error> {
    // A device has no end to read to (/dev/zero).
    if !std::fs::metadata(path).map_err(|e| Error::io(path, e))?.is_file() {
        let problem = "not a regular file".to_string();
        return Err(Error::Document { path: path.to_path_buf(), problem });
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = unspin::text::decode(&bytes, None)
        .map_err(|e| Error::Document { path: path.to_path_buf(), problem: e.to_string() })?;
    let mut out = Vec::new();
    for (k, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split_whitespace().collect();
        let safe = |s: &str| !s.contains('/') && !s.contains('\\') && s != "." && s != "..";
        out.push(match parts[..] {
            [s, r] if safe(s) && safe(r) => {
                Ok(PairJob { line: k + 1, suspect: s.to_string(), source: r.to_string() })
            }
            _ => Err(Error::PairLine {
                path: path.to_path_buf(),
                line: k + 1,
                text: line.to_string(),
            }),
        });
    }
    Ok(out)
}

/// Reads a document (stray NUL bytes in valid UTF-8 are text: see
/// `unspin_text::decode_lenient`); an empty one has nothing to detect.
fn read_document(path: &Path) -> Result<String, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    match unspin::text::decode_lenient(&bytes, None) {
        Ok(t) => Ok(t.to_string()),
        Err(e) if matches!(e.kind(), unspin::text::ErrorKind::Empty) => Ok(String::new()),
        Err(e) => Err(Error::Document { path: path.to_path_buf(), problem: e.to_string() }),
    }
}

/// Detects the reuse in one pair and writes its XML into `out_dir` (written
/// to a temporary file and renamed, so a file is never left half-written).
pub fn run_pair(
    detector: &Detector,
    job: &PairJob,
    source_dir: &Path,
    suspect_dir: &Path,
    out_dir: &Path,
) -> Result<PairOutcome, Error> {
    let suspect = read_document(&suspect_dir.join(&job.suspect))?;
    let source = read_document(&source_dir.join(&job.source))?;
    let detections = detector.detect(&suspect, &source);
    let target: PathBuf = out_dir.join(job.output_name());
    let tmp = out_dir.join(format!(".{}.tmp", job.output_name()));
    let write = || -> std::io::Result<()> {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        crate::xml::write(&mut f, &job.suspect, &job.source, &detections)?;
        f.flush()?;
        drop(f);
        std::fs::rename(&tmp, &target)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(&target, e)
    })?;
    Ok(PairOutcome { detections: detections.len() })
}
