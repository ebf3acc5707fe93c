//! Questions, answers, comments, their edit history, votes and search.

use crate::db::ids::new_id;
use crate::db::models::{Post, PostEdit, Vote, ANSWER};
use crate::db::reputation;
use crate::db::schema::{post_edits, posts as p, votes};
use crate::db::{now_ms, DbConn};
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;

/// Votes of users of blocked instances do not count.
const NOT_BLOCKED_VOTER: &str = "votes.actor_id NOT IN (SELECT a.id FROM actors a \
     JOIN instances i ON i.domain = a.domain WHERE i.blocked)";

/// Posts by users of blocked (and, in listings, silenced) instances are hidden.
pub const NOT_BLOCKED_AUTHOR: &str = "posts.author_id NOT IN (SELECT a.id FROM actors a \
     JOIN instances i ON i.domain = a.domain WHERE i.blocked)";
pub const NOT_LIMITED_AUTHOR: &str = "posts.author_id NOT IN (SELECT a.id FROM actors a \
     JOIN instances i ON i.domain = a.domain WHERE i.blocked OR i.silenced)";

/// Stores a post once (by `ap_id`); returns the stored row (the existing one when the
/// post was already known) and whether it was new.
pub fn insert(conn: &mut DbConn, post: &Post) -> AppResult<(Post, bool)> {
    conn.transaction(|conn| {
        let new = insert_many(conn, std::slice::from_ref(post), None)?.0;
        if new.is_empty() {
            let existing = by_ap_id(conn, &post.ap_id)?.ok_or(diesel::result::Error::NotFound)?;
            return Ok((existing, false));
        }
        bump_questions(conn, &new)?;
        Ok((post.clone(), true))
    })
}

/// Stores posts in a few statements whatever their number (the inbox's group commit):
/// the rows and their authors' badges. Posts already known (by `ap_id`) are skipped;
/// returns those stored, for [`bump_questions`], and the badges to remember once
/// committed (see [`BadgeMemo`](super::reputation::BadgeMemo)).
pub fn insert_many<'p>(
    conn: &mut DbConn,
    posts: &'p [Post],
    memo: Option<&super::reputation::BadgeMemo>,
) -> AppResult<(Vec<&'p Post>, super::reputation::Awards)> {
    conn.transaction(|conn| {
        let mut stored: Vec<String> = Vec::with_capacity(posts.len());
        match conn {
            DbConn::Pg(c) => stored = super::bulk::posts(c, posts)?,
            DbConn::Sqlite(c) => {
                for chunk in posts.chunks(200) {
                    stored.extend(
                        diesel::insert_into(p::table)
                            .values(chunk)
                            .on_conflict_do_nothing()
                            .returning(p::ap_id)
                            .get_results::<String>(&mut **c)?,
                    );
                }
            }
        }
        let stored: std::collections::HashSet<String> = stored.into_iter().collect();
        let new: Vec<&Post> = posts.iter().filter(|p| stored.contains(&p.ap_id)).collect();
        let awards = super::reputation::on_new_posts(conn, &new, memo)?;
        Ok((new, awards))
    })
}

/// Adds new answers to their questions' counts and activity times. A hot question's row
/// stays locked until the transaction ends: call this last.
pub fn bump_questions(conn: &mut DbConn, new: &[&Post]) -> AppResult<()> {
    {
        // Per question: answers added and the latest activity.
        let mut questions: std::collections::BTreeMap<i64, (i32, i64)> = Default::default();
        for post in new {
            if let Some(q) = post.question_id.filter(|q| *q != post.id) {
                let e = questions.entry(q).or_insert((0, 0));
                e.0 += i32::from(post.kind == ANSWER);
                e.1 = e.1.max(post.published_at);
            }
        }
        for (q, (added, at)) in questions {
            if added > 0 {
                super::metrics::refresh_first_answer(conn, q)?;
            }
            with_conn!(conn, c => diesel::update(p::table.find(q))
                .set((
                    p::answer_count.eq(p::answer_count + added),
                    p::last_activity_at.eq(diesel::dsl::sql::<diesel::sql_types::BigInt>("CASE WHEN last_activity_at > ")
                        .bind::<diesel::sql_types::BigInt, _>(at)
                        .sql(" THEN last_activity_at ELSE ")
                        .bind::<diesel::sql_types::BigInt, _>(at)
                        .sql(" END")),
                ))
                .execute(c))?;
        }
        Ok(())
    }
}

