//! The admin console's People pages across two real instances: deleting a local account
//! with its posts (the second instance sees the posts and the actor deleted), and
//! purging a remote user of the second instance (here only). Bad input comes back with
//! its message and what was typed.

mod common;
use common::forms::{cookie, csrf_field, page, post_form};
use common::people::{ask, logged, post_deleted, post_state, profile, sign_in, PASSWORD};
use common::remote::{fixture, FakeRemote};
use common::{eventually, Backend, Peer};
use peerdesk::db::queries;
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn deleting_an_account_federates(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    a.group("printers").await;
    b.group("scanners").await;
    let (ada, _) = a.user("ada", true).await;
    let (carol, carol_actor) = a.user("carol", false).await;
    let (rita, _) = b.user("rita", false).await;
    let (printers, scanners) = (
        format!("printers@{}", a.domain),
        format!("scanners@{}", b.domain),
    );
    b.follow_and_wait(&rita, &printers).await;
    a.follow_and_wait(&carol, &scanners).await;
    // A question in a group here (B has it from the group) and one in B's group.
    let q1 = ask(&a, &carol, "printers", "Paper tray stuck after the update").await;
    let q2 = ask(&a, &carol, &scanners, "Scanner makes a grinding noise").await;
    let q1_ap = q1["ap_id"].as_str().unwrap().to_string();
    let q2_ap = q2["ap_id"].as_str().unwrap().to_string();
    b.wait_question_id(&printers, &q1_ap).await;
    b.wait_question_id("scanners", &q2_ap).await;

    let c = cookie(&ada);
    let url = a.url("/admin/people/u/carol/delete");
    let (s, html) = page(&url, &c).await;
    assert!(
        s == StatusCode::OK && html.contains("Its 2 posts are deleted"),
        "{html}"
    );
    let csrf = csrf_field(&html);
    let (s, _, html) = post_form(
        &url,
        &c,
        &[
            ("csrf", &csrf),
            ("reason", "Asked to leave"),
            ("confirm", "carl"),
        ],
    )
    .await;
    assert!(
        s == StatusCode::BAD_REQUEST
            && html.contains("Type carol to confirm the deletion.")
            && html.contains("value=\"Asked to leave\"")
    );
    let (s, _, html) = post_form(
        &url,
        &c,
        &[("csrf", &csrf), ("reason", ""), ("confirm", "carol")],
    )
    .await;
    assert!(s == StatusCode::BAD_REQUEST && html.contains("Give a reason."));
    assert_eq!(
        a.api(Method::GET, Some(&carol), "/me", None).await.0,
        StatusCode::OK
    );
    let (s, to, _) = post_form(
        &url,
        &c,
        &[
            ("csrf", &csrf),
            ("reason", "Asked to leave"),
            ("confirm", "Carol"),
        ],
    )
    .await;
    assert_eq!(
        (s, to.as_str()),
        (
            StatusCode::SEE_OTHER,
            "/admin/people?done=deleted&name=carol"
        )
    );
    assert!(page(&a.url(&to), &c)
        .await
        .1
        .contains("The account carol was deleted."));

    // Here: the posts are tombstones, the account is gone, its name taken.
    assert!(post_deleted(&a, &q1_ap).await && post_deleted(&a, &q2_ap).await);
    assert_eq!(page(&a.url("/u/carol"), "").await.0, StatusCode::GONE);
    assert_eq!(profile(&a, "carol").await.0, StatusCode::GONE);
    assert_eq!(
        a.api(Method::GET, Some(&carol), "/me", None).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(sign_in(&a, "carol").await.0, StatusCode::UNAUTHORIZED);
    let roles = peerdesk::domain::accounts::Roles::default();
    assert!(
        peerdesk::domain::accounts::create_user(a.state(), "carol", PASSWORD, roles)
            .await
            .is_err()
    );
    assert!(logged(&a, "delete_account", "carol", "Asked to leave").await);
    assert!(page(&a.url("/admin/people?q=carol"), &c)
        .await
        .1
        .contains("class=\"state-deleted\""));
    for (path, status) in [
        ("/admin/users/carol", StatusCode::GONE),
        ("/admin/users/ada", StatusCode::BAD_REQUEST),
        ("/admin/users/nobody", StatusCode::NOT_FOUND),
    ] {
        let (s, v) = a
            .api(
                Method::DELETE,
                Some(&ada),
                path,
                Some(json!({"reason": "again"})),
            )
            .await;
        assert_eq!(s, status, "{path}: {v}");
    }

    // The second instance: both posts gone, the actor deleted.
    let ap = carol_actor.ap_id.clone();
    assert!(
        eventually(20, || async {
            let ap = ap.clone();
            let gone = b
                .query(move |c| queries::actors::by_ap_id(c, &ap))
                .await
                .is_some_and(|a| a.deleted);
            gone && post_deleted(&b, &q1_ap).await && post_deleted(&b, &q2_ap).await
        })
        .await,
        "the deletion did not reach B"
    );
}

async fn purging_a_remote_user(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    a.group("printers").await;
    let (ada, _) = a.user("ada", true).await;
    let (rita, _) = b.user("rita", false).await;
    let printers = format!("printers@{}", a.domain);
    b.follow_and_wait(&rita, &printers).await;
    let q = ask(&b, &rita, &printers, "Toner smears on the left edge").await;
    let q_ap = q["ap_id"].as_str().unwrap().to_string();
    a.wait_question_id("printers", &q_ap).await;

    let c = cookie(&ada);
    let rita_handle = format!("rita@{}", b.domain);
    let (_, html) = page(&a.url("/admin/people/remote?q=RIT"), &c).await;
    assert!(
        html.contains(&format!("data-handle=\"{rita_handle}\"")),
        "{html}"
    );
    assert!(html.contains("<td class=\"num posts\">1</td>"));
    let at = html.find("/admin/people/remote/").unwrap();
    let purge_url = a.url(html[at..].split('"').next().unwrap());
    let (_, none) = page(&a.url("/admin/people/remote?q=zzz"), &c).await;
    assert!(none.contains("No remote user matches."));

    let (s, html) = page(&purge_url, &c).await;
    assert!(
        s == StatusCode::OK && html.contains("Its one post stored here is removed"),
        "{html}"
    );
    let csrf = csrf_field(&html);
    let (s, _, html) = post_form(&purge_url, &c, &[("csrf", &csrf), ("reason", "spam")]).await;
    assert!(
        s == StatusCode::BAD_REQUEST
            && html.contains("Tick the box to confirm the purge.")
            && html.contains("value=\"spam\"")
    );
    let (s, to, _) = post_form(
        &purge_url,
        &c,
        &[("csrf", &csrf), ("reason", "spam"), ("confirm", "1")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = page(&a.url(&to), &c).await;
    assert!(
        html.contains(&format!("One post of {rita_handle} was removed."))
            && html.contains("<td class=\"num posts\">0</td>"),
        "{html}"
    );
    assert!(post_state(&a, &q_ap).await.1, "removed here");
    assert_eq!(post_state(&b, &q_ap).await, (false, false), "not sent to B");
    assert!(logged(&a, "purge", "rita", "spam").await);
    let body = json!({"handle": format!("ada@{}", a.domain), "reason": "x"});
    assert_eq!(
        a.api(Method::POST, Some(&ada), "/admin/purge", Some(body))
            .await
            .0,
        StatusCode::BAD_REQUEST
    );
}

/// An account deletion sends the deletions of the posts and of the actor in no set
/// order: a deleted actor's `Delete`s still apply (checked with its stored key), while
/// anything else it sends is refused.
async fn a_deleted_actors_deletions_still_apply(backend: Backend) {
    let peer = Peer::start(backend).await;
    let remote = FakeRemote::start().await;
    peer.group("help").await;
    let vars = |id: &'static str| {
        let (base, group) = (remote.base.clone(), peer.url("/g/help"));
        move |name: &str| fixture(name, &[("REMOTE", &base), ("GROUP", &group), ("ID", id)])
    };
    let inbox = peer.url("/inbox");
    let create = vars("1")("lemmy_create_page");
    let (s, v) = remote.deliver(&peer.http, &inbox, &create).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let post = create["object"]["id"].as_str().unwrap().to_string();
    let stored = |ap: String| {
        let peer = &peer;
        async move { peer.question_id("help", &ap).await.is_some() }
    };
    assert!(eventually(15, || stored(post.clone())).await, "stored");
    let alice = create["actor"].as_str().unwrap().to_string();

    // The actor deletes itself first, then its post.
    let id = |n: &str| format!("{}/activities/delete/{n}", remote.base);
    let actor = json!({"id": id("1"), "type": "Delete", "actor": alice, "object": alice,
        "to": ["https://www.w3.org/ns/activitystreams#Public"], "removeData": true});
    let (s, v) = remote.deliver(&peer.http, &inbox, &actor).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let deleted = || {
        let a = alice.clone();
        let peer = &peer;
        async move {
            let found = peer.query(move |c| queries::actors::by_ap_id(c, &a)).await;
            found.is_some_and(|a| a.deleted)
        }
    };
    assert!(eventually(15, deleted).await, "the actor is deleted");
    let delete = json!({"id": id("2"), "type": "Delete", "actor": alice, "object": post,
        "to": ["https://www.w3.org/ns/activitystreams#Public"]});
    let (s, v) = remote.deliver(&peer.http, &inbox, &delete).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    assert!(
        eventually(15, || post_deleted(&peer, &post)).await,
        "the deleted actor's post is deleted"
    );
    // Anything else from the deleted actor is refused.
    let again = vars("2")("lemmy_create_page");
    let (s, _) = remote.deliver(&peer.http, &inbox, &again).await;
    assert_eq!(s, StatusCode::GONE);
}

both_backends!(
    deleting_an_account_federates,
    purging_a_remote_user,
    a_deleted_actors_deletions_still_apply,
);
