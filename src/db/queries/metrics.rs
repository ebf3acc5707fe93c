//! Support metrics: the raw figures of one group over a period (questions asked with
//! their first and accepted answers, staff answers, the unanswered backlog, deflected
//! ask forms), from which `read::metrics` computes shares and percentiles; the
//! per-group gauges of the Prometheus scrape; and the benchmark's synthetic questions.
//!
//! The SQL is the same on both backends: only numbers (ids, milliseconds) are written
//! into it, never text.

use super::posts::NOT_LIMITED_AUTHOR;
use crate::db::schema::question_acceptances as qa;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable};

/// A listed question: a question neither deleted nor removed, public, and not from a
/// blocked or silenced instance (as in the group's question list).
fn listed(alias: &str) -> String {
    format!(
        "{alias}.kind = 'question' AND NOT {alias}.deleted AND NOT {alias}.removed \
         AND {alias}.public AND {}",
        NOT_LIMITED_AUTHOR.replace("posts.author_id", &format!("{alias}.author_id"))
    )
}

/// A visible answer: neither deleted nor removed, not from a blocked instance.
fn visible_answer(alias: &str) -> String {
    format!(
        "{alias}.kind = 'answer' AND NOT {alias}.deleted AND NOT {alias}.removed \
         AND {alias}.author_id NOT IN (SELECT ba.id FROM actors ba \
         JOIN instances bi ON bi.domain = ba.domain WHERE bi.blocked)"
    )
}

/// One question asked in the period: when, its earliest answer neither deleted nor
/// removed, and when its current accepted answer was accepted (all in ms; read from the
/// question's row: `posts.first_answer_at` and `posts.accepted_at`, kept by every path
/// that changes answers or the acceptance).
#[derive(QueryableByName, Clone, Copy, Debug)]
pub struct Asked {
    #[diesel(sql_type = BigInt)]
    pub asked: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub first_answer: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub accepted: Option<i64>,
}

#[derive(QueryableByName)]
struct Two {
    #[diesel(sql_type = BigInt)]
    a: i64,
    #[diesel(sql_type = BigInt)]
    b: i64,
}

#[derive(QueryableByName)]
struct One {
    #[diesel(sql_type = BigInt)]
    a: i64,
}

/// The raw figures of one group over `[from, to)` (ms).
#[derive(Clone, Debug, Default)]
pub struct GroupRaw {
    /// Questions asked in the period, oldest first.
    pub asked: Vec<Asked>,
    /// Visible answers published in the period under listed questions.
    pub answers: i64,
    /// Of those, written by staff of an organisation the group recognises.
    pub staff_answers: i64,
    /// Listed questions asked before `to` without a visible answer published before `to`.
    pub backlog: i64,
    /// Ask forms of the group that opened a suggested question in the period.
    pub opened: i64,
    /// Of those, the ones that did not post.
    pub deflected: i64,
    /// Satisfaction surveys sent in the period, answered, answered yes.
    pub surveys: (i64, i64, i64),
}

fn load<T: QueryableByName<diesel::sqlite::Sqlite> + QueryableByName<diesel::pg::Pg> + 'static>(
    conn: &mut DbConn,
    sql: &str,
) -> AppResult<Vec<T>> {
    Ok(match conn {
        DbConn::Sqlite(c) => diesel::sql_query(sql).load(&mut **c)?,
        DbConn::Pg(c) => diesel::sql_query(sql).load(&mut **c)?,
    })
}

/// Staff of the organisations that group `gid` recognises: local staff, and remote
/// accounts whose claim was verified with a recognised organisation's domain.
fn staff_of(gid: i64, alias: &str) -> String {
    format!(
        "({alias}.author_id IN (SELECT u.actor_id FROM users u JOIN group_organisations go \
         ON go.organisation_id = u.organisation_id WHERE go.group_id = {gid}) \
         OR {alias}.author_id IN (SELECT sc.actor_id FROM staff_claims sc \
         JOIN organisations o ON o.domain = sc.org_domain \
         JOIN group_organisations go2 ON go2.organisation_id = o.id \
         WHERE go2.group_id = {gid} AND sc.verified))"
    )
}

