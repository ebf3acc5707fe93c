//! Moderation that crosses instances: reports (`Flag`) out and in, removals
//! (`Delete`/`Undo{Delete}` by a moderator), locks (`Lock`), bans (`Block` with `target`
//! group), moderators and featured posts (`Add`/`Remove`), all in the shapes Lemmy uses,
//! announced by the group to its followers.
//!
//! A moderator's action is accepted when the group is hosted here and the actor is in its
//! moderators list, or when the group itself announces it (its home instance vouches).

use super::inbox::{id_of, object_id};
use super::posts::ids;
use super::qa::{announce, group_of, publish};
use super::qa_inbox::Origin;
use super::{outbox, Ctx, PUBLIC};
use crate::db::models::{Actor, Post, Report};
use crate::db::queries::moderation::{self as mq, LogEntry};
use crate::db::{ids::new_id, now_ms, queries};
use crate::error::{AppError, AppResult};
use serde_json::{json, Value};

/// Whether `actor` moderates `group`: listed moderator, or admin of the group's home.
pub async fn is_moderator(data: &Ctx, group: &Actor, actor: &Actor) -> AppResult<bool> {
    let (gid, aid, local) = (group.id, actor.id, group.local);
    data.db
        .run(move |c| {
            Ok(queries::groups::is_moderator(c, gid, aid)?
                || (local && queries::users::by_actor_id(c, aid)?.is_some_and(|u| u.is_admin)))
        })
        .await
}

async fn require_moderator(data: &Ctx, group: &Actor, actor: &Actor) -> AppResult<()> {
    if is_moderator(data, group, actor).await? {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only the group's moderators can do this".into(),
        ))
    }
}

async fn log(
    data: &Ctx,
    group: Option<i64>,
    moderator: Option<i64>,
    action: &'static str,
    target: Option<i64>,
    post: Option<i64>,
    reason: &str,
) -> AppResult<()> {
    let reason = reason.to_string();
    data.db
        .run(move |c| {
            mq::log(
                c,
                LogEntry {
                    group_id: group,
                    moderator_id: moderator,
                    action,
                    target_actor_id: target,
                    post_id: post,
                    domain: None,
                    reason: &reason,
                },
            )
        })
        .await
}

/// Removes (or restores) a post from its group.
pub async fn remove(
    data: &Ctx,
    moderator: &Actor,
    post: &Post,
    reason: &str,
    restore: bool,
) -> AppResult<()> {
    let group = group_of(data, post).await?;
    require_moderator(data, &group, moderator).await?;
    // Applied here at once; for a remote group its home applies and announces it too.
    {
        let pid = post.id;
        data.db
            .run(move |c| mq::set_removed(c, pid, !restore))
            .await?;
        log(
            data,
            Some(group.id),
            Some(moderator.id),
            if restore { "restore" } else { "remove" },
            Some(post.author_id),
            Some(post.id),
            reason,
        )
        .await?;
    }
    let delete = json!({
        "type": "Delete", "actor": moderator.ap_id, "object": post.ap_id, "summary": reason,
        "to": [PUBLIC], "cc": [group.ap_id], "audience": group.ap_id,
    });
    let activity = if restore {
        json!({"type": "Undo", "actor": moderator.ap_id, "object": delete, "to": [PUBLIC], "cc": [group.ap_id], "audience": group.ap_id})
    } else {
        delete
    };
    publish(data, moderator, &group, activity, vec![]).await
}

/// Locks (or unlocks) a question against new answers.
pub async fn lock(
    data: &Ctx,
    moderator: &Actor,
    question: &Post,
    locked: bool,
    reason: &str,
) -> AppResult<()> {
    if !question.is_question() {
        return Err(AppError::BadRequest("only questions can be locked".into()));
    }
    let group = group_of(data, question).await?;
    require_moderator(data, &group, moderator).await?;
    {
        let pid = question.id;
        data.db.run(move |c| mq::set_locked(c, pid, locked)).await?;
        log(
            data,
            Some(group.id),
            Some(moderator.id),
            if locked { "lock" } else { "unlock" },
            None,
            Some(question.id),
            reason,
        )
        .await?;
    }
    let lock = json!({"type": "Lock", "actor": moderator.ap_id, "object": question.ap_id, "summary": reason, "to": [PUBLIC], "cc": [group.ap_id], "audience": group.ap_id});
    let activity = if locked {
        lock
    } else {
        json!({"type": "Undo", "actor": moderator.ap_id, "object": lock, "to": [PUBLIC], "cc": [group.ap_id], "audience": group.ap_id})
    };
    publish(data, moderator, &group, activity, vec![]).await
}

/// A ban to impose; `remove_data` also removes the actor's posts in the group.
#[derive(Default)]
pub struct Ban<'a> {
    pub reason: &'a str,
    pub expires_at: Option<i64>,
    pub remove_data: bool,
}

