//! Support metrics: the raw figures of one group over a period (its days from
//! `metric_days`: questions asked with their first and accepted answers, staff answers;
//! the unanswered backlog, deflected ask forms, surveys, escalations and cases), from which `read::metrics` computes shares and percentiles; the
//! per-group gauges of the Prometheus scrape; and the benchmark's synthetic questions.
//!
//! The SQL is the same on both backends: only numbers (ids, milliseconds) are written
//! into it, never text.

use super::metric_days::{self, Span};
use super::posts::NOT_LIMITED_AUTHOR;
use crate::db::schema::question_acceptances as qa;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

/// A listed question: a question neither deleted nor removed, public, and not from a
/// blocked or silenced instance (as in the group's question list).
pub(super) fn listed(alias: &str) -> String {
    format!(
        "{alias}.kind = 'question' AND NOT {alias}.deleted AND NOT {alias}.removed \
         AND {alias}.public AND {}",
        NOT_LIMITED_AUTHOR.replace("posts.author_id", &format!("{alias}.author_id"))
    )
}

/// A visible answer: neither deleted nor removed, not from a blocked instance.
pub(super) fn visible_answer(alias: &str) -> String {
    format!(
        "{alias}.kind = 'answer' AND NOT {alias}.deleted AND NOT {alias}.removed \
         AND {alias}.author_id NOT IN (SELECT ba.id FROM actors ba \
         JOIN instances bi ON bi.domain = ba.domain WHERE bi.blocked)"
    )
}

pub(super) fn load<
    T: QueryableByName<diesel::sqlite::Sqlite> + QueryableByName<diesel::pg::Pg> + 'static,
>(
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
pub(super) fn staff_of(gid: i64, alias: &str) -> String {
    format!(
        "({alias}.author_id IN (SELECT u.actor_id FROM users u JOIN group_organisations go \
         ON go.organisation_id = u.organisation_id WHERE go.group_id = {gid}) \
         OR {alias}.author_id IN (SELECT sc.actor_id FROM staff_claims sc \
         JOIN organisations o ON o.domain = sc.org_domain \
         JOIN group_organisations go2 ON go2.organisation_id = o.id \
         WHERE go2.group_id = {gid} AND sc.verified))"
    )
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
    /// Its days (and parts of days), oldest first: questions, answers and their times.
    pub spans: Vec<Span>,
    /// Listed questions asked before `to` without a visible answer published before `to`.
    pub backlog: i64,
    /// Ask forms of the group that opened a suggested question in the period.
    pub opened: i64,
    /// Of those, the ones that did not post.
    pub deflected: i64,
    /// Satisfaction surveys sent in the period, answered, answered yes.
    pub surveys: (i64, i64, i64),
    /// Search results of the group opened in the period, and of those the ones not
    /// followed by a question within a day.
    pub search_clicks: (i64, i64),
    /// Questions escalated by the group's rules in the period (one per rule and question).
    pub escalations: i64,
    /// Cases opened in the period from the group's questions or page.
    pub cases_opened: i64,
    /// Of those, solved or closed now.
    pub cases_resolved: i64,
}

/// How the spans of a group are read: from the daily roll-ups (the pages), or all live
/// from the posts (the reference the roll-ups are checked against in tests).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    RollUps,
    Live,
}

/// The raw figures of group `gid` over `[from, to)`.
pub fn group_raw(
    conn: &mut DbConn,
    gid: i64,
    (from, to): (i64, i64),
    source: Source,
) -> AppResult<GroupRaw> {
    let spans = match source {
        Source::RollUps => metric_days::spans(conn, gid, from, to, crate::db::now_ms())?,
        Source::Live => metric_days::live(conn, gid, from, to)?,
    };
    // Unanswered now, then answered only at or after `to`: each from its own index.
    let backlog: Vec<Two> = load(
        conn,
        &format!(
            "SELECT (SELECT COUNT(*) FROM posts q WHERE q.group_id = {gid} \
             AND q.first_answer_at IS NULL AND {lq} AND q.published_at < {to}) AS a, \
             (SELECT COUNT(*) FROM posts q WHERE q.group_id = {gid} \
             AND q.first_answer_at IS NOT NULL AND q.first_answer_at >= {to} AND {lq} \
             AND q.published_at < {to}) AS b",
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
    let escalations: Vec<One> = load(
        conn,
        &format!(
            "SELECT COUNT(*) AS a FROM escalations WHERE group_id = {gid} \
             AND created_at >= {from} AND created_at < {to}"
        ),
    )?;
    let cases: Vec<Two> = load(
        conn,
        &format!(
            "SELECT COUNT(*) AS a, \
             COALESCE(SUM(CASE WHEN status IN ('solved', 'closed') THEN 1 ELSE 0 END), 0) AS b \
             FROM cases WHERE group_id = {gid} AND created_at >= {from} AND created_at < {to}"
        ),
    )?;
    let (opened, deflected) = asks.first().map_or((0, 0), |r| (r.a, r.b));
    let (cases_opened, cases_resolved) = cases.first().map_or((0, 0), |r| (r.a, r.b));
    Ok(GroupRaw {
        spans,
        backlog: backlog.first().map_or(0, |r| r.a + r.b),
        opened,
        deflected,
        surveys: super::surveys::counts(conn, gid, from, to)?,
        search_clicks: super::search_clicks::counts(conn, gid, from, to)?,
        escalations: escalations.first().map_or(0, |r| r.a),
        cases_opened,
        cases_resolved,
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
