//! A scripted remote server for interop tests: it serves an actor document (with one
//! shared key pair) for any actor-looking path, plus any objects a test registers, and
//! signs activities as its actors. Fixtures in `fixtures/` are pushed through a real
//! peerdesk inbox with its signatures.
#![allow(dead_code)]

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Router;
use peerdesk::federation::signing::{generate_keypair, signed_post_headers};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Clone)]
pub struct FakeRemote {
    pub base: String,
    /// (private PEM, public PEM) of every actor here; `rotate_key` replaces it.
    keys: Arc<Mutex<(String, String)>>,
    objects: Arc<Mutex<HashMap<String, Value>>>,
    /// Every activity POSTed to any inbox here.
    pub received: Arc<Mutex<Vec<Value>>>,
    /// While non-zero, every inbox here answers this status (an outage) and counts it in
    /// `refused`.
    pub inbox_status: Arc<std::sync::atomic::AtomicU16>,
    pub refused: Arc<std::sync::atomic::AtomicUsize>,
}

async fn serve(State(remote): State<FakeRemote>, Path(path): Path<String>) -> impl IntoResponse {
    let url = format!("{}/{}", remote.base, path);
    if let Some(v) = remote.objects.lock().unwrap().get(&url) {
        return (
            [(header::CONTENT_TYPE, "application/activity+json")],
            v.to_string(),
        )
            .into_response();
    }
    let segments: Vec<&str> = path.split('/').collect();
    let kind = match segments.first().copied() {
        Some("c") | Some("m") => "Group",
        Some("actor") => "Application",
        Some("users") | Some("u") | Some("profile") if segments.len() == 2 => "Person",
        _ => return (StatusCode::NOT_FOUND, "not found").into_response(),
    };
    let name = segments.last().copied().unwrap_or("actor");
    let doc = json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": url,
        "type": kind,
        "preferredUsername": name,
        "name": format!("Remote {name}"),
        "inbox": format!("{url}/inbox"),
        "outbox": format!("{url}/outbox"),
        "followers": format!("{url}/followers"),
        "endpoints": {"sharedInbox": format!("{}/inbox", remote.base)},
        "publicKey": {"id": format!("{url}#main-key"), "owner": url, "publicKeyPem": remote.keys.lock().unwrap().1.clone()},
    });
    (
        [(header::CONTENT_TYPE, "application/activity+json")],
        doc.to_string(),
    )
        .into_response()
}

async fn inbox(State(remote): State<FakeRemote>, body: axum::body::Bytes) -> StatusCode {
    use std::sync::atomic::Ordering;
    let status = remote.inbox_status.load(Ordering::SeqCst);
    if status != 0 {
        remote.refused.fetch_add(1, Ordering::SeqCst);
        return StatusCode::from_u16(status).unwrap();
    }
    if let Ok(v) = serde_json::from_slice::<Value>(&body) {
        remote.received.lock().unwrap().push(v);
    }
    StatusCode::ACCEPTED
}

impl FakeRemote {
    pub async fn start() -> FakeRemote {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (private_pem, public_pem) = generate_keypair().unwrap();
        let remote = FakeRemote {
            base: format!("http://localhost:{port}"),
            keys: Arc::new(Mutex::new((private_pem, public_pem))),
            objects: Default::default(),
            received: Default::default(),
            inbox_status: Default::default(),
            refused: Default::default(),
        };
        let app = Router::new()
            .route("/inbox", axum::routing::post(inbox))
            .route("/{*path}", axum::routing::get(serve).post(inbox))
            .with_state(remote.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        remote
    }

    /// Serves `object` at its `id`.
    pub fn put(&self, object: Value) {
        let id = object["id"].as_str().unwrap().to_string();
        self.objects.lock().unwrap().insert(id, object);
    }

    /// Gives every actor here a new key pair (the old one stops verifying).
    pub fn rotate_key(&self) {
        *self.keys.lock().unwrap() = generate_keypair().unwrap();
    }

    pub fn private_pem(&self) -> String {
        self.keys.lock().unwrap().0.clone()
    }

    /// POSTs `activity` to `inbox_url`, signed with the key of its `actor`.
    pub async fn deliver(
        &self,
        http: &reqwest::Client,
        inbox_url: &str,
        activity: &Value,
    ) -> (StatusCode, Value) {
        let key = self.private_pem();
        self.deliver_signed(http, inbox_url, activity, &key).await
    }

    /// POSTs `activity` signed with `private_pem` (which may be the wrong key).
    pub async fn deliver_signed(
        &self,
        http: &reqwest::Client,
        inbox_url: &str,
        activity: &Value,
        private_pem: &str,
    ) -> (StatusCode, Value) {
        let actor = activity["actor"].as_str().unwrap();
        let body = serde_json::to_vec(activity).unwrap();
        let url = url::Url::parse(inbox_url).unwrap();
        let headers =
            signed_post_headers(&url, &body, &format!("{actor}#main-key"), private_pem, None)
                .unwrap();
        let resp = http
            .post(inbox_url)
            .headers(headers)
            .body(body)
            .send()
            .await
            .unwrap();
        let status = StatusCode::from_u16(resp.status().as_u16()).unwrap();
        let text = resp.text().await.unwrap_or_default();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }
}

/// Loads `fixtures/NAME.json` with its placeholders replaced.
pub fn fixture(name: &str, vars: &[(&str, &str)]) -> Value {
    let path = format!("{}/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let mut text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    for (k, v) in vars {
        text = text.replace(&format!("{{{{{k}}}}}"), v);
    }
    assert!(
        !text.contains("{{"),
        "unreplaced placeholder in {name}: {text}"
    );
    serde_json::from_str(&text).unwrap()
}
