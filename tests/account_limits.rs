//! Accounts under attack: sign-in and registration limits per account and per client
//! address (429 with Retry-After), the bound on concurrent password hashing, the longest
//! password, reserved names, and the limits on edits, accepted answers and follows.

mod common;
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// POSTs JSON to the API from `forwarded_for` (as `X-Forwarded-For`, which only counts
/// behind a trusted proxy); returns the status, `Retry-After` and body.
async fn post_from(
    peer: &Peer,
    path: &str,
    forwarded_for: Option<&str>,
    body: Value,
) -> (StatusCode, Option<u64>, Value) {
    let mut req = peer
        .http
        .post(peer.url(&format!("/api/v1{path}")))
        .json(&body);
    if let Some(ip) = forwarded_for {
        req = req.header("x-forwarded-for", ip);
    }
    let resp = req.send().await.expect("post");
    let status = resp.status();
    let retry = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    (status, retry, resp.json().await.unwrap_or(Value::Null))
}

async fn login(
    peer: &Peer,
    name: &str,
    password: &str,
    from: Option<&str>,
) -> (StatusCode, Option<u64>, Value) {
    post_from(
        peer,
        "/sessions",
        from,
        json!({"username": name, "password": password}),
    )
    .await
}

const PASSWORD: &str = "correct horse battery";

async fn wrong_logins_are_limited_per_account(backend: Backend) {
    let a = Peer::start_custom(backend, |s| {
        s.login_limit_account = 3;
        s.login_limit_address = 0;
    })
    .await;
    a.user("alice", false).await;
    a.user("bob", false).await;
    for _ in 0..3 {
        let (s, _, v) = login(&a, "alice", "not the password", None).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{v}");
    }
    let (s, retry, v) = login(&a, "alice", "not the password", None).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{v}");
    assert_eq!(v["error"], "too_many_requests");
    assert!(retry.is_some_and(|r| (1..=300).contains(&r)), "{retry:?}");
    // Even the right password waits out the window; the name's case does not matter.
    let (s, _, _) = login(&a, "ALICE", PASSWORD, None).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    let (s, _, v) = login(&a, "bob", PASSWORD, None).await;
    assert_eq!(s, StatusCode::OK, "another account still signs in: {v}");
}

