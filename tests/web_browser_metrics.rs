//! A group's support metrics page in a real headless Chromium
//! (`tests/browser/metrics.mjs`, see `common::browser`): figures, accessible charts with
//! their data table, presets and dates, axe-core. Skipped without Chromium, unless `CI`
//! is set.

mod common;

use common::browser::{browser_available, run_script, shots_dir};
use common::{Backend, Peer};
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn metrics_in_the_browser(backend: Backend) {
    if !browser_available() {
        return;
    }
    let peer = Peer::start(backend).await;
    let help = peer.group("help").await;
    let (_, moda_actor) = peer.user("moda", false).await;
    let (alice, _) = peer.user("alice", false).await;
    let (gid, mid) = (help.id, moda_actor.id);
    peer.query(move |c| peerdesk::db::queries::groups::add_moderator(c, gid, mid))
        .await;
    for title in ["Printer jams on page two", "Scanner shows a blank page"] {
        let (s, v) = peer
            .api(
                Method::POST,
                Some(&alice),
                "/questions",
                Some(json!({"group": "help", "title": title, "body": "Details of the problem"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let base = peer.base.clone();
    tokio::task::spawn_blocking(move || {
        let args = [base.as_str(), "help", "moda", "correct horse battery"];
        run_script("metrics.mjs", &args, &shots_dir(backend))
    })
    .await
    .unwrap();
}
both_backends!(metrics_in_the_browser);
