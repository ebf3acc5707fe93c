//! The durable inbound queue (`--inbox-queue`): accepted means stored, even when the
//! process dies before processing; duplicates stay out; a full queue answers 503 with
//! Retry-After; and the batched inbox stores each answer exactly once under concurrent
//! duplicate deliveries, and sees follows and bans made after it cached the group.

mod common;
use common::remote::FakeRemote;
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// A `Create{Note}` answer by `user` of `remote` to `question` in `group`.
fn answer(remote: &FakeRemote, user: &str, n: usize, question: &str, group: &str) -> Value {
    let actor = format!("{}/users/{user}", remote.base);
    json!({
        "id": format!("{actor}/activities/create/{n}"),
        "type": "Create",
        "actor": actor,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": [group],
        "object": {
            "id": format!("{actor}/notes/{n}"),
            "type": "Note",
            "attributedTo": actor,
            "content": format!("<p>Answer {n}: turn it off and on again.</p>"),
            "inReplyTo": question,
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "cc": [group],
        }
    })
}

/// A group with one question; returns (group ap_id, question id, question ap_id).
async fn question(a: &Peer) -> (String, String, String) {
    let g = a.group("acme").await;
    let (bob, _) = a.user("bob", false).await;
    let (s, q) = a
        .api(
            Method::POST,
            Some(&bob),
            "/questions",
            Some(json!({"group": "acme", "title": "Printer shows E42", "body": "What now?"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    (
        g.ap_id,
        q["id"].as_str().unwrap().to_string(),
        q["ap_id"].as_str().unwrap().to_string(),
    )
}

async fn stored_answers(a: &Peer, qid: &str) -> Vec<String> {
    let (_, t) = a
        .api(Method::GET, None, &format!("/questions/{qid}"), None)
        .await;
    t["answers"]
        .as_array()
        .unwrap_or(&vec![])
        .iter()
        .map(|x| x["ap_id"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Once the queue is drained: `n` distinct answers are stored under the question and
/// counted on it. Returns the stored answers' ids as listed.
async fn each_stored_once(a: &Peer, qid: &str, n: usize) -> Vec<String> {
    assert!(eventually(10, || async { queued(a).await == 0 }).await);
    let ids = stored_answers(a, qid).await;
    let mut distinct = ids.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), n);
    let (_, t) = a
        .api(Method::GET, None, &format!("/questions/{qid}"), None)
        .await;
    assert_eq!(t["question"]["answer_count"], n, "{t}");
    ids
}

async fn queued(a: &Peer) -> i64 {
    a.query(peerdesk::db::queries::inbound::backlog).await
}

async fn accepted_activities_survive_a_kill(backend: Backend) {
    // Accept only: nothing drains the queue in this process.
    let mut a = Peer::start_custom(backend, |s| {
        s.inbox_queue = true;
        s.inbox_drain = false;
    })
    .await;
    let remote = FakeRemote::start().await;
    let (group, qid, q_ap) = question(&a).await;
    let sends = (0..30).map(|n| {
        let (remote, a, q_ap, group) = (&remote, &a, &q_ap, &group);
        async move {
            let activity = answer(remote, &format!("u{}", n % 3), n, q_ap, group);
            remote.deliver(&a.http, &a.url("/inbox"), &activity).await
        }
    });
    for (s, v) in futures::future::join_all(sends).await {
        assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    }
    assert_eq!(queued(&a).await, 30);
    assert!(stored_answers(&a, &qid).await.is_empty());
    // Duplicates are refused at the door: the queue does not grow.
    let (s, _) = remote
        .deliver(
            &a.http,
            &a.url("/inbox"),
            &answer(&remote, "u0", 0, &q_ap, &group),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED);
    assert_eq!(queued(&a).await, 30);

    // The process dies; the next one drains what was accepted, once each.
    a.restart_custom(|s| s.inbox_queue = true).await;
    assert!(
        eventually(20, || async { stored_answers(&a, &qid).await.len() == 30 }).await,
        "stored: {}",
        stored_answers(&a, &qid).await.len()
    );
    each_stored_once(&a, &qid, 30).await;
}

async fn a_full_queue_answers_503(backend: Backend) {
    let a = Peer::start_custom(backend, |s| {
        s.inbox_queue = true;
        s.inbox_drain = false;
        s.inbox_queue_max = 2;
    })
    .await;
    let remote = FakeRemote::start().await;
    let (group, _, q_ap) = question(&a).await;
    for n in 0..2 {
        let (s, v) = remote
            .deliver(
                &a.http,
                &a.url("/inbox"),
                &answer(&remote, "u", n, &q_ap, &group),
            )
            .await;
        assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    }
    let activity = answer(&remote, "u", 2, &q_ap, &group);
    let (s, v) = remote.deliver(&a.http, &a.url("/inbox"), &activity).await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{v}");
    assert_eq!(v["error"], "service_unavailable");
    assert_eq!(queued(&a).await, 2);
}

async fn concurrent_duplicates_are_stored_once(backend: Backend) {
    for queue in [false, true] {
        let a = Peer::start_custom(backend, |s| s.inbox_queue = queue).await;
        let remote = FakeRemote::start().await;
        let (group, qid, q_ap) = question(&a).await;
        // Ten answers, each delivered five times at once.
        let sends = (0..50).map(|i| {
            let (remote, a, q_ap, group) = (&remote, &a, &q_ap, &group);
            async move {
                let activity = answer(remote, "carol", i % 10, q_ap, group);
                remote.deliver(&a.http, &a.url("/inbox"), &activity).await
            }
        });
        for (s, v) in futures::future::join_all(sends).await {
            assert_eq!(s, StatusCode::ACCEPTED, "{v}");
        }
        assert!(
            eventually(20, || async { stored_answers(&a, &qid).await.len() >= 10 }).await,
            "queue: {queue}"
        );
        let mut ids = stored_answers(&a, &qid).await;
        assert_eq!(ids.len(), 10, "queue: {queue}: {ids:?}");
        ids.dedup();
        assert_eq!(ids.len(), 10);
        let (_, t) = a
            .api(Method::GET, None, &format!("/questions/{qid}"), None)
            .await;
        assert_eq!(t["question"]["answer_count"], 10, "queue: {queue}: {t}");
    }
}

async fn two_processes_share_the_queue(backend: Backend) {
    let a1 = Peer::start_custom(backend, |s| s.inbox_queue = true).await;
    // A second process of the same instance: same database and domain, its own port.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mut settings = test_settings(a1.port, &a1.db.url);
    settings.inbox_queue = true;
    let addr = listener.local_addr().unwrap();
    let a2 = peerdesk::app::start(settings, listener)
        .await
        .expect("second process");
    let remote = FakeRemote::start().await;
    let (group, qid, q_ap) = question(&a1).await;
    // Half of the answers arrive at each process, each answer twice (once at each).
    let sends = (0..40).map(|i| {
        let (remote, a1, q_ap, group) = (&remote, &a1, &q_ap, &group);
        async move {
            let activity = answer(remote, &format!("u{}", i % 4), i % 20, q_ap, group);
            let inbox = if i % 2 == 0 {
                a1.url("/inbox")
            } else {
                format!("http://{addr}/inbox")
            };
            remote.deliver(&a1.http, &inbox, &activity).await
        }
    });
    for (s, v) in futures::future::join_all(sends).await {
        assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    }
    assert!(
        eventually(20, || async { stored_answers(&a1, &qid).await.len() >= 20 }).await,
        "stored: {}",
        stored_answers(&a1, &qid).await.len()
    );
    let ids = each_stored_once(&a1, &qid, 20).await;
    assert_eq!(ids.len(), 20, "{ids:?}");
    a2.kill().await;
}

/// The batched inbox places answers with a cached view of the group (followers, bans):
/// a follow or a ban made meanwhile applies to the very next answer.
async fn follows_and_bans_apply_to_the_next_answer(backend: Backend) {
    let a = Peer::start(backend).await;
    let remote = FakeRemote::start().await;
    let follower = FakeRemote::start().await;
    let (group, qid, qap) = question(&a).await;
    let inbox = a.url("/inbox");
    let (s, v) = remote
        .deliver(&a.http, &inbox, &answer(&remote, "carol", 1, &qap, &group))
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");

    // A follow after the group was cached: the next answer is announced to it.
    let dave = format!("{}/users/dave", follower.base);
    let follow = json!({
        "id": format!("{dave}/activities/follow/1"),
        "type": "Follow",
        "actor": dave,
        "object": group,
    });
    let (s, v) = follower.deliver(&a.http, &inbox, &follow).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    assert_eq!(a.get_ap("/g/acme/followers").await.1["totalItems"], 1);
    let second = answer(&remote, "carol", 2, &qap, &group);
    let note = second["object"]["id"].as_str().unwrap().to_string();
    let (s, v) = remote.deliver(&a.http, &inbox, &second).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let announced = || {
        let (follower, note) = (follower.clone(), note.clone());
        async move {
            follower
                .received
                .lock()
                .unwrap()
                .iter()
                .any(|v| v["type"] == "Announce" && v.to_string().contains(&note))
        }
    };
    assert!(
        eventually(20, announced).await,
        "the new follower got the answer"
    );

    // A ban after the group was cached: the next answer is refused.
    let (admin, _) = a.user("admin", true).await;
    let carol = format!("{}/users/carol", remote.base);
    let (s, v) = a
        .api(
            Method::POST,
            Some(&admin),
            "/groups/acme/bans",
            Some(json!({"handle": carol, "reason": "spam"})),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (s, v) = remote
        .deliver(&a.http, &inbox, &answer(&remote, "carol", 3, &qap, &group))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    let stored = stored_answers(&a, &qid).await;
    assert_eq!(stored.len(), 2, "{stored:?}");
    assert!(
        !stored.iter().any(|x| x.ends_with("/notes/3")),
        "{stored:?}"
    );
}

/// Records `activity_id` as received, with `received_at` as given (negative: in
/// progress since that time, as a process killed mid-way leaves it).
async fn record_received(a: &Peer, activity_id: &str, received_at: i64) {
    let sql = format!(
        "INSERT INTO received_activities (ap_id, received_at) VALUES ('{activity_id}', {received_at})"
    );
    a.query(move |c| {
        peerdesk::with_conn!(c, c => diesel::RunQueryDsl::execute(diesel::sql_query(sql.clone()), c))?;
        Ok(())
    })
    .await;
}

/// An activity whose processing was cut short by a kill (recorded as in progress long
/// ago) is processed when the sender retries; one in progress right now is a duplicate.
async fn retries_after_a_kill_mid_processing_are_not_lost(backend: Backend) {
    let a = Peer::start(backend).await;
    let remote = FakeRemote::start().await;
    let (group, qid, qap) = question(&a).await;
    let inbox = a.url("/inbox");
    let now = peerdesk::db::now_ms();

    // Answers (the batched path).
    let crashed = answer(&remote, "carol", 1, &qap, &group);
    let busy = answer(&remote, "carol", 2, &qap, &group);
    record_received(&a, crashed["id"].as_str().unwrap(), -(now - 120_000)).await;
    record_received(&a, busy["id"].as_str().unwrap(), -now).await;
    for activity in [&crashed, &busy] {
        let (s, v) = remote.deliver(&a.http, &inbox, activity).await;
        assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    }
    let stored = stored_answers(&a, &qid).await;
    assert_eq!(
        stored,
        vec![crashed["object"]["id"].as_str().unwrap().to_string()]
    );

    // A vote (the one-by-one path).
    let vote = json!({
        "id": format!("{}/users/carol/activities/like/1", remote.base),
        "type": "Like",
        "actor": format!("{}/users/carol", remote.base),
        "object": qap,
    });
    record_received(&a, vote["id"].as_str().unwrap(), -(now - 120_000)).await;
    let (s, v) = remote.deliver(&a.http, &inbox, &vote).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let (_, t) = a
        .api(Method::GET, None, &format!("/questions/{qid}"), None)
        .await;
    assert_eq!(t["question"]["upvotes"], 1, "{t}");
    // Processed now: a further copy is a duplicate.
    let (s, _) = remote.deliver(&a.http, &inbox, &vote).await;
    assert_eq!(s, StatusCode::ACCEPTED);
    let (_, t) = a
        .api(Method::GET, None, &format!("/questions/{qid}"), None)
        .await;
    assert_eq!(t["question"]["upvotes"], 1, "{t}");
}

/// Pruning drops old records, processed or left in progress, and keeps recent ones,
/// including those being processed now.
async fn pruning_keeps_what_is_in_progress(backend: Backend) {
    let a = Peer::start(backend).await;
    let now = peerdesk::db::now_ms();
    for (id, at) in [
        ("old-done", 1_000),
        ("old-crashed", -1_000),
        ("busy", -now),
        ("done", now),
    ] {
        record_received(&a, &format!("https://remote.example/{id}"), at).await;
    }
    // (The instance prunes on its own too, with the same query: either may drop the old.)
    a.query(move |c| peerdesk::db::queries::activities::prune_received(c, now - 60_000))
        .await;
    // Recorded afresh means it was gone; the recent ones still count as received.
    let fresh = a
        .query(|c| {
            let ids = [
                "https://remote.example/old-done",
                "https://remote.example/old-crashed",
                "https://remote.example/busy",
                "https://remote.example/done",
            ];
            peerdesk::db::queries::activities::mark_received_many(c, &ids)
        })
        .await;
    let mut fresh: Vec<String> = fresh.into_iter().collect();
    fresh.sort();
    assert_eq!(
        fresh,
        vec![
            "https://remote.example/old-crashed".to_string(),
            "https://remote.example/old-done".to_string()
        ]
    );
}

/// Whether `activity_id` is recorded as received (processed or not).
async fn received(a: &Peer, activity_id: &str) -> bool {
    let id = activity_id.to_string();
    a.query(move |c| {
        use diesel::prelude::*;
        use peerdesk::db::schema::received_activities as r;
        Ok(peerdesk::with_conn!(c, c => r::table.find(&id).count().get_result::<i64>(c))? == 1)
    })
    .await
}

async fn followers(a: &Peer) -> Value {
    a.get_ap("/g/acme/followers").await.1["totalItems"].clone()
}

/// Without `--inbox-queue`: the process dies while it handles a `Follow` (one by one) that
/// a copy of was already answered `202`; after the restart the follow is made, without
/// the sender sending it again, and a further copy is still a duplicate (no second
/// `Accept`).
async fn a_kill_mid_processing_loses_no_acknowledged_activity(backend: Backend) {
    let mut a = Peer::start_custom(backend, |s| {
        s.stall_activity = Some("Follow".into());
        s.inbox_lease_ms = 1_000;
    })
    .await;
    let remote = FakeRemote::start().await;
    let group = a.group("acme").await;
    let inbox = a.url("/inbox");
    let follow = json!({
        "id": format!("{}/users/carol/activities/follow/1", remote.base),
        "type": "Follow",
        "actor": format!("{}/users/carol", remote.base),
        "object": group.ap_id,
    });
    // The first delivery stalls in its handler; its sender gives up waiting and retries.
    let first = {
        let (remote, inbox, follow) = (remote.clone(), inbox.clone(), follow.clone());
        tokio::spawn(async move {
            let http = reqwest::Client::new();
            remote.deliver(&http, &inbox, &follow).await
        })
    };
    let id = follow["id"].as_str().unwrap().to_string();
    assert!(
        eventually(10, || async { received(&a, &id).await }).await,
        "the Follow was not received"
    );
    let (s, v) = remote.deliver(&a.http, &inbox, &follow).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    assert_eq!(followers(&a).await, 0);

    // The process dies before the Follow is handled.
    a.kill().await;
    first.abort();
    a.restart_custom(|s| s.inbox_lease_ms = 1_000).await;
    assert!(
        eventually(15, || async { followers(&a).await == 1 }).await,
        "the acknowledged Follow was lost"
    );
    assert!(eventually(5, || async { queued(&a).await == 0 }).await);
    assert_eq!(a.sent_count("Accept").await, 1);
    // Processed: a further copy is a duplicate, answered at once and not handled again.
    let (s, v) = remote.deliver(&a.http, &inbox, &follow).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    assert_eq!(a.sent_count("Accept").await, 1);
    assert_eq!(queued(&a).await, 0);
    assert_eq!(followers(&a).await, 1);
}

both_backends!(
    a_kill_mid_processing_loses_no_acknowledged_activity,
    pruning_keeps_what_is_in_progress,
    retries_after_a_kill_mid_processing_are_not_lost,
    follows_and_bans_apply_to_the_next_answer,
    two_processes_share_the_queue,
    accepted_activities_survive_a_kill,
    a_full_queue_answers_503,
    concurrent_duplicates_are_stored_once
);
