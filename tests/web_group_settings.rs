//! A group's settings over plain HTTP: who may see the page and send its forms (403 for
//! everyone else), each form saving through its action (and what the API then shows), a
//! refused form coming back with the message by its field and what was typed; the
//! posting rule refusing questions locally (API and page) while answers stay open; the
//! welcome shown on a first question and notified once.

mod common;
use common::forms::{cookie, csrf_field, page_at as page, post};

use common::{eventually, Backend, Peer};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// A group `help` with the moderator `moda`; returns (admin, moda, alice) tokens.
async fn setup(peer: &Peer) -> (String, String, String) {
    let help = peer.group("help").await;
    let (admin, _) = peer.user("admin", true).await;
    let (moda, moda_actor) = peer.user("moda", false).await;
    let (alice, _) = peer.user("alice", false).await;
    let (gid, mid) = (help.id, moda_actor.id);
    peer.query(move |c| peerdesk::db::queries::groups::add_moderator(c, gid, mid))
        .await;
    (admin, moda, alice)
}

async fn group(peer: &Peer) -> Value {
    let (s, g) = peer.api(Method::GET, None, "/groups/help", None).await;
    assert_eq!(s, StatusCode::OK, "{g}");
    g
}

const SETTINGS: &str = "/g/help/mod/settings";

/// `PATCH /groups/help` as the user of `token`.
async fn patch(peer: &Peer, token: &str, body: Value) -> (StatusCode, Value) {
    peer.api(Method::PATCH, Some(token), "/groups/help", Some(body))
        .await
}