/// Recounts the visible answers of a question (after a deletion or removal).
pub fn recount_answers(conn: &mut DbConn, question_id: i64) -> AppResult<()> {
    lock(conn, question_id)?;
    let answers: i64 = with_conn!(conn, c => p::table
        .filter(p::question_id.eq(question_id))
        .filter(p::kind.eq(ANSWER))
        .filter(p::deleted.eq(false))
        .filter(p::removed.eq(false))
        .count()
        .get_result(c))?;
    with_conn!(conn, c => diesel::update(p::table.find(question_id))
        .set(p::answer_count.eq(answers as i32))
        .execute(c))?;
    super::metrics::refresh_first_answer(conn, question_id)
}

pub fn by_ap_id(conn: &mut DbConn, ap_id: &str) -> AppResult<Option<Post>> {
    Ok(with_conn!(conn, c => p::table
        .filter(p::ap_id.eq(ap_id))
        .select(Post::as_select())
        .first(c)
        .optional())?)
}

pub fn by_ap_ids(conn: &mut DbConn, ap_ids: &[String]) -> AppResult<Vec<Post>> {
    Ok(with_conn!(conn, c => p::table
        .filter(p::ap_id.eq_any(ap_ids))
        .filter(crate::db::plan_each_time())
        .select(Post::as_select())
        .load(c))?)
}

pub fn by_id(conn: &mut DbConn, id: i64) -> AppResult<Option<Post>> {
    Ok(with_conn!(conn, c => p::table.find(id).select(Post::as_select()).first(c).optional())?)
}

pub fn by_ids(conn: &mut DbConn, ids: &[i64]) -> AppResult<Vec<Post>> {
    Ok(with_conn!(conn, c => p::table.filter(p::id.eq_any(ids)).select(Post::as_select()).load(c))?)
}

/// New content for a post; the previous version goes to the edit history.
pub struct Revision {
    pub title: Option<String>,
    pub content_html: String,
    pub source_md: Option<String>,
    pub search_text: String,
    pub tags: String,
    pub updated_at: i64,
}

pub fn update_content(conn: &mut DbConn, post: &Post, rev: Revision) -> AppResult<()> {
    conn.transaction(|conn| {
        let edit = PostEdit {
            id: new_id(),
            post_id: post.id,
            title: post.title.clone(),
            content_html: post.content_html.clone(),
            source_md: post.source_md.clone(),
            edited_at: rev.updated_at,
        };
        with_conn!(conn, c => diesel::insert_into(post_edits::table).values(&edit).execute(c))?;
        with_conn!(conn, c => diesel::update(p::table.find(post.id))
            .set((
                p::title.eq(rev.title),
                p::content_html.eq(rev.content_html),
                p::source_md.eq(rev.source_md),
                p::search_text.eq(rev.search_text),
                p::tags.eq(rev.tags),
                p::updated_at.eq(rev.updated_at),
            ))
            .execute(c))?;
        Ok(())
    })
}

pub fn edits(conn: &mut DbConn, post_id: i64) -> AppResult<Vec<PostEdit>> {
    Ok(with_conn!(conn, c => post_edits::table
        .filter(post_edits::post_id.eq(post_id))
        .order(post_edits::id.asc())
        .select(PostEdit::as_select())
        .load(c))?)
}

