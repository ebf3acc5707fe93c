//! The status check on the client that fetches remote documents (actors, objects,
//! WebFinger): an answer that is neither a success, a redirect nor `410 Gone` becomes a
//! [`RemoteStatus`] error before its body is read, so that a `404` page or a `503` is
//! told apart from a document that does not parse (see `AppError`'s conversion).
//! `410` is left to activitypub_federation, which marks a stored copy deleted.

use crate::error::RemoteStatus;
use axum::http::{Extensions, StatusCode};
use reqwest_middleware::{ClientBuilder, ClientWithMiddleware, Middleware, Next};

struct StatusCheck;

#[async_trait::async_trait]
impl Middleware for StatusCheck {
    async fn handle(
        &self,
        req: reqwest::Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        let res = next.run(req, extensions).await?;
        let status = res.status();
        if status.is_client_error() && status != StatusCode::GONE || status.is_server_error() {
            tracing::debug!(url = %res.url(), %status, "remote fetch refused");
            return Err(reqwest_middleware::Error::Middleware(
                RemoteStatus(status).into(),
            ));
        }
        Ok(res)
    }
}

/// The fetching client: `client` with the status check.
pub fn client(client: reqwest::Client) -> ClientWithMiddleware {
    ClientBuilder::new(client).with(StatusCheck).build()
}
