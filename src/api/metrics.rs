//! Support metrics over a period (next to the all-time `/groups/{name}/stats`): a
//! group's for its moderators and admins, and an organisation's groups' for its staff.
//! The same numbers as the metrics pages and their CSV (`read::metrics`).

use super::Auth;
use crate::error::{AppResult, ErrorBody};
use crate::read::metrics::{self as rm, Metrics, PeriodQuery};
use crate::state::Ctx;
use axum::extract::{Path, Query};
use axum::Json;

/// Support metrics of a local group over a period: questions, share answered, median
/// and p90 times to first and accepted answer, resolution rate, staff share, unanswered
/// backlog, deflection, and questions per week (moderators and admins).
#[utoipa::path(get, path = "/groups/{name}/metrics", tag = "staff", security(("bearer" = [])),
    params(("name" = String, Path), PeriodQuery),
    responses((status = 200, body = Metrics), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn group_metrics(
    data: Ctx,
    auth: Auth,
    Path(name): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Json<Metrics>> {
    Ok(Json(rm::of_group(&data, &auth.actor, &name, &q).await?))
}

/// Support metrics of the groups that recognise the caller's organisation, pooled, over
/// a period (staff of an organisation).
#[utoipa::path(get, path = "/staff/metrics", tag = "staff", security(("bearer" = [])),
    params(PeriodQuery),
    responses((status = 200, body = Metrics), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn staff_metrics(
    data: Ctx,
    auth: Auth,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Json<Metrics>> {
    Ok(Json(rm::of_organisation(&data, &auth.actor, &q).await?.1))
}
