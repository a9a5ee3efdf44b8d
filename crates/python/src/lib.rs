//! The native part of the `unspin` Python package (`unspin._unspin`): the
//! facade calls as functions returning the CLI's JSON, with the work done
//! outside the GIL. The Python side (`python/unspin`) parses the JSON and
//! adds the corpus jobs for Spark (`unspin.spark`).
//!
//! Errors become Python exceptions with the CLI's one-line message:
//! `ValueError` for a text that cannot be read (empty, binary), `OSError`
//! for a file that cannot be opened or is not what it should be.

use std::path::PathBuf;
use std::sync::OnceLock;

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use unspin::Comparer;

/// A language model of originals (`unspin lm build`), loaded once and
/// shared by every call given it. It is memory-mapped, not read: a
/// distributed engine runs many worker processes per machine, and a map
/// shares one copy of the file among them.
#[pyclass(frozen, module = "unspin._unspin")]
struct LanguageModel {
    model: unspin::lm::Model,
}

#[pymethods]
impl LanguageModel {
    #[new]
    fn new(path: PathBuf) -> PyResult<LanguageModel> {
        unspin::lm::Model::map(&path)
            .map(|model| LanguageModel { model })
            .map_err(|e| PyOSError::new_err(e.to_string()))
    }
}

/// A learned spinner lexicon (`unspin learn`).
#[pyclass(frozen, module = "unspin._unspin")]
struct Lexicon {
    learned: unspin::restoration::Learned,
}

#[pymethods]
impl Lexicon {
    #[new]
    fn new(path: PathBuf) -> PyResult<Lexicon> {
        unspin::restoration::Learned::load(&path)
            .map(|learned| Lexicon { learned })
            .map_err(|e| PyOSError::new_err(e.to_string()))
    }

    /// A lexicon from `(spun, original)` substitutions (`learn_pair_json`)
    /// and the word counts of the originals they came from
    /// (`word_counts_json`), as `unspin learn` builds it.
    #[staticmethod]
    fn build(substitutions: Vec<(String, String)>, word_counts: Vec<(String, u32)>) -> Lexicon {
        let learned = unspin::restoration::Learned::from_pairs(
            substitutions.iter().map(|(s, o)| (s.as_str(), o.as_str())),
        )
        .with_word_counts(word_counts);
        Lexicon { learned }
    }

    /// Writes the lexicon (the file `unspin learn` writes).
    fn save(&self, path: PathBuf) -> PyResult<()> {
        self.learned.save(&path).map_err(|e| PyOSError::new_err(e.to_string()))
    }

    /// Number of substitutions.
    fn __len__(&self) -> usize {
        self.learned.len()
    }
}

/// A corpus index (`unspin index add`), opened read-only.
#[pyclass(frozen, module = "unspin._unspin")]
struct Index {
    index: unspin::index::Index,
}

#[pymethods]
impl Index {
    #[new]
    fn new(path: PathBuf) -> PyResult<Index> {
        unspin::index::Index::open(&path)
            .map(|index| Index { index })
            .map_err(|e| PyOSError::new_err(e.to_string()))
    }

    /// The path of the language model kept in the index, if it keeps one.
    fn lm_path(&self) -> Option<PathBuf> {
        Some(self.index.lm_path()).filter(|p| p.is_file())
    }
}

/// `text` as the CLI would accept it (not empty, not binary).
fn readable<'t>(name: &str, text: &'t str) -> PyResult<&'t str> {
    unspin::text::decode(text.as_bytes(), None)
        .map_err(|e| PyValueError::new_err(format!("{name}: {e}")))
}

/// A `min_confidence` from 0 to 1, else `ValueError`.
fn probability(min_confidence: f64) -> PyResult<()> {
    if (0.0..=1.0).contains(&min_confidence) {
        Ok(())
    } else {
        Err(PyValueError::new_err(format!(
            "min_confidence: {min_confidence} is not a probability from 0 to 1"
        )))
    }
}

fn json<T: serde::Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| PyValueError::new_err(e.to_string()))
}

fn comparer() -> &'static Comparer {
    static COMPARER: OnceLock<Comparer> = OnceLock::new();
    COMPARER.get_or_init(Comparer::new)
}

/// The comparer `check` verifies candidates with, built once per process.
fn check_comparer() -> &'static Comparer {
    static COMPARER: OnceLock<Comparer> = OnceLock::new();
    COMPARER.get_or_init(unspin::check_comparer)
}

/// The compare report of `source` and `suspect`, as JSON.
#[pyfunction]
fn compare_json(py: Python<'_>, source: &str, suspect: &str) -> PyResult<String> {
    readable("source", source)?;
    readable("suspect", suspect)?;
    py.detach(|| json(&comparer().compare(source, suspect)))
}

/// The sources of `text` in `index`, as JSON (`{"sources": [...]}`).
#[pyfunction]
#[pyo3(signature = (text, index, top = 5))]
fn check_json(py: Python<'_>, text: &str, index: &Index, top: usize) -> PyResult<String> {
    readable("text", text)?;
    py.detach(|| {
        let found = unspin::check(check_comparer(), &index.index, text, top.max(1))
            .map_err(|e| PyOSError::new_err(e.to_string()))?;
        json(&found)
    })
}

