//! Deleted and removed posts: a deletion erases the text of every version from every
//! public surface (API, pages, ActivityPub, search) and from storage, here and on the
//! instances that received the post; a moderator's removal hides it from everyone but
//! its author and the group's moderators until it is restored.

mod common;
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Words that appear only in the posts under test: title, body and tags of the
/// question's two versions, and the two versions of each answer.
const QUESTION_WORDS: [&str; 5] = [
    "zebraprinter",
    "quagga",
    "xylophone",
    "quokka",
    "frobnicate",
];
const ANSWER_WORDS: [&str; 2] = ["wombat", "numbat"];
const REMOTE_WORDS: [&str; 2] = ["bilby", "bandicoot"];

async fn fetch(peer: &Peer, token: Option<&str>, path: &str, accept: &str) -> (StatusCode, String) {
    let mut req = peer.http.get(peer.url(path)).header("accept", accept);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.expect("get");
    let status = resp.status();
    (status, resp.text().await.unwrap_or_default().to_lowercase())
}

/// Every public surface of a thread on `peer`, as seen with `token`: (what, status, body).
async fn surfaces(
    peer: &Peer,
    token: Option<&str>,
    group: &str,
    qid: &str,
    answer_ids: &[String],
    authors: &[&str],
) -> Vec<(String, StatusCode, String)> {
    let mut api: Vec<String> = vec![
        format!("/questions?group={group}"),
        format!("/questions?group={group}&sort=active"),
        "/questions?tag=frobnicate".into(),
        format!("/questions/{qid}"),
        format!("/posts/{qid}/edits"),
    ];
    for a in answer_ids {
        api.push(format!("/posts/{a}/edits"));
    }
    for w in QUESTION_WORDS
        .iter()
        .chain(&ANSWER_WORDS)
        .chain(&REMOTE_WORDS)
    {
        api.push(format!("/search?q={w}"));
    }
    for a in authors {
        api.push(format!("/users/{a}/posts"));
    }
    let mut out = Vec::new();
    for p in api {
        let (s, body) = fetch(peer, token, &format!("/api/v1{p}"), "application/json").await;
        out.push((format!("API {p}"), s, body));
    }
    let mut ap: Vec<String> = vec![
        format!("/q/{qid}"),
        format!("/q/{qid}/context"),
        format!("/q/{qid}/context?page=1"),
        "/g/acme/outbox".into(),
        "/g/acme/featured".into(),
    ];
    for a in answer_ids {
        ap.push(format!("/a/{a}"));
    }
    for a in authors.iter().filter(|a| !a.contains('@')) {
        ap.push(format!("/u/{a}/outbox"));
    }
    let ids: Vec<i64> = peer
        .query(|c| {
            use diesel::prelude::*;
            use peerdesk::db::schema::activities as a;
            Ok(peerdesk::with_conn!(c, c => a::table.select(a::id).load::<i64>(c))?)
        })
        .await;
    for id in ids {
        ap.push(format!("/activities/create/{id}"));
    }
    for p in ap {
        let (s, body) = fetch(peer, None, &p, "application/activity+json").await;
        out.push((format!("AP {p}"), s, body));
    }
    for p in [format!("/q/{qid}"), format!("/q/{qid}?page=1")]
        .into_iter()
        .chain(answer_ids.iter().map(|a| format!("/a/{a}")))
    {
        let (s, body) = fetch(peer, None, &p, "text/html").await;
        out.push((format!("page {p}"), s, body));
    }
    out
}

fn leaks(seen: &[(String, StatusCode, String)], words: &[&str]) -> Vec<String> {
    seen.iter()
        .filter(|(_, s, _)| !s.is_server_error())
        .flat_map(|(what, _, body)| {
            words
                .iter()
                .filter(|w| body.contains(*w))
                .map(move |w| format!("{what} shows '{w}'"))
        })
        .chain(
            seen.iter()
                .filter(|(_, s, _)| s.is_server_error())
                .map(|(what, s, _)| format!("{what} answered {s}")),
        )
        .collect()
}

