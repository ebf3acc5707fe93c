//! Moderation arriving from other instances: reports (`Flag`), removals
//! (`Delete`/`Undo{Delete}` by a moderator), locks (`Lock`), bans (`Block` with `target`
//! group), moderators and featured posts (`Add`/`Remove`), all in the shapes Lemmy uses,
//! announced by the group to its followers. Local moderators' actions are in
//! [`crate::actions::moderation`]; the rules are [`crate::actions::rules`].
//!
//! A moderator's action is accepted when the group is hosted here and the actor is in its
//! moderators list, or when the group itself announces it (its home instance vouches).

use super::inbox::{id_of, object_id};
use super::posts::ids;
use super::qa::{announce, group_of};
use super::qa_inbox::Origin;
use crate::actions::rules;
use crate::db::models::{Actor, Post, Report};
use crate::db::queries::moderation::{self as mq, LogEntry};
use crate::db::{ids::new_id, now_ms, queries};
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use serde_json::Value;

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
        None => Ok(group.local && rules::can_moderate(data, group, origin.actor).await?),
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
                .run(move |c| match undo {
                    true => rules::lift_ban(c, gid, aid),
                    false => rules::apply_ban(c, gid, aid, &r2, expires, remove_data),
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
