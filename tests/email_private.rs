//! What is written to one person alone is e-mailed to them by default: a private message
//! and a case's messages and status changes reach a verified address at once (a real SMTP
//! server, maildev), with a link to the conversation or the case; a person who turned a
//! kind off gets it in the app only.

mod common;
use common::maildev::{link, token, MailDev};
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Sets and confirms `address` for the user of `token_`.
async fn verified(peer: &Peer, md: &MailDev, token_: &str, address: &str) {
    let body = json!({"email": address});
    let (s, v) = peer
        .api(Method::PUT, Some(token_), "/me/email", Some(body))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let mail = md.wait(address, "Confirm your email address", 1).await;
    let url = link(mail["text"].as_str().unwrap(), "/email/verify?t=");
    let body = json!({"token": token(&url)});
    let (s, v) = peer
        .api(Method::POST, None, "/email/verify", Some(body))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
}

async fn created(peer: &Peer, token_: &str, path: &str, body: Value) -> Value {
    let (s, v) = peer.api(Method::POST, Some(token_), path, Some(body)).await;
    assert_eq!(s, StatusCode::CREATED, "{path}: {v}");
    v
}

async fn private_messages_and_cases_are_emailed(backend: Backend) {
    let Some(md) = MailDev::start().await else {
        return;
    };
    let peer = Peer::start_custom(backend, |s| md.configure(s)).await;
    let (admin, _) = peer.user("root", true).await;
    let (carol, _) = peer.user("carol", false).await;
    let (bob, _) = peer.user("bob", false).await;
    let (dave, _) = peer.user("dave", false).await;
    peer.group("help").await;
    let org = peer
        .staffed_org(&admin, ("Acme", "acme.example"), "carol", "help")
        .await;
    verified(&peer, &md, &bob, "bob@mail.test").await;
    verified(&peer, &md, &dave, "dave@mail.test").await;
    // Dave turned private-message emails off.
    let body = json!({"email": {"direct_message": "off"}});
    let (s, v) = peer
        .api(
            Method::PUT,
            Some(&dave),
            "/notifications/preferences",
            Some(body),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, p) = peer
        .api(Method::GET, Some(&bob), "/notifications/preferences", None)
        .await;
    assert_eq!(p["email"]["direct_message"], "immediately", "{p}");
    assert_eq!(p["email"]["answer"], "off", "{p}");

    // A private message: bob is told by email, with the conversation's link.
    let sent = created(
        &peer,
        &carol,
        "/conversations",
        json!({"to": "bob", "body": "About your order: SECRET-CONTENT-123"}),
    )
    .await;
    let conversation = sent["conversation_id"].as_str().unwrap();
    let mail = md
        .wait("bob@mail.test", "sent you a private message", 1)
        .await;
    let text = mail["text"].as_str().unwrap();
    assert!(text.contains("@carol@"), "who wrote: {text}");
    assert!(
        text.contains(&format!("{}/messages/{conversation}", peer.base)),
        "link to the conversation: {text}"
    );
    assert!(
        !text.contains("SECRET-CONTENT-123"),
        "the message itself stays on the site: {text}"
    );

    // Dave gets the message in the app only.
    created(
        &peer,
        &carol,
        "/conversations",
        json!({"to": "dave", "body": "Hello Dave"}),
    )
    .await;
    let (_, n) = peer
        .api(Method::GET, Some(&dave), "/notifications", None)
        .await;
    assert!(n.to_string().contains("direct_message"), "{n}");

    // A case: bob opens it; carol's reply and her status change are e-mailed to him.
    let q = created(
        &peer,
        &bob,
        "/questions",
        json!({"group": "help", "title": "Printer warranty", "body": "Is my printer covered?"}),
    )
    .await;
    let case = created(
        &peer,
        &bob,
        "/cases",
        json!({"question_ids": [q["id"]], "organisation_id": org, "private_details": "serial 99"}),
    )
    .await;
    let number = case["number"].as_i64().unwrap();
    created(
        &peer,
        &carol,
        &format!("/cases/{number}/messages"),
        json!({"body": "Could you send a photo of the label?"}),
    )
    .await;
    let mail = md
        .wait("bob@mail.test", "New message in case “Printer warranty”", 1)
        .await;
    let text = mail["text"].as_str().unwrap();
    assert!(
        text.contains(&format!("{}/cases/{number}", peer.base)),
        "link to the case: {text}"
    );
    let (s, v) = peer
        .api(
            Method::PATCH,
            Some(&carol),
            &format!("/cases/{number}"),
            Some(json!({"status": "solved"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    md.wait("bob@mail.test", "The status of case “Printer warranty”", 1)
        .await;

    // Dave's message was notified in the app with no email, and by now (the mail worker
    // has sent what was queued after it) his inbox holds only his verification email.
    let states = peer
        .query(|c| {
            use diesel::prelude::*;
            use peerdesk::db::schema::{notifications as n, users as u};
            let id: i64 = peerdesk::with_conn!(c, c => u::table.filter(u::username.eq("dave")).select(u::id).first(c))?;
            Ok(peerdesk::with_conn!(c, c => n::table.filter(n::user_id.eq(id)).filter(n::kind.eq("direct_message")).select(n::email_state).load::<String>(c))?)
        })
        .await;
    assert_eq!(states, ["none"]);
    assert_eq!(md.to("dave@mail.test").await.len(), 1);
}

both_backends!(private_messages_and_cases_are_emailed);
