//! Cases: opened, read and answered by their customer and the organisation's staff
//! (`/cases`), the organisations' queues (`/organisations/{id}/cases`), their CRM
//! tokens (`/organisations/{id}/crm-tokens`), the CRM's own calls (`/crm/cases`, with
//! an organisation's CRM token as the bearer) and the customer view for staff
//! (`/customers/{id}`). A case that the caller may not see is `404`.

use super::{parse_id, ApiJson, Auth};
use crate::actions::case_open::{self, OpenRequest};
use crate::actions::cases::{self as act, Changes};
use crate::actions::crm;
use crate::db::models::Actor;
use crate::db::queries::cases::{Case, CaseMessage, CrmToken, Filter};
use crate::db::rfc3339;
use crate::domain::cases::{parse_number, Priority, Status};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::read::cases::{self as view, CaseDetail, CaseRow, CustomerView};
use crate::state::Ctx;
use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct CaseSummary {
    /// The case's number (`#1042` is 1042).
    pub number: i64,
    pub subject: String,
    /// `open`, `pending_customer`, `pending_company`, `solved` or `closed`.
    pub status: String,
    /// `low`, `normal`, `high` or `urgent`.
    pub priority: String,
    pub organisation: String,
    /// The customer's handle (`name@domain`).
    pub customer: String,
    pub assignee: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct MessageView {
    pub id: String,
    /// `customer`, `staff`, `crm` or `system`.
    pub author_kind: String,
    pub author: Option<String>,
    /// Markdown (or the text of a reply received from another server).
    pub body: String,
    pub body_html: String,
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct CaseView {
    #[serde(flatten)]
    pub summary: CaseSummary,
    /// How the caller stands to it: `customer`, `staff` or `admin`.
    pub role: String,
    pub group: Option<String>,
    /// Ids of the questions linked to it.
    pub question_ids: Vec<String>,
    /// The CRM's own ticket id.
    pub crm_ticket_id: Option<String>,
    /// What the public thread shows about it.
    pub public_note: Option<String>,
    pub messages: Vec<MessageView>,
}

fn handle(a: &Actor) -> String {
    a.handle()
}

fn summary(case: &Case, org: &str, customer: &Actor, assignee: Option<&Actor>) -> CaseSummary {
    CaseSummary {
        number: case.number,
        subject: case.subject.clone(),
        status: case.status.clone(),
        priority: case.priority.clone(),
        organisation: org.to_string(),
        customer: handle(customer),
        assignee: assignee.map(handle),
        created_at: rfc3339(case.created_at),
        updated_at: rfc3339(case.updated_at),
    }
}

fn row(r: &CaseRow) -> CaseSummary {
    summary(&r.case, &r.organisation, &r.customer, r.assignee.as_ref())
}

fn message(m: &CaseMessage, author: Option<&Actor>) -> MessageView {
    MessageView {
        id: m.id.to_string(),
        author_kind: m.author_kind.clone(),
        author: author.map(handle),
        body: m.body_md.clone(),
        body_html: m.body_html.clone(),
        created_at: rfc3339(m.created_at),
    }
}

fn detail(d: &CaseDetail) -> CaseView {
    CaseView {
        summary: summary(
            &d.case,
            &d.organisation.name,
            &d.customer,
            d.assignee.as_ref(),
        ),
        role: match d.role {
            act::Role::Customer => "customer",
            act::Role::Staff => "staff",
            act::Role::Admin => "admin",
        }
        .into(),
        group: d.group.as_ref().map(handle),
        question_ids: d.questions.iter().map(|q| q.id.to_string()).collect(),
        crm_ticket_id: d.case.crm_ticket_id.clone(),
        public_note: d.case.public_note.clone(),
        messages: d
            .messages
            .iter()
            .map(|m| message(&m.message, m.author.as_ref()))
            .collect(),
    }
}

fn number(s: &str) -> AppResult<i64> {
    parse_number(s).ok_or_else(|| AppError::NotFound("no such case".into()))
}

fn ids(v: &[String], what: &str) -> AppResult<Vec<i64>> {
    v.iter().map(|s| parse_id(s, what)).collect()
}

#[derive(Deserialize, ToSchema)]
pub struct NewCase {
    /// Questions to link: a customer's own, or (staff) one customer's questions in a
    /// group that recognises the staff's organisation.
    #[serde(default)]
    pub question_ids: Vec<String>,
    /// By default the one organisation the group recognises (for staff: theirs).
    pub organisation_id: Option<String>,
    /// The group (its actor id), when opened from a group's page without a question.
    pub group_id: Option<String>,
    /// By default the first question's title.
    pub subject: Option<String>,
    /// Order number, serial, account e-mail: only the customer and the organisation's
    /// staff ever see it.
    pub private_details: Option<String>,
    /// `low`, `normal` (default), `high`, `urgent`.
    pub priority: Option<String>,
}

/// Open a case: a customer from their question or a group's page, or staff from a
/// question in their staff inbox.
#[utoipa::path(post, path = "/cases", tag = "cases", security(("bearer" = [])), request_body = NewCase,
    responses((status = 201, body = CaseView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn open(
    data: Ctx,
    auth: Auth,
    ApiJson(body): ApiJson<NewCase>,
) -> AppResult<(StatusCode, Json<CaseView>)> {
    let req = OpenRequest {
        question_ids: ids(&body.question_ids, "question")?,
        organisation_id: body
            .organisation_id
            .as_deref()
            .map(|o| parse_id(o, "organisation"))
            .transpose()?,
        group_id: body
            .group_id
            .as_deref()
            .map(|g| parse_id(g, "group"))
            .transpose()?,
        subject: body.subject,
        private_details: body.private_details,
        priority: body.priority,
    };
    let case = case_open::open_request(&data, &auth.actor, req).await?;
    let d = view::detail(&data, &auth.actor, case.number).await?;
    Ok((StatusCode::CREATED, Json(detail(&d))))
}

/// The caller's own cases (as a customer), newest first.
#[utoipa::path(get, path = "/cases", tag = "cases", security(("bearer" = [])),
    responses((status = 200, body = Vec<CaseSummary>), (status = 401, body = ErrorBody)))]
pub async fn mine(data: Ctx, auth: Auth) -> AppResult<Json<Vec<CaseSummary>>> {
    let rows = view::mine(&data, &auth.actor).await?;
    Ok(Json(rows.iter().map(row).collect()))
}

/// One case with its conversation (its customer, the organisation's staff, admins).
#[utoipa::path(get, path = "/cases/{number}", tag = "cases", security(("bearer" = [])),
    params(("number" = String, Path)),
    responses((status = 200, body = CaseView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(data: Ctx, auth: Auth, Path(n): Path<String>) -> AppResult<Json<CaseView>> {
    let d = view::detail(&data, &auth.actor, number(&n)?).await?;
    Ok(Json(detail(&d)))
}

#[derive(Deserialize, ToSchema)]
pub struct NewMessage {
    /// Markdown.
    pub body: String,
}

/// Reply in a case (its customer, the organisation's staff, admins). A staff reply to a
/// customer on another server reaches them as a direct message.
#[utoipa::path(post, path = "/cases/{number}/messages", tag = "cases", security(("bearer" = [])),
    params(("number" = String, Path)), request_body = NewMessage,
    responses((status = 201, body = MessageView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn reply(
    data: Ctx,
    auth: Auth,
    Path(n): Path<String>,
    ApiJson(body): ApiJson<NewMessage>,
) -> AppResult<(StatusCode, Json<MessageView>)> {
    let m = act::reply(&data, &auth.actor, number(&n)?, &body.body).await?;
    Ok((StatusCode::CREATED, Json(message(&m, Some(&auth.actor)))))
}

#[derive(Deserialize, ToSchema)]
pub struct CaseChange {
    pub status: Option<String>,
    pub priority: Option<String>,
    /// A staff member's handle (`name` or `name@domain`); `""` unassigns.
    pub assignee: Option<String>,
    /// What the public thread shows; `""` removes it.
    pub public_note: Option<String>,
    /// Questions to link to the case.
    #[serde(default)]
    pub link_question_ids: Vec<String>,
}

/// Change a case (the organisation's staff, admins): status, priority, assignee, the
/// public note, linked questions.
#[utoipa::path(patch, path = "/cases/{number}", tag = "cases", security(("bearer" = [])),
    params(("number" = String, Path)), request_body = CaseChange,
    responses((status = 200, body = CaseView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update(
    data: Ctx,
    auth: Auth,
    Path(n): Path<String>,
    ApiJson(body): ApiJson<CaseChange>,
) -> AppResult<Json<CaseView>> {
    let n = number(&n)?;
    let assignee = match body.assignee.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(h) => Some(Some(staff_actor(&data, h).await?)),
    };
    let changes = Changes {
        status: body.status.as_deref().map(Status::check).transpose()?,
        priority: body.priority.as_deref().map(Priority::check).transpose()?,
        assignee,
        public_note: body.public_note,
        link_questions: ids(&body.link_question_ids, "question")?,
    };
    act::update(&data, &auth.actor, n, changes).await?;
    let d = view::detail(&data, &auth.actor, n).await?;
    Ok(Json(detail(&d)))
}

/// The actor of a local user named by `handle` (`name`, `@name` or `name@this.domain`).
async fn staff_actor(data: &Ctx, handle: &str) -> AppResult<i64> {
    let h = handle.trim_start_matches('@');
    let name = match h.split_once('@') {
        Some((n, d)) if d.eq_ignore_ascii_case(data.domain()) => n,
        Some(_) => {
            return Err(AppError::Invalid(
                "assign the case to a staff member of its organisation".into(),
            ))
        }
        None => h,
    }
    .to_string();
    data.db
        .run(move |c| crate::db::queries::users::by_username(c, &name))
        .await?
        .map(|(_, a)| a.id)
        .ok_or_else(|| {
            AppError::Invalid("assign the case to a staff member of its organisation".into())
        })
}

#[derive(Deserialize, IntoParams)]
pub struct QueueQuery {
    /// A status; by default the open ones (open, pending_customer, pending_company).
    pub status: Option<String>,
    pub priority: Option<String>,
    /// A staff member's handle, or `none` for the unassigned cases.
    pub assignee: Option<String>,
}

/// An organisation's cases, newest first (its staff, admins).
#[utoipa::path(get, path = "/organisations/{id}/cases", tag = "cases", security(("bearer" = [])),
    params(("id" = String, Path), QueueQuery),
    responses((status = 200, body = Vec<CaseSummary>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn queue(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    Query(q): Query<QueueQuery>,
) -> AppResult<Json<Vec<CaseSummary>>> {
    let org = parse_id(&id, "organisation")?;
    let mut f = Filter {
        open_only: true,
        ..Default::default()
    };
    match q.status.as_deref().map(str::trim) {
        None | Some("") => {}
        Some("all") => f.open_only = false,
        Some(s) => f.status = Some(Status::check(s)?.as_str().into()),
    }
    if let Some(p) = q.priority.as_deref().filter(|p| !p.is_empty()) {
        f.priority = Some(Priority::check(p)?.as_str().into());
    }
    match q.assignee.as_deref().map(str::trim) {
        None | Some("") => {}
        Some("none") => f.unassigned = true,
        Some(h) => f.assignee = Some(staff_actor(&data, h).await?),
    }
    let rows = view::queue(&data, &auth.user, org, f).await?;
    Ok(Json(rows.iter().map(row).collect()))
}

#[derive(Serialize, ToSchema)]
pub struct CustomerSummary {
    pub handle: String,
    pub display_name: Option<String>,
    /// Their home instance.
    pub home: String,
    pub local: bool,
    pub reputation: i64,
    /// Ids of their latest questions.
    pub question_ids: Vec<String>,
    pub answer_ids: Vec<String>,
    /// Their cases with the caller's organisation (all, for an admin).
    pub cases: Vec<CaseSummary>,
    /// The CRM's ticket ids of those cases.
    pub crm_ids: Vec<String>,
}

fn customer_summary(v: &CustomerView) -> CustomerSummary {
    CustomerSummary {
        handle: v.person.handle(),
        display_name: v.person.display_name.clone(),
        home: v.home.clone(),
        local: v.person.local,
        reputation: v.reputation,
        question_ids: v.questions.iter().map(|p| p.id.to_string()).collect(),
        answer_ids: v.answers.iter().map(|p| p.id.to_string()).collect(),
        cases: v.cases.iter().map(row).collect(),
        crm_ids: v.crm_ids.clone(),
    }
}

/// One person as staff see them (staff of an organisation, admins): questions,
/// answers, cases, reputation, home instance, the CRM's ids.
#[utoipa::path(get, path = "/customers/{id}", tag = "cases", security(("bearer" = [])),
    params(("id" = String, Path, description = "the person's actor id")),
    responses((status = 200, body = CustomerSummary), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn customer(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<CustomerSummary>> {
    let id = parse_id(&id, "person")?;
    let v = view::customer(&data, &auth.user, id).await?;
    Ok(Json(customer_summary(&v)))
}

#[derive(Serialize, ToSchema)]
pub struct TokenView {
    pub id: String,
    pub name: String,
    /// The token's first characters.
    pub prefix: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
    /// The token itself (`pdcrm_…`): only in the answer that made it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

fn token_view(t: &CrmToken, value: Option<String>) -> TokenView {
    TokenView {
        id: t.id.to_string(),
        name: t.name.clone(),
        prefix: t.prefix.clone(),
        created_at: rfc3339(t.created_at),
        last_used_at: t.last_used_at.map(rfc3339),
        revoked_at: t.revoked_at.map(rfc3339),
        token: value,
    }
}

#[derive(Deserialize, ToSchema)]
pub struct NewToken {
    /// What it is for (e.g. the CRM's name).
    pub name: String,
}

/// An organisation's CRM tokens (admins and its staff).
#[utoipa::path(get, path = "/organisations/{id}/crm-tokens", tag = "cases", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Vec<TokenView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn tokens(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<TokenView>>> {
    let org = parse_id(&id, "organisation")?;
    let list = crm::tokens(&data, &auth.user, org).await?;
    Ok(Json(list.iter().map(|t| token_view(t, None)).collect()))
}

/// Make a CRM token; the answer holds it, shown this once.
#[utoipa::path(post, path = "/organisations/{id}/crm-tokens", tag = "cases", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = NewToken,
    responses((status = 201, body = TokenView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create_token(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewToken>,
) -> AppResult<(StatusCode, Json<TokenView>)> {
    let org = parse_id(&id, "organisation")?;
    let (t, value) = crm::create_token(&data, &auth.user, org, &body.name).await?;
    Ok((StatusCode::CREATED, Json(token_view(&t, Some(value)))))
}

/// Revoke a CRM token: it is refused (401) from now on.
#[utoipa::path(delete, path = "/organisations/{id}/crm-tokens/{token}", tag = "cases", security(("bearer" = [])),
    params(("id" = String, Path), ("token" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(
    data: Ctx,
    auth: Auth,
    Path((id, token)): Path<(String, String)>,
) -> AppResult<StatusCode> {
    let org = parse_id(&id, "organisation")?;
    let tid = parse_id(&token, "token")?;
    crm::revoke_token(&data, &auth.user, org, tid).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A CRM, from `Authorization: Bearer pdcrm_…` (one organisation's token).
pub struct Crm(pub CrmToken);

impl<S: Send + Sync> FromRequestParts<S> for Crm {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(|t| t.trim().to_string())
            .ok_or_else(|| {
                AppError::Unauthenticated(
                    "a CRM token is needed: Authorization: Bearer pdcrm_…".into(),
                )
            })?;
        let data =
            activitypub_federation::config::Data::<crate::state::AppState>::from_request_parts(
                parts, state,
            )
            .await
            .map_err(|(_, m)| AppError::Internal(m.into()))?;
        Ok(Crm(crm::authenticate(&data, &token).await?))
    }
}

#[derive(Deserialize, ToSchema)]
pub struct CrmChange {
    /// `open`, `pending_customer`, `pending_company`, `solved` or `closed`.
    pub status: Option<String>,
    /// The CRM's own ticket id; `""` removes it.
    pub ticket_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CrmCase {
    pub number: i64,
    pub status: String,
    pub priority: String,
    pub ticket_id: Option<String>,
    pub updated_at: String,
}

fn crm_case(k: &Case) -> CrmCase {
    CrmCase {
        number: k.number,
        status: k.status.clone(),
        priority: k.priority.clone(),
        ticket_id: k.crm_ticket_id.clone(),
        updated_at: rfc3339(k.updated_at),
    }
}

/// The CRM sets a case's status or attaches its ticket id (the token's organisation's
/// cases only; any other is 404). The customer is told of a new status.
#[utoipa::path(patch, path = "/crm/cases/{number}", tag = "cases", security(("bearer" = [])),
    params(("number" = String, Path)), request_body = CrmChange,
    responses((status = 200, body = CrmCase), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn crm_update(
    data: Ctx,
    Crm(token): Crm,
    Path(n): Path<String>,
    ApiJson(body): ApiJson<CrmChange>,
) -> AppResult<Json<CrmCase>> {
    let k = crm::update(
        &data,
        &token,
        number(&n)?,
        body.status.as_deref(),
        body.ticket_id.as_deref(),
    )
    .await?;
    Ok(Json(crm_case(&k)))
}

/// The CRM adds a message to a case: the customer sees it (a customer on another server
/// as a direct message).
#[utoipa::path(post, path = "/crm/cases/{number}/messages", tag = "cases", security(("bearer" = [])),
    params(("number" = String, Path)), request_body = NewMessage,
    responses((status = 201, body = MessageView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn crm_message(
    data: Ctx,
    Crm(token): Crm,
    Path(n): Path<String>,
    ApiJson(body): ApiJson<NewMessage>,
) -> AppResult<(StatusCode, Json<MessageView>)> {
    let m = crm::message(&data, &token, number(&n)?, &body.body).await?;
    Ok((StatusCode::CREATED, Json(message(&m, None))))
}
