//! A group's settings in a real headless Chromium (`tests/browser/group_settings.mjs`,
//! see `common::browser`): the moderator's forms, and a newcomer who must follow before
//! asking and is welcomed. Skipped without Chromium, unless `CI` is set.

mod common;

use common::browser::{browser_available, run_script, shots_dir};
use common::{Backend, Peer};
use reqwest::{Method, StatusCode};

async fn group_settings_in_the_browser(backend: Backend) {
    if !browser_available() {
        return;
    }
    let peer = Peer::start(backend).await;
    let printers = peer.group("printers").await;
    let (moda, moda_actor) = peer.user("moda", false).await;
    let (nina, _) = peer.user("nina", false).await;
    let (gid, mid) = (printers.id, moda_actor.id);
    peer.query(move |c| peerdesk::db::queries::groups::add_moderator(c, gid, mid))
        .await;
    let base = peer.base.clone();
    tokio::task::spawn_blocking(move || {
        let args = [
            base.as_str(),
            "printers",
            "moda",
            "nina",
            "correct horse battery",
        ];
        run_script("group_settings.mjs", &args, &shots_dir(backend))
    })
    .await
    .unwrap();
    // What the browser saved, as the API shows it.
    let (s, g) = peer
        .api(Method::GET, Some(&moda), "/groups/printers", None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(g["title"], "Printer help");
    assert_eq!(g["who_may_ask"], "followers");
    assert!(g["welcome_message"]
        .as_str()
        .unwrap()
        .contains("model number"));
    let (_, p) = peer
        .api(Method::GET, None, "/groups/printers/privileges", None)
        .await;
    assert_eq!(p[0]["min_reputation"], 120, "{p}");
    let (_, n) = peer
        .api(Method::GET, Some(&nina), "/notifications", None)
        .await;
    let welcomes = n["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "welcome")
        .count();
    assert_eq!(welcomes, 1, "{n}");
}

both_backends!(group_settings_in_the_browser);
