//! The durable inbound queue (`--inbox-queue`): verified activities stored on receipt
//! and processed by the drain in `federation::inbound`.

use crate::db::ids::new_id;
use crate::db::models::{Actor, Inbound};
use crate::db::schema::{actors, inbound_queue as q};
use crate::db::{now_ms, DbConn};
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;

/// Stores activities (activity id, signer, body) in one transaction: their ids are
/// recorded as received, and those not received before are queued. Returns how many
/// were queued; the others were duplicates.
pub fn enqueue(conn: &mut DbConn, items: Vec<(String, i64, String)>) -> AppResult<usize> {
    conn.transaction(|conn| {
        let ids: Vec<&str> = items.iter().map(|(id, _, _)| id.as_str()).collect();
        let mut fresh = super::activities::mark_received_many(conn, &ids)?;
        let now = now_ms();
        // `remove`: an id sent twice in one batch is queued once.
        let rows: Vec<Inbound> = items
            .into_iter()
            .filter(|(id, _, _)| fresh.remove(id))
            .map(|(_, signer, body)| Inbound {
                id: new_id(),
                signer_id: signer,
                activity: body,
                received_at: now,
                attempts: 0,
                next_attempt_at: now,
                locked_until: 0,
            })
            .collect();
        match conn {
            DbConn::Pg(c) => {
                super::bulk::inbound(c, &rows)?;
            }
            DbConn::Sqlite(c) => {
                for chunk in rows.chunks(200) {
                    diesel::insert_into(q::table)
                        .values(chunk)
                        .execute(&mut **c)?;
                }
            }
        }
        Ok(rows.len())
    })
}

/// Starts processing one activity received directly (without `--inbox-queue`): in one
/// transaction its id is recorded as received and its verified body stored as a queue
/// row claimed by this process for `lease_ms`. Returns the row's id, or `None` when the
/// id was received before (a duplicate: the first copy is stored, and processed even if
/// the process handling it dies). End with [`finish`]; a row left behind by a crash is
/// claimed again once its lease ends.
pub fn begin(
    conn: &mut DbConn,
    activity_id: &str,
    signer_id: i64,
    body: String,
    lease_ms: i64,
) -> AppResult<Option<i64>> {
    conn.transaction(|conn| {
        if super::activities::mark_received_many(conn, &[activity_id])?.is_empty() {
            return Ok(None);
        }
        let now = now_ms();
        let row = Inbound {
            id: new_id(),
            signer_id,
            activity: body,
            received_at: now,
            attempts: 0,
            next_attempt_at: now,
            locked_until: now + lease_ms,
        };
        with_conn!(conn, c => diesel::insert_into(q::table).values(&row).execute(c))?;
        Ok(Some(row.id))
    })
}

/// Claims up to `limit` due activities, oldest first, for `lease_ms`, with their
/// signers. On PostgreSQL concurrent drains (also in other processes) never claim the
/// same row (`FOR UPDATE SKIP LOCKED`); a claim not finished (the process died) is
/// claimed again once its lease ends.
pub fn claim(conn: &mut DbConn, limit: i64, lease_ms: i64) -> AppResult<Vec<(Inbound, Actor)>> {
    let now = now_ms();
    conn.transaction(|conn| {
        macro_rules! due {
            () => {
                q::table
                    .filter(q::next_attempt_at.le(now))
                    .filter(q::locked_until.le(now))
                    .order(q::next_attempt_at.asc())
                    .limit(limit)
                    .select(Inbound::as_select())
            };
        }
        let rows: Vec<Inbound> = match conn {
            DbConn::Pg(c) => due!().for_update().skip_locked().load(&mut **c)?,
            DbConn::Sqlite(c) => due!().load(&mut **c)?,
        };
        if rows.is_empty() {
            return Ok(vec![]);
        }
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        with_conn!(conn, c => diesel::update(q::table.filter(q::id.eq_any(&ids)))
            .set(q::locked_until.eq(now + lease_ms))
            .execute(c))?;
        let signers: Vec<i64> = rows.iter().map(|r| r.signer_id).collect();
        let actors: Vec<Actor> = with_conn!(conn, c => actors::table
            .filter(actors::id.eq_any(&signers))
            .select(Actor::as_select())
            .load(c))?;
        let by_id: std::collections::HashMap<i64, Actor> =
            actors.into_iter().map(|a| (a.id, a)).collect();
        let (found, gone): (Vec<_>, Vec<_>) = rows
            .into_iter()
            .partition(|r| by_id.contains_key(&r.signer_id));
        // The signer was purged meanwhile: nothing to process.
        let gone: Vec<i64> = gone.iter().map(|r| r.id).collect();
        with_conn!(conn, c => diesel::delete(q::table.filter(q::id.eq_any(&gone))).execute(c))?;
        Ok(found
            .into_iter()
            .map(|r| {
                let a = by_id[&r.signer_id].clone();
                (r, a)
            })
            .collect())
    })
}

/// Ends a claim: `done` rows are dropped; `retry` rows (id, attempts so far, when)
/// wait for their next attempt.
pub fn finish(conn: &mut DbConn, done: &[i64], retry: &[(i64, i32, i64)]) -> AppResult<()> {
    conn.transaction(|conn| {
        for chunk in done.chunks(500) {
            with_conn!(conn, c => diesel::delete(q::table.filter(q::id.eq_any(chunk))).execute(c))?;
        }
        for (id, attempts, at) in retry {
            with_conn!(conn, c => diesel::update(q::table.find(id))
                .set((
                    q::attempts.eq(attempts),
                    q::next_attempt_at.eq(at),
                    q::locked_until.eq(0),
                ))
                .execute(c))?;
        }
        Ok(())
    })
}

/// Activities waiting, for backpressure and the admin view.
pub fn backlog(conn: &mut DbConn) -> AppResult<i64> {
    Ok(with_conn!(conn, c => q::table.count().get_result(c))?)
}
