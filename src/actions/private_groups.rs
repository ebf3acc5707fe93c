//! Private groups: a group's visibility (public or private, set by its moderators), and
//! membership of a private group: by a moderator's approval of a join request (a follow,
//! here or from another server, that waits), by invitation (a one-use link, or a
//! moderator adding someone here by name), or at once for the group's moderators, this
//! instance's admins and verified staff of the organisations the group recognises.
//! Who may read what is one rule: [`rules::may_read_group`].

use super::{commit, rules, Outbox, Outgoing};
use crate::db::models::Actor;
use crate::db::queries::{self, private_groups as pq};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Whether `actor` joins `group` without waiting: its moderators, this instance's
/// admins, and verified staff of an organisation the group recognises.
pub fn joins_at_once(c: &mut DbConn, group: &Actor, actor: &Actor) -> AppResult<bool> {
    if rules::may_moderate(c, group, actor)?
        || queries::users::by_actor_id(c, actor.id)?.is_some_and(|u| u.is_admin)
    {
        return Ok(true);
    }
    let staff = queries::staff::staff_status(c, &[actor.id])?;
    let Some((_, domain, true)) = staff.get(&actor.id) else {
        return Ok(false);
    };
    Ok(queries::staff::group_orgs(c, group.id)?
        .iter()
        .any(|o| &o.domain == domain))
}

/// Whether a follow of `group` by `follower` waits for a moderator: a private group
/// hosted here, and someone who does not join at once.
pub fn must_wait(c: &mut DbConn, group: &Actor, follower: &Actor) -> AppResult<bool> {
    if !group.local || !rules::is_private(group) {
        return Ok(false);
    }
    // A member following again (another `Follow` from their server) stays a member.
    let member = queries::follows::get(c, follower.id, group.id)?.is_some_and(|f| !f.pending);
    Ok(!member && !joins_at_once(c, group, follower)?)
}

/// A moderator makes the local group `group` private or public. Its posts follow: a
/// group made private takes its questions out of every public place; one made public
/// publishes them. The change federates as an `Update` of the group (its
/// `manuallyApprovesFollowers`).
pub async fn set_private(
    state: &AppState,
    moderator: &Actor,
    group: &Actor,
    private: bool,
) -> AppResult<Actor> {
    let (moderator, group) = (moderator.clone(), group.clone());
    commit(state, move |c, outbox| {
        rules::require_moderator(c, &group, &moderator)?;
        if !group.local || !group.is_group() {
            return Err(AppError::Invalid("only a group hosted here".into()));
        }
        if rules::is_private(&group) == private {
            return Ok(group);
        }
        pq::set_private(c, group.id, private)?;
        pq::set_posts_public(c, group.id, !private)?;
        let group = queries::actors::by_id(c, group.id)?.unwrap_or(group);
        outbox.record(
            c,
            &moderator,
            Outgoing::UpdateGroup {
                group: group.clone(),
            },
        )?;
        Ok(group)
    })
    .await
}

/// The join requests of `group` waiting for its moderators: (who, since).
pub async fn pending(
    state: &AppState,
    moderator: &Actor,
    group: &Actor,
) -> AppResult<Vec<(Actor, i64)>> {
    let (moderator, group) = (moderator.clone(), group.clone());
    state
        .db
        .run(move |c| {
            rules::require_moderator(c, &group, &moderator)?;
            pq::pending(c, group.id, 500)
        })
        .await
}

/// Makes `person` a member of `group` (in the transaction of an approval or an
/// invitation): the follow approved, the newcomer welcomed, and a remote follower's
/// `Follow` accepted.
fn admit(
    c: &mut DbConn,
    outbox: &dyn Outbox,
    group: &Actor,
    person: &Actor,
    follow_ap_id: Option<String>,
) -> AppResult<()> {
    if rules::is_banned(c, group.id, person.id)? {
        return Err(AppError::Forbidden(
            "that person is banned from this group".into(),
        ));
    }
    queries::follows::upsert(c, person.id, group.id, false, follow_ap_id.as_deref())?;
    super::groups::welcome_newcomer(c, outbox, group, person)?;
    if !person.local {
        let event = Outgoing::AnswerFollow {
            follower: person.clone(),
            follow_ap_id,
            accept: true,
        };
        outbox.record(c, group, event)?;
    }
    Ok(())
}

