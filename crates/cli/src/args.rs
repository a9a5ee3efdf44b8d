use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Find the original behind a spun text, show every word the spinner changed.
#[derive(Debug, Parser)]
#[command(name = "unspin", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Align an original and a suspect text and list every substitution.
    Compare(CompareArgs),
    /// PAN text alignment: detect reused passages for every pair of a PAIRS
    /// file and write PAN XML, one file per pair.
    Pan(PanArgs),
    /// Build and inspect a corpus index.
    #[command(subcommand)]
    Index(IndexCommand),
    /// Find the sources of a suspect text in an index and explain each match.
    Check(CheckArgs),
    /// Find every pair of documents in an index that share reused text
    /// (spun copies by default), each pair once, source told from suspect.
    Scan(ScanArgs),
    /// Restore the original wording of a spun text: from a found source
    /// (--index), a learned lexicon (--lexicon), known tortured phrases and
    /// a language model (--lm, or the one kept in --index).
    Restore(RestoreArgs),
    /// Learn a spinner's substitution table from (original, spun) pairs, for
    /// `restore --lexicon` and `score --lexicon`.
    Learn(LearnArgs),
    /// Language models of originals (for `score` and `restore`).
    #[command(subcommand)]
    Lm(LmCommand),
    /// How spun a text looks on its own: a spin score, a verdict and the
    /// flagged words with their likely originals.
    Score(ScoreArgs),
    /// Score PAN detections against a PAN corpus: plagdet, recall, precision
    /// and granularity per obfuscation folder and overall.
    PanEval(PanEvalArgs),
}

#[derive(Debug, Subcommand)]
pub enum IndexCommand {
    /// Add plain-text files, directories (recursively) and JSONL files
    /// (`{"id", "text", "title"?, "url"?}` per line; `-` reads JSONL from
    /// standard input). An id that exists is replaced.
    Add(IndexAddArgs),
    /// Documents, bytes, segments and format version of an index.
    Stats(IndexDirArg),
    /// Remove documents by id.
    Rm(IndexRmArgs),
}

#[derive(Debug, clap::Args)]
pub struct IndexDirArg {
    /// The index directory.
    #[arg(long)]
    pub index: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct IndexAddArgs {
    /// The index directory (created if missing or empty).
    #[arg(long)]
    pub index: PathBuf,
    /// Files, directories or JSONL files to add; `-` for JSONL on stdin.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Commit every this many documents (and once at the end).
    #[arg(long, default_value_t = 10_000)]
    pub commit_every: usize,
    /// Skip files larger than this many bytes.
    #[arg(long, default_value_t = 64 * 1024 * 1024, value_name = "BYTES")]
    pub max_bytes: usize,
}

#[derive(Debug, clap::Args)]
pub struct IndexRmArgs {
    /// The index directory.
    #[arg(long)]
    pub index: PathBuf,
    /// Ids to remove.
    #[arg(required = true)]
    pub ids: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum LmCommand {
    /// Count the words of plain-text files and directories of originals into
    /// a model file.
    Build(LmBuildArgs),
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("input").required(true).multiple(true).args(["paths", "index"])))]
pub struct LmBuildArgs {
    /// Files or directories of original texts.
    pub paths: Vec<PathBuf>,
    /// Build from the documents of this index (and keep the model inside it
    /// unless -o says otherwise).
    #[arg(long)]
    pub index: Option<PathBuf>,
    /// The model file to write (required without --index).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Word pairs and triples seen fewer times are pruned (1: keep all; 2 makes a model about a third the size that restores a little less).
    #[arg(long, default_value_t = 1)]
    pub min_count: u32,
}

#[derive(Debug, clap::Args)]
pub struct LearnArgs {
    /// Pairs: two files (original, spun); a directory of
    /// `NAME.original.txt`/`NAME.spun.txt` (or `.source.txt`/`.suspect.txt`)
    /// files; or JSONL files (optionally .gz) of objects with
    /// `original`/`spun` or PAN `src_text`/`susp_text`.
    #[arg(required_unless_present_any = ["index", "spun"])]
    pub pairs: Vec<PathBuf>,
    /// Also learn from the spun pairs `scan` finds in this index (their
    /// original told by the index's language model, or `--lm`).
    #[arg(long)]
    pub index: Option<PathBuf>,
    /// Also learn from spun texts alone (files or directories), all by one
    /// spinner: each is restored with the language model (`--lm`) and
    /// what the pairs teach, and learned from with its restoration as the
    /// original.
    #[arg(long, num_args = 1.., requires = "lm")]
    pub spun: Vec<PathBuf>,
    /// With `--spun`: learn only from the edits of a restoration at least
    /// this confident (0 to 1; lower learns more swaps, and more of the
    /// restorer's mistakes).
    #[arg(long, default_value_t = unspin::LEARN_MIN_CONFIDENCE, value_name = "P", value_parser = probability, requires = "spun")]
    pub min_confidence: f64,
    /// With `--spun`: rounds of restoring the texts and learning; each
    /// round restores them with the table of the round before.
    #[arg(long, default_value_t = unspin::LEARN_ROUNDS, value_name = "N", value_parser = rounds, requires = "spun")]
    pub rounds: usize,
    /// The language model that tells original from spun in `--index`'s
    /// pairs (default: the one kept in the index) and restores `--spun`.
    #[arg(long)]
    pub lm: Option<PathBuf>,
    /// The learned lexicon file to write (JSON).
    #[arg(short, long)]
    pub output: PathBuf,
}

