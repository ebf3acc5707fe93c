//! What a group hosted here receives and its announcement to the group's followers are
//! committed together: when writing the announcement fails, the activity's effect is
//! rolled back too and the activity is processed again from the inbound queue, so that
//! every effect stored is announced, and announced once.

mod common;
use common::remote::FakeRemote;
use common::*;
use peerdesk::db::models::{Activity, Delivery};
use serde_json::{json, Value};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// A question by `author` on the sender's server, in `group`.
fn question(author: &str, n: usize, group: &str) -> Value {
    let id = format!("{author}/questions/{n}");
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{id}/create"),
        "type": "Create",
        "actor": author,
        "to": [PUBLIC, group],
        "object": {
            "id": id,
            "type": "Page",
            "name": format!("Printer question {n}"),
            "attributedTo": author,
            "audience": group,
            "content": "<p>It prints blank pages.</p>",
            "to": [PUBLIC, group],
        },
    })
}

/// A's activities (with their bodies) and deliveries.
async fn sent(a: &Peer) -> (Vec<(Activity, Value)>, Vec<Delivery>) {
    let (activities, deliveries) = a
        .query(|c| {
            use diesel::prelude::*;
            use peerdesk::db::schema::{activities, deliveries};
            c.snapshot(|c| {
                Ok(peerdesk::with_conn!(c, c => (
                    activities::table.select(Activity::as_select()).load(c)?,
                    deliveries::table.select(Delivery::as_select()).load(c)?,
                )))
            })
        })
        .await;
    let activities = activities
        .into_iter()
        .map(|a: Activity| {
            let body = serde_json::from_str(&a.body).unwrap();
            (a, body)
        })
        .collect();
    (activities, deliveries)
}

async fn count(a: &Peer, sql: &'static str) -> i64 {
    a.query(move |c| {
        use diesel::prelude::*;
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let n: N = peerdesk::with_conn!(c, c => diesel::sql_query(sql).get_result(c))?;
        Ok(n.n)
    })
    .await
}

async fn received_activities_are_announced_once(backend: Backend) {
    let mut a = Peer::start_custom(backend, |s| s.rate_limits = false).await;
    let group = a.group("help").await;
    let follower = FakeRemote::start().await;
    let sender = FakeRemote::start().await;

    remote_follows(&a, &follower, &group).await;
    let author = format!("{}/users/asker", sender.base);
    let mut questions = vec![];
    for n in 0..6 {
        let create = question(&author, n, &group.ap_id);
        let (status, body) = sender.deliver(&a.http, &group.inbox, &create).await;
        assert!(status.is_success(), "{status} {body}");
        questions.push(create["object"]["id"].as_str().unwrap().to_string());
    }
    for q in &questions {
        a.wait_question_id("help", q).await;
    }

    // From here on every 3rd write of activities on A fails.
    a.restart_custom(|s| {
        s.rate_limits = false;
        s.fault_outbox_every = 3;
    })
    .await;
    let mut activities = vec![];
    for v in 0..5 {
        let voter = format!("{}/users/voter{v}", sender.base);
        for (n, q) in questions[..4].iter().enumerate() {
            activities.push(json!({
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": format!("{voter}/likes/{n}"),
                "type": "Like",
                "actor": voter,
                "object": q,
                "audience": group.ap_id,
            }));
        }
    }
    // Deleted: questions nobody votes on (a vote on a deleted post is ignored).
    for q in &questions[4..] {
        activities.push(json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{q}/delete"),
            "type": "Delete",
            "actor": author,
            "object": q,
            "to": [PUBLIC, group.ap_id],
        }));
    }
    for q in &questions[2..4] {
        let mut update = question(&author, 0, &group.ap_id);
        update["id"] = json!(format!("{q}/update"));
        update["type"] = json!("Update");
        update["object"]["id"] = json!(q);
        update["object"]["content"] = json!("<p>It prints blank pages, edited.</p>");
        activities.push(update);
    }
    let mut failed = 0;
    for activity in &activities {
        let (status, body) = sender.deliver(&a.http, &group.inbox, activity).await;
        assert!(
            status.is_success() || status.is_server_error(),
            "{status} {body}"
        );
        failed += usize::from(status.is_server_error());
    }
    assert!(failed > 0, "no announcement write failed");

    // Every activity takes effect in the end, retried from the inbound queue.
    let done = eventually(120, || async {
        count(&a, "SELECT COUNT(*) AS n FROM votes").await == 20
            && count(&a, "SELECT COUNT(*) AS n FROM posts WHERE deleted").await == 2
            && count(
                &a,
                "SELECT COUNT(*) AS n FROM posts WHERE content_html LIKE '%edited%'",
            )
            .await
                == 2
    })
    .await;
    let votes = count(&a, "SELECT COUNT(*) AS n FROM votes").await;
    let deleted = count(&a, "SELECT COUNT(*) AS n FROM posts WHERE deleted").await;
    let queued = count(&a, "SELECT COUNT(*) AS n FROM inbound_queue").await;
    assert!(
        done,
        "not every activity took effect: {votes} votes, {deleted} deleted, {queued} queued"
    );

    let follower_domain = follower.base.trim_start_matches("http://").to_string();
    let received: Vec<Value> = follower.received.lock().unwrap().clone();
    let (stored, deliveries) = sent(&a).await;
    for activity in &activities {
        let id = activity["id"].as_str().unwrap();
        let announces: Vec<&(Activity, Value)> = stored
            .iter()
            .filter(|(a, b)| a.kind == "Announce" && b["object"]["id"] == id)
            .collect();
        assert_eq!(
            announces.len(),
            1,
            "{id}: {} announcements",
            announces.len()
        );
        let announce = &announces[0].0;
        let delivered = deliveries
            .iter()
            .any(|d| d.activity_id == announce.id && d.domain == follower_domain)
            || received.iter().any(|r| r["id"] == announce.ap_id.as_str());
        assert!(delivered, "{id}: its announcement has no delivery");
    }
}

both_backends!(received_activities_are_announced_once);
