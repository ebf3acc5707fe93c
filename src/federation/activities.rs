//! Activities, one file per activity or family, each with what we send (typed serde
//! structs, built by [`super::outgoing`], [`super::qa`] and [`super::outbox`]; [`sent`]
//! is what they share) and how what we receive is handled. This file dispatches a
//! received activity, after the inbox verified who sent it: its type is read once into
//! [`Kind`]. Unknown types are accepted and ignored (logged). It also handles groups'
//! `Announce`s, `Undo`s, and actors' updates and deletions of themselves (a group's
//! update also as its moderator's, announced by the group).
//!
//! Trust: an activity sent directly must come from the author of what it touches (the
//! inbox verified the signature). An activity announced by a group is trusted as far as
//! the group's server can vouch for it: objects from a third server are fetched from
//! their origin rather than taken from the announcement, and votes and accepted answers
//! are only taken for posts in that group.

pub mod add_remove;
pub mod announce;
pub mod article;
pub mod block;
pub mod case_message;
pub mod choose_answer;
pub mod create;
pub mod delete;
pub mod direct;
pub mod flag;
pub mod follow;
pub mod idea;
pub mod listening;
pub mod lock;
pub mod moderation;
pub mod resolve;
pub mod sent;
pub mod support_notes;
pub mod survey;
pub mod undo;
pub mod update_group;
pub mod vote;
pub mod welcome;

use super::objects::{ApActor, FedActor};
use super::relay::Origin;
use super::wire::{id_of, object_id};
use crate::db::models::Actor;
use crate::db::queries;
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use activitypub_federation::traits::Object;
use moderation::ModKind;
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

    /// The moderators' activities handled by [`moderation::on_moderation`].
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
    // An `Update` of the group that announced it (Lemmy's, by one of its moderators).
    let updated_group = origin
        .via
        .filter(|g| kind == Kind::Update && object_id(activity) == g.ap_id);
    if let Some(group) = updated_group {
        return on_update_actor(data, group, activity).await;
    }
    if let Some(m) = kind.moderation() {
        return moderation::on_moderation(data, origin, activity, activity, m, false).await;
    }
    match kind {
        Kind::Follow if direct => follow::on_follow(data, signer, activity).await,
        Kind::Accept | Kind::Reject
            if direct
                && listening::on_answer(data, signer, activity, kind == Kind::Accept).await? =>
        {
            Ok(())
        }
        Kind::Accept if direct => follow::on_accept(data, signer, activity).await,
        Kind::Reject if direct => follow::on_reject(data, signer, activity).await,
        Kind::Undo => on_undo(data, origin, activity).await,
        Kind::Delete if object_is_actor && direct => on_delete_actor(data, signer).await,
        Kind::Delete if article::on_delete(data, origin, activity).await? => Ok(()),
        Kind::Delete => {
            if direct && direct::on_delete(data, signer, activity).await? {
                return Ok(());
            }
            if !delete::on_delete(data, origin, activity).await? {
                tracing::info!("ignoring Delete of an unknown object");
            }
            Ok(())
        }
        Kind::Update if object_is_actor && direct => on_update_actor(data, signer, activity).await,
        Kind::Create | Kind::Update if article::carries_article(activity) => {
            article::on_article(data, origin, activity).await
        }
        Kind::Update if idea::carries_status(activity) || support_notes::carried(activity) => {
            idea::on_update(data, origin, activity).await
        }
        Kind::Update => create::on_update(data, origin, activity).await,
        Kind::Create if direct && welcome::is_welcome(signer, activity) => {
            welcome::on_welcome(data, signer, activity).await
        }
        Kind::Create => {
            // An asker's reply to a satisfaction survey answers it, never as a post.
            if direct && survey::on_reply(data, signer, activity).await? {
                return Ok(());
            }
            // A customer's reply to a case message lands in the case, never as a post.
            if direct && case_message::on_reply(data, signer, activity).await? {
                return Ok(());
            }
            // A private message to people here: kept in their conversations.
            if direct
                && direct::is_direct(signer, activity)
                && direct::on_direct(data, signer, activity).await?
            {
                return Ok(());
            }
            create::on_create(data, origin, activity).await
        }
        Kind::Like | Kind::Dislike if direct && survey::on_vote(data, signer, activity).await? => {
            Ok(())
        }
        Kind::Like => vote::on_vote(data, origin, activity, 1).await,
        Kind::Dislike => vote::on_vote(data, origin, activity, -1).await,
        Kind::ChooseAnswer => choose_answer::on_choose_answer(data, origin, activity).await,
        Kind::Announce if direct => on_announce(data, signer, activity).await,
        Kind::Flag if direct => flag::on_flag(data, signer, activity).await,
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
    // A relay's: to the listening matcher only, never a post (see `listening`).
    if !group.is_group() && listening::is_relay(data, &group.ap_id).await? {
        return listening::on_relayed(data, group, activity).await;
    }
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
            create::on_create(data, &via, &wrapped).await
        }
        _ => Err(AppError::Invalid("Announce without object".into())),
    }
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
        return moderation::on_moderation(data, origin, activity, &inner, m, true).await;
    }
    match inner_kind {
        Kind::Like | Kind::Dislike => vote::on_undo_vote(data, origin, activity, &inner).await,
        Kind::Delete => {
            let object = object_id(&inner);
            let post = data
                .db
                .run(move |c| queries::posts::by_ap_id(c, &object))
                .await?;
            match post {
                Some(p) if delete::on_removal(data, origin, &p, activity, true).await? => Ok(()),
                Some(_) => Err(AppError::Forbidden(
                    "only the group's moderators can restore a post".into(),
                )),
                None => Ok(()),
            }
        }
        Kind::ChooseAnswer => {
            choose_answer::on_undo_choose_answer(data, origin, activity, &inner).await
        }
        Kind::Resolve => resolve::receive(data, origin, &inner, true).await,
        Kind::Follow if origin.via.is_none() => {
            let Some(target) = inner.get("object").and_then(id_of) else {
                return Err(AppError::Invalid("Undo{Follow} without object".into()));
            };
            let target = follow::local_actor_by_id(data, target).await?;
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
