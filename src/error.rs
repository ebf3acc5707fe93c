//! The one error type of peerdesk, and its mapping to HTTP responses.
//!
//! Every handler returns `Result<_, AppError>`; the response is always a status code plus a
//! JSON body `{"error": "<code>", "message": "<human readable>"}`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Gone(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{message}")]
    TooManyRequests {
        message: String,
        retry_after_secs: u64,
    },
    #[error("{0}")]
    ServiceUnavailable(String),
    #[error("{0}")]
    BadGateway(String),
    #[error("{0}")]
    Internal(String),
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Machine-readable error code, e.g. `bad_request`.
    pub error: &'static str,
    /// Human-readable explanation.
    pub message: String,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Invalid(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Gone(_) => StatusCode::GONE,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unsupported(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::RemoteUnreachable => StatusCode::BAD_GATEWAY,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::Invalid(_) => "bad_request",
            AppError::Unauthenticated(_) => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::Conflict(_) => "conflict",
            AppError::Gone(_) => "gone",
            AppError::TooLarge(_) => "payload_too_large",
            AppError::Unsupported(_) => "unsupported_media_type",
            AppError::RateLimited { .. } => "too_many_requests",
            AppError::Unavailable(_) => "service_unavailable",
            AppError::RemoteUnreachable => "bad_gateway",
            AppError::Internal(_) => "internal_error",
        }
    }

    pub fn pool(e: impl std::fmt::Display) -> Self {
        tracing::error!(error = %e, "database unavailable");
        AppError::Unavailable("the database is unavailable; retry later".into())
    }

    /// Whether the failure may pass if the request is repeated: a remote server that did
    /// not answer (timeout, refused connection, its 5xx), our database unavailable, or a
    /// fault of ours. Everything else (malformed input, refusals, remote documents that
    /// are gone or unreadable) stays the same on a retry.
    pub fn is_transient(&self) -> bool {
        match self {
            AppError::RemoteUnreachable => m != REMOTE_UNREADABLE,
            AppError::Unavailable(_) | AppError::Internal(_) => true,
            _ => false,
        }
    }
}

/// What a client is told when a remote document could not be read (it did not parse,
/// had the wrong type or id, or was too large); the detail goes to the log.
pub const REMOTE_UNREADABLE: &str = "could not read the remote object";
/// What a client is told when a remote server did not answer (timeout, refused
/// connection, or its own error).
pub const REMOTE_UNREACHABLE: &str = "the remote server did not answer";

/// The status of a remote server's answer that is not a success, as the federation
/// client's status check reports it (see `federation::fetch_status`).
#[derive(Debug, thiserror::Error)]
#[error("the remote server answered {0}")]
pub struct RemoteStatus(pub StatusCode);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        } else {
            tracing::debug!(error = %self, %status, "request refused");
        }
        let retry_after = match &self {
            AppError::RateLimited {
                retry_after_secs, ..
            } => Some(*retry_after_secs),
            AppError::Unavailable(_) => Some(5),
            _ => None,
        };
        let body = ErrorBody {
            error: self.code(),
            // An internal error's text is for the log only (logged above).
            message: match &self {
                AppError::Internal(_) => "internal error".into(),
                _ => self.to_string(),
            },
        };
        let mut resp = (status, axum::Json(body)).into_response();
        if let Some(secs) = retry_after {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        resp
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => AppError::NotFound("not found".into()),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                tracing::debug!(detail = info.message(), "unique violation");
                AppError::Conflict("already exists".into())
            }
            other => {
                tracing::error!(error = %other, "database error");
                AppError::Internal("internal error".into())
            }
        }
    }
}

