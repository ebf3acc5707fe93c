//! The staff console's webhooks page over plain HTTP: refused (403) to the anonymous and
//! to users who are not the organisation's staff; its forms CSRF-protected; adding an
//! endpoint shows its secret once; rotating, disabling, the delivery log, deleting; and
//! the page in German.

mod common;
use common::forms::{client, cookie, csrf_field, page_at, post};
use common::{Backend, Peer};
use reqwest::{Method, StatusCode};
use serde_json::json;

/// An instance with Acme's staff member carol and a user bob; (carol, bob, org id).
async fn setup(peer: &Peer) -> (String, String, String) {
    let (admin, _) = peer.user("root", true).await;
    let (carol, _) = peer.user("carol", false).await;
    let (bob, _) = peer.user("bob", false).await;
    let (s, org) = peer
        .api(
            Method::POST,
            Some(&admin),
            "/admin/organisations",
            Some(json!({"name": "Acme", "domain": "acme.example"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{org}");
    let (s, v) = peer
        .api(
            Method::PUT,
            Some(&admin),
            "/admin/users/carol/organisation",
            Some(json!({"organisation_id": org["id"]})),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    (carol, bob, org["id"].as_str().unwrap().to_string())
}

/// The first `whsec_...` on a page.
fn secret_in(html: &str) -> Option<String> {
    let at = html.find("whsec_")?;
    Some(
        html[at..]
            .split(|c: char| c == '<' || c.is_whitespace())
            .next()
            .unwrap()
            .to_string(),
    )
}

async fn webhooks_page(backend: Backend) {
    let peer = Peer::start(backend).await;
    let (carol, bob, org) = setup(&peer).await;
    let (carol_c, bob_c) = (cookie(&carol), cookie(&bob));

    let (s, _) = page_at(&peer.base, "/staff/webhooks", "").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = page_at(&peer.base, "/staff/webhooks", &bob_c).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, html) = page_at(&peer.base, "/staff/webhooks", &carol_c).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(html.contains("id=\"webhook-new\""), "{html}");
    let csrf = csrf_field(&html);

    // Without the CSRF token nothing is made.
    let url = "http://127.0.0.1:9/hook";
    let form = [("url", url), ("events", "question.created")];
    let resp = post(&peer.base, "/staff/webhooks", &carol_c, &form).await;
    assert!(resp.status().is_client_error(), "{}", resp.status());
    let hooks = format!("/organisations/{org}/webhooks");
    let (_, list) = peer.api(Method::GET, Some(&carol), &hooks, None).await;
    assert_eq!(list.as_array().unwrap().len(), 0, "{list}");

    // A URL that is not http(s): the action's message, and the URL kept in the form.
    let bad = [
        ("csrf", csrf.as_str()),
        ("url", "ftp://files.example/x"),
        ("events", "question.created"),
    ];
    let resp = post(&peer.base, "/staff/webhooks", &carol_c, &bad).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("id=\"webhook-error\""), "{html}");
    assert!(html.contains("ftp://files.example/x"), "{html}");

    // Bob cannot post the form either, even with a token of his own.
    let form = [
        ("csrf", csrf.as_str()),
        ("url", url),
        ("events", "question.created"),
        ("events", "answer.accepted"),
    ];
    let resp = post(&peer.base, "/staff/webhooks", &bob_c, &form).await;
    assert!(resp.status().is_client_error(), "{}", resp.status());

    let resp = post(&peer.base, "/staff/webhooks", &carol_c, &form).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let html = resp.text().await.unwrap();
    let first = secret_in(&html).expect("the new secret is shown");
    assert!(html.contains(url), "{html}");
    let (_, list) = peer.api(Method::GET, Some(&carol), &hooks, None).await;
    assert_eq!(
        list[0]["events"],
        json!(["question.created", "answer.accepted"])
    );
    let id = list[0]["id"].as_str().unwrap().to_string();
    // Shown once: the page does not show it again.
    let (_, html) = page_at(&peer.base, "/staff/webhooks", &carol_c).await;
    assert!(secret_in(&html).is_none(), "{html}");

    // Rotation shows the new secret; both are listed.
    let resp = post(
        &peer.base,
        &format!("/staff/webhooks/{id}/rotate"),
        &carol_c,
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let second = secret_in(&resp.text().await.unwrap()).expect("the rotated secret");
    assert_ne!(first, second);
    let (_, list) = peer.api(Method::GET, Some(&carol), &hooks, None).await;
    assert_eq!(list[0]["secrets"].as_array().unwrap().len(), 2, "{list}");
    let old = list[0]["secrets"][0]["id"].as_str().unwrap().to_string();
    let resp = post(
        &peer.base,
        &format!("/staff/webhooks/{id}/remove-secret"),
        &carol_c,
        &[("csrf", &csrf), ("secret", &old)],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);

    // Disable, then the log page.
    let resp = post(
        &peer.base,
        &format!("/staff/webhooks/{id}/disable"),
        &carol_c,
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, list) = peer.api(Method::GET, Some(&carol), &hooks, None).await;
    assert_eq!(list[0]["enabled"], false, "{list}");
    assert_eq!(list[0]["secrets"].as_array().unwrap().len(), 1, "{list}");
    let (s, html) = page_at(&peer.base, &format!("/staff/webhooks/{id}"), &carol_c).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    let (s, _) = page_at(&peer.base, &format!("/staff/webhooks/{id}"), &bob_c).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // In German.
    let resp = client()
        .get(peer.url("/staff/webhooks"))
        .header("accept", "text/html")
        .header("accept-language", "de")
        .header("cookie", &carol_c)
        .send()
        .await
        .unwrap();
    let html = resp.text().await.unwrap();
    assert!(html.contains("Endpunkt hinzufügen"), "{html}");

    let resp = post(
        &peer.base,
        &format!("/staff/webhooks/{id}/delete"),
        &carol_c,
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, list) = peer.api(Method::GET, Some(&carol), &hooks, None).await;
    assert_eq!(list.as_array().unwrap().len(), 0, "{list}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn webhooks_page_sqlite() {
    webhooks_page(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn webhooks_page_postgres() {
    if common::pg_url().is_none() {
        eprintln!("PostgreSQL not configured (DATABASE_URL_PG); skipped");
        return;
    }
    webhooks_page(Backend::Postgres).await
}
