//! Onboarding: a person follows tags and people; a new question with a followed tag (also
//! one arriving from another real peerdesk instance) or asked by a followed person
//! notifies them once, never for their own question nor for what a person they blocked
//! asks, and answers notify nobody this way.

mod common;
use common::forms::{cookie, csrf_field, page_at, post};
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn notifications(peer: &Peer, token: &str) -> Vec<Value> {
    let (s, v) = peer
        .api(Method::GET, Some(token), "/notifications?limit=100", None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["items"].as_array().unwrap().clone()
}

/// The notifications of `token` about the question `post`, as (kind, post id).
async fn about(peer: &Peer, token: &str, post: &str) -> Vec<String> {
    notifications(peer, token)
        .await
        .iter()
        .filter(|n| n["post_id"] == post)
        .map(|n| n["kind"].as_str().unwrap().to_string())
        .collect()
}

async fn send(
    peer: &Peer,
    token: &str,
    method: Method,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    peer.api(method, Some(token), path, Some(body)).await
}

async fn ask(peer: &Peer, token: &str, group: &str, title: &str, tags: &[&str]) -> Value {
    let body = json!({"group": group, "title": title, "body": "Since this morning, every time.", "tags": tags});
    let (s, v) = send(peer, token, Method::POST, "/questions", body).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v
}

/// Runs the notifier's scan over the last minutes again, as a second process would.
async fn rescan(peer: &Peer) {
    let since = peerdesk::db::now_ms() - peerdesk::domain::notify::LAG_MS;
    let mentions = peerdesk::db::notification_kinds::Mentions::new(&peer.base, &peer.domain);
    peerdesk::domain::notify::scan(peer.state(), std::sync::Arc::new(mentions), since).await;
}

async fn followed_tags_and_people(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    a.group("acme").await;
    let (alice, _) = a.user("alice", false).await;
    let (bob, _) = a.user("bob", false).await;
    let (mallory, _) = a.user("mallory", false).await;
    let (carol, _) = b.user("carol", false).await;
    let (dave, _) = b.user("dave", false).await;
    let group = format!("acme@{}", a.domain);
    b.follow_and_wait(&carol, &group).await;
    b.follow_and_wait(&dave, &group).await;

    // Refusals: oneself, a group, nobody, an empty tag.
    let people = "/me/followed-people";
    for (person, status) in [
        ("alice", StatusCode::BAD_REQUEST),
        ("acme", StatusCode::BAD_REQUEST),
        ("nobody", StatusCode::NOT_FOUND),
    ] {
        let (s, v) = send(&a, &alice, Method::POST, people, json!({"person": person})).await;
        assert_eq!(s, status, "{person}: {v}");
    }
    let tags = "/me/followed-tags";
    let (s, v) = send(&a, &alice, Method::POST, tags, json!({"tag": " ## "})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");

    // alice follows a tag (as typed, kept as questions carry it), dave elsewhere, and
    // mallory, whom she also blocks.
    let (s, v) = send(&a, &alice, Method::POST, tags, json!({"tag": "#Printer"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v, json!({"tag": "printer"}));
    let dave_h = format!("dave@{}", b.domain);
    let mallory_h = format!("mallory@{}", a.domain);
    for person in [&dave_h, &mallory_h] {
        let (s, v) = send(&a, &alice, Method::POST, people, json!({"person": person})).await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    }
    let (s, v) = send(
        &a,
        &alice,
        Method::POST,
        "/blocks",
        json!({"person": "mallory"}),
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (_, list) = a.api(Method::GET, Some(&alice), tags, None).await;
    assert_eq!(list, json!([{"tag": "printer"}]));
    let (_, list) = a.api(Method::GET, Some(&alice), people, None).await;
    let handles: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["handle"].as_str().unwrap())
        .collect();
    assert_eq!(handles, [mallory_h.as_str(), dave_h.as_str()]);

    // What notifies nobody: alice's own question, a question by mallory (followed but
    // blocked), a question without the tag, an answer by dave.
    let own = ask(&a, &alice, "acme", "My printer is slow", &["printer"]).await;
    let blocked = ask(&a, &mallory, "acme", "Printer driver missing", &["printer"]).await;
    let other = ask(&a, &bob, "acme", "Scanner jams", &["scanner"]).await;
    let other_b = b
        .wait_question_id(&group, other["ap_id"].as_str().unwrap())
        .await;
    let answers_b = format!("/questions/{other_b}/answers");
    let (s, v) = send(
        &b,
        &dave,
        Method::POST,
        &answers_b,
        json!({"body": "Clean the rollers."}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");

    // A question from the other instance with the tag notifies; one by dave (followed,
    // also with the tag) notifies once, as his.
    let from_b = ask(&b, &carol, &group, "Printer shows E42", &["printer"]).await;
    let by_dave = ask(&b, &dave, &group, "Printer offline", &["printer"]).await;
    let tagged = a
        .wait_question_id("acme", from_b["ap_id"].as_str().unwrap())
        .await;
    let daves = a
        .wait_question_id("acme", by_dave["ap_id"].as_str().unwrap())
        .await;
    assert!(
        eventually(20, || async {
            about(&a, &alice, &tagged).await == ["followed_tag"]
                && about(&a, &alice, &daves).await == ["followed_person"]
        })
        .await,
        "{:?}",
        notifications(&a, &alice).await
    );
    // A local question with the tag (written differently) notifies too.
    let local = ask(&a, &bob, "acme", "Printer paper jam", &["PRINTER"]).await;
    let local = local["id"].as_str().unwrap().to_string();
    assert!(
        eventually(20, || async {
            about(&a, &alice, &local).await == ["followed_tag"]
        })
        .await,
        "{:?}",
        notifications(&a, &alice).await
    );
    rescan(&a).await;
    let all = notifications(&a, &alice).await;
    let kinds = |k: &str| all.iter().filter(|n| n["kind"] == k).count();
    assert_eq!(kinds("followed_tag"), 2, "{all:?}");
    assert_eq!(kinds("followed_person"), 1, "{all:?}");
    for q in [&own, &blocked] {
        assert!(
            about(&a, &alice, q["id"].as_str().unwrap())
                .await
                .is_empty(),
            "{all:?}"
        );
    }
    let n = all.iter().find(|n| n["kind"] == "followed_person").unwrap();
    assert_eq!(n["actor"]["handle"], dave_h.as_str());
    // Other users are not notified; the default email choice for these kinds is off.
    assert!(notifications(&a, &bob)
        .await
        .iter()
        .all(|n| n["kind"] != "followed_tag" && n["kind"] != "followed_person"));
    let (_, prefs) = a
        .api(
            Method::GET,
            Some(&alice),
            "/notifications/preferences",
            None,
        )
        .await;
    assert_eq!(prefs["email"]["followed_tag"], "off", "{prefs}");
    assert_eq!(prefs["email"]["followed_person"], "off", "{prefs}");

    // Unfollowing: gone from the lists; a second time is 404.
    let (s, _) = a
        .api(
            Method::DELETE,
            Some(&alice),
            "/me/followed-tags/printer",
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = a
        .api(
            Method::DELETE,
            Some(&alice),
            "/me/followed-tags/printer",
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let path = format!("/me/followed-people/{dave_h}");
    let (s, _) = a.api(Method::DELETE, Some(&alice), &path, None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, list) = a.api(Method::GET, Some(&alice), tags, None).await;
    assert_eq!(list, json!([]));
    let (_, list) = a.api(Method::GET, Some(&alice), people, None).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
}

async fn follow_buttons(backend: Backend) {
    let peer = Peer::start(backend).await;
    peer.group("acme").await;
    let (alice, _) = peer.user("alice", false).await;
    let (bob, _) = peer.user("bob", false).await;
    ask(&peer, &bob, "acme", "Printer offline", &["printer"]).await;
    let ca = cookie(&alice);

    // The group's list filtered by a tag offers to follow it, and back there.
    let back = "/g/acme?tag=printer";
    let (s, html) = page_at(&peer.base, back, &ca).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("action=\"/follow-tag\""), "{html}");
    let token = csrf_field(&html);
    let form = [("csrf", token.as_str()), ("tag", "printer"), ("back", back)];
    let r = post(&peer.base, "/follow-tag", &ca, &form).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], back);
    let (_, html) = page_at(&peer.base, back, &ca).await;
    assert!(html.contains("action=\"/unfollow-tag\""), "{html}");
    // Without the form's token nothing changes.
    let r = post(&peer.base, "/unfollow-tag", &ca, &[("tag", "printer")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // A profile offers to follow the person's questions.
    let (_, html) = page_at(&peer.base, "/u/bob", &ca).await;
    assert!(html.contains("action=\"/follow-person\""), "{html}");
    let bob_h = format!("bob@{}", peer.domain);
    let form = [
        ("csrf", token.as_str()),
        ("person", bob_h.as_str()),
        ("back", "/u/bob"),
    ];
    let r = post(&peer.base, "/follow-person", &ca, &form).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = page_at(&peer.base, "/u/bob", &ca).await;
    assert!(html.contains("action=\"/unfollow-person\""), "{html}");

    // The settings list both, with Stop following.
    let (_, html) = page_at(&peer.base, "/settings", &ca).await;
    assert!(html.contains("href=\"/settings/following\""), "{html}");
    let (s, html) = page_at(&peer.base, "/settings/following", &ca).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("#printer") && html.contains(&bob_h), "{html}");
    let form = [
        ("csrf", token.as_str()),
        ("tag", "printer"),
        ("back", "/settings/following"),
    ];
    let r = post(&peer.base, "/unfollow-tag", &ca, &form).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = page_at(&peer.base, "/settings/following", &ca).await;
    assert!(html.contains("id=\"no-followed-tags\""), "{html}");
    let (_, tags) = peer
        .api(Method::GET, Some(&alice), "/me/followed-tags", None)
        .await;
    assert_eq!(tags, json!([]));
}

async fn guidelines_on_joining(backend: Backend) {
    let peer = Peer::start(backend).await;
    peer.group("help").await; // with guidelines ("Be kind")
    peerdesk::domain::groups::create_group(peer.state(), None, "open", "Open", "Ask", "")
        .await
        .expect("a group without guidelines");
    let (alice, _) = peer.user("alice", false).await;
    let (bob, _) = peer.user("bob", false).await;
    let followers = |name: &'static str| {
        let peer = &peer;
        async move { peer.get_ap(&format!("/g/{name}/followers")).await.1["totalItems"].clone() }
    };

    // The API refuses to join without accepting the guidelines, and says why.
    let help = format!("help@{}", peer.domain);
    for body in [
        json!({"handle": help}),
        json!({"handle": help, "accept_guidelines": false}),
    ] {
        let (s, v) = send(&peer, &alice, Method::POST, "/follows", body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(v["error"], "guidelines_not_accepted");
        assert!(
            v["message"].as_str().unwrap().contains("accept_guidelines"),
            "{v}"
        );
    }
    assert_eq!(followers("help").await, 0);
    let body = json!({"handle": help, "accept_guidelines": true});
    let (s, v) = send(&peer, &alice, Method::POST, "/follows", body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(followers("help").await, 1);
    ask(&peer, &alice, "help", "Printer offline", &["printer"]).await;
    // A group without guidelines needs no flag.
    let body = json!({"handle": format!("open@{}", peer.domain)});
    let (s, v) = send(&peer, &alice, Method::POST, "/follows", body).await;
    assert_eq!(s, StatusCode::OK, "{v}");

    // The group page's follow form asks to tick the guidelines; without it bob stays
    // out and the page says why, with the box still there.
    let cb = cookie(&bob);
    let (_, gp) = page_at(&peer.base, "/g/help", &cb).await;
    assert!(
        gp.contains("id=\"accept-guidelines\"") && gp.contains("Be kind"),
        "{gp}"
    );
    let token = csrf_field(&gp);
    let r = post(
        &peer.base,
        "/g/help/follow-here",
        &cb,
        &[("csrf", token.as_str()), ("op", "follow")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"join-guidelines-error\""), "{html}");
    assert!(
        html.contains("id=\"accept-guidelines\"") && html.contains("Be kind"),
        "{html}"
    );
    assert_eq!(followers("help").await, 1);
    let form = [
        ("csrf", token.as_str()),
        ("op", "follow"),
        ("accept_guidelines", "on"),
    ];
    let r = post(&peer.base, "/g/help/follow-here", &cb, &form).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(followers("help").await, 2);
    let (_, gp) = page_at(&peer.base, "/g/help", &cb).await;
    assert!(
        gp.contains("id=\"unfollow\"") && !gp.contains("id=\"accept-guidelines\""),
        "{gp}"
    );
    // The newcomer gets started: the group's popular tags to follow; once they posted
    // there, the box is gone. Alice, who posted, never sees it.
    assert!(gp.contains("id=\"get-started\""), "{gp}");
    assert!(gp.contains("Follow #printer"), "{gp}");
    let (_, ga) = page_at(&peer.base, "/g/help", &cookie(&alice)).await;
    assert!(!ga.contains("id=\"get-started\""), "{ga}");
    ask(&peer, &bob, "help", "Toner smears", &["toner"]).await;
    let (_, gp) = page_at(&peer.base, "/g/help", &cb).await;
    assert!(!gp.contains("id=\"get-started\""), "{gp}");
}

/// The people listed under "Get started" on a group page (the handles, in order).
async fn started_people(peer: &Peer, token: &str, group: &str) -> Vec<String> {
    let (s, html) = page_at(&peer.base, &format!("/g/{group}"), &cookie(token)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("id=\"get-started\""), "{html}");
    let Some(list) = html.split("id=\"get-started-people\"").nth(1) else {
        return vec![];
    };
    let list = list.split("</ul>").next().unwrap();
    list.split("name=\"person\" value=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect()
}

async fn top_contributors_to_get_started(backend: Backend) {
    let peer = Peer::start(backend).await;
    peerdesk::domain::groups::create_group(peer.state(), None, "open", "Open", "Ask", "")
        .await
        .expect("a group without guidelines");
    let (alice, _) = peer.user("alice", false).await;
    let (erin, _) = peer.user("erin", false).await;
    let body = json!({"handle": format!("open@{}", peer.domain)});
    let (s, v) = send(&peer, &erin, Method::POST, "/follows", body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let q = ask(&peer, &alice, "open", "Printer offline", &["printer"]).await;
    let qid = q["id"].as_str().unwrap();
    let mut answers = Vec::new();
    for name in ["ann", "ben", "cal", "dan", "eve", "fay"] {
        let (t, _) = peer.user(name, false).await;
        let body = json!({"body": format!("{name}: restart it.")});
        let path = format!("/questions/{qid}/answers");
        let (s, a) = send(&peer, &t, Method::POST, &path, body).await;
        assert_eq!(s, StatusCode::CREATED, "{a}");
        answers.push((name, a["id"].as_str().unwrap().to_string()));
    }
    // Posting alone earns nothing: nobody to follow yet, only tags.
    assert_eq!(
        started_people(&peer, &erin, "open").await,
        Vec::<String>::new()
    );

    // Alice upvotes every answer and accepts cal's, bob upvotes ann, ben, dan and eve:
    // cal leads, then those four; fay, sixth, is left out of the five, and alice and
    // bob (no points) are never offered.
    let (bob, _) = peer.user("bob", false).await;
    let everyone = ["ann", "ben", "cal", "dan", "eve", "fay"];
    for (voter, names) in [
        (&alice, &everyone[..]),
        (&bob, &["ann", "ben", "dan", "eve"][..]),
    ] {
        for name in names {
            let id = &answers.iter().find(|(n, _)| n == name).unwrap().1;
            let path = format!("/posts/{id}/vote");
            let (s, v) = send(&peer, voter, Method::PUT, &path, json!({"value": 1})).await;
            assert!(s.is_success(), "{name}: {s} {v}");
        }
    }
    let path = format!("/questions/{qid}/accepted");
    let body = json!({"answer_id": answers[2].1});
    let (s, v) = send(&peer, &alice, Method::PUT, &path, body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let people = started_people(&peer, &erin, "open").await;
    let handle = |n: &str| format!("{n}@{}", peer.domain);
    assert_eq!(people.len(), 5, "{people:?}");
    assert_eq!(people[0], handle("cal"), "{people:?}");
    let mut rest = people[1..].to_vec();
    rest.sort();
    let expected: Vec<String> = ["ann", "ben", "dan", "eve"].map(handle).to_vec();
    assert_eq!(rest, expected, "{people:?}");
}

both_backends!(
    followed_tags_and_people,
    follow_buttons,
    guidelines_on_joining,
    top_contributors_to_get_started
);
