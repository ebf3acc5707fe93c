//! Cases: an organisation's private conversation with one customer about one or more
//! questions. Opened by the customer (from their question or a group's page), by the
//! organisation's staff (from the staff inbox), by an escalation rule or when personal
//! data is found; answered by the customer and the staff here, by the customer's
//! direct replies from another server, and by the organisation's CRM (`actions::crm`).
//!
//! Who may see a case: its customer, the staff of its organisation and the admins;
//! for anyone else it does not exist ([`AppError::NotFound`], never 403).
//!
//! Every write is one transaction with its notifications, its webhooks (`case.created`,
//! `case.updated`, `case.message` to the organisation's endpoints) and, for a customer
//! on another server, the staff's message as a direct note to them alone
//! ([`Outgoing::CaseMessage`]). Nothing of a case is public but the note the staff
//! choose to show on the thread ([`public_notes`]). On a question of a group hosted here,
//! setting, changing or clearing it (or linking another question to a case that has one)
//! is also the group's `Update` of the question carrying its notes
//! ([`Outgoing::SupportNotes`]); the notes other servers' groups send for their questions
//! are kept ([`receive_notes`]) and shown the same way.

use super::commit;
use super::outbox::{Outbox, Outgoing};
use crate::db::ids::new_id;
use crate::db::models::{Actor, Organisation, Post, User};
use crate::db::queries;
use crate::db::queries::cases::{self as cq, Case, CaseMessage};
use crate::db::{now_ms, DbConn};
use crate::domain::cases::{self as dc};
pub use crate::domain::cases::{Origin, Priority, Status};
use crate::domain::text::markdown_to_html;
use crate::domain::webhooks as hooks;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Notification kinds of cases (the subject is `{case id}:{event}`).
pub const NOTIFY_CREATED: &str = "case_created";
pub const NOTIFY_MESSAGE: &str = "case_message";
pub const NOTIFY_STATUS: &str = "case_status";

/// A case to open.
#[derive(Clone, Debug)]
pub struct OpenCase {
    /// The organisation that handles it.
    pub org_id: i64,
    /// The group it came from (by default the group of its first question).
    pub group_id: Option<i64>,
    /// The customer's actor (here or on another server).
    pub customer_actor_id: i64,
    /// Questions linked to it from the start.
    pub question_ids: Vec<i64>,
    pub priority: Priority,
    pub origin: Origin,
    pub subject: String,
    /// The first private message (order number, serial, account e-mail): never
    /// federated but to the customer themselves, never public.
    pub private_details: Option<String>,
}

pub use super::rules::CaseRole as Role;

/// How `viewer` stands to `case`; `None`: the case does not exist for them.
pub fn role(c: &mut DbConn, case: &Case, viewer: &Actor) -> AppResult<Option<Role>> {
    super::rules::case_role(c, case, viewer)
}

fn not_found() -> AppError {
    AppError::NotFound("no such case".into())
}

/// The case `number` and how `viewer` stands to it (404 for those who may not see it).
pub fn case_for(c: &mut DbConn, number: i64, viewer: &Actor) -> AppResult<(Case, Role)> {
    let case = cq::by_number(c, number)?.ok_or_else(not_found)?;
    let role = role(c, &case, viewer)?.ok_or_else(not_found)?;
    Ok((case, role))
}

/// Whether the customer `customer_actor_id` has a case of `org_id` still open (open,
/// pending the customer or pending the company).
pub fn has_open_case(conn: &mut DbConn, customer_actor_id: i64, org_id: i64) -> AppResult<bool> {
    cq::has_open(conn, customer_actor_id, org_id)
}

fn actor(c: &mut DbConn, id: i64) -> AppResult<Actor> {
    queries::actors::by_id(c, id)?.ok_or_else(|| AppError::NotFound("no such person".into()))
}

fn organisation(c: &mut DbConn, id: i64) -> AppResult<Organisation> {
    queries::staff::org(c, id)?.ok_or_else(|| AppError::NotFound("no such organisation".into()))
}

/// The local user of an actor, if any.
fn user_of(c: &mut DbConn, a: &Actor) -> AppResult<Option<User>> {
    match a.local {
        true => queries::users::by_actor_id(c, a.id),
        false => Ok(None),
    }
}

/// Opens a case (see [`open_in`]) in a transaction of its own.
pub async fn open(state: &AppState, new: OpenCase) -> AppResult<Case> {
    let base = state.base.clone();
    commit(state, move |c, outbox| open_in(c, outbox, &base, new)).await
}

