//! Input at the edges: remote documents that do not parse never come back in an error
//! message; page numbers are bounded alike on both databases; control characters are
//! refused in local input and NUL is stripped from remote text; malformed queries,
//! paths and bodies answer in the JSON error shape.

mod common;
use common::remote::FakeRemote;
use common::scripted::Scripted;
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// What an error body must never contain: the remote document, or internals.
fn assert_clean_error(what: &str, status: StatusCode, body: &Value, secret: &str) {
    assert!(
        status.is_client_error() || status.is_server_error(),
        "{what}: {status} {body}"
    );
    assert!(
        body["error"].is_string(),
        "{what}: not the JSON shape: {body}"
    );
    let message = body["message"].as_str().unwrap_or_default();
    let text = body.to_string();
    assert!(
        !text.contains(secret),
        "{what}: remote content echoed: {text}"
    );
    for internal in [
        "Failed to parse",
        "with content",
        "line 1 column",
        "serde",
        "diesel",
    ] {
        assert!(!text.contains(internal), "{what}: internals echoed: {text}");
    }
    assert!(!message.is_empty(), "{what}: {body}");
}

async fn remote_documents_that_do_not_parse(backend: Backend) {
    let a = Peer::start(backend).await;
    let (token, _) = a.user("alice", false).await;
    let docs = Scripted::start().await;
    let secret = format!("SECRET-{}", rand::random::<u64>());
    let host = docs.base.trim_start_matches("http://").to_string();
    let garbage = format!(r#"{{"subject": "{secret}", "links": "{secret}", "id": 7}}"#);
    docs.reply(
        "/.well-known/webfinger",
        200,
        "application/jrd+json",
        &garbage,
    );
    let object = docs.reply("/objects/1", 200, "application/activity+json", &garbage);
    let actor = docs.reply("/users/x", 200, "application/activity+json", &garbage);
    let handle = format!("x@{host}");

    let cases: Vec<(&str, Method, String, Option<Value>)> = vec![
        (
            "user posts",
            Method::GET,
            format!("/users/{handle}/posts"),
            None,
        ),
        (
            "questions",
            Method::GET,
            format!("/questions?group={handle}"),
            None,
        ),
        (
            "search",
            Method::GET,
            format!("/search?q=printer&group={handle}"),
            None,
        ),
        (
            "reputation",
            Method::GET,
            format!("/users/{handle}/reputation"),
            None,
        ),
        (
            "resolve handle",
            Method::GET,
            format!("/resolve?handle={handle}"),
            None,
        ),
        (
            "resolve URL",
            Method::GET,
            format!("/resolve?handle={actor}"),
            None,
        ),
        (
            "resolve object",
            Method::GET,
            format!("/resolve/object?url={object}"),
            None,
        ),
        (
            "follow",
            Method::POST,
            "/follows".into(),
            Some(json!({"handle": handle})),
        ),
        (
            "follow URL",
            Method::POST,
            "/follows".into(),
            Some(json!({"handle": actor})),
        ),
    ];
    for (what, method, path, body) in cases {
        let (s, v) = a.api(method, Some(&token), &path, body).await;
        assert_clean_error(what, s, &v, &secret);
        assert_eq!(s, StatusCode::BAD_GATEWAY, "{what}: {v}");
        assert_eq!(
            v["message"], "could not read the remote object",
            "{what}: {v}"
        );
    }
}

async fn page_numbers_are_bounded(backend: Backend) {
    let a = Peer::start(backend).await;
    let (token, alice) = a.user("alice", false).await;
    a.group("acme").await;
    let (s, q) = a
        .api(
            Method::POST,
            Some(&token),
            "/questions",
            Some(json!({"group": "acme", "title": "Paper jam", "body": "It jams."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let qid = q["id"].as_str().unwrap().to_string();
    let paged = [
        "/api/v1/questions".to_string(),
        format!("/api/v1/questions/{qid}"),
        format!("/q/{qid}"),
        format!("/q/{qid}/context"),
        "/g/acme/followers".to_string(),
        format!("/u/{}/followers", alice.name),
        format!("/u/{}/following", alice.name),
    ];
    for path in &paged {
        for page in ["9223372036854775807", "10001", "0", "-3"] {
            let (s, v) = get(&a, &format!("{path}?page={page}")).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{path}?page={page}: {v}");
            assert_eq!(v["error"], "bad_request", "{path}?page={page}: {v}");
        }
        // Beyond what an i64 holds: a query that does not parse, answered alike.
        let (s, v) = get(&a, &format!("{path}?page=99999999999999999999")).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{path}: {v}");
        assert_eq!(v["error"], "bad_request", "{path}: {v}");
        let (s, v) = get(&a, &format!("{path}?page=10000")).await;
        assert_eq!(s, StatusCode::OK, "{path}?page=10000: {v}");
    }
    // The last page links back, never forward to a page that does not exist.
    let (_, last) = get(&a, &format!("/q/{qid}/context?page=10000")).await;
    assert!(last.get("next").is_none(), "{last}");
    assert_eq!(
        last["prev"],
        format!("{}/q/{qid}/context?page=9999", a.base)
    );
}

/// GET with ActivityPub JSON accepted (pages answer errors as JSON too).
async fn get(peer: &Peer, path: &str) -> (StatusCode, Value) {
    let resp = peer
        .http
        .get(peer.url(path))
        .header("accept", "application/activity+json")
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

async fn control_characters_in_local_input(backend: Backend) {
    let a = Peer::start(backend).await;
    let (token, _) = a.user("alice", false).await;
    a.group("acme").await;
    let ask = |title: &str, body: &str, tag: &str| json!({"group": "acme", "title": title, "body": body, "tags": [tag]});
    let (s, q) = a
        .api(
            Method::POST,
            Some(&token),
            "/questions",
            Some(ask("Jam", "Line\n\tone\r\n", "paper")),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "tab and line breaks are fine: {q}");
    let qid = q["id"].as_str().unwrap().to_string();
    let cases: Vec<(&str, Method, String, Value)> = vec![
        (
            "title",
            Method::POST,
            "/questions".into(),
            ask("Pa\u{0}per", "body", "paper"),
        ),
        (
            "body",
            Method::POST,
            "/questions".into(),
            ask("Paper", "bo\u{0}dy", "paper"),
        ),
        (
            "tag",
            Method::POST,
            "/questions".into(),
            ask("Paper", "body", "pa\u{0}per"),
        ),
        (
            "escape",
            Method::POST,
            "/questions".into(),
            ask("Paper\u{1b}[2J", "body", "paper"),
        ),
        (
            "answer",
            Method::POST,
            format!("/questions/{qid}/answers"),
            json!({"body": "a\u{0}"}),
        ),
        (
            "edit",
            Method::PATCH,
            format!("/posts/{qid}"),
            json!({"body": "b\u{0}"}),
        ),
        (
            "display name",
            Method::PATCH,
            "/me".into(),
            json!({"display_name": "Al\u{0}ice"}),
        ),
        (
            "bio",
            Method::PATCH,
            "/me".into(),
            json!({"bio": "I fix\u{7} printers"}),
        ),
    ];
    for (what, method, path, body) in cases {
        let (s, v) = a.api(method, Some(&token), &path, Some(body)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{what}: {v}");
        assert_eq!(v["error"], "bad_request", "{what}: {v}");
    }
    // In paths and queries as well.
    for path in [
        "/api/v1/search?q=pa%00per",
        "/api/v1/questions?tag=a%00b",
        "/api/v1/users/al%00ice",
        "/u/al%00ice",
    ] {
        let (s, v) = get(&a, path).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{path}: {v}");
        assert_eq!(v["error"], "bad_request", "{path}: {v}");
    }
    let (_, me) = a.api(Method::GET, Some(&token), "/me", None).await;
    assert!(!me.to_string().contains("\\u0000"), "{me}");
}

async fn nul_is_stripped_from_remote_text(backend: Backend) {
    let a = Peer::start(backend).await;
    let group = a.group("acme").await;
    let remote = FakeRemote::start().await;
    let bob = format!("{}/users/bob", remote.base);
    let page = format!("{}/pages/nul", remote.base);
    let create = json!({
        "id": format!("{page}/create"),
        "type": "Create",
        "actor": bob,
        "to": ["https://www.w3.org/ns/activitystreams#Public", group.ap_id],
        "object": {
            "id": page,
            "type": "Page",
            "attributedTo": bob,
            "audience": group.ap_id,
            "name": "Paper\u{0} jam",
            "content": "<p>It\u{0} jams.</p>",
            "source": {"content": "It\u{0} jams.", "mediaType": "text/markdown"},
            "tag": [{"type": "Hashtag", "name": "#pa\u{0}per"}],
            "to": ["https://www.w3.org/ns/activitystreams#Public", group.ap_id],
        },
    });
    let (s, v) = remote.deliver(&a.http, &a.url("/inbox"), &create).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let (_, list) = a
        .api(Method::GET, None, "/questions?group=acme", None)
        .await;
    let q = list
        .as_array()
        .and_then(|l| l.iter().find(|q| q["ap_id"] == page))
        .unwrap_or_else(|| panic!("question not stored: {list}"));
    assert_eq!(q["title"], "Paper jam", "{q}");
    assert_eq!(q["content_html"], "<p>It jams.</p>", "{q}");
    assert_eq!(q["source"], "It jams.", "{q}");
    assert_eq!(q["tags"], json!(["paper"]), "{q}");
}

async fn malformed_requests_answer_json(backend: Backend) {
    let a = Peer::start(backend).await;
    a.group("acme").await;
    let cases = [
        ("/api/v1/questions?page=abc", StatusCode::BAD_REQUEST),
        ("/api/v1/questions?sort=sideways", StatusCode::BAD_REQUEST),
        ("/api/v1/search", StatusCode::BAD_REQUEST),
        ("/q/abc", StatusCode::BAD_REQUEST),
        ("/q/1/context?page=x", StatusCode::BAD_REQUEST),
        ("/g/acme/followers?page=1.5", StatusCode::BAD_REQUEST),
        ("/activities/like/notanumber", StatusCode::BAD_REQUEST),
    ];
    for (path, expected) in cases {
        let (s, v) = get(&a, path).await;
        assert_eq!(s, expected, "{path}: {v}");
        assert!(
            v["error"].is_string() && v["message"].is_string(),
            "{path}: {v}"
        );
    }
    // A body that is not JSON, and a method a route does not have.
    let resp = a
        .http
        .post(a.url("/api/v1/sessions"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["error"], "bad_request", "{v}");
    let resp = a.http.delete(a.url("/inbox")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(resp.headers().contains_key("allow"));
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["error"], "method_not_allowed", "{v}");
}

both_backends!(
    remote_documents_that_do_not_parse,
    page_numbers_are_bounded,
    control_characters_in_local_input,
    nul_is_stripped_from_remote_text,
    malformed_requests_answer_json,
);
