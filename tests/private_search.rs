//! A private group's questions in search and lists: its members (approved followers,
//! moderators, admins) find them with the site search (page and API, questions and
//! answers), see them on the group's tag pages, in the question lists and in the home
//! page's counts, and are told of them when they follow a tag; a non-member and an
//! anonymous visitor never are, nor do the Atom feeds, the ask form's suggestions or the
//! help widget show them.

mod common;
use common::forms::{cookie, page};
use common::{eventually, Backend, Peer};
use peerdesk::actions::rules;
use peerdesk::db::models::Actor;
use peerdesk::db::queries;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// The private question's title, and a word of it.
const SECRET: &str = "Zanzibarwidget firmware rollback plan";
const WORD: &str = "Zanzibarwidget";
/// A word only in the private question's answer.
const ANSWER_WORD: &str = "Quillfeather";
/// A public question found by the same word.
const PUBLIC_Q: &str = "Zanzibarwidget manual download";

async fn ask(a: &Peer, token: &str, group: &str, title: &str, tags: &[&str]) -> String {
    let body = json!({"group": group, "title": title, "body": "Details inside.", "tags": tags});
    let (s, q) = a
        .api(Method::POST, Some(token), "/questions", Some(body))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    q["id"].as_str().unwrap().to_string()
}

async fn api_text(a: &Peer, token: Option<&str>, path: &str) -> String {
    let (s, v) = a.api(Method::GET, token, path, None).await;
    assert_eq!(s, StatusCode::OK, "{path}: {v}");
    v.to_string()
}

async fn web_text(a: &Peer, token: Option<&str>, path: &str) -> String {
    let (s, html) = page(&a.url(path), &token.map(cookie).unwrap_or_default()).await;
    assert_eq!(s, StatusCode::OK, "{path}");
    html
}

/// The kinds of `token`'s notifications about the post `post`.
async fn followed(a: &Peer, token: &str, post: &str) -> Vec<String> {
    let (s, v) = a
        .api(Method::GET, Some(token), "/notifications?limit=100", None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["post_id"] == post)
        .map(|n| n["kind"].as_str().unwrap().to_string())
        .collect()
}

/// The question count the home page shows for the group titled `title`.
fn home_count(html: &str, title: &str) -> String {
    let at = html
        .find(&format!(">{title}</a>"))
        .expect("the group on the home page");
    let rest = &html[at..];
    let meta = rest.find("class=\"meta\">").expect("its counts") + 13;
    rest[meta..]
        .split(['<', '·'])
        .next()
        .unwrap()
        .trim()
        .to_string()
}

/// Whether the private groups the lists and search show to each of `viewers` (or to an
/// anonymous visitor), and the members a followed tag tells, are exactly those
/// `rules::may_read_group` lets read.
async fn lists_follow_the_rule(a: &Peer, viewers: &[&Actor]) {
    let viewers: Vec<Option<Actor>> = viewers
        .iter()
        .map(|v| Some((*v).clone()))
        .chain([None])
        .collect();
    a.query(move |c| {
        let groups: Vec<Actor> = ["vault", "lobby"]
            .iter()
            .map(|n| queries::actors::local_by_name(c, n).unwrap().unwrap())
            .collect();
        let people: Vec<i64> = viewers.iter().flatten().map(|v| v.id).collect();
        for v in &viewers {
            let listed = rules::readable_private_groups(c, v.as_ref())?;
            for g in &groups {
                let may = rules::may_read_group(c, g, v.as_ref())?;
                let shown = !rules::is_private(g) || listed.contains(&g.id);
                assert_eq!(
                    may,
                    shown,
                    "{} for {:?}",
                    g.name,
                    v.as_ref().map(|v| &v.name)
                );
                // Whom a followed tag tells: the same members.
                if let Some(v) = v.as_ref().filter(|_| rules::is_private(g)) {
                    let told = queries::private_groups::members_among(c, g.id, &people)?;
                    assert_eq!(may, told.contains(&v.id), "{} told {}", g.name, v.name);
                }
            }
        }
        Ok(())
    })
    .await
}

