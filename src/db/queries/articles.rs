//! Knowledge articles of groups and their revisions: stored, edited, retired, listed,
//! searched, and the stale ones (not reviewed for a while) for the staff inbox.

use crate::db::schema::{article_revisions as r, articles as a};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = crate::db::schema::articles)]
pub struct Article {
    pub id: i64,
    pub ap_id: String,
    pub group_id: i64,
    pub title: String,
    pub body_md: String,
    pub content_html: String,
    /// Space-separated product tags.
    pub tags: String,
    pub source_question_id: Option<i64>,
    /// The source question's id as the article names it.
    pub source_ap_id: Option<String>,
    pub author_id: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub reviewed_at: i64,
    pub retired_at: Option<i64>,
    pub local: bool,
}

impl Article {
    pub fn retired(&self) -> bool {
        self.retired_at.is_some()
    }
}

/// An earlier version of an article.
#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = crate::db::schema::article_revisions)]
pub struct Revision {
    pub id: i64,
    pub article_id: i64,
    pub editor_id: i64,
    pub title: String,
    pub body_md: String,
    pub tags: String,
    pub created_at: i64,
}

/// Articles listed or searched at most.
pub const MAX_LIST: i64 = 200;

pub fn insert(conn: &mut DbConn, article: &Article) -> AppResult<()> {
    with_conn!(conn, c => diesel::insert_into(a::table).values(article).execute(c))?;
    Ok(())
}

/// Stores an article received from another server, unless one with its id is stored
/// already (the same article received twice at once).
pub fn insert_received(conn: &mut DbConn, article: &Article) -> AppResult<()> {
    with_conn!(conn, c => diesel::insert_into(a::table)
        .values(article)
        .on_conflict(a::ap_id)
        .do_nothing()
        .execute(c))?;
    Ok(())
}

pub fn by_id(conn: &mut DbConn, id: i64) -> AppResult<Option<Article>> {
    Ok(with_conn!(conn, c => a::table
        .find(id)
        .select(Article::as_select())
        .first(c)
        .optional())?)
}

pub fn by_ap_id(conn: &mut DbConn, ap_id: &str) -> AppResult<Option<Article>> {
    Ok(with_conn!(conn, c => a::table
        .filter(a::ap_id.eq(ap_id))
        .select(Article::as_select())
        .first(c)
        .optional())?)
}

/// The articles written from `question_id` (not retired).
pub fn of_question(conn: &mut DbConn, question_id: i64) -> AppResult<Vec<Article>> {
    Ok(with_conn!(conn, c => a::table
        .filter(a::source_question_id.eq(question_id))
        .filter(a::retired_at.is_null())
        .select(Article::as_select())
        .load(c))?)
}

/// Saves the content of `article` (title, body, html, tags, updated and reviewed
/// times), keeping `earlier` in the history when given.
pub fn update(conn: &mut DbConn, article: &Article, earlier: Option<&Revision>) -> AppResult<()> {
    with_conn!(conn, c => {
        if let Some(rev) = earlier {
            diesel::insert_into(r::table).values(rev).execute(c)?;
        }
        diesel::update(a::table.find(article.id))
            .set((
                a::title.eq(&article.title),
                a::body_md.eq(&article.body_md),
                a::content_html.eq(&article.content_html),
                a::tags.eq(&article.tags),
                a::updated_at.eq(article.updated_at),
                a::reviewed_at.eq(article.reviewed_at),
            ))
            .execute(c)
    })?;
    Ok(())
}

/// [`update`] for an edit received from another server: applied (with `earlier` kept)
/// only when the stored copy is older than it, so that the same edit received twice
/// (from its author and announced by its group) is kept once. Whether it was applied.
pub fn update_if_newer(
    conn: &mut DbConn,
    article: &Article,
    earlier: &Revision,
) -> AppResult<bool> {
    let n = with_conn!(conn, c => diesel::update(
        a::table
            .find(article.id)
            .filter(a::updated_at.lt(article.updated_at)),
    )
    .set((
        a::title.eq(&article.title),
        a::body_md.eq(&article.body_md),
        a::content_html.eq(&article.content_html),
        a::tags.eq(&article.tags),
        a::updated_at.eq(article.updated_at),
        a::reviewed_at.eq(article.reviewed_at),
    ))
    .execute(c))?;
    if n == 1 {
        with_conn!(conn, c => diesel::insert_into(r::table).values(earlier).execute(c))?;
    }
    Ok(n == 1)
}

