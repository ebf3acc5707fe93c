//! Community roles on a group's moderator console (`/g/{name}/mod/roles`): the roles
//! with their privileges and holders, forms to define, delete, give and take them
//! (`actions::roles`, as the API), and the group's top contributors by reputation as
//! suggestions. A refused form comes back as typed with the message by its field. Only
//! the group's moderators see the page or send its forms.

use super::moderation::{console, Console};
use crate::actions;
use crate::actions::roles::RoleInput;
use crate::domain::roles::{from_stored, Privilege};
use crate::error::AppError;
use crate::federation::follow;
use crate::state::Ctx;
use crate::web::form::FieldErrors;
use crate::web::layout::{error_page, redirect, respond, Layout};
use askama::Template;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;

/// A role as the page lists it.
pub struct RoleRow {
    pub id: String,
    pub name: String,
    /// The privileges' labels.
    pub privileges: Vec<String>,
    /// (handle, the label of its "take away" button).
    pub holders: Vec<(String, String)>,
}

/// A privilege to tick in the new role's form.
pub struct PrivilegeChoice {
    pub value: &'static str,
    pub label: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "mod_roles.html")]
struct RolesPage {
    l: Layout,
    base: String,
    settings_href: String,
    roles: Vec<RoleRow>,
    /// Top contributors: (handle, their score as the page says it).
    suggestions: Vec<(String, String)>,
    choices: Vec<PrivilegeChoice>,
    /// What the forms had typed.
    new_name: String,
    handle: String,
    role: String,
    errors: FieldErrors,
}

/// The page's forms, by `op`: `create`, `delete`, `assign`, `unassign`.
fn field(fields: &[(String, String)], key: &str) -> String {
    fields
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

async fn render(
    data: &Ctx,
    cx: &Console,
    fields: &[(String, String)],
    errors: FieldErrors,
) -> Response {
    let tr = &cx.tr;
    let (roles, suggestions) = match tokio::try_join!(
        actions::roles::of_group(data, &cx.group_actor),
        actions::roles::suggestions(data, &cx.group_actor, 10)
    ) {
        Ok(r) => r,
        Err(e) => return error_page(data, &cx.v, tr, &e),
    };
    let label = |p: Privilege| tr.t(&format!("roles-privilege-{}", p.as_str().replace('_', "-")));
    let ticked: Vec<String> = fields
        .iter()
        .filter(|(k, _)| k == "privileges")
        .map(|(_, v)| v.clone())
        .collect();
    let name = &cx.group_actor.name;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = RolesPage {
        l: Layout::new(data, &cx.v, tr, tr.s("roles-title", &cx.group.title)),
        base: format!("/g/{name}/mod/roles"),
        settings_href: format!("/g/{name}/mod/settings"),
        roles: roles
            .into_iter()
            .map(|r| RoleRow {
                id: r.role.id.to_string(),
                privileges: from_stored(&r.role.privileges)
                    .into_iter()
                    .map(label)
                    .collect(),
                holders: r
                    .holders
                    .iter()
                    .map(|a| {
                        let label = tr.args(
                            "roles-unassign-label",
                            &[
                                ("title", r.role.name.clone().into()),
                                ("who", a.handle().into()),
                            ],
                        );
                        (a.handle(), label)
                    })
                    .collect(),
                name: r.role.name,
            })
            .collect(),
        suggestions: suggestions
            .into_iter()
            .map(|(a, s)| (a.handle(), tr.n("roles-score", s)))
            .collect(),
        choices: Privilege::ALL
            .into_iter()
            .map(|p| PrivilegeChoice {
                value: p.as_str(),
                label: label(p),
                checked: ticked.iter().any(|t| t == p.as_str()),
            })
            .collect(),
        new_name: field(fields, "name"),
        handle: field(fields, "handle"),
        role: field(fields, "role"),
        errors,
    };
    respond(data, &cx.v, status, &page)
}

/// The roles page.
pub async fn page(data: Ctx, headers: HeaderMap, Path(name): Path<String>) -> Response {
    let back = format!("/g/{name}/mod/roles");
    match console(&data, &headers, &name, None, &back).await {
        Ok(cx) => render(&data, &cx, &[], FieldErrors::default()).await,
        Err(resp) => resp,
    }
}

/// One of the page's forms.
pub async fn save(
    data: Ctx,
    headers: HeaderMap,
    Path(name): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let back = format!("/g/{name}/mod/roles");
    let cx = match console(&data, &headers, &name, Some(&field(&fields, "csrf")), &back).await {
        Ok(cx) => cx,
        Err(resp) => return resp,
    };
    let (me, group) = (&cx.me, &cx.group_actor);
    let role_id = || {
        field(&fields, "role")
            .parse::<i64>()
            .map_err(|_| AppError::Invalid("choose a role".into()))
    };
    let (result, at) = match field(&fields, "op").as_str() {
        "create" => {
            let input = RoleInput {
                name: field(&fields, "name"),
                privileges: fields
                    .iter()
                    .filter(|(k, _)| k == "privileges")
                    .map(|(_, v)| v.clone())
                    .collect(),
            };
            let r = actions::roles::create(&data, me, group, input).await;
            (r.map(|_| ()), "name")
        }
        "delete" => {
            let r = match role_id() {
                Ok(id) => actions::roles::delete(&data, me, group, id).await,
                Err(e) => Err(e),
            };
            (r, "")
        }
        op @ ("assign" | "unassign") => {
            let r = async {
                let id = role_id()?;
                let person = follow::resolve_name(&data, field(&fields, "handle").trim()).await?;
                actions::roles::assign(&data, me, group, id, &person, op == "assign").await
            }
            .await;
            (r.map(|_| ()), "handle")
        }
        _ => (Err(AppError::Invalid("unknown form".into())), ""),
    };
    match result {
        Ok(()) => redirect(&back),
        Err(e) if e.status().is_client_error() => {
            let key = match e.status() {
                StatusCode::CONFLICT => "roles-error-taken",
                StatusCode::NOT_FOUND => "roles-error-unknown",
                StatusCode::FORBIDDEN => "error-forbidden-message",
                _ if at == "name" => "roles-error-name",
                _ => "roles-error-handle",
            };
            let mut errors = FieldErrors::default();
            errors.add(at, cx.tr.t(key));
            render(&data, &cx, &fields, errors).await
        }
        Err(e) => error_page(&data, &cx.v, &cx.tr, &e),
    }
}
