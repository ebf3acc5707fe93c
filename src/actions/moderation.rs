//! Moderators' actions (remove, restore, lock, ban, unban, moderators, feature) and
//! reports. Each is logged in the group's moderation log in the same transaction.

use super::{commit, rules, Outgoing};
use crate::db::models::{Actor, Post, Report};
use crate::db::queries::moderation::{self as mq, LogEntry};
use crate::db::{ids::new_id, now_ms, queries, DbConn};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

fn log(
    c: &mut DbConn,
    group: i64,
    moderator: i64,
    action: &'static str,
    target: Option<i64>,
    post: Option<i64>,
    reason: &str,
) -> AppResult<()> {
    mq::log(
        c,
        LogEntry {
            group_id: Some(group),
            moderator_id: Some(moderator),
            action,
            target_actor_id: target,
            post_id: post,
            domain: None,
            reason,
        },
    )
}

/// Removes (or restores) a post from its group. Applied here at once; for a remote group
/// its home applies and announces it too.
pub async fn remove(
    state: &AppState,
    moderator: &Actor,
    post: &Post,
    reason: &str,
    restore: bool,
) -> AppResult<()> {
    let (moderator, pid, reason) = (moderator.clone(), post.id, reason.to_string());
    commit(state, move |c, outbox| {
        let post = super::post(c, pid)?;
        let group = rules::group_of(c, &post)?;
        rules::require_moderator(c, &group, &moderator)?;
        mq::set_removed(c, pid, !restore)?;
        let action = if restore { "restore" } else { "remove" };
        let target = Some(post.author_id);
        log(
            c,
            group.id,
            moderator.id,
            action,
            target,
            Some(pid),
            &reason,
        )?;
        let event = Outgoing::Remove {
            post,
            group,
            reason,
            restore,
        };
        outbox.record(c, &moderator, event)?;
        Ok(())
    })
    .await
}

/// Locks (or unlocks) a question against new answers.
pub async fn lock(
    state: &AppState,
    moderator: &Actor,
    question: &Post,
    locked: bool,
    reason: &str,
) -> AppResult<()> {
    if !question.is_question() {
        return Err(AppError::Invalid("only questions can be locked".into()));
    }
    let (moderator, pid, reason) = (moderator.clone(), question.id, reason.to_string());
    commit(state, move |c, outbox| {
        let question = super::post(c, pid)?;
        let group = rules::group_of(c, &question)?;
        rules::require_moderator(c, &group, &moderator)?;
        mq::set_locked(c, pid, locked)?;
        let action = if locked { "lock" } else { "unlock" };
        log(c, group.id, moderator.id, action, None, Some(pid), &reason)?;
        let event = Outgoing::Lock {
            question,
            group,
            reason,
            locked,
        };
        outbox.record(c, &moderator, event)?;
        Ok(())
    })
    .await
}

/// A ban to impose; `remove_data` also removes the actor's posts in the group.
#[derive(Default)]
pub struct Ban<'a> {
    pub reason: &'a str,
    pub expires_at: Option<i64>,
    pub remove_data: bool,
}

/// Bans `target` from `group` (`Some`), or lifts the ban (`None`).
pub async fn ban(
    state: &AppState,
    moderator: &Actor,
    group: &Actor,
    target: &Actor,
    ban: Option<Ban<'_>>,
) -> AppResult<()> {
    let lift = ban.is_none();
    let Ban {
        reason,
        expires_at,
        remove_data,
    } = ban.unwrap_or_default();
    let reason = reason.to_string();
    let (moderator, group, target) = (moderator.clone(), group.clone(), target.clone());
    commit(state, move |c, outbox| {
        rules::require_moderator(c, &group, &moderator)?;
        if lift {
            rules::lift_ban(c, group.id, target.id)?;
        } else {
            rules::apply_ban(c, group.id, target.id, &reason, expires_at, remove_data)?;
        }
        let action = if lift { "unban" } else { "ban" };
        log(
            c,
            group.id,
            moderator.id,
            action,
            Some(target.id),
            None,
            &reason,
        )?;
        let event = Outgoing::Ban {
            group,
            target,
            reason,
            expires_at,
            remove_data,
            lift,
        };
        outbox.record(c, &moderator, event)?;
        Ok(())
    })
    .await
}

