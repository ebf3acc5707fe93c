//! Moderation across three real instances: reports in and out, removals, bans, locks,
//! moderators, instance blocks and the public log.

mod common;
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn answer_on(peer: &Peer, qid: &str, ap_id: &str) -> Option<Value> {
    let (_, t) = peer
        .api(Method::GET, None, &format!("/questions/{qid}"), None)
        .await;
    t["answers"]
        .as_array()?
        .iter()
        .find(|a| a["ap_id"] == ap_id)
        .cloned()
}

struct Three {
    a: Peer,
    b: Peer,
    c: Peer,
    mod_a: String,
    admin_b: String,
    bob: String,
    carol: String,
    group: String,
    q: [String; 3],
}

async fn setup(backend: Backend) -> Three {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    let c = Peer::start(backend).await;
    a.group("acme").await;
    let (mod_a, _) = a.user("moda", true).await;
    let (admin_b, _) = b.user("adminb", true).await;
    let (bob, _) = b.user("bob", false).await;
    let (carol, _) = c.user("carol", false).await;
    let group = format!("acme@{}", a.domain);
    b.follow_and_wait(&bob, &group).await;
    c.follow_and_wait(&carol, &group).await;
    let (s, q) = a
        .api(
            Method::POST,
            Some(&mod_a),
            "/questions",
            Some(
                json!({"group": "acme", "title": "Toner smudges", "body": "Pages come out grey."}),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let ap = q["ap_id"].as_str().unwrap();
    let qb = b.wait_question_id(&group, ap).await;
    let qc = c.wait_question_id(&group, ap).await;
    Three {
        q: [q["id"].as_str().unwrap().to_string(), qb, qc],
        a,
        b,
        c,
        mod_a,
        admin_b,
        bob,
        carol,
        group,
    }
}

async fn reports_removal_ban_and_lock(backend: Backend) {
    let t = setup(backend).await;
    // Bob answers from B; it reaches A and C.
    let (s, ans) =
        t.b.api(
            Method::POST,
            Some(&t.bob),
            &format!("/questions/{}/answers", t.q[1]),
            Some(json!({"body": "Buy my miracle toner at spam.example!"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let ap = ans["ap_id"].as_str().unwrap().to_string();
    assert!(
        eventually(15, || async {
            answer_on(&t.c, &t.q[2], &ap).await.is_some()
                && answer_on(&t.a, &t.q[0], &ap).await.is_some()
        })
        .await
    );

    // Carol reports it on C: it reaches A's group queue and B's instance queue.
    let on_c = answer_on(&t.c, &t.q[2], &ap).await.unwrap();
    let (s, v) =
        t.c.api(
            Method::POST,
            Some(&t.carol),
            "/reports",
            Some(json!({"post_id": on_c["id"], "reason": "spam link"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["created"], true);
    let (_, again) =
        t.c.api(
            Method::POST,
            Some(&t.carol),
            "/reports",
            Some(json!({"post_id": on_c["id"], "reason": "spam link"})),
        )
        .await;
    assert_eq!(again["created"], false, "duplicate report");
    assert!(
        eventually(15, || async {
            let (_, q) =
                t.a.api(Method::GET, Some(&t.mod_a), "/reports?group=acme", None)
                    .await;
            q.as_array().is_some_and(|q| {
                q.iter()
                    .any(|r| r["post_ap_id"] == ap.as_str() && r["reason"] == "spam link")
            })
        })
        .await,
        "report did not reach the group's queue on A"
    );
    assert!(
        eventually(15, || async {
            let (_, q) =
                t.b.api(Method::GET, Some(&t.admin_b), "/reports", None)
                    .await;
            q.as_array()
                .is_some_and(|q| q.iter().any(|r| r["post_ap_id"] == ap.as_str()))
        })
        .await,
        "report did not reach the author's instance B"
    );
    let (s, _) =
        t.a.api(
            Method::GET,
            Some(&t.carol_token_on_a().await),
            "/reports?group=acme",
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "only moderators see the queue");

    // A's moderator resolves the report by removing the answer: B and C hide it.
    let (_, queue) =
        t.a.api(Method::GET, Some(&t.mod_a), "/reports?group=acme", None)
            .await;
    let rid = queue[0]["id"].as_str().unwrap().to_string();
    assert_eq!(queue[0]["reporter_domain"], "".to_string() + &t.c.domain);
    let (s, v) =
        t.a.api(
            Method::POST,
            Some(&t.mod_a),
            &format!("/reports/{rid}/resolve"),
            Some(json!({"resolution": "resolved", "note": "spam", "remove": true})),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    for (name, peer, qid) in [
        ("a", &t.a, &t.q[0]),
        ("b", &t.b, &t.q[1]),
        ("c", &t.c, &t.q[2]),
    ] {
        assert!(
            eventually(15, || async {
                answer_on(peer, qid, &ap)
                    .await
                    .is_some_and(|x| x["deleted"] == true && x["content_html"] == "")
            })
            .await,
            "removal did not reach {name}"
        );
    }
    // The report came from C: A's Resolve closes Carol's own copy there.
    let (admin_c, _) = t.c.user("adminc", true).await;
    assert!(
        eventually(15, || async {
            let (_, q) =
                t.c.api(Method::GET, Some(&admin_c), "/reports?all=true", None)
                    .await;
            q.as_array().is_some_and(|q| {
                q.iter()
                    .any(|r| r["post_ap_id"] == ap.as_str() && r["status"] == "resolved")
            })
        })
        .await,
        "the Resolve did not close the report on C"
    );
    let (_, log) = t.a.api(Method::GET, None, "/modlog?group=acme", None).await;
    assert!(log
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "remove" && e["reason"] == "spam"));
    let (_, log_c) =
        t.c.api(
            Method::GET,
            None,
            &format!("/modlog?group={}", t.group),
            None,
        )
        .await;
    assert!(
        log_c
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "remove"),
        "C's log: {log_c}"
    );

    // Ban Bob on A: his next answer is not taken nor announced; Carol's still is.
    let (s, v) =
        t.a.api(
            Method::POST,
            Some(&t.mod_a),
            "/groups/acme/bans",
            Some(json!({"handle": format!("bob@{}", t.b.domain), "reason": "spam"})),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (_, banned) =
        t.b.api(
            Method::POST,
            Some(&t.bob),
            &format!("/questions/{}/answers", t.q[1]),
            Some(json!({"body": "More miracle toner"})),
        )
        .await;
    let (_, good) =
        t.c.api(
            Method::POST,
            Some(&t.carol),
            &format!("/questions/{}/answers", t.q[2]),
            Some(json!({"body": "Clean the drum unit."})),
        )
        .await;
    let good_ap = good["ap_id"].as_str().unwrap().to_string();
    assert!(
        eventually(15, || async {
            answer_on(&t.a, &t.q[0], &good_ap).await.is_some()
        })
        .await
    );
    let bad_ap = banned["ap_id"].as_str().unwrap_or("none").to_string();
    assert!(eventually(15, || async { t.b.pending_deliveries().await == 0 }).await);
    assert!(
        answer_on(&t.a, &t.q[0], &bad_ap).await.is_none(),
        "banned actor's answer stored on A"
    );
    assert!(
        answer_on(&t.c, &t.q[2], &bad_ap).await.is_none(),
        "banned actor's answer announced to C"
    );

    // Lock on A: answers are refused everywhere.
    let (s, _) =
        t.a.api(
            Method::PUT,
            Some(&t.mod_a),
            &format!("/questions/{}/lock", t.q[0]),
            Some(json!({"locked": true, "reason": "solved"})),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) =
        t.a.api(
            Method::POST,
            Some(&t.mod_a),
            &format!("/questions/{}/answers", t.q[0]),
            Some(json!({"body": "late"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(
        eventually(15, || async {
            let (_, q) =
                t.c.api(Method::GET, None, &format!("/questions/{}", t.q[2]), None)
                    .await;
            q["question"]["locked"] == true
        })
        .await,
        "lock did not reach C"
    );
    let (s, _) =
        t.c.api(
            Method::POST,
            Some(&t.carol),
            &format!("/questions/{}/answers", t.q[2]),
            Some(json!({"body": "late"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

impl Three {
    async fn carol_token_on_a(&self) -> String {
        self.a.user("plain", false).await.0
    }
}

async fn moderators_federate(backend: Backend) {
    let t = setup(backend).await;
    // A adds Bob (on B) as a moderator; B and C learn it from the group.
    let (s, v) =
        t.a.api(
            Method::POST,
            Some(&t.mod_a),
            "/groups/acme/moderators",
            Some(json!({"handle": format!("bob@{}", t.b.domain)})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, mods) = t.a.get_ap("/g/acme/moderators").await;
    assert_eq!(mods["orderedItems"], json!([format!("{}/u/bob", t.b.base)]));
    assert!(
        eventually(15, || async {
            let (_, log) =
                t.c.api(
                    Method::GET,
                    None,
                    &format!("/modlog?group={}", t.group),
                    None,
                )
                .await;
            log.as_array()
                .unwrap()
                .iter()
                .any(|e| e["action"] == "add_moderator")
        })
        .await
    );
    // Bob, now a remote moderator, removes Carol's answer from B: A accepts it and
    // announces it.
    let (_, ans) =
        t.c.api(
            Method::POST,
            Some(&t.carol),
            &format!("/questions/{}/answers", t.q[2]),
            Some(json!({"body": "Off-topic rant"})),
        )
        .await;
    let ap = ans["ap_id"].as_str().unwrap().to_string();
    assert!(
        eventually(15, || async {
            answer_on(&t.b, &t.q[1], &ap).await.is_some()
        })
        .await
    );
    let on_b = answer_on(&t.b, &t.q[1], &ap).await.unwrap();
    let (s, v) =
        t.b.api(
            Method::POST,
            Some(&t.bob),
            &format!("/posts/{}/remove", on_b["id"].as_str().unwrap()),
            Some(json!({"reason": "off-topic"})),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    for (name, peer, qid) in [("a", &t.a, &t.q[0]), ("c", &t.c, &t.q[2])] {
        assert!(
            eventually(15, || async {
                answer_on(peer, qid, &ap)
                    .await
                    .is_some_and(|x| x["deleted"] == true)
            })
            .await,
            "remote moderator's removal did not reach {name}"
        );
    }
    // Carol is no moderator: her removal is refused locally.
    let (_, q) =
        t.c.api(Method::GET, None, &format!("/questions/{}", t.q[2]), None)
            .await;
    let (s, _) =
        t.c.api(
            Method::POST,
            Some(&t.carol),
            &format!("/posts/{}/remove", q["question"]["id"].as_str().unwrap()),
            Some(json!({"reason": "x"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

async fn defederated_instance(backend: Backend) {
    let t = setup(backend).await;
    // Carol upvotes the question from C; it counts on A.
    let (s, _) =
        t.c.api(
            Method::PUT,
            Some(&t.carol),
            &format!("/posts/{}/vote", t.q[2]),
            Some(json!({"value": 1})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let score = |p: &'static str| async move { p };
    let _ = score;
    assert!(
        eventually(15, || async {
            t.a.api(Method::GET, None, &format!("/questions/{}", t.q[0]), None)
                .await
                .1["question"]["upvotes"]
                == 1
        })
        .await
    );

    // A blocks C: the vote stops counting at once, and C's deliveries are refused.
    let (s, _) =
        t.a.api(
            Method::PUT,
            Some(&t.mod_a),
            &format!("/admin/instances/{}", t.c.domain),
            Some(json!({"blocked": true, "silenced": false, "allowed": false, "reason": "abuse"})),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(
        t.a.api(Method::GET, None, &format!("/questions/{}", t.q[0]), None)
            .await
            .1["question"]["upvotes"],
        0
    );
    let (_, ans) =
        t.c.api(
            Method::POST,
            Some(&t.carol),
            &format!("/questions/{}/answers", t.q[2]),
            Some(json!({"body": "From a blocked place"})),
        )
        .await;
    let ap = ans["ap_id"].as_str().unwrap().to_string();
    assert!(eventually(15, || async { t.c.pending_deliveries().await == 0 }).await);
    assert!(answer_on(&t.a, &t.q[0], &ap).await.is_none());
    let (_, log) = t.a.api(Method::GET, None, "/modlog", None).await;
    assert!(log
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "block_instance" && e["domain"] == t.c.domain.as_str()));
    // A no longer delivers to C: a new question is queued for B only.
    t.a.api(
        Method::POST,
        Some(&t.mod_a),
        "/questions",
        Some(json!({"group": "acme", "title": "Another one", "body": "x"})),
    )
    .await;
    let (_, stats) =
        t.a.api(Method::GET, Some(&t.mod_a), "/admin/deliveries", None)
            .await;
    let c_inst = stats["instances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["domain"] == t.c.domain.as_str())
        .cloned()
        .unwrap();
    assert_eq!(c_inst["pending"], 0);
    assert_eq!(c_inst["blocked"], true);
}

async fn rate_limits_answer_429(backend: Backend) {
    let a = Peer::start(backend).await;
    a.group("acme").await;
    let (newbie, _) = a.user("newbie", false).await;
    let mut statuses = Vec::new();
    for i in 0..6 {
        let resp = a
            .http
            .post(a.url("/api/v1/questions"))
            .bearer_auth(&newbie)
            .json(
                &json!({"group": "acme", "title": format!("Question number {i}"), "body": "text"}),
            )
            .send()
            .await
            .unwrap();
        statuses.push((resp.status(), resp.headers().get("retry-after").cloned()));
    }
    // New accounts may post five times a minute.
    assert!(
        statuses[..5].iter().all(|(s, _)| *s == StatusCode::CREATED),
        "{statuses:?}"
    );
    assert_eq!(statuses[5].0, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = statuses[5]
        .1
        .as_ref()
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry));
}

both_backends!(
    reports_removal_ban_and_lock,
    moderators_federate,
    defederated_instance,
    rate_limits_answer_429
);
