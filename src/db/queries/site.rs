//! The site row (the instance actor), the Instance page's settings and invitations.

use crate::db::models::{InstanceSettingsRow, Invitation, Site};
use crate::db::schema::site;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;

/// The site row, once the instance has been set up.
pub fn load(conn: &mut DbConn) -> AppResult<Option<Site>> {
    Ok(with_conn!(conn, c => site::table.find(1).select(Site::as_select()).first(c).optional())?)
}

pub fn insert(conn: &mut DbConn, row: &Site) -> AppResult<()> {
    with_conn!(conn, c => diesel::insert_into(site::table).values(row).execute(c))?;
    Ok(())
}

/// What an admin set on the Instance page, if anything.
pub fn settings(conn: &mut DbConn) -> AppResult<Option<InstanceSettingsRow>> {
    use crate::db::schema::instance_settings as s;
    Ok(with_conn!(conn, c => s::table
        .find(1)
        .select(InstanceSettingsRow::as_select())
        .first(c)
        .optional())?)
}

/// Stores the Instance page's settings (the one row, id 1).
pub fn save_settings(conn: &mut DbConn, row: &InstanceSettingsRow) -> AppResult<()> {
    use crate::db::schema::instance_settings as s;
    let row = InstanceSettingsRow {
        id: 1,
        ..row.clone()
    };
    with_conn!(conn, c => diesel::insert_into(s::table)
        .values(&row)
        .on_conflict(s::id)
        .do_update()
        .set(&row)
        .execute(c))?;
    Ok(())
}

/// The instance actor's display name follows the site's name.
pub fn rename_instance_actor(conn: &mut DbConn, name: &str) -> AppResult<()> {
    use crate::db::schema::actors as a;
    let actor: Option<i64> = with_conn!(conn, c => site::table
        .find(1)
        .select(site::instance_actor_id)
        .first(c)
        .optional())?;
    if let Some(id) = actor {
        with_conn!(conn, c => diesel::update(a::table.find(id))
            .set(a::display_name.eq(name))
            .execute(c))?;
    }
    Ok(())
}

pub fn insert_invitation(conn: &mut DbConn, row: &Invitation) -> AppResult<()> {
    use crate::db::schema::invitations as i;
    with_conn!(conn, c => diesel::insert_into(i::table).values(row).execute(c))?;
    Ok(())
}

/// Invitations, newest first (at most `limit`).
pub fn invitations(conn: &mut DbConn, limit: i64) -> AppResult<Vec<Invitation>> {
    use crate::db::schema::invitations as i;
    Ok(with_conn!(conn, c => i::table
        .order(i::created_at.desc())
        .limit(limit)
        .select(Invitation::as_select())
        .load(c))?)
}

/// Revokes an invitation; false when there is none with that id.
pub fn revoke_invitation(conn: &mut DbConn, id: i64) -> AppResult<bool> {
    use crate::db::schema::invitations as i;
    let n = with_conn!(conn, c => diesel::update(i::table.find(id))
        .set(i::revoked.eq(true))
        .execute(c))?;
    Ok(n == 1)
}

/// Uses the invitation with `code_hash` once, if it is still valid at `now`: not
/// revoked, not expired, uses left. One conditional update, so two registrations racing
/// for the last use cannot both have it.
pub fn use_invitation(conn: &mut DbConn, code_hash: &str, now: i64) -> AppResult<bool> {
    use crate::db::schema::invitations as i;
    let n = with_conn!(conn, c => diesel::update(
        i::table
            .filter(i::code_hash.eq(code_hash))
            .filter(i::revoked.eq(false))
            .filter(i::uses.lt(i::max_uses))
            .filter(i::expires_at.is_null().or(i::expires_at.gt(now))),
    )
    .set(i::uses.eq(i::uses + 1))
    .execute(c))?;
    Ok(n == 1)
}

/// Whether the invitation with `code_hash` could be used at `now`.
pub fn invitation_valid(conn: &mut DbConn, code_hash: &str, now: i64) -> AppResult<bool> {
    use crate::db::schema::invitations as i;
    let found: Option<i64> = with_conn!(conn, c => i::table
        .filter(i::code_hash.eq(code_hash))
        .filter(i::revoked.eq(false))
        .filter(i::uses.lt(i::max_uses))
        .filter(i::expires_at.is_null().or(i::expires_at.gt(now)))
        .select(i::id)
        .first(c)
        .optional())?;
    Ok(found.is_some())
}
