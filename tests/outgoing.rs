//! The outgoing-URL policy in production mode (`insecure_federation = false`), without
//! the internet: the test host name `attacker.test` stands in for DNS (it resolves to
//! 127.0.0.1 and counts as a public host reachable over plain http); every other address
//! is checked as in production. An "internal" server on 127.0.0.1 counts the connections
//! it accepts: none may reach it.

mod common;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode as AxumStatus};
use axum::response::{IntoResponse, Response};
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A server on 127.0.0.1 that must never be contacted; counts accepted connections.
struct Internal {
    port: u16,
    connections: Arc<AtomicUsize>,
}

impl Internal {
    async fn start() -> Internal {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let connections = Arc::new(AtomicUsize::new(0));
        let count = connections.clone();
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(async move {
                    let mut buf = [0u8; 1024];
                    let _ = sock.read(&mut buf).await;
                    let _ = sock
                        .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 6\r\n\r\nsecret")
                        .await;
                });
            }
        });
        Internal { port, connections }
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

#[derive(Clone)]
enum Reply {
    Redirect(String),
    Json(Value),
}

/// The attacker's server at `http://attacker.test:PORT`: scripted answers by path, and
/// the paths it was asked for.
#[derive(Clone)]
struct Attacker {
    base: String,
    replies: Arc<Mutex<HashMap<String, Reply>>>,
    requested: Arc<Mutex<Vec<String>>>,
    public_pem: String,
}

async fn answer(State(a): State<Attacker>, Path(path): Path<String>) -> Response {
    let path = format!("/{path}");
    a.requested.lock().unwrap().push(path.clone());
    match a.replies.lock().unwrap().get(&path).cloned() {
        Some(Reply::Redirect(to)) => {
            (AxumStatus::FOUND, [(header::LOCATION, to)], "").into_response()
        }
        Some(Reply::Json(v)) => (
            [(header::CONTENT_TYPE, "application/activity+json")],
            v.to_string(),
        )
            .into_response(),
        None => (AxumStatus::NOT_FOUND, "not found").into_response(),
    }
}

