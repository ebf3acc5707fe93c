//! The help widget's settings of a group: the sites that may embed it.

use crate::db::schema::group_widgets as w;
use crate::db::{now_ms, DbConn};
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;

/// The origins that may embed the widget of `group_id` (empty: any site).
pub fn origins(conn: &mut DbConn, group_id: i64) -> AppResult<Vec<String>> {
    let row: Option<String> = with_conn!(conn, c => w::table
        .find(group_id)
        .select(w::origins)
        .first(c)
        .optional())?;
    Ok(row
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect())
}

/// Replaces the origins of `group_id`'s widget.
pub fn set_origins(conn: &mut DbConn, group_id: i64, origins: &[String]) -> AppResult<()> {
    let (joined, now) = (origins.join(" "), now_ms());
    with_conn!(conn, c => diesel::insert_into(w::table)
        .values((w::group_id.eq(group_id), w::origins.eq(&joined), w::updated_at.eq(now)))
        .on_conflict(w::group_id)
        .do_update()
        .set((w::origins.eq(&joined), w::updated_at.eq(now)))
        .execute(c))?;
    Ok(())
}
