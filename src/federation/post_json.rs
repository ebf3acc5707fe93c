//! The ActivityPub JSON of a stored post (`Page` for a question, `Note` for an answer or
//! comment), read on one connection so that it can be built inside a transaction.

use super::timestamps::ap_time;
use super::PUBLIC;
use crate::db::models::Post;
use crate::db::{queries, DbConn};
use crate::error::{AppError, AppResult};
use serde_json::{json, Value};

/// The ActivityPub JSON of a post (without `@context`) on the instance at `base`.
/// Deleted posts become tombstones.
pub fn post_json(c: &mut DbConn, base: &str, post: &Post) -> AppResult<Value> {
    if !post.visible() {
        return Ok(json!({
            "id": post.ap_id,
            "type": "Tombstone",
            "formerType": if post.is_question() { "Page" } else { "Note" },
            "deleted": ap_time(post.updated_at.unwrap_or(post.published_at)),
        }));
    }
    let author = queries::actors::by_id(c, post.author_id)?;
    let group = match post.group_id {
        Some(g) => queries::actors::by_id(c, g)?,
        None => None,
    };
    let parent = match post.parent_id {
        Some(id) => queries::posts::by_id(c, id)?,
        None => None,
    };
    let question = match post.question_id.filter(|q| *q != post.id) {
        Some(id) => queries::posts::by_id(c, id)?,
        None => None,
    };
    let accepted = match post.accepted_answer_id {
        Some(id) => queries::posts::by_id(c, id)?,
        None => None,
    };
    let context = super::thread_context::of_thread(c, question.as_ref().unwrap_or(post))?;
    let author = author.ok_or_else(|| AppError::Internal("post without author".into()))?;
    let mut v = json!({
        "id": post.ap_id,
        "type": if post.is_question() { "Page" } else { "Note" },
        "attributedTo": author.ap_id,
        "content": post.content_html,
        "mediaType": "text/html",
        "published": ap_time(post.published_at),
        "url": post.url.clone().unwrap_or_else(|| post.ap_id.clone()),
        "context": context,
        "sensitive": false,
    });
    let m = v.as_object_mut().expect("object");
    if let Some(md) = &post.source_md {
        m.insert(
            "source".into(),
            json!({"content": md, "mediaType": "text/markdown"}),
        );
    }
    if let Some(u) = post.updated_at {
        m.insert("updated".into(), json!(ap_time(u)));
    }
    // A private group's post is addressed to its members (the group's followers
    // collection), never to the public: Lemmy's private communities do the same.
    let members = group
        .as_ref()
        .filter(|g| !post.public || crate::actions::rules::is_private(g))
        .map(super::private::followers_of);
    let mut to = match &members {
        Some(followers) => vec![json!(followers)],
        None => vec![json!(PUBLIC)],
    };
    let mut cc = vec![];
    if let Some(g) = &group {
        m.insert("audience".into(), json!(g.ap_id));
        if post.is_question() {
            to.insert(0, json!(g.ap_id));
        } else {
            cc.push(json!(g.ap_id));
        }
    }
    let mut tags: Vec<Value> = post
        .tags
        .split_whitespace()
        .map(|t| json!({"type": "Hashtag", "name": format!("#{t}"), "href": format!("{base}/api/v1/questions?tag={t}")}))
        .collect();
    if post.is_question() {
        m.insert("name".into(), json!(post.title.clone().unwrap_or_default()));
        m.insert("commentsEnabled".into(), json!(!post.locked));
        m.insert("answerCount".into(), json!(post.answer_count));
        if let Some(a) = &accepted {
            m.insert("acceptedAnswer".into(), json!(a.ap_id));
        }
    } else if let Some(parent) = &parent {
        m.insert("inReplyTo".into(), json!(parent.ap_id));
        if let Some(pa) = queries::actors::by_id(c, parent.author_id)? {
            cc.push(json!(pa.ap_id));
            tags.push(
                json!({"type": "Mention", "href": pa.ap_id, "name": format!("@{}", pa.handle())}),
            );
        }
        if let Some(q) = &question {
            m.insert(
                "answer".into(),
                json!(q.accepted_answer_id == Some(post.id)),
            );
        }
    }
    if post.is_question() {
        super::activities::idea::add_status(c, post, m)?;
        super::activities::support_notes::add(c, post, m, false)?;
    }
    m.insert("to".into(), json!(to));
    m.insert("cc".into(), json!(cc));
    m.insert("tag".into(), json!(tags));
    m.insert("upvotes".into(), json!(post.upvotes));
    m.insert("downvotes".into(), json!(post.downvotes));
    Ok(v)
}
