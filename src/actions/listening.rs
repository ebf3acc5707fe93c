//! Listening: the relays the instance subscribes to (admins), the organisations' terms
//! (admins and the organisation's staff) and their listening queues: public posts from
//! elsewhere that named a term. From the queue staff dismiss an item, mark it handled,
//! reply to it publicly from their own account, or invite its author to ask in a group
//! by a private message. Nothing from the queue is ever posted into a group: only its
//! author can do that.

use super::commit;
use super::outbox::Outgoing;
use crate::db::ids::new_id;
use crate::db::models::{Actor, User};
use crate::db::now_ms;
use crate::db::queries;
use crate::db::queries::listening::{self as lq, Item, Relay, Term};
use crate::domain::cases::check_message;
use crate::domain::listening::{normalize_term, MAX_TERMS};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The Public collection, which a Mastodon-style relay subscription follows.
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// What an admin subscribes to.
pub enum RelayTarget {
    /// A Mastodon-style relay's inbox (`…/inbox`): a `Follow` of Public goes there.
    Inbox(String),
    /// A LitePub relay's actor (looked up by the caller): a `Follow` of the actor.
    Actor(Box<Actor>),
}

/// Whether `url` names a relay's inbox rather than its actor.
pub fn is_inbox_url(url: &str) -> bool {
    url.trim_end_matches('/').ends_with("/inbox")
}

/// A relay URL as given: http(s), allowed by the outgoing-URL policy.
pub fn check_relay_url(state: &AppState, url: &str) -> AppResult<String> {
    let url = url.trim();
    if url.len() > 2000 {
        return Err(AppError::Invalid(
            "a relay URL has at most 2000 bytes".into(),
        ));
    }
    state
        .net
        .check_str(url)
        .map_err(|why| AppError::Invalid(format!("this relay URL cannot be used: {why}")))?;
    Ok(url.to_string())
}

/// The relays and their states (admins).
pub async fn relays(state: &AppState, admin: &User) -> AppResult<Vec<Relay>> {
    super::rules::require_admin(admin)?;
    state.db.run(lq::relays).await
}

/// Subscribes the instance to a relay (admins): the instance actor's `Follow` is queued
/// with the subscription, pending until the relay answers.
pub async fn add_relay(
    state: &AppState,
    admin: &User,
    url: &str,
    target: RelayTarget,
) -> AppResult<Relay> {
    super::rules::require_admin(admin)?;
    let url = check_relay_url(state, url)?;
    let (inbox, object, actor, style) = match target {
        RelayTarget::Inbox(inbox) => (inbox, PUBLIC.to_string(), None, "mastodon"),
        RelayTarget::Actor(a) => {
            if a.local {
                return Err(AppError::Invalid("a relay is on another server".into()));
            }
            (a.inbox.clone(), a.ap_id.clone(), Some(a.ap_id), "litepub")
        }
    };
    let instance = state.instance_actor.clone();
    commit(state, move |c, outbox| {
        if lq::relay_by_url(c, &url)?.is_some() {
            return Err(AppError::Conflict(
                "this relay is subscribed already".into(),
            ));
        }
        let event = Outgoing::RelayFollow {
            inbox: inbox.clone(),
            object,
        };
        let follow_ap_id = outbox.record(c, &instance, event)?;
        let now = now_ms();
        let relay = Relay {
            id: new_id(),
            url,
            inbox,
            actor_ap_id: actor,
            style: style.into(),
            follow_ap_id,
            state: lq::PENDING.into(),
            created_at: now,
            updated_at: now,
        };
        lq::insert_relay(c, &relay)?;
        Ok(relay)
    })
    .await
}

/// Ends a relay subscription (admins): `Undo` of the `Follow`, and the row goes.
pub async fn remove_relay(state: &AppState, admin: &User, id: i64) -> AppResult<()> {
    super::rules::require_admin(admin)?;
    let instance = state.instance_actor.clone();
    commit(state, move |c, outbox| {
        let relay = lq::relay(c, id)?.ok_or_else(|| AppError::NotFound("no such relay".into()))?;
        let object = match relay.style.as_str() {
            "litepub" => relay.actor_ap_id.clone().unwrap_or_default(),
            _ => PUBLIC.to_string(),
        };
        let event = Outgoing::RelayUnfollow {
            inbox: relay.inbox.clone(),
            object,
            follow_ap_id: relay.follow_ap_id.clone(),
        };
        outbox.record(c, &instance, event)?;
        lq::delete_relay(c, id)?;
        Ok(())
    })
    .await
}

/// Whether `user` may manage the listening of `org`: admins and the organisation's staff.
pub fn may_listen(user: &User, org: i64) -> bool {
    user.is_admin || user.organisation_id == Some(org)
}

/// Checks that `org` exists and that `user` may manage its listening.
async fn check_org(state: &AppState, user: &User, org: i64) -> AppResult<()> {
    if !may_listen(user, org) {
        return Err(AppError::Forbidden(
            "only admins and the organisation's staff manage its listening".into(),
        ));
    }
    state
        .db
        .run(move |c| queries::staff::org(c, org))
        .await?
        .ok_or_else(|| AppError::NotFound("no such organisation".into()))?;
    Ok(())
}

pub async fn terms(state: &AppState, user: &User, org: i64) -> AppResult<Vec<Term>> {
    check_org(state, user, org).await?;
    state.db.run(move |c| lq::terms_of(c, org)).await
}

