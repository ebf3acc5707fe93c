//! Handlers for received activities, after the inbox verified who sent them: the type
//! is read once into [`Kind`] and dispatched by it. Unknown types are accepted and
//! ignored (logged). The typed activities, one file per activity or family, are the
//! submodules: the activities we send (built by [`super::outgoing`], [`super::qa`] and
//! [`super::outbox`]; [`sent`] is what they share) and `Resolve`, sent and received.

pub mod add_remove;
pub mod announce;
pub mod block;
pub mod choose_answer;
pub mod create;
pub mod delete;
pub mod flag;
pub mod follow;
pub mod lock;
pub mod resolve;
pub mod sent;
pub mod undo;
pub mod vote;

use super::moderation::ModKind;
use super::objects::{ApActor, FedActor};
use super::qa_inbox;
use super::relay::{self, Origin};
use super::wire::{id_of, object_id};
use crate::db::models::Actor;
use crate::db::queries;
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use activitypub_federation::traits::Object;
use serde::Deserialize;
use serde_json::Value;

/// The activity types peerdesk acts on, as the wire names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum Kind {
    Follow,
    Accept,
    Reject,
    Undo,
    Create,
    Update,
    Delete,
    Like,
    Dislike,
    ChooseAnswer,
    Announce,
    Flag,
    Resolve,
    Lock,
    Block,
    Add,
    Remove,
    /// Any other type: accepted and ignored.
    Other,
}

impl Kind {
    /// The type of `activity` (one string; anything else is [`Kind::Other`]).
    pub fn of(activity: &Value) -> Kind {
        activity
            .get("type")
            .and_then(|t| Kind::deserialize(t).ok())
            .unwrap_or(Kind::Other)
    }

    /// The moderators' activities handled by [`super::moderation::on_moderation`].
    fn moderation(self) -> Option<ModKind> {
        match self {
            Kind::Lock => Some(ModKind::Lock),
            Kind::Block => Some(ModKind::Block),
            Kind::Add => Some(ModKind::Add),
            Kind::Remove => Some(ModKind::Remove),
            _ => None,
        }
    }
}

pub async fn dispatch(data: &Ctx, signer: &Actor, activity: Value) -> AppResult<()> {
    handle(
        data,
        &Origin {
            actor: signer,
            via: None,
        },
        &activity,
    )
    .await
}

async fn handle(data: &Ctx, origin: &Origin<'_>, activity: &Value) -> AppResult<()> {
    super::wire::single_object(activity)?;
    let kind = Kind::of(activity);
    let direct = origin.via.is_none();
    let signer = origin.actor;
    let object_is_actor = activity.get("object").and_then(id_of) == Some(signer.ap_id.as_str());
    if let Some(m) = kind.moderation() {
        return super::moderation::on_moderation(data, origin, activity, activity, m, false).await;
    }
    match kind {
        Kind::Follow if direct => on_follow(data, signer, activity).await,
        Kind::Accept if direct => on_accept(data, signer, activity).await,
        Kind::Reject if direct => on_reject(data, signer, activity).await,
        Kind::Undo => on_undo(data, origin, activity).await,
        Kind::Delete if object_is_actor && direct => on_delete_actor(data, signer).await,
        Kind::Delete => {
            if !qa_inbox::on_delete(data, origin, activity).await? {
                tracing::info!("ignoring Delete of an unknown object");
            }
            Ok(())
        }
        Kind::Update if object_is_actor && direct => on_update_actor(data, signer, activity).await,
        Kind::Update => qa_inbox::on_update(data, origin, activity).await,
        Kind::Create => qa_inbox::on_create(data, origin, activity).await,
        Kind::Like => qa_inbox::on_vote(data, origin, activity, 1).await,
        Kind::Dislike => qa_inbox::on_vote(data, origin, activity, -1).await,
        Kind::ChooseAnswer => qa_inbox::on_choose_answer(data, origin, activity).await,
        Kind::Announce if direct => on_announce(data, signer, activity).await,
        Kind::Flag if direct => super::moderation::on_flag(data, signer, activity).await,
        Kind::Resolve => resolve::receive(data, origin, activity, false).await,
        _ => {
            let kind = activity.get("type").and_then(Value::as_str);
            tracing::info!(?kind, actor = %signer.ap_id, via = direct, "ignoring an unsupported activity");
            Ok(())
        }
    }
}

