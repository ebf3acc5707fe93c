//! Listening: the relays the instance actor subscribes to, the organisations' terms and
//! the matched posts of their listening queues (once per organisation and object).

use crate::db::schema::listening_items as li;
use crate::db::schema::listening_relays as lr;
use crate::db::schema::listening_terms as lt;
use crate::db::schema::{listening_items, listening_relays, listening_terms};
use crate::db::{now_ms, DbConn};
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;

/// A relay subscription's states.
pub const PENDING: &str = "pending";
pub const ACCEPTED: &str = "accepted";
pub const REJECTED: &str = "rejected";

/// A queue item's states.
pub const NEW: &str = "new";
pub const DISMISSED: &str = "dismissed";
pub const HANDLED: &str = "handled";

#[derive(Queryable, Selectable, Insertable, Clone, Debug, PartialEq)]
#[diesel(table_name = listening_relays)]
pub struct Relay {
    pub id: i64,
    /// As the admin gave it: the relay's inbox or its actor.
    pub url: String,
    /// Where our `Follow` went.
    pub inbox: String,
    /// The relay's actor: known at once for a LitePub relay, from its `Accept` for a
    /// Mastodon-style one.
    pub actor_ap_id: Option<String>,
    /// `mastodon` (Follow of Public) or `litepub` (Follow of the relay's actor).
    pub style: String,
    pub follow_ap_id: String,
    pub state: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug, PartialEq)]
#[diesel(table_name = listening_terms)]
pub struct Term {
    pub id: i64,
    pub organisation_id: i64,
    /// `#tag` or lower-case words.
    pub term: String,
    pub created_at: i64,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug, PartialEq)]
#[diesel(table_name = listening_items)]
#[diesel(treat_none_as_null = true)]
pub struct Item {
    pub id: i64,
    pub organisation_id: i64,
    pub object_ap_id: String,
    /// The original's web page (its `url`, else its id).
    pub url: String,
    pub author_ap_id: String,
    /// `user@domain` of the author.
    pub author_name: String,
    /// Sanitised, shortened content.
    pub excerpt_html: String,
    pub matched_term: String,
    /// `relay` or `inbox`.
    pub source: String,
    pub status: String,
    pub handled_by: Option<i64>,
    /// Our reply's Note, when staff replied from their account.
    pub reply_ap_id: Option<String>,
    pub reply_md: Option<String>,
    pub received_at: i64,
    pub updated_at: i64,
}

pub fn insert_relay(conn: &mut DbConn, r: &Relay) -> AppResult<()> {
    with_conn!(conn, c => diesel::insert_into(lr::table).values(r).execute(c))?;
    Ok(())
}

pub fn relays(conn: &mut DbConn) -> AppResult<Vec<Relay>> {
    Ok(with_conn!(conn, c => lr::table
        .order(lr::created_at.asc())
        .select(Relay::as_select())
        .load(c))?)
}

pub fn relay(conn: &mut DbConn, id: i64) -> AppResult<Option<Relay>> {
    Ok(with_conn!(conn, c => lr::table
        .find(id)
        .select(Relay::as_select())
        .first(c)
        .optional())?)
}

pub fn relay_by_url(conn: &mut DbConn, url: &str) -> AppResult<Option<Relay>> {
    Ok(with_conn!(conn, c => lr::table
        .filter(lr::url.eq(url))
        .select(Relay::as_select())
        .first(c)
        .optional())?)
}

pub fn relay_by_follow(conn: &mut DbConn, follow_ap_id: &str) -> AppResult<Option<Relay>> {
    Ok(with_conn!(conn, c => lr::table
        .filter(lr::follow_ap_id.eq(follow_ap_id))
        .select(Relay::as_select())
        .first(c)
        .optional())?)
}

/// The subscription whose relay actor is `actor`, accepted.
pub fn accepted_relay_by_actor(conn: &mut DbConn, actor: &str) -> AppResult<Option<Relay>> {
    Ok(with_conn!(conn, c => lr::table
        .filter(lr::actor_ap_id.eq(actor))
        .filter(lr::state.eq(ACCEPTED))
        .select(Relay::as_select())
        .first(c)
        .optional())?)
}

