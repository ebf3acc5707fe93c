//! The embeddable help widget over plain HTTP: the loader script, the framed page's
//! suggestions for a topic (an article and a solved question, not an open one), its
//! search, its headers (framable by any site, or only by the sites the moderators list;
//! every other page stays unframable), the settings' API and page with refused roles and
//! origins, the ask form prefilled through sign-in, German, and the size budget.

mod common;
use common::forms::{client, cookie, csrf_field, page, post};
use common::{Backend, Peer};
use reqwest::{Method, StatusCode};
use serde_json::json;

/// A solved thread (with an article written from it) and an open one in `acme`.
async fn seed(peer: &Peer, admin: &str, alice: &str, bob: &str) {
    let ask = |title: &'static str| json!({"group": "acme", "title": title, "body": "It stops halfway through.", "tags": ["scanner"]});
    let (s, solved) = peer
        .api(
            Method::POST,
            Some(alice),
            "/questions",
            Some(ask("Scanner jams on thick paper")),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{solved}");
    let qid = solved["id"].as_str().unwrap().to_string();
    let (s, a) = peer
        .api(
            Method::POST,
            Some(bob),
            &format!("/questions/{qid}/answers"),
            Some(json!({"body": "Clean the feed roller with a dry cloth."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let (s, v) = peer
        .api(
            Method::PUT,
            Some(alice),
            &format!("/questions/{qid}/accepted"),
            Some(json!({"answer_id": a["id"]})),
        )
        .await;
    assert!(s.is_success(), "{v}");
    let (s, art) = peer
        .api(
            Method::POST,
            Some(admin),
            &format!("/questions/{qid}/article"),
            Some(json!({"title": "Cleaning the scanner's feed roller"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{art}");
    let (s, open) = peer
        .api(
            Method::POST,
            Some(alice),
            "/questions",
            Some(ask("Scanner driver crashes on start")),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{open}");
}

async fn get(url: &str, lang: &str) -> reqwest::Response {
    client()
        .get(url)
        .header("accept", "text/html")
        .header("accept-language", lang)
        .send()
        .await
        .unwrap()
}

fn header(resp: &reqwest::Response, name: &str) -> String {
    resp.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

async fn widget_over_http(backend: Backend) {
    let peer = Peer::start(backend).await;
    peer.group("acme").await;
    let (admin, _) = peer.user("root", true).await;
    let (alice, _) = peer.user("alice", false).await;
    let (bob, _) = peer.user("bob", false).await;
    seed(&peer, &admin, &alice, &bob).await;

    // The loader: a script that frames the widget page.
    let js = get(&peer.url("/embed.js"), "en").await;
    assert_eq!(js.status(), StatusCode::OK);
    assert!(header(&js, "content-type").starts_with("text/javascript"));
    let js = js.text().await.unwrap();
    assert!(js.contains("/embed/g/") && js.contains("iframe"), "{js}");

    // Suggestions for the page's topic: the article and the solved question, not the
    // open one. Any site may frame it; nothing tells browsers otherwise.
    let resp = get(&peer.url("/embed/g/acme?topic=scanner+paper"), "en").await;
    assert_eq!(resp.status(), StatusCode::OK);
    let csp = header(&resp, "content-security-policy");
    assert!(csp.contains("frame-ancestors *"), "{csp}");
    assert!(
        csp.contains("script-src 'self'") && csp.contains("connect-src 'self'"),
        "{csp}"
    );
    assert!(header(&resp, "x-frame-options").is_empty());
    let html = resp.text().await.unwrap();
    let suggested = &html[html.find("id=\"w-suggested\"").expect("suggestions")..];
    let suggested = &suggested[..suggested.find("</section>").unwrap()];
    assert!(
        suggested.contains("Cleaning the scanner&#39;s feed roller"),
        "{suggested}"
    );
    assert!(
        suggested.contains("Scanner jams on thick paper"),
        "{suggested}"
    );
    assert!(!suggested.contains("driver crashes"), "{suggested}");
    assert!(html.contains("action=\"/g/acme/ask\"") && html.contains("target=\"_blank\""));
    assert!(
        html.contains("href=\"/g/acme/follow\""),
        "continue as a fediverse user"
    );
    assert!(!html.contains("htmx"), "the widget loads no htmx");

    // A search finds the open question too; nothing found says so.
    let html = get(&peer.url("/embed/g/acme?q=driver"), "en")
        .await
        .text()
        .await
        .unwrap();
    let results = &html[html.find("id=\"w-results\"").expect("results")..];
    assert!(
        results[..results.find("</section>").unwrap()].contains("Scanner driver crashes on start")
    );
    let html = get(&peer.url("/embed/g/acme?q=zebra"), "en")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"w-none\""), "{html}");
    // A long search is cut, not refused.
    let long = "ü".repeat(300);
    let resp = get(&peer.url(&format!("/embed/g/acme?q={long}")), "en").await;
    assert_eq!(resp.status(), StatusCode::OK);
    // In German, by the browser or by data-lang.
    let de = get(&peer.url("/embed/g/acme"), "de")
        .await
        .text()
        .await
        .unwrap();
    assert!(de.contains("Die Community durchsuchen"), "{de}");
    let de = get(&peer.url("/embed/g/acme?lang=de"), "en")
        .await
        .text()
        .await
        .unwrap();
    assert!(de.contains("lang=\"de\"") && de.contains("name=\"lang\" value=\"de\""));
    // An unknown group: a framable 404 that says so.
    let missing = get(&peer.url("/embed/g/nope"), "en").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(header(&missing, "content-security-policy").contains("frame-ancestors *"));

    // Every other page stays unframable.
    for path in ["/g/acme", "/", "/search?q=scanner", "/g/acme/mod/widget"] {
        let resp = get(&peer.url(path), "en").await;
        assert_eq!(header(&resp, "x-frame-options"), "DENY", "{path}");
        assert!(
            header(&resp, "content-security-policy").contains("frame-ancestors 'none'"),
            "{path}"
        );
    }

    // The sites that may embed it: refused to a non-moderator, a bad origin refused.
    let (s, w) = peer
        .api(Method::GET, None, "/groups/acme/widget", None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(w["allowed_origins"], json!([]));
    assert!(w["snippet"]
        .as_str()
        .unwrap()
        .contains("data-group=\"acme\""));
    let body = json!({"allowed_origins": ["https://docs.acme.example/"]});
    let (s, _) = peer
        .api(
            Method::PUT,
            Some(&alice),
            "/groups/acme/widget",
            Some(body.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let bad = json!({"allowed_origins": ["javascript:alert(1)"]});
    let (s, _) = peer
        .api(Method::PUT, Some(&admin), "/groups/acme/widget", Some(bad))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, w) = peer
        .api(Method::PUT, Some(&admin), "/groups/acme/widget", Some(body))
        .await;
    assert_eq!(s, StatusCode::OK, "{w}");
    assert_eq!(w["allowed_origins"], json!(["https://docs.acme.example"]));
    let resp = get(&peer.url("/embed/g/acme"), "en").await;
    let csp = header(&resp, "content-security-policy");
    assert!(
        csp.contains("frame-ancestors https://docs.acme.example;"),
        "{csp}"
    );
    assert!(header(&resp, "x-frame-options").is_empty());

    // The settings page: the snippet, and origins set from its form (a bad line refused
    // and kept); a visitor gets 403.
    let (s, _) = page(&peer.url("/g/acme/mod/widget"), &cookie(&alice)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, html) = page(&peer.url("/g/acme/mod/widget"), &cookie(&admin)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("/embed.js") && html.contains("https://docs.acme.example"),
        "{html}"
    );
    let csrf = csrf_field(&html);
    let resp = post(
        &peer.base,
        "/g/acme/mod/widget",
        &cookie(&admin),
        &[
            ("csrf", &csrf),
            ("origins", "https://a.example\nnot an origin"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("id=\"origins-error\"") && html.contains("not an origin"),
        "{html}"
    );
    let resp = post(
        &peer.base,
        "/g/acme/mod/widget",
        &cookie(&admin),
        &[("csrf", &csrf), ("origins", "")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let resp = get(&peer.url("/embed/g/acme"), "en").await;
    assert!(header(&resp, "content-security-policy").contains("frame-ancestors *"));

    // "Ask" opens the full form prefilled, through sign-in when signed out.
    let resp = get(
        &peer.url("/g/acme/ask?title=Paper+tray+squeaks&body=Since+Monday"),
        "en",
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let to = header(&resp, "location");
    assert_eq!(
        to,
        "/signin?next=%2Fg%2Facme%2Fask%3Ftitle%3DPaper%2Btray%2Bsqueaks%26body%3DSince%2BMonday"
    );
    let (s, html) = page(
        &peer.url("/g/acme/ask?title=Paper+tray+squeaks&body=Since+Monday"),
        &cookie(&alice),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("value=\"Paper tray squeaks\"") && html.contains(">Since Monday</textarea>"),
        "{html}"
    );

    // Under the size budget: the page, its stylesheet and script, and the loader.
    let http = peerdesk::bench::weight::client().unwrap();
    let w = peerdesk::bench::weight::page_weight(&http, &peer.url("/embed/g/acme?topic=scanner"))
        .await
        .unwrap();
    let loader = http
        .get(peer.url("/embed.js"))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .len();
    let total = w.total() + loader;
    assert!(w.parts.len() == 3, "{:?}", w.parts);
    assert!(
        total < peerdesk::bench::weight::WIDGET_BUDGET,
        "the widget weighs {total} bytes"
    );
}

both_backends!(widget_over_http);