/// How spun `text` looks on its own, as JSON.
#[pyfunction]
#[pyo3(signature = (text, lm = None, lexicon = None))]
fn score_json(
    py: Python<'_>,
    text: &str,
    lm: Option<&LanguageModel>,
    lexicon: Option<&Lexicon>,
) -> PyResult<String> {
    readable("text", text)?;
    py.detach(|| {
        let scorer = unspin::Scorer::new(lm.map(|m| &m.model)).learned(lexicon.map(|l| &l.learned));
        json(&scorer.score(text))
    })
}

/// `text` restored, as JSON (`{"text", "edits", "method", "source"}`).
#[pyfunction]
#[pyo3(signature = (text, index = None, lm = None, lexicon = None, min_confidence = 0.0))]
fn restore_json(
    py: Python<'_>,
    text: &str,
    index: Option<&Index>,
    lm: Option<&LanguageModel>,
    lexicon: Option<&Lexicon>,
    min_confidence: f64,
) -> PyResult<String> {
    readable("text", text)?;
    probability(min_confidence)?;
    py.detach(|| {
        let report = unspin::Restorer::new()
            .index(index.map(|i| &i.index))
            .model(lm.map(|m| &m.model))
            .learned(lexicon.map(|l| &l.learned))
            .min_confidence(min_confidence)
            .restore(text)
            .map_err(|e| PyOSError::new_err(e.to_string()))?;
        json(&report)
    })
}

/// The substitutions a spinner made in one (original, spun) pair, as JSON
/// (`[[spun, original], ...]`), found by the compare aligner.
#[pyfunction]
fn learn_pair_json(py: Python<'_>, original: &str, spun: &str) -> PyResult<String> {
    readable("original", original)?;
    readable("spun", spun)?;
    py.detach(|| json(&unspin::learn_pair(comparer(), original, spun)))
}

/// A spinner's table learned from spun texts alone, as `unspin learn
/// --spun` learns it: rounds of restoring the texts with `lm` (and the
/// table so far, at first the one `pairs` teach) and learning from the
/// restorations' edits at least `min_confidence` sure.
#[pyfunction]
#[pyo3(signature = (texts, lm, pairs = Vec::new(), rounds = unspin::LEARN_ROUNDS, min_confidence = unspin::LEARN_MIN_CONFIDENCE))]
fn learn_spun(
    py: Python<'_>,
    texts: Vec<String>,
    lm: &LanguageModel,
    pairs: Vec<(String, String)>,
    rounds: usize,
    min_confidence: f64,
) -> PyResult<Lexicon> {
    for t in &texts {
        readable("text", t)?;
    }
    for (o, s) in &pairs {
        readable("original", o)?;
        readable("spun", s)?;
    }
    probability(min_confidence)?;
    py.detach(|| {
        let restorer = unspin::Restorer::new().model(Some(&lm.model));
        unspin::learn_spun(comparer(), &restorer, &pairs, &texts, rounds, min_confidence)
            .map(|learned| Lexicon { learned })
            .map_err(|e| PyOSError::new_err(e.to_string()))
    })
}

/// The words of an original text with their counts, as JSON (`{word: n}`).
#[pyfunction]
fn word_counts_json(py: Python<'_>, text: &str) -> PyResult<String> {
    readable("text", text)?;
    py.detach(|| {
        let mut counts = std::collections::HashMap::new();
        unspin::restoration::count_words(text, &mut counts);
        json(&counts)
    })
}

/// Sets how many threads a call may use (a long text's sentences are
/// decoded in parallel; by default one thread per core). It can be set
/// once per process, before the first call that uses threads: returns
/// `False` if the pool already exists (its size stays), `True` if set.
/// Corpus jobs that already run one worker per core (Spark executors)
/// set 1, so workers do not each start a thread per core.
#[pyfunction]
fn set_threads(n: usize) -> PyResult<bool> {
    if n == 0 {
        return Err(PyValueError::new_err("set_threads: the number of threads must be at least 1"));
    }
    Ok(rayon::ThreadPoolBuilder::new().num_threads(n).build_global().is_ok())
}

/// The native module.
#[pymodule]
fn _unspin(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<LanguageModel>()?;
    m.add_class::<Lexicon>()?;
    m.add_class::<Index>()?;
    m.add_function(wrap_pyfunction!(compare_json, m)?)?;
    m.add_function(wrap_pyfunction!(check_json, m)?)?;
    m.add_function(wrap_pyfunction!(score_json, m)?)?;
    m.add_function(wrap_pyfunction!(restore_json, m)?)?;
    m.add_function(wrap_pyfunction!(set_threads, m)?)?;
    m.add_function(wrap_pyfunction!(learn_pair_json, m)?)?;
    m.add_function(wrap_pyfunction!(learn_spun, m)?)?;
    m.add_function(wrap_pyfunction!(word_counts_json, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
