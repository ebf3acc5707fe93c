//! The admin console's People pages over plain HTTP: refused (403 page) to the signed
//! out, users, staff and moderators; local users (search, paging, roles, a suspension
//! that ends sessions, tokens and sign-in), organisations and staff. Each form with bad
//! input comes back with its message and what was typed. Deleting accounts and purging
//! remote users, across two instances, are in `web_admin_people_federation.rs`.

mod common;
use common::forms::{client, cookie, csrf_field, page, post_form};
use common::people::{ask, logged, profile, sign_in, PASSWORD};
use common::{Backend, Peer};
use peerdesk::db::queries;
use reqwest::header::{ACCEPT_LANGUAGE, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn people_pages_are_for_admins(backend: Backend) {
    let peer = Peer::start(backend).await;
    peer.group("help").await;
    let (ada, _) = peer.user("ada", true).await;
    let (uma, _) = peer.user("uma", false).await;
    let (sam, _) = peer.user("sam", false).await;
    let (mo, _) = peer.user("mo", false).await;
    let roles = json!({"is_admin": false, "is_staff": true, "can_create_groups": false});
    let (s, v) = peer
        .api(
            Method::PUT,
            Some(&ada),
            "/admin/users/sam/roles",
            Some(roles),
        )
        .await;
    assert_eq!((s, v["is_staff"].clone()), (StatusCode::OK, json!(true)));
    let handle = json!({"handle": format!("mo@{}", peer.domain)});
    let (s, _) = peer
        .api(
            Method::POST,
            Some(&ada),
            "/groups/help/moderators",
            Some(handle),
        )
        .await;
    assert_eq!(s, StatusCode::OK);

    let pages = [
        "/admin/people",
        "/admin/people/u/uma",
        "/admin/people/u/uma/delete",
        "/admin/people/remote",
        "/admin/people/staff",
    ];
    for path in pages {
        let (s, html) = page(&peer.url(path), &cookie(&ada)).await;
        assert_eq!(s, StatusCode::OK, "{path}: {html}");
        assert!(html.contains("id=\"admin-nav-people\""), "{path}");
    }
    let (_, html) = page(&peer.url("/admin/federation"), &cookie(&ada)).await;
    assert!(
        html.contains("href=\"/admin/people\""),
        "federation links people"
    );

    for (who, token) in [
        ("anonymous", None),
        ("user", Some(&uma)),
        ("staff", Some(&sam)),
        ("moderator", Some(&mo)),
    ] {
        let c = token.map(|t| cookie(t)).unwrap_or_default();
        for path in pages.iter().chain(["/admin/people/remote/1/purge"].iter()) {
            let (s, html) = page(&peer.url(path), &c).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who} {path}");
            assert!(
                html.contains("Not allowed") && !html.contains("data-user="),
                "{who}"
            );
        }
        let csrf = match token {
            Some(_) => csrf_field(&page(&peer.url("/settings"), &c).await.1),
            None => String::new(),
        };
        let forms: [(&str, Vec<(&str, &str)>); 7] = [
            ("/admin/people/u/uma/roles", vec![("admin", "1")]),
            (
                "/admin/people/u/uma/suspension",
                vec![("op", "suspend"), ("reason", "x")],
            ),
            (
                "/admin/people/u/uma/organisation",
                vec![("organisation", "")],
            ),
            (
                "/admin/people/u/uma/delete",
                vec![("reason", "x"), ("confirm", "uma")],
            ),
            ("/admin/people/remote/1/purge", vec![("confirm", "1")]),
            (
                "/admin/people/staff/organisations",
                vec![("name", "Evil"), ("domain", "evil.example")],
            ),
            (
                "/admin/people/staff/assign",
                vec![("user", "uma"), ("organisation", "")],
            ),
        ];
        for (path, mut fields) in forms {
            fields.push(("csrf", csrf.as_str()));
            let (s, _, html) = post_form(&peer.url(path), &c, &fields).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who} {path}: {html}");
        }
        if let Some(t) = token {
            for (method, path, body) in [
                (
                    Method::PUT,
                    "/admin/users/uma/suspension",
                    json!({"suspended": true, "reason": "x"}),
                ),
                (Method::DELETE, "/admin/users/uma", json!({"reason": "x"})),
                (
                    Method::PUT,
                    "/admin/users/uma/roles",
                    json!({"is_admin": true, "is_staff": false, "can_create_groups": false}),
                ),
            ] {
                let (s, _) = peer.api(method, Some(t), path, Some(body)).await;
                assert_eq!(s, StatusCode::FORBIDDEN, "{who} {path}");
            }
        }
    }
    let (_, uma_now) = profile(&peer, "uma").await;
    assert_eq!(
        (uma_now["suspended"].clone(), uma_now["is_admin"].clone()),
        (json!(false), json!(false))
    );
    let (_, orgs) = peer.api(Method::GET, None, "/organisations", None).await;
    assert_eq!(orgs, json!([]), "nothing was changed by the refused forms");
}

