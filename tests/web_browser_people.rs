//! The admin console's People pages in a real headless Chromium (see `web_browser.rs`):
//! the admin finds a user, suspends them (after a refused empty reason), purges a user of
//! a second instance, declares an organisation and makes a user its staff, and deletes
//! an account after its confirmation page; axe-core checks each page. Skipped without
//! Chromium or `tests/browser/node_modules`, unless `CI` is set.

mod common;

use common::browser::{browser_available, run_script, shots_dir};
use common::people::{ask, post_state, profile, PASSWORD};
use common::{Backend, Peer};
use reqwest::{Method, StatusCode};

async fn people_in_the_browser(backend: Backend) {
    if !browser_available() {
        return;
    }
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    a.group("printers").await;
    a.user("ada", true).await;
    let (bob, _) = a.user("bob", false).await;
    let (carol, _) = a.user("carol", false).await;
    let (rita, _) = b.user("rita", false).await;
    ask(&a, &bob, "printers", "Paper tray stuck after the update").await;
    ask(&a, &carol, "printers", "Printer offline every morning").await;
    let printers = format!("printers@{}", a.domain);
    b.follow_and_wait(&rita, &printers).await;
    let q = ask(&b, &rita, &printers, "Toner smears on the left edge").await;
    let q_ap = q["ap_id"].as_str().unwrap().to_string();
    a.wait_question_id("printers", &q_ap).await;

    let (base, remote) = (a.base.clone(), format!("rita@{}", b.domain));
    tokio::task::spawn_blocking(move || {
        let args = [base.as_str(), "ada", PASSWORD, &remote];
        run_script("people.mjs", &args, &shots_dir(backend))
    })
    .await
    .unwrap();

    // What the browser did, as the API and the database see it.
    assert_eq!(profile(&a, "bob").await.1["suspended"], true);
    assert_eq!(profile(&a, "carol").await.0, StatusCode::GONE);
    assert!(post_state(&a, &q_ap).await.1, "rita's question was purged");
    let (_, orgs) = a.api(Method::GET, None, "/organisations", None).await;
    assert_eq!(orgs[0]["domain"], "acme.example", "{orgs}");
}

both_backends!(people_in_the_browser);
