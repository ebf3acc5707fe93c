//! Following users and groups, here or on other servers.

use super::{ApiJson, Auth};
use crate::actions::follows;
use crate::db::queries;
use crate::domain::ratelimit::Action;
use crate::error::{AppResult, ErrorBody};
use crate::federation::follow as svc;
use crate::read::actors::{ActorView, FollowList, FollowView};
use crate::state::Ctx;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, ToSchema)]
pub struct FollowBody {
    /// `name@host` or an actor URL.
    pub handle: String,
    /// The caller read and accepts the group's guidelines; needed to join a group here
    /// that has guidelines (422 `guidelines_not_accepted` without it).
    #[serde(default)]
    pub accept_guidelines: bool,
}

/// Follow a user or group by handle (`group@host`, resolved with WebFinger) or URL.
#[utoipa::path(post, path = "/follows", tag = "follows", security(("bearer" = [])), request_body = FollowBody,
    responses((status = 200, body = FollowView), (status = 400, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, description = "a group here with guidelines, not accepted", body = ErrorBody),
              (status = 502, body = ErrorBody)))]
pub async fn follow(
    data: Ctx,
    auth: Auth,
    ApiJson(body): ApiJson<FollowBody>,
) -> AppResult<Response> {
    auth.rate_limit(&data, Action::Follow)?;
    let target = svc::resolve(&data, &body.handle).await?;
    let joined = follows::join(&data, &auth.actor, &target, body.accept_guidelines).await?;
    let Some(followed) = joined else {
        let refusal = ErrorBody {
            error: "guidelines_not_accepted",
            message: "this group asks newcomers to accept its guidelines: read them \
                      (GET /groups/{name}) and send accept_guidelines: true"
                .into(),
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(refusal)).into_response());
    };
    if followed.first_here && target.is_group() {
        svc::start_backfill(&data, &target);
    }
    Ok(Json(FollowView {
        target: (&target).into(),
        pending: followed.pending,
    })
    .into_response())
}

/// Stop following.
#[utoipa::path(delete, path = "/follows/{handle}", tag = "follows", security(("bearer" = [])),
    params(("handle" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn unfollow(data: Ctx, auth: Auth, Path(handle): Path<String>) -> AppResult<StatusCode> {
    auth.rate_limit(&data, Action::Follow)?;
    let target = svc::resolve(&data, &handle).await?;
    follows::unfollow(&data, &auth.actor, &target).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What the signed-in user follows.
#[utoipa::path(get, path = "/me/following", tag = "follows", security(("bearer" = [])),
    responses((status = 200, body = FollowList)))]
pub async fn following(data: Ctx, auth: Auth) -> AppResult<Json<FollowList>> {
    let id = auth.actor.id;
    let rows = data
        .db
        .run(move |c| queries::follows::following(c, id, 0, 500))
        .await?;
    Ok(Json(FollowList {
        total: rows.len() as i64,
        items: rows
            .iter()
            .map(|(a, p)| FollowView {
                target: a.into(),
                pending: *p,
            })
            .collect(),
    }))
}

#[derive(Deserialize, IntoParams)]
pub struct ResolveQuery {
    /// `name@host` or an actor URL.
    pub handle: String,
}

/// Look up a user or group anywhere in the fediverse.
#[utoipa::path(get, path = "/resolve", tag = "follows", security(("bearer" = [])), params(ResolveQuery),
    responses((status = 200, body = ActorView), (status = 404, body = ErrorBody), (status = 502, body = ErrorBody)))]
pub async fn resolve(
    data: Ctx,
    _auth: Auth,
    Query(q): Query<ResolveQuery>,
) -> AppResult<Json<ActorView>> {
    let actor = svc::resolve(&data, &q.handle).await?;
    let id = actor.id;
    let staff = data
        .db
        .run(move |c| crate::db::queries::staff::staff_status(c, &[id]))
        .await?;
    Ok(Json(
        ActorView::from(&actor).with_staff(staff.get(&actor.id)),
    ))
}
