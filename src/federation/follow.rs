//! Resolving handles and following actors, local or remote.

use super::objects::FedActor;
use super::{outbox, Ctx};
use crate::db::models::Actor;
use crate::db::queries;
use crate::error::{AppError, AppResult};
use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::fetch::webfinger::webfinger_resolve_actor;
use serde_json::json;

/// Resolves `name@host` (optionally with a leading `@`) or an actor URL to a stored actor,
/// fetching it (WebFinger, then the actor document) when it is not known yet.
pub async fn resolve(data: &Ctx, handle: &str) -> AppResult<Actor> {
    let handle = handle.trim().trim_start_matches('@');
    if handle.starts_with("http://") || handle.starts_with("https://") {
        let url = url::Url::parse(handle)?;
        return Ok(ObjectId::<FedActor>::from(url).dereference(data).await?.row);
    }
    let (name, host) = handle
        .split_once('@')
        .ok_or_else(|| AppError::BadRequest("a handle looks like name@host".into()))?;
    if name.is_empty() || host.is_empty() {
        return Err(AppError::BadRequest("a handle looks like name@host".into()));
    }
    if host.eq_ignore_ascii_case(data.domain()) {
        let n = name.to_string();
        return data
            .db
            .run(move |c| queries::actors::local_by_name(c, &n))
            .await?
            .filter(|a| !a.deleted)
            .ok_or_else(|| AppError::NotFound(format!("no account or group named '{name}' here")));
    }
    let (n, h) = (name.to_string(), host.to_string());
    if let Some(known) = data
        .db
        .run(move |c| queries::actors::by_handle(c, &n, &h))
        .await?
    {
        // Refreshes stale copies as a side effect.
        let url = url::Url::parse(&known.ap_id)?;
        return Ok(ObjectId::<FedActor>::from(url).dereference(data).await?.row);
    }
    let actor: FedActor = webfinger_resolve_actor(handle, data).await?;
    Ok(actor.row)
}

/// [`resolve`] for API paths and filters, where a bare `name` means an actor here.
pub async fn resolve_name(data: &Ctx, name: &str) -> AppResult<Actor> {
    if name.contains('@') || name.starts_with("http://") || name.starts_with("https://") {
        resolve(data, name).await
    } else {
        resolve(data, &format!("{name}@{}", data.domain())).await
    }
}

/// `follower` (a local actor) follows `target`. Local targets are followed at once;
/// remote ones get a `Follow` and stay pending until their `Accept`.
/// Returns whether the follow is still pending.
pub async fn follow(data: &Ctx, follower: &Actor, target: &Actor) -> AppResult<bool> {
    if follower.id == target.id {
        return Err(AppError::BadRequest("you cannot follow yourself".into()));
    }
    if target.deleted {
        return Err(AppError::Gone("that actor was deleted".into()));
    }
    let (fid, tid) = (follower.id, target.id);
    if target.local {
        let banned = data
            .db
            .run(move |c| queries::groups::is_banned(c, tid, fid))
            .await?;
        if banned {
            return Err(AppError::Forbidden("you are banned from this group".into()));
        }
        data.db
            .run(move |c| queries::follows::upsert(c, fid, tid, false, None))
            .await?;
        return Ok(false);
    }
    let first_here = data
        .db
        .run(move |c| queries::follows::count_followers(c, tid))
        .await?
        == 0;
    let (row, activity) = outbox::follow(data, follower, target);
    let follow_id = activity["id"].as_str().map(str::to_string);
    data.db
        .run(move |c| queries::follows::upsert(c, fid, tid, true, follow_id.as_deref()))
        .await?;
    outbox::send(
        data,
        row,
        follower,
        activity,
        vec![target.inbox.clone()],
        false,
    )
    .await?;
    if first_here && target.is_group() {
        // Bring in the group's recent questions, in the background.
        let (data, group) = (data.reset_request_count(), target.clone());
        tokio::spawn(async move {
            match super::backfill::group_outbox(&data, &group).await {
                Ok(n) => tracing::info!(group = %group.ap_id, n, "backfilled from the outbox"),
                Err(e) => tracing::info!(group = %group.ap_id, "outbox backfill failed: {e}"),
            }
        });
    }
    Ok(true)
}

/// Ends a follow; remote targets get `Undo{Follow}`.
pub async fn unfollow(data: &Ctx, follower: &Actor, target: &Actor) -> AppResult<()> {
    let (fid, tid) = (follower.id, target.id);
    let existing = data
        .db
        .run(move |c| queries::follows::get(c, fid, tid))
        .await?
        .ok_or_else(|| AppError::NotFound("you do not follow that actor".into()))?;
    data.db
        .run(move |c| queries::follows::delete(c, fid, tid))
        .await?;
    if !target.local {
        let inner = json!({
            "id": existing.activity_ap_id,
            "type": "Follow",
            "actor": follower.ap_id,
            "object": target.ap_id,
        });
        let (row, undo) = outbox::undo(data, follower, inner, vec![json!(target.ap_id)]);
        outbox::send(data, row, follower, undo, vec![target.inbox.clone()], false).await?;
    }
    Ok(())
}