/// Opens a case on the open transaction: checks who opens it for what, numbers it,
/// links its questions, stores the private details as its first message, notifies the
/// organisation's staff (and a local customer when someone else opened it), queues
/// `case.created` and, for staff's details to a customer elsewhere, their direct note.
/// `base` is the instance's URL (for the case's link in webhooks).
pub fn open_in(c: &mut DbConn, outbox: &dyn Outbox, base: &str, new: OpenCase) -> AppResult<Case> {
    let subject = dc::check_subject(&new.subject)?;
    let details = match new.private_details.as_deref().map(str::trim) {
        Some(d) if !d.is_empty() => Some(dc::check_message(d)?),
        _ => None,
    };
    let mut ids = new.question_ids.clone();
    ids.sort();
    ids.dedup();
    if ids.len() > dc::MAX_QUESTIONS {
        return Err(AppError::Invalid(format!(
            "a case links at most {} questions",
            dc::MAX_QUESTIONS
        )));
    }
    let org = organisation(c, new.org_id)?;
    let customer = actor(c, new.customer_actor_id)?;
    if customer.is_group() || customer.deleted {
        return Err(AppError::Invalid("a case's customer is a person".into()));
    }
    let mut questions = Vec::new();
    for id in &new.question_ids {
        if questions.iter().any(|q: &Post| q.id == *id) {
            continue;
        }
        let q = queries::posts::by_id(c, *id)?
            .filter(|q| q.is_question())
            .ok_or_else(|| AppError::NotFound("no such question".into()))?;
        questions.push(q);
    }
    let group_id = new
        .group_id
        .or_else(|| questions.first().and_then(|q| q.group_id));
    // Who may open it.
    let opener = match new.origin {
        Origin::Customer => {
            if !customer.local {
                return Err(AppError::Forbidden(
                    "customers open cases on their own server".into(),
                ));
            }
            if questions.iter().any(|q| q.author_id != customer.id) {
                return Err(AppError::Forbidden(
                    "open a case from your own questions".into(),
                ));
            }
            let recognised = match group_id {
                Some(g) => queries::staff_console::recognises(c, g, org.id)?,
                None => false,
            };
            if !recognised {
                return Err(AppError::Invalid(
                    "this group does not recognise that organisation: choose one it lists".into(),
                ));
            }
            Some(customer.clone())
        }
        Origin::Staff { by } => {
            let staff = actor(c, by)?;
            let user = user_of(c, &staff)?;
            let allowed = user
                .as_ref()
                .is_some_and(|u| u.organisation_id == Some(org.id) || u.is_admin);
            if !allowed {
                return Err(AppError::Forbidden(
                    "only the organisation's staff and admins open its cases".into(),
                ));
            }
            Some(staff)
        }
        Origin::Rule { .. } | Origin::PersonalData => None,
    };
    let now = now_ms();
    let (origin, origin_ref) = new.origin.columns();
    let case = Case {
        id: new_id(),
        number: cq::next_number(c)?,
        organisation_id: org.id,
        group_id,
        customer_id: customer.id,
        subject,
        status: Status::Open.as_str().into(),
        priority: new.priority.as_str().into(),
        assignee_id: None,
        origin: origin.into(),
        origin_ref,
        crm_ticket_id: None,
        public_note: None,
        created_at: now,
        updated_at: now,
    };
    cq::insert(c, &case)?;
    for q in &questions {
        cq::link(c, case.id, q.id)?;
    }
    let first = match details {
        Some(body) => {
            let (kind, author) = match new.origin {
                Origin::Customer => ("customer", Some(customer.clone())),
                Origin::Staff { .. } => ("staff", opener.clone()),
                _ => ("system", None),
            };
            let m = store_message(c, outbox, &case, &customer, kind, author.as_ref(), &body)?;
            Some((m, author))
        }
        None => None,
    };
    // Notifications: the organisation's staff, and the customer here when someone else
    // opened it; never the opener.
    let opener_id = opener.as_ref().map(|a| a.id);
    let mut to: Vec<i64> = cq::staff_of(c, org.id)?
        .into_iter()
        .filter(|(_, a)| Some(*a) != opener_id)
        .map(|(u, _)| u)
        .collect();
    if opener_id != Some(customer.id) {
        if let Some(u) = user_of(c, &customer)? {
            to.push(u.id);
        }
    }
    cq::notify(c, &to, NOTIFY_CREATED, &case, case.id, opener_id)?;
    let data = Snapshot::load(c, base, &case)?;
    let first_ref = first.as_ref().map(|(m, a)| (m, a.as_ref()));
    let body = hooks::case_created(&data.view(), first_ref, now);
    queue_case_event(c, &case, hooks::CASE_CREATED, body)?;
    Ok(case)
}

