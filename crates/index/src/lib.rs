//! The unspin corpus index: an embedded on-disk index of source documents on
//! [tantivy](https://docs.rs/tantivy) (segments, commits, merges, stored
//! texts) with our own small versioned metadata file beside it, and
//! candidate retrieval on features that survive spinning.
//!
//! A spinner swaps about a quarter of the words; names, numbers and most
//! content words a thesaurus lacks stay, and so do three quarters of the rest.
//! Every document is indexed under a `features` field holding the normalized
//! content words, names and numbers of its text (no function words, no
//! punctuation). A suspect is cut into chunks and each chunk is a BM25 query
//! of its features, so a suspect reusing several sources finds each; the
//! caller verifies candidates with the aligner (the facade's `check`).
//!
//! # Overview
//!
//! * [`Index`]: open or create an index directory, [`Index::search`],
//!   [`Index::get`], [`Index::stats`].
//! * [`Writer`]: add (an existing id is replaced), remove, commit.
//! * [`Document`], [`Candidate`], [`Stats`]; [`Error`] with
//!   [`Error::NotAnIndex`] and [`Error::IncompatibleVersion`].
//!
//! # Format
//!
//! `DIR/unspin-index.json` holds `{"format": "unspin-index", "version": N}`
//! ([`FORMAT_VERSION`]); everything else in `DIR` is tantivy's. An index whose
//! metadata is missing or of another version is refused and never modified.
//! A commit is atomic: a crash leaves the index at its last commit.
//!
//! # Example
//!
//! ```
//! use unspin_index::{Document, Index};
//! let dir = std::env::temp_dir().join(format!("unspin-index-doc-{}", std::process::id()));
//! let _ = std::fs::remove_dir_all(&dir);
//! let index = Index::open_or_create(&dir)?;
//! let mut w = index.writer()?;
//! w.add(&Document::new("dog", "The domestic dog is a member of the genus Canis, the most widely abundant terrestrial carnivore."))?;
//! w.add(&Document::new("cat", "The cat is a small domesticated carnivorous mammal, the only domesticated species of the family Felidae."))?;
//! w.commit()?;
//! let hits = index.search("The residential puppy is an individual from the sort Canis, the most generally bottomless earthbound carnivore.", 2)?;
//! assert_eq!(hits[0].id, "dog");
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::BooleanQuery;
use tantivy::schema::{Field, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value};
use tantivy::{IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term, doc};
use unspin_text::Tokenizer;

/// The version of the index format this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;
const META_FILE: &str = "unspin-index.json";
/// The file name of the language model kept inside an index directory.
pub const LM_FILE: &str = "unspin-lm.bin";
const FORMAT_NAME: &str = "unspin-index";
/// Features per query chunk of a suspect (about 250 words of text).
pub const CHUNK_FEATURES: usize = 120;
/// Most query terms per chunk: its rarest features in the corpus.
const CHUNK_TERMS: usize = 40;

/// An error of the index.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The directory exists, is not empty, and is not an unspin index.
    #[error("{}: not an unspin index (no {META_FILE}); refusing to touch it", .0.display())]
    NotAnIndex(PathBuf),
    /// The index was written by another format version.
    #[error("{}: index format version {found}, this build reads version {FORMAT_VERSION}", path.display())]
    IncompatibleVersion {
        /// The index directory.
        path: PathBuf,
        /// The version found.
        found: u32,
    },
    /// The metadata file is unreadable or malformed.
    #[error("{}: malformed index metadata: {message}", path.display())]
    Metadata {
        /// The metadata file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A file system error.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// An error of the underlying search engine.
    #[error("index engine: {0}")]
    Engine(String),
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Error {
        Error::Engine(e.to_string())
    }
}

#[derive(Serialize, Deserialize)]
struct Meta {
    format: String,
    version: u32,
}

/// A source document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Its id (unique in the index).
    pub id: String,
    /// Its title, if any.
    pub title: Option<String>,
    /// Its URL, if any.
    pub url: Option<String>,
    /// Its text.
    pub text: String,
}

impl Document {
    /// A document with no title or URL.
    pub fn new(id: &str, text: &str) -> Document {
        Document { id: id.to_string(), title: None, url: None, text: text.to_string() }
    }
}

/// A retrieved candidate source, with its stored document.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// The document id.
    pub id: String,
    /// Its BM25 score on the suspect's features.
    pub score: f32,
    /// The stored document (loaded anyway to read the id).
    pub document: Document,
}

