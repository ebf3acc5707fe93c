//! A case's public note federated: staff of Acme on instance `a` set the note of a case
//! linked to a question of a group hosted on `a`; the group's `Update` of the question
//! carries it (`supportNotes`) and nothing else of the case, and the second instance `b`
//! shows it on its thread as it shows its own notes. Changed and cleared the same way;
//! notes forged by an actor who is not the question's group are refused with 403 and
//! change nothing. A group on another server (a scripted one) sends notes inside its own
//! `Announce`; someone else's `Update` that it announces is refused.

mod common;
use common::remote::FakeRemote;
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";
const SECRET: &str = "ORDER-4711-SECRET";
const SUBJECT: &str = "Paper jam in tray two";
const PRIVATE_MESSAGE: &str = "Please send the serial SN-0099";

/// The notes `peer`'s API shows on the thread of `id`, as (organisation, note).
async fn notes(peer: &Peer, id: &str) -> Vec<(String, String)> {
    let (s, t) = peer
        .api(Method::GET, None, &format!("/questions/{id}"), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{t}");
    t["case_notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let org = n["organisation"].as_str().unwrap().to_string();
            (org, n["note"].as_str().unwrap().to_string())
        })
        .collect()
}

/// Waits until `peer` shows exactly `want` on the thread of `id`.
async fn wait_notes(peer: &Peer, id: &str, want: &[(&str, &str)]) {
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(o, n)| (o.to_string(), n.to_string()))
        .collect();
    let arrived = eventually(15, || async { notes(peer, id).await == want }).await;
    assert!(arrived, "{:?} instead of {want:?}", notes(peer, id).await);
}

/// The group's `Update`s of `ap_id` that `remote` received, oldest first.
fn updates_of(remote: &FakeRemote, ap_id: &str) -> Vec<Value> {
    remote
        .received
        .lock()
        .unwrap()
        .iter()
        .filter(|a| a["type"] == "Update" && a["object"]["id"] == ap_id)
        .cloned()
        .collect()
}

