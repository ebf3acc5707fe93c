//! Reports, moderators' actions, the public moderation log, instance policies.

use super::{load_post, parse_id, ApiJson, Auth};
use crate::actions;
use crate::db::models::Actor;
use crate::db::queries::moderation as mq;
use crate::db::{queries, rfc3339};
use crate::domain::groups as groups_svc;
use crate::domain::ratelimit::Action;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::federation::follow;
use crate::read::actors::ActorView;
use crate::state::Ctx;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, ToSchema)]
pub struct NewReport {
    /// The question or answer reported.
    pub post_id: Option<String>,
    /// Or a user (`name@host`).
    pub handle: Option<String>,
    pub reason: String,
    /// Send the report to other servers as this instance rather than as you (Lemmy
    /// only accepts reports from people, so this reaches fewer servers).
    #[serde(default)]
    pub anonymous: bool,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ReportCreated {
    /// False when you already had an open report about this.
    pub created: bool,
}

/// Report a question, answer or user to the moderators (here and on the servers concerned).
#[utoipa::path(post, path = "/reports", tag = "moderation", security(("bearer" = [])), request_body = NewReport,
    responses((status = 201, body = ReportCreated), (status = 400, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn create_report(
    data: Ctx,
    auth: Auth,
    ApiJson(body): ApiJson<NewReport>,
) -> AppResult<(StatusCode, Json<ReportCreated>)> {
    auth.rate_limit(&data, Action::Report)?;
    let post = match &body.post_id {
        Some(p) => Some(load_post(&data, p).await?),
        None => None,
    };
    let target = match &body.handle {
        Some(h) => Some(follow::resolve(&data, h).await?),
        None => None,
    };
    let created = actions::moderation::report(
        &data,
        &auth.actor,
        post.as_ref(),
        target.as_ref(),
        &body.reason,
        body.anonymous,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(ReportCreated { created })))
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ReportView {
    pub id: String,
    pub status: String,
    pub reason: String,
    pub reporter: ActorView,
    pub reporter_domain: String,
    /// Reports this reporter filed here, and how many were upheld.
    pub reporter_reports: i64,
    pub reporter_upheld: i64,
    pub target: Option<ActorView>,
    pub post_id: Option<String>,
    pub post_ap_id: Option<String>,
    pub post_content_html: Option<String>,
    pub resolution_note: Option<String>,
    pub created_at: String,
}

#[derive(Deserialize, IntoParams)]
pub struct QueueQuery {
    /// Group name here; the instance queue (admins) when absent.
    pub group: Option<String>,
    /// Include resolved and dismissed reports.
    #[serde(default)]
    pub all: bool,
}

async fn queue_owner(data: &Ctx, auth: &Auth, group: &Option<String>) -> AppResult<Option<Actor>> {
    match group {
        Some(name) => {
            let (_, g) = groups_svc::local_group(data, name).await?;
            if !actions::rules::can_moderate(data, &g, &auth.actor).await? {
                return Err(AppError::Forbidden(
                    "only this group's moderators see its reports".into(),
                ));
            }
            Ok(Some(g))
        }
        None => {
            auth.require_admin()?;
            Ok(None)
        }
    }
}

/// The report queue of a group (its moderators) or of the instance (admins).
#[utoipa::path(get, path = "/reports", tag = "moderation", security(("bearer" = [])), params(QueueQuery),
    responses((status = 200, body = Vec<ReportView>), (status = 403, body = ErrorBody)))]
pub async fn reports(
    data: Ctx,
    auth: Auth,
    Query(q): Query<QueueQuery>,
) -> AppResult<Json<Vec<ReportView>>> {
    let owner = queue_owner(&data, &auth, &q.group).await?.map(|g| g.id);
    let only_open = !q.all;
    let rows = data
        .db
        .run(move |c| {
            let mut out = Vec::new();
            for r in mq::reports(c, owner, only_open)? {
                let reporter = queries::actors::by_id(c, r.reporter_id)?;
                let target = match r.target_actor_id {
                    Some(t) => queries::actors::by_id(c, t)?,
                    None => None,
                };
                let post = match r.post_id {
                    Some(p) => queries::posts::by_id(c, p)?,
                    None => None,
                };
                let history = mq::reporter_history(c, r.reporter_id)?;
                out.push((r, reporter, target, post, history));
            }
            Ok(out)
        })
        .await?;
    Ok(Json(
        rows.into_iter()
            .filter_map(|(r, reporter, target, post, (total, upheld))| {
                Some(ReportView {
                    id: r.id.to_string(),
                    status: r.status,
                    reason: r.reason,
                    reporter: (&reporter?).into(),
                    reporter_domain: r.reporter_domain,
                    reporter_reports: total,
                    reporter_upheld: upheld,
                    target: target.as_ref().map(ActorView::from),
                    post_id: post.as_ref().map(|p| p.id.to_string()),
                    post_ap_id: post.as_ref().map(|p| p.ap_id.clone()),
                    post_content_html: post.map(|p| p.content_html),
                    resolution_note: r.resolution_note,
                    created_at: rfc3339(r.created_at),
                })
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct Resolution {
    /// `resolved` (upheld) or `dismissed`.
    pub resolution: String,
    #[serde(default)]
    pub note: String,
    /// Also remove the reported post.
    #[serde(default)]
    pub remove: bool,
    /// Also ban the reported user from the group (of the post, or of the report).
    #[serde(default)]
    pub ban: Option<ResolutionBan>,
}

#[derive(Deserialize, ToSchema)]
pub struct ResolutionBan {
    /// The ban's reason; the note when empty.
    #[serde(default)]
    pub reason: String,
    /// Ban length in hours; permanent when absent.
    pub expires_in_hours: Option<u32>,
    /// Also remove the user's posts in the group.
    #[serde(default)]
    pub remove_data: bool,
}

/// Resolve or dismiss a report, optionally removing the post and banning its author in
/// the same step. Servers the report came from or was about hear of it (`Resolve`).
#[utoipa::path(post, path = "/reports/{id}/resolve", tag = "moderation", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = Resolution,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn resolve(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Resolution>,
) -> AppResult<StatusCode> {
    if body.resolution != "resolved" && body.resolution != "dismissed" {
        return Err(AppError::Invalid(
            "resolution is `resolved` or `dismissed`".into(),
        ));
    }
    let id = parse_id(&id, "report")?;
    let ban = body.ban.as_ref().map(|b| actions::moderation::Ban {
        reason: if b.reason.is_empty() {
            &body.note
        } else {
            &b.reason
        },
        expires_at: b
            .expires_in_hours
            .map(|h| crate::db::now_ms() + h as i64 * 3600 * 1000),
        remove_data: b.remove_data,
    });
    let resolution = actions::moderation::Resolution {
        upheld: body.resolution == "resolved",
        note: &body.note,
        remove: body.remove,
        ban,
    };
    actions::moderation::resolve_report(&data, &auth.actor, id, resolution).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct ReasonBody {
    #[serde(default)]
    pub reason: String,
}

/// Remove a post from its group (moderators); it is hidden on every instance.
#[utoipa::path(post, path = "/posts/{id}/remove", tag = "moderation", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ReasonBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReasonBody>,
) -> AppResult<StatusCode> {
    let post = load_post(&data, &id).await?;
    actions::moderation::remove(&data, &auth.actor, &post, &body.reason, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Restore a removed post (moderators).
#[utoipa::path(post, path = "/posts/{id}/restore", tag = "moderation", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ReasonBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn restore(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReasonBody>,
) -> AppResult<StatusCode> {
    let post = load_post(&data, &id).await?;
    actions::moderation::remove(&data, &auth.actor, &post, &body.reason, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct LockBody {
    pub locked: bool,
    #[serde(default)]
    pub reason: String,
}

/// Lock a question against new answers, or unlock it (moderators).
#[utoipa::path(put, path = "/questions/{id}/lock", tag = "moderation", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = LockBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn lock(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<LockBody>,
) -> AppResult<StatusCode> {
    let post = load_post(&data, &id).await?;
    actions::moderation::lock(&data, &auth.actor, &post, body.locked, &body.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct FeatureBody {
    pub featured: bool,
}

/// Feature a question in its group (moderators).
#[utoipa::path(put, path = "/questions/{id}/featured", tag = "moderation", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = FeatureBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn feature(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<FeatureBody>,
) -> AppResult<StatusCode> {
    let post = load_post(&data, &id).await?;
    if !post.is_question() {
        return Err(AppError::Invalid("only questions can be featured".into()));
    }
    actions::moderation::feature(&data, &auth.actor, &post, body.featured).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct LogView {
    pub action: String,
    pub moderator: Option<ActorView>,
    pub target: Option<ActorView>,
    pub post_id: Option<String>,
    pub domain: Option<String>,
    pub reason: String,
    pub at: String,
}

#[derive(Deserialize, IntoParams)]
pub struct LogQuery {
    /// Group handle (`name` or `name@host`); the instance log when absent.
    pub group: Option<String>,
}

/// The public moderation log of a group or of this instance.
#[utoipa::path(get, path = "/modlog", tag = "moderation", params(LogQuery),
    responses((status = 200, body = Vec<LogView>), (status = 404, body = ErrorBody)))]
pub async fn modlog(data: Ctx, Query(q): Query<LogQuery>) -> AppResult<Json<Vec<LogView>>> {
    let group = match &q.group {
        Some(h) => Some(follow::resolve_name(&data, h).await?.id),
        None => None,
    };
    let rows = data
        .db
        .run(move |c| {
            let mut out = Vec::new();
            for e in mq::mod_log(c, group, 200)? {
                let m = match e.moderator_id {
                    Some(i) => queries::actors::by_id(c, i)?,
                    None => None,
                };
                let t = match e.target_actor_id {
                    Some(i) => queries::actors::by_id(c, i)?,
                    None => None,
                };
                out.push((e, m, t));
            }
            Ok(out)
        })
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(|(e, m, t)| LogView {
                action: e.action,
                moderator: m.as_ref().map(ActorView::from),
                target: t.as_ref().map(ActorView::from),
                post_id: e.post_id.map(|p| p.to_string()),
                domain: e.domain,
                reason: e.reason,
                at: rfc3339(e.created_at),
            })
            .collect(),
    ))
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct InstancePolicy {
    pub blocked: bool,
    pub silenced: bool,
    /// Used in allowlist mode.
    pub allowed: bool,
    #[serde(default)]
    pub reason: String,
}

/// Set an instance's policy (admins): block, silence, or allow (allowlist mode).
#[utoipa::path(put, path = "/admin/instances/{domain}", tag = "admin", security(("bearer" = [])),
    params(("domain" = String, Path)), request_body = InstancePolicy,
    responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn set_instance(
    data: Ctx,
    auth: Auth,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<InstancePolicy>,
) -> AppResult<StatusCode> {
    let policy = actions::instances::Policy {
        blocked: body.blocked,
        silenced: body.silenced,
        allowed: body.allowed,
    };
    actions::instances::set_policy(
        &data,
        &auth.user,
        &auth.actor,
        &domain,
        policy,
        &body.reason,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Instances this one knows, with their policies and delivery state (admins).
#[utoipa::path(get, path = "/admin/instances", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<crate::db::models::Instance>), (status = 403, body = ErrorBody)))]
pub async fn instances(data: Ctx, auth: Auth) -> AppResult<Json<Vec<crate::db::models::Instance>>> {
    auth.require_admin()?;
    Ok(Json(data.db.run(mq::instances).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct PurgeBody {
    /// A remote user (`name@host`).
    pub handle: String,
    #[serde(default)]
    pub reason: String,
}

/// Remove everything a remote user posted here (admins). Not sent to other servers.
#[utoipa::path(post, path = "/admin/purge", tag = "admin", security(("bearer" = [])), request_body = PurgeBody,
    responses((status = 200, body = ReportCreated), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn purge(
    data: Ctx,
    auth: Auth,
    ApiJson(body): ApiJson<PurgeBody>,
) -> AppResult<Json<ReportCreated>> {
    // Before looking the handle up, which may ask another server.
    auth.require_admin()?;
    let target = follow::resolve(&data, &body.handle).await?;
    let n = actions::people::purge(&data, &auth.user, &auth.actor, &target, &body.reason).await?;
    Ok(Json(ReportCreated { created: n > 0 }))
}