/// What an index holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Live documents.
    pub documents: u64,
    /// Bytes of the index on disk.
    pub bytes: u64,
    /// Segments.
    pub segments: usize,
    /// Format version.
    pub format_version: u32,
}

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    title: Field,
    url: Field,
    text: Field,
    features: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let id = b.add_text_field("id", STRING | STORED);
    let title = b.add_text_field("title", STORED);
    let url = b.add_text_field("url", STORED);
    let text = b.add_text_field("text", STORED);
    let features = b.add_text_field(
        "features",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("whitespace")
                .set_index_option(tantivy::schema::IndexRecordOption::WithFreqs),
        ),
    );
    (b.build(), Fields { id, title, url, text, features })
}

/// The spin-robust features of a text: normalized content words, names and
/// numbers (function words and punctuation dropped), one per token.
pub fn features(tokenizer: &Tokenizer, text: &str) -> Vec<String> {
    tokenizer
        .tokenize(text)
        .tokens()
        .iter()
        .filter(|t| t.is_wordlike() && !t.is_function_word() && !t.norm().contains(' '))
        .map(|t| t.norm().to_string())
        .collect()
}

/// An open index. Cheap to search from many threads.
pub struct Index {
    dir: PathBuf,
    index: tantivy::Index,
    reader: IndexReader,
    fields: Fields,
    tokenizer: Tokenizer,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index").field("dir", &self.dir).finish()
    }
}

fn io(path: &Path, e: std::io::Error) -> Error {
    Error::Io { path: path.to_path_buf(), source: e }
}

fn check_meta(dir: &Path) -> Result<(), Error> {
    let path = dir.join(META_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| io(&path, e))?;
    let meta: Meta = serde_json::from_str(&text)
        .map_err(|e| Error::Metadata { path: path.clone(), message: e.to_string() })?;
    if meta.format != FORMAT_NAME {
        return Err(Error::NotAnIndex(dir.to_path_buf()));
    }
    if meta.version != FORMAT_VERSION {
        return Err(Error::IncompatibleVersion { path: dir.to_path_buf(), found: meta.version });
    }
    Ok(())
}

