//! A local action and its federation are committed together (transactional outbox): when
//! writing an action's activities fails, or the process dies in the middle of actions,
//! every action the database holds has its activity and its deliveries, and none has two.

mod common;
use common::remote::FakeRemote;
use common::*;
use peerdesk::db::models::{Activity, Delivery, Follow, Post, Vote};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// A's database afterwards: activities (with their bodies parsed), deliveries, posts,
/// votes and follows; and the ids of the activities the remote server received.
struct Stored {
    received: HashSet<String>,
    activities: Vec<(Activity, Value)>,
    deliveries: Vec<Delivery>,
    posts: Vec<Post>,
    votes: Vec<Vote>,
    follows: Vec<Follow>,
}

async fn stored(a: &Peer, remote: &FakeRemote) -> Stored {
    let (activities, deliveries, posts, votes, follows) = a
        .query(|c| {
            use diesel::prelude::*;
            use peerdesk::db::schema::{activities, deliveries, follows, posts, votes};
            // One snapshot: a killed client's last commit may still land meanwhile.
            c.snapshot(|c| {
                Ok(peerdesk::with_conn!(c, c => (
                    activities::table.select(Activity::as_select()).load(c)?,
                    deliveries::table.select(Delivery::as_select()).load(c)?,
                    posts::table.select(Post::as_select()).load(c)?,
                    votes::table.select(Vote::as_select()).load(c)?,
                    follows::table.select(Follow::as_select()).load(c)?,
                )))
            })
        })
        .await;
    // Read after A's queue: a delivery is either still queued or already received.
    let received = remote.received.lock().unwrap().clone();
    let received = received.iter().filter_map(|v| v["id"].as_str());
    Stored {
        received: received.map(str::to_string).collect(),
        activities: activities
            .into_iter()
            .map(|a: Activity| {
                let body = serde_json::from_str(&a.body).unwrap();
                (a, body)
            })
            .collect(),
        deliveries,
        posts,
        votes,
        follows,
    }
}

impl Stored {
    /// Activities of `kind` matching `pred`.
    fn find(&self, kind: &str, pred: impl Fn(&Value) -> bool) -> Vec<&(Activity, Value)> {
        self.activities
            .iter()
            .filter(|(a, b)| a.kind == kind && pred(b))
            .collect()
    }

    /// Whether `activity` is queued for delivery to `domain` or was received there.
    fn delivered(&self, activity: &Activity, domain: &str) -> bool {
        self.received.contains(&activity.ap_id)
            || self
                .deliveries
                .iter()
                .any(|d| d.activity_id == activity.id && d.domain == domain)
    }

    /// The one activity of `kind` matching `pred`, announced by the group to `domain`
    /// (the group's follower there). Panics with `what` otherwise.
    fn announced_once(&self, kind: &str, domain: &str, what: &str, pred: impl Fn(&Value) -> bool) {
        let found = self.find(kind, &pred);
        assert_eq!(found.len(), 1, "{what}: {} {kind} activities", found.len());
        let ap_id = found[0].0.ap_id.clone();
        let announces = self.find("Announce", |b| b["object"]["id"] == ap_id.as_str());
        assert_eq!(
            announces.len(),
            1,
            "{what}: {} announcements",
            announces.len()
        );
        assert!(
            self.delivered(&announces[0].0, domain),
            "{what}: its announcement has no delivery to the follower"
        );
    }
}

