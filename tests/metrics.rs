//! Prometheus metrics on their own address (`--metrics-bind`): inbox answers and
//! deliveries are counted, the queues' gauges are served, and the public port does not
//! serve them.

mod common;
use common::*;
use reqwest::StatusCode;

async fn scrape(peer: &Peer) -> String {
    let addr = peer
        .inst
        .as_ref()
        .unwrap()
        .metrics_addr
        .expect("metrics bound");
    let resp = peer
        .http
        .get(format!("http://{addr}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    resp.text().await.unwrap()
}

/// The value of one series (`name{labels}`), 0 when absent.
fn value(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or(0.0)
}

async fn inbox_and_deliveries_are_counted(backend: Backend) {
    let a = Peer::start_custom(backend, |s| {
        s.metrics_bind = Some("127.0.0.1:0".parse().unwrap());
    })
    .await;
    let b = Peer::start(backend).await;
    a.group("acme").await;
    let accepted = r#"peerdesk_inbox_requests_total{status="202"}"#;
    let delivered = r#"peerdesk_deliveries_total{outcome="delivered"}"#;
    let before = scrape(&a).await;

    // B's user follows A's group: a Follow into A's inbox, an Accept out of A.
    let (bob, _) = b.user("bob", false).await;
    b.follow_and_wait(&bob, &format!("acme@{}", a.domain)).await;
    assert!(
        eventually(10, || async {
            let after = scrape(&a).await;
            value(&after, accepted) > value(&before, accepted)
                && value(&after, delivered) > value(&before, delivered)
        })
        .await,
        "not counted: {}",
        scrape(&a).await
    );

    // An answer from a Lemmy-shaped server goes through a batch, which is measured.
    let remote = common::remote::FakeRemote::start().await;
    let (alice, alice_actor) = a.user("alice", false).await;
    let (_, q) = a
        .api(
            reqwest::Method::POST,
            Some(&alice),
            "/questions",
            Some(
                serde_json::json!({"group": "acme", "title": "Printer offline again", "body": "?"}),
            ),
        )
        .await;
    let batches = "peerdesk_inbox_batch_size_count";
    let before = value(&scrape(&a).await, batches);
    let answer = common::remote::fixture(
        "lemmy_create_note_comment",
        &[
            ("REMOTE", &remote.base),
            ("GROUP", &a.url("/g/acme")),
            ("QUESTION", q["ap_id"].as_str().unwrap()),
            ("QUESTION_AUTHOR", &alice_actor.ap_id),
            ("QUESTION_AUTHOR_HANDLE", &format!("alice@{}", a.domain)),
            ("ID", "1"),
        ],
    );
    let (s, v) = remote.deliver(&a.http, &a.url("/inbox"), &answer).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let text = scrape(&a).await;
    assert!(value(&text, batches) > before, "{text}");
    assert!(text.contains("peerdesk_deliveries_pending "), "{text}");
    assert!(text.contains("peerdesk_deliveries_failed "), "{text}");

    // Not on the public port.
    let (s, _) = a.get_ap("/metrics").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

both_backends!(inbox_and_deliveries_are_counted);
