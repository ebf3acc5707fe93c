//! The persistent delivery queue: retries while the receiver is down, and survives a
//! crash of the sender with deliveries pending.

mod common;
use common::remote::FakeRemote;
use common::*;
use peerdesk::federation::outbox;
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::sync::atomic::Ordering;

async fn follow_pending(b: &Peer, token: &str, handle: &str) {
    let (status, body) = b
        .api(
            Method::POST,
            Some(token),
            "/follows",
            Some(json!({"handle": handle})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["pending"], true);
}

async fn accepted(b: &Peer, token: &str) -> bool {
    let (_, body) = b.api(Method::GET, Some(token), "/me/following", None).await;
    body["items"][0]["pending"] == false
}

async fn delivered_after_receiver_comes_back(backend: Backend) {
    let mut a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    a.group("acme").await;
    let (bob, _) = b.user("bob", false).await;
    let handle = format!("acme@{}", a.domain);
    // B learns about the group while A is up, then A goes down.
    let (status, _) = b
        .api(
            Method::GET,
            Some(&bob),
            &format!("/resolve?handle={handle}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    a.kill().await;

    follow_pending(&b, &bob, &handle).await;
    // The delivery fails and is kept for retry; the instance is marked as failing.
    let (admin, _) = b.user("root", true).await;
    assert!(
        eventually(10, || async {
            let (_, stats) = b
                .api(Method::GET, Some(&admin), "/admin/deliveries", None)
                .await;
            stats["pending"] == 1
                && stats["instances"].as_array().unwrap().iter().any(|i| {
                    i["domain"] == a.domain.as_str() && i["failure_streak"].as_i64().unwrap() >= 1
                })
        })
        .await,
        "failed delivery was not recorded"
    );
    assert!(!accepted(&b, &bob).await);

    a.restart().await;
    assert!(
        eventually(20, || async { accepted(&b, &bob).await }).await,
        "Follow not delivered after retry"
    );
    assert!(
        eventually(10, || async { b.pending_deliveries().await == 0 }).await,
        "the delivery stays pending"
    );
    assert_eq!(a.sent_count("Accept").await, 1);
    let (_, stats) = b
        .api(Method::GET, Some(&admin), "/admin/deliveries", None)
        .await;
    let inst = stats["instances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["domain"] == a.domain.as_str())
        .unwrap()
        .clone();
    assert_eq!(inst["failure_streak"], 0);
    assert_eq!(inst["unreachable"], false);
    assert!(inst["delivered_count"].as_i64().unwrap() >= 1);
}

async fn sender_crash_loses_nothing(backend: Backend) {
    let mut a = Peer::start(backend).await;
    let mut b = Peer::start(backend).await;
    a.group("acme").await;
    let (bob, _) = b.user("bob", false).await;
    let handle = format!("acme@{}", a.domain);
    b.api(
        Method::GET,
        Some(&bob),
        &format!("/resolve?handle={handle}"),
        None,
    )
    .await;
    a.kill().await;
    follow_pending(&b, &bob, &handle).await;
    // Let the first attempt fail so that the row is claimed and in back-off, then crash B.
    assert!(eventually(10, || async { b.sent_count("Follow").await == 1 }).await);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    b.kill().await;

    a.restart().await;
    b.restart().await;
    assert!(
        eventually(30, || async { accepted(&b, &bob).await }).await,
        "pending delivery lost across restart"
    );
    // B records the delivery as done once A answered; A's Accept may arrive first.
    assert!(
        eventually(10, || async { b.pending_deliveries().await == 0 }).await,
        "the delivery stays pending"
    );
    // Processed exactly once on A: one follower, one Accept.
    assert_eq!(a.get_ap("/g/acme/followers").await.1["totalItems"], 1);
    assert_eq!(a.sent_count("Accept").await, 1);
}

async fn admin_only_queue_view(backend: Backend) {
    let a = Peer::start(backend).await;
    let (user, _) = a.user("user", false).await;
    let (status, body) = a
        .api(Method::GET, Some(&user), "/admin/deliveries", None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"], "forbidden");
    let (status, _) = a.api(Method::GET, None, "/admin/deliveries", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// The back-off of `domain` on `a`: (failure streak, unreachable).
async fn instance_state(a: &Peer, domain: &str) -> Option<(i64, bool)> {
    let stats = a.query(peerdesk::db::queries::deliveries::stats).await;
    let inst = stats
        .instances
        .into_iter()
        .find(|i| i.instance.domain == domain)?;
    Some((inst.instance.failure_streak as i64, inst.unreachable))
}

/// A receiver that fails every delivery of a fan-out during a short outage, then
/// recovers: the outage counts as one failure of the instance (not one per delivery), so
/// the back-off stays at its first step and the deliveries flow once it has passed; the
/// first success clears the streak.
async fn a_short_outage_counts_once(backend: Backend) {
    const N: usize = 20;
    let a = Peer::start_custom(backend, |s| s.delivery_retry_base_ms = 5_000).await;
    let remote = FakeRemote::start().await;
    let group = a.group("acme").await;
    remote.inbox_status.store(503, Ordering::SeqCst);
    let domain = remote.base.trim_start_matches("http://").to_string();
    let inboxes: Vec<(String, String)> = (0..N)
        .map(|i| (format!("{}/users/u{i}/inbox", remote.base), domain.clone()))
        .collect();
    let activity = json!({
        "id": format!("{}/activities/announce/outage", a.base),
        "type": "Announce",
        "actor": group.ap_id,
        "object": format!("{}/q/1", a.base),
    });
    let row = outbox::activity_row(peerdesk::db::ids::new_id(), &group, &activity, true).unwrap();
    a.query(move |c| peerdesk::db::queries::deliveries::enqueue(c, &row, &inboxes))
        .await;
    a.state().delivery_notify.notify_one();
    assert!(
        eventually(10, || async { remote.refused.load(Ordering::SeqCst) >= N }).await,
        "refused: {}",
        remote.refused.load(Ordering::SeqCst)
    );
    // Every in-flight delivery has been recorded as failed.
    assert!(
        eventually(10, || async {
            let pending: Vec<i64> = a
                .query(|c| {
                    use diesel::prelude::*;
                    use peerdesk::db::schema::deliveries as d;
                    Ok(
                        peerdesk::with_conn!(c, c => d::table.select(d::attempts).load::<i32>(c))?
                            .into_iter()
                            .map(i64::from)
                            .collect(),
                    )
                })
                .await;
            pending.len() == N && pending.iter().all(|n| *n >= 1)
        })
        .await
    );
    assert_eq!(instance_state(&a, &domain).await, Some((1, false)));

    // The receiver is back: after the first back-off step everything is delivered.
    remote.inbox_status.store(0, Ordering::SeqCst);
    assert!(
        eventually(30, || async { a.pending_deliveries().await == 0 }).await,
        "deliveries still pending: {} (instance {:?})",
        a.pending_deliveries().await,
        instance_state(&a, &domain).await
    );
    assert_eq!(remote.received.lock().unwrap().len(), N);
    assert_eq!(instance_state(&a, &domain).await, Some((0, false)));
}

both_backends!(
    a_short_outage_counts_once,
    delivered_after_receiver_comes_back,
    sender_crash_loses_nothing,
    admin_only_queue_view
);

/// A receiver that accepts connections and never answers: the delivery is in flight
/// (claimed, leased) when the sender crashes; after restart the lease expires and the
/// delivery is made once the receiver is back.
async fn crash_mid_delivery_is_recovered(backend: Backend) {
    let mut a = Peer::start(backend).await;
    let mut b = Peer::start(backend).await;
    a.group("acme").await;
    let (bob, _) = b.user("bob", false).await;
    let handle = format!("acme@{}", a.domain);
    b.api(
        Method::GET,
        Some(&bob),
        &format!("/resolve?handle={handle}"),
        None,
    )
    .await;
    a.kill().await;
    let hole = bind_retry(a.port).await;
    let held = tokio::spawn(async move {
        let mut conns = Vec::new();
        while let Ok((c, _)) = hole.accept().await {
            conns.push(c);
        }
    });
    follow_pending(&b, &bob, &handle).await;
    // Wait until the Follow is queued and claimed (in flight to the black hole).
    assert!(
        eventually(10, || async {
            b.query(|c| {
                use diesel::prelude::*;
                use peerdesk::db::schema::deliveries as d;
                Ok(peerdesk::with_conn!(c, c => d::table.filter(d::locked_until.gt(peerdesk::db::now_ms())).count().get_result::<i64>(c))?)
            })
            .await
                == 1
        })
        .await
    );
    b.kill().await;
    held.abort();
    let _ = held.await;
    a.restart().await;
    b.restart().await;
    assert!(
        eventually(30, || async { accepted(&b, &bob).await }).await,
        "in-flight delivery lost in crash"
    );
    assert_eq!(a.sent_count("Accept").await, 1);
    assert_eq!(a.get_ap("/g/acme/followers").await.1["totalItems"], 1);
}

both_backends!(crash_mid_delivery_is_recovered);

/// An instance is blocked while a delivery to it is in flight: the block fails the
/// delivery, and the attempt's failure recorded afterwards leaves it failed instead of
/// queueing it again.
async fn a_block_during_an_attempt_is_kept(backend: Backend) {
    let a = Peer::start(backend).await;
    let group = a.group("acme").await;
    let domain = "blocked.example".to_string();
    let activity = json!({
        "id": format!("{}/activities/announce/in-flight", a.base),
        "type": "Announce",
        "actor": group.ap_id,
        "object": format!("{}/q/1", a.base),
    });
    let row = outbox::activity_row(peerdesk::db::ids::new_id(), &group, &activity, true).unwrap();
    let inboxes = vec![(format!("https://{domain}/inbox"), domain.clone())];
    // Queued and claimed in one transaction, so the running worker never sees it unclaimed.
    let claimed = a
        .query(move |c| {
            c.transaction(|c| {
                peerdesk::db::queries::deliveries::enqueue(c, &row, &inboxes)?;
                peerdesk::db::queries::deliveries::claim(c, 100, 60_000)
            })
        })
        .await;
    let claimed: Vec<_> = claimed.into_iter().filter(|d| d.domain == domain).collect();
    assert_eq!(claimed.len(), 1);
    let d = domain.clone();
    a.query(move |c| peerdesk::db::queries::moderation::set_policy(c, &d, true, false, false))
        .await;
    let delivery = claimed[0].clone();
    a.query(move |c| {
        peerdesk::db::queries::deliveries::attempt_failed(
            c,
            &delivery,
            "timed out",
            1_000,
            3_600_000,
        )
    })
    .await;
    let statuses: Vec<String> = a
        .query(move |c| {
            use diesel::prelude::*;
            use peerdesk::db::schema::deliveries as d;
            Ok(peerdesk::with_conn!(c, c => d::table
                .filter(d::domain.eq(&domain))
                .select(d::status)
                .load::<String>(c))?)
        })
        .await;
    assert_eq!(statuses, vec!["failed".to_string()]);
    assert_eq!(a.pending_deliveries().await, 0);
}

both_backends!(a_block_during_an_attempt_is_kept);