/// A new, empty index in `dir` (created if missing): the engine's files,
/// then the format file, written to a temporary name and renamed.
fn create_in(dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let (schema, _) = schema();
    drop(tantivy::Index::create_in_dir(dir, schema)?);
    let meta = Meta { format: FORMAT_NAME.to_string(), version: FORMAT_VERSION };
    let path = dir.join(META_FILE);
    let tmp = dir.join(format!(".{META_FILE}.tmp"));
    let json = serde_json::to_vec_pretty(&meta).map_err(|e| Error::Engine(e.to_string()))?;
    std::fs::write(&tmp, json).map_err(|e| io(&tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| io(&path, e))
}

impl Index {
    /// Opens an existing index; refuses a directory that is not one.
    pub fn open(dir: &Path) -> Result<Index, Error> {
        if !dir.join(META_FILE).is_file() {
            return Err(Error::NotAnIndex(dir.to_path_buf()));
        }
        check_meta(dir)?;
        let index = tantivy::Index::open_in_dir(dir)?;
        Index::wrap(dir, index)
    }

    /// Opens the index in `dir`, creating it if `dir` is missing or empty.
    ///
    /// A new index is made in a hidden directory beside `dir` and renamed
    /// into place when complete, so a run killed while creating it leaves
    /// `dir` as it was (missing or empty), never half an index that a
    /// rerun would refuse to touch.
    pub fn open_or_create(dir: &Path) -> Result<Index, Error> {
        if dir.join(META_FILE).is_file() {
            return Index::open(dir);
        }
        if dir.exists() {
            let mut entries = std::fs::read_dir(dir).map_err(|e| io(dir, e))?;
            if entries.next().is_some() {
                return Err(Error::NotAnIndex(dir.to_path_buf()));
            }
        }
        let Some(name) = dir.file_name() else {
            // "." or "..": made in place.
            create_in(dir)?;
            return Index::open(dir);
        };
        let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        let staging =
            parent.join(format!(".{}.creating-{}", name.to_string_lossy(), std::process::id()));
        // A leftover of an earlier process with this id.
        let _ = std::fs::remove_dir_all(&staging);
        let made = create_in(&staging).and_then(|()| {
            // Replaces `dir` if it is an empty directory.
            std::fs::rename(&staging, dir).map_err(|e| {
                let taken = dir.read_dir().is_ok_and(|mut entries| entries.next().is_some());
                if taken { Error::NotAnIndex(dir.to_path_buf()) } else { io(dir, e) }
            })
        });
        if made.is_err() {
            let _ = std::fs::remove_dir_all(&staging);
        }
        made?;
        Index::open(dir)
    }

    fn wrap(dir: &Path, index: tantivy::Index) -> Result<Index, Error> {
        let (_, fields) = schema();
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Index { dir: dir.to_path_buf(), index, reader, fields, tokenizer: Tokenizer::default() })
    }

    /// A writer; only one may exist at a time (across processes too).
    pub fn writer(&self) -> Result<Writer<'_>, Error> {
        let w: IndexWriter = self.index.writer(256 * 1024 * 1024)?;
        Ok(Writer { index: self, writer: w })
    }

    fn reload(&self) -> Result<(), Error> {
        self.reader.reload().map_err(Error::from)
    }

    /// What the index holds (as of its last commit).
    pub fn stats(&self) -> Result<Stats, Error> {
        self.reload()?;
        let searcher = self.reader.searcher();
        let mut bytes = 0;
        for entry in std::fs::read_dir(&self.dir).map_err(|e| io(&self.dir, e))? {
            if let Ok(m) = entry.and_then(|e| e.metadata()) {
                bytes += m.len();
            }
        }
        Ok(Stats {
            documents: searcher.num_docs(),
            bytes,
            segments: searcher.segment_readers().len(),
            format_version: FORMAT_VERSION,
        })
    }

    /// Candidate sources of `suspect`, best first. The suspect is cut into
    /// chunks of about [`CHUNK_FEATURES`] features (a suspect may reuse
    /// several sources, each in one part of it); each chunk is a BM25 query
    /// of its 40 rarest features that occur in the corpus (and in at most
    /// 1 % of its documents), and a document's score is its best chunk score.
    pub fn search(&self, suspect: &str, k: usize) -> Result<Vec<Candidate>, Error> {
        self.reload()?;
        let searcher = self.reader.searcher();
        let feats = features(&self.tokenizer, suspect);
        if feats.is_empty() || k == 0 {
            return Ok(Vec::new());
        }
        // Terms in more than 1 % of the documents rank little and cost much.
        let max_df = (searcher.num_docs() / 100).max(50);
        let chunks = feats.len().div_ceil(CHUNK_FEATURES);
        let size = feats.len().div_ceil(chunks);
        let mut best: HashMap<tantivy::DocAddress, f32> = HashMap::new();
        for chunk in feats.chunks(size) {
            let mut words: Vec<&String> = chunk.iter().collect();
            words.sort();
            words.dedup();
            let mut weighted: Vec<(u64, Term)> = Vec::with_capacity(words.len());
            for w in words {
                let term = Term::from_field_text(self.fields.features, w);
                let df = searcher.doc_freq(&term)?;
                if df > 0 && df <= max_df {
                    weighted.push((df, term));
                }
            }
            weighted.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
            let terms: Vec<Term> = weighted.into_iter().take(CHUNK_TERMS).map(|(_, t)| t).collect();
            if terms.is_empty() {
                continue;
            }
            let query = BooleanQuery::new_multiterms_query(terms);
            for (score, addr) in
                searcher.search(&query, &TopDocs::with_limit(k).order_by_score())?
            {
                let e = best.entry(addr).or_insert(0.0);
                *e = e.max(score);
            }
        }
        let mut ranked: Vec<(f32, tantivy::DocAddress)> =
            best.into_iter().map(|(a, s)| (s, a)).collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked.truncate(k);
        let mut out = Vec::with_capacity(ranked.len());
        for (score, addr) in ranked {
            let document = self.document(&searcher.doc(addr)?);
            out.push(Candidate { id: document.id.clone(), score, document });
        }
        Ok(out)
    }

    /// Where a language model of this index's documents is kept
    /// (`unspin lm build --index`): a file inside the index directory.
    pub fn lm_path(&self) -> PathBuf {
        self.dir.join(LM_FILE)
    }

    /// Calls `f` with every stored document (as of the last commit), segment
    /// by segment.
    pub fn for_each_document(&self, mut f: impl FnMut(Document)) -> Result<(), Error> {
        self.reload()?;
        let searcher = self.reader.searcher();
        for segment in searcher.segment_readers() {
            let store = segment.get_store_reader(64).map_err(|e| Error::Engine(e.to_string()))?;
            for doc in store.iter::<TantivyDocument>(segment.alive_bitset()) {
                f(self.document(&doc?));
            }
        }
        Ok(())
    }

    /// The stored document with this id.
    pub fn get(&self, id: &str) -> Result<Option<Document>, Error> {
        let searcher = self.reader.searcher();
        let query = tantivy::query::TermQuery::new(
            Term::from_field_text(self.fields.id, id),
            tantivy::schema::IndexRecordOption::Basic,
        );
        let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        let Some((_, addr)) = top.into_iter().next() else { return Ok(None) };
        Ok(Some(self.document(&searcher.doc(addr)?)))
    }

    fn document(&self, doc: &TantivyDocument) -> Document {
        let s = |f: Field| doc.get_first(f).and_then(|v| v.as_str()).map(str::to_string);
        Document {
            id: s(self.fields.id).unwrap_or_default(),
            title: s(self.fields.title),
            url: s(self.fields.url),
            text: s(self.fields.text).unwrap_or_default(),
        }
    }
}