impl Attacker {
    async fn start() -> Attacker {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (_, public_pem) = peerdesk::federation::signing::generate_keypair().unwrap();
        let a = Attacker {
            base: format!("http://attacker.test:{port}"),
            replies: Default::default(),
            requested: Default::default(),
            public_pem,
        };
        let app = axum::Router::new()
            .route("/{*path}", axum::routing::get(answer).post(answer))
            .with_state(a.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        a
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn redirect(&self, path: &str, to: &str) {
        let r = Reply::Redirect(to.to_string());
        self.replies.lock().unwrap().insert(path.into(), r);
    }

    /// Serves an actor at `path` with `extra` fields over the defaults.
    fn actor(&self, path: &str, kind: &str, extra: Value) {
        let id = self.url(path);
        let mut doc = json!({
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": id,
            "type": kind,
            "preferredUsername": path.rsplit('/').next().unwrap(),
            "inbox": format!("{id}/inbox"),
            "publicKey": {"id": format!("{id}#main-key"), "owner": id, "publicKeyPem": self.public_pem},
        });
        for (k, v) in extra.as_object().unwrap() {
            doc[k] = v.clone();
        }
        self.json(path, doc);
    }

    fn json(&self, path: &str, doc: Value) {
        self.replies
            .lock()
            .unwrap()
            .insert(path.into(), Reply::Json(doc));
    }

    fn was_asked_for(&self, path: &str) -> bool {
        self.requested.lock().unwrap().iter().any(|p| p == path)
    }
}

/// A peer in production mode, with `attacker.test` standing in for a public host.
async fn production_peer(backend: Backend) -> Peer {
    Peer::start_custom(backend, |s| {
        s.insecure_federation = false;
        s.test_hosts = vec![("attacker.test".into(), "127.0.0.1".parse().unwrap())];
    })
    .await
}

async fn resolve(peer: &Peer, token: &str, handle: &str) -> (StatusCode, Value) {
    let q = url::form_urlencoded::byte_serialize(handle.as_bytes()).collect::<String>();
    peer.api(
        Method::GET,
        Some(token),
        &format!("/resolve?handle={q}"),
        None,
    )
    .await
}

async fn redirects_pass_the_policy_on_every_hop(backend: Backend) {
    let peer = production_peer(backend).await;
    let (token, _) = peer.user("alice", false).await;
    let internal = Internal::start().await;
    let attacker = Attacker::start().await;
    let q = internal.port;
    attacker.actor("/u/real", "Person", json!({}));
    attacker.redirect("/u/moved", &attacker.url("/u/real"));
    let inward = [
        ("/to-loopback", format!("https://127.0.0.1:{q}/secret")),
        ("/to-loopback-http", format!("http://127.0.0.1:{q}/secret")),
        (
            "/to-mapped",
            format!("https://[::ffff:127.0.0.1]:{q}/secret"),
        ),
        (
            "/to-metadata",
            "http://169.254.169.254/latest/meta-data/".into(),
        ),
        ("/to-private", "https://10.0.0.1/".into()),
        ("/to-ula", "https://[fd00::1]/".into()),
        ("/to-zero", format!("https://0.0.0.0:{q}/")),
        // The first hop is allowed; the second is not.
        ("/two-hops", attacker.url("/to-loopback")),
    ];
    for (path, to) in &inward {
        attacker.redirect(path, to);
    }

    // A redirect within the policy is followed.
    let (s, v) = resolve(&peer, &token, &attacker.url("/u/moved")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["id"], attacker.url("/u/real"));

    for (path, to) in &inward {
        // Through the API: the remote URL is fetched, its redirect is refused.
        let (s, v) = resolve(&peer, &token, &attacker.url(path)).await;
        assert_ne!(s, StatusCode::OK, "redirect {path} -> {to} followed: {v}");
        assert!(attacker.was_asked_for(path), "{path} was never fetched");
        // Through the client every fetch uses: the hop itself is refused by the policy.
        let err = peer
            .state()
            .http
            .get(attacker.url(path))
            .send()
            .await
            .expect_err("an inward redirect was followed");
        assert!(
            err.is_redirect(),
            "{path} -> {to}: not refused as a redirect: {err:?}"
        );
    }
    assert_eq!(
        internal.connections(),
        0,
        "the internal server was contacted"
    );
}

async fn ip_literal_inboxes_get_no_delivery(backend: Backend) {
    let peer = production_peer(backend).await;
    let (admin, _) = peer.user("admin", true).await;
    let internal = Internal::start().await;
    let attacker = Attacker::start().await;
    let inbox = format!("https://127.0.0.1:{}/inbox", internal.port);
    attacker.actor(
        "/c/help",
        "Group",
        json!({"inbox": inbox, "endpoints": {"sharedInbox": inbox}}),
    );
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&admin),
            "/follows",
            Some(json!({"handle": attacker.url("/c/help")})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["pending"], true, "{v}");
    assert!(
        eventually(15, || async {
            let (_, stats) = peer
                .api(Method::GET, Some(&admin), "/admin/deliveries", None)
                .await;
            stats["pending"] == 0
                && stats["failed"] == 1
                && stats["recent_failures"][0]["inbox"] == inbox.as_str()
                && stats["recent_failures"][0]["attempts"] == 1
                && stats["recent_failures"][0]["error"]
                    .as_str()
                    .is_some_and(|e| e.contains("outgoing-URL policy"))
        })
        .await,
        "the delivery to an IP-literal inbox was not failed for good"
    );
    let (_, stats) = peer
        .api(Method::GET, Some(&admin), "/admin/deliveries", None)
        .await;
    let inst = stats["instances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["domain"] == format!("127.0.0.1:{}", internal.port))
        .cloned()
        .unwrap_or_else(|| panic!("{stats}"));
    assert_eq!(inst["failure_streak"], 0, "{inst}");
    assert_eq!(
        internal.connections(),
        0,
        "the IP-literal inbox was contacted"
    );
}

async fn staff_domains_must_be_host_names(backend: Backend) {
    let peer = production_peer(backend).await;
    let (admin, _) = peer.user("admin", true).await;
    let internal = Internal::start().await;
    let attacker = Attacker::start().await;
    let q = internal.port;
    let bad = [
        (
            "/u/port",
            json!({"name": "Acme", "domain": format!("127.0.0.1:{q}/x?")}),
        ),
        ("/u/ip", json!({"name": "Acme", "domain": "127.0.0.1"})),
        (
            "/u/path",
            json!({"name": "Acme", "domain": "attacker.test/evil"}),
        ),
        (
            "/u/userinfo",
            json!({"name": "Acme", "domain": "a@attacker.test"}),
        ),
        (
            "/u/url",
            json!({"name": "Acme", "url": format!("https://127.0.0.1:{q}/x")}),
        ),
    ];
    for (path, claim) in &bad {
        attacker.actor(path, "Person", json!({ "staffOf": claim }));
    }
    attacker.actor(
        "/u/fine",
        "Person",
        json!({"staffOf": {"name": "Acme", "domain": "Attacker.Test"}}),
    );
    for path in bad.iter().map(|(p, _)| *p).chain(["/u/fine"]) {
        let (s, v) = resolve(&peer, &admin, &attacker.url(path)).await;
        assert_eq!(s, StatusCode::OK, "{path}: {v}");
    }
    let claims = || async {
        let (_, claims) = peer
            .api(Method::GET, Some(&admin), "/admin/staff-claims", None)
            .await;
        claims.as_array().unwrap().clone()
    };
    // The well-formed claim is recorded and checked (its domain is fetched over https on
    // port 443, where nothing listens); the others are not claims at all.
    assert!(
        eventually(15, || async {
            claims().await.iter().any(|c| {
                c["actor"] == attacker.url("/u/fine")
                    && c["domain"] == "attacker.test"
                    && c["reason"] != "not checked yet"
            })
        })
        .await,
        "the well-formed claim was not checked: {:?}",
        claims().await
    );
    let recorded = claims().await;
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    assert_eq!(recorded[0]["verified"], false);
    assert_eq!(internal.connections(), 0, "a claimed domain was contacted");
}

async fn actor_urls(peer: &Peer, id: String) -> (Option<String>, Option<String>) {
    let row = peer
        .query(move |c| peerdesk::db::queries::actors::by_ap_id(c, &id))
        .await
        .unwrap();
    (row.url, row.icon)
}

async fn only_web_urls_are_kept(backend: Backend) {
    let peer = production_peer(backend).await;
    let (token, _) = peer.user("alice", false).await;
    let attacker = Attacker::start().await;
    attacker.actor("/c/help", "Group", json!({}));
    attacker.actor(
        "/u/js",
        "Person",
        json!({
            "url": ["javascript:alert(1)", {"type": "Link", "href": "data:text/html,x"}],
            "icon": {"type": "Image", "url": "javascript:alert(2)"},
        }),
    );
    attacker.actor(
        "/u/web",
        "Person",
        json!({"url": attacker.url("/@web"), "icon": {"type": "Image", "url": attacker.url("/i.png")}}),
    );
    let question = |path: &str, url: Value| {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": attacker.url(path),
            "type": "Page",
            "attributedTo": attacker.url("/u/js"),
            "audience": attacker.url("/c/help"),
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "cc": [attacker.url("/c/help")],
            "name": "How do I reset my router?",
            "content": "<p>It keeps blinking.</p>",
            "url": url,
        })
    };
    attacker.json("/q/js", question("/q/js", json!("javascript:alert(3)")));
    attacker.json("/q/web", question("/q/web", json!(attacker.url("/post/1"))));

