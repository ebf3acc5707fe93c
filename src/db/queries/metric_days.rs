//! Daily roll-ups of the support metrics (`metric_days`), so that a year of a busy group
//! is read as 365 rows instead of every question of the year.
//!
//! A roll-up row holds one local group's UTC day: the listed questions asked that day
//! with the sorted seconds to their first and accepted answers (exact percentiles are
//! then a merge away), and the visible answers published that day with how many staff
//! wrote. Rows are computed on demand, from the same SQL that computes a live stretch,
//! and only for days before today; today and the parts of days a period cuts are always
//! computed live.
//!
//! Staleness is tracked by the database itself: triggers (the migration
//! `2026-12-10-100001_metric_days`) mark a day in `metric_marks` in the same transaction
//! as any change of a question or answer that counts in it, and mark everything when who
//! counts as staff or which instances are limited changes. Before reading, marks are
//! consumed and their rows dropped. On PostgreSQL a writer holds a key-share lock on its
//! mark until it commits and consumption skips locked marks, so that a mark is never
//! consumed before its change is visible; refreshes hold one advisory lock so that a
//! row computed before a change cannot be stored after that change's mark was consumed.

use super::metrics::{listed, load, staff_of, visible_answer};
use crate::db::schema::{metric_days as md, metric_marks as mm};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable};

/// A day in ms.
pub const DAY: i64 = 86_400_000;

/// One stretch of a group's metrics: a whole UTC day, or the part of one a period
/// covers (`start` is then the period's start).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Span {
    /// Its first moment (ms).
    pub start: i64,
    /// Listed questions asked in it.
    pub questions: i64,
    /// Seconds from question to first visible answer of those answered, sorted.
    pub first_secs: Vec<u32>,
    /// Seconds from question to the acceptance of its answer of those accepted, sorted.
    pub accepted_secs: Vec<u32>,
    /// Visible answers published in it under listed questions.
    pub answers: i64,
    /// Of those, by staff of an organisation the group recognises.
    pub staff_answers: i64,
}

fn day_of(ms: i64) -> i64 {
    ms.div_euclid(DAY)
}

fn secs(from: i64, to: i64) -> u32 {
    u32::try_from((to - from).max(0) / 1000).unwrap_or(u32::MAX)
}

fn encode(v: &[u32]) -> Vec<u8> {
    v.iter().flat_map(|s| s.to_le_bytes()).collect()
}

