use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Every way a request can fail. Sent as `{"error": "..."}` (one line) with
/// the status of [`AppError::status_code`].
#[derive(Debug)]
#[non_exhaustive]
pub enum AppError {
    /// The body is not the JSON the endpoint takes (400).
    BadRequest(String),
    /// A text in the body cannot be read as text: empty, binary, too large
    /// for the text model (422).
    BadText(String),
    /// The body is larger than [`crate::Config::max_body`] (413).
    TooLarge,
    /// No such route, or a resource the server was not started with (404).
    NotFound,
    /// The endpoint needs an index and the server has none (404).
    NoIndex,
    /// Every job slot is busy (503).
    Busy,
    /// The job ran past [`crate::Config::timeout`] (504).
    Timeout,
    /// Anything else: logged, and sent without details (500).
    Internal(String),
}

impl AppError {
    /// The HTTP status of each error.
    pub fn status_code(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::BadText(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::NotFound | AppError::NoIndex => StatusCode::NOT_FOUND,
            AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Timeout => StatusCode::GATEWAY_TIMEOUT,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message sent to the client (one line).
    fn message(&self) -> String {
        let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        match self {
            AppError::BadRequest(m) => format!("bad request: {}", one_line(m)),
            AppError::BadText(m) => one_line(m),
            AppError::TooLarge => "request body too large".into(),
            AppError::NotFound => "not found".into(),
            AppError::NoIndex => {
                "no index: start unspin-server with --index DIR to check against a corpus".into()
            }
            AppError::Busy => "busy: every job slot is taken, try again shortly".into(),
            AppError::Timeout => "the job ran out of time".into(),
            AppError::Internal(_) => "internal error".into(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            eprintln!("unspin-server: internal error: {detail}");
        }
        (self.status_code(), Json(serde_json::json!({ "error": self.message() }))).into_response()
    }
}
