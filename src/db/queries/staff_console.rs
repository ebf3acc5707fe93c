//! The staff console's tables: claims on questions ("I'm on it") and staff-approved
//! answers, and the staff inbox (questions in the groups that recognise an organisation,
//! filtered to what needs the organisation).

use crate::db::models::{Post, QUESTION};
use crate::db::schema::{
    actors, group_organisations as go, organisations as o, posts as p, question_claims as qc,
    staff_approvals as sa, users,
};
use crate::db::{now_ms, DbConn};
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;
use std::collections::HashMap;

/// A claim on a question: who holds it, for which organisation, since when.
#[derive(Clone, Debug)]
pub struct Claim {
    pub question_id: i64,
    pub actor_id: i64,
    pub handle_name: String,
    pub handle_domain: String,
    pub organisation_id: i64,
    pub claimed_at: i64,
}

/// The claims on the questions `ids`, by question.
pub fn claims_of(conn: &mut DbConn, ids: &[i64]) -> AppResult<HashMap<i64, Claim>> {
    let rows: Vec<(i64, i64, i64, i64, String, String)> = with_conn!(conn, c => qc::table
        .inner_join(actors::table.on(actors::id.eq(qc::actor_id)))
        .filter(qc::question_id.eq_any(ids))
        .select((qc::question_id, qc::actor_id, qc::organisation_id, qc::claimed_at, actors::name, actors::domain))
        .load(c))?;
    Ok(rows
        .into_iter()
        .map(|(q, a, org, at, name, domain)| {
            (
                q,
                Claim {
                    question_id: q,
                    actor_id: a,
                    handle_name: name,
                    handle_domain: domain,
                    organisation_id: org,
                    claimed_at: at,
                },
            )
        })
        .collect())
}

pub fn set_claim(conn: &mut DbConn, question: i64, actor: i64, org: i64) -> AppResult<()> {
    with_conn!(conn, c => diesel::insert_into(qc::table)
        .values((
            qc::question_id.eq(question),
            qc::actor_id.eq(actor),
            qc::organisation_id.eq(org),
            qc::claimed_at.eq(now_ms()),
        ))
        .execute(c))?;
    Ok(())
}

pub fn delete_claim(conn: &mut DbConn, question: i64) -> AppResult<()> {
    with_conn!(conn, c => diesel::delete(qc::table.find(question)).execute(c))?;
    Ok(())
}

/// The staff approvals of the answers `ids`: answer → (organisation name, domain).
pub fn approvals_of(conn: &mut DbConn, ids: &[i64]) -> AppResult<HashMap<i64, (String, String)>> {
    let rows: Vec<(i64, String, String)> = with_conn!(conn, c => sa::table
        .inner_join(o::table.on(o::id.eq(sa::organisation_id)))
        .filter(sa::answer_id.eq_any(ids))
        .select((sa::answer_id, o::name, o::domain))
        .load(c))?;
    Ok(rows.into_iter().map(|(a, n, d)| (a, (n, d))).collect())
}

pub fn set_approval(conn: &mut DbConn, answer: i64, actor: i64, org: i64) -> AppResult<()> {
    with_conn!(conn, c => diesel::insert_into(sa::table)
        .values((
            sa::answer_id.eq(answer),
            sa::actor_id.eq(actor),
            sa::organisation_id.eq(org),
            sa::approved_at.eq(now_ms()),
        ))
        .execute(c))?;
    Ok(())
}

pub fn delete_approval(conn: &mut DbConn, answer: i64) -> AppResult<()> {
    with_conn!(conn, c => diesel::delete(sa::table.find(answer)).execute(c))?;
    Ok(())
}

/// Whether the group `group` recognises the organisation `org`.
pub fn recognises(conn: &mut DbConn, group: i64, org: i64) -> AppResult<bool> {
    let n: i64 = with_conn!(conn, c => go::table
        .filter(go::group_id.eq(group))
        .filter(go::organisation_id.eq(org))
        .count()
        .get_result(c))?;
    Ok(n > 0)
}

/// The inbox's filters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filter {
    /// No answer, asked more than `hours` ago.
    Unanswered { hours: i64 },
    /// Answered, no accepted answer.
    Unaccepted,
    /// The question or a post under it mentions (`@name`) a staff member.
    Mentions,
    /// At least `votes` upvotes and no answer by the organisation's staff.
    Popular { votes: i64 },
}

