//! Community roles of a group: defined by its moderators (refused to others, bad names
//! and privileges refused, one name per group), top contributors suggested from the
//! reputation earned in the group, given to a local person and to one on another
//! instance, their privileges used (a Curator locks and reads removed posts; an
//! Ambassador's title gives nothing more), the title shown beside the name on the
//! thread page and the profile, and the moderators' page with its forms.

mod common;
use common::forms::{cookie, csrf_field, page, post};
use common::{Backend, Peer};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn api(
    peer: &Peer,
    m: Method,
    token: Option<&str>,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    peer.api(m, token, path, body).await
}

async fn community_roles(backend: Backend) {
    let peer = Peer::start(backend).await;
    let other = Peer::start(backend).await;
    let group = peer.group("acme").await;
    let (moda, moda_actor) = peer.user("moda", false).await;
    let (alice, _) = peer.user("alice", false).await;
    let (bob, _) = peer.user("bob", false).await;
    let (carol, _) = peer.user("carol", false).await;
    other.user("erin", false).await;
    let (gid, mid) = (group.id, moda_actor.id);
    peer.query(move |c| peerdesk::db::queries::groups::add_moderator(c, gid, mid))
        .await;

    // A thread: alice asks, bob answers and earns reputation (an upvote, accepted).
    let (_, q) = api(
        &peer,
        Method::POST,
        Some(&alice),
        "/questions",
        Some(json!({
            "group": "acme", "title": "Scanner jams on thick paper", "body": "It stops.", "tags": []
        })),
    )
    .await;
    let qid = q["id"].as_str().unwrap().to_string();
    let (_, a) = api(
        &peer,
        Method::POST,
        Some(&bob),
        &format!("/questions/{qid}/answers"),
        Some(json!({"body": "Clean the feed roller."})),
    )
    .await;
    let aid = a["id"].as_str().unwrap().to_string();
    let (s, _) = api(
        &peer,
        Method::PUT,
        Some(&alice),
        &format!("/posts/{aid}/vote"),
        Some(json!({"value": 1})),
    )
    .await;
    assert!(s.is_success());
    let (s, _) = api(
        &peer,
        Method::PUT,
        Some(&alice),
        &format!("/questions/{qid}/accepted"),
        Some(json!({"answer_id": aid})),
    )
    .await;
    assert!(s.is_success());
    let (_, c) = api(
        &peer,
        Method::POST,
        Some(&carol),
        &format!("/questions/{qid}/answers"),
        Some(json!({"body": "Buy a new scanner, obviously."})),
    )
    .await;
    let cid = c["id"].as_str().unwrap().to_string();

    // Defining roles: moderators only; names and privileges checked; one name per group.
    let curator = json!({"name": "Curator", "privileges": ["lock", "see_removed"]});
    let (s, _) = api(
        &peer,
        Method::POST,
        Some(&alice),
        "/groups/acme/roles",
        Some(curator.clone()),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = api(
        &peer,
        Method::POST,
        Some(&moda),
        "/groups/acme/roles",
        Some(json!({"name": " ", "privileges": []})),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = api(
        &peer,
        Method::POST,
        Some(&moda),
        "/groups/acme/roles",
        Some(json!({"name": "Admin", "privileges": ["ban"]})),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, role) = api(
        &peer,
        Method::POST,
        Some(&moda),
        "/groups/acme/roles",
        Some(curator),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{role}");
    assert_eq!(role["privileges"], json!(["lock", "see_removed"]));
    let curator_id = role["id"].as_str().unwrap().to_string();
    let (s, _) = api(
        &peer,
        Method::POST,
        Some(&moda),
        "/groups/acme/roles",
        Some(json!({"name": "curator"})),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);

    // Suggestions: the group's top contributors, for its moderators only.
    let (s, _) = api(
        &peer,
        Method::GET,
        Some(&alice),
        "/groups/acme/roles/suggestions",
        None,
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, sugg) = api(
        &peer,
        Method::GET,
        Some(&moda),
        "/groups/acme/roles/suggestions",
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        sugg[0]["actor"]["handle"],
        format!("bob@{}", peer.domain),
        "{sugg}"
    );
    assert!(sugg[0]["score"].as_i64().unwrap() > 0);

    // Given: to bob by the API (refused to a non-moderator), to someone on another
    // instance by handle.
    let bob_path = format!("/groups/acme/roles/{curator_id}/holders/bob");
    let (s, _) = api(&peer, Method::PUT, Some(&carol), &bob_path, None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = api(&peer, Method::PUT, Some(&moda), &bob_path, None).await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let erin = format!("erin@{}", other.domain);
    let (s, v) = api(
        &peer,
        Method::PUT,
        Some(&moda),
        &format!("/groups/acme/roles/{curator_id}/holders/{erin}"),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (_, roles) = api(&peer, Method::GET, None, "/groups/acme/roles", None).await;
    let holders: Vec<&str> = roles[0]["holders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["handle"].as_str().unwrap())
        .collect();
    assert_eq!(
        holders,
        vec![format!("bob@{}", peer.domain).as_str(), erin.as_str()]
    );
    let (_, sugg) = api(
        &peer,
        Method::GET,
        Some(&moda),
        "/groups/acme/roles/suggestions",
        None,
    )
    .await;
    assert!(
        !sugg.to_string().contains("\"bob@"),
        "a holder is no longer suggested: {sugg}"
    );

    // The page: an Ambassador role (a title only) created and given to carol by its
    // forms; a bad handle refused and kept; a visitor refused.
    let (s, _) = page(&peer.url("/g/acme/mod/roles"), &cookie(&alice)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, html) = page(&peer.url("/g/acme/mod/roles"), &cookie(&moda)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("Curator") && html.contains(&format!("bob@{}", peer.domain)),
        "{html}"
    );
    let csrf = csrf_field(&html);
    let resp = post(
        &peer.base,
        "/g/acme/mod/roles",
        &cookie(&moda),
        &[("csrf", &csrf), ("op", "create"), ("name", "Curator")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(resp.text().await.unwrap().contains("id=\"name-error\""));
    let resp = post(
        &peer.base,
        "/g/acme/mod/roles",
        &cookie(&moda),
        &[("csrf", &csrf), ("op", "create"), ("name", "Ambassador")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, roles) = api(&peer, Method::GET, None, "/groups/acme/roles", None).await;
    let amb = roles
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Ambassador")
        .unwrap();
    assert_eq!(amb["privileges"], json!([]));
    let amb_id = amb["id"].as_str().unwrap().to_string();
    let resp = post(
        &peer.base,
        "/g/acme/mod/roles",
        &cookie(&moda),
        &[
            ("csrf", &csrf),
            ("op", "assign"),
            ("role", &amb_id),
            ("handle", "nobody-here"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("id=\"handle-error\"") && html.contains("value=\"nobody-here\""),
        "{html}"
    );
    let resp = post(
        &peer.base,
        "/g/acme/mod/roles",
        &cookie(&moda),
        &[
            ("csrf", &csrf),
            ("op", "assign"),
            ("role", &amb_id),
            ("handle", "carol"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);

    // The titles beside the names: the thread page and the profiles.
    let (_, html) = page(&peer.url(&format!("/q/{qid}")), "").await;
    assert!(
        html.contains("<span class=\"badge role\">Curator</span>"),
        "{html}"
    );
    assert!(
        html.contains("<span class=\"badge role\">Ambassador</span>"),
        "{html}"
    );
    let (_, html) = page(&peer.url("/u/bob"), "").await;
    assert!(
        html.contains(&format!("Curator in acme@{}", peer.domain)),
        "{html}"
    );

    // Privileges: the Curator locks and reads a removed answer; the Ambassador does not.
    let lock = json!({"locked": true, "reason": "answered"});
    let (s, _) = api(
        &peer,
        Method::PUT,
        Some(&carol),
        &format!("/questions/{qid}/lock"),
        Some(lock.clone()),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = api(
        &peer,
        Method::PUT,
        Some(&bob),
        &format!("/questions/{qid}/lock"),
        Some(lock),
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (s, _) = api(
        &peer,
        Method::PUT,
        Some(&bob),
        &format!("/questions/{qid}/featured"),
        Some(json!({"featured": true})),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "feature is not a Curator's privilege"
    );
    let (s, _) = api(
        &peer,
        Method::POST,
        Some(&moda),
        &format!("/posts/{cid}/remove"),
        Some(json!({"reason": "unhelpful"})),
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let removed_text = |t: Value| {
        t["answers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == cid.as_str())
            .map(|p| p["content_html"].as_str().unwrap_or("").to_string())
            .unwrap_or_default()
    };
    let (_, t) = api(
        &peer,
        Method::GET,
        Some(&bob),
        &format!("/questions/{qid}"),
        None,
    )
    .await;
    assert!(
        removed_text(t).contains("new scanner"),
        "the Curator reads the removed answer"
    );
    let (_, t) = api(
        &peer,
        Method::GET,
        Some(&alice),
        &format!("/questions/{qid}"),
        None,
    )
    .await;
    assert!(!removed_text(t).contains("new scanner"), "others do not");

    // Taken away: the title and the privilege go with it; a deleted role is gone.
    let (s, _) = api(&peer, Method::DELETE, Some(&moda), &bob_path, None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = api(
        &peer,
        Method::PUT,
        Some(&bob),
        &format!("/questions/{qid}/lock"),
        Some(json!({"locked": false})),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (_, html) = page(&peer.url(&format!("/q/{qid}")), "").await;
    assert!(!html.contains(">Curator</span>"));
    let (s, _) = api(
        &peer,
        Method::DELETE,
        Some(&moda),
        &format!("/groups/acme/roles/{amb_id}"),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, roles) = api(&peer, Method::GET, None, "/groups/acme/roles", None).await;
    assert_eq!(roles.as_array().unwrap().len(), 1, "{roles}");
    let (s, r) = api(
        &peer,
        Method::PUT,
        Some(&moda),
        &format!("/groups/acme/roles/{curator_id}"),
        Some(json!({"name": "Librarian", "privileges": ["feature"]})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(
        r["holders"].as_array().unwrap().len(),
        1,
        "erin keeps it: {r}"
    );
}

both_backends!(community_roles);
