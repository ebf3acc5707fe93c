//! Firing a chunk of due escalations (one batch of [`super::BATCH`] pairs) in one
//! transaction, so that a pass that fires thousands at once (a rule made over a backlog,
//! a restart after downtime) pays for a few statements per chunk instead of a dozen per
//! escalation.
//!
//! What the chunk needs is read once: its rules, questions, askers, groups,
//! organisations, the organisations' staff and webhook endpoints, the recipients' email
//! choices. Then, with multi-row inserts: the escalations (the unique key on rule and
//! question skips what another process escalated meanwhile; only the rows that landed
//! go on), one bump of the case counter for all the chunk's case numbers, the cases and
//! their links, the `case_created` notifications (staff and a local asker), and the
//! `case.created` and `escalation.created` webhooks. Each escalation ends up exactly as
//! [`super::fire`] leaves it (the case as `cases::open_in` opens it for a rule): an
//! asker who cannot be a case's customer (a deleted account, a group) gets the
//! escalation recorded without a case and the staff an `escalation` notification.
//!
//! If the chunk fails, its transaction rolls back whole and the caller fires its pairs
//! one by one ([`super::fire`]), so that one bad question holds back no other.

use crate::actions::cases::{Origin, Priority, Status, NOTIFY_CREATED};
use crate::db::ids::new_id;
use crate::db::models::{Actor, Organisation, Post};
use crate::db::queries;
use crate::db::queries::cases::{self as cq, Case};
use crate::db::queries::escalation::{self as eq, Escalation, Rule};
use crate::db::queries::notifications::Notification;
use crate::db::queries::webhooks as wq;
use crate::db::{now_ms, DbConn};
use crate::domain::cases as dc;
use crate::domain::webhooks as hooks;
use crate::error::AppResult;
use std::collections::{HashMap, HashSet};

/// What a chunk did: escalations fired, and pairs skipped (escalated meanwhile by
/// another process, or whose rule, question, asker or organisation is gone).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Chunk {
    pub fired: usize,
    pub lost: usize,
}

/// One escalation of the chunk with what it is about.
struct Planned<'a> {
    e: Escalation,
    rule: &'a Rule,
    question: &'a Post,
    author: &'a Actor,
    group: &'a Actor,
    org: &'a Organisation,
    /// The case's subject, when the escalation opens a case.
    subject: Option<String>,
}

