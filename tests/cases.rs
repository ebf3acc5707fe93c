//! Cases: a local customer's case opened from their question with private details, the
//! staff's replies and status changes, notifications, webhooks and several linked
//! questions; the private details never in a federated payload nor on a public page.
//! A customer on another server: the staff's message reaches their inbox alone (a
//! follower of the group elsewhere gets nothing), their direct reply lands in the case
//! and nobody else's does. CRM tokens: status, messages, ticket ids; another
//! organisation's case is 404 and a revoked token 401.

mod common;
use axum::extract::State;
use common::remote::FakeRemote;
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

const SECRET: &str = "ORDER-4711-SECRET";

/// An instance with an admin, Acme's staff member carol, the customer bob, eve (nobody
/// to the case) and the group `help` that recognises Acme. Returns (admin, carol, bob,
/// eve, organisation id).
async fn setup(peer: &Peer) -> (String, String, String, String, String) {
    let (admin, _) = peer.user("root", true).await;
    let (carol, _) = peer.user("carol", false).await;
    let (bob, _) = peer.user("bob", false).await;
    let (eve, _) = peer.user("eve", false).await;
    peer.group("help").await;
    let org = peer
        .staffed_org(&admin, ("Acme", "acme.example"), "carol", "help")
        .await;
    (admin, carol, bob, eve, org)
}

