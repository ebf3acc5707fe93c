//! Escalation rules: each kind escalating end to end (the escalation listed, the
//! organisation's staff notified, `escalation.created` received by a real endpoint),
//! once per rule and question across a restart and across two processes sharing one
//! database, nothing from before a rule existed, and the moderator console's page over
//! plain HTTP (bad input kept and told by its field, refused roles).
//!
//! Questions are made old by setting their publication time in the database, and the
//! evaluator's pass is also called directly with a chosen "now" where a test needs one.

mod common;
use axum::extract::State;
use axum::http::StatusCode as AxStatus;
use common::forms::{cookie, csrf_field, page_at as page, post};
use common::*;
use diesel::prelude::*;
use peerdesk::actions::escalation::pass;
use peerdesk::db::now_ms;
use peerdesk::db::schema::{escalation_rules as er, posts as p};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

const HOUR: i64 = 3_600_000;

/// Bodies received by the webhook endpoint.
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

/// The admin, Acme's staff member carol, the member bob and the moderator moda of
/// `help`, which recognises Acme. Returns (admin, carol, bob, moda, organisation id).
async fn setup(peer: &Peer) -> (String, String, String, String, String) {
    let help = peer.group("help").await;
    let (admin, _) = peer.user("root", true).await;
    let (carol, _) = peer.user("carol", false).await;
    let (bob, _) = peer.user("bob", false).await;
    let (moda, moda_actor) = peer.user("moda", false).await;
    let (gid, mid) = (help.id, moda_actor.id);
    peer.query(move |c| peerdesk::db::queries::groups::add_moderator(c, gid, mid))
        .await;
    let org = peer
        .staffed_org(&admin, ("Acme", "acme.example"), "carol", "help")
        .await;
    (admin, carol, bob, moda, org)
}

