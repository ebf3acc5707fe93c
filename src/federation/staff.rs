//! Verified staff. A local admin declares organisations and marks accounts as their
//! staff; a staff actor's document says so twice: a `PropertyValue` attachment that
//! Mastodon shows, and `peerdesk:staffOf` for servers that understand it.
//!
//! A claim cannot be forged by a remote server: the organisation's own domain publishes
//! the list of its staff actors at `/.well-known/peerdesk-staff`, and a remote actor's
//! claim is verified only if that list (fetched from the claimed domain) names the actor.
//! Claims are checked when an actor is fetched and re-checked daily.

use super::Ctx;
use crate::app::AppState;
use crate::db::models::{Actor, StaffClaim};
use crate::db::{now_ms, queries};
use crate::error::AppResult;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};
use std::time::Duration;

pub const WELL_KNOWN: &str = "/.well-known/peerdesk-staff";

/// Adds the staff claim of a local actor to its document.
pub async fn add_to_actor_json(
    data: &Ctx,
    actor: &Actor,
    doc: &mut Map<String, Value>,
) -> AppResult<()> {
    let id = actor.id;
    let Some(org) = data
        .db
        .run(move |c| queries::staff::org_of_actor(c, id))
        .await?
    else {
        return Ok(());
    };
    let link = format!("{}://{}", data.settings.scheme(), org.domain);
    doc.insert(
        "attachment".into(),
        json!([{
            "type": "PropertyValue",
            "name": "Staff",
            "value": format!("<a href=\"{link}\" rel=\"me nofollow noopener noreferrer\" target=\"_blank\">{}</a>", crate::domain::text::escape(&org.name)),
        }]),
    );
    doc.insert(
        "staffOf".into(),
        json!({"type": "Organization", "name": org.name, "url": link, "domain": org.domain}),
    );
    Ok(())
}

/// `GET /.well-known/peerdesk-staff`: the staff of the organisations whose domain is this
/// instance's domain. An organisation whose site is elsewhere publishes the same document
/// (for example by proxying `/api/v1/organisations/{id}/staff`) at its own domain.
pub async fn well_known(data: Ctx) -> AppResult<Response> {
    let domain = data.domain().to_string();
    let staff = data
        .db
        .run(move |c| queries::staff::staff_of_domain(c, &domain))
        .await?;
    Ok(axum::Json(json!({
        "domain": data.domain(),
        "staff": staff.iter().map(|(id, org)| json!({"id": id, "organization": org})).collect::<Vec<_>>(),
    }))
    .into_response())
}

/// The claim in a remote actor's document, if any: (organisation name, domain).
pub fn claim_in(extra: &Map<String, Value>) -> Option<(String, String)> {
    let s = extra.get("staffOf")?;
    let name = s
        .get("name")
        .and_then(Value::as_str)?
        .chars()
        .take(100)
        .collect();
    let domain = s
        .get("domain")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| {
            s.get("url")
                .and_then(Value::as_str)
                .and_then(super::objects::domain_of)
        })?
        .to_lowercase();
    Some((name, domain))
}

/// Records a remote actor's claim (unverified until checked) and checks it in the
/// background; removes the record when the actor no longer claims anything.
pub async fn on_actor_fetched(
    state: &AppState,
    actor: &Actor,
    claim: Option<(String, String)>,
) -> AppResult<()> {
    let id = actor.id;
    let Some((name, domain)) = claim else {
        return state
            .db
            .run(move |c| queries::staff::delete_claim(c, id))
            .await;
    };
    let existing = state.db.run(move |c| queries::staff::claim(c, id)).await?;
    if let Some(e) = &existing {
        if e.org_name == name
            && e.org_domain == domain
            && now_ms() - e.checked_at < 24 * 3600 * 1000
        {
            return Ok(());
        }
    }
    let pending = StaffClaim {
        actor_id: id,
        org_name: name,
        org_domain: domain,
        verified: false,
        reason: "not checked yet".into(),
        checked_at: now_ms(),
    };
    let p = pending.clone();
    state
        .db
        .run(move |c| queries::staff::upsert_claim(c, &p))
        .await?;
    let (state, ap_id) = (state.clone(), actor.ap_id.clone());
    tokio::spawn(async move {
        if let Err(e) = verify(&state, pending, &ap_id).await {
            tracing::warn!(actor = %ap_id, "staff claim check failed: {e}");
        }
    });
    Ok(())
}

/// Fetches the claimed organisation's staff list and records the outcome.
pub async fn verify(state: &AppState, mut claim: StaffClaim, ap_id: &str) -> AppResult<bool> {
    let url = format!(
        "{}://{}{WELL_KNOWN}",
        state.settings.scheme(),
        claim.org_domain
    );
    let outcome = async {
        let resp = state
            .http
            .get(&url)
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .map_err(|e| format!("{url} is not reachable: {e}"))?;
        if !resp.status().is_success() {
            return Err(format!("{url} answered {}", resp.status()));
        }
        let doc: Value = resp
            .json()
            .await
            .map_err(|e| format!("{url} is not a staff list: {e}"))?;
        let listed = doc["staff"]
            .as_array()
            .is_some_and(|s| s.iter().any(|e| e["id"] == ap_id || e == ap_id));
        if listed {
            Ok(())
        } else {
            Err(format!(
                "{} does not list this account as its staff",
                claim.org_domain
            ))
        }
    }
    .await;
    claim.verified = outcome.is_ok();
    claim.reason = outcome.err().unwrap_or_else(|| format!("listed at {url}"));
    claim.checked_at = now_ms();
    let verified = claim.verified;
    state
        .db
        .run(move |c| queries::staff::upsert_claim(c, &claim))
        .await?;
    Ok(verified)
}

/// Re-checks claims older than a day (run by housekeeping).
pub async fn recheck(state: &AppState) -> AppResult<usize> {
    let before = now_ms() - 24 * 3600 * 1000;
    let stale = state
        .db
        .run(move |c| queries::staff::stale_claims(c, before))
        .await?;
    let n = stale.len();
    for (claim, ap_id) in stale {
        verify(state, claim, &ap_id).await?;
    }
    Ok(n)
}
