//! Listening across real servers: a small relay started by the test speaks the relay
//! protocol (Mastodon-style: a `Follow` of Public to its inbox; LitePub: a `Follow` of
//! its actor), answers with a signed `Accept`, then relays public posts by `Announce`
//! (the post as a URI, fetched from the author's server, a scripted remote) and by
//! forwarding the author's `Create` under its own signature. A post with the brand
//! hashtag lands in the organisation's queue once however often it comes, others do
//! not, nothing becomes a question; staff reply from their account and invite the
//! author to ask, and unsubscribing sends the `Undo`.

mod common;
use axum::extract::State;
use axum::http::StatusCode as AxumStatus;
use axum::response::IntoResponse;
use axum::Router;
use common::forms::{cookie, csrf_field, page_at, post};
use common::remote::FakeRemote;
use common::*;
use peerdesk::federation::signing::{generate_keypair, signed_post_headers};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// A relay: one actor at `/actor`, its inbox at `/inbox`. It accepts subscriptions
/// (a `Follow` of Public or of itself), answering each with a signed `Accept` sent to
/// the subscriber's inbox, and keeps whatever else it receives.
#[derive(Clone)]
struct Relay {
    base: String,
    private_pem: String,
    public_pem: String,
    /// The subscribers' inboxes.
    subscribers: Arc<Mutex<Vec<String>>>,
    received: Arc<Mutex<Vec<Value>>>,
    sent: Arc<AtomicUsize>,
    http: reqwest::Client,
}

async fn relay_actor(State(r): State<Relay>) -> impl IntoResponse {
    let id = format!("{}/actor", r.base);
    let doc = json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": id, "type": "Application", "preferredUsername": "relay", "name": "Test relay",
        "inbox": format!("{}/inbox", r.base), "outbox": format!("{}/outbox", r.base),
        "followers": format!("{}/followers", r.base),
        "publicKey": {"id": format!("{id}#main-key"), "owner": id, "publicKeyPem": r.public_pem},
    });
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "application/activity+json",
        )],
        doc.to_string(),
    )
}

async fn relay_inbox(State(r): State<Relay>, body: axum::body::Bytes) -> AxumStatus {
    let Ok(activity) = serde_json::from_slice::<Value>(&body) else {
        return AxumStatus::BAD_REQUEST;
    };
    r.received.lock().unwrap().push(activity.clone());
    let me = format!("{}/actor", r.base);
    let follows_us = activity["type"] == "Follow"
        && (activity["object"] == PUBLIC || activity["object"] == me.as_str());
    if follows_us {
        // Accepted after the answer to the request, as relays do.
        tokio::spawn(async move {
            let follower = activity["actor"].as_str().unwrap().to_string();
            let doc: Value = r
                .http
                .get(&follower)
                .header("accept", "application/activity+json")
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let inbox = doc["endpoints"]["sharedInbox"]
                .as_str()
                .or(doc["inbox"].as_str())
                .unwrap()
                .to_string();
            r.subscribers.lock().unwrap().push(inbox.clone());
            let n = r.sent.fetch_add(1, Ordering::SeqCst);
            let accept = json!({
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": format!("{}/activities/accept/{n}", r.base),
                "type": "Accept", "actor": me, "object": activity,
            });
            let (status, _) = r.post(&inbox, &accept).await;
            assert!(status.is_success(), "Accept refused: {status}");
        });
    }
    AxumStatus::ACCEPTED
}

impl Relay {
    async fn start() -> Relay {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (private_pem, public_pem) = generate_keypair().unwrap();
        let relay = Relay {
            base: format!("http://localhost:{port}"),
            private_pem,
            public_pem,
            subscribers: Default::default(),
            received: Default::default(),
            sent: Default::default(),
            http: reqwest::Client::new(),
        };
        let app = Router::new()
            .route("/actor", axum::routing::get(relay_actor))
            .route("/inbox", axum::routing::post(relay_inbox))
            .with_state(relay.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        relay
    }

    /// POSTs `activity` to `inbox`, signed with the relay's key.
    async fn post(&self, inbox: &str, activity: &Value) -> (StatusCode, String) {
        let body = serde_json::to_vec(activity).unwrap();
        let url = url::Url::parse(inbox).unwrap();
        let key_id = format!("{}/actor#main-key", self.base);
        let headers = signed_post_headers(&url, &body, &key_id, &self.private_pem, None).unwrap();
        let resp = self
            .http
            .post(inbox)
            .headers(headers)
            .body(body)
            .send()
            .await
            .unwrap();
        let status = StatusCode::from_u16(resp.status().as_u16()).unwrap();
        (status, resp.text().await.unwrap_or_default())
    }

    /// Relays `activity` to every subscriber; each must take it.
    async fn relay(&self, activity: &Value) {
        let inboxes = self.subscribers.lock().unwrap().clone();
        assert!(!inboxes.is_empty(), "nobody subscribes");
        for inbox in inboxes {
            let (status, body) = self.post(&inbox, activity).await;
            assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        }
    }

    /// An `Announce` of the post `object` (a URI), with activity number `n`.
    fn announce(&self, n: usize, object: &str) -> Value {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{}/activities/announce/{n}", self.base),
            "type": "Announce", "actor": format!("{}/actor", self.base),
            "object": object, "to": [format!("{}/followers", self.base)],
        })
    }
}