/// A moderator approves `person`'s request to join `group`.
pub async fn approve(
    state: &AppState,
    moderator: &Actor,
    group: &Actor,
    person: &Actor,
) -> AppResult<()> {
    let (moderator, group, person) = (moderator.clone(), group.clone(), person.clone());
    commit(state, move |c, outbox| {
        rules::require_moderator(c, &group, &moderator)?;
        let follow = queries::follows::get(c, person.id, group.id)?
            .filter(|f| f.pending)
            .ok_or_else(|| AppError::NotFound("no such request to join".into()))?;
        admit(c, outbox, &group, &person, follow.activity_ap_id)
    })
    .await
}

/// A moderator rejects `person`'s request to join `group`, or removes a member: the
/// follow ends, and someone elsewhere gets a `Reject` of their `Follow`.
pub async fn reject(
    state: &AppState,
    moderator: &Actor,
    group: &Actor,
    person: &Actor,
) -> AppResult<()> {
    let (moderator, group, person) = (moderator.clone(), group.clone(), person.clone());
    commit(state, move |c, outbox| {
        rules::require_moderator(c, &group, &moderator)?;
        let follow = queries::follows::get(c, person.id, group.id)?
            .ok_or_else(|| AppError::NotFound("no such request or member".into()))?;
        queries::follows::delete(c, person.id, group.id)?;
        if !person.local {
            let event = Outgoing::AnswerFollow {
                follower: person.clone(),
                follow_ap_id: follow.activity_ap_id,
                accept: false,
            };
            outbox.record(c, &group, event)?;
        }
        Ok(())
    })
    .await
}

/// A moderator adds `person` to `group` by name: someone here becomes a member at once;
/// someone elsewhere must have asked (their follow is approved), as their server has to
/// follow the group for them.
pub async fn invite(
    state: &AppState,
    moderator: &Actor,
    group: &Actor,
    person: &Actor,
) -> AppResult<()> {
    let (moderator, group, person) = (moderator.clone(), group.clone(), person.clone());
    commit(state, move |c, outbox| {
        rules::require_moderator(c, &group, &moderator)?;
        if person.is_group() {
            return Err(AppError::Invalid("only people can be members".into()));
        }
        let follow = queries::follows::get(c, person.id, group.id)?;
        if !person.local && follow.as_ref().is_none_or(|f| !f.pending) {
            return Err(AppError::Invalid(
                "someone on another server joins by following the group; approve their request then"
                    .into(),
            ));
        }
        if follow.as_ref().is_some_and(|f| !f.pending) {
            return Ok(());
        }
        admit(
            c,
            outbox,
            &group,
            &person,
            follow.and_then(|f| f.activity_ap_id),
        )
    })
    .await
}

/// A moderator makes a one-use invitation link to `group`; returns its token.
pub async fn create_invite(
    state: &AppState,
    moderator: &Actor,
    group: &Actor,
) -> AppResult<String> {
    use base64::Engine;
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 18]>());
    let (moderator, group, t) = (moderator.clone(), group.clone(), token.clone());
    state
        .db
        .run(move |c| {
            rules::require_moderator(c, &group, &moderator)?;
            pq::create_invite(c, &t, group.id, moderator.id)
        })
        .await?;
    Ok(token)
}

/// `person` (here) joins `group` with an invitation's `token`, which is then used up.
pub async fn join_with_invite(
    state: &AppState,
    person: &Actor,
    group: &Actor,
    token: &str,
) -> AppResult<()> {
    let (person, group, token) = (person.clone(), group.clone(), token.to_string());
    commit(state, move |c, outbox| {
        if queries::follows::get(c, person.id, group.id)?.is_some_and(|f| !f.pending) {
            return Ok(());
        }
        if !pq::use_invite(c, &token, group.id, person.id)? {
            return Err(AppError::NotFound(
                "this invitation is not valid (or was used already)".into(),
            ));
        }
        admit(c, outbox, &group, &person, None)
    })
    .await
}
