//! Emails in the language the recipient chose in their settings, received by a real SMTP
//! server (maildev): verification, notification and password reset emails.

mod common;
use common::maildev::{link, token, MailDev};
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

/// Chooses the pages' (and emails') language of the user of `actor_id`, as the settings
/// page does.
async fn choose_language(peer: &Peer, actor_id: i64, language: Option<&'static str>) {
    peer.query(move |c| {
        let user = peerdesk::db::queries::users::by_actor_id(c, actor_id)?.unwrap();
        peerdesk::db::queries::user_settings::set_language(c, user.id, language)
    })
    .await;
}

async fn emails_in_the_chosen_language(backend: Backend) {
    let Some(md) = MailDev::start().await else {
        return;
    };
    let peer = Peer::start_custom(backend, |s| md.configure(s)).await;
    peer.group("printers").await;
    let (alice, alice_actor) = peer.user("alice", false).await;
    let (bob, _) = peer.user("bob", false).await;

    // Alice reads the pages in German; she sets her address from an English client.
    choose_language(&peer, alice_actor.id, Some("de")).await;
    let (s, v) = peer
        .api(
            Method::PUT,
            Some(&alice),
            "/me/email",
            Some(json!({"email": "alice@mail.test"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let mail = md
        .wait("alice@mail.test", "Bestätigen Sie Ihre E-Mail-Adresse", 1)
        .await;
    let url = link(mail["text"].as_str().unwrap(), "/email/verify?t=");
    let (s, v) = peer
        .api(
            Method::POST,
            None,
            "/email/verify",
            Some(json!({"token": token(&url)})),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (s, v) = peer
        .api(
            Method::PUT,
            Some(&alice),
            "/notifications/preferences",
            Some(json!({"email": {"answer": "immediately"}})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");

    // Bob's answer to her question: the notification email is in German.
    let title = "Drucker zeigt E42";
    let (s, q) = peer
        .api(
            Method::POST,
            Some(&alice),
            "/questions",
            Some(json!({"group": "printers", "title": title, "body": "Seit dem Update."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let (s, a) = peer
        .api(
            Method::POST,
            Some(&bob),
            &format!("/questions/{}/answers", q["id"].as_str().unwrap()),
            Some(json!({"body": "Firmware 2.1 installieren."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let mail = md.wait("alice@mail.test", title, 1).await;
    let text = mail["text"].as_str().unwrap();
    assert!(
        text.contains(&format!("Neue Antwort auf Ihre Frage „{title}“")),
        "{text}"
    );
    assert!(mail["html"].as_str().unwrap().contains("lang=\"de\""));

    // She switches to English: the reset link comes in English.
    choose_language(&peer, alice_actor.id, Some("en")).await;
    let (s, v) = peer
        .api(
            Method::POST,
            None,
            "/password/forgot",
            Some(json!({"username_or_email": "alice"})),
        )
        .await;
    assert!(s.is_success(), "{s} {v}");
    let mail = md.wait("alice@mail.test", "Choose a new password", 1).await;
    assert!(mail["html"].as_str().unwrap().contains("lang=\"en\""));
}

both_backends!(emails_in_the_chosen_language);
