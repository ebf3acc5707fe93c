//! The web app over plain HTTP: pages beside ActivityPub JSON, languages, cookies and
//! CSRF protection of forms, readable error pages.

mod common;

use common::{Backend, Peer};
use reqwest::header::{HeaderMap, ACCEPT, ACCEPT_LANGUAGE, CONTENT_SECURITY_POLICY, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::json;

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn page(url: &str, lang: &str, cookie: &str) -> (StatusCode, HeaderMap, String) {
    let resp = client()
        .get(url)
        .header(ACCEPT, "text/html")
        .header(ACCEPT_LANGUAGE, lang)
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    let (s, h) = (resp.status(), resp.headers().clone());
    (s, h, resp.text().await.unwrap())
}

/// The `name=value` of a `Set-Cookie` of a response, and the whole header.
fn set_cookie(h: &HeaderMap, name: &str) -> Option<(String, String)> {
    h.get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| (v.split(';').next().unwrap().to_string(), v.to_string()))
}

fn csrf_field(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a csrf field") + 19;
    html[at..].split('"').next().unwrap().to_string()
}

async fn post_form(
    url: &str,
    cookie: &str,
    origin: Option<&str>,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let mut req = client()
        .post(url)
        .header(ACCEPT, "text/html")
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(
            url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(form)
                .finish(),
        );
    if let Some(o) = origin {
        req = req.header("origin", o);
    }
    req.send().await.unwrap()
}

