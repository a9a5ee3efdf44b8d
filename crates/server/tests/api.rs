//! The HTTP API through `app(...).oneshot(...)`: no socket needed.

use std::path::PathBuf;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;
use unspin_server::{AppState, Config, app};

fn fixture(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/pairs").join(name);
    std::fs::read_to_string(p).expect("fixture")
}

async fn call(state: &AppState, method: &str, uri: &str, body: &[u8]) -> (StatusCode, Vec<u8>) {
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json")
        .body(Body::from(body.to_vec()))
        .expect("request");
    let res = app(state.clone()).oneshot(req).await.expect("infallible");
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.expect("body");
    (status, bytes.to_vec())
}

async fn post_json(
    state: &AppState,
    uri: &str,
    body: serde_json::Value,
) -> (StatusCode, serde_json::Value) {
    let (status, bytes) = call(state, "POST", uri, body.to_string().as_bytes()).await;
    (status, serde_json::from_slice(&bytes).expect("a JSON answer"))
}

/// An error answer: `{"error": "..."}` on one line, with this status.
async fn assert_error(state: &AppState, uri: &str, body: &[u8], want: StatusCode) -> String {
    let (status, bytes) = call(state, "POST", uri, body).await;
    let v: serde_json::Value = serde_json::from_slice(&bytes).expect("a JSON error");
    assert_eq!(status, want, "{v}");
    let msg = v["error"].as_str().expect("an error field").to_string();
    assert!(!msg.is_empty() && !msg.contains('\n'), "help: one line: {msg:?}");
    msg
}

#[tokio::test]
async fn the_page_and_health() {
    let state = AppState::new(Config::default());
    let (status, page) = call(&state, "GET", "/", b"").await;
    assert_eq!(status, StatusCode::OK);
    let page = String::from_utf8(page).expect("utf-8");
    assert!(page.contains("<title>unspin</title>") && page.contains("api/health"));
    let (status, bytes) = call(&state, "GET", "/api/health", b"").await;
    assert_eq!(status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    assert_eq!(v["status"], "ok");
    assert_eq!(v["index"], false);
    assert_eq!(v["language_model"], false);
}

#[tokio::test]
async fn compare_answers_with_the_facade_report() {
    let state = AppState::new(Config::default());
    let (source, suspect) = (fixture("01.source.txt"), fixture("01.suspect.txt"));
    let (status, v) = post_json(
        &state,
        "/api/compare",
        serde_json::json!({"source": source, "suspect": suspect}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let direct = serde_json::to_value(unspin::Comparer::new().compare(&source, &suspect))
        .expect("serializable");
    assert_eq!(v, direct, "help: the handler must call the same facade as the CLI");
    assert_eq!(v["verdict"], "spun");
}

#[tokio::test]
async fn score_and_restore_without_a_model_use_the_lexicons() {
    let state = AppState::new(Config::default());
    let text = "We train a counterfeit consciousness model on the data set.";
    let (status, v) = post_json(&state, "/api/restore", serde_json::json!({"text": text})).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["method"], "lexicon-only");
    assert!(v["text"].as_str().is_some_and(|t| t.contains("artificial intelligence")), "{v}");
    // The known phrase's edit is 0.9 confident: not made at 0.95.
    let (status, v) = post_json(
        &state,
        "/api/restore",
        serde_json::json!({"text": text, "min_confidence": 0.95}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["text"], text, "{v}");
    let msg = assert_error(
        &state,
        "/api/restore",
        br#"{"text": "a text", "min_confidence": 2}"#,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert!(msg.contains("not a probability"), "{msg}");
    let (status, v) = post_json(&state, "/api/score", serde_json::json!({"text": text})).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let flagged = v["flagged"].as_array().expect("flagged");
    assert!(flagged.iter().any(|f| f["suggested"] == "artificial intelligence"), "{v}");
}

#[tokio::test]
async fn check_finds_a_source_in_the_index_and_needs_one() {
    let state = AppState::new(Config::default());
    let msg =
        assert_error(&state, "/api/check", br#"{"text": "some text"}"#, StatusCode::NOT_FOUND)
            .await;
    assert!(msg.contains("--index"), "{msg}");
    let dir = std::env::temp_dir().join(format!("unspin-server-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let index = unspin::index::Index::open_or_create(&dir).expect("index");
    {
        let mut w = index.writer().expect("writer");
        for n in ["01", "02", "03"] {
            let doc = unspin::index::Document::new(n, &fixture(&format!("{n}.source.txt")));
            w.add(&doc).expect("add");
        }
        w.commit().expect("commit");
    }
    let state = AppState::with(Config::default(), Some(index), None, None);
    let suspect = fixture("02.suspect.txt");
    let (status, v) = post_json(&state, "/api/check", serde_json::json!({"text": suspect})).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["sources"][0]["id"], "02", "{v}");
    let (status, v) = post_json(&state, "/api/restore", serde_json::json!({"text": suspect})).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["source"], "02", "{v}");
    drop(state);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn bad_requests_get_one_line_errors() {
    let state = AppState::new(Config { max_body: 4096, ..Config::default() });
    for (uri, body, want) in [
        ("/api/compare", &b"{not json"[..], StatusCode::BAD_REQUEST),
        ("/api/compare", br#"{"source": "a dog"}"#, StatusCode::BAD_REQUEST),
        ("/api/score", br#"{"text": 3}"#, StatusCode::BAD_REQUEST),
        ("/api/score", b"\xff\xfe", StatusCode::BAD_REQUEST),
        ("/api/restore", br#"{"text": ""}"#, StatusCode::UNPROCESSABLE_ENTITY),
        ("/api/score", br#"{"text": "a\u0000b"}"#, StatusCode::UNPROCESSABLE_ENTITY),
        ("/api/compare", br#"{"source": "", "suspect": "x"}"#, StatusCode::UNPROCESSABLE_ENTITY),
        ("/api/nothing", b"{}", StatusCode::NOT_FOUND),
    ] {
        assert_error(&state, uri, body, want).await;
    }
    let huge = serde_json::json!({"text": "word ".repeat(2000)}).to_string();
    assert_error(&state, "/api/score", huge.as_bytes(), StatusCode::PAYLOAD_TOO_LARGE).await;
}

#[tokio::test]
async fn a_job_over_its_time_budget_gets_504() {
    let state = AppState::new(Config { timeout: Duration::from_nanos(1), ..Config::default() });
    let text = fixture("01.source.txt").repeat(200);
    let body = serde_json::json!({"source": text, "suspect": text}).to_string();
    assert_error(&state, "/api/compare", body.as_bytes(), StatusCode::GATEWAY_TIMEOUT).await;
}

#[test]
fn state_is_send_and_sync() {
    fn is<T: Send + Sync + Clone + 'static>() {}
    is::<AppState>();
}
