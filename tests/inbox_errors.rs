//! The inbox answers a sender's mistakes and dead references with a 4xx or `202`, so that
//! the sender does not retry for days, and only failures that may pass (a remote server
//! that does not answer) with a 5xx. Real senders (signed by a scripted remote actor)
//! post to a real instance; the documents they refer to are served by real local HTTP
//! servers.

mod common;
use common::remote::FakeRemote;
use common::scripted::{refused_url, Scripted};
use common::*;
use peerdesk::federation::signing::{generate_keypair, signed_post_headers};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::Duration;

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// A `Create{Note}` by `bob` on the remote, replying to `parent`.
fn reply_to(remote: &FakeRemote, n: u32, parent: &str, group: &str) -> Value {
    let bob = format!("{}/users/bob", remote.base);
    let note = format!("{}/notes/{n}-{}", remote.base, rand::random::<u32>());
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{note}/create"),
        "type": "Create",
        "actor": bob,
        "to": [PUBLIC],
        "cc": [group],
        "object": {
            "id": note,
            "type": "Note",
            "attributedTo": bob,
            "inReplyTo": parent,
            "content": "<p>Same problem here.</p>",
            "to": [PUBLIC],
            "cc": [group],
        },
    })
}

async fn stored_posts(peer: &Peer) -> i64 {
    peer.query(|c| {
        use diesel::prelude::*;
        use peerdesk::db::schema::posts as p;
        Ok(peerdesk::with_conn!(c, c => p::table.count().get_result::<i64>(c))?)
    })
    .await
}

async fn replies_whose_parent_is_gone_or_unreachable(backend: Backend) {
    // A short request timeout, so that the server that does not answer is quick to test.
    let a = Peer::start_custom(backend, |s| s.http_timeout_ms = 700).await;
    let group = a.group("acme").await;
    let remote = FakeRemote::start().await;
    let docs = Scripted::start().await;
    let inbox = a.url("/inbox");

    // Gone for good: accepted (202) and ignored, so that the sender does not retry.
    let not_found = docs.reply("/notes/missing", 404, "text/html", "<h1>Not Found</h1>");
    let json_404 = docs.reply(
        "/notes/missing-json",
        404,
        "application/activity+json",
        r#"{"error":"Record not found"}"#,
    );
    let gone = docs.reply("/notes/deleted", 410, "application/activity+json", "{}");
    for (n, parent) in [(1, &not_found), (2, &json_404), (3, &gone)] {
        let (s, v) = remote
            .deliver(&a.http, &inbox, &reply_to(&remote, n, parent, &group.ap_id))
            .await;
        assert_eq!(s, StatusCode::ACCEPTED, "parent {parent}: {v}");
    }
    assert_eq!(stored_posts(&a).await, 0);

    // Transient: the parent's server fails, does not answer in time, or refuses the
    // connection. The sender must retry: 5xx.
    let failing = docs.reply("/notes/busy", 503, "text/html", "<h1>Maintenance</h1>");
    let slow = docs.reply_after(
        "/notes/slow",
        200,
        "application/activity+json",
        "{}",
        Duration::from_secs(3),
    );
    let refused = refused_url("/notes/1").await;
    for (n, parent) in [(4, &failing), (5, &slow), (6, &refused)] {
        let (s, v) = remote
            .deliver(&a.http, &inbox, &reply_to(&remote, n, parent, &group.ap_id))
            .await;
        assert!(s.is_server_error(), "parent {parent}: {s} {v}");
        assert!(v["error"].is_string() && v["message"].is_string(), "{v}");
    }
    assert_eq!(stored_posts(&a).await, 0);
}

/// Posts `activity` signed by its `actor`, a URL on a scripted server (any key will do:
/// the actor's document is what is tested).
async fn deliver_as(peer: &Peer, activity: &Value) -> (StatusCode, Value) {
    let (private_pem, _) = generate_keypair().unwrap();
    let actor = activity["actor"].as_str().unwrap();
    let body = serde_json::to_vec(activity).unwrap();
    let url = url::Url::parse(&peer.url("/inbox")).unwrap();
    let headers = signed_post_headers(
        &url,
        &body,
        &format!("{actor}#main-key"),
        &private_pem,
        None,
    )
    .unwrap();
    let resp = peer
        .http
        .post(url)
        .headers(headers)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn actors_that_are_gone(backend: Backend) {
    let a = Peer::start(backend).await;
    let group = a.group("acme").await;
    let docs = Scripted::start().await;
    let gone = docs.reply("/users/gone", 410, "application/activity+json", "{}");
    let missing = docs.reply("/users/missing", 404, "text/plain", "no such user");
    for actor in [&gone, &missing] {
        let follow = json!({
            "id": format!("{actor}/follows/1"),
            "type": "Follow",
            "actor": actor,
            "object": group.ap_id,
        });
        let (s, v) = deliver_as(&a, &follow).await;
        assert_eq!(s, StatusCode::ACCEPTED, "actor {actor}: {v}");
    }
    assert_eq!(a.get_ap("/g/acme/followers").await.1["totalItems"], 0);

    // An actor whose server refuses connections may come back: 5xx.
    let down = refused_url("/users/down").await;
    let follow = json!({
        "id": format!("{down}/follows/1"),
        "type": "Follow",
        "actor": down,
        "object": group.ap_id,
    });
    let (s, v) = deliver_as(&a, &follow).await;
    assert!(s.is_server_error(), "{s} {v}");
}

async fn object_as_an_array_is_malformed(backend: Backend) {
    let a = Peer::start(backend).await;
    let group = a.group("acme").await;
    let remote = FakeRemote::start().await;
    let inbox = a.url("/inbox");
    let bob = format!("{}/users/bob", remote.base);
    let note = |n: u32| {
        json!({
            "id": format!("{}/notes/array-{n}", remote.base),
            "type": "Page",
            "name": format!("Question {n}"),
            "attributedTo": bob,
            "audience": group.ap_id,
            "content": "<p>Two at once?</p>",
            "to": [PUBLIC, group.ap_id],
        })
    };
    let create = json!({
        "id": format!("{}/activities/array-create", remote.base),
        "type": "Create",
        "actor": bob,
        "to": [PUBLIC, group.ap_id],
        "object": [note(1), note(2)],
    });
    let like = json!({
        "id": format!("{}/activities/array-like", remote.base),
        "type": "Like",
        "actor": bob,
        "object": [format!("{}/q/1", a.base), format!("{}/q/2", a.base)],
    });
    for activity in [&create, &like] {
        let (s, v) = remote.deliver(&a.http, &inbox, activity).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{}: {v}", activity["type"]);
        assert_eq!(v["error"], "bad_request", "{v}");
    }
    assert_eq!(stored_posts(&a).await, 0);
}

both_backends!(
    replies_whose_parent_is_gone_or_unreachable,
    actors_that_are_gone,
    object_as_an_array_is_malformed,
);
