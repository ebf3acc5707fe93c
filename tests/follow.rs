//! Following groups across real instances: Accept, Undo, Reject for banned actors,
//! collections and totals on both sides.

mod common;
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn following_state(peer: &Peer, token: &str) -> Vec<(String, bool)> {
    let (status, body) = peer
        .api(Method::GET, Some(token), "/me/following", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["target"]["handle"].as_str().unwrap().to_string(),
                f["pending"].as_bool().unwrap(),
            )
        })
        .collect()
}

async fn remote_follow_of_a_group(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    a.group("acme-printers").await;
    let (bob, bob_actor) = b.user("bob", false).await;
    let handle = format!("acme-printers@{}", a.domain);

    let (status, body) = b
        .api(
            Method::POST,
            Some(&bob),
            "/follows",
            Some(json!({"handle": handle})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["pending"], true);
    assert_eq!(body["target"]["kind"], "Group");

    // The Accept comes back and the follow is confirmed on B.
    assert!(
        eventually(15, || async {
            following_state(&b, &bob).await == vec![(handle.clone(), false)]
        })
        .await
    );

    // A lists bob among the group's followers, in the API and the AP collection.
    let (_, followers) = a
        .api(Method::GET, None, "/groups/acme-printers/followers", None)
        .await;
    assert_eq!(followers["total"], 1);
    assert_eq!(followers["items"][0]["id"], bob_actor.ap_id);
    let (status, coll) = a.get_ap("/g/acme-printers/followers").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(coll["type"], "OrderedCollection");
    assert_eq!(coll["totalItems"], 1);
    let (_, page) = a.get_ap("/g/acme-printers/followers?page=1").await;
    assert_eq!(page["orderedItems"], json!([bob_actor.ap_id]));
    // B serves bob's following collection with the right total.
    let (_, following) = b.get_ap("/u/bob/following").await;
    assert_eq!(following["totalItems"], 1);
    assert_eq!(a.sent_count("Accept").await, 1);

    // Undo: the follow disappears on both sides.
    let (status, _) = b
        .api(
            Method::DELETE,
            Some(&bob),
            &format!("/follows/{handle}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(following_state(&b, &bob).await.is_empty());
    assert!(
        eventually(15, || async {
            a.get_ap("/g/acme-printers/followers").await.1["totalItems"] == 0
        })
        .await,
        "Undo{{Follow}} did not reach the group"
    );
    let (_, following) = b.get_ap("/u/bob/following").await;
    assert_eq!(following["totalItems"], 0);
}

async fn banned_actor_is_rejected(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    a.group("acme").await;
    let (admin, _) = a.user("admin", true).await;
    let (bob, _) = b.user("bob", false).await;

    let (status, body) = a
        .api(
            Method::POST,
            Some(&admin),
            "/groups/acme/bans",
            Some(json!({"handle": format!("bob@{}", b.domain), "reason": "spam"})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");

    let (status, _) = b
        .api(
            Method::POST,
            Some(&bob),
            "/follows",
            Some(json!({"handle": format!("acme@{}", a.domain)})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // The Reject removes the pending follow on B.
    assert!(eventually(15, || async { following_state(&b, &bob).await.is_empty() }).await);
    assert_eq!(a.sent_count("Reject").await, 1);
    assert_eq!(a.sent_count("Accept").await, 0);
    assert_eq!(a.get_ap("/g/acme/followers").await.1["totalItems"], 0);

    // After the ban is lifted, following works.
    let (status, _) = a
        .api(
            Method::DELETE,
            Some(&admin),
            &format!("/groups/acme/bans/bob@{}", b.domain),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    b.api(
        Method::POST,
        Some(&bob),
        "/follows",
        Some(json!({"handle": format!("acme@{}", a.domain)})),
    )
    .await;
    assert!(
        eventually(15, || async {
            a.get_ap("/g/acme/followers").await.1["totalItems"] == 1
        })
        .await
    );
}

async fn local_follow_and_errors(backend: Backend) {
    let a = Peer::start(backend).await;
    a.group("help").await;
    let (alice, _) = a.user("alice", false).await;
    let (status, body) = a
        .api(
            Method::POST,
            Some(&alice),
            "/follows",
            Some(json!({"handle": format!("@help@{}", a.domain), "accept_guidelines": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["pending"], false);
    assert_eq!(a.get_ap("/g/help/followers").await.1["totalItems"], 1);

    let (status, body) = a
        .api(
            Method::POST,
            Some(&alice),
            "/follows",
            Some(json!({"handle": "not a handle"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "bad_request");
    let (status, _) = a
        .api(
            Method::POST,
            Some(&alice),
            "/follows",
            Some(json!({"handle": format!("nobody@{}", a.domain)})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // A server that is not there: a clear gateway error, nothing stored.
    let (status, body) = a
        .api(
            Method::POST,
            Some(&alice),
            "/follows",
            Some(json!({"handle": "x@localhost:1"})),
        )
        .await;
    assert!(
        status == StatusCode::BAD_GATEWAY || status == StatusCode::NOT_FOUND,
        "{status} {body}"
    );
    assert!(body["message"].is_string());
    let (status, _) = a
        .api(
            Method::POST,
            None,
            "/follows",
            Some(json!({"handle": "help"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

both_backends!(
    remote_follow_of_a_group,
    banned_actor_is_rejected,
    local_follow_and_errors
);