/// Tombstones a post: its text is erased (title, body, tags, earlier versions, and its
/// copies in the activities sent from here), its place in the thread stays.
pub fn mark_deleted(conn: &mut DbConn, post: &Post) -> AppResult<()> {
    conn.transaction(|conn| {
        with_conn!(conn, c => diesel::update(p::table.find(post.id))
            .set((
                p::deleted.eq(true),
                p::title.eq(None::<String>),
                p::content_html.eq(""),
                p::source_md.eq(None::<String>),
                p::search_text.eq(""),
                p::tags.eq(""),
                p::updated_at.eq(now_ms()),
            ))
            .execute(c))?;
        if !post.local {
            // A remote page's address may carry its title.
            with_conn!(conn, c => diesel::update(p::table.find(post.id))
                .set(p::url.eq(None::<String>))
                .execute(c))?;
        }
        with_conn!(conn, c => diesel::delete(post_edits::table.filter(post_edits::post_id.eq(post.id)))
            .execute(c))?;
        super::post_activities::erase_text(conn, post)?;
        if let Some(q) = post.question_id.filter(|q| *q != post.id) {
            recount_answers(conn, q)?;
            if post.kind == ANSWER {
                with_conn!(conn, c => diesel::update(p::table.find(q).filter(p::accepted_answer_id.eq(post.id)))
                    .set(p::accepted_answer_id.eq(None::<i64>))
                    .execute(c))?;
                super::metrics::clear_acceptance_if_none(conn, q)?;
            }
        }
        Ok(())
    })
}

/// Records `actor`'s vote (+1, -1; 0 removes it) and recounts the post. Returns whether
/// anything changed.
pub fn set_vote(
    conn: &mut DbConn,
    post_id: i64,
    actor_id: i64,
    value: i32,
    ap_id: Option<&str>,
) -> AppResult<bool> {
    conn.transaction(|conn| {
        let old: Option<i32> = with_conn!(conn, c => votes::table
            .find((post_id, actor_id))
            .select(votes::value)
            .first(c)
            .optional())?;
        if old == Some(value) || (old.is_none() && value == 0) {
            return Ok(false);
        }
        with_conn!(conn, c => diesel::delete(votes::table.find((post_id, actor_id))).execute(c))?;
        if value != 0 {
            let vote = Vote {
                post_id,
                actor_id,
                value: value.signum(),
                ap_id: ap_id.map(str::to_string),
                created_at: now_ms(),
            };
            with_conn!(conn, c => diesel::insert_into(votes::table).values(&vote).execute(c))?;
        }
        recount(conn, post_id)?;
        if let Some(post) = by_id(conn, post_id)? {
            let kind = if post.kind == ANSWER {
                reputation::VOTE_ANSWER
            } else {
                reputation::VOTE_QUESTION
            };
            let (author, group) = (post.author_id, post.group_id);
            let signum = value.signum();
            super::reputation::record(
                conn,
                author,
                group,
                kind,
                signum,
                Some(actor_id),
                Some(post_id),
            )?;
        }
        Ok(true)
    })
}

/// Takes the post's row lock until the transaction ends (PostgreSQL; SQLite's write
/// transactions are serialised already). A count taken after it sees every change that
/// a concurrent transaction holding the lock committed: without it, two votes arriving
/// together each count the other's vote as missing, and the later write loses one.
/// `FOR NO KEY UPDATE`, the lock an `UPDATE` of the counters takes anyway: it does not
/// wait for the key-share locks that inserting a vote (its foreign key) takes.
pub fn lock(conn: &mut DbConn, post_id: i64) -> AppResult<()> {
    if let DbConn::Pg(c) = conn {
        p::table
            .find(post_id)
            .select(p::id)
            .for_no_key_update()
            .first::<i64>(&mut **c)
            .optional()?;
    }
    Ok(())
}