/// Bans `target` from `group` (`Some`), or lifts the ban (`None`).
pub async fn ban(
    data: &Ctx,
    moderator: &Actor,
    group: &Actor,
    target: &Actor,
    ban: Option<Ban<'_>>,
) -> AppResult<()> {
    require_moderator(data, group, moderator).await?;
    let lift = ban.is_none();
    let Ban {
        reason,
        expires_at,
        remove_data,
    } = ban.unwrap_or_default();
    let (gid, tid, r) = (group.id, target.id, reason.to_string());
    data.db
        .run(move |c| {
            if lift {
                queries::groups::unban(c, gid, tid)?;
            } else {
                queries::groups::ban(c, gid, tid, &r, expires_at)?;
                queries::follows::delete(c, tid, gid)?;
                if remove_data {
                    mq::remove_posts_of(c, tid, Some(gid))?;
                }
            }
            Ok(())
        })
        .await?;
    log(
        data,
        Some(group.id),
        Some(moderator.id),
        if lift { "unban" } else { "ban" },
        Some(target.id),
        None,
        reason,
    )
    .await?;
    let mut block = json!({
        "type": "Block", "actor": moderator.ap_id, "object": target.ap_id, "target": group.ap_id,
        "summary": reason, "removeData": remove_data, "to": [PUBLIC], "cc": [group.ap_id], "audience": group.ap_id,
    });
    if let Some(e) = expires_at {
        block["expires"] = json!(super::timestamps::ap_time(e));
    }
    let activity = if lift {
        json!({"type": "Undo", "actor": moderator.ap_id, "object": block, "to": [PUBLIC], "cc": [group.ap_id], "audience": group.ap_id})
    } else {
        block
    };
    publish(data, moderator, group, activity, vec![]).await
}

/// Adds or removes a group moderator (`Add`/`Remove` on the moderators collection).
pub async fn set_moderator(
    data: &Ctx,
    moderator: &Actor,
    group: &Actor,
    target: &Actor,
    add: bool,
) -> AppResult<()> {
    require_moderator(data, group, moderator).await?;
    let (gid, tid) = (group.id, target.id);
    data.db
        .run(move |c| {
            if add {
                queries::groups::add_moderator(c, gid, tid)
            } else {
                queries::groups::remove_moderator(c, gid, tid).map(|_| ())
            }
        })
        .await?;
    log(
        data,
        Some(group.id),
        Some(moderator.id),
        if add {
            "add_moderator"
        } else {
            "remove_moderator"
        },
        Some(target.id),
        None,
        "",
    )
    .await?;
    let activity = json!({
        "type": if add { "Add" } else { "Remove" }, "actor": moderator.ap_id, "object": target.ap_id,
        "target": format!("{}/moderators", group.ap_id), "to": [PUBLIC], "cc": [group.ap_id], "audience": group.ap_id,
    });
    publish(data, moderator, group, activity, vec![]).await
}

/// Features (or unfeatures) a question in its group.
pub async fn feature(
    data: &Ctx,
    moderator: &Actor,
    question: &Post,
    featured: bool,
) -> AppResult<()> {
    let group = group_of(data, question).await?;
    require_moderator(data, &group, moderator).await?;
    let pid = question.id;
    data.db
        .run(move |c| mq::set_featured(c, pid, featured))
        .await?;
    log(
        data,
        Some(group.id),
        Some(moderator.id),
        if featured { "feature" } else { "unfeature" },
        None,
        Some(question.id),
        "",
    )
    .await?;
    let activity = json!({
        "type": if featured { "Add" } else { "Remove" }, "actor": moderator.ap_id, "object": question.ap_id,
        "target": format!("{}/featured", group.ap_id), "to": [PUBLIC], "cc": [group.ap_id], "audience": group.ap_id,
    });
    publish(data, moderator, &group, activity, vec![]).await
}

