//! The signed-in user's notifications (`/notifications`): the in-app list of the API
//! (`api::notifications::page`), unread ones marked, each linking to its subject through
//! `/notifications/{id}/open` (which marks it read); mark one read (in place with htmx)
//! or all. The header of every page shows the unread count (`web::session::viewer`).

use super::date;
use crate::api::notifications::{page, NotificationView};
use crate::db::queries;
use crate::db::queries::notifications as nq;
use crate::error::AppError;
use crate::state::Ctx;
use crate::web::csrf;
use crate::web::form::csrf_refused;
use crate::web::i18n::Tr;
use crate::web::layout::{error_page, redirect, respond, Layout};
use crate::web::pages::account::CsrfForm;
use crate::web::session::viewer_tr;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use fluent_templates::fluent_bundle::FluentValue;
use serde::Deserialize;

/// Notifications on one page.
const PER_PAGE: i64 = 30;

/// A notification as the page shows it.
pub struct Item {
    pub id: String,
    pub text: String,
    pub href: String,
    pub unread: bool,
    pub published: String,
    pub date: String,
    /// A group's welcome message (sanitised HTML; empty for other kinds).
    pub message_html: String,
}

impl Item {
    fn new(n: &NotificationView, tr: &Tr) -> Item {
        let title = n
            .title
            .clone()
            .unwrap_or_else(|| tr.t("notification-untitled"));
        let who = n
            .actor
            .as_ref()
            .map(|a| a.handle.clone())
            .unwrap_or_else(|| tr.t("notification-someone"));
        let key = match (n.kind.as_str(), n.report_status.as_deref()) {
            ("report_resolved", Some("dismissed")) => "notification-report_dismissed".into(),
            (kind, _) => format!("notification-{kind}"),
        };
        let text = tr.args(
            &key,
            &[
                ("who", FluentValue::from(who)),
                ("title", FluentValue::from(title)),
                (
                    "badge",
                    // The badge's name as the profile shows it.
                    FluentValue::from(
                        n.badge
                            .as_ref()
                            .map(|b| tr.t(&format!("badge-{}", b.replace('_', "-"))))
                            .unwrap_or_default(),
                    ),
                ),
            ],
        );
        Item {
            href: format!("/notifications/{}/open", n.id),
            id: n.id.clone(),
            text,
            unread: !n.read,
            date: date(&n.created_at),
            published: n.created_at.clone(),
            message_html: n.message_html.clone().unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    l: Layout,
    items: Vec<Item>,
    older: Option<String>,
}

#[derive(Template)]
#[template(path = "_notification.html")]
struct ItemPart {
    l: Layout,
    n: Item,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    pub before: Option<String>,
}

fn parse(id: &str) -> Result<i64, AppError> {
    id.parse()
        .map_err(|_| AppError::NotFound("no such notification".into()))
}

pub async fn list(data: Ctx, headers: HeaderMap, Query(q): Query<ListQuery>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let Some((user, _)) = &v.user else {
        return redirect("/signin");
    };
    let before = match q.before.as_deref().map(parse).transpose() {
        Ok(b) => b,
        Err(e) => return error_page(&data, &v, &tr, &e),
    };
    match page(&data, user.id, before, PER_PAGE).await {
        Ok(list) => {
            let p = NotificationsPage {
                l: Layout::new(&data, &v, &tr, tr.t("notifications-title")),
                items: list.items.iter().map(|n| Item::new(n, &tr)).collect(),
                older: list.next.map(|n| format!("/notifications?before={n}")),
            };
            respond(&data, &v, StatusCode::OK, &p)
        }
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}

/// Opens a notification's subject (its thread, at the post; a badge: the profile; a
/// welcome: the group's page here, or the list, which shows the message) and marks it
/// read.
pub async fn open(data: Ctx, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let Some((user, _)) = &v.user else {
        return redirect("/signin");
    };
    let (uid, name) = (user.id, user.username.clone());
    let found = async {
        let id = parse(&id)?;
        data.db
            .run(move |c| {
                let Some(n) = nq::get(c, uid, id)? else {
                    return Err(AppError::NotFound("no such notification".into()));
                };
                nq::mark_read(c, uid, id)?;
                if n.kind == queries::conversations::NOTIFY_KIND {
                    if let Some(conv) = queries::conversations::of_notification(&n.subject) {
                        return Ok(format!("/messages/{conv}"));
                    }
                }
                if n.kind == crate::actions::satisfaction::NOTIFY_KIND {
                    return Ok(format!("/surveys/{}", n.subject));
                }
                if n.kind.starts_with("case_") {
                    if let Some(k) = queries::cases::of_notification(c, &n.subject)? {
                        return Ok(format!("/cases/{}", k.number));
                    }
                }
                let post = match n.post_id {
                    Some(p) => queries::posts::by_id(c, p)?,
                    None => None,
                };
                let group = match n.actor_id.filter(|_| n.kind == "welcome") {
                    Some(g) => queries::actors::by_id(c, g)?.filter(|g| g.local && g.is_group()),
                    None => None,
                };
                Ok(match post {
                    Some(p) => match p.question_id {
                        Some(q) if q != p.id => format!("/q/{q}#p{}", p.id),
                        _ => format!("/q/{}", p.id),
                    },
                    None if n.badge.is_some() => format!("/u/{name}"),
                    None => match group {
                        Some(g) => format!("/g/{}", g.name),
                        None => format!("/notifications#n{}", n.id),
                    },
                })
            })
            .await
    }
    .await;
    match found {
        Ok(to) => redirect(&to),
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}

/// Whether the request is htmx's (it swaps the answer in place).
fn htmx(headers: &HeaderMap) -> bool {
    headers.get("hx-request").is_some_and(|v| v == "true")
}

/// Marks one notification read: the item again (htmx) or back to the list.
pub async fn mark_read(
    data: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Response {
    let (mut v, tr) = viewer_tr(&data, &headers).await;
    if let Err(why) = csrf::check(&data.base, &headers, &v, &f.csrf) {
        return csrf_refused(&data, &v, &tr, why, "/notifications");
    }
    let Some((user, _)) = &v.user else {
        return redirect("/signin");
    };
    let uid = user.id;
    let result = async {
        let id = parse(&id)?;
        data.db
            .run(move |c| {
                if !nq::mark_read(c, uid, id)? {
                    return Err(AppError::NotFound("no such notification".into()));
                }
                nq::unread_count(c, uid)
            })
            .await
    }
    .await;
    let unread = match result {
        Ok(unread) => unread,
        Err(e) => return error_page(&data, &v, &tr, &e),
    };
    if !htmx(&headers) {
        return redirect("/notifications");
    }
    v.unread = unread;
    let item = match item(&data, uid, &id, &tr).await {
        Ok(i) => i,
        Err(e) => return error_page(&data, &v, &tr, &e),
    };
    let mut l = Layout::new(&data, &v, &tr, String::new());
    l.unread_oob = true;
    respond(&data, &v, StatusCode::OK, &ItemPart { l, n: item })
}

/// The page item of one notification.
async fn item(data: &Ctx, user: i64, id: &str, tr: &Tr) -> Result<Item, AppError> {
    // The page just before `id + 1` starts with `id`.
    let next = parse(id)?.saturating_add(1);
    let list = page(data, user, Some(next), 1).await?;
    list.items
        .iter()
        .find(|n| n.id == id)
        .map(|n| Item::new(n, tr))
        .ok_or_else(|| AppError::NotFound("no such notification".into()))
}

/// Marks all notifications read.
pub async fn mark_all_read(data: Ctx, headers: HeaderMap, Form(f): Form<CsrfForm>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    if let Err(why) = csrf::check(&data.base, &headers, &v, &f.csrf) {
        return csrf_refused(&data, &v, &tr, why, "/notifications");
    }
    let Some((user, _)) = &v.user else {
        return redirect("/signin");
    };
    let uid = user.id;
    match data.db.run(move |c| nq::mark_all_read(c, uid)).await {
        Ok(_) => redirect("/notifications"),
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}
