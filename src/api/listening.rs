//! Listening: the relays the instance subscribes to (admins), an organisation's terms
//! and its listening queue (admins and the organisation's staff), and the queue's
//! actions: dismiss, mark handled, reply from one's own account, invite to ask.

use super::{parse_id, ApiJson, Auth};
use crate::actions::listening as act;
use crate::db::queries::listening::{Item, Relay, Term};
use crate::db::rfc3339;
use crate::error::{AppResult, ErrorBody};
use crate::state::Ctx;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct RelayView {
    pub id: String,
    /// As given: the relay's inbox or its actor.
    pub url: String,
    /// `mastodon` (a Follow of Public sent to its inbox) or `litepub` (a Follow of its
    /// actor).
    pub style: String,
    /// `pending`, `accepted` or `rejected`.
    pub state: String,
    /// The relay's actor, once known.
    pub actor: Option<String>,
    pub created_at: String,
}

fn relay_view(r: &Relay) -> RelayView {
    RelayView {
        id: r.id.to_string(),
        url: r.url.clone(),
        style: r.style.clone(),
        state: r.state.clone(),
        actor: r.actor_ap_id.clone(),
        created_at: rfc3339(r.created_at),
    }
}

#[derive(Deserialize, ToSchema)]
pub struct NewRelay {
    /// A Mastodon-style relay's inbox (`https://relay.example/inbox`) or a LitePub
    /// relay's actor (`https://relay.example/actor`).
    pub url: String,
}

/// The relays the instance subscribes to (admins).
#[utoipa::path(get, path = "/admin/relays", tag = "listening", security(("bearer" = [])),
    responses((status = 200, body = Vec<RelayView>), (status = 403, body = ErrorBody)))]
pub async fn relays(data: Ctx, auth: Auth) -> AppResult<Json<Vec<RelayView>>> {
    let rows = act::relays(&data, &auth.user).await?;
    Ok(Json(rows.iter().map(relay_view).collect()))
}

