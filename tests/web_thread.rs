//! The thread page over plain HTTP: its weight budget (HTML, CSS and JS as a browser
//! transfers them, compressed).

mod common;

use common::{Backend, Peer};
use peerdesk::bench::weight;
use reqwest::{Method, StatusCode};
use serde_json::json;

/// A question with answers of a few paragraphs each, comments and an accepted answer.
async fn seeded_thread(peer: &Peer) -> String {
    peer.group("printers").await;
    let (alice, _) = peer.user("alice", false).await;
    let mut answerers = Vec::new();
    for name in ["bob", "carol", "dave", "erin", "frank", "grace"] {
        answerers.push(peer.user(name, false).await.0);
    }
    let paragraph = "After the firmware update the printer shows **E42** and stops \
        printing. I switched it off and on, cleaned the paper path and reinstalled the \
        driver from the vendor's site, but the error comes back after a few pages.";
    let (s, q) = peer
        .api(
            Method::POST,
            Some(&alice),
            "/questions",
            Some(json!({
                "group": "printers", "title": "Printer shows error E42 after the update",
                "body": format!("{paragraph}\n\n{paragraph}"), "tags": ["firmware", "e42"]
            })),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let qid = q["id"].as_str().unwrap().to_string();
    let mut first = None;
    for (i, token) in answerers.iter().enumerate() {
        let body = format!(
            "Answer {i}: install firmware 2.1, then:\n\n1. open *Settings*\n2. choose \
             *Reset*\n3. restart\n\n{paragraph}"
        );
        let (s, a) = peer
            .api(
                Method::POST,
                Some(token),
                &format!("/questions/{qid}/answers"),
                Some(json!({"body": body})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{a}");
        let (s, c) = peer
            .api(
                Method::POST,
                Some(&alice),
                &format!("/questions/{qid}/answers"),
                Some(json!({"body": "Thanks, I will try this tonight.", "parent_id": a["id"]})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{c}");
        first.get_or_insert(a["id"].clone());
    }
    let (s, v) = peer
        .api(
            Method::PUT,
            Some(&alice),
            &format!("/questions/{qid}/accepted"),
            Some(json!({"answer_id": first})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    qid
}

async fn thread_page_weight_budget(backend: Backend) {
    // The asker comments on every answer: more posts than a new account may make a minute.
    let peer = Peer::start_custom(backend, |s| s.rate_limits = false).await;
    let qid = seeded_thread(&peer).await;
    let url = peer.url(&format!("/q/{qid}"));
    let w = weight::page_weight(&weight::client().unwrap(), &url)
        .await
        .unwrap();
    // What the page references is counted: its stylesheet and both scripts, all compressed.
    let kinds: Vec<&str> = w.parts.iter().map(|p| p.kind).collect();
    assert_eq!(kinds, ["html", "css", "js", "js"], "{w:?}");
    assert!(
        w.parts.iter().all(|p| p.encoding == "br" && p.bytes > 0),
        "{w:?}"
    );
    let html = reqwest::get(&url).await.unwrap().text().await.unwrap();
    assert!(
        html.matches("class=\"post").count() >= 6,
        "the answers are on the page"
    );
    assert!(
        w.total() < weight::BUDGET,
        "the thread page weighs {} bytes compressed, over the budget of {}: {w:?}",
        w.total(),
        weight::BUDGET
    );
}

both_backends!(thread_page_weight_budget);
