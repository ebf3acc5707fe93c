use crate::db::models::Actor;
use crate::db::schema::actors::dsl as a;
use crate::db::{now_ms, DbConn};
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;

pub fn by_ap_id(conn: &mut DbConn, ap_id: &str) -> AppResult<Option<Actor>> {
    Ok(with_conn!(conn, c => a::actors
        .filter(a::ap_id.eq(ap_id))
        .select(Actor::as_select())
        .first(c)
        .optional())?)
}

pub fn by_id(conn: &mut DbConn, id: i64) -> AppResult<Option<Actor>> {
    Ok(with_conn!(conn, c => a::actors
        .find(id)
        .select(Actor::as_select())
        .first(c)
        .optional())?)
}

pub fn by_ids(conn: &mut DbConn, ids: &[i64]) -> AppResult<Vec<Actor>> {
    Ok(with_conn!(conn, c => a::actors
        .filter(a::id.eq_any(ids))
        .select(Actor::as_select())
        .load(c))?)
}

/// A local actor (user, group or the instance actor) by its name, case-insensitively.
pub fn by_ap_ids(conn: &mut DbConn, ap_ids: &[String]) -> AppResult<Vec<Actor>> {
    Ok(with_conn!(conn, c => a::actors
        .filter(a::ap_id.eq_any(ap_ids))
        .filter(crate::db::plan_each_time())
        .select(Actor::as_select())
        .load(c))?)
}

pub fn local_by_name(conn: &mut DbConn, name: &str) -> AppResult<Option<Actor>> {
    let lower = name.to_lowercase();
    Ok(with_conn!(conn, c => a::actors
        .filter(a::local.eq(true))
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>("lower(name) = ")
            .bind::<diesel::sql_types::Text, _>(lower))
        .select(Actor::as_select())
        .first(c)
        .optional())?)
}

/// A known actor by `name@domain` handle.
pub fn by_handle(conn: &mut DbConn, name: &str, domain: &str) -> AppResult<Option<Actor>> {
    Ok(with_conn!(conn, c => a::actors
        .filter(a::name.eq(name))
        .filter(a::domain.eq(domain))
        .filter(a::deleted.eq(false))
        .order(a::fetched_at.desc())
        .select(Actor::as_select())
        .first(c)
        .optional())?)
}

pub fn insert(conn: &mut DbConn, actor: &Actor) -> AppResult<()> {
    with_conn!(conn, c => diesel::insert_into(a::actors).values(actor).execute(c))?;
    Ok(())
}

/// Inserts a remote actor or refreshes the stored copy; keeps the local id. Returns the row.
/// Safe under concurrent first fetches of the same actor.
pub fn upsert_remote(conn: &mut DbConn, mut actor: Actor) -> AppResult<Actor> {
    let inserted = with_conn!(conn, c => diesel::insert_into(a::actors)
        .values(&actor)
        .on_conflict_do_nothing()
        .execute(c))?;
    if inserted == 1 {
        return Ok(actor);
    }
    let existing = by_ap_id(conn, &actor.ap_id)?.ok_or(diesel::result::Error::NotFound)?;
    actor.id = existing.id;
    actor.created_at = existing.created_at;
    actor.local = existing.local;
    actor.private_key_pem = existing.private_key_pem;
    with_conn!(conn, c => diesel::update(a::actors.find(existing.id)).set(&actor).execute(c))?;
    Ok(actor)
}

pub fn mark_deleted(conn: &mut DbConn, id: i64) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(a::actors.find(id))
        .set((a::deleted.eq(true), a::updated_at.eq(now_ms())))
        .execute(c))?;
    Ok(())
}

pub fn update_profile(
    conn: &mut DbConn,
    id: i64,
    display_name: Option<String>,
    summary: Option<String>,
) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(a::actors.find(id))
        .set((a::display_name.eq(display_name), a::summary.eq(summary), a::updated_at.eq(now_ms())))
        .execute(c))?;
    Ok(())
}

pub fn count_local(conn: &mut DbConn, kind: &str) -> AppResult<i64> {
    Ok(with_conn!(conn, c => a::actors
        .filter(a::local.eq(true))
        .filter(a::kind.eq(kind))
        .filter(a::deleted.eq(false))
        .count()
        .get_result(c))?)
}
