//! Escalation rules of a group (its moderators and the instance's admins manage them)
//! and their evaluator: a background pass every `--escalation-interval` seconds.
//!
//! A pass asks, per rule kind, one set-based query for the (rule, question) pairs due
//! (`db::queries::escalation::due`, what is left of [`MAX_PER_PASS`] at once) and
//! fires them in batches of [`BATCH`], a transaction each ([`burst::fire_chunk`],
//! multi-row inserts): per pair the escalation's row (whose unique key on rule and
//! question lets only one process win a race), the case in the organisation's queue,
//! a notification to each of its staff, and the `escalation.created` webhook. A batch
//! that fails is rolled back and fired pair by pair ([`fire`], a transaction each).
//! Nothing is kept in memory between passes, so a restart loses nothing and repeats
//! nothing.

use super::cases::{self, OpenCase};
use super::outbox::Outbox;
use crate::db::ids::new_id;
use crate::db::models::{Actor, Organisation, Post};
use crate::db::queries;
use crate::db::queries::escalation::{self as eq, Escalation, Rule};
use crate::db::queries::webhooks as wq;
use crate::db::{now_ms, DbConn};
use crate::domain::cases::{Origin, Priority};
use crate::domain::escalation::{self as rules_of_kind, Kind, Problem};
use crate::domain::webhooks as hooks;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use std::time::Duration;

pub mod burst;

/// Pairs fired per transaction.
pub const BATCH: i64 = 500;
/// The most escalations one pass fires (the rest wait for the next pass), so that a
/// rule matching a flood fires it in steps.
pub const MAX_PER_PASS: usize = 5_000;
/// Escalations listed by [`recent`].
pub const RECENT: i64 = 50;

/// Whether the `open_case` kind can be evaluated (it reads the cases table).
pub const OPEN_CASE_AVAILABLE: bool = true;

/// A rule as typed, before it is checked.
pub struct NewRule {
    pub kind: String,
    pub parameter: String,
    pub organisation: String,
    pub priority: String,
}

/// A refused rule, by the form field it is about (`kind`, `parameter`,
/// `organisation`, `priority`).
#[derive(Debug)]
pub struct FieldProblem {
    pub field: &'static str,
    pub message: String,
}

impl From<FieldProblem> for AppError {
    fn from(p: FieldProblem) -> AppError {
        AppError::Invalid(p.message)
    }
}

/// A rule checked against the kinds and the organisations `recognised` by its group.
pub struct Checked {
    pub kind: Kind,
    pub parameter: String,
    pub wait_ms: i64,
    pub organisation_id: i64,
    pub priority: &'static str,
}

/// Checks a typed rule; the first problem, by field.
pub fn check(new: &NewRule, recognised: &[Organisation]) -> Result<Checked, FieldProblem> {
    let problem = |field, message: String| FieldProblem { field, message };
    let kind = Kind::parse(&new.kind)
        .filter(|k| *k != Kind::OpenCase || OPEN_CASE_AVAILABLE)
        .ok_or_else(|| {
            let kinds: Vec<&str> = Kind::ALL
                .iter()
                .filter(|k| **k != Kind::OpenCase || OPEN_CASE_AVAILABLE)
                .map(|k| k.as_str())
                .collect();
            problem(
                "kind",
                format!("unknown rule kind; kinds are {}", kinds.join(", ")),
            )
        })?;
    let (parameter, wait_ms) = rules_of_kind::parameter(kind, &new.parameter)
        .map_err(|p: Problem| problem("parameter", p.message()))?;
    let organisation_id = new
        .organisation
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| recognised.iter().any(|o| o.id == *id))
        .ok_or_else(|| {
            problem(
                "organisation",
                "choose an organisation the group recognises".into(),
            )
        })?;
    let priority = rules_of_kind::check_priority(&new.priority).ok_or_else(|| {
        problem(
            "priority",
            format!(
                "unknown priority; priorities are {}",
                rules_of_kind::PRIORITIES.join(", ")
            ),
        )
    })?;
    Ok(Checked {
        kind,
        parameter,
        wait_ms,
        organisation_id,
        priority,
    })
}

