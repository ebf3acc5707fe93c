//! The activities about follows, addressed with `to` only and not public: our `Follow`
//! of a remote actor (embedded in its `Undo`, [`super::undo`], with its id, `null` when
//! not known, and no `to`), and our `Accept` or `Reject` of a received `Follow`, which
//! embeds that `Follow` with its original id and actor as received.
//!
//! ```json
//! {"id": ".../activities/follow/1", "type": "Follow", "actor": "<follower>",
//!  "object": "<followed>", "to": ["<followed>"]}
//! {"id": ".../activities/accept/2", "type": "Accept", "actor": "<followed>",
//!  "object": {"id": "<their Follow>", "type": "Follow", "actor": "<follower>",
//!             "object": "<followed>"},
//!  "to": ["<follower>"]}
//! ```
//!
//! Received: a `Follow` of a local actor is stored and answered with `Accept` in one
//! transaction (`Reject` for one banned from the group), with a group's welcome to a
//! newcomer ([`super::welcome`]); a `Follow` of a private group is stored pending and
//! answered when a moderator approves or rejects it ([`crate::actions::private_groups`]); `Accept`/`Reject` of our
//! `Follow`s, embedded or by id, from the followed actor only.

use super::sent::{kinds, sent};
use crate::db::models::Actor;
use crate::db::queries;
use crate::error::{AppError, AppResult};
use crate::federation::outbox;
use crate::federation::relay::{self};
use crate::federation::wire::id_of;
use crate::state::Ctx;
use activitypub_federation::kinds::activity::FollowType;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A follow sent.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Follow {
    /// Always written, `null` for an earlier follow whose id is not known.
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub kind: FollowType,
    pub actor: String,
    pub object: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<Vec<String>>,
}

sent!(Follow);

impl Follow {
    /// `actor` follows `target`.
    pub fn new(actor: &str, target: &str) -> Self {
        Follow {
            to: Some(vec![target.into()]),
            ..Follow::earlier(None, actor, target)
        }
    }

    /// The earlier follow `id`, as embedded in the `Undo` that ends it: without `to`.
    pub fn earlier(id: Option<String>, actor: &str, target: &str) -> Self {
        Follow {
            id,
            kind: FollowType::Follow,
            actor: actor.into(),
            object: target.into(),
            to: None,
        }
    }
}

kinds!(
    /// `Accept` or `Reject`.
    AcceptOrRejectType { Accept, Reject }
);

/// A received `Follow` as embedded in our answer: its id and actor as received.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReceivedFollow {
    pub id: Value,
    #[serde(rename = "type")]
    pub kind: FollowType,
    pub actor: Value,
    pub object: String,
}

/// Our answer to a received `Follow`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AcceptOrReject {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: AcceptOrRejectType,
    pub actor: String,
    pub object: ReceivedFollow,
    pub to: Vec<Value>,
}

impl AcceptOrReject {
    /// `target`'s answer `id` of `kind` to the received `follow`.
    pub fn new(id: String, kind: AcceptOrRejectType, target: &str, follow: &Value) -> Self {
        let follower = follow["actor"].clone();
        AcceptOrReject {
            id,
            kind,
            actor: target.into(),
            object: ReceivedFollow {
                id: follow["id"].clone(),
                kind: FollowType::Follow,
                actor: follower.clone(),
                object: target.into(),
            },
            to: vec![follower],
        }
    }
}

pub async fn local_actor_by_id(data: &Ctx, ap_id: &str) -> AppResult<Actor> {
    let id = ap_id.to_string();
    data.db
        .run(move |c| queries::actors::by_ap_id(c, &id))
        .await?
        .filter(|a| a.local && !a.deleted)
        .ok_or_else(|| AppError::NotFound("the object is not an actor here".into()))
}

