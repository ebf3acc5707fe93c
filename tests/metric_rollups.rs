//! The metrics pages read whole past days from daily roll-ups (`metric_days`). These
//! tests change a seeded group in every way that counts (new and deleted answers,
//! acceptances, removals and restorations, who is staff, times moved between days) and
//! check after each change that the metrics read from the roll-ups equal the metrics
//! computed live from the posts, and that roll-ups were really read (rows stored, the
//! change's mark consumed). A second test races writers against readers.

mod common;
use common::*;
use peerdesk::db::queries::metric_days;
use peerdesk::db::queries::metrics::{self as mq, Source};
use peerdesk::read::metrics::{of_groups_from, Metrics, Period};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const H: i64 = 3_600_000;
const D: i64 = 24 * H;

fn id(v: &Value) -> i64 {
    v["id"].as_str().unwrap().parse().unwrap()
}

async fn ask(peer: &Peer, token: &str, title: &str, at: i64) -> i64 {
    let (s, q) = peer
        .api(
            Method::POST,
            Some(token),
            "/questions",
            Some(json!({"group": "help", "title": title, "body": "Details of the problem"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let q = id(&q);
    peer.query(move |c| mq::set_times(c, q, at, None)).await;
    q
}

async fn answer(peer: &Peer, token: &str, q: i64, at: i64) -> i64 {
    let (s, a) = peer
        .api(
            Method::POST,
            Some(token),
            &format!("/questions/{q}/answers"),
            Some(json!({"body": format!("Reset the device, then look at question {q} again")})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let a = id(&a);
    peer.query(move |c| mq::set_times(c, a, at, None)).await;
    a
}

async fn post(peer: &Peer, token: &str, path: &str, body: Value) {
    let (s, v) = peer.api(Method::POST, Some(token), path, Some(body)).await;
    assert!(s.is_success(), "{path}: {s} {v}");
}

/// The group's metrics over the last 60 days from the roll-ups and live, and the
/// (rows, marks) of its roll-ups after the read.
async fn both(peer: &Peer, gid: i64, now: i64) -> (Metrics, Metrics, (i64, i64)) {
    peer.query(move |c| {
        let period = Period {
            from: now - 60 * D,
            to: now,
            preset: 60,
        };
        let groups = [(gid, "help".to_string())];
        let rolled = of_groups_from(c, &groups, period, Source::RollUps)?;
        let live = of_groups_from(c, &groups, period, Source::Live)?;
        Ok((rolled, live, metric_days::stored(c, gid)?))
    })
    .await
}

async fn marks(peer: &Peer, gid: i64) -> i64 {
    peer.query(move |c| metric_days::stored(c, gid)).await.1
}

/// Asserts that the roll-ups agree with the live computation and were read.
async fn agree(peer: &Peer, gid: i64, now: i64, step: &str) -> Metrics {
    let (rolled, live, (rows, marks)) = both(peer, gid, now).await;
    assert_eq!(rolled, live, "after {step}");
    assert!(rows >= 59, "after {step}: {rows} days rolled up");
    assert_eq!(marks, 0, "after {step}: marks left");
    rolled
}

async fn rollups_follow_every_change(backend: Backend) {
    let peer = Peer::start_custom(backend, |s| s.satisfaction_interval = 0).await;
    let (admin, _) = peer.user("admin", true).await;
    let (alice, _) = peer.user("alice", false).await;
    let (bob, _) = peer.user("bob", false).await;
    let (carol, _) = peer.user("carol", false).await;
    let (dave, _) = peer.user("dave", false).await;
    let group = peer.group("help").await;
    let gid = group.id;
    peer.staffed_org(&admin, ("Acme", "acme.example"), "carol", "help")
        .await;
    let now = peerdesk::db::now_ms();

    // Eight questions over the last month, answered by bob and carol (staff).
    let mut qs = Vec::new();
    for i in 0..8i64 {
        let asker = if i % 2 == 0 { &alice } else { &dave };
        let at = now - (3 + 4 * i) * D + i * H;
        let q = ask(
            &peer,
            asker,
            &format!("Printer fault number {i} after update"),
            at,
        )
        .await;
        if i % 3 != 2 {
            let who = if i % 2 == 0 { &bob } else { &carol };
            answer(&peer, who, q, at + (i + 1) * H).await;
        }
        qs.push((q, at));
    }
    let first = agree(&peer, gid, now, "seeding").await;
    assert_eq!(first.questions, 8);
    assert!(first.staff_answers > 0 && first.answers > first.staff_answers);

    // A late answer to a month-old question, published today: its question's day
    // gets a first answer, today an answer.
    let (q7, at7) = qs[7];
    let late = answer(&peer, &bob, q7, now - H).await;
    assert!(marks(&peer, gid).await > 0, "the change marked its days");
    let m = agree(&peer, gid, now, "a late answer").await;
    assert_eq!(m.answers, first.answers + 1);

    // Accepted (the acceptance time is the question's row's), then deleted.
    let (s, v) = peer
        .api(
            Method::PUT,
            Some(&dave),
            &format!("/questions/{q7}/accepted"),
            Some(json!({"answer_id": late.to_string()})),
        )
        .await;
    assert!(s.is_success(), "{s} {v}");
    peer.query(move |c| mq::set_times(c, q7, at7, Some(at7 + 2 * D)))
        .await;
    let m = agree(&peer, gid, now, "an acceptance").await;
    assert_eq!(m.accepted, first.accepted + 1);
    let (s, v) = peer
        .api(Method::DELETE, Some(&bob), &format!("/posts/{late}"), None)
        .await;
    assert!(s.is_success(), "{s} {v}");
    agree(&peer, gid, now, "deleting the accepted answer").await;

    // A moderator removes a question (its answers stop counting), then restores it.
    let (q0, _) = qs[0];
    post(
        &peer,
        &admin,
        &format!("/posts/{q0}/remove"),
        json!({"reason": "off topic"}),
    )
    .await;
    let m = agree(&peer, gid, now, "a removal").await;
    assert_eq!(m.questions, 7);
    post(
        &peer,
        &admin,
        &format!("/posts/{q0}/restore"),
        json!({"reason": "on topic"}),
    )
    .await;
    agree(&peer, gid, now, "a restoration").await;

    // A question moved to another day.
    let (q3, at3) = qs[3];
    peer.query(move |c| mq::set_times(c, q3, at3 - 5 * D, None))
        .await;
    agree(&peer, gid, now, "a question moved between days").await;

    // Carol stops being staff: every day's staff answers change.
    let (s, v) = peer
        .api(
            Method::PUT,
            Some(&admin),
            "/admin/users/carol/organisation",
            Some(json!({"organisation_id": null})),
        )
        .await;
    assert!(s.is_success(), "{s} {v}");
    let m = agree(&peer, gid, now, "a change of staff").await;
    assert_eq!(m.staff_answers, 0, "carol is no longer staff");

    // The API shows the roll-ups' figures.
    let (s, v) = peer
        .api(
            Method::GET,
            Some(&admin),
            "/groups/help/metrics?days=90",
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["questions"], 8, "{v}");
    assert_eq!(v["staff_answers"], 0, "{v}");
}

/// Writers answer old questions while readers read the metrics: once all is done, the
/// roll-ups agree with the posts (no change was lost between a mark and its reading).
async fn writers_race_readers(backend: Backend) {
    let peer = Peer::start(backend).await;
    let (admin, _) = peer.user("admin", true).await;
    let group = peer.group("help").await;
    let gid = group.id;
    let now = peerdesk::db::now_ms();
    let mut writers = Vec::new();
    for w in 0..4 {
        let (token, _) = peer.user(&format!("writer{w}"), false).await;
        writers.push(token);
    }
    // New accounts may post 5 times a minute: two askers share the questions.
    let (ann, _) = peer.user("ann", false).await;
    let (ben, _) = peer.user("ben", false).await;
    let mut qs = Vec::new();
    for i in 0..6i64 {
        let asker = if i % 2 == 0 { &ann } else { &ben };
        let title = format!("Router drops the link, case {i}");
        qs.push(ask(&peer, asker, &title, now - (i + 2) * D).await);
    }
    agree(&peer, gid, now, "seeding").await;
    let peer = std::sync::Arc::new(peer);
    let mut tasks = Vec::new();
    for (w, token) in writers.into_iter().enumerate() {
        let peer = peer.clone();
        let qs = qs.clone();
        tasks.push(tokio::spawn(async move {
            for (i, q) in qs.iter().enumerate() {
                if (i + w) % 2 == 0 {
                    answer(&peer, &token, *q, now - (i as i64 + 1) * D + w as i64 * H).await;
                }
            }
        }));
    }
    for _ in 0..2 {
        let (peer, admin) = (peer.clone(), admin.clone());
        tasks.push(tokio::spawn(async move {
            for _ in 0..8 {
                let (s, v) = peer
                    .api(
                        Method::GET,
                        Some(&admin),
                        "/groups/help/metrics?days=30",
                        None,
                    )
                    .await;
                assert_eq!(s, StatusCode::OK, "{v}");
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let m = agree(&peer, gid, now, "the race").await;
    assert_eq!(m.answers, 12, "every answer counted once");
}

both_backends!(rollups_follow_every_change, writers_race_readers);
