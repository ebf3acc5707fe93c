//! Cases, private messages and the knowledge base in a real headless Chromium
//! (`tests/browser/cases.mjs`, `messages.mjs`, `kb.mjs`; see `common::browser`): the
//! asker opens a case from the thread with private details, staff answer and solve it
//! with a public note, and the thread shows the note only; a member writes to another
//! from their profile, who answers and reports; a moderator turns a solved thread into an
//! article, edits, finds, reviews and retires it. axe-core on every page. Skipped without
//! Chromium, unless `CI` is set.

mod common;

use common::browser::{browser_available, run_script, shots_dir};
use common::{Backend, Peer};
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn cases_in_the_browser(backend: Backend) {
    if !browser_available() {
        return;
    }
    let peer = Peer::start(backend).await;
    let (admin, _) = peer.user("root", true).await;
    peer.user("carol", false).await;
    let (bob, _) = peer.user("bob", false).await;
    peer.group("help").await;
    let (s, org) = peer
        .api(
            Method::POST,
            Some(&admin),
            "/admin/organisations",
            Some(json!({"name": "Acme", "domain": "acme.example"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{org}");
    for (path, body) in [
        (
            "/admin/users/carol/organisation",
            json!({"organisation_id": org["id"]}),
        ),
        (
            "/groups/help/organisations",
            json!({"organisation_ids": [org["id"]]}),
        ),
    ] {
        let (s, v) = peer.api(Method::PUT, Some(&admin), path, Some(body)).await;
        assert!(s.is_success(), "{path}: {v}");
    }
    let (s, q) = peer
        .api(
            Method::POST,
            Some(&bob),
            "/questions",
            Some(json!({"group": "help", "title": "Scanner jams on every page", "body": "Since the update."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let qid = q["id"].as_str().unwrap().to_string();
    let base = peer.base.clone();
    tokio::task::spawn_blocking(move || {
        let args = [
            base.as_str(),
            qid.as_str(),
            "bob",
            "carol",
            "correct horse battery",
        ];
        run_script("cases.mjs", &args, &shots_dir(backend))
    })
    .await
    .unwrap();
    // What the browser did, as the API shows it.
    let (_, mine) = peer.api(Method::GET, Some(&bob), "/cases", None).await;
    assert_eq!(mine[0]["status"], "solved", "{mine}");
}

async fn messages_in_the_browser(backend: Backend) {
    if !browser_available() {
        return;
    }
    let peer = Peer::start(backend).await;
    peer.user("carol", false).await;
    let (bob, _) = peer.user("bob", false).await;
    let base = peer.base.clone();
    tokio::task::spawn_blocking(move || {
        let args = [base.as_str(), "carol", "bob", "correct horse battery"];
        run_script("messages.mjs", &args, &shots_dir(backend))
    })
    .await
    .unwrap();
    // What the browser did, as the API shows it: two messages, both read by bob.
    let (s, list) = peer
        .api(Method::GET, Some(&bob), "/conversations", None)
        .await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let id = list[0]["id"].as_str().unwrap();
    let (_, c) = peer
        .api(
            Method::GET,
            Some(&bob),
            &format!("/conversations/{id}"),
            None,
        )
        .await;
    assert_eq!(c["messages"].as_array().map(Vec::len), Some(2), "{c}");
}

async fn knowledge_base_in_the_browser(backend: Backend) {
    if !browser_available() {
        return;
    }
    let peer = Peer::start(backend).await;
    let (root, _) = peer.user("root", true).await;
    let (bob, _) = peer.user("bob", false).await;
    peer.group("help").await;
    let (s, q) = peer
        .api(
            Method::POST,
            Some(&bob),
            "/questions",
            Some(
                json!({"group": "help", "title": "Printer shows E42", "body": "Since the update."}),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let qid = q["id"].as_str().unwrap().to_string();
    let (s, a) = peer
        .api(
            Method::POST,
            Some(&root),
            &format!("/questions/{qid}/answers"),
            Some(json!({"body": "Install firmware 2.1, then restart."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let (s, v) = peer
        .api(
            Method::PUT,
            Some(&bob),
            &format!("/questions/{qid}/accepted"),
            Some(json!({"answer_id": a["id"]})),
        )
        .await;
    assert!(s.is_success(), "{s} {v}");
    let base = peer.base.clone();
    let q = qid.clone();
    let out = tokio::task::spawn_blocking(move || {
        let args = [
            base.as_str(),
            q.as_str(),
            "help",
            "root",
            "correct horse battery",
        ];
        run_script("kb.mjs", &args, &shots_dir(backend))
    })
    .await
    .unwrap();
    // What the browser did, as the API shows it: a retired article from the thread with
    // the edit in its body.
    let id = out
        .split("ok written /kb/")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .expect("the script names the article");
    let (s, a) = peer
        .api(Method::GET, None, &format!("/articles/{id}"), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{a}");
    assert_eq!(a["retired"], true, "{a}");
    assert_eq!(a["source_question_id"], qid.as_str(), "{a}");
    assert!(
        a["body"].as_str().unwrap().contains("check the cable"),
        "{a}"
    );
}

both_backends!(
    cases_in_the_browser,
    messages_in_the_browser,
    knowledge_base_in_the_browser
);