/// A public Note by `carol` on the scripted remote, served there.
fn note(remote: &FakeRemote, n: u32, html: &str, tags: &[&str], cc: &[&str]) -> Value {
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
        "to": [PUBLIC], "cc": cc, "tag": tags,
        "published": "2026-12-01T10:00:00Z",
    });
    remote.put(note.clone());
    note
}

async fn queue(peer: &Peer, token: &str, org: &str, status: &str) -> Vec<Value> {
    let (s, v) = peer
        .api(
            Method::GET,
            Some(token),
            &format!("/organisations/{org}/listening?status={status}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v.as_array().unwrap().clone()
}

async fn relay_state(peer: &Peer, admin: &str, url: &str) -> String {
    let (s, v) = peer
        .api(Method::GET, Some(admin), "/admin/relays", None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v.as_array()
        .unwrap()
        .iter()
        .find(|r| r["url"] == url)
        .map(|r| r["state"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

/// Subscribes through the API and waits for the relay's `Accept`; returns the relay's id.
async fn subscribe(peer: &Peer, admin: &str, url: &str) -> String {
    let (s, v) = peer
        .api(
            Method::POST,
            Some(admin),
            "/admin/relays",
            Some(json!({ "url": url })),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["state"], "pending");
    assert!(
        eventually(20, || async {
            relay_state(peer, admin, url).await == "accepted"
        })
        .await,
        "the relay did not accept {url}"
    );
    v["id"].as_str().unwrap().to_string()
}

async fn relayed_posts_land_in_the_queue_once(backend: Backend) {
    let a = Peer::start(backend).await;
    let remote = FakeRemote::start().await;
    let relay = Relay::start().await;
    let (admin, _) = a.user("root", true).await;
    let (alice, _) = a.user("alice", false).await;
    let (bob, _) = a.user("bob", false).await;
    a.group("help").await;
    let org = a
        .staffed_org(&admin, ("Acme", "acme.example"), "alice", "help")
        .await;
    let terms = format!("/organisations/{org}/listening/terms");

    // Terms: staff manage them, others may not.
    let (s, _) = a
        .api(
            Method::POST,
            Some(&bob),
            &terms,
            Some(json!({"term": "#x"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    for term in ["#BrandTag", "Acme Widgets"] {
        let (s, v) = a
            .api(
                Method::POST,
                Some(&alice),
                &terms,
                Some(json!({ "term": term })),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let (s, v) = a
        .api(
            Method::POST,
            Some(&alice),
            &terms,
            Some(json!({"term": "#"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let (_, listed) = a.api(Method::GET, Some(&alice), &terms, None).await;
    let listed: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["term"].as_str().unwrap())
        .collect();
    assert_eq!(listed, vec!["#brandtag", "acme widgets"]);

    // Only admins subscribe; a Mastodon-style relay by its inbox.
    let inbox_url = format!("{}/inbox", relay.base);
    let (s, _) = a
        .api(
            Method::POST,
            Some(&alice),
            "/admin/relays",
            Some(json!({"url": inbox_url})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let relay_id = subscribe(&a, &admin, &inbox_url).await;
    let follow = relay.received.lock().unwrap()[0].clone();
    assert_eq!(follow["type"], "Follow");
    assert_eq!(follow["object"], PUBLIC);
    assert_eq!(follow["actor"], a.url("/actor").as_str());

    // A post with the brand hashtag, relayed twice by different activities and once
    // more as the same activity: one item.
    let tagged = note(
        &remote,
        1,
        r#"<p>My printer jams again <a href="x" class="hashtag">#<span>BrandTag</span></a><script>alert(1)</script></p>"#,
        &["#BrandTag"],
        &[],
    );
    for n in [1, 2, 2] {
        relay
            .relay(&relay.announce(n, tagged["id"].as_str().unwrap()))
            .await;
    }
    // Relays, the same post by another relay activity and a non-matching post.
    let other = note(&remote, 2, "<p>Nice weather today</p>", &["#weather"], &[]);
    relay
        .relay(&relay.announce(3, other["id"].as_str().unwrap()))
        .await;
    // The inbox answered each after processing it: nothing is pending.
    let items = queue(&a, &alice, &org, "new").await;
    assert_eq!(items.len(), 1, "{items:?}");
    let item = &items[0];
    assert_eq!(item["object"], tagged["id"]);
    assert_eq!(item["matched_term"], "#brandtag");
    assert_eq!(item["source"], "relay");
    assert_eq!(item["url"], format!("{}/@carol/1", remote.base).as_str());
    assert_eq!(
        item["author_name"],
        format!("carol@{}", remote.base.trim_start_matches("http://")).as_str()
    );
    let excerpt = item["excerpt_html"].as_str().unwrap();
    assert!(
        excerpt.contains("My printer jams") && !excerpt.contains("script"),
        "{excerpt}"
    );

    // A post addressed to our group, relayed: listened to, never a question.
    let group_url = a.url("/g/help");
    let to_group = note(
        &remote,
        3,
        "<p>Anyone know about Acme widgets?</p>",
        &[],
        &[group_url.as_str()],
    );
    relay
        .relay(&relay.announce(4, to_group["id"].as_str().unwrap()))
        .await;
    // A Mastodon-style relay forwards the author's Create under its own signature.
    let forwarded = note(&remote, 4, "<p>ACME WIDGETS rock</p>", &[], &[]);
    let create = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/create/4", remote.base), "type": "Create",
        "actor": format!("{}/users/carol", remote.base), "object": forwarded,
        "to": [PUBLIC],
    });
    relay.relay(&create).await;
    let items = queue(&a, &alice, &org, "new").await;
    let objects: Vec<&str> = items
        .iter()
        .map(|i| i["object"].as_str().unwrap())
        .collect();
    assert_eq!(items.len(), 3, "{objects:?}");
    for n in [&tagged, &to_group, &forwarded] {
        assert!(objects.contains(&n["id"].as_str().unwrap()), "{objects:?}");
    }
    assert_eq!(
        a.question_id("help", to_group["id"].as_str().unwrap())
            .await,
        None
    );

    // A public post in our own inbox (here: sent to a follower) is listened to as well.
    let inbox_note = note(&remote, 5, "<p>acme widgets, anyone?</p>", &[], &[]);
    let create = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/create/5", remote.base), "type": "Create",
        "actor": format!("{}/users/carol", remote.base), "object": inbox_note,
        "to": [PUBLIC],
    });
    let (s, v) = remote.deliver(&a.http, &a.url("/inbox"), &create).await;
    assert!(s.is_success(), "{s} {v}");
    let items = queue(&a, &alice, &org, "new").await;
    let from_inbox = items
        .iter()
        .find(|i| i["object"] == inbox_note["id"])
        .expect("the inbox's post was not collected");
    assert_eq!(from_inbox["source"], "inbox");

    // The queue is the organisation's: others are refused.
    let (s, _) = a
        .api(
            Method::GET,
            Some(&bob),
            &format!("/organisations/{org}/listening"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Reply from my account: a public reply to the original, to its author.
    let item_id = item["id"].as_str().unwrap();
    let (s, v) = a
        .api(
            Method::POST,
            Some(&alice),
            &format!("/organisations/{org}/listening/{item_id}/reply"),
            Some(json!({"body": "Sorry to hear that, we can help."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["status"], "handled");
    let reply = v["reply"].as_str().unwrap().to_string();
    let sent = |pred: Box<dyn Fn(&Value) -> bool + Send>| {
        let remote = remote.clone();
        async move {
            eventually(20, || async {
                remote.received.lock().unwrap().iter().any(&pred)
            })
            .await
        }
    };
    let (t, r) = (tagged["id"].clone(), reply.clone());
    assert!(
        sent(Box::new(move |act| {
            act["type"] == "Create"
                && act["object"]["id"] == r.as_str()
                && act["object"]["inReplyTo"] == t
                && act["object"]["to"] == json!([PUBLIC])
                && act["object"]["cc"][0]
                    .as_str()
                    .is_some_and(|c| c.ends_with("/users/carol"))
        }))
        .await,
        "the public reply did not reach the author"
    );
    let (s, served) = a.get_ap(&reply).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(served["inReplyTo"], tagged["id"]);

    // Invite to ask: a private message with the group's ask link, nothing public.
    let invited = items
        .iter()
        .find(|i| i["object"] == forwarded["id"])
        .unwrap();
    let (s, v) = a
        .api(
            Method::POST,
            Some(&alice),
            &format!(
                "/organisations/{org}/listening/{}/invite",
                invited["id"].as_str().unwrap()
            ),
            Some(json!({"group": "help", "message": "Ask us in our community"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let link = a.url("/g/help/ask");
    assert!(
        sent(Box::new(move |act| {
            act["type"] == "Create"
                && act["object"]["content"]
                    .as_str()
                    .is_some_and(|c| c.contains(&link))
                && !act.to_string().contains(PUBLIC)
        }))
        .await,
        "the invitation did not reach the author"
    );
    assert_eq!(
        a.question_id("help", forwarded["id"].as_str().unwrap())
            .await,
        None
    );

    // Dismissing takes an item out of the new ones.
    let dismissed = items
        .iter()
        .find(|i| i["object"] == to_group["id"])
        .unwrap();
    let (s, v) = a
        .api(
            Method::PATCH,
            Some(&alice),
            &format!(
                "/organisations/{org}/listening/{}",
                dismissed["id"].as_str().unwrap()
            ),
            Some(json!({"status": "dismissed"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let left = queue(&a, &alice, &org, "new").await;
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(queue(&a, &alice, &org, "dismissed").await.len(), 1);
    assert_eq!(queue(&a, &alice, &org, "handled").await.len(), 2);

    // The pages: the staff console's queue and its term form, the admin's relays.
    let (s, html) = page_at(&a.base, "/staff/listening?status=handled", &cookie(&alice)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("#brandtag") && html.contains("My printer jams"),
        "{html}"
    );
    assert!(!html.contains("<script>alert"), "unsanitised excerpt");
    let form = [("csrf", csrf_field(&html)), ("term", "#Widget".to_string())];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let resp = post(
        &a.base,
        "/staff/listening/terms/add",
        &cookie(&alice),
        &form,
    )
    .await;
    assert!(resp.status().is_redirection(), "{}", resp.status());
    let (_, html) = page_at(&a.base, "/staff/listening", &cookie(&alice)).await;
    assert!(html.contains("#widget"), "{html}");
    let (s, _) = page_at(&a.base, "/staff/listening", &cookie(&bob)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, html) = page_at(&a.base, "/admin/relays", &cookie(&admin)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains(&inbox_url) && html.contains("accepted"),
        "{html}"
    );
    let (s, _) = page_at(&a.base, "/admin/relays", &cookie(&alice)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Unsubscribing sends the Undo of the Follow.
    let (s, _) = a
        .api(
            Method::DELETE,
            Some(&admin),
            &format!("/admin/relays/{relay_id}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let follow_id = follow["id"].clone();
    let received = relay.received.clone();
    assert!(
        eventually(20, || async {
            received
                .lock()
                .unwrap()
                .iter()
                .any(|a| a["type"] == "Undo" && a["object"]["id"] == follow_id)
        })
        .await,
        "no Undo reached the relay"
    );
    // Announces from a relay no longer subscribed are not listened to.
    let late = note(&remote, 6, "<p>#BrandTag again</p>", &["#BrandTag"], &[]);
    relay
        .relay(&relay.announce(7, late["id"].as_str().unwrap()))
        .await;
    let all = queue(&a, &alice, &org, "new").await;
    assert!(all.iter().all(|i| i["object"] != late["id"]), "{all:?}");
}

async fn litepub_relay_by_its_actor(backend: Backend) {
    let a = Peer::start(backend).await;
    let remote = FakeRemote::start().await;
    let relay = Relay::start().await;
    let (admin, _) = a.user("root", true).await;
    let (alice, _) = a.user("alice", false).await;
    a.group("help").await;
    let org = a
        .staffed_org(&admin, ("Acme", "acme.example"), "alice", "help")
        .await;
    let (s, v) = a
        .api(
            Method::POST,
            Some(&alice),
            &format!("/organisations/{org}/listening/terms"),
            Some(json!({"term": "#brandtag"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let actor_url = format!("{}/actor", relay.base);
    subscribe(&a, &admin, &actor_url).await;
    let follow = relay.received.lock().unwrap()[0].clone();
    assert_eq!(
        follow["object"],
        actor_url.as_str(),
        "LitePub: a Follow of the relay's actor"
    );
    // Subscribing twice is refused.
    let (s, _) = a
        .api(
            Method::POST,
            Some(&admin),
            "/admin/relays",
            Some(json!({"url": actor_url})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);

    // LitePub relays announce the post embedded: it is still read from its server.
    let tagged = note(&remote, 1, "<p>#brandtag rocks</p>", &["#brandtag"], &[]);
    let mut forged = tagged.clone();
    forged["content"] = json!("<p>forged words #brandtag</p>");
    let announce = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/announce/1", relay.base),
        "type": "Announce", "actor": actor_url, "object": forged,
        "to": [format!("{}/followers", relay.base)],
    });
    relay.relay(&announce).await;
    let items = queue(&a, &alice, &org, "new").await;
    assert_eq!(items.len(), 1, "{items:?}");
    let excerpt = items[0]["excerpt_html"].as_str().unwrap();
    assert!(
        excerpt.contains("rocks") && !excerpt.contains("forged"),
        "{excerpt}"
    );
}

both_backends!(
    relayed_posts_land_in_the_queue_once,
    litepub_relay_by_its_actor
);
