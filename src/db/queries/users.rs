use crate::db::models::{Actor, User};
use crate::db::schema::{actors, sessions, users};
use crate::db::{now_ms, DbConn};
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;

pub fn insert(conn: &mut DbConn, user: &User) -> AppResult<()> {
    with_conn!(conn, c => diesel::insert_into(users::table).values(user).execute(c))?;
    Ok(())
}

pub fn by_username(conn: &mut DbConn, name: &str) -> AppResult<Option<(User, Actor)>> {
    let lower = name.to_lowercase();
    Ok(with_conn!(conn, c => users::table
        .inner_join(actors::table)
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>("lower(users.username) = ")
            .bind::<diesel::sql_types::Text, _>(lower))
        .select((User::as_select(), Actor::as_select()))
        .first(c)
        .optional())?)
}

pub fn by_id(conn: &mut DbConn, user_id: i64) -> AppResult<Option<(User, Actor)>> {
    Ok(with_conn!(conn, c => users::table
        .inner_join(actors::table)
        .filter(users::id.eq(user_id))
        .select((User::as_select(), Actor::as_select()))
        .first(c)
        .optional())?)
}

pub fn by_actor_id(conn: &mut DbConn, actor_id: i64) -> AppResult<Option<User>> {
    Ok(with_conn!(conn, c => users::table
        .filter(users::actor_id.eq(actor_id))
        .select(User::as_select())
        .first(c)
        .optional())?)
}

pub fn set_roles(
    conn: &mut DbConn,
    user_id: i64,
    is_admin: bool,
    is_staff: bool,
    can_create_groups: bool,
) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(users::table.find(user_id))
        .set((users::is_admin.eq(is_admin), users::is_staff.eq(is_staff), users::can_create_groups.eq(can_create_groups)))
        .execute(c))?;
    Ok(())
}

pub fn count(conn: &mut DbConn) -> AppResult<i64> {
    Ok(with_conn!(conn, c => users::table.count().get_result(c))?)
}

pub fn create_session(conn: &mut DbConn, token_hash: &str, user_id: i64) -> AppResult<()> {
    let now = now_ms();
    with_conn!(conn, c => diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(token_hash),
            sessions::user_id.eq(user_id),
            sessions::created_at.eq(now),
            sessions::last_used_at.eq(now),
        ))
        .execute(c))?;
    Ok(())
}

/// The user of a session; none for a suspended or deleted account, whose sessions are
/// refused even if one was opened in a race with the suspension.
pub fn session_user(conn: &mut DbConn, token_hash: &str) -> AppResult<Option<(User, Actor)>> {
    Ok(with_conn!(conn, c => sessions::table
        .inner_join(users::table.inner_join(actors::table))
        .filter(sessions::token_hash.eq(token_hash))
        .filter(users::suspended_at.is_null())
        .filter(actors::deleted.eq(false))
        .select((User::as_select(), Actor::as_select()))
        .first(c)
        .optional())?)
}

pub fn delete_session(conn: &mut DbConn, token_hash: &str) -> AppResult<usize> {
    Ok(with_conn!(conn, c => diesel::delete(sessions::table.find(token_hash)).execute(c))?)
}

pub fn set_password_hash(conn: &mut DbConn, user_id: i64, hash: &str) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(users::table.find(user_id))
        .set(users::password_hash.eq(hash))
        .execute(c))?;
    Ok(())
}

/// Ends a user's sessions except the one with `keep` (its token hash).
pub fn delete_other_sessions(conn: &mut DbConn, user_id: i64, keep: &str) -> AppResult<usize> {
    Ok(with_conn!(conn, c => diesel::delete(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::token_hash.ne(keep)),
    )
    .execute(c))?)
}