impl From<activitypub_federation::error::Error> for AppError {
    /// Keeps remote content, fetched URLs and library internals out of the message: they
    /// go to the log.
    fn from(e: activitypub_federation::error::Error) -> Self {
        use activitypub_federation::error::Error as E;
        match e {
            E::NotFound => AppError::NotFound("object not found".into()),
            E::ObjectDeleted(url) => {
                tracing::info!(%url, "remote object was deleted");
                AppError::Gone("the remote object was deleted".into())
            }
            E::ActivitySignatureInvalid => {
                AppError::Unauthenticated("HTTP signature is invalid".into())
            }
            E::ActivityBodyDigestInvalid => {
                AppError::Invalid("Digest header missing or does not match the body".into())
            }
            E::UrlVerificationError(msg) => AppError::Invalid(format!("URL refused: {msg}")),
            E::ParseReceivedActivity { err, .. } => {
                tracing::info!(error = %err, "malformed activity");
                AppError::Invalid("malformed activity".into())
            }
            E::WebfingerResolveFailed(w) => {
                tracing::info!(error = %w, "WebFinger resolution failed");
                AppError::NotFound("could not resolve the handle via WebFinger".into())
            }
            E::DomainResolveError(host) | E::ResolveInternalIpError(host, _) => {
                tracing::warn!(%host, "refused to contact a private address");
                AppError::Invalid("URL refused: the host is not a public address".into())
            }
            E::ReqwestMiddleware(reqwest_middleware::Error::Middleware(m)) => {
                match m.downcast_ref::<RemoteStatus>() {
                    Some(RemoteStatus(status)) => remote_status(*status),
                    None => {
                        tracing::warn!(error = %m, "remote fetch failed");
                        AppError::RemoteUnreachable
                    }
                }
            }
            E::ReqwestMiddleware(reqwest_middleware::Error::Reqwest(r)) | E::Reqwest(r) => {
                remote_request(&r)
            }
            e @ (E::ParseFetchedObject(..)
            | E::FetchInvalidContentType(_)
            | E::FetchWrongId(_)
            | E::ResponseBodyLimit
            | E::Utf8(_)) => {
                // The whole body is in the error: log a bounded part of it.
                let detail: String = e.to_string().chars().take(500).collect();
                tracing::warn!(error = %detail, "remote object unreadable");
                AppError::RemoteUnreadable
            }
            other => {
                tracing::warn!(error = %other, "remote fetch failed");
                AppError::RemoteUnreachable
            }
        }
    }
}

/// A remote server's answer that is not a success: gone and missing are permanent, its
/// own failures and throttling transient, other refusals permanent.
fn remote_status(status: StatusCode) -> AppError {
    tracing::info!(%status, "remote server refused a fetch");
    match status {
        StatusCode::NOT_FOUND => AppError::NotFound("the remote object was not found".into()),
        StatusCode::GONE => AppError::Gone("the remote object was deleted".into()),
        StatusCode::REQUEST_TIMEOUT | StatusCode::TOO_MANY_REQUESTS => AppError::RemoteUnreachable,
        s if s.is_server_error() => AppError::RemoteUnreachable,
        _ => AppError::RemoteUnreadable,
    }
}

fn remote_request(e: &reqwest::Error) -> AppError {
    if let Some(status) = e.status() {
        return remote_status(status);
    }
    tracing::warn!(error = %e, source = ?std::error::Error::source(e), "remote request failed");
    if e.is_decode() || e.is_body() {
        AppError::RemoteUnreadable
    } else {
        AppError::RemoteUnreachable
    }
}

impl From<serde_json::Error> for AppError {
    /// The position only: serde's message can quote the document, which may be remote.
    fn from(e: serde_json::Error) -> Self {
        tracing::debug!(error = %e, "malformed JSON");
        use serde_json::error::Category;
        match e.classify() {
            Category::Data => AppError::Invalid(format!(
                "the JSON does not have the expected shape (line {}, column {})",
                e.line(),
                e.column()
            )),
            _ => AppError::Invalid(format!(
                "malformed JSON (line {}, column {})",
                e.line(),
                e.column()
            )),
        }
    }
}

impl From<url::ParseError> for AppError {
    fn from(e: url::ParseError) -> Self {
        AppError::Invalid(format!("invalid URL: {e}"))
    }
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        tracing::error!(error = %e, "internal error");
        AppError::Internal("internal error".into())
    }
}

pub type AppResult<T> = Result<T, AppError>;
