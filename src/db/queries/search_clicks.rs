//! Self-service through search (`search_clicks`): clicks on search results, per result's
//! group, and whether the person asked a question within a day of the click; counted in
//! the support metrics as search deflection.

use crate::db::schema::search_clicks as sc;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;

/// A click counts as followed by a question when one is asked within this long (ms).
pub const ASK_WINDOW: i64 = 86_400_000;

/// Records a click on a result of group `group_id` at `at`, by `actor` (signed in) from
/// the browser `browser`.
pub fn record(
    conn: &mut DbConn,
    group_id: i64,
    actor: Option<i64>,
    browser: &str,
    at: i64,
) -> AppResult<()> {
    with_conn!(conn, c => diesel::insert_into(sc::table)
        .values((
            sc::id.eq(crate::db::ids::new_id()),
            sc::group_id.eq(group_id),
            sc::actor_id.eq(actor),
            sc::browser.eq(browser),
            sc::clicked_at.eq(at),
        ))
        .execute(c))?;
    Ok(())
}

/// Gives the clicks made from `browser` before signing in to `actor`.
pub fn claim(conn: &mut DbConn, browser: &str, actor: i64) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(
        sc::table
            .filter(sc::browser.eq(browser))
            .filter(sc::actor_id.is_null()),
    )
    .set(sc::actor_id.eq(actor))
    .execute(c))?;
    Ok(())
}

/// `actor` asked a question at `at`: their clicks of the day before are not deflection.
pub fn asked(conn: &mut DbConn, actor: i64, at: i64) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(
        sc::table
            .filter(sc::actor_id.eq(actor))
            .filter(sc::clicked_at.ge(at - ASK_WINDOW))
            .filter(sc::clicked_at.le(at))
            .filter(sc::asked_at.is_null()),
    )
    .set(sc::asked_at.eq(at))
    .execute(c))?;
    Ok(())
}

/// Clicks on results of group `gid` in `[from, to)`, and of those the ones not followed
/// by a question.
pub fn counts(conn: &mut DbConn, gid: i64, from: i64, to: i64) -> AppResult<(i64, i64)> {
    let in_period = || {
        sc::table
            .filter(sc::group_id.eq(gid))
            .filter(sc::clicked_at.ge(from))
            .filter(sc::clicked_at.lt(to))
    };
    let clicks: i64 = with_conn!(conn, c => in_period().count().get_result(c))?;
    let deflected: i64 = with_conn!(conn, c => in_period()
        .filter(sc::asked_at.is_null())
        .count()
        .get_result(c))?;
    Ok((clicks, deflected))
}
