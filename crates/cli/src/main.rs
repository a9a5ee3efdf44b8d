//! The `unspin` binary: argument parsing, I/O and rendering only; the work is
//! done by the `unspin` facade.

mod args;
mod corpus;
mod input;
mod pan;
mod render;
mod restore;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command, CompareArgs, Format};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Compare(args) => compare(args),
        Command::Pan(args) => pan::run(args),
        Command::Index(cmd) => corpus::index(cmd),
        Command::Check(args) => corpus::check(args),
        Command::Scan(args) => corpus::scan(args),
        Command::Restore(args) => restore::restore(args),
        Command::Learn(args) => restore::learn(args),
        Command::Lm(args::LmCommand::Build(args)) => restore::lm_build(args),
        Command::Score(args) => restore::score(args),
        Command::PanEval(args) => pan::eval(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if err
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("unspin: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn compare(args: CompareArgs) -> anyhow::Result<()> {
    // Standard input can be read once: the second text would be empty.
    if args.source.as_os_str() == "-" && args.suspect.as_os_str() == "-" {
        anyhow::bail!("SOURCE and SUSPECT are both standard input (-): give one of them as a file");
    }
    let source = input::read(&args.source, args.max_bytes)?;
    let suspect = input::read(&args.suspect, args.max_bytes)?;
    let comparer = unspin::Comparer::new();
    let report = comparer.compare(&source, &suspect);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    match args.format {
        Format::Json => {
            crate::render::json(&mut out, &report)?;
        }
        Format::Text => {
            let color = render::use_color();
            render::text(&mut out, &suspect, &report, color)?;
        }
        Format::Html => render::html(&mut out, &source, &suspect, &report)?,
    }
    out.flush()?;
    Ok(())
}