pub async fn on_follow(data: &Ctx, signer: &Actor, activity: &Value) -> AppResult<()> {
    let object = activity
        .get("object")
        .and_then(id_of)
        .ok_or_else(|| AppError::Invalid("Follow without object".into()))?;
    let target = local_actor_by_id(data, object).await?;
    let (tid, fid) = (target.id, signer.id);
    let (t, f) = (target.clone(), signer.clone());
    let (banned, waits) = data
        .db
        .run(move |c| {
            let banned = crate::actions::rules::is_banned(c, tid, fid)?;
            let waits = !banned && crate::actions::private_groups::must_wait(c, &t, &f)?;
            Ok((banned, waits))
        })
        .await?;
    let follow_id = activity
        .get("id")
        .and_then(Value::as_str)
        .map(str::to_string);
    if waits {
        // A private group: the follow waits for a moderator, who answers it later.
        return data
            .db
            .run(move |c| queries::follows::upsert(c, fid, tid, true, follow_id.as_deref()))
            .await;
    }
    let inbox = vec![signer.inbox.clone()];
    let kind = if banned {
        AcceptOrRejectType::Reject
    } else {
        AcceptOrRejectType::Accept
    };
    let (row, id) = outbox::new_activity_id(data, &kind.to_string());
    let body = super::sent::to_json(&AcceptOrReject::new(id, kind, &target.ap_id, activity))?;
    let targets = outbox::targets(data, inbox).await?;
    let rows = vec![(outbox::activity_row(row, &target, &body, false)?, targets)];
    // The follow and its answer in one transaction: a follow stored is a follow answered
    // (and a newcomer to a group welcomed).
    let (outbox, follower) = (data.outbox.clone(), signer.clone());
    relay::commit(data, rows, move |c| {
        if !banned {
            queries::follows::upsert(c, fid, tid, false, follow_id.as_deref())?;
            crate::actions::groups::welcome_newcomer(c, outbox.as_ref(), &target, &follower)?;
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

pub async fn on_accept(data: &Ctx, signer: &Actor, activity: &Value) -> AppResult<()> {
    let object = activity.get("object").cloned().unwrap_or(Value::Null);
    if let Some((follower, target)) = follow_of(data, signer, &object).await? {
        data.db
            .run(move |c| queries::follows::accept(c, follower, target))
            .await?;
    }
    Ok(())
}

pub async fn on_reject(data: &Ctx, signer: &Actor, activity: &Value) -> AppResult<()> {
    let object = activity.get("object").cloned().unwrap_or(Value::Null);
    if let Some((follower, target)) = follow_of(data, signer, &object).await? {
        data.db
            .run(move |c| queries::follows::delete(c, follower, target))
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::sent::{to_json, Sent};
    use super::*;
    use serde_json::json;

    const ALICE: &str = "https://h.example/u/alice";
    const GROUP: &str = "https://o.example/g/scanners";

    #[test]
    fn follow_and_the_follow_undone() {
        let mut f = Follow::new(ALICE, GROUP);
        assert_eq!(f.kind(), "Follow");
        f.set_id("https://h.example/activities/follow/1".into());
        assert_eq!(
            to_json(&f).unwrap(),
            json!({
                "id": "https://h.example/activities/follow/1", "type": "Follow",
                "actor": ALICE, "object": GROUP, "to": [GROUP],
            })
        );
        assert_eq!(
            to_json(&Follow::earlier(None, ALICE, GROUP)).unwrap(),
            json!({"id": null, "type": "Follow", "actor": ALICE, "object": GROUP})
        );
    }

    #[test]
    fn answer_embeds_the_follow_as_received() {
        let follow = json!({
            "id": "https://m.example/f/1", "type": "Follow",
            "actor": "https://m.example/users/bob", "object": "https://h.example/g/printers",
            "extra": true,
        });
        for (kind, name) in [
            (AcceptOrRejectType::Accept, "Accept"),
            (AcceptOrRejectType::Reject, "Reject"),
        ] {
            let a = AcceptOrReject::new(
                "https://h.example/activities/accept/2".into(),
                kind,
                "https://h.example/g/printers",
                &follow,
            );
            assert_eq!(
                to_json(&a).unwrap(),
                json!({
                    "id": "https://h.example/activities/accept/2",
                    "type": name,
                    "actor": "https://h.example/g/printers",
                    "object": {
                        "id": "https://m.example/f/1", "type": "Follow",
                        "actor": "https://m.example/users/bob",
                        "object": "https://h.example/g/printers",
                    },
                    "to": ["https://m.example/users/bob"],
                })
            );
        }
    }
}