/// The organisations `group` recognises (the ones a rule may name).
pub async fn organisations(state: &AppState, group: &Actor) -> AppResult<Vec<Organisation>> {
    let gid = group.id;
    state
        .db
        .run(move |c| queries::staff::group_orgs(c, gid))
        .await
}

/// A group's rules (its moderators and the admins).
pub async fn list(state: &AppState, by: &Actor, group: &Actor) -> AppResult<Vec<Rule>> {
    let (by, group) = (by.clone(), group.clone());
    state
        .db
        .run(move |c| {
            crate::actions::rules::require_moderator(c, &group, &by)?;
            eq::rules_of(c, group.id)
        })
        .await
}

/// Adds a rule to a local group.
pub async fn create(state: &AppState, by: &Actor, group: &Actor, new: NewRule) -> AppResult<Rule> {
    let (by, group) = (by.clone(), group.clone());
    state
        .db
        .run(move |c| {
            c.transaction(|c| {
                crate::actions::rules::require_moderator(c, &group, &by)?;
                if !group.local {
                    return Err(AppError::Invalid("only a local group has rules".into()));
                }
                let checked = check(&new, &queries::staff::group_orgs(c, group.id)?)?;
                if eq::rules_of(c, group.id)?.len() >= rules_of_kind::MAX_RULES {
                    return Err(AppError::Invalid(format!(
                        "a group has at most {} escalation rules",
                        rules_of_kind::MAX_RULES
                    )));
                }
                let rule = Rule {
                    id: new_id(),
                    group_id: group.id,
                    kind: checked.kind.as_str().into(),
                    parameter: checked.parameter,
                    wait_ms: checked.wait_ms,
                    organisation_id: checked.organisation_id,
                    priority: checked.priority.into(),
                    enabled: true,
                    created_by: Some(by.id),
                    created_at: now_ms(),
                };
                eq::insert_rule(c, &rule)?;
                Ok(rule)
            })
        })
        .await
}

/// The rule `id` of `group`, for one of its moderators.
fn rule_of(c: &mut DbConn, by: &Actor, group: &Actor, id: i64) -> AppResult<Rule> {
    crate::actions::rules::require_moderator(c, group, by)?;
    eq::rule(c, id)?
        .filter(|r| r.group_id == group.id)
        .ok_or_else(|| AppError::NotFound("no such escalation rule".into()))
}

/// Enables or disables a rule. A disabled rule escalates nothing; enabled again, it
/// escalates what became due meanwhile (each question once, as ever).
pub async fn set_enabled(
    state: &AppState,
    by: &Actor,
    group: &Actor,
    id: i64,
    enabled: bool,
) -> AppResult<Rule> {
    let (by, group) = (by.clone(), group.clone());
    state
        .db
        .run(move |c| {
            c.transaction(|c| {
                let mut rule = rule_of(c, &by, &group, id)?;
                eq::set_enabled(c, id, enabled)?;
                rule.enabled = enabled;
                Ok(rule)
            })
        })
        .await
}

/// Deletes a rule with its record of what it escalated (the cases it opened stay).
pub async fn delete(state: &AppState, by: &Actor, group: &Actor, id: i64) -> AppResult<()> {
    let (by, group) = (by.clone(), group.clone());
    state
        .db
        .run(move |c| {
            c.transaction(|c| {
                rule_of(c, &by, &group, id)?;
                eq::delete_rule(c, id)
            })
        })
        .await
}

/// A recent escalation with its rule and question as lists show them.
pub struct Recent {
    pub escalation: Escalation,
    pub rule: Option<Rule>,
    pub question_title: Option<String>,
}

/// A group's latest escalations, newest first (its moderators and the admins).
pub async fn recent(state: &AppState, by: &Actor, group: &Actor) -> AppResult<Vec<Recent>> {
    let (by, group) = (by.clone(), group.clone());
    state
        .db
        .run(move |c| {
            crate::actions::rules::require_moderator(c, &group, &by)?;
            let rules = eq::rules_of(c, group.id)?;
            eq::recent(c, group.id, RECENT)?
                .into_iter()
                .map(|e| {
                    let title = queries::posts::by_id(c, e.question_id)?.and_then(|p| p.title);
                    Ok(Recent {
                        rule: rules.iter().find(|r| r.id == e.rule_id).cloned(),
                        escalation: e,
                        question_title: title,
                    })
                })
                .collect()
        })
        .await
}

