//! One local user in the admin console (`/admin/people/u/{name}`, admins): their state,
//! and the forms that set their roles, suspend them (or lift it) with a reason, make
//! them staff of an organisation (or not), and delete the account with its content after
//! a confirmation page. The forms call the API's actions (`actions::people`,
//! `actions::staff`).

use super::{admin, admin_form};
use crate::actions::{people, staff};
use crate::db::models::{Actor, Organisation, User};
use crate::db::queries;
use crate::db::queries::people as pq;
use crate::domain::accounts::Roles;
use crate::error::AppError;
use crate::state::Ctx;
use crate::web::form::FieldErrors;
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

/// What the page's forms show: the stored values, or what was typed when a form comes
/// back with a message.
#[derive(Default)]
struct Typed {
    /// The roles' boxes, when the roles form comes back.
    roles: Option<Roles>,
    reason: String,
    organisation: Option<String>,
}

#[derive(Template)]
#[template(path = "admin_person.html")]
struct PersonPage {
    l: Layout,
    name: String,
    handle: String,
    display_name: String,
    joined: String,
    posts: i64,
    /// `active`, `suspended` or `deleted`, and its label.
    state: &'static str,
    state_label: String,
    suspended_since: String,
    suspension_reason: String,
    /// The viewer's own account: it cannot be suspended or deleted from here.
    is_self: bool,
    role_admin: bool,
    role_staff: bool,
    role_groups: bool,
    reason: String,
    organisation: String,
    orgs: Vec<(String, String)>,
    notice: Option<String>,
    errors: FieldErrors,
}

/// The user `name` with their organisation list and post count.
async fn load(data: &Ctx, name: &str) -> Result<(User, Actor, i64, Vec<Organisation>), AppError> {
    let name = name.to_string();
    data.db
        .run(move |c| {
            let (user, actor) = queries::users::by_username(c, &name)?
                .ok_or_else(|| AppError::NotFound("no such user".into()))?;
            let posts = pq::visible_posts(c, actor.id)?;
            Ok((user, actor, posts, queries::staff::orgs(c)?))
        })
        .await
}

#[allow(clippy::too_many_arguments)]
async fn render(
    data: &Ctx,
    v: &Viewer,
    tr: &Tr,
    name: &str,
    notice: Option<String>,
    typed: Typed,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let (user, actor, posts, orgs) = match load(data, name).await {
        Ok(found) => found,
        Err(e) => return error_page(data, v, tr, &e),
    };
    let state = if actor.deleted {
        "deleted"
    } else if user.suspended() {
        "suspended"
    } else {
        "active"
    };
    let roles = typed.roles.unwrap_or(Roles {
        admin: user.is_admin,
        staff: user.is_staff,
        can_create_groups: user.can_create_groups,
    });
    let is_self = v.user.as_ref().is_some_and(|(u, _)| u.id == user.id);
    let page = PersonPage {
        l: Layout::new(data, v, tr, tr.s("admin-person-title", &user.username)),
        handle: actor.handle(),
        display_name: actor.display_name.clone().unwrap_or_default(),
        joined: date_ms(user.created_at),
        posts,
        state,
        state_label: tr.t(&format!("admin-people-state-{state}")),
        suspended_since: user.suspended_at.map(date_ms).unwrap_or_default(),
        suspension_reason: user.suspension_reason.clone().unwrap_or_default(),
        is_self,
        role_admin: roles.admin,
        role_staff: roles.staff,
        role_groups: roles.can_create_groups,
        reason: typed.reason,
        organisation: typed.organisation.unwrap_or_else(|| {
            user.organisation_id
                .map(|o| o.to_string())
                .unwrap_or_default()
        }),
        orgs: orgs
            .iter()
            .map(|o| (o.id.to_string(), format!("{} ({})", o.name, o.domain)))
            .collect(),
        notice,
        errors,
        name: user.username,
    };
    respond(data, v, status, &page)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    /// `roles`, `suspend`, `unsuspend` or `organisation` after a form.
    pub done: String,
}