/// `n` more local users named `fillerNN`, written directly (no key or hash to compute).
async fn fillers(peer: &Peer, n: usize) {
    peer.query(move |c| {
        let (user, actor) = queries::users::by_username(c, "bob")?.unwrap();
        for i in 0..n {
            let (mut u, mut a) = (user.clone(), actor.clone());
            a.id = peerdesk::db::ids::new_id();
            a.name = format!("filler{i:02}");
            a.ap_id = format!("{}-{i}", actor.ap_id);
            (u.id, u.actor_id, u.username) = (peerdesk::db::ids::new_id(), a.id, a.name.clone());
            queries::actors::insert(c, &a)?;
            queries::users::insert(c, &u)?;
        }
        Ok(())
    })
    .await
}

async fn local_users_and_suspension(backend: Backend) {
    let peer = Peer::start(backend).await;
    peer.group("help").await;
    let (ada, _) = peer.user("ada", true).await;
    let (bob, _) = peer.user("bob", false).await;
    let (carol, _) = peer.user("carol", false).await;
    let name = json!({"display_name": "Carol Danvers"});
    let (s, _) = peer
        .api(Method::PATCH, Some(&carol), "/me", Some(name))
        .await;
    assert_eq!(s, StatusCode::OK);
    let q = ask(&peer, &carol, "help", "Printer jams on every page").await;
    let c = cookie(&ada);
    let url = |p: &str| peer.url(p);

    // The list, searched by name or display name (any case), 50 a page.
    let (_, html) = page(&url("/admin/people"), &c).await;
    assert!(
        html.contains("3 local users") && html.contains("data-user=\"bob\""),
        "{html}"
    );
    let (_, html) = page(&url("/admin/people?q=DANV"), &c).await;
    assert!(html.contains("data-user=\"carol\"") && !html.contains("data-user=\"bob\""));
    fillers(&peer, 52).await;
    let (_, html) = page(&url("/admin/people?q=filler"), &c).await;
    assert_eq!(html.matches("data-user=\"filler").count(), 50, "{html}");
    assert!(
        html.contains("52 local users")
            && html.contains("href=\"/admin/people?q=filler&#38;page=2\"")
    );
    let (_, html) = page(&url("/admin/people?q=filler&page=2"), &c).await;
    assert_eq!(html.matches("data-user=\"filler").count(), 2);

    // Roles; an admin cannot take their own admin role away.
    let csrf = csrf_field(&page(&url("/admin/people/u/bob"), &c).await.1);
    let roles = [("csrf", csrf.as_str()), ("staff", "1"), ("groups", "1")];
    let (s, to, _) = post_form(&url("/admin/people/u/bob/roles"), &c, &roles).await;
    assert_eq!(
        (s, to.as_str()),
        (StatusCode::SEE_OTHER, "/admin/people/u/bob?done=roles")
    );
    assert!(page(&url(&to), &c)
        .await
        .1
        .contains("The roles of bob were saved."));
    let (_, p) = profile(&peer, "bob").await;
    assert_eq!(
        (
            p["is_staff"].clone(),
            p["can_create_groups"].clone(),
            p["is_admin"].clone()
        ),
        (json!(true), json!(true), json!(false))
    );
    let (s, _, html) = post_form(
        &url("/admin/people/u/ada/roles"),
        &c,
        &[("csrf", &csrf), ("staff", "1")],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        html.contains("You cannot take away your own admin role.")
            && html.contains("id=\"role-staff\" name=\"staff\" value=\"1\" checked")
    );
    assert_eq!(profile(&peer, "ada").await.1["is_admin"], true);

    // Suspension: bad input comes back with its message, the reason kept.
    let suspend = |name: &'static str, reason: String| {
        let (url, c, csrf) = (
            url(&format!("/admin/people/u/{name}/suspension")),
            c.clone(),
            csrf.clone(),
        );
        async move {
            post_form(
                &url,
                &c,
                &[("csrf", &csrf), ("op", "suspend"), ("reason", &reason)],
            )
            .await
        }
    };
    let (s, _, html) = suspend("bob", " ".into()).await;
    assert!(
        s == StatusCode::BAD_REQUEST
            && html.contains("Give a reason.")
            && html.contains("aria-invalid=\"true\"")
    );
    let (s, _, html) = suspend("bob", "x".repeat(2001)).await;
    assert!(s == StatusCode::BAD_REQUEST && html.contains("at most 2000 bytes"));
    assert!(
        html.contains(&format!("value=\"{}\"", "x".repeat(2001))),
        "kept"
    );
    let (s, _, html) = suspend("ada", "mine".into()).await;
    assert!(s == StatusCode::BAD_REQUEST && html.contains("You cannot suspend your own account."));
    let body = json!({"suspended": true, "reason": "x"});
    let (s, _) = peer
        .api(
            Method::PUT,
            Some(&ada),
            "/admin/users/ada/suspension",
            Some(body),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        peer.api(Method::GET, Some(&bob), "/me", None).await.0,
        StatusCode::OK
    );
    assert_eq!(
        page(&url("/notifications"), &cookie(&bob)).await.0,
        StatusCode::OK
    );

    // Suspended: the session and the token stop at once, sign-in is refused.
    let (s, to, _) = suspend("bob", "Spam links".into()).await;
    assert_eq!(
        (s, to.as_str()),
        (StatusCode::SEE_OTHER, "/admin/people/u/bob?done=suspend")
    );
    assert_eq!(
        peer.api(Method::GET, Some(&bob), "/me", None).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_ne!(
        page(&url("/notifications"), &cookie(&bob)).await.0,
        StatusCode::OK
    );
    let qid = q["id"].as_str().unwrap();
    for (method, path, body) in [
        (
            Method::POST,
            "/questions".to_string(),
            json!({"group": "help", "title": "Still here?", "body": "x"}),
        ),
        (
            Method::PUT,
            format!("/posts/{qid}/vote"),
            json!({"value": 1}),
        ),
        (
            Method::POST,
            "/follows".to_string(),
            json!({"handle": format!("help@{}", peer.domain)}),
        ),
    ] {
        let (s, _) = peer.api(method, Some(&bob), &path, Some(body)).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{path}");
    }
    let (s, v) = sign_in(&peer, "bob").await;
    assert!(
        s == StatusCode::FORBIDDEN && v["message"].as_str().unwrap().contains("suspended"),
        "{v}"
    );
    let body = json!({"username": "bob", "password": "not the password"});
    assert_eq!(
        peer.api(Method::POST, None, "/sessions", Some(body))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    let signin = client().get(url("/signin")).send().await.unwrap();
    let anon = signin
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .find(|v| v.starts_with("pd_anon="))
        .unwrap();
    let token = csrf_field(&signin.text().await.unwrap());
    let (_, _, html) = post_form(
        &url("/signin"),
        &anon,
        &[
            ("csrf", &token),
            ("username", "bob"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert!(html.contains("This account is suspended."), "{html}");
    let (_, html) = page(&url("/u/bob"), "").await;
    assert!(html.contains("This account is suspended by the admins"));
    assert_eq!(profile(&peer, "bob").await.1["suspended"], true);
    let (_, html) = page(&url("/admin/people/u/bob"), &c).await;
    assert!(html.contains("Suspended since") && html.contains("Spam links"));
    assert!(page(&url("/admin/people?q=bob"), &c)
        .await
        .1
        .contains("class=\"state-suspended\""));
    assert!(logged(&peer, "suspend", "bob", "Spam links").await);

    // Lifted: bob signs in again.
    let lift = [("csrf", csrf.as_str()), ("op", "unsuspend"), ("reason", "")];
    let (s, _, _) = post_form(&url("/admin/people/u/bob/suspension"), &c, &lift).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(sign_in(&peer, "bob").await.0, StatusCode::OK);
    assert!(logged(&peer, "unsuspend", "bob", "").await);

    // The API: a reason is needed; the token stops, then works again once lifted.
    let put = |body: Value| {
        peer.api(
            Method::PUT,
            Some(&ada),
            "/admin/users/carol/suspension",
            Some(body),
        )
    };
    assert_eq!(
        put(json!({"suspended": true})).await.0,
        StatusCode::BAD_REQUEST
    );
    let (s, v) = put(json!({"suspended": true, "reason": "Impersonation"})).await;
    assert_eq!((s, v["suspended"].clone()), (StatusCode::OK, json!(true)));
    assert_eq!(
        peer.api(Method::GET, Some(&carol), "/me", None).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(put(json!({"suspended": false})).await.1["suspended"], false);
    assert_eq!(sign_in(&peer, "carol").await.0, StatusCode::OK);

    // In German.
    let resp = client()
        .get(url("/admin/people"))
        .header(ACCEPT_LANGUAGE, "de")
        .header("cookie", &c)
        .send()
        .await
        .unwrap();
    assert!(resp.text().await.unwrap().contains("Lokale Konten"));
}

async fn organisations_and_staff(backend: Backend) {
    let peer = Peer::start(backend).await;
    let (ada, _) = peer.user("ada", true).await;
    let (_, carol) = peer.user("carol", false).await;
    let c = cookie(&ada);
    let url = |p: &str| peer.url(p);
    let (_, html) = page(&url("/admin/people/staff"), &c).await;
    assert!(
        html.contains("No organisation is declared yet.")
            && html.contains("No remote account claims")
    );
    let csrf = csrf_field(&html);

    // Declaring: bad input kept with its message, then an organisation.
    let declare = |name: &'static str, domain: &'static str| {
        let (url, c, csrf) = (
            url("/admin/people/staff/organisations"),
            c.clone(),
            csrf.clone(),
        );
        async move {
            post_form(
                &url,
                &c,
                &[("csrf", &csrf), ("name", name), ("domain", domain)],
            )
            .await
        }
    };
    let (s, _, html) = declare(" ", "acme.example").await;
    assert!(
        s == StatusCode::BAD_REQUEST
            && html.contains("Give the organisation&#39;s name")
            && html.contains("value=\"acme.example\""),
        "{html}"
    );
    let (s, _, html) = declare("Acme", "acme.example/staff").await;
    assert!(
        s == StatusCode::BAD_REQUEST
            && html.contains("Give the organisation&#39;s domain")
            && html.contains("value=\"Acme\"")
    );
    let (s, to, _) = declare("Acme", " Acme.Example ").await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = page(&url(&to), &c).await;
    assert!(
        html.contains("The organisation Acme was declared.")
            && html.contains("data-org=\"acme.example\"")
    );
    let (_, orgs) = peer.api(Method::GET, None, "/organisations", None).await;
    assert_eq!(orgs[0]["domain"], "acme.example");
    let org = orgs[0]["id"].as_str().unwrap().to_string();

    // Assigning a local user.
    let assign = |user: &'static str, org: String| {
        let (url, c, csrf) = (url("/admin/people/staff/assign"), c.clone(), csrf.clone());
        async move {
            post_form(
                &url,
                &c,
                &[("csrf", &csrf), ("user", user), ("organisation", &org)],
            )
            .await
        }
    };
    for (user, chosen, message) in [
        ("", org.clone(), "Enter a local user&#39;s name."),
        (
            "nobody",
            org.clone(),
            "There is no local user named nobody.",
        ),
        (
            "carol",
            "12345".to_string(),
            "Choose one of the organisations.",
        ),
    ] {
        let (s, _, html) = assign(user, chosen).await;
        assert!(
            s == StatusCode::BAD_REQUEST
                && html.contains(message)
                && html.contains("aria-invalid=\"true\""),
            "{user}: {html}"
        );
    }
    let (s, to, _) = assign("carol", org.clone()).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = page(&url(&to), &c).await;
    assert!(
        html.contains("The organisation of carol was saved.")
            && html.contains("<a href=\"/admin/people/u/carol\">carol</a>")
    );
    assert_eq!(profile(&peer, "carol").await.1["is_staff"], true);
    // From the user's page: none ends it.
    let (s, to, _) = post_form(
        &url("/admin/people/u/carol/organisation"),
        &c,
        &[("csrf", &csrf), ("organisation", "")],
    )
    .await;
    assert_eq!(
        (s, to.as_str()),
        (
            StatusCode::SEE_OTHER,
            "/admin/people/u/carol?done=organisation"
        )
    );
    assert_eq!(profile(&peer, "carol").await.1["is_staff"], false);

    // A remote account's claim and its check, as the checker records it.
    peer.query(move |c| {
        let mut a = carol.clone();
        (a.id, a.local, a.private_key_pem) = (peerdesk::db::ids::new_id(), false, None);
        (a.name, a.domain, a.ap_id) = (
            "mallory".into(),
            "other.example".into(),
            "https://other.example/u/mallory".into(),
        );
        queries::actors::insert(c, &a)?;
        queries::staff::upsert_claim(
            c,
            &peerdesk::db::models::StaffClaim {
                actor_id: a.id,
                org_name: "Acme".into(),
                org_domain: "acme.example".into(),
                verified: false,
                reason: "acme.example does not list this account as its staff".into(),
                checked_at: peerdesk::db::now_ms(),
            },
        )
    })
    .await;
    let (_, html) = page(&url("/admin/people/staff"), &c).await;
    assert!(html.contains("data-claim=\"mallory@other.example\"") && html.contains("Not verified"));
    assert!(html.contains("acme.example does not list this account as its staff"));
}

both_backends!(
    people_pages_are_for_admins,
    local_users_and_suspension,
    organisations_and_staff,
);