/// What `restore` and `score` share: the model, the learned lexicon, the
/// output format and the size limit.
#[derive(Debug, clap::Args)]
pub struct ModelArgs {
    /// A language model built by `unspin lm build` (overrides the index's);
    /// without any model, only known tortured phrases and learned
    /// substitutions are used.
    #[arg(long)]
    pub lm: Option<PathBuf>,
    /// A learned spinner lexicon (`unspin learn`).
    #[arg(long)]
    pub lexicon: Option<PathBuf>,
    /// Output format: text, JSON with every edit or flag, or the text with
    /// each one marked in place.
    #[arg(long, value_enum, default_value_t = ModelFormat::Text)]
    pub format: ModelFormat,
    /// Refuse a text larger than this many bytes.
    #[arg(long, default_value_t = 256 * 1024 * 1024, value_name = "BYTES")]
    pub max_bytes: usize,
}

/// The output formats of `restore` and `score`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModelFormat {
    /// Plain text: the restored text (`restore`), the verdict and each
    /// flag (`score`).
    Text,
    /// JSON: every edit (`restore`) or flag (`score`) with its offsets.
    Json,
    /// The text as written, each edit (`restore`) or flagged word with its
    /// suggestion (`score`) marked in place as `[-as written-]{+restored+}`
    /// (coloured on a terminal).
    Diff,
}

#[derive(Debug, clap::Args)]
pub struct ScoreArgs {
    /// The text (a path, or - for standard input).
    pub file: PathBuf,
    /// An index whose language model (`unspin lm build --index`) to use.
    #[arg(long)]
    pub index: Option<PathBuf>,
    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// The spun text (a path, or - for standard input).
    pub suspect: PathBuf,
    /// An index to look for the source in (its language model, if built
    /// with `unspin lm build --index`, is used too).
    #[arg(long)]
    pub index: Option<PathBuf>,
    /// Make only edits at least this confident (0 to 1; an edit's
    /// confidence is the chance it restores the original): 0.9 restores
    /// fewer words and changes fewer the spinner left alone
    #[arg(long, default_value_t = 0.0, value_name = "P", value_parser = probability)]
    pub min_confidence: f64,
    #[command(flatten)]
    pub model: ModelArgs,
}

/// A probability, 0 to 1.
fn probability(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!("{s:?} is not a probability from 0 to 1")),
    }
}

/// A number of rounds: 1 or more.
fn rounds(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("{s:?} is not a number of rounds (1 or more)")),
    }
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The index directory.
    #[arg(long)]
    pub index: PathBuf,
    /// The suspect text (a path, or - for standard input).
    pub suspect: PathBuf,
    /// Most sources to report.
    #[arg(long, default_value_t = 5)]
    pub top: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Refuse a suspect larger than this many bytes.
    #[arg(long, default_value_t = 256 * 1024 * 1024, value_name = "BYTES")]
    pub max_bytes: usize,
}

#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// The index directory.
    #[arg(long)]
    pub index: PathBuf,
    /// Candidate sources verified per document.
    #[arg(long, default_value_t = 5)]
    pub top: usize,
    /// Report copies and paraphrases too, not only spun copies.
    #[arg(long)]
    pub all: bool,
    /// A language model of originals, to tell which text of a pair is the
    /// spun one (by default, the one kept in the index, if any; else
    /// coverage decides).
    #[arg(long)]
    pub lm: Option<PathBuf>,
    /// Output format: `text` (a table) or `json` (`{"pairs": [...]}`).
    #[arg(long, value_enum, default_value_t = ScanFormat::Text)]
    pub format: ScanFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScanFormat {
    /// One line per pair.
    Text,
    /// `{"documents": N, "pairs": [{"source", "suspect", "verdict", ...}]}`.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct PanArgs {
    /// Lines `suspicious-documentNNNNN.txt source-documentNNNNN.txt`.
    pub pairs: PathBuf,
    /// Directory of the source documents.
    pub src_dir: PathBuf,
    /// Directory of the suspicious documents.
    pub susp_dir: PathBuf,
    /// Output directory (created if missing).
    pub out_dir: PathBuf,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
}

#[derive(Debug, clap::Args)]
pub struct PanEvalArgs {
    /// The corpus: one folder per obfuscation type with truth XML files.
    pub truth_dir: PathBuf,
    /// Directory of detection XML files (searched recursively).
    pub detections_dir: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = EvalFormat::Text)]
    pub format: EvalFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalFormat {
    /// A table.
    Text,
    /// JSON.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// The original text (a path, or - for standard input).
    pub source: PathBuf,
    /// The suspect text (a path, or - for standard input).
    pub suspect: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Refuse inputs larger than this many bytes.
    #[arg(long, default_value_t = 256 * 1024 * 1024, value_name = "BYTES")]
    pub max_bytes: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// An inline diff (coloured on a terminal), a summary and the substitutions.
    Text,
    /// The Report JSON (see the `unspin` crate docs).
    Json,
    /// One self-contained HTML page, source and suspect side by side.
    Html,
}
