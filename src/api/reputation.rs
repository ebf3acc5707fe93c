//! Reputation: explained scores, badges, leaderboards and privileges.

use super::{ApiJson, Auth};
use crate::db::queries::reputation as rq;
use crate::db::{now_ms, queries};
use crate::domain::groups as groups_svc;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::federation::follow;
use crate::read::actors::ActorView;
use crate::read::reputation::{reputation_of, ReputationView};
use crate::state::Ctx;
use axum::extract::{Path, Query};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A user's reputation on this instance (local or remote user), explained.
#[utoipa::path(get, path = "/users/{handle}/reputation", tag = "reputation", params(("handle" = String, Path)),
    responses((status = 200, body = ReputationView), (status = 404, body = ErrorBody)))]
pub async fn reputation(data: Ctx, Path(handle): Path<String>) -> AppResult<Json<ReputationView>> {
    let actor = follow::resolve_name(&data, &handle).await?;
    Ok(Json(reputation_of(&data, &actor).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct BoardQuery {
    /// `week`, `month` or `all` (default).
    pub period: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct BoardEntry {
    pub actor: ActorView,
    pub score: i64,
}

/// The group's leaderboard for the week, the month or all time.
#[utoipa::path(get, path = "/groups/{name}/leaderboard", tag = "reputation", params(("name" = String, Path), BoardQuery),
    responses((status = 200, body = Vec<BoardEntry>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn leaderboard(
    data: Ctx,
    Path(name): Path<String>,
    Query(q): Query<BoardQuery>,
) -> AppResult<Json<Vec<BoardEntry>>> {
    let group = follow::resolve_name(&data, &name).await?;
    let day = 24 * 3600 * 1000;
    let since = match q.period.as_deref().unwrap_or("all") {
        "week" => now_ms() - 7 * day,
        "month" => now_ms() - 30 * day,
        "all" => 0,
        _ => return Err(AppError::Invalid("period is week, month or all".into())),
    };
    let gid = group.id;
    let rows = data
        .db
        .run(move |c| {
            let board = rq::leaderboard(c, gid, since, 50)?;
            let ids: Vec<i64> = board.iter().map(|(a, _)| *a).collect();
            let actors = queries::actors::by_ids(c, &ids)?;
            Ok(board
                .into_iter()
                .filter_map(|(a, s)| {
                    actors.iter().find(|x| x.id == a).map(|x| BoardEntry {
                        actor: x.into(),
                        score: s,
                    })
                })
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(Json(rows))
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Privilege {
    /// `edit_tags` or `close_duplicates`.
    pub privilege: String,
    pub min_reputation: i64,
}

/// Privileges of a group and the reputation each needs.
#[utoipa::path(get, path = "/groups/{name}/privileges", tag = "reputation", params(("name" = String, Path)),
    responses((status = 200, body = Vec<Privilege>), (status = 404, body = ErrorBody)))]
pub async fn privileges(data: Ctx, Path(name): Path<String>) -> AppResult<Json<Vec<Privilege>>> {
    let (_, g) = groups_svc::local_group(&data, &name).await?;
    let gid = g.id;
    let list = data.db.run(move |c| rq::privileges(c, gid)).await?;
    Ok(Json(
        list.into_iter()
            .map(|(p, m)| Privilege {
                privilege: p,
                min_reputation: m,
            })
            .collect(),
    ))
}

/// Change the reputation a privilege needs in a group (moderators).
#[utoipa::path(put, path = "/groups/{name}/privileges", tag = "reputation", security(("bearer" = [])),
    params(("name" = String, Path)), request_body = Privilege,
    responses((status = 200, body = Vec<Privilege>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn set_privilege(
    data: Ctx,
    auth: Auth,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<Privilege>,
) -> AppResult<Json<Vec<Privilege>>> {
    let (_, g) = groups_svc::local_group(&data, &name).await?;
    let list = crate::actions::groups::set_privileges(
        &data,
        &auth.actor,
        &g,
        vec![(body.privilege, body.min_reputation)],
    )
    .await?;
    Ok(Json(
        list.into_iter()
            .map(|(p, m)| Privilege {
                privilege: p,
                min_reputation: m,
            })
            .collect(),
    ))
}
