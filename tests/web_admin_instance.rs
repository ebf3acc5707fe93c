//! The admin console's Instance page and its API: refused (403) to everyone but admins;
//! the settings take effect at once (home page, NodeInfo, sign-up, group creation,
//! federation mode) and go back to the configuration; bad input comes back with a message
//! and the form kept; invitations register accounts while registrations are by
//! invitation, each use counted once (also when registrations race), and stop working
//! when revoked, used up or expired; a group is handed over and the change federates.

mod common;
use common::forms::{anon_page, csrf_field, page, post_form};
use common::{eventually, Backend, Peer};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn cookie(token: &str) -> String {
    format!("pd_session={token}")
}

async fn instance_page_is_for_admins(backend: Backend) {
    let peer = Peer::start(backend).await;
    peer.group("help").await;
    let (ada, _) = peer.user("ada", true).await;
    let (uma, _) = peer.user("uma", false).await;
    let (mo, _) = peer.user("mo", false).await;
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&ada),
            "/groups/help/moderators",
            Some(json!({"handle": format!("mo@{}", peer.domain)})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, html) = page(&peer.url("/admin/instance"), &cookie(&ada)).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(html.contains("id=\"inst-form\"") && html.contains("id=\"admin-nav-federation\""));

    for (who, token) in [
        ("anonymous", None),
        ("user", Some(&uma)),
        ("moderator", Some(&mo)),
    ] {
        let c = token.map(|t| cookie(t)).unwrap_or_default();
        let (s, html) = page(&peer.url("/admin/instance"), &c).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{who}: {html}");
        assert!(
            html.contains("Not allowed") && !html.contains("inst-form"),
            "{who}"
        );
        let csrf = match token {
            Some(_) => csrf_field(&page(&peer.url("/settings"), &c).await.1),
            None => String::new(),
        };
        for (path, form) in [
            (
                "/admin/instance",
                vec![("name", "Taken over"), ("registrations", "open")],
            ),
            ("/admin/instance/invitations", vec![("max_uses", "5")]),
            ("/admin/instance/invitations/revoke", vec![("id", "1")]),
            (
                "/admin/instance/groups",
                vec![("name", "mine"), ("title", "Mine")],
            ),
            (
                "/admin/instance/groups/hand-over",
                vec![("group", "help"), ("to", "uma")],
            ),
        ] {
            let mut form = form;
            form.push(("csrf", &csrf));
            let (s, _, html) = post_form(&peer.url(path), &c, &form).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who} {path}: {html}");
        }
        if let Some(t) = token {
            let (s, _) = peer
                .api(Method::GET, Some(t), "/admin/instance", None)
                .await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
            let (s, _) = peer
                .api(
                    Method::PUT,
                    Some(t),
                    "/admin/instance",
                    Some(json!({"name": "x"})),
                )
                .await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
        }
    }
    // Nothing changed.
    let (_, v) = peer
        .api(Method::GET, Some(&ada), "/admin/instance", None)
        .await;
    assert_eq!(v["set_here"], json!([]), "{v}");
    let (_, v) = peer.api(Method::GET, None, "/groups/mine", None).await;
    assert_eq!(v["error"], "not_found", "{v}");
    let (s, v) = peer.api(Method::GET, None, "/groups/help", None).await;
    assert_eq!(s, StatusCode::OK, "the group is not deleted: {v}");
}

