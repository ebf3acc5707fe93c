//! Asking: similar questions for the ask form, whether a post is a user's first in a
//! group, and the ask forms' deflection counts (`ask_sessions`).

use super::posts::NOT_LIMITED_AUTHOR;
use crate::db::models::Post;
use crate::db::schema::{ask_sessions as s, posts as p};
use crate::db::{now_ms, DbConn};
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

/// Words shorter than this are left out of the similar-questions search.
const MIN_WORD: usize = 3;

/// Questions like a title being typed: full-text matches of any of its words (the
/// database search of `posts::search`, but OR instead of AND), solved ones first, then
/// the best matches. Visible questions: public ones, and those of the private groups
/// `private_groups` (those the reader may read; none for the help widget).
pub fn similar(
    conn: &mut DbConn,
    title: &str,
    group_id: Option<i64>,
    private_groups: &[i64],
    limit: i64,
) -> AppResult<Vec<Post>> {
    use diesel::sql_types::{BigInt, Text};
    let mut words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= MIN_WORD)
        .take(12)
        .map(str::to_lowercase)
        .collect();
    words.sort();
    words.dedup();
    if words.is_empty() {
        return Ok(vec![]);
    }
    let group = group_id.unwrap_or(0);
    let author = NOT_LIMITED_AUTHOR.replace("posts.author_id", "p.author_id");
    let readable = super::posts::readable_sql("p", private_groups);
    let ids: Vec<IdRow> = match conn {
        DbConn::Sqlite(c) => {
            let fts = words
                .iter()
                .map(|w| format!("\"{w}\""))
                .collect::<Vec<_>>()
                .join(" OR ");
            diesel::sql_query(format!(
                "SELECT p.id FROM posts_fts f JOIN posts p ON p.id = f.rowid \
                 WHERE posts_fts MATCH ? AND p.kind = 'question' AND p.deleted = 0 \
                 AND p.removed = 0 AND {readable} AND (? = 0 OR p.group_id = ?) AND {author} \
                 ORDER BY p.accepted_answer_id IS NULL, f.rank LIMIT ?"
            ))
            .bind::<Text, _>(fts)
            .bind::<BigInt, _>(group)
            .bind::<BigInt, _>(group)
            .bind::<BigInt, _>(limit)
            .load(&mut **c)?
        }
        DbConn::Pg(c) => diesel::sql_query(format!(
            "SELECT p.id FROM posts p \
             WHERE p.search_vector @@ to_tsquery('english', $1) AND p.kind = 'question' \
             AND NOT p.deleted AND NOT p.removed AND {readable} \
             AND ($2 = 0 OR p.group_id = $2) AND {author} \
             ORDER BY p.accepted_answer_id IS NULL, \
             ts_rank(p.search_vector, to_tsquery('english', $1)) DESC LIMIT $3"
        ))
        // Words are letters and digits only: safe as tsquery lexemes.
        .bind::<Text, _>(words.join(" | "))
        .bind::<BigInt, _>(group)
        .bind::<BigInt, _>(limit)
        .load(&mut **c)?,
    };
    let ids: Vec<i64> = ids.into_iter().map(|r| r.id).collect();
    let mut posts = super::posts::by_ids(conn, &ids)?;
    posts.sort_by_key(|p| ids.iter().position(|i| *i == p.id));
    Ok(posts)
}

/// Whether `author` has posted in `group` before (anything, in any state).
pub fn has_posted_in(conn: &mut DbConn, author: i64, group: i64) -> AppResult<bool> {
    let found: Option<i64> = with_conn!(conn, c => p::table
        .filter(p::author_id.eq(author))
        .filter(p::group_id.eq(group))
        .select(p::id)
        .first(c)
        .optional())?;
    Ok(found.is_some())
}

/// Records that the ask form `token` of `user` opened a suggestion (`posted` false) or
/// posted its question (`posted` true). The first time of each counts, and so does the
/// first group known (the opened question's, or the one posted in).
pub fn record(
    conn: &mut DbConn,
    token: &str,
    user: i64,
    posted: bool,
    group: Option<i64>,
) -> AppResult<()> {
    let now = now_ms();
    conn.transaction(|conn| {
        with_conn!(conn, c => diesel::insert_into(s::table)
            .values((
                s::token.eq(token),
                s::user_id.eq(user),
                s::created_at.eq(now),
            ))
            .on_conflict_do_nothing()
            .execute(c))?;
        let mine = s::table
            .filter(s::token.eq(token))
            .filter(s::user_id.eq(user));
        if let Some(g) = group {
            with_conn!(conn, c => diesel::update(mine.filter(s::group_id.is_null()))
                .set(s::group_id.eq(g))
                .execute(c))?;
        }
        if posted {
            with_conn!(conn, c => diesel::update(mine.filter(s::posted_at.is_null()))
                .set(s::posted_at.eq(now))
                .execute(c))?;
        } else {
            with_conn!(conn, c => diesel::update(mine.filter(s::opened_at.is_null()))
                .set(s::opened_at.eq(now))
                .execute(c))?;
        }
        Ok(())
    })
}

/// The ask forms' deflection counts.
#[derive(Clone, Copy, Debug, Default, serde::Serialize, utoipa::ToSchema)]
pub struct Deflection {
    /// Ask forms that opened at least one suggested question.
    pub opened: i64,
    /// Of those, the ones that posted their question anyway.
    pub opened_then_posted: i64,
    /// Opened a suggestion and did not post: questions answered by self-service.
    pub deflected: i64,
    /// Ask forms that posted (with or without opening a suggestion).
    pub posted: i64,
}

pub fn deflection(conn: &mut DbConn) -> AppResult<Deflection> {
    let (opened, both, posted): (i64, i64, i64) = with_conn!(conn, c => {
        let opened = s::table.filter(s::opened_at.is_not_null()).count().get_result(c)?;
        let both = s::table
            .filter(s::opened_at.is_not_null())
            .filter(s::posted_at.is_not_null())
            .count()
            .get_result(c)?;
        let posted = s::table.filter(s::posted_at.is_not_null()).count().get_result(c)?;
        Ok::<_, diesel::result::Error>((opened, both, posted))
    })?;
    Ok(Deflection {
        opened,
        opened_then_posted: both,
        deflected: opened - both,
        posted,
    })
}
