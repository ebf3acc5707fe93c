//! Satisfaction surveys ("Did this solve your problem?"): a local asker is notified when
//! an answer is accepted and answers on the survey's page (the API agrees, and a second
//! answer is refused); an asker on a second real peerdesk instance gets a direct
//! message (the group's followers there get nothing), replies "yes" from their
//! conversations, and it is counted in the metrics; a question with answers but none
//! accepted is surveyed after N days, once, across a restart.

mod common;
use common::forms::{cookie, csrf_field, page_at, post};
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const D: i64 = 86_400_000;

fn fast(s: &mut peerdesk::config::Settings) {
    s.satisfaction_interval = 1;
    s.satisfaction_after_days = 3;
}

async fn ask(peer: &Peer, token: &str, group: &str, title: &str) -> Value {
    let (s, q) = peer
        .api(
            Method::POST,
            Some(token),
            "/questions",
            Some(json!({"group": group, "title": title, "body": "Details of the problem here"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    q
}

async fn answer(peer: &Peer, token: &str, q: &str) -> String {
    let (s, a) = peer
        .api(
            Method::POST,
            Some(token),
            &format!("/questions/{q}/answers"),
            Some(json!({"body": "Update the firmware to 2.1, then restart the router"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    a["id"].as_str().unwrap().to_string()
}

/// The caller's notifications of kind `satisfaction`.
async fn surveys_notified(peer: &Peer, token: &str) -> Vec<Value> {
    let (s, v) = peer
        .api(Method::GET, Some(token), "/notifications?limit=100", None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "satisfaction")
        .cloned()
        .collect()
}

async fn survey_count(peer: &Peer) -> i64 {
    peer.query(|c| {
        use diesel::prelude::*;
        use peerdesk::db::schema::surveys::dsl::*;
        Ok(peerdesk::with_conn!(c, c => surveys.count().get_result::<i64>(c))?)
    })
    .await
}

async fn metrics(peer: &Peer, admin: &str) -> Value {
    let (s, m) = peer
        .api(
            Method::GET,
            Some(admin),
            "/groups/help/metrics?days=7",
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{m}");
    m
}

async fn local_asker_answers_on_accept(backend: Backend) {
    let peer = Peer::start_custom(backend, fast).await;
    let (admin, _) = peer.user("admin", true).await;
    let (alice, _) = peer.user("alice", false).await;
    let (bob, _) = peer.user("bob", false).await;
    peer.group("help").await;
    let q = ask(&peer, &alice, "help", "Router keeps rebooting at night").await;
    let qid = q["id"].as_str().unwrap().to_string();
    let a = answer(&peer, &bob, &qid).await;
    // Answered, not accepted, asked just now: nobody is asked yet.
    assert_eq!(
        peerdesk::actions::satisfaction::pass(peer.state(), peerdesk::db::now_ms(), 3)
            .await
            .unwrap(),
        0
    );
    let (s, v) = peer
        .api(
            Method::PUT,
            Some(&alice),
            &format!("/questions/{qid}/accepted"),
            Some(json!({"answer_id": a})),
        )
        .await;
    assert!(s.is_success(), "{s} {v}");

    assert!(
        eventually(20, || async {
            !surveys_notified(&peer, &alice).await.is_empty()
        })
        .await,
        "alice was not asked"
    );
    let n = surveys_notified(&peer, &alice).await.remove(0);
    assert_eq!(n["post_id"], qid.as_str());
    assert_eq!(n["title"], "Router keeps rebooting at night");
    let link = n["link"].as_str().unwrap();
    let sid = link.rsplit('/').next().unwrap().to_string();
    assert_eq!(link, peer.url(&format!("/surveys/{sid}")));
    // The answerer is asked nothing; the survey is the asker's alone.
    assert!(surveys_notified(&peer, &bob).await.is_empty());
    let (s, _) = peer
        .api(Method::GET, Some(&bob), &format!("/surveys/{sid}"), None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // The notification opens the survey's page; alice answers there.
    let ca = cookie(&alice);
    let (s, html) = page_at(&peer.base, &format!("/surveys/{sid}"), &ca).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(html.contains("Did this solve your problem?"), "{html}");
    assert!(html.contains("id=\"survey-form\""), "{html}");
    // No choice: refused at the form, the comment kept.
    let token = csrf_field(&html);
    let r = post(
        &peer.base,
        &format!("/surveys/{sid}"),
        &ca,
        &[("csrf", &token), ("comment", "Fixed after the update")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("Fixed after the update"), "{body}");
    assert!(body.contains("answer-error"), "{body}");
    let r = post(
        &peer.base,
        &format!("/surveys/{sid}"),
        &ca,
        &[
            ("csrf", &token),
            ("answer", "yes"),
            ("comment", "Fixed after the update"),
        ],
    )
    .await;
    assert!(r.status().is_redirection(), "{}", r.status());
    let (_, html) = page_at(&peer.base, &format!("/surveys/{sid}"), &ca).await;
    assert!(html.contains("data-answer=\"yes\""), "{html}");
    assert!(!html.contains("id=\"survey-form\""), "{html}");

    // The API shows the answer; the first one is kept.
    let (s, v) = peer
        .api(Method::GET, Some(&alice), &format!("/surveys/{sid}"), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["answer"], "yes");
    assert_eq!(v["reason"], "accepted");
    assert_eq!(v["comment"], "Fixed after the update");
    let (s, v) = peer
        .api(
            Method::PUT,
            Some(&alice),
            &format!("/surveys/{sid}/answer"),
            Some(json!({"answer": "no"})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");

    // Counted: one sent, one answered, yes.
    let m = metrics(&peer, &admin).await;
    assert_eq!(m["surveys_sent"], 1, "{m}");
    assert_eq!(m["surveys_answered"], 1, "{m}");
    assert_eq!(m["satisfied"], 1, "{m}");
    assert_eq!(m["satisfaction_rate"], 1.0, "{m}");
    assert_eq!(m["survey_response_rate"], 1.0, "{m}");
    assert_eq!(survey_count(&peer).await, 1);
}

/// The conversations of `token` on `peer`, with their messages' bodies.
async fn conversation_bodies(peer: &Peer, token: &str) -> Vec<(String, String, Vec<String>)> {
    let (s, list) = peer
        .api(Method::GET, Some(token), "/conversations", None)
        .await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let mut out = Vec::new();
    for c in list.as_array().unwrap() {
        let id = c["id"].as_str().unwrap().to_string();
        let (_, v) = peer
            .api(
                Method::GET,
                Some(token),
                &format!("/conversations/{id}"),
                None,
            )
            .await;
        let bodies = v["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["body"].as_str().unwrap_or_default().to_string())
            .collect();
        out.push((
            id,
            c["with"].as_str().unwrap_or_default().to_string(),
            bodies,
        ));
    }
    out
}

async fn remote_asker_replies_by_direct_message(backend: Backend) {
    let a = Peer::start_custom(backend, fast).await;
    let b = Peer::start(backend).await;
    let (admin, _) = a.user("root", true).await;
    let (carol, _) = a.user("carol", false).await;
    a.group("help").await;
    let help = format!("help@{}", a.domain);

    // erin follows the group from b; dan asks in it from there.
    let (erin, _) = b.user("erin", false).await;
    b.follow_and_wait(&erin, &help).await;
    let (dan, _) = b.user("dan", false).await;
    let q = ask(&b, &dan, &help, "Printer drops off the wifi").await;
    let qid = a
        .wait_question_id("help", q["ap_id"].as_str().unwrap())
        .await;
    answer(&a, &carol, &qid).await;
    // Asked four days ago, answered, nothing accepted: due after three days.
    let id: i64 = qid.parse().unwrap();
    let asked = peerdesk::db::now_ms() - 4 * D;
    a.query(move |c| peerdesk::db::queries::metrics::set_times(c, id, asked, None))
        .await;

    // dan gets the survey in his conversations on b.
    assert!(
        eventually(30, || async {
            conversation_bodies(&b, &dan)
                .await
                .iter()
                .any(|(_, _, m)| m.iter().any(|t| t.contains("Did this solve your problem?")))
        })
        .await,
        "the survey did not reach dan"
    );
    let (conv, with, bodies) = conversation_bodies(&b, &dan).await.remove(0);
    assert_eq!(bodies.len(), 1, "{bodies:?}");
    assert!(
        bodies[0].contains("Printer drops off the wifi"),
        "{bodies:?}"
    );
    assert!(!with.is_empty());
    // The group's follower on b got nothing of it, and it is no post there.
    assert!(conversation_bodies(&b, &erin).await.is_empty());
    let note: Option<String> = a
        .query(move |c| {
            Ok(peerdesk::db::queries::surveys::by_question(c, id)?.and_then(|s| s.note_ap_id))
        })
        .await;
    let note = note.expect("the survey's note");
    let n2 = note.clone();
    let as_post = b
        .query(move |c| peerdesk::db::queries::posts::by_ap_id(c, &n2))
        .await;
    assert!(as_post.is_none(), "the survey was stored as a post on b");

    // His reply there answers it on a.
    let (s, v) = b
        .api(
            Method::POST,
            Some(&dan),
            &format!("/conversations/{conv}/messages"),
            Some(json!({"body": "Yes, thanks! It works now."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert!(
        eventually(30, || async {
            a.query(move |c| peerdesk::db::queries::surveys::by_question(c, id))
                .await
                .is_some_and(|s| s.answer.as_deref() == Some("yes"))
        })
        .await,
        "dan's reply did not answer the survey"
    );
    let s = a
        .query(move |c| peerdesk::db::queries::surveys::by_question(c, id))
        .await
        .unwrap();
    assert_eq!(s.reason, "days");
    assert!(
        s.answer_comment
            .as_deref()
            .unwrap_or_default()
            .contains("It works now"),
        "{s:?}"
    );
    let m = metrics(&a, &admin).await;
    assert_eq!(m["surveys_sent"], 1, "{m}");
    assert_eq!(m["surveys_answered"], 1, "{m}");
    assert_eq!(m["satisfied"], 1, "{m}");
    // Not a private message of anyone's on a.
    let (_, list) = a
        .api(Method::GET, Some(&carol), "/conversations", None)
        .await;
    assert_eq!(list, json!([]));
}

async fn after_days_once_across_a_restart(backend: Backend) {
    let mut peer = Peer::start_custom(backend, fast).await;
    let (alice, _) = peer.user("alice", false).await;
    let (bob, _) = peer.user("bob", false).await;
    peer.group("help").await;
    let q = ask(&peer, &alice, "help", "Scanner saves blank pages").await;
    let qid = q["id"].as_str().unwrap().to_string();
    answer(&peer, &bob, &qid).await;
    // Another asked as long ago without an answer: never surveyed.
    let q2 = ask(&peer, &alice, "help", "Fax header shows the wrong date").await;
    let (id, id2): (i64, i64) = (
        qid.parse().unwrap(),
        q2["id"].as_str().unwrap().parse().unwrap(),
    );
    let asked = peerdesk::db::now_ms() - 4 * D;
    peer.query(move |c| {
        peerdesk::db::queries::metrics::set_times(c, id, asked, None)?;
        peerdesk::db::queries::metrics::set_times(c, id2, asked, None)
    })
    .await;
    assert!(
        eventually(20, || async {
            !surveys_notified(&peer, &alice).await.is_empty()
        })
        .await,
        "alice was not asked after three days"
    );
    peer.restart_custom(fast).await;
    // The passes after the restart find nothing due: one survey, one notification.
    for _ in 0..2 {
        let sent = peerdesk::actions::satisfaction::pass(peer.state(), peerdesk::db::now_ms(), 3)
            .await
            .unwrap();
        assert_eq!(sent, 0);
    }
    assert_eq!(survey_count(&peer).await, 1);
    let notified = surveys_notified(&peer, &alice).await;
    assert_eq!(notified.len(), 1, "{notified:?}");
    assert_eq!(notified[0]["post_id"], qid.as_str());
    let sid = notified[0]["link"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let (s, v) = peer
        .api(Method::GET, Some(&alice), &format!("/surveys/{sid}"), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["reason"], "days");
    assert_eq!(v["answer"], Value::Null);
}

both_backends!(
    local_asker_answers_on_accept,
    remote_asker_replies_by_direct_message,
    after_days_once_across_a_restart
);