async fn settings_take_effect_and_go_back(backend: Backend) {
    let peer = Peer::start_custom(backend, |s| {
        s.site_name = "Configured name".into();
        s.open_registrations = true;
    })
    .await;
    let (ada, _) = peer.user("ada", true).await;
    let (uma, _) = peer.user("uma", false).await;
    let c = cookie(&ada);
    let url = peer.url("/admin/instance");
    let (_, html) = page(&url, &c).await;
    let csrf = csrf_field(&html);
    assert!(html.contains("As configured: Configured name"), "{html}");

    // Bad input: a readable message per field, what was typed kept, nothing saved.
    let (s, _, html) = post_form(
        &url,
        &c,
        &[
            ("csrf", &csrf),
            ("name", "  "),
            ("description", "Kept text"),
            ("registrations", "sometimes"),
            ("group_creation", "anyone"),
            ("federation_mode", "blocklist"),
            ("post_limit", "lots"),
            ("vote_limit", "0"),
            ("report_limit", "120"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{html}");
    assert!(html.contains("Enter the site"), "{html}");
    assert!(html.contains("Choose one of the options."));
    assert!(html.contains("Enter a whole number from 0 to 100000."));
    assert!(html.contains(">Kept text</textarea>") && html.contains("value=\"lots\""));
    let (_, v) = peer
        .api(Method::GET, Some(&ada), "/admin/instance", None)
        .await;
    assert_eq!(v["name"], "Configured name", "{v}");

    // Saved: in force at once.
    let (s, to, html) = post_form(
        &url,
        &c,
        &[
            ("csrf", &csrf),
            ("name", "Acme Help"),
            ("description", "**Support** for Acme printers"),
            ("registrations", "closed"),
            ("group_creation", "anyone"),
            ("federation_mode", "allowlist"),
            ("rate_limits", "on"),
            ("post_limit", "30"),
            ("vote_limit", "0"),
            ("report_limit", "7"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{html}");
    assert_eq!(to, "/admin/instance?done=settings");
    let (_, v) = peer
        .api(Method::GET, Some(&ada), "/admin/instance", None)
        .await;
    assert_eq!(v["name"], "Acme Help");
    assert_eq!(v["registrations"], "closed");
    assert_eq!(v["federation_mode"], "allowlist");
    assert_eq!(v["instance_post_limit"], 30);
    assert_eq!(v["instance_report_limit"], 7);
    assert!(v["set_here"].as_array().unwrap().len() == 10, "{v}");
    let (_, home) = page(&peer.url("/"), "").await;
    assert!(
        home.contains("<strong>Support</strong> for Acme printers"),
        "{home}"
    );
    assert!(home.contains("Acme Help"));
    let (_, ni) = peer.get_ap("/nodeinfo/2.1").await;
    assert_eq!(ni["metadata"]["nodeName"], "Acme Help", "{ni}");
    assert_eq!(ni["openRegistrations"], false);
    assert_eq!(
        ni["metadata"]["nodeDescription"],
        "**Support** for Acme printers"
    );
    // The instance actor carries the new name.
    let (_, actor) = peer.get_ap("/actor").await;
    assert_eq!(actor["name"], "Acme Help", "{actor}");
    // Registrations closed: the API and the page refuse.
    let (s, v) = peer
        .api(
            Method::POST,
            None,
            "/accounts",
            Some(json!({"username": "newbie", "password": "correct horse battery"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    let (s, html) = page(&peer.url("/signup"), "").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(html.contains("Registrations are closed"));
    // Anyone may create groups now, a plain user too.
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&uma),
            "/groups",
            Some(json!({"name": "umas", "title": "Uma's"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // Allowlist mode: the federation page says so.
    let (_, html) = page(&peer.url("/admin/federation"), &c).await;
    assert!(html.contains("Federation mode: allowlist"), "{html}");

    // Back to the configuration.
    let (s, to, _) = post_form(&url, &c, &[("csrf", &csrf), ("reset", "reset")]).await;
    assert_eq!(
        (s, to.as_str()),
        (StatusCode::SEE_OTHER, "/admin/instance?done=reset")
    );
    let (_, v) = peer
        .api(Method::GET, Some(&ada), "/admin/instance", None)
        .await;
    assert_eq!(v["name"], "Configured name", "{v}");
    assert_eq!(v["registrations"], "open");
    assert_eq!(v["group_creation"], "granted");
    assert_eq!(v["federation_mode"], "blocklist");
    assert_eq!(v["set_here"], json!([]));
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&uma),
            "/groups",
            Some(json!({"name": "umas2", "title": "Uma's again"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    // The API refuses bad values with a message.
    for bad in [
        json!({"registrations": "sometimes"}),
        json!({"name": ""}),
        json!({"instance_vote_limit": 100001}),
        json!({"federation_mode": "open"}),
        json!({"unknown": true}),
    ] {
        let (s, v) = peer
            .api(
                Method::PUT,
                Some(&ada),
                "/admin/instance",
                Some(bad.clone()),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {v}");
        assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
    }
}

async fn register(peer: &Peer, name: &str, invite: Option<&str>) -> (StatusCode, Value) {
    let mut body = json!({"username": name, "password": "correct horse battery"});
    if let Some(code) = invite {
        body["invite"] = json!(code);
    }
    peer.api(Method::POST, None, "/accounts", Some(body)).await
}

async fn invitations_register_accounts(backend: Backend) {
    // Many accounts from one address here: the registration limit is tested elsewhere.
    let peer = Peer::start_custom(backend, |s| s.registration_limit_address = 0).await;
    let (ada, _) = peer.user("ada", true).await;
    let c = cookie(&ada);
    let (s, v) = peer
        .api(
            Method::PUT,
            Some(&ada),
            "/admin/instance",
            Some(json!({"registrations": "invite"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // Without a code: refused, and the page asks for one.
    let (s, v) = register(&peer, "nocode", None).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    assert!(v["message"].as_str().unwrap().contains("invitation"), "{v}");
    let (s, html) = page(&peer.url("/signup"), "").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("id=\"invite\""), "{html}");

    // An invitation for two accounts, made on the page: its link is shown once.
    let url = peer.url("/admin/instance");
    let csrf = csrf_field(&page(&url, &c).await.1);
    let (s, _, html) = post_form(
        &peer.url("/admin/instance/invitations"),
        &c,
        &[
            ("csrf", &csrf),
            ("note", "For the Berlin team"),
            ("max_uses", "0"),
            ("days", ""),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        html.contains("Enter a whole number from 1 to 1000.")
            && html.contains("For the Berlin team")
    );
    let (s, _, html) = post_form(
        &peer.url("/admin/instance/invitations"),
        &c,
        &[
            ("csrf", &csrf),
            ("note", "For the Berlin team"),
            ("max_uses", "2"),
            ("days", "7"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{html}");
    let at = html.find("/signup?invite=").expect("the link is shown") + 15;
    let code: String = html[at..].split('"').next().unwrap().to_string();
    let (_, again) = page(&url, &c).await;
    assert!(!again.contains(&code), "the code is shown only once");
    assert!(again.contains("For the Berlin team") && again.contains("0 / 2"));

    // The link fills in the code; the sign-up form registers with it.
    let (anon, form) = anon_page(&peer.url(&format!("/signup?invite={code}"))).await;
    assert!(form.contains(&format!("value=\"{code}\"")), "{form}");
    let csrf = csrf_field(&form);
    let (s, _, html) = post_form(
        &peer.url("/signup"),
        &anon,
        &[
            ("csrf", &csrf),
            ("username", "wrongcode"),
            ("password", "correct horse battery"),
            ("invite", "nope"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{html}");
    assert!(
        html.contains("This invitation cannot be used") && html.contains("value=\"wrongcode\"")
    );
    let (s, to, html) = post_form(
        &peer.url("/signup"),
        &anon,
        &[
            ("csrf", &csrf),
            ("username", "berta"),
            ("password", "correct horse battery"),
            ("invite", &code),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{html}");
    assert!(!to.contains("signup"));
    let (s, v) = register(&peer, "carl", Some(&code)).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = register(&peer, "dora", Some(&code)).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "used up: {v}");
    let (_, html) = page(&url, &c).await;
    assert!(html.contains("2 / 2") && html.contains("Used up"), "{html}");

    // Registrations racing for the last use: exactly one has it.
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&ada),
            "/admin/invitations",
            Some(json!({"note": "one"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let one = v["code"].as_str().unwrap().to_string();
    assert!(v["link"].as_str().unwrap().ends_with(&one));
    let names = ["race1", "race2", "race3", "race4"];
    let tries = names.iter().map(|n| register(&peer, n, Some(&one)));
    let created = futures::future::join_all(tries)
        .await
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .count();
    assert_eq!(created, 1);

    // Revoked on the page: refused.
    let (_, v) = peer
        .api(
            Method::POST,
            Some(&ada),
            "/admin/invitations",
            Some(json!({"max_uses": 5})),
        )
        .await;
    let (code, id) = (
        v["code"].as_str().unwrap().to_string(),
        v["invitation"]["id"].as_str().unwrap().to_string(),
    );
    let csrf = csrf_field(&page(&url, &c).await.1);
    let (s, to, _) = post_form(
        &peer.url("/admin/instance/invitations/revoke"),
        &c,
        &[("csrf", &csrf), ("id", &id)],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(to.contains("done=revoked"));
    let (s, _) = register(&peer, "late", Some(&code)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Expired: refused.
    let (_, v) = peer
        .api(
            Method::POST,
            Some(&ada),
            "/admin/invitations",
            Some(json!({"days": 1})),
        )
        .await;
    let code = v["code"].as_str().unwrap().to_string();
    let (s, v) = register(&peer, "early", Some(&code)).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    peer.query(|c| {
        use diesel::prelude::*;
        use peerdesk::db::schema::invitations as i;
        peerdesk::with_conn!(c, c => diesel::update(i::table).set(i::expires_at.eq(Some(1i64))).execute(c))?;
        Ok(())
    })
    .await;
    let (s, _) = register(&peer, "expired", Some(&code)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&ada),
            "/admin/invitations",
            Some(json!({"days": 400})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let (_, list) = peer
        .api(Method::GET, Some(&ada), "/admin/invitations", None)
        .await;
    assert_eq!(list.as_array().unwrap().len(), 4, "{list}");
}

async fn groups_are_created_and_handed_over(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    let (ada, _) = a.user("ada", true).await;
    let (_, bea) = a.user("bea", false).await;
    let c = cookie(&ada);
    let url = a.url("/admin/instance");
    let csrf = csrf_field(&page(&url, &c).await.1);
    let (s, _, html) = post_form(
        &a.url("/admin/instance/groups"),
        &c,
        &[("csrf", &csrf), ("name", "Not A Name"), ("title", "")],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(html.contains("Names are 2 to 40 characters"), "{html}");
    assert!(html.contains("Enter the group"));
    let (s, to, html) = post_form(
        &a.url("/admin/instance/groups"),
        &c,
        &[
            ("csrf", &csrf),
            ("name", "printers"),
            ("title", "Printers"),
            ("description", "Ask about printers"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{html}");
    assert!(to.contains("done=created"));
    let (s, _, html) = post_form(
        &a.url("/admin/instance/groups"),
        &c,
        &[("csrf", &csrf), ("name", "printers"), ("title", "Again")],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(html.contains("That name is taken."));
    let (_, html) = page(&url, &c).await;
    assert!(
        html.contains(&format!("@ada@{}", a.domain)),
        "the creator moderates: {html}"
    );

    // A follower on B learns of the hand-over.
    let (carl, _) = b.user("carl", false).await;
    b.follow_and_wait(&carl, &format!("printers@{}", a.domain))
        .await;
    let (s, _, html) = post_form(
        &a.url("/admin/instance/groups/hand-over"),
        &c,
        &[("csrf", &csrf), ("group", "printers"), ("to", "nobody")],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(html.contains("There is no account of this instance with that name."));
    // A handle of another server never names a local account, whatever its name.
    let (s, _, html) = post_form(
        &a.url("/admin/instance/groups/hand-over"),
        &c,
        &[
            ("csrf", &csrf),
            ("group", "printers"),
            ("to", "bea@elsewhere.example"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(html.contains("There is no account of this instance with that name."));
    let (s, to, html) = post_form(
        &a.url("/admin/instance/groups/hand-over"),
        &c,
        &[
            ("csrf", &csrf),
            ("group", "printers"),
            ("to", "bea"),
            ("replace", "on"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{html}");
    assert!(to.contains("done=handed"));
    let (_, mods) = a.get_ap("/g/printers/moderators").await;
    let items = mods["orderedItems"].as_array().cloned().unwrap_or_default();
    assert_eq!(items, vec![json!(bea.ap_id)], "{mods}");
    // B applies the Add and the Remove: its copy of the group has bea as moderator only.
    let group_ap = a.url("/g/printers");
    let bea_ap = bea.ap_id.clone();
    assert!(
        eventually(20, || async {
            let (g, who) = (group_ap.clone(), bea_ap.clone());
            b.query(move |c| {
                let Some(group) = peerdesk::db::queries::actors::by_ap_id(c, &g)? else {
                    return Ok(false);
                };
                let mods = peerdesk::db::queries::groups::moderators(c, group.id)?;
                Ok(mods.len() == 1 && mods[0].ap_id == who)
            })
            .await
        })
        .await,
        "B sees the hand-over"
    );
    assert!(a.sent_count("Add").await >= 1 && a.sent_count("Remove").await >= 1);

    // Deleted, after the name is typed again: B learns of it, A's pages say it is gone.
    let (s, q) = a
        .api(
            Method::POST,
            Some(&ada),
            "/questions",
            Some(json!({
                "group": "printers", "title": "Tray jams", "body": "Every morning"
            })),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let form = a.url("/admin/instance/groups/printers/delete");
    let (s, html) = page(&form, &c).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(
        html.contains("1 question") || html.contains("one question"),
        "{html}"
    );
    let (s, _, html) = post_form(
        &form,
        &c,
        &[
            ("csrf", &csrf),
            ("reason", "merged into help"),
            ("confirm", "printer"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(html.contains("Type printers to confirm.") && html.contains("merged into help"));
    let (s, to, html) = post_form(
        &form,
        &c,
        &[
            ("csrf", &csrf),
            ("reason", "merged into help"),
            ("confirm", "printers"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{html}");
    assert!(to.contains("done=deleted"));
    let (s, _) = a.get_ap("/g/printers").await;
    assert_eq!(s, StatusCode::GONE);
    let (_, home) = page(&a.url("/"), "").await;
    assert!(!home.contains("/g/printers"), "not listed any more");
    let (_, t) = a
        .api(
            Method::GET,
            None,
            &format!("/questions/{}", q["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert!(
        t["question"]["removed"] == true || t["error"].is_string(),
        "{t}"
    );
    let (_, log) = page(&a.url("/modlog"), "").await;
    assert!(log.contains("merged into help"), "in the instance's log");
    assert!(
        eventually(20, || async {
            let g = group_ap.clone();
            b.query(move |c| {
                Ok(peerdesk::db::queries::actors::by_ap_id(c, &g)?.is_some_and(|a| a.deleted))
            })
            .await
        })
        .await,
        "B learns that the group was deleted"
    );
    // The API: a reason is needed; an unknown group is 404.
    a.group("other").await;
    let (s, v) = a
        .api(
            Method::DELETE,
            Some(&ada),
            "/admin/groups/other",
            Some(json!({"reason": " "})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let (s, _) = a
        .api(
            Method::DELETE,
            Some(&ada),
            "/admin/groups/printers",
            Some(json!({"reason": "again"})),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, v) = a
        .api(
            Method::DELETE,
            Some(&ada),
            "/admin/groups/other",
            Some(json!({"reason": "unused"})),
        )
        .await;
    assert_eq!(
        (s, v["removed_posts"].clone()),
        (StatusCode::OK, json!(0)),
        "{v}"
    );
}

both_backends!(
    instance_page_is_for_admins,
    settings_take_effect_and_go_back,
    invitations_register_accounts,
    groups_are_created_and_handed_over
);
