//! Notifications derived by the notifier from what happened: answers, comments,
//! accepted answers, mentions, badges, moderators' removals and report outcomes, made
//! locally or arriving by federation from a second real instance; never one's own
//! actions; each once; marking read.

mod common;
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn notifications(peer: &Peer, token: &str) -> Value {
    let (s, v) = peer
        .api(Method::GET, Some(token), "/notifications?limit=100", None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

/// The notifications of one kind about one post (or badge).
async fn of(peer: &Peer, token: &str, kind: &str, post: &str) -> Vec<Value> {
    notifications(peer, token).await["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| {
            n["kind"] == kind && (post.is_empty() || n["post_id"] == post || n["badge"] == post)
        })
        .cloned()
        .collect()
}

/// Waits for a notification of `kind` about `post` (any post when empty) and returns it.
async fn wait_for(peer: &Peer, token: &str, kind: &str, post: &str) -> Value {
    assert!(
        eventually(15, || async {
            !of(peer, token, kind, post).await.is_empty()
        })
        .await,
        "no {kind} notification about {post}: {}",
        notifications(peer, token).await
    );
    let found = of(peer, token, kind, post).await;
    assert_eq!(found.len(), 1, "{kind} notified more than once: {found:?}");
    found[0].clone()
}

async fn post(peer: &Peer, token: &str, path: &str, body: Value) -> Value {
    let (s, v) = peer.api(Method::POST, Some(token), path, Some(body)).await;
    assert!(s.is_success(), "{path}: {s} {v}");
    v
}

/// Runs the notifier's scan over the last minutes again, as a second process or a
/// late re-read would.
async fn rescan(peer: &Peer) -> usize {
    let since = peerdesk::db::now_ms() - peerdesk::domain::notify::LAG_MS;
    peerdesk::domain::notify::scan(
        peer.state(),
        std::sync::Arc::new(peerdesk::db::notification_kinds::Mentions::new(
            &peer.base,
            &peer.domain,
        )),
        since,
    )
    .await
}

async fn local_actions_notify_once(backend: Backend) {
    let a = Peer::start(backend).await;
    a.group("acme").await;
    let (alice, _) = a.user("alice", false).await;
    let (bob, _) = a.user("bob", false).await;
    let (admin, _) = a.user("root", true).await;

    let q = post(
        &a,
        &alice,
        "/questions",
        json!({"group": "acme", "title": "Scanner jams", "body": "Every third page."}),
    )
    .await;
    let qid = q["id"].as_str().unwrap().to_string();
    let answers = format!("/questions/{qid}/answers");
    let own = post(&a, &alice, &answers, json!({"body": "Maybe the rollers?"})).await;
    let ans = post(&a, &bob, &answers, json!({"body": "Clean the rollers."})).await;
    let aid = ans["id"].as_str().unwrap().to_string();

    // Bob's answer notifies Alice once, with a link to the thread.
    let n = wait_for(&a, &alice, "answer", &aid).await;
    assert_eq!(n["actor"]["name"], "bob");
    assert_eq!(n["title"], "Scanner jams");
    assert_eq!(n["link"], format!("{}/q/{qid}", a.base));
    assert_eq!(n["read"], false);
    // Scanning the same window again inserts nothing.
    assert_eq!(rescan(&a).await, 0);
    assert_eq!(of(&a, &alice, "answer", &aid).await.len(), 1);

    // A comment on Bob's answer, the answer accepted, the badge for it.
    let comment = post(
        &a,
        &alice,
        &answers,
        json!({"body": "Thanks, trying it.", "parent_id": aid}),
    )
    .await;
    let cid = comment["id"].as_str().unwrap().to_string();
    wait_for(&a, &bob, "comment", &cid).await;
    let (s, v) = a
        .api(
            Method::PUT,
            Some(&alice),
            &format!("/questions/{qid}/accepted"),
            Some(json!({"answer_id": aid})),
        )
        .await;
    assert!(s.is_success(), "{s} {v}");
    let n = wait_for(&a, &bob, "accepted", &aid).await;
    assert_eq!(n["actor"]["name"], "alice");
    let n = wait_for(&a, &bob, "badge", "first_accepted_answer").await;
    assert_eq!(n["actor"], Value::Null);

    // A mention of Alice in Bob's comment.
    let m = post(
        &a,
        &bob,
        &answers,
        json!({"body": "@alice did it work?", "parent_id": aid}),
    )
    .await;
    let mid = m["id"].as_str().unwrap().to_string();
    wait_for(&a, &alice, "mention", &mid).await;

    // Bob reports Alice's own answer; the admin dismisses it and removes Bob's comment.
    let own_id = own["id"].as_str().unwrap().to_string();
    post(
        &a,
        &bob,
        "/reports",
        json!({"post_id": own_id, "reason": "Not an answer"}),
    )
    .await;
    let (s, reports) = a
        .api(Method::GET, Some(&admin), "/reports?group=acme", None)
        .await;
    assert_eq!(s, StatusCode::OK, "{reports}");
    let rid = reports[0]["id"].as_str().unwrap().to_string();
    let (s, v) = a
        .api(
            Method::POST,
            Some(&admin),
            &format!("/reports/{rid}/resolve"),
            Some(json!({"resolution": "dismissed"})),
        )
        .await;
    assert!(s.is_success(), "{s} {v}");
    let n = wait_for(&a, &bob, "report_resolved", &own_id).await;
    assert_eq!(n["report_status"], "dismissed");
    post(
        &a,
        &admin,
        &format!("/posts/{mid}/remove"),
        json!({"reason": "Off topic"}),
    )
    .await;
    wait_for(&a, &bob, "removed", &mid).await;

    // Nobody is notified of their own actions.
    rescan(&a).await;
    for (token, name) in [(&alice, "alice"), (&bob, "bob")] {
        let all = notifications(&a, token).await;
        for n in all["items"].as_array().unwrap() {
            assert_ne!(
                n["actor"]["name"], name,
                "{name} notified of own action: {n}"
            );
        }
    }
    assert!(of(&a, &alice, "answer", &own_id).await.is_empty());

    // Marking read.
    let all = notifications(&a, &alice).await;
    let unread = all["unread"].as_i64().unwrap();
    assert!(unread >= 2, "{all}");
    let first = all["items"][0]["id"].as_str().unwrap().to_string();
    let (s, v) = a
        .api(
            Method::POST,
            Some(&alice),
            &format!("/notifications/{first}/read"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["unread"], unread - 1);
    let all = notifications(&a, &alice).await;
    assert_eq!(all["unread"], unread - 1);
    assert_eq!(all["items"][0]["read"], true);
    // Another user's notification is not found.
    let (s, v) = a
        .api(
            Method::POST,
            Some(&bob),
            &format!("/notifications/{first}/read"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    let (s, _) = a
        .api(Method::POST, Some(&alice), "/notifications/read", None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(notifications(&a, &alice).await["unread"], 0);

    // Email choices: every kind listed, off by default; bad values refused.
    let (s, v) = a
        .api(
            Method::GET,
            Some(&alice),
            "/notifications/preferences",
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["email"]["answer"], "off");
    let prefs = "/notifications/preferences";
    for bad in [
        json!({"email": {"nope": "off"}}),
        json!({"email": {"answer": "hourly"}}),
    ] {
        let (s, v) = a.api(Method::PUT, Some(&alice), prefs, Some(bad)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        assert_eq!(v["error"], "bad_request", "{v}");
    }
    let body = json!({"email": {"answer": "immediately", "badge": "digest"}});
    let (s, v) = a.api(Method::PUT, Some(&alice), prefs, Some(body)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["email"]["answer"], "immediately");
    assert_eq!(v["email"]["badge"], "digest");
    assert_eq!(v["email"]["mention"], "off");
}

async fn federated_answer_notifies_once(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    a.group("acme").await;
    let (alice, _) = a.user("alice", false).await;
    let (carol, _) = b.user("carol", false).await;
    let group = format!("acme@{}", a.domain);
    b.follow_and_wait(&carol, &group).await;

    let q = post(
        &a,
        &alice,
        "/questions",
        json!({"group": "acme", "title": "Wi-Fi drops", "body": "Every hour."}),
    )
    .await;
    let q_ap = q["ap_id"].as_str().unwrap().to_string();
    let qid_b = b.wait_question_id(&group, &q_ap).await;
    let ans = post(
        &b,
        &carol,
        &format!("/questions/{qid_b}/answers"),
        json!({"body": format!("Update the router firmware, @alice@{}.", a.domain)}),
    )
    .await;
    let ans_ap = ans["ap_id"].as_str().unwrap().to_string();

    assert!(
        eventually(15, || async {
            !of(&a, &alice, "answer", "").await.is_empty()
        })
        .await,
        "the federated answer did not notify: {}",
        notifications(&a, &alice).await
    );
    let n = &of(&a, &alice, "answer", "").await[0];
    assert_eq!(n["actor"]["handle"], format!("carol@{}", b.domain));
    let (s, t) = a
        .api(
            Method::GET,
            None,
            &format!("/questions/{}", q["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let local = t["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["ap_id"] == ans_ap)
        .unwrap()["id"]
        .clone();
    assert_eq!(n["post_id"], local);
    // Also a mention (the remote author wrote `@alice`), each once after a re-scan.
    wait_for(&a, &alice, "mention", local.as_str().unwrap()).await;
    rescan(&a).await;
    assert_eq!(of(&a, &alice, "answer", "").await.len(), 1);
}

both_backends!(local_actions_notify_once, federated_answer_notifies_once);