/// Files a report. It lands in the queue of the group (when hosted here) or of this
/// instance, and a `Flag` goes to the group's home and the author's home when they are
/// elsewhere: from the instance actor when `anonymous` (as Mastodon does), else from the
/// reporter.
pub async fn report(
    data: &Ctx,
    reporter: &Actor,
    post: Option<&Post>,
    target: Option<&Actor>,
    reason: &str,
    anonymous: bool,
) -> AppResult<bool> {
    if reason.trim().is_empty() || reason.len() > 2000 {
        return Err(AppError::BadRequest(
            "a report needs a reason of at most 2000 bytes".into(),
        ));
    }
    let group = match post {
        Some(p) => Some(group_of(data, p).await?),
        None => None,
    };
    let author = match (post, target) {
        (_, Some(t)) => t.clone(),
        (Some(p), None) => {
            let aid = p.author_id;
            data.db
                .run(move |c| queries::actors::by_id(c, aid))
                .await?
                .ok_or_else(|| AppError::NotFound("author not found".into()))?
        }
        (None, None) => return Err(AppError::BadRequest("report a post or a user".into())),
    };
    let row = Report {
        id: new_id(),
        ap_id: None,
        reporter_id: reporter.id,
        reporter_domain: reporter.domain.clone(),
        group_id: group.as_ref().filter(|g| g.local).map(|g| g.id),
        target_actor_id: Some(author.id),
        post_id: post.map(|p| p.id),
        reason: reason.to_string(),
        status: "open".into(),
        resolution_note: None,
        resolved_by: None,
        resolved_at: None,
        created_at: now_ms(),
    };
    let fresh = data.db.run(move |c| mq::insert_report(c, &row)).await?;
    if !fresh {
        return Ok(false);
    }
    let sender = if anonymous {
        data.instance_actor.row.clone()
    } else {
        reporter.clone()
    };
    let object = post
        .map(|p| p.ap_id.clone())
        .unwrap_or_else(|| author.ap_id.clone());
    if let Some(g) = group.as_ref().filter(|g| !g.local) {
        // Lemmy's shape: one object, the group in `to`, the reason in `summary`.
        let (row, id) = outbox::new_activity_id(data, "Flag");
        let flag = json!({"id": id, "type": "Flag", "actor": sender.ap_id, "object": object, "to": [g.ap_id], "summary": reason, "content": reason, "audience": g.ap_id});
        outbox::send(data, row, &sender, flag, vec![g.inbox.clone()], false).await?;
    }
    if !author.local && group.as_ref().is_none_or(|g| g.domain != author.domain) {
        // Mastodon's shape: the account and the statuses, the reason in `content`.
        let mut objects = vec![json!(author.ap_id)];
        if let Some(p) = post {
            objects.push(json!(p.ap_id));
        }
        let (row, id) = outbox::new_activity_id(data, "Flag");
        let flag = json!({"id": id, "type": "Flag", "actor": sender.ap_id, "object": objects, "content": reason, "summary": reason});
        outbox::send(
            data,
            row,
            &sender,
            flag,
            vec![author.delivery_inbox().to_string()],
            false,
        )
        .await?;
    }
    Ok(true)
}

/// An incoming `Flag` (Mastodon, Lemmy, Misskey, peerdesk shapes).
pub async fn on_flag(data: &Ctx, reporter: &Actor, activity: &Value) -> AppResult<()> {
    let reason = ["summary", "content"]
        .iter()
        .filter_map(|k| activity.get(*k).and_then(Value::as_str))
        .find(|s| !s.is_empty())
        .unwrap_or("(no reason given)")
        .chars()
        .take(2000)
        .collect::<String>();
    let mut post = None;
    let mut target = None;
    for id in ids(activity.get("object")) {
        let i2 = id.clone();
        let (p, a) = data
            .db
            .run(move |c| {
                Ok((
                    queries::posts::by_ap_id(c, &i2)?,
                    queries::actors::by_ap_id(c, &i2)?,
                ))
            })
            .await?;
        if p.is_some() && post.is_none() {
            post = p;
        } else if a.is_some() && target.is_none() {
            target = a;
        }
    }
    if post.is_none() && target.is_none() {
        tracing::info!("Flag about nothing known here ignored");
        return Ok(());
    }
    let group = match &post {
        Some(p) => Some(group_of(data, p).await?),
        None => None,
    };
    let row = Report {
        id: new_id(),
        ap_id: activity
            .get("id")
            .and_then(Value::as_str)
            .map(str::to_string),
        reporter_id: reporter.id,
        reporter_domain: reporter.domain.clone(),
        group_id: group.filter(|g| g.local).map(|g| g.id),
        target_actor_id: target
            .as_ref()
            .map(|a| a.id)
            .or(post.as_ref().map(|p| p.author_id)),
        post_id: post.map(|p| p.id),
        reason,
        status: "open".into(),
        resolution_note: None,
        resolved_by: None,
        resolved_at: None,
        created_at: now_ms(),
    };
    data.db.run(move |c| mq::insert_report(c, &row)).await?;
    Ok(())
}

/// Whether a moderator action on something in `group` from `origin` is to be trusted.
async fn trusted_moderator(data: &Ctx, origin: &Origin<'_>, group: &Actor) -> AppResult<bool> {
    match origin.via {
        Some(via) => Ok(via.id == group.id),
        None => Ok(group.local && is_moderator(data, group, origin.actor).await?),
    }
}

