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
