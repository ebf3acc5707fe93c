//! The staff console's cases: the organisation's queue (`/staff/cases`, filtered by
//! status, priority and assignee), the customer view of one person
//! (`/staff/customers/{actor id}`: their questions, answers, cases, reputation, home
//! instance and the CRM's ids) and the CRM tokens (`/staff/crm-tokens`: made, shown
//! once, revoked). Staff of an organisation only (admins: the customer view too);
//! everyone else gets the 403 page.

use super::cases::CaseItem;
use super::date_ms;
use crate::actions::crm;
use crate::db::models::{Actor, Organisation, User};
use crate::db::queries::cases::Filter;
use crate::domain::cases::{Priority, Status};
use crate::error::AppError;
use crate::state::Ctx;
use crate::web::csrf;
use crate::web::form::{csrf_refused, FieldErrors};
use crate::web::i18n::Tr;
use crate::web::layout::{error_page, redirect, respond, Layout};
use crate::web::session::{viewer_tr, Viewer};
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

/// The signed-in staff member and their organisation, or the 403 page.
#[allow(clippy::result_large_err)]
async fn staff(data: &Ctx, v: &Viewer, tr: &Tr) -> Result<(User, Actor, Organisation), Response> {
    let forbidden = AppError::Forbidden("staff only".into());
    let Some((user, actor)) = &v.user else {
        return Err(error_page(data, v, tr, &forbidden));
    };
    let a = actor.clone();
    match data
        .db
        .run(move |c| crate::actions::rules::staff_org(c, &a))
        .await
    {
        Ok(Some(org)) => Ok((user.clone(), actor.clone(), org)),
        Ok(None) => Err(error_page(data, v, tr, &forbidden)),
        Err(e) => Err(error_page(data, v, tr, &e)),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct QueueQuery {
    /// A status, `all`, or empty for the open ones.
    pub status: String,
    pub priority: String,
    /// An actor id, `none` for the unassigned, or empty for anyone.
    pub assignee: String,
}

#[derive(Template)]
#[template(path = "staff_cases.html")]
struct QueuePage {
    l: Layout,
    org: String,
    cases: Vec<CaseItem>,
    q: QueueQuery,
    statuses: Vec<(&'static str, String)>,
    priorities: Vec<(&'static str, String)>,
    staff: Vec<(String, String)>,
}

/// `GET /staff/cases`.
pub async fn queue(data: Ctx, headers: HeaderMap, Query(q): Query<QueueQuery>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let (user, _, org) = match staff(&data, &v, &tr).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let mut f = Filter {
        open_only: true,
        ..Default::default()
    };
    match q.status.trim() {
        "" => {}
        "all" => f.open_only = false,
        s => match Status::parse(s) {
            Some(s) => f.status = Some(s.as_str().into()),
            None => return error_page(&data, &v, &tr, &AppError::Invalid("status".into())),
        },
    }
    if let Some(p) = Priority::parse(q.priority.trim()) {
        f.priority = Some(p.as_str().into());
    }
    match q.assignee.trim() {
        "" => {}
        "none" => f.unassigned = true,
        a => f.assignee = a.parse().ok(),
    }
    let oid = org.id;
    let rows = match crate::read::cases::queue(&data, &user, oid, f).await {
        Ok(r) => r,
        Err(e) => return error_page(&data, &v, &tr, &e),
    };
    let staff = data
        .db
        .run(move |c| {
            let ids: Vec<i64> = crate::db::queries::cases::staff_of(c, oid)?
                .into_iter()
                .map(|(_, a)| a)
                .collect();
            crate::db::queries::actors::by_ids(c, &ids)
        })
        .await
        .unwrap_or_default();
    let p = QueuePage {
        l: Layout::new(&data, &v, &tr, tr.t("staff-cases-title")),
        org: org.name,
        cases: rows.iter().map(|r| CaseItem::new(r, &tr)).collect(),
        statuses: Status::ALL
            .iter()
            .map(|s| (s.as_str(), tr.t(&format!("case-status-{}", s.as_str()))))
            .collect(),
        priorities: Priority::ALL
            .iter()
            .map(|p| (p.as_str(), tr.t(&format!("case-priority-{}", p.as_str()))))
            .collect(),
        staff: staff
            .iter()
            .map(|a| (a.id.to_string(), a.handle()))
            .collect(),
        q,
    };
    respond(&data, &v, StatusCode::OK, &p)
}

#[derive(Template)]
#[template(path = "staff_customer.html")]
struct CustomerPage {
    l: Layout,
    display_name: String,
    home: String,
    local: bool,
    reputation: i64,
    /// (href, title, date)
    questions: Vec<(String, String, String)>,
    answers: Vec<(String, String, String)>,
    cases: Vec<CaseItem>,
    crm_ids: Vec<String>,
}

/// `GET /staff/customers/{id}`: staff of an organisation and admins.
pub async fn customer(data: Ctx, headers: HeaderMap, Path(id): Path<i64>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let Some((user, _)) = &v.user else {
        return error_page(&data, &v, &tr, &AppError::Forbidden("staff only".into()));
    };
    let c = match crate::read::cases::customer(&data, user, id).await {
        Ok(c) => c,
        Err(e) => return error_page(&data, &v, &tr, &e),
    };
    let post = |p: &crate::db::models::Post| {
        let q = p.question_id.unwrap_or(p.id);
        (
            format!("/q/{q}#p{}", p.id),
            p.title.clone().unwrap_or_else(|| {
                crate::domain::posts::html_to_text(&p.content_html)
                    .chars()
                    .take(80)
                    .collect()
            }),
            date_ms(p.published_at),
        )
    };
    let p = CustomerPage {
        l: Layout::new(&data, &v, &tr, tr.s("customer-title", &c.person.handle())),
        display_name: c.person.display_name.clone().unwrap_or_default(),
        home: c.home.clone(),
        local: c.person.local,
        reputation: c.reputation,
        questions: c.questions.iter().map(post).collect(),
        answers: c.answers.iter().map(post).collect(),
        cases: c.cases.iter().map(|r| CaseItem::new(r, &tr)).collect(),
        crm_ids: c.crm_ids.clone(),
    };
    respond(&data, &v, StatusCode::OK, &p)
}

/// A token as the page shows it.
pub struct TokenRow {
    pub id: String,
    pub name: String,
    pub prefix: String,
    pub made: String,
    pub used: String,
    pub revoked: bool,
}

#[derive(Template)]
#[template(path = "staff_crm_tokens.html")]
struct TokensPage {
    l: Layout,
    org: String,
    tokens: Vec<TokenRow>,
    /// A token just made, shown this once.
    new_token: Option<String>,
    name: String,
    errors: FieldErrors,
}

#[allow(clippy::too_many_arguments)]
async fn tokens_page(
    data: &Ctx,
    v: &Viewer,
    tr: &Tr,
    user: &User,
    org: &Organisation,
    new_token: Option<String>,
    name: String,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let list = match crm::tokens(data, user, org.id).await {
        Ok(l) => l,
        Err(e) => return error_page(data, v, tr, &e),
    };
    let p = TokensPage {
        l: Layout::new(data, v, tr, tr.t("crm-tokens-title")),
        org: org.name.clone(),
        tokens: list
            .iter()
            .map(|t| TokenRow {
                id: t.id.to_string(),
                name: t.name.clone(),
                prefix: t.prefix.clone(),
                made: date_ms(t.created_at),
                used: t.last_used_at.map(date_ms).unwrap_or_default(),
                revoked: t.revoked_at.is_some(),
            })
            .collect(),
        new_token,
        name,
        errors,
    };
    respond(data, v, status, &p)
}

/// `GET /staff/crm-tokens`.
pub async fn tokens(data: Ctx, headers: HeaderMap) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    match staff(&data, &v, &tr).await {
        Ok((user, _, org)) => {
            let errors = FieldErrors::default();
            tokens_page(
                &data,
                &v,
                &tr,
                &user,
                &org,
                None,
                String::new(),
                errors,
                StatusCode::OK,
            )
            .await
        }
        Err(r) => r,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenForm {
    pub csrf: String,
    pub name: String,
}

/// `POST /staff/crm-tokens`: makes a token; the page shows it once.
pub async fn create_token(data: Ctx, headers: HeaderMap, Form(form): Form<TokenForm>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    if let Err(why) = csrf::check(&data.base, &headers, &v, &form.csrf) {
        return csrf_refused(&data, &v, &tr, why, "/staff/crm-tokens");
    }
    let (user, _, org) = match staff(&data, &v, &tr).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    match crm::create_token(&data, &user, org.id, &form.name).await {
        Ok((_, value)) => {
            let errors = FieldErrors::default();
            tokens_page(
                &data,
                &v,
                &tr,
                &user,
                &org,
                Some(value),
                String::new(),
                errors,
                StatusCode::OK,
            )
            .await
        }
        Err(AppError::Invalid(m)) => {
            let mut errors = FieldErrors::default();
            errors.add("name", m);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            tokens_page(&data, &v, &tr, &user, &org, None, form.name, errors, status).await
        }
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CsrfForm {
    pub csrf: String,
}

/// `POST /staff/crm-tokens/{id}/revoke`.
pub async fn revoke_token(
    data: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    if let Err(why) = csrf::check(&data.base, &headers, &v, &form.csrf) {
        return csrf_refused(&data, &v, &tr, why, "/staff/crm-tokens");
    }
    let (user, _, org) = match staff(&data, &v, &tr).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    match crm::revoke_token(&data, &user, org.id, id).await {
        Ok(()) => redirect("/staff/crm-tokens"),
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}
