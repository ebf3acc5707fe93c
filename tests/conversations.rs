//! Private messages between people on two real peerdesk instances: delivered to the
//! recipient alone (a third instance following the same group gets nothing), never in a
//! public page or collection, 404 for anyone but the two; and the case gap: a case
//! message from staff on one instance reaches the customer's conversations on theirs,
//! and their reply there lands in the case.

mod common;
use common::forms::{cookie, csrf_field, page_at, post};
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const SECRET: &str = "Private words about the invoice 4711";

async fn conversations(peer: &Peer, token: &str) -> Value {
    let (s, v) = peer
        .api(Method::GET, Some(token), "/conversations", None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

/// The messages' bodies of the caller's first conversation.
async fn first_thread(peer: &Peer, token: &str) -> (String, Vec<String>) {
    let list = conversations(peer, token).await;
    let Some(id) = list[0]["id"].as_str() else {
        return (String::new(), vec![]);
    };
    let (s, v) = peer
        .api(
            Method::GET,
            Some(token),
            &format!("/conversations/{id}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let bodies = v["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body"].as_str().unwrap().to_string())
        .collect();
    (id.to_string(), bodies)
}

async fn contains_text(peer: &Peer, table_sql: &'static str, text: &str) -> bool {
    // The text is ours (letters, digits, spaces): safe to write into the query.
    let q = format!("SELECT COUNT(*) AS n FROM {table_sql} LIKE '%{text}%'");
    peer.query(move |c| {
        use diesel::prelude::*;
        use diesel::sql_types::BigInt;
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        let n: N = peerdesk::with_conn!(c, c => diesel::sql_query(q.clone()).get_result(c))?;
        Ok(n.n > 0)
    })
    .await
}

async fn messages_between_instances(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    let c = Peer::start(backend).await;
    let (a_admin, _) = a.user("root", true).await;
    let (b_admin, _) = b.user("root", true).await;
    let (alice, _) = a.user("alice", false).await;
    let (eve, _) = a.user("eve", false).await;
    let (bob, _) = b.user("bob", false).await;
    let (carl, _) = c.user("carl", false).await;
    a.group("help").await;
    // carl on the third instance follows alice's group: he must get nothing private.
    c.follow_and_wait(&carl, &format!("help@{}", a.domain))
        .await;

    let (s, sent) = a
        .api(
            Method::POST,
            Some(&alice),
            "/conversations",
            Some(json!({"to": format!("bob@{}", b.domain), "body": SECRET})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{sent}");
    let a_conv = sent["conversation_id"].as_str().unwrap().to_string();

    // It reaches bob, unread.
    assert!(
        eventually(20, || async {
            conversations(&b, &bob).await[0]["unread"] == 1
        })
        .await,
        "the message did not reach bob"
    );
    let list = conversations(&b, &bob).await;
    assert_eq!(list[0]["with"], format!("alice@{}", a.domain).as_str());
    let (_, notes) = b.api(Method::GET, Some(&bob), "/notifications", None).await;
    assert!(notes.to_string().contains("direct_message"), "{notes}");
    let (b_conv, bodies) = first_thread(&b, &bob).await;
    assert_eq!(bodies, vec![SECRET.to_string()]);
    assert_eq!(
        conversations(&b, &bob).await[0]["unread"],
        0,
        "read once opened"
    );

    // bob replies; alice sees it in the same conversation.
    let (s, v) = b
        .api(
            Method::POST,
            Some(&bob),
            &format!("/conversations/{b_conv}/messages"),
            Some(json!({"body": "Thanks, got it"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert!(
        eventually(20, || async { first_thread(&a, &alice).await.1.len() == 2 }).await,
        "bob's reply did not reach alice"
    );
    let (id, bodies) = first_thread(&a, &alice).await;
    assert_eq!(id, a_conv);
    assert_eq!(bodies[1], "Thanks, got it");

    // alice reports bob's message: A's admins get it (quoting it), B gets a Flag.
    let (_, thread) = a
        .api(
            Method::GET,
            Some(&alice),
            &format!("/conversations/{a_conv}"),
            None,
        )
        .await;
    let bob_msg = thread["messages"][1]["id"].as_str().unwrap().to_string();
    let own_msg = thread["messages"][0]["id"].as_str().unwrap().to_string();
    let report = |m: String| {
        let (a, alice) = (&a, alice.clone());
        async move {
            a.api(
                Method::POST,
                Some(&alice),
                &format!("/conversations/messages/{m}/report"),
                Some(json!({"reason": "abusive words"})),
            )
            .await
            .0
        }
    };
    assert_eq!(
        report(own_msg).await,
        StatusCode::BAD_REQUEST,
        "not one's own"
    );
    assert_eq!(report(bob_msg.clone()).await, StatusCode::NO_CONTENT);
    let (s, v) = a
        .api(
            Method::POST,
            Some(&eve),
            &format!("/conversations/messages/{bob_msg}/report"),
            Some(json!({"reason": "nosy"})),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    let (s, queue) = a.api(Method::GET, Some(&a_admin), "/reports", None).await;
    assert_eq!(s, StatusCode::OK, "{queue}");
    assert_eq!(queue.as_array().unwrap().len(), 1, "{queue}");
    let text = queue.to_string();
    assert!(
        text.contains("abusive words") && text.contains("Thanks, got it"),
        "{text}"
    );
    assert!(
        eventually(20, || async {
            let (_, q) = b.api(Method::GET, Some(&b_admin), "/reports", None).await;
            q.to_string().contains("abusive words")
        })
        .await,
        "no Flag reached bob's instance"
    );

    // A stranger gets 404, as for a conversation that does not exist.
    let (s, _) = a
        .api(
            Method::GET,
            Some(&eve),
            &format!("/conversations/{a_conv}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = a
        .api(
            Method::POST,
            Some(&eve),
            &format!("/conversations/{a_conv}/messages"),
            Some(json!({"body": "let me in"})),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(conversations(&a, &eve).await, json!([]));

    // Nothing of it is public: no post anywhere, the third instance received nothing,
    // alice's outbox and the group's pages do not show it.
    for peer in [&a, &b, &c] {
        assert!(!contains_text(peer, "posts WHERE content_html", "invoice 4711").await);
    }
    assert!(!contains_text(&c, "conversation_messages WHERE body_html", "invoice 4711").await);
    let (_, outbox) = a.get_ap("/u/alice/outbox").await;
    assert!(!outbox.to_string().contains("invoice 4711"), "{outbox}");
    let page = a
        .http
        .get(a.url("/g/help"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("invoice 4711"));

    // Deleting one's own message reaches the other side.
    let mid = sent["id"].as_str().unwrap();
    let (s, _) = a
        .api(
            Method::DELETE,
            Some(&alice),
            &format!("/conversations/messages/{mid}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert!(
        eventually(20, || async {
            first_thread(&b, &bob).await.1[0].is_empty()
        })
        .await,
        "the Delete did not reach bob's instance"
    );
}

/// Staff of Acme on `a` open a case for dan, whose account is on `b`: the case message
/// shows in dan's conversations there, and his reply there lands in the case.
async fn case_message_reaches_a_peerdesk_customer(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    let (admin, _) = a.user("root", true).await;
    let (carol, _) = a.user("carol", false).await;
    a.group("help").await;
    a.staffed_org(&admin, ("Acme", "acme.example"), "carol", "help")
        .await;

    // dan asks in the group from his own instance.
    let (dan, _) = b.user("dan", false).await;
    let (s, q) = b
        .api(
            Method::POST,
            Some(&dan),
            "/questions",
            Some(
                json!({"group": format!("help@{}", a.domain), "title": "Router keeps rebooting",
                        "body": "Since the last update."}),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let qid = a
        .wait_question_id("help", q["ap_id"].as_str().unwrap())
        .await;

    // carol opens a case with a first message to him.
    let first = "Could you send us the serial number of the router?";
    let (s, case) = a
        .api(
            Method::POST,
            Some(&carol),
            "/cases",
            Some(json!({"question_ids": [qid], "private_details": first})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{case}");
    let n = case["number"].as_i64().unwrap();

    // dan sees it in his conversations, from carol.
    assert!(
        eventually(20, || async {
            first_thread(&b, &dan)
                .await
                .1
                .iter()
                .any(|m| m.contains("serial number"))
        })
        .await,
        "the case message did not reach dan's conversations"
    );
    let list = conversations(&b, &dan).await;
    assert_eq!(list[0]["with"], format!("carol@{}", a.domain).as_str());
    let (conv, _) = first_thread(&b, &dan).await;

    // His reply there lands in the case on a.
    let (s, v) = b
        .api(
            Method::POST,
            Some(&dan),
            &format!("/conversations/{conv}/messages"),
            Some(json!({"body": "It is SN-12345."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert!(
        eventually(20, || async {
            let (_, c) = a
                .api(Method::GET, Some(&carol), &format!("/cases/{n}"), None)
                .await;
            c["messages"].as_array().is_some_and(|m| {
                m.iter().any(|m| {
                    m["author_kind"] == "customer"
                        && m["body"].as_str().unwrap_or_default().contains("SN-12345")
                })
            })
        })
        .await,
        "dan's reply did not land in the case"
    );
    // ... and nowhere else: not as a conversation of carol's.
    assert_eq!(conversations(&a, &carol).await, json!([]));
}

/// The pages, over HTTP: from a profile's "Send a message" to the conversation, the
/// reply form, unread counts, and 404 for anyone else.
async fn message_pages(backend: Backend) {
    let peer = Peer::start(backend).await;
    let (admin, _) = peer.user("root", true).await;
    let (alice, _) = peer.user("alice", false).await;
    let (bob, _) = peer.user("bob", false).await;
    let (eve, _) = peer.user("eve", false).await;
    let (ca, cb, ce) = (cookie(&alice), cookie(&bob), cookie(&eve));

    let (s, profile) = page_at(&peer.base, "/u/bob", &ca).await;
    assert_eq!(s, StatusCode::OK);
    assert!(profile.contains("id=\"send-message\""), "{profile}");
    let (_, own) = page_at(&peer.base, "/u/alice", &ca).await;
    assert!(
        !own.contains("id=\"send-message\""),
        "no message to oneself"
    );

    let (s, form) = page_at(&peer.base, "/messages/new?to=bob", &ca).await;
    assert_eq!(s, StatusCode::OK);
    let token = csrf_field(&form);
    // An empty message comes back with the error at the field.
    let r = post(
        &peer.base,
        "/messages/new",
        &ca,
        &[("csrf", &token), ("to", "bob"), ("body", " ")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("id=\"body-error\""));
    let r = post(
        &peer.base,
        "/messages/new",
        &ca,
        &[("csrf", &token), ("to", "bob"), ("body", "Hello **bob**")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let path = location.split('#').next().unwrap().to_string();
    assert!(path.starts_with("/messages/"), "{location}");

    // bob is notified, with a link to the conversation.
    let (_, notes) = peer
        .api(Method::GET, Some(&bob), "/notifications", None)
        .await;
    let text = notes.to_string();
    assert!(
        text.contains("direct_message") && text.contains(&path),
        "{text}"
    );
    // bob: one unread in the list; the conversation shows the message.
    let (_, list) = page_at(&peer.base, "/messages", &cb).await;
    assert!(
        list.contains("id=\"unread-") && list.contains("1 unread"),
        "{list}"
    );
    let (s, thread) = page_at(&peer.base, &path, &cb).await;
    assert_eq!(s, StatusCode::OK);
    assert!(thread.contains("<strong>bob</strong>"), "{thread}");
    let (_, list) = page_at(&peer.base, "/messages", &cb).await;
    assert!(!list.contains("id=\"unread-"), "read once opened");
    let token = csrf_field(&thread);
    let r = post(
        &peer.base,
        &path,
        &cb,
        &[("csrf", &token), ("body", "Hi alice")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, thread) = page_at(&peer.base, &path, &ca).await;
    assert!(thread.contains("Hi alice"), "{thread}");

    // bob reports alice's message from the conversation; the admins have it.
    let (_, thread) = page_at(&peer.base, &path, &cb).await;
    let at = thread
        .find("action=\"/messages/report/")
        .expect("a report form");
    let action = thread[at + 8..].split('"').next().unwrap().to_string();
    assert_eq!(
        thread.matches("action=\"/messages/report/").count(),
        1,
        "not on one's own"
    );
    let token = csrf_field(&thread);
    let r = post(
        &peer.base,
        &action,
        &cb,
        &[("csrf", &token), ("reason", "spam")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, list) = page_at(&peer.base, "/messages?reported=1", &cb).await;
    assert!(list.contains("id=\"messages-reported\""));
    let (s, queue) = peer.api(Method::GET, Some(&admin), "/reports", None).await;
    assert_eq!(s, StatusCode::OK, "{queue}");
    assert!(queue.to_string().contains("Hello **bob**"), "{queue}");

    // eve: 404 on the page and on its form.
    let (s, _) = page_at(&peer.base, &path, &ce).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, any) = page_at(&peer.base, "/messages", &ce).await;
    let token = csrf_field(&any);
    let r = post(
        &peer.base,
        &path,
        &ce,
        &[("csrf", &token), ("body", "let me in")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

both_backends!(
    message_pages,
    messages_between_instances,
    case_message_reaches_a_peerdesk_customer
);
