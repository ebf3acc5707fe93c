//! Product actions: the one home of everything a local user does (ask, answer, edit,
//! delete, vote, accept; remove, restore, lock, ban, set moderators, feature, report;
//! follow, unfollow).
//!
//! Each action checks its rules ([`rules`], each written once) and, in ONE database
//! transaction, writes its state change and records what must be federated through the
//! [`Outbox`] seam (a transactional outbox): either both are committed or neither is, so
//! a crash cannot store an action without its activity and deliveries. The federation
//! layer implements [`Outbox`] (it turns an [`Outgoing`] event into activity JSON and
//! delivery rows on the same connection); this layer knows no HTTP or ActivityPub types.
//! The delivery worker is woken after the commit.
//!
//! Callers (the JSON API, pages, the inbox for the shared rules) use these functions and
//! never the federation layer's internals for a product action.

pub mod follows;
pub mod moderation;
pub mod qa;
pub mod rules;

use crate::db::models::{Actor, Post};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// What a local action must federate, in product terms.
#[derive(Clone, Debug)]
pub enum Outgoing {
    /// A new question, answer or comment.
    Create { post: Post, group: Actor },
    /// An edited post.
    Update { post: Post, group: Actor },
    /// The author deleted a post.
    Delete { post: Post, group: Actor },
    /// An up (`value > 0`) or down vote.
    Vote {
        post: Post,
        group: Actor,
        value: i32,
    },
    /// An earlier vote withdrawn.
    UndoVote {
        post: Post,
        group: Actor,
        /// The earlier vote's activity id and value.
        vote_ap_id: Option<String>,
        value: i32,
    },
    /// An accepted answer chosen.
    Accept {
        question: Post,
        answer: Post,
        group: Actor,
    },
    /// The accepted answer cleared (`previous` was accepted).
    UndoAccept {
        question: Post,
        previous: Post,
        group: Actor,
    },
    /// A moderator removed (or restored) a post.
    Remove {
        post: Post,
        group: Actor,
        reason: String,
        restore: bool,
    },
    /// A moderator locked (or unlocked) a question.
    Lock {
        question: Post,
        group: Actor,
        reason: String,
        locked: bool,
    },
    /// A moderator banned someone from a group (or lifted the ban).
    Ban {
        group: Actor,
        target: Actor,
        reason: String,
        expires_at: Option<i64>,
        remove_data: bool,
        lift: bool,
    },
    /// A moderator added (or removed) a moderator.
    Moderator {
        group: Actor,
        target: Actor,
        add: bool,
    },
    /// A moderator featured (or unfeatured) a question.
    Feature {
        question: Post,
        group: Actor,
        featured: bool,
    },
    /// A report, to the servers concerned.
    Report(Reported),
    /// A follow of a remote actor.
    Follow { target: Actor },
    /// A follow of a remote actor ended (`follow_ap_id` was its activity).
    Unfollow {
        target: Actor,
        follow_ap_id: Option<String>,
    },
}

/// A report to federate: about `post` (if any) by `author`, in `group` (if any); sent
/// as the instance when `anonymous`.
#[derive(Clone, Debug)]
pub struct Reported {
    pub post: Option<Post>,
    pub author: Actor,
    pub group: Option<Actor>,
    pub reason: String,
    pub anonymous: bool,
}

/// Records outgoing events on the connection of the action's open transaction: the
/// federation layer builds the activities and queues their deliveries there.
pub trait Outbox: Send + Sync {
    /// Records what `actor` did. Returns the id of the activity sent for it (the `Like`
    /// of a vote, the `Follow`, …), which the action may store.
    fn record(&self, c: &mut DbConn, actor: &Actor, event: Outgoing) -> AppResult<String>;
}

/// Runs `f` (the action's checks and writes) in one transaction with the outbox, then
/// wakes the delivery worker.
pub async fn commit<T, F>(state: &AppState, f: F) -> AppResult<T>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConn, &dyn Outbox) -> AppResult<T> + Send + 'static,
{
    let outbox = state.outbox.clone();
    let out = state
        .db
        .run(move |c| c.transaction(|c| f(c, outbox.as_ref())))
        .await?;
    state.delivery_notify.notify_one();
    Ok(out)
}

/// The post `id`, which must exist.
pub(crate) fn post(c: &mut DbConn, id: i64) -> AppResult<Post> {
    crate::db::queries::posts::by_id(c, id)?
        .ok_or_else(|| AppError::NotFound("post not found".into()))
}