/// The relay answered: its state, and its actor (learnt from the answer).
pub fn set_relay_state(conn: &mut DbConn, id: i64, state: &str, actor: &str) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(lr::table.find(id))
        .set((
            lr::state.eq(state),
            lr::actor_ap_id.eq(actor),
            lr::updated_at.eq(now_ms()),
        ))
        .execute(c))?;
    Ok(())
}

pub fn delete_relay(conn: &mut DbConn, id: i64) -> AppResult<bool> {
    Ok(with_conn!(conn, c => diesel::delete(lr::table.find(id)).execute(c))? > 0)
}

pub fn terms_of(conn: &mut DbConn, org: i64) -> AppResult<Vec<Term>> {
    Ok(with_conn!(conn, c => lt::table
        .filter(lt::organisation_id.eq(org))
        .order(lt::term.asc())
        .select(Term::as_select())
        .load(c))?)
}

/// Every organisation's terms (the matcher's input).
pub fn all_terms(conn: &mut DbConn) -> AppResult<Vec<Term>> {
    Ok(with_conn!(conn, c => lt::table
        .order((lt::organisation_id.asc(), lt::term.asc()))
        .select(Term::as_select())
        .load(c))?)
}

/// Adds a term (a no-op when the organisation has it). Returns whether it was new.
pub fn add_term(conn: &mut DbConn, t: &Term) -> AppResult<bool> {
    Ok(with_conn!(conn, c => diesel::insert_into(lt::table)
        .values(t)
        .on_conflict_do_nothing()
        .execute(c))?
        > 0)
}

pub fn count_terms(conn: &mut DbConn, org: i64) -> AppResult<i64> {
    Ok(with_conn!(conn, c => lt::table
        .filter(lt::organisation_id.eq(org))
        .count()
        .get_result(c))?)
}

pub fn delete_term(conn: &mut DbConn, org: i64, id: i64) -> AppResult<bool> {
    Ok(with_conn!(conn, c => diesel::delete(
        lt::table.filter(lt::id.eq(id)).filter(lt::organisation_id.eq(org))
    )
    .execute(c))?
        > 0)
}

/// Stores matched posts; one per organisation and object (a copy is a no-op). Returns
/// how many were new.
pub fn insert_items(conn: &mut DbConn, items: &[Item]) -> AppResult<usize> {
    let mut n = 0;
    for item in items {
        n += with_conn!(conn, c => diesel::insert_into(li::table)
            .values(item)
            .on_conflict_do_nothing()
            .execute(c))?;
    }
    Ok(n)
}

/// An organisation's queue in `status`, the latest first.
pub fn items_of(conn: &mut DbConn, org: i64, status: &str, limit: i64) -> AppResult<Vec<Item>> {
    Ok(with_conn!(conn, c => li::table
        .filter(li::organisation_id.eq(org))
        .filter(li::status.eq(status))
        .order((li::received_at.desc(), li::id.desc()))
        .limit(limit)
        .select(Item::as_select())
        .load(c))?)
}

pub fn item(conn: &mut DbConn, org: i64, id: i64) -> AppResult<Option<Item>> {
    Ok(with_conn!(conn, c => li::table
        .filter(li::id.eq(id))
        .filter(li::organisation_id.eq(org))
        .select(Item::as_select())
        .first(c)
        .optional())?)
}

/// The item our reply `reply_ap_id` answers (to serve the reply's Note).
pub fn item_by_reply(conn: &mut DbConn, reply_ap_id: &str) -> AppResult<Option<Item>> {
    Ok(with_conn!(conn, c => li::table
        .filter(li::reply_ap_id.eq(reply_ap_id))
        .select(Item::as_select())
        .first(c)
        .optional())?)
}

pub fn set_status(conn: &mut DbConn, id: i64, status: &str, by: i64) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(li::table.find(id))
        .set((
            li::status.eq(status),
            li::handled_by.eq(Some(by)),
            li::updated_at.eq(now_ms()),
        ))
        .execute(c))?;
    Ok(())
}

/// Staff replied from their account: the item is handled, with the reply's Note.
pub fn set_reply(conn: &mut DbConn, id: i64, by: i64, note: &str, md: &str) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(li::table.find(id))
        .set((
            li::status.eq(HANDLED),
            li::handled_by.eq(Some(by)),
            li::reply_ap_id.eq(Some(note)),
            li::reply_md.eq(Some(md)),
            li::updated_at.eq(now_ms()),
        ))
        .execute(c))?;
    Ok(())
}