/// Recounts a post's up- and downvotes (votes of blocked instances do not count).
pub fn recount(conn: &mut DbConn, post_id: i64) -> AppResult<()> {
    lock(conn, post_id)?;
    let up: i64 = with_conn!(conn, c => votes::table
        .filter(votes::post_id.eq(post_id)).filter(votes::value.gt(0))
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(NOT_BLOCKED_VOTER))
        .count().get_result(c))?;
    let down: i64 = with_conn!(conn, c => votes::table
        .filter(votes::post_id.eq(post_id)).filter(votes::value.lt(0))
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(NOT_BLOCKED_VOTER))
        .count().get_result(c))?;
    with_conn!(conn, c => diesel::update(p::table.find(post_id))
        .set((p::upvotes.eq(up as i32), p::downvotes.eq(down as i32)))
        .execute(c))?;
    Ok(())
}

/// The current vote of an actor on a post.
pub fn vote(conn: &mut DbConn, post_id: i64, actor_id: i64) -> AppResult<Option<Vote>> {
    Ok(with_conn!(conn, c => votes::table
        .find((post_id, actor_id))
        .select(Vote::as_select())
        .first(c)
        .optional())?)
}

/// The votes of `actor_id` among `post_ids`: (post, value).
pub fn votes_by(conn: &mut DbConn, actor_id: i64, post_ids: &[i64]) -> AppResult<Vec<(i64, i32)>> {
    Ok(with_conn!(conn, c => votes::table
        .filter(votes::actor_id.eq(actor_id))
        .filter(votes::post_id.eq_any(post_ids))
        .filter(votes::value.ne(0))
        .select((votes::post_id, votes::value))
        .load(c))?)
}

/// Sets (or clears) the accepted answer and records the reputation events.
pub fn set_accepted(conn: &mut DbConn, question_id: i64, answer_id: Option<i64>) -> AppResult<()> {
    conn.transaction(|conn| {
        let question = by_id(conn, question_id)?;
        let previous = question.as_ref().and_then(|q| q.accepted_answer_id);
        let asker = question.map(|q| q.author_id);
        with_conn!(conn, c => diesel::update(p::table.find(question_id))
            .set((p::accepted_answer_id.eq(answer_id), p::last_activity_at.eq(now_ms())))
            .execute(c))?;
        if previous == answer_id {
            return Ok(());
        }
        super::metrics::record_acceptance(conn, question_id, answer_id.map(|_| now_ms()))?;
        for (post, value) in [(previous, 0), (answer_id, 1)] {
            // Accepting one's own answer earns nothing.
            let post = post.and_then(|id| by_id(conn, id).ok().flatten());
            if let Some(a) = post.filter(|a| Some(a.author_id) != asker) {
                super::reputation::record(
                    conn,
                    a.author_id,
                    a.group_id,
                    reputation::KIND_ACCEPTED,
                    value,
                    None,
                    Some(a.id),
                )?;
            }
        }
        Ok(())
    })
}

#[derive(Clone, Copy, Debug, PartialEq, serde::Deserialize, utoipa::ToSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    #[default]
    New,
    Active,
    Top,
    Unanswered,
    Solved,
}