/// Adds a term (`#tag` or words); adding one the organisation has is a no-op.
pub async fn add_term(state: &AppState, user: &User, org: i64, term: &str) -> AppResult<Term> {
    check_org(state, user, org).await?;
    let term = normalize_term(term).map_err(AppError::Invalid)?;
    state
        .db
        .run(move |c| {
            c.transaction(|c| {
                if let Some(t) = lq::terms_of(c, org)?.into_iter().find(|t| t.term == term) {
                    return Ok(t);
                }
                if lq::count_terms(c, org)? >= MAX_TERMS {
                    return Err(AppError::Invalid(format!(
                        "an organisation has at most {MAX_TERMS} listening terms"
                    )));
                }
                let t = Term {
                    id: new_id(),
                    organisation_id: org,
                    term,
                    created_at: now_ms(),
                };
                lq::add_term(c, &t)?;
                Ok(t)
            })
        })
        .await
}

pub async fn remove_term(state: &AppState, user: &User, org: i64, id: i64) -> AppResult<()> {
    check_org(state, user, org).await?;
    let gone = state.db.run(move |c| lq::delete_term(c, org, id)).await?;
    if !gone {
        return Err(AppError::NotFound("no such term".into()));
    }
    Ok(())
}

/// The queue's items in `status` (`new`, `handled` or `dismissed`), latest first.
pub async fn queue(state: &AppState, user: &User, org: i64, status: &str) -> AppResult<Vec<Item>> {
    check_org(state, user, org).await?;
    if ![lq::NEW, lq::HANDLED, lq::DISMISSED].contains(&status) {
        return Err(AppError::Invalid(
            "status is new, handled or dismissed".into(),
        ));
    }
    let status = status.to_string();
    state
        .db
        .run(move |c| lq::items_of(c, org, &status, 200))
        .await
}

async fn item(state: &AppState, user: &User, org: i64, id: i64) -> AppResult<Item> {
    check_org(state, user, org).await?;
    state
        .db
        .run(move |c| lq::item(c, org, id))
        .await?
        .ok_or_else(|| AppError::NotFound("no such listening item".into()))
}

/// Dismisses an item or marks it handled (`status`), or puts it back (`new`).
pub async fn set_status(
    state: &AppState,
    user: &User,
    org: i64,
    id: i64,
    status: &str,
) -> AppResult<Item> {
    let it = item(state, user, org, id).await?;
    if ![lq::NEW, lq::HANDLED, lq::DISMISSED].contains(&status) {
        return Err(AppError::Invalid(
            "status is new, handled or dismissed".into(),
        ));
    }
    let (status, by) = (status.to_string(), user.actor_id);
    state
        .db
        .run(move |c| {
            lq::set_status(c, it.id, &status, by)?;
            lq::item(c, org, it.id)?.ok_or_else(|| AppError::NotFound("gone".into()))
        })
        .await
}

/// The author of an item, as stored when the item was collected.
async fn author_of(state: &AppState, it: &Item) -> AppResult<Actor> {
    let url = it.author_ap_id.clone();
    state
        .db
        .run(move |c| queries::actors::by_ap_id(c, &url))
        .await?
        .filter(|a| !a.local && !a.deleted)
        .ok_or_else(|| AppError::NotFound("the author cannot be reached".into()))
}

/// The id of the Note of a reply from the queue.
pub fn reply_note_id(base: &str, item: i64) -> String {
    format!("{base}/listening/notes/{item}")
}

/// Staff reply from their own account: a public reply to the original post, to its
/// author. The item is then handled.
pub async fn reply(
    state: &AppState,
    user: &User,
    actor: &Actor,
    org: i64,
    id: i64,
    body: &str,
) -> AppResult<Item> {
    let body = check_message(body)?;
    let it = item(state, user, org, id).await?;
    if it.reply_ap_id.is_some() {
        return Err(AppError::Conflict("this post was answered already".into()));
    }
    let author = author_of(state, &it).await?;
    let (actor, note_id) = (actor.clone(), reply_note_id(&state.base, it.id));
    commit(state, move |c, outbox| {
        let event = Outgoing::ListeningReply {
            author,
            in_reply_to: it.object_ap_id.clone(),
            note_id: note_id.clone(),
            body_md: body.clone(),
        };
        outbox.record(c, &actor, event)?;
        lq::set_reply(c, it.id, actor.id, &note_id, &body)?;
        lq::item(c, org, it.id)?.ok_or_else(|| AppError::NotFound("gone".into()))
    })
    .await
}

/// Invites the author to ask in the local group `group`: a private message from the
/// staff member with the group's ask link (their words are not copied anywhere). The
/// item is then handled.
pub async fn invite(
    state: &AppState,
    user: &User,
    actor: &Actor,
    org: i64,
    id: i64,
    group: &str,
    message: &str,
) -> AppResult<Item> {
    let it = item(state, user, org, id).await?;
    let name = group.to_string();
    let group = state
        .db
        .run(move |c| queries::actors::local_by_name(c, &name))
        .await?
        .filter(|g| g.is_group() && !g.deleted)
        .ok_or_else(|| AppError::NotFound("no such group".into()))?;
    let author = author_of(state, &it).await?;
    let link = format!("{}/g/{}/ask", state.base, group.name);
    let body = format!("{}\n\n{link}", message.trim());
    super::conversations::send(state, actor, &author, &body).await?;
    set_status(state, user, org, it.id, lq::HANDLED).await
}