/// The raw figures of group `gid` over `[from, to)`.
pub fn group_raw(conn: &mut DbConn, gid: i64, from: i64, to: i64) -> AppResult<GroupRaw> {
    let asked: Vec<Asked> = load(
        conn,
        &format!(
            "SELECT q.published_at AS asked, q.first_answer_at AS first_answer, \
             q.accepted_at AS accepted \
             FROM posts q WHERE q.group_id = {gid} AND {lq} \
             AND q.published_at >= {from} AND q.published_at < {to} \
             ORDER BY q.published_at",
            lq = listed("q"),
        ),
    )?;
    // Answers under listed questions: those of the group's questions that are not
    // listed (few) are left out, so that no answer needs its question's row.
    let answers: Vec<Two> = load(
        conn,
        &format!(
            "SELECT COUNT(*) AS a, COALESCE(SUM(CASE WHEN {staff} THEN 1 ELSE 0 END), 0) AS b \
             FROM posts a WHERE a.group_id = {gid} AND {va} \
             AND a.published_at >= {from} AND a.published_at < {to} \
             AND a.question_id NOT IN (SELECT q.id FROM posts q WHERE q.group_id = {gid} \
             AND q.kind = 'question' AND NOT ({lq}))",
            staff = staff_of(gid, "a"),
            va = visible_answer("a"),
            lq = listed("q"),
        ),
    )?;
    let backlog: Vec<One> = load(
        conn,
        &format!(
            "SELECT COUNT(*) AS a FROM posts q WHERE q.group_id = {gid} AND {lq} \
             AND q.published_at < {to} \
             AND (q.first_answer_at IS NULL OR q.first_answer_at >= {to})",
            lq = listed("q"),
        ),
    )?;
    let asks: Vec<Two> = load(
        conn,
        &format!(
            "SELECT COUNT(*) AS a, \
             COALESCE(SUM(CASE WHEN posted_at IS NULL THEN 1 ELSE 0 END), 0) AS b \
             FROM ask_sessions WHERE group_id = {gid} \
             AND opened_at >= {from} AND opened_at < {to}"
        ),
    )?;
    let (answers, staff_answers) = answers.first().map_or((0, 0), |r| (r.a, r.b));
    let (opened, deflected) = asks.first().map_or((0, 0), |r| (r.a, r.b));
    Ok(GroupRaw {
        asked,
        answers,
        staff_answers,
        backlog: backlog.first().map_or(0, |r| r.a),
        opened,
        deflected,
        surveys: super::surveys::counts(conn, gid, from, to)?,
    })
}

/// Local groups that recognise organisation `org`: (actor id, name), by name.
pub fn org_groups(conn: &mut DbConn, org: i64) -> AppResult<Vec<(i64, String)>> {
    use crate::db::schema::{actors, group_organisations as go};
    Ok(with_conn!(conn, c => go::table
        .inner_join(actors::table.on(actors::id.eq(go::group_id)))
        .filter(go::organisation_id.eq(org))
        .filter(actors::local.eq(true))
        .filter(actors::deleted.eq(false))
        .order(actors::name.asc())
        .select((actors::id, actors::name))
        .load(c))?)
}

/// Local groups with the most listed questions (at most `limit`): (name, questions,
/// questions without an answer neither deleted nor removed), for the Prometheus scrape.
pub fn gauges(conn: &mut DbConn, limit: i64) -> AppResult<Vec<(String, i64, i64)>> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
        #[diesel(sql_type = BigInt)]
        questions: i64,
        #[diesel(sql_type = BigInt)]
        unanswered: i64,
    }
    // From the groups to their questions (SQLite keeps a CROSS JOIN's order; PostgreSQL
    // plans it as any join): each group's questions are read from `posts_metrics` alone.
    let rows: Vec<Row> = load(
        conn,
        &format!(
            "SELECT g.name AS name, COUNT(*) AS questions, \
             COALESCE(SUM(CASE WHEN q.first_answer_at IS NULL THEN 1 ELSE 0 END), 0) \
             AS unanswered \
             FROM actors g CROSS JOIN posts q \
             WHERE q.group_id = g.id AND g.local AND g.kind = 'Group' AND {lq} \
             GROUP BY g.name ORDER BY COUNT(*) DESC, g.name LIMIT {limit}",
            lq = listed("q"),
        ),
    )?;
    Ok(rows
        .into_iter()
        .map(|r| (r.name, r.questions, r.unanswered))
        .collect())
}

/// Records when question `question_id`'s answer was accepted (`None`: no answer is),
/// in its acceptance record and on its row (`posts.accepted_at`, which the metrics read).
pub fn record_acceptance(conn: &mut DbConn, question_id: i64, at: Option<i64>) -> AppResult<()> {
    with_conn!(conn, c => diesel::delete(qa::table.find(question_id)).execute(c))?;
    if let Some(at) = at {
        with_conn!(conn, c => diesel::insert_into(qa::table)
            .values((qa::question_id.eq(question_id), qa::accepted_at.eq(at)))
            .execute(c))?;
    }
    let at = at.map_or("NULL".to_string(), |a| a.to_string());
    execute(
        conn,
        &format!("UPDATE posts SET accepted_at = {at} WHERE id = {question_id}"),
    )
}

