//! Organisations and staff (`/admin/people/staff`, admins): the organisations declared
//! here with their staff, a form to declare one (name, domain) and one to make a local
//! user staff of one (or of none), through the same actions as
//! `POST /api/v1/admin/organisations` and `PUT /api/v1/admin/users/{name}/organisation`;
//! and the staff claims of remote accounts with the result of their check and its reason
//! (as `GET /api/v1/admin/staff-claims`).

use super::federation::when;
use super::{admin, admin_form};
use crate::actions::staff;
use crate::db::queries;
use crate::db::queries::people as pq;
use crate::error::AppError;
use crate::state::Ctx;
use crate::web::form::FieldErrors;
use crate::web::i18n::Tr;
use crate::web::layout::{error_page, redirect, respond, Layout};
use crate::web::pages::query_string;
use crate::web::session::{viewer_tr, Viewer};
use askama::Template;
use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

const BACK: &str = "/admin/people/staff";

/// An organisation chosen in a form: `""` is none; anything but the id of a declared
/// organisation is refused ([`AppError::Invalid`]).
pub async fn organisation_choice(data: &Ctx, chosen: &str) -> Result<Option<i64>, AppError> {
    let chosen = chosen.trim();
    if chosen.is_empty() {
        return Ok(None);
    }
    let unknown = || AppError::Invalid("no such organisation".into());
    let id = chosen.parse::<i64>().map_err(|_| unknown())?;
    let org = data.db.run(move |c| queries::staff::org(c, id)).await?;
    org.map(|o| Some(o.id)).ok_or_else(unknown)
}

pub struct OrgRow {
    pub id: String,
    pub name: String,
    pub domain: String,
    pub staff: Vec<String>,
}

pub struct ClaimRow {
    pub handle: String,
    pub href: String,
    pub organisation: String,
    pub domain: String,
    /// `verified`, `refused` or `unchecked`, and its label.
    pub outcome: &'static str,
    pub outcome_label: String,
    pub reason: String,
    pub checked: (String, String),
}

/// What the forms show: what was typed when one comes back with a message.
#[derive(Default)]
struct Typed {
    name: String,
    domain: String,
    user: String,
    organisation: String,
}

#[derive(Template)]
#[template(path = "admin_staff.html")]
struct StaffPage {
    l: Layout,
    orgs: Vec<OrgRow>,
    claims: Vec<ClaimRow>,
    notice: Option<String>,
    form_name: String,
    form_domain: String,
    form_user: String,
    form_organisation: String,
    errors: FieldErrors,
}

async fn render(
    data: &Ctx,
    v: &Viewer,
    tr: &Tr,
    notice: Option<String>,
    typed: Typed,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let found = data
        .db
        .run(|c| {
            Ok((
                queries::staff::orgs(c)?,
                pq::staff_members(c)?,
                pq::claims(c)?,
            ))
        })
        .await;
    let (orgs, members, claims) = match found {
        Ok(f) => f,
        Err(e) => return error_page(data, v, tr, &e),
    };
    let orgs = orgs
        .into_iter()
        .map(|o| OrgRow {
            id: o.id.to_string(),
            staff: members
                .iter()
                .filter(|(org, _)| *org == o.id)
                .map(|(_, name)| name.clone())
                .collect(),
            name: o.name,
            domain: o.domain,
        })
        .collect();
    let claims = claims
        .into_iter()
        .map(|(c, a)| {
            let outcome = if c.verified {
                "verified"
            } else if c.checked_at == 0 || c.reason == "not checked yet" {
                "unchecked"
            } else {
                "refused"
            };
            ClaimRow {
                handle: a.handle(),
                href: Some(a.ap_id.clone())
                    .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
                    .unwrap_or_default(),
                organisation: c.org_name,
                domain: c.org_domain,
                outcome,
                outcome_label: tr.t(&format!("admin-staff-claim-{outcome}")),
                reason: c.reason,
                checked: when(c.checked_at),
            }
        })
        .collect();
    let page = StaffPage {
        l: Layout::new(data, v, tr, tr.t("admin-staff-title")),
        orgs,
        claims,
        notice,
        form_name: typed.name,
        form_domain: typed.domain,
        form_user: typed.user,
        form_organisation: typed.organisation,
        errors,
    };
    respond(data, v, status, &page)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    /// `declared` (the organisation in `value`) or `assigned` (the user in `value`).
    pub done: String,
    pub value: String,
}

