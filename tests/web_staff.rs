//! The staff console over plain HTTP: its pages and forms refused (403 page) to the
//! anonymous, to users and to staff of another organisation; claiming and releasing a
//! question; marking an answer staff-approved, shown on the thread, counted in reputation
//! and withdrawn.

mod common;
use common::forms::{client, csrf_field};

use common::{Backend, Peer};
use reqwest::header::ACCEPT;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn page(url: &str, cookie: &str) -> (StatusCode, String) {
    let resp = client()
        .get(url)
        .header(ACCEPT, "text/html")
        .header("accept-language", "en")
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    (resp.status(), resp.text().await.unwrap())
}

async fn post_form(url: &str, cookie: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
    let resp = client()
        .post(url)
        .header(ACCEPT, "text/html")
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(
            url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(form)
                .finish(),
        )
        .send()
        .await
        .unwrap();
    let s = resp.status();
    (s, resp.text().await.unwrap())
}

/// Declares an organisation with `domain` and makes `user` its staff; its id.
async fn org_with_staff(peer: &Peer, admin: &str, name: &str, domain: &str, user: &str) -> Value {
    let (s, org) = peer
        .api(
            Method::POST,
            Some(admin),
            "/admin/organisations",
            Some(json!({"name": name, "domain": domain})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{org}");
    let (s, v) = peer
        .api(
            Method::PUT,
            Some(admin),
            &format!("/admin/users/{user}/organisation"),
            Some(json!({"organisation_id": org["id"]})),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    org["id"].clone()
}

async fn reputation(peer: &Peer, name: &str) -> Value {
    peer.api(
        Method::GET,
        None,
        &format!("/users/{name}/reputation"),
        None,
    )
    .await
    .1
}

async fn staff_console(backend: Backend) {
    let peer = Peer::start(backend).await;
    peer.group("acme").await;
    let (admin, _) = peer.user("root", true).await;
    let (carol, _) = peer.user("carol", false).await; // Acme staff
    let (olga, _) = peer.user("olga", false).await; // staff of another organisation
    let (alice, _) = peer.user("alice", false).await; // asks
    let (bob, _) = peer.user("bob", false).await; // answers
    let acme = org_with_staff(&peer, &admin, "Acme", &peer.domain, "carol").await;
    org_with_staff(&peer, &admin, "Other", "other.invalid", "olga").await;
    let (s, v) = peer
        .api(
            Method::PUT,
            Some(&admin),
            "/groups/acme/organisations",
            Some(json!({"organisation_ids": [acme]})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, q) = peer
        .api(Method::POST, Some(&alice), "/questions", Some(json!({
            "group": "acme", "title": "The router blinks red", "body": "Since Monday.", "tags": []
        })))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let qid = q["id"].as_str().unwrap().to_string();

    let (c_carol, c_olga, c_alice) = (
        format!("pd_session={carol}"),
        format!("pd_session={olga}"),
        format!("pd_session={alice}"),
    );
    // Refused to the anonymous, to a user and to staff of an organisation the group does
    // not recognise (who has an inbox, but not this question).
    for path in ["/staff", "/staff/verification"] {
        for cookie in ["", c_alice.as_str()] {
            let (s, html) = page(&peer.url(path), cookie).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{path} {cookie}");
            assert!(html.contains("This page is for staff"), "{html}");
        }
    }
    let (s, html) = page(&peer.url("/staff?hours=0"), &c_olga).await;
    assert_eq!(s, StatusCode::OK);
    assert!(!html.contains("The router blinks red"), "{html}");
    let olga_token = csrf_field(&html);
    let claim_url = peer.url(&format!("/staff/claim/{qid}"));
    let (s, _) = post_form(
        &claim_url,
        &c_olga,
        &[("csrf", &olga_token), ("claim", "1")],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "another organisation's staff");
    let (_, html) = page(&peer.url(&format!("/q/{qid}")), &c_alice).await;
    let alice_token = csrf_field(&html);
    assert!(!html.contains("id=\"claim\""), "no claim form for users");
    let (s, _) = post_form(
        &claim_url,
        &c_alice,
        &[("csrf", &alice_token), ("claim", "1")],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a user");
    let (s, _) = post_form(&claim_url, "", &[("csrf", "x"), ("claim", "1")]).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "anonymous");

    // The inbox: not yet past the 24 hours' default; with ?hours=0, with the asker's history.
    let (s, html) = page(&peer.url("/staff"), &c_carol).await;
    assert_eq!(s, StatusCode::OK);
    assert!(!html.contains("The router blinks red"));
    let (_, html) = page(&peer.url("/staff?tab=unanswered&hours=0"), &c_carol).await;
    assert!(html.contains("The router blinks red"), "{html}");
    assert!(html.contains(&format!("id=\"claim-{qid}\"")));
    assert!(
        html.contains("1 questions asked, 0 answers accepted") || html.contains("questions asked")
    );
    let token = csrf_field(&html);
    // CSRF: a wrong token claims nothing.
    let (s, _) = post_form(&claim_url, &c_carol, &[("csrf", "nope"), ("claim", "1")]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Claim: back to the inbox, which shows who claimed it; so does the thread.
    let (s, _) = post_form(
        &claim_url,
        &c_carol,
        &[("csrf", &token), ("claim", "1"), ("back", "/staff?hours=0")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = page(&peer.url("/staff?hours=0"), &c_carol).await;
    assert!(
        html.contains("claimed-mark") && html.contains("@carol@"),
        "{html}"
    );
    assert!(html.contains(&format!("id=\"unclaim-{qid}\"")));
    let (_, thread) = page(&peer.url(&format!("/q/{qid}")), &c_carol).await;
    assert!(thread.contains("claimed-mark") && thread.contains("id=\"unclaim\""));
    let (_, thread) = page(&peer.url(&format!("/q/{qid}")), &c_alice).await;
    assert!(!thread.contains("claimed-mark"), "claims are for staff");
    // Release.
    let (s, _) = post_form(&claim_url, &c_carol, &[("csrf", &token), ("claim", "0")]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = page(&peer.url("/staff?hours=0"), &c_carol).await;
    assert!(!html.contains("claimed-mark") && html.contains(&format!("id=\"claim-{qid}\"")));

    // Bob answers; the question moves to "answered, not accepted".
    let (s, a) = peer
        .api(
            Method::POST,
            Some(&bob),
            &format!("/questions/{qid}/answers"),
            Some(json!({"body": "Hold reset for ten seconds."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let aid = a["id"].as_str().unwrap().to_string();
    let (_, html) = page(&peer.url("/staff?tab=unaccepted"), &c_carol).await;
    assert!(html.contains("The router blinks red"), "{html}");
    let before = reputation(&peer, "bob").await["total"].as_i64().unwrap();

    // Staff-approve: refused to a user and to the other organisation's staff.
    let approve_url = peer.url(&format!("/p/{aid}/staff-approve"));
    let (s, _) = post_form(
        &approve_url,
        &c_alice,
        &[("csrf", &alice_token), ("approve", "1")],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = post_form(
        &approve_url,
        &c_olga,
        &[("csrf", &olga_token), ("approve", "1")],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (_, thread) = page(&peer.url(&format!("/q/{qid}")), &c_carol).await;
    assert!(
        thread.contains(&format!("id=\"approve-{aid}\"")),
        "{thread}"
    );
    let (s, _) = post_form(
        &approve_url,
        &c_carol,
        &[("csrf", &token), ("approve", "1")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    // Shown to everyone, with the organisation; counted in Bob's reputation, explained.
    let (_, thread) = page(&peer.url(&format!("/q/{qid}")), "").await;
    assert!(
        thread.contains(&format!("id=\"approved-{aid}\"")),
        "{thread}"
    );
    assert!(thread.contains("Staff-approved by"));
    let rep = reputation(&peer, "bob").await;
    assert_eq!(rep["total"].as_i64().unwrap(), before + 10, "{rep}");
    assert!(rep["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "staff_approved" && e["points"] == 10));
    let (_, profile) = page(&peer.url("/u/bob"), "").await;
    assert!(profile.contains("Answer staff-approved"), "{profile}");
    // Twice is once; withdrawn, it counts no more.
    let (s, _) = post_form(
        &approve_url,
        &c_carol,
        &[("csrf", &token), ("approve", "1")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(
        reputation(&peer, "bob").await["total"].as_i64().unwrap(),
        before + 10
    );
    let (s, _) = post_form(
        &approve_url,
        &c_carol,
        &[("csrf", &token), ("approve", "0")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(
        reputation(&peer, "bob").await["total"].as_i64().unwrap(),
        before
    );
    let (_, thread) = page(&peer.url(&format!("/q/{qid}")), "").await;
    assert!(!thread.contains("staff-approved-mark"));

    // Verification: Acme's domain is this instance's, which lists Carol; Olga's is not
    // reachable, and the page says what to do.
    let (s, html) = page(&peer.url("/staff/verification"), &c_carol).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("id=\"staff-listed\""), "{html}");
    let (s, html) = page(&peer.url("/staff/verification"), &c_olga).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("id=\"staff-not-listed\"") && html.contains("/.well-known/peerdesk-staff"),
        "{html}"
    );
}

both_backends!(staff_console);