async fn make_org(peer: &Peer, admin: &str, name: &str, domain: &str) -> String {
    let (s, org) = peer
        .api(
            Method::POST,
            Some(admin),
            "/admin/organisations",
            Some(json!({"name": name, "domain": domain})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{org}");
    org["id"].as_str().unwrap().to_string()
}

async fn ask(peer: &Peer, token: &str, title: &str) -> (String, String) {
    let (s, q) = peer
        .api(
            Method::POST,
            Some(token),
            "/questions",
            Some(json!({"group": "help", "title": title, "body": "The printer says PC LOAD LETTER."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    (
        q["id"].as_str().unwrap().to_string(),
        q["ap_id"].as_str().unwrap().to_string(),
    )
}

/// A receiver of webhooks: every body it got.
async fn receiver() -> (Arc<Mutex<Vec<Value>>>, String) {
    async fn hook(
        State(got): State<Arc<Mutex<Vec<Value>>>>,
        body: String,
    ) -> axum::http::StatusCode {
        got.lock()
            .unwrap()
            .push(serde_json::from_str(&body).unwrap());
        axum::http::StatusCode::NO_CONTENT
    }
    let got: Arc<Mutex<Vec<Value>>> = Default::default();
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(hook))
        .with_state(got.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (got, format!("http://127.0.0.1:{port}/hook"))
}

fn kinds(got: &Arc<Mutex<Vec<Value>>>) -> Vec<String> {
    got.lock()
        .unwrap()
        .iter()
        .map(|v| v["type"].as_str().unwrap().to_string())
        .collect()
}

async fn notification_kinds(peer: &Peer, token: &str) -> Vec<String> {
    let (s, v) = peer
        .api(Method::GET, Some(token), "/notifications", None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap().to_string())
        .collect()
}

/// Every activity body this instance stored to send, joined.
async fn all_activities(peer: &Peer) -> String {
    peer.query(|c| {
        use diesel::prelude::*;
        use peerdesk::db::schema::activities as a;
        let bodies: Vec<String> = peerdesk::with_conn!(c, c => a::table.select(a::body).load(c))?;
        Ok(bodies.join("\n"))
    })
    .await
}

async fn local_customer_case(backend: Backend) {
    let peer = Peer::start(backend).await;
    let (_admin, carol, bob, eve, org) = setup(&peer).await;
    let (rx, url) = receiver().await;
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&carol),
            &format!("/organisations/{org}/webhooks"),
            Some(json!({"url": url, "events": ["case.created", "case.updated", "case.message"]})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (q1, q1_ap) = ask(&peer, &bob, "Printer eats paper").await;
    let (q2, _) = ask(&peer, &bob, "Printer still eats paper").await;

    // Bad input: a clear 4xx.
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&bob),
            "/cases",
            Some(json!({"question_ids": [q1], "subject": " "})),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::CREATED,
        "an empty subject falls back to the title: {v}"
    );
    let first = v["number"].as_i64().unwrap();
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&bob),
            "/cases",
            Some(json!({"question_ids": ["x"]})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&eve),
            "/cases",
            Some(json!({"question_ids": [q1], "private_details": "mine"})),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "only the asker opens a case from it: {v}"
    );

    // The customer opens a case from their question with private details.
    let (s, case) = peer
        .api(
            Method::POST,
            Some(&bob),
            "/cases",
            Some(json!({"question_ids": [q1], "subject": "Paper jam", "private_details": format!("My order is {SECRET}")})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{case}");
    let n = case["number"].as_i64().unwrap();
    assert_eq!(n, first + 1, "numbers follow each other");
    assert!(n > 1000, "human-readable numbers: {n}");
    assert_eq!(case["role"], "customer");
    assert_eq!(case["status"], "open");
    assert_eq!(case["organisation"], "Acme");
    assert!(case["messages"][0]["body"]
        .as_str()
        .unwrap()
        .contains(SECRET));
    assert!(notification_kinds(&peer, &carol)
        .await
        .contains(&"case_created".to_string()));

    // Who sees it: the customer, the organisation's staff; for everyone else it does not
    // exist.
    let path = format!("/cases/{n}");
    let (s, _) = peer.api(Method::GET, Some(&eve), &path, None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = peer
        .api(Method::GET, Some(&eve), "/cases/999999", None)
        .await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "the same answer as a missing case"
    );
    let (s, _) = peer.api(Method::GET, None, &path, None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&eve),
            &format!("{path}/messages"),
            Some(json!({"body": "hi"})),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    let (s, v) = peer.api(Method::GET, Some(&carol), &path, None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["role"], "staff");
    let (s, v) = peer
        .api(
            Method::GET,
            Some(&carol),
            &format!("/organisations/{org}/cases"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v.as_array().unwrap().iter().any(|c| c["number"] == n));
    let (s, _) = peer
        .api(
            Method::GET,
            Some(&eve),
            &format!("/organisations/{org}/cases"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Staff reply; the customer is notified.
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&carol),
            &format!("{path}/messages"),
            Some(json!({"body": "Try firmware **2.1**"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&carol),
            &format!("{path}/messages"),
            Some(json!({"body": "  "})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(notification_kinds(&peer, &bob)
        .await
        .contains(&"case_message".to_string()));

    // Status, the public note, a second linked question; the customer may not change them.
    let (s, v) = peer
        .api(
            Method::PATCH,
            Some(&bob),
            &path,
            Some(json!({"status": "solved"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    let (s, v) = peer
        .api(
            Method::PATCH,
            Some(&carol),
            &path,
            Some(json!({"status": "done"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let note = "Acme support is handling this in a private case";
    let (s, v) = peer
        .api(
            Method::PATCH,
            Some(&carol),
            &path,
            Some(json!({"status": "pending_customer", "public_note": note, "assignee": "carol", "link_question_ids": [q2]})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "pending_customer");
    assert_eq!(v["assignee"], format!("carol@{}", peer.domain));
    assert_eq!(
        v["question_ids"].as_array().unwrap().len(),
        2,
        "several questions, one case: {v}"
    );
    assert!(notification_kinds(&peer, &bob)
        .await
        .contains(&"case_status".to_string()));
    let (s, v) = peer
        .api(
            Method::PATCH,
            Some(&carol),
            &path,
            Some(json!({"assignee": "bob"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "only staff are assigned: {v}");

    // The customer answers: the case waits for the company again.
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&bob),
            &format!("{path}/messages"),
            Some(json!({"body": "Still jammed"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (_, v) = peer.api(Method::GET, Some(&bob), &path, None).await;
    assert_eq!(v["status"], "pending_company");
    assert_eq!(v["messages"].as_array().unwrap().len(), 3);
    let (_, mine) = peer.api(Method::GET, Some(&bob), "/cases", None).await;
    assert_eq!(mine.as_array().unwrap().len(), 2);

    // The open case is known to the escalation rules.
    let bob_actor = peer
        .query(|c| {
            Ok(peerdesk::db::queries::users::by_username(c, "bob")?
                .unwrap()
                .1
                .id)
        })
        .await;
    let org_id: i64 = org.parse().unwrap();
    let open = peer
        .query(move |c| peerdesk::actions::cases::has_open_case(c, bob_actor, org_id))
        .await;
    assert!(open);

    // The public thread shows the note only; nothing federated or public holds the
    // private details.
    for q in [&q1, &q2] {
        let (_, t) = peer
            .api(Method::GET, None, &format!("/questions/{q}"), None)
            .await;
        assert_eq!(t["case_notes"][0]["note"], note, "{t}");
        assert_eq!(t["case_notes"][0]["organisation"], "Acme");
        assert!(!t.to_string().contains(SECRET));
    }
    let (s, html) = common::forms::page(&peer.url(&format!("/q/{q1}")), "").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains(note), "the note shows on the thread");
    assert!(!html.contains(SECRET) && !html.contains("Still jammed"));
    let (s, ap) = peer.get_ap(&q1_ap).await;
    assert_eq!(s, StatusCode::OK);
    assert!(!ap.to_string().contains(SECRET), "{ap}");
    let (_, outbox) = peer.get_ap("/g/help/outbox").await;
    let (_, page) = peer.get_ap("/g/help/outbox?page=true").await;
    for v in [outbox, page] {
        assert!(!v.to_string().contains(SECRET) && !v.to_string().contains("firmware"));
    }
    let sent = all_activities(&peer).await;
    assert!(
        !sent.contains(SECRET) && !sent.contains("firmware"),
        "nothing of a local case is sent"
    );

    // The organisation's webhooks tell of the case (its own CRM may see the details).
    assert!(
        eventually(15, || async {
            let k = kinds(&rx);
            k.contains(&"case.created".into())
                && k.contains(&"case.message".into())
                && k.contains(&"case.updated".into())
        })
        .await,
        "{:?}",
        kinds(&rx)
    );
    let created = rx
        .lock()
        .unwrap()
        .iter()
        .find(|v| v["type"] == "case.created" && v["data"]["case"]["number"] == n)
        .cloned()
        .unwrap();
    assert_eq!(
        created["data"]["case"]["customer"],
        format!("bob@{}", peer.domain)
    );
    assert!(created["data"]["message"]["body"]
        .as_str()
        .unwrap()
        .contains(SECRET));

    // Solved: no longer open.
    let (s, _) = peer
        .api(
            Method::PATCH,
            Some(&carol),
            &path,
            Some(json!({"status": "closed"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&bob),
            &format!("{path}/messages"),
            Some(json!({"body": "hello?"})),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "a closed case takes no messages: {v}"
    );
    let (s, _) = peer
        .api(
            Method::PATCH,
            Some(&carol),
            &format!("/cases/{first}"),
            Some(json!({"status": "solved"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let open = peer
        .query(move |c| peerdesk::actions::cases::has_open_case(c, bob_actor, org_id))
        .await;
    assert!(!open);
}

/// A question in `group` by `user` of `remote`, as a Lemmy-like server sends it.
fn remote_question(remote: &FakeRemote, user: &str, group: &str) -> Value {
    let actor = format!("{}/users/{user}", remote.base);
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{actor}/activities/create/1"),
        "type": "Create",
        "actor": actor,
        "to": [group, "https://www.w3.org/ns/activitystreams#Public"],
        "object": {
            "id": format!("{actor}/posts/1"),
            "type": "Page",
            "name": "My router reboots every hour",
            "content": "<p>Since the update.</p>",
            "attributedTo": actor,
            "audience": group,
            "to": [group, "https://www.w3.org/ns/activitystreams#Public"],
        }
    })
}

/// A direct reply as Mastodon sends it (`to` the mentioned staff member, nothing else).
fn direct_reply(
    remote: &FakeRemote,
    user: &str,
    n: u32,
    staff: &str,
    in_reply_to: &str,
    text: &str,
) -> Value {
    let actor = format!("{}/users/{user}", remote.base);
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{actor}/statuses/{n}/activity"),
        "type": "Create",
        "actor": actor,
        "to": [staff],
        "cc": [],
        "object": {
            "id": format!("{actor}/statuses/{n}"),
            "type": "Note",
            "attributedTo": actor,
            "inReplyTo": in_reply_to,
            "to": [staff],
            "cc": [],
            "content": format!("<p><span class=\"h-card\"><a href=\"{staff}\" class=\"u-url mention\">@<span>carol</span></a></span> {text}</p>"),
            "tag": [{"type": "Mention", "href": staff, "name": "@carol"}],
        }
    })
}

async fn remote_customer_case(backend: Backend) {
    let peer = Peer::start(backend).await;
    let (_admin, carol, _bob, _eve, _org) = setup(&peer).await;
    let help_id = peer.url("/g/help");
    let group = peer
        .query(move |c| peerdesk::db::queries::actors::by_ap_id(c, &help_id))
        .await
        .expect("the group");
    let customers = FakeRemote::start().await;
    let watchers = FakeRemote::start().await;
    remote_follows(&peer, &watchers, &group).await;

    // The customer on another server asks in the group.
    let (s, v) = customers
        .deliver(
            &peer.http,
            &group.inbox,
            &remote_question(&customers, "dan", &group.ap_id),
        )
        .await;
    assert!(s.is_success(), "{s} {v}");
    let q_ap = format!("{}/users/dan/posts/1", customers.base);
    let qid = peer.wait_question_id("help", &q_ap).await;

    // Staff open a case from it, with a first message to the customer (whose server is
    // down for a moment, so that the queued delivery can be read).
    customers
        .inbox_status
        .store(503, std::sync::atomic::Ordering::SeqCst);
    let first = "Could you send us the router's serial number?";
    let (s, case) = peer
        .api(
            Method::POST,
            Some(&carol),
            "/cases",
            Some(json!({"question_ids": [qid], "private_details": first, "priority": "high"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{case}");
    assert_eq!(
        case["customer"],
        format!(
            "dan@localhost:{}",
            customers.base.rsplit(':').next().unwrap()
        )
    );
    assert_eq!(case["priority"], "high");
    let n = case["number"].as_i64().unwrap();

    // It is queued for the customer's own inbox, and no other.
    let dan = format!("{}/users/dan", customers.base);
    assert!(
        eventually(15, || async {
            customers.refused.load(std::sync::atomic::Ordering::SeqCst) > 0
        })
        .await
    );
    let inboxes = peer
        .query(|c| {
            use diesel::prelude::*;
            use peerdesk::db::schema::{activities as a, deliveries as d};
            Ok(peerdesk::with_conn!(c, c => d::table
                .inner_join(a::table.on(a::id.eq(d::activity_id)))
                .filter(a::body.like("%serial number%"))
                .select(d::inbox)
                .load::<String>(c))?)
        })
        .await;
    assert_eq!(
        inboxes,
        vec![format!("{dan}/inbox")],
        "the customer's own inbox only"
    );

    customers
        .inbox_status
        .store(0, std::sync::atomic::Ordering::SeqCst);

    // It reaches the customer's own inbox, as a direct note mentioning them.
    let dm_of = |remote: &FakeRemote, text: &str| -> Vec<Value> {
        remote
            .received
            .lock()
            .unwrap()
            .iter()
            .filter(|a| a["type"] == "Create" && a.to_string().contains(text))
            .cloned()
            .collect()
    };
    assert!(
        eventually(15, || async {
            !dm_of(&customers, "serial number").is_empty()
        })
        .await
    );
    let dm = dm_of(&customers, "serial number").remove(0);
    assert_eq!(dm["to"], json!([dan]));
    assert_eq!(dm["object"]["to"], json!([dan]));
    assert!(
        dm.get("cc").is_none()
            && dm["object"].get("cc").is_none()
            && dm["object"].get("audience").is_none()
    );
    assert_eq!(dm["object"]["tag"][0]["href"], dan);
    assert_eq!(dm["actor"], format!("{}/u/carol", peer.base));
    let note1 = dm["object"]["id"].as_str().unwrap().to_string();
    // A second message chains to the first.
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&carol),
            &format!("/cases/{n}/messages"),
            Some(json!({"body": "And the firmware version, please."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert!(
        eventually(15, || async {
            !dm_of(&customers, "firmware version").is_empty()
        })
        .await
    );
    let dm2 = dm_of(&customers, "firmware version").remove(0);
    assert_eq!(dm2["object"]["inReplyTo"], note1);
    let note2 = dm2["object"]["id"].as_str().unwrap().to_string();

    // The customer's direct reply lands in the case, not in the thread.
    let carol_ap = format!("{}/u/carol", peer.base);
    let carol_inbox = format!("{carol_ap}/inbox");
    let reply = direct_reply(
        &customers,
        "dan",
        7,
        &carol_ap,
        &note2,
        "Serial SN-12345, firmware 2.0",
    );
    // (To the shared inbox, as Mastodon delivers.)
    let (s, v) = customers
        .deliver(&peer.http, &peer.url("/inbox"), &reply)
        .await;
    assert!(s.is_success(), "{s} {v}");
    assert!(
        eventually(15, || async {
            let (_, v) = peer
                .api(Method::GET, Some(&carol), &format!("/cases/{n}"), None)
                .await;
            v["messages"].as_array().is_some_and(|m| m.len() == 3)
        })
        .await
    );
    let (_, v) = peer
        .api(Method::GET, Some(&carol), &format!("/cases/{n}"), None)
        .await;
    assert_eq!(v["messages"][2]["author_kind"], "customer");
    assert!(v["messages"][2]["body_html"]
        .as_str()
        .unwrap()
        .contains("SN-12345"));
    assert!(notification_kinds(&peer, &carol)
        .await
        .contains(&"case_message".to_string()));
    // The same reply again is kept once.
    let (s, _) = customers.deliver(&peer.http, &carol_inbox, &reply).await;
    assert!(s.is_success());

    // Someone else's reply to a case message is refused and stored nowhere.
    let intruder = direct_reply(
        &customers,
        "mallory",
        8,
        &carol_ap,
        &note2,
        "Mallory was here",
    );
    let (s, v) = customers.deliver(&peer.http, &carol_inbox, &intruder).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    let mallory_note = format!("{}/users/mallory/statuses/8", customers.base);
    let stored = peer
        .query(move |c| peerdesk::db::queries::posts::by_ap_id(c, &mallory_note))
        .await;
    assert!(stored.is_none());
    let dan_note = format!("{}/users/dan/statuses/7", customers.base);
    let stored = peer
        .query(move |c| peerdesk::db::queries::posts::by_ap_id(c, &dan_note))
        .await;
    assert!(stored.is_none(), "the customer's reply is not a post");
    let (_, v) = peer
        .api(Method::GET, Some(&carol), &format!("/cases/{n}"), None)
        .await;
    assert_eq!(v["messages"].as_array().unwrap().len(), 3);
    assert!(!v.to_string().contains("Mallory"));
    let (_, t) = peer
        .api(Method::GET, None, &format!("/questions/{qid}"), None)
        .await;
    assert!(!t.to_string().contains("SN-12345") && !t.to_string().contains("Mallory"));

    // The group's follower elsewhere got nothing of the case.
    assert!(eventually(10, || async { peer.pending_deliveries().await == 0 }).await);
    let seen = watchers.received.lock().unwrap().clone();
    for a in &seen {
        let s = a.to_string();
        assert!(
            !s.contains("serial number")
                && !s.contains("firmware version")
                && !s.contains("SN-12345"),
            "{s}"
        );
    }
}

async fn crm_tokens(backend: Backend) {
    let peer = Peer::start(backend).await;
    let (admin, carol, bob, eve, org) = setup(&peer).await;
    let (q, _) = ask(&peer, &bob, "Invoice is wrong").await;
    let (s, case) = peer
        .api(
            Method::POST,
            Some(&bob),
            "/cases",
            Some(json!({"question_ids": [q], "private_details": "Invoice INV-1"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{case}");
    let n = case["number"].as_i64().unwrap();

    // Tokens: made by the organisation's staff (shown once), not by others.
    let tokens = format!("/organisations/{org}/crm-tokens");
    let (s, _) = peer
        .api(
            Method::POST,
            Some(&eve),
            &tokens,
            Some(json!({"name": "x"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&carol),
            &tokens,
            Some(json!({"name": ""})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let (s, t) = peer
        .api(
            Method::POST,
            Some(&carol),
            &tokens,
            Some(json!({"name": "Zammad"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    let token = t["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("pdcrm_"));
    let (_, list) = peer.api(Method::GET, Some(&carol), &tokens, None).await;
    assert!(list[0].get("token").is_none(), "shown once: {list}");
    let stored = peer
        .query(|c| {
            use diesel::prelude::*;
            use peerdesk::db::schema::crm_tokens as t;
            Ok(peerdesk::with_conn!(c, c => t::table.select(t::token_hash).load::<String>(c))?)
        })
        .await;
    assert!(!stored.contains(&token), "hashed at rest");

    // The CRM sets the status and its ticket id, and writes to the customer.
    let path = format!("/crm/cases/{n}");
    let (s, v) = peer
        .api(
            Method::PATCH,
            Some(&token),
            &path,
            Some(json!({"status": "pending_customer", "ticket_id": "ZAM-77"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["ticket_id"], "ZAM-77");
    let (s, v) = peer
        .api(
            Method::PATCH,
            Some(&token),
            &path,
            Some(json!({"status": "bogus"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&token),
            &format!("{path}/messages"),
            Some(json!({"body": "We refunded the VAT."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["author_kind"], "crm");
    let (_, v) = peer
        .api(Method::GET, Some(&bob), &format!("/cases/{n}"), None)
        .await;
    assert_eq!(v["status"], "pending_customer");
    assert!(v.to_string().contains("We refunded the VAT."));
    let kinds = notification_kinds(&peer, &bob).await;
    assert!(
        kinds.contains(&"case_status".into()) && kinds.contains(&"case_message".into()),
        "{kinds:?}"
    );
    let (_, v) = peer
        .api(Method::GET, Some(&carol), &format!("/cases/{n}"), None)
        .await;
    assert_eq!(v["crm_ticket_id"], "ZAM-77");

    // The customer view shows the CRM's id.
    let bob_actor = peer
        .query(|c| {
            Ok(peerdesk::db::queries::users::by_username(c, "bob")?
                .unwrap()
                .1
                .id)
        })
        .await;
    let (s, v) = peer
        .api(
            Method::GET,
            Some(&carol),
            &format!("/customers/{bob_actor}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["crm_ids"], json!(["ZAM-77"]));
    assert_eq!(v["home"], peer.domain);
    assert_eq!(v["question_ids"], json!([q]));
    let (s, _) = peer
        .api(
            Method::GET,
            Some(&eve),
            &format!("/customers/{bob_actor}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Another organisation's token: the case does not exist for it.
    let other = make_org(&peer, &admin, "Globex", "globex.example").await;
    let (s, t2) = peer
        .api(
            Method::POST,
            Some(&admin),
            &format!("/organisations/{other}/crm-tokens"),
            Some(json!({"name": "Globex CRM"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{t2}");
    let other_token = t2["token"].as_str().unwrap();
    let (s, _) = peer
        .api(
            Method::PATCH,
            Some(other_token),
            &path,
            Some(json!({"status": "closed"})),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = peer
        .api(
            Method::POST,
            Some(other_token),
            &format!("{path}/messages"),
            Some(json!({"body": "x"})),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // A user's session token is no CRM token, and a CRM token is no session.
    let (s, _) = peer
        .api(
            Method::PATCH,
            Some(&carol),
            &path,
            Some(json!({"status": "closed"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = peer.api(Method::GET, Some(&token), "/cases", None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);

    // Revoked: 401.
    let id = list[0]["id"].as_str().unwrap();
    let (s, _) = peer
        .api(
            Method::DELETE,
            Some(&carol),
            &format!("{tokens}/{id}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = peer
        .api(
            Method::PATCH,
            Some(&token),
            &path,
            Some(json!({"status": "solved"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (_, v) = peer
        .api(Method::GET, Some(&bob), &format!("/cases/{n}"), None)
        .await;
    assert_eq!(v["status"], "pending_customer");
}

both_backends!(local_customer_case, remote_customer_case, crm_tokens);