/// One page (`per` questions, newest activity last: the oldest first) of the inbox of the
/// organisation `org`; and whether there are more.
pub fn inbox(
    conn: &mut DbConn,
    org: i64,
    filter: Filter,
    page: i64,
    per: i64,
) -> AppResult<(Vec<Post>, bool)> {
    let groups: Vec<i64> = with_conn!(conn, c => go::table
        .filter(go::organisation_id.eq(org))
        .select(go::group_id)
        .load(c))?;
    let staff: Vec<(i64, String)> = with_conn!(conn, c => users::table
        .filter(users::organisation_id.eq(org))
        .select((users::actor_id, users::username))
        .load(c))?;
    let staff_ids: Vec<i64> = staff.iter().map(|(a, _)| *a).collect();
    // Questions picked by another query first (mentions; those with a staff answer).
    let mut only: Option<Vec<i64>> = None;
    let mut not: Vec<i64> = Vec::new();
    match filter {
        Filter::Mentions => {
            let mut ids = Vec::new();
            for (_, name) in &staff {
                let pattern = format!("%@{name}%");
                let found: Vec<(i64, Option<i64>)> = with_conn!(conn, c => p::table
                    .filter(p::group_id.eq_any(&groups))
                    .filter(p::deleted.eq(false))
                    .filter(p::content_html.like(&pattern).or(p::source_md.like(&pattern)))
                    .select((p::id, p::question_id))
                    .limit(1000)
                    .load(c))?;
                ids.extend(found.into_iter().map(|(id, q)| q.unwrap_or(id)));
            }
            ids.sort_unstable();
            ids.dedup();
            only = Some(ids);
        }
        Filter::Popular { .. } => {
            let answered: Vec<Option<i64>> = with_conn!(conn, c => p::table
                .filter(p::group_id.eq_any(&groups))
                .filter(p::author_id.eq_any(&staff_ids))
                .filter(p::kind.eq(crate::db::models::ANSWER))
                .filter(p::deleted.eq(false))
                .select(p::question_id)
                .load(c))?;
            not = answered.into_iter().flatten().collect();
        }
        _ => {}
    }
    let cutoff = match filter {
        Filter::Unanswered { hours } => now_ms() - hours.saturating_mul(3_600_000),
        _ => i64::MAX,
    };
    let rows: Vec<Post> = with_conn!(conn, c => {
        let mut q = p::table
            .filter(p::kind.eq(QUESTION))
            .filter(p::group_id.eq_any(&groups))
            .filter(p::public.eq(true))
            .filter(p::deleted.eq(false))
            .filter(p::removed.eq(false))
            .into_boxed();
        match filter {
            Filter::Unanswered { .. } => {
                q = q.filter(p::answer_count.eq(0)).filter(p::published_at.le(cutoff));
            }
            Filter::Unaccepted => {
                q = q.filter(p::answer_count.gt(0)).filter(p::accepted_answer_id.is_null());
            }
            Filter::Mentions => {
                q = q.filter(p::id.eq_any(only.clone().unwrap_or_default()));
            }
            Filter::Popular { votes } => {
                let votes = i32::try_from(votes).unwrap_or(i32::MAX);
                q = q.filter(p::upvotes.ge(votes)).filter(p::id.ne_all(&not));
            }
        }
        q.order((p::published_at.asc(), p::id.asc()))
            .offset((page - 1).max(0) * per)
            .limit(per + 1)
            .select(Post::as_select())
            .load(c)
    })?;
    let more = rows.len() as i64 > per;
    Ok((rows.into_iter().take(per as usize).collect(), more))
}

/// Askers' history here: actor → (questions asked, their answers accepted).
pub fn history(conn: &mut DbConn, actor_ids: &[i64]) -> AppResult<HashMap<i64, (i64, i64)>> {
    let mut out = HashMap::new();
    for &a in actor_ids {
        let asked: i64 = with_conn!(conn, c => p::table
            .filter(p::author_id.eq(a))
            .filter(p::kind.eq(QUESTION))
            .filter(p::deleted.eq(false))
            .count()
            .get_result(c))?;
        let answers: Vec<i64> = with_conn!(conn, c => p::table
            .filter(p::author_id.eq(a))
            .filter(p::kind.eq(crate::db::models::ANSWER))
            .select(p::id)
            .load(c))?;
        let accepted: i64 = if answers.is_empty() {
            0
        } else {
            with_conn!(conn, c => p::table
                .filter(p::accepted_answer_id.eq_any(&answers))
                .count()
                .get_result(c))?
        };
        out.insert(a, (asked, accepted));
    }
    Ok(out)
}