    for path in ["/u/js", "/u/web"] {
        let (s, v) = resolve(&peer, &token, &attacker.url(path)).await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }
    assert_eq!(actor_urls(&peer, attacker.url("/u/js")).await, (None, None));
    assert_eq!(
        actor_urls(&peer, attacker.url("/u/web")).await,
        (Some(attacker.url("/@web")), Some(attacker.url("/i.png")))
    );
    let (_, view) = resolve(&peer, &token, &attacker.url("/u/js")).await;
    assert!(!view.to_string().contains("javascript:"), "{view}");

    for (path, kept) in [("/q/js", None), ("/q/web", Some(attacker.url("/post/1")))] {
        let q =
            url::form_urlencoded::byte_serialize(attacker.url(path).as_bytes()).collect::<String>();
        let (s, view) = peer
            .api(
                Method::GET,
                Some(&token),
                &format!("/resolve/object?url={q}"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{view}");
        assert!(!view.to_string().contains("javascript:"), "{view}");
        let id = attacker.url(path);
        let post = peer
            .query(move |c| peerdesk::db::queries::posts::by_ap_id(c, &id))
            .await
            .unwrap();
        assert_eq!(post.url, kept, "{path}");
    }
}

both_backends!(
    redirects_pass_the_policy_on_every_hop,
    ip_literal_inboxes_get_no_delivery,
    staff_domains_must_be_host_names,
    only_web_urls_are_kept,
);
