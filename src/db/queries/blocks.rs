//! People a local person blocked (`person_blocks`): kept here only.

use crate::db::now_ms;
use crate::db::schema::person_blocks as pb;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;

/// `actor` blocks `blocked`; `false` when they had already.
pub fn block(conn: &mut DbConn, actor: i64, blocked: i64) -> AppResult<bool> {
    let n = with_conn!(conn, c => diesel::insert_into(pb::table)
        .values((
            pb::actor_id.eq(actor),
            pb::blocked_id.eq(blocked),
            pb::created_at.eq(now_ms()),
        ))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(n > 0)
}

/// `actor` unblocks `blocked`; `false` when they had not blocked them.
pub fn unblock(conn: &mut DbConn, actor: i64, blocked: i64) -> AppResult<bool> {
    let n = with_conn!(conn, c => diesel::delete(pb::table
        .filter(pb::actor_id.eq(actor))
        .filter(pb::blocked_id.eq(blocked)))
        .execute(c))?;
    Ok(n > 0)
}

/// Whether `actor` blocked `other`.
pub fn blocked(conn: &mut DbConn, actor: i64, other: i64) -> AppResult<bool> {
    Ok(with_conn!(conn, c => pb::table
        .filter(pb::actor_id.eq(actor))
        .filter(pb::blocked_id.eq(other))
        .count()
        .get_result::<i64>(c))?
        > 0)
}

/// The actors `actor` blocked, newest first.
pub fn of(conn: &mut DbConn, actor: i64) -> AppResult<Vec<i64>> {
    Ok(with_conn!(conn, c => pb::table
        .filter(pb::actor_id.eq(actor))
        .order(pb::created_at.desc())
        .select(pb::blocked_id)
        .load::<i64>(c))?)
}

/// Of the pairs (actor, other), those where the actor blocked the other.
pub fn among(conn: &mut DbConn, actors: &[i64], others: &[i64]) -> AppResult<Vec<(i64, i64)>> {
    if actors.is_empty() || others.is_empty() {
        return Ok(Vec::new());
    }
    Ok(with_conn!(conn, c => pb::table
        .filter(pb::actor_id.eq_any(actors))
        .filter(pb::blocked_id.eq_any(others))
        .select((pb::actor_id, pb::blocked_id))
        .load::<(i64, i64)>(c))?)
}
