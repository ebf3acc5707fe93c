//! The one error type of peerdesk, and its mapping to HTTP responses.
//!
//! Every handler returns `Result<_, AppError>`; the response is always a status code plus a
//! JSON body `{"error": "<code>", "message": "<human readable>"}`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// What went wrong, named for what happened; [`AppError::http`] maps each kind to the
/// status and `error` code that clients see, in this one place.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request or its input is malformed or breaks a rule of its shape.
    #[error("{0}")]
    Invalid(String),
    /// No valid credentials (session, token, signature).
    #[error("{0}")]
    Unauthenticated(String),
    /// Known, but not allowed to do this.
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    /// The state does not allow it (it exists already, it changed meanwhile).
    #[error("{0}")]
    Conflict(String),
    /// It existed and was deleted.
    #[error("{0}")]
    Gone(String),
    /// The body or an input is over its limit.
    #[error("{0}")]
    TooLarge(String),
    /// A content type or format we do not handle.
    #[error("{0}")]
    Unsupported(String),
    /// Over a rate limit: may be tried again after `retry_after_secs`.
    #[error("{message}")]
    RateLimited {
        message: String,
        retry_after_secs: u64,
    },
    /// We cannot serve it now (database, a full queue, stopping): may pass on a retry.
    #[error("{0}")]
    Unavailable(String),
    /// A remote server did not answer (timeout, refused connection, its own failure).
    #[error("{}", REMOTE_UNREACHABLE)]
    RemoteUnreachable,
    /// A remote server answered with something we cannot use (it did not parse, had the
    /// wrong type or id, was too large, or a refusal other than missing or gone).
    #[error("{}", REMOTE_UNREADABLE)]
    RemoteUnreadable,
    /// A fault of ours; the text is for the log only.
    #[error("{0}")]
    Internal(String),
}

/// Whether a failure may pass if the same thing is tried again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// It may pass later: a remote server that did not answer, our database
    /// unavailable, a fault of ours.
    Transient,
    /// It stays the same on a retry: malformed input, refusals, remote documents that
    /// are gone or unreadable.
    Permanent,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Machine-readable error code, e.g. `bad_request`.
    pub error: &'static str,
    /// Human-readable explanation.
    pub message: String,
}

impl AppError {
    /// The HTTP status and the JSON `error` code of each kind: the one mapping to HTTP.
    fn http(&self) -> (StatusCode, &'static str) {
        match self {
            AppError::Invalid(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            AppError::Unauthenticated(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            AppError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            AppError::Gone(_) => (StatusCode::GONE, "gone"),
            AppError::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            AppError::Unsupported(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            AppError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "too_many_requests"),
            AppError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "service_unavailable"),
            AppError::RemoteUnreachable | AppError::RemoteUnreadable => {
                (StatusCode::BAD_GATEWAY, "bad_gateway")
            }
            AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal_error"),
        }
    }

    /// The HTTP status clients see.
    pub fn status(&self) -> StatusCode {
        self.http().0
    }

    /// The JSON `error` code clients see.
    pub fn code(&self) -> &'static str {
        self.http().1
    }

    pub fn pool(e: impl std::fmt::Display) -> Self {
        tracing::error!(error = %e, "database unavailable");
        AppError::Unavailable("the database is unavailable; retry later".into())
    }

    /// Whether the failure may pass if the same thing is tried again.
    pub fn failure(&self) -> Failure {
        match self {
            AppError::RemoteUnreachable | AppError::Unavailable(_) | AppError::Internal(_) => {
                Failure::Transient
            }
            AppError::Invalid(_)
            | AppError::Unauthenticated(_)
            | AppError::Forbidden(_)
            | AppError::NotFound(_)
            | AppError::Conflict(_)
            | AppError::Gone(_)
            | AppError::TooLarge(_)
            | AppError::Unsupported(_)
            | AppError::RateLimited { .. }
            | AppError::RemoteUnreadable => Failure::Permanent,
        }
    }

    /// `failure() == Failure::Transient`.
    pub fn is_transient(&self) -> bool {
        self.failure() == Failure::Transient
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

impl AppError {
    /// Someone's JSON that did not parse or did not have the expected shape: the
    /// position only, as serde's message can quote the document, which may be remote.
    pub fn json_input(e: serde_json::Error) -> Self {
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

/// Our own serialisation failing (or a stored document of ours not reading back) is a
/// fault of ours, never the sender's: input is parsed with [`AppError::json_input`].
impl From<serde_json::Error> for AppError {
    fn from(e: serde_json::Error) -> Self {
        tracing::error!(error = %e, "JSON (de)serialisation of our own data failed");
        AppError::Internal("internal error".into())
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
