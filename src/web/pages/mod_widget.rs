//! The help widget on a group's moderator console (`/g/{name}/mod/widget`): the snippet
//! to copy (the `/embed.js` loader, or a plain `<iframe>` for sites without scripts) and
//! the sites that may embed it (`actions::widget::set_origins`, as the API). A refused
//! list comes back as typed with the message by the field.

use super::moderation::{console, Console};
use crate::actions;
use crate::state::Ctx;
use crate::web::form::FieldErrors;
use crate::web::layout::{error_page, redirect, respond, Layout};
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "mod_widget.html")]
struct WidgetSettings {
    l: Layout,
    base: String,
    settings_href: String,
    script: String,
    iframe: String,
    preview: String,
    origins: String,
    saved: bool,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SavedQuery {
    pub saved: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OriginsForm {
    pub csrf: String,
    /// One origin per line.
    pub origins: String,
}

fn render(data: &Ctx, cx: &Console, origins: String, saved: bool, errors: FieldErrors) -> Response {
    let name = &cx.group_actor.name;
    let base = &data.base;
    let tr = &cx.tr;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = WidgetSettings {
        l: Layout::new(data, &cx.v, tr, tr.s("widget-settings-title", &cx.group.title)),
        base: format!("/g/{name}/mod/widget"),
        settings_href: format!("/g/{name}/mod/settings"),
        script: format!(
            "<script src=\"{base}/embed.js\" data-group=\"{name}\" data-topic=\"\" async></script>"
        ),
        iframe: format!(
            "<iframe src=\"{base}/embed/g/{name}?topic=\" title=\"{}\" width=\"100%\" height=\"560\"></iframe>",
            tr.s("widget-title", &cx.group.title).replace('"', "&quot;")
        ),
        preview: format!("/embed/g/{name}"),
        origins,
        saved,
        errors,
    };
    respond(data, &cx.v, status, &page)
}

/// The page.
pub async fn page(
    data: Ctx,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Response {
    let back = format!("/g/{name}/mod/widget");
    let cx = match console(&data, &headers, &name, None, &back).await {
        Ok(cx) => cx,
        Err(resp) => return resp,
    };
    match actions::widget::origins(&data, &cx.group_actor).await {
        Ok(o) => render(
            &data,
            &cx,
            o.join("\n"),
            q.saved == "1",
            FieldErrors::default(),
        ),
        Err(e) => error_page(&data, &cx.v, &cx.tr, &e),
    }
}

/// Saves the sites that may embed the widget.
pub async fn save(
    data: Ctx,
    headers: HeaderMap,
    Path(name): Path<String>,
    Form(f): Form<OriginsForm>,
) -> Response {
    let back = format!("/g/{name}/mod/widget");
    let cx = match console(&data, &headers, &name, Some(&f.csrf), &back).await {
        Ok(cx) => cx,
        Err(resp) => return resp,
    };
    let list: Vec<String> = f.origins.lines().map(str::to_string).collect();
    match actions::widget::set_origins(&data, &cx.me, &cx.group_actor, list).await {
        Ok(_) => redirect(&format!("{back}?saved=1")),
        Err(e) if e.status().is_client_error() => {
            let mut errors = FieldErrors::default();
            errors.add("origins", cx.tr.t("widget-settings-invalid"));
            render(&data, &cx, f.origins, false, errors)
        }
        Err(e) => error_page(&data, &cx.v, &cx.tr, &e),
    }
}
