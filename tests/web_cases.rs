//! The cases' pages over plain HTTP: the asker opens a case from the thread ("I need help
//! from Acme directly") with private details (a refused form comes back with the text
//! kept and the message at the field); the case page and its reply form; the staff's
//! controls, queue, customer view and CRM tokens; everyone else gets 404 for a case and
//! 403 for the staff's pages.

mod common;
use common::forms::{cookie, csrf_field, page_at, post};
use common::{Backend, Peer};
use reqwest::{Method, StatusCode};
use serde_json::json;

/// Acme's staff member carol, the asker bob, eve, and the group `help` that recognises
/// Acme; (carol, bob, eve).
async fn setup(peer: &Peer) -> (String, String, String) {
    let (admin, _) = peer.user("root", true).await;
    let (carol, _) = peer.user("carol", false).await;
    let (bob, _) = peer.user("bob", false).await;
    let (eve, _) = peer.user("eve", false).await;
    peer.group("help").await;
    peer.staffed_org(&admin, ("Acme", "acme.example"), "carol", "help")
        .await;
    (carol, bob, eve)
}

fn location(resp: &reqwest::Response) -> String {
    resp.headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default()
}

async fn case_pages(backend: Backend) {
    let peer = Peer::start(backend).await;
    let (carol, bob, eve) = setup(&peer).await;
    let (carol_c, bob_c, eve_c) = (cookie(&carol), cookie(&bob), cookie(&eve));
    let (s, q) = peer
        .api(
            Method::POST,
            Some(&bob),
            "/questions",
            Some(json!({"group": "help", "title": "Scanner shows E7", "body": "Since today."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let qid = q["id"].as_str().unwrap().to_string();
    let (s, q2) = peer
        .api(
            Method::POST,
            Some(&bob),
            "/questions",
            Some(json!({"group": "help", "title": "Scanner shows E8", "body": "Now this."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let q2id = q2["id"].as_str().unwrap().to_string();

    // The thread offers the asker a case with the organisation; nobody else.
    let (_, html) = page_at(&peer.base, &format!("/q/{qid}"), &bob_c).await;
    assert!(html.contains("I need help from Acme directly"), "{html}");
    assert!(html.contains(&format!("/cases/new?question={qid}")));
    let (_, html) = page_at(&peer.base, &format!("/q/{qid}"), &eve_c).await;
    assert!(!html.contains("I need help from Acme directly"));
    let (s, _) = page_at(&peer.base, &format!("/cases/new?question={qid}"), &eve_c).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // The form: a refused post comes back with the text kept and the message at the field.
    let (s, html) = page_at(&peer.base, &format!("/cases/new?question={qid}"), &bob_c).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(
        html.contains("Scanner shows E7"),
        "the subject is the question's title"
    );
    let csrf = csrf_field(&html);
    let long = "x".repeat(300);
    let resp = post(
        &peer.base,
        "/cases/new",
        &bob_c,
        &[
            ("csrf", &csrf),
            ("question", &qid),
            ("subject", &long),
            ("details", "Serial SN-555-PRIVATE"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("id=\"subject-error\""), "{html}");
    assert!(
        html.contains("Serial SN-555-PRIVATE"),
        "the details are kept"
    );
    let resp = post(
        &peer.base,
        "/cases/new",
        &bob_c,
        &[("csrf", "wrong"), ("question", &qid), ("subject", "x")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let resp = post(
        &peer.base,
        "/cases/new",
        &bob_c,
        &[
            ("csrf", &csrf),
            ("question", &qid),
            ("subject", "Scanner E7"),
            ("details", "Serial SN-555-PRIVATE"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let case_path = location(&resp);
    assert!(case_path.starts_with("/cases/"), "{case_path}");

    // The case page: for the customer and the staff; 404 for anyone else.
    let (s, html) = page_at(&peer.base, &case_path, &bob_c).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("SN-555-PRIVATE") && html.contains("Scanner E7"));
    assert!(
        !html.contains("id=\"case-update\""),
        "no staff controls for the customer"
    );
    let (s, html) = page_at(&peer.base, &case_path, &eve_c).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(!html.contains("SN-555-PRIVATE"));
    let (s, _) = page_at(&peer.base, "/cases/424242", &eve_c).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = page_at(&peer.base, &case_path, "").await;
    assert_eq!(s, StatusCode::SEE_OTHER, "signed out: to the sign-in page");
    let (_, html) = page_at(&peer.base, "/cases", &bob_c).await;
    assert!(html.contains("Scanner E7"));

    // Staff: the queue, the case page with its controls.
    let (s, _) = page_at(&peer.base, "/staff/cases", &bob_c).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, html) = page_at(&peer.base, "/staff/cases", &carol_c).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Scanner E7"));
    let (_, html) = page_at(&peer.base, "/staff/cases?status=solved", &carol_c).await;
    assert!(!html.contains("Scanner E7"), "filtered by status");
    let (_, html) = page_at(&peer.base, "/staff?tab=unanswered&hours=0", &carol_c).await;
    assert!(
        html.contains(&format!("/cases/new?question={qid}")),
        "the inbox offers a case"
    );
    let (s, html) = page_at(&peer.base, &case_path, &carol_c).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("id=\"case-update\""));
    let csrf = csrf_field(&html);

    // Replies: an empty one comes back at its field.
    let resp = post(
        &peer.base,
        &format!("{case_path}/reply"),
        &carol_c,
        &[("csrf", &csrf), ("body", "  ")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("id=\"body-error\""));
    let resp = post(
        &peer.base,
        &format!("{case_path}/reply"),
        &carol_c,
        &[("csrf", &csrf), ("body", "Please update to 2.1")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let resp = post(
        &peer.base,
        &format!("{case_path}/reply"),
        &eve_c,
        &[("csrf", &csrf), ("body", "intrusion")],
    )
    .await;
    assert!(matches!(
        resp.status(),
        StatusCode::NOT_FOUND | StatusCode::FORBIDDEN
    ));

    // Controls: a bad question to link comes back with the note kept.
    let note = "Solved in case: firmware 2.1 fixes it";
    let resp = post(
        &peer.base,
        &format!("{case_path}/update"),
        &carol_c,
        &[
            ("csrf", &csrf),
            ("status", "solved"),
            ("priority", "high"),
            ("assignee", ""),
            ("public_note", note),
            ("link_question", "not-a-question"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("id=\"link_question-error\"") && html.contains(note),
        "{html}"
    );
    let resp = post(
        &peer.base,
        &format!("{case_path}/update"),
        &carol_c,
        &[
            ("csrf", &csrf),
            ("status", "solved"),
            ("priority", "high"),
            ("assignee", ""),
            ("public_note", note),
            ("link_question", &format!("{}/q/{q2id}", peer.base)),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let resp = post(
        &peer.base,
        &format!("{case_path}/update"),
        &bob_c,
        &[
            ("csrf", &csrf),
            ("status", "closed"),
            ("priority", "low"),
            ("public_note", ""),
        ],
    )
    .await;
    assert_eq!(
        resp.status(),
        StatusCode::FORBIDDEN,
        "the customer has no controls"
    );
    let (_, html) = page_at(&peer.base, &case_path, &bob_c).await;
    assert!(html.contains("Solved") && html.contains("Please update to 2.1"));
    assert!(
        html.contains("Scanner shows E8"),
        "the second question is linked"
    );

    // The thread shows the note, never the details.
    for q in [&qid, &q2id] {
        let (_, html) = page_at(&peer.base, &format!("/q/{q}"), "").await;
        assert!(html.contains(note));
        assert!(!html.contains("SN-555-PRIVATE"));
    }

    // The customer view.
    let (_, html) = page_at(&peer.base, &case_path, &carol_c).await;
    let at = html
        .find("/staff/customers/")
        .expect("a link to the customer view");
    let customer_path: String = html[at..].split('"').next().unwrap().to_string();
    let (s, html) = page_at(&peer.base, &customer_path, &carol_c).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("Scanner shows E7")
            && html.contains("Scanner E7")
            && html.contains(&peer.domain)
    );
    let (s, _) = page_at(&peer.base, &customer_path, &eve_c).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // From the group's page, without a question.
    let (_, html) = page_at(&peer.base, "/g/help", "").await;
    assert!(
        !html.contains("id=\"case-help\""),
        "signed out: no case link"
    );
    let (_, html) = page_at(&peer.base, "/g/help", &bob_c).await;
    let at = html
        .find("/cases/new?group=")
        .expect("the group's page offers a case");
    let new_path = html[at..].split('"').next().unwrap().replace("&amp;", "&");
    let (s, html) = page_at(&peer.base, &new_path, &bob_c).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    let field = |name: &str| -> String {
        let at = html.find(&format!("name=\"{name}\" value=\"")).unwrap() + name.len() + 15;
        html[at..].split('"').next().unwrap().to_string()
    };
    let (group, org) = (field("group"), field("organisation"));
    let resp = post(
        &peer.base,
        "/cases/new",
        &bob_c,
        &[
            ("csrf", &csrf_field(&html)),
            ("group", &group),
            ("organisation", &org),
            ("subject", "Account locked"),
            ("details", "account bob@example.org"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, html) = page_at(&peer.base, &location(&resp), &bob_c).await;
    assert!(html.contains("Account locked") && html.contains("account bob@example.org"));

    // CRM tokens: shown once, revocable; refused to others.
    let (s, _) = page_at(&peer.base, "/staff/crm-tokens", &bob_c).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (_, html) = page_at(&peer.base, "/staff/crm-tokens", &carol_c).await;
    let csrf = csrf_field(&html);
    let resp = post(
        &peer.base,
        "/staff/crm-tokens",
        &carol_c,
        &[("csrf", &csrf), ("name", "")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("id=\"name-error\""));
    let resp = post(
        &peer.base,
        "/staff/crm-tokens",
        &carol_c,
        &[("csrf", &csrf), ("name", "Zammad")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let html = resp.text().await.unwrap();
    let at = html.find("pdcrm_").expect("the token shown once");
    let token: String = html[at..].split('<').next().unwrap().to_string();
    let (_, html) = page_at(&peer.base, "/staff/crm-tokens", &carol_c).await;
    assert!(!html.contains(&token), "not shown again");
    let number = case_path.trim_start_matches("/cases/");
    let (s, v) = peer
        .api(
            Method::PATCH,
            Some(&token),
            &format!("/crm/cases/{number}"),
            Some(json!({"ticket_id": "Z-1"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let at = html.find("/staff/crm-tokens/").unwrap();
    let revoke: String = html[at..].split('"').next().unwrap().to_string();
    let resp = post(&peer.base, &revoke, &carol_c, &[("csrf", &csrf)]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (s, _) = peer
        .api(
            Method::PATCH,
            Some(&token),
            &format!("/crm/cases/{number}"),
            Some(json!({"ticket_id": "Z-2"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

both_backends!(case_pages);
