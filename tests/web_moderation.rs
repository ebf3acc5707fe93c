//! The moderator console over plain HTTP: who may see the report queue and send its
//! form (403 for everyone else), folded reports, resolving with removal and ban in one
//! step through the form, the resolved tab's search, and the public moderation logs.

mod common;
use common::forms::{client, csrf_field};

use common::{Backend, Peer};
use reqwest::header::{ACCEPT, ACCEPT_LANGUAGE};
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn page(peer: &Peer, path: &str, cookie: &str) -> (StatusCode, String) {
    let resp = client()
        .get(peer.url(path))
        .header(ACCEPT, "text/html")
        .header(ACCEPT_LANGUAGE, "en")
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    let s = resp.status();
    (s, resp.text().await.unwrap())
}

async fn post_form(
    peer: &Peer,
    path: &str,
    cookie: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    client()
        .post(peer.url(path))
        .header(ACCEPT, "text/html")
        .header("cookie", cookie)
        .header("origin", &peer.base)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(
            url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(form)
                .finish(),
        )
        .send()
        .await
        .unwrap()
}

async fn console_roles_and_resolving(backend: Backend) {
    let peer = Peer::start(backend).await;
    let help = peer.group("help").await;
    let other = peer.group("other").await;
    let (admin, _) = peer.user("admin", true).await;
    let (moda, moda_actor) = peer.user("moda", false).await;
    let (modb, modb_actor) = peer.user("modb", false).await;
    let (alice, _) = peer.user("alice", false).await;
    let (bob, bob_actor) = peer.user("bob", false).await;
    let (carol, _) = peer.user("carol", false).await;
    let (hid, oid, ma, mb) = (help.id, other.id, moda_actor.id, modb_actor.id);
    peer.query(move |c| {
        peerdesk::db::queries::groups::add_moderator(c, hid, ma)?;
        peerdesk::db::queries::groups::add_moderator(c, oid, mb)
    })
    .await;

    let (s, q) = peer
        .api(
            Method::POST,
            Some(&alice),
            "/questions",
            Some(json!({
                "group": "help", "title": "Printer jams", "body": "Every page."
            })),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let qid = q["id"].as_str().unwrap().to_string();
    let (s, a) = peer
        .api(
            Method::POST,
            Some(&bob),
            &format!("/questions/{qid}/answers"),
            Some(json!({"body": "Buy miracle paper at spam.example"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let aid = a["id"].as_str().unwrap().to_string();
    for (who, reason) in [(&carol, "spam link"), (&alice, "advertising")] {
        let (s, v) = peer
            .api(
                Method::POST,
                Some(who),
                "/reports",
                Some(json!({"post_id": aid, "reason": reason})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }

    // Who sees the queue: the group's moderators and the admin; everyone else gets 403.
    let queue = "/g/help/mod/reports";
    let cookie = |t: &str| format!("pd_session={t}");
    for (who, status) in [
        ("", StatusCode::FORBIDDEN),
        (alice.as_str(), StatusCode::FORBIDDEN),
        (modb.as_str(), StatusCode::FORBIDDEN),
        (moda.as_str(), StatusCode::OK),
        (admin.as_str(), StatusCode::OK),
    ] {
        let c = if who.is_empty() {
            String::new()
        } else {
            cookie(who)
        };
        let (s, html) = page(&peer, queue, &c).await;
        assert_eq!(s, status, "queue for {who:?}");
        let (s, _) = page(&peer, &format!("{queue}?tab=resolved"), &c).await;
        assert_eq!(s, status, "resolved tab for {who:?}");
        if status == StatusCode::FORBIDDEN {
            assert!(html.contains("Not allowed"), "{html}");
        }
        // The group page's link to the console, for its moderators only.
        let (_, group_page) = page(&peer, "/g/help", &c).await;
        assert_eq!(
            group_page.contains("id=\"mod-link\""),
            status == StatusCode::OK,
            "{who:?}"
        );
    }
    let (_, group_page) = page(&peer, "/g/help", &cookie(&moda)).await;
    assert!(
        group_page.contains("Moderation (2 open reports)"),
        "{group_page}"
    );
    // The other group's moderator moderates there.
    let (s, _) = page(&peer, "/g/other/mod/reports", &cookie(&modb)).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = page(&peer, "/g/nope/mod/reports", &cookie(&admin)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // The two reports are one entry, with both reasons, the content and its author.
    let (_, html) = page(&peer, queue, &cookie(&moda)).await;
    assert!(html.contains("2 reports"), "{html}");
    assert!(
        html.contains("spam link") && html.contains("advertising"),
        "{html}"
    );
    assert!(html.contains("miracle paper"), "{html}");
    assert!(
        html.contains(&format!("Author: {}", bob_actor.handle())),
        "{html}"
    );
    let at = html.find("name=\"report\" value=\"").unwrap() + 21;
    let report = html[at..].split('"').next().unwrap().to_string();

    // The form refuses those without the role, even with a valid token of their own.
    let form = |csrf: &str| -> Vec<(&'static str, String)> {
        vec![
            ("csrf", csrf.to_string()),
            ("report", report.clone()),
            ("verdict", "resolved".into()),
            ("note", "spam, removed".into()),
            ("remove", "1".into()),
            ("ban", "1".into()),
            ("ban_hours", "48".into()),
        ]
    };
    let resolve = "/g/help/mod/reports/resolve";
    for who in [&alice, &modb] {
        let (_, any) = page(&peer, "/g/help", &cookie(who)).await;
        let f = form(&csrf_field(&any));
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let resp = post_form(&peer, resolve, &cookie(who), &f).await;
        assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    }
    let resp = post_form(&peer, resolve, "", &[("csrf", "x"), ("report", &report)]).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);

    // A bad ban length: the queue again, with the message and the note kept.
    let token = csrf_field(&html);
    let mut bad = form(&token);
    bad[6].1 = "soon".into();
    let f: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let resp = post_form(&peer, resolve, &cookie(&moda), &f).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = resp.text().await.unwrap();
    assert!(again.contains("role=\"alert\""), "{again}");
    assert!(again.contains(">spam, removed</textarea>"), "{again}");

    // Resolved with removal and a ban, in one step.
    let good = form(&token);
    let f: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let resp = post_form(&peer, resolve, &cookie(&moda), &f).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, v) = peer
        .api(
            Method::GET,
            Some(&moda),
            "/reports?group=help&all=true",
            None,
        )
        .await;
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r["status"] == "resolved"), "{v}");
    let pid: i64 = aid.parse().unwrap();
    let (removed, banned) = peer
        .query(move |c| {
            let p = peerdesk::db::queries::posts::by_id(c, pid)?.unwrap();
            Ok((
                p.removed,
                peerdesk::db::queries::groups::is_banned(c, hid, bob_actor.id)?,
            ))
        })
        .await;
    assert!(removed && banned);
    let (_, html) = page(&peer, queue, &cookie(&moda)).await;
    assert!(html.contains("id=\"no-reports\""), "{html}");

    // The resolved tab finds them by text.
    let (_, html) = page(
        &peer,
        "/g/help/mod/reports?tab=resolved&q=ADVERT",
        &cookie(&moda),
    )
    .await;
    assert!(
        html.contains("advertising") && !html.contains("spam link"),
        "{html}"
    );
    let (_, html) = page(
        &peer,
        "/g/help/mod/reports?tab=resolved&q=nothing",
        &cookie(&moda),
    )
    .await;
    assert!(html.contains("id=\"no-reports\""), "{html}");

    // The moderators page: the same roles; moda adds carol, then removes her.
    let mods = "/g/help/mod/moderators";
    for (who, status) in [
        ("", StatusCode::FORBIDDEN),
        (alice.as_str(), StatusCode::FORBIDDEN),
        (modb.as_str(), StatusCode::FORBIDDEN),
        (moda.as_str(), StatusCode::OK),
        (admin.as_str(), StatusCode::OK),
    ] {
        let c = if who.is_empty() {
            String::new()
        } else {
            cookie(who)
        };
        let (s, _) = page(&peer, mods, &c).await;
        assert_eq!(s, status, "moderators page for {who:?}");
    }
    let (_, any) = page(&peer, "/g/help", &cookie(&alice)).await;
    let f = [
        ("csrf", csrf_field(&any)),
        ("op", "add".into()),
        ("handle", "alice".into()),
    ];
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let resp = post_form(&peer, mods, &cookie(&alice), &f).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let (_, html) = page(&peer, mods, &cookie(&moda)).await;
    let t = csrf_field(&html);
    let resp = post_form(
        &peer,
        mods,
        &cookie(&moda),
        &[("csrf", &t), ("op", "add"), ("handle", "nobody")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("value=\"nobody\"") && html.contains("role=\"alert\""),
        "{html}"
    );
    let resp = post_form(
        &peer,
        mods,
        &cookie(&moda),
        &[("csrf", &t), ("op", "add"), ("handle", "carol")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (s, _) = page(&peer, queue, &cookie(&carol)).await;
    assert_eq!(s, StatusCode::OK, "carol moderates now");
    let resp = post_form(
        &peer,
        mods,
        &cookie(&moda),
        &[("csrf", &t), ("op", "remove"), ("handle", "carol")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (s, _) = page(&peer, queue, &cookie(&carol)).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "carol no longer moderates");

    // Banning from a profile: the forms of the groups the viewer moderates.
    let (_, prof) = page(&peer, "/u/alice", &cookie(&moda)).await;
    assert!(
        prof.contains("action=\"/u/alice/ban\"") && prof.contains("id=\"ban-help\""),
        "{prof}"
    );
    let (_, prof) = page(&peer, "/u/alice", &cookie(&modb)).await;
    assert!(prof.contains("id=\"ban-other\"") && !prof.contains("id=\"ban-help\""));
    let (_, own) = page(&peer, "/u/alice", &cookie(&alice)).await;
    assert!(!own.contains("/u/alice/ban"));
    let t_b = csrf_field(&prof);
    let resp = post_form(
        &peer,
        "/u/alice/ban",
        &cookie(&modb),
        &[("csrf", &t_b), ("group", "help"), ("op", "ban")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let resp = post_form(
        &peer,
        "/u/alice/ban",
        "",
        &[("csrf", "x"), ("group", "help"), ("op", "ban")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let alice_id = peer
        .query(|c| {
            Ok(peerdesk::db::queries::actors::local_by_name(c, "alice")?
                .unwrap()
                .id)
        })
        .await;
    for (op, banned) in [("ban", true), ("unban", false)] {
        let resp = post_form(
            &peer,
            "/u/alice/ban",
            &cookie(&moda),
            &[
                ("csrf", &t),
                ("group", "help"),
                ("op", op),
                ("ban_hours", "24"),
                ("reason", "cool down"),
            ],
        )
        .await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{op}");
        let now = peer
            .query(move |c| peerdesk::db::queries::groups::is_banned(c, hid, alice_id))
            .await;
        assert_eq!(now, banned, "{op}");
    }

    // A post's moderation page: the same roles.
    let moderate = format!("/p/{qid}/moderate");
    for (who, status) in [
        ("", StatusCode::FORBIDDEN),
        (alice.as_str(), StatusCode::FORBIDDEN),
        (modb.as_str(), StatusCode::FORBIDDEN),
        (moda.as_str(), StatusCode::OK),
        (admin.as_str(), StatusCode::OK),
    ] {
        let c = if who.is_empty() {
            String::new()
        } else {
            cookie(who)
        };
        let (s, _) = page(&peer, &moderate, &c).await;
        assert_eq!(s, status, "moderation page for {who:?}");
    }
    let (_, any) = page(&peer, "/g/help", &cookie(&modb)).await;
    let resp = post_form(
        &peer,
        &moderate,
        &cookie(&modb),
        &[("csrf", &csrf_field(&any)), ("action", "lock")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let (_, thread) = page(&peer, &format!("/q/{qid}"), &cookie(&moda)).await;
    assert!(thread.contains(&format!("href=\"{moderate}\"")), "{thread}");
    let (_, thread) = page(&peer, &format!("/q/{qid}"), &cookie(&alice)).await;
    assert!(!thread.contains(&moderate));
    let (_, form_page) = page(&peer, &moderate, &cookie(&moda)).await;
    let t = csrf_field(&form_page);
    let resp = post_form(
        &peer,
        &moderate,
        &cookie(&moda),
        &[("csrf", &t), ("action", "ban"), ("ban_hours", "x")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let resp = post_form(
        &peer,
        &moderate,
        &cookie(&moda),
        &[
            ("csrf", &t),
            ("action", "lock"),
            ("reason", "answered enough"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let q: i64 = qid.parse().unwrap();
    let locked = peer
        .query(move |c| Ok(peerdesk::db::queries::posts::by_id(c, q)?.unwrap().locked))
        .await;
    assert!(locked);

    // The public log shows the removal, the ban and the lock, filterable.
    let (s, html) = page(&peer, "/g/help/modlog", "").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("Removed") && html.contains("Banned"),
        "{html}"
    );
    assert!(
        html.contains("spam, removed") && html.contains("answered enough"),
        "{html}"
    );
    let (_, html) = page(&peer, "/g/help/modlog?action=ban", "").await;
    assert!(
        html.contains("<td>Banned</td>") && !html.contains("<td>Removed</td>"),
        "{html}"
    );
    let (_, html) = page(&peer, &format!("/g/help/modlog?moderator={mb}"), "").await;
    assert!(html.contains("id=\"log-empty\""), "{html}");
    let (s, _) = page(&peer, "/modlog", "").await;
    assert_eq!(s, StatusCode::OK);
    let de = client()
        .get(peer.url("/g/help/modlog"))
        .header(ACCEPT, "text/html")
        .header(ACCEPT_LANGUAGE, "de")
        .send()
        .await
        .unwrap();
    assert!(de.text().await.unwrap().contains("Moderationsprotokoll"));
}

/// A long queue is paged by what is reported (folds), oldest first, and every report is
/// reachable and can be resolved, not only the oldest few hundred.
async fn long_queues_are_paged_by_fold(backend: Backend) {
    // Many posts and reports from new accounts: the rate limits are tested elsewhere.
    let peer = Peer::start_custom(backend, |s| s.rate_limits = false).await;
    peer.group("help").await;
    let (admin, _) = peer.user("admin", true).await;
    let (bob, _) = peer.user("bob", false).await;
    let (carol, _) = peer.user("carol", false).await;
    let (dave, _) = peer.user("dave", false).await;
    let mut ids = Vec::new();
    for i in 0..25 {
        let (s, q) = peer
            .api(Method::POST, Some(&bob), "/questions", Some(json!({
                "group": "help", "title": format!("Spam number {i}"), "body": "Cheap ink at spam.example"
            })))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{q}");
        ids.push(q["id"].as_str().unwrap().to_string());
    }
    let report = |who: &String, id: &String, reason: &str| {
        let body = json!({"post_id": id, "reason": reason});
        let (peer, who) = (&peer, who.clone());
        async move {
            let (s, v) = peer
                .api(Method::POST, Some(&who), "/reports", Some(body))
                .await;
            assert_eq!(s, StatusCode::CREATED, "{v}");
        }
    };
    // A flood of old reports about the last question (more than any fixed cap) comes
    // first in the queue; it must not hide the folds after it.
    let (flooded, carol_id, group_id) = (
        ids[24].parse::<i64>().unwrap(),
        peer.query(|c| {
            Ok(peerdesk::db::queries::actors::local_by_name(c, "carol")?
                .unwrap()
                .id)
        })
        .await,
        peer.query(|c| {
            Ok(peerdesk::db::queries::actors::local_by_name(c, "help")?
                .unwrap()
                .id)
        })
        .await,
    );
    peer.query(move |c| {
        use diesel::prelude::*;
        let rows: Vec<peerdesk::db::models::Report> = (0..510)
            .map(|i| peerdesk::db::models::Report {
                id: peerdesk::db::ids::new_id(),
                ap_id: None,
                reporter_id: carol_id,
                reporter_domain: "flood.example".into(),
                group_id: Some(group_id),
                target_actor_id: None,
                post_id: Some(flooded),
                reason: format!("flood {i}"),
                status: "open".into(),
                resolution_note: None,
                resolved_by: None,
                resolved_at: None,
                created_at: 1 + i,
            })
            .collect();
        for chunk in rows.chunks(100) {
            peerdesk::with_conn!(c, c => diesel::insert_into(peerdesk::db::schema::reports::table)
                .values(chunk)
                .execute(c))?;
        }
        Ok(())
    })
    .await;
    for id in &ids[..24] {
        report(&carol, id, "spam").await;
    }
    // The oldest fold gets two more reports later: it stays first, with three reasons.
    report(&dave, &ids[0], "ink spam again").await;
    report(&admin, &ids[0], "still spam").await;
    // One of bob's posts was removed before: each entry shows his history.
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&admin),
            &format!("/posts/{}/remove", ids[3]),
            Some(json!({"reason": "ads"})),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let c = format!("pd_session={admin}");
    let (s, first) = page(&peer, "/g/help/mod/reports", &c).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        first.matches("<section class=\"report\"").count(),
        20,
        "{first}"
    );
    assert!(
        first.contains("510 reports") && first.contains("Spam number 24"),
        "the flood first"
    );
    assert!(
        first.contains("Spam number 0") && first.contains("3 reports"),
        "{first}"
    );
    assert!(first.contains("Spam number 18") && !first.contains("Spam number 19"));
    assert!(first.contains("page=2"), "a link to the next page");
    let (_, second) = page(&peer, "/g/help/mod/reports?page=2", &c).await;
    assert_eq!(
        second.matches("<section class=\"report\"").count(),
        5,
        "{second}"
    );
    assert!(second.contains("Spam number 19") && second.contains("Spam number 23"));
    // A report on the second page is resolved from it.
    let at = second.find("id=\"r").unwrap() + 5;
    let rid: String = second[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let csrf = csrf_field(&second);
    let resp = post_form(
        &peer,
        "/g/help/mod/reports/resolve",
        &c,
        &[
            ("csrf", &csrf),
            ("report", &rid),
            ("verdict", "dismissed"),
            ("note", "fine"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, second) = page(&peer, "/g/help/mod/reports?page=2", &c).await;
    assert_eq!(
        second.matches("<section class=\"report\"").count(),
        4,
        "{second}"
    );
}

both_backends!(console_roles_and_resolving, long_queues_are_paged_by_fold);