async fn ask(peer: &Peer, token: &str, title: &str, body: &str, tags: &[&str]) -> i64 {
    let (s, v) = peer
        .api(
            Method::POST,
            Some(token),
            "/questions",
            Some(json!({"group": "help", "title": title, "body": body, "tags": tags})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["id"].as_str().unwrap().parse().unwrap()
}

async fn add_rule(
    peer: &Peer,
    token: &str,
    kind: &str,
    parameter: &str,
    org: &str,
    priority: &str,
) -> String {
    let (s, v) = peer
        .api(
            Method::POST,
            Some(token),
            "/groups/help/escalation-rules",
            Some(json!({"kind": kind, "parameter": parameter,
                        "organisation_id": org, "priority": priority})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["id"].as_str().unwrap().to_string()
}

/// Makes question `id` published `ago` ms before now.
async fn age(peer: &Peer, id: i64, ago: i64) {
    let at = now_ms() - ago;
    peer.query(move |c| {
        peerdesk::with_conn!(c, c => diesel::update(p::table.find(id))
            .set((p::published_at.eq(at), p::created_at.eq(at)))
            .execute(c))?;
        Ok(())
    })
    .await;
}

/// Makes every rule `ago` ms old.
async fn age_rules(peer: &Peer, ago: i64) {
    let at = now_ms() - ago;
    peer.query(move |c| {
        peerdesk::with_conn!(c, c => diesel::update(er::table)
            .set(er::created_at.eq(at))
            .execute(c))?;
        Ok(())
    })
    .await;
}

async fn escalations(peer: &Peer, token: &str) -> Vec<Value> {
    let (s, v) = peer
        .api(Method::GET, Some(token), "/groups/help/escalations", None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v.as_array().unwrap().clone()
}

/// How many notifications of `kind` the user of `token` has.
async fn notices(peer: &Peer, token: &str, kind: &str) -> usize {
    let (s, v) = peer
        .api(Method::GET, Some(token), "/notifications?limit=100", None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == kind)
        .count()
}

async fn every_kind_escalates(backend: Backend) {
    let peer = Peer::start_custom(backend, |s| {
        s.escalation_interval = 1;
        s.rate_limits = false;
    })
    .await;
    let (admin, carol, bob, moda, org) = setup(&peer).await;
    let (got, url) = receiver().await;
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&carol),
            &format!("/organisations/{org}/webhooks"),
            Some(json!({"url": url, "events": ["escalation.created"]})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");

    // Old questions first, then the timed rules, made older than the questions' deadlines.
    let unanswered = ask(&peer, &bob, "Printer jam", "It is stuck.", &[]).await;
    let unaccepted = ask(&peer, &bob, "Old one", "Still open.", &[]).await;
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&carol),
            &format!("/questions/{unaccepted}/answers"),
            Some(json!({"body": "Try turning it off and on."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let removed = ask(&peer, &bob, "Removed one", "Nobody sees this.", &[]).await;
    age(&peer, unanswered, 3 * HOUR).await;
    age(&peer, unaccepted, 50 * HOUR).await;
    age(&peer, removed, 3 * HOUR).await;
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&moda),
            &format!("/posts/{removed}/remove"),
            Some(json!({"reason": "spam"})),
        )
        .await;
    assert!(s.is_success(), "{v}");
    let r_unanswered = add_rule(&peer, &moda, "unanswered_hours", "2", &org, "high").await;
    let r_unaccepted = add_rule(&peer, &moda, "unaccepted_days", "1", &org, "urgent").await;
    age_rules(&peer, 100 * HOUR).await;

    // Then the keyword and tag rules, and the questions they look at (asked after them).
    let r_keyword = add_rule(&peer, &admin, "keyword", "Refund", &org, "normal").await;
    let r_tag = add_rule(&peer, &moda, "tag", "#billing", &org, "low").await;
    let keyword = ask(&peer, &bob, "Money back", "I want a REFUND please.", &[]).await;
    let tagged = ask(&peer, &bob, "Invoice", "Where is it?", &["Billing"]).await;
    // Too young for the timed rules, and neither keyword nor tag.
    ask(&peer, &bob, "Fresh question", "Nothing special.", &[]).await;

    assert!(eventually(20, || async { escalations(&peer, &moda).await.len() >= 4 }).await);
    let list = escalations(&peer, &moda).await;
    let mut pairs: Vec<(String, String, String)> = list
        .iter()
        .map(|e| {
            (
                e["rule_id"].as_str().unwrap().to_string(),
                e["question_id"].as_str().unwrap().to_string(),
                e["priority"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    pairs.sort();
    let mut want = vec![
        (r_unanswered, unanswered.to_string(), "high".to_string()),
        (r_unaccepted, unaccepted.to_string(), "urgent".to_string()),
        (r_keyword, keyword.to_string(), "normal".to_string()),
        (r_tag, tagged.to_string(), "low".to_string()),
    ];
    want.sort();
    assert_eq!(pairs, want, "{list:?}");

    // Each opened a case in Acme's queue with the rule's priority, which told carol
    // (Acme's staff) and bob (the customer); no second notification of the same.
    assert!(list.iter().all(|e| e["case_id"].is_string()), "{list:?}");
    for e in &list {
        let case = e["case_id"].as_str().unwrap().parse::<i64>().unwrap();
        let (priority, origin) = peer
            .query(move |c| {
                use peerdesk::db::schema::cases as cs;
                Ok(peerdesk::with_conn!(c, c => cs::table
                    .find(case)
                    .select((cs::priority, cs::origin))
                    .first::<(String, String)>(c))?)
            })
            .await;
        assert_eq!(
            (priority.as_str(), origin.as_str()),
            (e["priority"].as_str().unwrap(), "rule")
        );
    }
    assert!(
        eventually(10, || async {
            notices(&peer, &carol, "case_created").await == 4
        })
        .await
    );
    assert_eq!(notices(&peer, &carol, "escalation").await, 0);
    assert_eq!(notices(&peer, &bob, "case_created").await, 4);
    // The endpoint received `escalation.created` for each.
    assert!(eventually(20, || async { got.lock().unwrap().len() >= 4 }).await);
    let bodies = got.lock().unwrap().clone();
    assert!(
        bodies.iter().all(|b| b["type"] == "escalation.created"),
        "{bodies:?}"
    );
    let kinds: std::collections::BTreeSet<String> = bodies
        .iter()
        .map(|b| {
            b["data"]["escalation"]["rule"]["kind"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["keyword", "tag", "unaccepted_days", "unanswered_hours"]
    );
    let kw = bodies
        .iter()
        .find(|b| b["data"]["escalation"]["rule"]["kind"] == "keyword")
        .unwrap();
    assert_eq!(kw["data"]["question"]["id"], keyword.to_string());
    assert_eq!(kw["data"]["question"]["title"], "Money back");
    assert_eq!(kw["data"]["escalation"]["priority"], "normal");
    assert_eq!(kw["data"]["escalation"]["organisation"]["name"], "Acme");
    assert_eq!(kw["data"]["group"]["name"], "help");
    assert!(kw["data"]["escalation"]["case_id"].is_string(), "{kw}");

    // Another pass escalates nothing more.
    let again = pass(peer.state(), now_ms()).await.unwrap();
    assert_eq!(again.fired, 0, "{again:?}");
    assert_eq!(escalations(&peer, &moda).await.len(), 4);

    // Disabling a rule stops it; a new question it would match stays put until it is
    // enabled again, then escalates once.
    let (s, v) = peer
        .api(
            Method::PATCH,
            Some(&moda),
            &format!(
                "/groups/help/escalation-rules/{}",
                want_rule(&want, "normal")
            ),
            Some(json!({"enabled": false})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["enabled"], false);
    let later = ask(&peer, &bob, "Another", "refund again", &[])
        .await
        .to_string();
    let p = pass(peer.state(), now_ms()).await.unwrap();
    assert_eq!(p.fired, 0, "{p:?}");
    let (s, _) = peer
        .api(
            Method::PATCH,
            Some(&moda),
            &format!(
                "/groups/help/escalation-rules/{}",
                want_rule(&want, "normal")
            ),
            Some(json!({"enabled": true})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        eventually(20, || async {
            escalations(&peer, &moda)
                .await
                .iter()
                .any(|e| e["question_id"] == later.as_str())
        })
        .await
    );

    // Only the group's moderators and the admins see or change the rules.
    for (token, want) in [
        (&bob, StatusCode::FORBIDDEN),
        (&carol, StatusCode::FORBIDDEN),
        (&admin, StatusCode::OK),
    ] {
        let (s, _) = peer
            .api(
                Method::GET,
                Some(token),
                "/groups/help/escalation-rules",
                None,
            )
            .await;
        assert_eq!(s, want);
    }
    let (s, _) = peer
        .api(
            Method::POST,
            Some(&bob),
            "/groups/help/escalation-rules",
            Some(json!({"kind": "tag", "parameter": "x1", "organisation_id": org})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Bad rules are refused with what is wrong.
    for (body, needle) in [
        (json!({"kind": "sometimes", "organisation_id": org}), "kind"),
        (
            json!({"kind": "unanswered_hours", "parameter": "0", "organisation_id": org}),
            "hours",
        ),
        (
            json!({"kind": "keyword", "parameter": "refund", "organisation_id": "1"}),
            "organisation",
        ),
        (
            json!({"kind": "tag", "parameter": "x", "organisation_id": org, "priority": "asap"}),
            "priority",
        ),
    ] {
        let (s, v) = peer
            .api(
                Method::POST,
                Some(&moda),
                "/groups/help/escalation-rules",
                Some(body),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        assert!(v.to_string().contains(needle), "{needle}: {v}");
    }
    // Deleting a rule.
    let (s, _) = peer
        .api(
            Method::DELETE,
            Some(&moda),
            &format!("/groups/help/escalation-rules/{}", want_rule(&want, "low")),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, rules) = peer
        .api(
            Method::GET,
            Some(&moda),
            "/groups/help/escalation-rules",
            None,
        )
        .await;
    assert_eq!(rules.as_array().unwrap().len(), 3, "{rules}");

    // Open case: bob has open cases with Acme now (the rules opened them); dave has none.
    let (dave, _) = peer.user("dave", false).await;
    let r_case = add_rule(&peer, &moda, "open_case", "", &org, "urgent").await;
    let by_bob = ask(&peer, &bob, "Also this", "Another thing.", &[])
        .await
        .to_string();
    let by_dave = ask(&peer, &dave, "Mine", "Another thing.", &[])
        .await
        .to_string();
    assert!(
        eventually(20, || async {
            escalations(&peer, &moda)
                .await
                .iter()
                .any(|e| e["question_id"] == by_bob.as_str() && e["rule_id"] == r_case.as_str())
        })
        .await
    );
    pass(peer.state(), now_ms()).await.unwrap();
    let list = escalations(&peer, &moda).await;
    assert!(
        !list.iter().any(|e| e["question_id"] == by_dave.as_str()),
        "{list:?}"
    );
    // The questions already in a case were not escalated by it.
    assert_eq!(
        list.iter()
            .filter(|e| e["rule_id"] == r_case.as_str())
            .count(),
        1,
        "{list:?}"
    );
}

fn want_rule(want: &[(String, String, String)], priority: &str) -> String {
    want.iter().find(|w| w.2 == priority).unwrap().0.clone()
}

async fn once_across_restarts_and_processes(backend: Backend) {
    let mut peer = Peer::start_custom(backend, |s| {
        s.escalation_interval = 1;
        s.rate_limits = false;
    })
    .await;
    let (_admin, carol, bob, moda, org) = setup(&peer).await;
    let first = ask(&peer, &bob, "Waiting", "Anyone?", &[]).await;
    age(&peer, first, 5 * HOUR).await;
    add_rule(&peer, &moda, "unanswered_hours", "1", &org, "high").await;
    age_rules(&peer, 10 * HOUR).await;
    assert!(eventually(20, || async { escalations(&peer, &moda).await.len() == 1 }).await);

    // After a restart the evaluator finds it escalated already.
    peer.restart_custom(|s| s.escalation_interval = 1).await;
    let p = pass(peer.state(), now_ms()).await.unwrap();
    assert_eq!(p.fired, 0, "{p:?}");
    assert_eq!(escalations(&peer, &moda).await.len(), 1);
    assert!(
        eventually(10, || async {
            notices(&peer, &carol, "case_created").await == 1
        })
        .await
    );

    // Many questions due at once, evaluated by two processes of the instance on the
    // same database at the same time: each escalated once, notified once. This part
    // drives both processes' passes itself.
    peer.restart_custom(|s| {
        s.escalation_interval = 0;
        s.rate_limits = false;
    })
    .await;
    let mut ids = Vec::new();
    for i in 0..60 {
        ids.push(ask(&peer, &bob, &format!("Question {i}"), "Help?", &[]).await);
    }
    let at = now_ms() - 5 * HOUR;
    let all = ids.clone();
    peer.query(move |c| {
        peerdesk::with_conn!(c, c => diesel::update(p::table.filter(p::id.eq_any(all)))
            .set(p::published_at.eq(at))
            .execute(c))?;
        Ok(())
    })
    .await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mut settings = test_settings(peer.port, &peer.db.url);
    settings.escalation_interval = 0;
    let second = peerdesk::app::start(settings, listener)
        .await
        .expect("second process");
    let now = now_ms();
    let (mut fired, mut rounds) = (0, 0);
    while rounds < 10 {
        let (a, b) = tokio::join!(pass(peer.state(), now), pass(&second.state, now));
        let (a, b) = (a.unwrap(), b.unwrap());
        fired += a.fired + b.fired;
        rounds += 1;
        if a.failed + b.failed == 0 && a.fired + b.fired == 0 {
            break;
        }
    }
    assert_eq!(fired, 60, "each question escalated once ({rounds} rounds)");
    let list = escalations(&peer, &moda).await;
    assert_eq!(list.len(), 50, "the list shows the latest 50");
    let total = peer.query(peerdesk::db::queries::escalation::count).await;
    assert_eq!(total, 61);
    let cases: i64 = peer
        .query(|c| {
            use peerdesk::db::schema::cases as cs;
            Ok(peerdesk::with_conn!(c, c => cs::table
                .filter(cs::origin.eq("rule"))
                .count()
                .get_result::<i64>(c))?)
        })
        .await;
    assert_eq!(cases, 61, "one case per escalation");
    second.kill().await;
}

async fn rules_ignore_what_came_before_them(backend: Backend) {
    let peer = Peer::start_custom(backend, |s| {
        s.escalation_interval = 0;
        s.rate_limits = false;
    })
    .await;
    let (_admin, carol, bob, moda, org) = setup(&peer).await;
    // An old keyword match (answered) and a long overdue question, both before the rules.
    let old_match = ask(&peer, &bob, "Old refund", "refund from last year", &[]).await;
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&carol),
            &format!("/questions/{old_match}/answers"),
            Some(json!({"body": "Sent."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let overdue = ask(&peer, &bob, "Long overdue", "nobody answered", &[]).await;
    let soon = ask(&peer, &bob, "Due soon", "waiting", &[]).await;
    age(&peer, old_match, HOUR).await;
    age(&peer, overdue, 10 * HOUR).await;
    age(&peer, soon, HOUR).await;
    add_rule(&peer, &moda, "keyword", "refund", &org, "normal").await;
    add_rule(&peer, &moda, "unanswered_hours", "2", &org, "high").await;
    let p = pass(peer.state(), now_ms()).await.unwrap();
    assert_eq!(p.fired, 0, "nothing from before the rules: {p:?}");

    // A new match escalates; the question due in an hour escalates when it is due (the
    // new match is due an hour later).
    let new_match = ask(&peer, &bob, "New refund", "a Refund now", &[]).await;
    let p = pass(peer.state(), now_ms()).await.unwrap();
    assert_eq!(p.fired, 1, "{p:?}");
    let p = pass(peer.state(), now_ms() + 90 * 60_000).await.unwrap();
    assert_eq!(p.fired, 1, "{p:?}");
    let mut got: Vec<String> = escalations(&peer, &moda)
        .await
        .iter()
        .map(|e| e["question_id"].as_str().unwrap().to_string())
        .collect();
    got.sort();
    let mut want = vec![new_match.to_string(), soon.to_string()];
    want.sort();
    assert_eq!(got, want);
}

const PAGE: &str = "/g/help/mod/escalation";

async fn escalation_page_forms(backend: Backend) {
    let peer = Peer::start_custom(backend, |s| s.escalation_interval = 0).await;
    let (admin, carol, bob, moda, org) = setup(&peer).await;
    let base = peer.base.clone();

    // Who sees the page: the group's moderators and the admin.
    for (who, status) in [
        ("", StatusCode::FORBIDDEN),
        (bob.as_str(), StatusCode::FORBIDDEN),
        (carol.as_str(), StatusCode::FORBIDDEN),
        (moda.as_str(), StatusCode::OK),
        (admin.as_str(), StatusCode::OK),
    ] {
        let c = if who.is_empty() {
            String::new()
        } else {
            cookie(who)
        };
        let (s, _) = page(&base, PAGE, &c).await;
        assert_eq!(s, status, "{who:?}");
    }
    // The console's other pages link to it.
    for path in [
        "/g/help/mod/reports",
        "/g/help/mod/moderators",
        "/g/help/mod/settings",
    ] {
        let (_, html) = page(&base, path, &cookie(&moda)).await;
        assert!(html.contains("href=\"/g/help/mod/escalation\""), "{path}");
    }

    // Bob's own valid token does not let him post; a forged one fails for moda.
    let (_, any) = page(&base, "/g/help", &cookie(&bob)).await;
    let bob_token = csrf_field(&any);
    let form = |t: &str| -> Vec<(String, String)> {
        [
            ("csrf", t),
            ("op", "add"),
            ("kind", "keyword"),
            ("parameter", "outage"),
            ("organisation", org.as_str()),
            ("priority", "high"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    };
    let send = |c: String, f: Vec<(String, String)>| {
        let base = base.clone();
        async move {
            let pairs: Vec<(&str, &str)> =
                f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            post(&base, PAGE, &c, &pairs).await
        }
    };
    let resp = send(cookie(&bob), form(&bob_token)).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let resp = send(cookie(&moda), form("forged")).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);

    let (_, html) = page(&base, PAGE, &cookie(&moda)).await;
    assert!(html.contains("id=\"no-rules\""), "{html}");
    let t = csrf_field(&html);

    // A bad parameter: refused, told by its field, what was typed kept.
    let mut bad = form(&t);
    bad[2].1 = "unanswered_hours".into();
    bad[3].1 = "soon-ish".into();
    let resp = send(cookie(&moda), bad).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("id=\"parameter-error\""), "{html}");
    assert!(html.contains("Enter whole hours"), "{html}");
    assert!(html.contains("value=\"soon-ish\""), "{html}");
    assert!(
        html.contains("<option value=\"unanswered_hours\" selected>"),
        "{html}"
    );
    assert!(html.contains("<option value=\"high\" selected>"), "{html}");
    // An organisation the group does not recognise: told by its field.
    let mut bad = form(&t);
    bad[4].1 = "12345".into();
    let resp = send(cookie(&moda), bad).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("id=\"organisation-error\""), "{html}");
    assert!(html.contains("value=\"outage\""), "{html}");

    // Added, listed, disabled, enabled and deleted.
    let resp = send(cookie(&moda), form(&t)).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, rules) = peer
        .api(
            Method::GET,
            Some(&moda),
            "/groups/help/escalation-rules",
            None,
        )
        .await;
    let rule = rules[0]["id"].as_str().unwrap().to_string();
    assert_eq!(rules[0]["parameter"], "outage");
    assert_eq!(rules[0]["priority"], "high");
    let (_, html) = page(&base, &format!("{PAGE}?saved=add"), &cookie(&moda)).await;
    assert!(html.contains("id=\"escalation-saved\""), "{html}");
    assert!(html.contains("Mentions “outage”"), "{html}");
    for (op, enabled) in [
        ("disable", Some(false)),
        ("enable", Some(true)),
        ("delete", None),
    ] {
        let f = vec![
            ("csrf".to_string(), t.clone()),
            ("op".to_string(), op.to_string()),
            ("rule".to_string(), rule.clone()),
        ];
        let resp = send(cookie(&moda), f).await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{op}");
        let (_, rules) = peer
            .api(
                Method::GET,
                Some(&moda),
                "/groups/help/escalation-rules",
                None,
            )
            .await;
        match enabled {
            Some(e) => assert_eq!(rules[0]["enabled"], e, "{op}"),
            None => assert!(rules.as_array().unwrap().is_empty(), "{op}"),
        }
    }
    // A rule that is gone: the page says so.
    let f = vec![
        ("csrf".to_string(), t.clone()),
        ("op".to_string(), "delete".to_string()),
        ("rule".to_string(), rule.clone()),
    ];
    let resp = send(cookie(&moda), f).await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let html = resp.text().await.unwrap();
    assert!(html.contains("no longer exists"), "{html}");
}

both_backends!(
    every_kind_escalates,
    once_across_restarts_and_processes,
    rules_ignore_what_came_before_them,
    escalation_page_forms,
);