/// A group's `Announce` (FEP-1b12) of an activity or of an object.
async fn on_announce(data: &Ctx, group: &Actor, activity: &Value) -> AppResult<()> {
    if !group.is_group() {
        tracing::debug!(actor = %group.ap_id, "ignoring a boost by a non-group actor");
        return Ok(());
    }
    let gid = group.id;
    let followed = data
        .db
        .run(move |c| Ok(queries::follows::count_followers(c, gid)? > 0))
        .await?;
    if !followed {
        tracing::info!(group = %group.ap_id, "ignoring Announce from a group nobody here follows");
        return Ok(());
    }
    let inner = activity.get("object").cloned().unwrap_or(Value::Null);
    let via = Origin {
        actor: group,
        via: Some(group),
    };
    match &inner {
        Value::String(url) => {
            if let Err(e) = super::incoming::post_by_url(data, url).await {
                tracing::debug!(%url, "announced object not stored: {e}");
            }
            Ok(())
        }
        Value::Object(m) if m.contains_key("actor") => {
            let actor_url = m
                .get("actor")
                .and_then(id_of)
                .unwrap_or_default()
                .to_string();
            if super::wire::domain_of(&actor_url).as_deref() == Some(data.domain()) {
                return Ok(()); // our own activity, echoed back by the group
            }
            let actor = super::posts::actor_by_url(data, &actor_url).await?;
            Box::pin(handle(
                data,
                &Origin {
                    actor: &actor,
                    via: Some(group),
                },
                &inner,
            ))
            .await
        }
        Value::Object(_) => {
            let wrapped = serde_json::json!({"type": "Create", "object": inner});
            qa_inbox::on_create(data, &via, &wrapped).await
        }
        _ => Err(AppError::Invalid("Announce without object".into())),
    }
}

async fn local_actor_by_id(data: &Ctx, ap_id: &str) -> AppResult<Actor> {
    let id = ap_id.to_string();
    data.db
        .run(move |c| queries::actors::by_ap_id(c, &id))
        .await?
        .filter(|a| a.local && !a.deleted)
        .ok_or_else(|| AppError::NotFound("the object is not an actor here".into()))
}

async fn on_follow(data: &Ctx, signer: &Actor, activity: &Value) -> AppResult<()> {
    let object = activity
        .get("object")
        .and_then(id_of)
        .ok_or_else(|| AppError::Invalid("Follow without object".into()))?;
    let target = local_actor_by_id(data, object).await?;
    let (tid, fid) = (target.id, signer.id);
    let banned = data
        .db
        .run(move |c| crate::actions::rules::is_banned(c, tid, fid))
        .await?;
    let inbox = vec![signer.inbox.clone()];
    let answer = if banned { "Reject" } else { "Accept" };
    let (row, body) = super::outbox::answer_follow(data, answer, &target, activity);
    let targets = super::outbox::targets(data, inbox).await?;
    let rows = vec![(
        super::outbox::activity_row(row, &target, &body, false)?,
        targets,
    )];
    let follow_id = activity
        .get("id")
        .and_then(Value::as_str)
        .map(str::to_string);
    // The follow and its answer in one transaction: a follow stored is a follow answered.
    relay::commit(data, rows, move |c| {
        if !banned {
            queries::follows::upsert(c, fid, tid, false, follow_id.as_deref())?;
        }
        Ok(((), true))
    })
    .await
}

/// The local follower and the remote target a `Follow` (embedded or by id) refers to.
async fn follow_of(data: &Ctx, signer: &Actor, object: &Value) -> AppResult<Option<(i64, i64)>> {
    let follower = match object.get("actor").and_then(id_of) {
        Some(a) => Some(local_actor_by_id(data, a).await?.id),
        None => {
            // Only the Follow's id was given: find it among our pending follows.
            let follow_id = id_of(object).unwrap_or_default().to_string();
            let target = signer.id;
            data.db
                .run(move |c| queries::follows::follower_by_activity(c, target, &follow_id))
                .await?
        }
    };
    if let Some(target) = object.get("object").and_then(id_of) {
        if target != signer.ap_id {
            return Err(AppError::Forbidden(
                "only the followed actor can answer a Follow".into(),
            ));
        }
    }
    Ok(follower.map(|f| (f, signer.id)))
}

