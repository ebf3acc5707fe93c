use crate::db::models::{Actor, Group};
use crate::db::schema::{actors, group_bans, group_moderators, groups};
use crate::db::{now_ms, DbConn};
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;

pub fn insert(conn: &mut DbConn, group: &Group) -> AppResult<()> {
    with_conn!(conn, c => diesel::insert_into(groups::table).values(group).execute(c))?;
    Ok(())
}

pub fn by_actor_id(conn: &mut DbConn, actor_id: i64) -> AppResult<Option<Group>> {
    Ok(with_conn!(conn, c => groups::table
        .find(actor_id)
        .select(Group::as_select())
        .first(c)
        .optional())?)
}

pub fn list_local(conn: &mut DbConn) -> AppResult<Vec<(Group, Actor)>> {
    Ok(with_conn!(conn, c => groups::table
        .inner_join(actors::table)
        .filter(actors::deleted.eq(false))
        .order(groups::created_at.asc())
        .select((Group::as_select(), Actor::as_select()))
        .load(c))?)
}

pub fn update(
    conn: &mut DbConn,
    actor_id: i64,
    title: &str,
    description_md: &str,
    guidelines_md: &str,
) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(groups::table.find(actor_id))
        .set((groups::title.eq(title), groups::description_md.eq(description_md), groups::guidelines_md.eq(guidelines_md)))
        .execute(c))?;
    Ok(())
}

pub fn add_moderator(conn: &mut DbConn, group_id: i64, actor_id: i64) -> AppResult<()> {
    let exists = is_moderator(conn, group_id, actor_id)?;
    if !exists {
        with_conn!(conn, c => diesel::insert_into(group_moderators::table)
            .values((
                group_moderators::group_id.eq(group_id),
                group_moderators::actor_id.eq(actor_id),
                group_moderators::created_at.eq(now_ms()),
            ))
            .execute(c))?;
    }
    Ok(())
}

pub fn remove_moderator(conn: &mut DbConn, group_id: i64, actor_id: i64) -> AppResult<usize> {
    Ok(
        with_conn!(conn, c => diesel::delete(group_moderators::table.find((group_id, actor_id))).execute(c))?,
    )
}

pub fn is_moderator(conn: &mut DbConn, group_id: i64, actor_id: i64) -> AppResult<bool> {
    Ok(with_conn!(conn, c => diesel::select(diesel::dsl::exists(
        group_moderators::table.find((group_id, actor_id))
    )).get_result(c))?)
}

pub fn moderators(conn: &mut DbConn, group_id: i64) -> AppResult<Vec<Actor>> {
    Ok(with_conn!(conn, c => group_moderators::table
        .inner_join(actors::table.on(actors::id.eq(group_moderators::actor_id)))
        .filter(group_moderators::group_id.eq(group_id))
        .order(group_moderators::created_at.asc())
        .select(Actor::as_select())
        .load(c))?)
}

pub fn ban(
    conn: &mut DbConn,
    group_id: i64,
    actor_id: i64,
    reason: &str,
    expires_at: Option<i64>,
) -> AppResult<()> {
    super::audience_changed();
    conn.transaction(|conn| {
        with_conn!(conn, c => diesel::delete(group_bans::table.find((group_id, actor_id))).execute(c))?;
        with_conn!(conn, c => diesel::insert_into(group_bans::table)
            .values((
                group_bans::group_id.eq(group_id),
                group_bans::actor_id.eq(actor_id),
                group_bans::reason.eq(reason),
                group_bans::expires_at.eq(expires_at),
                group_bans::created_at.eq(now_ms()),
            ))
            .execute(c))?;
        super::reputation::refresh_sources(conn, None, Some(actor_id))?;
        Ok(())
    })
}

pub fn unban(conn: &mut DbConn, group_id: i64, actor_id: i64) -> AppResult<usize> {
    super::audience_changed();
    let n = with_conn!(conn, c => diesel::delete(group_bans::table.find((group_id, actor_id))).execute(c))?;
    super::reputation::refresh_sources(conn, None, Some(actor_id))?;
    Ok(n)
}

/// Whether the actor is banned from the group now (expired bans do not count).
pub fn is_banned(conn: &mut DbConn, group_id: i64, actor_id: i64) -> AppResult<bool> {
    let now = now_ms();
    Ok(with_conn!(conn, c => diesel::select(diesel::dsl::exists(
        group_bans::table
            .find((group_id, actor_id))
            .filter(group_bans::expires_at.is_null().or(group_bans::expires_at.gt(now)))
    )).get_result(c))?)
}

/// The bans of a group that have not expired, as (actor, expiry).
pub fn active_bans(conn: &mut DbConn, group_id: i64) -> AppResult<Vec<(i64, Option<i64>)>> {
    let now = now_ms();
    Ok(with_conn!(conn, c => group_bans::table
        .filter(group_bans::group_id.eq(group_id))
        .filter(group_bans::expires_at.is_null().or(group_bans::expires_at.gt(now)))
        .select((group_bans::actor_id, group_bans::expires_at))
        .load(c))?)
}
