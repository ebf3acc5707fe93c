//! The knowledge base: an article written from a solved thread (refused to a plain user
//! and for an unsolved thread), edited with its history, marked reviewed and retired;
//! listed first among the ask form's suggestions and in the group's search; its forms
//! over HTTP with refused roles; stale articles in the staff inbox; and its federation
//! to a second peerdesk instance as an `Article`, with the plain `Announce` of the
//! object for a microblog follower.

mod common;
use common::forms::{cookie, csrf_field, page, post_form};
use common::remote::FakeRemote;
use common::{eventually, remote_follows, Backend, Peer};
use reqwest::{Method, StatusCode};
use serde_json::json;

/// Asks a question as `asker`, answers it as `answerer`, and (with `accept`) accepts the
/// answer. The question's and answer's ids.
async fn thread(
    peer: &Peer,
    asker: &str,
    answerer: &str,
    title: &str,
    accept: bool,
) -> (String, String) {
    let (s, q) = peer
        .api(Method::POST, Some(asker), "/questions", Some(json!({
            "group": "acme", "title": title, "body": "It stops halfway through.", "tags": ["scanner"]
        })))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let qid = q["id"].as_str().unwrap().to_string();
    let (s, a) = peer
        .api(
            Method::POST,
            Some(answerer),
            &format!("/questions/{qid}/answers"),
            Some(json!({"body": "Clean the **feed roller** with a dry cloth, then restart."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let aid = a["id"].as_str().unwrap().to_string();
    if accept {
        let (s, v) = peer
            .api(
                Method::PUT,
                Some(asker),
                &format!("/questions/{qid}/accepted"),
                Some(json!({"answer_id": aid})),
            )
            .await;
        assert!(s.is_success(), "{s} {v}");
    }
    (qid, aid)
}

/// Declares an organisation, makes `user` its staff and has the group acme recognise it.
async fn recognised_staff(peer: &Peer, admin: &str, user: &str) {
    let (s, org) = peer
        .api(
            Method::POST,
            Some(admin),
            "/admin/organisations",
            Some(json!({"name": "Acme", "domain": peer.domain})),
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
    let (s, v) = peer
        .api(
            Method::PUT,
            Some(admin),
            "/groups/acme/organisations",
            Some(json!({"organisation_ids": [org["id"]]})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

async fn articles_from_threads(backend: Backend) {
    // Every article is stale at once (reviewed more than 0 days ago).
    let peer = Peer::start_custom(backend, |s| s.kb_stale_days = 0).await;
    peer.group("acme").await;
    let (admin, _) = peer.user("root", true).await;
    let (carol, _) = peer.user("carol", false).await; // Acme staff
    let (alice, _) = peer.user("alice", false).await; // asks
    let (bob, _) = peer.user("bob", false).await; // answers
    let (mallory, _) = peer.user("mallory", false).await; // a plain user
    recognised_staff(&peer, &admin, "carol").await;
    let (qid, _) = thread(&peer, &alice, &bob, "Scanner jams on thick paper", true).await;
    let (open_qid, _) = thread(&peer, &alice, &bob, "Scanner shows error E42", false).await;

    // Refused to a plain user (even the asker), and for an unsolved thread.
    for who in [&mallory, &alice] {
        let (s, v) = peer
            .api(
                Method::POST,
                Some(who),
                &format!("/questions/{qid}/article"),
                Some(json!({})),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    }
    let (s, v) = peer
        .api(
            Method::POST,
            Some(&admin),
            &format!("/questions/{open_qid}/article"),
            Some(json!({})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");

    // Staff of a recognised organisation write it; the thread fills what is left out.
    let (s, art) = peer
        .api(
            Method::POST,
            Some(&carol),
            &format!("/questions/{qid}/article"),
            Some(json!({})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{art}");
    assert_eq!(art["title"], "Scanner jams on thick paper");
    assert!(
        art["body"].as_str().unwrap().contains("**feed roller**"),
        "{art}"
    );
    assert_eq!(art["tags"], json!(["scanner"]));
    assert_eq!(art["source_question_id"], qid.as_str());
    assert_eq!(art["author"]["name"], "carol");
    assert_eq!(art["local"], true);
    let id = art["id"].as_str().unwrap().to_string();

    // The group's list and search.
    let (s, list) = peer
        .api(Method::GET, None, "/groups/acme/articles", None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    let (_, found) = peer
        .api(Method::GET, None, "/groups/acme/articles?q=roller", None)
        .await;
    assert_eq!(found[0]["id"], id.as_str(), "{found}");
    let (_, none) = peer
        .api(Method::GET, None, "/groups/acme/articles?q=printer", None)
        .await;
    assert_eq!(none, json!([]));
    let (s, html) = page(&peer.url("/search?q=scanner+jams&group=acme"), "").await;
    assert_eq!(s, StatusCode::OK);
    let article_at = html
        .find(&format!("href=\"/search/open?kb={id}\""))
        .expect("the article in search");
    let question_at = html
        .find(&format!("href=\"/search/open?p={qid}\""))
        .expect("the question in search");
    assert!(article_at < question_at, "the article comes first");
    let (_, html) = page(&peer.url("/g/acme/kb?q=jams"), "").await;
    assert!(html.contains(&format!("href=\"/kb/{id}\"")), "{html}");

    // The ask form's suggestions: the article first, marked as one.
    let token = "abcdefghijklmnopqrstuvwx";
    let (s, html) = page(
        &peer.url(&format!(
            "/ask/similar?title=scanner+jams+again&group=acme&ask={token}"
        )),
        &cookie(&alice),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{html}");
    let first = html.find("class=\"suggestion").expect("suggestions");
    assert!(
        html[first..].starts_with("class=\"suggestion article\""),
        "{html}"
    );
    let article_at = html
        .find(&format!("/ask/open?kb={id}&#38;ask={token}"))
        .unwrap_or_else(|| panic!("the article suggested: {html}"));
    let question_at = html
        .find(&format!("/ask/open?q={qid}"))
        .expect("the question suggested");
    assert!(article_at < question_at, "{html}");
    assert!(html.contains(">Article<"), "{html}");
    // Opening it leads to the article, and counts as self-service for the ask form.
    let resp = common::forms::client()
        .get(peer.url(&format!("/ask/open?kb={id}&ask={token}")))
        .header("cookie", cookie(&alice))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()["location"], format!("/kb/{id}").as_str());
    let (_, deflection) = peer
        .api(Method::GET, Some(&admin), "/admin/deflection", None)
        .await;
    assert_eq!(deflection["opened"], 1, "{deflection}");

    // Edited with history (not by a plain user); the edit is a review.
    let (s, _) = peer
        .api(
            Method::PATCH,
            Some(&mallory),
            &format!("/articles/{id}"),
            Some(json!({"title": "Mine now"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, edited) = peer
        .api(
            Method::PATCH,
            Some(&carol),
            &format!("/articles/{id}"),
            Some(json!({
                "title": "Scanner jams on thick paper: clean the roller"
            })),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{edited}");
    assert_eq!(edited["revisions"], 1);
    assert!(edited["body"].as_str().unwrap().contains("feed roller"));
    let (_, history) = peer
        .api(Method::GET, None, &format!("/articles/{id}/history"), None)
        .await;
    assert_eq!(
        history[0]["title"], "Scanner jams on thick paper",
        "{history}"
    );
    assert_eq!(history[0]["replaced_by"]["name"], "carol");
    let (s, _) = peer
        .api(
            Method::POST,
            Some(&mallory),
            &format!("/articles/{id}/reviewed"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = peer
        .api(
            Method::POST,
            Some(&carol),
            &format!("/articles/{id}/reviewed"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);

    // The article page: last reviewed, the source thread, the history; buttons for
    // writers only. Stale articles are in the staff inbox.
    let (s, html) = page(&peer.url(&format!("/kb/{id}")), "").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("last reviewed"), "{html}");
    assert!(
        html.contains(&format!("href=\"/q/{qid}\" id=\"kb-source\"")),
        "{html}"
    );
    assert!(html.contains("History (1 earlier version)"), "{html}");
    assert!(!html.contains("kb-retire"), "{html}");
    let (_, html) = page(&peer.url(&format!("/g/acme/kb/{id}")), &cookie(&carol)).await;
    assert!(html.contains("id=\"kb-retire\""), "{html}");
    let (_, html) = page(&peer.url("/staff"), &cookie(&carol)).await;
    assert!(html.contains("Articles to review"), "{html}");
    assert!(html.contains(&format!("href=\"/kb/{id}\"")), "{html}");

    // Retired: gone from the list, search and suggestions; its object is a Tombstone.
    let (s, _) = peer
        .api(
            Method::DELETE,
            Some(&mallory),
            &format!("/articles/{id}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = peer
        .api(
            Method::DELETE,
            Some(&carol),
            &format!("/articles/{id}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, list) = peer
        .api(Method::GET, None, "/groups/acme/articles?q=roller", None)
        .await;
    assert_eq!(list, json!([]));
    let (_, art) = peer
        .api(Method::GET, None, &format!("/articles/{id}"), None)
        .await;
    assert_eq!(art["retired"], true);
    let (s, doc) = peer.get_ap(&format!("/kb/{id}")).await;
    assert_eq!(s, StatusCode::GONE);
    assert_eq!(doc["type"], "Tombstone");
    let (s, _) = peer
        .api(
            Method::PATCH,
            Some(&carol),
            &format!("/articles/{id}"),
            Some(json!({"title": "Back again"})),
        )
        .await;
    assert_eq!(s, StatusCode::GONE);
}

async fn article_forms(backend: Backend) {
    let peer = Peer::start(backend).await;
    peer.group("acme").await;
    let (admin, _) = peer.user("root", true).await;
    let (alice, _) = peer.user("alice", false).await;
    let (bob, _) = peer.user("bob", false).await;
    let (qid, _) = thread(&peer, &alice, &bob, "Scanner jams on thick paper", true).await;
    let (c_admin, c_alice) = (cookie(&admin), cookie(&alice));

    // The thread offers the button to those who may write articles only.
    let (_, html) = page(&peer.url(&format!("/q/{qid}")), &c_admin).await;
    assert!(html.contains("id=\"write-article\""), "{html}");
    let (_, html) = page(&peer.url(&format!("/q/{qid}")), &c_alice).await;
    assert!(!html.contains("id=\"write-article\""));

    // Refused to a plain user, signed out sent to sign in.
    let form_url = peer.url(&format!("/q/{qid}/article"));
    let (s, _) = page(&form_url, &c_alice).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, location, _) = post_form(&form_url, "", &[("title", "x")]).await;
    assert!(
        s == StatusCode::FORBIDDEN || location.starts_with("/signin"),
        "{s} {location}"
    );

    // Prefilled for an admin; a refused form keeps its input with the message at the field.
    let (s, html) = page(&form_url, &c_admin).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("value=\"Scanner jams on thick paper\""),
        "{html}"
    );
    assert!(html.contains("Clean the **feed roller**"), "{html}");
    let csrf = csrf_field(&html);
    let body = "Clean the roller, then restart the scanner.";
    let (s, _, html) = post_form(
        &form_url,
        &c_admin,
        &[
            ("csrf", &csrf),
            ("title", "x"),
            ("body", body),
            ("tags", "scanner"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"title-error\""), "{html}");
    assert!(html.contains(body), "the body is kept");
    // A plain user's post is refused even with a valid form.
    let (_, html_alice) = page(&peer.url("/ask"), &c_alice).await;
    let csrf_alice = csrf_field(&html_alice);
    let (s, _, html) = post_form(
        &form_url,
        &c_alice,
        &[
            ("csrf", &csrf_alice),
            ("title", "Scanner jams"),
            ("body", body),
            ("tags", ""),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{html}");
    assert!(html.contains(body), "the body is kept");
    let (s, location, _) = post_form(
        &form_url,
        &c_admin,
        &[
            ("csrf", &csrf),
            ("title", "Scanner jams"),
            ("body", body),
            ("tags", "scanner, paper"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{location}");
    assert!(location.starts_with("/kb/"), "{location}");
    let id = location.trim_start_matches("/kb/").to_string();

    // Edited through its form; the history page shows both versions.
    let edit_url = peer.url(&format!("/kb/{id}/edit"));
    let (s, _) = page(&edit_url, &c_alice).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, html) = page(&edit_url, &c_admin).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("value=\"Scanner jams\""), "{html}");
    let (s, _, html) = post_form(
        &edit_url,
        &c_admin,
        &[
            ("csrf", &csrf),
            ("title", "Scanner jams on thick paper"),
            ("body", ""),
            ("tags", ""),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"body-error\""), "{html}");
    assert!(
        html.contains("value=\"Scanner jams on thick paper\""),
        "the title is kept"
    );
    let (s, location, _) = post_form(
        &edit_url,
        &c_admin,
        &[
            ("csrf", &csrf),
            ("title", "Scanner jams on thick paper"),
            ("body", "Clean the roller."),
            ("tags", ""),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(location, format!("/kb/{id}"));
    let (_, html) = page(&peer.url(&format!("/kb/{id}/history")), "").await;
    assert!(html.contains("Clean the roller, then restart"), "{html}");
    assert!(html.contains("<h3>Scanner jams</h3>"), "{html}");

    // Retired through its button (refused to a plain user).
    let retire_url = peer.url(&format!("/kb/{id}/retire"));
    let (s, _, _) = post_form(&retire_url, &c_alice, &[("csrf", &csrf_alice)]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = post_form(&retire_url, &c_admin, &[("csrf", &csrf)]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = page(&peer.url(&format!("/kb/{id}")), "").await;
    assert!(html.contains("id=\"kb-retired\""), "{html}");
    let (_, html) = page(&peer.url("/g/acme/kb"), "").await;
    assert!(html.contains("id=\"kb-none\""), "{html}");
}

async fn articles_federate(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    let group = a.group("acme").await;
    let (admin, _) = a.user("root", true).await;
    let (alice, _) = a.user("alice", false).await;
    let (bob, _) = a.user("bob", false).await;
    let (dave, _) = b.user("dave", false).await;
    let handle = format!("acme@{}", a.domain);
    let microblog = FakeRemote::start().await;
    remote_follows(&a, &microblog, &group).await;
    b.follow_and_wait(&dave, &handle).await;

    let (qid, _) = thread(&a, &alice, &bob, "Scanner jams on thick paper", true).await;
    let (s, art) = a
        .api(
            Method::POST,
            Some(&admin),
            &format!("/questions/{qid}/article"),
            Some(json!({})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{art}");
    let ap_id = art["ap_id"].as_str().unwrap().to_string();
    let id = art["id"].as_str().unwrap().to_string();

    // Its object: an Article with name, summary, markdown source, hashtags, times in ms.
    let (s, doc) = a.get_ap(&format!("/kb/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(doc["type"], "Article");
    assert_eq!(doc["id"], ap_id.as_str());
    assert_eq!(doc["name"], "Scanner jams on thick paper");
    assert!(
        doc["summary"].as_str().unwrap().contains("feed roller"),
        "{doc}"
    );
    assert_eq!(doc["source"]["mediaType"], "text/markdown");
    assert_eq!(doc["audience"], group.ap_id.as_str());
    assert_eq!(doc["attributedTo"], format!("{}/u/root", a.base));
    assert_eq!(doc["tag"][0]["name"], "#scanner");
    assert_eq!(doc["published"].as_str().unwrap().len(), 24, "{doc}");

    // The second instance keeps it as an article of the remote group, not a question.
    let path = format!("/groups/{handle}/articles");
    assert!(
        eventually(15, || async {
            let (_, list) = b.api(Method::GET, None, &path, None).await;
            list.as_array()
                .is_some_and(|l| l.iter().any(|x| x["ap_id"] == ap_id.as_str()))
        })
        .await,
        "the article did not arrive"
    );
    let (_, list) = b.api(Method::GET, None, &path, None).await;
    assert_eq!(list[0]["title"], "Scanner jams on thick paper");
    assert_eq!(list[0]["local"], false);
    assert!(list[0]["body"]
        .as_str()
        .unwrap()
        .contains("**feed roller**"));
    let b_id = list[0]["id"].as_str().unwrap().to_string();
    let (_, html) = page(&b.url(&format!("/kb/{b_id}")), "").await;
    assert!(html.contains("Scanner jams on thick paper"), "{html}");
    assert!(
        b.question_id(&handle, &ap_id).await.is_none(),
        "not stored as a question"
    );

    // The microblog follower got the group's Announce of the object and of the Create.
    assert!(
        eventually(15, || async {
            let got = microblog.received.lock().unwrap().clone();
            let bare = got
                .iter()
                .any(|v| v["type"] == "Announce" && v["object"] == ap_id.as_str());
            let create = got.iter().any(|v| {
                v["type"] == "Announce"
                    && v["object"]["type"] == "Create"
                    && v["object"]["object"]["type"] == "Article"
            });
            bare && create
        })
        .await,
        "the microblog follower got no Announce: {:?}",
        microblog.received.lock().unwrap()
    );

    // An edit and the retirement follow.
    let (s, _) = a
        .api(
            Method::PATCH,
            Some(&admin),
            &format!("/articles/{id}"),
            Some(json!({"title": "Thick paper jams the scanner"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        eventually(15, || async {
            let (_, art) = b
                .api(Method::GET, None, &format!("/articles/{b_id}"), None)
                .await;
            art["title"] == "Thick paper jams the scanner" && art["revisions"] == 1
        })
        .await,
        "the edit did not arrive"
    );
    let (s, _) = a
        .api(
            Method::DELETE,
            Some(&admin),
            &format!("/articles/{id}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert!(
        eventually(15, || async {
            let (_, art) = b
                .api(Method::GET, None, &format!("/articles/{b_id}"), None)
                .await;
            art["retired"] == true
        })
        .await,
        "the retirement did not arrive"
    );
    let (_, list) = b.api(Method::GET, None, &path, None).await;
    assert_eq!(list, json!([]));
}

both_backends!(articles_from_threads, article_forms, articles_federate);