/// A `Delete` of someone else's post: a moderator's removal. Returns false if not allowed.
pub async fn on_removal(
    data: &Ctx,
    origin: &Origin<'_>,
    post: &Post,
    activity: &Value,
    restore: bool,
) -> AppResult<bool> {
    let group = group_of(data, post).await?;
    if !trusted_moderator(data, origin, &group).await? {
        return Ok(false);
    }
    let pid = post.id;
    data.db
        .run(move |c| mq::set_removed(c, pid, !restore))
        .await?;
    let reason = activity
        .get("summary")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    log(
        data,
        Some(group.id),
        Some(origin.actor.id),
        if restore { "restore" } else { "remove" },
        Some(post.author_id),
        Some(post.id),
        &reason,
    )
    .await?;
    if origin.via.is_none() {
        announce(data, &group, activity, Some(&origin.actor.domain)).await?;
    }
    Ok(true)
}

/// `Lock`, `Block`, `Add` and `Remove` from moderators (and their `Undo`).
/// `outer` is what was received (the `Undo` itself for an undo), `activity` the action.
pub async fn on_moderation(
    data: &Ctx,
    origin: &Origin<'_>,
    outer: &Value,
    activity: &Value,
    undo: bool,
) -> AppResult<()> {
    let kind = activity
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let object = object_id(activity);
    let target = activity
        .get("target")
        .and_then(id_of)
        .unwrap_or_default()
        .to_string();
    let reason = activity
        .get("summary")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    // The group concerned: the lock's question's group, the ban's target, the collection's owner.
    let group_url = match kind {
        "Lock" => None,
        "Block" => Some(target.clone()),
        _ => Some(
            target
                .trim_end_matches("/moderators")
                .trim_end_matches("/featured")
                .to_string(),
        ),
    };
    let (group, post) = match group_url {
        Some(u) => {
            let g = data
                .db
                .run(move |c| queries::actors::by_ap_id(c, &u))
                .await?
                .filter(|g| g.is_group());
            let o = object.clone();
            let p = data
                .db
                .run(move |c| queries::posts::by_ap_id(c, &o))
                .await?;
            (g, p)
        }
        None => {
            let o = object.clone();
            let p = data
                .db
                .run(move |c| queries::posts::by_ap_id(c, &o))
                .await?;
            (
                match &p {
                    Some(p) => Some(group_of(data, p).await?),
                    None => None,
                },
                p,
            )
        }
    };
    let Some(group) = group else {
        tracing::info!(kind, "moderation activity for an unknown group ignored");
        return Ok(());
    };
    if !trusted_moderator(data, origin, &group).await? {
        return Err(AppError::Forbidden(
            "only the group's moderators can do this".into(),
        ));
    }
    let gid = group.id;
    let action: &'static str = match (kind, undo) {
        ("Lock", _) => {
            let p = post.ok_or_else(|| AppError::NotFound("unknown question".into()))?;
            let pid = p.id;
            data.db.run(move |c| mq::set_locked(c, pid, !undo)).await?;
            if undo {
                "unlock"
            } else {
                "lock"
            }
        }
        ("Block", _) => {
            let actor = super::posts::actor_by_url(data, &object).await?;
            let aid = actor.id;
            let remove_data = activity
                .get("removeData")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let expires = activity
                .get("expires")
                .and_then(Value::as_str)
                .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
                .map(|d| d.timestamp_millis());
            let r2 = reason.clone();
            data.db
                .run(move |c| {
                    if undo {
                        queries::groups::unban(c, gid, aid)?;
                    } else {
                        queries::groups::ban(c, gid, aid, &r2, expires)?;
                        queries::follows::delete(c, aid, gid)?;
                        if remove_data {
                            mq::remove_posts_of(c, aid, Some(gid))?;
                        }
                    }
                    Ok(())
                })
                .await?;
            if undo {
                "unban"
            } else {
                "ban"
            }
        }
        ("Add" | "Remove", _) if target.ends_with("/featured") => {
            let p = post.ok_or_else(|| AppError::NotFound("unknown question".into()))?;
            let (pid, on) = (p.id, (kind == "Add") != undo);
            data.db.run(move |c| mq::set_featured(c, pid, on)).await?;
            if on {
                "feature"
            } else {
                "unfeature"
            }
        }
        ("Add" | "Remove", _) => {
            let actor = super::posts::actor_by_url(data, &object).await?;
            let (aid, on) = (actor.id, (kind == "Add") != undo);
            data.db
                .run(move |c| {
                    if on {
                        queries::groups::add_moderator(c, gid, aid)
                    } else {
                        queries::groups::remove_moderator(c, gid, aid).map(|_| ())
                    }
                })
                .await?;
            if on {
                "add_moderator"
            } else {
                "remove_moderator"
            }
        }
        _ => return Ok(()),
    };
    log(
        data,
        Some(gid),
        Some(origin.actor.id),
        action,
        None,
        None,
        &reason,
    )
    .await?;
    if origin.via.is_none() && group.local {
        announce(data, &group, outer, Some(&origin.actor.domain)).await?;
    }
    Ok(())
}