fn decode(b: &[u8]) -> Vec<u32> {
    b.chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

#[derive(QueryableByName)]
struct AskedRow {
    #[diesel(sql_type = BigInt)]
    asked: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    first_answer: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    accepted: Option<i64>,
}

#[derive(QueryableByName)]
struct AnswerDay {
    #[diesel(sql_type = BigInt)]
    day: i64,
    #[diesel(sql_type = BigInt)]
    answers: i64,
    #[diesel(sql_type = BigInt)]
    staff: i64,
}

/// The spans of group `gid` over `[from, to)` computed from its posts: one per UTC day
/// the range touches (empty ones included), the first starting at `from`.
pub fn live(conn: &mut DbConn, gid: i64, from: i64, to: i64) -> AppResult<Vec<Span>> {
    if to <= from {
        return Ok(Vec::new());
    }
    let first_day = day_of(from);
    let mut spans: Vec<Span> = (first_day..=day_of(to - 1))
        .map(|d| Span {
            start: (d * DAY).max(from),
            ..Span::default()
        })
        .collect();
    let asked: Vec<AskedRow> = load(
        conn,
        &format!(
            "SELECT q.published_at AS asked, q.first_answer_at AS first_answer, \
             q.accepted_at AS accepted \
             FROM posts q WHERE q.group_id = {gid} AND {lq} \
             AND q.published_at >= {from} AND q.published_at < {to}",
            lq = listed("q"),
        ),
    )?;
    for q in asked {
        let s = &mut spans[(day_of(q.asked) - first_day) as usize];
        s.questions += 1;
        if let Some(a) = q.first_answer {
            s.first_secs.push(secs(q.asked, a));
        }
        if let Some(a) = q.accepted {
            s.accepted_secs.push(secs(q.asked, a));
        }
    }
    // Answers under listed questions, each checked on its question's row (a day's
    // answers are few; reading the group's unlisted questions instead cost a scan of
    // all its questions on every request).
    let answers: Vec<AnswerDay> = load(
        conn,
        &format!(
            "SELECT d AS day, COUNT(*) AS answers, COALESCE(SUM(s), 0) AS staff FROM \
             (SELECT a.published_at / {DAY} AS d, CASE WHEN {staff} THEN 1 ELSE 0 END AS s \
             FROM posts a WHERE a.group_id = {gid} AND {va} \
             AND a.published_at >= {from} AND a.published_at < {to} \
             AND EXISTS (SELECT 1 FROM posts q WHERE q.id = a.question_id \
             AND q.group_id = {gid} AND {lq})) x GROUP BY d",
            staff = staff_of(gid, "a"),
            va = visible_answer("a"),
            lq = listed("q"),
        ),
    )?;
    for a in answers {
        if let Some(s) = spans.get_mut((a.day - first_day) as usize) {
            s.answers = a.answers;
            s.staff_answers = a.staff;
        }
    }
    for s in &mut spans {
        s.first_secs.sort_unstable();
        s.accepted_secs.sort_unstable();
    }
    Ok(spans)
}

/// Runs `f` in a transaction holding the roll-ups' lock: PostgreSQL's advisory lock
/// (SQLite's `BEGIN IMMEDIATE` already serialises writers).
fn locked<T>(conn: &mut DbConn, f: impl FnOnce(&mut DbConn) -> AppResult<T>) -> AppResult<T> {
    conn.transaction(|conn| {
        if let DbConn::Pg(c) = conn {
            diesel::sql_query("SELECT pg_advisory_xact_lock(727100001)").execute(&mut **c)?;
        }
        f(conn)
    })
}

/// Consumes the marks of group `gid` (and the marks of everything) whose changes are
/// committed, dropping their rows; returns the days still marked (changes in flight on
/// PostgreSQL), whose rows must not be trusted or stored yet.
fn consume_marks(conn: &mut DbConn, gid: i64) -> AppResult<Vec<i64>> {
    locked(conn, |conn| {
        let marks: Vec<(i64, i64)> = match conn {
            DbConn::Sqlite(c) => mm::table
                .filter(mm::group_id.eq_any([gid, 0]))
                .select((mm::group_id, mm::day))
                .load(&mut **c)?,
            DbConn::Pg(c) => mm::table
                .filter(mm::group_id.eq_any([gid, 0]))
                .select((mm::group_id, mm::day))
                .for_update()
                .skip_locked()
                .load(&mut **c)?,
        };
        if marks.iter().any(|&(g, _)| g == 0) {
            with_conn!(conn, c => diesel::delete(md::table).execute(c))?;
        }
        for chunk in marks.chunks(500) {
            let days: Vec<i64> = chunk.iter().filter(|m| m.0 == gid).map(|m| m.1).collect();
            with_conn!(conn, c => diesel::delete(
                md::table.filter(md::group_id.eq(gid)).filter(md::day.eq_any(&days)),
            )
            .execute(c))?;
            for &(g, d) in chunk {
                with_conn!(conn, c => diesel::delete(mm::table.find((g, d))).execute(c))?;
            }
        }
        let left: Vec<i64> = with_conn!(conn, c => mm::table
            .filter(mm::group_id.eq_any([gid, 0]))
            .select(mm::day)
            .load(c))?;
        if left.contains(&-1) {
            with_conn!(conn, c => diesel::delete(md::table.filter(md::group_id.eq(gid)))
                .execute(c))?;
        }
        Ok(left)
    })
}

type DayRow = (i64, i64, Vec<u8>, Vec<u8>, i64, i64);

/// The spans of group `gid` over `[from, to)` as of `now`: whole days before today from
/// their roll-ups (computed and stored when missing), today and cut days live. Without
/// marks and missing days (the usual case) nothing is written and no lock is taken.
pub fn spans(conn: &mut DbConn, gid: i64, from: i64, to: i64, now: i64) -> AppResult<Vec<Span>> {
    if to <= from {
        return Ok(Vec::new());
    }
    let pending: i64 = with_conn!(conn, c => mm::table
        .filter(mm::group_id.eq_any([gid, 0]))
        .count()
        .get_result(c))?;
    let in_flight = if pending > 0 {
        consume_marks(conn, gid)?
    } else {
        Vec::new()
    };
    // Whole days that can be rolled up: [d0, d1).
    let d0 = day_of(from + DAY - 1);
    let d1 = day_of(to).min(day_of(now)).max(d0);
    let mut out = live(conn, gid, from, (d0 * DAY).min(to))?;
    let rows: Vec<DayRow> = with_conn!(conn, c => md::table
        .filter(md::group_id.eq(gid))
        .filter(md::day.ge(d0))
        .filter(md::day.lt(d1))
        .order(md::day.asc())
        .select((
            md::day,
            md::questions,
            md::first_secs,
            md::accepted_secs,
            md::answers,
            md::staff_answers,
        ))
        .load(c))?;
    let mut stored = rows
        .into_iter()
        .filter(|r| !in_flight.contains(&r.0))
        .peekable();
    // Runs of missing days [start, end), computed at once each.
    let mut missing: Vec<(i64, i64)> = Vec::new();
    for d in d0..d1 {
        match stored.next_if(|r| r.0 == d) {
            Some(r) => out.push(Span {
                start: d * DAY,
                questions: r.1,
                first_secs: decode(&r.2),
                accepted_secs: decode(&r.3),
                answers: r.4,
                staff_answers: r.5,
            }),
            None => match missing.last_mut() {
                Some(run) if run.1 == d => run.1 = d + 1,
                _ => missing.push((d, d + 1)),
            },
        }
    }
    if !missing.is_empty() {
        let keep = !in_flight.contains(&-1);
        locked(conn, |conn| {
            for (a, b) in missing {
                let computed = live(conn, gid, a * DAY, b * DAY)?;
                if keep {
                    store(conn, gid, &computed, &in_flight)?;
                }
                out.extend(computed);
            }
            Ok(())
        })?;
        out.sort_by_key(|s| s.start);
    }
    out.extend(live(conn, gid, (d1 * DAY).max(from), to)?);
    Ok(out)
}

fn store(conn: &mut DbConn, gid: i64, spans: &[Span], skip: &[i64]) -> AppResult<()> {
    let at = crate::db::now_ms();
    let rows: Vec<_> = spans
        .iter()
        .filter(|s| !skip.contains(&day_of(s.start)))
        .map(|s| {
            (
                md::group_id.eq(gid),
                md::day.eq(day_of(s.start)),
                md::questions.eq(s.questions),
                md::first_secs.eq(encode(&s.first_secs)),
                md::accepted_secs.eq(encode(&s.accepted_secs)),
                md::answers.eq(s.answers),
                md::staff_answers.eq(s.staff_answers),
                md::computed_at.eq(at),
            )
        })
        .collect();
    for chunk in rows.chunks(100) {
        match conn {
            DbConn::Sqlite(c) => {
                diesel::insert_or_ignore_into(md::table)
                    .values(chunk)
                    .execute(&mut **c)?;
            }
            DbConn::Pg(c) => {
                diesel::insert_into(md::table)
                    .values(chunk)
                    .on_conflict_do_nothing()
                    .execute(&mut **c)?;
            }
        }
    }
    Ok(())
}

/// How many days of group `gid` are rolled up, and how many marks wait (the tests and
/// the benchmark).
pub fn stored(conn: &mut DbConn, gid: i64) -> AppResult<(i64, i64)> {
    let rows: i64 = with_conn!(conn, c => md::table
        .filter(md::group_id.eq(gid))
        .count()
        .get_result(c))?;
    let marks: i64 = with_conn!(conn, c => mm::table
        .filter(mm::group_id.eq_any([gid, 0]))
        .count()
        .get_result(c))?;
    Ok((rows, marks))
}

#[cfg(test)]
mod tests {
    use super::{decode, encode, secs};

    #[test]
    fn blobs_round_trip() {
        let v = vec![0, 1, 59, 86_400, u32::MAX];
        assert_eq!(decode(&encode(&v)), v);
        assert_eq!(secs(5_000, 1_000), 0);
        assert_eq!(secs(0, 3_600_999), 3_600);
    }
}
