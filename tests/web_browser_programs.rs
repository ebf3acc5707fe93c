//! The community programmes in a real headless Chromium (see `common::browser`), driven
//! through their forms as people would: the ideas exchange (`tests/browser/ideas.mjs`: an
//! idea suggested from the group page, voted on, given statuses with explanations by a
//! recognised staff member, its history, a duplicate merged into it), community roles
//! (`roles.mjs`: a moderator defines a role with privileges, gives it, and the title shows
//! beside the holder's name on the thread and the profile) and listening (`listening.mjs`:
//! a staff member's terms, then the queue of matching posts from elsewhere, dismissed,
//! handled, answered and put back). axe-core on every page; what the browser did is then checked through the
//! API. Skipped without Chromium, unless `CI` is set.

mod common;

use common::browser::{browser_available, run_script, shots_dir};
use common::people::{ask, PASSWORD};
use common::remote::FakeRemote;
use common::{eventually, Backend, Peer};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Runs `script` with `args` off the async runtime; its output.
async fn script(script: &'static str, args: Vec<String>, backend: Backend) -> String {
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run_script(script, &args, &shots_dir(backend))
    })
    .await
    .unwrap()
}

async fn ideas_in_the_browser(backend: Backend) {
    if !browser_available() {
        return;
    }
    let peer = Peer::start(backend).await;
    let (root, _) = peer.user("root", true).await;
    let (s, g) = peer
        .api(
            Method::POST,
            Some(&root),
            "/groups",
            Some(json!({"name": "roadmap", "title": "Roadmap", "kind": "ideas"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{g}");
    peer.user("bob", false).await;
    let (carol, _) = peer.user("carol", false).await;
    let (dave, _) = peer.user("dave", false).await;
    peer.user("sam", false).await;
    peer.staffed_org(&root, ("Acme", "acme.example"), "sam", "roadmap")
        .await;
    // The duplicate, suggested before; dave votes for it only.
    let dup = ask(&peer, &carol, "roadmap", "Dark theme for the dashboard").await;
    let dup = dup["id"].as_str().unwrap().to_string();
    let (s, v) = peer
        .api(
            Method::PUT,
            Some(&dave),
            &format!("/posts/{dup}/vote"),
            Some(json!({"value": 1})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");

    let args = [&peer.base, "roadmap", "bob", "carol", "sam", &dup, PASSWORD];
    let out = script(
        "ideas.mjs",
        args.iter().map(|s| s.to_string()).collect(),
        backend,
    )
    .await;

    // What the browser did, as the API shows it.
    let id = out
        .split("ok suggested /q/")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .expect("the script names the idea");
    let (s, idea) = peer
        .api(Method::GET, None, &format!("/ideas/{id}"), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{idea}");
    assert_eq!(idea["status"], "in_progress", "{idea}");
    assert_eq!(idea["explanation"], "Work started this week.", "{idea}");
    let history: Vec<&str> = idea["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["status"].as_str().unwrap())
        .collect();
    assert!(
        history.ends_with(&["planned", "in_progress"]),
        "{history:?}"
    );
    let (_, d) = peer
        .api(Method::GET, None, &format!("/ideas/{dup}"), None)
        .await;
    assert_eq!(d["status"], "merged", "{d}");
    // carol voted on both (counted once), dave's vote on the duplicate carried over.
    let (_, t) = peer
        .api(Method::GET, None, &format!("/questions/{id}"), None)
        .await;
    let upvotes = t["question"]["upvotes"]
        .as_i64()
        .or_else(|| t["upvotes"].as_i64());
    assert_eq!(upvotes, Some(2), "{t}");
}

async fn roles_in_the_browser(backend: Backend) {
    if !browser_available() {
        return;
    }
    let peer = Peer::start(backend).await;
    let group = peer.group("acme").await;
    let (_, moda) = peer.user("moda", false).await;
    let (alice, _) = peer.user("alice", false).await;
    let (bob, _) = peer.user("bob", false).await;
    peer.user("carol", false).await;
    let (gid, mid) = (group.id, moda.id);
    peer.query(move |c| peerdesk::db::queries::groups::add_moderator(c, gid, mid))
        .await;
    let q = ask(&peer, &alice, "acme", "Scanner jams on thick paper").await;
    let qid = q["id"].as_str().unwrap().to_string();
    let (s, a) = peer
        .api(
            Method::POST,
            Some(&bob),
            &format!("/questions/{qid}/answers"),
            Some(json!({"body": "Clean the feed roller."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    // An upvote earns bob reputation in the group: its top contributor.
    let (s, v) = peer
        .api(
            Method::PUT,
            Some(&alice),
            &format!("/posts/{}/vote", a["id"].as_str().unwrap()),
            Some(json!({"value": 1})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");

    let args = [&peer.base, "acme", &qid, "moda", "bob", "carol", PASSWORD];
    script(
        "roles.mjs",
        args.iter().map(|s| s.to_string()).collect(),
        backend,
    )
    .await;

    // What the browser did, as the API shows it: the Curator held by bob, the Ambassador
    // created, given and taken away again, the third role deleted.
    let (_, roles) = peer
        .api(Method::GET, None, "/groups/acme/roles", None)
        .await;
    let role = |name: &str| -> Value {
        roles
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no role {name}: {roles}"))
    };
    let curator = role("Curator");
    assert_eq!(curator["privileges"], json!(["lock", "see_removed"]));
    let holders: Vec<&str> = curator["holders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["handle"].as_str().unwrap())
        .collect();
    assert_eq!(holders, vec![format!("bob@{}", peer.domain)], "{roles}");
    assert_eq!(roles.as_array().map(Vec::len), Some(2), "{roles}");
    let ambassador = role("Ambassador");
    assert_eq!(ambassador["privileges"], json!([]));
    assert_eq!(ambassador["holders"], json!([]), "{roles}");
}

/// A public Note by `carol` on the scripted remote, delivered to the instance's inbox.
async fn remote_post(peer: &Peer, remote: &FakeRemote, n: u32, html: &str, tags: &[&str]) {
    let carol = format!("{}/users/carol", remote.base);
    let tags: Vec<Value> = tags
        .iter()
        .map(|t| json!({"type": "Hashtag", "name": t, "href": format!("{}/tags/{}", remote.base, &t[1..])}))
        .collect();
    let note = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/notes/{n}", remote.base), "type": "Note",
        "attributedTo": carol, "content": html,
        "url": format!("{}/@carol/{n}", remote.base),
        "to": ["https://www.w3.org/ns/activitystreams#Public"], "tag": tags,
        "published": "2026-12-01T10:00:00Z",
    });
    remote.put(note.clone());
    let create = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/create/{n}", remote.base), "type": "Create",
        "actor": carol, "object": note, "to": ["https://www.w3.org/ns/activitystreams#Public"],
    });
    let (s, v) = remote
        .deliver(&peer.http, &peer.url("/inbox"), &create)
        .await;
    assert!(s.is_success(), "{s} {v}");
}

async fn listening_in_the_browser(backend: Backend) {
    if !browser_available() {
        return;
    }
    let peer = Peer::start(backend).await;
    let remote = FakeRemote::start().await;
    let (root, _) = peer.user("root", true).await;
    let (alice, _) = peer.user("alice", false).await;
    peer.group("help").await;
    let org = peer
        .staffed_org(&root, ("Acme", "acme.example"), "alice", "help")
        .await;

    // The terms, typed in the browser.
    let args = |phase: &str| -> Vec<String> {
        [&peer.base, "alice", PASSWORD, phase, "help"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    };
    script("listening.mjs", args("terms"), backend).await;
    let (_, terms) = peer
        .api(
            Method::GET,
            Some(&alice),
            &format!("/organisations/{org}/listening/terms"),
            None,
        )
        .await;
    let terms: Vec<&str> = terms
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["term"].as_str().unwrap())
        .collect();
    assert_eq!(terms, vec!["#brandtag", "acme widgets"]);

    // Posts from elsewhere: three name a term, one does not.
    remote_post(
        &peer,
        &remote,
        1,
        r#"<p>My printer jams again <a href="x" class="hashtag">#<span>BrandTag</span></a><script>alert(1)</script></p>"#,
        &["#BrandTag"],
    )
    .await;
    remote_post(&peer, &remote, 2, "<p>ACME WIDGETS rock</p>", &[]).await;
    remote_post(&peer, &remote, 3, "<p>acme widgets, anyone?</p>", &[]).await;
    remote_post(
        &peer,
        &remote,
        4,
        "<p>Nice weather today</p>",
        &["#weather"],
    )
    .await;

    // The queue, worked in the browser: one handled, one answered, one dismissed, put
    // back and its author invited to ask.
    script("listening.mjs", args("queue"), backend).await;
    let queue = |status: &'static str| {
        let (peer, alice, org) = (&peer, &alice, &org);
        async move {
            let (s, v) = peer
                .api(
                    Method::GET,
                    Some(alice),
                    &format!("/organisations/{org}/listening?status={status}"),
                    None,
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{v}");
            v.as_array()
                .unwrap()
                .iter()
                .map(|i| i["excerpt_html"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    let (new, handled, dismissed) = (
        queue("new").await,
        queue("handled").await,
        queue("dismissed").await,
    );
    assert!(new.is_empty(), "{new:?}");
    assert_eq!(handled.len(), 3, "{handled:?}");
    assert!(dismissed.is_empty(), "{dismissed:?}");
    // The reply went to the author's server, in reply to the post.
    let note = format!("{}/notes/3", remote.base);
    let sent = |pred: fn(&Value, &str) -> bool, arg: String| {
        let remote = remote.clone();
        async move {
            eventually(20, || async {
                remote
                    .received
                    .lock()
                    .unwrap()
                    .iter()
                    .any(|a| pred(a, &arg))
            })
            .await
        }
    };
    let replied = sent(
        |a, note| {
            a["type"] == "Create"
                && a["object"]["inReplyTo"] == note
                && a["object"]["content"]
                    .as_str()
                    .is_some_and(|c| c.contains("we can help"))
        },
        note,
    );
    assert!(replied.await, "{:?}", remote.received.lock().unwrap());
    // The invitation: a private message with the group's ask link.
    let invited = sent(
        |a, ask| {
            a["type"] == "Create"
                && a["object"]["content"]
                    .as_str()
                    .is_some_and(|c| c.contains("ask our community") && c.contains(ask))
        },
        peer.url("/g/help/ask"),
    );
    assert!(invited.await, "{:?}", remote.received.lock().unwrap());
}

both_backends!(
    ideas_in_the_browser,
    roles_in_the_browser,
    listening_in_the_browser
);
