//! Organisations, verified staff, and group statistics.

use super::{parse_id, ApiJson, Auth};
use crate::actions;
use crate::db::models::Organisation;
use crate::db::{queries, rfc3339};
use crate::domain::groups as groups_svc;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::read::actors::ActorView;
use crate::state::Ctx;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct NewOrganisation {
    pub name: String,
    /// The organisation's own domain, which must publish `/.well-known/peerdesk-staff`.
    pub domain: String,
    pub logo_url: Option<String>,
}

/// Declare an organisation (admins).
#[utoipa::path(post, path = "/admin/organisations", tag = "staff", security(("bearer" = [])), request_body = NewOrganisation,
    responses((status = 201, body = Organisation), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_org(
    data: Ctx,
    auth: Auth,
    ApiJson(body): ApiJson<NewOrganisation>,
) -> AppResult<(StatusCode, Json<Organisation>)> {
    let org = actions::staff::create_organisation(
        &data,
        &auth.user,
        &body.name,
        &body.domain,
        body.logo_url,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(org)))
}

/// Organisations declared on this instance.
#[utoipa::path(get, path = "/organisations", tag = "staff", responses((status = 200, body = Vec<Organisation>)))]
pub async fn orgs(data: Ctx) -> AppResult<Json<Vec<Organisation>>> {
    Ok(Json(data.db.run(queries::staff::orgs).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct StaffBody {
    /// The organisation; `null` ends the user's staff status.
    pub organisation_id: Option<String>,
}

/// Make a local user staff of an organisation, or not (admins).
#[utoipa::path(put, path = "/admin/users/{name}/organisation", tag = "staff", security(("bearer" = [])),
    params(("name" = String, Path)), request_body = StaffBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_staff(
    data: Ctx,
    auth: Auth,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<StaffBody>,
) -> AppResult<StatusCode> {
    let org = match &body.organisation_id {
        Some(id) => Some(parse_id(id, "organisation")?),
        None => None,
    };
    actions::staff::set_staff(&data, &auth.user, &name, org).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ClaimView {
    pub actor: String,
    pub organisation: String,
    pub domain: String,
    pub verified: bool,
    /// Why the claim is (not) verified.
    pub reason: String,
    pub checked_at: String,
}

/// Staff claims of remote accounts and the outcome of their checks (admins).
#[utoipa::path(get, path = "/admin/staff-claims", tag = "staff", security(("bearer" = [])),
    responses((status = 200, body = Vec<ClaimView>), (status = 403, body = ErrorBody)))]
pub async fn claims(data: Ctx, auth: Auth) -> AppResult<Json<Vec<ClaimView>>> {
    auth.require_admin()?;
    let rows = data.db.run(queries::staff::claims).await?;
    Ok(Json(
        rows.into_iter()
            .map(|(c, ap)| ClaimView {
                actor: ap,
                organisation: c.org_name,
                domain: c.org_domain,
                verified: c.verified,
                reason: c.reason,
                checked_at: rfc3339(c.checked_at),
            })
            .collect(),
    ))
}

/// The staff list of an organisation in the form its domain publishes at
/// `/.well-known/peerdesk-staff` (copy or proxy it there).
#[utoipa::path(get, path = "/organisations/{id}/staff", tag = "staff", params(("id" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody)))]
pub async fn org_staff(data: Ctx, Path(id): Path<String>) -> AppResult<Json<serde_json::Value>> {
    let id = parse_id(&id, "organisation")?;
    let org = data
        .db
        .run(move |c| queries::staff::org(c, id))
        .await?
        .ok_or_else(|| AppError::NotFound("no such organisation".into()))?;
    let domain = org.domain.clone();
    let staff = data
        .db
        .run(move |c| queries::staff::staff_of_domain(c, &domain))
        .await?;
    Ok(Json(serde_json::json!({
        "domain": org.domain,
        "staff": staff.into_iter().filter(|(_, o)| *o == org.name).map(|(id, o)| serde_json::json!({"id": id, "organization": o})).collect::<Vec<_>>(),
    })))
}

#[derive(Deserialize, ToSchema)]
pub struct GroupOrgs {
    pub organisation_ids: Vec<String>,
}

/// The organisations whose staff a group recognises (moderators).
#[utoipa::path(put, path = "/groups/{name}/organisations", tag = "staff", security(("bearer" = [])),
    params(("name" = String, Path)), request_body = GroupOrgs,
    responses((status = 200, body = Vec<Organisation>), (status = 403, body = ErrorBody)))]
