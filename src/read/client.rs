//! The `ClientAddr` extractor: the client's address as `domain::client_addr` decides it
//! from the TCP peer and, behind trusted proxies, `X-Forwarded-For`.

use crate::error::AppError;
use crate::state::AppState;
use activitypub_federation::config::Data;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::net::{IpAddr, SocketAddr};

/// `None` when the server runs without connection info (then all clients count as one).
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Some(peer) = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
        else {
            return Ok(ClientAddr(None));
        };
        let data = Data::<AppState>::from_request_parts(parts, state)
            .await
            .map_err(|(_, m)| AppError::Internal(m.into()))?;
        let forwarded: Vec<&str> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        Ok(ClientAddr(Some(crate::domain::client_addr::client_ip(
            peer,
            &forwarded,
            &data.settings.trusted_proxies,
        ))))
    }
}
