//! Resolving handles to actors, local or remote, and backfilling a group just followed
//! (the follow itself is [`crate::actions::follows`]).

use super::objects::FedActor;
use crate::db::models::Actor;
use crate::db::queries;
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::fetch::webfinger::webfinger_resolve_actor;

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
        .ok_or_else(|| AppError::Invalid("a handle looks like name@host".into()))?;
    if name.is_empty() || host.is_empty() {
        return Err(AppError::Invalid("a handle looks like name@host".into()));
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

/// Brings in the recent questions of a remote `group` just followed, in the background.
pub fn start_backfill(data: &Ctx, group: &Actor) {
    let (data, group) = (data.reset_request_count(), group.clone());
    tokio::spawn(async move {
        match super::backfill::group_outbox(&data, &group).await {
            Ok(n) => tracing::info!(group = %group.ap_id, n, "backfilled from the outbox"),
            Err(e) => tracing::info!(group = %group.ap_id, "outbox backfill failed: {e}"),
        }
    });
}

/// What an admin's relay URL names: a Mastodon-style relay's inbox (`…/inbox`), or a
/// LitePub relay's actor, looked up.
pub async fn relay_target(
    data: &Ctx,
    url: &str,
) -> AppResult<crate::actions::listening::RelayTarget> {
    use crate::actions::listening::{check_relay_url, is_inbox_url, RelayTarget};
    let url = check_relay_url(data, url)?;
    if is_inbox_url(&url) {
        return Ok(RelayTarget::Inbox(url));
    }
    let actor = resolve(data, &url).await.map_err(|e| match e {
        e if e.is_transient() => e,
        _ => AppError::Invalid(
            "no relay actor at this URL; give the relay's actor or its inbox (…/inbox)".into(),
        ),
    })?;
    Ok(RelayTarget::Actor(Box::new(actor)))
}
