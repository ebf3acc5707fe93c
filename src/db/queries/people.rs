//! The admin console's People pages: local users and the remote users seen here, found
//! by part of their name, a page at a time, with their post counts; and what suspending
//! and deleting an account write.

use super::instance_health::contains_pattern;
use crate::db::models::{Actor, Post, StaffClaim, User};
use crate::db::schema::{actors, posts as p, sessions, staff_claims as sc, users};
use crate::db::{now_ms, DbConn};
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use std::collections::HashMap;

/// One page of a list, and how many match the search.
#[derive(Debug)]
pub struct PeoplePage<T> {
    pub rows: Vec<T>,
    /// Whether there are more after this page.
    pub more: bool,
    pub matching: i64,
}

/// A local user with their posts stored here (neither deleted nor removed).
#[derive(Debug, Clone)]
pub struct LocalPerson {
    pub user: User,
    pub actor: Actor,
    pub posts: i64,
}

/// A remote user seen here with their posts stored here (neither deleted nor removed).
#[derive(Debug, Clone)]
pub struct RemotePerson {
    pub actor: Actor,
    pub posts: i64,
}

/// The kinds of remote actors that are users (not groups nor instance actors).
const USER_KINDS: [&str; 2] = ["Person", "Service"];

/// Visible posts per author, for the authors of a page.
fn post_counts(conn: &mut DbConn, authors: &[i64]) -> AppResult<HashMap<i64, i64>> {
    if authors.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, i64)> = with_conn!(conn, c => p::table
        .filter(p::author_id.eq_any(authors))
        .filter(p::deleted.eq(false))
        .filter(p::removed.eq(false))
        .group_by(p::author_id)
        .select((p::author_id, diesel::dsl::count_star()))
        .load(c))?;
    Ok(rows.into_iter().collect())
}

/// An author's posts stored here that are neither deleted nor removed.
pub fn visible_posts(conn: &mut DbConn, author_id: i64) -> AppResult<i64> {
    Ok(post_counts(conn, &[author_id])?
        .get(&author_id)
        .copied()
        .unwrap_or(0))
}

/// Local users whose name or display name contains `search` (any case; all for `""`),
/// newest first, `limit` from `offset`.
pub fn local_page(
    conn: &mut DbConn,
    search: &str,
    offset: i64,
    limit: i64,
) -> AppResult<PeoplePage<LocalPerson>> {
    let pattern = contains_pattern(&search.trim().to_lowercase());
    let matches = || {
        diesel::dsl::sql::<Bool>("(lower(users.username) LIKE ")
            .bind::<Text, _>(pattern.clone())
            .sql(" ESCAPE '\\' OR lower(coalesce(actors.display_name, '')) LIKE ")
            .bind::<Text, _>(pattern.clone())
            .sql(" ESCAPE '\\')")
    };
    let mut rows: Vec<(User, Actor)> = with_conn!(conn, c => users::table
        .inner_join(actors::table)
        .filter(matches())
        .order((users::created_at.desc(), users::id.desc()))
        .offset(offset)
        .limit(limit + 1)
        .select((User::as_select(), Actor::as_select()))
        .load(c))?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let matching: i64 = with_conn!(conn, c => users::table
        .inner_join(actors::table)
        .filter(matches())
        .count()
        .get_result(c))?;
    let ids: Vec<i64> = rows.iter().map(|(_, a)| a.id).collect();
    let counts = post_counts(conn, &ids)?;
    let rows = rows
        .into_iter()
        .map(|(user, actor)| LocalPerson {
            posts: counts.get(&actor.id).copied().unwrap_or(0),
            user,
            actor,
        })
        .collect();
    Ok(PeoplePage {
        rows,
        more,
        matching,
    })
}

/// Remote users whose handle (`name@domain`) contains `search` (any case, a leading `@`
/// ignored; all for `""`), most recently first seen first, `limit` from `offset`.
pub fn remote_page(
    conn: &mut DbConn,
    search: &str,
    offset: i64,
    limit: i64,
) -> AppResult<PeoplePage<RemotePerson>> {
    let search = search.trim().trim_start_matches('@').to_lowercase();
    let pattern = contains_pattern(&search);
    let matches = || {
        diesel::dsl::sql::<Bool>("lower(actors.name || '@' || actors.domain) LIKE ")
            .bind::<Text, _>(pattern.clone())
            .sql(" ESCAPE '\\'")
    };
    let mut rows: Vec<Actor> = with_conn!(conn, c => actors::table
        .filter(actors::local.eq(false))
        .filter(actors::kind.eq_any(USER_KINDS))
        .filter(matches())
        .order((actors::created_at.desc(), actors::id.desc()))
        .offset(offset)
        .limit(limit + 1)
        .select(Actor::as_select())
        .load(c))?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let matching: i64 = with_conn!(conn, c => actors::table
        .filter(actors::local.eq(false))
        .filter(actors::kind.eq_any(USER_KINDS))
        .filter(matches())
        .count()
        .get_result(c))?;
    let ids: Vec<i64> = rows.iter().map(|a| a.id).collect();
    let counts = post_counts(conn, &ids)?;
    let rows = rows
        .into_iter()
        .map(|actor| RemotePerson {
            posts: counts.get(&actor.id).copied().unwrap_or(0),
            actor,
        })
        .collect();
    Ok(PeoplePage {
        rows,
        more,
        matching,
    })
}