fn sorted(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The subject of the case escalating `question` opens, or `None` when the cases'
/// rules refuse its asker as a customer (as `cases::open_in` would).
fn case_subject(question: &Post, author: &Actor) -> Option<String> {
    if author.is_group() || author.deleted {
        return None;
    }
    let title = question.title.as_deref().unwrap_or("").trim();
    let mut subject = if title.is_empty() {
        format!("Question {}", question.id)
    } else {
        title.to_string()
    };
    while subject.len() > dc::MAX_SUBJECT {
        subject.pop();
    }
    dc::check_subject(&subject).ok()
}

/// Fires the due pairs `due` (rule, question) at `now`, on the open transaction.
pub fn fire_chunk(c: &mut DbConn, base: &str, due: &[(i64, i64)], now: i64) -> AppResult<Chunk> {
    // Read once.
    let rules: HashMap<i64, Rule> =
        eq::rules_by_ids(c, &sorted(due.iter().map(|d| d.0).collect()))?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();
    let questions: HashMap<i64, Post> =
        queries::posts::by_ids(c, &sorted(due.iter().map(|d| d.1).collect()))?
            .into_iter()
            .map(|q| (q.id, q))
            .collect();
    let actor_ids = rules
        .values()
        .map(|r| r.group_id)
        .chain(questions.values().map(|q| q.author_id))
        .collect();
    let actors: HashMap<i64, Actor> = queries::actors::by_ids(c, &sorted(actor_ids))?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let mut orgs: HashMap<i64, Organisation> = HashMap::new();
    for id in sorted(rules.values().map(|r| r.organisation_id).collect()) {
        if let Some(o) = queries::staff::org(c, id)? {
            orgs.insert(id, o);
        }
    }

    // What each pair would write.
    let mut out = Chunk::default();
    let mut planned: Vec<Planned> = Vec::with_capacity(due.len());
    for (rule, question) in due {
        let found = rules.get(rule).and_then(|rule| {
            let question = questions.get(question)?;
            Some(Planned {
                rule,
                question,
                author: actors.get(&question.author_id)?,
                group: actors.get(&rule.group_id)?,
                org: orgs.get(&rule.organisation_id)?,
                subject: None,
                e: Escalation {
                    id: new_id(),
                    rule_id: rule.id,
                    question_id: question.id,
                    group_id: rule.group_id,
                    organisation_id: rule.organisation_id,
                    priority: rule.priority.clone(),
                    case_id: None,
                    created_at: now,
                },
            })
        });
        match found {
            Some(mut p) => {
                p.subject = case_subject(p.question, p.author);
                p.e.case_id = p.subject.as_ref().map(|_| new_id());
                planned.push(p);
            }
            None => out.lost += 1,
        }
    }

    // The escalations; only those that landed go on.
    let mut rows: Vec<Escalation> = planned.iter().map(|p| p.e.clone()).collect();
    rows.sort_by_key(|e| (e.rule_id, e.question_id));
    let landed = eq::insert_many(c, &rows)?;
    let before = planned.len();
    planned.retain(|p| landed.contains(&p.e.id));
    out.lost += before - planned.len();
    out.fired = planned.len();
    if planned.is_empty() {
        return Ok(out);
    }

    // The cases, numbered in the order the pairs came (oldest question first).
    let wall = now_ms();
    let opening = planned.iter().filter(|p| p.e.case_id.is_some()).count() as i64;
    let mut number = match opening {
        0 => 0,
        n => eq::reserve_case_numbers(c, n)?,
    };
    let mut cases: HashMap<i64, Case> = HashMap::new();
    let mut links = Vec::new();
    let mut order = Vec::new();
    for p in &planned {
        let (Some(id), Some(subject)) = (p.e.case_id, &p.subject) else {
            continue;
        };
        let (origin, origin_ref) = Origin::Rule { rule_id: p.rule.id }.columns();
        let case = Case {
            id,
            number,
            organisation_id: p.org.id,
            group_id: Some(p.rule.group_id),
            customer_id: p.author.id,
            subject: subject.clone(),
            status: Status::Open.as_str().into(),
            priority: Priority::parse(&p.rule.priority)
                .unwrap_or(Priority::Normal)
                .as_str()
                .into(),
            assignee_id: None,
            origin: origin.into(),
            origin_ref,
            crm_ticket_id: None,
            public_note: None,
            created_at: wall,
            updated_at: wall,
        };
        number += 1;
        links.push((id, p.question.id));
        order.push(id);
        cases.insert(id, case);
    }
    let rows: Vec<Case> = order.iter().map(|id| cases[id].clone()).collect();
    eq::insert_cases(c, &rows, &links, wall)?;

    // Notifications: each case tells its organisation's staff and a local asker
    // (`case_created`); an escalation without a case tells the staff (`escalation`).
    let mut staff: HashMap<i64, Vec<i64>> = HashMap::new();
    for org in orgs.keys() {
        let users = cq::staff_of(c, *org)?.into_iter().map(|(u, _)| u).collect();
        staff.insert(*org, users);
    }
    let local_askers: Vec<i64> = planned
        .iter()
        .filter(|p| p.e.case_id.is_some() && p.author.local)
        .map(|p| p.author.id)
        .collect();
    let askers = eq::users_of_actors(c, &sorted(local_askers))?;
    let recipients = staff
        .values()
        .flatten()
        .chain(askers.values())
        .copied()
        .collect();
    let email = eq::email_states(c, &sorted(recipients), NOTIFY_CREATED)?;
    let mut notices = Vec::new();
    for p in &planned {
        let Some(case) = p.e.case_id else {
            eq::notify_staff(c, &p.e, p.author.id)?;
            continue;
        };
        let mut to: Vec<i64> = staff.get(&p.org.id).cloned().unwrap_or_default();
        to.extend(askers.get(&p.author.id));
        let mut seen = HashSet::new();
        for user in to.into_iter().filter(|u| seen.insert(*u)) {
            notices.push(Notification {
                id: new_id(),
                user_id: user,
                kind: NOTIFY_CREATED.into(),
                subject: format!("{case}:{case}"),
                actor_id: None,
                post_id: None,
                badge: None,
                report_id: None,
                created_at: wall,
                read_at: None,
                email_state: email.get(&user).copied().unwrap_or("none").into(),
                emailed_at: None,
            });
        }
    }
    eq::insert_notifications(c, &notices)?;

    // Webhooks: `case.created` and `escalation.created` to the organisation's endpoints
    // that take them, bodies built only when one does.
    let mut endpoints: HashMap<(i64, &str), Vec<i64>> = HashMap::new();
    for org in orgs.keys() {
        for kind in [hooks::CASE_CREATED, hooks::ESCALATION_CREATED] {
            endpoints.insert((*org, kind), wq::subscribers_of_org(c, *org, kind)?);
        }
    }
    let mut bodies: Vec<(&[i64], &str, String)> = Vec::new();
    for p in &planned {
        let case_hooks = &endpoints[&(p.org.id, hooks::CASE_CREATED)];
        if let (false, Some(case)) = (case_hooks.is_empty(), p.e.case_id.map(|id| &cases[&id])) {
            let data = hooks::CaseData {
                case,
                url: format!("{base}/cases/{}", case.number),
                organisation: p.org,
                customer: p.author,
                assignee: None,
                questions: std::slice::from_ref(p.question),
            };
            let body = hooks::case_created(&data, None, wall);
            bodies.push((case_hooks, hooks::CASE_CREATED, body));
        }
        let escalation_hooks = &endpoints[&(p.org.id, hooks::ESCALATION_CREATED)];
        if !escalation_hooks.is_empty() {
            let about = hooks::Escalated {
                id: p.e.id,
                rule_id: p.rule.id,
                kind: &p.rule.kind,
                parameter: &p.rule.parameter,
                priority: &p.rule.priority,
                case_id: p.e.case_id,
                organisation_id: p.org.id,
                organisation_name: &p.org.name,
            };
            let body = hooks::escalation_created(&about, p.question, p.author, p.group, now);
            bodies.push((escalation_hooks, hooks::ESCALATION_CREATED, body));
        }
    }
    let deliveries: Vec<(i64, &str, &str)> = bodies
        .iter()
        .flat_map(|(to, kind, body)| to.iter().map(move |e| (*e, *kind, body.as_str())))
        .collect();
    eq::enqueue_many(c, &deliveries, wall)?;
    Ok(out)
}
