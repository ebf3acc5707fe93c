//! The admin console over plain HTTP: every page and form refused (403 page) to the
//! signed out, users and moderators; federation health with its forms (block, silence,
//! allow, clear, retry now), their effects as the API sees them, and errors shown with
//! the form kept.

mod common;
use common::forms::{client, csrf_field, page, post_form};
use reqwest::header::{ACCEPT, ACCEPT_LANGUAGE};

use common::{eventually, Backend, Peer};
use diesel::prelude::*;
use peerdesk::db::models::{Activity, Delivery};
use peerdesk::db::schema::deliveries as d;
use reqwest::{Method, StatusCode};
use serde_json::json;

/// Queues a delivery to `domain` that is not due for an hour (as in a back-off).
async fn waiting_delivery(peer: &Peer, actor_id: i64, domain: &str) -> i64 {
    let domain = domain.to_string();
    peer.query(move |c| {
        let now = peerdesk::db::now_ms();
        let activity = Activity {
            id: peerdesk::db::ids::new_id(),
            ap_id: format!("http://test.invalid/a/{}", peerdesk::db::ids::new_id()),
            actor_id,
            kind: "Create".into(),
            body: "{}".into(),
            public: true,
            created_at: now,
        };
        peerdesk::db::queries::activities::insert_many(c, &[&activity])?;
        peerdesk::db::queries::deliveries::ensure_instance(c, &domain)?;
        let row = Delivery {
            id: peerdesk::db::ids::new_id(),
            activity_id: activity.id,
            inbox: format!("http://{domain}/inbox"),
            domain: domain.clone(),
            status: "pending".into(),
            attempts: 0,
            next_attempt_at: now + 3_600_000,
            locked_until: 0,
            last_error: None,
            created_at: now,
            updated_at: now,
        };
        peerdesk::with_conn!(c, c => diesel::insert_into(d::table).values(&row).execute(c))?;
        Ok(row.id)
    })
    .await
}

/// (status, attempts) of a delivery, `None` once it is gone.
async fn delivery(peer: &Peer, id: i64) -> Option<(String, i32)> {
    peer.query(move |c| {
        Ok(peerdesk::with_conn!(c, c => d::table
            .find(id)
            .select((d::status, d::attempts))
            .first::<(String, i32)>(c)
            .optional())?)
    })
    .await
}

async fn instance(peer: &Peer, admin: &str, domain: &str) -> serde_json::Value {
    let (s, list) = peer
        .api(Method::GET, Some(admin), "/admin/instances", None)
        .await;
    assert_eq!(s, StatusCode::OK);
    list.as_array()
        .unwrap()
        .iter()
        .find(|i| i["domain"] == domain)
        .cloned()
        .unwrap_or_else(|| panic!("{domain} unknown: {list}"))
}

async fn admin_pages_are_for_admins(backend: Backend) {
    let peer = Peer::start(backend).await;
    peer.group("help").await;
    let (ada, ada_actor) = peer.user("ada", true).await;
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
    waiting_delivery(&peer, ada_actor.id, "other.example").await;

    let cookie = |t: &str| format!("pd_session={t}");
    // The admin sees the page and the header links to it; the others get the 403 page.
    let (s, html) = page(&peer.url("/admin/federation"), &cookie(&ada)).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(
        html.contains("id=\"nav-admin\""),
        "the header links to the console"
    );
    assert!(html.contains("Federation health") && html.contains("other.example"));
    let (_, settings) = page(&peer.url("/settings"), &cookie(&uma)).await;
    assert!(
        !settings.contains("id=\"nav-admin\""),
        "no admin link for users"
    );

    let fields = |csrf: &str| {
        vec![
            ("csrf", csrf.to_string()),
            ("domain", "other.example".to_string()),
            ("policy", "block".to_string()),
        ]
    };
    for (who, token) in [
        ("anonymous", None),
        ("user", Some(&uma)),
        ("moderator", Some(&mo)),
    ] {
        let c = token.map(|t| cookie(t.as_str())).unwrap_or_default();
        let (s, html) = page(&peer.url("/admin/federation"), &c).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{who}: {html}");
        assert!(
            html.contains("Not allowed") && !html.contains("other.example"),
            "{who}"
        );
        // The forms, with a valid token for the signed in.
        let csrf = match token {
            Some(_) => csrf_field(&page(&peer.url("/settings"), &c).await.1),
            None => String::new(),
        };
        for (path, form) in [
            ("/admin/federation/policy", fields(&csrf)),
            (
                "/admin/federation/retry",
                vec![("csrf", csrf.clone()), ("domain", "other.example".into())],
            ),
        ] {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let (s, _, html) = post_form(&peer.url(path), &c, &form).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who} {path}: {html}");
        }
    }
    let i = instance(&peer, &ada, "other.example").await;
    assert_eq!(
        i["blocked"], false,
        "nothing was changed by the refused forms"
    );
}