async fn on_accept(data: &Ctx, signer: &Actor, activity: &Value) -> AppResult<()> {
    let object = activity.get("object").cloned().unwrap_or(Value::Null);
    if let Some((follower, target)) = follow_of(data, signer, &object).await? {
        data.db
            .run(move |c| queries::follows::accept(c, follower, target))
            .await?;
    }
    Ok(())
}

async fn on_reject(data: &Ctx, signer: &Actor, activity: &Value) -> AppResult<()> {
    let object = activity.get("object").cloned().unwrap_or(Value::Null);
    if let Some((follower, target)) = follow_of(data, signer, &object).await? {
        data.db
            .run(move |c| queries::follows::delete(c, follower, target))
            .await?;
    }
    Ok(())
}

async fn on_undo(data: &Ctx, origin: &Origin<'_>, activity: &Value) -> AppResult<()> {
    let signer = origin.actor;
    let inner = activity.get("object").cloned().unwrap_or(Value::Null);
    let inner_kind = Kind::of(&inner);
    if let Some(inner_actor) = inner.get("actor").and_then(id_of) {
        if inner_actor != signer.ap_id {
            return Err(AppError::Forbidden(
                "an actor can only undo its own activities".into(),
            ));
        }
    }
    if let Some(m) = inner_kind.moderation() {
        return super::moderation::on_moderation(data, origin, activity, &inner, m, true).await;
    }
    match inner_kind {
        Kind::Like | Kind::Dislike => qa_inbox::on_undo_vote(data, origin, activity, &inner).await,
        Kind::Delete => {
            let object = object_id(&inner);
            let post = data
                .db
                .run(move |c| queries::posts::by_ap_id(c, &object))
                .await?;
            match post {
                Some(p)
                    if super::moderation::on_removal(data, origin, &p, activity, true).await? =>
                {
                    Ok(())
                }
                Some(_) => Err(AppError::Forbidden(
                    "only the group's moderators can restore a post".into(),
                )),
                None => Ok(()),
            }
        }
        Kind::ChooseAnswer => qa_inbox::on_undo_choose_answer(data, origin, activity, &inner).await,
        Kind::Resolve => resolve::receive(data, origin, &inner, true).await,
        Kind::Follow if origin.via.is_none() => {
            let Some(target) = inner.get("object").and_then(id_of) else {
                return Err(AppError::Invalid("Undo{Follow} without object".into()));
            };
            let target = local_actor_by_id(data, target).await?;
            let (fid, tid) = (signer.id, target.id);
            data.db
                .run(move |c| queries::follows::delete(c, fid, tid))
                .await?;
            Ok(())
        }
        other => {
            tracing::info!(kind = ?other, "ignoring Undo of unsupported type");
            Ok(())
        }
    }
}

async fn on_delete_actor(data: &Ctx, signer: &Actor) -> AppResult<()> {
    FedActor::try_from(signer.clone())?.delete(data).await?;
    data.actor_cache.invalidate(&signer.ap_id).await;
    Ok(())
}

async fn on_update_actor(data: &Ctx, signer: &Actor, activity: &Value) -> AppResult<()> {
    let object = activity.get("object").cloned().unwrap_or(Value::Null);
    if id_of(&object) == Some(signer.ap_id.as_str()) && object.is_object() {
        let json: ApActor = serde_json::from_value(object).map_err(AppError::json_input)?;
        let expected = url::Url::parse(&signer.ap_id)?;
        FedActor::verify(&json, &expected, data).await?;
        FedActor::from_json(json, data).await?;
        data.actor_cache.invalidate(&signer.ap_id).await;
        return Ok(());
    }
    tracing::info!("ignoring Update of an unsupported object");
    Ok(())
}
