//! People (admins): a local user's roles, suspending an account (or lifting it),
//! deleting an account with its posts, and purging a remote user's posts. The JSON API
//! and the admin console's People pages both call these, so the rules and what each
//! writes (the moderation log, the activities) are written once.

use super::{commit, rules, Outbox, Outgoing};
use crate::db::models::{Actor, User};
use crate::db::queries;
use crate::db::queries::moderation as mq;
use crate::db::queries::people as pq;
use crate::db::DbConn;
use crate::domain::accounts::Roles;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The longest reason, in bytes (as moderators' reasons).
pub const MAX_REASON: usize = 2000;

/// A reason for the moderation log: at most [`MAX_REASON`] bytes, and given when
/// `required`.
pub fn check_reason(reason: &str, required: bool) -> AppResult<()> {
    if required && reason.trim().is_empty() {
        return Err(AppError::Invalid("give a reason".into()));
    }
    if reason.len() > MAX_REASON {
        return Err(AppError::Invalid(format!(
            "reasons are at most {MAX_REASON} bytes"
        )));
    }
    Ok(())
}

/// The local user `username`, which must exist and not be deleted.
fn local_user(c: &mut DbConn, username: &str) -> AppResult<(User, Actor)> {
    let (user, actor) = queries::users::by_username(c, username)?
        .ok_or_else(|| AppError::NotFound("no such user".into()))?;
    if actor.deleted {
        return Err(AppError::Gone("this account was deleted".into()));
    }
    Ok((user, actor))
}

fn log_about(
    c: &mut DbConn,
    admin_actor: &Actor,
    action: &'static str,
    target: &Actor,
    reason: &str,
) -> AppResult<()> {
    mq::log(
        c,
        mq::LogEntry {
            group_id: None,
            moderator_id: Some(admin_actor.id),
            action,
            target_actor_id: Some(target.id),
            post_id: None,
            domain: None,
            reason,
        },
    )
}

/// Sets a local user's roles (admins); returns the user as changed. An admin cannot take
/// their own admin role away (someone must stay able to give it back).
pub async fn set_roles(
    state: &AppState,
    admin: &User,
    username: &str,
    roles: Roles,
) -> AppResult<(User, Actor)> {
    rules::require_admin(admin)?;
    let (admin_id, username) = (admin.id, username.to_string());
    state
        .db
        .run(move |c| {
            c.transaction(|c| {
                let (user, actor) = local_user(c, &username)?;
                if user.id == admin_id && !roles.admin {
                    return Err(AppError::Invalid(
                        "you cannot take away your own admin role".into(),
                    ));
                }
                queries::users::set_roles(
                    c,
                    user.id,
                    roles.admin,
                    roles.staff,
                    roles.can_create_groups,
                )?;
                let user = queries::users::by_actor_id(c, actor.id)?.unwrap_or(user);
                Ok((user, actor))
            })
        })
        .await
}

/// Suspends the local user `username` (`suspend`, with a required `reason`) or lifts
/// the suspension (admins). A suspended account cannot sign in, its sessions and API
/// tokens end at once, and its profile says it is suspended. The change goes to the
/// instance's moderation log; asking for the state the account is already in changes
/// nothing. An admin cannot suspend their own account. Returns the user as changed.
pub async fn set_suspension(
    state: &AppState,
    admin: &User,
    admin_actor: &Actor,
    username: &str,
    suspend: bool,
    reason: &str,
) -> AppResult<(User, Actor)> {
    rules::require_admin(admin)?;
    let reason = reason.trim().to_string();
    check_reason(&reason, suspend)?;
    let (admin_id, admin_actor, username) = (admin.id, admin_actor.clone(), username.to_string());
    state
        .db
        .run(move |c| {
            c.transaction(|c| {
                let (user, actor) = local_user(c, &username)?;
                if suspend && user.id == admin_id {
                    return Err(AppError::Invalid(
                        "you cannot suspend your own account".into(),
                    ));
                }
                if user.suspended() == suspend {
                    return Ok((user, actor));
                }
                pq::set_suspension(c, user.id, suspend.then_some(reason.as_str()))?;
                if suspend {
                    pq::end_sessions(c, user.id)?;
                }
                let action = if suspend { "suspend" } else { "unsuspend" };
                log_about(c, &admin_actor, action, &actor, &reason)?;
                let user = queries::users::by_actor_id(c, actor.id)?.unwrap_or(user);
                Ok((user, actor))
            })
        })
        .await
}

/// Deletes the local account `username` with its content (admins), for `reason`
/// (required), in one transaction: each of its posts is deleted as its author's own
/// deletion (with the same `Delete` activities), the actor is marked deleted with its
/// profile erased and sends a `Delete` of itself to the servers that may know it, its
/// sessions, follows, roles, organisation and email address end. The name stays taken.
/// An admin cannot delete their own account. Returns how many posts were deleted.
pub async fn delete_account(
    state: &AppState,
    admin: &User,
    admin_actor: &Actor,
    username: &str,
    reason: &str,
) -> AppResult<usize> {
    rules::require_admin(admin)?;
    let reason = reason.trim().to_string();
    check_reason(&reason, true)?;
    let (admin_id, admin_actor, username) = (admin.id, admin_actor.clone(), username.to_string());
    commit(state, move |c, outbox| {
        let (user, actor) = local_user(c, &username)?;
        if user.id == admin_id {
            return Err(AppError::Invalid(
                "you cannot delete your own account".into(),
            ));
        }
        let deleted = delete_posts_of(c, outbox, &actor)?;
        pq::erase_account(c, user.id, actor.id)?;
        queries::follows::delete_all_of(c, actor.id)?;
        queries::email::remove_address(c, user.id)?;
        log_about(c, &admin_actor, "delete_account", &actor, &reason)?;
        outbox.record(c, &actor, Outgoing::DeleteAccount)?;
        Ok(deleted)
    })
    .await
}

/// Deletes every post of `author` that is not deleted yet, as the author's own deletions.
fn delete_posts_of(c: &mut DbConn, outbox: &dyn Outbox, author: &Actor) -> AppResult<usize> {
    let posts = pq::live_posts_of(c, author.id)?;
    let n = posts.len();
    for post in posts {
        if post.group_id.is_some() {
            super::qa::delete_in(c, outbox, author, post)?;
        } else {
            // In no group: nothing was sent for it, nothing to send.
            queries::posts::mark_deleted(c, &post)?;
        }
    }
    Ok(n)
}

/// Removes every post of the remote user `target` stored here, in every group (admins),
/// and writes it to the instance's moderation log with `reason`. Not sent to other
/// servers. Returns how many posts were removed.
pub async fn purge(
    state: &AppState,
    admin: &User,
    admin_actor: &Actor,
    target: &Actor,
    reason: &str,
) -> AppResult<usize> {
    rules::require_admin(admin)?;
    if target.local {
        return Err(AppError::Invalid("purge is for remote users".into()));
    }
    let reason = reason.trim().to_string();
    check_reason(&reason, false)?;
    let (admin_actor, target) = (admin_actor.clone(), target.clone());
    state
        .db
        .run(move |c| {
            c.transaction(|c| {
                let n = mq::remove_posts_of(c, target.id, None)?;
                log_about(c, &admin_actor, "purge", &target, &reason)?;
                Ok(n)
            })
        })
        .await
}