/// A user's page.
pub async fn show(
    data: Ctx,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    if let Err(refused) = admin(&data, &v, &tr) {
        return refused;
    }
    let notice = match q.done.as_str() {
        d @ ("roles" | "suspend" | "unsuspend" | "organisation") => {
            Some(tr.s(&format!("admin-person-done-{d}"), &name))
        }
        _ => None,
    };
    let (typed, errors) = (Typed::default(), FieldErrors::default());
    render(&data, &v, &tr, &name, notice, typed, errors, StatusCode::OK).await
}

fn done(name: &str, what: &str) -> Response {
    let qs = query_string(&[("done", what)]);
    redirect(&format!("/admin/people/u/{name}?{qs}"))
}

/// The form's page again, with the message of `field`.
#[allow(clippy::too_many_arguments)]
async fn refused(
    data: &Ctx,
    v: &Viewer,
    tr: &Tr,
    name: &str,
    typed: Typed,
    field: &'static str,
    message: String,
) -> Response {
    let mut errors = FieldErrors::default();
    errors.add(field, message);
    let status = StatusCode::BAD_REQUEST;
    render(data, v, tr, name, None, typed, errors, status).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RolesForm {
    pub csrf: String,
    pub admin: String,
    pub staff: String,
    pub groups: String,
}

/// Sets the user's roles.
pub async fn set_roles(
    data: Ctx,
    headers: HeaderMap,
    Path(name): Path<String>,
    Form(f): Form<RolesForm>,
) -> Response {
    let back = format!("/admin/people/u/{name}");
    let form = match admin_form(&data, &headers, &f.csrf, &back).await {
        Ok(form) => form,
        Err(refused) => return refused,
    };
    let (v, tr, (user, _)) = (&form.v, &form.tr, form.admin());
    let roles = Roles {
        admin: !f.admin.is_empty(),
        staff: !f.staff.is_empty(),
        can_create_groups: !f.groups.is_empty(),
    };
    match people::set_roles(&data, user, &name, roles).await {
        Ok(_) => done(&name, "roles"),
        Err(AppError::Invalid(why)) => {
            tracing::debug!("roles refused: {why}");
            let typed = Typed {
                roles: Some(roles),
                ..Typed::default()
            };
            let message = tr.t("admin-person-error-self-admin");
            refused(&data, v, tr, &name, typed, "roles", message).await
        }
        Err(e) => error_page(&data, v, tr, &e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SuspensionForm {
    pub csrf: String,
    /// `suspend` or `unsuspend`.
    pub op: String,
    pub reason: String,
}

/// Suspends the user with a reason, or lifts the suspension.
pub async fn set_suspension(
    data: Ctx,
    headers: HeaderMap,
    Path(name): Path<String>,
    Form(f): Form<SuspensionForm>,
) -> Response {
    let back = format!("/admin/people/u/{name}");
    let form = match admin_form(&data, &headers, &f.csrf, &back).await {
        Ok(form) => form,
        Err(refused) => return refused,
    };
    let (v, tr, (user, actor)) = (&form.v, &form.tr, form.admin());
    let suspend = match f.op.as_str() {
        "suspend" => true,
        "unsuspend" => false,
        _ => return error_page(&data, v, tr, &AppError::Invalid("unknown operation".into())),
    };
    let typed = Typed {
        reason: f.reason.clone(),
        ..Typed::default()
    };
    if let Some(message) = reason_error(tr, &f.reason, suspend) {
        return refused(&data, v, tr, &name, typed, "reason", message).await;
    }
    match people::set_suspension(&data, user, actor, &name, suspend, &f.reason).await {
        Ok(_) => done(&name, &f.op),
        Err(AppError::Invalid(why)) => {
            tracing::debug!("suspension refused: {why}");
            let message = tr.t("admin-person-error-self-suspend");
            refused(&data, v, tr, &name, typed, "reason", message).await
        }
        Err(e) => error_page(&data, v, tr, &e),
    }
}

/// The message for a reason the action would refuse (`None`: it is fine).
pub fn reason_error(tr: &Tr, reason: &str, required: bool) -> Option<String> {
    people::check_reason(reason, required).err().map(|_| {
        if reason.trim().is_empty() {
            tr.t("admin-person-error-reason")
        } else {
            tr.n("admin-person-error-reason-long", people::MAX_REASON as i64)
        }
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OrganisationForm {
    pub csrf: String,
    /// An organisation's id, or empty for none.
    pub organisation: String,
}

/// Makes the user staff of an organisation, or of none.
pub async fn set_organisation(
    data: Ctx,
    headers: HeaderMap,
    Path(name): Path<String>,
    Form(f): Form<OrganisationForm>,
) -> Response {
    let back = format!("/admin/people/u/{name}");
    let form = match admin_form(&data, &headers, &f.csrf, &back).await {
        Ok(form) => form,
        Err(refused) => return refused,
    };
    let (v, tr, (user, _)) = (&form.v, &form.tr, form.admin());
    let typed = Typed {
        organisation: Some(f.organisation.clone()),
        ..Typed::default()
    };
    let org = match super::orgs::organisation_choice(&data, &f.organisation).await {
        Ok(org) => org,
        Err(AppError::Invalid(_)) => {
            let message = tr.t("admin-staff-error-org");
            return refused(&data, v, tr, &name, typed, "organisation", message).await;
        }
        Err(e) => return error_page(&data, v, tr, &e),
    };
    match staff::set_staff(&data, user, &name, org).await {
        Ok(()) => done(&name, "organisation"),
        Err(e) => error_page(&data, v, tr, &e),
    }
}

#[derive(Template)]
#[template(path = "admin_person_delete.html")]
struct DeletePage {
    l: Layout,
    name: String,
    handle: String,
    posts: i64,
    reason: String,
    confirm: String,
    errors: FieldErrors,
}

async fn render_delete(
    data: &Ctx,
    v: &Viewer,
    tr: &Tr,
    name: &str,
    typed: (String, String),
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let (user, actor, posts, _) = match load(data, name).await {
        Ok(found) => found,
        Err(e) => return error_page(data, v, tr, &e),
    };
    if actor.deleted {
        let gone = AppError::Gone("this account was deleted".into());
        return error_page(data, v, tr, &gone);
    }
    let page = DeletePage {
        l: Layout::new(data, v, tr, tr.s("admin-delete-title", &user.username)),
        handle: actor.handle(),
        posts,
        reason: typed.0,
        confirm: typed.1,
        errors,
        name: user.username,
    };
    respond(data, v, status, &page)
}

/// The confirmation page of an account's deletion.
pub async fn delete_form(data: Ctx, headers: HeaderMap, Path(name): Path<String>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    if let Err(refused) = admin(&data, &v, &tr) {
        return refused;
    }
    let typed = (String::new(), String::new());
    render_delete(
        &data,
        &v,
        &tr,
        &name,
        typed,
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DeleteForm {
    pub csrf: String,
    pub reason: String,
    /// The account's name, typed again.
    pub confirm: String,
}

/// Deletes the account with its content, once its name was typed again.
pub async fn delete(
    data: Ctx,
    headers: HeaderMap,
    Path(name): Path<String>,
    Form(f): Form<DeleteForm>,
) -> Response {
    let back = format!("/admin/people/u/{name}/delete");
    let form = match admin_form(&data, &headers, &f.csrf, &back).await {
        Ok(form) => form,
        Err(refused) => return refused,
    };
    let (v, tr, (user, actor)) = (&form.v, &form.tr, form.admin());
    let mut errors = FieldErrors::default();
    if let Some(message) = reason_error(tr, &f.reason, true) {
        errors.add("reason", message);
    }
    if !f.confirm.trim().eq_ignore_ascii_case(&name) {
        errors.add("confirm", tr.s("admin-delete-error-confirm", &name));
    }
    let typed = (f.reason.clone(), f.confirm.clone());
    if !errors.is_empty() {
        let status = StatusCode::BAD_REQUEST;
        return render_delete(&data, v, tr, &name, typed, errors, status).await;
    }
    match people::delete_account(&data, user, actor, &name, &f.reason).await {
        Ok(_) => {
            let qs = query_string(&[("done", "deleted"), ("name", &name)]);
            redirect(&format!("/admin/people?{qs}"))
        }
        Err(AppError::Invalid(why)) => {
            tracing::debug!("deletion refused: {why}");
            errors.add("confirm", tr.t("admin-delete-error-self"));
            let status = StatusCode::BAD_REQUEST;
            render_delete(&data, v, tr, &name, typed, errors, status).await
        }
        Err(e) => error_page(&data, v, tr, &e),
    }
}
