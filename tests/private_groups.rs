//! Private groups across real instances: a private group's follow from another server
//! waits for a moderator's approval (then `Accept`); its question reaches the approved
//! member there and nobody else; a non-member cannot read it by page, API, search or
//! (signed or unsigned) fetch, here or on the member's server (where members find it by
//! search); nothing of it is in a public outbox; joining here waits too, or is at once
//! with an invitation.

mod common;
use common::forms::{cookie, page};
use common::remote::FakeRemote;
use common::{eventually, Backend, Peer};
use peerdesk::federation::signing::signed_get_headers;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const SECRET: &str = "Quokkaconfidential recall plan";
const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// GET `url` as ActivityPub JSON, signed as `actor` of `remote` (or unsigned).
async fn fetch(
    http: &reqwest::Client,
    url: &str,
    signer: Option<(&FakeRemote, &str)>,
) -> (StatusCode, String) {
    let mut req = http.get(url).header("accept", "application/activity+json");
    if let Some((remote, actor)) = signer {
        let key_id = format!("{}/users/{actor}#main-key", remote.base);
        let headers = signed_get_headers(
            &url::Url::parse(url).unwrap(),
            &key_id,
            &remote.private_pem(),
        )
        .unwrap();
        req = req.headers(headers);
    }
    let resp = req.send().await.unwrap();
    (resp.status(), resp.text().await.unwrap_or_default())
}

/// A follow of `group` by `remote`'s actor `name`, delivered to the group's inbox.
async fn remote_follow(a: &Peer, remote: &FakeRemote, name: &str, group: &str) {
    let follow = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/follows/{name}", remote.base),
        "type": "Follow",
        "actor": format!("{}/users/{name}", remote.base),
        "object": a.url(&format!("/g/{group}")),
    });
    let (s, body) = remote
        .deliver(&a.http, &a.url(&format!("/g/{group}/inbox")), &follow)
        .await;
    assert!(s.is_success(), "{s} {body}");
}

