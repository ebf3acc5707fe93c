//! A group's settings across real instances: its posting rule refuses a question sent
//! from another server by someone it does not let ask (not stored, so not announced)
//! and lets a follower's pass; a newcomer from elsewhere gets the welcome as a direct
//! message to them alone, once, which their server turns into a notification (a third
//! server that follows the group gets nothing of it); an edit of the group reaches the
//! servers that follow it.

mod common;
use common::forms::{cookie, csrf_field, page_at as page, post};
use common::remote::FakeRemote;

use common::{eventually, Backend, Peer};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// A group `help` on `a` with the moderator `moda`; returns the group and moda's token.
async fn group_with_moderator(a: &Peer) -> (peerdesk::db::models::Actor, String) {
    let help = a.group("help").await;
    let (moda, moda_actor) = a.user("moda", false).await;
    let (gid, mid) = (help.id, moda_actor.id);
    a.query(move |c| peerdesk::db::queries::groups::add_moderator(c, gid, mid))
        .await;
    (help, moda)
}

async fn patch_group(a: &Peer, moda: &str, body: Value) {
    let (s, v) = a
        .api(Method::PATCH, Some(moda), "/groups/help", Some(body))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

/// `token` on `b` asks in `group` (elsewhere); returns the question's ActivityPub id.
async fn ask_from(b: &Peer, token: &str, group: &str, title: &str) -> String {
    let (s, q) = b
        .api(
            Method::POST,
            Some(token),
            "/questions",
            Some(json!({"group": group, "title": title, "body": "Details."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    q["ap_id"].as_str().unwrap().to_string()
}

/// Waits until `peer` has delivered everything it queued (every receiver answered).
async fn delivered(peer: &Peer) {
    assert!(
        eventually(20, || async { peer.pending_deliveries().await == 0 }).await,
        "deliveries still pending"
    );
}

async fn posting_rule_across_instances(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    let (_, moda) = group_with_moderator(&a).await;
    let (rita, _) = b.user("rita", false).await;
    let (sam, _) = b.user("sam", false).await;
    let group = format!("help@{}", a.domain);
    b.follow_and_wait(&rita, &group).await;
    patch_group(&a, &moda, json!({"who_may_ask": "followers"})).await;

    // Sam does not follow the group: his question is refused there; Rita's arrives.
    let refused = ask_from(&b, &sam, &group, "Scanner skips pages").await;
    let passed = ask_from(&b, &rita, &group, "Scanner is slow").await;
    a.wait_question_id("help", &passed).await;
    delivered(&b).await;
    assert_eq!(a.question_id("help", &refused).await, None);

    // Members only: people elsewhere may not ask, followers or not.
    patch_group(&a, &moda, json!({"who_may_ask": "members"})).await;
    let refused = ask_from(&b, &rita, &group, "Scanner makes noise").await;
    delivered(&b).await;
    assert_eq!(a.question_id("help", &refused).await, None);

    // Everyone again: Sam's next question passes, and answers were never closed.
    patch_group(&a, &moda, json!({"who_may_ask": "everyone"})).await;
    let passed = ask_from(&b, &sam, &group, "Scanner driver for Linux").await;
    a.wait_question_id("help", &passed).await;
}

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

/// The welcomes `a` sent (its `Create`s: nobody asks anything in these tests).
async fn welcomes_sent(a: &Peer) -> Vec<Value> {
    a.query(|c| {
        use diesel::prelude::*;
        use peerdesk::db::schema::activities as ac;
        let rows: Vec<String> = peerdesk::with_conn!(c, c => ac::table
            .filter(ac::kind.eq("Create"))
            .select(ac::body)
            .load(c))?;
        Ok(rows
            .iter()
            .map(|b| serde_json::from_str(b).unwrap())
            .collect())
    })
    .await
}

async fn welcome_to_a_follower_elsewhere(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    let c = FakeRemote::start().await;
    let (help, moda) = group_with_moderator(&a).await;
    // A third server's follower, from before there was a welcome.
    common::remote_follows(&a, &c, &help).await;
    patch_group(
        &a,
        &moda,
        json!({"welcome_message": "Hello **newcomer**, see the FAQ."}),
    )
    .await;

    let (rita, rita_actor) = b.user("rita", false).await;
    let group = format!("help@{}", a.domain);
    b.follow_and_wait(&rita, &group).await;
    // Rita's server turns the welcome into her notification, with the message.
    assert!(
        eventually(15, || async {
            !notes(&b, &rita, "welcome").await.is_empty()
        })
        .await,
        "no welcome on B"
    );
    let found = notes(&b, &rita, "welcome").await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["actor"]["handle"], group);
    assert_eq!(found[0]["title"], "Support");
    assert!(
        found[0]["message_html"]
            .as_str()
            .unwrap()
            .contains("<strong>newcomer</strong>"),
        "{found:?}"
    );

    // One welcome was sent, to Rita alone: nobody else addressed.
    let sent = welcomes_sent(&a).await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    let body = &sent[0];
    assert_eq!(body["actor"], help.ap_id);
    assert_eq!(body["to"], json!([rita_actor.ap_id]));
    assert!(body.get("cc").is_none(), "{body}");
    assert_eq!(body["object"]["type"], "Note");
    assert_eq!(body["object"]["to"], json!([rita_actor.ap_id]));
    assert!(body["object"].get("cc").is_none(), "{body}");
    // Never announced, and the third server received nothing of it.
    delivered(&a).await;
    let leaked = serde_json::to_string(&*c.received.lock().unwrap()).unwrap();
    assert!(
        !leaked.contains("newcomer") && !leaked.contains(&rita_actor.ap_id),
        "{leaked}"
    );
    assert_eq!(a.sent_count("Announce").await, 0);

    // Once per person: following again welcomes nobody.
    let (s, v) = b
        .api(
            Method::DELETE,
            Some(&rita),
            &format!("/follows/{group}"),
            None,
        )
        .await;
    assert!(s.is_success(), "{s} {v}");
    b.follow_and_wait(&rita, &group).await;
    assert_eq!(welcomes_sent(&a).await.len(), 1);

    // A newcomer on the third server is welcomed too, in its own message.
    let follow = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/follows/2", c.base),
        "type": "Follow",
        "actor": format!("{}/users/newbie", c.base),
        "object": help.ap_id,
    });
    let (s, v) = c.deliver(&a.http, &help.inbox, &follow).await;
    assert!(s.is_success(), "{s} {v}");
    delivered(&a).await;
    let received = c.received.lock().unwrap().clone();
    let creates: Vec<&Value> = received.iter().filter(|v| v["type"] == "Create").collect();
    assert_eq!(creates.len(), 1, "{received:?}");
    let newbie = format!("{}/users/newbie", c.base);
    assert_eq!(creates[0]["to"], json!([newbie]));
    assert_eq!(creates[0]["object"]["tag"][0]["href"], newbie);
}

async fn an_edit_of_the_group_reaches_its_followers(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    let (help, moda) = group_with_moderator(&a).await;
    let (rita, _) = b.user("rita", false).await;
    b.follow_and_wait(&rita, &format!("help@{}", a.domain))
        .await;

    // The moderator edits the profile on the settings page.
    let (_, html) = page(&a.base, "/g/help/mod/settings", &cookie(&moda)).await;
    let resp = post(
        &a.base,
        "/g/help/mod/settings",
        &cookie(&moda),
        &[
            ("csrf", &csrf_field(&html)),
            ("section", "profile"),
            ("title", "Printer help"),
            ("description", "Questions about **printers**."),
            ("guidelines", "Be kind."),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(a.sent_count("Update").await, 1);
    let ap_id = help.ap_id.clone();
    assert!(
        eventually(15, || async {
            let id = ap_id.clone();
            let stored = b
                .query(move |c| peerdesk::db::queries::actors::by_ap_id(c, &id))
                .await
                .unwrap();
            stored.display_name.as_deref() == Some("Printer help")
                && stored
                    .summary
                    .as_deref()
                    .is_some_and(|s| s.contains("<strong>printers</strong>"))
        })
        .await,
        "the edit did not reach B"
    );
    // The welcome and the posting rule are not in the group's document: nothing is sent.
    patch_group(
        &a,
        &moda,
        json!({"who_may_ask": "followers", "welcome_message": "Hi"}),
    )
    .await;
    assert_eq!(a.sent_count("Update").await, 1);
}

both_backends!(
    posting_rule_across_instances,
    welcome_to_a_follower_elsewhere,
    an_edit_of_the_group_reaches_its_followers
);
