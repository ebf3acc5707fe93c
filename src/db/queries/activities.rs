use crate::db::models::Activity;
use crate::db::schema::{activities, received_activities};
use crate::db::{now_ms, DbConn};
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;

/// Records an incoming activity id. Returns `false` when it was already recorded, which
/// makes processing idempotent under duplicate and concurrent deliveries.
pub fn mark_received(conn: &mut DbConn, ap_id: &str) -> AppResult<bool> {
    let now = now_ms();
    let inserted = with_conn!(conn, c => diesel::insert_into(received_activities::table)
        .values((received_activities::ap_id.eq(ap_id), received_activities::received_at.eq(now)))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(inserted == 1)
}

/// Records incoming activity ids in one statement; returns those not recorded before.
pub fn mark_received_many(
    conn: &mut DbConn,
    ap_ids: &[&str],
) -> AppResult<std::collections::HashSet<String>> {
    let now = now_ms();
    let mut fresh = std::collections::HashSet::new();
    for chunk in ap_ids.chunks(300) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|id| {
                (
                    received_activities::ap_id.eq(*id),
                    received_activities::received_at.eq(now),
                )
            })
            .collect();
        fresh.extend(
            with_conn!(conn, c => diesel::insert_into(received_activities::table)
            .values(&rows)
            .on_conflict_do_nothing()
            .returning(received_activities::ap_id)
            .get_results::<String>(c))?,
        );
    }
    Ok(fresh)
}

/// Forgets an incoming activity id (processing failed; let the sender retry).
pub fn unmark_received(conn: &mut DbConn, ap_id: &str) -> AppResult<()> {
    with_conn!(conn, c => diesel::delete(received_activities::table.find(ap_id)).execute(c))?;
    Ok(())
}

pub fn was_received(conn: &mut DbConn, ap_id: &str) -> AppResult<bool> {
    Ok(with_conn!(conn, c => diesel::select(diesel::dsl::exists(
        received_activities::table.find(ap_id)
    )).get_result(c))?)
}

/// Stores activities sent from here, a few hundred per statement.
pub fn insert_many(conn: &mut DbConn, rows: &[Activity]) -> AppResult<()> {
    for chunk in rows.chunks(200) {
        with_conn!(conn, c => diesel::insert_into(activities::table).values(chunk).execute(c))?;
    }
    Ok(())
}

pub fn by_id(conn: &mut DbConn, id: i64) -> AppResult<Option<Activity>> {
    Ok(with_conn!(conn, c => activities::table
        .find(id)
        .select(Activity::as_select())
        .first(c)
        .optional())?)
}

pub fn by_ids(conn: &mut DbConn, ids: &[i64]) -> AppResult<Vec<Activity>> {
    Ok(with_conn!(conn, c => activities::table
        .filter(activities::id.eq_any(ids))
        .select(Activity::as_select())
        .load(c))?)
}

/// Public activities of an actor, newest first (its outbox).
pub fn outbox(conn: &mut DbConn, actor_id: i64, limit: i64) -> AppResult<Vec<Activity>> {
    Ok(with_conn!(conn, c => activities::table
        .filter(activities::actor_id.eq(actor_id))
        .filter(activities::public.eq(true))
        .order(activities::id.desc())
        .limit(limit)
        .select(Activity::as_select())
        .load(c))?)
}

pub fn count_public(conn: &mut DbConn, actor_id: i64) -> AppResult<i64> {
    Ok(with_conn!(conn, c => activities::table
        .filter(activities::actor_id.eq(actor_id))
        .filter(activities::public.eq(true))
        .count()
        .get_result(c))?)
}

/// Drops received ids older than `before` (the signature window makes older replays
/// impossible anyway).
pub fn prune_received(conn: &mut DbConn, before: i64) -> AppResult<usize> {
    Ok(
        with_conn!(conn, c => diesel::delete(received_activities::table
        .filter(received_activities::received_at.lt(before)))
        .execute(c))?,
    )
}
