//! Reading a question's thread a page at a time, and a group's answer statistics.
//!
//! A popular question can gather tens of thousands of answers; every read here is bounded
//! by a page, served in order by the `posts_question` index (question, kind, score,
//! time), so a page costs the same in a thread of ten answers as of a hundred thousand.

use super::posts::NOT_BLOCKED_AUTHOR;
use crate::db::models::{Post, ANSWER, COMMENT};
use crate::db::schema::posts as p;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::with_conn;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::Bool;
use diesel::IntoSql;

/// Answers on one page of a thread (the accepted answer leads the first page besides).
pub const ANSWERS_PER_PAGE: i64 = 30;
/// Comments shown under one page's answers at most.
pub const COMMENTS_PER_PAGE: usize = 500;
/// How deep replies to replies are followed under an answer.
const COMMENT_DEPTH: usize = 8;
/// Items on one page of a thread's `context` collection.
pub const CONTEXT_PER_PAGE: i64 = 100;

/// One page of a thread.
pub struct Page {
    pub answers: Vec<Post>,
    pub comments: Vec<Post>,
    /// Whether a next page has answers (known without counting the thread).
    pub more: bool,
}

/// One page (1-based) of a question's thread: its answers best first (the accepted one
/// leads the first page, then by score, oldest first among equals) and the comments
/// under them, oldest first. Posts of blocked instances' users are left out; deleted and
/// removed ones keep their place (shown as tombstones).
pub fn page(conn: &mut DbConn, question: &Post, page: i64) -> AppResult<Page> {
    let accepted = question.accepted_answer_id.unwrap_or(0);
    let mut answers = Vec::new();
    if page <= 1 && accepted != 0 {
        answers.extend(with_conn!(conn, c => p::table
            .filter(p::id.eq(accepted))
            .filter(p::question_id.eq(question.id))
            .filter(sql::<Bool>(NOT_BLOCKED_AUTHOR))
            .select(Post::as_select())
            .load(c))?);
    }
    answers.extend(with_conn!(conn, c => p::table
        .filter(p::question_id.eq(question.id))
        .filter(p::kind.eq(ANSWER))
        .filter(p::id.ne(accepted))
        .filter(sql::<Bool>(NOT_BLOCKED_AUTHOR))
        .order(((p::upvotes - p::downvotes).desc(), p::published_at.asc(), p::id.asc()))
        .limit(ANSWERS_PER_PAGE + 1)
        .offset((page.max(1) - 1) * ANSWERS_PER_PAGE)
        .select(Post::as_select())
        .load(c))?);
    let first = usize::from(answers.first().is_some_and(|a| a.id == accepted));
    let more = answers.len() > first + ANSWERS_PER_PAGE as usize;
    answers.truncate(first + ANSWERS_PER_PAGE as usize);

    let mut comments: Vec<Post> = Vec::new();
    let mut parents: Vec<i64> = answers.iter().map(|a| a.id).collect();
    for _ in 0..COMMENT_DEPTH {
        let room = COMMENTS_PER_PAGE.saturating_sub(comments.len());
        if parents.is_empty() || room == 0 {
            break;
        }
        let level: Vec<Post> = with_conn!(conn, c => p::table
            .filter(p::question_id.eq(question.id))
            .filter(p::kind.eq(COMMENT))
            .filter(p::parent_id.eq_any(&parents))
            .filter(sql::<Bool>(NOT_BLOCKED_AUTHOR))
            .order((p::published_at.asc(), p::id.asc()))
            .limit(room as i64)
            .select(Post::as_select())
            .load(c))?;
        parents = level.iter().map(|c| c.id).collect();
        comments.extend(level);
    }
    comments.sort_by_key(|c| (c.published_at, c.id));
    Ok(Page {
        answers,
        comments,
        more,
    })
}