/// Adds or removes a group moderator.
pub async fn set_moderator(
    state: &AppState,
    moderator: &Actor,
    group: &Actor,
    target: &Actor,
    add: bool,
) -> AppResult<()> {
    let (moderator, group, target) = (moderator.clone(), group.clone(), target.clone());
    commit(state, move |c, outbox| {
        rules::require_moderator(c, &group, &moderator)?;
        if add {
            queries::groups::add_moderator(c, group.id, target.id)?;
        } else {
            queries::groups::remove_moderator(c, group.id, target.id)?;
        }
        let action = if add {
            "add_moderator"
        } else {
            "remove_moderator"
        };
        log(c, group.id, moderator.id, action, Some(target.id), None, "")?;
        outbox.record(c, &moderator, Outgoing::Moderator { group, target, add })?;
        Ok(())
    })
    .await
}

/// Features (or unfeatures) a question in its group.
pub async fn feature(
    state: &AppState,
    moderator: &Actor,
    question: &Post,
    featured: bool,
) -> AppResult<()> {
    let (moderator, pid) = (moderator.clone(), question.id);
    commit(state, move |c, outbox| {
        let question = super::post(c, pid)?;
        let group = rules::group_of(c, &question)?;
        rules::require_moderator(c, &group, &moderator)?;
        mq::set_featured(c, pid, featured)?;
        let action = if featured { "feature" } else { "unfeature" };
        log(c, group.id, moderator.id, action, None, Some(pid), "")?;
        let event = Outgoing::Feature {
            question,
            group,
            featured,
        };
        outbox.record(c, &moderator, event)?;
        Ok(())
    })
    .await
}

/// Files a report about a post or a user. It lands in the queue of the group (when
/// hosted here) or of this instance, and goes to the servers concerned (see
/// [`Outgoing::Report`](super::Outgoing::Report)). Returns false when the reporter already had an open report
/// about it.
pub async fn report(
    state: &AppState,
    reporter: &Actor,
    post: Option<&Post>,
    target: Option<&Actor>,
    reason: &str,
    anonymous: bool,
) -> AppResult<bool> {
    if reason.trim().is_empty() || reason.len() > 2000 {
        return Err(AppError::Invalid(
            "a report needs a reason of at most 2000 bytes".into(),
        ));
    }
    if post.is_none() && target.is_none() {
        return Err(AppError::Invalid("report a post or a user".into()));
    }
    let (reporter, post, target) = (reporter.clone(), post.cloned(), target.cloned());
    let reason = reason.to_string();
    commit(state, move |c, outbox| {
        let group = match &post {
            Some(p) => Some(rules::group_of(c, p)?),
            None => None,
        };
        let author = match (&post, target) {
            (_, Some(t)) => t,
            (Some(p), None) => queries::actors::by_id(c, p.author_id)?
                .ok_or_else(|| AppError::NotFound("author not found".into()))?,
            (None, None) => return Err(AppError::Invalid("report a post or a user".into())),
        };
        let row = Report {
            id: new_id(),
            ap_id: None,
            reporter_id: reporter.id,
            reporter_domain: reporter.domain.clone(),
            group_id: group.as_ref().filter(|g| g.local).map(|g| g.id),
            target_actor_id: Some(author.id),
            post_id: post.as_ref().map(|p| p.id),
            reason: reason.clone(),
            status: "open".into(),
            resolution_note: None,
            resolved_by: None,
            resolved_at: None,
            created_at: now_ms(),
        };
        if !mq::insert_report(c, &row)? {
            return Ok(false);
        }
        let event = Outgoing::Report(super::Reported {
            post,
            author,
            group,
            reason,
            anonymous,
        });
        outbox.record(c, &reporter, event)?;
        Ok(true)
    })
    .await
}