async fn logins_are_limited_per_address(backend: Backend) {
    let a = Peer::start_custom(backend, |s| {
        s.login_limit_address = 4;
        s.login_limit_account = 0;
        s.trusted_proxies = vec![peerdesk::domain::client_addr::parse_net("127.0.0.1").unwrap()];
    })
    .await;
    a.user("alice", false).await;
    for n in 0..4 {
        let (s, _, _) = login(
            &a,
            &format!("nobody{n}"),
            "whatever it is",
            Some("203.0.113.5"),
        )
        .await;
        assert_eq!(
            s,
            StatusCode::UNAUTHORIZED,
            "unknown names are wrong passwords"
        );
    }
    let (s, retry, _) = login(&a, "alice", PASSWORD, Some("203.0.113.5")).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    assert!(retry.is_some());
    let (s, _, _) = login(&a, "alice", PASSWORD, Some("203.0.113.6")).await;
    assert_eq!(s, StatusCode::OK, "another address still signs in");

    // Without a trusted proxy the header is the client's to forge: not believed.
    let b = Peer::start_custom(backend, |s| {
        s.login_limit_address = 2;
        s.login_limit_account = 0;
    })
    .await;
    for n in 0..2 {
        let (s, _, _) = login(
            &b,
            "nobody",
            "whatever it is",
            Some(&format!("198.51.100.{n}")),
        )
        .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    let (s, _, _) = login(&b, "nobody", "whatever it is", Some("198.51.100.9")).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
}

async fn registrations_are_limited_per_address(backend: Backend) {
    let a = Peer::start_custom(backend, |s| {
        s.registration_limit_address = 2;
        s.trusted_proxies = vec![peerdesk::domain::client_addr::parse_net("127.0.0.0/8").unwrap()];
    })
    .await;
    let register = |name: &str, from: &str| {
        let body = json!({"username": name, "password": PASSWORD});
        let (a, from) = (&a, from.to_string());
        async move { post_from(a, "/accounts", Some(&from), body).await }
    };
    for name in ["user-a", "user-b"] {
        let (s, _, v) = register(name, "192.0.2.10").await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let (s, retry, v) = register("user-c", "192.0.2.10").await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{v}");
    assert!(retry.is_some_and(|r| (1..=3600).contains(&r)), "{retry:?}");
    let (s, _, v) = register("user-c", "192.0.2.11").await;
    assert_eq!(
        s,
        StatusCode::CREATED,
        "another address still registers: {v}"
    );
}

async fn long_passwords_and_reserved_names_are_refused(backend: Backend) {
    let a = Peer::start(backend).await;
    let (admin, _) = a.user("boss", true).await;
    let long = "p".repeat(257);
    let (s, _, v) = post_from(
        &a,
        "/accounts",
        None,
        json!({"username": "lena", "password": long}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["error"], "bad_request");
    let (s, _, v) = login(&a, "boss", &long, None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let (s, _, v) = post_from(
        &a,
        "/accounts",
        None,
        json!({"username": "lena", "password": "p".repeat(256)}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "256 bytes is fine: {v}");

    for name in [
        "admin",
        "actor",
        "inbox",
        "well-known",
        "api",
        "u",
        "root",
        "support",
        "moderators",
    ] {
        let (s, _, v) = post_from(
            &a,
            "/accounts",
            None,
            json!({"username": name, "password": PASSWORD}),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "user {name}: {v}");
        let (s, v) = a
            .api(
                Method::POST,
                Some(&admin),
                "/groups",
                Some(json!({"name": name, "title": "Reserved"})),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "group {name}: {v}");
    }
    let (s, v) = a
        .api(
            Method::POST,
            Some(&admin),
            "/groups",
            Some(json!({"name": "printers", "title": "Printers"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

/// Edits, accepted-answer changes and follows are limited like posts: a new account
/// gets 10 edits or accepts a minute, and 10 follows or unfollows.
async fn edits_accepts_and_follows_are_limited(backend: Backend) {
    let a = Peer::start(backend).await;
    a.group("acme").await;
    a.group("other").await;
    let (alice, _) = a.user("alice", false).await;
    let (carol, _) = a.user("carol", false).await;
    let (s, q) = a
        .api(
            Method::POST,
            Some(&alice),
            "/questions",
            Some(json!({"group": "acme", "title": "Jams", "body": "It jams."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let qid = q["id"].as_str().unwrap();
    let (s, ans) = a
        .api(
            Method::POST,
            Some(&carol),
            &format!("/questions/{qid}/answers"),
            Some(json!({"body": "Clean it."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ans}");
    let aid = ans["id"].as_str().unwrap();

    let mut edits = Vec::new();
    for n in 0..11 {
        let body = json!({"body": format!("It jams, take {n}.")});
        edits.push(
            a.api(
                Method::PATCH,
                Some(&alice),
                &format!("/posts/{qid}"),
                Some(body),
            )
            .await
            .0,
        );
    }
    assert!(
        edits[..10].iter().all(|s| *s == StatusCode::OK),
        "{edits:?}"
    );
    assert_eq!(edits[10], StatusCode::TOO_MANY_REQUESTS);

    let mut accepts = Vec::new();
    for n in 0..11 {
        let body = json!({"answer_id": if n % 2 == 0 { Some(aid) } else { None }});
        accepts.push(
            a.api(
                Method::PUT,
                Some(&alice),
                &format!("/questions/{qid}/accepted"),
                Some(body),
            )
            .await
            .0,
        );
    }
    assert!(
        accepts[..10].iter().all(|s| *s == StatusCode::OK),
        "{accepts:?}"
    );
    assert_eq!(accepts[10], StatusCode::TOO_MANY_REQUESTS);

    let mut follows = Vec::new();
    for n in 0..11 {
        let s = if n % 2 == 0 {
            a.api(
                Method::POST,
                Some(&carol),
                "/follows",
                Some(json!({"handle": format!("other@{}", a.domain), "accept_guidelines": true})),
            )
            .await
            .0
        } else {
            a.api(
                Method::DELETE,
                Some(&carol),
                &format!("/follows/other@{}", a.domain),
                None,
            )
            .await
            .0
        };
        follows.push(s);
    }
    assert!(follows[..10].iter().all(|s| s.is_success()), "{follows:?}");
    assert_eq!(follows[10], StatusCode::TOO_MANY_REQUESTS);
}

/// Many concurrent failed sign-ins with a small hashing bound: never more hashes at
/// once than the bound, the excess refused with 503, nothing else fails, and the
/// instance signs people in afterwards.
async fn concurrent_logins_are_bounded(backend: Backend) {
    let a = Peer::start_custom(backend, |s| {
        s.rate_limits = false;
        s.password_hash_concurrency = 2;
        s.password_hash_queue = 2;
    })
    .await;
    a.user("alice", false).await;
    let attempts = (0..48).map(|n| {
        let a = &a;
        async move {
            let name = if n % 2 == 0 { "alice" } else { "nobody" };
            login(a, name, "not the password", None).await
        }
    });
    let results = futures::future::join_all(attempts).await;
    let statuses: Vec<StatusCode> = results.iter().map(|r| r.0).collect();
    assert!(
        statuses
            .iter()
            .all(|s| [StatusCode::UNAUTHORIZED, StatusCode::SERVICE_UNAVAILABLE].contains(s)),
        "{statuses:?}"
    );
    assert!(
        statuses.contains(&StatusCode::SERVICE_UNAVAILABLE),
        "{statuses:?}"
    );
    assert!(results
        .iter()
        .filter(|r| r.0 == StatusCode::SERVICE_UNAVAILABLE)
        .all(|r| r.1.is_some()));
    let peak = a.state().password_gate.peak();
    assert!((1..=2).contains(&peak), "{peak} hashes ran at once");
    let (s, _, v) = login(&a, "alice", PASSWORD, None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

/// An unknown name is checked against a hash like a known one (it costs the same).
async fn unknown_names_cost_a_hash(backend: Backend) {
    let a = Peer::start(backend).await;
    assert_eq!(a.state().password_gate.peak(), 0);
    let (s, _, _) = login(&a, "nobody", "some password", None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(a.state().password_gate.peak(), 1, "no password was checked");
}

both_backends!(
    wrong_logins_are_limited_per_account,
    logins_are_limited_per_address,
    registrations_are_limited_per_address,
    long_passwords_and_reserved_names_are_refused,
    edits_accepts_and_follows_are_limited,
    concurrent_logins_are_bounded,
    unknown_names_cost_a_hash
);