/// The page (1-based) of its question's thread that shows `post`: an answer's place in
/// [`page`]'s order (the accepted answer leads page 1), a comment on the page of the
/// answer it is under, the question (and its comments) on page 1.
pub fn page_of(conn: &mut DbConn, post: &Post) -> AppResult<i64> {
    let mut answer = post.clone();
    for _ in 0..=COMMENT_DEPTH {
        if answer.kind != COMMENT {
            break;
        }
        match answer.parent_id {
            Some(id) => match super::posts::by_id(conn, id)? {
                Some(parent) => answer = parent,
                None => return Ok(1),
            },
            None => return Ok(1),
        }
    }
    if answer.kind != ANSWER {
        return Ok(1);
    }
    let Some(question) = answer.question_id else {
        return Ok(1);
    };
    let accepted = match super::posts::by_id(conn, question)? {
        Some(q) => q.accepted_answer_id.unwrap_or(0),
        None => return Ok(1),
    };
    if accepted == answer.id {
        return Ok(1);
    }
    let score = answer.upvotes - answer.downvotes;
    let before: i64 = with_conn!(conn, c => p::table
        .filter(p::question_id.eq(question))
        .filter(p::kind.eq(ANSWER))
        .filter(p::id.ne(accepted))
        .filter(sql::<Bool>(NOT_BLOCKED_AUTHOR))
        .filter(
            (p::upvotes - p::downvotes).gt(score).or((p::upvotes - p::downvotes)
                .eq(score)
                .and(p::published_at.lt(answer.published_at).or(
                    p::published_at.eq(answer.published_at).and(p::id.lt(answer.id)),
                ))),
        )
        .count()
        .get_result(c))?;
    Ok(before / ANSWERS_PER_PAGE + 1)
}

/// Public posts of a thread for its `context` collection (all its posts with `members`,
/// for a private group's members): how many there are, and the ids on one page
/// (1-based), question first, then in the order they were published.
pub fn context(
    conn: &mut DbConn,
    question_id: i64,
    page: i64,
    members: bool,
) -> AppResult<(i64, Vec<String>)> {
    macro_rules! public_in_thread {
        () => {
            p::table
                .filter(p::id.eq(question_id).or(p::question_id.eq(question_id)))
                .filter(p::public.eq(true).or(members.into_sql::<Bool>()))
        };
    }
    let total: i64 = with_conn!(conn, c => public_in_thread!().count().get_result(c))?;
    let ids = with_conn!(conn, c => public_in_thread!()
        .order((p::published_at.asc(), p::id.asc()))
        .limit(CONTEXT_PER_PAGE)
        .offset((page.max(1) - 1) * CONTEXT_PER_PAGE)
        .select(p::ap_id)
        .load(c))?;
    Ok((total, ids))
}

/// Answers whose question is listed (not deleted, removed or private).
const UNDER_LISTED_QUESTION: &str = "posts.question_id IN (SELECT q.id FROM posts q \
     WHERE q.kind = 'question' AND NOT q.deleted AND NOT q.removed AND q.public)";

/// A group's listed questions, for its statistics: (id, published_at, answered, solved).
pub fn question_stats(conn: &mut DbConn, group_id: i64) -> AppResult<Vec<(i64, i64, bool, bool)>> {
    let rows: Vec<(i64, i64, i32, Option<i64>)> = with_conn!(conn, c => p::table
        .filter(p::group_id.eq(group_id))
        .filter(p::kind.eq(crate::db::models::QUESTION))
        .filter(p::deleted.eq(false))
        .filter(p::removed.eq(false))
        .filter(p::public.eq(true))
        .filter(sql::<Bool>(super::posts::NOT_LIMITED_AUTHOR))
        .select((p::id, p::published_at, p::answer_count, p::accepted_answer_id))
        .load(c))?;
    Ok(rows
        .into_iter()
        .map(|(id, at, answers, accepted)| (id, at, answers > 0, accepted.is_some()))
        .collect())
}

/// Visible answers in a group, under its listed questions.
macro_rules! group_answers {
    ($group_id:expr) => {
        p::table
            .filter(p::group_id.eq($group_id))
            .filter(p::kind.eq(ANSWER))
            .filter(p::deleted.eq(false))
            .filter(p::removed.eq(false))
            .filter(sql::<Bool>(NOT_BLOCKED_AUTHOR))
            .filter(sql::<Bool>(UNDER_LISTED_QUESTION))
    };
}

/// Visible answers in a group: per author, how many (to weigh staff's share).
pub fn answers_by_author(conn: &mut DbConn, group_id: i64) -> AppResult<Vec<(i64, i64)>> {
    Ok(with_conn!(conn, c => group_answers!(group_id)
        .group_by(p::author_id)
        .select((p::author_id, diesel::dsl::count_star()))
        .load(c))?)
}

/// Visible answers in a group: per question, when the first one was published.
pub fn first_answers(
    conn: &mut DbConn,
    group_id: i64,
) -> AppResult<Vec<(Option<i64>, Option<i64>)>> {
    Ok(with_conn!(conn, c => group_answers!(group_id)
        .group_by(p::question_id)
        .select((p::question_id, diesel::dsl::min(p::published_at)))
        .load(c))?)
}