/// Clears `posts.accepted_at` of question `question_id` when it has no accepted answer
/// any more (its accepted answer was deleted).
pub fn clear_acceptance_if_none(conn: &mut DbConn, question_id: i64) -> AppResult<()> {
    execute(
        conn,
        &format!(
            "UPDATE posts SET accepted_at = NULL \
             WHERE id = {question_id} AND accepted_answer_id IS NULL"
        ),
    )
}

/// Recomputes `posts.first_answer_at` of question `question_id`: the earliest
/// publication of its answers neither deleted nor removed (after answers were added,
/// deleted, removed or restored, or given other times).
pub fn refresh_first_answer(conn: &mut DbConn, question_id: i64) -> AppResult<()> {
    execute(
        conn,
        &format!(
            "UPDATE posts SET first_answer_at = (SELECT MIN(a.published_at) FROM posts a \
             WHERE a.question_id = {question_id} AND a.kind = 'answer' \
             AND NOT a.deleted AND NOT a.removed) WHERE id = {question_id}"
        ),
    )
}

fn execute(conn: &mut DbConn, sql: &str) -> AppResult<()> {
    with_conn!(conn, c => diesel::sql_query(sql).execute(c))?;
    Ok(())
}

/// Sets when a post was published, and for a question when its answer was accepted
/// (seeding data sets with chosen times: the tests and the benchmark); an answer's
/// question's first answer follows.
pub fn set_times(
    conn: &mut DbConn,
    post_id: i64,
    published_at: i64,
    accepted_at: Option<i64>,
) -> AppResult<()> {
    use crate::db::schema::posts as p;
    with_conn!(conn, c => diesel::update(p::table.find(post_id))
        .set((p::published_at.eq(published_at), p::created_at.eq(published_at)))
        .execute(c))?;
    if accepted_at.is_some() {
        record_acceptance(conn, post_id, accepted_at)?;
    }
    let of: Option<(String, Option<i64>)> = with_conn!(conn, c => p::table
        .find(post_id)
        .select((p::kind, p::question_id))
        .first(c)
        .optional())?;
    if let Some((kind, Some(q))) = of {
        if kind == "answer" {
            refresh_first_answer(conn, q)?;
        }
    }
    Ok(())
}

/// Synthetic questions for the benchmark: `count` questions by `author` in `group`,
/// spread evenly over `[from, to)`; nine in ten get an answer by `answerer` (after
/// 1 to 48 hours) and half of those an accepted one. Ids start at `first_id`.
pub fn seed(
    conn: &mut DbConn,
    group: i64,
    author: i64,
    answerer: i64,
    count: i64,
    (from, to): (i64, i64),
    first_id: i64,
) -> AppResult<()> {
    let step = ((to - from) / count.max(1)).max(1);
    let hour = 3_600_000i64;
    conn.transaction(|conn| {
        for chunk in (0..count).collect::<Vec<_>>().chunks(500) {
            let mut rows = Vec::new();
            for &i in chunk {
                let q = first_id + 2 * i;
                let at = from + i * step;
                let answered = i % 10 != 0;
                let accepted = answered && i % 2 == 1;
                let acc = if accepted { q + 1 } else { 0 };
                let a_at = at + hour * (1 + i % 48);
                let null = || "NULL".to_string();
                rows.push(format!(
                    "({q}, 'https://bench.invalid/p/{q}', 'question', {group}, {author}, NULL, \
                     'Question {i}', '<p>Body</p>', {}, {}, {at}, {at}, {at}, TRUE, TRUE, {}, {})",
                    if accepted { acc.to_string() } else { null() },
                    i32::from(answered),
                    if answered { a_at.to_string() } else { null() },
                    if accepted {
                        (a_at + hour).to_string()
                    } else {
                        null()
                    },
                ));
                if answered {
                    rows.push(format!(
                        "({}, 'https://bench.invalid/p/{}', 'answer', {group}, {answerer}, {q}, \
                         NULL, '<p>Answer</p>', NULL, 0, {a_at}, {a_at}, {a_at}, TRUE, TRUE, \
                         NULL, NULL)",
                        q + 1,
                        q + 1
                    ));
                }
            }
            let sql = format!(
                "INSERT INTO posts (id, ap_id, kind, group_id, author_id, question_id, title, \
                 content_html, accepted_answer_id, answer_count, published_at, \
                 last_activity_at, created_at, local, public, first_answer_at, accepted_at) \
                 VALUES {}",
                rows.join(", ")
            );
            with_conn!(conn, c => diesel::sql_query(&sql).execute(c))?;
        }
        let sql = format!(
            "INSERT INTO question_acceptances (question_id, accepted_at) \
             SELECT q.id, a.published_at + {hour} FROM posts q \
             JOIN posts a ON a.id = q.accepted_answer_id \
             WHERE q.group_id = {group} AND q.id >= {first_id}"
        );
        with_conn!(conn, c => diesel::sql_query(&sql).execute(c))?;
        Ok(())
    })
}
