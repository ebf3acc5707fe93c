//! What search engines and feed readers read: the questions of local groups for the
//! sitemap, and the newest answers of a question for its feed. Only public posts that are
//! neither deleted nor removed, by authors of instances that are not blocked or silenced.

use super::posts::NOT_LIMITED_AUTHOR;
use crate::db::models::Post;
use crate::db::schema::{actors, posts as p};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;

/// Questions of local groups: (id, last activity in ms), oldest first, one page.
pub fn sitemap_questions(conn: &mut DbConn, offset: i64, limit: i64) -> AppResult<Vec<(i64, i64)>> {
    Ok(with_conn!(conn, c => p::table
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(NOT_LIMITED_AUTHOR))
        .filter(p::kind.eq("question"))
        .filter(p::deleted.eq(false))
        .filter(p::removed.eq(false))
        .filter(p::public.eq(true))
        .filter(p::group_id.eq_any(
            actors::table
                .filter(actors::local.eq(true))
                .filter(actors::kind.eq("Group"))
                .select(actors::id.nullable()),
        ))
        .order(p::id.asc())
        .offset(offset)
        .limit(limit)
        .select((p::id, p::last_activity_at))
        .load(c))?)
}

/// How many questions [`sitemap_questions`] lists in all.
pub fn sitemap_count(conn: &mut DbConn) -> AppResult<i64> {
    Ok(with_conn!(conn, c => p::table
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(NOT_LIMITED_AUTHOR))
        .filter(p::kind.eq("question"))
        .filter(p::deleted.eq(false))
        .filter(p::removed.eq(false))
        .filter(p::public.eq(true))
        .filter(p::group_id.eq_any(
            actors::table
                .filter(actors::local.eq(true))
                .filter(actors::kind.eq("Group"))
                .select(actors::id.nullable()),
        ))
        .count()
        .get_result(c))?)
}

/// The newest answers of a question, newest first.
pub fn newest_answers(conn: &mut DbConn, question_id: i64, limit: i64) -> AppResult<Vec<Post>> {
    Ok(with_conn!(conn, c => p::table
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(NOT_LIMITED_AUTHOR))
        .filter(p::question_id.eq(question_id))
        .filter(p::kind.eq("answer"))
        .filter(p::deleted.eq(false))
        .filter(p::removed.eq(false))
        .filter(p::public.eq(true))
        .order((p::published_at.desc(), p::id.desc()))
        .limit(limit)
        .select(Post::as_select())
        .load(c))?)
}
