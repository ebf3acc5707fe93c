use crate::db::models::{Actor, Follow};
use crate::db::schema::{actors, follows};
use crate::db::{now_ms, DbConn};
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;

/// Creates or replaces the follow relation.
pub fn upsert(
    conn: &mut DbConn,
    follower_id: i64,
    target_id: i64,
    pending: bool,
    activity_ap_id: Option<&str>,
) -> AppResult<()> {
    let row = Follow {
        follower_id,
        target_id,
        pending,
        activity_ap_id: activity_ap_id.map(str::to_string),
        created_at: now_ms(),
    };
    super::audience_changed();
    conn.transaction(|conn| {
        with_conn!(conn, c => diesel::delete(follows::table.find((follower_id, target_id))).execute(c))?;
        with_conn!(conn, c => diesel::insert_into(follows::table).values(&row).execute(c))?;
        Ok(())
    })
}

pub fn get(conn: &mut DbConn, follower_id: i64, target_id: i64) -> AppResult<Option<Follow>> {
    Ok(with_conn!(conn, c => follows::table
        .find((follower_id, target_id))
        .select(Follow::as_select())
        .first(c)
        .optional())?)
}

pub fn accept(conn: &mut DbConn, follower_id: i64, target_id: i64) -> AppResult<usize> {
    super::audience_changed();
    Ok(
        with_conn!(conn, c => diesel::update(follows::table.find((follower_id, target_id)))
        .set(follows::pending.eq(false))
        .execute(c))?,
    )
}

pub fn delete(conn: &mut DbConn, follower_id: i64, target_id: i64) -> AppResult<usize> {
    super::audience_changed();
    Ok(
        with_conn!(conn, c => diesel::delete(follows::table.find((follower_id, target_id))).execute(c))?,
    )
}

/// Removes every follow from or to an actor (used when the actor is deleted).
pub fn delete_all_of(conn: &mut DbConn, actor_id: i64) -> AppResult<usize> {
    super::audience_changed();
    Ok(with_conn!(conn, c => diesel::delete(follows::table
        .filter(follows::follower_id.eq(actor_id).or(follows::target_id.eq(actor_id))))
        .execute(c))?)
}

pub fn count_followers(conn: &mut DbConn, target_id: i64) -> AppResult<i64> {
    Ok(with_conn!(conn, c => follows::table
        .filter(follows::target_id.eq(target_id))
        .filter(follows::pending.eq(false))
        .count()
        .get_result(c))?)
}

pub fn count_following(conn: &mut DbConn, follower_id: i64) -> AppResult<i64> {
    Ok(with_conn!(conn, c => follows::table
        .filter(follows::follower_id.eq(follower_id))
        .filter(follows::pending.eq(false))
        .count()
        .get_result(c))?)
}

/// Accepted followers of `target_id`, oldest first, one page.
pub fn followers(
    conn: &mut DbConn,
    target_id: i64,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<Actor>> {
    Ok(with_conn!(conn, c => follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::follower_id)))
        .filter(follows::target_id.eq(target_id))
        .filter(follows::pending.eq(false))
        .order(follows::created_at.asc())
        .offset(offset)
        .limit(limit)
        .select(Actor::as_select())
        .load(c))?)
}

/// What `follower_id` follows, with the pending flag, one page.
pub fn following(
    conn: &mut DbConn,
    follower_id: i64,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<(Actor, bool)>> {
    Ok(with_conn!(conn, c => follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::target_id)))
        .filter(follows::follower_id.eq(follower_id))
        .order(follows::created_at.asc())
        .offset(offset)
        .limit(limit)
        .select((Actor::as_select(), follows::pending))
        .load(c))?)
}

/// The distinct delivery inboxes (shared inbox when known) of the remote followers of an
/// actor.
pub fn follower_inboxes(conn: &mut DbConn, target_id: i64) -> AppResult<Vec<String>> {
    let rows: Vec<(String, Option<String>)> = with_conn!(conn, c => follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::follower_id)))
        .filter(follows::target_id.eq(target_id))
        .filter(follows::pending.eq(false))
        .filter(actors::local.eq(false))
        .filter(actors::deleted.eq(false))
        .select((actors::inbox, actors::shared_inbox))
        .load(c))?;
    let mut inboxes: Vec<String> = rows.into_iter().map(|(i, s)| s.unwrap_or(i)).collect();
    inboxes.sort();
    inboxes.dedup();
    Ok(inboxes)
}

/// The follower of `target_id` whose `Follow` had the id `activity_ap_id` (an `Accept` or
/// `Reject` that names the `Follow` by id only).
pub fn follower_by_activity(
    conn: &mut DbConn,
    target_id: i64,
    activity_ap_id: &str,
) -> AppResult<Option<i64>> {
    Ok(with_conn!(conn, c => follows::table
        .filter(follows::target_id.eq(target_id))
        .filter(follows::activity_ap_id.eq(activity_ap_id))
        .select(follows::follower_id)
        .first::<i64>(c)
        .optional())?)
}