async fn requests(a: &Peer, token: &str, group: &str) -> Vec<String> {
    let (s, v) = a
        .api(
            Method::GET,
            Some(token),
            &format!("/groups/{group}/requests"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| r["actor"]["id"].as_str().unwrap().to_string())
        .collect()
}

async fn answer_follow(a: &Peer, token: &str, group: &str, op: &str, handle: &str) -> StatusCode {
    let path = format!("/groups/{group}/requests/{op}");
    let (s, v) = a
        .api(
            Method::POST,
            Some(token),
            &path,
            Some(json!({"handle": handle})),
        )
        .await;
    assert!(
        s == StatusCode::NO_CONTENT || s.is_client_error(),
        "{s} {v}"
    );
    s
}

fn received_of(remote: &FakeRemote, kind: &str) -> Vec<Value> {
    remote
        .received
        .lock()
        .unwrap()
        .iter()
        .filter(|v| v["type"] == kind)
        .cloned()
        .collect()
}

async fn listed(peer: &Peer, token: Option<&str>, group: &str) -> String {
    let (s, v) = peer
        .api(
            Method::GET,
            token,
            &format!("/questions?group={group}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v.to_string()
}

async fn private_group_is_for_its_members(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    let insider = FakeRemote::start().await;
    let outsider = FakeRemote::start().await;
    let (admin, _) = a.user("admin", true).await;
    let (carol, carol_actor) = a.user("carol", false).await;

    // A private group, created so; its actor manually approves followers.
    let (s, g) = a
        .api(
            Method::POST,
            Some(&admin),
            "/groups",
            Some(json!({"name": "vip", "title": "VIP support", "visibility": "private"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{g}");
    assert_eq!(g["visibility"], "private");
    let (s, actor) = a.get_ap("/g/vip").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(actor["manuallyApprovesFollowers"], true);

    // Bob on B follows: pending until a moderator approves; then the Accept reaches B.
    let (bob, bob_actor) = b.user("bob", false).await;
    let (dave, _) = b.user("dave", false).await;
    let handle = format!("vip@{}", a.domain);
    let (s, f) = b
        .api(
            Method::POST,
            Some(&bob),
            "/follows",
            Some(json!({"handle": handle})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{f}");
    assert!(
        eventually(15, || async {
            requests(&a, &admin, "vip").await.contains(&bob_actor.ap_id)
        })
        .await,
        "bob's request did not reach the queue"
    );
    // A plain user cannot see or answer the queue.
    let (s, _) = a
        .api(Method::GET, Some(&carol), "/groups/vip/requests", None)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Still pending on B (no Accept without approval).
    let (_, following) = b.api(Method::GET, Some(&bob), "/me/following", None).await;
    assert_eq!(following["items"][0]["pending"], true, "{following}");
    assert_eq!(
        answer_follow(&a, &admin, "vip", "approve", &bob_actor.ap_id).await,
        StatusCode::NO_CONTENT
    );
    assert!(
        eventually(15, || async {
            let (_, f) = b.api(Method::GET, Some(&bob), "/me/following", None).await;
            f["items"][0]["pending"] == false
        })
        .await,
        "the Accept did not reach B"
    );

    // A scripted server's member, approved; another server's follower, rejected.
    remote_follow(&a, &insider, "member", "vip").await;
    remote_follow(&a, &outsider, "eve", "vip").await;
    let member = format!("{}/users/member", insider.base);
    let eve = format!("{}/users/eve", outsider.base);
    assert!(
        eventually(15, || async {
            let r = requests(&a, &admin, "vip").await;
            r.contains(&member) && r.contains(&eve)
        })
        .await
    );
    assert_eq!(
        answer_follow(&a, &admin, "vip", "approve", &member).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        answer_follow(&a, &admin, "vip", "reject", &eve).await,
        StatusCode::NO_CONTENT
    );
    assert!(eventually(15, || async { !received_of(&insider, "Accept").is_empty() }).await);
    assert!(
        eventually(15, || async {
            !received_of(&outsider, "Reject").is_empty()
        })
        .await
    );
    assert!(requests(&a, &admin, "vip").await.is_empty());

    // A local non-member asks to join: pending; cannot ask or read.
    let (s, f) = a
        .api(
            Method::POST,
            Some(&carol),
            "/follows",
            Some(json!({"handle": handle})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{f}");
    assert_eq!(f["pending"], true);
    let body = json!({"group": "vip", "title": "Let me in please", "body": "Hello", "tags": []});
    let (s, _) = a
        .api(Method::POST, Some(&carol), "/questions", Some(body))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // The admin (a moderator) asks.
    let body = json!({"group": "vip", "title": SECRET, "body": "Only for members.", "tags": []});
    let (s, q) = a
        .api(Method::POST, Some(&admin), "/questions", Some(body))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let qid = q["id"].as_str().unwrap().to_string();
    let ap_id = q["ap_id"].as_str().unwrap().to_string();

    // The approved member on B gets it, readable there by bob only.
    assert!(
        eventually(15, || async {
            listed(&b, Some(&bob), &handle).await.contains(SECRET)
        })
        .await,
        "the question did not reach the approved member's server"
    );
    assert!(!listed(&b, None, &handle).await.contains(SECRET));
    assert!(!listed(&b, Some(&dave), &handle).await.contains(SECRET));
    let bq = b
        .query({
            let ap = ap_id.clone();
            move |c| peerdesk::db::queries::posts::by_ap_id(c, &ap)
        })
        .await
        .expect("stored on B");
    assert!(!bq.public, "kept private on B");
    let path = format!("/questions/{}", bq.id);
    let (s, v) = b.api(Method::GET, Some(&bob), &path, None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["question"]["title"], SECRET);
    for token in [None, Some(dave.as_str())] {
        let (s, _) = b.api(Method::GET, token, &path, None).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
    // B's search: bob finds it, dave and anonymous visitors do not.
    let search = "/search?q=Quokkaconfidential";
    let (_, found) = b.api(Method::GET, Some(&bob), search, None).await;
    assert!(found.to_string().contains(SECRET), "{found}");
    for token in [None, Some(dave.as_str())] {
        let (_, found) = b.api(Method::GET, token, search, None).await;
        assert!(!found.to_string().contains(SECRET), "{found}");
    }
    let b_page = b.url(&format!("/q/{}", bq.id));
    let (s, html) = page(&b_page, &cookie(&bob)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains(SECRET));
    for c in [String::new(), cookie(&dave)] {
        let (s, html) = page(&b_page, &c).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert!(!html.contains(SECRET));
    }

    // The scripted member got the group's Announce, addressed to the followers only.
    let followers = a.url("/g/vip/followers");
    assert!(
        eventually(15, || async {
            received_of(&insider, "Announce")
                .iter()
                .any(|v| v.to_string().contains(&ap_id))
        })
        .await,
        "the member's server did not get the announcement"
    );
    for announce in received_of(&insider, "Announce") {
        assert!(!announce.to_string().contains(PUBLIC), "{announce}");
        assert_eq!(announce["to"], json!([followers]), "{announce}");
    }
    // Nothing reached the rejected server.
    assert!(received_of(&outsider, "Announce").is_empty());
    assert!(received_of(&outsider, "Create").is_empty());

    // On A: no page, API, list or search for non-members; the page for a member.
    let a_page = a.url(&format!("/q/{qid}"));
    for c in [String::new(), cookie(&carol)] {
        let (s, html) = page(&a_page, &c).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert!(!html.contains(SECRET));
    }
    let (s, html) = page(&a_page, &cookie(&admin)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains(SECRET));
    for token in [None, Some(carol.as_str())] {
        let (s, _) = a
            .api(Method::GET, token, &format!("/questions/{qid}"), None)
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert!(!listed(&a, token, "vip").await.contains(SECRET));
        let (_, all) = a.api(Method::GET, token, "/questions", None).await;
        assert!(!all.to_string().contains(SECRET));
        let (_, found) = a
            .api(Method::GET, token, "/search?q=Quokkaconfidential", None)
            .await;
        assert!(!found.to_string().contains(SECRET));
        let (_, html) = page(&a.url("/g/vip"), &token.map(cookie).unwrap_or_default()).await;
        assert!(!html.contains(SECRET));
    }
    assert!(listed(&a, Some(&admin), "vip").await.contains(SECRET));

    // Fetches: unsigned 401, signed by a non-member's server 403, by the member's 200.
    for url in [
        ap_id.clone(),
        format!("{ap_id}/context"),
        a.url("/g/vip/outbox"),
        followers.clone(),
    ] {
        let (s, body) = fetch(&a.http, &url, None).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{url}");
        assert!(!body.contains(SECRET));
        let (s, body) = fetch(&a.http, &url, Some((&outsider, "eve"))).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{url}");
        assert!(!body.contains(SECRET));
        let (s, _) = fetch(&a.http, &url, Some((&insider, "member"))).await;
        assert_eq!(s, StatusCode::OK, "{url}");
    }
    let (_, doc) = fetch(&a.http, &ap_id, Some((&insider, "member"))).await;
    let doc: Value = serde_json::from_str(&doc).unwrap();
    assert_eq!(doc["name"], SECRET);
    assert!(!doc["to"].to_string().contains(PUBLIC), "{doc}");
    assert!(doc["to"].to_string().contains(&followers), "{doc}");

    // Nothing private in any public outbox: the group's (as its member fetches it) and
    // the asker's.
    let (_, outbox) = fetch(&a.http, &a.url("/g/vip/outbox"), Some((&insider, "member"))).await;
    assert!(
        !outbox.contains(SECRET) && !outbox.contains(&ap_id),
        "{outbox}"
    );
    let (s, outbox) = a.get_ap("/u/admin/outbox").await;
    assert_eq!(s, StatusCode::OK);
    assert!(!outbox.to_string().contains(&ap_id), "{outbox}");

    // Bob answers from B: it reaches A as a member's answer.
    let (s, ans) = b
        .api(
            Method::POST,
            Some(&bob),
            &format!("{path}/answers"),
            Some(json!({"body": "Members-only answer"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ans}");
    assert!(
        eventually(15, || async {
            let (_, t) = a
                .api(
                    Method::GET,
                    Some(&admin),
                    &format!("/questions/{qid}"),
                    None,
                )
                .await;
            t.to_string().contains("Members-only answer")
        })
        .await,
        "the member's answer did not reach A"
    );
    // Dave (not a member) cannot answer.
    let (s, _) = b
        .api(
            Method::POST,
            Some(&dave),
            &format!("{path}/answers"),
            Some(json!({"body": "Me too"})),
        )
        .await;
    assert!(
        s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
        "{s}"
    );

    // An invitation lets carol in at once; then she reads the question.
    let (s, inv) = a
        .api(Method::POST, Some(&admin), "/groups/vip/invites", None)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{inv}");
    let token = inv["token"].as_str().unwrap();
    let (s, _) = a
        .api(
            Method::POST,
            Some(&carol),
            "/groups/vip/join",
            Some(json!({"token": token})),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = a
        .api(
            Method::POST,
            Some(&carol),
            "/groups/vip/join",
            Some(json!({"token": "nope"})),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::NO_CONTENT,
        "a member joining again is a no-op"
    );
    let (s, v) = a
        .api(
            Method::GET,
            Some(&carol),
            &format!("/questions/{qid}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(listed(&a, Some(&carol), "vip").await.contains(SECRET));
    let (_, found) = a
        .api(
            Method::GET,
            Some(&carol),
            "/search?q=Quokkaconfidential",
            None,
        )
        .await;
    assert!(found.to_string().contains(SECRET), "{found}");
    let _ = carol_actor;
}

/// Joining here: a request waits for the moderators (their page lists it); verified
/// staff of a recognised organisation join at once; a used invitation does not work
/// twice; a group made public again publishes its questions.
async fn joining_here(backend: Backend) {
    let a = Peer::start(backend).await;
    let (admin, _) = a.user("admin", true).await;
    let (dan, dan_actor) = a.user("dan", false).await;
    let (sam, _) = a.user("sam", false).await;
    let (zoe, _) = a.user("zoe", false).await;
    a.group("club").await;
    a.staffed_org(&admin, ("Acme", "acme.example"), "sam", "club")
        .await;
    let (s, v) = a
        .api(
            Method::PATCH,
            Some(&admin),
            "/groups/club",
            Some(json!({"visibility": "private"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["visibility"], "private");

    // Staff of a recognised organisation join at once; dan waits.
    let club = json!({"handle": format!("club@{}", a.domain), "accept_guidelines": true});
    let (_, f) = a
        .api(Method::POST, Some(&sam), "/follows", Some(club.clone()))
        .await;
    assert_eq!(f["pending"], false, "{f}");
    let (_, f) = a
        .api(Method::POST, Some(&dan), "/follows", Some(club))
        .await;
    assert_eq!(f["pending"], true, "{f}");
    let (s, html) = page(&a.url("/g/club"), &cookie(&dan)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("id=\"join-pending\""));
    let (s, html) = page(&a.url("/g/club/mod/members"), &cookie(&admin)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains(&dan_actor.handle()), "{html}");
    let (s, _) = page(&a.url("/g/club/mod/members"), &cookie(&dan)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let q = common::people::ask(&a, &sam, "club", "Staff-only rollout question").await;
    let qid = q["id"].as_str().unwrap().to_string();
    let (s, _) = a
        .api(Method::GET, Some(&dan), &format!("/questions/{qid}"), None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = a
        .api(
            Method::PUT,
            Some(&dan),
            &format!("/posts/{qid}/vote"),
            Some(json!({"value": 1})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Adding by name makes dan a member.
    let (s, _) = a
        .api(
            Method::POST,
            Some(&admin),
            "/groups/club/members",
            Some(json!({"handle": "dan"})),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = a
        .api(Method::GET, Some(&dan), &format!("/questions/{qid}"), None)
        .await;
    assert_eq!(s, StatusCode::OK);

    // An invitation is used once.
    let (_, inv) = a
        .api(Method::POST, Some(&admin), "/groups/club/invites", None)
        .await;
    let token = inv["token"].as_str().unwrap().to_string();
    let (s, _) = a
        .api(
            Method::POST,
            Some(&zoe),
            "/groups/club/join",
            Some(json!({"token": token})),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (other, _) = a.user("other", false).await;
    let (s, _) = a
        .api(
            Method::POST,
            Some(&other),
            "/groups/club/join",
            Some(json!({"token": token})),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // Made public again: the question is everyone's.
    let (s, _) = a
        .api(
            Method::PATCH,
            Some(&admin),
            "/groups/club",
            Some(json!({"visibility": "public"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = a
        .api(Method::GET, None, &format!("/questions/{qid}"), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, actor) = a.get_ap("/g/club").await;
    assert_eq!(actor["manuallyApprovesFollowers"], false);
}

both_backends!(private_group_is_for_its_members, joining_here);
