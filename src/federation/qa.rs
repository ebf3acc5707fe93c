//! Local Q&A actions (ask, answer, edit, delete, vote, accept) and how they federate.
//!
//! FEP-1b12: an action in a group hosted here is announced by the group to every
//! follower's inbox; an action in a remote group is sent to that group's inbox (and to
//! the author being replied to), and the group's server announces it.

use super::posts::{post_json, FedPost};
use super::{outbox, Ctx, PUBLIC};
use crate::db::models::{Actor, Post};
use crate::db::{now_ms, queries};
use crate::domain::posts::{check_body, check_question, search_text};
use crate::domain::text::markdown_to_html;
use crate::error::{AppError, AppResult};
use serde_json::{json, Value};

fn strip_context(mut v: Value) -> Value {
    if let Value::Object(m) = &mut v {
        m.remove("@context");
    }
    v
}

pub async fn group_of(data: &Ctx, post: &Post) -> AppResult<Actor> {
    let gid = post
        .group_id
        .ok_or_else(|| AppError::BadRequest("this post is in no group".into()))?;
    data.db
        .run(move |c| queries::actors::by_id(c, gid))
        .await?
        .ok_or_else(|| AppError::NotFound("group not found".into()))
}

/// The group's `Announce` (FEP-1b12) of `activity` and, for a `Create` of an embedded
/// object, a second `Announce` of the bare object for microblogs, which show that as a
/// boost. Each: (row id, body, public).
pub fn announcements(
    state: &crate::app::AppState,
    group: &Actor,
    activity: &Value,
) -> Vec<(i64, Value, bool)> {
    let followers = group.followers_url.clone().unwrap_or_default();
    let (row, id) = outbox::new_activity_id(state, "Announce");
    let mut out = vec![(
        row,
        json!({
            "id": id,
            "type": "Announce",
            "actor": group.ap_id,
            "object": strip_context(activity.clone()),
            "to": [PUBLIC],
            "cc": [followers],
            "audience": group.ap_id,
            "published": super::timestamps::ap_now(),
        }),
        true,
    )];
    let object = &activity["object"];
    if activity["type"] == "Create" && object.is_object() {
        let (row, id) = outbox::new_activity_id(state, "Announce");
        out.push((
            row,
            json!({
                "id": id,
                "type": "Announce",
                "actor": group.ap_id,
                "object": object["id"],
                "to": [PUBLIC],
                "cc": [followers],
                "published": super::timestamps::ap_now(),
            }),
            false,
        ));
    }
    out
}

/// Announces `activity` to the followers of the local `group`, except those on
/// `skip_domain` (the sender's server, which has it already).
pub async fn announce(
    data: &Ctx,
    group: &Actor,
    activity: &Value,
    skip_domain: Option<&str>,
) -> AppResult<()> {
    let gid = group.id;
    let mut inboxes = data
        .db
        .run(move |c| queries::follows::follower_inboxes(c, gid))
        .await?;
    if let Some(skip) = skip_domain {
        inboxes.retain(|i| super::objects::domain_of(i).as_deref() != Some(skip));
    }
    for (row, body, public) in announcements(data, group, activity) {
        outbox::send(data, row, group, body, inboxes.clone(), public).await?;
    }
    Ok(())
}

/// Publishes an activity of a local user about something in `group`.
pub(super) async fn publish(
    data: &Ctx,
    actor: &Actor,
    group: &Actor,
    mut activity: Value,
    extra_inboxes: Vec<String>,
) -> AppResult<()> {
    let (row_id, id) =
        outbox::new_activity_id(data, activity["type"].as_str().unwrap_or("Activity"));
    activity["id"] = json!(id);
    publish_as(data, row_id, actor, group, activity, extra_inboxes).await
}

/// [`publish`] for an activity whose id (`row_id`) the caller already chose.
async fn publish_as(
    data: &Ctx,
    row_id: i64,
    actor: &Actor,
    group: &Actor,
    activity: Value,
    extra_inboxes: Vec<String>,
) -> AppResult<()> {
    if group.local {
        let stored = outbox::send(data, row_id, actor, activity, extra_inboxes, true).await?;
        announce(data, group, &stored, None).await
    } else {
        let mut inboxes = vec![group.inbox.clone()];
        inboxes.extend(extra_inboxes);
        outbox::send(data, row_id, actor, activity, inboxes, true).await?;
        Ok(())
    }
}

async fn author_inbox(data: &Ctx, post: &Post) -> AppResult<Vec<String>> {
    let aid = post.author_id;
    Ok(data
        .db
        .run(move |c| queries::actors::by_id(c, aid))
        .await?
        .filter(|a| !a.local)
        .map(|a| vec![a.delivery_inbox().to_string()])
        .unwrap_or_default())
}

fn create_or_update(kind: &str, actor: &Actor, group: &Actor, object: Value) -> Value {
    json!({
        "type": kind,
        "actor": actor.ap_id,
        "object": object,
        "to": [PUBLIC],
        "cc": [group.ap_id],
        "audience": group.ap_id,
    })
}

