//! Response headers (a strict Content-Security-Policy on pages, `nosniff`, a referrer
//! policy and no framing on every response) and the header read timeout that closes
//! connections which never finish their request.

mod common;
use common::*;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn assert_hardened(resp: &reqwest::Response, what: &str) {
    let h = resp.headers();
    let get = |name: &str| {
        h.get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    };
    let csp = get("content-security-policy");
    for directive in [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ] {
        assert!(
            csp.contains(directive),
            "{what}: CSP {csp:?} lacks {directive}"
        );
    }
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert_eq!(get("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(get("referrer-policy"), "same-origin", "{what}");
    assert_eq!(get("x-frame-options"), "DENY", "{what}");
}

async fn every_response_carries_the_security_headers(backend: Backend) {
    let a = Peer::start(backend).await;
    a.group("acme").await;
    let page = a.http.get(a.url("/g/acme")).send().await.unwrap();
    assert!(page.status().is_success());
    assert_hardened(&page, "group page");
    let html = page.text().await.unwrap();
    // The page needs nothing the policy refuses: no inline style or script, and every
    // script is one of ours.
    assert!(
        !html.contains("<style") && !html.contains(" style="),
        "{html}"
    );
    let scripts: Vec<&str> = html.split("<script").skip(1).collect();
    for tag in &scripts {
        assert!(tag.starts_with(" src=\"/static/"), "inline script: {tag}");
        assert!(tag
            .split_once('>')
            .is_some_and(|(_, rest)| rest.starts_with("</script>")));
    }
    let css = html
        .split("rel=\"stylesheet\" href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a style sheet link");
    let sheet = a.http.get(a.url(css)).send().await.unwrap();
    assert!(sheet.status().is_success());
    assert!(sheet.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/css"));

    let home = a.http.get(a.url("/")).send().await.unwrap();
    assert_hardened(&home, "home page");
    let api = a.http.get(a.url("/api/v1/groups")).send().await.unwrap();
    assert_hardened(&api, "API");
    let missing = a
        .http
        .get(a.url("/api/v1/no-such-thing"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), reqwest::StatusCode::NOT_FOUND);
    assert_hardened(&missing, "API error");
    let ap = a
        .http
        .get(a.url("/g/acme"))
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert!(ap.status().is_success());
    assert_hardened(&ap, "ActivityPub");
    let inbox = a
        .http
        .post(a.url("/inbox"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert!(inbox.status().is_client_error());
    assert_hardened(&inbox, "inbox error");
}

/// A client that sends half a request line and then nothing is disconnected once the
/// header read timeout passes (the read sees the end of the stream).
async fn half_open_requests_are_disconnected(backend: Backend) {
    let a = Peer::start_custom(backend, |s| s.header_read_timeout_ms = 300).await;
    let mut conn = tokio::net::TcpStream::connect(("127.0.0.1", a.port))
        .await
        .unwrap();
    conn.write_all(b"GET / HT").await.unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(20), conn.read_to_end(&mut buf)).await;
    assert!(
        matches!(read, Ok(Ok(_)) | Ok(Err(_))),
        "the connection was still open after 20 s"
    );
    // An ordinary request on a fresh connection is still served.
    let resp = a.http.get(a.url("/")).send().await.unwrap();
    assert!(resp.status().is_success());
}

both_backends!(
    every_response_carries_the_security_headers,
    half_open_requests_are_disconnected
);
