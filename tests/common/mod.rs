//! Test harness: real peerdesk instances in-process on 127.0.0.1 with `localhost:PORT`
//! domains, each on its own fresh database (SQLite file, or a new PostgreSQL database
//! when `DATABASE_URL_PG` is set), talking real HTTP with real signatures.
#![allow(dead_code)]

pub mod browser;
pub mod forms;
pub mod maildev;
pub mod people;
pub mod remote;
pub mod scripted;

use diesel::{Connection, PgConnection, RunQueryDsl};
use peerdesk::app::{start, RunningInstance};
use peerdesk::config::Settings;
use peerdesk::db::models::Actor;
use peerdesk::domain::accounts::{self, Roles};
use peerdesk::state::AppState;
use reqwest::StatusCode;
use serde_json::Value;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpListener;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn pg_url() -> Option<String> {
    std::env::var("DATABASE_URL_PG")
        .ok()
        .filter(|s| !s.is_empty())
}

/// Runs a test body once on SQLite and once on PostgreSQL (when available).
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn sqlite() {
                    super::$name($crate::common::Backend::Sqlite).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn postgres() {
                    if $crate::common::pg_url().is_none() {
                        eprintln!("PostgreSQL not configured (DATABASE_URL_PG); skipped");
                        return;
                    }
                    super::$name($crate::common::Backend::Postgres).await
                }
            }
        )*
    };
}

/// A fresh database, removed when dropped.
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    /// (admin URL, database name) of a PostgreSQL test database.
    pub pg: Option<(String, String)>,
}

impl TestDb {
    pub fn new(backend: Backend) -> TestDb {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("tempdir");
                let url = format!("sqlite://{}", dir.path().join("peerdesk.db").display());
                TestDb {
                    url,
                    _dir: Some(dir),
                    pg: None,
                }
            }
            Backend::Postgres => {
                let admin = pg_url().expect("DATABASE_URL_PG");
                drop_stale_databases(&admin);
                let name = format!("peerdesk_test_{:016x}", rand::random::<u64>());
                let mut conn = PgConnection::establish(&admin).expect("connect to PostgreSQL");
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .expect("create test database");
                let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
                let url = format!("{base}/{name}");
                TestDb {
                    url,
                    _dir: None,
                    pg: Some((admin, name)),
                }
            }
        }
    }
}

/// Test databases are dropped by the next test process rather than at the end of each
/// test: an instance's blocking tasks may still hold connections while a test winds down.
/// Databases still in use (another test process) are left alone.
fn drop_stale_databases(admin: &str) {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        #[derive(diesel::QueryableByName)]
        struct Name {
            #[diesel(sql_type = diesel::sql_types::Text)]
            datname: String,
        }
        let Ok(mut conn) = PgConnection::establish(admin) else {
            return;
        };
        let names: Vec<Name> = diesel::sql_query(
            "SELECT datname FROM pg_database WHERE datname LIKE 'peerdesk_test_%'",
        )
        .load(&mut conn)
        .unwrap_or_default();
        for n in names {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {}", n.datname))
                .execute(&mut conn);
        }
    });
}

/// Settings for a test instance at `localhost:PORT`.
pub fn test_settings(port: u16, db_url: &str) -> Settings {
    let bind: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let mut s = Settings::for_domain(&format!("localhost:{port}"), bind, db_url);
    s.insecure_federation = true;
    s.delivery_retry_base_ms = 200;
    s.delivery_lease_ms = 1_500;
    s.http_timeout_ms = 3_000;
    s.db_pool_size = 6;
    s
}

/// One running test instance.
pub struct Peer {
    pub inst: Option<RunningInstance>,
    pub db: TestDb,
    pub port: u16,
    pub base: String,
    pub domain: String,
    pub http: reqwest::Client,
}

