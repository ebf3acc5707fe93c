//! A person blocks someone: the blocked person here cannot write to them (nor they to
//! the blocked person until they unblock), a direct message from a blocked person on
//! another real peerdesk instance is dropped, nothing the blocked person does notifies
//! them, and the pages offer Block and Unblock with the list of blocked people.

mod common;
use common::forms::{cookie, csrf_field, page_at, post};
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn send(peer: &Peer, token: &str, to: &str, body: &str) -> (StatusCode, Value) {
    peer.api(
        Method::POST,
        Some(token),
        "/conversations",
        Some(json!({"to": to, "body": body})),
    )
    .await
}

/// The bodies of the messages of `token`'s conversations, oldest first per conversation.
async fn bodies(peer: &Peer, token: &str) -> Vec<String> {
    let (_, list) = peer
        .api(Method::GET, Some(token), "/conversations", None)
        .await;
    let mut out = Vec::new();
    for k in list.as_array().unwrap() {
        let id = k["id"].as_str().unwrap();
        let path = format!("/conversations/{id}");
        let (_, v) = peer.api(Method::GET, Some(token), &path, None).await;
        for m in v["messages"].as_array().unwrap() {
            out.push(m["body"].as_str().unwrap().to_string());
        }
    }
    out
}

/// Whether `token` has an answer notification by `handle`.
async fn answer_by(peer: &Peer, token: &str, handle: &str) -> bool {
    let (_, n) = peer
        .api(Method::GET, Some(token), "/notifications", None)
        .await;
    n["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["kind"] == "answer" && i["actor"]["handle"].as_str() == Some(handle))
}

async fn blocking(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    let (alice, _) = a.user("alice", false).await;
    let (bob, _) = a.user("bob", false).await;
    let (carol, _) = a.user("carol", false).await;
    let (dave, _) = a.user("dave", false).await;
    let (rita, _) = b.user("rita", false).await;
    a.group("help").await;

    // Refusals: nobody, oneself, a group.
    for (person, status) in [
        ("nobody", StatusCode::NOT_FOUND),
        ("alice", StatusCode::BAD_REQUEST),
        ("help", StatusCode::BAD_REQUEST),
    ] {
        let body = json!({"person": person});
        let (s, v) = a
            .api(Method::POST, Some(&alice), "/blocks", Some(body))
            .await;
        assert_eq!(s, status, "{person}: {v}");
    }

    // alice blocks bob: neither can write to the other; the list shows him.
    let (s, v) = send(&a, &bob, "alice", "Before the block").await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = a
        .api(
            Method::POST,
            Some(&alice),
            "/blocks",
            Some(json!({"person": "bob"})),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (s, v) = send(&a, &bob, "alice", "After the block").await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    assert_eq!(v["message"], "this person does not take messages from you");
    let conv = v.clone();
    let (s, v) = send(&a, &alice, "bob", "Hello bob").await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v} {conv}");
    let (_, list) = a.api(Method::GET, Some(&alice), "/blocks", None).await;
    assert_eq!(list, json!([{"handle": format!("bob@{}", a.domain)}]));
    assert_eq!(bodies(&a, &alice).await, ["Before the block"]);

    // Nothing bob does notifies alice; carol's answer, after his, does.
    let (s, q) = a
        .api(
            Method::POST,
            Some(&alice),
            "/questions",
            Some(
                json!({"group": "help", "title": "Printer shows E42", "body": "Since the update."}),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let answers = format!("/questions/{}/answers", q["id"].as_str().unwrap());
    for (token, body) in [(&bob, "Try a restart."), (&carol, "Install firmware 2.1.")] {
        let (s, v) = a
            .api(
                Method::POST,
                Some(token),
                &answers,
                Some(json!({"body": body})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let carol_h = format!("carol@{}", a.domain);
    assert!(
        eventually(20, || async { answer_by(&a, &alice, &carol_h).await }).await,
        "carol's answer notifies alice"
    );
    assert!(!answer_by(&a, &alice, &format!("bob@{}", a.domain)).await);

    // rita on the other instance writes; once blocked, her messages are dropped.
    let alice_at_a = format!("alice@{}", a.domain);
    let (s, v) = send(&b, &rita, &alice_at_a, "First from rita").await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert!(
        eventually(20, || async {
            bodies(&a, &alice)
                .await
                .contains(&"First from rita".to_string())
        })
        .await
    );
    let rita_at_b = format!("rita@{}", b.domain);
    let (s, v) = a
        .api(
            Method::POST,
            Some(&alice),
            "/blocks",
            Some(json!({"person": rita_at_b})),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (s, v) = send(&b, &rita, &alice_at_a, "Second from rita").await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = send(&b, &rita, &format!("dave@{}", a.domain), "To dave").await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert!(
        eventually(20, || async {
            bodies(&a, &dave).await == ["To dave"] && b.pending_deliveries().await == 0
        })
        .await,
        "rita's later message reached dave"
    );
    assert!(!bodies(&a, &alice)
        .await
        .contains(&"Second from rita".to_string()));

    // Unblocked, bob can write again.
    let (s, _) = a
        .api(Method::DELETE, Some(&alice), "/blocks/bob", None)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, v) = send(&a, &bob, "alice", "After the unblock").await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

async fn block_pages(backend: Backend) {
    let peer = Peer::start(backend).await;
    let (alice, _) = peer.user("alice", false).await;
    let (bob, _) = peer.user("bob", false).await;
    let ca = cookie(&alice);
    let (s, v) = send(&peer, &bob, "alice", "Hello alice").await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let path = format!("/messages/{}", v["conversation_id"].as_str().unwrap());

    // From the conversation: Block, back to it, with the notice and no reply form.
    let (s, thread) = page_at(&peer.base, &path, &ca).await;
    assert_eq!(s, StatusCode::OK);
    assert!(thread.contains("id=\"block-button\""), "{thread}");
    let token = csrf_field(&thread);
    let handle = format!("bob@{}", peer.domain);
    let r = post(
        &peer.base,
        "/block",
        &ca,
        &[("csrf", &token), ("person", &handle), ("back", &path)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], path.as_str());
    let (_, thread) = page_at(&peer.base, &path, &ca).await;
    assert!(thread.contains("id=\"blocked-notice\""), "{thread}");
    assert!(!thread.contains("id=\"message-reply\""), "{thread}");
    // The profile offers Unblock instead of "Send a message"; the list names bob.
    let (_, profile) = page_at(&peer.base, "/u/bob", &ca).await;
    assert!(profile.contains("action=\"/unblock\""), "{profile}");
    assert!(!profile.contains("id=\"send-message\""), "{profile}");
    let (_, list) = page_at(&peer.base, "/messages", &ca).await;
    assert!(
        list.contains("id=\"blocked\"") && list.contains(&handle),
        "{list}"
    );

    // Without the form's token nothing changes; a foreign `back` goes to /messages.
    let r = post(&peer.base, "/unblock", &ca, &[("person", &handle)]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (_, blocks) = peer.api(Method::GET, Some(&alice), "/blocks", None).await;
    assert_eq!(blocks.as_array().map(Vec::len), Some(1), "{blocks}");
    let r = post(
        &peer.base,
        "/unblock",
        &ca,
        &[
            ("csrf", &token),
            ("person", &handle),
            ("back", "//evil.example/"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/messages");
    let (_, blocks) = peer.api(Method::GET, Some(&alice), "/blocks", None).await;
    assert_eq!(blocks, json!([]));
}

both_backends!(blocking, block_pages);
