//! The JSON API. Every endpoint takes a JSON body (any content type) and
//! answers with the same JSON the CLI prints with `--format json`:
//!
//! | route | body | answer |
//! |---|---|---|
//! | `GET /api/health` | | `{"status": "ok", "version", "index", "language_model", "lexicon"}` |
//! | `POST /api/compare` | `{"source", "suspect"}` | the compare `Report` (`unspin::Report`) |
//! | `POST /api/check` | `{"text", "top"?}` | `{"sources": [...]}` (`unspin::CheckReport`); 404 without an index |
//! | `POST /api/restore` | `{"text"}` | `{"text", "edits", "method", "source"}` (`unspin::RestoreReport`) |
//! | `POST /api/score` | `{"text"}` | `{"spin_score", "verdict", "flagged", "method"}` (`unspin::ScoreReport`) |
//!
//! Errors are `{"error": "..."}` with 400 (malformed JSON or missing
//! field), 413 (body over the limit), 422 (an empty or binary text), 404,
//! 503 (busy) or 504 (over the time budget).

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::{AppError, AppState};

/// The API routes (nested under `/api`).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/compare", post(compare))
        .route("/check", post(check))
        .route("/restore", post(restore))
        .route("/score", post(score))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ComparePair {
    source: String,
    suspect: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OneText {
    text: String,
    #[serde(default)]
    top: Option<usize>,
    /// `restore`: make only edits at least this confident (0 to 1).
    #[serde(default)]
    min_confidence: Option<f64>,
}

/// The body as `T`, or a one-line 400 (413 over the limit).
fn parse<T: DeserializeOwned>(body: Result<Bytes, BytesRejection>) -> Result<T, AppError> {
    let body = body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge
        } else {
            AppError::BadRequest(r.body_text())
        }
    })?;
    serde_json::from_slice(&body).map_err(|e| AppError::BadRequest(e.to_string()))
}

/// `text` checked the way the CLI checks a file: not empty, not binary.
fn checked<'t>(name: &str, text: &'t str, limit: usize) -> Result<&'t str, AppError> {
    unspin::text::decode(text.as_bytes(), Some(limit))
        .map_err(|e| AppError::BadText(format!("{name}: {e}")))
}

/// The body of `check`, `restore` and `score`, its text checked.
fn one_text(state: &AppState, body: Result<Bytes, BytesRejection>) -> Result<OneText, AppError> {
    let req: OneText = parse(body)?;
    checked("text", &req.text, state.config().max_body)?;
    Ok(req)
}

/// Runs `job` on the blocking pool in one of the job slots, within the time
/// budget.
async fn run<T: Send + 'static>(
    state: &AppState,
    job: impl FnOnce(&AppState) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let permit = state.inner.slots.clone().try_acquire_owned().map_err(|_| AppError::Busy)?;
    let shared = state.clone();
    let task = tokio::task::spawn_blocking(move || {
        let out = job(&shared);
        drop(permit);
        out
    });
    match tokio::time::timeout(state.config().timeout, task).await {
        Err(_) => Err(AppError::Timeout),
        Ok(Err(e)) => Err(AppError::Internal(e.to_string())),
        Ok(Ok(out)) => out,
    }
}

async fn health(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(serde_json::json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "index": state.inner.index.is_some(),
        "language_model": state.inner.model.is_some(),
        "lexicon": state.inner.learned.is_some(),
    }))
}

async fn compare(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<unspin::Report>, AppError> {
    let pair: ComparePair = parse(body)?;
    let limit = state.config().max_body;
    checked("source", &pair.source, limit)?;
    checked("suspect", &pair.suspect, limit)?;
    run(&state, move |s| Ok(s.inner.comparer.compare(&pair.source, &pair.suspect))).await.map(Json)
}

async fn check(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<unspin::CheckReport>, AppError> {
    let req = one_text(&state, body)?;
    if state.inner.index.is_none() {
        return Err(AppError::NoIndex);
    }
    run(&state, move |s| {
        let index = s.inner.index.as_ref().ok_or(AppError::NoIndex)?;
        let top = req.top.unwrap_or(5).clamp(1, 100);
        unspin::check(&s.inner.check_comparer, index, &req.text, top)
            .map_err(|e| AppError::Internal(e.to_string()))
    })
    .await
    .map(Json)
}

async fn restore(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<unspin::RestoreReport>, AppError> {
    let req = one_text(&state, body)?;
    let min_confidence = req.min_confidence.unwrap_or(0.0);
    if !(0.0..=1.0).contains(&min_confidence) {
        return Err(AppError::BadRequest(format!(
            "min_confidence: {min_confidence} is not a probability from 0 to 1"
        )));
    }
    run(&state, move |s| {
        unspin::Restorer::new()
            .index(s.inner.index.as_ref())
            .model(s.inner.model.as_ref())
            .learned(s.inner.learned.as_ref())
            .min_confidence(min_confidence)
            .restore(&req.text)
            .map_err(|e| AppError::Internal(e.to_string()))
    })
    .await
    .map(Json)
}

async fn score(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<unspin::ScoreReport>, AppError> {
    let req = one_text(&state, body)?;
    run(&state, move |s| {
        Ok(unspin::Scorer::new(s.inner.model.as_ref())
            .learned(s.inner.learned.as_ref())
            .score(&req.text))
    })
    .await
    .map(Json)
}
