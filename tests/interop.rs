//! What Mastodon, Lemmy, Misskey, Pleroma, Friendica, Mbin, GoToSocial and PieFed send
//! (`fixtures/`), pushed through the real inbox with valid signatures; and what the server
//! of a Mastodon user who asked here, without following the group, receives of the replies.

mod common;
use common::remote::{fixture, FakeRemote};
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

struct World {
    a: Peer,
    remote: FakeRemote,
    bob: String,
    question: Value,
    answer: Value,
    bob_ap: String,
    alice_ap: String,
}

impl World {
    async fn new(backend: Backend) -> World {
        let a = Peer::start(backend).await;
        let remote = FakeRemote::start().await;
        a.group("acme").await;
        let (bob, bob_actor) = a.user("bob", false).await;
        let (alice, alice_actor) = a.user("alice", false).await;
        let (_, question) = a.api(Method::POST, Some(&bob), "/questions", Some(json!({"group": "acme", "title": "Paper jam in tray 2", "body": "It jams every time."}))).await;
        let (_, answer) = a
            .api(
                Method::POST,
                Some(&alice),
                &format!("/questions/{}/answers", question["id"].as_str().unwrap()),
                Some(json!({"body": "Clean the rollers."})),
            )
            .await;
        World {
            a,
            remote,
            bob,
            question,
            answer,
            bob_ap: bob_actor.ap_id,
            alice_ap: alice_actor.ap_id,
        }
    }

    fn load(&self, name: &str, id: &str) -> Value {
        let a = &self.a;
        fixture(
            name,
            &[
                ("REMOTE", &self.remote.base),
                ("GROUP", &a.url("/g/acme")),
                ("GROUP_HANDLE", &format!("acme@{}", a.domain)),
                ("QUESTION", self.question["ap_id"].as_str().unwrap()),
                ("ANSWER", self.answer["ap_id"].as_str().unwrap()),
                ("QUESTION_AUTHOR", &self.bob_ap),
                ("QUESTION_AUTHOR_HANDLE", &format!("bob@{}", a.domain)),
                ("ANSWER_AUTHOR", &self.alice_ap),
                ("ID", id),
            ],
        )
    }

    async fn push(&self, activity: &Value) -> (StatusCode, Value) {
        self.remote
            .deliver(&self.a.http, &self.a.url("/inbox"), activity)
            .await
    }

    async fn push_fixture(&self, name: &str, id: &str) -> Value {
        let activity = self.load(name, id);
        let (s, v) = self.push(&activity).await;
        assert_eq!(s, StatusCode::ACCEPTED, "{name}: {v}");
        activity
    }

    /// Asserts that the inbox's batch path can take this `Create` as it is (the bulk of
    /// traffic goes there; anything else is processed one by one, more slowly).
    async fn assert_batchable(&self, activity: &Value) {
        let actor = activity["actor"].as_str().unwrap().to_string();
        let signer = self
            .a
            .query(move |c| peerdesk::db::queries::actors::by_ap_id(c, &actor))
            .await
            .expect("the sender is known once it delivered");
        assert!(
            peerdesk::federation::ingest::prepare(activity, &signer).is_some(),
            "not batchable: {activity}"
        );
    }

    async fn questions(&self) -> Vec<Value> {
        let (_, list) = self
            .a
            .api(Method::GET, None, "/questions?group=acme", None)
            .await;
        list.as_array().unwrap().clone()
    }

    async fn question_by_ap(&self, ap_id: &str) -> Option<Value> {
        self.questions()
            .await
            .into_iter()
            .find(|q| q["ap_id"] == ap_id)
    }

    async fn thread(&self) -> Value {
        self.a
            .api(
                Method::GET,
                None,
                &format!("/questions/{}", self.question["id"].as_str().unwrap()),
                None,
            )
            .await
            .1
    }

