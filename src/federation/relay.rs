//! A group hosted here announces (FEP-1b12) to its followers what it receives directly:
//! the one rule of both receive paths (the batched inbox and the one-by-one path).
//!
//! The announcements are queued in the transaction that stores the activity's effect
//! ([`commit`]): an activity is announced if and only if its effect is stored. A process
//! that dies in between leaves neither, and the activity, kept in the inbound queue, is
//! processed again; an activity whose effect was stored already changes nothing and is
//! not announced twice.

use super::activities::sent::to_json;
use super::{outbox, policy, qa};
use crate::actions::Outbox;
use crate::db::models::{Activity, Actor, Post};
use crate::db::{queries, DbConn};
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use serde_json::Value;

/// Who sent an activity: its actor, and the group that announced it, if any.
pub struct Origin<'a> {
    pub actor: &'a Actor,
    pub via: Option<&'a Actor>,
}

/// Remote inboxes with their domains.
pub type Targets = Vec<(String, String)>;

/// Activities to store with the inboxes each is delivered to.
pub type Rows = Vec<(Activity, Targets)>;

/// The announcements by the local `group` of `activity` that an actor on `sender_domain`
/// sent it, for its remote `followers` (already without refused instances). The sender's
/// server is skipped: it has the activity. The FEP-1b12 `Announce` is also the group's
/// outbox and is always stored; the `Announce` of the bare object (for microblogs, see
/// [`qa::announcements`]) only when someone is to receive it.
pub fn announcements(
    base: &str,
    group: &Actor,
    activity: &Value,
    sender_domain: &str,
    followers: &[(String, String)],
) -> AppResult<Rows> {
    let to: Targets = followers
        .iter()
        .filter(|(_, d)| d != sender_domain)
        .cloned()
        .collect();
    let mut rows = Vec::new();
    for (row, announce, public) in qa::announcements(base, group, activity) {
        if public || !to.is_empty() {
            let body = to_json(&announce)?;
            rows.push((outbox::activity_row(row, group, &body, public)?, to.clone()));
        }
    }
    Ok(rows)
}

/// Whether `group` announces what `sender` sent it: it is hosted here and the sender's
/// server is not silenced.
pub async fn announces(data: &Ctx, group: &Actor, sender: &Actor) -> AppResult<bool> {
    Ok(group.local && !policy::silenced(data, &sender.domain).await?)
}

/// The announcements to queue when `origin` sent `activity` about something in `group`:
/// none when a group announced it to us (it is that group's to announce) or when
/// `group` does not announce it.
pub async fn plan(
    data: &Ctx,
    origin: &Origin<'_>,
    group: &Actor,
    activity: &Value,
) -> AppResult<Rows> {
    if origin.via.is_some() || !announces(data, group, origin.actor).await? {
        return Ok(Vec::new());
    }
    to_followers(data, origin, group, activity).await
}

/// [`plan`] for a moderator's action that the group trusts: announced whatever the
/// moderator's server (a silenced server's moderators still moderate).
pub async fn plan_moderation(
    data: &Ctx,
    origin: &Origin<'_>,
    group: &Actor,
    activity: &Value,
) -> AppResult<Rows> {
    if origin.via.is_some() || !group.local {
        return Ok(Vec::new());
    }
    to_followers(data, origin, group, activity).await
}

async fn to_followers(
    data: &Ctx,
    origin: &Origin<'_>,
    group: &Actor,
    activity: &Value,
) -> AppResult<Rows> {
    let gid = group.id;
    let inboxes = data
        .db
        .run(move |c| queries::follows::follower_inboxes(c, gid))
        .await?;
    let followers = outbox::targets(data, inboxes).await?;
    announcements(
        &data.base,
        group,
        activity,
        &origin.actor.domain,
        &followers,
    )
}

/// [`plan`] for an activity about `post`, in the post's group.
pub async fn plan_for(
    data: &Ctx,
    origin: &Origin<'_>,
    post: &Post,
    activity: &Value,
) -> AppResult<Rows> {
    if origin.via.is_some() {
        return Ok(Vec::new());
    }
    let group = qa::group_of(data, post).await?;
    plan(data, origin, &group, activity).await
}

/// Queues `rows` on an open transaction.
pub fn queue(c: &mut DbConn, outbox: &dyn Outbox, rows: &Rows) -> AppResult<usize> {
    if rows.is_empty() {
        return Ok(0);
    }
    outbox.fault()?;
    let items: Vec<(&Activity, &[(String, String)])> =
        rows.iter().map(|(a, t)| (a, t.as_slice())).collect();
    queries::deliveries::enqueue_many(c, &items)
}

/// Applies `change` and, when it reports a change, queues `rows` in the same transaction.
pub async fn commit<T, F>(data: &Ctx, rows: Rows, change: F) -> AppResult<T>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConn) -> AppResult<(T, bool)> + Send + 'static,
{
    let outbox = data.outbox.clone();
    let (out, queued) = data
        .db
        .run(move |c| {
            c.transaction(|c| {
                let (out, changed) = change(c)?;
                let queued = if changed {
                    queue(c, outbox.as_ref(), &rows)?
                } else {
                    0
                };
                Ok::<_, AppError>((out, queued))
            })
        })
        .await?;
    if queued > 0 {
        data.delivery_notify.notify_one();
    }
    Ok(out)
}
