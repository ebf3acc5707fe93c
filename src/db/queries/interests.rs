//! Tags and people a local person follows (`tag_follows`, `person_follows`), and the
//! new questions that concern them, for the notifier. Kept here only.

use crate::db::models::QUESTION;
use crate::db::now_ms;
use crate::db::schema::{person_follows as pf, posts as p, tag_follows as tf};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;
use std::collections::{HashMap, HashSet};

/// `actor` follows `tag`; `false` when they did already.
pub fn follow_tag(conn: &mut DbConn, actor: i64, tag: &str) -> AppResult<bool> {
    let n = with_conn!(conn, c => diesel::insert_into(tf::table)
        .values((tf::actor_id.eq(actor), tf::tag.eq(tag), tf::created_at.eq(now_ms())))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(n > 0)
}

/// `actor` stops following `tag`; `false` when they did not follow it.
pub fn unfollow_tag(conn: &mut DbConn, actor: i64, tag: &str) -> AppResult<bool> {
    let n = with_conn!(conn, c => diesel::delete(tf::table
        .filter(tf::actor_id.eq(actor))
        .filter(tf::tag.eq(tag)))
        .execute(c))?;
    Ok(n > 0)
}

/// The tags `actor` follows, by name.
pub fn tags_of(conn: &mut DbConn, actor: i64) -> AppResult<Vec<String>> {
    Ok(with_conn!(conn, c => tf::table
        .filter(tf::actor_id.eq(actor))
        .order(tf::tag.asc())
        .select(tf::tag)
        .load::<String>(c))?)
}

/// `actor` follows `person`; `false` when they did already.
pub fn follow_person(conn: &mut DbConn, actor: i64, person: i64) -> AppResult<bool> {
    let n = with_conn!(conn, c => diesel::insert_into(pf::table)
        .values((pf::actor_id.eq(actor), pf::person_id.eq(person), pf::created_at.eq(now_ms())))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(n > 0)
}

/// `actor` stops following `person`; `false` when they did not follow them.
pub fn unfollow_person(conn: &mut DbConn, actor: i64, person: i64) -> AppResult<bool> {
    let n = with_conn!(conn, c => diesel::delete(pf::table
        .filter(pf::actor_id.eq(actor))
        .filter(pf::person_id.eq(person)))
        .execute(c))?;
    Ok(n > 0)
}

/// The people `actor` follows, newest first.
pub fn people_of(conn: &mut DbConn, actor: i64) -> AppResult<Vec<i64>> {
    Ok(with_conn!(conn, c => pf::table
        .filter(pf::actor_id.eq(actor))
        .order(pf::created_at.desc())
        .select(pf::person_id)
        .load::<i64>(c))?)
}

/// Whether `actor` follows `person`.
pub fn follows_person(conn: &mut DbConn, actor: i64, person: i64) -> AppResult<bool> {
    Ok(with_conn!(conn, c => pf::table
        .filter(pf::actor_id.eq(actor))
        .filter(pf::person_id.eq(person))
        .count()
        .get_result::<i64>(c))?
        > 0)
}

/// Whom a new question concerns.
pub struct Interested {
    /// The question.
    pub post: i64,
    /// Who asked it.
    pub author: i64,
    /// Followers of the author.
    pub by_person: Vec<i64>,
    /// Followers of one of its tags (not among `by_person`).
    pub by_tag: Vec<i64>,
}

/// The questions with an id at or after `lo` (at most `limit` read), each with the
/// people who follow its author or one of its tags; also how many were read and the id of
/// the last. A private group's question concerns only those of them who are its members
/// ([`members_among`](super::private_groups::members_among)); other non-public questions
/// nobody.
pub fn new_questions(
    conn: &mut DbConn,
    lo: i64,
    limit: i64,
) -> AppResult<(Vec<Interested>, usize, Option<i64>)> {
    let all: Vec<(i64, i64, String, bool, Option<i64>)> = with_conn!(conn, c => p::table
        .filter(p::id.ge(lo))
        .filter(p::kind.eq(QUESTION))
        .filter(p::deleted.eq(false))
        .filter(p::removed.eq(false))
        .order(p::id.asc())
        .limit(limit)
        .select((p::id, p::author_id, p::tags, p::public, p::group_id))
        .load(c))?;
    let read = all.len();
    let last = all.last().map(|r| r.0);
    let hidden: Vec<i64> = all
        .iter()
        .filter(|r| !r.3)
        .filter_map(|r| r.4)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let private = super::private_groups::private_among(conn, &hidden)?;
    // (question, author, tags, its private group)
    let rows: Vec<(i64, i64, String, Option<i64>)> = all
        .into_iter()
        .filter_map(|(id, author, tags, public, group)| match (public, group) {
            (true, _) => Some((id, author, tags, None)),
            (false, Some(g)) if private.contains(&g) => Some((id, author, tags, Some(g))),
            _ => None,
        })
        .collect();
    if rows.is_empty() {
        return Ok((Vec::new(), read, last));
    }
    let authors: Vec<i64> = rows.iter().map(|r| r.1).collect();
    let tags: Vec<String> = rows
        .iter()
        .flat_map(|r| r.2.split_whitespace().map(str::to_string))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut of_person: HashMap<i64, Vec<i64>> = HashMap::new();
    for (follower, person) in with_conn!(conn, c => pf::table
        .filter(pf::person_id.eq_any(&authors))
        .select((pf::actor_id, pf::person_id))
        .load::<(i64, i64)>(c))?
    {
        of_person.entry(person).or_default().push(follower);
    }
    let mut of_tag: HashMap<String, Vec<i64>> = HashMap::new();
    if !tags.is_empty() {
        for (follower, tag) in with_conn!(conn, c => tf::table
            .filter(tf::tag.eq_any(&tags))
            .select((tf::actor_id, tf::tag))
            .load::<(i64, String)>(c))?
        {
            of_tag.entry(tag).or_default().push(follower);
        }
    }
    let mut out = Vec::new();
    for (post, author, tags, private_group) in rows {
        let mut by_person = of_person.get(&author).cloned().unwrap_or_default();
        let mut by_tag: Vec<i64> = tags
            .split_whitespace()
            .flat_map(|t| of_tag.get(t).cloned().unwrap_or_default())
            .filter(|f| !by_person.contains(f))
            .collect();
        by_tag.sort_unstable();
        by_tag.dedup();
        if let Some(g) = private_group {
            let everyone: Vec<i64> = by_person.iter().chain(&by_tag).copied().collect();
            let members = super::private_groups::members_among(conn, g, &everyone)?;
            by_person.retain(|a| members.contains(a));
            by_tag.retain(|a| members.contains(a));
        }
        if !by_person.is_empty() || !by_tag.is_empty() {
            out.push(Interested {
                post,
                author,
                by_person,
                by_tag,
            });
        }
    }
    Ok((out, read, last))
}

/// The tags most used by the latest questions of `group`, most used first.
pub fn popular_tags(conn: &mut DbConn, group: i64, limit: usize) -> AppResult<Vec<String>> {
    let rows: Vec<String> = with_conn!(conn, c => p::table
        .filter(p::group_id.eq(group))
        .filter(p::kind.eq(QUESTION))
        .filter(p::public.eq(true))
        .filter(p::deleted.eq(false))
        .filter(p::removed.eq(false))
        .order(p::id.desc())
        .limit(300)
        .select(p::tags)
        .load(c))?;
    let mut counts: HashMap<String, usize> = HashMap::new();
    for t in rows.iter().flat_map(|r| r.split_whitespace()) {
        *counts.entry(t.to_string()).or_default() += 1;
    }
    let mut tags: Vec<(String, usize)> = counts.into_iter().collect();
    tags.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(tags.into_iter().take(limit).map(|(t, _)| t).collect())
}
