//! A report a user here sent to a Lemmy community is closed by the community's
//! moderator: Lemmy sends `Resolve` with the report embedded again under a new id (its
//! own copy), found here by reporter and object; `Undo{Resolve}` reopens it. A
//! `Resolve` from a server the report was not sent to changes nothing.

mod common;
use common::remote::FakeRemote;
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

async fn status_of_report(a: &Peer, admin: &str, post: &str) -> Option<String> {
    let (_, q) = a
        .api(Method::GET, Some(admin), "/reports?all=true", None)
        .await;
    q.as_array()?
        .iter()
        .find(|r| r["post_ap_id"] == post)
        .and_then(|r| r["status"].as_str().map(str::to_string))
}

async fn lemmy_resolve_closes_and_reopens(backend: Backend) {
    let a = Peer::start(backend).await;
    let (alice, alice_actor) = a.user("alice", false).await;
    let (admin, _) = a.user("root", true).await;
    let lemmy = FakeRemote::start().await;
    let stranger = FakeRemote::start().await;
    let community = format!("{}/c/printers", lemmy.base);
    let post = format!("{}/post/5", lemmy.base);
    lemmy.put(json!({
        "id": post,
        "type": "Page",
        "attributedTo": format!("{}/u/spammer", lemmy.base),
        "to": [community, PUBLIC],
        "audience": community,
        "name": "Cheap printer ink here",
        "content": "<p>Buy now.</p>",
    }));
    let (s, view) = a
        .api(
            Method::GET,
            Some(&alice),
            &format!("/resolve/object?url={post}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{view}");
    let (s, v) = a
        .api(
            Method::POST,
            Some(&alice),
            "/reports",
            Some(json!({"post_id": view["id"], "reason": "spam"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(
        status_of_report(&a, &admin, &post).await.as_deref(),
        Some("open")
    );
    let sent_flag = |remote: &FakeRemote| {
        remote
            .received
            .lock()
            .unwrap()
            .iter()
            .find(|x| x["type"] == "Flag")
            .cloned()
    };
    assert!(
        eventually(15, || async { sent_flag(&lemmy).is_some() }).await,
        "the report was not sent to the community's server"
    );
    let flag = sent_flag(&lemmy).unwrap();

    // Lemmy's copy of the report, under its own id, as its Resolve embeds it.
    let resolve = |server: &FakeRemote, n: u32| -> Value {
        let moderator = format!("{}/u/mod", server.base);
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{}/activities/resolve/{n}", server.base),
            "type": "Resolve",
            "actor": moderator,
            "to": [community],
            "audience": community,
            "object": {
                "id": format!("{}/activities/flag/{n}", server.base),
                "type": "Flag",
                "actor": alice_actor.ap_id,
                "to": [community],
                "object": post,
                "summary": "spam",
            },
        })
    };
    assert_ne!(flag["id"], resolve(&lemmy, 1)["object"]["id"]);

    // From a server the report was not sent to: ignored.
    let (s, body) = stranger
        .deliver(&a.http, &a.url("/inbox"), &resolve(&stranger, 1))
        .await;
    assert!(s.is_success(), "{s} {body}");
    assert_eq!(
        status_of_report(&a, &admin, &post).await.as_deref(),
        Some("open")
    );

    let closing = resolve(&lemmy, 2);
    let (s, body) = lemmy.deliver(&a.http, &a.url("/inbox"), &closing).await;
    assert!(s.is_success(), "{s} {body}");
    assert!(
        eventually(15, || async {
            status_of_report(&a, &admin, &post).await.as_deref() == Some("resolved")
        })
        .await,
        "Lemmy's Resolve did not close the report"
    );

    let undo = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/undo/3", lemmy.base),
        "type": "Undo",
        "actor": closing["actor"],
        "to": [community],
        "object": closing,
    });
    let (s, body) = lemmy.deliver(&a.http, &a.url("/inbox"), &undo).await;
    assert!(s.is_success(), "{s} {body}");
    assert!(
        eventually(15, || async {
            status_of_report(&a, &admin, &post).await.as_deref() == Some("open")
        })
        .await,
        "Undo{{Resolve}} did not reopen the report"
    );
}

both_backends!(lemmy_resolve_closes_and_reopens);