/// What the webhook bodies of a case show of it.
pub(crate) struct Snapshot {
    base: String,
    case: Case,
    org: Organisation,
    customer: Actor,
    assignee: Option<Actor>,
    questions: Vec<Post>,
}

impl Snapshot {
    pub(crate) fn load(c: &mut DbConn, base: &str, case: &Case) -> AppResult<Snapshot> {
        let ids = cq::questions_of(c, case.id)?;
        Ok(Snapshot {
            base: base.to_string(),
            case: case.clone(),
            org: organisation(c, case.organisation_id)?,
            customer: actor(c, case.customer_id)?,
            assignee: match case.assignee_id {
                Some(a) => queries::actors::by_id(c, a)?,
                None => None,
            },
            questions: queries::posts::by_ids(c, &ids)?,
        })
    }

    pub(crate) fn view(&self) -> hooks::CaseData<'_> {
        hooks::CaseData {
            case: &self.case,
            url: format!("{}/cases/{}", self.base, self.case.number),
            organisation: &self.org,
            customer: &self.customer,
            assignee: self.assignee.as_ref(),
            questions: &self.questions,
        }
    }
}

/// Queues a case event for the endpoints of the case's organisation that take it.
pub(crate) fn queue_case_event(
    c: &mut DbConn,
    case: &Case,
    kind: &str,
    body: String,
) -> AppResult<usize> {
    let endpoints = queries::webhooks::subscribers_of_org(c, case.organisation_id, kind)?;
    if endpoints.is_empty() {
        return Ok(0);
    }
    queries::webhooks::enqueue(c, &endpoints, kind, &body)
}

/// Stores a message of `case`; a message of the staff or the CRM to a customer on
/// another server is also sent to them as a direct note (by `author`, or the instance
/// when the CRM wrote it), replying to the case's previous federated message.
pub(crate) fn store_message(
    c: &mut DbConn,
    outbox: &dyn Outbox,
    case: &Case,
    customer: &Actor,
    kind: &str,
    author: Option<&Actor>,
    body_md: &str,
) -> AppResult<CaseMessage> {
    let id = new_id();
    let mut ap_id = None;
    if !customer.local && matches!(kind, "staff" | "crm") {
        let sender = match author {
            Some(a) => a.clone(),
            None => {
                let site = queries::site::load(c)?
                    .ok_or_else(|| AppError::Internal("the site is not set up".into()))?;
                actor(c, site.instance_actor_id)?
            }
        };
        let event = Outgoing::CaseMessage {
            customer: customer.clone(),
            message_id: id,
            body_md: body_md.to_string(),
            in_reply_to: cq::last_federated(c, case.id)?,
        };
        ap_id = Some(outbox.record(c, &sender, event)?);
    }
    let m = CaseMessage {
        id,
        case_id: case.id,
        author_kind: kind.into(),
        author_id: author.map(|a| a.id),
        body_md: body_md.to_string(),
        body_html: markdown_to_html(body_md),
        ap_id,
        created_at: now_ms(),
    };
    cq::add_message(c, &m)?;
    Ok(m)
}

/// After a new message: the status moves (the customer answered what was asked of
/// them), the others are notified, `case.message` is queued.
pub(crate) fn after_message(
    c: &mut DbConn,
    base: &str,
    mut case: Case,
    m: &CaseMessage,
    author: Option<&Actor>,
) -> AppResult<Case> {
    let now = now_ms();
    if m.author_kind == "customer" && case.status == Status::PendingCustomer.as_str() {
        case.status = Status::PendingCompany.as_str().into();
    }
    case.updated_at = now;
    cq::update(c, &case)?;
    let to: Vec<i64> = if m.author_kind == "customer" {
        // The assignee, or every staff member of the organisation when nobody is.
        cq::staff_of(c, case.organisation_id)?
            .into_iter()
            .filter(|(_, a)| case.assignee_id.is_none_or(|x| x == *a))
            .map(|(u, _)| u)
            .collect()
    } else {
        let customer = actor(c, case.customer_id)?;
        user_of(c, &customer)?.map(|u| u.id).into_iter().collect()
    };
    cq::notify(c, &to, NOTIFY_MESSAGE, &case, m.id, author.map(|a| a.id))?;
    let snap = Snapshot::load(c, base, &case)?;
    let body = hooks::case_message(&snap.view(), m, author, now);
    queue_case_event(c, &case, hooks::CASE_MESSAGE, body)?;
    Ok(case)
}

