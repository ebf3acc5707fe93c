//! Private groups: the join requests waiting for a group's moderators (approve, reject),
//! adding a member by name, removing one, invitation links, joining with one.

use super::groups::HandleBody;
use super::{ApiJson, Auth};
use crate::actions::private_groups as act;
use crate::domain::groups as svc;
use crate::error::{AppResult, ErrorBody};
use crate::federation::follow;
use crate::read::actors::ActorView;
use crate::state::Ctx;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, Deserialize, ToSchema)]
pub struct JoinRequest {
    pub actor: ActorView,
    /// When they asked (RFC 3339).
    pub since: String,
}

/// Requests to join a private group, oldest first (its moderators).
#[utoipa::path(get, path = "/groups/{name}/requests", tag = "groups", security(("bearer" = [])),
    params(("name" = String, Path)),
    responses((status = 200, body = Vec<JoinRequest>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn requests(
    data: Ctx,
    auth: Auth,
    Path(name): Path<String>,
) -> AppResult<Json<Vec<JoinRequest>>> {
    let (_, group) = svc::local_group(&data, &name).await?;
    let rows = act::pending(&data, &auth.actor, &group).await?;
    Ok(Json(
        rows.iter()
            .map(|(a, at)| JoinRequest {
                actor: a.into(),
                since: crate::db::rfc3339(*at),
            })
            .collect(),
    ))
}

/// What a moderator decides about a person and a private group.
enum Decision {
    /// Their request to join is approved.
    Approve,
    /// Their request is refused, or they stop being a member.
    Reject,
    /// They are added by name.
    Add,
}

/// `auth` (a moderator of the local group `name`) decides about the person `handle`.
async fn decide(
    data: &Ctx,
    auth: &Auth,
    name: &str,
    handle: &str,
    decision: Decision,
) -> AppResult<StatusCode> {
    let (_, group) = svc::local_group(data, name).await?;
    let person = follow::resolve_name(data, handle).await?;
    let moderator = &auth.actor;
    match decision {
        Decision::Approve => act::approve(data, moderator, &group, &person).await?,
        Decision::Reject => act::reject(data, moderator, &group, &person).await?,
        Decision::Add => act::invite(data, moderator, &group, &person).await?,
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Approve a request to join (its moderators): the person becomes a member; someone on
/// another server gets the `Accept` of their `Follow`.
#[utoipa::path(post, path = "/groups/{name}/requests/approve", tag = "groups", security(("bearer" = [])),
    params(("name" = String, Path)), request_body = HandleBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn approve(
    data: Ctx,
    auth: Auth,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<HandleBody>,
) -> AppResult<StatusCode> {
    decide(&data, &auth, &name, &body.handle, Decision::Approve).await
}

/// Reject a request to join, or remove a member (its moderators); someone on another
/// server gets a `Reject` of their `Follow`.
#[utoipa::path(post, path = "/groups/{name}/requests/reject", tag = "groups", security(("bearer" = [])),
    params(("name" = String, Path)), request_body = HandleBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn reject(
    data: Ctx,
    auth: Auth,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<HandleBody>,
) -> AppResult<StatusCode> {
    decide(&data, &auth, &name, &body.handle, Decision::Reject).await
}

/// Add a member by name (its moderators): someone here joins at once; someone
/// elsewhere must have asked to join (their request is approved).
#[utoipa::path(post, path = "/groups/{name}/members", tag = "groups", security(("bearer" = [])),
    params(("name" = String, Path)), request_body = HandleBody,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn add_member(
    data: Ctx,
    auth: Auth,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<HandleBody>,
) -> AppResult<StatusCode> {
    decide(&data, &auth, &name, &body.handle, Decision::Add).await
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Invitation {
    pub token: String,
    /// The page where someone signed in here joins with it.
    pub url: String,
}

/// Make a one-use invitation link (its moderators).
#[utoipa::path(post, path = "/groups/{name}/invites", tag = "groups", security(("bearer" = [])),
    params(("name" = String, Path)),
    responses((status = 201, body = Invitation), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn invite(
    data: Ctx,
    auth: Auth,
    Path(name): Path<String>,
) -> AppResult<(StatusCode, Json<Invitation>)> {
    let (_, group) = svc::local_group(&data, &name).await?;
    let token = act::create_invite(&data, &auth.actor, &group).await?;
    let url = format!("{}/g/{}/join?token={token}", data.base, group.name);
    Ok((StatusCode::CREATED, Json(Invitation { token, url })))
}

#[derive(Deserialize, ToSchema)]
pub struct JoinBody {
    /// An invitation's token.
    pub token: String,
}

/// Join a private group with an invitation (used up by it).
#[utoipa::path(post, path = "/groups/{name}/join", tag = "groups", security(("bearer" = [])),
    params(("name" = String, Path)), request_body = JoinBody,
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn join(
    data: Ctx,
    auth: Auth,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<JoinBody>,
) -> AppResult<StatusCode> {
    let (_, group) = svc::local_group(&data, &name).await?;
    act::join_with_invite(&data, &auth.actor, &group, &body.token).await?;
    Ok(StatusCode::NO_CONTENT)
}
