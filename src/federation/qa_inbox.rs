//! Received Q&A activities: `Create`, `Update`, `Delete` of posts, `Like`/`Dislike`,
//! `ChooseAnswer`, their `Undo`s, and groups' `Announce`s of all of these.
//!
//! Trust: an activity sent directly must come from the author of what it touches (the
//! inbox verified the signature). An activity announced by a group is trusted as far as
//! the group's server can vouch for it: objects from a third server are fetched from their
//! origin rather than taken from the announcement, and votes and accepted answers are
//! only taken for posts in that group.

use super::inbox::{id_of, object_id};
use super::objects::domain_of;
use super::posts::{ids, post_by_url, store_remote, ApObject};
use super::qa;
use crate::db::models::{Actor, Post};
use crate::db::{now_ms, queries};
use crate::domain::posts::{derive_title, html_to_text, normalize_tags, search_text};
use crate::domain::text::sanitize_html;
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use serde_json::Value;

/// Who sent an activity: its actor, and the group that announced it, if any.
pub struct Origin<'a> {
    pub actor: &'a Actor,
    pub via: Option<&'a Actor>,
}

fn same_server(a: &str, b: &str) -> bool {
    domain_of(a).is_some() && domain_of(a) == domain_of(b)
}

async fn post_by_id(data: &Ctx, ap_id: &str) -> AppResult<Option<Post>> {
    let id = ap_id.to_string();
    data.db.run(move |c| queries::posts::by_ap_id(c, &id)).await
}

/// Re-announces an activity received directly by a group hosted here.
async fn relay(data: &Ctx, origin: &Origin<'_>, post: &Post, activity: &Value) -> AppResult<()> {
    if origin.via.is_some() {
        return Ok(());
    }
    let group = qa::group_of(data, post).await?;
    if group.local && !super::policy::silenced(data, &origin.actor.domain).await? {
        qa::announce(data, &group, activity, Some(&origin.actor.domain)).await?;
    }
    Ok(())
}

pub async fn on_create(data: &Ctx, origin: &Origin<'_>, activity: &Value) -> AppResult<()> {
    let object = activity.get("object").cloned().unwrap_or(Value::Null);
    let object_id = id_of(&object).unwrap_or_default().to_string();
    if object_id.is_empty() {
        return Err(AppError::Invalid("Create without object".into()));
    }
    if post_by_id(data, &object_id).await?.is_some() {
        return Ok(()); // already stored (and announced)
    }
    let trusted_embed = object.is_object()
        && match origin.via {
            None => same_server(&object_id, &origin.actor.ap_id),
            Some(group) => same_server(&object_id, &group.ap_id),
        };
    let post = if trusted_embed {
        let obj: ApObject = serde_json::from_value(object).map_err(AppError::json_input)?;
        if origin.via.is_none() && !ids(obj.rest.get("attributedTo")).contains(&origin.actor.ap_id)
        {
            return Err(AppError::Forbidden(
                "an actor can only create its own objects".into(),
            ));
        }
        store_remote(data, obj).await?
    } else {
        // Take it from its origin rather than from whoever forwarded it.
        match post_by_url(data, &object_id).await {
            Ok(p) => Some(p),
            Err(e) if !e.is_transient() => {
                tracing::info!(%object_id, "created object cannot be had: {e}");
                None
            }
            Err(e) => return Err(e),
        }
    };
    match post {
        Some(p) => relay(data, origin, &p, activity).await,
        None => Ok(()),
    }
}

