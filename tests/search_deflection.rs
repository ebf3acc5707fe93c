//! Search deflection: search results link through `/search/open`, which counts the click
//! for the result's group and leads to the result. A click is deflection unless the same
//! person asks a question within a day, also when they clicked as a visitor and signed in
//! from the same browser before asking. The metrics page, CSV and API count them.

mod common;
use common::forms::{anon_page, client, cookie, csrf_field, page_at, post};
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

/// The first search result's link on `/search?q=…` for `cookie`.
async fn first_result(peer: &Peer, q: &str, cookie: &str) -> String {
    let (s, html) = page_at(&peer.url(""), &format!("/search?q={q}"), cookie).await;
    assert_eq!(s, StatusCode::OK);
    let at = html
        .find("href=\"/search/open?p=")
        .unwrap_or_else(|| panic!("a result link in {html}"))
        + 6;
    html[at..].split('"').next().unwrap().to_string()
}

/// Opens a result link: where it leads.
async fn open(peer: &Peer, link: &str, cookie: &str) -> String {
    let resp = client()
        .get(peer.url(link))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{link}");
    resp.headers()["location"].to_str().unwrap().to_string()
}

async fn ask(peer: &Peer, token: &str, title: &str) -> String {
    let (s, q) = peer
        .api(
            Method::POST,
            Some(token),
            "/questions",
            Some(json!({"group": "help", "title": title, "body": "More about the problem"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    q["id"].as_str().unwrap().to_string()
}

async fn search_clicks_count(backend: Backend) {
    let peer = Peer::start(backend).await;
    let (admin, _) = peer.user("admin", true).await;
    let (alice, _) = peer.user("alice", false).await;
    let (bob, _) = peer.user("bob", false).await;
    let (_carol, _) = peer.user("carol", false).await;
    peer.group("help").await;
    let q = ask(&peer, &alice, "Bluetooth headset keeps disconnecting").await;
    let (s, a) = peer
        .api(
            Method::POST,
            Some(&bob),
            &format!("/questions/{q}/answers"),
            Some(json!({"body": "Forget the headset in the settings and pair it again"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");

    // Alice opens a result and asks nothing: deflected. The link leads to the question.
    let link = first_result(&peer, "bluetooth", &cookie(&alice)).await;
    assert!(open(&peer, &link, &cookie(&alice))
        .await
        .starts_with(&format!("/q/{q}")));

    // Bob opens a result, then asks anyway: not deflected.
    let link = first_result(&peer, "headset", &cookie(&bob)).await;
    open(&peer, &link, &cookie(&bob)).await;
    ask(&peer, &bob, "Headset microphone is too quiet on calls").await;

    // A visitor opens a result, signs in as carol from that browser and asks: not
    // deflected either.
    let (anon, html) = anon_page(&peer.url("/signin")).await;
    let link = first_result(&peer, "pair", &anon).await;
    open(&peer, &link, &anon).await;
    let csrf = csrf_field(&html);
    let resp = post(
        &peer.url(""),
        "/signin",
        &anon,
        &[
            ("csrf", csrf.as_str()),
            ("username", "carol"),
            ("password", "correct horse battery"),
            ("next", ""),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let session = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("pd_session="))
        .map(|v| {
            v.split(';')
                .next()
                .unwrap()
                .trim_start_matches("pd_session=")
                .to_string()
        })
        .expect("a session");
    ask(&peer, &session, "Headset battery drains overnight").await;

    // Another visitor opens a result and leaves: deflected.
    let (anon2, _) = anon_page(&peer.url("/search")).await;
    let link = first_result(&peer, "bluetooth", &anon2).await;
    open(&peer, &link, &anon2).await;

    let (s, m) = peer
        .api(
            Method::GET,
            Some(&admin),
            "/groups/help/metrics?days=7",
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{m}");
    assert_eq!(m["search_clicks"], 4, "{m}");
    assert_eq!(m["search_deflected"], 2, "{m}");
    assert_eq!(m["search_deflection_rate"], 0.5, "{m}");
    let (s, csv) = page_at(
        &peer.url(""),
        "/g/help/mod/metrics.csv?days=7",
        &cookie(&admin),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(csv.contains("search_clicks,4\n"), "{csv}");
    assert!(csv.contains("search_deflection_percent,50.0\n"), "{csv}");

    // Bad and unknown results: a 404 page, nothing counted.
    for bad in ["/search/open?p=abc", "/search/open", "/search/open?p=12345"] {
        let (s, _) = page_at(&peer.url(""), bad, &cookie(&alice)).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{bad}");
    }
    let (_, m) = peer
        .api(
            Method::GET,
            Some(&admin),
            "/groups/help/metrics?days=7",
            None,
        )
        .await;
    assert_eq!(m["search_clicks"], 4, "{m}");
}

both_backends!(search_clicks_count);
