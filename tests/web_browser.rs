//! The web app in a real headless Chromium (Debian's `/usr/bin/chromium`, driven by the
//! Playwright scripts in `tests/browser/`), against real instances seeded through the
//! API. Without Chromium or `tests/browser/node_modules` the test is skipped, unless
//! `CI` is set: then it fails (see `common::browser`).

mod common;

use common::browser::{browser_available, run_script, shots_dir};
use common::{eventually, Backend, Peer};
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn accounts_in_the_browser(backend: Backend) {
    if !browser_available() {
        return;
    }
    let peer = Peer::start(backend).await;
    let base = peer.base.clone();
    tokio::task::spawn_blocking(move || {
        run_script("accounts.mjs", &[&base, "casey"], &shots_dir(backend))
    })
    .await
    .unwrap();
    // The account exists for the API too, with the new password.
    let (s, _) = peer
        .api(
            Method::POST,
            None,
            "/sessions",
            Some(json!({"username": "casey", "password": "second password 2"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
}

async fn reading_pages_in_the_browser(backend: Backend) {
    if !browser_available() {
        return;
    }
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    a.group("printers").await;
    let (alice, _) = a.user("alice", false).await;
    let (bob, _) = a.user("bob", false).await;
    let (rita, _) = b.user("rita", false).await;
    let group = format!("printers@{}", a.domain);
    b.follow_and_wait(&rita, &group).await;
    let title = "Printer shows error E42 after update";
    let (s, q) = a
        .api(Method::POST, Some(&alice), "/questions", Some(json!({
            "group": "printers", "title": title,
            "body": "After the firmware update my printer shows **E42**.", "tags": ["firmware", "e42"]
        })))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let qid = q["id"].as_str().unwrap().to_string();
    let q_ap = q["ap_id"].as_str().unwrap().to_string();
    for i in 0..3 {
        let (s, _) = a
            .api(Method::POST, Some(&bob), "/questions", Some(json!({
                "group": "printers", "title": format!("Scanner question {i}"), "body": "The scanner is slow.", "tags": ["scanner"]
            })))
            .await;
        assert_eq!(s, StatusCode::CREATED);
    }
    let answer = |token: &str, body: &str, parent: Option<&str>| {
        let body = json!({"body": body, "parent_id": parent});
        let (token, path) = (token.to_string(), format!("/questions/{qid}/answers"));
        let a = &a;
        async move {
            let (s, v) = a.api(Method::POST, Some(&token), &path, Some(body)).await;
            assert_eq!(s, StatusCode::CREATED, "{v}");
            v["id"].as_str().unwrap().to_string()
        }
    };
    let good = answer(&bob, "Install firmware 2.1: it fixes E42.", None).await;
    let gone = answer(&bob, "Try turning it off and on.", None).await;
    answer(&alice, "Thanks, that worked!", Some(&good)).await;
    let (s, _) = a
        .api(Method::DELETE, Some(&bob), &format!("/posts/{gone}"), None)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, v) = a
        .api(
            Method::PUT,
            Some(&alice),
            &format!("/questions/{qid}/accepted"),
            Some(json!({"answer_id": good})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // Rita answers from the other instance; it arrives by federation.
    let b_qid = b.wait_question_id(&group, &q_ap).await;
    let (s, v) = b
        .api(
            Method::POST,
            Some(&rita),
            &format!("/questions/{b_qid}/answers"),
            Some(json!({"body": "On my printer the E42 went away after a reset."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert!(
        eventually(15, || async {
            let (_, t) = a
                .api(Method::GET, None, &format!("/questions/{qid}"), None)
                .await;
            t["answers"].as_array().is_some_and(|l| {
                l.iter()
                    .any(|x| x["author"]["handle"] == format!("rita@{}", b.domain))
            })
        })
        .await,
        "the remote answer did not arrive"
    );
    let base = a.base.clone();
    let remote = format!("rita@{}", b.domain);
    tokio::task::spawn_blocking(move || {
        run_script(
            "pages.mjs",
            &[&base, "printers", title, "firmware", "alice", &remote],
            &shots_dir(backend),
        )
    })
    .await
    .unwrap();
}

both_backends!(accounts_in_the_browser, reading_pages_in_the_browser);

async fn asking_in_the_browser(backend: Backend) {
    if !browser_available() {
        return;
    }
    let peer = Peer::start(backend).await;
    peer.group("printers").await;
    let (_, _) = peer.user("alice", false).await;
    let (bob, _) = peer.user("bob", false).await;
    let (root, _) = peer.user("root", true).await;
    let solved = "Printer light blinking red";
    let (s, q) = peer
        .api(
            Method::POST,
            Some(&bob),
            "/questions",
            Some(json!({
                "group": "printers", "title": solved, "body": "The light blinks red."
            })),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let qid = q["id"].as_str().unwrap().to_string();
    let (s, a) = peer
        .api(
            Method::POST,
            Some(&root),
            &format!("/questions/{qid}/answers"),
            Some(json!({"body": "Replace the toner cartridge.\n\nThen restart the printer."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let (s, _) = peer
        .api(
            Method::PUT,
            Some(&bob),
            &format!("/questions/{qid}/accepted"),
            Some(json!({"answer_id": a["id"]})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let base = peer.base.clone();
    let answerer = bob.clone();
    tokio::task::spawn_blocking(move || {
        run_script(
            "ask.mjs",
            &[
                &base,
                "printers",
                "alice",
                "correct horse battery",
                solved,
                "Replace the toner cartridge. Then restart",
                &answerer,
            ],
            &shots_dir(backend),
        )
    })
    .await
    .unwrap();
    // One ask form opened a suggestion and posted anyway, the other did not post.
    let (s, d) = peer
        .api(Method::GET, Some(&root), "/admin/deflection", None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (
            d["opened"].as_i64(),
            d["opened_then_posted"].as_i64(),
            d["deflected"].as_i64(),
            d["posted"].as_i64()
        ),
        (Some(2), Some(1), Some(1), Some(1)),
        "{d}"
    );
}

both_backends!(asking_in_the_browser);

async fn thread_in_the_browser(backend: Backend) {
    if !browser_available() {
        return;
    }
    let peer = Peer::start(backend).await;
    peer.group("printers").await;
    let (alice, _) = peer.user("alice", false).await;
    for name in ["bob", "carol", "dave"] {
        peer.user(name, false).await;
    }
    let (s, q) = peer
        .api(
            Method::POST,
            Some(&alice),
            "/questions",
            Some(json!({
                "group": "printers", "title": "The printer says it is offline",
                "body": "Since this morning the printer says it is offline.", "tags": ["wifi"]
            })),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let qid = q["id"].as_str().unwrap().to_string();
    let base = peer.base.clone();
    let q2 = qid.clone();
    tokio::task::spawn_blocking(move || {
        let args: [&str; 7] = [
            &base,
            &q2,
            "alice",
            "bob",
            "carol",
            "dave",
            "correct horse battery",
        ];
        run_script("thread.mjs", &args, &shots_dir(backend))
    })
    .await
    .unwrap();
    // What the browser did is what the API sees.
    let (_, t) = peer
        .api(Method::GET, None, &format!("/questions/{qid}"), None)
        .await;
    assert_eq!(t["question"]["answer_count"], 2, "{t}");
    let accepted = t["question"]["accepted_answer_id"].as_str().unwrap();
    let answers = t["answers"].as_array().unwrap();
    let dave = answers.iter().find(|a| a["id"] == accepted).unwrap();
    assert_eq!(dave["author"]["name"], "dave");
    let bob = answers
        .iter()
        .find(|a| a["author"]["name"] == "bob")
        .unwrap();
    assert_eq!(bob["score"], 2, "carol's vote with script, dave's without");
    assert!(
        t["question"]["updated"].is_string(),
        "the question was edited"
    );
}

both_backends!(thread_in_the_browser);

async fn email_in_the_browser(backend: Backend) {
    if !browser_available() {
        return;
    }
    let Some(md) = common::maildev::MailDev::start().await else {
        return;
    };
    let peer = Peer::start_custom(backend, |s| md.configure(s)).await;
    let (_, zoe) = peer.user("zoe", false).await;
    let zoe = peer
        .query(move |c| peerdesk::db::queries::users::by_actor_id(c, zoe.id))
        .await
        .unwrap();
    let unsubscribe = peerdesk::domain::email::unsubscribe_token(
        peer.state(),
        zoe.id,
        Some(peerdesk::db::notification_kinds::Kind::Answer),
    );
    let (base, mail) = (
        peer.base.clone(),
        format!("http://127.0.0.1:{}", md.web_port),
    );
    tokio::task::spawn_blocking(move || {
        let args = [
            base.as_str(),
            "robin",
            "robin@mail.test",
            &mail,
            &unsubscribe,
        ];
        run_script("email.mjs", &args, &shots_dir(backend))
    })
    .await
    .unwrap();
    // The API sees the same: a verified address, the new password, zoe's choice off.
    let (s, v) = peer
        .api(
            Method::POST,
            None,
            "/sessions",
            Some(json!({"username": "robin", "password": "second password 2"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let token = v["token"].as_str().unwrap();
    let (_, e) = peer.api(Method::GET, Some(token), "/me/email", None).await;
    assert_eq!(
        e,
        json!({"email": "robin@mail.test", "verified": true, "mail_enabled": true})
    );
    let prefs = peer
        .query(move |c| peerdesk::db::queries::notifications::prefs(c, zoe.id))
        .await;
    assert_eq!(prefs.get("answer").map(String::as_str), Some("off"));
}

both_backends!(email_in_the_browser);

async fn follow_from_your_server_in_the_browser(backend: Backend) {
    if !browser_available() {
        return;
    }
    let peer = Peer::start(backend).await;
    let group = peer.group("printers").await;
    let base = peer.base.clone();
    tokio::task::spawn_blocking(move || {
        run_script(
            "follow.mjs",
            &[&base, "printers", &group.ap_id],
            &shots_dir(backend),
        )
    })
    .await
    .unwrap();
}

both_backends!(follow_from_your_server_in_the_browser);

async fn staff_console_in_the_browser(backend: Backend) {
    if !browser_available() {
        return;
    }
    let peer = Peer::start(backend).await;
    peer.group("acme").await;
    let (admin, _) = peer.user("root", true).await;
    let (alice, _) = peer.user("alice", false).await;
    let (bob, _) = peer.user("bob", false).await;
    peer.user("carol", false).await;
    let (s, org) = peer
        .api(
            Method::POST,
            Some(&admin),
            "/admin/organisations",
            Some(json!({"name": "Acme", "domain": peer.domain})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{org}");
    let org_id = org["id"].clone();
    let (s, _) = peer
        .api(
            Method::PUT,
            Some(&admin),
            "/admin/users/carol/organisation",
            Some(json!({"organisation_id": org_id})),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = peer
        .api(
            Method::PUT,
            Some(&admin),
            "/groups/acme/organisations",
            Some(json!({"organisation_ids": [org_id]})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let mut ids = Vec::new();
    for title in ["The router blinks red", "Wi-Fi drops every hour"] {
        let (s, q) = peer
            .api(
                Method::POST,
                Some(&alice),
                "/questions",
                Some(json!({"group": "acme", "title": title, "body": "Since Monday."})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{q}");
        ids.push(q["id"].as_str().unwrap().to_string());
    }
    let (s, a) = peer
        .api(
            Method::POST,
            Some(&bob),
            &format!("/questions/{}/answers", ids[1]),
            Some(json!({"body": "Switch the channel to 6."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let aid = a["id"].as_str().unwrap().to_string();
    let base = peer.base.clone();
    let (q1, q2, a2) = (ids[0].clone(), ids[1].clone(), aid.clone());
    tokio::task::spawn_blocking(move || {
        let args = [
            base.as_str(),
            &q1,
            &q2,
            &a2,
            "carol",
            "correct horse battery",
        ];
        run_script("staff.mjs", &args, &shots_dir(backend))
    })
    .await
    .unwrap();
    // What the browser did is what the API sees: Carol answered the claimed question,
    // and Bob earned the staff "helpful" weight.
    let (_, t) = peer
        .api(Method::GET, None, &format!("/questions/{}", ids[0]), None)
        .await;
    assert_eq!(t["answers"][0]["author"]["name"], "carol", "{t}");
    let (_, rep) = peer
        .api(Method::GET, None, "/users/bob/reputation", None)
        .await;
    assert!(
        rep["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "staff_approved"),
        "{rep}"
    );
}

both_backends!(staff_console_in_the_browser);

async fn moderating_in_the_browser(backend: Backend) {
    if !browser_available() {
        return;
    }
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    let printers = a.group("printers").await;
    let (alice, _) = a.user("alice", false).await;
    let (moda, moda_actor) = a.user("moda", false).await;
    let (gid, mid) = (printers.id, moda_actor.id);
    a.query(move |c| peerdesk::db::queries::groups::add_moderator(c, gid, mid))
        .await;
    let (rita, _) = b.user("rita", false).await;
    let (sam, _) = b.user("sam", false).await;
    let group = format!("printers@{}", a.domain);
    b.follow_and_wait(&rita, &group).await;
    let (s, q) = a
        .api(Method::POST, Some(&alice), "/questions", Some(json!({
            "group": "printers", "title": "Paper tray not detected", "body": "The tray light is off."
        })))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let qid = q["id"].as_str().unwrap().to_string();
    let b_qid = b
        .wait_question_id(&group, q["ap_id"].as_str().unwrap())
        .await;
    // Rita answers from B; Sam, on B too, reports the answer there: a Flag to A.
    let text = "Order the miracle tray fix at spam.example";
    let (s, ans) = b
        .api(
            Method::POST,
            Some(&rita),
            &format!("/questions/{b_qid}/answers"),
            Some(json!({"body": text})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ans}");
    let ap = ans["ap_id"].as_str().unwrap().to_string();
    assert!(
        eventually(15, || async {
            let (_, t) = a
                .api(Method::GET, None, &format!("/questions/{qid}"), None)
                .await;
            t["answers"]
                .as_array()
                .is_some_and(|l| l.iter().any(|x| x["ap_id"] == ap.as_str()))
        })
        .await,
        "the answer did not reach A"
    );
    let (s, v) = b
        .api(
            Method::POST,
            Some(&sam),
            "/reports",
            Some(json!({"post_id": ans["id"], "reason": "spam link"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert!(
        eventually(15, || async {
            let (_, q) = a
                .api(Method::GET, Some(&moda), "/reports?group=printers", None)
                .await;
            q.as_array()
                .is_some_and(|q| q.iter().any(|r| r["post_ap_id"] == ap.as_str()))
        })
        .await,
        "the report did not reach A's queue"
    );
    let base = a.base.clone();
    let q2 = qid.clone();
    tokio::task::spawn_blocking(move || {
        let args = [
            base.as_str(),
            "printers",
            &q2,
            "moda",
            "correct horse battery",
            text,
        ];
        run_script("moderation.mjs", &args, &shots_dir(backend))
    })
    .await
    .unwrap();
    // The removal made in the browser reaches B.
    assert!(
        eventually(15, || async {
            let (_, t) = b
                .api(Method::GET, None, &format!("/questions/{b_qid}"), None)
                .await;
            t["answers"].as_array().is_some_and(|l| {
                l.iter().any(|x| {
                    x["ap_id"] == ap.as_str() && x["deleted"] == true && x["content_html"] == ""
                })
            })
        })
        .await,
        "the removal did not reach B"
    );
}

both_backends!(moderating_in_the_browser);

/// Deliveries to `domain` queued on `peer`: (waiting, all).
async fn deliveries_to(peer: &Peer, domain: &str) -> (i64, i64) {
    let domain = domain.to_string();
    peer.query(move |c| {
        use diesel::prelude::*;
        use peerdesk::db::schema::deliveries as d;
        let all: Vec<String> = peerdesk::with_conn!(c, c => d::table
            .filter(d::domain.eq(&domain))
            .select(d::status)
            .load(c))?;
        let waiting = all.iter().filter(|s| *s == "pending").count() as i64;
        Ok((waiting, all.len() as i64))
    })
    .await
}

async fn admin_console_in_the_browser(backend: Backend) {
    if !browser_available() {
        return;
    }
    let a = Peer::start(backend).await;
    let mut b = Peer::start(backend).await;
    a.group("printers").await;
    a.user("ada", true).await;
    let (alice, _) = a.user("alice", false).await;
    let (rita, _) = b.user("rita", false).await;
    b.follow_and_wait(&rita, &format!("printers@{}", a.domain))
        .await;
    // The follower's instance goes down: what the group sends it waits, in back-off.
    b.kill().await;
    let ask = |title: &'static str| {
        let a = &a;
        let alice = alice.clone();
        async move {
            let (s, q) = a
                .api(Method::POST, Some(&alice), "/questions", Some(json!({
                    "group": "printers", "title": title, "body": "The tray is stuck.", "tags": ["tray"]
                })))
                .await;
            assert_eq!(s, StatusCode::CREATED, "{q}");
        }
    };
    ask("Paper tray stuck after the update").await;
    assert!(
        eventually(20, || async { deliveries_to(&a, &b.domain).await.0 > 0 }).await,
        "deliveries to the follower's instance wait"
    );

    let (base, remote) = (a.base.clone(), b.domain.clone());
    tokio::task::spawn_blocking(move || {
        let args = [base.as_str(), "ada", "correct horse battery", &remote];
        run_script("admin.mjs", &args, &shots_dir(backend))
    })
    .await
    .unwrap();

    // Blocked: nothing waits for it, and a new question queues nothing for it.
    let (waiting, all) = deliveries_to(&a, &b.domain).await;
    assert_eq!(waiting, 0);
    // The action commits its activities and their deliveries with the question.
    ask("Second question after the block").await;
    tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
    assert_eq!(
        deliveries_to(&a, &b.domain).await,
        (0, all),
        "no new delivery to the blocked instance"
    );
}

both_backends!(admin_console_in_the_browser);

async fn instance_settings_in_the_browser(backend: Backend) {
    if !browser_available() {
        return;
    }
    let a = Peer::start(backend).await;
    a.group("printers").await;
    a.user("ada", true).await;
    let base = a.base.clone();
    tokio::task::spawn_blocking(move || {
        let args = [base.as_str(), "ada", "correct horse battery"];
        run_script("instance.mjs", &args, &shots_dir(backend))
    })
    .await
    .unwrap();
    // The account registered with the invitation exists; the invitation is used up.
    let (s, v) = a.api(Method::GET, None, "/users/rita", None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let used: Vec<(i32, i32)> = a
        .query(|c| {
            use diesel::prelude::*;
            use peerdesk::db::schema::invitations as i;
            Ok(peerdesk::with_conn!(c, c => i::table.select((i::uses, i::max_uses)).load(c))?)
        })
        .await;
    assert_eq!(used, vec![(1, 1)]);
}

both_backends!(instance_settings_in_the_browser);
