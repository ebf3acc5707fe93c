//! Received Q&A activities: `Create`, `Update`, `Delete` of posts, `Like`/`Dislike`,
//! `ChooseAnswer`, their `Undo`s, and groups' `Announce`s of all of these.
//!
//! Trust: an activity sent directly must come from the author of what it touches (the
//! inbox verified the signature). An activity announced by a group is trusted as far as
//! the group's server can vouch for it: objects from a third server are fetched from their
//! origin rather than taken from the announcement, and votes and accepted answers are
//! only taken for posts in that group.

use super::incoming::post_by_url;
use super::incoming::{self, Incoming, Prepared};
use super::posts::ApObject;
use super::qa;
use super::relay::{self, Origin};
use super::wire::domain_of;
use super::wire::ids;
use super::wire::{id_of, object_id};
use crate::db::models::Post;
use crate::db::{now_ms, queries};
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use serde_json::Value;

fn same_server(a: &str, b: &str) -> bool {
    domain_of(a).is_some() && domain_of(a) == domain_of(b)
}

async fn post_by_id(data: &Ctx, ap_id: &str) -> AppResult<Option<Post>> {
    let id = ap_id.to_string();
    data.db.run(move |c| queries::posts::by_ap_id(c, &id)).await
}

/// An object as its own server serves it, rather than as whoever forwarded it says.
async fn fetch_object(data: &Ctx, object_id: &str) -> AppResult<ApObject> {
    let url = url::Url::parse(object_id)?;
    let fetched =
        activitypub_federation::fetch::fetch_object_http::<_, ApObject>(&url, data).await?;
    if fetched.object.id.as_str() != object_id {
        return Err(AppError::Invalid("fetched object has another id".into()));
    }
    Ok(crate::domain::input::strip_nul_typed(fetched.object))
}

/// A new post: stored, and announced by its group when the group is hosted here, in one
/// transaction (see [`relay`]).
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
    let obj = if trusted_embed {
        let obj: ApObject = serde_json::from_value(object).map_err(AppError::json_input)?;
        if origin.via.is_none() && !ids(obj.rest.get("attributedTo")).contains(&origin.actor.ap_id)
        {
            return Err(AppError::Forbidden(
                "an actor can only create its own objects".into(),
            ));
        }
        obj
    } else {
        // Take it from its origin rather than from whoever forwarded it.
        match fetch_object(data, &object_id).await {
            Ok(obj) => obj,
            Err(e) if !e.is_transient() => {
                tracing::info!(%object_id, "created object cannot be had: {e}");
                return Ok(());
            }
            Err(e) => return Err(e),
        }
    };
    let Prepared::New(admitted) = incoming::prepare(data, obj).await? else {
        return Ok(());
    };
    let incoming::Admitted {
        post,
        group,
        context,
        ..
    } = *admitted;
    let rows = relay::plan(data, origin, &group, activity).await?;
    let app = (**data).clone();
    let awards = relay::commit(data, rows, move |c| {
        let contexts: Vec<_> = context.into_iter().collect();
        let (new, awards) = incoming::insert(c, &app, std::slice::from_ref(&post), &contexts)?;
        queries::posts::bump_questions(c, &new)?;
        // Stored meanwhile under another activity: announced with that one.
        let fresh = !new.is_empty();
        Ok((awards, fresh))
    })
    .await?;
    data.badges.remember(awards);
    Ok(())
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
            fetch_object(data, &object_id).await?
        }
        _ => serde_json::from_value(object).map_err(AppError::json_input)?,
    };
    let Some(inc) = Incoming::read(&obj)? else {
        tracing::info!(%object_id, "ignoring an Update into an object peerdesk does not keep");
        return Ok(());
    };
    let rev = inc.revision(post.title.as_deref(), now_ms());
    let rows = relay::plan_for(data, origin, &post, activity).await?;
    relay::commit(data, rows, move |c| {
        queries::posts::update_content(c, &post, rev)?;
        Ok(((), true))
    })
    .await
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
    let rows = relay::plan_for(data, origin, &post, activity).await?;
    relay::commit(data, rows, move |c| {
        queries::posts::mark_deleted(c, &post)?;
        Ok(((), true))
    })
    .await?;
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
    let rows = relay::plan_for(data, origin, &post, activity).await?;
    relay::commit(data, rows, move |c| {
        let changed = queries::posts::set_vote(c, pid, aid, value, vote_id.as_deref())?;
        Ok(((), changed))
    })
    .await
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
    let rows = relay::plan_for(data, origin, &post, activity).await?;
    relay::commit(data, rows, move |c| {
        Ok(((), queries::posts::set_vote(c, pid, aid, 0, None)?))
    })
    .await
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
        let rows = relay::plan_for(data, origin, &question, activity).await?;
        relay::commit(data, rows, move |c| {
            queries::posts::set_accepted(c, qid, Some(aid))?;
            Ok(((), true))
        })
        .await?;
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
        let rows = relay::plan_for(data, origin, &question, activity).await?;
        relay::commit(data, rows, move |c| {
            queries::posts::set_accepted(c, qid, None)?;
            Ok(((), true))
        })
        .await?;
    }
    Ok(())
}
