//! Personal data in questions and answers: found before a post is made (through the API
//! and the forms, with the group's own patterns), the post made only when the author
//! chooses; and posts from other servers masked on public pages when the admin hides
//! their personal data, while what is stored stays as it arrived.

mod common;
use common::forms::{cookie, csrf_field, page_at as page, post};
use common::{Backend, Peer};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const CARD: &str = "4111 1111 1111 1111";
const MAIL: &str = "ann.lee@example.com";

async fn moderated_group(a: &Peer) -> String {
    let help = a.group("help").await;
    let (moda, moda_actor) = a.user("moda", false).await;
    let (gid, mid) = (help.id, moda_actor.id);
    a.query(move |c| peerdesk::db::queries::groups::add_moderator(c, gid, mid))
        .await;
    moda
}

fn kinds(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap_or(&vec![])
        .iter()
        .map(|f| f["kind"].as_str().unwrap().to_string())
        .collect()
}

async fn api_flags_until_the_author_chooses(backend: Backend) {
    let a = Peer::start(backend).await;
    let moda = moderated_group(&a).await;
    let (ann, _) = a.user("ann", false).await;
    let body = format!("My card {CARD} was charged twice; mail me at {MAIL}.");

    // Not chosen: a 422 that lists what was found, where (in characters), and nothing
    // is stored.
    let q = json!({"group": "help", "title": "Charged twice", "body": body});
    let (s, v) = a
        .api(Method::POST, Some(&ann), "/questions", Some(q.clone()))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"], "personal_data");
    assert_eq!(kinds(&v), ["card", "email"]);
    let card = &v["findings"][0];
    assert_eq!(card["field"], "body");
    assert_eq!(card["text"], CARD);
    let start = body.find(CARD).unwrap();
    assert_eq!(card["start"], start);
    assert_eq!(card["end"], start + CARD.len());
    let (_, list) = a
        .api(Method::GET, None, "/questions?group=help", None)
        .await;
    assert_eq!(list.as_array().map(Vec::len), Some(0), "{list}");

    // "Post anyway".
    let mut chosen = q.clone();
    chosen["personal_data"] = json!("post");
    let (s, posted) = a
        .api(Method::POST, Some(&ann), "/questions", Some(chosen))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{posted}");
    assert!(posted["source"].as_str().unwrap().contains(CARD));
    let qid = posted["id"].as_str().unwrap().to_string();

    // Nothing personal: posted at once. Versions, dates and book numbers are no phones.
    let plain = json!({"group": "help", "title": "Update fails",
        "body": "Since 2.1.0 (2026-12-06) it fails; see ISBN 978-3-16-148410-0."});
    let (s, v) = a
        .api(Method::POST, Some(&ann), "/questions", Some(plain))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");

    // Answers too.
    let path = format!("/questions/{qid}/answers");
    let (s, v) = a
        .api(
            Method::POST,
            Some(&ann),
            &path,
            Some(json!({"body": "Call +49 30 1234567."})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(kinds(&v), ["phone"]);
    let (s, v) = a
        .api(
            Method::POST,
            Some(&ann),
            &path,
            Some(json!({"body": "Call +49 30 1234567.", "personal_data": "post"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");

    // The group names its order numbers: a bad pattern is refused, a good one found.
    let (s, v) = a
        .api(
            Method::PATCH,
            Some(&moda),
            "/groups/help",
            Some(json!({"personal_data_patterns": "order: ORD-[0-9"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(v["message"].as_str().unwrap().contains("line 1"), "{v}");
    let (s, v) = a
        .api(
            Method::PATCH,
            Some(&moda),
            "/groups/help",
            Some(json!({"personal_data_patterns": "order: ORD-[0-9]{6}"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // (Every attempt counts in the rate limit of new accounts: Ben asks.)
    let (ben, _) = a.user("ben", false).await;
    let order = json!({"group": "help", "title": "Where is ORD-123456?", "body": "Late."});
    let (s, v) = a
        .api(Method::POST, Some(&ben), "/questions", Some(order))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(kinds(&v), ["pattern"]);
    assert_eq!(v["findings"][0]["pattern"], "order");
    assert_eq!(v["findings"][0]["field"], "title");
}

async fn forms_warn_and_keep_the_text(backend: Backend) {
    let a = Peer::start(backend).await;
    let moda = moderated_group(&a).await;
    let (ann, _) = a.user("ann", false).await;
    let base = a.base.clone();

    // The settings page: a bad pattern is told at its field and kept; a good one saved.
    let (_, html) = page(&base, "/g/help/mod/settings", &cookie(&moda)).await;
    let t = csrf_field(&html);
    let form = |p: &'static str| {
        vec![
            ("csrf", t.clone()),
            ("section", "personal_data".into()),
            ("patterns", p.into()),
        ]
    };
    let sent: Vec<(&str, String)> = form("serial: SN-[0-9");
    let pairs: Vec<(&str, &str)> = sent.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let resp = post(&base, "/g/help/mod/settings", &cookie(&moda), &pairs).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("id=\"patterns-error\""), "{html}");
    assert!(html.contains("Line 1 is not"), "{html}");
    assert!(html.contains("serial: SN-[0-9</textarea>"), "kept: {html}");
    let sent = form("serial: SN-[0-9]{8}");
    let pairs: Vec<(&str, &str)> = sent.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let resp = post(&base, "/g/help/mod/settings", &cookie(&moda), &pairs).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);

    // The ask form: the warning lists what was found, and the text is kept.
    let (_, html) = page(&base, "/g/help/ask", &cookie(&ann)).await;
    let t = csrf_field(&html);
    let body = "Serial SN-12345678, reach me at ann.lee@example.com";
    let ask = |choice: &'static str| {
        vec![
            ("csrf", t.clone()),
            ("group", "help".to_string()),
            ("title", "Scanner does not start".to_string()),
            ("body", body.to_string()),
            ("guidelines", "on".to_string()),
            ("personal_data", choice.to_string()),
        ]
    };
    let sent = ask("");
    let pairs: Vec<(&str, &str)> = sent.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let resp = post(&base, "/ask", &cookie(&ann), &pairs).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("id=\"personal-data\""), "{html}");
    assert!(html.contains("<mark>SN-12345678</mark>"), "{html}");
    assert!(html.contains("<mark>ann.lee@example.com</mark>"), "{html}");
    assert!(html.contains("E-mail address"), "{html}");
    assert!(
        html.contains(&format!(">{body}</textarea>")),
        "kept: {html}"
    );
    assert!(html.contains("id=\"personal-data-post\""));
    // No organisation to hold a private case here: the choice is not offered.
    assert!(!html.contains("id=\"personal-data-move\""), "{html}");

    // "Remove it": the form again, with what was found cut out, not posted.
    let sent = ask("remove");
    let pairs: Vec<(&str, &str)> = sent.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let resp = post(&base, "/ask", &cookie(&ann), &pairs).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let html = resp.text().await.unwrap();
    assert!(html.contains(">Serial , reach me at </textarea>"), "{html}");

    // "Post anyway".
    let sent = ask("post");
    let pairs: Vec<(&str, &str)> = sent.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let resp = post(&base, "/ask", &cookie(&ann), &pairs).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let to = resp.headers()["location"].to_str().unwrap().to_string();
    let qid = to.trim_start_matches("/q/").to_string();

    // The answer form warns the same way.
    let (_, html) = page(&base, &to, &cookie(&ann)).await;
    let t = csrf_field(&html);
    let reply = format!("/p/{qid}/reply");
    let resp = post(
        &base,
        &reply,
        &cookie(&ann),
        &[("csrf", &t), ("body", "My number is 030 1234567.")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("<mark>030 1234567</mark>"), "{html}");
    assert!(
        html.contains(">My number is 030 1234567.</textarea>"),
        "{html}"
    );
    let resp = post(
        &base,
        &reply,
        &cookie(&ann),
        &[
            ("csrf", &t),
            ("body", "My number is 030 1234567."),
            ("personal_data", "post"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
}

async fn remote_posts_masked_on_public_pages(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    a.group("help").await;
    let (admin, _) = a.user("root", true).await;
    let (member, _) = a.user("mia", false).await;
    let (rita, _) = b.user("rita", false).await;
    let group = format!("help@{}", a.domain);
    b.follow_and_wait(&rita, &group).await;

    // Rita posts her e-mail address anyway, from the other server.
    let body = format!("Write to {MAIL} or call +49 30 1234567.");
    let (s, q) = b
        .api(
            Method::POST,
            Some(&rita),
            "/questions",
            Some(
                json!({"group": group, "title": "Printer offline", "body": body,
                "personal_data": "post"}),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let id = a
        .wait_question_id("help", q["ap_id"].as_str().unwrap())
        .await;
    let path = format!("/questions/{id}");
    let content = |v: &Value| {
        v["question"]["content_html"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };

    // Off (the default): shown as it arrived.
    let (_, v) = a.api(Method::GET, None, &path, None).await;
    assert!(content(&v).contains(MAIL), "{v}");

    let (s, v) = a
        .api(
            Method::PUT,
            Some(&admin),
            "/admin/instance",
            Some(json!({"hide_remote_personal_data": true})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["hide_remote_personal_data"], true);

    // On: masked for visitors and members, in the API and on the thread page.
    for token in [None, Some(member.as_str())] {
        let (_, v) = a.api(Method::GET, token, &path, None).await;
        let html = content(&v);
        assert!(!html.contains(MAIL), "{html}");
        assert!(html.contains("••••@example.com"), "{html}");
        assert!(html.contains("+•• •• •••••67"), "{html}");
    }
    let (_, html) = page(&a.base, &format!("/q/{id}"), "").await;
    assert!(!html.contains(MAIL), "{html}");
    assert!(html.contains("••••@example.com"), "{html}");
    // The admin sees it; the stored text is untouched.
    let (_, v) = a.api(Method::GET, Some(&admin), &path, None).await;
    assert!(content(&v).contains(MAIL), "{v}");
    let qid: i64 = id.parse().unwrap();
    let stored = a
        .query(move |c| peerdesk::db::queries::posts::by_id(c, qid))
        .await
        .unwrap();
    assert!(stored.content_html.contains(MAIL));
    assert!(!stored.local);

    // Local posts are never masked (their authors chose to post).
    let (ann, _) = a.user("ann", false).await;
    let (s, local) = a
        .api(
            Method::POST,
            Some(&ann),
            "/questions",
            Some(
                json!({"group": "help", "title": "Local one", "body": format!("Mail {MAIL}"),
                "personal_data": "post"}),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{local}");
    let lid = local["id"].as_str().unwrap();
    let (_, v) = a
        .api(Method::GET, None, &format!("/questions/{lid}"), None)
        .await;
    assert!(content(&v).contains(MAIL), "{v}");
}

async fn moved_into_a_private_case_never_federates(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    let help = a.group("help").await;
    let (admin, _) = a.user("root", true).await;
    let (ann, ann_actor) = a.user("ann", false).await;
    let (rita, _) = b.user("rita", false).await;
    let group = format!("help@{}", a.domain);
    b.follow_and_wait(&rita, &group).await;
    let q = json!({"group": "help", "title": "Charged twice",
        "body": format!("My card {CARD} was charged twice."), "personal_data": "move_to_case"});

    // No organisation to hold a case: refused, nothing posted.
    let (s, v) = a
        .api(Method::POST, Some(&ann), "/questions", Some(q.clone()))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let (_, list) = a
        .api(Method::GET, None, "/questions?group=help", None)
        .await;
    assert_eq!(list.as_array().map(Vec::len), Some(0), "{list}");

    // The group recognises Acme: the card goes into Ann's case with Acme, the public
    // question says where it went.
    let (s, org) = a
        .api(
            Method::POST,
            Some(&admin),
            "/admin/organisations",
            Some(json!({"name": "Acme", "domain": "acme.example"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{org}");
    let (s, v) = a
        .api(
            Method::PUT,
            Some(&admin),
            "/groups/help/organisations",
            Some(json!({"organisation_ids": [org["id"]]})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, posted) = a.api(Method::POST, Some(&ann), "/questions", Some(q)).await;
    assert_eq!(s, StatusCode::CREATED, "{posted}");
    assert!(!posted.to_string().contains(CARD), "{posted}");
    assert!(
        posted["source"]
            .as_str()
            .unwrap()
            .contains("[moved to a private case]"),
        "{posted}"
    );
    // The form offers it once the group recognises an organisation.
    let (_, html) = page(&a.base, "/g/help/ask", &cookie(&ann)).await;
    let t = csrf_field(&html);
    let body = format!("Card {CARD} again");
    let form = [
        ("csrf", t.as_str()),
        ("group", "help"),
        ("title", "Charged three times"),
        ("body", body.as_str()),
        ("guidelines", "on"),
    ];
    let resp = post(&a.base, "/ask", &cookie(&ann), &form).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("id=\"personal-data-move\""), "{html}");
    let mut moving = form.to_vec();
    moving.push(("personal_data", "move_to_case"));
    let resp = post(&a.base, "/ask", &cookie(&ann), &moving).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let to = resp.headers()["location"].to_str().unwrap().to_string();
    let (_, thread) = page(&a.base, &to, &cookie(&ann)).await;
    assert!(
        thread.contains("Card [moved to a private case] again"),
        "{thread}"
    );
    assert!(!thread.contains("4111"), "{thread}");

    let (s, cases) = a.api(Method::GET, Some(&ann), "/cases", None).await;
    assert_eq!(s, StatusCode::OK, "{cases}");
    assert_eq!(cases.as_array().map(Vec::len), Some(2), "{cases}");
    let number = cases[1]["number"].to_string();
    let (s, case) = a
        .api(Method::GET, Some(&ann), &format!("/cases/{number}"), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{case}");
    assert!(case.to_string().contains(CARD), "the case holds it: {case}");
    assert_eq!(case["question_ids"][0], posted["id"], "{case}");

    // What federates lacks it: the question's Page, and the copy the group's follower got.
    let ap_id = posted["ap_id"].as_str().unwrap();
    let (s, page) = a.get_ap(ap_id).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(page["type"], "Page", "{page}");
    assert!(!page.to_string().contains("4111"), "{page}");
    assert!(
        page.to_string().contains("moved to a private case"),
        "{page}"
    );
    let there = b.wait_question_id(&group, ap_id).await;
    let (_, copy) = b
        .api(Method::GET, None, &format!("/questions/{there}"), None)
        .await;
    assert!(
        copy["question"]["content_html"]
            .as_str()
            .unwrap()
            .contains("moved to a private case"),
        "{copy}"
    );
    assert!(!copy.to_string().contains("4111"), "{copy}");
    // Nor any activity sent by Ann or the group.
    let (aid, gid) = (ann_actor.id, help.id);
    let sent = a
        .query(move |c| {
            let mut v = peerdesk::db::queries::activities::outbox(c, aid, 100)?;
            v.extend(peerdesk::db::queries::activities::outbox(c, gid, 100)?);
            Ok(v)
        })
        .await;
    assert!(
        sent.iter().any(|x| x.body.contains(ap_id)),
        "the Create was sent"
    );
    for x in &sent {
        assert!(!x.body.contains("4111"), "{}", x.body);
    }
}

both_backends!(
    api_flags_until_the_author_chooses,
    forms_warn_and_keep_the_text,
    remote_posts_masked_on_public_pages,
    moved_into_a_private_case_never_federates
);