/// Every action A (at `base`) holds has its activity (once) and its deliveries.
fn check_federated(s: &Stored, base: &str, follower_domain: &str) {
    let mut checked = HashMap::new();
    for p in s.posts.iter().filter(|p| p.local) {
        s.announced_once("Create", follower_domain, &p.ap_id, |b| {
            b["object"]["id"] == p.ap_id.as_str()
        });
        *checked.entry("post").or_insert(0) += 1;
        if let Some(aid) = p.accepted_answer_id {
            let answer = s.posts.iter().find(|a| a.id == aid).unwrap();
            s.announced_once("ChooseAnswer", follower_domain, "accept", |b| {
                b["object"] == answer.ap_id.as_str() && b["target"] == p.ap_id.as_str()
            });
            *checked.entry("accept").or_insert(0) += 1;
        }
        if p.removed {
            s.announced_once("Delete", follower_domain, "removal", |b| {
                b["object"] == p.ap_id.as_str() && b["summary"] == "spam"
            });
            *checked.entry("removal").or_insert(0) += 1;
        }
    }
    for v in &s.votes {
        let id = v.ap_id.clone().expect("a local vote has its activity id");
        s.announced_once("Like", follower_domain, "vote", |b| b["id"] == id.as_str());
        *checked.entry("vote").or_insert(0) += 1;
    }
    for f in local_follows(s, base) {
        let id = f.activity_ap_id.clone().unwrap();
        let found = s.find("Follow", |b| b["id"] == id.as_str());
        assert_eq!(found.len(), 1, "follow {id}");
        assert!(
            s.delivered(&found[0].0, follower_domain),
            "follow {id} not queued"
        );
        *checked.entry("follow").or_insert(0) += 1;
    }
    // No activity for an action that is not stored.
    let creates = s.find("Create", |_| true).len();
    let local_posts = s.posts.iter().filter(|p| p.local).count();
    assert_eq!(creates, local_posts, "Create activities without their post");
    eprintln!("checked: {checked:?}");
}

/// The follows of remote actors by A's users (their `Follow` has an id at A).
fn local_follows<'s>(s: &'s Stored, base: &'s str) -> impl Iterator<Item = &'s Follow> {
    s.follows.iter().filter(move |f| {
        f.activity_ap_id
            .as_deref()
            .is_some_and(|id| id.starts_with(base))
    })
}

struct World {
    a: Arc<Peer>,
    /// Follows A's group; its users are followed by A's users.
    remote: FakeRemote,
    remote_domain: String,
    askers: Vec<String>,
    moderator: String,
}

async fn world(backend: Backend) -> World {
    let mut a = Peer::start_custom(backend, |s| s.rate_limits = false).await;
    let remote = FakeRemote::start().await;
    let group = a.group("help").await;
    remote_follows(&a, &remote, &group).await;
    // From here on every 5th activity written on A fails.
    a.restart_custom(|s| {
        s.rate_limits = false;
        s.fault_outbox_every = 5;
    })
    .await;
    let mut askers = vec![];
    for i in 0..4 {
        askers.push(a.user(&format!("asker{i}"), false).await.0);
    }
    let moderator = a.user("moddy", true).await.0;
    World {
        a: Arc::new(a),
        remote_domain: remote.base.trim_start_matches("http://").to_string(),
        remote,
        askers,
        moderator,
    }
}

