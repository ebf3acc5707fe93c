//! Verified staff across three real instances: a claim verified by the organisation's
//! domain shows as verified everywhere; a claim for a domain the server does not control
//! shows as unverified, with the reason for admins.

mod common;
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn make_staff(peer: &Peer, admin: &str, user: &str, org_domain: &str) {
    let (s, org) = peer
        .api(
            Method::POST,
            Some(admin),
            "/admin/organisations",
            Some(json!({"name": "Acme", "domain": org_domain})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{org}");
    let (s, v) = peer
        .api(
            Method::PUT,
            Some(admin),
            &format!("/admin/users/{user}/organisation"),
            Some(json!({"organisation_id": org["id"]})),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
}

async fn resolved_staff(peer: &Peer, token: &str, handle: &str) -> Value {
    let (s, v) = peer
        .api(
            Method::GET,
            Some(token),
            &format!("/resolve?handle={handle}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["staff"].clone()
}

async fn staff_claims_are_verified_by_the_organisation_domain(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    let c = Peer::start(backend).await;
    a.group("acme").await;
    let (admin_a, _) = a.user("admin", true).await;
    a.user("alice", false).await;
    let (admin_b, _) = b.user("admin", true).await;
    b.user("mallory", false).await;
    let (admin_c, _) = c.user("admin", true).await;
    // Acme's domain is A's; B's admin claims Acme staff too.
    make_staff(&a, &admin_a, "alice", &a.domain).await;
    make_staff(&b, &admin_b, "mallory", &a.domain).await;

    let (_, doc) = a.get_ap("/u/alice").await;
    assert_eq!(doc["staffOf"]["domain"], a.domain.as_str());
    assert_eq!(doc["attachment"][0]["type"], "PropertyValue");
    assert_eq!(doc["attachment"][0]["name"], "Staff");
    let (_, list) = a.get_ap("/.well-known/peerdesk-staff").await;
    assert_eq!(list["staff"][0]["id"], doc["id"]);

    let alice = format!("alice@{}", a.domain);
    let mallory = format!("mallory@{}", b.domain);
    for peer in [&b, &c] {
        let token = if peer.port == b.port {
            &admin_b
        } else {
            &admin_c
        };
        resolved_staff(peer, token, &alice).await;
        assert!(
            eventually(15, || async {
                resolved_staff(peer, token, &alice).await["verified"] == true
            })
            .await,
            "alice not verified on {}",
            peer.domain
        );
    }
    resolved_staff(&c, &admin_c, &mallory).await;
    // The check runs in the background; wait until it has a verdict.
    assert!(
        eventually(15, || async {
            let (_, claims) = c
                .api(Method::GET, Some(&admin_c), "/admin/staff-claims", None)
                .await;
            claims.as_array().unwrap().iter().any(|x| {
                x["actor"].as_str().unwrap().ends_with("/u/mallory")
                    && x["reason"] != "not checked yet"
            })
        })
        .await
    );
    let staff = resolved_staff(&c, &admin_c, &mallory).await;
    assert_eq!(staff["organisation"], "Acme");
    assert_eq!(staff["verified"], false, "a forged claim shows as verified");
    let (_, claims) = c
        .api(Method::GET, Some(&admin_c), "/admin/staff-claims", None)
        .await;
    let m = claims
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["actor"].as_str().unwrap().ends_with("/u/mallory"))
        .unwrap()
        .clone();
    assert!(
        m["reason"].as_str().unwrap().contains("does not list"),
        "{m}"
    );

    // Staff answers are marked in threads and counted in the group's statistics.
    let (_, alice_token) = (
        0,
        a.query(|c| {
            Ok(peerdesk::db::queries::users::by_username(c, "alice")?
                .unwrap()
                .0
                .id)
        })
        .await,
    );
    let alice_session = peerdesk::domain::accounts::new_session(a.state(), alice_token)
        .await
        .unwrap();
    let (_, q) = a
        .api(
            Method::POST,
            Some(&admin_a),
            "/questions",
            Some(json!({"group": "acme", "title": "Warranty length?", "body": "How long?"})),
        )
        .await;
    let (s, _) = a
        .api(
            Method::POST,
            Some(&alice_session),
            &format!("/questions/{}/answers", q["id"].as_str().unwrap()),
            Some(json!({"body": "Two years."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (_, t) = a
        .api(
            Method::GET,
            None,
            &format!("/questions/{}", q["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(t["answers"][0]["author"]["staff"]["verified"], true);
    let (_, stats) = a.api(Method::GET, None, "/groups/acme/stats", None).await;
    assert_eq!(stats["staff_answers"], 1);
    assert_eq!(stats["staff_share"], 1.0);
    assert_eq!(stats["questions"], 1);
}

/// Statistics count the group's listed questions and their visible answers: a deleted
/// question and a deleted answer do not count.
async fn group_statistics_count_what_is_listed(backend: Backend) {
    let a = Peer::start(backend).await;
    a.group("acme").await;
    let (alice, _) = a.user("alice", false).await;
    let (bob, _) = a.user("bob", false).await;
    let ask = |title: &'static str| {
        let (a, alice) = (&a, alice.clone());
        async move {
            let body = json!({"group": "acme", "title": title, "body": "?"});
            let (s, q) = a
                .api(Method::POST, Some(&alice), "/questions", Some(body))
                .await;
            assert_eq!(s, StatusCode::CREATED, "{q}");
            q["id"].as_str().unwrap().to_string()
        }
    };
    let answer = |q: String, text: &'static str| {
        let (a, bob) = (&a, bob.clone());
        async move {
            let path = format!("/questions/{q}/answers");
            let (s, v) = a
                .api(Method::POST, Some(&bob), &path, Some(json!({"body": text})))
                .await;
            assert_eq!(s, StatusCode::CREATED, "{v}");
            v["id"].as_str().unwrap().to_string()
        }
    };
    let (q1, q2, _q3, q4) = (
        ask("Solved question").await,
        ask("Answered question").await,
        ask("Open question").await,
        ask("Deleted question").await,
    );
    let accepted = answer(q1.clone(), "The answer.").await;
    answer(q1.clone(), "Another answer.").await;
    let gone = answer(q2.clone(), "An answer deleted later.").await;
    answer(q2.clone(), "An answer that stays.").await;
    answer(q4.clone(), "An answer to a deleted question.").await;
    let (s, v) = a
        .api(
            Method::PUT,
            Some(&alice),
            &format!("/questions/{q1}/accepted"),
            Some(json!({"answer_id": accepted})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    for (token, post) in [(&bob, &gone), (&alice, &q4)] {
        let (s, v) = a
            .api(Method::DELETE, Some(token), &format!("/posts/{post}"), None)
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    }
    let (s, stats) = a.api(Method::GET, None, "/groups/acme/stats", None).await;
    assert_eq!(s, StatusCode::OK, "{stats}");
    assert_eq!(
        (
            &stats["questions"],
            &stats["answered"],
            &stats["solved"],
            &stats["answers"]
        ),
        (&json!(3), &json!(2), &json!(1), &json!(3)),
        "{stats}"
    );
    assert!((stats["resolution_rate"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-9);
    assert_eq!(stats["staff_answers"], 0);
    // Answered within the test: under a second, for both answered questions.
    assert_eq!(stats["median_first_response_secs"], 0);
}

both_backends!(
    staff_claims_are_verified_by_the_organisation_domain,
    group_statistics_count_what_is_listed
);
