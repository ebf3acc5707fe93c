//! `Create` and `Update` of a post: a new question, answer or comment, or the author's
//! edit. `object` is the whole `Page` or `Note` ([`crate::federation::post_json`]),
//! without `@context`.
//!
//! ```json
//! {"type": "Create", "actor": "<author>",
//!  "object": {"id": "<post>", "type": "Page", ...},
//!  "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": ["<group>"],
//!  "audience": "<group>", "id": ".../activities/create/1"}
//! ```
//!
//! Received: a new post is admitted and placed by [`crate::federation::incoming`] and
//! stored with its group's announcement ([`crate::federation::relay`]); an object embedded
//! by someone other than its server is fetched from its origin. An `Update` is accepted
//! from the author's server only, read like a new object.

use super::sent::{kinds, public, sent};
use crate::db::{now_ms, queries};
use crate::error::{AppError, AppResult};
use crate::federation::incoming::{self, fetch_object, post_by_id, Incoming, Prepared};
use crate::federation::posts::ApObject;
use crate::federation::relay::{self, Origin};
use crate::federation::wire::{id_of, ids, same_server};
use crate::state::Ctx;
use serde::{Deserialize, Serialize};
use serde_json::Value;

kinds!(
    /// `Create` or `Update`.
    CreateOrUpdateType { Create, Update }
);

/// A post created or edited by its author.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CreateOrUpdate {
    #[serde(rename = "type")]
    pub kind: CreateOrUpdateType,
    pub actor: String,
    pub object: Value,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub audience: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

sent!(CreateOrUpdate);

impl CreateOrUpdate {
    /// `kind` of the post `object` by `actor` in `group`. The activity is addressed to
    /// whoever the object is (a reply's `cc` names the author it answers), as Mastodon
    /// and ActivityPub expect of a `Create`.
    pub fn new(kind: CreateOrUpdateType, actor: &str, group: &str, object: Value) -> Self {
        let mut cc: Vec<String> = vec![group.into()];
        for c in crate::federation::wire::ids(object.get("cc")) {
            if !cc.contains(&c) {
                cc.push(c);
            }
        }
        CreateOrUpdate {
            kind,
            actor: actor.into(),
            object,
            to: public(),
            cc,
            audience: group.into(),
            id: None,
        }
    }
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
    let said = super::idea::said(&obj.rest);
    // Kept for listening, when it turns out to belong to no group here.
    let listen = origin.via.is_none().then(|| obj.clone());
    let admitted = match incoming::prepare(data, obj).await? {
        Prepared::New(admitted) => admitted,
        Prepared::Ignored => {
            if let Some(obj) = listen {
                // Listening never refuses the activity; only a passing failure retries it.
                match crate::federation::listening::collect(data, &obj, "inbox").await {
                    Err(e) if e.is_transient() => return Err(e),
                    Err(e) => tracing::info!("listening: post not collected: {e}"),
                    Ok(_) => {}
                }
            }
            return Ok(());
        }
        Prepared::Known(_) => return Ok(()),
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
        // Stored meanwhile under another activity: announced with that one.
        let (fresh, awards) = incoming::insert_one(c, &app, &post, context)?;
        if fresh {
            crate::actions::webhooks::queue_received(c, &[&post])?;
            if let Some(said) = &said {
                super::idea::first_status(c, &post, &group, said)?;
            }
        }
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

#[cfg(test)]
mod tests {
    use super::super::sent::{to_json, Sent};
    use super::*;
    use serde_json::json;

    #[test]
    fn create_and_update_keep_their_shape() {
        let page = json!({"id": "https://h.example/q/1", "type": "Page", "name": "E42"});
        for (kind, name) in [
            (CreateOrUpdateType::Create, "Create"),
            (CreateOrUpdateType::Update, "Update"),
        ] {
            let mut a = CreateOrUpdate::new(
                kind,
                "https://h.example/u/alice",
                "https://h.example/g/printers",
                page.clone(),
            );
            assert_eq!(a.kind(), name);
            a.set_id(format!(
                "https://h.example/activities/{}/7",
                name.to_lowercase()
            ));
            assert_eq!(
                to_json(&a).unwrap(),
                json!({
                    "type": name,
                    "actor": "https://h.example/u/alice",
                    "object": page,
                    "to": ["https://www.w3.org/ns/activitystreams#Public"],
                    "cc": ["https://h.example/g/printers"],
                    "audience": "https://h.example/g/printers",
                    "id": format!("https://h.example/activities/{}/7", name.to_lowercase()),
                })
            );
        }
    }
}