/// What one pass did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Pass {
    /// Escalations fired by this process.
    pub fired: usize,
    /// Pairs found due but escalated meanwhile by another process.
    pub lost: usize,
    /// Pairs whose escalation failed (logged; tried again next pass).
    pub failed: usize,
}

/// How a pass fires what is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Firing {
    /// A batch per transaction ([`fire_batch`]): what the evaluator does.
    Batched,
    /// A transaction per pair ([`fire`]): the benchmark's comparison.
    OneByOne,
}

/// One evaluation of every enabled rule at `now`.
pub async fn pass(state: &AppState, now: i64) -> AppResult<Pass> {
    pass_with(state, now, Firing::Batched).await
}

/// [`pass`], firing as `firing` says.
pub async fn pass_with(state: &AppState, now: i64, firing: Firing) -> AppResult<Pass> {
    let mut total = Pass::default();
    let base = std::sync::Arc::new(state.base.clone());
    for kind in Kind::ALL {
        if kind == Kind::OpenCase && !OPEN_CASE_AVAILABLE {
            continue;
        }
        if total.fired >= MAX_PER_PASS {
            break;
        }
        loop {
            let (outbox, base) = (state.outbox.clone(), base.clone());
            // What is left of the pass's escalations, read in one query (the scan
            // costs the same for 500 pairs as for 5,000), fired a batch at a time.
            let limit = (MAX_PER_PASS - total.fired).max(BATCH as usize) as i64;
            let fired_before = total.fired;
            let done = state
                .db
                .run(move |c| {
                    let outbox = super::webhooks::Tap(outbox.as_ref());
                    let due = eq::due(c, kind.as_str(), now, limit)?;
                    let mut pass = Pass::default();
                    for batch in due.chunks(BATCH as usize) {
                        let p = match firing {
                            Firing::Batched => fire_batch(c, &outbox, &base, batch, now),
                            Firing::OneByOne => fire_each(c, &outbox, &base, batch, now),
                        };
                        pass.fired += p.fired;
                        pass.lost += p.lost;
                        pass.failed += p.failed;
                        if fired_before + pass.fired >= MAX_PER_PASS {
                            break;
                        }
                    }
                    Ok((due.len() as i64, pass))
                })
                .await?;
            let (read, pass) = done;
            total.fired += pass.fired;
            total.lost += pass.lost;
            total.failed += pass.failed;
            // A short read was the last; one where nothing fired would be read again.
            if read < limit || pass.fired == 0 || total.fired >= MAX_PER_PASS {
                break;
            }
        }
    }
    if total.fired > 0 {
        state.delivery_notify.notify_one();
    }
    Ok(total)
}

/// Fires the due pairs `due` in one transaction ([`burst::fire_chunk`]); should that
/// fail, one transaction per pair ([`fire`]), so that one bad pair fails alone.
pub fn fire_batch(
    c: &mut DbConn,
    outbox: &dyn Outbox,
    base: &str,
    due: &[(i64, i64)],
    now: i64,
) -> Pass {
    if due.is_empty() {
        return Pass::default();
    }
    match c.transaction(|c| burst::fire_chunk(c, base, due, now)) {
        Ok(chunk) => {
            return Pass {
                fired: chunk.fired,
                lost: chunk.lost,
                failed: 0,
            }
        }
        Err(e) => tracing::warn!(
            "escalating a batch of {} failed ({e}); firing them one by one",
            due.len()
        ),
    }
    fire_each(c, outbox, base, due, now)
}

/// Fires the due pairs `due` in a transaction each.
fn fire_each(
    c: &mut DbConn,
    outbox: &dyn Outbox,
    base: &str,
    due: &[(i64, i64)],
    now: i64,
) -> Pass {
    let mut pass = Pass::default();
    for (rule, question) in due {
        match c.transaction(|c| fire(c, outbox, base, *rule, *question, now)) {
            Ok(true) => pass.fired += 1,
            Ok(false) => pass.lost += 1,
            Err(e) => {
                tracing::warn!("escalating question {question} failed: {e}");
                pass.failed += 1;
            }
        }
    }
    pass
}