/// Runs `n` calls of `f` concurrently and returns their (status, body).
async fn all<F, Fut>(n: usize, f: F) -> Vec<(StatusCode, Value)>
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = (StatusCode, Value)> + Send + 'static,
{
    let tasks: Vec<_> = (0..n).map(|i| tokio::spawn(f(i))).collect();
    let mut out = vec![];
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

fn assert_ok_or_500(results: &[(StatusCode, Value)], ok: StatusCode) -> usize {
    for (s, v) in results {
        assert!(
            *s == ok || *s == StatusCode::INTERNAL_SERVER_ERROR,
            "{s} {v}"
        );
        if *s != ok {
            assert!(v["error"].is_string(), "{v}");
        }
    }
    results.iter().filter(|(s, _)| *s == ok).count()
}

/// Writing an action's activities fails now and then: the action fails as a whole (500)
/// and leaves nothing behind, and every action stored is federated exactly once.
async fn failed_outbox_write_rolls_the_action_back(backend: Backend) {
    let w = world(backend).await;
    let a = w.a.clone();
    let askers = Arc::new(w.askers.clone());
    let asked = all(12, |i| {
        let (a, askers) = (a.clone(), askers.clone());
        async move {
            let body = json!({"group": "help", "title": format!("Question {i}"), "body": "Why?"});
            a.api(Method::POST, Some(&askers[i % 4]), "/questions", Some(body))
                .await
        }
    })
    .await;
    let ok = assert_ok_or_500(&asked, StatusCode::CREATED);
    assert!(ok > 0 && ok < asked.len(), "{ok} of {} asked", asked.len());
    let questions: Vec<String> = asked
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .map(|(_, v)| v["id"].as_str().unwrap().to_string())
        .collect();
    let s = stored(&a, &w.remote).await;
    assert_eq!(
        s.posts.iter().filter(|p| p.local).count(),
        ok,
        "questions stored although their request failed"
    );

    // Answers, then votes on the questions, accepted answers and removals.
    let qs = Arc::new(questions.clone());
    let answered = all(qs.len() * 2, |i| {
        let (a, askers, qs) = (a.clone(), askers.clone(), qs.clone());
        async move {
            let q = &qs[i % qs.len()];
            let body = json!({"body": format!("Because {i}")});
            let path = format!("/questions/{q}/answers");
            a.api(Method::POST, Some(&askers[(i + 1) % 4]), &path, Some(body))
                .await
        }
    })
    .await;
    assert_ok_or_500(&answered, StatusCode::CREATED);
    // One vote per question (a second vote by the same voter changes nothing).
    let voted = all(qs.len(), |i| {
        let (a, askers, qs) = (a.clone(), askers.clone(), qs.clone());
        async move {
            let path = format!("/posts/{}/vote", qs[i]);
            let body = json!({"value": 1});
            a.api(Method::PUT, Some(&askers[(i + 2) % 4]), &path, Some(body))
                .await
        }
    })
    .await;
    assert_ok_or_500(&voted, StatusCode::OK);
    let mut accepted = HashMap::new();
    for (_, v) in answered.iter().filter(|(s, _)| *s == StatusCode::CREATED) {
        let q = v["question_id"].as_str().unwrap().to_string();
        accepted
            .entry(q)
            .or_insert(v["id"].as_str().unwrap().to_string());
    }
    // The admin of the group's home may accept answers.
    let moderator = Arc::new(w.moderator.clone());
    let accepted: Arc<Vec<_>> = Arc::new(accepted.into_iter().collect());
    let accepts = all(accepted.len(), |i| {
        let (a, accepted, moderator) = (a.clone(), accepted.clone(), moderator.clone());
        async move {
            let (q, answer) = &accepted[i];
            let path = format!("/questions/{q}/accepted");
            let body = json!({"answer_id": answer});
            a.api(Method::PUT, Some(&moderator), &path, Some(body))
                .await
        }
    })
    .await;
    assert_ok_or_500(&accepts, StatusCode::OK);
    let removed = all(qs.len().min(4), |i| {
        let (a, qs, moderator) = (a.clone(), qs.clone(), moderator.clone());
        async move {
            let path = format!("/posts/{}/remove", qs[qs.len() - 1 - i]);
            let body = json!({"reason": "spam"});
            a.api(Method::POST, Some(&moderator), &path, Some(body))
                .await
        }
    })
    .await;
    assert_ok_or_500(&removed, StatusCode::NO_CONTENT);
    let remote = w.remote.base.clone();
    let followed = all(4, |i| {
        let (a, askers, remote) = (a.clone(), askers.clone(), remote.clone());
        async move {
            let body = json!({"handle": format!("{remote}/users/far{i}")});
            a.api(Method::POST, Some(&askers[i]), "/follows", Some(body))
                .await
        }
    })
    .await;
    assert_ok_or_500(&followed, StatusCode::OK);

    let s = stored(&a, &w.remote).await;
    check_federated(&s, &a.base, &w.remote_domain);
    // The counts the API confirmed are what is stored.
    let n = |r: &[(StatusCode, Value)], ok| r.iter().filter(|(s, _)| *s == ok).count();
    let local = s.posts.iter().filter(|p| p.local).count();
    assert_eq!(local, ok + n(&answered, StatusCode::CREATED));
    assert_eq!(s.votes.len(), n(&voted, StatusCode::OK));
    let accepted_now = s.posts.iter().filter(|p| p.accepted_answer_id.is_some());
    assert_eq!(accepted_now.count(), n(&accepts, StatusCode::OK));
    let removed_now = s.posts.iter().filter(|p| p.removed).count();
    assert_eq!(removed_now, n(&removed, StatusCode::NO_CONTENT));
    let follows = local_follows(&s, &a.base).count();
    assert_eq!(follows, n(&followed, StatusCode::OK));
}

/// POSTs a JSON body to A's API; `None` when A does not answer.
async fn post(http: &reqwest::Client, url: String, token: &str, body: Value) -> Option<Value> {
    let resp = http
        .post(url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .ok()?;
    if resp.status() != StatusCode::CREATED {
        return None;
    }
    resp.json().await.ok()
}

fn backend_is_pg(a: &Peer) -> bool {
    a.db.pg.is_some()
}

/// `peerdesk serve` in a child process, on A's port and database.
fn serve(a: &Peer) -> std::process::Child {
    let bind = format!("127.0.0.1:{}", a.port);
    std::process::Command::new(env!("CARGO_BIN_EXE_peerdesk"))
        .args(["serve", "--domain", &a.domain, "--bind", &bind])
        .args(["--database-url", &a.db.url, "--db-pool-size", "6"])
        .args(["--insecure-federation", "--rate-limits", "false"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start peerdesk serve")
}

/// `peerdesk serve` is killed (SIGKILL) in the middle of concurrent local actions: every
/// action stored has its activity and deliveries.
async fn killed_in_the_middle_of_actions(backend: Backend) {
    let World {
        a,
        remote,
        remote_domain,
        askers,
        ..
    } = world(backend).await;
    let mut a = Arc::try_unwrap(a).ok().expect("one owner");
    // A connection keeps other test processes from dropping the database as unused
    // while no instance has it open.
    let _hold = backend_is_pg(&a).then(|| {
        use diesel::Connection;
        diesel::PgConnection::establish(&a.db.url).expect("connect")
    });
    a.kill().await;
    drop(bind_retry(a.port).await);
    let mut child = serve(&a);
    let api = a.url("/api/v1");
    assert!(
        eventually(30, || async {
            let url = format!("{api}/questions");
            a.http.get(url).send().await.is_ok()
        })
        .await,
        "peerdesk serve did not start"
    );
    let created = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let (api, askers, http) = (api.clone(), askers.clone(), a.http.clone());
            let created = created.clone();
            tokio::spawn(async move {
                for n in 0.. {
                    let body =
                        json!({"group": "help", "title": format!("Asked {i}-{n}"), "body": "?"});
                    let url = format!("{api}/questions");
                    let Some(q) = post(&http, url, &askers[i % 4], body).await else {
                        break;
                    };
                    created.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let url = format!("{api}/questions/{}/answers", q["id"].as_str().unwrap());
                    let body = json!({"body": "an answer"});
                    if post(&http, url, &askers[(i + 1) % 4], body).await.is_none() {
                        break;
                    }
                }
            })
        })
        .collect();
    let enough = eventually(60, || async {
        created.load(std::sync::atomic::Ordering::Relaxed) >= 40
    })
    .await;
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    assert!(enough, "too few questions asked before the kill");
    for t in tasks {
        t.await.unwrap();
    }
    a.restart_custom(|s| s.rate_limits = false).await;
    let s = stored(&a, &remote).await;
    check_federated(&s, &a.base, &remote_domain);
}

both_backends!(
    failed_outbox_write_rolls_the_action_back,
    killed_in_the_middle_of_actions
);
