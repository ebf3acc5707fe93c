//! The ideas exchange: groups' kinds, ideas' statuses with their history, people
//! following ideas, votes and follows carried from a merged idea, the notifications of a
//! status change, and a group's ideas by votes.

use crate::db::ids::new_id;
use crate::db::models::Post;
use crate::db::queries::notifications::Notification;
use crate::db::schema::{
    group_kinds as gk, idea_follows as f, idea_status_changes as h, ideas as i, notifications as n,
    posts as p, users, votes,
};
use crate::db::{now_ms, DbConn};
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;

/// The notification kind of a status change.
pub const NOTIFY_KIND: &str = "idea_status";

/// An idea's current status (no row: `new`).
#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = crate::db::schema::ideas)]
#[diesel(treat_none_as_null = true)]
pub struct Idea {
    pub post_id: i64,
    pub status: String,
    pub explanation: String,
    pub merged_into: Option<i64>,
    pub changed_by: Option<i64>,
    pub changed_at: i64,
}

/// One status change of an idea.
#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = crate::db::schema::idea_status_changes)]
pub struct Change {
    pub id: i64,
    pub post_id: i64,
    pub status: String,
    pub explanation: String,
    pub changed_by: Option<i64>,
    pub created_at: i64,
}

/// The kind of the group `group_id` (`None`: a group of questions).
pub fn group_kind(conn: &mut DbConn, group_id: i64) -> AppResult<Option<String>> {
    Ok(with_conn!(conn, c => gk::table
        .find(group_id)
        .select(gk::kind)
        .first::<String>(c)
        .optional())?)
}

pub fn set_group_kind(conn: &mut DbConn, group_id: i64, kind: &str) -> AppResult<()> {
    with_conn!(conn, c => diesel::delete(gk::table.find(group_id)).execute(c))?;
    with_conn!(conn, c => diesel::insert_into(gk::table)
        .values((gk::group_id.eq(group_id), gk::kind.eq(kind)))
        .execute(c))?;
    Ok(())
}

pub fn idea(conn: &mut DbConn, post_id: i64) -> AppResult<Option<Idea>> {
    Ok(with_conn!(conn, c => i::table
        .find(post_id)
        .select(Idea::as_select())
        .first(c)
        .optional())?)
}

/// The stored statuses among `post_ids`.
pub fn ideas_of(conn: &mut DbConn, post_ids: &[i64]) -> AppResult<Vec<Idea>> {
    Ok(with_conn!(conn, c => i::table
        .filter(i::post_id.eq_any(post_ids))
        .select(Idea::as_select())
        .load(c))?)
}

/// Stores `idea` as the idea's status and `change` in its history.
pub fn set_status(conn: &mut DbConn, idea: &Idea, change: &Change) -> AppResult<()> {
    with_conn!(conn, c => diesel::delete(i::table.find(idea.post_id)).execute(c))?;
    with_conn!(conn, c => diesel::insert_into(i::table).values(idea).execute(c))?;
    with_conn!(conn, c => diesel::insert_into(h::table).values(change).execute(c))?;
    Ok(())
}

