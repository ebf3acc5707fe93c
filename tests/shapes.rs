//! Activity shapes as other servers need them: a Mastodon-like follower that applies
//! edits and deletions only from a post's author, millisecond timestamps that keep a
//! thread in order when sorted by `published`, and every `Announce` with `published`.

mod common;
use common::remote::FakeRemote;
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A follower that behaves like Mastodon's inbox: an `Announce` is a boost of the
/// announced id, fetched when it arrives (kept only if it is a post); an `Update` or
/// `Delete` changes a known status only when its actor is the status's author.
#[derive(Clone)]
struct Mastodon {
    remote: FakeRemote,
    seen: Arc<Mutex<usize>>,
    /// id → (author, content)
    statuses: Arc<Mutex<HashMap<String, (String, String)>>>,
}

fn id_of(v: &Value) -> String {
    v.as_str()
        .or_else(|| v["id"].as_str())
        .unwrap_or_default()
        .to_string()
}

impl Mastodon {
    async fn start() -> Mastodon {
        Mastodon {
            remote: FakeRemote::start().await,
            seen: Default::default(),
            statuses: Default::default(),
        }
    }

    /// Processes what arrived since the last call, in order.
    async fn sync(&self, http: &reqwest::Client) {
        let new: Vec<Value> = {
            let received = self.remote.received.lock().unwrap();
            let mut seen = self.seen.lock().unwrap();
            let new = received[*seen..].to_vec();
            *seen = received.len();
            new
        };
        for activity in new {
            let actor = id_of(&activity["actor"]);
            let object = id_of(&activity["object"]);
            match activity["type"].as_str().unwrap_or_default() {
                "Announce" => {
                    let resp = http
                        .get(&object)
                        .header("accept", "application/activity+json")
                        .send()
                        .await
                        .unwrap();
                    let fetched: Value = resp.json().await.unwrap_or(Value::Null);
                    if matches!(fetched["type"].as_str(), Some("Note" | "Page" | "Article"))
                        && fetched["id"] == object.as_str()
                    {
                        let author = id_of(&fetched["attributedTo"]);
                        let content = fetched["content"].as_str().unwrap_or_default();
                        self.statuses
                            .lock()
                            .unwrap()
                            .entry(object)
                            .or_insert((author, content.to_string()));
                    }
                }
                "Update" => {
                    let mut statuses = self.statuses.lock().unwrap();
                    if let Some((author, content)) = statuses.get_mut(&object) {
                        if *author == actor && activity["object"]["id"] == object.as_str() {
                            *content = activity["object"]["content"]
                                .as_str()
                                .unwrap_or_default()
                                .to_string();
                        }
                    }
                }
                "Delete" => {
                    let mut statuses = self.statuses.lock().unwrap();
                    if statuses.get(&object).is_some_and(|(a, _)| *a == actor) {
                        statuses.remove(&object);
                    }
                }
                _ => {}
            }
        }
    }

    async fn status(&self, http: &reqwest::Client, id: &str) -> Option<String> {
        self.sync(http).await;
        self.statuses.lock().unwrap().get(id).map(|s| s.1.clone())
    }
}

/// A Mastodon user following the group `acme` on `a`.
async fn mastodon_follower(a: &Peer) -> Mastodon {
    let m = Mastodon::start().await;
    let alice = format!("{}/users/alice", m.remote.base);
    let follow = json!({
        "id": format!("{alice}/follows/1"),
        "type": "Follow",
        "actor": alice,
        "object": a.url("/g/acme"),
    });
    let (s, v) = m.remote.deliver(&a.http, &a.url("/inbox"), &follow).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    m
}

