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
    /// Score PAN detections against a PAN corpus: plagdet, recall, precision
    /// and granularity per obfuscation folder and overall.
    PanEval(PanEvalArgs),
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