/// The text stored in posts, earlier versions and sent activities, lowercased.
async fn stored_text(peer: &Peer) -> String {
    peer.query(|c| {
        use diesel::prelude::*;
        use peerdesk::db::models::{Post, PostEdit};
        use peerdesk::db::schema::{activities, post_edits, posts};
        let (p, e, a) = peerdesk::with_conn!(c, c => (
            posts::table.select(Post::as_select()).load::<Post>(c)?,
            post_edits::table.select(PostEdit::as_select()).load::<PostEdit>(c)?,
            activities::table.select(activities::body).load::<String>(c)?,
        ));
        Ok(format!("{p:?} {e:?} {a:?}").to_lowercase())
    })
    .await
}

async fn post(peer: &Peer, token: &str, path: &str, body: Value) -> Value {
    let (s, v) = peer.api(Method::POST, Some(token), path, Some(body)).await;
    assert!(s.is_success(), "POST {path}: {s} {v}");
    v
}

async fn edit(peer: &Peer, token: &str, id: &str, body: Value) -> StatusCode {
    peer.api(
        Method::PATCH,
        Some(token),
        &format!("/posts/{id}"),
        Some(body),
    )
    .await
    .0
}

/// Waits until `peer`'s thread `qid` satisfies `check`.
async fn wait_thread(peer: &Peer, qid: &str, what: &str, check: impl Fn(&Value) -> bool) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let (_, t) = peer
            .api(Method::GET, None, &format!("/questions/{qid}"), None)
            .await;
        if check(&t) {
            return t;
        }
        assert!(std::time::Instant::now() < deadline, "{what}: {t}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

fn answer_ids(thread: &Value) -> Vec<String> {
    thread["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect()
}

fn text_of(thread: &Value, word: &str) -> bool {
    thread.to_string().to_lowercase().contains(word)
}

async fn deleted_posts_leave_no_text(backend: Backend) {
    let a = Peer::start(backend).await;
    let b = Peer::start(backend).await;
    a.group("acme").await;
    let (alice, _) = a.user("alice", false).await;
    let (carol, _) = a.user("carol", false).await;
    let (dave, _) = a.user("dave", false).await;
    let (bob, _) = b.user("bob", false).await;
    let (erin, _) = b.user("erin", false).await;
    let group = format!("acme@{}", a.domain);
    b.follow_and_wait(&bob, &group).await;

    // A question and an answer here, an answer from B; each edited once.
    let q = post(
        &a,
        &alice,
        "/questions",
        json!({"group": "acme", "title": "Zebraprinter jams", "body": "Xylophone noise", "tags": ["frobnicate"]}),
    )
    .await;
    let qid = q["id"].as_str().unwrap().to_string();
    let q_ap = q["ap_id"].as_str().unwrap().to_string();
    // Each step reaches the other instance before the next (an edit overtaking its post
    // is another matter).
    let qb = b.wait_question_id(&group, &q_ap).await;
    let edited = json!({"title": "Quagga jams", "body": "Quokka noise", "tags": ["frobnicate"]});
    assert_eq!(edit(&a, &alice, &qid, edited).await, StatusCode::OK);
    wait_thread(&b, &qb, "B has the edit", |t| text_of(t, "quagga")).await;
    let ans = post(
        &a,
        &carol,
        &format!("/questions/{qid}/answers"),
        json!({"body": "Wombat fix"}),
    )
    .await;
    let aid = ans["id"].as_str().unwrap().to_string();
    wait_thread(&b, &qb, "B has the answer", |t| text_of(t, "wombat")).await;
    assert_eq!(
        edit(&a, &carol, &aid, json!({"body": "Numbat fix"})).await,
        StatusCode::OK
    );
    wait_thread(&b, &qb, "B has the edited answer", |t| text_of(t, "numbat")).await;
    let bans = post(
        &b,
        &bob,
        &format!("/questions/{qb}/answers"),
        json!({"body": "Bilby trick"}),
    )
    .await;
    let bans_id = bans["id"].as_str().unwrap().to_string();
    wait_thread(&a, &qid, "A has B's answer", |t| text_of(t, "bilby")).await;
    assert_eq!(
        edit(&b, &bob, &bans_id, json!({"body": "Bandicoot trick"})).await,
        StatusCode::OK
    );
    let thread_a = wait_thread(&a, &qid, "A has B's edited answer", |t| {
        text_of(t, "bandicoot")
    })
    .await;
    let thread_b = b
        .api(Method::GET, None, &format!("/questions/{qb}"), None)
        .await
        .1;
    let (answers_a, answers_b) = (answer_ids(&thread_a), answer_ids(&thread_b));
    let authors_a = ["alice", "carol", &format!("bob@{}", b.domain)].map(str::to_string);
    let authors_b = [
        format!("alice@{}", a.domain),
        format!("carol@{}", a.domain),
        "bob".into(),
    ];
    let authors_a: Vec<&str> = authors_a.iter().map(String::as_str).collect();
    let authors_b: Vec<&str> = authors_b.iter().map(String::as_str).collect();
    let all_words: Vec<&str> = QUESTION_WORDS
        .iter()
        .chain(&ANSWER_WORDS)
        .chain(&REMOTE_WORDS)
        .copied()
        .collect();

    // Before the deletions every word can be found somewhere (the check can fail).
    let before = surfaces(&a, None, "acme", &qid, &answers_a, &authors_a).await;
    let missing: Vec<&&str> = all_words
        .iter()
        .filter(|w| !before.iter().any(|(_, _, body)| body.contains(**w)))
        .collect();
    assert!(missing.is_empty(), "not shown before deletion: {missing:?}");

    // The authors delete; nobody can edit a deleted post afterwards.
    for (peer, token, id) in [(&a, &alice, &qid), (&a, &carol, &aid), (&b, &bob, &bans_id)] {
        let (s, v) = peer
            .api(Method::DELETE, Some(token), &format!("/posts/{id}"), None)
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    }
    assert_eq!(
        edit(&a, &alice, &qid, json!({"body": "Back again"})).await,
        StatusCode::GONE
    );
    let all_gone = |t: &Value| {
        t["question"]["deleted"] == true
            && t["answers"]
                .as_array()
                .is_some_and(|a| a.len() == 2 && a.iter().all(|x| x["deleted"] == true))
    };
    wait_thread(&a, &qid, "A saw every deletion", all_gone).await;
    wait_thread(&b, &qb, "B saw every deletion", all_gone).await;

    for (peer, group, qid, answers, authors, others) in [
        (
            &a,
            "acme",
            &qid,
            &answers_a,
            &authors_a,
            [None, Some(dave.as_str())],
        ),
        (
            &b,
            group.as_str(),
            &qb,
            &answers_b,
            &authors_b,
            [None, Some(erin.as_str())],
        ),
    ] {
        for token in others {
            let seen = surfaces(peer, token, group, qid, answers, authors).await;
            let found = leaks(&seen, &all_words);
            assert!(
                found.is_empty(),
                "{} (as {token:?}): {found:#?}",
                peer.domain
            );
        }
        let (s, ap) = peer.get_ap(&format!("/q/{qid}")).await;
        if s != StatusCode::NOT_FOUND {
            assert_eq!(ap["type"], "Tombstone", "{ap}");
        }
        let stored = stored_text(peer).await;
        let kept: Vec<&&str> = all_words.iter().filter(|w| stored.contains(**w)).collect();
        assert!(kept.is_empty(), "{} still stores {kept:?}", peer.domain);
    }
}

async fn removed_posts_show_to_author_and_moderators(backend: Backend) {
    let a = Peer::start(backend).await;
    a.group("acme").await;
    let (boss, _) = a.user("boss", true).await;
    let (mia, _) = a.user("mia", false).await;
    let (alice, _) = a.user("alice", false).await;
    let (carol, _) = a.user("carol", false).await;
    let (dave, _) = a.user("dave", false).await;
    post(
        &a,
        &boss,
        "/groups/acme/moderators",
        json!({"handle": format!("mia@{}", a.domain)}),
    )
    .await;

    let q = post(
        &a,
        &alice,
        "/questions",
        json!({"group": "acme", "title": "Zebraprinter jams", "body": "Xylophone noise", "tags": ["frobnicate"]}),
    )
    .await;
    let qid = q["id"].as_str().unwrap().to_string();
    let edited = json!({"title": "Quagga jams", "body": "Quokka noise", "tags": ["frobnicate"]});
    assert_eq!(edit(&a, &alice, &qid, edited).await, StatusCode::OK);
    let ans = post(
        &a,
        &carol,
        &format!("/questions/{qid}/answers"),
        json!({"body": "Wombat fix"}),
    )
    .await;
    let aid = ans["id"].as_str().unwrap().to_string();
    assert_eq!(
        edit(&a, &carol, &aid, json!({"body": "Numbat fix"})).await,
        StatusCode::OK
    );
    let answers = vec![aid.clone()];
    let authors = ["alice", "carol"];
    let words: Vec<&str> = QUESTION_WORDS
        .iter()
        .chain(&ANSWER_WORDS)
        .copied()
        .collect();

    for id in [&qid, &aid] {
        post(
            &a,
            &mia,
            &format!("/posts/{id}/remove"),
            json!({"reason": "off topic"}),
        )
        .await;
    }

    // Hidden from everyone else.
    for token in [None, Some(dave.as_str())] {
        let seen = surfaces(&a, token, "acme", &qid, &answers, &authors).await;
        let found = leaks(&seen, &words);
        assert!(found.is_empty(), "as {token:?}: {found:#?}");
        let (s, _) = a
            .api(Method::GET, token, &format!("/posts/{qid}/edits"), None)
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
    // The authors see their own post, the moderator both, with earlier versions.
    let thread = |token: &str| {
        let token = token.to_string();
        let a = &a;
        let qid = qid.clone();
        async move {
            a.api(
                Method::GET,
                Some(&token),
                &format!("/questions/{qid}"),
                None,
            )
            .await
            .1
        }
    };
    let t = thread(&alice).await;
    assert_eq!(t["question"]["title"], "Quagga jams", "{t}");
    assert_eq!(t["question"]["tags"], json!(["frobnicate"]));
    assert_eq!(t["question"]["removed"], true);
    assert!(!text_of(&t["answers"], "numbat"), "{t}");
    assert!(text_of(&thread(&carol).await["answers"], "numbat"));
    let t = thread(&mia).await;
    assert!(text_of(&t, "quokka") && text_of(&t, "numbat"), "{t}");
    for (token, id, word) in [(&alice, &qid, "zebraprinter"), (&mia, &aid, "wombat")] {
        let (s, v) = a
            .api(
                Method::GET,
                Some(token),
                &format!("/posts/{id}/edits"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert!(text_of(&v, word), "{v}");
    }

    // Authors cannot edit a removed post.
    for (token, id) in [(&alice, &qid), (&carol, &aid)] {
        let (s, v) = a
            .api(
                Method::PATCH,
                Some(token),
                &format!("/posts/{id}"),
                Some(json!({"body": "Edited anyway"})),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
        assert_eq!(v["error"], "forbidden");
    }

    // Restored: public again, everywhere.
    for id in [&qid, &aid] {
        post(&a, &mia, &format!("/posts/{id}/restore"), json!({})).await;
    }
    let t = a
        .api(Method::GET, None, &format!("/questions/{qid}"), None)
        .await
        .1;
    assert_eq!(t["question"]["title"], "Quagga jams", "{t}");
    assert!(text_of(&t["answers"], "numbat"), "{t}");
    let (_, found) = a.api(Method::GET, None, "/search?q=quagga", None).await;
    assert_eq!(found.as_array().map(Vec::len), Some(1), "{found}");
    let (_, outbox) = fetch(&a, None, "/u/alice/outbox", "application/activity+json").await;
    assert!(outbox.contains("quagga"), "{outbox}");
    let (s, _) = a
        .api(Method::GET, None, &format!("/posts/{qid}/edits"), None)
        .await;
    assert_eq!(s, StatusCode::OK);
}

both_backends!(
    deleted_posts_leave_no_text,
    removed_posts_show_to_author_and_moderators
);
