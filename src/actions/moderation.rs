//! Moderators' actions (remove, restore, lock, ban, unban, moderators, feature) and
//! reports. Each is logged in the group's moderation log in the same transaction.

use super::{commit, rules, Outbox, Outgoing};
use crate::db::models::{Actor, Post, Report};
use crate::db::queries::moderation::{self as mq, LogEntry};
use crate::db::{ids::new_id, now_ms, queries, DbConn};
use crate::domain::roles::Privilege;
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
        remove_in(c, outbox, &moderator, pid, reason, restore)
    })
    .await
}

/// [`remove`] inside an open transaction.
fn remove_in(
    c: &mut DbConn,
    outbox: &dyn Outbox,
    moderator: &Actor,
    pid: i64,
    reason: String,
    restore: bool,
) -> AppResult<()> {
    let post = super::post(c, pid)?;
    let group = rules::group_of(c, &post)?;
    rules::require_moderator(c, &group, moderator)?;
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
    outbox.record(c, moderator, event)?;
    Ok(())
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
        rules::require_privilege(c, &group, &moderator, Privilege::Lock)?;
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
    let ban = ban.map(|b| (b.reason.to_string(), b.expires_at, b.remove_data));
    let (moderator, group, target) = (moderator.clone(), group.clone(), target.clone());
    commit(state, move |c, outbox| {
        ban_in(c, outbox, &moderator, group, target, ban)
    })
    .await
}

/// [`ban`] inside an open transaction; `ban` is (reason, expiry, remove data).
fn ban_in(
    c: &mut DbConn,
    outbox: &dyn Outbox,
    moderator: &Actor,
    group: Actor,
    target: Actor,
    ban: Option<(String, Option<i64>, bool)>,
) -> AppResult<()> {
    let lift = ban.is_none();
    let (reason, expires_at, remove_data) = ban.unwrap_or_default();
    rules::require_moderator(c, &group, moderator)?;
    if lift {
        rules::lift_ban(c, group.id, target.id)?;
    } else {
        rules::apply_ban(c, group.id, target.id, &reason, expires_at, remove_data)?;
    }
    let action = if lift { "unban" } else { "ban" };
    let target_id = Some(target.id);
    log(c, group.id, moderator.id, action, target_id, None, &reason)?;
    let event = Outgoing::Ban {
        group,
        target,
        reason,
        expires_at,
        remove_data,
        lift,
    };
    outbox.record(c, moderator, event)?;
    Ok(())
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
        rules::require_privilege(c, &group, &moderator, Privilege::Feature)?;
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
            message: None,
            author,
            group,
            reason,
            anonymous,
        });
        let flag = outbox.record(c, &reporter, event)?;
        if !flag.is_empty() {
            mq::set_report_ap_id(c, row.id, &flag)?;
        }
        Ok(true)
    })
    .await
}

/// How a report is closed.
#[derive(Default)]
pub struct Resolution<'a> {
    /// Upheld (`false`: dismissed).
    pub upheld: bool,
    pub note: &'a str,
    /// Also remove the reported post.
    pub remove: bool,
    /// Also ban the reported user from the group of the report (or of the post).
    pub ban: Option<Ban<'a>>,
}

/// Resolves or dismisses a report, with its removal and ban if asked, in one
/// transaction. A report from another server, or about content or a user from another
/// server, is resolved there too (Lemmy's `Resolve`).
pub async fn resolve_report(
    state: &AppState,
    moderator: &Actor,
    report_id: i64,
    resolution: Resolution<'_>,
) -> AppResult<()> {
    let Resolution {
        upheld,
        note,
        remove,
        ban,
    } = resolution;
    if note.len() > 2000 {
        return Err(AppError::Invalid("a note has at most 2000 bytes".into()));
    }
    let note = note.to_string();
    let ban = ban.map(|b| (b.reason.to_string(), b.expires_at, b.remove_data));
    let moderator = moderator.clone();
    commit(state, move |c, outbox| {
        let report =
            mq::report(c, report_id)?.ok_or_else(|| AppError::NotFound("no such report".into()))?;
        match report.group_id {
            Some(gid) => {
                let group = queries::actors::by_id(c, gid)?
                    .ok_or_else(|| AppError::NotFound("group not found".into()))?;
                if !rules::may_moderate(c, &group, &moderator)? {
                    return Err(AppError::Forbidden(
                        "only this group's moderators can resolve its reports".into(),
                    ));
                }
            }
            None => {
                let admin =
                    queries::users::by_actor_id(c, moderator.id)?.is_some_and(|u| u.is_admin);
                if !admin {
                    return Err(AppError::Forbidden(
                        "only instance admins may do this".into(),
                    ));
                }
            }
        }
        let post = match report.post_id {
            Some(pid) => queries::posts::by_id(c, pid)?,
            None => None,
        };
        let target = match report.target_actor_id {
            Some(aid) => queries::actors::by_id(c, aid)?,
            None => None,
        };
        let group = match (&post, report.group_id) {
            (Some(p), _) => Some(rules::group_of(c, p)?),
            (None, Some(gid)) => queries::actors::by_id(c, gid)?,
            (None, None) => None,
        };
        if remove {
            if let Some(p) = &post {
                remove_in(c, outbox, &moderator, p.id, note.clone(), false)?;
            }
        }
        if let Some(ban) = ban {
            let (Some(group), Some(target)) = (group.clone(), target.clone()) else {
                return Err(AppError::Invalid(
                    "a ban needs a report about a user in a group".into(),
                ));
            };
            ban_in(c, outbox, &moderator, group, target, Some(ban))?;
        }
        let status = if upheld { "resolved" } else { "dismissed" };
        mq::resolve_report(c, report_id, status, &note, moderator.id)?;
        let reporter = queries::actors::by_id(c, report.reporter_id)?
            .ok_or_else(|| AppError::NotFound("reporter not found".into()))?;
        let event = Outgoing::ResolveReport(Box::new(super::ReportClosed {
            report,
            reporter,
            post,
            target,
            group,
        }));
        outbox.record(c, &moderator, event)?;
        Ok(())
    })
    .await
}
