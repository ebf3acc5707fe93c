//! The thread page over plain HTTP: its weight budget (HTML, CSS and JS as a browser
//! transfers them, compressed), and answers posted to a long thread that land on a later
//! page, where the poster is sent.

mod common;

use common::{Backend, Peer};
use peerdesk::bench::weight;
use reqwest::{Method, StatusCode};
use serde_json::json;

/// A question with answers of a few paragraphs each, comments and an accepted answer.
async fn seeded_thread(peer: &Peer) -> String {
    peer.group("printers").await;
    let (alice, _) = peer.user("alice", false).await;
    let mut answerers = Vec::new();
    for name in ["bob", "carol", "dave", "erin", "frank", "grace"] {
        answerers.push(peer.user(name, false).await.0);
    }
    let paragraph = "After the firmware update the printer shows **E42** and stops \
        printing. I switched it off and on, cleaned the paper path and reinstalled the \
        driver from the vendor's site, but the error comes back after a few pages.";
    let (s, q) = peer
        .api(
            Method::POST,
            Some(&alice),
            "/questions",
            Some(json!({
                "group": "printers", "title": "Printer shows error E42 after the update",
                "body": format!("{paragraph}\n\n{paragraph}"), "tags": ["firmware", "e42"]
            })),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let qid = q["id"].as_str().unwrap().to_string();
    let mut first = None;
    for (i, token) in answerers.iter().enumerate() {
        let body = format!(
            "Answer {i}: install firmware 2.1, then:\n\n1. open *Settings*\n2. choose \
             *Reset*\n3. restart\n\n{paragraph}"
        );
        let (s, a) = peer
            .api(
                Method::POST,
                Some(token),
                &format!("/questions/{qid}/answers"),
                Some(json!({"body": body})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{a}");
        let (s, c) = peer
            .api(
                Method::POST,
                Some(&alice),
                &format!("/questions/{qid}/answers"),
                Some(json!({"body": "Thanks, I will try this tonight.", "parent_id": a["id"]})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{c}");
        first.get_or_insert(a["id"].clone());
    }
    let (s, v) = peer
        .api(
            Method::PUT,
            Some(&alice),
            &format!("/questions/{qid}/accepted"),
            Some(json!({"answer_id": first})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    qid
}

async fn thread_page_weight_budget(backend: Backend) {
    // The asker comments on every answer: more posts than a new account may make a minute.
    let peer = Peer::start_custom(backend, |s| s.rate_limits = false).await;
    let qid = seeded_thread(&peer).await;
    let url = peer.url(&format!("/q/{qid}"));
    let w = weight::page_weight(&weight::client().unwrap(), &url)
        .await
        .unwrap();
    // What the page references is counted: its stylesheet and both scripts, all compressed.
    let kinds: Vec<&str> = w.parts.iter().map(|p| p.kind).collect();
    assert_eq!(kinds, ["html", "css", "js", "js"], "{w:?}");
    assert!(
        w.parts.iter().all(|p| p.encoding == "br" && p.bytes > 0),
        "{w:?}"
    );
    let html = reqwest::get(&url).await.unwrap().text().await.unwrap();
    assert!(
        html.matches("class=\"post").count() >= 6,
        "the answers are on the page"
    );
    assert!(
        w.total() < weight::BUDGET,
        "the thread page weighs {} bytes compressed, over the budget of {}: {w:?}",
        w.total(),
        weight::BUDGET
    );
}

both_backends!(thread_page_weight_budget);

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The thread page as `cookie` sees it, and its CSRF token.
async fn thread_form(url: &str, cookie: &str) -> (String, String) {
    let html = no_redirects()
        .get(url)
        .header("accept", "text/html")
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let at = html.find("name=\"csrf\" value=\"").expect("a csrf field") + 19;
    let csrf = html[at..].split('"').next().unwrap().to_string();
    (html, csrf)
}

async fn post_form(
    url: &str,
    cookie: &str,
    htmx: bool,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let mut req = no_redirects()
        .post(url)
        .header("accept", "text/html")
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(
            url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(form)
                .finish(),
        );
    if htmx {
        req = req.header("hx-request", "true");
    }
    req.send().await.unwrap()
}

async fn answers_land_on_their_page(backend: Backend) {
    let peer = Peer::start_custom(backend, |s| s.rate_limits = false).await;
    peer.group("printers").await;
    let (alice, _) = peer.user("alice", false).await;
    let (bob, _) = peer.user("bob", false).await;
    let (carol, _) = peer.user("carol", false).await;
    let (s, q) = peer
        .api(
            Method::POST,
            Some(&alice),
            "/questions",
            Some(json!({"group": "printers", "title": "Printer offline", "body": "It says offline."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let qid = q["id"].as_str().unwrap().to_string();
    let per_page = peerdesk::db::queries::threads::ANSWERS_PER_PAGE;
    for i in 0..per_page {
        let (s, a) = peer
            .api(
                Method::POST,
                Some(&bob),
                &format!("/questions/{qid}/answers"),
                Some(json!({"body": format!("Try step {i}.")})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{a}");
    }
    let thread = peer.url(&format!("/q/{qid}"));
    let cookie = format!("pd_session={carol}");
    let (_, csrf) = thread_form(&thread, &cookie).await;
    let reply = peer.url(&format!("/p/{qid}/reply"));

    // The newest answer is the first of page 2: the poster is sent there, to its anchor.
    let resp = post_form(
        &reply,
        &cookie,
        false,
        &[("csrf", &csrf), ("body", "Restart the router.")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let to = resp.headers()["location"].to_str().unwrap().to_string();
    let prefix = format!("/q/{qid}?page=2#p");
    assert!(to.starts_with(&prefix), "{to}");
    let id = to[prefix.len()..].to_string();
    let (page2, csrf) = thread_form(&peer.url(&to), &cookie).await;
    assert!(page2.contains(&format!("id=\"p{id}\"")), "{page2}");
    assert!(page2.contains("Restart the router."));
    let (page1, _) = thread_form(&thread, &cookie).await;
    assert!(!page1.contains(&format!("id=\"p{id}\"")));

    // A comment on it stays on its page.
    let resp = post_form(
        &peer.url(&format!("/p/{id}/reply")),
        &cookie,
        false,
        &[("csrf", &csrf), ("body", "It worked after that.")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let to = resp.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with(&prefix), "{to}");

    // With htmx (which would swap page 2's answers into page 1) the browser navigates.
    let resp = post_form(
        &reply,
        &cookie,
        true,
        &[("csrf", &csrf), ("body", "Or reset it.")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let to = resp.headers()["hx-redirect"].to_str().unwrap();
    assert!(to.starts_with(&prefix), "{to}");
}

both_backends!(answers_land_on_their_page);
