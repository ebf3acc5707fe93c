//! Notifications of the signed-in user: the list with its unread count, marking read, and
//! the email choice per kind (see `domain::notify`).

use super::{parse_id, ApiJson, Auth};
use crate::db::notification_kinds::{Kind, EMAIL_CHOICES};
use crate::db::queries::notifications as nq;
use crate::db::{queries, rfc3339};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::read::actors::ActorView;
use crate::state::Ctx;
use axum::extract::{Path, Query};
use axum::Json;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct NotificationView {
    pub id: String,
    /// `answer`, `comment`, `accepted`, `mention`, `badge`, `removed`, `locked`,
    /// `report_resolved` or `welcome`; for an organisation's staff also `escalation` (a
    /// rule escalated the question to its queue); `idea_status` (the status of an idea
    /// the user voted on, follows or wrote changed; `post_id` is the idea); `satisfaction`
    /// (the asker is asked
    /// whether the answers solved their problem: `link` is the survey's page, whose
    /// last path segment is the survey's id for `/surveys/{id}`).
    pub kind: String,
    /// Who did it (absent for badges; the group for `welcome`).
    pub actor: Option<ActorView>,
    /// The post it is about: the answer, comment, accepted answer, mentioning or
    /// moderated post, or the reported post.
    pub post_id: Option<String>,
    /// The title of the post's question (the group's, for `welcome`).
    pub title: Option<String>,
    /// The group's welcome message as it was sent, for `welcome` (sanitised HTML).
    pub message_html: Option<String>,
    pub badge: Option<String>,
    /// The report's outcome (`resolved` or `dismissed`), for `report_resolved`.
    pub report_status: Option<String>,
    /// Where to read it on this instance (the thread; the group, for `welcome` in a
    /// group hosted here).
    pub link: Option<String>,
    pub created_at: String,
    pub read: bool,
}

#[derive(Serialize, ToSchema)]
pub struct NotificationList {
    /// Unread notifications in all.
    pub unread: i64,
    /// Newest first.
    pub items: Vec<NotificationView>,
    /// Pass as `before` for the next page; absent on the last page.
    pub next: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct ListParams {
    /// Only notifications older than this id (the previous page's `next`).
    pub before: Option<String>,
    /// Page size, 1 to 100 (default 20).
    pub limit: Option<i64>,
}

/// The signed-in user's notifications, newest first.
#[utoipa::path(get, path = "/notifications", tag = "notifications", params(ListParams),
    security(("bearer" = [])),
    responses((status = 200, body = NotificationList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list(
    data: Ctx,
    auth: Auth,
    Query(params): Query<ListParams>,
) -> AppResult<Json<NotificationList>> {
    let limit = params.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(AppError::Invalid("limit is 1 to 100".into()));
    }
    let before = params
        .before
        .as_deref()
        .map(|b| parse_id(b, "notification"))
        .transpose()?;
    Ok(Json(page(&data, auth.user.id, before, limit).await?))
}

/// One page of a user's notifications, newest first (the API and the notifications page).
pub async fn page(
    data: &Ctx,
    user: i64,
    before: Option<i64>,
    limit: i64,
) -> AppResult<NotificationList> {
    let base = data.base.clone();
    let list = data
        .db
        .run(move |c| {
            c.snapshot(|c| {
                let unread = nq::unread_count(c, user)?;
                let rows = nq::list(c, user, before, limit + 1)?;
                let more = rows.len() as i64 > limit;
                let mut items = Vec::new();
                for n in rows.into_iter().take(limit as usize) {
                    let actor = match n.actor_id {
                        Some(a) => queries::actors::by_id(c, a)?,
                        None => None,
                    };
                    let post = match n.post_id {
                        Some(p) => queries::posts::by_id(c, p)?,
                        None => None,
                    };
                    let question = match &post {
                        Some(p) => match p.question_id {
                            Some(q) => queries::posts::by_id(c, q)?,
                            None => Some(p.clone()),
                        },
                        None => None,
                    };
                    let report_status = match n.report_id {
                        Some(r) => queries::moderation::report(c, r)?.map(|r| r.status),
                        None => None,
                    };
                    let mut title = question.as_ref().and_then(|q| q.title.clone());
                    let mut link = question.as_ref().map(|q| format!("{base}/q/{}", q.id));
                    let mut message_html = None;
                    if n.kind == Kind::Welcome.as_str() {
                        let welcome = match n.subject.parse() {
                            Ok(id) => queries::groups::welcome(c, id)?,
                            Err(_) => None,
                        };
                        message_html = welcome.map(|(_, _, html)| html);
                        title = actor.as_ref().and_then(|g| g.display_name.clone());
                        link = actor
                            .as_ref()
                            .filter(|g| g.local)
                            .map(|g| format!("{base}/g/{}", g.name));
                    }
                    if n.kind == queries::conversations::NOTIFY_KIND {
                        link = queries::conversations::of_notification(&n.subject)
                            .map(|conv| format!("{base}/messages/{conv}"));
                    }
                    if n.kind == crate::actions::satisfaction::NOTIFY_KIND {
                        // The survey's page ("Did this solve your problem?").
                        link = Some(format!("{base}/surveys/{}", n.subject));
                    }
                    if n.kind.starts_with("case_") {
                        // The case's number and subject, and its page.
                        let case = queries::cases::of_notification(c, &n.subject)?;
                        title = case
                            .as_ref()
                            .map(|k| format!("#{} {}", k.number, k.subject));
                        link = case.map(|k| format!("{base}/cases/{}", k.number));
                    }
                    items.push(NotificationView {
                        id: n.id.to_string(),
                        kind: n.kind,
                        actor: actor.as_ref().map(ActorView::from),
                        post_id: n.post_id.map(|p| p.to_string()),
                        title,
                        message_html,
                        badge: n.badge,
                        report_status,
                        link,
                        created_at: rfc3339(n.created_at),
                        read: n.read_at.is_some(),
                    });
                }
                let next = if more {
                    items.last().map(|i| i.id.clone())
                } else {
                    None
                };
                Ok::<_, AppError>(NotificationList {
                    unread,
                    items,
                    next,
                })
            })
        })
        .await?;
    Ok(list)
}

#[derive(Serialize, ToSchema)]
pub struct Unread {
    pub unread: i64,
}

/// Marks one notification read.
#[utoipa::path(post, path = "/notifications/{id}/read", tag = "notifications", params(("id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = Unread), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn mark_read(data: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<Json<Unread>> {
    let id = parse_id(&id, "notification")?;
    let user = auth.user.id;
    let (found, unread) = data
        .db
        .run(move |c| Ok((nq::mark_read(c, user, id)?, nq::unread_count(c, user)?)))
        .await?;
    if !found {
        return Err(AppError::NotFound("no such notification".into()));
    }
    Ok(Json(Unread { unread }))
}

/// Marks all of the signed-in user's notifications read.
#[utoipa::path(post, path = "/notifications/read", tag = "notifications",
    security(("bearer" = [])),
    responses((status = 200, body = Unread), (status = 401, body = ErrorBody)))]