async fn private_questions_for_members_only(backend: Backend) {
    let a = Peer::start(backend).await;
    let (admin, admin_actor) = a.user("admin", true).await;
    let (mia, mia_actor) = a.user("mia", false).await;
    let (nat, nat_actor) = a.user("nat", false).await;
    let (s, g) = a
        .api(
            Method::POST,
            Some(&admin),
            "/groups",
            Some(json!({"name": "vault", "title": "Vault support", "visibility": "private"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{g}");
    a.group("lobby").await;

    // Mia is a member (added by name); nat asked to join and waits.
    let (s, _) = a
        .api(
            Method::POST,
            Some(&admin),
            "/groups/vault/members",
            Some(json!({"handle": "mia"})),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let handle = format!("vault@{}", a.domain);
    let (_, f) = a
        .api(
            Method::POST,
            Some(&nat),
            "/follows",
            Some(json!({"handle": handle, "accept_guidelines": true})),
        )
        .await;
    assert_eq!(f["pending"], true, "{f}");

    // Both follow the tag; nat also follows the admin who asks.
    for who in [&mia, &nat] {
        let (s, v) = a
            .api(
                Method::POST,
                Some(who),
                "/me/followed-tags",
                Some(json!({"tag": "firmware"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }
    let (s, v) = a
        .api(
            Method::POST,
            Some(&nat),
            "/me/followed-people",
            Some(json!({"person": "admin"})),
        )
        .await;
    assert!(s.is_success(), "{v}");

    let qid = ask(&a, &admin, "vault", SECRET, &["firmware"]).await;
    let (s, ans) = a
        .api(
            Method::POST,
            Some(&mia),
            &format!("/questions/{qid}/answers"),
            Some(json!({"body": format!("Use the {ANSWER_WORD} tool first.")})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ans}");
    let aid = ans["id"].as_str().unwrap().to_string();
    // Search results link through /search/open (which counts the click).
    let hit = |id: &str| format!("/search/open?p={id}");
    let public_id = ask(&a, &nat, "lobby", PUBLIC_Q, &["firmware"]).await;

    // Followed tags: the member is told of both questions; nat, who follows the tag and
    // the asker but is not a member, of neither (the public one is nat's own). The
    // questions are read in order: once the later one is told, the private one was read.
    assert!(
        eventually(30, || async {
            followed(&a, &mia, &qid).await == ["followed_tag"]
                && followed(&a, &mia, &public_id).await == ["followed_tag"]
        })
        .await,
        "the member was not told of the questions with the tag she follows"
    );
    assert!(followed(&a, &nat, &qid).await.is_empty());
    let (_, all) = a
        .api(Method::GET, Some(&nat), "/notifications?limit=100", None)
        .await;
    assert!(!all.to_string().contains("rollback"), "{all}");

    // The member: the question by search (page and API, by its title and its answer),
    // on the tag pages and lists, counted on the home page.
    for who in [&mia, &admin] {
        let found = api_text(&a, Some(who), &format!("/search?q={WORD}")).await;
        assert!(
            found.contains(SECRET) && found.contains(PUBLIC_Q),
            "{found}"
        );
        let found = api_text(&a, Some(who), &format!("/search?q={ANSWER_WORD}")).await;
        assert!(found.contains(ANSWER_WORD), "{found}");
        let html = web_text(&a, Some(who), &format!("/search?q={WORD}")).await;
        assert!(html.contains("rollback plan") && html.contains("manual download"));
        let html = web_text(&a, Some(who), &format!("/search?q={ANSWER_WORD}")).await;
        assert!(html.contains(&hit(&aid)), "the answer's hit");
        let html = web_text(&a, Some(who), "/search?q=rollback&group=vault").await;
        assert!(html.contains(&hit(&qid)));
        let list = api_text(&a, Some(who), "/questions?tag=firmware").await;
        assert!(list.contains(SECRET) && list.contains(PUBLIC_Q), "{list}");
        let html = web_text(&a, Some(who), "/g/vault?tag=firmware").await;
        assert!(html.contains(&format!("/q/{qid}")));
        let html = web_text(&a, Some(who), "/").await;
        assert_eq!(home_count(&html, "Vault support"), "one question");
    }

    // A non-member (waiting to join) and an anonymous visitor: none of it, not even a
    // count; the public question still found.
    for who in [Some(nat.as_str()), None] {
        let found = api_text(&a, who, &format!("/search?q={WORD}")).await;
        assert!(found.contains(PUBLIC_Q), "{found}");
        assert!(!found.contains("rollback"), "{found}");
        let found = api_text(&a, who, &format!("/search?q={ANSWER_WORD}")).await;
        assert_eq!(found, "[]");
        for path in [
            format!("/search?q={WORD}"),
            format!("/search?q={ANSWER_WORD}"),
            "/search?q=rollback&group=vault".to_string(),
            "/g/vault?tag=firmware".to_string(),
        ] {
            let html = web_text(&a, who, &path).await;
            assert!(!html.contains("rollback plan"), "{path}");
            assert!(!html.contains("tool first"), "{path}");
            assert!(!html.contains(&format!("/q/{qid}")), "{path}");
            assert!(
                !html.contains(&hit(&qid)) && !html.contains(&hit(&aid)),
                "{path}"
            );
        }
        let list = api_text(&a, who, "/questions?tag=firmware").await;
        assert!(
            list.contains(PUBLIC_Q) && !list.contains("rollback"),
            "{list}"
        );
        let html = web_text(&a, who, "/").await;
        assert_eq!(home_count(&html, "Vault support"), "0 questions");
    }

    // A token that is not one is refused, not taken for an anonymous search.
    let (s, v) = a
        .api(
            Method::GET,
            Some("not-a-token"),
            &format!("/search?q={WORD}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{v}");
    assert!(
        v["error"].is_string() && !v.to_string().contains("rollback"),
        "{v}"
    );

    // Feeds are anonymous: nothing private in them.
    let (s, feed) = page(&a.url("/g/vault/feed.atom"), "").await;
    assert_eq!(s, StatusCode::OK);
    assert!(!feed.contains("rollback") && !feed.contains(&qid), "{feed}");
    let (s, feed) = page(&a.url(&format!("/q/{qid}/feed.atom")), "").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(!feed.contains("rollback") && !feed.contains(ANSWER_WORD));

    // The ask form's suggestions and the help widget: public questions only.
    let title = "Zanzibarwidget firmware rollback";
    for (who, group) in [(&nat, ""), (&nat, "vault"), (&mia, "lobby")] {
        let path = format!("/ask/similar?title={title}&group={group}&ask=");
        let html = web_text(&a, Some(who), &path).await;
        assert!(!html.contains("rollback plan"), "{path}: {html}");
        assert!(!html.contains(&format!("/q/{qid}")), "{path}");
    }
    let html = web_text(
        &a,
        Some(&nat),
        &format!("/ask/similar?title={title}&group=lobby&ask="),
    )
    .await;
    assert!(
        html.contains("manual download"),
        "the public question is suggested: {html}"
    );
    for path in [
        format!("/embed/g/vault?q={WORD}"),
        format!("/embed/g/vault?topic={WORD}"),
        "/embed/g/vault".to_string(),
    ] {
        // A private group has no widget (404); a member's session changes nothing.
        let (s, html) = page(&a.url(&path), &cookie(&mia)).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}");
        assert!(!html.contains("rollback plan"), "{path}");
    }

    // Once nat is approved, nat finds it too; once removed, no more.
    let viewers = [&admin_actor, &mia_actor, &nat_actor];
    lists_follow_the_rule(&a, &viewers).await;
    let nat_ap = nat_actor.ap_id.clone();
    let approve = |op: &'static str| {
        let (a, admin, nat_ap) = (&a, admin.clone(), nat_ap.clone());
        async move {
            let (s, v) = a
                .api(
                    Method::POST,
                    Some(&admin),
                    &format!("/groups/vault/requests/{op}"),
                    Some(json!({"handle": nat_ap})),
                )
                .await;
            assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
        }
    };
    approve("approve").await;
    let found: Value = a
        .api(Method::GET, Some(&nat), &format!("/search?q={WORD}"), None)
        .await
        .1;
    assert!(found.to_string().contains(SECRET), "{found}");
    lists_follow_the_rule(&a, &viewers).await;
    approve("reject").await;
    let found = api_text(&a, Some(&nat), &format!("/search?q={WORD}")).await;
    assert!(!found.contains("rollback"), "{found}");
    lists_follow_the_rule(&a, &viewers).await;
}

both_backends!(private_questions_for_members_only);
