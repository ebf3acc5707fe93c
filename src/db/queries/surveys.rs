//! Satisfaction surveys ("Did this solve your problem?"): one per question at most (the
//! unique key on `question_id`), what made them due, and their answers (the first one
//! is kept). See `actions::satisfaction`.
//!
//! The SQL of the due scans is the same on both backends: only numbers are written into
//! it, never text.

use crate::db::schema::surveys as sv;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

#[derive(Queryable, Selectable, Insertable, Clone, Debug, PartialEq)]
#[diesel(table_name = sv)]
#[diesel(treat_none_as_null = true)]
pub struct Survey {
    pub id: i64,
    pub question_id: i64,
    pub group_id: i64,
    pub asker_id: i64,
    /// `accepted` or `days`.
    pub reason: String,
    pub sent_at: i64,
    /// The direct message's Note (remote askers).
    pub note_ap_id: Option<String>,
    /// `yes` or `no`.
    pub answer: Option<String>,
    pub answer_comment: Option<String>,
    pub answered_at: Option<i64>,
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

fn ids(conn: &mut DbConn, sql: &str) -> AppResult<Vec<i64>> {
    let rows: Vec<Id> = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(sql).load(&mut **c)?,
        DbConn::Pg(c) => diesel::sql_query(sql).load(&mut **c)?,
    };
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// Questions of local groups, neither deleted nor removed, without a survey.
const OPEN: &str = "q.kind = 'question' AND NOT q.deleted AND NOT q.removed \
     AND q.group_id IN (SELECT g.id FROM actors g WHERE g.local AND g.kind = 'Group') \
     AND q.author_id IN (SELECT a.id FROM actors a WHERE NOT a.deleted) \
     AND NOT EXISTS (SELECT 1 FROM surveys s WHERE s.question_id = q.id)";

/// Up to `limit` questions whose answer was accepted in `[since, now]`, without a
/// survey, oldest acceptance first.
pub fn due_accepted(conn: &mut DbConn, since: i64, now: i64, limit: i64) -> AppResult<Vec<i64>> {
    ids(
        conn,
        &format!(
            "SELECT q.id AS id FROM posts q JOIN question_acceptances x ON x.question_id = q.id \
             WHERE {OPEN} AND q.accepted_answer_id IS NOT NULL \
             AND x.accepted_at >= {since} AND x.accepted_at <= {now} \
             ORDER BY x.accepted_at LIMIT {limit}"
        ),
    )
}

/// Up to `limit` questions published in `[since, until]` that have answers but none
/// accepted, without a survey, oldest first.
pub fn due_unaccepted(
    conn: &mut DbConn,
    since: i64,
    until: i64,
    limit: i64,
) -> AppResult<Vec<i64>> {
    ids(
        conn,
        &format!(
            "SELECT q.id AS id FROM posts q WHERE {OPEN} AND q.accepted_answer_id IS NULL \
             AND q.answer_count > 0 AND q.published_at >= {since} AND q.published_at <= {until} \
             ORDER BY q.published_at LIMIT {limit}"
        ),
    )
}

/// Records a survey; false when the question has one already (another process won).
pub fn insert(conn: &mut DbConn, s: &Survey) -> AppResult<bool> {
    let n = with_conn!(conn, c => diesel::insert_into(sv::table)
        .values(s)
        .on_conflict(sv::question_id)
        .do_nothing()
        .execute(c))?;
    Ok(n == 1)
}

pub fn set_note(conn: &mut DbConn, id: i64, note: &str) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(sv::table.find(id))
        .set(sv::note_ap_id.eq(Some(note)))
        .execute(c))?;
    Ok(())
}

pub fn by_id(conn: &mut DbConn, id: i64) -> AppResult<Option<Survey>> {
    Ok(with_conn!(conn, c => sv::table.find(id).select(Survey::as_select()).first(c).optional())?)
}

pub fn by_question(conn: &mut DbConn, question: i64) -> AppResult<Option<Survey>> {
    Ok(with_conn!(conn, c => sv::table
        .filter(sv::question_id.eq(question))
        .select(Survey::as_select())
        .first(c)
        .optional())?)
}

pub fn by_note(conn: &mut DbConn, note: &str) -> AppResult<Option<Survey>> {
    Ok(with_conn!(conn, c => sv::table
        .filter(sv::note_ap_id.eq(note))
        .select(Survey::as_select())
        .first(c)
        .optional())?)
}

/// Records the answer of survey `id` unless it has one: whether it was recorded.
pub fn answer(
    conn: &mut DbConn,
    id: i64,
    answer: &str,
    comment: Option<&str>,
    at: i64,
) -> AppResult<bool> {
    let n = with_conn!(conn, c => diesel::update(sv::table.find(id))
        .filter(sv::answer.is_null())
        .set((
            sv::answer.eq(Some(answer)),
            sv::answer_comment.eq(comment),
            sv::answered_at.eq(Some(at)),
        ))
        .execute(c))?;
    Ok(n == 1)
}

/// Surveys of group `gid` sent in `[from, to)`: (sent, answered, answered yes).
pub fn counts(conn: &mut DbConn, gid: i64, from: i64, to: i64) -> AppResult<(i64, i64, i64)> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = BigInt)]
        sent: i64,
        #[diesel(sql_type = BigInt)]
        answered: i64,
        #[diesel(sql_type = BigInt)]
        yes: i64,
    }
    let sql = format!(
        "SELECT COUNT(*) AS sent, \
         COALESCE(SUM(CASE WHEN answer IS NULL THEN 0 ELSE 1 END), 0) AS answered, \
         COALESCE(SUM(CASE WHEN answer = 'yes' THEN 1 ELSE 0 END), 0) AS yes \
         FROM surveys WHERE group_id = {gid} AND sent_at >= {from} AND sent_at < {to}"
    );
    let rows: Vec<Row> = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(&sql).load(&mut **c)?,
        DbConn::Pg(c) => diesel::sql_query(&sql).load(&mut **c)?,
    };
    Ok(rows
        .first()
        .map_or((0, 0, 0), |r| (r.sent, r.answered, r.yes)))
}

/// Surveys of question `question` (seeding data sets: the tests): the survey's sending
/// and answering times set to chosen ones.
pub fn set_times(
    conn: &mut DbConn,
    question: i64,
    sent_at: i64,
    answered_at: Option<i64>,
) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(sv::table.filter(sv::question_id.eq(question)))
        .set((sv::sent_at.eq(sent_at), sv::answered_at.eq(answered_at)))
        .execute(c))?;
    Ok(())
}
