//! Bad and hostile input at the inbox: every case gets a clear status and JSON error and
//! loses nothing; duplicates and replays are processed once.

mod common;
use common::*;
use peerdesk::db::models::Actor;
use peerdesk::federation::signing::signed_post_headers;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::{Duration, SystemTime};

/// A remote user on a real instance B, whose key we sign with.
struct Signer {
    actor: Actor,
}

impl Signer {
    async fn on(peer: &Peer, name: &str) -> Signer {
        let (_, actor) = peer.user(name, false).await;
        Signer { actor }
    }

    fn follow(&self, target: &str) -> Value {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{}/activities/follow/{}", self.actor.ap_id, rand::random::<u64>()),
            "type": "Follow",
            "actor": self.actor.ap_id,
            "object": target,
        })
    }

    async fn post(&self, to: &Peer, path: &str, body: &[u8]) -> (StatusCode, Value) {
        self.post_with(to, path, body, |_| {}).await
    }

    async fn post_with(
        &self,
        to: &Peer,
        path: &str,
        body: &[u8],
        tweak: impl FnOnce(&mut reqwest::header::HeaderMap),
    ) -> (StatusCode, Value) {
        let url = url::Url::parse(&to.url(path)).unwrap();
        let mut headers = signed_post_headers(
            &url,
            body,
            &self.actor.public_key_id,
            self.actor.private_key_pem.as_deref().unwrap(),
            None,
        )
        .unwrap();
        tweak(&mut headers);
        send(to, path, headers, body.to_vec()).await
    }
}