pub async fn mark_all_read(data: Ctx, auth: Auth) -> AppResult<Json<Unread>> {
    let user = auth.user.id;
    data.db.run(move |c| nq::mark_all_read(c, user)).await?;
    Ok(Json(Unread { unread: 0 }))
}

/// Email choice per kind: `off`, `immediately` or `digest` (the daily digest).
/// In-app notifications are always on.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct Preferences {
    /// By kind; kinds left out keep their choice.
    pub email: BTreeMap<String, String>,
}

/// The signed-in user's email choice for every kind.
#[utoipa::path(get, path = "/notifications/preferences", tag = "notifications",
    security(("bearer" = [])),
    responses((status = 200, body = Preferences), (status = 401, body = ErrorBody)))]
pub async fn preferences(data: Ctx, auth: Auth) -> AppResult<Json<Preferences>> {
    let user = auth.user.id;
    let set = data.db.run(move |c| nq::prefs(c, user)).await?;
    Ok(Json(all_kinds(&set)))
}

fn all_kinds(set: &std::collections::HashMap<String, String>) -> Preferences {
    Preferences {
        email: Kind::ALL
            .iter()
            .map(|k| {
                let v = set.get(k.as_str()).map(String::as_str);
                (
                    k.as_str().to_string(),
                    v.unwrap_or(k.default_email()).to_string(),
                )
            })
            .collect(),
    }
}

/// Changes the email choice of some kinds.
#[utoipa::path(put, path = "/notifications/preferences", tag = "notifications", request_body = Preferences,
    security(("bearer" = [])),
    responses((status = 200, body = Preferences), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn set_preferences(
    data: Ctx,
    auth: Auth,
    ApiJson(body): ApiJson<Preferences>,
) -> AppResult<Json<Preferences>> {
    let mut choices = Vec::new();
    for (kind, email) in body.email {
        if Kind::parse(&kind).is_none() {
            return Err(AppError::Invalid(format!(
                "unknown notification kind; kinds are {}",
                Kind::ALL.map(Kind::as_str).join(", ")
            )));
        }
        if !EMAIL_CHOICES.contains(&email.as_str()) {
            return Err(AppError::Invalid(
                "email is one of off, immediately, digest".into(),
            ));
        }
        choices.push((kind, email));
    }
    let user = auth.user.id;
    let set = data
        .db
        .run(move |c| {
            nq::set_prefs(c, user, &choices)?;
            nq::prefs(c, user)
        })
        .await?;
    Ok(Json(all_kinds(&set)))
}
