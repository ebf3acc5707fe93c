//! Satisfaction surveys: "Did this solve your problem?", asked of a question's asker
//! once, when an answer is accepted or when the question has answers but none accepted
//! `--satisfaction-after-days` days after it was asked; only for questions of groups
//! hosted here (a group's own server asks its askers).
//!
//! A background pass every `--satisfaction-interval` seconds finds the questions due
//! (`db::queries::surveys`) and asks each in a transaction of its own: the survey's row
//! (whose unique key on the question lets only one process win), then a notification
//! for a local asker (which leads to the survey's page), or a direct message to an
//! asker on another server, sent by the instance actor to them alone through the
//! Outbox. Nothing is kept in memory, so a restart loses nothing and asks nothing twice.
//!
//! Answers: the asker's form or the API here; a remote asker's direct reply to the
//! survey's Note (read leniently, English or German) or a Like (yes) or Dislike (no) of
//! it. The first answer is kept; later ones are ignored.

use super::outbox::{Outbox, Outgoing};
use crate::db::ids::new_id;
use crate::db::models::Actor;
use crate::db::queries;
use crate::db::queries::notifications::Notification;
use crate::db::queries::surveys::{self as sq, Survey};
use crate::db::{now_ms, DbConn};
use crate::domain::satisfaction::{self as sat, Answer};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use std::time::Duration;

/// The notification kind of a survey (its subject: the survey's id).
pub const NOTIFY_KIND: &str = "satisfaction";
/// Questions read per query.
pub const BATCH: i64 = 200;
/// The most surveys one pass sends (the rest wait for the next pass).
pub const MAX_PER_PASS: usize = 2_000;
const DAY: i64 = 86_400_000;

/// Why a survey was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    Accepted,
    Days,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Accepted => "accepted",
            Reason::Days => "days",
        }
    }
}

/// One pass at `now`: surveys for acceptances of the last [`sat::LOOKBACK_MS`], then
/// for questions past the wait (`after_days`; 0: none). Returns how many were sent.
pub async fn pass(state: &AppState, now: i64, after_days: u64) -> AppResult<usize> {
    let mut sent = 0;
    let base = std::sync::Arc::new(state.base.clone());
    for reason in [Reason::Accepted, Reason::Days] {
        if reason == Reason::Days && after_days == 0 {
            continue;
        }
        loop {
            let (outbox, base) = (state.outbox.clone(), base.clone());
            let (read, fired) = state
                .db
                .run(move |c| {
                    let due = match reason {
                        Reason::Accepted => {
                            sq::due_accepted(c, now - sat::LOOKBACK_MS, now, BATCH)?
                        }
                        Reason::Days => {
                            let until = now - after_days as i64 * DAY;
                            sq::due_unaccepted(c, until - sat::LOOKBACK_MS, until, BATCH)?
                        }
                    };
                    let outbox = super::webhooks::Tap(outbox.as_ref());
                    let mut fired = 0;
                    for q in &due {
                        match c.transaction(|c| ask(c, &outbox, &base, *q, reason, now)) {
                            Ok(true) => fired += 1,
                            Ok(false) => {}
                            Err(e) => tracing::warn!("surveying question {q} failed: {e}"),
                        }
                    }
                    Ok((due.len() as i64, fired))
                })
                .await?;
            sent += fired;
            if read < BATCH || fired == 0 || sent >= MAX_PER_PASS {
                break;
            }
        }
    }
    if sent > 0 {
        state.delivery_notify.notify_one();
    }
    Ok(sent)
}

/// Asks the asker of `question` (on the open transaction); false when it was asked
/// already (or is gone).
pub fn ask(
    c: &mut DbConn,
    outbox: &dyn Outbox,
    base: &str,
    question: i64,
    reason: Reason,
    now: i64,
) -> AppResult<bool> {
    let Some(q) = queries::posts::by_id(c, question)? else {
        return Ok(false);
    };
    let (Some(asker), Some(group)) = (queries::actors::by_id(c, q.author_id)?, q.group_id) else {
        return Ok(false);
    };
    let survey = Survey {
        id: new_id(),
        question_id: q.id,
        group_id: group,
        asker_id: asker.id,
        reason: reason.as_str().into(),
        sent_at: now,
        note_ap_id: None,
        answer: None,
        answer_comment: None,
        answered_at: None,
    };
    if !sq::insert(c, &survey)? {
        return Ok(false);
    }
    if asker.local {
        if let Some(user) = queries::users::by_actor_id(c, asker.id)? {
            let row = Notification {
                id: new_id(),
                user_id: user.id,
                kind: NOTIFY_KIND.into(),
                subject: survey.id.to_string(),
                actor_id: None,
                post_id: Some(q.id),
                badge: None,
                report_id: None,
                created_at: now,
                read_at: None,
                email_state: "none".into(),
                emailed_at: None,
            };
            queries::notifications::insert_one(c, &row)?;
        }
    } else {
        let site = queries::site::load(c)?
            .ok_or_else(|| AppError::Internal("the site is not set up".into()))?;
        let sender = queries::actors::by_id(c, site.instance_actor_id)?
            .ok_or_else(|| AppError::Internal("no instance actor".into()))?;
        let title = q.title.clone().unwrap_or_default();
        let event = Outgoing::Survey {
            asker: asker.clone(),
            survey_id: survey.id,
            body_md: sat::message(&title, &format!("{base}/q/{}", q.id)),
        };
        let note = outbox.record(c, &sender, event)?;
        sq::set_note(c, survey.id, &note)?;
    }
    Ok(true)
}