/// A reply by `by` (the customer, the organisation's staff, an admin) to the case
/// `number`.
pub async fn reply(
    state: &AppState,
    by: &Actor,
    number: i64,
    body: &str,
) -> AppResult<CaseMessage> {
    let body = dc::check_message(body)?;
    let (by, base) = (by.clone(), state.base.clone());
    commit(state, move |c, outbox| {
        let (case, role) = case_for(c, number, &by)?;
        if case.status == Status::Closed.as_str() {
            return Err(AppError::Invalid(
                "this case is closed; open a new one".into(),
            ));
        }
        let kind = if role.handles() { "staff" } else { "customer" };
        let customer = actor(c, case.customer_id)?;
        let m = store_message(c, outbox, &case, &customer, kind, Some(&by), &body)?;
        after_message(c, &base, case, &m, Some(&by))?;
        Ok(m)
    })
    .await
}

/// A customer's reply received from their server (the note `note_id`, replying to a
/// message of the case `case_id`): kept in the case once. Refused unless `author` is
/// the case's customer.
pub async fn receive_reply(
    state: &AppState,
    case_id: i64,
    author: &Actor,
    note_id: &str,
    html: &str,
    source: Option<String>,
) -> AppResult<()> {
    let (author, note_id, html, base) = (
        author.clone(),
        note_id.to_string(),
        html.to_string(),
        state.base.clone(),
    );
    let text = source.unwrap_or_else(|| crate::domain::posts::html_to_text(&html));
    commit(state, move |c, _| {
        let case = cq::by_id(c, case_id)?.ok_or_else(not_found)?;
        if case.customer_id != author.id {
            return Err(AppError::Forbidden(
                "only the case's customer can reply to a case message".into(),
            ));
        }
        if cq::message_by_ap_id(c, &note_id)?.is_some() {
            return Ok(());
        }
        let m = CaseMessage {
            id: new_id(),
            case_id: case.id,
            author_kind: "customer".into(),
            author_id: Some(author.id),
            body_md: text,
            body_html: html,
            ap_id: Some(note_id),
            created_at: now_ms(),
        };
        cq::add_message(c, &m)?;
        after_message(c, &base, case, &m, Some(&author))?;
        Ok(())
    })
    .await
}

/// What staff change of a case (`None`: unchanged).
#[derive(Clone, Debug, Default)]
pub struct Changes {
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    /// `Some(None)` unassigns; an assignee is an actor of the organisation's staff.
    pub assignee: Option<Option<i64>>,
    /// `Some("")` clears the note.
    pub public_note: Option<String>,
    /// Questions to link.
    pub link_questions: Vec<i64>,
}

