//! The staff console's actions: claiming a question ("I'm on it") and marking a community
//! answer staff-approved. Both are for staff of an organisation that the question's group
//! recognises ([`rules::require_recognised_staff`]).
//!
//! Neither federates: a claim is the organisation's internal coordination, and the
//! staff-approved mark is shown here and counts in reputation here (the staff "helpful"
//! mark, `db::reputation::STAFF_APPROVED`); other servers do not learn of it (see
//! FEDERATION.md).

use super::{commit, post, rules};
use crate::db::models::{Actor, ANSWER};
use crate::db::queries::{reputation as rq, staff_console as scq};
use crate::db::reputation::KIND_STAFF_APPROVED;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Claims the question `question_id` for `actor` (`claim`), or releases the claim. A
/// question claimed by someone else cannot be claimed; a claim is released by its holder
/// or by a colleague of the same organisation.
pub async fn claim(
    state: &AppState,
    actor: &Actor,
    question_id: i64,
    claim: bool,
) -> AppResult<()> {
    let actor = actor.clone();
    commit(state, move |c, _| {
        let question = post(c, question_id)?;
        if !question.is_question() || !question.visible() {
            return Err(AppError::Invalid(
                "only a shown question can be claimed".into(),
            ));
        }
        let org = rules::require_recognised_staff(c, &actor, &question)?;
        let current = scq::claims_of(c, &[question_id])?.remove(&question_id);
        match (claim, current) {
            (true, None) => scq::set_claim(c, question_id, actor.id, org.id),
            (true, Some(held)) if held.actor_id == actor.id => Ok(()),
            (true, Some(_)) => Err(AppError::Conflict(
                "someone else has claimed this question".into(),
            )),
            (false, None) => Ok(()),
            (false, Some(held)) if held.organisation_id == org.id => {
                scq::delete_claim(c, question_id)
            }
            (false, Some(_)) => Err(AppError::Forbidden(
                "staff of another organisation claimed this question".into(),
            )),
        }
    })
    .await
}

/// Marks the community answer `answer_id` staff-approved (`approve`), or withdraws the
/// mark. The answer's author earns the staff "helpful" weight while the mark stands.
pub async fn approve(
    state: &AppState,
    actor: &Actor,
    answer_id: i64,
    approve: bool,
) -> AppResult<()> {
    let actor = actor.clone();
    commit(state, move |c, _| {
        let answer = post(c, answer_id)?;
        if answer.kind != ANSWER || !answer.visible() {
            return Err(AppError::Invalid(
                "only a shown answer can be staff-approved".into(),
            ));
        }
        let org = rules::require_recognised_staff(c, &actor, &answer)?;
        if answer.author_id == actor.id {
            return Err(AppError::Invalid(
                "staff-approve community answers, not your own".into(),
            ));
        }
        let current = scq::approvals_of(c, &[answer_id])?.contains_key(&answer_id);
        if current == approve {
            return Ok(());
        }
        if approve {
            scq::set_approval(c, answer_id, actor.id, org.id)?;
        } else {
            scq::delete_approval(c, answer_id)?;
        }
        rq::record(
            c,
            answer.author_id,
            answer.group_id,
            KIND_STAFF_APPROVED,
            i32::from(approve),
            Some(actor.id),
            Some(answer_id),
        )
    })
    .await
}
