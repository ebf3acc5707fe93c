//! Remote users seen here (`/admin/people/remote`, admins): found by part of their handle,
//! 50 a page, with their instance, when they were first seen and their posts stored here;
//! each can be purged (every post of theirs stored here removed) after a confirmation
//! page, through the same action as `POST /api/v1/admin/purge`.

use super::admin;
use super::federation::page_number;
use super::people::{list_href, PER_PAGE};
use super::person::reason_error;
use crate::actions::people;
use crate::db::models::Actor;
use crate::db::queries::people as pq;
use crate::error::AppError;
use crate::state::Ctx;
use crate::web::csrf;
use crate::web::form::{csrf_refused, FieldErrors};
use crate::web::i18n::Tr;
use crate::web::layout::{error_page, redirect, respond, Layout};
use crate::web::pages::{date_ms, query_string};
use crate::web::session::{viewer_tr, Viewer};
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

/// One remote user as the table shows them.
pub struct Row {
    pub id: i64,
    pub handle: String,
    /// Their profile on their own server (http(s) only), or empty.
    pub href: String,
    pub domain: String,
    pub first_seen: String,
    pub posts: i64,
    pub deleted: bool,
}

/// Where a remote actor's profile is: its `url`, else its id, when http(s).
fn profile_href(a: &Actor) -> String {
    [a.url.as_deref(), Some(a.ap_id.as_str())]
        .into_iter()
        .flatten()
        .find(|u| u.starts_with("https://") || u.starts_with("http://"))
        .unwrap_or_default()
        .to_string()
}

#[derive(Template)]
#[template(path = "admin_remote.html")]
struct ListPage {
    l: Layout,
    q: String,
    page: i64,
    rows: Vec<Row>,
    matching: i64,
    notice: Option<String>,
    prev: Option<String>,
    next: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub page: String,
    /// `purge` after a purge, with the handle in `handle` and the posts removed in `n`.
    pub done: String,
    pub handle: String,
    pub n: String,
}

/// The remote users seen here.
pub async fn list(data: Ctx, headers: HeaderMap, Query(lq): Query<ListQuery>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    if let Err(refused) = admin(&data, &v, &tr) {
        return refused;
    }
    let page = page_number(&lq.page);
    let search = lq.q.clone();
    let found = data
        .db
        .run(move |c| pq::remote_page(c, &search, (page - 1) * PER_PAGE, PER_PAGE))
        .await;
    let found = match found {
        Ok(f) => f,
        Err(e) => return error_page(&data, &v, &tr, &e),
    };
    let rows = found
        .rows
        .iter()
        .map(|p| Row {
            id: p.actor.id,
            handle: p.actor.handle(),
            href: profile_href(&p.actor),
            domain: p.actor.domain.clone(),
            first_seen: date_ms(p.actor.created_at),
            posts: p.posts,
            deleted: p.actor.deleted,
        })
        .collect();
    let notice = (lq.done == "purge").then(|| {
        let n = lq.n.parse::<i64>().unwrap_or(0);
        tr.args(
            "admin-remote-done-purge",
            &[("n", n.into()), ("value", lq.handle.clone().into())],
        )
    });
    let (path, max) = ("/admin/people/remote", crate::domain::input::MAX_PAGE);
    let view = ListPage {
        l: Layout::new(&data, &v, &tr, tr.t("admin-remote-title")),
        q: lq.q.clone(),
        page,
        rows,
        matching: found.matching,
        notice,
        prev: (page > 1).then(|| list_href(path, &lq.q, page - 1)),
        next: (found.more && page < max).then(|| list_href(path, &lq.q, page + 1)),
    };
    respond(&data, &v, StatusCode::OK, &view)
}

#[derive(Template)]
#[template(path = "admin_remote_purge.html")]
struct PurgePage {
    l: Layout,
    id: i64,
    handle: String,
    posts: i64,
    reason: String,
    errors: FieldErrors,
}

/// The remote user `id` (404 for anything else).
async fn remote_user(data: &Ctx, id: &str) -> Result<(Actor, i64), AppError> {
    let id = id
        .parse::<i64>()
        .map_err(|_| AppError::NotFound("no such remote user".into()))?;
    data.db
        .run(move |c| {
            let actor = pq::remote_user(c, id)?
                .ok_or_else(|| AppError::NotFound("no such remote user".into()))?;
            let posts = pq::visible_posts(c, actor.id)?;
            Ok((actor, posts))
        })
        .await
}

async fn render_purge(
    data: &Ctx,
    v: &Viewer,
    tr: &Tr,
    id: &str,
    reason: String,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let (actor, posts) = match remote_user(data, id).await {
        Ok(found) => found,
        Err(e) => return error_page(data, v, tr, &e),
    };
    let page = PurgePage {
        l: Layout::new(data, v, tr, tr.s("admin-purge-title", &actor.handle())),
        id: actor.id,
        handle: actor.handle(),
        posts,
        reason,
        errors,
    };
    respond(data, v, status, &page)
}

/// The confirmation page of a purge.
pub async fn purge_form(data: Ctx, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    if let Err(refused) = admin(&data, &v, &tr) {
        return refused;
    }
    let errors = FieldErrors::default();
    render_purge(&data, &v, &tr, &id, String::new(), errors, StatusCode::OK).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PurgeForm {
    pub csrf: String,
    pub reason: String,
    /// The confirmation box.
    pub confirm: String,
}

/// Removes every post of the remote user stored here, once confirmed.
pub async fn purge(
    data: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<PurgeForm>,
) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let back = format!(
        "/admin/people/remote/{}/purge",
        id.parse::<i64>().unwrap_or(0)
    );
    if let Err(why) = csrf::check(&data.base, &headers, &v, &f.csrf) {
        return csrf_refused(&data, &v, &tr, why, &back);
    }
    let (user, actor) = match admin(&data, &v, &tr) {
        Ok(a) => a,
        Err(refused) => return refused,
    };
    let mut errors = FieldErrors::default();
    if let Some(message) = reason_error(&tr, &f.reason, false) {
        errors.add("reason", message);
    }
    if f.confirm.is_empty() {
        errors.add("confirm", tr.t("admin-purge-error-confirm"));
    }
    if !errors.is_empty() {
        let status = StatusCode::BAD_REQUEST;
        return render_purge(&data, &v, &tr, &id, f.reason, errors, status).await;
    }
    let target = match remote_user(&data, &id).await {
        Ok((target, _)) => target,
        Err(e) => return error_page(&data, &v, &tr, &e),
    };
    match people::purge(&data, user, actor, &target, &f.reason).await {
        Ok(n) => {
            let n = n.to_string();
            let handle = target.handle();
            let qs = query_string(&[("done", "purge"), ("handle", &handle), ("n", &n)]);
            redirect(&format!("/admin/people/remote?{qs}"))
        }
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}
