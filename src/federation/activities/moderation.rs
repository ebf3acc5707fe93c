//! Moderators' actions arriving from other instances: locks (`Lock`), bans (`Block`
//! with `target` group), moderators and featured posts (`Add`/`Remove`), and their
//! `Undo`s, in the shapes Lemmy uses, announced by the group to its followers (the sent
//! shapes are in [`super::lock`], [`super::block`] and [`super::add_remove`]; removals
//! are in [`super::delete`], reports in [`super::flag`]). Local moderators' actions are in
//! [`crate::actions::moderation`]; the rules are [`crate::actions::rules`].
//!
//! A moderator's action is accepted when the group is hosted here and the actor is in its
//! moderators list, or when the group itself announces it (its home instance vouches).

use crate::actions::rules;
use crate::db::models::Actor;
use crate::db::queries::moderation::{self as mq, LogEntry};
use crate::db::{queries, DbConn};
use crate::error::{AppError, AppResult};
use crate::federation::qa::group_of;
use crate::federation::relay::{self, Origin};
use crate::federation::wire::{id_of, object_id};
use crate::state::Ctx;
use serde::Deserialize;
use serde_json::Value;

/// Writes an entry of the moderation log on an open transaction.
pub(super) fn log(
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

/// Whether a moderator action on something in `group` from `origin` is to be trusted.
pub(super) async fn trusted_moderator(
    data: &Ctx,
    origin: &Origin<'_>,
    group: &Actor,
) -> AppResult<bool> {
    match origin.via {
        Some(via) => Ok(via.id == group.id),
        None => Ok(group.local && rules::can_moderate(data, group, origin.actor).await?),
    }
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
            let actor = crate::federation::posts::actor_by_url(data, &object)
                .await?
                .id;
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
            actor: crate::federation::posts::actor_by_url(data, &object)
                .await?
                .id,
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