async fn send(
    to: &Peer,
    path: &str,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let resp = to
        .http
        .post(to.url(path))
        .headers(headers)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn assert_json_error(status: StatusCode, body: &Value, expected: StatusCode) {
    assert_eq!(status, expected, "{body}");
    assert!(
        body["error"].is_string() && body["message"].is_string(),
        "not a JSON error: {body}"
    );
}

async fn bad_requests_are_refused_clearly(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    let group = a.group("acme").await;
    let carol = Signer::on(&b, "carol").await;
    let follow = carol.follow(&group.ap_id);
    let body = serde_json::to_vec(&follow).unwrap();

    // Unsigned.
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("content-type", "application/activity+json".parse().unwrap());
    headers.insert(
        "digest",
        peerdesk::federation::signing::digest_header(&body)
            .parse()
            .unwrap(),
    );
    let (s, v) = send(&a, "/inbox", headers, body.clone()).await;
    assert_json_error(s, &v, StatusCode::UNAUTHORIZED);

    // Signed by another key than the actor's.
    let (_, other) = b.user("mallory", false).await;
    let url = url::Url::parse(&a.url("/inbox")).unwrap();
    let forged = signed_post_headers(
        &url,
        &body,
        &carol.actor.public_key_id,
        other.private_key_pem.as_deref().unwrap(),
        None,
    )
    .unwrap();
    let (s, v) = send(&a, "/inbox", forged, body.clone()).await;
    assert_json_error(s, &v, StatusCode::UNAUTHORIZED);

    // Signature over a different body (digest does not match).
    let (s, v) = carol
        .post_with(&a, "/inbox", &body, |h| {
            h.insert(
                "digest",
                peerdesk::federation::signing::digest_header(b"{}")
                    .parse()
                    .unwrap(),
            );
        })
        .await;
    assert!(
        s == StatusCode::BAD_REQUEST || s == StatusCode::UNAUTHORIZED,
        "{s}"
    );
    assert!(v["error"].is_string());

    // Signed for another path (the signature covers the request target).
    let url2 = url::Url::parse(&a.url("/g/acme/inbox")).unwrap();
    let h = signed_post_headers(
        &url2,
        &body,
        &carol.actor.public_key_id,
        carol.actor.private_key_pem.as_deref().unwrap(),
        None,
    )
    .unwrap();
    let (s, v) = send(&a, "/inbox", h, body.clone()).await;
    assert_json_error(s, &v, StatusCode::UNAUTHORIZED);

    // Expired signature (13 hours old, past the 12-hour window): a replay of a captured
    // request.
    let old = SystemTime::now() - Duration::from_secs(13 * 3600);
    let h = signed_post_headers(
        &url,
        &body,
        &carol.actor.public_key_id,
        carol.actor.private_key_pem.as_deref().unwrap(),
        Some(old),
    )
    .unwrap();
    let (s, v) = send(&a, "/inbox", h, body.clone()).await;
    assert_json_error(s, &v, StatusCode::UNAUTHORIZED);

    // Oversized body.
    let mut big = follow.clone();
    big["padding"] = json!("x".repeat(300 * 1024));
    let big = serde_json::to_vec(&big).unwrap();
    let (s, v) = carol.post(&a, "/inbox", &big).await;
    assert_json_error(s, &v, StatusCode::PAYLOAD_TOO_LARGE);

    // Malformed JSON, and JSON that is no activity.
    let (s, v) = carol.post(&a, "/inbox", b"{\"type\": \"Follow\",").await;
    assert_json_error(s, &v, StatusCode::BAD_REQUEST);
    let (s, v) = carol.post(&a, "/inbox", b"{\"type\": \"Follow\"}").await;
    assert_json_error(s, &v, StatusCode::BAD_REQUEST);

    // Activity id on another domain than its actor.
    let mut spoof = follow.clone();
    spoof["id"] = json!("http://elsewhere.example/activities/1");
    let (s, v) = carol
        .post(&a, "/inbox", &serde_json::to_vec(&spoof).unwrap())
        .await;
    assert_json_error(s, &v, StatusCode::BAD_REQUEST);

    // Nothing of the above was processed.
    assert_eq!(a.get_ap("/g/acme/followers").await.1["totalItems"], 0);
    assert_eq!(a.sent_count("Accept").await, 0);

    // The genuine request is accepted.
    let (s, v) = carol.post(&a, "/g/acme/inbox", &body).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    assert_eq!(a.get_ap("/g/acme/followers").await.1["totalItems"], 1);

    // The inbox of an actor that does not exist; once the group is created, its inbox
    // works at once (an unknown name is not remembered).
    let late = carol.follow(&a.url("/g/late"));
    let late = serde_json::to_vec(&late).unwrap();
    let (s, v) = carol.post(&a, "/g/late/inbox", &late).await;
    assert_json_error(s, &v, StatusCode::NOT_FOUND);
    a.group("late").await;
    let (s, v) = carol.post(&a, "/g/late/inbox", &late).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    assert_eq!(a.get_ap("/g/late/followers").await.1["totalItems"], 1);
}

async fn duplicates_and_replays_processed_once(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    let group = a.group("acme").await;
    let carol = Signer::on(&b, "carol").await;
    let body = serde_json::to_vec(&carol.follow(&group.ap_id)).unwrap();

    // Eight concurrent copies of the same activity.
    let sends = (0..8).map(|_| carol.post(&a, "/inbox", &body));
    let results = futures::future::join_all(sends).await;
    for (s, v) in &results {
        assert_eq!(*s, StatusCode::ACCEPTED, "{v}");
    }
    // A later replay of the same request.
    let (s, _) = carol.post(&a, "/inbox", &body).await;
    assert_eq!(s, StatusCode::ACCEPTED);
    assert_eq!(
        a.sent_count("Accept").await,
        1,
        "the Follow was processed more than once"
    );
    assert_eq!(a.get_ap("/g/acme/followers").await.1["totalItems"], 1);
}

async fn unknown_types_and_unreachable_actors(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    a.group("acme").await;
    let carol = Signer::on(&b, "carol").await;
    let odd = json!({
        "id": format!("{}/activities/x/1", carol.actor.ap_id),
        "type": "EmojiReact",
        "actor": carol.actor.ap_id,
        "object": a.url("/g/acme"),
        "content": "🔥",
    });
    let (s, v) = carol
        .post(&a, "/inbox", &serde_json::to_vec(&odd).unwrap())
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");

    // An actor whose server is down: 502 (the sender retries later), nothing stored.
    let ghost = json!({
        "id": "http://localhost:1/activities/1",
        "type": "Follow",
        "actor": "http://localhost:1/u/ghost",
        "object": a.url("/g/acme"),
    });
    let body = serde_json::to_vec(&ghost).unwrap();
    let url = url::Url::parse(&a.url("/inbox")).unwrap();
    let h = signed_post_headers(
        &url,
        &body,
        "http://localhost:1/u/ghost#main-key",
        carol.actor.private_key_pem.as_deref().unwrap(),
        None,
    )
    .unwrap();
    let (s, v) = send(&a, "/inbox", h, body).await;
    assert_json_error(s, &v, StatusCode::BAD_GATEWAY);
    assert_eq!(a.get_ap("/g/acme/followers").await.1["totalItems"], 0);

    // Delete of an actor nobody here knows: accepted without fetching anything.
    let gone = json!({
        "id": "http://localhost:1/u/ghost#delete",
        "type": "Delete",
        "actor": "http://localhost:1/u/ghost",
        "object": "http://localhost:1/u/ghost",
    });
    let body = serde_json::to_vec(&gone).unwrap();
    let h = signed_post_headers(
        &url,
        &body,
        "http://localhost:1/u/ghost#main-key",
        carol.actor.private_key_pem.as_deref().unwrap(),
        None,
    )
    .unwrap();
    let (s, _) = send(&a, "/inbox", h, body).await;
    assert_eq!(s, StatusCode::ACCEPTED);
}

async fn deleted_remote_actor_loses_follows(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    let group = a.group("acme").await;
    let carol = Signer::on(&b, "carol").await;
    let (s, _) = carol
        .post(
            &a,
            "/inbox",
            &serde_json::to_vec(&carol.follow(&group.ap_id)).unwrap(),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED);
    assert_eq!(a.get_ap("/g/acme/followers").await.1["totalItems"], 1);
    let delete = json!({
        "id": format!("{}#delete", carol.actor.ap_id),
        "type": "Delete",
        "actor": carol.actor.ap_id,
        "object": carol.actor.ap_id,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
    });
    let (s, v) = carol
        .post(&a, "/inbox", &serde_json::to_vec(&delete).unwrap())
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    assert_eq!(a.get_ap("/g/acme/followers").await.1["totalItems"], 0);
    // Further activities from the deleted actor are refused.
    let (s, v) = carol
        .post(
            &a,
            "/inbox",
            &serde_json::to_vec(&carol.follow(&group.ap_id)).unwrap(),
        )
        .await;
    assert_json_error(s, &v, StatusCode::GONE);
}

/// A question from `signer` for the group, as a Lemmy-style `Create{Page}`.
fn question(signer: &Signer, group: &Actor, n: u32) -> Vec<u8> {
    let actor = &signer.actor.ap_id;
    let page = format!("{actor}/pages/{n}");
    serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{page}/create"),
        "type": "Create",
        "actor": actor,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": [group.ap_id],
        "audience": group.ap_id,
        "object": {
            "id": page, "type": "Page", "attributedTo": actor, "name": format!("Question {n}"),
            "content": "<p>How do I reset the printer?</p>", "audience": group.ap_id,
            "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [group.ap_id],
        },
    }))
    .unwrap()
}

