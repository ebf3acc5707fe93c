//! Questions and answers across three real instances: A hosts the group, B and C have
//! members. Asking, answering, voting, accepting, editing, deleting and search must give
//! every instance the same thread.

mod common;
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn thread(peer: &Peer, id: &str) -> Value {
    let (s, v) = peer
        .api(Method::GET, None, &format!("/questions/{id}"), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

fn answer<'a>(thread: &'a Value, ap_id: &str) -> Option<&'a Value> {
    thread["answers"]
        .as_array()?
        .iter()
        .find(|a| a["ap_id"] == ap_id)
}

async fn question_flows_across_three_instances(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    let c = Peer::start(backend).await;
    a.group("acme").await;
    let (alice, _) = a.user("alice", false).await;
    let (bob, _) = b.user("bob", false).await;
    let (carol, _) = c.user("carol", false).await;
    let group = format!("acme@{}", a.domain);
    b.follow_and_wait(&bob, &group).await;
    c.follow_and_wait(&carol, &group).await;

    // Bob asks on B.
    let (s, q) = b
        .api(Method::POST, Some(&bob), "/questions", Some(json!({
            "group": group, "title": "Printer shows error E42", "body": "After the update my **printer** shows E42.", "tags": ["firmware", "#E42"]
        })))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let q_ap = q["ap_id"].as_str().unwrap().to_string();
    assert_eq!(q["tags"], json!(["firmware", "e42"]));

    let mut ids = std::collections::HashMap::new();
    for (name, peer, g) in [("a", &a, "acme".to_string()), ("c", &c, group.clone())] {
        assert!(
            eventually(15, || async { peer.question_id(&g, &q_ap).await.is_some() }).await,
            "question did not reach {name}"
        );
        ids.insert(name, peer.question_id(&g, &q_ap).await.unwrap());
    }
    ids.insert("b", q["id"].as_str().unwrap().to_string());
    let t = thread(&c, &ids["c"]).await;
    assert_eq!(t["question"]["title"], "Printer shows error E42");
    assert!(t["question"]["content_html"]
        .as_str()
        .unwrap()
        .contains("<strong>printer</strong>"));
    assert_eq!(
        t["question"]["author"]["handle"],
        format!("bob@{}", b.domain)
    );

    // Carol answers from C, Alice from A.
    let (s, ans_c) = c
        .api(
            Method::POST,
            Some(&carol),
            &format!("/questions/{}/answers", ids["c"]),
            Some(json!({"body": "Reset the spooler: hold the power button for ten seconds."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ans_c}");
    let (s, ans_a) = a
        .api(
            Method::POST,
            Some(&alice),
            &format!("/questions/{}/answers", ids["a"]),
            Some(json!({"body": "Firmware 2.1 fixes E42."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ans_a}");
    let (c_ap, a_ap) = (
        ans_c["ap_id"].as_str().unwrap().to_string(),
        ans_a["ap_id"].as_str().unwrap().to_string(),
    );
    for (name, peer) in [("a", &a), ("b", &b), ("c", &c)] {
        let id = ids[name].clone();
        assert!(
            eventually(15, || async {
                let t = thread(peer, &id).await;
                answer(&t, &c_ap).is_some() && answer(&t, &a_ap).is_some()
            })
            .await,
            "answers did not reach {name}"
        );
        let t = thread(peer, &id).await;
        // Delivered directly and announced by the group, still stored once.
        assert_eq!(t["answers"].as_array().unwrap().len(), 2, "{name}: {t}");
        assert_eq!(t["question"]["answer_count"], 2, "{name}");
    }

    // Bob (on B) upvotes Carol's answer and accepts it.
    let t = thread(&b, &ids["b"]).await;
    let carol_answer_on_b = answer(&t, &c_ap).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (s, v) = b
        .api(
            Method::PUT,
            Some(&bob),
            &format!("/posts/{carol_answer_on_b}/vote"),
            Some(json!({"value": 1})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = b
        .api(
            Method::PUT,
            Some(&bob),
            &format!("/questions/{}/accepted", ids["b"]),
            Some(json!({"answer_id": carol_answer_on_b})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // Carol may not accept on Bob's question.
    let t = thread(&c, &ids["c"]).await;
    let own = answer(&t, &c_ap).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (s, _) = c
        .api(
            Method::PUT,
            Some(&carol),
            &format!("/questions/{}/accepted", ids["c"]),
            Some(json!({"answer_id": own})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    for (name, peer) in [("a", &a), ("c", &c)] {
        let id = ids[name].clone();
        assert!(
            eventually(15, || async {
                let t = thread(peer, &id).await;
                let ans = answer(&t, &c_ap).unwrap();
                ans["upvotes"] == 1
                    && ans["accepted"] == true
                    && t["answers"][0]["ap_id"] == c_ap.as_str()
            })
            .await,
            "vote or acceptance did not reach {name}: {}",
            thread(peer, &id).await
        );
    }

    // Carol edits on C; Alice deletes on A.
    let (s, v) = c
        .api(
            Method::PATCH,
            Some(&carol),
            &format!("/posts/{}", ans_c["id"].as_str().unwrap()),
            Some(json!({"body": "Reset the spooler, then reinstall the driver."})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, _) = a
        .api(
            Method::DELETE,
            Some(&alice),
            &format!("/posts/{}", ans_a["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    for (name, peer) in [("a", &a), ("b", &b), ("c", &c)] {
        let id = ids[name].clone();
        assert!(
            eventually(15, || async {
                let t = thread(peer, &id).await;
                answer(&t, &c_ap).unwrap()["content_html"]
                    .as_str()
                    .unwrap()
                    .contains("reinstall the driver")
                    && answer(&t, &a_ap).unwrap()["deleted"] == true
            })
            .await,
            "edit or delete did not reach {name}: {}",
            thread(peer, &id).await
        );
        let t = thread(peer, &id).await;
        assert_eq!(answer(&t, &a_ap).unwrap()["content_html"], "");
        assert_eq!(t["question"]["answer_count"], 1, "{name}");
    }
    // A keeps the edit history of Carol's answer.
    let t = thread(&a, &ids["a"]).await;
    let on_a = answer(&t, &c_ap).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, edits) = a
        .api(Method::GET, None, &format!("/posts/{on_a}/edits"), None)
        .await;
    assert_eq!(edits.as_array().unwrap().len(), 1);
    assert!(edits[0]["content_html"]
        .as_str()
        .unwrap()
        .contains("power button"));

    // Search finds the federated answer by a word of its body, on every instance.
    for (name, peer) in [("a", &a), ("b", &b), ("c", &c)] {
        let (s, hits) = peer.api(Method::GET, None, "/search?q=spooler", None).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            hits.as_array()
                .unwrap()
                .iter()
                .any(|h| h["ap_id"] == c_ap.as_str()),
            "{name}: {hits}"
        );
        let (_, none) = peer
            .api(
                Method::GET,
                None,
                "/search?q=spooler&status=unanswered",
                None,
            )
            .await;
        assert!(
            none.as_array().unwrap().is_empty(),
            "{name}: the question has answers"
        );
        let (_, hits) = peer
            .api(Method::GET, None, "/search?q=firmware", None)
            .await;
        assert!(
            hits.as_array()
                .unwrap()
                .iter()
                .all(|h| h["ap_id"] != a_ap.as_str()),
            "{name}: deleted answers are not found"
        );
    }
    // Sorting: solved lists the question, unanswered does not.
    let (_, solved) = a
        .api(Method::GET, None, "/questions?group=acme&sort=solved", None)
        .await;
    assert_eq!(solved.as_array().unwrap().len(), 1);
    let (_, unanswered) = a
        .api(
            Method::GET,
            None,
            "/questions?group=acme&sort=unanswered",
            None,
        )
        .await;
    assert!(unanswered.as_array().unwrap().is_empty());
}

async fn question_documents_and_limits(backend: Backend) {
    let a = Peer::start(backend).await;
    a.group("acme").await;
    let (alice, _) = a.user("alice", false).await;
    let (s, v) = a
        .api(
            Method::POST,
            Some(&alice),
            "/questions",
            Some(json!({"group": "acme", "title": "x", "body": "body"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "short titles are refused: {v}");
    let (s, _) = a
        .api(
            Method::POST,
            Some(&alice),
            "/questions",
            Some(json!({"group": "acme", "title": "A fine title", "body": "x".repeat(60_000)})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = a
        .api(
            Method::POST,
            Some(&alice),
            "/questions",
            Some(json!({"group": "nope", "title": "A fine title", "body": "b"})),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, q) = a.api(Method::POST, Some(&alice), "/questions", Some(json!({"group": "acme", "title": "Scanner <b>offline</b>", "body": "It says <script>alert(1)</script> offline"}))).await;
    assert_eq!(s, StatusCode::CREATED);
    assert!(!q["content_html"].as_str().unwrap().contains("<script"));

    let (_, page) = a.get_ap(q["ap_id"].as_str().unwrap()).await;
    assert_eq!(page["type"], "Page");
    assert_eq!(page["name"], "Scanner <b>offline</b>");
    assert_eq!(page["audience"], a.url("/g/acme"));
    assert_eq!(page["source"]["mediaType"], "text/markdown");
    assert!(page["to"]
        .as_array()
        .unwrap()
        .contains(&json!("https://www.w3.org/ns/activitystreams#Public")));
    let (_, ctx) = a.get_ap(page["context"].as_str().unwrap()).await;
    assert_eq!(ctx["totalItems"], 1);
    // The group's outbox serves the announcement of the question.
    let (_, outbox) = a.get_ap("/g/acme/outbox").await;
    assert!(outbox["orderedItems"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["type"] == "Announce" && i["object"]["object"]["id"] == page["id"]));
    // Deleted questions are tombstones.
    let (s, _) = a
        .api(
            Method::DELETE,
            Some(&alice),
            &format!("/posts/{}", q["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, tomb) = a.get_ap(q["ap_id"].as_str().unwrap()).await;
    assert_eq!(s, StatusCode::GONE);
    assert_eq!(tomb["type"], "Tombstone");
}

/// A first follow of a remote group brings in its recent questions (outbox) and their
/// answers (context collection).
async fn backfill_on_first_follow(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    a.group("acme").await;
    let (alice, _) = a.user("alice", false).await;
    let mut aps = Vec::new();
    for title in ["Old question one", "Old question two"] {
        let (_, q) = a.api(Method::POST, Some(&alice), "/questions", Some(json!({"group": "acme", "title": title, "body": "asked before anyone followed"}))).await;
        aps.push(q);
    }
    let (_, ans) = a
        .api(
            Method::POST,
            Some(&alice),
            &format!("/questions/{}/answers", aps[0]["id"].as_str().unwrap()),
            Some(json!({"body": "An early answer"})),
        )
        .await;
    let (bob, _) = b.user("bob", false).await;
    let group = format!("acme@{}", a.domain);
    b.follow_and_wait(&bob, &group).await;
    for q in &aps {
        let ap = q["ap_id"].as_str().unwrap().to_string();
        assert!(
            eventually(15, || async { b.question_id(&group, &ap).await.is_some() }).await,
            "{ap} not backfilled"
        );
    }
    let id = b
        .question_id(&group, aps[0]["ap_id"].as_str().unwrap())
        .await
        .unwrap();
    let ans_ap = ans["ap_id"].as_str().unwrap().to_string();
    assert!(
        eventually(15, || async {
            answer(&thread(&b, &id).await, &ans_ap).is_some()
        })
        .await,
        "the thread was not completed from its context collection"
    );
}

/// A long thread is read a page at a time, best answers first, in the API, on the page
/// and in its `context` collection; every answer appears on exactly one page.
async fn long_threads_are_paged(backend: Backend) {
    let a = Peer::start_custom(backend, |s| s.rate_limits = false).await;
    a.group("acme").await;
    let (alice, _) = a.user("alice", false).await;
    let (bob, _) = a.user("bob", false).await;
    let (_, q) = a.api(Method::POST, Some(&alice), "/questions", Some(json!({"group": "acme", "title": "Which driver for the X200?", "body": "many opinions"}))).await;
    let qid = q["id"].as_str().unwrap().to_string();
    let post = |token: &str, path: String, body: Value| {
        let (a, token) = (&a, token.to_string());
        async move {
            let (s, v) = a.api(Method::POST, Some(&token), &path, Some(body)).await;
            assert_eq!(s, StatusCode::CREATED, "{v}");
            v["id"].as_str().unwrap().to_string()
        }
    };
    let mut answers = Vec::new();
    for i in 0..100 {
        let path = format!("/questions/{qid}/answers");
        answers.push(post(&bob, path, json!({"body": format!("Answer {i}")})).await);
    }
    // #10 is accepted, #50 is voted up; #35 (page 2) gets a comment and a reply to it,
    // #95 (page 4) a comment.
    let (s, v) = a
        .api(
            Method::PUT,
            Some(&alice),
            &format!("/questions/{qid}/accepted"),
            Some(json!({"answer_id": answers[10]})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = a
        .api(
            Method::PUT,
            Some(&alice),
            &format!("/posts/{}/vote", answers[50]),
            Some(json!({"value": 1})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let path = format!("/questions/{qid}/answers");
    let c1 = post(
        &alice,
        path.clone(),
        json!({"body": "Which version?", "parent_id": answers[35]}),
    )
    .await;
    let c2 = post(
        &bob,
        path.clone(),
        json!({"body": "The latest.", "parent_id": c1}),
    )
    .await;
    let c3 = post(
        &alice,
        path,
        json!({"body": "Thanks", "parent_id": answers[95]}),
    )
    .await;

    let ids = |v: &Value, key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].as_str().unwrap().to_string())
            .collect()
    };
    let mut expected: Vec<&String> = vec![&answers[10], &answers[50]];
    expected.extend(
        answers
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != 10 && *i != 50)
            .map(|(_, a)| a),
    );
    let mut seen = Vec::new();
    let mut comments = Vec::new();
    for page in 1..=4 {
        let (s, t) = a
            .api(
                Method::GET,
                None,
                &format!("/questions/{qid}?page={page}"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{t}");
        let next = (page < 4).then_some(page + 1);
        assert_eq!(
            (t["page"].as_i64(), t["next_page"].as_i64()),
            (Some(page), next)
        );
        assert_eq!(t["question"]["answer_count"], 100);
        assert_eq!(t["question"]["id"], qid.as_str());
        let got = ids(&t, "answers");
        assert_eq!(got.len(), [31, 30, 30, 9][page as usize - 1], "page {page}");
        seen.extend(got);
        comments.push(ids(&t, "comments"));
    }
    assert_eq!(
        seen.iter().collect::<Vec<_>>(),
        expected,
        "answers out of order or repeated"
    );
    assert_eq!(comments, vec![vec![], vec![c1, c2], vec![], vec![c3]]);
    let (_, past_end) = a
        .api(Method::GET, None, &format!("/questions/{qid}?page=9"), None)
        .await;
    assert_eq!(past_end["answers"], json!([]));

    // The page for people, and the context collection: 104 public posts, 100 a page.
    let html = a
        .http
        .get(format!("{}?page=2", q["ap_id"].as_str().unwrap()))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.matches("<span>Page 2</span>").count() == 1
            && html.contains("?page=3")
            && html.contains("Answer 35")
            && !html.contains("Answer 61"),
        "{html}"
    );
    let (_, doc) = a.get_ap(q["ap_id"].as_str().unwrap()).await;
    let (_, ctx) = a.get_ap(doc["context"].as_str().unwrap()).await;
    assert_eq!(ctx["type"], "OrderedCollection");
    assert_eq!(ctx["totalItems"], 104);
    let first = &ctx["first"];
    assert_eq!(first["orderedItems"].as_array().unwrap().len(), 100);
    assert_eq!(first["orderedItems"][0], q["ap_id"]);
    let (_, second) = a.get_ap(first["next"].as_str().unwrap()).await;
    assert_eq!(second["type"], "OrderedCollectionPage");
    assert_eq!(second["orderedItems"].as_array().unwrap().len(), 4);
    assert!(second.get("next").is_none());
}

both_backends!(
    long_threads_are_paged,
    question_flows_across_three_instances,
    question_documents_and_limits,
    backfill_on_first_follow
);
