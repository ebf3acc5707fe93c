//! HTTP signatures on the inbox: a signature must cover `(request-target)`, `host`, the
//! time (`date` or `(created)`) and `digest`, and be dated within the window in both
//! directions; what Mastodon and activitypub-federation sign passes.

mod common;
use common::*;
use peerdesk::db::models::Actor;
use peerdesk::federation::signing::{digest_header, rsa_sign};
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How a test request is signed.
struct Signing<'a> {
    covered: &'a [&'a str],
    date: SystemTime,
    /// `(created, expires)` parameters, in seconds since the epoch.
    created: Option<(u64, u64)>,
    algorithm: &'a str,
}

impl Signing<'_> {
    fn now<'a>(covered: &'a [&'a str]) -> Signing<'a> {
        Signing {
            covered,
            date: SystemTime::now(),
            created: None,
            algorithm: "rsa-sha256",
        }
    }
}

/// POSTs a `Follow` of `target` by `signer` to `to`'s shared inbox, signed as described.
async fn post(to: &Peer, signer: &Actor, target: &str, how: Signing<'_>) -> (StatusCode, Value) {
    let body = serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/follow/{}", signer.ap_id, rand::random::<u64>()),
        "type": "Follow",
        "actor": signer.ap_id,
        "object": target,
    }))
    .unwrap();
    let mut values = vec![
        ("host".to_string(), to.domain.clone()),
        ("date".to_string(), httpdate::fmt_http_date(how.date)),
        ("digest".to_string(), digest_header(&body)),
        (
            "content-type".to_string(),
            "application/activity+json".to_string(),
        ),
        ("(request-target)".to_string(), "post /inbox".to_string()),
    ];
    let mut params = String::new();
    if let Some((created, expires)) = how.created {
        values.push(("(created)".into(), created.to_string()));
        values.push(("(expires)".into(), expires.to_string()));
        params = format!(",created=\"{created}\",expires=\"{expires}\"");
    }
    let signing_string: Vec<String> = how
        .covered
        .iter()
        .map(|h| {
            let v = &values.iter().find(|(k, _)| k == h).unwrap().1;
            format!("{h}: {v}")
        })
        .collect();
    let signature = rsa_sign(
        signer.private_key_pem.as_deref().unwrap(),
        signing_string.join("\n").as_bytes(),
    )
    .unwrap();
    let mut headers = HeaderMap::new();
    for (k, v) in &values[..4] {
        headers.insert(
            k.as_str().parse::<reqwest::header::HeaderName>().unwrap(),
            v.parse().unwrap(),
        );
    }
    headers.insert(
        "signature",
        format!(
            "keyId=\"{}\",algorithm=\"{}\",headers=\"{}\"{params},signature=\"{signature}\"",
            signer.public_key_id,
            how.algorithm,
            how.covered.join(" ")
        )
        .parse()
        .unwrap(),
    );
    let resp = to
        .http
        .post(to.url("/inbox"))
        .headers(headers)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn assert_unauthorized(status: StatusCode, body: &Value, case: &str) {
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{case}: {body}");
    assert_eq!(body["error"], "unauthorized", "{case}: {body}");
    assert!(body["message"].is_string(), "{case}: {body}");
}

async fn signatures_must_cover_what_binds_them(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    let group = a.group("acme").await;
    let (_, carol) = b.user("carol", false).await;
    for covered in [
        &["digest"][..],
        &["host", "digest"],
        &["host", "date", "digest", "content-type"],
        &["(request-target)", "date", "digest"],
        &["(request-target)", "host", "digest"],
        &["(request-target)", "host", "date", "content-type"],
    ] {
        let (s, v) = post(&a, &carol, &group.ap_id, Signing::now(covered)).await;
        assert_unauthorized(s, &v, &covered.join(" "));
    }
    assert_eq!(a.get_ap("/g/acme/followers").await.1["totalItems"], 0);

    // What real servers sign passes: Mastodon, activitypub-federation (Lemmy), and a
    // draft-cavage `(created)`/`(expires)` signature (hs2019) without `Date`.
    let mastodon = ["(request-target)", "host", "date", "digest", "content-type"];
    let (s, v) = post(&a, &carol, &group.ap_id, Signing::now(&mastodon)).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let lemmy = ["(request-target)", "content-type", "date", "digest", "host"];
    let (s, v) = post(&a, &carol, &group.ap_id, Signing::now(&lemmy)).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let created = [
        "(request-target)",
        "(created)",
        "(expires)",
        "host",
        "digest",
    ];
    let how = Signing {
        created: Some((now, now + 300)),
        algorithm: "hs2019",
        ..Signing::now(&created)
    };
    let (s, v) = post(&a, &carol, &group.ap_id, how).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    assert_eq!(a.get_ap("/g/acme/followers").await.1["totalItems"], 1);
}

async fn signatures_are_dated_within_the_window(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    let group = a.group("acme").await;
    let (_, carol) = b.user("carol", false).await;
    let covered = ["(request-target)", "host", "date", "digest"];
    let hour = Duration::from_secs(3600);
    for (case, date) in [
        ("13 hours old", SystemTime::now() - 13 * hour),
        ("two hours ahead", SystemTime::now() + 2 * hour),
        ("three years ahead", SystemTime::now() + 3 * 365 * 24 * hour),
    ] {
        let how = Signing {
            date,
            ..Signing::now(&covered)
        };
        let (s, v) = post(&a, &carol, &group.ap_id, how).await;
        assert_unauthorized(s, &v, case);
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let created = [
        "(request-target)",
        "(created)",
        "(expires)",
        "host",
        "digest",
    ];
    for (case, times) in [
        ("expired", (now - 600, now - 300)),
        ("created in the future", (now + 2 * 3600, now + 3 * 3600)),
    ] {
        let how = Signing {
            created: Some(times),
            algorithm: "hs2019",
            ..Signing::now(&created)
        };
        let (s, v) = post(&a, &carol, &group.ap_id, how).await;
        assert_unauthorized(s, &v, case);
    }
    assert_eq!(a.get_ap("/g/acme/followers").await.1["totalItems"], 0);
    // Within the window (an hour old, a few minutes ahead): accepted.
    for date in [
        SystemTime::now() - hour,
        SystemTime::now() + Duration::from_secs(300),
    ] {
        let how = Signing {
            date,
            ..Signing::now(&covered)
        };
        let (s, v) = post(&a, &carol, &group.ap_id, how).await;
        assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    }
    assert_eq!(a.get_ap("/g/acme/followers").await.1["totalItems"], 1);
}

both_backends!(
    signatures_must_cover_what_binds_them,
    signatures_are_dated_within_the_window
);
