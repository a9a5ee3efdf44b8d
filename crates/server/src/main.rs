//! `unspin-server`: argument parsing, loading and binding only; the routes
//! are in the library (`unspin_server::app`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, anyhow};
use clap::Parser;
use unspin::index::Index;
use unspin::lm::Model;
use unspin::restoration::Learned;
use unspin_server::{AppState, Config, app};

/// Serve the unspin page and HTTP API.
#[derive(Debug, Parser)]
#[command(name = "unspin-server", version, about)]
struct Args {
    /// Address to listen on (loopback by default).
    #[arg(long, env = "UNSPIN_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// An index (`unspin index add`) for `/api/check` and for restoring from
    /// found sources; its language model, if it keeps one, is used too.
    #[arg(long, env = "UNSPIN_INDEX")]
    index: Option<PathBuf>,
    /// A language model of originals (`unspin lm build`) for restore and
    /// score; overrides the one kept in the index.
    #[arg(long, env = "UNSPIN_LM")]
    lm: Option<PathBuf>,
    /// A learned spinner lexicon (`unspin learn`) for restore and score.
    #[arg(long, env = "UNSPIN_LEXICON")]
    lexicon: Option<PathBuf>,
    /// Largest request body, in bytes.
    #[arg(long, env = "UNSPIN_MAX_BODY", default_value_t = 16 * 1024 * 1024)]
    max_body: usize,
    /// Time budget of one job, in seconds.
    #[arg(long, env = "UNSPIN_TIMEOUT", default_value_t = 60)]
    timeout: u64,
    /// Jobs running at once (by default, one per core); more get 503.
    #[arg(long, env = "UNSPIN_CONCURRENCY")]
    concurrency: Option<usize>,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("unspin-server: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Args) -> anyhow::Result<()> {
    let index = args.index.as_deref().map(Index::open).transpose().map_err(|e| anyhow!("{e}"))?;
    let lm_path =
        args.lm.clone().or_else(|| index.as_ref().map(Index::lm_path).filter(|p| p.is_file()));
    let model = lm_path.as_deref().map(Model::load).transpose().map_err(|e| anyhow!("{e}"))?;
    let learned =
        args.lexicon.as_deref().map(Learned::load).transpose().map_err(|e| anyhow!("{e}"))?;
    let mut config = Config {
        max_body: args.max_body,
        timeout: Duration::from_secs(args.timeout.max(1)),
        ..Config::default()
    };
    if let Some(n) = args.concurrency {
        config.concurrency = n.max(1);
    }
    let resources = format!(
        "index: {}, language model: {}, lexicon: {}",
        args.index.as_ref().map_or("none".into(), |p| p.display().to_string()),
        lm_path.as_ref().map_or("none".into(), |p| p.display().to_string()),
        args.lexicon.as_ref().map_or("none".into(), |p| p.display().to_string()),
    );
    let state = AppState::with(config, index, model, learned);
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        eprintln!("unspin-server: listening on http://{} ({resources})", args.addr);
        axum::serve(listener, app(state))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .context("server stopped")
    })
}
