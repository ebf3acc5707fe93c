//! Verified staff. A local admin declares organisations and marks accounts as their
//! staff; a staff actor's document says so twice: a `PropertyValue` attachment that
//! Mastodon shows, and `peerdesk:staffOf` for servers that understand it.
//!
//! A claim cannot be forged by a remote server: the organisation's own domain publishes
//! the list of its staff actors at `/.well-known/peerdesk-staff`, and a remote actor's
//! claim is verified only if that list (fetched from the claimed domain) names the actor.
//! Claims are checked when an actor is fetched and re-checked daily.

use crate::db::models::{Actor, StaffClaim};
use crate::db::{now_ms, queries};
use crate::error::AppResult;
use crate::state::AppState;
use crate::state::Ctx;
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

/// The claim in a remote actor's document, if any: (organisation name, domain). A claim
/// whose domain is not a plain host name ([`staff_domain`]) is no claim.
pub fn claim_in(extra: &Map<String, Value>, allow_port: bool) -> Option<(String, String)> {
    let s = extra.get("staffOf")?;
    let name = s
        .get("name")
        .and_then(Value::as_str)?
        .chars()
        .take(100)
        .collect();
    let raw = s
        .get("domain")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| {
            s.get("url")
                .and_then(Value::as_str)
                .and_then(super::wire::domain_of)
        })?;
    let Some(domain) = staff_domain(&raw, allow_port) else {
        tracing::info!("ignoring a staff claim whose domain is not a host name");
        return None;
    };
    Some((name, domain))
}

/// A claimed organisation domain, if it is a plain DNS host name (lower-cased): no IP
/// literal, path, query, userinfo or port; a port only with `--insecure-federation`
/// (`allow_port`), where test peers live at `localhost:PORT`.
pub fn staff_domain(raw: &str, allow_port: bool) -> Option<String> {
    let raw = raw.to_ascii_lowercase();
    let (host, port) = match raw.rsplit_once(':') {
        Some((h, p)) if allow_port => (h, Some(p.parse::<u16>().ok().filter(|p| *p > 0)?)),
        Some(_) => return None,
        None => (raw.as_str(), None),
    };
    let host = host.strip_suffix('.').unwrap_or(host);
    let label_ok = |l: &str| {
        (1..=63).contains(&l.len())
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let labels: Vec<&str> = host.split('.').collect();
    let last = labels.last()?;
    if host.len() > 253
        || !labels.iter().all(|l| label_ok(l))
        || last.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    Some(match port {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    })
}

/// `scheme://domain/.well-known/peerdesk-staff`, built from a checked [`staff_domain`].
fn well_known_url(scheme: &str, domain: &str) -> Option<url::Url> {
    let (host, port) = match domain.rsplit_once(':') {
        Some((h, p)) => (h, Some(p.parse::<u16>().ok()?)),
        None => (domain, None),
    };
    let mut url = url::Url::parse(&format!("{scheme}://staff.invalid")).ok()?;
    url.set_host(Some(host)).ok()?;
    url.set_port(port).ok()?;
    url.set_path(WELL_KNOWN);
    Some(url)
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

/// The staff list that `domain` publishes at `/.well-known/peerdesk-staff`, as fetched
/// now: its URL and the actor ids it lists; or why it could not be read. The URL passes
/// the outgoing-URL policy first; a domain that is not a host name is not fetched. (The
/// claim checks use it, and the staff console shows staff what their domain publishes.)
pub async fn published_staff(
    state: &AppState,
    domain: &str,
) -> Result<(url::Url, Vec<String>), String> {
    let url = staff_domain(domain, state.net.insecure())
        .and_then(|d| well_known_url(state.settings.scheme(), &d))
        .ok_or("the domain is not a host name")?;
    state.net.check_url(&url).map_err(|r| r.to_string())?;
    let resp = state
        .http
        .get(url.clone())
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
    let ids = doc["staff"]
        .as_array()
        .map(|s| {
            s.iter()
                .filter_map(|e| e["id"].as_str().or_else(|| e.as_str()))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    Ok((url, ids))
}

/// Fetches the claimed organisation's staff list and records the outcome.
pub async fn verify(state: &AppState, mut claim: StaffClaim, ap_id: &str) -> AppResult<bool> {
    let outcome = match published_staff(state, &claim.org_domain).await {
        Ok((url, ids)) if ids.iter().any(|i| i == ap_id) => Ok(url),
        Ok(_) => Err(format!(
            "{} does not list this account as its staff",
            claim.org_domain
        )),
        Err(reason) => Err(reason),
    };
    claim.verified = outcome.is_ok();
    claim.reason = match outcome {
        Ok(url) => format!("listed at {url}"),
        Err(reason) => reason,
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_domains_are_host_names() {
        for (raw, want) in [
            ("example.com", Some("example.com")),
            ("Support.Example.COM", Some("support.example.com")),
            ("example.com.", Some("example.com")),
            ("xn--bcher-kva.example", Some("xn--bcher-kva.example")),
            ("127.0.0.1", None),
            ("127.0.0.1:8080/x?", None),
            ("example.com:8443", None),
            ("example.com/path", None),
            ("user@example.com", None),
            ("[::1]", None),
            ("-bad.example", None),
            ("", None),
            ("a..b", None),
            ("exa mple.com", None),
        ] {
            assert_eq!(staff_domain(raw, false).as_deref(), want, "{raw}");
        }
        assert_eq!(
            staff_domain("localhost:8080", true).as_deref(),
            Some("localhost:8080")
        );
        assert_eq!(staff_domain("localhost:8080/x", true), None);
        assert_eq!(staff_domain("127.0.0.1:8080", true), None);
    }

    #[test]
    fn well_known_url_is_built_not_pasted() {
        let u = well_known_url("https", "example.com").unwrap();
        assert_eq!(u.as_str(), "https://example.com/.well-known/peerdesk-staff");
        let u = well_known_url("http", "localhost:8080").unwrap();
        assert_eq!(
            u.as_str(),
            "http://localhost:8080/.well-known/peerdesk-staff"
        );
    }
}
