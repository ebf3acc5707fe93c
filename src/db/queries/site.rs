//! The site row: the instance actor and the instance's name.

use crate::db::models::Site;
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