/// A remote user by their local id.
pub fn remote_user(conn: &mut DbConn, actor_id: i64) -> AppResult<Option<Actor>> {
    Ok(with_conn!(conn, c => actors::table
        .find(actor_id)
        .filter(actors::local.eq(false))
        .filter(actors::kind.eq_any(USER_KINDS))
        .select(Actor::as_select())
        .first(c)
        .optional())?)
}

/// Suspends a user (`Some(reason)`) or lifts the suspension (`None`).
pub fn set_suspension(conn: &mut DbConn, user_id: i64, reason: Option<&str>) -> AppResult<()> {
    let at = reason.map(|_| now_ms());
    with_conn!(conn, c => diesel::update(users::table.find(user_id))
        .set((users::suspended_at.eq(at), users::suspension_reason.eq(reason)))
        .execute(c))?;
    Ok(())
}

/// Ends every session (and API token) of a user.
pub fn end_sessions(conn: &mut DbConn, user_id: i64) -> AppResult<usize> {
    Ok(
        with_conn!(conn, c => diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id)))
        .execute(c))?,
    )
}

/// An author's posts that are not deleted, newest first (replies before what they answer).
pub fn live_posts_of(conn: &mut DbConn, author_id: i64) -> AppResult<Vec<Post>> {
    Ok(with_conn!(conn, c => p::table
        .filter(p::author_id.eq(author_id))
        .filter(p::deleted.eq(false))
        .order((p::published_at.desc(), p::id.desc()))
        .select(Post::as_select())
        .load(c))?)
}

/// What remains of a deleted account: the actor is marked deleted with its profile
/// erased (its key stays, to sign the deletion's activities), the user can no longer sign
/// in and has no roles, organisation or sessions. Both rows stay, so the name stays taken.
pub fn erase_account(conn: &mut DbConn, user_id: i64, actor_id: i64) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(actors::table.find(actor_id))
        .set((
            actors::deleted.eq(true),
            actors::display_name.eq(None::<String>),
            actors::summary.eq(None::<String>),
            actors::icon.eq(None::<String>),
            actors::updated_at.eq(now_ms()),
        ))
        .execute(c))?;
    with_conn!(conn, c => diesel::update(users::table.find(user_id))
        .set((
            // Not a hash: no password matches it.
            users::password_hash.eq(""),
            users::is_admin.eq(false),
            users::is_staff.eq(false),
            users::can_create_groups.eq(false),
            users::organisation_id.eq(None::<i64>),
        ))
        .execute(c))?;
    end_sessions(conn, user_id)?;
    Ok(())
}

/// The delivery inboxes (shared inbox when known) of every remote actor known here that
/// is not deleted: the servers that may know a local actor. De-duplicated.
pub fn remote_inboxes(conn: &mut DbConn) -> AppResult<Vec<String>> {
    let rows: Vec<(String, Option<String>)> = with_conn!(conn, c => actors::table
        .filter(actors::local.eq(false))
        .filter(actors::deleted.eq(false))
        .select((actors::inbox, actors::shared_inbox))
        .distinct()
        .load(c))?;
    let mut inboxes: Vec<String> = rows.into_iter().map(|(i, s)| s.unwrap_or(i)).collect();
    inboxes.sort();
    inboxes.dedup();
    Ok(inboxes)
}

/// The local staff of organisations: (organisation id, user name), by name.
pub fn staff_members(conn: &mut DbConn) -> AppResult<Vec<(i64, String)>> {
    let rows: Vec<(Option<i64>, String)> = with_conn!(conn, c => users::table
        .inner_join(actors::table)
        .filter(users::organisation_id.is_not_null())
        .filter(actors::deleted.eq(false))
        .order(users::username.asc())
        .select((users::organisation_id, users::username))
        .load(c))?;
    Ok(rows
        .into_iter()
        .filter_map(|(o, name)| Some((o?, name)))
        .collect())
}

/// Remote accounts' staff claims with their actors, most recently checked first.
pub fn claims(conn: &mut DbConn) -> AppResult<Vec<(StaffClaim, Actor)>> {
    Ok(with_conn!(conn, c => sc::table
        .inner_join(actors::table.on(actors::id.eq(sc::actor_id)))
        .order(sc::checked_at.desc())
        .select((StaffClaim::as_select(), Actor::as_select()))
        .load(c))?)
}