/// Escalates `question` under `rule`, on the open transaction; false when the rule has
/// escalated it already (or it is gone).
pub fn fire(
    c: &mut DbConn,
    outbox: &dyn Outbox,
    base: &str,
    rule: i64,
    question: i64,
    now: i64,
) -> AppResult<bool> {
    let Some(rule) = eq::rule(c, rule)? else {
        return Ok(false);
    };
    let (Some(q), Some(group), Some(org)) = (
        queries::posts::by_id(c, question)?,
        queries::actors::by_id(c, rule.group_id)?,
        queries::staff::org(c, rule.organisation_id)?,
    ) else {
        return Ok(false);
    };
    let Some(author) = queries::actors::by_id(c, q.author_id)? else {
        return Ok(false);
    };
    let mut e = Escalation {
        id: new_id(),
        rule_id: rule.id,
        question_id: q.id,
        group_id: rule.group_id,
        organisation_id: rule.organisation_id,
        priority: rule.priority.clone(),
        case_id: None,
        created_at: now,
    };
    if !eq::insert(c, &e)? {
        return Ok(false);
    }
    match open_case(c, outbox, base, &rule, &q)? {
        // The case tells the organisation's staff (`case_created`).
        Some(case) => {
            eq::set_case(c, e.id, case)?;
            e.case_id = Some(case);
        }
        None => {
            eq::notify_staff(c, &e, author.id)?;
        }
    }
    let endpoints = wq::subscribers_of_org(c, org.id, hooks::ESCALATION_CREATED)?;
    if !endpoints.is_empty() {
        let about = hooks::Escalated {
            id: e.id,
            rule_id: rule.id,
            kind: &rule.kind,
            parameter: &rule.parameter,
            priority: &rule.priority,
            case_id: e.case_id,
            organisation_id: org.id,
            organisation_name: &org.name,
        };
        let body = hooks::escalation_created(&about, &q, &author, &group, now);
        wq::enqueue(c, &endpoints, hooks::ESCALATION_CREATED, &body)?;
    }
    Ok(true)
}

/// Opens a case in the organisation's queue with the rule's priority, linking the
/// question (`actions::cases::open_in`, origin: the rule), on the open transaction; its
/// id. A case the cases' rules refuse (the asker's account was deleted, say) is logged
/// and the escalation is recorded without one, so that it is not tried again forever.
fn open_case(
    c: &mut DbConn,
    outbox: &dyn Outbox,
    base: &str,
    rule: &Rule,
    question: &Post,
) -> AppResult<Option<i64>> {
    let title = question.title.as_deref().unwrap_or("").trim();
    let mut subject = if title.is_empty() {
        format!("Question {}", question.id)
    } else {
        title.to_string()
    };
    while subject.len() > crate::domain::cases::MAX_SUBJECT {
        subject.pop();
    }
    let new = OpenCase {
        org_id: rule.organisation_id,
        group_id: Some(rule.group_id),
        customer_actor_id: question.author_id,
        question_ids: vec![question.id],
        priority: Priority::parse(&rule.priority).unwrap_or(Priority::Normal),
        origin: Origin::Rule { rule_id: rule.id },
        subject,
        private_details: None,
    };
    // A savepoint: a refused case leaves nothing half written.
    match c.transaction(|c| cases::open_in(c, outbox, base, new)) {
        Ok(case) => Ok(Some(case.id)),
        Err(e) if !e.status().is_server_error() => {
            tracing::warn!("escalation of question {} opened no case: {e}", question.id);
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// The evaluator: a pass every `--escalation-interval` seconds (never, at 0). Every
/// process runs one; processes sharing a database split nothing and agree through the
/// escalations' unique key.
pub async fn run(state: AppState) {
    let secs = state.settings.escalation_interval;
    if secs == 0 {
        return;
    }
    let mut tick = tokio::time::interval(Duration::from_secs(secs));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match pass(&state, now_ms()).await {
            Ok(p) if p.fired + p.failed > 0 => {
                tracing::info!(fired = p.fired, failed = p.failed, "escalation pass");
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("escalation pass failed: {e}"),
        }
    }
}