/// The organisations, their staff and the remote staff claims.
pub async fn page(data: Ctx, headers: HeaderMap, Query(q): Query<DoneQuery>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    if let Err(refused) = admin(&data, &v, &tr) {
        return refused;
    }
    let notice = match q.done.as_str() {
        d @ ("declared" | "assigned") => Some(tr.s(&format!("admin-staff-done-{d}"), &q.value)),
        _ => None,
    };
    let (typed, errors) = (Typed::default(), FieldErrors::default());
    render(&data, &v, &tr, notice, typed, errors, StatusCode::OK).await
}

fn done(what: &str, value: &str) -> Response {
    let qs = query_string(&[("done", what), ("value", value)]);
    redirect(&format!("{BACK}?{qs}"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DeclareForm {
    pub csrf: String,
    pub name: String,
    pub domain: String,
}

/// Declares an organisation.
pub async fn declare(data: Ctx, headers: HeaderMap, Form(f): Form<DeclareForm>) -> Response {
    let form = match admin_form(&data, &headers, &f.csrf, BACK).await {
        Ok(form) => form,
        Err(refused) => return refused,
    };
    let (v, tr, (user, _)) = (&form.v, &form.tr, form.admin());
    let mut errors = FieldErrors::default();
    if staff::check_org_name(&f.name).is_err() {
        errors.add(
            "name",
            tr.n("admin-staff-error-name", staff::MAX_ORG_NAME as i64),
        );
    }
    if staff::check_org_domain(&f.domain).is_err() {
        errors.add("domain", tr.t("admin-staff-error-domain"));
    }
    if errors.is_empty() {
        match staff::create_organisation(&data, user, &f.name, &f.domain, None).await {
            Ok(org) => return done("declared", &org.name),
            Err(e) => return error_page(&data, v, tr, &e),
        }
    }
    let typed = Typed {
        name: f.name,
        domain: f.domain,
        ..Typed::default()
    };
    render(&data, v, tr, None, typed, errors, StatusCode::BAD_REQUEST).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AssignForm {
    pub csrf: String,
    /// A local user's name.
    pub user: String,
    /// An organisation's id, or empty for none.
    pub organisation: String,
}

/// Makes a local user staff of an organisation, or of none.
pub async fn assign(data: Ctx, headers: HeaderMap, Form(f): Form<AssignForm>) -> Response {
    let form = match admin_form(&data, &headers, &f.csrf, BACK).await {
        Ok(form) => form,
        Err(refused) => return refused,
    };
    let (v, tr, (user, _)) = (&form.v, &form.tr, form.admin());
    let name = f.user.trim().trim_start_matches('@').to_string();
    let mut errors = FieldErrors::default();
    let org = match organisation_choice(&data, &f.organisation).await {
        Ok(org) => org,
        Err(AppError::Invalid(_)) => {
            errors.add("organisation", tr.t("admin-staff-error-org"));
            None
        }
        Err(e) => return error_page(&data, v, tr, &e),
    };
    if name.is_empty() {
        errors.add("user", tr.t("admin-staff-error-user"));
    } else if errors.is_empty() {
        match staff::set_staff(&data, user, &name, org).await {
            Ok(()) => return done("assigned", &name),
            Err(AppError::NotFound(_)) => {
                errors.add("user", tr.s("admin-staff-error-no-user", &name))
            }
            Err(AppError::Gone(_)) => errors.add("user", tr.s("admin-staff-error-deleted", &name)),
            Err(e) => return error_page(&data, v, tr, &e),
        }
    }
    let typed = Typed {
        user: f.user,
        organisation: f.organisation,
        ..Typed::default()
    };
    render(&data, v, tr, None, typed, errors, StatusCode::BAD_REQUEST).await
}
