//! A remote question fetched here (looked up, or the parent of a reply) brings its thread
//! along from the `context` collection it names, in Lemmy's shape: one page of ids, the
//! post first, then comments from any instance.

mod common;
use common::remote::FakeRemote;
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

async fn stored(a: &Peer, ap_id: &str) -> bool {
    let id = ap_id.to_string();
    a.query(move |c| peerdesk::db::queries::posts::by_ap_id(c, &id))
        .await
        .is_some()
}

async fn lemmy_thread_is_completed_from_its_context(backend: Backend) {
    let a = Peer::start(backend).await;
    let (reader, _) = a.user("reader", false).await;
    // Two Lemmy instances: the community and the post on one, a comment from the other.
    let home = FakeRemote::start().await;
    let other = FakeRemote::start().await;
    let community = format!("{}/c/printers", home.base);
    let post = format!("{}/post/41", home.base);
    let first = format!("{}/comment/7", home.base);
    let reply = format!("{}/comment/9", other.base);
    let elsewhere = format!("{}/comment/99", other.base);
    home.put(json!({
        "@context": ["https://join-lemmy.org/context.json", "https://www.w3.org/ns/activitystreams"],
        "id": post,
        "type": "Page",
        "attributedTo": format!("{}/u/alice", home.base),
        "to": [community, PUBLIC],
        "audience": community,
        "name": "Printer prints blank pages",
        "content": "<p>Since the update.</p>",
        "mediaType": "text/html",
        "context": format!("{post}/context"),
        "published": "2026-11-30T10:00:00.123Z",
    }));
    home.put(json!({
        "@context": ["https://join-lemmy.org/context.json", "https://www.w3.org/ns/activitystreams"],
        "type": "OrderedCollection",
        "id": format!("{post}/context"),
        "totalItems": 3,
        "orderedItems": [post, first, reply],
    }));
    home.put(json!({
        "id": first,
        "type": "Note",
        "attributedTo": format!("{}/u/bob", home.base),
        "to": [PUBLIC],
        "cc": [community],
        "audience": community,
        "inReplyTo": post,
        "content": "<p>Reinstall the driver.</p>",
        "context": format!("{first}/context"),
        "published": "2026-11-30T10:05:00.000Z",
    }));
    other.put(json!({
        "id": reply,
        "type": "Note",
        "attributedTo": format!("{}/u/carol", other.base),
        "to": [PUBLIC],
        "cc": [community],
        "audience": community,
        "inReplyTo": first,
        "content": "<p>That fixed it here too.</p>",
        "published": "2026-11-30T10:09:00.000Z",
    }));
    // Not in the collection: not fetched.
    other.put(json!({
        "id": elsewhere,
        "type": "Note",
        "attributedTo": format!("{}/u/carol", other.base),
        "to": [PUBLIC],
        "inReplyTo": post,
        "content": "<p>Unlisted.</p>",
    }));

    let (status, view) = a
        .api(
            Method::GET,
            Some(&reader),
            &format!("/resolve/object?url={post}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    let completed = eventually(30, || async {
        stored(&a, &first).await && stored(&a, &reply).await
    })
    .await;
    assert!(completed, "the thread's comments were not brought in");
    assert!(!stored(&a, &elsewhere).await);
    // The comment from the other instance sits under the first comment.
    let (f, r) = (first.clone(), reply.clone());
    let (first_row, reply_row) = a
        .query(move |c| {
            Ok((
                peerdesk::db::queries::posts::by_ap_id(c, &f)?.unwrap(),
                peerdesk::db::queries::posts::by_ap_id(c, &r)?.unwrap(),
            ))
        })
        .await;
    assert_eq!(reply_row.parent_id, Some(first_row.id));
    assert_eq!(reply_row.question_id, first_row.question_id);
}

both_backends!(lemmy_thread_is_completed_from_its_context);
