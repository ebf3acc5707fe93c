//! Community roles of groups and who holds them.

use crate::db::schema::{group_role_holders as h, group_roles as r};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = crate::db::schema::group_roles)]
pub struct GroupRole {
    pub id: i64,
    pub group_id: i64,
    pub name: String,
    /// Space-separated privilege names (`domain::roles`).
    pub privileges: String,
    pub created_at: i64,
}

pub fn insert(conn: &mut DbConn, role: &GroupRole) -> AppResult<()> {
    with_conn!(conn, c => diesel::insert_into(r::table).values(role).execute(c))?;
    Ok(())
}

pub fn by_id(conn: &mut DbConn, id: i64) -> AppResult<Option<GroupRole>> {
    Ok(with_conn!(conn, c => r::table
        .find(id)
        .select(GroupRole::as_select())
        .first(c)
        .optional())?)
}

/// The roles of a group, by name.
pub fn of_group(conn: &mut DbConn, group_id: i64) -> AppResult<Vec<GroupRole>> {
    Ok(with_conn!(conn, c => r::table
        .filter(r::group_id.eq(group_id))
        .order(r::name.asc())
        .select(GroupRole::as_select())
        .load(c))?)
}

pub fn update(conn: &mut DbConn, id: i64, name: &str, privileges: &str) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(r::table.find(id))
        .set((r::name.eq(name), r::privileges.eq(privileges)))
        .execute(c))?;
    Ok(())
}

/// Deletes a role (and so every assignment of it).
pub fn delete(conn: &mut DbConn, id: i64) -> AppResult<()> {
    with_conn!(conn, c => {
        diesel::delete(h::table.filter(h::role_id.eq(id))).execute(c)?;
        diesel::delete(r::table.find(id)).execute(c)
    })?;
    Ok(())
}

/// Gives `role` to `actor`; false when they held it already.
pub fn assign(
    conn: &mut DbConn,
    role: &GroupRole,
    actor_id: i64,
    by: i64,
    now: i64,
) -> AppResult<bool> {
    let n = with_conn!(conn, c => diesel::insert_into(h::table)
        .values((
            h::role_id.eq(role.id),
            h::actor_id.eq(actor_id),
            h::group_id.eq(role.group_id),
            h::assigned_by.eq(Some(by)),
            h::assigned_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(n > 0)
}

/// Takes `role_id` from `actor_id`; false when they did not hold it.
pub fn unassign(conn: &mut DbConn, role_id: i64, actor_id: i64) -> AppResult<bool> {
    let n = with_conn!(conn, c => diesel::delete(
        h::table.filter(h::role_id.eq(role_id)).filter(h::actor_id.eq(actor_id)),
    )
    .execute(c))?;
    Ok(n > 0)
}

/// Who holds the roles of a group: (role id, actor id), oldest assignment first.
pub fn holders(conn: &mut DbConn, group_id: i64) -> AppResult<Vec<(i64, i64)>> {
    Ok(with_conn!(conn, c => h::table
        .filter(h::group_id.eq(group_id))
        .order(h::assigned_at.asc())
        .select((h::role_id, h::actor_id))
        .load(c))?)
}

/// The roles that `actor_ids` hold in `group_id`: (actor id, role name), by name.
pub fn titles(
    conn: &mut DbConn,
    group_id: i64,
    actor_ids: &[i64],
) -> AppResult<Vec<(i64, String)>> {
    if actor_ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(with_conn!(conn, c => h::table
        .inner_join(r::table)
        .filter(h::group_id.eq(group_id))
        .filter(h::actor_id.eq_any(actor_ids))
        .order(r::name.asc())
        .select((h::actor_id, r::name))
        .load(c))?)
}

/// Every role `actor_id` holds: (group id, role name).
pub fn of_actor(conn: &mut DbConn, actor_id: i64) -> AppResult<Vec<(i64, String)>> {
    Ok(with_conn!(conn, c => h::table
        .inner_join(r::table)
        .filter(h::actor_id.eq(actor_id))
        .order(r::name.asc())
        .select((h::group_id, r::name))
        .load(c))?)
}

/// The privileges (stored form) of the roles `actor_id` holds in `group_id`.
pub fn privileges_of(conn: &mut DbConn, group_id: i64, actor_id: i64) -> AppResult<Vec<String>> {
    Ok(with_conn!(conn, c => h::table
        .inner_join(r::table)
        .filter(h::group_id.eq(group_id))
        .filter(h::actor_id.eq(actor_id))
        .select(r::privileges)
        .load(c))?)
}
