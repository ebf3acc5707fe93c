//! Following actors, here or elsewhere.

use super::{commit, rules, Outgoing};
use crate::db::models::Actor;
use crate::db::queries;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// What a follow led to.
pub struct Followed {
    /// Whether the follow waits for the target's `Accept` (remote targets).
    pub pending: bool,
    /// Whether nobody here followed the (remote) target before.
    pub first_here: bool,
}

/// `follower` (a local actor) follows `target`. Local targets are followed at once;
/// remote ones get a `Follow` and stay pending until their `Accept`.
pub async fn follow(state: &AppState, follower: &Actor, target: &Actor) -> AppResult<Followed> {
    if follower.id == target.id {
        return Err(AppError::Invalid("you cannot follow yourself".into()));
    }
    if target.deleted {
        return Err(AppError::Gone("that actor was deleted".into()));
    }
    let (follower, target) = (follower.clone(), target.clone());
    commit(state, move |c, outbox| {
        let (fid, tid) = (follower.id, target.id);
        if target.local {
            if rules::is_banned(c, tid, fid)? {
                return Err(AppError::Forbidden("you are banned from this group".into()));
            }
            if super::private_groups::must_wait(c, &target, &follower)? {
                // A private group: the request waits for its moderators.
                queries::follows::upsert(c, fid, tid, true, None)?;
                return Ok(Followed {
                    pending: true,
                    first_here: false,
                });
            }
            queries::follows::upsert(c, fid, tid, false, None)?;
            super::groups::welcome_newcomer(c, outbox, &target, &follower)?;
            return Ok(Followed {
                pending: false,
                first_here: false,
            });
        }
        let first_here = queries::follows::count_followers(c, tid)? == 0;
        let follow_id = outbox.record(c, &follower, Outgoing::Follow { target })?;
        queries::follows::upsert(c, fid, tid, true, Some(&follow_id))?;
        Ok(Followed {
            pending: true,
            first_here,
        })
    })
    .await
}

/// `follower` joins `target` as [`follow`] does, but a group here with guidelines is
/// joined only once they were accepted (`None` when they were not): followers of a group
/// elsewhere accept its guidelines there, and follows by ActivityPub are not asked.
pub async fn join(
    state: &AppState,
    follower: &Actor,
    target: &Actor,
    accepted_guidelines: bool,
) -> AppResult<Option<Followed>> {
    if !accepted_guidelines && guidelines_needed(state, follower, target).await? {
        return Ok(None);
    }
    follow(state, follower, target).await.map(Some)
}

/// Whether `follower` must accept `target`'s guidelines to join it: a group here with
/// guidelines that they do not follow yet.
pub async fn guidelines_needed(
    state: &AppState,
    follower: &Actor,
    target: &Actor,
) -> AppResult<bool> {
    if !target.local || !target.is_group() {
        return Ok(false);
    }
    let (fid, tid) = (follower.id, target.id);
    state
        .db
        .run(move |c| {
            let has = queries::groups::by_actor_id(c, tid)?
                .is_some_and(|g| !g.guidelines_md.trim().is_empty());
            Ok(has && queries::follows::get(c, fid, tid)?.is_none())
        })
        .await
}

/// Ends a follow; remote targets get `Undo{Follow}`.
pub async fn unfollow(state: &AppState, follower: &Actor, target: &Actor) -> AppResult<()> {
    let (follower, target) = (follower.clone(), target.clone());
    commit(state, move |c, outbox| {
        let (fid, tid) = (follower.id, target.id);
        let existing = queries::follows::get(c, fid, tid)?
            .ok_or_else(|| AppError::NotFound("you do not follow that actor".into()))?;
        queries::follows::delete(c, fid, tid)?;
        if !target.local {
            let event = Outgoing::Unfollow {
                target,
                follow_ap_id: existing.activity_ap_id,
            };
            outbox.record(c, &follower, event)?;
        }
        Ok(())
    })
    .await
}
