//! The FEP-7888 `context` of questions from other servers that name their own.

use crate::db::schema::post_contexts as pc;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;
use diesel::upsert::excluded;

/// Stores (post id, context) pairs; a newer context replaces an older one.
pub fn put(conn: &mut DbConn, pairs: &[(String, String)]) -> AppResult<()> {
    for (ap_id, context) in pairs {
        with_conn!(conn, c => diesel::insert_into(pc::table)
            .values((pc::ap_id.eq(ap_id), pc::context.eq(context)))
            .on_conflict(pc::ap_id)
            .do_update()
            .set(pc::context.eq(excluded(pc::context)))
            .execute(c))?;
    }
    Ok(())
}

/// The context that the post `ap_id` named, if it was stored.
pub fn get(conn: &mut DbConn, ap_id: &str) -> AppResult<Option<String>> {
    Ok(with_conn!(conn, c => pc::table
        .find(ap_id)
        .select(pc::context)
        .first::<String>(c)
        .optional())?)
}
