//! The client API: accounts, sessions, groups, discovery, and the OpenAPI document.

mod common;
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn accounts_and_sessions(backend: Backend) {
    let a = Peer::start(backend).await;
    let (s, v) = a
        .api(
            Method::POST,
            None,
            "/accounts",
            Some(json!({"username": "dana", "password": "long enough pw"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let token = v["token"].as_str().unwrap().to_string();
    assert_eq!(v["user"]["handle"], format!("dana@{}", a.domain));
    assert_eq!(v["user"]["is_admin"], false);

    let (s, v) = a
        .api(
            Method::POST,
            None,
            "/accounts",
            Some(json!({"username": "Dana", "password": "long enough pw"})),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "upper case names are refused: {v}"
    );
    let (s, v) = a
        .api(
            Method::POST,
            None,
            "/accounts",
            Some(json!({"username": "dana", "password": "long enough pw"})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert_eq!(v["error"], "conflict");
    let (s, _) = a
        .api(
            Method::POST,
            None,
            "/accounts",
            Some(json!({"username": "eve", "password": "short"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, v) = a
        .api(
            Method::POST,
            None,
            "/accounts",
            Some(json!({"username": "eve"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "missing field: {v}");
    assert!(v["message"].as_str().unwrap().contains("password"));
    // Malformed JSON and wrong content type get JSON errors too.
    let resp = a
        .http
        .post(a.url("/api/v1/sessions"))
        .header("content-type", "application/json")
        .body("{nope")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(resp.json::<Value>().await.unwrap()["error"].is_string());
    let resp = a
        .http
        .post(a.url("/api/v1/sessions"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let (s, _) = a
        .api(
            Method::POST,
            None,
            "/sessions",
            Some(json!({"username": "dana", "password": "wrong password"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, v) = a
        .api(
            Method::POST,
            None,
            "/sessions",
            Some(json!({"username": "dana", "password": "long enough pw"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let second = v["token"].as_str().unwrap().to_string();
    assert_ne!(second, token);

    let (s, v) = a
        .api(
            Method::PATCH,
            Some(&token),
            "/me",
            Some(json!({"display_name": "Dana D.", "bio": "I fix *printers*"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["display_name"], "Dana D.");
    let (_, actor) = a.get_ap("/u/dana").await;
    assert_eq!(actor["type"], "Person");
    assert_eq!(actor["name"], "Dana D.");
    assert!(actor["summary"]
        .as_str()
        .unwrap()
        .contains("<em>printers</em>"));
    assert!(actor["publicKey"]["publicKeyPem"]
        .as_str()
        .unwrap()
        .contains("BEGIN PUBLIC KEY"));

    let (s, _) = a.api(Method::DELETE, Some(&token), "/sessions", None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = a.api(Method::GET, Some(&token), "/me", None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, v) = a.api(Method::GET, Some(&second), "/me", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["name"], "dana");
}

async fn closed_registrations(backend: Backend) {
    let a = Peer::start_custom(backend, |s| s.open_registrations = false).await;
    let (s, v) = a
        .api(
            Method::POST,
            None,
            "/accounts",
            Some(json!({"username": "dana", "password": "long enough pw"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    let (_, info) = a.get_ap("/nodeinfo/2.1").await;
    assert_eq!(info["openRegistrations"], false);
}

async fn groups_and_moderation_rights(backend: Backend) {
    let a = Peer::start(backend).await;
    let (admin, _) = a.user("admin", true).await;
    let (user, _) = a.user("user", false).await;
    let new = json!({"name": "acme-printers", "title": "Acme Printers", "description": "Ask about **printers**", "guidelines": "Be kind"});
    let (s, _) = a
        .api(Method::POST, Some(&user), "/groups", Some(new.clone()))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = a
        .api(Method::POST, Some(&admin), "/groups", Some(new.clone()))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["handle"], format!("acme-printers@{}", a.domain));
    assert_eq!(v["moderators"][0]["name"], "admin");
    assert!(v["description_html"]
        .as_str()
        .unwrap()
        .contains("<strong>printers</strong>"));
    let (s, _) = a
        .api(Method::POST, Some(&admin), "/groups", Some(new))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, _) = a
        .api(
            Method::POST,
            Some(&admin),
            "/groups",
            Some(json!({"name": "user", "title": "Clash"})),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "groups and users share one namespace"
    );
    let (s, _) = a
        .api(
            Method::POST,
            Some(&admin),
            "/groups",
            Some(json!({"name": "Bad Name", "title": "x"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);

    let (s, _) = a
        .api(
            Method::PATCH,
            Some(&user),
            "/groups/acme-printers",
            Some(json!({"title": "Hijacked"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = a
        .api(
            Method::POST,
            Some(&admin),
            "/groups/acme-printers/moderators",
            Some(json!({"handle": format!("user@{}", a.domain)})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = a
        .api(
            Method::PATCH,
            Some(&user),
            "/groups/acme-printers",
            Some(json!({"title": "Acme Printer Help"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["title"], "Acme Printer Help");

    let (_, group) = a.get_ap("/g/acme-printers").await;
    assert_eq!(group["type"], "Group");
    assert_eq!(group["name"], "Acme Printer Help");
    for key in ["inbox", "outbox", "followers", "moderators", "featured"] {
        assert!(
            group[key].as_str().unwrap().starts_with(&a.base),
            "{key} missing"
        );
    }
    assert_eq!(group["source"]["mediaType"], "text/markdown");
    let (_, mods) = a.get_ap(group["moderators"].as_str().unwrap()).await;
    assert_eq!(mods["totalItems"], 2);
    let (s, list) = a.api(Method::GET, None, "/groups", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 1);
}

async fn discovery(backend: Backend) {
    let a = Peer::start(backend).await;
    a.group("acme").await;
    a.user("alice", false).await;
    for (name, kind) in [("acme", "Group"), ("alice", "Person")] {
        let resp = a
            .http
            .get(a.url(&format!(
                "/.well-known/webfinger?resource=acct:{name}@{}",
                a.domain
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let wf: Value = resp.json().await.unwrap();
        let link = wf["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["rel"] == "self")
            .unwrap();
        assert_eq!(link["type"], "application/activity+json");
        let (_, actor) = a.get_ap(link["href"].as_str().unwrap()).await;
        assert_eq!(actor["type"], kind);
        assert!(wf["links"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["rel"] == "http://webfinger.net/rel/profile-page"));
    }
    let resp = a
        .http
        .get(a.url("/.well-known/webfinger?resource=acct:nobody@x.example"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert!(resp.json::<Value>().await.unwrap()["message"].is_string());

    // The JSON-LD Accept form Mastodon uses, and HTML for browsers.
    let resp = a
        .http
        .get(a.url("/g/acme"))
        .header(
            "accept",
            "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["content-type"], "application/activity+json");
    let resp = a
        .http
        .get(a.url("/g/acme"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(resp.text().await.unwrap().contains("@acme@"));

    let (_, links) = a.get_ap("/.well-known/nodeinfo").await;
    let href = links["links"][0]["href"].as_str().unwrap().to_string();
    let (_, info) = a.get_ap(&href).await;
    assert_eq!(info["software"]["name"], "peerdesk");
    assert_eq!(info["usage"]["users"]["total"], 1);
    assert_eq!(info["openRegistrations"], true);
    let (_, inst) = a.get_ap("/actor").await;
    assert_eq!(inst["type"], "Application");
    let (s, v) = a.get_ap("/no/such/thing").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(v["error"], "not_found");
}

both_backends!(
    accounts_and_sessions,
    closed_registrations,
    groups_and_moderation_rights,
    discovery
);

/// The OpenAPI document is generated from the route registrations; this snapshot makes
/// every API change visible in review. Refresh with `UPDATE_SNAPSHOTS=1 cargo test`.
#[test]
fn openapi_document_matches_snapshot() {
    let doc = serde_json::to_string_pretty(&peerdesk::api::openapi()).unwrap() + "\n";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots/openapi.json");
    if std::env::var("UPDATE_SNAPSHOTS").is_ok() {
        std::fs::write(path, &doc).unwrap();
    }
    let stored = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        stored == doc,
        "the API changed: review it and run `UPDATE_SNAPSHOTS=1 cargo test --test api`"
    );
}

/// Every documented operation is routed (no fallback 404, no 405), so the document cannot
/// describe endpoints that do not exist.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_operation_is_served() {
    let a = Peer::start(Backend::Sqlite).await;
    let doc = serde_json::to_value(peerdesk::api::openapi()).unwrap();
    let mut checked = 0;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            let concrete = path
                .replace("{name}", "nobody")
                .replace("{handle}", "nobody@x.example");
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let resp = a
                .http
                .request(m, a.url(&format!("/api/v1{concrete}")))
                .header("content-type", "application/json")
                .body("{}")
                .send()
                .await
                .unwrap();
            let status = resp.status();
            let body: Value = resp.json().await.unwrap_or(Value::Null);
            assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            assert_ne!(
                body["message"], "no such page or endpoint",
                "{method} {path} is not routed"
            );
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} operations documented");
}