async fn federation_forms(backend: Backend) {
    let peer = Peer::start(backend).await;
    let (ada, ada_actor) = peer.user("ada", true).await;
    let c = format!("pd_session={ada}");
    let url = peer.url("/admin/federation");
    let blocked = waiting_delivery(&peer, ada_actor.id, "spam.example").await;
    let retried = waiting_delivery(&peer, ada_actor.id, "127.0.0.1:9").await;
    waiting_delivery(&peer, ada_actor.id, "quiet.example").await;

    let (s, html) = page(&url, &c).await;
    assert_eq!(s, StatusCode::OK);
    let csrf = csrf_field(&html);
    assert!(html.contains("data-domain=\"spam.example\""), "{html}");
    assert!(
        html.contains("id=\"fed-pending\">3<"),
        "three deliveries waiting: {html}"
    );

    // Block from the instance's row: its waiting delivery fails, the log says why.
    let (s, to, _) = post_form(
        &peer.url("/admin/federation/policy"),
        &c,
        &[
            ("csrf", &csrf),
            ("domain", "spam.example"),
            ("policy", "block"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(to.starts_with("/admin/federation?"), "{to}");
    assert_eq!(instance(&peer, &ada, "spam.example").await["blocked"], true);
    assert_eq!(delivery(&peer, blocked).await.unwrap().0, "failed");
    let (_, html) = page(&peer.url(&to), &c).await;
    assert!(
        html.contains("The policy of spam.example was saved."),
        "{html}"
    );
    let (_, log) = peer.api(Method::GET, None, "/modlog", None).await;
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "block_instance" && e["domain"] == "spam.example"),
        "{log}"
    );

    // Silence with a reason, from the form for any domain; then allow; then clear.
    let (s, _, _) = post_form(
        &peer.url("/admin/federation/policy"),
        &c,
        &[
            ("csrf", &csrf),
            ("domain", " Quiet.example "),
            ("policy", "silence"),
            ("reason", "too loud"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let i = instance(&peer, &ada, "quiet.example").await;
    assert_eq!(
        (i["silenced"].clone(), i["blocked"].clone()),
        (json!(true), json!(false))
    );
    let (_, log) = peer.api(Method::GET, None, "/modlog", None).await;
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "silence_instance" && e["reason"] == "too loud"),
        "{log}"
    );
    for (policy, field) in [("allow", "allowed"), ("clear", "")] {
        let (s, _, _) = post_form(
            &peer.url("/admin/federation/policy"),
            &c,
            &[
                ("csrf", &csrf),
                ("domain", "quiet.example"),
                ("policy", policy),
            ],
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let i = instance(&peer, &ada, "quiet.example").await;
        for f in ["blocked", "silenced", "allowed"] {
            assert_eq!(i[f], json!(f == field), "{policy}: {i}");
        }
    }
    let (_, html) = page(&format!("{url}?q=quiet"), &c).await;
    assert!(
        html.contains("data-domain=\"quiet.example\"")
            && !html.contains("data-domain=\"spam.example\"")
    );

    // Errors: the form again with what was typed and the message next to the field.
    for (domain, message) in [
        (peer.domain.as_str(), "is not another instance"),
        ("a/b", "is not another instance"),
        ("", "Enter the instance"),
    ] {
        let (s, _, html) = post_form(
            &peer.url("/admin/federation/policy"),
            &c,
            &[
                ("csrf", &csrf),
                ("domain", domain),
                ("policy", "silence"),
                ("reason", "kept reason"),
            ],
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{domain}");
        assert!(
            html.contains(message) && html.contains("id=\"fed-domain-error\""),
            "{html}"
        );
        assert!(html.contains("value=\"kept reason\"") && html.contains("aria-invalid=\"true\""));
    }
    let (s, _, html) = post_form(
        &peer.url("/admin/federation/policy"),
        &c,
        &[
            ("csrf", &csrf),
            ("domain", "x.example"),
            ("policy", "explode"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(html.contains("Choose a policy") && html.contains("value=\"x.example\""));

    // Retry now: the waiting delivery becomes due and is tried at once.
    assert_eq!(delivery(&peer, retried).await, Some(("pending".into(), 0)));
    let (s, to, _) = post_form(
        &peer.url("/admin/federation/retry"),
        &c,
        &[("csrf", &csrf), ("domain", "127.0.0.1:9")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(to.contains("done=retry"), "{to}");
    assert!(
        eventually(15, || async {
            delivery(&peer, retried)
                .await
                .is_none_or(|(status, attempts)| status != "pending" || attempts > 0)
        })
        .await,
        "the delivery was tried"
    );

    // A refused token changes nothing.
    let (s, _, _) = post_form(
        &peer.url("/admin/federation/policy"),
        &c,
        &[
            ("csrf", "wrong"),
            ("domain", "quiet.example"),
            ("policy", "block"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(
        instance(&peer, &ada, "quiet.example").await["blocked"],
        false
    );

    // The page in German.
    let resp = client()
        .get(&url)
        .header(ACCEPT, "text/html")
        .header(ACCEPT_LANGUAGE, "de")
        .header("cookie", &c)
        .send()
        .await
        .unwrap();
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("Zustand der Föderation"));
}

both_backends!(admin_pages_are_for_admins, federation_forms);