    async fn answer_state(&self) -> Value {
        let t = self.thread().await;
        t["answers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["ap_id"] == self.answer["ap_id"])
            .unwrap()
            .clone()
    }
}

async fn microblog_posts_become_questions_and_answers(backend: Backend) {
    let w = World::new(backend).await;
    // Mastodon: a public post mentioning the group is a question, titled by its first line.
    let create = w.push_fixture("mastodon_create_note_mention", "101").await;
    let ap_id = create["object"]["id"].as_str().unwrap();
    let q = w
        .question_by_ap(ap_id)
        .await
        .expect("Mastodon mention became a question");
    w.assert_batchable(&create).await;
    assert_eq!(
        q["author"]["handle"],
        format!("alice@{}", w.remote.base.trim_start_matches("http://"))
    );
    assert_eq!(q["title"], "How do I export my invoices as CSV?");
    // The group announces it to its followers (there are none yet, but it is in the outbox).
    let (_, outbox) = w.a.get_ap("/g/acme/outbox").await;
    assert!(outbox["orderedItems"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["object"]["id"] == create["id"]));

    // Mastodon edit and delete of the same status.
    w.push_fixture("mastodon_update_note", "101").await;
    let q2 = w.question_by_ap(ap_id).await.unwrap();
    assert_ne!(
        q2["content_html"], q["content_html"],
        "Update changed nothing"
    );
    assert!(q2["updated"].is_string());
    w.push_fixture("mastodon_delete_note", "101").await;
    assert!(
        w.question_by_ap(ap_id).await.is_none(),
        "deleted question still listed"
    );

    // A direct message to the group is never published.
    let before = w.questions().await.len();
    w.push_fixture("mastodon_create_note_direct", "102").await;
    assert_eq!(w.questions().await.len(), before);

    // Misskey and Pleroma mentions.
    for (name, id) in [
        ("misskey_create_note_mention", "103"),
        ("pleroma_create_note_mention", "104"),
    ] {
        let create = w.push_fixture(name, id).await;
        assert!(
            w.question_by_ap(create["object"]["id"].as_str().unwrap())
                .await
                .is_some(),
            "{name} did not become a question"
        );
        w.assert_batchable(&create).await;
    }

    // Replies from Mastodon and Friendica become answers to the question.
    for (name, id) in [
        ("mastodon_create_note_reply", "105"),
        ("friendica_create_note", "106"),
    ] {
        let create = w.push_fixture(name, id).await;
        w.assert_batchable(&create).await;
        let t = w.thread().await;
        assert!(
            t["answers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["ap_id"] == create["object"]["id"]),
            "{name}: {t}"
        );
    }
    assert_eq!(w.thread().await["question"]["answer_count"], 3);
}

async fn group_server_posts_and_votes(backend: Backend) {
    let w = World::new(backend).await;
    // Lemmy and Mbin posts in the group.
    let page = w.push_fixture("lemmy_create_page", "201").await;
    let q = w
        .question_by_ap(page["object"]["id"].as_str().unwrap())
        .await
        .expect("Lemmy Page became a question");
    assert_eq!(q["title"], page["object"]["name"]);
    assert_eq!(q["source"], page["object"]["source"]["content"]);
    let mbin = w.push_fixture("mbin_create_page", "202").await;
    assert!(w
        .question_by_ap(mbin["object"]["id"].as_str().unwrap())
        .await
        .is_some());
    w.assert_batchable(&page).await;
    w.assert_batchable(&mbin).await;
    let comment = w.push_fixture("lemmy_create_note_comment", "203").await;
    w.assert_batchable(&comment).await;
    let t = w.thread().await;
    assert!(t["answers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["ap_id"] == comment["object"]["id"]));

    // Votes: Lemmy up then down on the question (one vote per actor); Mastodon and
    // Misskey likes on the answer, and Mastodon's Undo.
    w.push_fixture("lemmy_like", "204").await;
    assert_eq!(w.thread().await["question"]["upvotes"], 1);
    w.push_fixture("lemmy_dislike", "205").await;
    let q = w.thread().await["question"].clone();
    assert_eq!(
        (q["upvotes"].as_i64(), q["downvotes"].as_i64()),
        (Some(0), Some(1))
    );
    // The same vote delivered again counts once.
    w.push_fixture("mastodon_like", "206").await;
    w.push_fixture("mastodon_like", "206").await;
    w.push_fixture("misskey_like", "207").await;
    assert_eq!(w.answer_state().await["upvotes"], 2);
    w.push_fixture("mastodon_undo_like", "206").await;
    assert_eq!(w.answer_state().await["upvotes"], 1);

    // Follows from Lemmy, Mastodon and GoToSocial users.
    for (name, id) in [
        ("lemmy_follow", "208"),
        ("mastodon_follow", "209"),
        ("gotosocial_follow", "210"),
    ] {
        w.push_fixture(name, id).await;
    }
    // One remote actor path per server shape: /u/alice (Lemmy), /users/alice (Mastodon, GoToSocial).
    assert_eq!(w.a.get_ap("/g/acme/followers").await.1["totalItems"], 2);
    assert_eq!(w.a.sent_count("Accept").await, 3);

    // Reports from Lemmy (one object, `summary`) and Mastodon (instance actor, account +
    // statuses, `content`) land in the group's queue, once each.
    w.push_fixture("lemmy_flag", "211").await;
    w.push_fixture("lemmy_flag", "211").await;
    w.push_fixture("mastodon_flag", "212").await;
    let (admin, _) = w.a.user("admin", true).await;
    let (s, queue) =
        w.a.api(Method::GET, Some(&admin), "/reports?group=acme", None)
            .await;
    assert_eq!(s, StatusCode::OK, "{queue}");
    let queue = queue.as_array().unwrap();
    assert_eq!(queue.len(), 2, "{queue:?}");
    assert!(queue.iter().all(|r| r["post_ap_id"] == w.answer["ap_id"]));
    let lemmy = w.load("lemmy_flag", "211");
    let mastodon = w.load("mastodon_flag", "212");
    assert!(queue.iter().any(|r| r["reason"] == lemmy["summary"]));
    assert!(queue
        .iter()
        .any(|r| r["reason"] == mastodon["content"] && r["reporter"]["kind"] == "Application"));
}

async fn accepted_answers_only_from_allowed_actors(backend: Backend) {
    let w = World::new(backend).await;
    // PieFed's ChooseAnswer from someone who did not ask: refused.
    let choose = w.load("piefed_choose_answer", "301");
    let (s, v) = w.push(&choose).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    assert_eq!(
        w.thread().await["question"]["accepted_answer_id"],
        Value::Null
    );

    // On a question the remote actor asked (Lemmy Page), its ChooseAnswer is taken.
    let page = w.push_fixture("lemmy_create_page", "302").await;
    let page_id = page["object"]["id"].as_str().unwrap();
    let q = w.question_by_ap(page_id).await.unwrap();
    let (_, ans) =
        w.a.api(
            Method::POST,
            Some(&w.bob),
            &format!("/questions/{}/answers", q["id"].as_str().unwrap()),
            Some(json!({"body": "Ask your admin for the Billing role."})),
        )
        .await;
    let mut choose = choose.clone();
    choose["id"] = json!(format!("{}/activities/choose/303", w.remote.base));
    choose["object"] = ans["ap_id"].clone();
    let (s, v) = w.push(&choose).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let (_, t) =
        w.a.api(
            Method::GET,
            None,
            &format!("/questions/{}", q["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(t["question"]["accepted_answer_id"], ans["id"]);
    assert_eq!(t["answers"][0]["accepted"], true);
}

async fn forged_edits_are_refused(backend: Backend) {
    let w = World::new(backend).await;
    let original = w.answer_state().await["content_html"].clone();
    // An Update of Alice's (local) answer by a remote actor.
    let mut forged = w.load("mastodon_update_note", "401");
    forged["object"]["id"] = w.answer["ap_id"].clone();
    let (s, v) = w.push(&forged).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    // A Delete of it.
    let mut delete = w.load("mastodon_delete_note", "402");
    delete["object"]["id"] = w.answer["ap_id"].clone();
    let (s, _) = w.push(&delete).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // A Create that claims another server's author.
    let mut spoof = w.load("lemmy_create_page", "403");
    spoof["object"]["attributedTo"] = json!(w.bob_ap);
    let (s, _) = w.push(&spoof).await;
    assert!(
        s == StatusCode::FORBIDDEN || s == StatusCode::BAD_REQUEST,
        "{s}"
    );
    assert_eq!(w.answer_state().await["content_html"], original);
    assert_eq!(w.answer_state().await["deleted"], false);
}

async fn followed_lemmy_community_announces(backend: Backend) {
    let w = World::new(backend).await;
    // Bob follows a Lemmy community (its Accept is simulated by the row).
    let community = format!("{}/c/community", w.remote.base);
    let (s, v) =
        w.a.api(
            Method::POST,
            Some(&w.bob),
            "/follows",
            Some(json!({"handle": community})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let accept = json!({
        "id": format!("{}/activities/accept/1", w.remote.base),
        "type": "Accept",
        "actor": community,
        "object": {"type": "Follow", "actor": w.bob_ap, "object": community},
    });
    let (s, v) = w.push(&accept).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");

    let announce = w.load("lemmy_announce_page", "501");
    let vars_group = community.clone();
    let mut announce_text = announce.to_string();
    announce_text = announce_text.replace(&w.a.url("/g/acme"), &vars_group);
    let announce: Value = serde_json::from_str(&announce_text).unwrap();
    let (s, v) = w.push(&announce).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let handle = format!("community@{}", w.remote.base.trim_start_matches("http://"));
    let (_, list) =
        w.a.api(
            Method::GET,
            None,
            &format!("/questions?group={handle}"),
            None,
        )
        .await;
    let page_id = announce["object"]["object"]["id"].clone();
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|q| q["ap_id"] == page_id),
        "{list}"
    );
    // The compatibility Announce of the bare Page does not duplicate it.
    let compat: Value = serde_json::from_str(
        &w.load("lemmy_announce_page_compat", "501")
            .to_string()
            .replace(&w.a.url("/g/acme"), &community),
    )
    .unwrap();
    let (s, _) = w.push(&compat).await;
    assert_eq!(s, StatusCode::ACCEPTED);
    let (_, list) =
        w.a.api(
            Method::GET,
            None,
            &format!("/questions?group={handle}"),
            None,
        )
        .await;
    assert_eq!(
        list.as_array()
            .unwrap()
            .iter()
            .filter(|q| q["ap_id"] == page_id)
            .count(),
        1
    );
}

/// The `Create` of the post `ap_id` that reached the remote server, once it arrives.
async fn received_create(remote: &FakeRemote, ap_id: &Value) -> Value {
    let find = || {
        remote
            .received
            .lock()
            .unwrap()
            .iter()
            .find(|a| a["type"] == "Create" && a["object"]["id"] == *ap_id)
            .cloned()
    };
    assert!(
        eventually(15, || async { find().is_some() }).await,
        "no Create of {ap_id} arrived; received: {:?}",
        remote.received.lock().unwrap()
    );
    find().unwrap()
}

/// Asserts that `create` and its object have `asker` in `cc` and that the object
/// mentions them.
fn addressed_to(create: &Value, asker: &str) {
    assert!(
        create["cc"].as_array().unwrap().iter().any(|a| a == asker),
        "the activity is addressed to the author replied to: {create}"
    );
    let object = &create["object"];
    assert!(
        object["cc"].as_array().unwrap().iter().any(|a| a == asker),
        "the author replied to is in cc: {create}"
    );
    assert!(
        object["tag"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["type"] == "Mention" && t["href"] == asker),
        "the author replied to is mentioned: {create}"
    );
}

async fn remote_askers_hear_of_answers(backend: Backend) {
    let w = World::new(backend).await;
    let (carol, _) = w.a.user("carol", false).await;
    // Alice asks from her Mastodon server, which follows nothing here.
    let create = w.push_fixture("mastodon_create_note_mention", "601").await;
    let asker = create["actor"].as_str().unwrap();
    let q_ap = create["object"]["id"].as_str().unwrap();
    let qid = w.a.wait_question_id("acme", q_ap).await;
    let (_, followers) = w.a.get_ap("/g/acme/followers").await;
    assert_eq!(followers["totalItems"], 0, "{followers}");
    let before = w.remote.received.lock().unwrap().len();
    assert_eq!(before, 0, "nothing was sent to her server yet");

    // Bob answers here: the answer reaches her server, mentioning her.
    let (s, ans) =
        w.a.api(
            Method::POST,
            Some(&w.bob),
            &format!("/questions/{qid}/answers"),
            Some(json!({"body": "Billing → Export works once the role is set."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ans}");
    let got = received_create(&w.remote, &ans["ap_id"]).await;
    assert_eq!(got["object"]["inReplyTo"], q_ap, "{got}");
    addressed_to(&got, asker);

    // Bob's edit and, later, his deletion of the answer reach her server too.
    let ans_id = ans["id"].as_str().unwrap().to_string();
    let (s, v) =
        w.a.api(
            Method::PATCH,
            Some(&w.bob),
            &format!("/posts/{ans_id}"),
            Some(json!({"body": "Billing → Export works once the Billing role is set."})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let arrived =
        |kind: &'static str| {
            let ap = ans["ap_id"].clone();
            let remote = w.remote.clone();
            async move {
                eventually(15, || async {
                    remote.received.lock().unwrap().iter().any(|a| {
                        a["type"] == kind && (a["object"]["id"] == ap || a["object"] == ap)
                    })
                })
                .await
            }
        };
    assert!(arrived("Update").await, "the edit did not reach her server");

    // She answers Bob's question from there; Carol's comment on it reaches her too.
    let reply = w.push_fixture("mastodon_create_note_reply", "602").await;
    let reply_ap = reply["object"]["id"].as_str().unwrap().to_string();
    let question = w.question["id"].as_str().unwrap().to_string();
    assert!(
        eventually(15, || async {
            w.thread().await["answers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["ap_id"] == reply_ap)
        })
        .await,
        "her answer did not arrive"
    );
    let thread = w.thread().await;
    let hers = thread["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["ap_id"] == reply_ap)
        .unwrap()["id"]
        .clone();
    let (s, comment) =
        w.a.api(
            Method::POST,
            Some(&carol),
            &format!("/questions/{question}/answers"),
            Some(json!({"body": "Did you restart it first?", "parent_id": hers})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{comment}");
    let got = received_create(&w.remote, &comment["ap_id"]).await;
    assert_eq!(got["object"]["inReplyTo"], reply_ap.as_str(), "{got}");
    addressed_to(&got, asker);

    let (s, _) =
        w.a.api(
            Method::DELETE,
            Some(&w.bob),
            &format!("/posts/{ans_id}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert!(
        arrived("Delete").await,
        "the deletion did not reach her server"
    );
}

both_backends!(
    remote_askers_hear_of_answers,
    microblog_posts_become_questions_and_answers,
    group_server_posts_and_votes,
    accepted_answers_only_from_allowed_actors,
    forged_edits_are_refused,
    followed_lemmy_community_announces,
);