async fn instance_post_limit_answers_429(backend: Backend) {
    let a = Peer::start_custom(backend, |s| s.instance_post_limit = 3).await;
    let b = Peer::start(backend).await;
    let c = Peer::start(backend).await;
    let group = a.group("acme").await;
    let (carol, dave) = (Signer::on(&b, "carol").await, Signer::on(&b, "dave").await);
    // Three posts a minute from instance B, whoever of its users sends them.
    for (n, who) in [(1, &carol), (2, &dave), (3, &carol)] {
        let (s, v) = who.post(&a, "/inbox", &question(who, &group, n)).await;
        assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    }
    let (s, v) = dave.post(&a, "/inbox", &question(&dave, &group, 4)).await;
    assert_json_error(s, &v, StatusCode::TOO_MANY_REQUESTS);
    // Another instance has its own allowance.
    let erin = Signer::on(&c, "erin").await;
    let (s, v) = erin.post(&a, "/inbox", &question(&erin, &group, 1)).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    // The refused question was not stored; the others were.
    let titles = |list: Value| -> Vec<String> {
        let mut t: Vec<String> = list
            .as_array()
            .expect("question list")
            .iter()
            .map(|q| q["title"].as_str().unwrap_or_default().to_string())
            .collect();
        t.sort();
        t
    };
    let (_, list) = a
        .api(reqwest::Method::GET, None, "/questions?group=acme", None)
        .await;
    assert_eq!(
        titles(list),
        ["Question 1", "Question 1", "Question 2", "Question 3"]
    );

    // Without a limit configured (the default), the same traffic passes.
    let d = Peer::start(backend).await;
    let group = d.group("acme").await;
    for n in 1..=6 {
        let (s, v) = carol.post(&d, "/inbox", &question(&carol, &group, n)).await;
        assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    }
}

both_backends!(
    instance_post_limit_answers_429,
    bad_requests_are_refused_clearly,
    duplicates_and_replays_processed_once,
    unknown_types_and_unreachable_actors,
    deleted_remote_actor_loses_follows,
);
