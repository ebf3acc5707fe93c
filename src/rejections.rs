//! The JSON error shape for answers that handlers do not make: axum's own rejections
//! (query strings and paths that do not parse, bodies refused before a handler runs,
//! `405`) come as `text/plain`; this layer gives them the documented
//! `{"error", "message"}` body on every route, API and federation endpoints alike.
//! It also refuses paths and queries that decode to control characters (`400`).

use crate::error::ErrorBody;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Rejection bodies are short; anything longer is cut.
const MAX_MESSAGE: usize = 1024;

pub async fn json_errors(req: Request, next: Next) -> Response {
    let uri = req.uri();
    if crate::domain::input::uri_has_control(uri.path())
        || uri
            .query()
            .is_some_and(crate::domain::input::uri_has_control)
    {
        return crate::error::AppError::Invalid(
            "the URL may not contain control characters".into(),
        )
        .into_response();
    }
    let resp = next.run(req).await;
    let status = resp.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return resp;
    }
    let plain = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .is_none_or(|v| v.as_bytes().starts_with(b"text/plain"));
    if !plain {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_MESSAGE * 4)
        .await
        .unwrap_or_default();
    let mut message: String = String::from_utf8_lossy(&bytes).trim().to_string();
    if message.len() > MAX_MESSAGE {
        message = message.chars().take(MAX_MESSAGE).collect();
    }
    if message.is_empty() {
        message = status.canonical_reason().unwrap_or("error").to_lowercase();
    }
    let body = ErrorBody {
        error: code(status),
        message,
    };
    let json = serde_json::to_vec(&body).unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Response::from_parts(parts, Body::from(json))
}

/// The `error` code of a status, as [`crate::error::AppError::code`] names them.
fn code(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => "bad_request",
        StatusCode::UNAUTHORIZED => "unauthorized",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::CONFLICT => "conflict",
        StatusCode::GONE => "gone",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::TOO_MANY_REQUESTS => "too_many_requests",
        StatusCode::SERVICE_UNAVAILABLE => "service_unavailable",
        StatusCode::BAD_GATEWAY => "bad_gateway",
        s if s.is_server_error() => "internal_error",
        _ => "bad_request",
    }
}
