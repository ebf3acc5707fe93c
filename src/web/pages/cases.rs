//! Cases' pages: a customer's cases (`/cases`), opening one (`/cases/new?question=ID`
//! or `?group=ID`, by the asker or by staff from their inbox), one case with its
//! conversation and reply form (`/cases/{number}`) and, for the organisation's staff,
//! its controls (status, priority, assignee, the thread's public note, linked
//! questions). Anyone else gets the 404 page: a case's existence is not told. The
//! staff's queue, customer view and CRM tokens are in `cases_staff.rs`. Forms work
//! without JavaScript, are CSRF-protected and come back with the text kept and the
//! message at the field; the rules are the actions' (the same as the API's).

use super::date_ms;
use crate::actions::case_open::{self, OpenRequest};
use crate::actions::cases::{self as act, Changes};
use crate::db::models::Actor;
use crate::db::queries;
use crate::domain::cases::{self as dc, parse_number, Priority, Status};
use crate::error::AppError;
use crate::state::Ctx;
use crate::web::csrf;
use crate::web::form::{csrf_refused, signin_to, FieldErrors};
use crate::web::i18n::Tr;
use crate::web::layout::{error_page, redirect, respond, Layout};
use crate::web::session::{viewer_tr, Viewer};
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

/// A case in a list.
pub struct CaseItem {
    pub number: i64,
    pub subject: String,
    pub status: String,
    pub status_key: String,
    pub priority: String,
    pub organisation: String,
    pub customer: String,
    pub customer_id: i64,
    pub assignee: String,
    pub updated: String,
}

impl CaseItem {
    pub fn new(r: &crate::read::cases::CaseRow, tr: &Tr) -> CaseItem {
        CaseItem {
            number: r.case.number,
            subject: r.case.subject.clone(),
            status: tr.t(&format!("case-status-{}", r.case.status)),
            status_key: r.case.status.clone(),
            priority: tr.t(&format!("case-priority-{}", r.case.priority)),
            organisation: r.organisation.clone(),
            customer: r.customer.handle(),
            customer_id: r.customer.id,
            assignee: r.assignee.as_ref().map(|a| a.handle()).unwrap_or_default(),
            updated: date_ms(r.case.updated_at),
        }
    }
}

#[derive(Template)]
#[template(path = "cases.html")]
struct MinePage {
    l: Layout,
    cases: Vec<CaseItem>,
}

/// The signed-in viewer's actor, or the sign-in page coming back to `back`.
#[allow(clippy::result_large_err)]
fn signed_in(v: &Viewer, back: &str) -> Result<Actor, Response> {
    match &v.user {
        Some((_, a)) => Ok(a.clone()),
        None => Err(redirect(&signin_to(back))),
    }
}

