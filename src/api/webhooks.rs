//! Organisations' outgoing webhooks (admins and the organisation's staff): endpoints,
//! secret rotation, the delivery log and redelivery. What is sent is described by
//! [`WebhookEvent`] and in the README's "Webhooks" section.

use super::{parse_id, ApiJson, Auth};
use crate::actions::webhooks as act;
use crate::db::queries::webhooks::{Endpoint, Secret, WebhookDelivery};
use crate::db::rfc3339;
use crate::domain::webhooks::message_id;
use crate::error::{AppResult, ErrorBody};
use crate::state::Ctx;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The JSON body of every webhook (signed as Standard Webhooks describe).
#[derive(Serialize, ToSchema)]
pub struct WebhookEvent {
    /// `question.created`, `answer.created`, `answer.accepted` or `report.created`.
    #[serde(rename = "type")]
    pub kind: String,
    /// When the event happened (RFC 3339).
    pub timestamp: String,
    /// `question`, `answer`, `group`, `report`, `accepted_by` as the type has them
    /// (see the README's "Webhooks" section).
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

#[derive(Deserialize, ToSchema)]
pub struct NewEndpoint {
    /// Where the webhooks are POSTed (http or https, allowed by the outgoing-URL policy).
    pub url: String,
    /// Event types: `question.created`, `answer.created`, `answer.accepted`,
    /// `report.created`.
    pub events: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SecretView {
    pub id: String,
    pub created_at: String,
    /// The secret itself (`whsec_...`): only in the answer that made it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct EndpointView {
    pub id: String,
    pub url: String,
    pub events: Vec<String>,
    pub enabled: bool,
    /// Why it is disabled (by someone, or after failing too long).
    pub disabled_reason: Option<String>,
    /// Since when its deliveries have been failing, if they are.
    pub failing_since: Option<String>,
    pub created_at: String,
    /// Active secrets; every one signs each webhook (during a rotation, several).
    pub secrets: Vec<SecretView>,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedEndpoint {
    #[serde(flatten)]
    pub endpoint: EndpointView,
    /// The signing secret, shown this once.
    pub secret: String,
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryView {
    pub id: String,
    /// The `webhook-id` header (`msg_` + id); a redelivery keeps it.
    pub webhook_id: String,
    pub event_type: String,
    /// `pending` (waiting or being retried) or `delivered`.
    pub status: String,
    pub attempts: i32,
    /// The endpoint's last HTTP status, if it answered.
    pub response_code: Option<i32>,
    pub last_error: Option<String>,
    pub next_attempt_at: Option<String>,
    pub delivered_at: Option<String>,
    pub created_at: String,
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
}

#[derive(Deserialize, ToSchema)]
pub struct EndpointChange {
    pub enabled: bool,
}

fn secret_view(s: &Secret, shown: bool) -> SecretView {
    SecretView {
        id: s.id.to_string(),
        created_at: rfc3339(s.created_at),
        secret: shown.then(|| s.secret.clone()),
    }
}

fn view(e: &Endpoint, secrets: &[Secret]) -> EndpointView {
    EndpointView {
        id: e.id.to_string(),
        url: e.url.clone(),
        events: e.events.split(' ').map(str::to_string).collect(),
        enabled: e.enabled,
        disabled_reason: e.disabled_reason.clone(),
        failing_since: e.failing_since.map(rfc3339),
        created_at: rfc3339(e.created_at),
        secrets: secrets.iter().map(|s| secret_view(s, false)).collect(),
    }
}

fn delivery(d: &WebhookDelivery) -> DeliveryView {
    DeliveryView {
        id: d.id.to_string(),
        webhook_id: message_id(d.id),
        event_type: d.event_type.clone(),
        status: d.status.clone(),
        attempts: d.attempts,
        response_code: d.response_code,
        last_error: d.last_error.clone(),
        next_attempt_at: (d.status == "pending").then(|| rfc3339(d.next_attempt_at)),
        delivered_at: d.delivered_at.map(rfc3339),
        created_at: rfc3339(d.created_at),
        payload: serde_json::from_str(&d.payload).unwrap_or_default(),
    }
}

/// An organisation's webhook endpoints (admins and its staff).
#[utoipa::path(get, path = "/organisations/{id}/webhooks", tag = "webhooks", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Vec<EndpointView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<EndpointView>>> {
    let org = parse_id(&id, "organisation")?;
    let eps = act::list(&data, &auth.user, org).await?;
    Ok(Json(
        eps.iter().map(|e| view(&e.endpoint, &e.secrets)).collect(),
    ))
}

/// Add a webhook endpoint; the answer holds its signing secret, shown this once.
#[utoipa::path(post, path = "/organisations/{id}/webhooks", tag = "webhooks", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = NewEndpoint,
    responses((status = 201, body = CreatedEndpoint), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewEndpoint>,
) -> AppResult<(StatusCode, Json<CreatedEndpoint>)> {
    let org = parse_id(&id, "organisation")?;
    let (ep, secret) = act::create(&data, &auth.user, org, &body.url, &body.events).await?;
    let created = CreatedEndpoint {
        endpoint: view(&ep, std::slice::from_ref(&secret)),
        secret: secret.secret,
    };
    Ok((StatusCode::CREATED, Json(created)))
}

fn ids(org: &str, endpoint: &str) -> AppResult<(i64, i64)> {
    Ok((
        parse_id(org, "organisation")?,
        parse_id(endpoint, "endpoint")?,
    ))
}

/// Enable or disable an endpoint. Enabling sends what waited.
#[utoipa::path(patch, path = "/organisations/{id}/webhooks/{endpoint}", tag = "webhooks", security(("bearer" = [])),
    params(("id" = String, Path), ("endpoint" = String, Path)), request_body = EndpointChange,
    responses((status = 200, body = EndpointView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update(
    data: Ctx,
    auth: Auth,
    Path((id, endpoint)): Path<(String, String)>,
    ApiJson(body): ApiJson<EndpointChange>,
) -> AppResult<Json<EndpointView>> {
    let (org, eid) = ids(&id, &endpoint)?;
    let ep = act::set_enabled(&data, &auth.user, org, eid, body.enabled).await?;
    let secrets = act::list(&data, &auth.user, org)
        .await?
        .into_iter()
        .find(|e| e.endpoint.id == eid)
        .map(|e| e.secrets)
        .unwrap_or_default();
    Ok(Json(view(&ep, &secrets)))
}

/// Delete an endpoint with its secrets and delivery log.
#[utoipa::path(delete, path = "/organisations/{id}/webhooks/{endpoint}", tag = "webhooks", security(("bearer" = [])),
    params(("id" = String, Path), ("endpoint" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    data: Ctx,
    auth: Auth,
    Path((id, endpoint)): Path<(String, String)>,
) -> AppResult<StatusCode> {
    let (org, eid) = ids(&id, &endpoint)?;
    act::delete(&data, &auth.user, org, eid).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Rotate: add a new secret (shown this once). Older secrets keep signing until removed.
#[utoipa::path(post, path = "/organisations/{id}/webhooks/{endpoint}/secrets", tag = "webhooks", security(("bearer" = [])),
    params(("id" = String, Path), ("endpoint" = String, Path)),
    responses((status = 201, body = SecretView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn rotate(
    data: Ctx,
    auth: Auth,
    Path((id, endpoint)): Path<(String, String)>,
) -> AppResult<(StatusCode, Json<SecretView>)> {
    let (org, eid) = ids(&id, &endpoint)?;
    let secret = act::rotate(&data, &auth.user, org, eid).await?;
    Ok((StatusCode::CREATED, Json(secret_view(&secret, true))))
}

/// Remove a secret (not the last one).
#[utoipa::path(delete, path = "/organisations/{id}/webhooks/{endpoint}/secrets/{secret}", tag = "webhooks", security(("bearer" = [])),
    params(("id" = String, Path), ("endpoint" = String, Path), ("secret" = String, Path)),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_secret(
    data: Ctx,
    auth: Auth,
    Path((id, endpoint, secret)): Path<(String, String, String)>,
) -> AppResult<StatusCode> {
    let (org, eid) = ids(&id, &endpoint)?;
    let sid = parse_id(&secret, "secret")?;
    act::remove_secret(&data, &auth.user, org, eid, sid).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An endpoint's delivery log: its latest 50 deliveries, newest first.
#[utoipa::path(get, path = "/organisations/{id}/webhooks/{endpoint}/deliveries", tag = "webhooks", security(("bearer" = [])),
    params(("id" = String, Path), ("endpoint" = String, Path)),
    responses((status = 200, body = Vec<DeliveryView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn deliveries(
    data: Ctx,
    auth: Auth,
    Path((id, endpoint)): Path<(String, String)>,
) -> AppResult<Json<Vec<DeliveryView>>> {
    let (org, eid) = ids(&id, &endpoint)?;
    let (_, rows) = act::log(&data, &auth.user, org, eid).await?;
    Ok(Json(rows.iter().map(delivery).collect()))
}

/// Send a delivery again, with the same `webhook-id`.
#[utoipa::path(post, path = "/organisations/{id}/webhooks/{endpoint}/deliveries/{delivery}/redeliver", tag = "webhooks", security(("bearer" = [])),
    params(("id" = String, Path), ("endpoint" = String, Path), ("delivery" = String, Path)),
    responses((status = 202), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn redeliver(
    data: Ctx,
    auth: Auth,
    Path((id, endpoint, d)): Path<(String, String, String)>,
) -> AppResult<StatusCode> {
    let (org, eid) = ids(&id, &endpoint)?;
    let did = parse_id(&d, "delivery")?;
    act::redeliver(&data, &auth.user, org, eid, did).await?;
    Ok(StatusCode::ACCEPTED)
}