pub fn set_reviewed(conn: &mut DbConn, id: i64, at: i64) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(a::table.find(id))
        .set(a::reviewed_at.eq(at))
        .execute(c))?;
    Ok(())
}

pub fn set_retired(conn: &mut DbConn, id: i64, at: Option<i64>) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(a::table.find(id))
        .set(a::retired_at.eq(at))
        .execute(c))?;
    Ok(())
}

/// The history of an article, newest first.
pub fn revisions(conn: &mut DbConn, article_id: i64) -> AppResult<Vec<Revision>> {
    Ok(with_conn!(conn, c => r::table
        .filter(r::article_id.eq(article_id))
        .order((r::created_at.desc(), r::id.desc()))
        .select(Revision::as_select())
        .load(c))?)
}

/// The shown (not retired) articles of `group_id`, most recently updated first.
pub fn of_group(conn: &mut DbConn, group_id: i64) -> AppResult<Vec<Article>> {
    Ok(with_conn!(conn, c => a::table
        .filter(a::group_id.eq(group_id))
        .filter(a::retired_at.is_null())
        .order((a::updated_at.desc(), a::id.desc()))
        .limit(MAX_LIST)
        .select(Article::as_select())
        .load(c))?)
}

/// The words of a search, lower-cased, at least three characters, at most twelve.
fn words(q: &str) -> Vec<String> {
    let mut words: Vec<String> = q
        .split(|ch: char| !ch.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .take(12)
        .map(str::to_lowercase)
        .collect();
    words.sort();
    words.dedup();
    words
}

/// Shown articles matching any word of `q` in their title, tags or body; in `group_id`
/// (or every group), best first: more words matched, title matches counting double.
/// Matching is done here rather than by the databases' full-text search: a group's
/// knowledge base is small (its articles are written by hand).
pub fn search(
    conn: &mut DbConn,
    q: &str,
    group_id: Option<i64>,
    limit: usize,
) -> AppResult<Vec<Article>> {
    let words = words(q);
    if words.is_empty() {
        return Ok(vec![]);
    }
    let all: Vec<Article> = with_conn!(conn, c => {
        let mut query = a::table
            .filter(a::retired_at.is_null())
            .select(Article::as_select())
            .into_boxed();
        if let Some(g) = group_id {
            query = query.filter(a::group_id.eq(g));
        }
        query.order(a::updated_at.desc()).limit(2_000).load(c)
    })?;
    let mut scored: Vec<(usize, Article)> = all
        .into_iter()
        .filter_map(|art| {
            let title = art.title.to_lowercase();
            let rest = format!("{} {}", art.tags, art.body_md).to_lowercase();
            let score: usize = words
                .iter()
                .map(|w| {
                    2 * usize::from(title.contains(w.as_str()))
                        + usize::from(rest.contains(w.as_str()))
                })
                .sum();
            (score > 0).then_some((score, art))
        })
        .collect();
    scored.sort_by(|x, y| y.0.cmp(&x.0).then(y.1.updated_at.cmp(&x.1.updated_at)));
    Ok(scored.into_iter().take(limit).map(|(_, art)| art).collect())
}

/// Local articles not reviewed since `before` (ms), in the groups `group_ids` (every
/// group when `None`), the oldest review first.
pub fn stale(conn: &mut DbConn, before: i64, group_ids: Option<&[i64]>) -> AppResult<Vec<Article>> {
    Ok(with_conn!(conn, c => {
        let mut query = a::table
            .filter(a::retired_at.is_null())
            .filter(a::local.eq(true))
            .filter(a::reviewed_at.lt(before))
            .select(Article::as_select())
            .into_boxed();
        if let Some(ids) = group_ids {
            query = query.filter(a::group_id.eq_any(ids.to_vec()));
        }
        query.order(a::reviewed_at.asc()).limit(MAX_LIST).load(c)
    })?)
}