pub async fn set_group_orgs(
    data: Ctx,
    auth: Auth,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<GroupOrgs>,
) -> AppResult<Json<Vec<Organisation>>> {
    let (_, g) = groups_svc::local_group(&data, &name).await?;
    let ids: Vec<i64> = body
        .organisation_ids
        .iter()
        .map(|i| parse_id(i, "organisation"))
        .collect::<AppResult<_>>()?;
    let orgs = actions::staff::set_group_organisations(&data, &auth.actor, &g, ids).await?;
    Ok(Json(orgs))
}

#[derive(Serialize, ToSchema)]
pub struct GroupStats {
    pub questions: i64,
    pub answered: i64,
    pub solved: i64,
    /// Solved questions / questions.
    pub resolution_rate: f64,
    pub answers: i64,
    pub staff_answers: i64,
    /// Share of answers written by verified staff.
    pub staff_share: f64,
    /// Median time from a question to its first answer, in seconds.
    pub median_first_response_secs: Option<i64>,
    pub recognised_organisations: Vec<Organisation>,
    pub moderators: Vec<ActorView>,
}

/// Statistics of a group: resolution rate, time to first response, share of staff answers.
#[utoipa::path(get, path = "/groups/{name}/stats", tag = "staff", params(("name" = String, Path)),
    responses((status = 200, body = GroupStats), (status = 404, body = ErrorBody)))]
pub async fn stats(data: Ctx, Path(name): Path<String>) -> AppResult<Json<GroupStats>> {
    let group = crate::federation::follow::resolve_name(&data, &name).await?;
    let gid = group.id;
    let s = data
        .db
        .run(move |c| {
            let questions = queries::threads::question_stats(c, gid)?;
            let per_author = queries::threads::answers_by_author(c, gid)?;
            let mut staff_answers = 0i64;
            for chunk in per_author.chunks(1000) {
                let authors: Vec<i64> = chunk.iter().map(|(a, _)| *a).collect();
                let staff = queries::staff::staff_status(c, &authors)?;
                staff_answers += chunk
                    .iter()
                    .filter(|(a, _)| staff.get(a).is_some_and(|s| s.2))
                    .map(|(_, n)| n)
                    .sum::<i64>();
            }
            let answers: i64 = per_author.iter().map(|(_, n)| n).sum();
            let first: std::collections::HashMap<i64, i64> =
                queries::threads::first_answers(c, gid)?
                    .into_iter()
                    .filter_map(|(q, at)| Some((q?, at?)))
                    .collect();
            let mut firsts: Vec<i64> = questions
                .iter()
                .filter_map(|(q, asked, _, _)| first.get(q).map(|at| (at - asked).max(0) / 1000))
                .collect();
            firsts.sort_unstable();
            let n = questions.len() as i64;
            let answered = questions.iter().filter(|q| q.2).count() as i64;
            let solved = questions.iter().filter(|q| q.3).count() as i64;
            let mods = queries::groups::moderators(c, gid)?;
            Ok(GroupStats {
                questions: n,
                answered,
                solved,
                resolution_rate: if n > 0 { solved as f64 / n as f64 } else { 0.0 },
                answers,
                staff_answers,
                staff_share: if answers > 0 {
                    staff_answers as f64 / answers as f64
                } else {
                    0.0
                },
                median_first_response_secs: firsts.get(firsts.len() / 2).copied(),
                recognised_organisations: queries::staff::group_orgs(c, gid)?,
                moderators: mods.iter().map(ActorView::from).collect(),
            })
        })
        .await?;
    Ok(Json(s))
}
