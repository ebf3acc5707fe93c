//! The guarantees the fast paths must keep: backpressure with Retry-After, key rotation
//! picked up while keys are cached, forged signatures refused with a cached key, and two
//! processes on one database sharing delivery work without double sends.

mod common;
use common::remote::FakeRemote;
use common::*;
use peerdesk::db::queries;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn follow_activity(remote: &FakeRemote, n: u32, target: &str) -> Value {
    json!({
        "id": format!("{}/activities/follow/{n}", remote.base),
        "type": "Follow",
        "actor": format!("{}/users/alice", remote.base),
        "object": target,
    })
}

async fn backpressure_answers_503_with_retry_after(backend: Backend) {
    let a = Peer::start_custom(backend, |s| s.inbox_max_in_flight = 0).await;
    let remote = FakeRemote::start().await;
    let g = a.group("acme").await;
    let (s, v) = remote
        .deliver(
            &a.http,
            &a.url("/inbox"),
            &follow_activity(&remote, 1, &g.ap_id),
        )
        .await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{v}");
    assert_eq!(v["error"], "service_unavailable");
    // Retry-After comes with it.
    let body = serde_json::to_vec(&follow_activity(&remote, 2, &g.ap_id)).unwrap();
    let resp = a
        .http
        .post(a.url("/inbox"))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(resp.headers().get("retry-after").is_some());
}

async fn rotated_keys_and_forged_signatures(backend: Backend) {
    let a = Peer::start(backend).await;
    let remote = FakeRemote::start().await;
    let g = a.group("acme").await;
    let (s, v) = remote
        .deliver(
            &a.http,
            &a.url("/inbox"),
            &follow_activity(&remote, 1, &g.ap_id),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    // The key is cached now; a signature by another key is still refused.
    let (wrong, _) = peerdesk::federation::signing::generate_keypair().unwrap();
    let undo = json!({"id": format!("{}/activities/undo/1", remote.base), "type": "Undo", "actor": format!("{}/users/alice", remote.base), "object": follow_activity(&remote, 1, &g.ap_id)});
    let (s, _) = remote
        .deliver_signed(&a.http, &a.url("/inbox"), &undo, &wrong)
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(a.get_ap("/g/acme/followers").await.1["totalItems"], 1);
    // The remote rotates its key: the next activity verifies after one refetch.
    remote.rotate_key();
    let (s, v) = remote.deliver(&a.http, &a.url("/inbox"), &undo).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    assert_eq!(a.get_ap("/g/acme/followers").await.1["totalItems"], 0);
}

async fn two_processes_share_deliveries(backend: Backend) {
    let a1 = Peer::start(backend).await;
    // A second process of the same instance: same database and domain, its own port.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let settings = test_settings(a1.port, &a1.db.url);
    let a2 = peerdesk::app::start(settings, listener)
        .await
        .expect("second process");
    let group = a1.group("acme").await;
    let (_, asker) = a1.user("asker", false).await;
    let mut remotes = Vec::new();
    for i in 0..5 {
        let r = FakeRemote::start().await;
        let actor = format!("{}/users/f{i}", r.base);
        let (_, doc) = (
            0,
            reqwest::get(&actor)
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap(),
        );
        let json: peerdesk::federation::objects::ApActor = serde_json::from_value(doc).unwrap();
        let row = json.to_row();
        let gid = group.id;
        a1.query(move |c| {
            let a = queries::actors::upsert_remote(c, row)?;
            queries::follows::upsert(c, a.id, gid, false, None)
        })
        .await;
        remotes.push(r);
    }
    let config = peerdesk::federation::build_config(a1.state().clone())
        .await
        .unwrap();
    let data = config.to_request_data();
    for i in 0..20 {
        peerdesk::actions::qa::ask(
            &data,
            &asker,
            &group,
            &format!("Question {i}"),
            "body",
            vec![],
        )
        .await
        .unwrap();
    }
    let expected = 20 * 2;
    assert!(
        eventually(30, || async {
            remotes
                .iter()
                .all(|r| r.received.lock().unwrap().len() >= expected)
        })
        .await,
        "not all deliveries arrived"
    );
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    for r in &remotes {
        let got = r.received.lock().unwrap();
        let mut ids: Vec<&str> = got.iter().map(|v| v["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), expected, "a delivery was sent twice or lost");
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), expected);
    }
    assert!(
        eventually(10, || async { a1.pending_deliveries().await == 0 }).await,
        "deliveries stay pending"
    );
    a2.kill().await;
    let _ = Method::GET;
}

both_backends!(
    backpressure_answers_503_with_retry_after,
    rotated_keys_and_forged_signatures,
    two_processes_share_deliveries
);

/// The pool does not test a PostgreSQL connection before each use; one the server cut
/// (a restart, an administrator) fails the work that finds it and is then dropped, so
/// the next work gets a fresh connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_cut_by_the_server_is_replaced() {
    if pg_url().is_none() {
        eprintln!("PostgreSQL not configured (DATABASE_URL_PG); skipped");
        return;
    }
    use diesel::{Connection, RunQueryDsl};
    let tdb = TestDb::new(Backend::Postgres);
    let url = tdb.url.clone();
    let db = tokio::task::spawn_blocking(move || peerdesk::db::Db::connect(&url, 1))
        .await
        .unwrap()
        .expect("connect");
    assert_eq!(db.run(queries::inbound::backlog).await.unwrap(), 0);
    let url = tdb.url.clone();
    let cut = tokio::task::spawn_blocking(move || {
        let mut admin = diesel::PgConnection::establish(&url).expect("connect");
        diesel::sql_query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
        .execute(&mut admin)
        .expect("terminate")
    })
    .await
    .unwrap();
    assert!(cut >= 1, "the pool's connection was terminated");
    assert!(
        db.run(queries::inbound::backlog).await.is_err(),
        "the cut connection is used once"
    );
    assert_eq!(
        db.run(queries::inbound::backlog).await.unwrap(),
        0,
        "then replaced"
    );
}
