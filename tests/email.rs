//! Email against a real SMTP server (maildev, started per test on free loopback ports):
//! address verification links (once, expiring), password reset end to end (no account
//! enumeration, old password and sessions revoked, limits), immediate notification
//! emails, daily digests (queued durably, sent after a restart) and unsubscribe links.

mod common;
use common::maildev::{link, token, MailDev};
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn start(backend: Backend) -> Option<(MailDev, Peer)> {
    let md = MailDev::start().await?;
    let peer = Peer::start_custom(backend, |s| md.configure(s)).await;
    Some((md, peer))
}

async fn call(
    peer: &Peer,
    method: Method,
    token: Option<&str>,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    peer.api(method, token, path, Some(body)).await
}

/// Sets `address` for the user of `token` and opens the link of the verification email.
async fn verified(peer: &Peer, md: &MailDev, token_: &str, address: &str) {
    let (s, v) = call(
        peer,
        Method::PUT,
        Some(token_),
        "/me/email",
        json!({"email": address}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["verified"], false);
    let mail = md.wait(address, "Confirm your email address", 1).await;
    let url = link(mail["text"].as_str().unwrap(), "/email/verify?t=");
    assert!(url.starts_with(&peer.base), "{url}");
    let (s, v) = call(
        peer,
        Method::POST,
        None,
        "/email/verify",
        json!({"token": token(&url)}),
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
}

async fn email_state(peer: &Peer, token_: &str) -> Value {
    let (s, v) = peer.api(Method::GET, Some(token_), "/me/email", None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

async fn verification_link_works_once_and_expires(backend: Backend) {
    let Some((md, peer)) = start(backend).await else {
        return;
    };
    let (alice, _) = peer.user("alice", false).await;
    let (s, v) = call(
        &peer,
        Method::PUT,
        Some(&alice),
        "/me/email",
        json!({"email": "not an address"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");

    let (s, _) = call(
        &peer,
        Method::PUT,
        Some(&alice),
        "/me/email",
        json!({"email": "alice@mail.test"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let mail = md
        .wait("alice@mail.test", "Confirm your email address", 1)
        .await;
    assert!(
        mail["subject"].as_str().unwrap().contains("Peerdesk"),
        "instance name: {mail}"
    );
    assert!(
        mail["html"].as_str().unwrap().contains("/email/verify?t="),
        "HTML body: {mail}"
    );
    let url = link(mail["text"].as_str().unwrap(), "/email/verify?t=");
    let t = token(&url);
    // Only a hash of the token is stored.
    let stored: Vec<String> = peer
        .query(|c| {
            use diesel::prelude::*;
            use peerdesk::db::queries::email::email_tokens as et;
            Ok(peerdesk::with_conn!(c, c => et::table.select(et::hash).load::<String>(c))?)
        })
        .await;
    assert_eq!(stored.len(), 1);
    assert!(!stored.contains(&t));
    assert_eq!(email_state(&peer, &alice).await["verified"], false);

    // The link, opened in a browser: verified once; the second time it fails.
    let page = peer
        .http
        .get(&url)
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(email_state(&peer, &alice).await["verified"], true);
    let (s, _) = call(
        &peer,
        Method::POST,
        None,
        "/email/verify",
        json!({"token": t}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "a link works once");
    let again = peer.http.get(&url).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);

    // A new address is unverified until its own link is opened; an expired link fails.
    let (s, v) = call(
        &peer,
        Method::PUT,
        Some(&alice),
        "/me/email",
        json!({"email": "alice@other.test"}),
    )
    .await;
    assert_eq!((s, v["verified"].clone()), (StatusCode::OK, json!(false)));
    let mail = md
        .wait("alice@other.test", "Confirm your email address", 1)
        .await;
    let t2 = token(&link(mail["text"].as_str().unwrap(), "/email/verify?t="));
    peer.query(|c| {
        use diesel::prelude::*;
        use peerdesk::db::queries::email::email_tokens as et;
        let past = peerdesk::db::now_ms() - 1;
        peerdesk::with_conn!(c, c => diesel::update(et::table).set(et::expires_at.eq(past)).execute(c))?;
        Ok(())
    })
    .await;
    let (s, _) = call(
        &peer,
        Method::POST,
        None,
        "/email/verify",
        json!({"token": t2}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "an expired link fails");
    assert_eq!(email_state(&peer, &alice).await["verified"], false);

    // Another account cannot take a verified address.
    let (s, _) = call(
        &peer,
        Method::PUT,
        Some(&alice),
        "/me/email",
        json!({"email": "alice@mail.test"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let mail = md
        .wait("alice@mail.test", "Confirm your email address", 2)
        .await;
    let t3 = token(&link(mail["text"].as_str().unwrap(), "/email/verify?t="));
    let (s, _) = call(
        &peer,
        Method::POST,
        None,
        "/email/verify",
        json!({"token": t3}),
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (bob, _) = peer.user("bob", false).await;
    let (s, _) = call(
        &peer,
        Method::PUT,
        Some(&bob),
        "/me/email",
        json!({"email": "ALICE@mail.test"}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
}

async fn password_reset_end_to_end(backend: Backend) {
    let Some((md, peer)) = start(backend).await else {
        return;
    };
    let (carol, _) = peer.user("carol", false).await;
    verified(&peer, &md, &carol, "carol@mail.test").await;
    let (s, other) = call(
        &peer,
        Method::POST,
        None,
        "/sessions",
        json!({"username": "carol", "password": "correct horse battery"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let other = other["token"].as_str().unwrap().to_string();

    // The same answer for an account, an unknown name and an unknown address.
    let mut answers = Vec::new();
    for who in ["carol", "nobody-here", "nobody@mail.test"] {
        let resp = peer
            .http
            .post(peer.url("/api/v1/password/forgot"))
            .json(&json!({"username_or_email": who}))
            .send()
            .await
            .unwrap();
        answers.push((resp.status(), resp.text().await.unwrap()));
    }
    assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
    assert_eq!(answers[0].0, StatusCode::ACCEPTED);
    let mail = md.wait("carol@mail.test", "Choose a new password", 1).await;
    // Only the real account got an email (checked again below, once all are handled).
    assert_eq!(reset_addresses(&peer).await, ["carol@mail.test"]);
    let url = link(mail["text"].as_str().unwrap(), "/password/reset?t=");
    let t = token(&url);
    // The form is shown; a short password is refused and the link still works.
    let form = peer.http.get(&url).send().await.unwrap();
    assert_eq!(form.status(), StatusCode::OK);
    let (s, _) = call(
        &peer,
        Method::POST,
        None,
        "/password/reset",
        json!({"token": t, "password": "short"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, v) = call(
        &peer,
        Method::POST,
        None,
        "/password/reset",
        json!({"token": t, "password": "a brand new password"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let fresh = v["token"].as_str().unwrap().to_string();
    assert_eq!(v["user"]["name"], "carol");

    // Once only; every old session ended; the old password fails, the new one works.
    let (s, _) = call(
        &peer,
        Method::POST,
        None,
        "/password/reset",
        json!({"token": t, "password": "another new password"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    for old in [&carol, &other] {
        let (s, _) = peer.api(Method::GET, Some(old), "/me", None).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    let (s, _) = peer.api(Method::GET, Some(&fresh), "/me", None).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = call(
        &peer,
        Method::POST,
        None,
        "/sessions",
        json!({"username": "carol", "password": "correct horse battery"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = call(
        &peer,
        Method::POST,
        None,
        "/sessions",
        json!({"username": "carol", "password": "a brand new password"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);

    // Limits: three requests per name an hour, for unknown names alike, with Retry-After.
    for who in ["carol", "nobody-here"] {
        let mut last = None;
        for _ in 0..3 {
            let resp = peer
                .http
                .post(peer.url("/api/v1/password/forgot"))
                .json(&json!({"username_or_email": who}))
                .send()
                .await
                .unwrap();
            last = Some(resp);
        }
        let last = last.unwrap();
        assert_eq!(last.status(), StatusCode::TOO_MANY_REQUESTS, "{who}");
        let retry: u64 = last.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(retry > 0 && retry <= 3600);
    }
    // Three reset emails in all, every one to carol (none for the unknown name).
    assert!(eventually(15, || async { reset_addresses(&peer).await.len() >= 3 }).await);
    let resets = reset_addresses(&peer).await;
    assert!(
        resets.len() == 3 && resets.iter().all(|a| a == "carol@mail.test"),
        "{resets:?}"
    );
}

async fn reset_addresses(peer: &Peer) -> Vec<String> {
    peer.query(|c| {
        use diesel::prelude::*;
        use peerdesk::db::queries::email::mail_outbox as mo;
        Ok(peerdesk::with_conn!(c, c => mo::table.filter(mo::kind.eq("reset")).select(mo::to_address).load::<String>(c))?)
    })
    .await
}

/// Question by `asker` in `printers`, answered by `answerer`; returns (question, answer).
async fn ask_and_answer(peer: &Peer, asker: &str, answerer: &str, title: &str) -> (String, String) {
    let (s, q) = call(
        peer,
        Method::POST,
        Some(asker),
        "/questions",
        json!({
            "group": "printers", "title": title, "body": "It shows E42.", "tags": []
        }),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let qid = q["id"].as_str().unwrap().to_string();
    let a = answer(peer, answerer, &qid, "Update the firmware.").await;
    (qid, a)
}

async fn answer(peer: &Peer, answerer: &str, qid: &str, body: &str) -> String {
    let (s, a) = call(
        peer,
        Method::POST,
        Some(answerer),
        &format!("/questions/{qid}/answers"),
        json!({"body": body}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    a["id"].as_str().unwrap().to_string()
}

async fn prefs(peer: &Peer, token_: &str, body: Value) {
    let (s, v) = call(
        peer,
        Method::PUT,
        Some(token_),
        "/notifications/preferences",
        json!({"email": body}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

/// The email states of a user's notifications of a kind.
async fn email_states(peer: &Peer, user: &str, kind: &str) -> Vec<String> {
    let (user, kind) = (user.to_string(), kind.to_string());
    peer.query(move |c| {
        use diesel::prelude::*;
        use peerdesk::db::schema::{notifications as n, users as u};
        let id: i64 = peerdesk::with_conn!(c, c => u::table.filter(u::username.eq(&user)).select(u::id).first(c))?;
        Ok(peerdesk::with_conn!(c, c => n::table.filter(n::user_id.eq(id)).filter(n::kind.eq(&kind)).order(n::id.asc()).select(n::email_state).load::<String>(c))?)
    })
    .await
}

async fn immediate_notification_email_and_unsubscribe(backend: Backend) {
    let Some((md, peer)) = start(backend).await else {
        return;
    };
    peer.group("printers").await;
    let (alice, _) = peer.user("alice", false).await;
    let (bob, _) = peer.user("bob", false).await;
    let (dave, _) = peer.user("dave", false).await;
    verified(&peer, &md, &alice, "alice@mail.test").await;
    prefs(&peer, &alice, json!({"answer": "immediately"})).await;
    // Dave chose email too but never confirmed his address: he gets none.
    let (s, _) = call(
        &peer,
        Method::PUT,
        Some(&dave),
        "/me/email",
        json!({"email": "dave@mail.test"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    prefs(&peer, &dave, json!({"answer": "immediately"})).await;

    let title = "Printer shows E42 after the update";
    let (qid, aid) = ask_and_answer(&peer, &alice, &bob, title).await;
    let mail = md.wait("alice@mail.test", title, 1).await;
    let text = mail["text"].as_str().unwrap();
    assert!(text.contains("New answer to your question"), "{text}");
    assert!(text.contains("@bob@"), "who answered: {text}");
    assert!(
        text.contains(&format!("{}/q/{qid}#p{aid}", peer.base)),
        "link to the answer: {text}"
    );
    let source = md.source(&mail).await;
    assert!(source.contains("List-Unsubscribe: <"), "{source}");
    assert!(
        source.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
        "{source}"
    );

    let (_, _) = ask_and_answer(&peer, &dave, &bob, "Scanner is slow").await;
    assert!(
        eventually(15, || async {
            email_states(&peer, "dave", "answer").await == ["none"]
        })
        .await,
        "an unverified address gets no notification email"
    );

    // One click (RFC 8058): the mail client posts to the List-Unsubscribe URL.
    let unsubscribe = link(text, "/email/unsubscribe?t=");
    let resp = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(&unsubscribe)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, p) = peer
        .api(
            Method::GET,
            Some(&alice),
            "/notifications/preferences",
            None,
        )
        .await;
    assert_eq!(p["email"]["answer"], "off");
    // A forged token does nothing.
    let forged = unsubscribe.replace(".answer.", ".comment.");
    let resp = peer
        .http
        .post(&forged)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);

    answer(&peer, &bob, &qid, "Or reset the printer.").await;
    assert!(
        eventually(15, || async {
            email_states(&peer, "alice", "answer").await.len() == 2
        })
        .await,
        "the second answer is notified in-app"
    );
    assert_eq!(
        email_states(&peer, "alice", "answer").await,
        ["sent", "none"]
    );
    let count = md.to("alice@mail.test").await.len();
    assert_eq!(
        count, 2,
        "the verification email and one notification email"
    );
}

async fn digest_has_the_days_notifications(backend: Backend) {
    let Some(md) = MailDev::start().await else {
        return;
    };
    let mut peer = Peer::start_custom(backend, |s| md.configure(s)).await;
    peer.group("printers").await;
    let (alice, _) = peer.user("alice", false).await;
    let (bob, _) = peer.user("bob", false).await;
    verified(&peer, &md, &alice, "alice@mail.test").await;
    prefs(
        &peer,
        &alice,
        json!({"answer": "digest", "comment": "digest"}),
    )
    .await;
    let (q1, a1) = ask_and_answer(&peer, &alice, &bob, "Printer shows E42").await;
    let (q2, a2) = ask_and_answer(&peer, &alice, &bob, "Scanner jams").await;
    assert!(
        eventually(15, || async {
            email_states(&peer, "alice", "answer").await == ["digest", "digest"]
        })
        .await,
        "both answers wait for the digest"
    );
    // The digest is due once its oldest notification is a digest period old: a day by
    // default; after a restart with a short period it goes out, both answers in one email.
    let port = md.smtp_port;
    peer.restart_custom(|s| {
        md.configure(s);
        s.mail_digest_secs = 1;
    })
    .await;
    let mail = md.wait("alice@mail.test", "Your daily summary", 1).await;
    let text = mail["text"].as_str().unwrap();
    assert!(text.contains("2 notifications"), "{text}");
    for (q, a) in [(&q1, &a1), (&q2, &a2)] {
        assert!(text.contains(&format!("/q/{q}#p{a}")), "{text}");
    }
    assert!(
        text.contains("Printer shows E42") && text.contains("Scanner jams"),
        "{text}"
    );
    assert_eq!(
        email_states(&peer, "alice", "answer").await,
        ["sent", "sent"]
    );
    assert_eq!(port, md.smtp_port);
    // The digest's unsubscribe link turns off every kind.
    let resp = peer
        .http
        .post(link(text, "/email/unsubscribe?t="))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.status());
    let (_, p) = peer
        .api(
            Method::GET,
            Some(&alice),
            "/notifications/preferences",
            None,
        )
        .await;
    assert!(
        p["email"].as_object().unwrap().values().all(|v| v == "off"),
        "{p}"
    );
    assert_eq!(
        md.to("alice@mail.test").await.len(),
        2,
        "verification and one digest"
    );
}

async fn mail_waits_for_a_down_server_across_a_restart(backend: Backend) {
    let Some(md) = MailDev::start().await else {
        return;
    };
    // Nothing listens on this port: every attempt fails and is retried.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let down = move |s: &mut peerdesk::config::Settings| {
        md_settings(s, closed);
        s.mail_retry_base_ms = 100;
    };
    let mut peer = Peer::start_custom(backend, down).await;
    let (erin, _) = peer.user("erin", false).await;
    let (s, _) = call(
        &peer,
        Method::PUT,
        Some(&erin),
        "/me/email",
        json!({"email": "erin@mail.test"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        eventually(15, || async {
            let rows = outbox(&peer).await;
            rows.len() == 1 && rows[0].0 == "pending" && rows[0].1 >= 2
        })
        .await,
        "failed attempts are retried: {:?}",
        outbox(&peer).await
    );
    let rows = outbox(&peer).await;
    assert!(
        rows[0].2.as_deref().is_some_and(|e| e.starts_with("smtp")),
        "{rows:?}"
    );
    // After a restart with a working server, the queued email goes out, once.
    peer.restart_custom(|s| md.configure(s)).await;
    let mail = md
        .wait("erin@mail.test", "Confirm your email address", 1)
        .await;
    let t = token(&link(mail["text"].as_str().unwrap(), "/email/verify?t="));
    let (s, _) = call(
        &peer,
        Method::POST,
        None,
        "/email/verify",
        json!({"token": t}),
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert!(
        eventually(15, || async { outbox(&peer).await[0].0 == "sent" }).await,
        "{:?}",
        outbox(&peer).await
    );
    assert_eq!(md.to("erin@mail.test").await.len(), 1);
}

/// (state, attempts, last error) of every outbox email.
async fn outbox(peer: &Peer) -> Vec<(String, i64, Option<String>)> {
    peer.query(|c| {
        use diesel::prelude::*;
        use peerdesk::db::queries::email::mail_outbox as mo;
        Ok(peerdesk::with_conn!(c, c => mo::table
            .select((mo::state, mo::attempts, mo::last_error))
            .load::<(String, i64, Option<String>)>(c))?)
    })
    .await
}

/// A client that keeps redirects as answers.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A form page's pre-session cookie and CSRF token.
async fn form_page(url: &str) -> (String, String) {
    let resp = browser().get(url).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "{url}");
    let cookie = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("pd_anon="))
        .and_then(|v| v.split(';').next())
        .expect("pre-session cookie")
        .to_string();
    let html = resp.text().await.unwrap();
    let field = "name=\"csrf\" value=\"";
    let at = html.find(field).expect("csrf field") + field.len();
    let token = html[at..].split('"').next().unwrap().to_string();
    (cookie, token)
}

async fn post_form(url: &str, cookie: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let body = fields
        .iter()
        .map(|(k, v)| {
            format!(
                "{k}={}",
                url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()
            )
        })
        .collect::<Vec<_>>()
        .join("&");
    browser()
        .post(url)
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn email_forms_are_protected_and_limited(backend: Backend) {
    let Some((_md, peer)) = start(backend).await else {
        return;
    };
    let (alice, _) = peer.user("alice", false).await;
    let forgot = peer.url("/password/forgot");
    // Without the form's token (or its cookie), nothing happens.
    let session = format!("pd_session={alice}");
    for (url, cookie, fields) in [
        (forgot.clone(), String::new(), vec![("who", "alice")]),
        (
            peer.url("/password/reset"),
            String::new(),
            vec![("token", "x"), ("password", "long enough pw")],
        ),
        (
            peer.url("/settings/email"),
            session.clone(),
            vec![("email", "a@mail.test"), ("csrf", "wrong")],
        ),
    ] {
        let resp = post_form(&url, &cookie, &fields).await;
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{url}");
    }
    assert_eq!(email_state(&peer, &alice).await["email"], Value::Null);

    // The same answer for an account and an unknown name; then 429 with Retry-After.
    let (cookie, csrf) = form_page(&forgot).await;
    let mut locations = Vec::new();
    for who in ["alice", "nobody-here"] {
        let resp = post_form(&forgot, &cookie, &[("who", who), ("csrf", &csrf)]).await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        locations.push(resp.headers()["location"].clone());
    }
    assert_eq!(locations[0], locations[1]);
    assert_eq!(locations[0], "/password/forgot?done=1");
    let mut last = None;
    for _ in 0..3 {
        last = Some(post_form(&forgot, &cookie, &[("who", "nobody-here"), ("csrf", &csrf)]).await);
    }
    let last = last.unwrap();
    assert_eq!(last.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(last.headers().contains_key("retry-after"));
    let html = last.text().await.unwrap();
    assert!(
        html.contains("value=\"nobody-here\""),
        "the form comes back filled"
    );

    // A bad link shows a readable page, not the form.
    let resp = browser()
        .get(peer.url("/password/reset?t=nonsense"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(resp.text().await.unwrap().contains("Ask for a new link"));
}

fn md_settings(s: &mut peerdesk::config::Settings, port: u16) {
    s.smtp_host = Some("127.0.0.1".into());
    s.smtp_port = Some(port);
    s.smtp_tls = "none".into();
    s.mail_from = Some("Peerdesk <noreply@peerdesk.test>".into());
    s.mail_interval_ms = 100;
}

both_backends!(
    email_forms_are_protected_and_limited,
    mail_waits_for_a_down_server_across_a_restart,
    verification_link_works_once_and_expires,
    password_reset_end_to_end,
    immediate_notification_email_and_unsubscribe,
    digest_has_the_days_notifications,
);