/// Stores `idea` as the idea's status unless it has one (no history: a received idea's
/// status as it was when it arrived).
pub fn set_first(conn: &mut DbConn, idea: &Idea) -> AppResult<()> {
    with_conn!(conn, c => diesel::insert_into(i::table)
        .values(idea)
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(())
}

/// An idea's status changes, oldest first.
pub fn history(conn: &mut DbConn, post_id: i64) -> AppResult<Vec<Change>> {
    Ok(with_conn!(conn, c => h::table
        .filter(h::post_id.eq(post_id))
        .order(h::id.asc())
        .select(Change::as_select())
        .load(c))?)
}

/// `actor_id` follows the idea (again); false when they did already.
pub fn follow(conn: &mut DbConn, post_id: i64, actor_id: i64) -> AppResult<bool> {
    let n = with_conn!(conn, c => diesel::insert_into(f::table)
        .values((f::post_id.eq(post_id), f::actor_id.eq(actor_id), f::created_at.eq(now_ms())))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(n > 0)
}

pub fn unfollow(conn: &mut DbConn, post_id: i64, actor_id: i64) -> AppResult<bool> {
    let n = with_conn!(conn, c => diesel::delete(f::table.find((post_id, actor_id))).execute(c))?;
    Ok(n > 0)
}

pub fn follows(conn: &mut DbConn, post_id: i64, actor_id: i64) -> AppResult<bool> {
    let n: i64 = with_conn!(conn, c => f::table
        .filter(f::post_id.eq(post_id))
        .filter(f::actor_id.eq(actor_id))
        .count()
        .get_result(c))?;
    Ok(n > 0)
}

/// The followers of an idea (actor ids).
pub fn followers(conn: &mut DbConn, post_id: i64) -> AppResult<Vec<i64>> {
    Ok(with_conn!(conn, c => f::table
        .filter(f::post_id.eq(post_id))
        .select(f::actor_id)
        .load(c))?)
}

/// The actors with a vote on the post (either way).
pub fn voters(conn: &mut DbConn, post_id: i64) -> AppResult<Vec<(i64, i32)>> {
    Ok(with_conn!(conn, c => votes::table
        .filter(votes::post_id.eq(post_id))
        .filter(votes::value.ne(0))
        .select((votes::actor_id, votes::value))
        .load(c))?)
}

/// Carries the votes on `from` to `to`, once per person: someone who voted on both keeps
/// their vote on `to`. Returns how many votes were carried.
pub fn carry_votes(conn: &mut DbConn, from: i64, to: i64) -> AppResult<usize> {
    let mut carried = 0;
    for (actor, value) in voters(conn, from)? {
        if super::posts::vote(conn, to, actor)?.is_none()
            && super::posts::set_vote(conn, to, actor, value, None)?
        {
            carried += 1;
        }
    }
    Ok(carried)
}

/// Carries the followers of `from` to `to` (once each).
pub fn carry_follows(conn: &mut DbConn, from: i64, to: i64) -> AppResult<()> {
    for actor in followers(conn, from)? {
        follow(conn, to, actor)?;
    }
    Ok(())
}

/// Notifies the local users who voted on `post`, follow it or wrote it of `change`
/// (not the one who made it): each change once per user.
pub fn notify(conn: &mut DbConn, post: &Post, change: &Change) -> AppResult<usize> {
    let mut actors: Vec<i64> = voters(conn, post.id)?.into_iter().map(|v| v.0).collect();
    actors.extend(followers(conn, post.id)?);
    actors.push(post.author_id);
    actors.retain(|a| Some(*a) != change.changed_by);
    actors.sort_unstable();
    actors.dedup();
    let to: Vec<i64> = with_conn!(conn, c => users::table
        .filter(users::actor_id.eq_any(&actors))
        .filter(users::suspended_at.is_null())
        .select(users::id)
        .load(c))?;
    let now = now_ms();
    let mut inserted = 0;
    for user in to {
        let row = Notification {
            id: new_id(),
            user_id: user,
            kind: NOTIFY_KIND.into(),
            subject: change.id.to_string(),
            actor_id: change.changed_by,
            post_id: Some(post.id),
            badge: None,
            report_id: None,
            created_at: now,
            read_at: None,
            email_state: "none".into(),
            emailed_at: None,
        };
        inserted += with_conn!(conn, c => diesel::insert_into(n::table)
            .values(&row)
            .on_conflict_do_nothing()
            .execute(c))?;
    }
    Ok(inserted)
}

/// The ideas of a group by votes (most first), with `status` only when given (`new`:
/// ideas without a status too).
pub fn list(
    conn: &mut DbConn,
    group_id: i64,
    status: Option<&str>,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<Post>> {
    Ok(with_conn!(conn, c => {
        let mut q = p::table
            .filter(p::group_id.eq(group_id))
            .filter(p::kind.eq(crate::db::models::QUESTION))
            .filter(p::deleted.eq(false))
            .filter(p::removed.eq(false))
            .filter(p::public.eq(true))
            .select(Post::as_select())
            .into_boxed();
        q = match status {
            None => q,
            Some("new") => q.filter(diesel::dsl::not(p::id.eq_any(
                i::table.filter(i::status.ne("new")).select(i::post_id),
            ))),
            Some(s) => q.filter(p::id.eq_any(
                i::table.filter(i::status.eq(s.to_string())).select(i::post_id),
            )),
        };
        q.order(((p::upvotes - p::downvotes).desc(), p::published_at.desc()))
            .offset(offset)
            .limit(limit)
            .load(c)
    })?)
}