/// Subscribe to a relay (admins): the instance actor's `Follow` is sent; the relay's
/// answer makes it `accepted` or `rejected`.
#[utoipa::path(post, path = "/admin/relays", tag = "listening", security(("bearer" = [])),
    request_body = NewRelay,
    responses((status = 201, body = RelayView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn add_relay(
    data: Ctx,
    auth: Auth,
    ApiJson(body): ApiJson<NewRelay>,
) -> AppResult<(StatusCode, Json<RelayView>)> {
    auth.require_admin()?;
    let target = crate::federation::follow::relay_target(&data, &body.url).await?;
    let relay = act::add_relay(&data, &auth.user, &body.url, target).await?;
    Ok((StatusCode::CREATED, Json(relay_view(&relay))))
}

/// Unsubscribe from a relay (admins): `Undo` of the `Follow`.
#[utoipa::path(delete, path = "/admin/relays/{id}", tag = "listening", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_relay(data: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<StatusCode> {
    let id = parse_id(&id, "relay")?;
    act::remove_relay(&data, &auth.user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct TermView {
    pub id: String,
    /// `#tag` or lower-case words.
    pub term: String,
}

fn term_view(t: &Term) -> TermView {
    TermView {
        id: t.id.to_string(),
        term: t.term.clone(),
    }
}

#[derive(Deserialize, ToSchema)]
pub struct NewTerm {
    /// A hashtag (`#acme`: matches the post's hashtags) or words (`Acme Widgets`:
    /// whole words in its text, in any case).
    pub term: String,
}

/// An organisation's listening terms.
#[utoipa::path(get, path = "/organisations/{id}/listening/terms", tag = "listening", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Vec<TermView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn terms(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<TermView>>> {
    let org = parse_id(&id, "organisation")?;
    let rows = act::terms(&data, &auth.user, org).await?;
    Ok(Json(rows.iter().map(term_view).collect()))
}

/// Add a listening term (adding one the organisation has gives it back).
#[utoipa::path(post, path = "/organisations/{id}/listening/terms", tag = "listening", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = NewTerm,
    responses((status = 201, body = TermView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn add_term(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewTerm>,
) -> AppResult<(StatusCode, Json<TermView>)> {
    let org = parse_id(&id, "organisation")?;
    let t = act::add_term(&data, &auth.user, org, &body.term).await?;
    Ok((StatusCode::CREATED, Json(term_view(&t))))
}

/// Remove a listening term.
#[utoipa::path(delete, path = "/organisations/{id}/listening/terms/{term}", tag = "listening", security(("bearer" = [])),
    params(("id" = String, Path), ("term" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_term(
    data: Ctx,
    auth: Auth,
    Path((id, term)): Path<(String, String)>,
) -> AppResult<StatusCode> {
    let org = parse_id(&id, "organisation")?;
    let term = parse_id(&term, "term")?;
    act::remove_term(&data, &auth.user, org, term).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct ItemView {
    pub id: String,
    /// The post's id (ActivityPub).
    pub object: String,
    /// Its page, to open the original.
    pub url: String,
    /// Its author's id and `user@domain`.
    pub author: String,
    pub author_name: String,
    /// Sanitised HTML of the start of the post.
    pub excerpt_html: String,
    /// The term it matched.
    pub matched_term: String,
    /// `relay` or `inbox`.
    pub source: String,
    /// `new`, `handled` or `dismissed`.
    pub status: String,
    /// The Note of the reply staff sent, if any.
    pub reply: Option<String>,
    pub received_at: String,
}

fn item_view(i: &Item) -> ItemView {
    ItemView {
        id: i.id.to_string(),
        object: i.object_ap_id.clone(),
        url: i.url.clone(),
        author: i.author_ap_id.clone(),
        author_name: i.author_name.clone(),
        excerpt_html: i.excerpt_html.clone(),
        matched_term: i.matched_term.clone(),
        source: i.source.clone(),
        status: i.status.clone(),
        reply: i.reply_ap_id.clone(),
        received_at: rfc3339(i.received_at),
    }
}

#[derive(Deserialize, IntoParams)]
pub struct QueueQuery {
    /// `new` (the default), `handled` or `dismissed`.
    pub status: Option<String>,
}

/// An organisation's listening queue, latest first (at most 200).
#[utoipa::path(get, path = "/organisations/{id}/listening", tag = "listening", security(("bearer" = [])),
    params(("id" = String, Path), QueueQuery),
    responses((status = 200, body = Vec<ItemView>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn queue(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    Query(q): Query<QueueQuery>,
) -> AppResult<Json<Vec<ItemView>>> {
    let org = parse_id(&id, "organisation")?;
    let status = q.status.as_deref().unwrap_or("new");
    let rows = act::queue(&data, &auth.user, org, status).await?;
    Ok(Json(rows.iter().map(item_view).collect()))
}

#[derive(Deserialize, ToSchema)]
pub struct ItemChange {
    /// `dismissed`, `handled`, or `new` to put it back.
    pub status: String,
}

fn ids(org: &str, item: &str) -> AppResult<(i64, i64)> {
    Ok((parse_id(org, "organisation")?, parse_id(item, "item")?))
}

/// Dismiss an item, mark it handled, or put it back.
#[utoipa::path(patch, path = "/organisations/{id}/listening/{item}", tag = "listening", security(("bearer" = [])),
    params(("id" = String, Path), ("item" = String, Path)), request_body = ItemChange,
    responses((status = 200, body = ItemView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_item(
    data: Ctx,
    auth: Auth,
    Path((id, item)): Path<(String, String)>,
    ApiJson(body): ApiJson<ItemChange>,
) -> AppResult<Json<ItemView>> {
    let (org, item) = ids(&id, &item)?;
    let it = act::set_status(&data, &auth.user, org, item, &body.status).await?;
    Ok(Json(item_view(&it)))
}

#[derive(Deserialize, ToSchema)]
pub struct ListeningReply {
    /// Markdown.
    pub body: String,
}

/// Reply from your own account: a public reply to the post, mentioning its author. The
/// item is then handled.
#[utoipa::path(post, path = "/organisations/{id}/listening/{item}/reply", tag = "listening", security(("bearer" = [])),
    params(("id" = String, Path), ("item" = String, Path)), request_body = ListeningReply,
    responses((status = 201, body = ItemView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn reply(
    data: Ctx,
    auth: Auth,
    Path((id, item)): Path<(String, String)>,
    ApiJson(body): ApiJson<ListeningReply>,
) -> AppResult<(StatusCode, Json<ItemView>)> {
    let (org, item) = ids(&id, &item)?;
    auth.rate_limit(&data, crate::domain::ratelimit::Action::Post)?;
    let it = act::reply(&data, &auth.user, &auth.actor, org, item, &body.body).await?;
    Ok((StatusCode::CREATED, Json(item_view(&it))))
}

#[derive(Deserialize, ToSchema)]
pub struct Invitation {
    /// The local group to ask in.
    pub group: String,
    /// Your words; the group's ask link is added below them.
    pub message: String,
}

/// Invite the author to ask in a group: a private message from you with the group's
/// ask link (nothing of theirs is posted anywhere). The item is then handled.
#[utoipa::path(post, path = "/organisations/{id}/listening/{item}/invite", tag = "listening", security(("bearer" = [])),
    params(("id" = String, Path), ("item" = String, Path)), request_body = Invitation,
    responses((status = 201, body = ItemView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn invite(
    data: Ctx,
    auth: Auth,
    Path((id, item)): Path<(String, String)>,
    ApiJson(body): ApiJson<Invitation>,
) -> AppResult<(StatusCode, Json<ItemView>)> {
    let (org, item) = ids(&id, &item)?;
    auth.rate_limit(&data, crate::domain::ratelimit::Action::Post)?;
    let it = act::invite(
        &data,
        &auth.user,
        &auth.actor,
        org,
        item,
        &body.group,
        &body.message,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(item_view(&it))))
}