pub async fn on_update(data: &Ctx, origin: &Origin<'_>, activity: &Value) -> AppResult<()> {
    let object = activity.get("object").cloned().unwrap_or(Value::Null);
    let object_id = id_of(&object).unwrap_or_default().to_string();
    let Some(post) = post_by_id(data, &object_id).await? else {
        // An edit of something we never saw: take it as new.
        return on_create(data, origin, activity).await;
    };
    let author_ok = {
        let aid = post.author_id;
        data.db
            .run(move |c| queries::actors::by_id(c, aid))
            .await?
            .is_some_and(|a| a.ap_id == origin.actor.ap_id)
    };
    if !author_ok || post.local {
        return Err(AppError::Forbidden(
            "only the author's server can edit a post".into(),
        ));
    }
    if post.deleted {
        tracing::info!(%object_id, "ignoring an Update of a deleted post");
        return Ok(());
    }
    if post.removed {
        return Err(AppError::Forbidden(
            "a moderator removed this post; it cannot be edited".into(),
        ));
    }
    let obj: ApObject = match origin.via {
        Some(group) if !same_server(&object_id, &group.ap_id) => {
            let url = url::Url::parse(&object_id)?;
            let fetched =
                activitypub_federation::fetch::fetch_object_http::<_, ApObject>(&url, data).await?;
            if fetched.object.id.as_str() != object_id {
                return Err(AppError::Invalid("fetched object has another id".into()));
            }
            crate::domain::input::strip_nul_typed(fetched.object)
        }
        _ => serde_json::from_value(object).map_err(AppError::json_input)?,
    };
    let content = sanitize_html(
        obj.rest
            .get("content")
            .and_then(Value::as_str)
            .unwrap_or_default(),
    );
    let title = post.title.as_ref().map(|old| {
        obj.rest
            .get("name")
            .and_then(Value::as_str)
            .map(html_to_text)
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| {
                if old.is_empty() {
                    derive_title(&html_to_text(&content))
                } else {
                    old.clone()
                }
            })
    });
    let tags: Vec<String> = obj
        .rest
        .get("tag")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|t| t.get("type").and_then(Value::as_str) == Some("Hashtag"))
        .filter_map(|t| t.get("name").and_then(Value::as_str).map(str::to_string))
        .collect();
    let rev = queries::posts::Revision {
        search_text: search_text(title.as_deref(), &content),
        title,
        source_md: obj
            .rest
            .get("source")
            .and_then(|s| s.get("content"))
            .and_then(Value::as_str)
            .map(str::to_string),
        content_html: content,
        tags: normalize_tags(tags),
        updated_at: now_ms(),
    };
    let p = post.clone();
    data.db
        .run(move |c| queries::posts::update_content(c, &p, rev))
        .await?;
    relay(data, origin, &post, activity).await
}

/// Deletes a post. Returns false when the object is not a known post.
pub async fn on_delete(data: &Ctx, origin: &Origin<'_>, activity: &Value) -> AppResult<bool> {
    let object_id = object_id(activity);
    let Some(post) = post_by_id(data, &object_id).await? else {
        return Ok(false);
    };
    let author = {
        let aid = post.author_id;
        data.db.run(move |c| queries::actors::by_id(c, aid)).await?
    };
    if post.local || author.map(|a| a.ap_id) != Some(origin.actor.ap_id.clone()) {
        // Not the author: a moderator's removal, or refused.
        if super::moderation::on_removal(data, origin, &post, activity, false).await? {
            return Ok(true);
        }
        return Err(AppError::Forbidden(
            "only the author or the group's moderators can delete a post".into(),
        ));
    }
    if let Some(group) = origin.via {
        if post.group_id != Some(group.id) {
            return Err(AppError::Forbidden(
                "that post is not in the announcing group".into(),
            ));
        }
    }
    let p = post.clone();
    data.db
        .run(move |c| queries::posts::mark_deleted(c, &p))
        .await?;
    relay(data, origin, &post, activity).await?;
    Ok(true)
}

async fn voted_post(data: &Ctx, origin: &Origin<'_>, object_id: &str) -> AppResult<Option<Post>> {
    let post = match post_by_id(data, object_id).await? {
        Some(p) => p,
        None => match post_by_url(data, object_id).await {
            Ok(p) => p,
            Err(e) => {
                tracing::debug!(object_id, "vote on an unknown object ignored: {e}");
                return Ok(None);
            }
        },
    };
    if let Some(group) = origin.via {
        if post.group_id != Some(group.id) {
            return Err(AppError::Forbidden(
                "that post is not in the announcing group".into(),
            ));
        }
    }
    Ok(Some(post))
}

