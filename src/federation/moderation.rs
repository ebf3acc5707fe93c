//! Moderation arriving from other instances: reports (`Flag`), removals
//! (`Delete`/`Undo{Delete}` by a moderator), locks (`Lock`), bans (`Block` with `target`
//! group), moderators and featured posts (`Add`/`Remove`), all in the shapes Lemmy uses,
//! announced by the group to its followers. Local moderators' actions are in
//! [`crate::actions::moderation`]; the rules are [`crate::actions::rules`].
//!
//! A moderator's action is accepted when the group is hosted here and the actor is in its
//! moderators list, or when the group itself announces it (its home instance vouches).

use super::qa::group_of;
use super::relay::{self, Origin};
use super::wire::ids;
use super::wire::{id_of, object_id};
use crate::actions::rules;
use crate::db::models::{Actor, Post, Report};
use crate::db::queries::moderation::{self as mq, LogEntry};
use crate::db::{ids::new_id, now_ms, queries, DbConn};
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use serde::Deserialize;
use serde_json::Value;

/// Writes an entry of the moderation log on an open transaction.
fn log(
    c: &mut DbConn,
    group: Option<i64>,
    moderator: Option<i64>,
    action: &'static str,
    target: Option<i64>,
    post: Option<i64>,
    reason: &str,
) -> AppResult<()> {
    mq::log(
        c,
        LogEntry {
            group_id: group,
            moderator_id: moderator,
            action,
            target_actor_id: target,
            post_id: post,
            domain: None,
            reason,
        },
    )
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
    let reason = activity
        .get("summary")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let rows = relay::plan_moderation(data, origin, &group, activity).await?;
    let (gid, mid, pid, author) = (group.id, origin.actor.id, post.id, post.author_id);
    relay::commit(data, rows, move |c| {
        mq::set_removed(c, pid, !restore)?;
        let action = if restore { "restore" } else { "remove" };
        log(
            c,
            Some(gid),
            Some(mid),
            action,
            Some(author),
            Some(pid),
            &reason,
        )?;
        Ok(((), true))
    })
    .await?;
    Ok(true)
}

/// The moderators' activities other than removals, as the wire names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
pub enum ModKind {
    Lock,
    Block,
    Add,
    Remove,
}

impl ModKind {
    /// The kind of a received activity, if it is one of these.
    pub fn of(activity: &Value) -> Option<ModKind> {
        ModKind::deserialize(activity.get("type")?).ok()
    }
}

/// What a moderator's activity changes, read (and its actor fetched) before anything
/// is written.
enum Change {
    Lock {
        post: i64,
        on: bool,
    },
    Ban {
        actor: i64,
        expires: Option<i64>,
        remove_data: bool,
    },
    Unban {
        actor: i64,
    },
    Feature {
        post: i64,
        on: bool,
    },
    Moderator {
        actor: i64,
        on: bool,
    },
}

impl Change {
    /// Writes the change on an open transaction; returns the moderation log's action.
    fn apply(self, c: &mut DbConn, group: i64, reason: &str) -> AppResult<&'static str> {
        Ok(match self {
            Change::Lock { post, on } => {
                mq::set_locked(c, post, on)?;
                if on {
                    "lock"
                } else {
                    "unlock"
                }
            }
            Change::Ban {
                actor,
                expires,
                remove_data,
            } => {
                rules::apply_ban(c, group, actor, reason, expires, remove_data)?;
                "ban"
            }
            Change::Unban { actor } => {
                rules::lift_ban(c, group, actor)?;
                "unban"
            }
            Change::Feature { post, on } => {
                mq::set_featured(c, post, on)?;
                if on {
                    "feature"
                } else {
                    "unfeature"
                }
            }
            Change::Moderator { actor, on } => {
                if on {
                    queries::groups::add_moderator(c, group, actor)?;
                    "add_moderator"
                } else {
                    queries::groups::remove_moderator(c, group, actor)?;
                    "remove_moderator"
                }
            }
        })
    }
}

/// `Lock`, `Block`, `Add` and `Remove` from moderators (and their `Undo`).
/// `outer` is what was received (the `Undo` itself for an undo), `activity` the action.
pub async fn on_moderation(
    data: &Ctx,
    origin: &Origin<'_>,
    outer: &Value,
    activity: &Value,
    kind: ModKind,
    undo: bool,
) -> AppResult<()> {
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
    let featured = target.ends_with("/featured");
    // The group concerned: the lock's question's group, the ban's target, the collection's owner.
    let group_url = match kind {
        ModKind::Lock => None,
        ModKind::Block => Some(target.clone()),
        ModKind::Add | ModKind::Remove => Some(
            target
                .trim_end_matches("/moderators")
                .trim_end_matches("/featured")
                .to_string(),
        ),
    };
    let o = object.clone();
    let post = data
        .db
        .run(move |c| queries::posts::by_ap_id(c, &o))
        .await?;
    let group = match (group_url, &post) {
        (Some(u), _) => data
            .db
            .run(move |c| queries::actors::by_ap_id(c, &u))
            .await?
            .filter(|g| g.is_group()),
        (None, Some(p)) => Some(group_of(data, p).await?),
        (None, None) => None,
    };
    let Some(group) = group else {
        tracing::info!(?kind, "moderation activity for an unknown group ignored");
        return Ok(());
    };
    if !trusted_moderator(data, origin, &group).await? {
        return Err(AppError::Forbidden(
            "only the group's moderators can do this".into(),
        ));
    }
    let post_id = || {
        post.as_ref()
            .map(|p| p.id)
            .ok_or_else(|| AppError::NotFound("unknown question".into()))
    };
    let on = (kind != ModKind::Remove) != undo;
    let change = match kind {
        ModKind::Lock => Change::Lock {
            post: post_id()?,
            on: !undo,
        },
        ModKind::Block => {
            let actor = super::posts::actor_by_url(data, &object).await?.id;
            if undo {
                Change::Unban { actor }
            } else {
                Change::Ban {
                    actor,
                    remove_data: activity
                        .get("removeData")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                    expires: activity
                        .get("expires")
                        .and_then(Value::as_str)
                        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
                        .map(|d| d.timestamp_millis()),
                }
            }
        }
        ModKind::Add | ModKind::Remove if featured => Change::Feature {
            post: post_id()?,
            on,
        },
        ModKind::Add | ModKind::Remove => Change::Moderator {
            actor: super::posts::actor_by_url(data, &object).await?.id,
            on,
        },
    };
    let rows = relay::plan_moderation(data, origin, &group, outer).await?;
    let (gid, mid) = (group.id, origin.actor.id);
    relay::commit(data, rows, move |c| {
        let action = change.apply(c, gid, &reason)?;
        log(c, Some(gid), Some(mid), action, None, None, &reason)?;
        Ok(((), true))
    })
    .await
}
