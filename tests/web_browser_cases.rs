//! Cases in a real headless Chromium (`tests/browser/cases.mjs`, see `common::browser`):
//! the asker opens a case from the thread with private details, staff answer and solve
//! it with a public note, and the thread shows the note only; axe-core on every page.
//! Skipped without Chromium, unless `CI` is set.

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

both_backends!(cases_in_the_browser);
