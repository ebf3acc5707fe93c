//! People (`/admin/people`, admins): the local users, found by part of their name or
//! display name, 50 a page, with their roles, organisation, state and posts; each links
//! to its own page ([`super::person`]). The other tabs are the remote users seen here
//! ([`super::remote`]) and the organisations and staff ([`super::orgs`]). Every form
//! calls the same action as the API (`actions::people`, `actions::staff`).

use super::admin;
use super::federation::page_number;
use crate::db::queries::people::{self as pq, LocalPerson, PeoplePage};
use crate::db::queries::staff;
use crate::error::AppError;
use crate::state::Ctx;
use crate::web::i18n::Tr;
use crate::web::layout::{error_page, respond, Layout};
use crate::web::pages::{date_ms, query_string};
use crate::web::session::viewer_tr;
use askama::Template;
use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

/// People on one page of a list.
pub const PER_PAGE: i64 = 50;

/// The People pages' routes (merged into the web app's router).
pub fn router() -> axum::Router<()> {
    use super::{orgs, person, remote};
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/admin/people", get(list))
        .route("/admin/people/u/{name}", get(person::show))
        .route("/admin/people/u/{name}/roles", post(person::set_roles))
        .route(
            "/admin/people/u/{name}/suspension",
            post(person::set_suspension),
        )
        .route(
            "/admin/people/u/{name}/organisation",
            post(person::set_organisation),
        )
        .route(
            "/admin/people/u/{name}/delete",
            get(person::delete_form).post(person::delete),
        )
        .route("/admin/people/remote", get(remote::list))
        .route(
            "/admin/people/remote/{id}/purge",
            get(remote::purge_form).post(remote::purge),
        )
        .route("/admin/people/staff", get(orgs::page))
        .route("/admin/people/staff/organisations", post(orgs::declare))
        .route("/admin/people/staff/assign", post(orgs::assign))
}

/// A link to a list page: `path` with the search and page number.
pub fn list_href(path: &str, q: &str, page: i64) -> String {
    let page = page.to_string();
    let qs = query_string(&[("q", q), ("page", if page == "1" { "" } else { &page })]);
    if qs.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{qs}")
    }
}

/// A user's roles as the list shows them (translated labels).
pub fn role_labels(tr: &Tr, user: &crate::db::models::User) -> Vec<String> {
    let mut roles = Vec::new();
    if user.is_admin {
        roles.push(tr.t("admin-people-role-admin"));
    }
    if user.is_staff {
        roles.push(tr.t("admin-people-role-staff"));
    }
    if user.can_create_groups {
        roles.push(tr.t("admin-people-role-groups"));
    }
    roles
}

/// The state of an account: `active`, `suspended` or `deleted`.
pub fn state_of(p: &LocalPerson) -> &'static str {
    if p.actor.deleted {
        "deleted"
    } else if p.user.suspended() {
        "suspended"
    } else {
        "active"
    }
}

/// One local user as the table shows them.
pub struct Row {
    pub name: String,
    pub display_name: String,
    pub roles: Vec<String>,
    pub organisation: String,
    /// `active`, `suspended` or `deleted`, and its label.
    pub state: &'static str,
    pub state_label: String,
    pub joined: String,
    pub posts: i64,
}

#[derive(Template)]
#[template(path = "admin_people.html")]
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
    /// `deleted` after an account was deleted, with its name in `name`.
    pub done: String,
    pub name: String,
}

/// The local users.
pub async fn list(data: Ctx, headers: HeaderMap, Query(lq): Query<ListQuery>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    if let Err(refused) = admin(&data, &v, &tr) {
        return refused;
    }
    let page = page_number(&lq.page);
    let search = lq.q.clone();
    let found: Result<_, AppError> = data
        .db
        .run(move |c| {
            let found: PeoplePage<LocalPerson> =
                pq::local_page(c, &search, (page - 1) * PER_PAGE, PER_PAGE)?;
            Ok((found, staff::orgs(c)?))
        })
        .await;
    let (found, orgs) = match found {
        Ok(f) => f,
        Err(e) => return error_page(&data, &v, &tr, &e),
    };
    let rows = found
        .rows
        .iter()
        .map(|p| {
            let state = state_of(p);
            Row {
                name: p.user.username.clone(),
                display_name: p.actor.display_name.clone().unwrap_or_default(),
                roles: role_labels(&tr, &p.user),
                organisation: p
                    .user
                    .organisation_id
                    .and_then(|o| orgs.iter().find(|org| org.id == o))
                    .map(|o| o.name.clone())
                    .unwrap_or_default(),
                state,
                state_label: tr.t(&format!("admin-people-state-{state}")),
                joined: date_ms(p.user.created_at),
                posts: p.posts,
            }
        })
        .collect();
    let notice = (lq.done == "deleted").then(|| tr.s("admin-person-done-deleted", &lq.name));
    let max = crate::domain::input::MAX_PAGE;
    let view = ListPage {
        l: Layout::new(&data, &v, &tr, tr.t("admin-people-title")),
        q: lq.q.clone(),
        page,
        rows,
        matching: found.matching,
        notice,
        prev: (page > 1).then(|| list_href("/admin/people", &lq.q, page - 1)),
        next: (found.more && page < max).then(|| list_href("/admin/people", &lq.q, page + 1)),
    };
    respond(&data, &v, StatusCode::OK, &view)
}
