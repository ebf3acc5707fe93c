//! Deleting a group (`/admin/instance/groups/{name}/delete`, admins): a confirmation page
//! that needs a reason and the group's name typed again, then the same action as
//! `DELETE /api/v1/admin/groups/{name}` (`actions::instance::delete_group`).

use super::person::reason_error;
use super::{admin, admin_form};
use crate::actions::instance as act;
use crate::db::queries;
use crate::state::Ctx;
use crate::web::form::FieldErrors;
use crate::web::i18n::Tr;
use crate::web::layout::{error_page, redirect, respond, Layout};
use crate::web::pages::query_string;
use crate::web::session::{viewer_tr, Viewer};
use askama::Template;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin_group_delete.html")]
struct DeletePage {
    l: Layout,
    name: String,
    handle: String,
    questions: i64,
    reason: String,
    confirm: String,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DeleteForm {
    pub csrf: String,
    pub reason: String,
    /// The group's name, typed again.
    pub confirm: String,
}

/// The group `name` (local, not deleted) with its number of questions, or the 404 page.
async fn group(
    data: &Ctx,
    v: &Viewer,
    tr: &Tr,
    name: &str,
) -> Result<(crate::db::models::Actor, i64), Response> {
    let group = match crate::domain::groups::local_group(data, name).await {
        Ok((_, group)) => group,
        Err(e) => return Err(error_page(data, v, tr, &e)),
    };
    let id = group.id;
    let counts = data
        .db
        .run(move |c| queries::posts::question_counts(c, &[id]))
        .await;
    match counts {
        Ok(counts) => Ok((group, counts.first().map(|(_, n, _)| *n).unwrap_or(0))),
        Err(e) => Err(error_page(data, v, tr, &e)),
    }
}

#[allow(clippy::too_many_arguments)]
fn render(
    data: &Ctx,
    v: &Viewer,
    tr: &Tr,
    group: &crate::db::models::Actor,
    questions: i64,
    (reason, confirm): (String, String),
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let page = DeletePage {
        l: Layout::new(data, v, tr, tr.s("admin-group-delete-title", &group.name)),
        name: group.name.clone(),
        handle: group.handle(),
        questions,
        reason,
        confirm,
        errors,
    };
    respond(data, v, status, &page)
}

/// The confirmation page.
pub async fn form(data: Ctx, headers: HeaderMap, Path(name): Path<String>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    if let Err(refused) = admin(&data, &v, &tr) {
        return refused;
    }
    match group(&data, &v, &tr, &name).await {
        Ok((g, questions)) => render(
            &data,
            &v,
            &tr,
            &g,
            questions,
            Default::default(),
            FieldErrors::default(),
            StatusCode::OK,
        ),
        Err(page) => page,
    }
}

/// Deletes the group once its name was typed again.
pub async fn delete(
    data: Ctx,
    headers: HeaderMap,
    Path(name): Path<String>,
    Form(f): Form<DeleteForm>,
) -> Response {
    let back = format!("/admin/instance/groups/{name}/delete");
    let form = match admin_form(&data, &headers, &f.csrf, &back).await {
        Ok(form) => form,
        Err(refused) => return refused,
    };
    let (v, tr, (user, actor)) = (&form.v, &form.tr, form.admin());
    let (g, questions) = match group(&data, v, tr, &name).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let mut errors = FieldErrors::default();
    if let Some(message) = reason_error(tr, &f.reason, true) {
        errors.add("reason", message);
    }
    if !f.confirm.trim().eq_ignore_ascii_case(&g.name) {
        errors.add("confirm", tr.s("admin-group-delete-error-confirm", &g.name));
    }
    if !errors.is_empty() {
        let typed = (f.reason, f.confirm);
        return render(
            &data,
            v,
            tr,
            &g,
            questions,
            typed,
            errors,
            StatusCode::BAD_REQUEST,
        );
    }
    match act::delete_group(&data, user, actor, &g, &f.reason).await {
        Ok(_) => {
            let qs = query_string(&[("done", "deleted"), ("group", &g.name)]);
            redirect(&format!("/admin/instance?{qs}#groups"))
        }
        Err(e) => error_page(&data, v, tr, &e),
    }
}
