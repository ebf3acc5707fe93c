//! Instance-level set-up: the instance actor, and periodic housekeeping.

use crate::config::Settings;
use crate::db::models::{Actor, Site};
use crate::db::{now_ms, queries, Db};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use std::time::Duration;

/// Builds a new local actor row with a fresh key pair. `path` is `u/NAME`, `g/NAME` or
/// `actor`.
pub fn new_local_actor(base: &str, kind: &str, name: &str, path: &str) -> AppResult<Actor> {
    let (private_pem, public_pem) = crate::federation::signing::generate_keypair()?;
    let ap_id = format!("{base}/{path}");
    let now = now_ms();
    let domain = base.split("://").nth(1).unwrap_or(base).to_string();
    Ok(Actor {
        id: crate::db::ids::new_id(),
        public_key_id: format!("{ap_id}#main-key"),
        inbox: format!("{ap_id}/inbox"),
        shared_inbox: Some(format!("{base}/inbox")),
        outbox: Some(format!("{ap_id}/outbox")),
        followers_url: Some(format!("{ap_id}/followers")),
        url: Some(ap_id.clone()),
        ap_id,
        kind: kind.into(),
        name: name.into(),
        domain,
        local: true,
        display_name: None,
        summary: None,
        icon: None,
        public_key_pem: public_pem,
        private_key_pem: Some(private_pem),
        manually_approves: false,
        deleted: false,
        raw: None,
        fetched_at: None,
        created_at: now,
        updated_at: now,
    })
}

/// Loads the instance actor, creating it (and the site row) on first start.
pub async fn ensure_instance_actor(db: &Db, settings: &Settings, base: &str) -> AppResult<Actor> {
    let existing = db
        .run(|c| {
            Ok(match queries::site::load(c)? {
                Some(s) => queries::actors::by_id(c, s.instance_actor_id)?,
                None => None,
            })
        })
        .await?;
    if let Some(actor) = existing {
        if actor.ap_id.starts_with(base) {
            return Ok(actor);
        }
        return Err(AppError::Internal(format!(
            "this database belongs to {} but the configured domain is {base}; \
             a domain cannot change once federated",
            actor.ap_id
        )));
    }
    let mut actor = new_local_actor(base, "Application", &settings.domain, "actor")?;
    actor.inbox = format!("{base}/inbox");
    actor.outbox = None;
    actor.followers_url = None;
    actor.display_name = Some(settings.site_name.clone());
    let site_name = settings.site_name.clone();
    let row = actor.clone();
    db.run(move |c| {
        c.transaction(|c| {
            queries::actors::insert(c, &row)?;
            queries::site::insert(
                c,
                &Site {
                    id: 1,
                    instance_actor_id: row.id,
                    name: site_name,
                    description: String::new(),
                    created_at: now_ms(),
                },
            )
        })
    })
    .await?;
    Ok(actor)
}

/// Periodic clean-up: forgets received activity ids after 14 days (signatures older
/// than an hour are refused, so older replays cannot pass anyway).
pub async fn housekeeping(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        let before = now_ms() - queries::activities::RECEIVED_IDS_KEPT_MS;
        if let Err(e) = state
            .db
            .run(move |c| queries::activities::prune_received(c, before))
            .await
        {
            tracing::warn!("housekeeping failed: {e}");
        }
        if let Err(e) = crate::federation::staff::recheck(&state).await {
            tracing::warn!("re-checking staff claims failed: {e}");
        }
    }
}
