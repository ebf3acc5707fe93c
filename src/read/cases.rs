//! Cases as their customer, the organisation's staff and the admins see them (the API
//! and the pages both show these): one case with its conversation, a customer's cases,
//! an organisation's queue, and the customer view of one person for staff. Anyone else
//! is told the case does not exist.

use crate::actions::rules::{case_role, CaseRole};
use crate::db::models::{Actor, Organisation, Post, User};
use crate::db::queries;
use crate::db::queries::cases::{self as cq, Case, CaseMessage, Filter};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use std::collections::HashMap;

/// A message with its author.
#[derive(Clone, Debug)]
pub struct MessageView {
    pub message: CaseMessage,
    pub author: Option<Actor>,
}

/// One case as a viewer may see it.
#[derive(Clone, Debug)]
pub struct CaseDetail {
    pub case: Case,
    pub role: CaseRole,
    pub organisation: Organisation,
    pub customer: Actor,
    pub assignee: Option<Actor>,
    pub group: Option<Actor>,
    pub questions: Vec<Post>,
    pub messages: Vec<MessageView>,
    /// The organisation's staff (whom it may be assigned to), for those who handle it.
    pub staff: Vec<Actor>,
}

/// A case in a list.
#[derive(Clone, Debug)]
pub struct CaseRow {
    pub case: Case,
    pub organisation: String,
    pub customer: Actor,
    pub assignee: Option<Actor>,
}

fn not_found() -> AppError {
    AppError::NotFound("no such case".into())
}

fn actors_by_id(c: &mut DbConn, ids: &[i64]) -> AppResult<HashMap<i64, Actor>> {
    let mut ids = ids.to_vec();
    ids.sort();
    ids.dedup();
    Ok(queries::actors::by_ids(c, &ids)?
        .into_iter()
        .map(|a| (a.id, a))
        .collect())
}

/// The case `number` for `viewer` (404 for those who may not see it).
pub async fn detail(state: &AppState, viewer: &Actor, number: i64) -> AppResult<CaseDetail> {
    let viewer = viewer.clone();
    state
        .db
        .run(move |c| {
            c.snapshot(|c| {
                let case = cq::by_number(c, number)?.ok_or_else(not_found)?;
                let role = case_role(c, &case, &viewer)?.ok_or_else(not_found)?;
                let organisation =
                    queries::staff::org(c, case.organisation_id)?.ok_or_else(not_found)?;
                let messages = cq::messages(c, case.id)?;
                let mut ids: Vec<i64> = messages.iter().filter_map(|m| m.author_id).collect();
                ids.push(case.customer_id);
                ids.extend(case.assignee_id);
                ids.extend(case.group_id);
                let staff_ids: Vec<i64> = match role.handles() {
                    true => cq::staff_of(c, case.organisation_id)?
                        .into_iter()
                        .map(|(_, a)| a)
                        .collect(),
                    false => vec![],
                };
                ids.extend(&staff_ids);
                let actors = actors_by_id(c, &ids)?;
                let question_ids = cq::questions_of(c, case.id)?;
                let questions = queries::posts::by_ids(c, &question_ids)?;
                let customer = actors
                    .get(&case.customer_id)
                    .cloned()
                    .ok_or_else(not_found)?;
                Ok(CaseDetail {
                    role,
                    organisation,
                    customer,
                    assignee: case.assignee_id.and_then(|a| actors.get(&a).cloned()),
                    group: case.group_id.and_then(|g| actors.get(&g).cloned()),
                    questions,
                    messages: messages
                        .into_iter()
                        .map(|m| MessageView {
                            author: m.author_id.and_then(|a| actors.get(&a).cloned()),
                            message: m,
                        })
                        .collect(),
                    staff: staff_ids
                        .iter()
                        .filter_map(|a| actors.get(a).cloned())
                        .collect(),
                    case,
                })
            })
        })
        .await
}