pub async fn ask(
    data: &Ctx,
    author: &Actor,
    group: &Actor,
    title: &str,
    body_md: &str,
    tags: Vec<String>,
) -> AppResult<Post> {
    check_question(title, body_md, &tags)?;
    check_not_banned(data, group, author).await?;
    let post = super::posts::new_local_post(
        data,
        author,
        group,
        None,
        Some(title.trim().to_string()),
        body_md,
        tags,
    );
    let p = post.clone();
    data.db.run(move |c| queries::posts::insert(c, &p)).await?;
    let object = post_json(data, &post).await?;
    publish(
        data,
        author,
        group,
        create_or_update("Create", author, group, object),
        vec![],
    )
    .await?;
    Ok(post)
}

async fn check_not_banned(data: &Ctx, group: &Actor, actor: &Actor) -> AppResult<()> {
    let (gid, aid) = (group.id, actor.id);
    if data
        .db
        .run(move |c| queries::groups::is_banned(c, gid, aid))
        .await?
    {
        return Err(AppError::Forbidden("you are banned from this group".into()));
    }
    Ok(())
}

pub async fn answer(data: &Ctx, author: &Actor, parent: &Post, body_md: &str) -> AppResult<Post> {
    check_body(body_md)?;
    if parent.deleted || parent.removed {
        return Err(AppError::Gone("that post was deleted".into()));
    }
    let group = group_of(data, parent).await?;
    check_not_banned(data, &group, author).await?;
    let question_id = parent.question_id.unwrap_or(parent.id);
    let question = data
        .db
        .run(move |c| queries::posts::by_id(c, question_id))
        .await?
        .ok_or_else(|| AppError::NotFound("question not found".into()))?;
    if question.locked {
        return Err(AppError::Forbidden("this question is locked".into()));
    }
    let post =
        super::posts::new_local_post(data, author, &group, Some(parent), None, body_md, vec![]);
    let p = post.clone();
    data.db.run(move |c| queries::posts::insert(c, &p)).await?;
    let object = post_json(data, &post).await?;
    let extra = author_inbox(data, parent).await?;
    publish(
        data,
        author,
        &group,
        create_or_update("Create", author, &group, object),
        extra,
    )
    .await?;
    Ok(post)
}

pub async fn edit(
    data: &Ctx,
    actor: &Actor,
    post: &Post,
    title: Option<String>,
    body_md: &str,
    tags: Option<Vec<String>>,
) -> AppResult<Post> {
    if post.author_id != actor.id {
        return Err(AppError::Forbidden(
            "only the author can edit a post".into(),
        ));
    }
    if post.deleted {
        return Err(AppError::Gone("that post was deleted".into()));
    }
    if post.removed {
        return Err(AppError::Forbidden(
            "a moderator removed this post; it cannot be edited".into(),
        ));
    }
    let title = if post.is_question() {
        Some(title.unwrap_or_else(|| post.title.clone().unwrap_or_default()))
    } else {
        None
    };
    let tags = tags
        .map(crate::domain::posts::normalize_tags)
        .unwrap_or_else(|| post.tags.clone());
    match &title {
        Some(t) => check_question(t, body_md, &[])?,
        None => check_body(body_md)?,
    }
    let html = markdown_to_html(body_md);
    let rev = queries::posts::Revision {
        search_text: search_text(title.as_deref(), &html),
        title,
        content_html: html,
        source_md: Some(body_md.to_string()),
        tags,
        updated_at: now_ms(),
    };
    let p = post.clone();
    let updated = data
        .db
        .run(move |c| {
            queries::posts::update_content(c, &p, rev)?;
            queries::posts::by_id(c, p.id)
        })
        .await?
        .ok_or_else(|| AppError::NotFound("post not found".into()))?;
    let group = group_of(data, &updated).await?;
    let object = post_json(data, &updated).await?;
    let microblogs = super::microblog::follower_inboxes(data, &group).await?;
    publish(
        data,
        actor,
        &group,
        create_or_update("Update", actor, &group, object),
        microblogs,
    )
    .await?;
    Ok(updated)
}

pub async fn delete(data: &Ctx, actor: &Actor, post: &Post) -> AppResult<()> {
    if post.author_id != actor.id {
        return Err(AppError::Forbidden(
            "only the author can delete a post".into(),
        ));
    }
    if post.deleted {
        return Ok(());
    }
    let p = post.clone();
    data.db
        .run(move |c| queries::posts::mark_deleted(c, &p))
        .await?;
    let group = group_of(data, post).await?;
    let activity = json!({
        "type": "Delete",
        "actor": actor.ap_id,
        "object": post.ap_id,
        "to": [PUBLIC],
        "cc": [group.ap_id],
        "audience": group.ap_id,
    });
    let microblogs = super::microblog::follower_inboxes(data, &group).await?;
    publish(data, actor, &group, activity, microblogs).await
}

