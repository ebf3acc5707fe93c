//! A user's settings of the web app (the page language).

use crate::db::schema::user_settings as us;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;

/// The language a user chose for the pages (`None`: the browser's).
pub fn language(conn: &mut DbConn, user: i64) -> AppResult<Option<String>> {
    Ok(with_conn!(conn, c => us::table
        .find(user)
        .select(us::language)
        .first::<Option<String>>(c)
        .optional())?
    .flatten())
}

/// Sets (or with `None` clears) the language a user chose for the pages.
pub fn set_language(conn: &mut DbConn, user: i64, language: Option<&str>) -> AppResult<()> {
    conn.transaction(|conn| {
        with_conn!(conn, c => diesel::delete(us::table.find(user)).execute(c))?;
        with_conn!(conn, c => diesel::insert_into(us::table)
            .values((us::user_id.eq(user), us::language.eq(language)))
            .execute(c))?;
        Ok(())
    })
}
