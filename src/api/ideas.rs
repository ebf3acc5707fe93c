//! The ideas exchange: a group's ideas by votes (with a status filter), an idea's status
//! and history, setting its status, merging a duplicate, following an idea
//! (`actions::ideas`). Ideas are posted, answered and voted on as questions are.

use super::{load_post, parse_id, ApiJson, Auth};
use crate::actions::ideas;
use crate::domain::ideas::{GroupKind, IdeaStatus};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::read::articles::group_by_name;
use crate::read::ideas::{self as ri, IdeaDetail, IdeaSummary};
use crate::state::Ctx;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
pub struct IdeasQuery {
    /// Only ideas of this status (`new` includes ideas never given one).
    pub status: Option<IdeaStatus>,
    /// Ideas to skip (paging, 50 a page).
    pub offset: Option<i64>,
}

/// A group's ideas, most votes first.
#[utoipa::path(get, path = "/groups/{name}/ideas", operation_id = "list_ideas", tag = "ideas",
    params(("name" = String, Path, description = "`name` here, `name@host` for a group elsewhere"), IdeasQuery),
    responses((status = 200, body = Vec<IdeaSummary>), (status = 404, body = ErrorBody)))]
pub async fn list(
    data: Ctx,
    Path(name): Path<String>,
    Query(q): Query<IdeasQuery>,
) -> AppResult<Json<Vec<IdeaSummary>>> {
    let group = group_by_name(&data, &name).await?;
    let offset = q.offset.unwrap_or(0).clamp(0, 100_000);
    Ok(Json(
        ri::of_group(&data, group.id, q.status, offset, 50).await?,
    ))
}

/// The idea (question) `id`: its status, explanation and history; `404` when the post
/// is no idea.
#[utoipa::path(get, path = "/ideas/{id}", operation_id = "get_idea", tag = "ideas", params(("id" = String, Path)),
    responses((status = 200, body = IdeaDetail), (status = 404, body = ErrorBody)))]
pub async fn get(
    data: Ctx,
    auth: Option<Auth>,
    Path(id): Path<String>,
) -> AppResult<Json<IdeaDetail>> {
    let post = load_post(&data, &id).await?;
    let viewer = auth.as_ref().map(|a| &a.actor);
    ri::detail(&data, &post, viewer)
        .await?
        .map(Json)
        .ok_or_else(|| AppError::NotFound("that post is no idea".into()))
}

#[derive(Deserialize, ToSchema)]
pub struct StatusBody {
    /// `new`, `under_review`, `planned`, `in_progress`, `shipped` or `declined`.
    pub status: IdeaStatus,
    /// Why, for the idea's voters and followers (at most 2,000 characters).
    #[serde(default)]
    pub explanation: String,
}

/// Set an idea's status (the group's moderators, the instance's admins, staff of an
/// organisation the group recognises). The idea's voters, followers and author are
/// notified, here and on other servers (the group's `Update` of the idea).
#[utoipa::path(put, path = "/ideas/{id}/status", operation_id = "set_idea_status", tag = "ideas", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = StatusBody,
    responses((status = 200, body = IdeaDetail), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn set_status(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<StatusBody>,
) -> AppResult<Json<IdeaDetail>> {
    let pid = parse_id(&id, "idea")?;
    ideas::set_status(&data, &auth.actor, pid, body.status, &body.explanation).await?;
    get(data, Some(auth), Path(id)).await
}

#[derive(Deserialize, ToSchema)]
pub struct MergeBody {
    /// The local id of the idea this one duplicates.
    pub into: String,
    /// A note for the duplicate's voters and followers.
    #[serde(default)]
    pub explanation: String,
}

#[derive(Serialize, ToSchema)]
pub struct Merged {
    /// Votes carried to the other idea (someone who voted on both counts once).
    pub carried_votes: usize,
    pub into: IdeaDetail,
}

/// Merge a duplicate into another idea of its group (as for a status): its votes are
/// carried over once per person, its followers follow the other idea, and it is locked
/// with the status `merged`.
#[utoipa::path(post, path = "/ideas/{id}/merge", operation_id = "merge_idea", tag = "ideas", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = MergeBody,
    responses((status = 200, body = Merged), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn merge(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MergeBody>,
) -> AppResult<Json<Merged>> {
    let from = parse_id(&id, "idea")?;
    let into = parse_id(&body.into, "idea")?;
    let carried = ideas::merge(&data, &auth.actor, from, into, &body.explanation).await?;
    let Json(detail) = get(data, Some(auth), Path(body.into)).await?;
    Ok(Json(Merged {
        carried_votes: carried,
        into: detail,
    }))
}

/// Follow an idea: be told of its status changes.
#[utoipa::path(put, path = "/ideas/{id}/follow", operation_id = "follow_idea", tag = "ideas", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn follow(data: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<StatusCode> {
    let pid = parse_id(&id, "idea")?;
    ideas::follow(&data, &auth.actor, pid, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Stop following an idea.
#[utoipa::path(delete, path = "/ideas/{id}/follow", operation_id = "unfollow_idea", tag = "ideas", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn unfollow(data: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<StatusCode> {
    let pid = parse_id(&id, "idea")?;
    ideas::follow(&data, &auth.actor, pid, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct KindBody {
    pub kind: GroupKind,
}

/// Set what a group's posts are: `questions` or `ideas` (its moderators).
#[utoipa::path(put, path = "/groups/{name}/kind", operation_id = "set_group_kind", tag = "ideas", security(("bearer" = [])),
    params(("name" = String, Path)), request_body = KindBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_kind(
    data: Ctx,
    auth: Auth,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<KindBody>,
) -> AppResult<StatusCode> {
    let (_, group) = crate::domain::groups::local_group(&data, &name).await?;
    ideas::set_group_kind(&data, &auth.actor, &group, body.kind).await?;
    Ok(StatusCode::NO_CONTENT)
}