/// Questions of a group, one page: the public ones, and those of the private groups
/// `private_groups` (those the reader is a member of).
pub fn list_questions(
    conn: &mut DbConn,
    group_id: Option<i64>,
    sort: Sort,
    tag: Option<&str>,
    (offset, limit): (i64, i64),
    private_groups: &[i64],
) -> AppResult<Vec<Post>> {
    let tag_like = tag.map(|t| format!("% {} %", t.to_lowercase()));
    Ok(with_conn!(conn, c => {
        let mut q = p::table
            .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(NOT_LIMITED_AUTHOR))
            // A literal, not a bound value: the planner can then use the partial
            // index of questions by activity (`posts_active`).
            .filter(diesel::dsl::sql::<diesel::sql_types::Bool>("posts.kind = 'question'"))
            .filter(p::deleted.eq(false))
            .filter(p::removed.eq(false))
            .select(Post::as_select())
            .into_boxed();
        q = if private_groups.is_empty() {
            q.filter(p::public.eq(true))
        } else {
            q.filter(p::public.eq(true).or(p::group_id.eq_any(private_groups)))
        };
        if let Some(g) = group_id {
            q = q.filter(p::group_id.eq(g));
        }
        if let Some(t) = &tag_like {
            q = q.filter(diesel::dsl::sql::<diesel::sql_types::Bool>("(' ' || tags || ' ') LIKE ")
                .bind::<diesel::sql_types::Text, _>(t.clone()));
        }
        q = match sort {
            Sort::New => q.order((p::published_at.desc(), p::id.desc())),
            Sort::Active => q.order((p::last_activity_at.desc(), p::id.desc())),
            Sort::Top => q.order(((p::upvotes - p::downvotes).desc(), p::published_at.desc())),
            Sort::Unanswered => q.filter(p::answer_count.eq(0)).order(p::published_at.desc()),
            Sort::Solved => q.filter(p::accepted_answer_id.is_not_null()).order(p::last_activity_at.desc()),
        };
        q.offset(offset).limit(limit).load(c)
    })?)
}

/// A user's posts, newest first.
pub fn by_author(conn: &mut DbConn, author_id: i64, limit: i64) -> AppResult<Vec<Post>> {
    Ok(with_conn!(conn, c => p::table
        .filter(p::author_id.eq(author_id))
        .filter(p::deleted.eq(false))
        .filter(p::removed.eq(false))
        .filter(p::public.eq(true))
        .order(p::published_at.desc())
        .limit(limit)
        .select(Post::as_select())
        .load(c))?)
}

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SearchStatus {
    Solved,
    Unanswered,
}

/// The SQL condition that the post `alias` may be listed: public, or in one of the
/// private groups `private_groups` (those the reader may read, as `list_questions`
/// takes them). The ids are numbers, written into the SQL as such.
pub fn readable_sql(alias: &str, private_groups: &[i64]) -> String {
    if private_groups.is_empty() {
        return format!("{alias}.public");
    }
    let ids: Vec<String> = private_groups.iter().map(i64::to_string).collect();
    format!(
        "({alias}.public OR {alias}.group_id IN ({}))",
        ids.join(",")
    )
}

/// Full-text search over questions and answers (FTS5 on SQLite, `tsvector` on
/// PostgreSQL), best matches first: the public ones, and those of the private groups
/// `private_groups` (those the reader may read).
pub fn search(
    conn: &mut DbConn,
    query: &str,
    group_id: Option<i64>,
    status: Option<SearchStatus>,
    limit: i64,
    private_groups: &[i64],
) -> AppResult<Vec<Post>> {
    use diesel::sql_types::{BigInt, Text};
    let words: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(12)
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        return Ok(vec![]);
    }
    let group = group_id.unwrap_or(0);
    let status_sql = match status {
        Some(SearchStatus::Solved) => " AND q.accepted_answer_id IS NOT NULL",
        Some(SearchStatus::Unanswered) => " AND q.answer_count = 0",
        None => "",
    };
    let readable = readable_sql("p", private_groups);
    let ids: Vec<IdRow> = match conn {
        DbConn::Sqlite(c) => {
            let fts = words
                .iter()
                .map(|w| format!("\"{w}\""))
                .collect::<Vec<_>>()
                .join(" ");
            diesel::sql_query(format!(
                "SELECT p.id FROM posts_fts f JOIN posts p ON p.id = f.rowid \
                 JOIN posts q ON q.id = COALESCE(p.question_id, p.id) \
                 WHERE posts_fts MATCH ? AND p.deleted = 0 AND p.removed = 0 AND {readable} \
                 AND (? = 0 OR p.group_id = ?){status_sql} AND {} ORDER BY f.rank LIMIT ?",
                NOT_LIMITED_AUTHOR.replace("posts.author_id", "p.author_id")
            ))
            .bind::<Text, _>(fts)
            .bind::<BigInt, _>(group)
            .bind::<BigInt, _>(group)
            .bind::<BigInt, _>(limit)
            .load(&mut **c)?
        }
        DbConn::Pg(c) => diesel::sql_query(format!(
            "SELECT p.id FROM posts p JOIN posts q ON q.id = COALESCE(p.question_id, p.id) \
             WHERE p.search_vector @@ plainto_tsquery('english', $1) \
             AND NOT p.deleted AND NOT p.removed AND {readable} \
             AND ($2 = 0 OR p.group_id = $2){status_sql} AND {} \
             ORDER BY ts_rank(p.search_vector, plainto_tsquery('english', $1)) DESC LIMIT $3",
            NOT_LIMITED_AUTHOR.replace("posts.author_id", "p.author_id")
        ))
        .bind::<Text, _>(words.join(" "))
        .bind::<BigInt, _>(group)
        .bind::<BigInt, _>(limit)
        .load(&mut **c)?,
    };
    let ids: Vec<i64> = ids.into_iter().map(|r| r.id).collect();
    let mut posts = by_ids(conn, &ids)?;
    posts.sort_by_key(|p| ids.iter().position(|i| *i == p.id));
    Ok(posts)
}