async fn microblog_followers_see_edits_and_deletions(backend: Backend) {
    let a = Peer::start(backend).await;
    a.group("acme").await;
    let (bob, _) = a.user("bob", false).await;
    let m = mastodon_follower(&a).await;
    let (s, q) = a
        .api(
            Method::POST,
            Some(&bob),
            "/questions",
            Some(json!({"group": "acme", "title": "Paper jam in tray 2", "body": "It jams every time."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let ap_id = q["ap_id"].as_str().unwrap().to_string();
    assert!(
        eventually(20, || async { m.status(&a.http, &ap_id).await.is_some() }).await,
        "the question was boosted"
    );

    let (s, v) = a
        .api(
            Method::PATCH,
            Some(&bob),
            &format!("/posts/{}", q["id"].as_str().unwrap()),
            Some(json!({"body": "It jams only with thick paper."})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(
        eventually(20, || async {
            m.status(&a.http, &ap_id)
                .await
                .is_some_and(|c| c.contains("thick paper"))
        })
        .await,
        "the edit reached the Mastodon follower: {:?}",
        m.status(&a.http, &ap_id).await
    );

    let (s, _) = a
        .api(
            Method::DELETE,
            Some(&bob),
            &format!("/posts/{}", q["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert!(
        eventually(20, || async { m.status(&a.http, &ap_id).await.is_none() }).await,
        "the deletion reached the Mastodon follower"
    );
}

/// `…T01:02:03.456Z`: RFC 3339, UTC, milliseconds.
fn has_millis(v: &Value) -> bool {
    let s = v.as_str().unwrap_or_default();
    s.len() == 24
        && s.ends_with('Z')
        && s.as_bytes()[19] == b'.'
        && chrono::DateTime::parse_from_rfc3339(s).is_ok()
}

async fn timestamps_have_milliseconds(backend: Backend) {
    let a = Peer::start(backend).await;
    a.group("acme").await;
    let (bob, _) = a.user("bob", false).await;
    let m = mastodon_follower(&a).await;
    let (_, q) = a
        .api(
            Method::POST,
            Some(&bob),
            "/questions",
            Some(json!({"group": "acme", "title": "Paper jam in tray 2", "body": "It jams every time."})),
        )
        .await;
    let (s, ans) = a
        .api(
            Method::POST,
            Some(&bob),
            &format!("/questions/{}/answers", q["id"].as_str().unwrap()),
            Some(json!({"body": "Clean the rollers."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ans}");
    let (_, question) = a.get_ap(q["ap_id"].as_str().unwrap()).await;
    let (_, answer) = a.get_ap(ans["ap_id"].as_str().unwrap()).await;
    assert!(has_millis(&question["published"]), "{question}");
    assert!(has_millis(&answer["published"]), "{answer}");
    // A thread sorted by `published` (as NodeBB sorts a topic) starts with the question,
    // even when both were written within one second.
    let mut thread = [&answer, &question];
    thread.sort_by_key(|o| {
        chrono::DateTime::parse_from_rfc3339(o["published"].as_str().unwrap()).unwrap()
    });
    assert_eq!(thread[0]["id"], question["id"]);
    let (_, group) = a.get_ap("/g/acme").await;
    assert!(has_millis(&group["published"]), "{group}");

    // Every Announce the follower got has a `published` with milliseconds.
    let announced = || async {
        m.remote
            .received
            .lock()
            .unwrap()
            .iter()
            .filter(|v| v["type"] == "Announce")
            .count()
            >= 4
    };
    assert!(eventually(20, announced).await, "four Announces arrived");
    for v in m.remote.received.lock().unwrap().iter() {
        if v["type"] == "Announce" {
            assert!(has_millis(&v["published"]), "{v}");
        }
    }

    // An edit's `updated` too.
    let (s, _) = a
        .api(
            Method::PATCH,
            Some(&bob),
            &format!("/posts/{}", ans["id"].as_str().unwrap()),
            Some(json!({"body": "Clean the rollers with alcohol."})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, answer) = a.get_ap(ans["ap_id"].as_str().unwrap()).await;
    assert!(has_millis(&answer["updated"]), "{answer}");
}

/// A NodeBB-like topic: the question names its own `context` (the topic).
fn topic(remote: &FakeRemote, n: u32, group: &str) -> Value {
    let author = format!("{}/u/asker{n}", remote.base);
    json!({
        "id": format!("{}/post/{n}", remote.base),
        "type": "Article",
        "name": format!("Scanner {n} stops halfway"),
        "attributedTo": author,
        "content": "<p>It stops at the middle of the page.</p>",
        "published": "2026-12-02T01:02:03.262Z",
        "context": format!("{}/topic/{n}", remote.base),
        "audience": group,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": [group],
    })
}

/// Answers `question` (a local id) as `token`; the answer's ActivityPub JSON.
async fn answer_json(a: &Peer, token: &str, question: &str) -> Value {
    let (s, ans) = a
        .api(
            Method::POST,
            Some(token),
            &format!("/questions/{question}/answers"),
            Some(json!({"body": "Update the firmware."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ans}");
    a.get_ap(ans["ap_id"].as_str().unwrap()).await.1
}

async fn answers_use_the_thread_context(backend: Backend) {
    let a = Peer::start(backend).await;
    let group = a.group("acme").await.ap_id;
    let (bob, _) = a.user("bob", false).await;
    let nodebb = FakeRemote::start().await;

    // Delivered to the inbox.
    let q7 = topic(&nodebb, 7, &group);
    let create = json!({
        "id": format!("{}/activity/7", nodebb.base),
        "type": "Create",
        "actor": q7["attributedTo"],
        "object": q7,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": [group],
    });
    let (s, v) = nodebb.deliver(&a.http, &a.url("/inbox"), &create).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let id7 = a.wait_question_id("acme", q7["id"].as_str().unwrap()).await;
    let answer = answer_json(&a, &bob, &id7).await;
    assert_eq!(answer["context"], q7["context"], "{answer}");
    assert_eq!(answer["inReplyTo"], q7["id"]);

    // Fetched by id.
    let q8 = topic(&nodebb, 8, &group);
    nodebb.put(q8.clone());
    let (s, view) = a
        .api(
            Method::GET,
            Some(&bob),
            &format!("/resolve/object?url={}", q8["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{view}");
    let answer = answer_json(&a, &bob, view["id"].as_str().unwrap()).await;
    assert_eq!(answer["context"], q8["context"], "{answer}");

    // A question made here is its own context.
    let (_, q) = a
        .api(
            Method::POST,
            Some(&bob),
            "/questions",
            Some(json!({"group": "acme", "title": "Paper jam in tray 2", "body": "It jams every time."})),
        )
        .await;
    let answer = answer_json(&a, &bob, q["id"].as_str().unwrap()).await;
    let own = format!("{}/context", q["ap_id"].as_str().unwrap());
    assert_eq!(answer["context"], own.as_str());
}

both_backends!(
    microblog_followers_see_edits_and_deletions,
    timestamps_have_milliseconds,
    answers_use_the_thread_context,
);