/// A document with its features computed, ready to add; preparing is the
/// costly part of adding and can run on many threads ([`Index::prepare`]).
#[derive(Clone, Debug)]
pub struct Prepared {
    doc: Document,
    features: String,
}

impl Prepared {
    /// The document.
    pub fn document(&self) -> &Document {
        &self.doc
    }
}

impl Index {
    /// Computes a document's features (thread-safe, no I/O).
    pub fn prepare(&self, doc: Document) -> Prepared {
        let features = features(&self.tokenizer, &doc.text).join(" ");
        Prepared { doc, features }
    }
}

/// Adds and removes documents; nothing is visible (or durable) before
/// [`Writer::commit`].
pub struct Writer<'a> {
    index: &'a Index,
    writer: IndexWriter,
}

impl Writer<'_> {
    /// Adds a document, replacing any with the same id.
    pub fn add(&mut self, doc: &Document) -> Result<(), Error> {
        let prepared = self.index.prepare(doc.clone());
        self.add_prepared(prepared)
    }

    /// Adds a prepared document, replacing any with the same id.
    pub fn add_prepared(&mut self, p: Prepared) -> Result<(), Error> {
        let f = self.index.fields;
        let doc = &p.doc;
        self.writer.delete_term(Term::from_field_text(f.id, &doc.id));
        let mut d =
            doc!(f.id => doc.id.as_str(), f.text => doc.text.as_str(), f.features => p.features);
        if let Some(t) = &doc.title {
            d.add_text(f.title, t);
        }
        if let Some(u) = &doc.url {
            d.add_text(f.url, u);
        }
        self.writer.add_document(d)?;
        Ok(())
    }

    /// Removes the document with this id, if any.
    pub fn remove(&mut self, id: &str) {
        self.writer.delete_term(Term::from_field_text(self.index.fields.id, id));
    }

    /// Makes everything added or removed so far durable and visible.
    pub fn commit(&mut self) -> Result<(), Error> {
        self.writer.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory under the system's temporary directory.
    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("unspin-index-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).expect("mkdir");
        d
    }

    /// The names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .expect("read dir")
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn an_index_is_created_whole_in_a_missing_or_empty_directory_only() {
        let root = scratch("create");
        // Missing: created, and nothing left beside it.
        let missing = root.join("a/idx");
        let index = Index::open_or_create(&missing).expect("created");
        assert_eq!(index.stats().expect("stats").documents, 0);
        assert!(missing.join(META_FILE).is_file());
        assert_eq!(names(&root.join("a")), ["idx"]);
        drop(index);
        // Opened again as it is.
        Index::open_or_create(&missing).expect("reopened");
        // An empty directory becomes the index.
        let empty = root.join("empty");
        std::fs::create_dir_all(&empty).expect("mkdir");
        Index::open_or_create(&empty).expect("created in an empty directory");
        assert!(empty.join(META_FILE).is_file());
        // Anything else is refused and left alone.
        let other = root.join("other");
        std::fs::create_dir_all(&other).expect("mkdir");
        std::fs::write(other.join("notes.txt"), "mine").expect("write");
        assert!(matches!(Index::open_or_create(&other), Err(Error::NotAnIndex(_))));
        assert_eq!(names(&other), ["notes.txt"]);
        assert_eq!(names(&root), ["a", "empty", "other"]);
        let _ = std::fs::remove_dir_all(&root);
    }
}