/// `GET /cases`: the viewer's own cases.
pub async fn mine(data: Ctx, headers: HeaderMap) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let me = match signed_in(&v, "/cases") {
        Ok(a) => a,
        Err(r) => return r,
    };
    match crate::read::cases::mine(&data, &me).await {
        Ok(rows) => {
            let p = MinePage {
                l: Layout::new(&data, &v, &tr, tr.t("cases-title")),
                cases: rows.iter().map(|r| CaseItem::new(r, &tr)).collect(),
            };
            respond(&data, &v, StatusCode::OK, &p)
        }
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    pub question: String,
    pub group: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewForm {
    pub csrf: String,
    pub question: String,
    pub group: String,
    pub organisation: String,
    pub subject: String,
    pub details: String,
    pub priority: String,
}

#[derive(Template)]
#[template(path = "case_new.html")]
struct NewPage {
    l: Layout,
    form: NewForm,
    /// The question it is opened from: (id, title).
    question: Option<(i64, String)>,
    /// Organisations to choose from: (id, name).
    organisations: Vec<(String, String)>,
    /// Opened by staff about someone else's question.
    as_staff: bool,
    priorities: Vec<(&'static str, String)>,
    errors: FieldErrors,
}

/// What the form needs: the question, the organisations the group recognises, and
/// whether the viewer opens it as staff.
async fn new_page(
    data: &Ctx,
    v: &Viewer,
    tr: &Tr,
    me: &Actor,
    mut form: NewForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let qid = form.question.trim().parse::<i64>().ok();
    let gid = form.group.trim().parse::<i64>().ok();
    let me2 = me.clone();
    let loaded = data
        .db
        .run(move |c| {
            let q = match qid {
                Some(id) => {
                    queries::posts::by_id(c, id)?.filter(|q| q.is_question() && q.visible())
                }
                None => None,
            };
            let group = q.as_ref().and_then(|q| q.group_id).or(gid);
            let orgs = match group {
                Some(g) => queries::staff::group_orgs(c, g)?,
                None => vec![],
            };
            let staff = crate::actions::rules::staff_org(c, &me2)?;
            Ok::<_, AppError>((q, orgs, staff))
        })
        .await;
    let (q, orgs, staff) = match loaded {
        Ok(x) => x,
        Err(e) => return error_page(data, v, tr, &e),
    };
    if q.is_none() && qid.is_some() {
        return error_page(data, v, tr, &AppError::NotFound("no such question".into()));
    }
    let as_staff = match (&q, &staff) {
        (Some(q), Some(o)) => q.author_id != me.id && orgs.iter().any(|x| x.id == o.id),
        _ => false,
    };
    let asker = q.as_ref().is_some_and(|q| q.author_id == me.id);
    if (q.is_some() && !asker && !as_staff) || (q.is_none() && orgs.is_empty()) {
        let e = AppError::NotFound("no case can be opened here".into());
        return error_page(data, v, tr, &e);
    }
    if form.subject.is_empty() && errors.is_empty() {
        form.subject = q.as_ref().and_then(|q| q.title.clone()).unwrap_or_default();
    }
    let p = NewPage {
        l: Layout::new(data, v, tr, tr.t("case-new-title")),
        question: q.map(|q| (q.id, q.title.unwrap_or_default())),
        organisations: match (as_staff, staff) {
            (true, Some(o)) => vec![(o.id.to_string(), o.name)],
            _ => orgs
                .into_iter()
                .map(|o| (o.id.to_string(), o.name))
                .collect(),
        },
        as_staff,
        priorities: Priority::ALL
            .iter()
            .map(|p| (p.as_str(), tr.t(&format!("case-priority-{}", p.as_str()))))
            .collect(),
        form,
        errors,
    };
    respond(data, v, status, &p)
}

/// `GET /cases/new?question=ID` or `?group=ID`.
pub async fn new_form(data: Ctx, headers: HeaderMap, Query(q): Query<NewQuery>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let back = format!(
        "/cases/new?{}",
        super::query_string(&[
            ("question", q.question.as_str()),
            ("group", q.group.as_str())
        ])
    );
    let me = match signed_in(&v, &back) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let form = NewForm {
        question: q.question,
        group: q.group,
        ..Default::default()
    };
    new_page(
        &data,
        &v,
        &tr,
        &me,
        form,
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// Which field a refusal of the opening form belongs to.
fn open_field(e: &AppError) -> &'static str {
    let m = e.to_string();
    if m.contains("subject") {
        "subject"
    } else if m.contains("message") || m.contains("bytes") {
        "details"
    } else if m.contains("organisation") {
        "organisation"
    } else {
        ""
    }
}

/// `POST /cases/new`: opens the case, then its page.
pub async fn create(data: Ctx, headers: HeaderMap, Form(form): Form<NewForm>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    if let Err(why) = csrf::check(&data.base, &headers, &v, &form.csrf) {
        return csrf_refused(&data, &v, &tr, why, "/cases");
    }
    let me = match signed_in(&v, "/cases") {
        Ok(a) => a,
        Err(r) => return r,
    };
    let req = OpenRequest {
        question_ids: form.question.trim().parse().ok().into_iter().collect(),
        organisation_id: form.organisation.trim().parse().ok(),
        group_id: form.group.trim().parse().ok(),
        subject: Some(form.subject.clone()),
        private_details: Some(form.details.clone()),
        priority: Some(form.priority.clone()),
    };
    match case_open::open_request(&data, &me, req).await {
        Ok(case) => redirect(&format!("/cases/{}", case.number)),
        Err(e @ (AppError::Invalid(_) | AppError::TooLarge(_))) => {
            let mut errors = FieldErrors::default();
            errors.add(open_field(&e), user_message(&e));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            new_page(&data, &v, &tr, &me, form, errors, status).await
        }
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}

/// The action's own message of a refused form (ours, never remote content).
fn user_message(e: &AppError) -> String {
    match e {
        AppError::Invalid(m) | AppError::TooLarge(m) | AppError::Forbidden(m) => m.clone(),
        e => e.to_string(),
    }
}

/// A message as the page shows it.
pub struct MessageItem {
    pub id: i64,
    pub author: String,
    pub kind: String,
    pub from_customer: bool,
    pub html: String,
    pub date: String,
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    l: Layout,
    number: i64,
    subject: String,
    status: String,
    status_key: String,
    priority: String,
    priority_key: String,
    organisation: String,
    customer: String,
    customer_id: i64,
    assignee: String,
    assignee_id: i64,
    ticket: String,
    public_note: String,
    handles: bool,
    closed: bool,
    questions: Vec<(i64, String)>,
    messages: Vec<MessageItem>,
    statuses: Vec<(&'static str, String)>,
    priorities: Vec<(&'static str, String)>,
    staff: Vec<(i64, String)>,
    reply: String,
    note: String,
    link: String,
    errors: FieldErrors,
}

/// The typed text a refused form keeps: the reply, the note, the question to link.
#[derive(Default)]
struct Kept {
    reply: String,
    note: Option<String>,
    link: String,
}

#[allow(clippy::too_many_arguments)]
async fn case_page(
    data: &Ctx,
    v: &Viewer,
    tr: &Tr,
    me: &Actor,
    number: i64,
    kept: Kept,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let d = match crate::read::cases::detail(data, me, number).await {
        Ok(d) => d,
        Err(e) => return error_page(data, v, tr, &e),
    };
    let handles = d.role.handles();
    let k = &d.case;
    let p = CasePage {
        l: Layout::new(data, v, tr, format!("#{} {}", k.number, k.subject)),
        number: k.number,
        subject: k.subject.clone(),
        status: tr.t(&format!("case-status-{}", k.status)),
        status_key: k.status.clone(),
        priority: tr.t(&format!("case-priority-{}", k.priority)),
        priority_key: k.priority.clone(),
        organisation: d.organisation.name.clone(),
        customer: d.customer.handle(),
        customer_id: d.customer.id,
        assignee: d.assignee.as_ref().map(|a| a.handle()).unwrap_or_default(),
        assignee_id: k.assignee_id.unwrap_or(0),
        ticket: k.crm_ticket_id.clone().unwrap_or_default(),
        public_note: k.public_note.clone().unwrap_or_default(),
        handles,
        closed: k.status == Status::Closed.as_str(),
        questions: d
            .questions
            .iter()
            .map(|q| (q.id, q.title.clone().unwrap_or_default()))
            .collect(),
        messages: d
            .messages
            .iter()
            .map(|m| MessageItem {
                id: m.message.id,
                author: match (&m.author, m.message.author_kind.as_str()) {
                    (_, "crm") => tr.s("case-author-crm", &d.organisation.name),
                    (Some(a), _) => a.handle(),
                    (None, _) => tr.t("case-author-system"),
                },
                kind: m.message.author_kind.clone(),
                from_customer: m.message.author_kind == "customer",
                html: m.message.body_html.clone(),
                date: date_ms(m.message.created_at),
            })
            .collect(),
        statuses: Status::ALL
            .iter()
            .map(|s| (s.as_str(), tr.t(&format!("case-status-{}", s.as_str()))))
            .collect(),
        priorities: Priority::ALL
            .iter()
            .map(|p| (p.as_str(), tr.t(&format!("case-priority-{}", p.as_str()))))
            .collect(),
        staff: d.staff.iter().map(|a| (a.id, a.handle())).collect(),
        reply: kept.reply,
        note: kept
            .note
            .unwrap_or_else(|| k.public_note.clone().unwrap_or_default()),
        link: kept.link,
        errors,
    };
    respond(data, v, status, &p)
}

/// `GET /cases/{number}`.
pub async fn show(data: Ctx, headers: HeaderMap, Path(n): Path<String>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let me = match signed_in(&v, &format!("/cases/{n}")) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let Some(number) = parse_number(&n) else {
        return error_page(&data, &v, &tr, &AppError::NotFound("no such case".into()));
    };
    case_page(
        &data,
        &v,
        &tr,
        &me,
        number,
        Kept::default(),
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReplyForm {
    pub csrf: String,
    pub body: String,
}

/// The CSRF check and the signed-in viewer of a case's form.
#[allow(clippy::result_large_err)]
async fn posting(
    data: &Ctx,
    headers: &HeaderMap,
    csrf_field: &str,
    n: &str,
) -> Result<(Viewer, Tr, Actor, i64), Response> {
    let (v, tr) = viewer_tr(data, headers).await;
    let back = format!("/cases/{n}");
    if let Err(why) = csrf::check(&data.base, headers, &v, csrf_field) {
        return Err(csrf_refused(data, &v, &tr, why, &back));
    }
    let me = signed_in(&v, &back)?;
    let Some(number) = parse_number(n) else {
        return Err(error_page(
            data,
            &v,
            &tr,
            &AppError::NotFound("no such case".into()),
        ));
    };
    Ok((v, tr, me, number))
}

/// `POST /cases/{number}/reply`.
pub async fn reply(
    data: Ctx,
    headers: HeaderMap,
    Path(n): Path<String>,
    Form(form): Form<ReplyForm>,
) -> Response {
    let (v, tr, me, number) = match posting(&data, &headers, &form.csrf, &n).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    match act::reply(&data, &me, number, &form.body).await {
        Ok(m) => redirect(&format!("/cases/{number}#m{}", m.id)),
        Err(e @ (AppError::Invalid(_) | AppError::TooLarge(_))) => {
            let mut errors = FieldErrors::default();
            errors.add("body", user_message(&e));
            let kept = Kept {
                reply: form.body,
                ..Default::default()
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            case_page(&data, &v, &tr, &me, number, kept, errors, status).await
        }
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct UpdateForm {
    pub csrf: String,
    pub status: String,
    pub priority: String,
    /// An actor id, or empty to unassign.
    pub assignee: String,
    pub public_note: String,
    /// A question's id or its page's address (`/q/ID`).
    pub link_question: String,
}

/// A question's id from what staff typed: the id, or the address of its page.
fn question_ref(s: &str) -> Result<Option<i64>, ()> {
    let s = s.trim().trim_end_matches('/');
    if s.is_empty() {
        return Ok(None);
    }
    let last = s.rsplit('/').next().unwrap_or(s);
    last.parse().map(Some).map_err(|_| ())
}

/// `POST /cases/{number}/update`: the staff's controls.
pub async fn update(
    data: Ctx,
    headers: HeaderMap,
    Path(n): Path<String>,
    Form(form): Form<UpdateForm>,
) -> Response {
    let (v, tr, me, number) = match posting(&data, &headers, &form.csrf, &n).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let mut errors = FieldErrors::default();
    let status = Status::parse(form.status.trim());
    if status.is_none() && !form.status.trim().is_empty() {
        errors.add("status", tr.t("case-error-status"));
    }
    let priority = Priority::parse(form.priority.trim());
    if priority.is_none() && !form.priority.trim().is_empty() {
        errors.add("priority", tr.t("case-error-priority"));
    }
    let assignee = match form.assignee.trim() {
        "" => Some(None),
        a => match a.parse::<i64>() {
            Ok(id) => Some(Some(id)),
            Err(_) => {
                errors.add("assignee", tr.t("case-error-assignee"));
                None
            }
        },
    };
    if let Err(e) = dc::check_note(&form.public_note) {
        errors.add("public_note", user_message(&e));
    }
    let link = match question_ref(&form.link_question) {
        Ok(q) => q,
        Err(()) => {
            errors.add("link_question", tr.t("case-error-link"));
            None
        }
    };
    let kept = Kept {
        note: Some(form.public_note.clone()),
        link: form.link_question.clone(),
        ..Default::default()
    };
    if !errors.is_empty() {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return case_page(&data, &v, &tr, &me, number, kept, errors, status).await;
    }
    let changes = Changes {
        status,
        priority,
        assignee,
        public_note: Some(form.public_note.clone()),
        link_questions: link.into_iter().collect(),
    };
    match act::update(&data, &me, number, changes).await {
        Ok(_) => redirect(&format!("/cases/{number}")),
        Err(e) => {
            // A refused assignee or an unknown question to link comes back to the form;
            // anything else (no such case, not staff) is its page.
            let field = match &e {
                AppError::NotFound(m) if m.contains("question") => "link_question",
                AppError::Invalid(m) if m.contains("assign") => "assignee",
                AppError::Invalid(_) => "",
                _ => return error_page(&data, &v, &tr, &e),
            };
            errors.add(field, user_message(&e));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            case_page(&data, &v, &tr, &me, number, kept, errors, status).await
        }
    }
}

/// A thread's marks of cases: the notes that staff chose to show on it (organisation,
/// note), and for its asker the organisations the group recognises (to open a case).
pub async fn thread_marks(
    data: &Ctx,
    me: Option<&Actor>,
    question: &crate::db::models::Post,
) -> crate::error::AppResult<(Vec<(String, String)>, Vec<String>)> {
    let notes = act::public_notes_of(data, question.id).await?;
    let asker = me.is_some_and(|m| m.local && m.id == question.author_id);
    let help = match (asker, question.group_id) {
        (true, Some(g)) => data
            .db
            .run(move |c| queries::staff::group_orgs(c, g))
            .await?
            .into_iter()
            .map(|o| o.name)
            .collect(),
        _ => Vec::new(),
    };
    Ok((notes, help))
}
