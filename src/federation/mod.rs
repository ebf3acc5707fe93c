//! ActivityPub federation: actors and their JSON, the inbox, activity handlers, the
//! persistent delivery queue, WebFinger and NodeInfo.
//!
//! Built on activitypub_federation for fetching remote objects and WebFinger. Requests
//! are signed and signatures verified in [`signing`] (aws-lc-rs). A received activity
//! goes [`inbox`] (checks) → [`ingest`] (batched processing, or one by one through the
//! handlers in [`activities`]); with `--inbox-queue`, [`inbound`] stores it durably in
//! between. Both paths admit objects by the rules of [`incoming`] and queue the group's
//! announcements with what they announce ([`relay`]); [`wire`] reads JSON as servers
//! send it.
//! Local actions' activities are built by [`outgoing`] inside the action's transaction
//! (see [`crate::actions`]), a group's announcements by [`qa`], the answer to a follow by
//! [`outbox`], which queues them; [`delivery`] sends them. Every activity we send is a
//! typed serde struct in a submodule of [`activities`], one file per activity or family.

pub mod activities;
pub mod audience;
pub mod backfill;
pub mod delivery;
pub mod fetch_status;
pub mod follow;
pub mod inbound;
pub mod inbox;
pub mod incoming;
pub mod ingest;
pub mod interaction;
pub mod listening;
pub mod microblog;
pub mod netpolicy;
pub mod objects;
pub mod outbox;
pub mod outgoing;
pub mod policy;
pub mod post_json;
pub mod posts;
pub mod private;
pub mod qa;
pub mod relay;
pub mod routes;
pub mod signing;
pub mod staff;
pub mod thread_context;
pub mod timestamps;
pub mod webhooks;
pub mod wellknown;
pub mod wire;

use crate::state::AppState;
use activitypub_federation::config::FederationConfig;
use serde_json::{json, Value};
use std::time::Duration;

pub const AP_CONTENT_TYPE: &str = "application/activity+json";
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// The JSON-LD `@context` of everything we serve and send.
pub fn context() -> Value {
    json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        {
            "lemmy": "https://join-lemmy.org/ns#",
            "toot": "http://joinmastodon.org/ns#",
            "schema": "http://schema.org#",
            "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
            "sensitive": "as:sensitive",
            "moderators": {"@id": "lemmy:moderators", "@type": "@id"},
            "postingRestrictedToMods": "lemmy:postingRestrictedToMods",
            "featured": {"@id": "toot:featured", "@type": "@id"},
            "discoverable": "toot:discoverable",
            "PropertyValue": "schema:PropertyValue",
            "value": "schema:value",
            "peerdesk": "https://peerdesk.org/ns#",
            "staffOf": "peerdesk:staffOf",
            "ChooseAnswer": "peerdesk:ChooseAnswer",
            "acceptedAnswer": {"@id": "schema:acceptedAnswer", "@type": "@id"},
            "answerCount": "schema:answerCount",
            "answer": "peerdesk:isAcceptedAnswer",
            "commentsEnabled": "peerdesk:commentsEnabled",
            "upvotes": "peerdesk:upvotes",
            "downvotes": "peerdesk:downvotes",
            "rules": "peerdesk:rules",
            "ideaStatus": "peerdesk:ideaStatus",
            "ideaStatusExplanation": "peerdesk:ideaStatusExplanation",
            "duplicateOf": {"@id": "peerdesk:duplicateOf", "@type": "@id"},
            "supportNotes": {"@id": "peerdesk:supportNotes", "@container": "@list"},
            "organisation": "peerdesk:organisation"
        }
    ])
}

/// [`context`], serialised once.
static CONTEXT_JSON: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| context().to_string());

/// `value` serialised with the `@context` in front (replacing one it has): what
/// [`with_context`] gives, without building the context for every stored activity.
pub fn to_json_with_context(value: &Value) -> serde_json::Result<String> {
    match value {
        Value::Object(map) if !map.contains_key("@context") => {
            let body = serde_json::to_string(value)?;
            let context = CONTEXT_JSON.as_str();
            Ok(match map.is_empty() {
                true => format!("{{\"@context\":{context}}}"),
                false => format!("{{\"@context\":{context},{}", &body[1..]),
            })
        }
        _ => serde_json::to_string(&with_context(value.clone())),
    }
}

/// Adds the `@context` in front of an object.
pub fn with_context(mut value: Value) -> Value {
    if let Value::Object(map) = &mut value {
        let mut out = serde_json::Map::new();
        out.insert("@context".into(), context());
        for (k, v) in std::mem::take(map) {
            if k != "@context" {
                out.insert(k, v);
            }
        }
        return Value::Object(out);
    }
    value
}

/// The HTTP client for outgoing requests. Every redirect hop and every resolved address
/// passes the outgoing-URL policy ([`netpolicy`]).
pub fn http_client(settings: &crate::config::Settings) -> anyhow::Result<reqwest::Client> {
    let timeout = Duration::from_millis(settings.http_timeout_ms);
    let policy = netpolicy::NetPolicy::new(settings);
    let client = reqwest::Client::builder()
        .redirect(policy.redirect_policy())
        .dns_resolver(std::sync::Arc::new(netpolicy::PolicyResolver(policy)))
        .timeout(timeout)
        .connect_timeout(timeout)
        .user_agent(format!(
            "peerdesk/{} (+{})",
            env!("CARGO_PKG_VERSION"),
            settings.base_url()
        ))
        .pool_max_idle_per_host(32);
    Ok(client.build()?)
}

/// Builds the activitypub_federation config for a state.
pub async fn build_config(state: AppState) -> anyhow::Result<FederationConfig<AppState>> {
    let settings = state.settings.clone();
    let timeout = Duration::from_millis(settings.http_timeout_ms);
    let client = state.http.clone();
    let instance_actor = objects::FedActor::try_from(state.instance_actor.clone())?;
    let net = state.net.clone();
    let config = FederationConfig::builder()
        .domain(settings.domain.clone())
        .app_data(state)
        .client(fetch_status::client(client))
        // Test names stand in for DNS (see `netpolicy`): the library's own production
        // checks would resolve them, so they are left to our policy there.
        .debug(settings.insecure_federation || net.has_test_hosts())
        .allow_http_urls(settings.insecure_federation || net.has_test_hosts())
        .url_verifier(Box::new(netpolicy::PolicyVerifier(net)))
        .request_timeout(timeout)
        .http_fetch_limit(50)
        .signed_fetch_actor(&instance_actor)
        .build()
        .await?;
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialising_with_context_matches_adding_it() {
        for v in [
            json!({"id": "https://a.example/1", "type": "Announce", "object": {"x": [1, "é\""]}}),
            json!({}),
            json!({"@context": "https://www.w3.org/ns/activitystreams", "type": "Note"}),
        ] {
            let fast = to_json_with_context(&v).unwrap();
            let slow = serde_json::to_string(&with_context(v.clone())).unwrap();
            assert_eq!(fast, slow);
            let parsed: Value = serde_json::from_str(&fast).unwrap();
            assert_eq!(parsed["@context"], context());
        }
    }
}
