//! Product actions: the one home of everything a local user does (ask, answer, edit,
//! delete, vote, accept; remove, restore, lock, ban, set moderators, feature, report;
//! follow, unfollow; group settings and welcomes; organisations and staff; people:
//! roles, suspensions, deleted accounts, purges; the instance's settings, invitations
//! and groups).
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

pub mod articles;
pub mod blocks;
pub mod case_open;
pub mod cases;
pub mod conversations;
pub mod crm;
pub mod escalation;
pub mod follows;
pub mod groups;
pub mod ideas;
pub mod instance;
pub mod instances;
pub mod interests;
pub mod listening;
pub mod moderation;
pub mod outbox;
pub mod people;
pub mod personal_data;
pub mod private_groups;
pub mod qa;
pub mod roles;
pub mod rules;
pub mod satisfaction;
pub mod search_clicks;
pub mod staff;
pub mod staff_console;
pub mod webhooks;
pub mod widget;

pub use outbox::{ArticleChange, Outbox, Outgoing, ReportClosed, Reported};

use crate::db::models::Post;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

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
        .run(move |c| c.transaction(|c| f(c, &webhooks::Tap(outbox.as_ref()))))
        .await?;
    state.delivery_notify.notify_one();
    Ok(out)
}

/// The post `id`, which must exist.
pub(crate) fn post(c: &mut DbConn, id: i64) -> AppResult<Post> {
    crate::db::queries::posts::by_id(c, id)?
        .ok_or_else(|| AppError::NotFound("post not found".into()))
}