async fn settings_roles_and_forms(backend: Backend) {
    let peer = Peer::start(backend).await;
    let (admin, moda, alice) = setup(&peer).await;
    let base = peer.base.clone();

    // Who sees the page: the group's moderators and the admin; everyone else gets 403.
    for (who, status) in [
        ("", StatusCode::FORBIDDEN),
        (alice.as_str(), StatusCode::FORBIDDEN),
        (moda.as_str(), StatusCode::OK),
        (admin.as_str(), StatusCode::OK),
    ] {
        let c = if who.is_empty() {
            String::new()
        } else {
            cookie(who)
        };
        let (s, html) = page(&base, SETTINGS, &c).await;
        assert_eq!(s, status, "settings for {who:?}");
        if status == StatusCode::FORBIDDEN {
            assert!(html.contains("Not allowed"), "{html}");
        }
        // The group page links its moderators to the settings.
        let (_, group_page) = page(&base, "/g/help", &c).await;
        assert_eq!(
            group_page.contains("id=\"settings-link\""),
            status == StatusCode::OK,
            "{who:?}"
        );
    }
    // The other console pages link to it.
    for path in ["/g/help/mod/reports", "/g/help/mod/moderators"] {
        let (_, html) = page(&base, path, &cookie(&moda)).await;
        assert!(html.contains("href=\"/g/help/mod/settings\""), "{path}");
    }
    let (s, _) = page(&base, "/g/nope/mod/settings", &cookie(&admin)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // The forms refuse those without the role, even with a valid token of their own, and
    // anyone without a valid token.
    let (_, any) = page(&base, "/g/help", &cookie(&alice)).await;
    let alice_token = csrf_field(&any);
    let resp = post(
        &base,
        SETTINGS,
        &cookie(&alice),
        &[
            ("csrf", &alice_token),
            ("section", "profile"),
            ("title", "Mine"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let resp = post(
        &base,
        SETTINGS,
        &cookie(&moda),
        &[("csrf", "forged"), ("section", "profile")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert_eq!(group(&peer).await["title"], "Support");

    let (_, html) = page(&base, SETTINGS, &cookie(&moda)).await;
    let t = csrf_field(&html);
    assert!(
        html.contains("value=\"Support\"") && html.contains(">Be kind</textarea>"),
        "{html}"
    );

    // Profile: saved, shown, and in the API.
    let profile = |title: &'static str, description: &'static str| {
        let t = t.clone();
        let (base, moda) = (base.clone(), moda.clone());
        async move {
            post(
                &base,
                SETTINGS,
                &cookie(&moda),
                &[
                    ("csrf", &t),
                    ("section", "profile"),
                    ("title", title),
                    ("description", description),
                    ("guidelines", "Include your model number."),
                ],
            )
            .await
        }
    };
    let resp = profile("Printer help", "Questions about printers.").await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        resp.headers()["location"],
        "/g/help/mod/settings?saved=profile#profile"
    );
    let (_, html) = page(&base, "/g/help/mod/settings?saved=profile", &cookie(&moda)).await;
    assert!(html.contains("id=\"settings-saved\""), "{html}");
    assert!(html.contains("value=\"Printer help\""), "{html}");
    let g = group(&peer).await;
    assert_eq!(g["title"], "Printer help");
    assert_eq!(g["description"], "Questions about printers.");
    assert_eq!(g["guidelines"], "Include your model number.");
    assert_eq!(g["display_name"], "Printer help");

    // An empty title: the form again, 422, the message by the field, the text kept.
    let resp = profile("   ", "Kept description").await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("Enter a title of 1 to 200 characters."),
        "{html}"
    );
    assert!(
        html.contains("id=\"title-error\"") && html.contains("aria-invalid=\"true\""),
        "{html}"
    );
    assert!(html.contains(">Kept description</textarea>"), "{html}");
    assert_eq!(group(&peer).await["title"], "Printer help");

    // Newcomers: a welcome over its limit, then a rule that is none of the three.
    let long = "x".repeat(5_001);
    let newcomers = |welcome: String, rule: &'static str| {
        let t = t.clone();
        let (base, moda) = (base.clone(), moda.clone());
        async move {
            post(
                &base,
                SETTINGS,
                &cookie(&moda),
                &[
                    ("csrf", &t),
                    ("section", "newcomers"),
                    ("welcome", &welcome),
                    ("who_may_ask", rule),
                ],
            )
            .await
        }
    };
    let resp = newcomers(long.clone(), "followers").await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("The text is too long: at most 5000 bytes."),
        "{html}"
    );
    assert!(
        html.contains(&format!(">{long}</textarea>")),
        "the typed welcome is kept"
    );
    assert!(
        html.contains("id=\"ask-followers\" name=\"who_may_ask\" value=\"followers\" checked"),
        "{html}"
    );
    let resp = newcomers("Hello **newcomer**".into(), "nobody").await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("Choose who may ask."), "{html}");
    assert!(html.contains(">Hello **newcomer**</textarea>"), "{html}");
    let g = group(&peer).await;
    assert_eq!(g["welcome_message"], "");
    assert_eq!(g["who_may_ask"], "everyone");
    let resp = newcomers("Hello **newcomer**".into(), "members").await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let g = group(&peer).await;
    assert_eq!(g["welcome_message"], "Hello **newcomer**");
    assert!(g["welcome_message_html"]
        .as_str()
        .unwrap()
        .contains("<strong>newcomer</strong>"));
    assert_eq!(g["who_may_ask"], "members");
    let (_, html) = page(&base, "/g/help", "").await;
    assert!(
        html.contains("id=\"who-may-ask\""),
        "the group page tells who may ask"
    );

    // Organisations: none declared yet, then one the admin declares.
    let (_, html) = page(&base, SETTINGS, &cookie(&moda)).await;
    assert!(html.contains("id=\"no-organisations\""), "{html}");
    let (s, org) = peer
        .api(
            Method::POST,
            Some(&admin),
            "/admin/organisations",
            Some(json!({"name": "Acme", "domain": "acme.example"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{org}");
    let org_id = org["id"].as_str().unwrap().to_string();
    let (_, html) = page(&base, SETTINGS, &cookie(&moda)).await;
    assert!(html.contains(&format!("id=\"org-{org_id}\"")), "{html}");
    let resp = post(
        &base,
        SETTINGS,
        &cookie(&moda),
        &[
            ("csrf", &t),
            ("section", "organisations"),
            ("organisation", "12abc"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("Check this form"), "{html}");
    let resp = post(
        &base,
        SETTINGS,
        &cookie(&moda),
        &[
            ("csrf", &t),
            ("section", "organisations"),
            ("organisation", &org_id),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, stats) = peer
        .api(Method::GET, None, "/groups/help/stats", None)
        .await;
    assert_eq!(
        stats["recognised_organisations"][0]["name"], "Acme",
        "{stats}"
    );
    let (_, html) = page(&base, SETTINGS, &cookie(&moda)).await;
    assert!(
        html.contains(&format!("value=\"{org_id}\" checked")),
        "{html}"
    );

    // Privilege thresholds: a bad one is told by its field with what was typed.
    let resp = post(
        &base,
        SETTINGS,
        &cookie(&moda),
        &[
            ("csrf", &t),
            ("section", "privileges"),
            ("min_edit_tags", "-5"),
            ("min_close_duplicates", "lots"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("id=\"min_edit_tags-error\""), "{html}");
    assert!(html.contains("id=\"min_close_duplicates-error\""), "{html}");
    assert!(
        html.contains("Enter a whole number from 0 to 1000000."),
        "{html}"
    );
    assert!(html.contains("value=\"lots\""), "{html}");
    let resp = post(
        &base,
        SETTINGS,
        &cookie(&moda),
        &[
            ("csrf", &t),
            ("section", "privileges"),
            ("min_edit_tags", "50"),
            ("min_close_duplicates", "300"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, p) = peer
        .api(Method::GET, None, "/groups/help/privileges", None)
        .await;
    assert_eq!(
        p,
        json!([
            {"privilege": "edit_tags", "min_reputation": 50},
            {"privilege": "close_duplicates", "min_reputation": 300}
        ])
    );

    // The API takes the same settings, with the same limits.
    let (s, v) = patch(&peer, &moda, json!({"who_may_ask": "anyone"})).await;
    assert!(s.is_client_error(), "{s} {v}");
    let (s, v) = patch(&peer, &moda, json!({"welcome_message": long})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let (s, v) = patch(&peer, &alice, json!({"who_may_ask": "everyone"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    let (s, v) = patch(
        &peer,
        &moda,
        json!({"who_may_ask": "followers", "welcome_message": ""}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["who_may_ask"], "followers");
    assert_eq!(v["welcome_message"], "");
    assert_eq!(v["title"], "Printer help", "the rest is kept");
}

async fn ask(peer: &Peer, token: &str, title: &str) -> (StatusCode, Value) {
    peer.api(
        Method::POST,
        Some(token),
        "/questions",
        Some(json!({"group": "help", "title": title, "body": "Details."})),
    )
    .await
}

async fn posting_rules_here(backend: Backend) {
    let peer = Peer::start(backend).await;
    let (_, moda, alice) = setup(&peer).await;
    let (bob, _) = peer.user("bob", false).await;
    let base = peer.base.clone();
    let set = |rule: &'static str| {
        let (peer, moda) = (&peer, moda.clone());
        async move {
            let (s, v) = patch(peer, &moda, json!({"who_may_ask": rule})).await;
            assert_eq!(s, StatusCode::OK, "{v}");
        }
    };
    set("followers").await;

    // Alice does not follow: refused through the API and the page, with the reason.
    let (s, v) = ask(&peer, &alice, "Paper jam in tray two").await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    assert!(v["message"].as_str().unwrap().contains("followers"), "{v}");
    let (_, form) = page(&base, "/g/help/ask", &cookie(&alice)).await;
    assert!(
        form.contains("id=\"ask-refused\""),
        "the form says so before: {form}"
    );
    let t = csrf_field(&form);
    let resp = post(
        &base,
        "/ask",
        &cookie(&alice),
        &[
            ("csrf", &t),
            ("group", "help"),
            ("title", "Paper jam in tray two"),
            ("body", "It jams."),
            ("guidelines", "on"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("Only the followers of this group may ask questions"),
        "{html}"
    );
    assert!(
        html.contains("value=\"Paper jam in tray two\""),
        "the form is kept"
    );

    // The moderator may ask without following.
    let (s, q) = ask(&peer, &moda, "Known issues this week").await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    // Answers stay open: Bob, who does not follow either, answers.
    let qid = q["id"].as_str().unwrap();
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&bob),
            &format!("/questions/{qid}/answers"),
            Some(json!({"body": "Thanks for the list."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");

    // Alice follows from the group page; now she may ask.
    let (_, gp) = page(&base, "/g/help", &cookie(&alice)).await;
    assert!(gp.contains("id=\"follow-here\""), "{gp}");
    let resp = post(
        &base,
        "/g/help/follow-here",
        &cookie(&alice),
        &[
            ("csrf", &csrf_field(&gp)),
            ("op", "follow"),
            ("accept_guidelines", "on"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, gp) = page(&base, "/g/help", &cookie(&alice)).await;
    assert!(gp.contains("id=\"unfollow\""), "{gp}");
    let (s, v) = ask(&peer, &alice, "Paper jam in tray two").await;
    assert_eq!(s, StatusCode::CREATED, "{v}");

    // Members only: every account here may ask, followers or not.
    set("members").await;
    let (s, v) = ask(&peer, &bob, "Toner smudges").await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // Back to everyone.
    set("everyone").await;
    let (s, v) = ask(&peer, &bob, "Duplex printing").await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

/// The user's notifications of `kind`.
async fn notes(peer: &Peer, token: &str, kind: &str) -> Vec<Value> {
    let (_, v) = peer
        .api(Method::GET, Some(token), "/notifications?limit=100", None)
        .await;
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == kind)
        .cloned()
        .collect()
}

/// Waits until the user has a notification of `kind` and returns them all.
async fn wait_notes(peer: &Peer, token: &str, kind: &str) -> Vec<Value> {
    assert!(
        eventually(15, || async { !notes(peer, token, kind).await.is_empty() }).await,
        "no {kind} notification"
    );
    notes(peer, token, kind).await
}

async fn welcome_here(backend: Backend) {
    let peer = Peer::start(backend).await;
    let (_, moda, alice) = setup(&peer).await;
    let (bob, _) = peer.user("bob", false).await;
    let (dave, _) = peer.user("dave", false).await;
    let base = peer.base.clone();
    // Dave posted before there was a welcome: he is no newcomer.
    let (s, _) = ask(&peer, &dave, "Old question about drivers").await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, v) = patch(
        &peer,
        &moda,
        json!({"welcome_message": "Hello **newcomer**, read the FAQ first."}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");

    // The ask form shows the welcome to someone who has not posted here, not to Dave.
    let (_, form) = page(&base, "/g/help/ask", &cookie(&bob)).await;
    assert!(form.contains("<strong>newcomer</strong>"), "{form}");
    let (_, form) = page(&base, "/g/help/ask", &cookie(&dave)).await;
    assert!(!form.contains("id=\"welcome-text\""), "{form}");

    // Alice follows: welcomed once, and not again on her first question.
    let handle = format!("help@{}", peer.domain);
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&alice),
            "/follows",
            Some(json!({"handle": handle, "accept_guidelines": true})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let found = wait_notes(&peer, &alice, "welcome").await;
    assert_eq!(found.len(), 1, "{found:?}");
    let n = &found[0];
    assert_eq!(n["title"], "Support");
    assert_eq!(n["actor"]["handle"], format!("help@{}", peer.domain));
    assert!(
        n["message_html"]
            .as_str()
            .unwrap()
            .contains("<strong>newcomer</strong>"),
        "{n}"
    );
    assert_eq!(n["link"], format!("{}/g/help", peer.base));
    let (s, q) = ask(&peer, &alice, "First question of Alice").await;
    assert_eq!(s, StatusCode::CREATED);

    // Bob's first post (an answer) welcomes him; his next posts do not.
    let qid = q["id"].as_str().unwrap();
    let (s, _) = peer
        .api(
            Method::POST,
            Some(&bob),
            &format!("/questions/{qid}/answers"),
            Some(json!({"body": "Welcome, Alice!"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(wait_notes(&peer, &bob, "welcome").await.len(), 1);
    let (s, _) = ask(&peer, &bob, "Second post of Bob").await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, _) = ask(&peer, &dave, "New question of Dave").await;
    assert_eq!(s, StatusCode::CREATED);
    // Alice is told of Bob's answer: the notifier has read past every post above.
    wait_notes(&peer, &alice, "answer").await;
    // A re-read of the last minutes (as a second process would) adds no welcome.
    peerdesk::domain::notify::scan(
        peer.state(),
        std::sync::Arc::new(peerdesk::db::notification_kinds::Mentions::new(
            &peer.base,
            &peer.domain,
        )),
        peerdesk::db::now_ms() - peerdesk::domain::notify::LAG_MS,
    )
    .await;
    assert_eq!(notes(&peer, &alice, "welcome").await.len(), 1);
    assert_eq!(notes(&peer, &bob, "welcome").await.len(), 1);
    assert!(notes(&peer, &dave, "welcome").await.is_empty());

    // The notifications page shows the message; opening it leads to the group.
    let (_, list) = page(&base, "/notifications", &cookie(&alice)).await;
    assert!(list.contains("Welcome to “Support”"), "{list}");
    assert!(list.contains("<strong>newcomer</strong>"), "{list}");
    let id = n["id"].as_str().unwrap();
    let resp = common::forms::client()
        .get(peer.url(&format!("/notifications/{id}/open")))
        .header("cookie", cookie(&alice))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()["location"], "/g/help");
    // Its email choice is offered with the others.
    let (_, prefs) = peer
        .api(
            Method::GET,
            Some(&alice),
            "/notifications/preferences",
            None,
        )
        .await;
    assert_eq!(prefs["email"]["welcome"], "off", "{prefs}");
}

both_backends!(settings_roles_and_forms, posting_rules_here, welcome_here);
