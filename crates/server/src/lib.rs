//! The unspin web page and HTTP API: the same facade calls as the `unspin`
//! CLI, behind a body-size limit, a per-request time budget and a cap on
//! concurrent jobs.
//!
//! # Overview
//!
//! * [`app`] builds the [`axum::Router`]: the page at `/` and the JSON API
//!   under `/api/` (see [`api`]).
//! * [`AppState`] holds what the handlers share: the comparer, and the
//!   index, language model and learned lexicon the server was started with.
//! * [`Config`] holds the limits.
//! * [`AppError`]: every failure, mapped to a status code in one place and
//!   sent as `{"error": "..."}`, one line, never internal details.
//!
//! Detection is CPU-bound, so every job runs on the blocking pool
//! (`spawn_blocking`); when all [`Config::concurrency`] slots are busy a new
//! job is refused at once with 503 rather than queued.
//!
//! # Example
//!
//! ```
//! use unspin_server::{AppState, Config, app};
//! let router = app(AppState::new(Config::default()));
//! # let _ = router;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

pub mod api;
mod error;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::response::Html;
use axum::routing::get;
use tokio::sync::Semaphore;
use unspin::Comparer;
use unspin::index::Index;
use unspin::lm::Model;
use unspin::restoration::Learned;

pub use crate::error::AppError;

/// The server's limits.
#[derive(Clone, Debug)]
pub struct Config {
    /// Largest request body, in bytes (larger ones get 413).
    pub max_body: usize,
    /// Time budget of one job (longer ones get 504).
    pub timeout: Duration,
    /// Jobs running at once (more get 503).
    pub concurrency: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            max_body: 16 * 1024 * 1024,
            timeout: Duration::from_secs(60),
            concurrency: std::thread::available_parallelism().map_or(2, |n| n.get()),
        }
    }
}

/// What the handlers share. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    comparer: Comparer,
    check_comparer: Comparer,
    index: Option<Index>,
    model: Option<Model>,
    learned: Option<Learned>,
    config: Config,
    slots: Arc<Semaphore>,
}

impl AppState {
    /// A state with no index, language model or learned lexicon.
    pub fn new(config: Config) -> AppState {
        AppState::with(config, None, None, None)
    }

    /// A state with the resources `check`, `restore` and `score` use when
    /// given: an index (sources for `check` and `restore`), a language model
    /// of originals and a learned spinner lexicon (`restore`, `score`).
    pub fn with(
        config: Config,
        index: Option<Index>,
        model: Option<Model>,
        learned: Option<Learned>,
    ) -> AppState {
        let slots = Arc::new(Semaphore::new(config.concurrency.max(1)));
        AppState {
            inner: Arc::new(Inner {
                comparer: Comparer::new(),
                check_comparer: unspin::check_comparer(),
                index,
                model,
                learned,
                config,
                slots,
            }),
        }
    }

    /// The limits.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("index", &self.inner.index.is_some())
            .field("model", &self.inner.model.is_some())
            .field("learned", &self.inner.learned.is_some())
            .field("config", &self.inner.config)
            .finish()
    }
}

/// The page: one self-contained HTML file (no external assets).
const PAGE: &str = include_str!("../assets/index.html");

/// The router: `GET /` (the page) and the API under `/api/`.
pub fn app(state: AppState) -> Router {
    let max_body = state.config().max_body;
    Router::new()
        .route("/", get(|| async { Html(PAGE) }))
        .nest("/api", api::router())
        .fallback(|| async { AppError::NotFound })
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(state)
}
