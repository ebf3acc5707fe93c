//! Reputation across three real instances: votes, acceptance, removal, self-votes, the
//! per-instance cap, defederation (also after the fact), recompute-from-log, badges and
//! leaderboards. Every account here is new, so every vote counts half (see the weights in
//! src/domain/reputation.rs).

mod common;
use common::*;
use peerdesk::db::reputation::{ACCEPTED, INSTANCE_CAP_UP, REMOVED, UPVOTE_ANSWER};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn rep(peer: &Peer, handle: &str) -> Value {
    let (s, v) = peer
        .api(
            Method::GET,
            None,
            &format!("/users/{handle}/reputation"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        v["total"], v["recomputed_total"],
        "cached score differs from the log: {v}"
    );
    v
}

async fn reputation_moves_as_documented(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    let c = Peer::start(backend).await;
    a.group("acme").await;
    let group = format!("acme@{}", a.domain);
    let (alice, _) = a.user("alice", true).await;
    let (carol, _) = c.user("carol", false).await;
    c.follow_and_wait(&carol, &group).await;
    let mut voters = Vec::new();
    for i in 0..12 {
        let (t, _) = b.user(&format!("voter{i}"), false).await;
        voters.push(t);
    }
    b.follow_and_wait(&voters[0], &group).await;

    let (_, q) = a
        .api(
            Method::POST,
            Some(&alice),
            "/questions",
            Some(
                json!({"group": "acme", "title": "Scanner shows lines", "body": "Vertical lines"}),
            ),
        )
        .await;
    let q_ap = q["ap_id"].as_str().unwrap().to_string();
    let qc = c.wait_question_id(&group, &q_ap).await;
    let qb = b.wait_question_id(&group, &q_ap).await;
    let (_, ans) = c
        .api(
            Method::POST,
            Some(&carol),
            &format!("/questions/{qc}/answers"),
            Some(json!({"body": "Clean the glass strip."})),
        )
        .await;
    let ans_ap = ans["ap_id"].as_str().unwrap().to_string();
    let carol_h = format!("carol@{}", c.domain);
    let find = |peer: &Peer, qid: String| {
        let ap = ans_ap.clone();
        let http = peer.http.clone();
        let url = peer.url(&format!("/api/v1/questions/{qid}"));
        async move {
            let t: Value = http.get(url).send().await.unwrap().json().await.unwrap();
            t["answers"]
                .as_array()
                .and_then(|a| a.iter().find(|x| x["ap_id"] == ap.as_str()).cloned())
        }
    };
    assert!(eventually(15, || async { find(&b, qb.clone()).await.is_some() }).await);
    assert!(
        eventually(15, || async {
            find(&a, q["id"].as_str().unwrap().to_string())
                .await
                .is_some()
        })
        .await
    );
    let on_a = find(&a, q["id"].as_str().unwrap().to_string())
        .await
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let on_b = find(&b, qb.clone()).await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    // One upvote from B; new accounts count half.
    b.api(
        Method::PUT,
        Some(&voters[0]),
        &format!("/posts/{on_b}/vote"),
        Some(json!({"value": 1})),
    )
    .await;
    assert!(
        eventually(15, || async {
            rep(&a, &carol_h).await["total"] == UPVOTE_ANSWER / 2
        })
        .await,
        "{}",
        rep(&a, &carol_h).await
    );
    // Accepted by the asker: +15.
    a.api(
        Method::PUT,
        Some(&alice),
        &format!("/questions/{}/accepted", q["id"].as_str().unwrap()),
        Some(json!({"answer_id": on_a})),
    )
    .await;
    assert_eq!(
        rep(&a, &carol_h).await["total"],
        UPVOTE_ANSWER / 2 + ACCEPTED
    );
    // A self-vote gives nothing.
    let (s, _) = c
        .api(
            Method::PUT,
            Some(&carol),
            &format!("/posts/{}/vote", ans["id"].as_str().unwrap()),
            Some(json!({"value": 1})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        eventually(15, || async {
            rep(&a, &carol_h).await["events"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["note"] == "vote on own post")
        })
        .await
    );
    assert_eq!(
        rep(&a, &carol_h).await["total"],
        UPVOTE_ANSWER / 2 + ACCEPTED
    );

    // Eleven more votes from B: one instance moves the score by at most the cap.
    for t in &voters[1..] {
        let (s, _) = b
            .api(
                Method::PUT,
                Some(t),
                &format!("/posts/{on_b}/vote"),
                Some(json!({"value": 1})),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
    }
    assert!(
        eventually(20, || async {
            rep(&a, &carol_h).await["total"] == INSTANCE_CAP_UP + ACCEPTED
        })
        .await,
        "{}",
        rep(&a, &carol_h).await
    );
    // Every vote is still counted on the post itself (12 from B and the self-vote). A vote
    // that met a busy inbox arrives on B's retry, after back-off: wait for it.
    assert!(
        eventually(60, || async {
            let (_, t) = a
                .api(
                    Method::GET,
                    None,
                    &format!("/questions/{}", q["id"].as_str().unwrap()),
                    None,
                )
                .await;
            t["answers"][0]["upvotes"] == 13
        })
        .await
    );
    assert_eq!(rep(&a, &carol_h).await["total"], INSTANCE_CAP_UP + ACCEPTED);

    // A defederates B: its votes stop counting, retroactively.
    let (s, _) = a
        .api(
            Method::PUT,
            Some(&alice),
            &format!("/admin/instances/{}", b.domain),
            Some(json!({"blocked": true, "silenced": false, "allowed": false})),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let r = rep(&a, &carol_h).await;
    assert_eq!(r["total"], ACCEPTED, "{r}");
    assert!(r["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["note"].as_str().is_some_and(|n| n.contains("blocked"))));

    // Removal by a moderator.
    a.api(
        Method::POST,
        Some(&alice),
        &format!("/posts/{on_a}/remove"),
        Some(json!({"reason": "wrong"})),
    )
    .await;
    assert_eq!(rep(&a, &carol_h).await["total"], ACCEPTED + REMOVED);

    // Badges of the remote user, earned here; what C computes is C's own business.
    let badges: Vec<String> = rep(&a, &carol_h).await["badges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["badge"].as_str().unwrap().to_string())
        .collect();
    assert!(
        badges.contains(&"first_answer".to_string())
            && badges.contains(&"first_accepted_answer".to_string()),
        "{badges:?}"
    );
    assert!(
        badges.contains(&"welcomer".to_string()),
        "alice's first question was answered: {badges:?}"
    );

    // Leaderboard of the group.
    let (_, board) = a
        .api(
            Method::GET,
            None,
            "/groups/acme/leaderboard?period=week",
            None,
        )
        .await;
    assert!(
        board
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["actor"]["handle"] == carol_h.as_str()),
        "{board}"
    );
    let (s, _) = a
        .api(
            Method::GET,
            None,
            "/groups/acme/leaderboard?period=year",
            None,
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

async fn badges_are_awarded_once_under_concurrency(backend: Backend) {
    let a = Peer::start(backend).await;
    let (_, dave) = a.user("dave", false).await;
    let awards = (0..16).map(|_| {
        let id = dave.id;
        a.state()
            .db
            .run(move |c| peerdesk::db::queries::reputation::award(c, id, "first_answer"))
    });
    let results = futures::future::join_all(awards).await;
    let new = results.iter().filter(|r| matches!(r, Ok(true))).count();
    assert_eq!(new, 1, "{results:?}");
    let (_, r) = a
        .api(Method::GET, None, "/users/dave/reputation", None)
        .await;
    assert_eq!(r["badges"].as_array().unwrap().len(), 1);
}

/// Votes that arrive together are all counted, on the post and in its author's score
/// (on PostgreSQL each transaction counts after the previous one committed).
async fn votes_arriving_together_are_all_counted(backend: Backend) {
    let a = Peer::start(backend).await;
    a.group("acme").await;
    let (alice, _) = a.user("alice", false).await;
    let (_, q) = a
        .api(
            Method::POST,
            Some(&alice),
            "/questions",
            Some(json!({"group": "acme", "title": "Printer jams", "body": "Every page"})),
        )
        .await;
    let id = q["id"].as_str().unwrap().to_string();
    let mut voters = Vec::new();
    for i in 0..16 {
        voters.push(a.user(&format!("voter{i}"), false).await.0);
    }
    let path = format!("/posts/{id}/vote");
    let votes = voters
        .iter()
        .map(|t| a.api(Method::PUT, Some(t), &path, Some(json!({"value": 1}))));
    for (s, v) in futures::future::join_all(votes).await {
        assert_eq!(s, StatusCode::OK, "{v}");
    }
    let (_, t) = a
        .api(Method::GET, None, &format!("/questions/{id}"), None)
        .await;
    assert_eq!(t["question"]["upvotes"], 16, "{t}");
    let r = rep(&a, "alice").await;
    let votes = r["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "vote_question")
        .count();
    assert_eq!(votes, 16, "{r}");
}

async fn privileges_are_configurable(backend: Backend) {
    let a = Peer::start(backend).await;
    a.group("acme").await;
    let (admin, _) = a.user("admin", true).await;
    let (_, list) = a
        .api(Method::GET, None, "/groups/acme/privileges", None)
        .await;
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["privilege"] == "edit_tags" && p["min_reputation"] == 100));
    let (s, list) = a
        .api(
            Method::PUT,
            Some(&admin),
            "/groups/acme/privileges",
            Some(json!({"privilege": "edit_tags", "min_reputation": 10})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["privilege"] == "edit_tags" && p["min_reputation"] == 10));
    let (s, _) = a
        .api(
            Method::PUT,
            Some(&admin),
            "/groups/acme/privileges",
            Some(json!({"privilege": "nuke", "min_reputation": 1})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

both_backends!(
    reputation_moves_as_documented,
    badges_are_awarded_once_under_concurrency,
    votes_arriving_together_are_all_counted,
    privileges_are_configurable
);