/// Staff of the case's organisation (or an admin) change the case `number`.
pub async fn update(state: &AppState, by: &Actor, number: i64, ch: Changes) -> AppResult<Case> {
    let note = match &ch.public_note {
        Some(n) => Some(dc::check_note(n)?),
        None => None,
    };
    let (by, base) = (by.clone(), state.base.clone());
    commit(state, move |c, outbox| {
        let (case, role) = case_for(c, number, &by)?;
        if !role.handles() {
            return Err(AppError::Forbidden(
                "only the organisation's staff change a case".into(),
            ));
        }
        let mut next = case.clone();
        let mut changed: Vec<&str> = Vec::new();
        if let Some(s) = ch.status.filter(|s| s.as_str() != case.status) {
            next.status = s.as_str().into();
            changed.push("status");
        }
        if let Some(p) = ch.priority.filter(|p| p.as_str() != case.priority) {
            next.priority = p.as_str().into();
            changed.push("priority");
        }
        if let Some(a) = ch.assignee.filter(|a| *a != case.assignee_id) {
            if let Some(a) = a {
                let ok = cq::staff_of(c, case.organisation_id)?
                    .iter()
                    .any(|(_, s)| *s == a);
                if !ok {
                    return Err(AppError::Invalid(
                        "assign the case to a staff member of its organisation".into(),
                    ));
                }
            }
            next.assignee_id = a;
            changed.push("assignee");
        }
        if let Some(n) = note.filter(|n| *n != case.public_note) {
            next.public_note = n;
            changed.push("public_note");
        }
        let mut linked = Vec::new();
        for q in &ch.link_questions {
            let question = queries::posts::by_id(c, *q)?
                .filter(|p| p.is_question())
                .ok_or_else(|| AppError::NotFound("no such question".into()))?;
            if cq::link(c, case.id, question.id)? {
                linked.push(question.id);
            }
        }
        if !linked.is_empty() {
            changed.push("questions");
        }
        if changed.is_empty() {
            return Ok(case);
        }
        // Other servers see the notes of the questions whose notes changed: all the
        // case's questions when its note did, else the newly linked ones if it has one.
        let noted = match (changed.contains(&"public_note"), &next.public_note) {
            (true, _) => cq::questions_of(c, case.id)?,
            (false, Some(_)) => linked,
            (false, None) => Vec::new(),
        };
        let next = apply_changes(c, &base, next, &changed, &by.handle(), Some(by.id))?;
        federate_notes(c, outbox, &noted)?;
        Ok(next)
    })
    .await
}

/// The group's `Update` of each of `questions` that is in a group hosted here, carrying
/// the notes it has now (none left: an empty list). Nothing else of a case is sent.
fn federate_notes(c: &mut DbConn, outbox: &dyn Outbox, questions: &[i64]) -> AppResult<()> {
    for question in queries::posts::by_ids(c, questions)? {
        let group = match question.group_id {
            Some(g) => queries::actors::by_id(c, g)?.filter(|g| g.local && g.is_group()),
            None => None,
        };
        if let Some(group) = group.filter(|_| question.is_question() && question.visible()) {
            let event = Outgoing::SupportNotes {
                question,
                group: group.clone(),
            };
            outbox.record(c, &group, event)?;
        }
    }
    Ok(())
}

/// Saves a changed case: the customer is told of a new status, `case.updated` queued.
pub(crate) fn apply_changes(
    c: &mut DbConn,
    base: &str,
    mut next: Case,
    changed: &[&str],
    by: &str,
    by_actor: Option<i64>,
) -> AppResult<Case> {
    let now = now_ms();
    next.updated_at = now;
    cq::update(c, &next)?;
    if changed.contains(&"status") {
        let customer = actor(c, next.customer_id)?;
        if let Some(u) = user_of(c, &customer)? {
            cq::notify(c, &[u.id], NOTIFY_STATUS, &next, now, by_actor)?;
        }
    }
    let snap = Snapshot::load(c, base, &next)?;
    let body = hooks::case_updated(&snap.view(), changed, by, now);
    queue_case_event(c, &next, hooks::CASE_UPDATED, body)?;
    Ok(next)
}

/// The notes shown on the thread of `question`: (organisation's name, note), first those
/// that staff here chose to show (one per case linked to it that has one), then those its
/// group on another server sent ([`receive_notes`]).
pub fn public_notes(c: &mut DbConn, question: i64) -> AppResult<Vec<(String, String)>> {
    let mut out = local_notes(c, question)?;
    out.extend(cq::remote_notes(c, question)?);
    Ok(out)
}

/// The notes of the cases here linked to `question`: what its group, when hosted here,
/// sends to other servers.
pub fn local_notes(c: &mut DbConn, question: i64) -> AppResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    for case in cq::of_question(c, question)? {
        if let Some(note) = case.public_note {
            let org = organisation(c, case.organisation_id)?;
            out.push((org.name, note));
        }
    }
    Ok(out)
}

/// The notes the group of `question` (on another server) sent for it, replacing those
/// kept before (checked and cleaned by the caller); whether they changed.
pub fn receive_notes(
    c: &mut DbConn,
    question: &Post,
    notes: &[(String, String)],
) -> AppResult<bool> {
    if !question.is_question() {
        return Ok(false);
    }
    cq::replace_remote_notes(c, question.id, notes)
}

/// [`public_notes`] on a connection of its own.
pub async fn public_notes_of(state: &AppState, question: i64) -> AppResult<Vec<(String, String)>> {
    state.db.run(move |c| public_notes(c, question)).await
}