fn rows(c: &mut DbConn, cases: Vec<Case>) -> AppResult<Vec<CaseRow>> {
    let mut ids: Vec<i64> = cases.iter().map(|k| k.customer_id).collect();
    ids.extend(cases.iter().filter_map(|k| k.assignee_id));
    let actors = actors_by_id(c, &ids)?;
    let orgs: HashMap<i64, String> = queries::staff::orgs(c)?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    Ok(cases
        .into_iter()
        .filter_map(|case| {
            Some(CaseRow {
                organisation: orgs.get(&case.organisation_id).cloned().unwrap_or_default(),
                customer: actors.get(&case.customer_id).cloned()?,
                assignee: case.assignee_id.and_then(|a| actors.get(&a).cloned()),
                case,
            })
        })
        .collect())
}

/// The cases of the customer `viewer`, newest first.
pub async fn mine(state: &AppState, viewer: &Actor) -> AppResult<Vec<CaseRow>> {
    let id = viewer.id;
    state
        .db
        .run(move |c| {
            let cases = cq::of_customer(c, id, 200)?;
            rows(c, cases)
        })
        .await
}

/// Whether `user` handles the cases of `org`: its staff, and admins.
pub fn handles_org(user: &User, org: i64) -> bool {
    !user.suspended() && (user.organisation_id == Some(org) || user.is_admin)
}

/// The queue of `org`'s cases for its staff (and admins), newest first.
pub async fn queue(
    state: &AppState,
    user: &User,
    org: i64,
    filter: Filter,
) -> AppResult<Vec<CaseRow>> {
    if !handles_org(user, org) {
        return Err(AppError::Forbidden(
            "only the organisation's staff and admins see its cases".into(),
        ));
    }
    state
        .db
        .run(move |c| {
            queries::staff::org(c, org)?
                .ok_or_else(|| AppError::NotFound("no such organisation".into()))?;
            let cases = cq::of_org(c, org, &filter, 200)?;
            rows(c, cases)
        })
        .await
}

/// One person as the staff see them: their questions, answers, cases, reputation, home
/// instance and the CRM's ids of their cases.
#[derive(Clone, Debug)]
pub struct CustomerView {
    pub person: Actor,
    pub questions: Vec<Post>,
    pub answers: Vec<Post>,
    /// The viewer's organisation's cases with them (all their cases, for an admin).
    pub cases: Vec<CaseRow>,
    pub reputation: i64,
    /// Their home instance (this one's domain for a local person).
    pub home: String,
    /// The CRM's ticket ids of those cases.
    pub crm_ids: Vec<String>,
}

/// The customer view of the person `actor_id`, for staff of an organisation and admins.
pub async fn customer(state: &AppState, user: &User, actor_id: i64) -> AppResult<CustomerView> {
    if user.suspended() || (user.organisation_id.is_none() && !user.is_admin) {
        return Err(AppError::Forbidden(
            "only staff of an organisation and admins see customers".into(),
        ));
    }
    let (org, admin) = (user.organisation_id, user.is_admin);
    state
        .db
        .run(move |c| {
            c.snapshot(|c| {
                let person = queries::actors::by_id(c, actor_id)?
                    .filter(|a| !a.is_group() && a.kind != "Application")
                    .ok_or_else(|| AppError::NotFound("no such person".into()))?;
                let posts = queries::posts::by_author(c, person.id, 100)?;
                let (questions, answers): (Vec<Post>, Vec<Post>) =
                    posts.into_iter().partition(|p| p.is_question());
                let answers = answers
                    .into_iter()
                    .filter(|p| p.kind == crate::db::models::ANSWER)
                    .collect();
                let cases: Vec<Case> = cq::of_customer(c, person.id, 200)?
                    .into_iter()
                    .filter(|k| admin || Some(k.organisation_id) == org)
                    .collect();
                let crm_ids = cases
                    .iter()
                    .filter_map(|k| k.crm_ticket_id.clone())
                    .collect();
                let reputation = queries::reputation::totals(c, &[person.id])?
                    .first()
                    .map(|(_, s)| *s)
                    .unwrap_or(0);
                let home = person.domain.clone();
                Ok(CustomerView {
                    cases: rows(c, cases)?,
                    questions,
                    answers,
                    reputation,
                    home,
                    crm_ids,
                    person,
                })
            })
        })
        .await
}
