use crate::db::models::Activity;
use crate::db::schema::{activities, received_activities};
use crate::db::{now_ms, DbConn};
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;

/// How long received activity ids are remembered: far longer than a signature stays valid
/// (`federation::signing::SIGNATURE_MAX_AGE` and its clock skew), so a captured request
/// cannot be replayed once its id is forgotten.
pub const RECEIVED_IDS_KEPT_MS: i64 = 14 * 24 * 3600 * 1000;

/// How long an activity may stay recorded as being processed before a redelivery takes
/// it over: its first processing is presumed dead (the process was killed mid-way).
pub const PROCESSING_LEASE_MS: i64 = 60_000;

/// Records an incoming activity id as being processed (stored as the negated start
/// time). Returns `false` when it was recorded before — processed, or being processed for
/// less than [`PROCESSING_LEASE_MS`] — which makes processing idempotent under duplicate
/// and concurrent deliveries. A record left in progress longer than that is taken over,
/// so that a sender's retry after a crash is not lost. Follow with [`finish_received`],
/// or [`unmark_received`] to let a retry in.
pub fn mark_received(conn: &mut DbConn, ap_id: &str) -> AppResult<bool> {
    let now = now_ms();
    let inserted = with_conn!(conn, c => diesel::insert_into(received_activities::table)
        .values((received_activities::ap_id.eq(ap_id), received_activities::received_at.eq(-now)))
        .on_conflict_do_nothing()
        .execute(c))?;
    if inserted == 1 {
        return Ok(true);
    }
    Ok(!take_over_stale(conn, &[ap_id], -now)?.is_empty())
}

/// Marks an activity recorded by [`mark_received`] as processed.
pub fn finish_received(conn: &mut DbConn, ap_id: &str) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(received_activities::table.find(ap_id))
        .set(received_activities::received_at.eq(now_ms()))
        .execute(c))?;
    Ok(())
}

/// Of `ap_ids`, those left in progress longer than [`PROCESSING_LEASE_MS`]: re-recorded
/// with `received_at` and returned.
fn take_over_stale(conn: &mut DbConn, ap_ids: &[&str], received_at: i64) -> AppResult<Vec<String>> {
    // In progress since t is stored as -t; stale when t < now - lease.
    let stale_after = -(now_ms() - PROCESSING_LEASE_MS);
    Ok(
        with_conn!(conn, c => diesel::update(received_activities::table
        .filter(received_activities::ap_id.eq_any(ap_ids))
        .filter(received_activities::received_at.lt(0))
        .filter(received_activities::received_at.gt(stale_after)))
        .set(received_activities::received_at.eq(received_at))
        .returning(received_activities::ap_id)
        .get_results(c))?,
    )
}

/// Records incoming activity ids as processed, in one statement (inside the transaction
/// that processes them); returns those not recorded before (or left in progress by a
/// crash, see [`mark_received`]).
pub fn mark_received_many(
    conn: &mut DbConn,
    ap_ids: &[&str],
) -> AppResult<std::collections::HashSet<String>> {
    let now = now_ms();
    let mut fresh = std::collections::HashSet::new();
    match conn {
        DbConn::Pg(c) => fresh.extend(super::bulk::received(c, ap_ids, now)?),
        DbConn::Sqlite(c) => {
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
                    diesel::insert_into(received_activities::table)
                        .values(&rows)
                        .on_conflict_do_nothing()
                        .returning(received_activities::ap_id)
                        .get_results::<String>(&mut **c)?,
                );
            }
        }
    }
    if fresh.len() < ap_ids.len() {
        // Recorded before: taken over when a crashed one-by-one processing left it.
        let seen: Vec<&str> = ap_ids
            .iter()
            .copied()
            .filter(|id| !fresh.contains(*id))
            .collect();
        for chunk in seen.chunks(300) {
            fresh.extend(take_over_stale(conn, chunk, now)?);
        }
    }
    Ok(fresh)
}

/// Forgets an incoming activity id (processing failed; let the sender retry).
pub fn unmark_received(conn: &mut DbConn, ap_id: &str) -> AppResult<()> {
    with_conn!(conn, c => diesel::delete(received_activities::table.find(ap_id)).execute(c))?;
    Ok(())
}

/// Stores activities sent from here, a few hundred per statement.
pub fn insert_many(conn: &mut DbConn, rows: &[&Activity]) -> AppResult<()> {
    match conn {
        DbConn::Pg(c) => {
            super::bulk::activities(c, rows)?;
        }
        DbConn::Sqlite(c) => {
            for chunk in rows.chunks(200) {
                diesel::insert_into(activities::table)
                    .values(chunk.to_vec())
                    .execute(&mut **c)?;
            }
        }
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

pub fn by_ap_id(conn: &mut DbConn, ap_id: &str) -> AppResult<Option<Activity>> {
    Ok(with_conn!(conn, c => activities::table
        .filter(activities::ap_id.eq(ap_id))
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

/// Drops received ids recorded before `before` (the signature window makes older replays
/// impossible anyway), whether processed or left in progress.
pub fn prune_received(conn: &mut DbConn, before: i64) -> AppResult<usize> {
    let r = received_activities::received_at;
    Ok(
        with_conn!(conn, c => diesel::delete(received_activities::table
        .filter(r.ge(0).and(r.lt(before)).or(r.lt(0).and(r.gt(-before)))))
        .execute(c))?,
    )
}