/// The evaluator: a pass every `--satisfaction-interval` seconds (never, at 0).
pub async fn run(state: AppState) {
    let secs = state.settings.satisfaction_interval;
    if secs == 0 {
        return;
    }
    let days = state.settings.satisfaction_after_days;
    let mut tick = tokio::time::interval(Duration::from_secs(secs));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match pass(&state, now_ms(), days).await {
            Ok(n) if n > 0 => tracing::info!(sent = n, "satisfaction pass"),
            Ok(_) => {}
            Err(e) => tracing::warn!("satisfaction pass failed: {e}"),
        }
    }
}

/// A survey as its page and the API show it to its asker.
pub struct SurveyView {
    pub survey: Survey,
    pub question_title: String,
}

/// Survey `id`, for its asker (404 for anyone else).
fn mine(c: &mut DbConn, me: &Actor, id: i64) -> AppResult<SurveyView> {
    let survey = sq::by_id(c, id)?
        .filter(|s| s.asker_id == me.id)
        .ok_or_else(|| AppError::NotFound("no such survey".into()))?;
    let question_title = queries::posts::by_id(c, survey.question_id)?
        .and_then(|p| p.title)
        .unwrap_or_default();
    Ok(SurveyView {
        survey,
        question_title,
    })
}

pub async fn view(state: &AppState, me: &Actor, id: i64) -> AppResult<SurveyView> {
    let me = me.clone();
    state.db.run(move |c| mine(c, &me, id)).await
}

/// The asker answers survey `id` (`yes` or `no`, and an optional comment). A survey
/// answered already keeps its first answer (409).
pub async fn answer(
    state: &AppState,
    me: &Actor,
    id: i64,
    answer: &str,
    comment: &str,
) -> AppResult<SurveyView> {
    let a = Answer::parse(answer)
        .ok_or_else(|| AppError::Invalid("the answer must be yes or no".into()))?;
    let comment = comment.trim().to_string();
    if comment.chars().count() > sat::MAX_COMMENT {
        return Err(AppError::Invalid(format!(
            "the comment can be at most {} characters",
            sat::MAX_COMMENT
        )));
    }
    let me = me.clone();
    state
        .db
        .run(move |c| {
            c.transaction(|c| {
                mine(c, &me, id)?;
                let comment = Some(comment.as_str()).filter(|s| !s.is_empty());
                if !sq::answer(c, id, a.as_str(), comment, now_ms())? {
                    return Err(AppError::Conflict(
                        "this survey was answered already".into(),
                    ));
                }
                mine(c, &me, id)
            })
        })
        .await
}

/// An answer from `signer` on another server to the survey whose Note is `note`: a
/// reply's text (`Ok(None)` answer: read as neither, nothing is kept) or a vote.
/// `Ok(false)` when `note` is no survey's; 403 when `signer` is not its asker.
pub async fn receive(
    state: &AppState,
    signer: &Actor,
    note: &str,
    answer: Option<Answer>,
    comment: Option<String>,
) -> AppResult<bool> {
    let (signer, note) = (signer.clone(), note.to_string());
    state
        .db
        .run(move |c| {
            let Some(survey) = sq::by_note(c, &note)? else {
                return Ok(false);
            };
            if survey.asker_id != signer.id {
                return Err(AppError::Forbidden(
                    "only the asker answers a survey".into(),
                ));
            }
            if let Some(a) = answer {
                let comment: Option<String> =
                    comment.map(|s| s.chars().take(sat::MAX_COMMENT).collect());
                if !sq::answer(c, survey.id, a.as_str(), comment.as_deref(), now_ms())? {
                    tracing::debug!(survey = survey.id, "survey answered already");
                }
            }
            Ok(true)
        })
        .await
}