/// Votes +1 (`Like`), -1 (`Dislike`) or 0 (`Undo` of the earlier vote).
pub async fn vote(data: &Ctx, voter: &Actor, post: &Post, value: i32) -> AppResult<()> {
    if post.deleted || post.removed {
        return Err(AppError::Gone("that post was deleted".into()));
    }
    let group = group_of(data, post).await?;
    check_not_banned(data, &group, voter).await?;
    let (pid, vid) = (post.id, voter.id);
    let previous = data
        .db
        .run(move |c| queries::posts::vote(c, pid, vid))
        .await?;
    if previous.as_ref().map(|v| v.value) == Some(value.signum())
        || (previous.is_none() && value == 0)
    {
        return Ok(());
    }
    if let Some(prev) = previous {
        let inner = json!({
            "id": prev.ap_id,
            "type": if prev.value > 0 { "Like" } else { "Dislike" },
            "actor": voter.ap_id,
            "object": post.ap_id,
            "audience": group.ap_id,
        });
        let undo = json!({"type": "Undo", "actor": voter.ap_id, "object": inner, "to": [PUBLIC], "cc": [group.ap_id], "audience": group.ap_id});
        data.db
            .run(move |c| queries::posts::set_vote(c, pid, vid, 0, None))
            .await?;
        publish(data, voter, &group, undo, vec![]).await?;
    }
    if value != 0 {
        let (row_id, id) =
            outbox::new_activity_id(data, if value > 0 { "Like" } else { "Dislike" });
        let activity = json!({
            "id": id,
            "type": if value > 0 { "Like" } else { "Dislike" },
            "actor": voter.ap_id,
            "object": post.ap_id,
            "to": [PUBLIC],
            "cc": [group.ap_id],
            "audience": group.ap_id,
        });
        let vote_id = id.clone();
        data.db
            .run(move |c| queries::posts::set_vote(c, pid, vid, value.signum(), Some(&vote_id)))
            .await?;
        publish_as(data, row_id, voter, &group, activity, vec![]).await?;
    }
    Ok(())
}

/// Whether `actor` may choose the accepted answer of `question`: its author, a moderator
/// of its group, an admin or staff member of the group's home instance.
pub async fn may_accept(data: &Ctx, actor: &Actor, question: &Post) -> AppResult<bool> {
    if question.author_id == actor.id {
        return Ok(true);
    }
    let (gid, aid) = (question.group_id.unwrap_or(0), actor.id);
    data.db
        .run(move |c| {
            if queries::groups::is_moderator(c, gid, aid)? {
                return Ok(true);
            }
            let group_local = queries::actors::by_id(c, gid)?.is_some_and(|g| g.local);
            Ok(group_local
                && queries::users::by_actor_id(c, aid)?.is_some_and(|u| u.is_admin || u.is_staff))
        })
        .await
}

/// Marks `answer` as the accepted answer of `question` (or clears it with `None`).
/// Federates as PieFed-compatible `ChooseAnswer` / `Undo{ChooseAnswer}`.
pub async fn accept(
    data: &Ctx,
    actor: &Actor,
    question: &Post,
    answer: Option<&Post>,
) -> AppResult<()> {
    if !question.is_question() {
        return Err(AppError::BadRequest(
            "only questions have accepted answers".into(),
        ));
    }
    if !may_accept(data, actor, question).await? {
        return Err(AppError::Forbidden(
            "only the asker, the group's moderators and staff can accept an answer".into(),
        ));
    }
    if let Some(a) = answer {
        if a.question_id != Some(question.id) || a.kind != crate::db::models::ANSWER || !a.visible()
        {
            return Err(AppError::BadRequest(
                "that is not an answer to this question".into(),
            ));
        }
    }
    let group = group_of(data, question).await?;
    let previous = question.accepted_answer_id;
    let (qid, aid) = (question.id, answer.map(|a| a.id));
    data.db
        .run(move |c| queries::posts::set_accepted(c, qid, aid))
        .await?;
    let activity = match answer {
        Some(a) => json!({
            "type": "ChooseAnswer",
            "actor": actor.ap_id,
            "object": a.ap_id,
            "target": question.ap_id,
            "to": [PUBLIC],
            "cc": [group.ap_id],
            "audience": group.ap_id,
        }),
        None => {
            let Some(prev) = previous else { return Ok(()) };
            let prev = data
                .db
                .run(move |c| queries::posts::by_id(c, prev))
                .await?
                .ok_or_else(|| AppError::NotFound("previous answer not found".into()))?;
            json!({
                "type": "Undo",
                "actor": actor.ap_id,
                "object": {"type": "ChooseAnswer", "actor": actor.ap_id, "object": prev.ap_id, "target": question.ap_id},
                "to": [PUBLIC],
                "cc": [group.ap_id],
                "audience": group.ap_id,
            })
        }
    };
    publish(data, actor, &group, activity, vec![]).await
}

/// Looks a post up by URL, fetching it (and its parents) when unknown.
pub async fn resolve_post(data: &Ctx, url: &str) -> AppResult<Post> {
    Ok(
        activitypub_federation::fetch::object_id::ObjectId::<FedPost>::from(url::Url::parse(url)?)
            .dereference(data)
            .await?
            .0,
    )
}
