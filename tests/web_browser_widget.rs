//! The help widget in a real headless Chromium (`tests/browser/widget.mjs`, see
//! `common::browser`), embedded in a page of another origin: suggestions, search, and a
//! question asked through it (signing in on the way), found afterwards through the API.
//! Skipped without Chromium, unless `CI` is set.

mod common;

use common::browser::{browser_available, run_script, shots_dir};
use common::{Backend, Peer};
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn widget_in_the_browser(backend: Backend) {
    if !browser_available() {
        return;
    }
    let peer = Peer::start(backend).await;
    peer.group("acme").await;
    let (admin, _) = peer.user("root", true).await;
    let (alice, _) = peer.user("alice", false).await;
    let (bob, _) = peer.user("bob", false).await;
    peer.user("walt", false).await;
    let ask = |title: &str| json!({"group": "acme", "title": title, "body": "It stops halfway.", "tags": []});
    let (_, q) = peer
        .api(
            Method::POST,
            Some(&alice),
            "/questions",
            Some(ask("Scanner jams on thick paper")),
        )
        .await;
    let qid = q["id"].as_str().unwrap().to_string();
    let (_, a) = peer
        .api(
            Method::POST,
            Some(&bob),
            &format!("/questions/{qid}/answers"),
            Some(json!({"body": "Clean the feed roller."})),
        )
        .await;
    let (s, _) = peer
        .api(
            Method::PUT,
            Some(&alice),
            &format!("/questions/{qid}/accepted"),
            Some(json!({"answer_id": a["id"]})),
        )
        .await;
    assert!(s.is_success());
    let (s, art) = peer
        .api(
            Method::POST,
            Some(&admin),
            &format!("/questions/{qid}/article"),
            Some(json!({"title": "Cleaning the scanner's feed roller"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{art}");
    let (s, _) = peer
        .api(
            Method::POST,
            Some(&alice),
            "/questions",
            Some(ask("Scanner driver crashes on start")),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);

    let base = peer.base.clone();
    tokio::task::spawn_blocking(move || {
        let args = [base.as_str(), "acme", "walt", "correct horse battery"];
        run_script("widget.mjs", &args, &shots_dir(backend))
    })
    .await
    .unwrap();

    // The question asked through the widget, by the person who signed in.
    let (s, posts) = peer.api(Method::GET, None, "/users/walt/posts", None).await;
    assert_eq!(s, StatusCode::OK);
    let asked: Vec<&serde_json::Value> = posts
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["title"] == "Paper tray squeaks when printing")
        .collect();
    assert_eq!(asked.len(), 1, "{posts}");
    assert_eq!(asked[0]["group"], format!("acme@{}", peer.domain));
}

both_backends!(widget_in_the_browser);
