//! The web app over plain HTTP: pages beside ActivityPub JSON, languages, cookies and
//! CSRF protection of forms, readable error pages.

mod common;
use common::forms::{client, csrf_field};

use common::{Backend, Peer};
use reqwest::header::{HeaderMap, ACCEPT, ACCEPT_LANGUAGE, CONTENT_SECURITY_POLICY, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::json;

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

/// The thread's forms without JavaScript: answer (preview, refusal, success), comment,
/// vote with its toggle, accept (refused to others), edit and history, report, delete,
/// locked threads and signed-out visitors.
async fn thread_forms(backend: Backend) {
    let peer = Peer::start(backend).await;
    peer.group("help").await;
    let (alice, _) = peer.user("alice", false).await;
    let (bob, _) = peer.user("bob", false).await;
    let (s, q) = peer
        .api(Method::POST, Some(&alice), "/questions", Some(json!({
            "group": "help", "title": "Printer offline", "body": "It says offline.", "tags": ["printer"]
        })))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let qid = q["id"].as_str().unwrap().to_string();
    let thread = peer.url(&format!("/q/{qid}"));
    let (a_cookie, b_cookie) = (format!("pd_session={alice}"), format!("pd_session={bob}"));

    // Signed out: a sign-in link that comes back here, no forms.
    let (_, _, html) = page(&thread, "en", "").await;
    assert!(
        html.contains(&format!("/signin?next=%2Fq%2F{qid}")),
        "{html}"
    );
    assert!(!html.contains("answer-form"));
    let (_, _, signin) = page(&peer.url(&format!("/signin?next=%2Fq%2F{qid}")), "en", "").await;
    assert!(signin.contains(&format!("name=\"next\" value=\"/q/{qid}\"")));
    let (_, _, evil) = page(&peer.url("/signin?next=%2F%2Fevil.example"), "en", "").await;
    assert!(
        !evil.contains("name=\"next\""),
        "other sites are no return target"
    );

    let (_, _, html) = page(&thread, "en", &b_cookie).await;
    let token = csrf_field(&html);
    assert!(html.contains("id=\"answer-form\""));
    assert!(!html.contains("/accept\""), "bob may not accept");
    let reply = peer.url(&format!("/p/{qid}/reply"));

    // CSRF: a wrong token changes nothing.
    let resp = post_form(&reply, &b_cookie, None, &[("csrf", "nope"), ("body", "x")]).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    // Preview renders the markdown with the posts' sanitiser; nothing is posted.
    let typed = "Press **reset** <script>alert(1)</script>";
    let resp = post_form(
        &reply,
        &b_cookie,
        None,
        &[("csrf", &token), ("body", typed), ("preview", "1")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let html = resp.text().await.unwrap();
    assert!(html.contains("<strong>reset</strong>") && !html.contains("<script>alert"));
    assert!(
        html.contains("Press **reset** &#60;script&#62;"),
        "the typed text is kept"
    );
    // Empty: refused with the message next to the field, the form kept.
    let resp = post_form(
        &reply,
        &b_cookie,
        None,
        &[("csrf", &token), ("body", "   ")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("Write some text first") && html.contains("aria-invalid=\"true\""));
    assert!(html.contains("aria-describedby=\"answer-hint answer-error\""));
    // Too long: the typed text comes back.
    let long = "x".repeat(50_001);
    let resp = post_form(
        &reply,
        &b_cookie,
        None,
        &[("csrf", &token), ("body", &long)],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains(&long));
    // Success: 303 to the new answer's anchor.
    let resp = post_form(
        &reply,
        &b_cookie,
        None,
        &[("csrf", &token), ("body", "Press reset.")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let to = resp.headers()["location"].to_str().unwrap().to_string();
    let aid = to.rsplit_once("#p").expect("an anchor").1.to_string();
    assert!(to.starts_with(&format!("/q/{qid}#p")));
    let (_, t) = peer
        .api(Method::GET, None, &format!("/questions/{qid}"), None)
        .await;
    assert_eq!(t["answers"][0]["id"], aid.as_str(), "{t}");

    // A comment on the answer.
    let resp = post_form(
        &peer.url(&format!("/p/{aid}/reply")),
        &a_cookie,
        None,
        &[
            ("csrf", &csrf_field(&page(&thread, "en", &a_cookie).await.2)),
            ("body", "Thanks!"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, _, html) = page(&thread, "en", "").await;
    assert!(html.contains("Thanks!"));

    // Votes: up, shown pressed; the same again withdraws it.
    let vote = peer.url(&format!("/p/{aid}/vote"));
    let resp = post_form(
        &vote,
        &a_cookie,
        None,
        &[
            ("csrf", &csrf_field(&page(&thread, "en", &a_cookie).await.2)),
            ("value", "up"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, _, html) = page(&thread, "en", &a_cookie).await;
    let a_token = csrf_field(&html);
    assert!(
        html.contains(&format!(
            "id=\"vote-up-{aid}\" name=\"value\" value=\"up\" aria-pressed=\"true\""
        )),
        "{html}"
    );
    let (_, p) = peer
        .api(Method::GET, None, &format!("/questions/{qid}"), None)
        .await;
    assert_eq!(p["answers"][0]["score"], 1);
    post_form(
        &vote,
        &a_cookie,
        None,
        &[("csrf", &a_token), ("value", "up")],
    )
    .await;
    let (_, p) = peer
        .api(Method::GET, None, &format!("/questions/{qid}"), None)
        .await;
    assert_eq!(
        p["answers"][0]["score"], 0,
        "the second click withdraws the vote"
    );

    // Accept: refused to bob with a readable message, done by the asker.
    let accept = peer.url(&format!("/p/{aid}/accept"));
    let resp = post_form(
        &accept,
        &b_cookie,
        None,
        &[("csrf", &token), ("accept", "1")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(resp.text().await.unwrap().contains("Only the asker"));
    let (_, _, html) = page(&thread, "en", &a_cookie).await;
    assert!(html.contains(&format!("id=\"accept-{aid}\"")));
    let resp = post_form(
        &accept,
        &a_cookie,
        None,
        &[("csrf", &a_token), ("accept", "1")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, p) = peer
        .api(Method::GET, None, &format!("/questions/{qid}"), None)
        .await;
    assert_eq!(p["question"]["accepted_answer_id"], aid.as_str(), "{p}");

    // Edit: bob may not edit alice's question; a bad title keeps the form; then history.
    let edit = peer.url(&format!("/p/{qid}/edit"));
    let (s, _, _) = page(&edit, "en", &b_cookie).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, html) = page(&edit, "en", &a_cookie).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("It says offline.") && html.contains("value=\"printer\""));
    let resp = post_form(
        &edit,
        &a_cookie,
        None,
        &[
            ("csrf", &a_token),
            ("title", "x"),
            ("body", "Kept text"),
            ("tags", "printer"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("Kept text") && html.contains("aria-describedby=\"title-error\""));
    let resp = post_form(
        &edit,
        &a_cookie,
        None,
        &[
            ("csrf", &a_token),
            ("title", "Printer offline after update"),
            ("body", "It says offline since the update."),
            ("tags", "printer, wifi"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, _, html) = page(&peer.url(&format!("/p/{qid}/history")), "en", "").await;
    assert!(
        html.contains("since the update") && html.contains("It says offline."),
        "{html}"
    );
    let (_, p) = peer
        .api(Method::GET, None, &format!("/questions/{qid}"), None)
        .await;
    assert_eq!(p["question"]["tags"], json!(["printer", "wifi"]));

    // Report: the reason is needed; then sent.
    let report = peer.url(&format!("/p/{qid}/report"));
    let resp = post_form(
        &report,
        &b_cookie,
        None,
        &[("csrf", &token), ("reason", " ")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("aria-describedby=\"reason-hint reason-error\""));
    let resp = post_form(
        &report,
        &b_cookie,
        None,
        &[
            ("csrf", &token),
            ("reason", "Spam link"),
            ("anonymous", "1"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, _, html) = page(
        &peer.url(&format!("/p/{qid}/report?done=new")),
        "en",
        &b_cookie,
    )
    .await;
    assert!(html.contains("report-sent"));

    // Locked: no answer form, a notice, and a posted answer refused with the text kept.
    let (admin, _) = peer.user("root", true).await;
    let (s, v) = peer
        .api(
            Method::PUT,
            Some(&admin),
            &format!("/questions/{qid}/lock"),
            Some(json!({"locked": true, "reason": "done"})),
        )
        .await;
    assert!(s.is_success(), "{s} {v}");
    let (_, _, html) = page(&thread, "en", &b_cookie).await;
    assert!(html.contains("locked-notice") && !html.contains("id=\"answer-form\""));
    let resp = post_form(
        &reply,
        &b_cookie,
        None,
        &[("csrf", &token), ("body", "Late answer")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let html = resp.text().await.unwrap();
    assert!(html.contains("This thread is locked"));

    // Delete with a confirmation step; the answer becomes a tombstone without actions.
    let delete = peer.url(&format!("/p/{aid}/delete"));
    let (s, _, html) = page(&delete, "en", &b_cookie).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("delete-confirm"));
    let resp = post_form(&delete, &b_cookie, None, &[("csrf", &token)]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, _, html) = page(&thread, "en", &b_cookie).await;
    assert!(
        !html.contains(&format!("/p/{aid}/vote")),
        "no actions on a deleted post"
    );
    let (s, _, _) = page(&peer.url(&format!("/p/{aid}/history")), "en", "").await;
    assert_eq!(s, StatusCode::GONE, "the history of a deleted post is gone");
}

both_backends!(
    thread_forms,
    pages_beside_activitypub,
    forms_are_protected,
    closed_registrations
);

// ask, settings, notifications

/// The value of the hidden field `name` of a form.
fn hidden(html: &str, name: &str) -> String {
    let pat = format!("name=\"{name}\" id=\"ask-token\" value=\"");
    let at = html.find(&pat).expect("the field") + pat.len();
    html[at..].split('"').next().unwrap().to_string()
}

async fn ask_form_and_guidelines(backend: Backend) {
    let peer = Peer::start(backend).await;
    peer.group("help").await;
    let (alice, _) = peer.user("alice", false).await;
    let (bob, _) = peer.user("bob", false).await;
    let (admin, _) = peer.user("root", true).await;
    let cookie = format!("pd_session={alice}");
    let ask_url = peer.url("/ask");

    // A solved and an unsolved question to be suggested.
    let new_q = |title: &'static str| {
        let (peer, bob) = (&peer, bob.clone());
        async move {
            let (s, q) = peer
                .api(
                    Method::POST,
                    Some(&bob),
                    "/questions",
                    Some(json!({
                        "group": "help", "title": title, "body": "It blinks red all the time."
                    })),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{q}");
            q["id"].as_str().unwrap().to_string()
        }
    };
    let open_q = new_q("Router light blinking red again and again").await;
    let solved = new_q("Router blinking red").await;
    let (s, a) = peer
        .api(
            Method::POST,
            Some(&admin),
            &format!("/questions/{solved}/answers"),
            Some(json!({"body": "Replace the power supply.\n\nIt fixed it for me."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let (s, _) = peer
        .api(
            Method::PUT,
            Some(&bob),
            &format!("/questions/{solved}/accepted"),
            Some(json!({"answer_id": a["id"]})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);

    // Signed out, the form sends to the sign-in page.
    let (s, h, _) = page(&ask_url, "en", "").await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(h["location"], "/signin?next=%2Fask");

    // The group's form shows its guidelines to accept: alice never posted there.
    let (s, _, html) = page(&peer.url("/g/help/ask"), "en", &cookie).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("Be kind") && html.contains("id=\"guidelines-ok\""),
        "{html}"
    );
    assert!(
        html.contains("<option value=\"help\" selected>"),
        "the group is chosen"
    );
    let csrf = csrf_field(&html);
    let token = hidden(&html, "ask");

    // Similar questions while typing: solved first, with its accepted answer's first lines.
    let (s, _, part) = page(
        &peer.url(&format!(
            "/ask/similar?title=router+blinking+red&group=help&ask={token}"
        )),
        "en",
        &cookie,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (first, second) = (
        part.find(&format!("q={solved}"))
            .expect("the solved question"),
        part.find(&format!("q={open_q}"))
            .expect("the open question"),
    );
    assert!(first < second, "solved first: {part}");
    assert!(
        part.contains("Replace the power supply. It fixed it for me."),
        "{part}"
    );
    // Without JavaScript, the button asks the same.
    let form = |title: &str, body: &str, ticked: bool, intent: &str| {
        let mut f = vec![
            ("csrf".to_string(), csrf.clone()),
            ("ask".to_string(), token.clone()),
            ("group".to_string(), "help".to_string()),
            ("title".to_string(), title.to_string()),
            ("body".to_string(), body.to_string()),
            ("tags".to_string(), "router, power".to_string()),
            ("intent".to_string(), intent.to_string()),
        ];
        if ticked {
            f.push(("guidelines".to_string(), "on".to_string()));
        }
        f
    };
    let send = |f: Vec<(String, String)>| {
        let (url, cookie) = (ask_url.clone(), cookie.clone());
        async move {
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            post_form(&url, &cookie, None, &f).await
        }
    };
    let resp = send(form("router blinking", "", false, "similar")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("Replace the power supply"));

    // Opening a suggestion is counted for the form's token.
    let resp = client()
        .get(peer.url(&format!("/ask/open?q={solved}&ask={token}")))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        resp.headers()["location"].to_str().unwrap(),
        format!("/q/{solved}")
    );
    let (s, d) = peer
        .api(Method::GET, Some(&admin), "/admin/deflection", None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (d["opened"].as_i64(), d["deflected"].as_i64()),
        (Some(1), Some(1)),
        "{d}"
    );
    let (s, _) = peer
        .api(Method::GET, Some(&alice), "/admin/deflection", None)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // No CSRF token: refused, nothing asked.
    let mut no_csrf = form("My router blinks", "Help", true, "post");
    no_csrf.remove(0);
    let resp = send(no_csrf).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);

    // A short title: refused next to the field, everything kept.
    let resp = send(form("ab", "It **blinks**.", true, "post")).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("id=\"title-error\"") && html.contains("3 to 200 characters"),
        "{html}"
    );
    assert!(html.contains("value=\"ab\"") && html.contains("It **blinks**.</textarea>"));
    assert!(html.contains("value=\"router, power\""));

    // The preview renders the markdown on the server.
    let resp = send(form("My router blinks", "It **blinks**.", false, "preview")).await;
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("It <strong>blinks</strong>."));

    // The first post in the group needs the guidelines ticked.
    let resp = send(form("My router blinks", "It **blinks**.", false, "post")).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("id=\"guidelines-error\"") && html.contains("tick the box"),
        "{html}"
    );
    assert!(html.contains("value=\"My router blinks\""));
    let (s, list) = peer
        .api(Method::GET, None, "/questions?group=help", None)
        .await;
    assert_eq!(
        (s, list.as_array().unwrap().len()),
        (StatusCode::OK, 2),
        "nothing asked yet"
    );

    let resp = send(form("My router blinks", "It **blinks**.", true, "post")).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let location = resp.headers()["location"].to_str().unwrap().to_string();
    let (_, list) = peer
        .api(Method::GET, None, "/questions?group=help", None)
        .await;
    let mine = list
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["title"] == "My router blinks")
        .expect("asked");
    assert_eq!(location, format!("/q/{}", mine["id"].as_str().unwrap()));
    assert_eq!(mine["tags"], json!(["router", "power"]));
    let (_, d) = peer
        .api(Method::GET, Some(&admin), "/admin/deflection", None)
        .await;
    assert_eq!(
        (
            d["opened"].as_i64(),
            d["opened_then_posted"].as_i64(),
            d["deflected"].as_i64()
        ),
        (Some(1), Some(1), Some(0)),
        "{d}"
    );

    // Having posted, the guidelines step is gone.
    let (_, _, html) = page(&peer.url("/g/help/ask"), "en", &cookie).await;
    assert!(!html.contains("id=\"guidelines-ok\""));
    let resp = send(form("Second question here", "More.", false, "post")).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
}

async fn settings_and_notifications(backend: Backend) {
    let peer = Peer::start(backend).await;
    peer.group("help").await;
    let (alice, _) = peer.user("alice", false).await;
    let (bob, _) = peer.user("bob", false).await;
    let cookie = format!("pd_session={alice}");
    let (s, q) = peer
        .api(
            Method::POST,
            Some(&alice),
            "/questions",
            Some(json!({
                "group": "help", "title": "Where is the reset button?", "body": "I cannot find it."
            })),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let qid = q["id"].as_str().unwrap();
    let (s, a) = peer
        .api(
            Method::POST,
            Some(&bob),
            &format!("/questions/{qid}/answers"),
            Some(json!({"body": "On the back, under the sticker."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let answered = || async {
        let (_, n) = peer
            .api(Method::GET, Some(&alice), "/notifications", None)
            .await;
        let found = n["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["kind"] == "answer")
            .cloned();
        (n["unread"].as_i64().unwrap(), found)
    };
    assert!(
        common::eventually(15, || async { answered().await.1.is_some() }).await,
        "the answer was notified"
    );
    // (The question may have earned a badge too.)
    let (unread, found) = answered().await;
    let nid = found.unwrap()["id"].as_str().unwrap().to_string();

    // Every page's header shows the unread count; the list marks the unread one.
    let (_, _, home) = page(&peer.url("/"), "en", &cookie).await;
    assert!(
        home.contains(&format!("id=\"nav-unread\">{unread}<")),
        "{home}"
    );
    let (s, _, html) = page(&peer.url("/notifications"), "en", &cookie).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("bob@")
            && html.contains("answered your question “Where is the reset button?”"),
        "{html}"
    );
    assert!(html.contains(&format!("<li id=\"n{nid}\" class=\"notification unread\">")));
    let csrf = csrf_field(&html);

    // Marking read: refused without the token; with htmx, the item and the header's
    // count come back in place.
    let read_url = peer.url(&format!("/notifications/{nid}/read"));
    let resp = post_form(&read_url, &cookie, None, &[("csrf", "wrong")]).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let resp = client()
        .post(&read_url)
        .header("cookie", &cookie)
        .header("hx-request", "true")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={csrf}"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let part = resp.text().await.unwrap();
    assert!(
        part.contains(&format!("<li id=\"n{nid}\" class=\"notification\">")),
        "{part}"
    );
    assert!(part.contains("hx-swap-oob=\"true\""), "{part}");
    let (_, n) = peer
        .api(Method::GET, Some(&alice), "/notifications", None)
        .await;
    assert_eq!(n["unread"].as_i64(), Some(unread - 1));
    if unread > 1 {
        assert!(
            part.contains(&format!("id=\"nav-unread\">{}<", unread - 1)),
            "{part}"
        );
    } else {
        assert!(!part.contains("nav-unread"), "{part}");
    }
    // Opening it goes to the answer in its thread.
    let resp = client()
        .get(peer.url(&format!("/notifications/{nid}/open")))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let to = format!("/q/{qid}#p{}", a["id"].as_str().unwrap());
    assert_eq!(resp.headers()["location"].to_str().unwrap(), to);

    // Settings: a refused display name comes back filled; then language, name and an
    // email choice are saved, and the pages answer in German whatever the browser says.
    let (s, _, html) = page(&peer.url("/settings"), "en", &cookie).await;
    assert_eq!(s, StatusCode::OK);
    let csrf = csrf_field(&html);
    let long = "n".repeat(101);
    let settings = peer.url("/settings");
    let resp = post_form(
        &settings,
        &cookie,
        None,
        &[
            ("csrf", &csrf),
            ("display_name", &long),
            ("bio", "Hi"),
            ("language", "de"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let html = resp.text().await.unwrap();
    assert!(html.contains("id=\"display_name-error\"") && html.contains(&long));
    let resp = post_form(
        &settings,
        &cookie,
        None,
        &[("display_name", "Alice"), ("language", "de")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN, "no CSRF token");
    let resp = post_form(
        &settings,
        &cookie,
        None,
        &[
            ("csrf", &csrf),
            ("display_name", "Alice A."),
            ("bio", "I *fix* routers."),
            ("language", "de"),
            ("email_answer", "digest"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, _, home) = page(&peer.url("/"), "en-US,en", &cookie).await;
    assert!(
        home.contains("<html lang=\"de\">") && home.contains("Benachrichtigungen"),
        "{home}"
    );
    let (_, _, anon) = page(&peer.url("/"), "en-US,en", "").await;
    assert!(
        anon.contains("<html lang=\"en\">"),
        "others keep their language"
    );
    let (_, me) = peer.api(Method::GET, Some(&alice), "/me", None).await;
    assert_eq!(me["display_name"], "Alice A.", "{me}");
    let (_, prefs) = peer
        .api(
            Method::GET,
            Some(&alice),
            "/notifications/preferences",
            None,
        )
        .await;
    assert_eq!(prefs["email"]["answer"], "digest");
    assert_eq!(prefs["email"]["comment"], "off");
    // Back to the browser's language.
    let resp = post_form(
        &settings,
        &cookie,
        None,
        &[("csrf", &csrf), ("language", "")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, _, home) = page(&peer.url("/"), "en-US,en", &cookie).await;
    assert!(home.contains("<html lang=\"en\">"));
}

both_backends!(ask_form_and_guidelines, settings_and_notifications);
