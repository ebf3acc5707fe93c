//! Private groups: a group's visibility (its actor's `manually_approves`), the follows
//! waiting for a moderator, the private groups an actor may read, and invitations.

use crate::db::models::Actor;
use crate::db::schema::{actors, follows, group_invites as gi, group_moderators as gm};
use crate::db::{now_ms, DbConn};
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;

/// Makes a group private (its followers approved by its moderators) or public.
pub fn set_private(conn: &mut DbConn, group_id: i64, private: bool) -> AppResult<()> {
    super::audience_changed();
    with_conn!(conn, c => diesel::update(actors::table.find(group_id))
        .set((actors::manually_approves.eq(private), actors::updated_at.eq(now_ms())))
        .execute(c))?;
    Ok(())
}

/// The follows of `group_id` waiting for approval, oldest first: (follower, since).
pub fn pending(conn: &mut DbConn, group_id: i64, limit: i64) -> AppResult<Vec<(Actor, i64)>> {
    Ok(with_conn!(conn, c => follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::follower_id)))
        .filter(follows::target_id.eq(group_id))
        .filter(follows::pending.eq(true))
        .order((follows::created_at.asc(), follows::follower_id.asc()))
        .limit(limit)
        .select((Actor::as_select(), follows::created_at))
        .load(c))?)
}

/// The private groups (here or elsewhere) whose content `actor_id` may read as a member:
/// those it follows with an approved follow and those it moderates. With `all`, every
/// private group known here (the instance's admins).
pub fn readable(conn: &mut DbConn, actor_id: i64, all: bool) -> AppResult<Vec<i64>> {
    macro_rules! private {
        () => {
            actors::table
                .filter(actors::kind.eq("Group"))
                .filter(actors::manually_approves.eq(true))
        };
    }
    if all {
        return Ok(with_conn!(conn, c => private!().select(actors::id).load(c))?);
    }
    let mut ids: Vec<i64> = with_conn!(conn, c => private!()
        .filter(actors::id.eq_any(follows::table
            .filter(follows::follower_id.eq(actor_id))
            .filter(follows::pending.eq(false))
            .select(follows::target_id)))
        .select(actors::id)
        .load(c))?;
    let moderated: Vec<i64> = with_conn!(conn, c => private!()
        .filter(actors::id.eq_any(gm::table
            .filter(gm::actor_id.eq(actor_id))
            .select(gm::group_id)))
        .select(actors::id)
        .load(c))?;
    ids.extend(moderated);
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Of `group_ids`, the private groups (here or elsewhere).
pub fn private_among(conn: &mut DbConn, group_ids: &[i64]) -> AppResult<Vec<i64>> {
    if group_ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(with_conn!(conn, c => actors::table
        .filter(actors::id.eq_any(group_ids))
        .filter(actors::kind.eq("Group"))
        .filter(actors::manually_approves.eq(true))
        .select(actors::id)
        .load(c))?)
}

/// Of `actor_ids`, the members of `group_id`: approved followers, moderators, and this
/// instance's admins (the members `rules::is_member` names, for many at once).
pub fn members_among(
    conn: &mut DbConn,
    group_id: i64,
    actor_ids: &[i64],
) -> AppResult<std::collections::HashSet<i64>> {
    use crate::db::schema::users;
    if actor_ids.is_empty() {
        return Ok(Default::default());
    }
    let mut ids: Vec<i64> = with_conn!(conn, c => follows::table
        .filter(follows::target_id.eq(group_id))
        .filter(follows::pending.eq(false))
        .filter(follows::follower_id.eq_any(actor_ids))
        .select(follows::follower_id)
        .load(c))?;
    ids.extend(with_conn!(conn, c => gm::table
        .filter(gm::group_id.eq(group_id))
        .filter(gm::actor_id.eq_any(actor_ids))
        .select(gm::actor_id)
        .load::<i64>(c))?);
    ids.extend(with_conn!(conn, c => users::table
        .filter(users::is_admin.eq(true))
        .filter(users::actor_id.eq_any(actor_ids))
        .select(users::actor_id)
        .load::<i64>(c))?);
    Ok(ids.into_iter().collect())
}

/// Stores a new invitation to `group_id`.
pub fn create_invite(conn: &mut DbConn, token: &str, group_id: i64, by: i64) -> AppResult<()> {
    with_conn!(conn, c => diesel::insert_into(gi::table)
        .values((
            gi::token.eq(token),
            gi::group_id.eq(group_id),
            gi::created_by.eq(by),
            gi::created_at.eq(now_ms()),
        ))
        .execute(c))?;
    Ok(())
}

/// Uses the unused invitation `token` to `group_id` for `actor_id`; whether there was one.
pub fn use_invite(conn: &mut DbConn, token: &str, group_id: i64, actor_id: i64) -> AppResult<bool> {
    let n = with_conn!(conn, c => diesel::update(gi::table
        .filter(gi::token.eq(token))
        .filter(gi::group_id.eq(group_id))
        .filter(gi::used_by.is_null()))
        .set((gi::used_by.eq(Some(actor_id)), gi::used_at.eq(Some(now_ms()))))
        .execute(c))?;
    Ok(n == 1)
}

/// Whether `group_id` has an approved follower on the server `domain`.
pub fn approved_on(conn: &mut DbConn, group_id: i64, domain: &str) -> AppResult<bool> {
    let n: i64 = with_conn!(conn, c => follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::follower_id)))
        .filter(follows::target_id.eq(group_id))
        .filter(follows::pending.eq(false))
        .filter(actors::domain.eq(domain))
        .count()
        .get_result(c))?;
    Ok(n > 0)
}

/// Makes every post of `group_id` public or not (a group made public or private).
pub fn set_posts_public(conn: &mut DbConn, group_id: i64, public: bool) -> AppResult<usize> {
    use crate::db::schema::posts as p;
    Ok(
        with_conn!(conn, c => diesel::update(p::table.filter(p::group_id.eq(group_id)))
        .set(p::public.eq(public))
        .execute(c))?,
    )
}