pub async fn on_vote(
    data: &Ctx,
    origin: &Origin<'_>,
    activity: &Value,
    value: i32,
) -> AppResult<()> {
    let object_id = object_id(activity);
    let Some(post) = voted_post(data, origin, &object_id).await? else {
        return Ok(());
    };
    if post.deleted || post.removed {
        return Ok(());
    }
    let (pid, aid) = (post.id, origin.actor.id);
    if let Some(gid) = post.group_id {
        if data
            .db
            .run(move |c| crate::actions::rules::is_banned(c, gid, aid))
            .await?
        {
            return Err(AppError::Forbidden(
                "the voter is banned from this group".into(),
            ));
        }
    }
    let vote_id = activity
        .get("id")
        .and_then(Value::as_str)
        .map(str::to_string);
    let changed = data
        .db
        .run(move |c| queries::posts::set_vote(c, pid, aid, value, vote_id.as_deref()))
        .await?;
    if changed {
        relay(data, origin, &post, activity).await?;
    }
    Ok(())
}

pub async fn on_undo_vote(
    data: &Ctx,
    origin: &Origin<'_>,
    activity: &Value,
    inner: &Value,
) -> AppResult<()> {
    let object_id = object_id(inner);
    let Some(post) = voted_post(data, origin, &object_id).await? else {
        return Ok(());
    };
    let (pid, aid) = (post.id, origin.actor.id);
    let changed = data
        .db
        .run(move |c| queries::posts::set_vote(c, pid, aid, 0, None))
        .await?;
    if changed {
        relay(data, origin, &post, activity).await?;
    }
    Ok(())
}

async fn chosen(data: &Ctx, origin: &Origin<'_>, answer_id: &str) -> AppResult<(Post, Post)> {
    let answer = match post_by_id(data, answer_id).await? {
        Some(p) => p,
        None => post_by_url(data, answer_id).await?,
    };
    if answer.kind != crate::db::models::ANSWER || !answer.visible() {
        return Err(AppError::Invalid(
            "ChooseAnswer object is not an answer".into(),
        ));
    }
    let qid = answer
        .question_id
        .ok_or_else(|| AppError::Invalid("ChooseAnswer object is not an answer".into()))?;
    let question = data
        .db
        .run(move |c| queries::posts::by_id(c, qid))
        .await?
        .ok_or_else(|| AppError::NotFound("question not found".into()))?;
    let allowed = match origin.via {
        Some(group) => question.group_id == Some(group.id),
        None => qa::may_accept(data, origin.actor, &question).await?,
    };
    if !allowed {
        return Err(AppError::Forbidden(
            "only the asker or the group's moderators can accept an answer".into(),
        ));
    }
    Ok((question, answer))
}

pub async fn on_choose_answer(data: &Ctx, origin: &Origin<'_>, activity: &Value) -> AppResult<()> {
    let answer_id = object_id(activity);
    let (question, answer) = chosen(data, origin, &answer_id).await?;
    if question.accepted_answer_id != Some(answer.id) {
        let (qid, aid) = (question.id, answer.id);
        data.db
            .run(move |c| queries::posts::set_accepted(c, qid, Some(aid)))
            .await?;
        relay(data, origin, &question, activity).await?;
    }
    Ok(())
}

pub async fn on_undo_choose_answer(
    data: &Ctx,
    origin: &Origin<'_>,
    activity: &Value,
    inner: &Value,
) -> AppResult<()> {
    let answer_id = object_id(inner);
    let (question, answer) = chosen(data, origin, &answer_id).await?;
    if question.accepted_answer_id == Some(answer.id) {
        let qid = question.id;
        data.db
            .run(move |c| queries::posts::set_accepted(c, qid, None))
            .await?;
        relay(data, origin, &question, activity).await?;
    }
    Ok(())
}