async fn pages_beside_activitypub(backend: Backend) {
    let peer = Peer::start(backend).await;
    peer.group("help").await;
    let (alice, _) = peer.user("alice", false).await;
    let (s, q) = peer
        .api(Method::POST, Some(&alice), "/questions", Some(json!({
            "group": "help", "title": "How do I <reset> my router?", "body": "It blinks.", "tags": ["router"]
        })))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let qid = q["id"].as_str().unwrap();

    let (s, h, html) = page(&peer.url("/g/help"), "en", "").await;
    assert_eq!(s, StatusCode::OK);
    assert!(h[CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .contains("script-src 'self'"));
    assert!(
        html.contains("my router?") && !html.contains("<reset>"),
        "escaped: {html}"
    );
    assert!(
        !html.contains("<style") && !html.contains("<script>"),
        "no inline style or script"
    );
    assert!(html.contains("<html lang=\"en\">"));
    let (s, group) = peer.get_ap("/g/help").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(group["type"], "Group", "ActivityPub clients still get JSON");

    let (_, _, de) = page(&peer.url(&format!("/q/{qid}")), "de-DE,de;q=0.9", "").await;
    assert!(
        de.contains("<html lang=\"de\">") && de.contains("Gefragt von"),
        "{de}"
    );
    let (_, _, home) = page(&peer.url("/"), "fr, en;q=0.5", "").await;
    assert!(
        home.contains("one question") && home.contains("<html lang=\"en\">"),
        "{home}"
    );

    // The sort and tag filters of the API, on the page.
    let (_, _, solved) = page(&peer.url("/g/help?sort=solved"), "en", "").await;
    assert!(!solved.contains("my router?"));
    let (_, _, tagged) = page(&peer.url("/g/help?tag=router"), "en", "").await;
    assert!(tagged.contains("my router?"));
    let (s, _, bad) = page(&peer.url("/g/help?sort=sideways"), "en", "").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(bad.contains("<h1>"), "a readable page");

    // Readable 404 and 410 pages; JSON for API clients.
    let (s, _, html) = page(&peer.url("/q/999999"), "en", "").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(html.contains("Not found"));
    let (s, _, html) = page(&peer.url("/no/such/page"), "en", "").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(html.contains("Not found"));
    let resp = client()
        .get(peer.url("/no/such/page"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        resp.json::<serde_json::Value>().await.unwrap()["error"],
        "not_found"
    );
    let (s, _) = peer
        .api(Method::DELETE, Some(&alice), &format!("/posts/{qid}"), None)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _, html) = page(&peer.url(&format!("/q/{qid}")), "en", "").await;
    assert_eq!(s, StatusCode::GONE);
    assert!(
        html.contains("Deleted question") && !html.contains("my router"),
        "{html}"
    );
}

async fn forms_are_protected(backend: Backend) {
    let peer = Peer::start(backend).await;
    peer.user("alice", false).await;
    let signin = peer.url("/signin");

    // A form page sets the pre-session cookie its token belongs to.
    let (_, h, html) = page(&signin, "en", "").await;
    let (anon, _) = set_cookie(&h, "pd_anon").expect("pre-session cookie");
    let token = csrf_field(&html);

    let (user, pass) = (("username", "alice"), ("password", "correct horse battery"));
    // No token, a wrong token, a token without its cookie, another site: refused.
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, Option<&'a str>);
    let cases: Vec<Case> = vec![
        (&anon, vec![user, pass], None),
        (&anon, vec![user, pass, ("csrf", "wrong")], None),
        ("", vec![user, pass, ("csrf", &token)], None),
        (
            &anon,
            vec![user, pass, ("csrf", &token)],
            Some("http://evil.example"),
        ),
    ];
    for (cookie, fields, origin) in cases {
        let resp = post_form(&signin, cookie, origin, &fields).await;
        assert_eq!(resp.status(), StatusCode::FORBIDDEN);
        assert!(set_cookie(resp.headers(), "pd_session").is_none());
        assert!(resp
            .text()
            .await
            .unwrap()
            .contains("The form could not be sent"));
    }

    // A wrong password: the form again, the name kept, the message next to it.
    let mut wrong = vec![("username", "alice"), ("password", "nope nope nope")];
    wrong.push(("csrf", token.as_str()));
    let resp = post_form(&signin, &anon, Some(&peer.base), &wrong).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let html = resp.text().await.unwrap();
    assert!(html.contains("Wrong user name or password") && html.contains("value=\"alice\""));
    assert!(html.contains("aria-describedby=\"form-error\""));

    let good = vec![user, pass, ("csrf", token.as_str())];
    let resp = post_form(&signin, &anon, Some(&peer.base), &good).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (session, header) = set_cookie(resp.headers(), "pd_session").expect("a session");
    for attr in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(header.contains(attr), "{header}");
    }
    assert!(
        !header.contains("Secure"),
        "plain http in insecure mode: {header}"
    );
    // The session token is the API's: it works as a bearer token.
    let bearer = session.split_once('=').unwrap().1;
    let (s, me) = peer.api(Method::GET, Some(bearer), "/me", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(me["name"], "alice");

    // Signed in, the forms carry the session's token; the old one no longer works.
    let (_, _, html) = page(&peer.url("/settings/password"), "en", &session).await;
    let session_token = csrf_field(&html);
    assert_ne!(session_token, token);
    let out = post_form(&peer.url("/signout"), &session, None, &[("csrf", &token)]).await;
    assert_eq!(out.status(), StatusCode::FORBIDDEN);
    let out = post_form(
        &peer.url("/signout"),
        &session,
        None,
        &[("csrf", &session_token)],
    )
    .await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let (s, _) = peer.api(Method::GET, Some(bearer), "/me", None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "signing out ends the session");
}

async fn closed_registrations(backend: Backend) {
    let peer = Peer::start_custom(backend, |s| s.open_registrations = false).await;
    let (s, h, html) = page(&peer.url("/signup"), "en", "").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(html.contains("Registrations are closed"));
    let (anon, _) = set_cookie(&h, "pd_anon").unwrap();
    let token = csrf_field(&page(&peer.url("/signin"), "en", &anon).await.2);
    let resp = post_form(
        &peer.url("/signup"),
        &anon,
        None,
        &[
            ("csrf", &token),
            ("username", "mallory"),
            ("password", "long enough pw"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let n = peer.query(peerdesk::db::queries::users::count).await;
    assert_eq!(n, 0, "no account was created");
}

both_backends!(
    pages_beside_activitypub,
    forms_are_protected,
    closed_registrations
);