impl Peer {
    pub async fn start(backend: Backend) -> Peer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        Peer::start_with(TestDb::new(backend), listener, port, |_| {}).await
    }

    /// Starts with custom settings.
    pub async fn start_custom(backend: Backend, tweak: impl FnOnce(&mut Settings)) -> Peer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        Peer::start_with(TestDb::new(backend), listener, port, tweak).await
    }

    pub async fn start_with(
        db: TestDb,
        listener: TcpListener,
        port: u16,
        tweak: impl FnOnce(&mut Settings),
    ) -> Peer {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_test_writer()
            .try_init();
        let mut settings = test_settings(port, &db.url);
        tweak(&mut settings);
        let inst = start(settings, listener).await.expect("start instance");
        Peer {
            inst: Some(inst),
            db,
            port,
            base: format!("http://localhost:{port}"),
            domain: format!("localhost:{port}"),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .build()
                .unwrap(),
        }
    }

    pub fn state(&self) -> &AppState {
        &self.inst.as_ref().expect("instance is running").state
    }

    /// Stops the instance abruptly (like a crash), keeping its database.
    pub async fn kill(&mut self) {
        if let Some(inst) = self.inst.take() {
            inst.kill().await;
        }
    }

    /// Starts the instance again on the same port and database.
    pub async fn restart(&mut self) {
        self.restart_custom(|_| {}).await
    }

    /// [`Peer::restart`] with custom settings.
    pub async fn restart_custom(&mut self, tweak: impl FnOnce(&mut Settings)) {
        self.kill().await;
        let listener = bind_retry(self.port).await;
        let mut settings = test_settings(self.port, &self.db.url);
        tweak(&mut settings);
        self.inst = Some(start(settings, listener).await.expect("restart instance"));
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Creates a local user and returns a bearer token for it.
    pub async fn user(&self, name: &str, admin: bool) -> (String, Actor) {
        let roles = Roles {
            admin,
            staff: false,
            can_create_groups: admin,
        };
        let (user, actor) =
            accounts::create_user(self.state(), name, "correct horse battery", roles)
                .await
                .expect("create user");
        let token = accounts::new_session(self.state(), user.id).await.unwrap();
        (token, actor)
    }

    pub async fn group(&self, name: &str) -> Actor {
        peerdesk::domain::groups::create_group(
            self.state(),
            None,
            name,
            "Support",
            "Ask here",
            "Be kind",
        )
        .await
        .expect("create group")
        .1
    }

    pub async fn api(
        &self,
        method: reqwest::Method,
        token: Option<&str>,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self
            .http
            .request(method, self.url(&format!("/api/v1{path}")));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("api request");
        let status = resp.status();
        let text = resp.text().await.unwrap_or_default();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn get_ap(&self, path_or_url: &str) -> (StatusCode, Value) {
        let url = if path_or_url.starts_with("http") {
            path_or_url.to_string()
        } else {
            self.url(path_or_url)
        };
        let resp = self
            .http
            .get(url)
            .header("accept", "application/activity+json")
            .send()
            .await
            .expect("get");
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    /// Runs a blocking query against this instance's database.
    pub async fn query<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut peerdesk::db::DbConn) -> Result<T, peerdesk::error::AppError>
            + Send
            + 'static,
    ) -> T {
        self.state().db.run(f).await.expect("query")
    }

    /// How many activities of a kind this instance has sent (stored in its outbox table).
    pub async fn sent_count(&self, kind: &str) -> i64 {
        let kind = kind.to_string();
        self.query(move |c| {
            use diesel::prelude::*;
            use peerdesk::db::schema::activities as a;
            Ok(peerdesk::with_conn!(c, c => a::table.filter(a::kind.eq(&kind)).count().get_result::<i64>(c))?)
        })
        .await
    }

    /// Follows `handle` as the user of `token` and waits for the `Accept`.
    pub async fn follow_and_wait(&self, token: &str, handle: &str) {
        let (s, v) = self
            .api(
                reqwest::Method::POST,
                Some(token),
                "/follows",
                Some(serde_json::json!({"handle": handle, "accept_guidelines": true})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert!(
            eventually(15, || async {
                let (_, f) = self
                    .api(reqwest::Method::GET, Some(token), "/me/following", None)
                    .await;
                f["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|i| i["target"]["handle"] == handle && i["pending"] == false)
            })
            .await,
            "follow of {handle} not accepted"
        );
    }

    /// The local id of a question in `group`, found by its ActivityPub id.
    pub async fn question_id(&self, group: &str, ap_id: &str) -> Option<String> {
        let (_, list) = self
            .api(
                reqwest::Method::GET,
                None,
                &format!("/questions?group={group}"),
                None,
            )
            .await;
        list.as_array()?
            .iter()
            .find(|q| q["ap_id"] == ap_id)
            .map(|q| q["id"].as_str().unwrap().to_string())
    }

    /// [`Peer::question_id`], waiting until the question has arrived.
    pub async fn wait_question_id(&self, group: &str, ap_id: &str) -> String {
        assert!(
            eventually(15, || async {
                self.question_id(group, ap_id).await.is_some()
            })
            .await,
            "question {ap_id} did not arrive"
        );
        self.question_id(group, ap_id).await.unwrap()
    }

    pub async fn pending_deliveries(&self) -> i64 {
        self.query(|c| Ok(peerdesk::db::queries::deliveries::stats(c)?.pending))
            .await
    }

    /// Through the admin API (`admin`: an admin's token): declares the organisation
    /// `name` of `domain`, makes the local user `staff` its staff member and has the
    /// local group `group` recognise it. Returns the organisation's id.
    pub async fn staffed_org(
        &self,
        admin: &str,
        (name, domain): (&str, &str),
        staff: &str,
        group: &str,
    ) -> String {
        let (s, org) = self
            .api(
                reqwest::Method::POST,
                Some(admin),
                "/admin/organisations",
                Some(serde_json::json!({"name": name, "domain": domain})),
            )
            .await;
        assert_eq!(s, reqwest::StatusCode::CREATED, "{org}");
        let org = org["id"].as_str().unwrap().to_string();
        for (path, body, want) in [
            (
                format!("/admin/users/{staff}/organisation"),
                serde_json::json!({"organisation_id": org}),
                reqwest::StatusCode::NO_CONTENT,
            ),
            (
                format!("/groups/{group}/organisations"),
                serde_json::json!({"organisation_ids": [org]}),
                reqwest::StatusCode::OK,
            ),
        ] {
            let (s, v) = self
                .api(reqwest::Method::PUT, Some(admin), &path, Some(body))
                .await;
            assert_eq!(s, want, "{path}: {v}");
        }
        org
    }
}

pub async fn bind_retry(port: u16) -> TcpListener {
    for _ in 0..100 {
        if let Ok(l) = TcpListener::bind(("127.0.0.1", port)).await {
            return l;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("port {port} did not become free");
}

/// Polls `check` until it returns true or `secs` pass; returns the last result.
pub async fn eventually<F, Fut>(secs: u64, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if check().await {
            return true;
        }
        if tokio::time::Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `remote`'s actor `watcher` follows the local `group` of `peer`; waits until the
/// group has that follower.
pub async fn remote_follows(peer: &Peer, remote: &remote::FakeRemote, group: &Actor) {
    let follow = serde_json::json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/follows/1", remote.base),
        "type": "Follow",
        "actor": format!("{}/users/watcher", remote.base),
        "object": group.ap_id,
    });
    let (status, body) = remote.deliver(&peer.http, &group.inbox, &follow).await;
    assert!(status.is_success(), "{status} {body}");
    let gid = group.id;
    assert!(
        eventually(15, || async {
            peer.query(move |c| peerdesk::db::queries::follows::count_followers(c, gid))
                .await
                == 1
        })
        .await,
        "the follow was not stored"
    );
}
