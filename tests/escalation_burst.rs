//! Escalation bursts: 1,200 questions due at once under one rule (a backlog, a restart
//! after downtime) are escalated each exactly once, with its case, its notifications and
//! its `case.created` and `escalation.created` webhooks (received by a real endpoint),
//! when two processes sharing the database fire them at the same moment: one holding a
//! batch's transaction open while the other tries the same pairs, then both passes
//! racing over the rest. A restart repeats nothing. And a batch writes what firing the
//! same escalations one by one writes (cases, notifications, webhooks, an escalation
//! without a case for a deleted asker).
//!
//! The questions are written straight into the database (1,200 posts through the API
//! would be slow), published after the rule was made.

mod common;
use axum::extract::State;
use axum::http::StatusCode as AxStatus;
use common::*;
use diesel::prelude::*;
use peerdesk::actions::escalation::{burst, fire_batch, pass, pass_with, Firing, BATCH};
use peerdesk::actions::webhooks::Tap;
use peerdesk::db::now_ms;
use peerdesk::db::queries::escalation as eq;
use peerdesk::db::schema::{
    actors as a, case_questions as cq, cases as cs, escalation_rules as er, escalations as es,
    notifications as n, posts as p, users, webhook_deliveries as wd,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

const BURST: i64 = 1_200;
const MINUTE: i64 = 60_000;

type Got = Arc<Mutex<Vec<Value>>>;

async fn hook(State(got): State<Got>, body: String) -> AxStatus {
    got.lock()
        .unwrap()
        .push(serde_json::from_str(&body).unwrap());
    AxStatus::NO_CONTENT
}

async fn receiver() -> (Got, String) {
    let got: Got = Default::default();
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(hook))
        .with_state(got.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (got, format!("http://127.0.0.1:{port}/hook"))
}

/// Rows of `table` matching `filter`, counted (`count!(peer, table, filter)`).
macro_rules! count {
    ($peer:expr, $q:expr) => {
        $peer
            .query(move |c| Ok(peerdesk::with_conn!(c, c => $q.count().get_result::<i64>(c))?))
            .await
    };
}

async fn burst_escalates_each_once(backend: Backend) {
    let mut peer = Peer::start_custom(backend, |s| {
        s.escalation_interval = 0;
        s.rate_limits = false;
    })
    .await;
    let help = peer.group("help").await;
    let (admin, _) = peer.user("root", true).await;
    let (carol, _) = peer.user("carol", false).await;
    let (_bob, bob) = peer.user("bob", false).await;
    let (moda, moda_actor) = peer.user("moda", false).await;
    let (gid, mid) = (help.id, moda_actor.id);
    peer.query(move |c| peerdesk::db::queries::groups::add_moderator(c, gid, mid))
        .await;
    let org = peer
        .staffed_org(&admin, ("Acme", "acme.example"), "carol", "help")
        .await;
    let (got, url) = receiver().await;
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&carol),
            &format!("/organisations/{org}/webhooks"),
            Some(json!({"url": url, "events": ["escalation.created", "case.created"]})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&moda),
            "/groups/help/escalation-rules",
            Some(json!({"kind": "keyword", "parameter": "refund",
                        "organisation_id": org, "priority": "high"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let rule: i64 = v["id"].as_str().unwrap().parse().unwrap();

    // The rule an hour old, then 1,200 questions of bob's asking for a refund.
    let now = now_ms();
    let asker = bob.id;
    peer.query(move |c| {
        peerdesk::with_conn!(c, c => diesel::update(er::table)
            .set(er::created_at.eq(now - 60 * MINUTE))
            .execute(c))?;
        let first = peerdesk::db::ids::new_id();
        eq::seed_questions(
            c,
            &[gid],
            asker,
            BURST,
            (now - 50 * MINUTE, now - MINUTE),
            first,
        )?;
        peerdesk::with_conn!(c, c => diesel::update(p::table.filter(p::author_id.eq(asker)))
            .set(p::search_text.eq("please refund my order"))
            .execute(c))?;
        Ok(())
    })
    .await;

    // A second process on the same database.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mut settings = test_settings(peer.port, &peer.db.url);
    settings.escalation_interval = 0;
    let second = peerdesk::app::start(settings, listener)
        .await
        .expect("second process");

    // The first process fires a batch and holds its transaction open while the second
    // fires the same pairs: the second escalates none of them.
    let due = peer.query(move |c| eq::due(c, "keyword", now, BATCH)).await;
    assert_eq!(due.len() as i64, BATCH);
    let (held_tx, held) = tokio::sync::oneshot::channel();
    let (go, wait) = std::sync::mpsc::channel::<()>();
    let (db, base, pairs) = (peer.state().db.clone(), peer.base.clone(), due.clone());
    let first = tokio::spawn(async move {
        db.run(move |c| {
            c.transaction(|c| {
                let chunk = burst::fire_chunk(c, &base, &pairs, now)?;
                held_tx.send(()).unwrap();
                wait.recv().unwrap();
                Ok(chunk)
            })
        })
        .await
        .unwrap()
    });
    held.await.unwrap();
    let (db, outbox, base, pairs) = (
        second.state.db.clone(),
        second.state.outbox.clone(),
        peer.base.clone(),
        due.clone(),
    );
    let other = tokio::spawn(async move {
        db.run(move |c| Ok(fire_batch(c, &Tap(outbox.as_ref()), &base, &pairs, now)))
            .await
            .unwrap()
    });
    // Give the second a moment to reach the held lock (either way it must lose).
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    go.send(()).unwrap();
    let (a, b) = (first.await.unwrap(), other.await.unwrap());
    assert_eq!((a.fired, a.lost), (due.len(), 0), "{a:?}");
    assert_eq!((b.fired, b.lost, b.failed), (0, due.len(), 0), "{b:?}");

    // Then both processes' passes race over the rest.
    let (mut fired, mut rounds) = (a.fired, 0);
    while rounds < 10 {
        let (x, y) = tokio::join!(pass(peer.state(), now), pass(&second.state, now));
        let (x, y) = (x.unwrap(), y.unwrap());
        assert_eq!(x.failed + y.failed, 0, "{x:?} {y:?}");
        fired += x.fired + y.fired;
        rounds += 1;
        if x.fired + y.fired == 0 {
            break;
        }
    }
    assert_eq!(
        fired as i64, BURST,
        "each question escalated once ({rounds} rounds)"
    );
    second.kill().await;

    // Each question: one escalation, one case of Acme's (high, origin rule, numbered
    // once), linked to it, named by its escalation.
    assert_eq!(count!(peer, es::table), BURST);
    assert_eq!(count!(peer, es::table.filter(es::rule_id.eq(rule))), BURST);
    let escalated: Vec<(i64, i64, Option<i64>)> = peer
        .query(|c| {
            Ok(peerdesk::with_conn!(c, c => es::table
                .select((es::id, es::question_id, es::case_id))
                .load(c))?)
        })
        .await;
    let questions: HashSet<i64> = escalated.iter().map(|e| e.1).collect();
    assert_eq!(questions.len() as i64, BURST);
    let cases: Vec<(i64, i64, String, String, Option<i64>, i64)> = peer
        .query(|c| {
            Ok(peerdesk::with_conn!(c, c => cs::table
                .select((cs::id, cs::number, cs::priority, cs::origin, cs::origin_ref, cs::customer_id))
                .load(c))?)
        })
        .await;
    assert_eq!(cases.len() as i64, BURST);
    assert!(cases
        .iter()
        .all(|c| c.2 == "high" && c.3 == "rule" && c.4 == Some(rule) && c.5 == asker));
    let numbers: HashSet<i64> = cases.iter().map(|c| c.1).collect();
    assert_eq!(numbers.len() as i64, BURST, "distinct case numbers");
    let links: HashMap<i64, i64> = peer
        .query(|c| {
            Ok(peerdesk::with_conn!(c, c => cq::table
                .select((cq::case_id, cq::question_id))
                .load::<(i64, i64)>(c))?)
        })
        .await
        .into_iter()
        .collect();
    assert_eq!(links.len() as i64, BURST);
    for (_, question, case) in &escalated {
        let case = case.expect("each escalation opened a case");
        assert_eq!(links.get(&case), Some(question));
    }

    // Carol (Acme's staff) and bob (the asker) told of each case once; no `escalation`
    // notices (every case opened).
    let of = |name: &'static str, kind: &'static str| {
        n::table
            .inner_join(users::table.on(users::id.eq(n::user_id)))
            .filter(users::username.eq(name))
            .filter(n::kind.eq(kind))
    };
    assert_eq!(count!(peer, of("carol", "case_created")), BURST);
    assert_eq!(count!(peer, of("bob", "case_created")), BURST);
    assert_eq!(count!(peer, n::table.filter(n::kind.eq("escalation"))), 0);

    // One `escalation.created` and one `case.created` per escalation, received.
    for kind in ["escalation.created", "case.created"] {
        assert_eq!(
            count!(peer, wd::table.filter(wd::event_type.eq(kind))),
            BURST
        );
    }
    assert!(
        eventually(120, || async {
            got.lock().unwrap().len() as i64 >= 2 * BURST
        })
        .await,
        "received {}",
        got.lock().unwrap().len()
    );
    let bodies = got.lock().unwrap().clone();
    let ids: HashSet<i64> = escalated.iter().map(|e| e.0).collect();
    let mut by_escalation = HashSet::new();
    let mut by_case = HashSet::new();
    for b in &bodies {
        match b["type"].as_str().unwrap() {
            "escalation.created" => {
                let e = &b["data"]["escalation"];
                let id: i64 = e["id"].as_str().unwrap().parse().unwrap();
                assert!(ids.contains(&id), "{b}");
                assert!(by_escalation.insert(id), "twice: {b}");
                assert_eq!(e["rule"]["kind"], "keyword");
                assert_eq!(e["organisation"]["name"], "Acme");
                assert_eq!(b["data"]["group"]["name"], "help");
                assert!(e["case_id"].is_string(), "{b}");
            }
            "case.created" => {
                let case = &b["data"]["case"];
                assert!(
                    by_case.insert(case["number"].as_i64().unwrap()),
                    "twice: {b}"
                );
                assert!(numbers.contains(&case["number"].as_i64().unwrap()), "{b}");
                assert_eq!(case["priority"], "high", "{b}");
                assert_eq!(case["origin"], "rule", "{b}");
                assert_eq!(case["questions"].as_array().unwrap().len(), 1, "{b}");
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(by_escalation.len() as i64, BURST);
    assert_eq!(by_case.len() as i64, BURST);

    // After a restart nothing is due again.
    peer.restart_custom(|s| s.escalation_interval = 0).await;
    let again = pass(peer.state(), now_ms()).await.unwrap();
    assert_eq!((again.fired, again.failed), (0, 0), "{again:?}");
    assert_eq!(count!(peer, es::table), BURST);
}

/// Everything a pass wrote, to compare the two ways of firing: the escalations (with a
/// case or not), the cases, the notifications by user and kind, and the webhook bodies,
/// without ids, numbers, times and links, and with the rule's keyword as `KW`.
async fn written(peer: &Peer, keyword: &'static str) -> Vec<String> {
    fn strip(v: &mut Value, keyword: &str) {
        match v {
            Value::Object(m) => {
                for (k, x) in m.iter_mut() {
                    let volatile = ["id", "url", "number", "published", "created", "updated"];
                    if (volatile.contains(&k.as_str()) || k == "timestamp" || k == "case_id")
                        && !x.is_null()
                    {
                        *x = Value::String("*".into());
                    } else {
                        strip(x, keyword);
                    }
                }
            }
            Value::Array(a) => a.iter_mut().for_each(|x| strip(x, keyword)),
            Value::String(s) => *s = s.replace(keyword, "KW"),
            _ => {}
        }
    }
    peer.query(move |c| {
        peerdesk::with_conn!(c, c => {
            let rules: Vec<i64> = er::table
                .filter(er::parameter.eq(keyword))
                .select(er::id)
                .load(c)?;
            let mut out: Vec<String> = es::table
                .filter(es::rule_id.eq_any(&rules))
                .select((es::priority, es::case_id.is_not_null()))
                .load::<(String, bool)>(c)?
                .into_iter()
                .map(|e| format!("escalation {e:?}"))
                .collect();
            let cases: Vec<i64> = cs::table
                .filter(cs::origin_ref.eq_any(&rules))
                .select(cs::id)
                .load(c)?;
            out.extend(
                cs::table
                    .filter(cs::id.eq_any(&cases))
                    .select((cs::subject, cs::status, cs::priority, cs::origin, cs::group_id, cs::customer_id))
                    .load::<(String, String, String, String, Option<i64>, i64)>(c)?
                    .into_iter()
                    .map(|c| format!("case {c:?}")),
            );
            let subjects: Vec<String> = cases.iter().map(|c| format!("{c}:{c}")).collect();
            let questions: Vec<i64> = es::table
                .filter(es::rule_id.eq_any(&rules))
                .select(es::question_id)
                .load(c)?;
            let escalations: Vec<String> = es::table
                .filter(es::rule_id.eq_any(&rules))
                .select(es::id)
                .load::<i64>(c)?
                .into_iter()
                .map(|e| e.to_string())
                .collect();
            out.extend(
                n::table
                    .filter(n::subject.eq_any(&subjects).or(n::subject.eq_any(&escalations)))
                    .select((n::user_id, n::kind, n::actor_id.is_not_null(), n::post_id.is_not_null(), n::email_state))
                    .load::<(i64, String, bool, bool, String)>(c)?
                    .into_iter()
                    .map(|n| format!("notification {n:?}")),
            );
            for body in wd::table.select(wd::payload).load::<String>(c)? {
                let mut v: Value = serde_json::from_str(&body).unwrap();
                let about = v["data"]["escalation"]["rule"]["parameter"] == keyword
                    || v["data"]["case"]["questions"]
                        .as_array()
                        .is_some_and(|q| q.iter().any(|q| {
                            q["id"].as_str().and_then(|id| id.parse().ok()).is_some_and(|id| questions.contains(&id))
                        }));
                if about {
                    strip(&mut v, keyword);
                    out.push(format!("webhook {v}"));
                }
            }
            // The subject of an untitled question's case names the question.
            let mut out: Vec<String> = out
                .into_iter()
                .map(|l| {
                    let mut parts = l.split("Question ");
                    let mut s = parts.next().unwrap_or("").to_string();
                    for rest in parts {
                        s.push_str("Question N");
                        s.push_str(rest.trim_start_matches(|c: char| c.is_ascii_digit()));
                    }
                    s
                })
                .collect();
            out.sort();
            Ok::<_, diesel::result::Error>(out)
        })
        .map_err(Into::into)
    })
    .await
}

/// A batch writes what firing its escalations one by one writes: cases (one with an
/// empty title), notifications with the recipients' email choices, webhooks, and an
/// escalation without a case (with its `escalation` notices) for a deleted asker.
async fn batch_writes_what_one_by_one_writes(backend: Backend) {
    let peer = Peer::start_custom(backend, |s| {
        s.escalation_interval = 0;
        s.rate_limits = false;
    })
    .await;
    let help = peer.group("help").await;
    let (admin, _) = peer.user("root", true).await;
    let (carol, _) = peer.user("carol", false).await;
    let (_, bob) = peer.user("bob", false).await;
    let (_, dora) = peer.user("dora", false).await;
    let (moda, moda_actor) = peer.user("moda", false).await;
    let (gid, mid) = (help.id, moda_actor.id);
    peer.query(move |c| peerdesk::db::queries::groups::add_moderator(c, gid, mid))
        .await;
    let org = peer
        .staffed_org(&admin, ("Acme", "acme.example"), "carol", "help")
        .await;
    let (_, url) = receiver().await;
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&carol),
            &format!("/organisations/{org}/webhooks"),
            Some(json!({"url": url, "events": ["escalation.created", "case.created"]})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // Carol wants case notices by e-mail at once.
    let (s, v) = peer
        .api(
            Method::PUT,
            Some(&carol),
            "/notifications/preferences",
            Some(json!({"email": {"case_created": "immediately"}})),
        )
        .await;
    assert!(s.is_success(), "{v}");
    for (keyword, firing) in [("alpha", Firing::OneByOne), ("beta", Firing::Batched)] {
        let (s, v) = peer
            .api(
                Method::POST,
                Some(&moda),
                "/groups/help/escalation-rules",
                Some(json!({"kind": "keyword", "parameter": keyword,
                            "organisation_id": org, "priority": "urgent"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let now = now_ms();
        let (bob, dora) = (bob.id, dora.id);
        peer.query(move |c| {
            peerdesk::with_conn!(c, c => diesel::update(er::table)
                .set(er::created_at.eq(now - 60 * MINUTE))
                .execute(c))?;
            for (author, title) in [(bob, "Refund please"), (bob, "  "), (dora, "Mine")] {
                let first = peerdesk::db::ids::new_id();
                eq::seed_questions(
                    c,
                    &[gid],
                    author,
                    1,
                    (now - 30 * MINUTE, now - MINUTE),
                    first,
                )?;
                eq::mention_all(c, first, 1, keyword)?;
                peerdesk::with_conn!(c, c => diesel::update(p::table.find(first))
                    .set(p::title.eq(title))
                    .execute(c))?;
            }
            // Dora's account is gone: her question escalates without a case.
            peerdesk::with_conn!(c, c => diesel::update(a::table.find(dora))
                .set(a::deleted.eq(true))
                .execute(c))?;
            Ok(())
        })
        .await;
        let p = pass_with(peer.state(), now, firing).await.unwrap();
        assert_eq!((p.fired, p.failed), (3, 0), "{firing:?}: {p:?}");
    }
    let (one_by_one, batched) = (written(&peer, "alpha").await, written(&peer, "beta").await);
    assert_eq!(one_by_one, batched);
    // What is compared: 3 escalations, 2 cases, a notice to carol for each of the
    // cases and to bob, an `escalation` notice to carol, 3 + 2 webhooks.
    let kinds: Vec<&str> = batched
        .iter()
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "escalation").count(),
        3,
        "{batched:#?}"
    );
    assert_eq!(
        kinds.iter().filter(|k| **k == "case").count(),
        2,
        "{batched:#?}"
    );
    assert_eq!(
        kinds.iter().filter(|k| **k == "notification").count(),
        5,
        "{batched:#?}"
    );
    assert_eq!(
        kinds.iter().filter(|k| **k == "webhook").count(),
        5,
        "{batched:#?}"
    );
    assert!(
        batched.iter().any(|l| l.contains("Question N")),
        "{batched:#?}"
    );
    assert!(
        batched.iter().any(|l| l.contains("\"pending\"")),
        "{batched:#?}"
    );
}

both_backends!(
    burst_escalates_each_once,
    batch_writes_what_one_by_one_writes
);
