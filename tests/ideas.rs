//! The ideas exchange: an ideas group whose ideas members vote on here and on a second
//! peerdesk instance; a recognised staff member sets an idea's status, which notifies
//! its voters on both instances (the group's `Update` carries `ideaStatus` and a text
//! fallback, stripped again by the receiving peerdesk); a status forged by someone else
//! is refused; a plain member cannot set one. Merging a duplicate carries its votes to
//! the other idea once per person, on both instances.

mod common;
use common::forms::{cookie, csrf_field, page, post_form};
use common::remote::FakeRemote;
use common::{eventually, Backend, Peer};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// Two instances: `a` hosts the ideas group `roadmap` (created by the admin `root`),
/// `dave` on `b` follows it. Returns (a, b, admin token, dave's token, group handle).
async fn setup(backend: Backend) -> (Peer, Peer, String, String, String) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    let (admin, _) = a.user("root", true).await;
    let (s, g) = a
        .api(
            Method::POST,
            Some(&admin),
            "/groups",
            Some(json!({"name": "roadmap", "title": "Roadmap", "kind": "ideas"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{g}");
    assert_eq!(g["kind"], "ideas");
    let (dave, _) = b.user("dave", false).await;
    let handle = format!("roadmap@{}", a.domain);
    b.follow_and_wait(&dave, &handle).await;
    (a, b, admin, dave, handle)
}

/// Posts an idea as `token`; its local id and ActivityPub id.
async fn idea(peer: &Peer, token: &str, title: &str) -> (String, String) {
    let (s, q) = peer
        .api(
            Method::POST,
            Some(token),
            "/questions",
            Some(json!({"group": "roadmap", "title": title, "body": "It would help a lot.", "tags": []})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    (
        q["id"].as_str().unwrap().to_string(),
        q["ap_id"].as_str().unwrap().to_string(),
    )
}

async fn vote(peer: &Peer, token: &str, id: &str) {
    let (s, v) = peer
        .api(
            Method::PUT,
            Some(token),
            &format!("/posts/{id}/vote"),
            Some(json!({"value": 1})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

async fn upvotes(peer: &Peer, id: &str) -> i64 {
    let (_, t) = peer
        .api(Method::GET, None, &format!("/questions/{id}"), None)
        .await;
    t["question"]["upvotes"]
        .as_i64()
        .or_else(|| t["upvotes"].as_i64())
        .unwrap_or(-1)
}

async fn status_of(peer: &Peer, id: &str) -> Value {
    peer.api(Method::GET, None, &format!("/ideas/{id}"), None)
        .await
        .1
}

/// The notifications of `token` about idea status changes.
async fn idea_notes(peer: &Peer, token: &str) -> Vec<Value> {
    let (_, list) = peer
        .api(Method::GET, Some(token), "/notifications", None)
        .await;
    list["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|n| n["kind"] == "idea_status")
        .collect()
}

async fn status_change_notifies_voters_on_two_instances(backend: Backend) {
    let (a, b, admin, dave, handle) = setup(backend).await;
    let (alice, _) = a.user("alice", false).await;
    let (carol, _) = a.user("carol", false).await;
    let (sam, _) = a.user("sam", false).await;
    a.staffed_org(&admin, ("Acme", &a.domain), "sam", "roadmap")
        .await;

    let (id, ap_id) = idea(&a, &alice, "Dark mode for the dashboard").await;
    let (_, doc) = a.get_ap(&format!("/q/{id}")).await;
    assert_eq!(doc["ideaStatus"], "new", "{doc}");
    let b_id = b.wait_question_id(&handle, &ap_id).await;
    // The second instance knows it as an idea of an ideas group from the start.
    assert_eq!(status_of(&b, &b_id).await["status"], "new");

    // Votes here and from the second instance count alike.
    vote(&a, &carol, &id).await;
    vote(&b, &dave, &b_id).await;
    assert!(
        eventually(15, || async { upvotes(&a, &id).await == 2 }).await,
        "the remote vote did not count"
    );

    // A plain member cannot set a status; the recognised staff member can.
    let body = json!({"status": "planned", "explanation": "Coming in the autumn release."});
    let path = format!("/ideas/{id}/status");
    let (s, _) = a
        .api(Method::PUT, Some(&carol), &path, Some(body.clone()))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = a.api(Method::PUT, Some(&sam), &path, Some(body)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "planned");
    assert_eq!(v["history"][0]["by"], format!("sam@{}", a.domain));

    // The idea's document carries the status and a text fallback.
    let (_, doc) = a.get_ap(&format!("/q/{id}")).await;
    assert_eq!(doc["ideaStatus"], "planned");
    assert_eq!(
        doc["ideaStatusExplanation"],
        "Coming in the autumn release."
    );
    let content = doc["content"].as_str().unwrap();
    assert!(content.contains("Idea status: Planned"), "{content}");

    // Voters are notified here (the author too) and on the second instance.
    assert_eq!(idea_notes(&a, &carol).await.len(), 1);
    assert_eq!(idea_notes(&a, &alice).await.len(), 1);
    assert!(idea_notes(&a, &sam).await.is_empty());
    assert!(
        eventually(15, || async { idea_notes(&b, &dave).await.len() == 1 }).await,
        "the remote voter was not notified"
    );
    let note = &idea_notes(&b, &dave).await[0];
    assert_eq!(note["post_id"], b_id.as_str());
    let remote = status_of(&b, &b_id).await;
    assert_eq!(remote["status"], "planned", "{remote}");
    assert_eq!(remote["explanation"], "Coming in the autumn release.");
    // The receiving peerdesk keeps the status apart from the idea's text.
    let (_, thread) = b
        .api(Method::GET, None, &format!("/questions/{b_id}"), None)
        .await;
    assert!(
        !thread.to_string().contains("Idea status: Planned"),
        "{thread}"
    );

    // A status from anyone but the group is refused.
    let forger = FakeRemote::start().await;
    let mallory = format!("{}/users/mallory", forger.base);
    let forged = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/1", forger.base),
        "type": "Update",
        "actor": mallory,
        "to": [PUBLIC],
        "object": {
            "id": ap_id, "type": "Page", "attributedTo": format!("{}/u/alice", a.base),
            "name": "Dark mode for the dashboard", "content": "<p>x</p>",
            "ideaStatus": "declined", "to": [PUBLIC],
        },
    });
    let (s, _) = forger.deliver(&b.http, &b.url("/inbox"), &forged).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(status_of(&b, &b_id).await["status"], "planned");

    // Following an idea: told of the next change too.
    let (s, _) = b
        .api(
            Method::PUT,
            Some(&dave),
            &format!("/ideas/{b_id}/follow"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(status_of(&b, &b_id).await["following"], false);
    let (_, mine) = b
        .api(Method::GET, Some(&dave), &format!("/ideas/{b_id}"), None)
        .await;
    assert_eq!(mine["following"], true);
    let (s, _) = a
        .api(
            Method::PUT,
            Some(&admin),
            &path,
            Some(json!({"status": "shipped", "explanation": "In 2.4."})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        eventually(15, || async { idea_notes(&b, &dave).await.len() == 2 }).await,
        "the second change did not notify"
    );
    let (_, list) = a
        .api(
            Method::GET,
            None,
            "/groups/roadmap/ideas?status=shipped",
            None,
        )
        .await;
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    let (_, list) = a
        .api(Method::GET, None, "/groups/roadmap/ideas?status=new", None)
        .await;
    assert_eq!(list, json!([]));
}

async fn merging_keeps_one_vote_per_person(backend: Backend) {
    let (a, b, admin, dave, handle) = setup(backend).await;
    let (alice, _) = a.user("alice", false).await;
    let (carol, _) = a.user("carol", false).await;
    let (erin, _) = a.user("erin", false).await;
    let (keep, keep_ap) = idea(&a, &alice, "Export reports as CSV").await;
    let (dup, dup_ap) = idea(&a, &erin, "CSV export of the reports").await;
    let b_keep = b.wait_question_id(&handle, &keep_ap).await;
    let b_dup = b.wait_question_id(&handle, &dup_ap).await;

    // carol votes on both, erin and dave (elsewhere) on the duplicate only.
    vote(&a, &carol, &keep).await;
    vote(&a, &carol, &dup).await;
    vote(&a, &erin, &dup).await;
    vote(&b, &dave, &b_dup).await;
    assert!(
        eventually(15, || async { upvotes(&a, &dup).await == 3 }).await,
        "the votes did not arrive"
    );
    assert!(
        eventually(15, || async {
            upvotes(&b, &b_dup).await == 3 && upvotes(&b, &b_keep).await == 1
        })
        .await,
        "the second instance did not get the votes"
    );

    // Only the group's moderators and staff merge.
    let path = format!("/ideas/{dup}/merge");
    let (s, _) = a
        .api(
            Method::POST,
            Some(&carol),
            &path,
            Some(json!({"into": keep})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, m) = a
        .api(
            Method::POST,
            Some(&admin),
            &path,
            Some(json!({"into": keep, "explanation": "Same request."})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{m}");
    // erin and dave carried; carol, who voted on both, counts once.
    assert_eq!(m["carried_votes"], 2);
    assert_eq!(upvotes(&a, &keep).await, 3);
    let merged = status_of(&a, &dup).await;
    assert_eq!(merged["status"], "merged");
    assert_eq!(merged["merged_into"], keep.as_str());
    // A second merge is refused; the duplicate is locked.
    let (s, _) = a
        .api(
            Method::POST,
            Some(&admin),
            &path,
            Some(json!({"into": keep})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, _) = a
        .api(
            Method::POST,
            Some(&carol),
            &format!("/questions/{dup}/answers"),
            Some(json!({"body": "Me too."})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // The second instance applies the merge the same way, and tells its voter.
    assert!(
        eventually(15, || async {
            status_of(&b, &b_dup).await["merged_into"] == b_keep.as_str()
        })
        .await,
        "the merge did not arrive: {}",
        status_of(&b, &b_dup).await
    );
    assert_eq!(upvotes(&b, &b_keep).await, 3);
    assert_eq!(idea_notes(&b, &dave).await.len(), 1);
    let (_, doc) = a.get_ap(&format!("/q/{dup}")).await;
    assert_eq!(doc["duplicateOf"], keep_ap.as_str());
    assert_eq!(doc["commentsEnabled"], false);
}

/// The pages: the idea's badge, forms and refusals on its thread page (a refused form
/// keeps what was typed), following it, merging through the form, the group's ideas by
/// status, and the kind on the group's settings page.
async fn idea_pages(backend: Backend) {
    let a = Peer::start(backend).await;
    let (admin, _) = a.user("root", true).await;
    let (s, _) = a
        .api(
            Method::POST,
            Some(&admin),
            "/groups",
            Some(json!({"name": "roadmap", "title": "Roadmap", "kind": "ideas"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (alice, _) = a.user("alice", false).await;
    let (id, _) = idea(&a, &alice, "Dark mode for the dashboard").await;
    let (dup, _) = idea(&a, &alice, "A dark theme, please").await;
    let (c_admin, c_alice) = (cookie(&admin), cookie(&alice));
    let thread = a.url(&format!("/q/{id}"));

    // The badge for everyone, the forms for curators only.
    let (_, html) = page(&thread, &c_alice).await;
    assert!(html.contains("id=\"idea-status\">New<"), "{html}");
    assert!(html.contains("id=\"idea-follow\""));
    assert!(!html.contains("id=\"idea-status-form\""));
    let csrf_alice = csrf_field(&html);
    let (_, html) = page(&thread, &c_admin).await;
    assert!(html.contains("id=\"idea-status-form\""), "{html}");
    let csrf = csrf_field(&html);

    // A refused form keeps what was typed; a plain member is refused.
    let status_url = a.url(&format!("/q/{id}/idea/status"));
    let long = "x".repeat(2001);
    let form = [
        ("csrf", csrf.as_str()),
        ("status", "planned"),
        ("explanation", &long),
    ];
    let (s, _, html) = post_form(&status_url, &c_admin, &form).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"idea-error\""), "{html}");
    assert!(html.contains(&long), "the explanation is kept");
    let form = [
        ("csrf", csrf_alice.as_str()),
        ("status", "planned"),
        ("explanation", "Soon"),
    ];
    let (s, _, _) = post_form(&status_url, &c_alice, &form).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = post_form(&status_url, &c_admin, &[("status", "planned")]).await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "a form without its CSRF token is refused"
    );
    let form = [
        ("csrf", csrf.as_str()),
        ("status", "planned"),
        ("explanation", "Coming soon."),
    ];
    let (s, location, _) = post_form(&status_url, &c_admin, &form).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(location, format!("/q/{id}#idea"));
    let (_, html) = page(&thread, "").await;
    assert!(html.contains("id=\"idea-status\">Planned<"), "{html}");
    assert!(html.contains("Coming soon."));
    assert!(html.contains("id=\"idea-history\""));

    // Following it.
    let follow_url = a.url(&format!("/q/{id}/idea/follow"));
    let form = [("csrf", csrf_alice.as_str()), ("op", "follow")];
    let (s, _, _) = post_form(&follow_url, &c_alice, &form).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = page(&thread, &c_alice).await;
    assert!(html.contains("id=\"idea-unfollow\""), "{html}");

    // The group's ideas, by status.
    let (_, html) = page(&a.url("/g/roadmap"), "").await;
    assert!(html.contains("id=\"idea-filters\""), "{html}");
    assert!(html.contains("Suggest an idea"));
    let (_, html) = page(&a.url("/g/roadmap?status=planned"), "").await;
    assert!(html.contains("Dark mode for the dashboard"), "{html}");
    assert!(!html.contains("A dark theme, please"));

    // Merging through the form: a bad target keeps the input.
    let merge_url = a.url(&format!("/q/{dup}/idea/merge"));
    let form = [
        ("csrf", csrf.as_str()),
        ("into", "/q/nothing"),
        ("note", "Same"),
    ];
    let (s, _, html) = post_form(&merge_url, &c_admin, &form).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"idea-merge-error\""), "{html}");
    assert!(html.contains("value=\"/q/nothing\""));
    let into = format!("/q/{id}");
    let form = [
        ("csrf", csrf.as_str()),
        ("into", into.as_str()),
        ("note", "Same"),
    ];
    let (s, location, _) = post_form(&merge_url, &c_admin, &form).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(location, into);
    let (_, html) = page(&a.url(&format!("/q/{dup}")), "").await;
    assert!(html.contains("id=\"idea-merged-into\""), "{html}");

    // The kind on the settings page.
    let settings = a.url("/g/roadmap/mod/settings");
    let (_, html) = page(&settings, &c_admin).await;
    assert!(
        html.contains("id=\"kind-ideas\" name=\"kind\" value=\"ideas\" checked"),
        "{html}"
    );
    let form = [
        ("csrf", csrf.as_str()),
        ("section", "kind"),
        ("kind", "questions"),
    ];
    let (s, _, _) = post_form(&settings, &c_admin, &form).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = page(&a.url("/g/roadmap"), "").await;
    assert!(!html.contains("id=\"idea-filters\""), "{html}");
}

both_backends!(
    status_change_notifies_voters_on_two_instances,
    merging_keeps_one_vote_per_person,
    idea_pages
);