pub fn count_local(conn: &mut DbConn) -> AppResult<i64> {
    Ok(
        with_conn!(conn, c => p::table.filter(p::local.eq(true)).filter(p::deleted.eq(false)).count().get_result(c))?,
    )
}

/// How many posts are stored under a question (answers and comments, whatever their
/// state).
pub fn count_under(conn: &mut DbConn, question_id: i64) -> AppResult<i64> {
    Ok(with_conn!(conn, c => p::table
        .filter(p::question_id.eq(question_id))
        .filter(p::id.ne(question_id))
        .count()
        .get_result(c))?)
}

/// Per group: how many questions are listed (as `list_questions` lists them, public ones
/// only) and when the latest of them was last active. Groups without questions are left
/// out.
pub fn question_counts(conn: &mut DbConn, group_ids: &[i64]) -> AppResult<Vec<(i64, i64, i64)>> {
    readable_question_counts(conn, group_ids, &[])
}

/// [`question_counts`], counting also the questions of the private groups
/// `private_groups` (those the reader may read).
pub fn readable_question_counts(
    conn: &mut DbConn,
    group_ids: &[i64],
    private_groups: &[i64],
) -> AppResult<Vec<(i64, i64, i64)>> {
    use diesel::dsl::{count_star, max};
    let readable = readable_sql("posts", private_groups);
    let rows: Vec<(Option<i64>, i64, Option<i64>)> = with_conn!(conn, c => p::table
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(NOT_LIMITED_AUTHOR))
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>("posts.kind = 'question'"))
        .filter(p::deleted.eq(false))
        .filter(p::removed.eq(false))
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(&readable))
        .filter(p::group_id.eq_any(group_ids))
        .group_by(p::group_id)
        .select((p::group_id, count_star(), max(p::last_activity_at)))
        .load(c))?;
    Ok(rows
        .into_iter()
        .filter_map(|(g, n, last)| Some((g?, n, last.unwrap_or(0))))
        .collect())
}

/// Removes every post of a group that is neither deleted nor removed (the group was
/// deleted); returns how many. Nothing is federated for each: the group's `Delete` is.
pub fn remove_all_in_group(conn: &mut DbConn, group_id: i64) -> AppResult<usize> {
    Ok(with_conn!(conn, c => diesel::update(
        p::table
            .filter(p::group_id.eq(group_id))
            .filter(p::deleted.eq(false))
            .filter(p::removed.eq(false)),
    )
    .set(p::removed.eq(true))
    .execute(c))?)
}
