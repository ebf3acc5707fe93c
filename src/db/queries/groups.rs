use crate::db::ids::new_id;
use crate::db::models::{Actor, Group};
use crate::db::schema::{actors, group_bans, group_moderators, group_welcomes, groups};
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

/// A group's settings as a moderator sets them.
pub struct Settings<'a> {
    pub title: &'a str,
    pub description_md: &'a str,
    pub guidelines_md: &'a str,
    pub welcome_md: &'a str,
    pub who_may_ask: &'a str,
    pub personal_data_patterns: &'a str,
}

/// Writes a group's settings (its posting rule decides who the inbox admits).
pub fn update(conn: &mut DbConn, actor_id: i64, s: &Settings) -> AppResult<()> {
    super::audience_changed();
    with_conn!(conn, c => diesel::update(groups::table.find(actor_id))
        .set((
            groups::title.eq(s.title),
            groups::description_md.eq(s.description_md),
            groups::guidelines_md.eq(s.guidelines_md),
            groups::welcome_md.eq(s.welcome_md),
            groups::who_may_ask.eq(s.who_may_ask),
            groups::personal_data_patterns.eq(s.personal_data_patterns),
        ))
        .execute(c))?;
    Ok(())
}

/// Records that `actor_id` was welcomed to `group_id` with `content_html`; `false` when
/// they were welcomed before (once per person and group).
pub fn record_welcome(
    conn: &mut DbConn,
    group_id: i64,
    actor_id: i64,
    content_html: &str,
) -> AppResult<bool> {
    let n = with_conn!(conn, c => diesel::insert_into(group_welcomes::table)
        .values((
            group_welcomes::id.eq(new_id()),
            group_welcomes::group_id.eq(group_id),
            group_welcomes::actor_id.eq(actor_id),
            group_welcomes::content_html.eq(content_html),
            group_welcomes::created_at.eq(now_ms()),
        ))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(n == 1)
}

/// A welcome by id: (group, person, message).
pub fn welcome(conn: &mut DbConn, id: i64) -> AppResult<Option<(i64, i64, String)>> {
    Ok(with_conn!(conn, c => group_welcomes::table
        .find(id)
        .select((group_welcomes::group_id, group_welcomes::actor_id, group_welcomes::content_html))
        .first(c)
        .optional())?)
}

/// Welcomes recorded from the id `from` on (the notifier's scan): (id, group, person),
/// oldest first.
pub fn welcomes_since(conn: &mut DbConn, from: i64, limit: i64) -> AppResult<Vec<(i64, i64, i64)>> {
    Ok(with_conn!(conn, c => group_welcomes::table
        .filter(group_welcomes::id.ge(from))
        .order(group_welcomes::id.asc())
        .limit(limit)
        .select((group_welcomes::id, group_welcomes::group_id, group_welcomes::actor_id))
        .load(c))?)
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
