//! Tags and people the signed-in user follows: a new question with a followed tag, or
//! asked by a followed person, notifies them (`followed_tag`, `followed_person`).

use super::{ApiJson, Auth};
use crate::actions::interests as act;
use crate::domain::ratelimit::Action;
use crate::error::{AppResult, ErrorBody};
use crate::federation::follow::resolve_name;
use crate::read::actors::ActorView;
use crate::state::Ctx;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, Serialize, ToSchema)]
pub struct FollowedTag {
    /// The tag, as questions carry it (lowercase, without `#`).
    pub tag: String,
}

#[derive(Deserialize, ToSchema)]
pub struct NewFollowedPerson {
    /// Who to follow: `name` (here), `name@domain` or an actor URL.
    pub person: String,
}

/// The tags the caller follows, by name.
#[utoipa::path(get, path = "/me/followed-tags", tag = "follows", security(("bearer" = [])),
    responses((status = 200, body = Vec<FollowedTag>), (status = 401, body = ErrorBody)))]
pub async fn list_tags(data: Ctx, auth: Auth) -> AppResult<Json<Vec<FollowedTag>>> {
    let tags = act::tags(&data, &auth.actor).await?;
    Ok(Json(
        tags.into_iter().map(|tag| FollowedTag { tag }).collect(),
    ))
}

/// Follow a tag: new questions with it notify the caller.
#[utoipa::path(post, path = "/me/followed-tags", tag = "follows", security(("bearer" = [])),
    request_body = FollowedTag,
    responses((status = 200, body = FollowedTag), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn follow_tag(
    data: Ctx,
    auth: Auth,
    ApiJson(body): ApiJson<FollowedTag>,
) -> AppResult<Json<FollowedTag>> {
    auth.rate_limit(&data, Action::Follow)?;
    let tag = act::follow_tag(&data, &auth.actor, &body.tag).await?;
    Ok(Json(FollowedTag { tag }))
}

/// Stop following a tag.
#[utoipa::path(delete, path = "/me/followed-tags/{tag}", tag = "follows", security(("bearer" = [])),
    params(("tag" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn unfollow_tag(data: Ctx, auth: Auth, Path(tag): Path<String>) -> AppResult<StatusCode> {
    act::unfollow_tag(&data, &auth.actor, &tag).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The people the caller follows, newest first.
#[utoipa::path(get, path = "/me/followed-people", tag = "follows", security(("bearer" = [])),
    responses((status = 200, body = Vec<ActorView>), (status = 401, body = ErrorBody)))]
pub async fn list_people(data: Ctx, auth: Auth) -> AppResult<Json<Vec<ActorView>>> {
    let people = act::people(&data, &auth.actor).await?;
    Ok(Json(people.iter().map(ActorView::from).collect()))
}

/// Follow a person here or elsewhere: their new questions that reach this server
/// notify the caller. Nobody is told.
#[utoipa::path(post, path = "/me/followed-people", tag = "follows", security(("bearer" = [])),
    request_body = NewFollowedPerson,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn follow_person(
    data: Ctx,
    auth: Auth,
    ApiJson(body): ApiJson<NewFollowedPerson>,
) -> AppResult<StatusCode> {
    auth.rate_limit(&data, Action::Follow)?;
    let person = resolve_name(&data, body.person.trim()).await?;
    act::follow_person(&data, &auth.actor, &person).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Stop following a person (`name`, `name@domain` or an actor URL).
#[utoipa::path(delete, path = "/me/followed-people/{person}", tag = "follows", security(("bearer" = [])),
    params(("person" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn unfollow_person(
    data: Ctx,
    auth: Auth,
    Path(person): Path<String>,
) -> AppResult<StatusCode> {
    let person = resolve_name(&data, &person).await?;
    act::unfollow_person(&data, &auth.actor, &person).await?;
    Ok(StatusCode::NO_CONTENT)
}
