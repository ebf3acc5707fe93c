//! What the admin console's People tests share: the API calls that show an account's
//! state, and the instance's moderation log.
#![allow(dead_code)]

use super::Peer;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// The password of the harness's users.
pub const PASSWORD: &str = "correct horse battery";

/// The instance's public moderation log has `action` about `target` for `reason`.
pub async fn logged(peer: &Peer, action: &str, target: &str, reason: &str) -> bool {
    let (_, log) = peer.api(Method::GET, None, "/modlog", None).await;
    log.as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == action && e["target"]["name"] == target && e["reason"] == reason)
}

/// `GET /users/{name}`.
pub async fn profile(peer: &Peer, name: &str) -> (StatusCode, Value) {
    peer.api(Method::GET, None, &format!("/users/{name}"), None)
        .await
}

/// Signs in through the API with the harness's password.
pub async fn sign_in(peer: &Peer, name: &str) -> (StatusCode, Value) {
    let body = json!({"username": name, "password": PASSWORD});
    peer.api(Method::POST, None, "/sessions", Some(body)).await
}

/// Asks a question in `group` as the user of `token`; returns it.
pub async fn ask(peer: &Peer, token: &str, group: &str, title: &str) -> Value {
    let body = json!({"group": group, "title": title, "body": "It jams.", "tags": []});
    let (s, q) = peer
        .api(Method::POST, Some(token), "/questions", Some(body))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    q
}

/// Whether the post `ap_id` is stored on `peer` and deleted (a tombstone).
pub async fn post_deleted(peer: &Peer, ap_id: &str) -> bool {
    post_state(peer, ap_id).await.0
}

/// (deleted, removed) of the post `ap_id` on `peer`; (false, false) when unknown.
pub async fn post_state(peer: &Peer, ap_id: &str) -> (bool, bool) {
    let ap = ap_id.to_string();
    peer.query(move |c| peerdesk::db::queries::posts::by_ap_id(c, &ap))
        .await
        .map_or((false, false), |p| (p.deleted, p.removed))
}
