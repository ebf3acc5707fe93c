//! Follow from your server, search-engine metadata, sitemap, robots.txt and Atom feeds,
//! against real instances and a stand-in remote server on loopback.

mod common;
use common::forms::client;

use common::scripted::Scripted;
use common::{Backend, Peer};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// The group page's pre-session cookie and CSRF token.
async fn form_session(peer: &Peer, path: &str) -> (String, String) {
    let resp = client()
        .get(peer.url(path))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let cookie = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("pd_anon="))
        .map(|v| v.split(';').next().unwrap().to_string())
        .expect("a pre-session cookie");
    let html = resp.text().await.unwrap();
    let at = html.find("name=\"csrf\" value=\"").expect("a csrf field") + 19;
    (cookie, html[at..].split('"').next().unwrap().to_string())
}

async fn follow(peer: &Peer, cookie: &str, csrf: &str, handle: &str) -> reqwest::Response {
    client()
        .post(peer.url("/g/help/follow"))
        .header("accept", "text/html")
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(
            url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs([("csrf", csrf), ("handle", handle)])
                .finish(),
        )
        .send()
        .await
        .unwrap()
}

async fn follow_from_your_server(backend: Backend) {
    let peer = Peer::start(backend).await;
    let group = peer.group("help").await;
    let remote = Scripted::start().await;
    let host = remote.base.trim_start_matches("http://").to_string();
    let jrd = json!({
        "subject": format!("acct:me@{host}"),
        "links": [
            {"rel": "self", "type": "application/activity+json", "href": format!("{}/users/me", remote.base)},
            {"rel": "http://ostatus.org/schema/1.0/subscribe", "template": format!("{}/authorize_interaction?uri={{uri}}", remote.base)}
        ]
    });
    remote.reply(
        "/.well-known/webfinger",
        200,
        "application/jrd+json",
        &jrd.to_string(),
    );
    let (cookie, csrf) = form_session(&peer, "/g/help").await;

    let resp = follow(&peer, &cookie, &csrf, &format!("@me@{host}")).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let encoded: String = url::form_urlencoded::byte_serialize(group.ap_id.as_bytes()).collect();
    assert_eq!(
        resp.headers()["location"].to_str().unwrap(),
        format!("{}/authorize_interaction?uri={encoded}", remote.base)
    );

    // A server without a template: the form comes back, filled, with the handle to paste.
    remote.reply(
        "/.well-known/webfinger",
        200,
        "application/jrd+json",
        &json!({"subject": format!("acct:me@{host}"), "links": []}).to_string(),
    );
    let resp = follow(&peer, &cookie, &csrf, &format!("me@{host}")).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("does not offer following"), "{html}");
    assert!(html.contains(&format!("value=\"me@{host}\"")), "{html}");
    assert!(html.contains(&format!("@{}", group.handle())), "{html}");

    // A malformed handle is refused without a request.
    let resp = follow(&peer, &cookie, &csrf, "not a handle").await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("@name@your.server"));

    // An unknown account.
    remote.reply("/.well-known/webfinger", 404, "text/plain", "no");
    let resp = follow(&peer, &cookie, &csrf, &format!("me@{host}")).await;
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("does not know this account"));

    // Each look-up makes a request to another server: limited per client address, the
    // form kept. Four were made above.
    for _ in 4..peerdesk::domain::login_limits::LOOKUPS_PER_ADDRESS {
        let resp = follow(&peer, &cookie, &csrf, &format!("me@{host}")).await;
        assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let resp = follow(&peer, &cookie, &csrf, &format!("again@{host}")).await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(resp.headers().contains_key("retry-after"));
    let html = resp.text().await.unwrap();
    assert!(html.contains("Too many look-ups"), "{html}");
    assert!(html.contains(&format!("value=\"again@{host}\"")), "{html}");
}

async fn metadata_feeds_and_sitemap(backend: Backend) {
    let peer = Peer::start(backend).await;
    peer.group("help").await;
    let (alice, _) = peer.user("alice", false).await;
    let (bob, _) = peer.user("bob", false).await;
    let (s, q) = peer
        .api(Method::POST, Some(&alice), "/questions", Some(json!({
            "group": "help", "title": "Router </script> blinks & beeps", "body": "It blinks red since Monday.", "tags": ["router"]
        })))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let qid = q["id"].as_str().unwrap().to_string();
    let (s, a) = peer
        .api(
            Method::POST,
            Some(&bob),
            &format!("/questions/{qid}/answers"),
            Some(json!({"body": "Unplug it for ten seconds."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");

    let html = client()
        .get(peer.url(&format!("/q/{qid}")))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + 35;
    let end = start + html[start..].find("</script>").unwrap();
    let ld: Value = serde_json::from_str(&html[start..end]).unwrap();
    assert_eq!(ld["@type"], "QAPage");
    let main = &ld["mainEntity"];
    assert_eq!(main["name"], "Router </script> blinks & beeps");
    assert_eq!(main["text"], "It blinks red since Monday.");
    assert_eq!(main["answerCount"], 1);
    assert_eq!(
        main["suggestedAnswer"][0]["text"],
        "Unplug it for ten seconds."
    );
    assert_eq!(main["author"]["name"], format!("@alice@{}", peer.domain));
    assert!(html.contains(&format!(
        "<link rel=\"canonical\" href=\"{}/q/{qid}\">",
        peer.base
    )));
    assert!(html.contains("<meta name=\"description\" content=\"It blinks red since Monday.\">"));

    let robots = client()
        .get(peer.url("/robots.txt"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(robots.contains("Disallow: /api/"));
    assert!(robots.contains(&format!("Sitemap: {}/sitemap.xml", peer.base)));
    let sitemap = client()
        .get(peer.url("/sitemap.xml"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        sitemap.contains(&format!("<loc>{}/q/{qid}</loc>", peer.base)),
        "{sitemap}"
    );

    let feed = client()
        .get(peer.url("/g/help/feed.atom"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // Well-formed XML, with the title escaped.
    let mut reader = quick_xml::Reader::from_str(&feed);
    let mut entries = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e)) if e.name().as_ref() == b"entry" => entries += 1,
            Ok(quick_xml::events::Event::Eof) => break,
            Err(e) => panic!("not well-formed: {e}\n{feed}"),
            _ => {}
        }
    }
    assert_eq!(entries, 1, "{feed}");
    assert!(
        feed.contains("<title>Router &lt;/script&gt; blinks &amp; beeps</title>"),
        "{feed}"
    );
    let answers = client()
        .get(peer.url(&format!("/q/{qid}/feed.atom")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(answers.contains("Unplug it for ten seconds."), "{answers}");
}

both_backends!(follow_from_your_server, metadata_feeds_and_sitemap);