/// Sets the public note of case `n` as `token`.
async fn set_note(peer: &Peer, token: &str, n: i64, note: &str) {
    let (s, v) = peer
        .api(
            Method::PATCH,
            Some(token),
            &format!("/cases/{n}"),
            Some(json!({"public_note": note})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

async fn note_set_changed_and_cleared_on_two_instances(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    let (admin, _) = a.user("root", true).await;
    let (carol, _) = a.user("carol", false).await;
    let (bob, _) = a.user("bob", false).await;
    let group = a.group("help").await;
    a.staffed_org(&admin, ("Acme", "acme.example"), "carol", "help")
        .await;
    // A follower elsewhere sees exactly what the group sends.
    let watcher = FakeRemote::start().await;
    remote_follows(&a, &watcher, &group).await;
    let (dave, _) = b.user("dave", false).await;
    let handle = format!("help@{}", a.domain);
    b.follow_and_wait(&dave, &handle).await;

    let (s, q) = a
        .api(
            Method::POST,
            Some(&bob),
            "/questions",
            Some(json!({"group": "help", "title": "Printer eats paper", "body": "It says PC LOAD LETTER."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let (qid, ap_id) = (
        q["id"].as_str().unwrap().to_string(),
        q["ap_id"].as_str().unwrap().to_string(),
    );
    let b_id = b.wait_question_id(&handle, &ap_id).await;

    // Bob's case, with private details, a subject and a private message of the staff.
    let (s, case) = a
        .api(
            Method::POST,
            Some(&bob),
            "/cases",
            Some(json!({"question_ids": [qid], "subject": SUBJECT, "private_details": format!("My order is {SECRET}")})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{case}");
    let n = case["number"].as_i64().unwrap();
    let (s, v) = a
        .api(
            Method::POST,
            Some(&carol),
            &format!("/cases/{n}/messages"),
            Some(json!({"body": PRIVATE_MESSAGE})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert!(notes(&b, &b_id).await.is_empty());

    // Set: the second instance shows it on its thread, as the first does.
    let first = "Acme support is handling this in a private case";
    set_note(&a, &carol, n, first).await;
    assert_eq!(notes(&a, &qid).await, vec![("Acme".into(), first.into())]);
    wait_notes(&b, &b_id, &[("Acme", first)]).await;
    let (s, html) = common::forms::page(&b.url(&format!("/q/{b_id}")), "").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains(&format!(
            "<p class=\"notice case-note\" id=\"case-note\">Acme: {first}</p>"
        )),
        "the note shows on the remote thread as on a local one"
    );

    // What left: the group's own Update of the question, the note beside the asker's
    // text (not in it, not an answer), and nothing else of the case.
    assert!(
        eventually(15, || async { !updates_of(&watcher, &ap_id).is_empty() }).await,
        "the follower got no Update"
    );
    let update = updates_of(&watcher, &ap_id).pop().unwrap();
    assert_eq!(update["actor"], group.ap_id, "{update}");
    let page = &update["object"];
    assert_eq!(page["type"], "Page");
    assert_eq!(
        page["supportNotes"],
        json!([{"organisation": "Acme", "content": first}])
    );
    assert!(!page["content"].as_str().unwrap().contains(first), "{page}");
    assert_eq!(page["answerCount"], 0);
    let text = update.to_string();
    for private in [
        SECRET,
        SUBJECT,
        PRIVATE_MESSAGE,
        "/cases/",
        "priority",
        "pending",
    ] {
        assert!(!text.contains(private), "{private} left: {text}");
    }
    assert!(!text.contains(&format!("\"{n}\"")) && !text.contains("subject"));
    let (_, answers) = b
        .api(Method::GET, None, &format!("/questions/{b_id}"), None)
        .await;
    assert_eq!(answers["answers"], json!([]), "the note is no answer");
    // A fetch of the question carries the note too.
    let (_, doc) = a.get_ap(&ap_id).await;
    assert_eq!(doc["supportNotes"][0]["content"], first, "{doc}");

    // Changed.
    let second = "Solved in case: firmware 2.1 fixes it";
    set_note(&a, &carol, n, second).await;
    wait_notes(&b, &b_id, &[("Acme", second)]).await;

    // Another question linked to the case: it shows the note too.
    let (s, q2) = a
        .api(
            Method::POST,
            Some(&bob),
            "/questions",
            Some(json!({"group": "help", "title": "Printer eats paper again", "body": "Same."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q2}");
    let b_q2 = b
        .wait_question_id(&handle, q2["ap_id"].as_str().unwrap())
        .await;
    assert!(notes(&b, &b_q2).await.is_empty());
    let (s, v) = a
        .api(
            Method::PATCH,
            Some(&carol),
            &format!("/cases/{n}"),
            Some(json!({"link_question_ids": [q2["id"]]})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    wait_notes(&b, &b_q2, &[("Acme", second)]).await;

    // Forged by someone who is not the question's group: refused, nothing stored.
    let forger = FakeRemote::start().await;
    for forged_notes in [
        json!([{"organisation": "Acme", "content": "Refunds for everyone at evil.example"}]),
        json!([]),
    ] {
        let forged = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{}/activities/{}", forger.base, forged_notes.to_string().len()),
            "type": "Update",
            "actor": format!("{}/users/mallory", forger.base),
            "to": [PUBLIC],
            "object": {
                "id": ap_id, "type": "Page", "attributedTo": format!("{}/u/bob", a.base),
                "name": "Printer eats paper", "content": "<p>It says PC LOAD LETTER.</p>",
                "audience": group.ap_id, "to": [group.ap_id, PUBLIC],
                "supportNotes": forged_notes,
            },
        });
        let (s, v) = forger.deliver(&b.http, &b.url("/inbox"), &forged).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
        assert_eq!(notes(&b, &b_id).await, vec![("Acme".into(), second.into())]);
    }

    // Cleared: an empty list, and the thread shows no note.
    set_note(&a, &carol, n, "").await;
    wait_notes(&b, &b_id, &[]).await;
    wait_notes(&b, &b_q2, &[]).await;
    assert!(notes(&a, &qid).await.is_empty());
    assert!(
        eventually(15, || async {
            updates_of(&watcher, &ap_id)
                .last()
                .is_some_and(|u| u["object"]["supportNotes"] == json!([]))
        })
        .await,
        "the clearing Update did not carry an empty list"
    );
    let (_, html) = common::forms::page(&b.url(&format!("/q/{b_id}")), "").await;
    assert!(!html.contains("case-note") && !html.contains(second));
    let (_, doc) = a.get_ap(&ap_id).await;
    assert!(doc.get("supportNotes").is_none(), "{doc}");
}

/// A group on a scripted server: its own `Update` inside its `Announce` sets the notes;
/// an announced `Update` by someone else carrying notes is refused and stores nothing.
async fn notes_announced_by_a_remote_group(backend: Backend) {
    let b = Peer::start(backend).await;
    let (dave, dave_actor) = b.user("dave", false).await;
    let remote = FakeRemote::start().await;
    let community = format!("{}/c/gadgets", remote.base);
    let (s, v) = b
        .api(
            Method::POST,
            Some(&dave),
            "/follows",
            Some(json!({"handle": community})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let accept = json!({
        "id": format!("{}/activities/accept/1", remote.base),
        "type": "Accept",
        "actor": community,
        "object": {"type": "Follow", "actor": dave_actor.ap_id, "object": community},
    });
    let (s, v) = remote.deliver(&b.http, &b.url("/inbox"), &accept).await;
    assert!(s.is_success(), "{s} {v}");

    let page_id = format!("{}/post/7", remote.base);
    let page = json!({
        "id": page_id, "type": "Page", "attributedTo": format!("{}/u/alice", remote.base),
        "name": "Blender will not start", "content": "<p>It blinks red.</p>",
        "mediaType": "text/html", "published": "2026-12-01T10:00:00Z",
        "audience": community, "to": [community, PUBLIC], "cc": [],
    });
    remote.put(page.clone());
    let announce = |n: u32, inner: Value| {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{}/activities/announce/{n}", remote.base),
            "type": "Announce", "actor": community, "to": [PUBLIC],
            "cc": [format!("{community}/followers")], "object": inner,
        })
    };
    let create = json!({
        "id": format!("{}/activities/create/1", remote.base), "type": "Create",
        "actor": format!("{}/u/alice", remote.base), "to": [PUBLIC], "cc": [community],
        "audience": community, "object": page,
    });
    let (s, v) = remote
        .deliver(&b.http, &b.url("/inbox"), &announce(1, create))
        .await;
    assert!(s.is_success(), "{s} {v}");
    let handle = format!("gadgets@{}", remote.base.trim_start_matches("http://"));
    let b_id = b.wait_question_id(&handle, &page_id).await;
    assert!(notes(&b, &b_id).await.is_empty());

    // The group's own Update, in its Announce.
    let note = "Gadgets Inc is handling this in a private case";
    let mut noted = page.clone();
    noted["supportNotes"] = json!([{"organisation": "Gadgets Inc", "content": note}]);
    let update = |n: u32, actor: &str, object: &Value| {
        json!({
            "id": format!("{}/activities/update/{n}", remote.base), "type": "Update",
            "actor": actor, "to": [PUBLIC], "cc": [community], "audience": community,
            "object": object,
        })
    };
    let (s, v) = remote
        .deliver(
            &b.http,
            &b.url("/inbox"),
            &announce(2, update(1, &community, &noted)),
        )
        .await;
    assert!(s.is_success(), "{s} {v}");
    assert_eq!(
        notes(&b, &b_id).await,
        vec![("Gadgets Inc".into(), note.into())]
    );

    // Someone else's Update that the group announces: refused, nothing stored.
    let mallory = format!("{}/u/mallory", remote.base);
    noted["supportNotes"] = json!([{"organisation": "Gadgets Inc", "content": "Forged"}]);
    let (s, v) = remote
        .deliver(
            &b.http,
            &b.url("/inbox"),
            &announce(3, update(2, &mallory, &noted)),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    assert_eq!(
        notes(&b, &b_id).await,
        vec![("Gadgets Inc".into(), note.into())]
    );
}

both_backends!(
    note_set_changed_and_cleared_on_two_instances,
    notes_announced_by_a_remote_group
);
