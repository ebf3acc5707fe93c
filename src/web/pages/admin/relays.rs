//! Relays (`/admin/relays`, admins): the ActivityPub relays the instance subscribes to
//! for listening, with their style and state; subscribing to one (its inbox for a
//! Mastodon-style relay, its actor for a LitePub one) and unsubscribing. The rules are
//! `actions::listening`' (the API's, `/api/v1/admin/relays`).

use super::{admin, admin_form};
use crate::actions::listening as act;
use crate::error::AppError;
use crate::state::Ctx;
use crate::web::i18n::Tr;
use crate::web::layout::{error_page, redirect, respond, Layout};
use crate::web::pages::date_ms;
use crate::web::session::{viewer_tr, Viewer};
use askama::Template;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

/// A relay as the page shows it.
pub struct RelayRow {
    pub id: String,
    pub url: String,
    pub style: String,
    pub state: String,
    pub state_label: String,
    pub since: String,
}

#[derive(Template)]
#[template(path = "admin_relays.html")]
struct RelaysPage {
    l: Layout,
    rows: Vec<RelayRow>,
    error: Option<String>,
    url: String,
}

async fn render(
    data: &Ctx,
    v: &Viewer,
    tr: &Tr,
    status: StatusCode,
    error: Option<String>,
    url: String,
) -> Response {
    let (user, _) = match admin(data, v, tr) {
        Ok(a) => a,
        Err(resp) => return resp,
    };
    let relays = match act::relays(data, user).await {
        Ok(r) => r,
        Err(e) => return error_page(data, v, tr, &e),
    };
    let rows = relays
        .into_iter()
        .map(|r| RelayRow {
            id: r.id.to_string(),
            url: r.url,
            style: r.style,
            state_label: tr.t(&format!("relays-state-{}", r.state)),
            state: r.state,
            since: date_ms(r.updated_at),
        })
        .collect();
    let p = RelaysPage {
        l: Layout::new(data, v, tr, tr.t("relays-title")),
        rows,
        error,
        url,
    };
    respond(data, v, status, &p)
}

/// `GET /admin/relays`.
pub async fn list(data: Ctx, headers: HeaderMap) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    render(&data, &v, &tr, StatusCode::OK, None, String::new()).await
}

#[derive(Deserialize)]
pub struct RelayForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    url: String,
}

/// `POST /admin/relays`: subscribes; a refusal shows on the page with the URL kept.
pub async fn add(data: Ctx, headers: HeaderMap, Form(f): Form<RelayForm>) -> Response {
    let form = match admin_form(&data, &headers, &f.csrf, "/admin/relays").await {
        Ok(form) => form,
        Err(resp) => return resp,
    };
    let (user, _) = form.admin();
    let added = match crate::federation::follow::relay_target(&data, &f.url).await {
        Ok(target) => act::add_relay(&data, user, &f.url, target)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    match added {
        Ok(()) => redirect("/admin/relays"),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let (v, tr) = (&form.v, &form.tr);
            render(&data, v, tr, e.status(), Some(e.to_string()), f.url).await
        }
        Err(e) => error_page(&data, &form.v, &form.tr, &e),
    }
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

/// `POST /admin/relays/{id}/remove`: unsubscribes.
pub async fn remove(
    data: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<CsrfOnly>,
) -> Response {
    let form = match admin_form(&data, &headers, &f.csrf, "/admin/relays").await {
        Ok(form) => form,
        Err(resp) => return resp,
    };
    let (user, _) = form.admin();
    match act::remove_relay(&data, user, id).await {
        Ok(()) => redirect("/admin/relays"),
        Err(e) => error_page(&data, &form.v, &form.tr, &e),
    }
}
