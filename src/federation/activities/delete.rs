//! `Delete` of a post: by its author, or by a moderator removing it (with the reason in
//! `summary`). `object` is the post's id. A moderator's restore is an `Undo` of a
//! `Delete` without an id whose `summary` is the reason for restoring
//! ([`super::undo`]).
//!
//! ```json
//! {"type": "Delete", "actor": "<author or moderator>", "object": "<post>",
//!  "summary": "<reason, moderators only>",
//!  "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": ["<group>"],
//!  "audience": "<group>", "id": ".../activities/delete/1"}
//! ```
//!
//! Received: the author's `Delete` marks the post deleted; anyone else's is a moderator's
//! removal, accepted from the group's moderators or the group itself ([`on_removal`]).

use super::moderation::{log, trusted_moderator};
use super::sent::{public, sent};
use crate::db::models::Post;
use crate::db::queries;
use crate::db::queries::moderation as mq;
use crate::error::{AppError, AppResult};
use crate::federation::incoming::post_by_id;
use crate::federation::qa::group_of;
use crate::federation::relay::{self, Origin};
use crate::federation::wire::object_id;
use crate::state::Ctx;
use activitypub_federation::kinds::activity::DeleteType;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A post deleted or removed.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Delete {
    #[serde(rename = "type")]
    pub kind: DeleteType,
    pub actor: String,
    pub object: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub audience: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

sent!(Delete);

impl Delete {
    /// The author `actor` deleted `post` in `group`.
    pub fn by_author(actor: &str, group: &str, post: &str) -> Self {
        Delete {
            kind: DeleteType::Delete,
            actor: actor.into(),
            object: post.into(),
            summary: None,
            to: public(),
            cc: vec![group.into()],
            audience: group.into(),
            id: None,
        }
    }

    /// The moderator `actor` removed `post` from `group` for `reason`.
    pub fn removal(actor: &str, group: &str, post: &str, reason: &str) -> Self {
        Delete {
            summary: Some(reason.into()),
            ..Delete::by_author(actor, group, post)
        }
    }
}

/// An actor's deletion of itself: sent when an admin deletes a local account, as
/// Mastodon and Lemmy send it (`removeData` is Lemmy's: the account's content goes too;
/// each post's own `Delete` is sent as well).
///
/// ```json
/// {"type": "Delete", "actor": "<person>", "object": "<person>",
///  "to": ["https://www.w3.org/ns/activitystreams#Public"], "removeData": true,
///  "id": ".../activities/delete/1"}
/// ```
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DeleteActor {
    #[serde(rename = "type")]
    pub kind: DeleteType,
    pub actor: String,
    pub object: String,
    pub to: Vec<String>,
    #[serde(rename = "removeData")]
    pub remove_data: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

sent!(DeleteActor);

impl DeleteActor {
    /// `actor` deleted itself, with its content.
    pub fn new(actor: &str) -> Self {
        DeleteActor {
            kind: DeleteType::Delete,
            actor: actor.into(),
            object: actor.into(),
            to: public(),
            remove_data: true,
            id: None,
        }
    }
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
        if on_removal(data, origin, &post, activity, false).await? {
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

#[cfg(test)]
mod tests {
    use super::super::sent::{to_json, Sent};
    use super::*;
    use serde_json::json;

    const ALICE: &str = "https://h.example/u/alice";
    const GROUP: &str = "https://h.example/g/printers";
    const POST: &str = "https://m.example/users/dave/statuses/1";

    #[test]
    fn author_delete_has_no_summary() {
        let mut d = Delete::by_author(ALICE, GROUP, POST);
        assert_eq!(d.kind(), "Delete");
        d.set_id("https://h.example/activities/delete/1".into());
        assert_eq!(
            to_json(&d).unwrap(),
            json!({
                "type": "Delete",
                "actor": ALICE,
                "object": POST,
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "cc": [GROUP],
                "audience": GROUP,
                "id": "https://h.example/activities/delete/1",
            })
        );
    }

    #[test]
    fn an_actor_deletes_itself_with_its_content() {
        let mut d = DeleteActor::new(ALICE);
        assert_eq!(d.kind(), "Delete");
        d.set_id("https://h.example/activities/delete/2".into());
        assert_eq!(
            to_json(&d).unwrap(),
            json!({
                "type": "Delete", "actor": ALICE, "object": ALICE,
                "to": ["https://www.w3.org/ns/activitystreams#Public"], "removeData": true,
                "id": "https://h.example/activities/delete/2",
            })
        );
    }

    #[test]
    fn removal_has_the_reason_and_no_id_until_given_one() {
        let d = Delete::removal(ALICE, GROUP, POST, "Spam");
        assert_eq!(
            to_json(&d).unwrap(),
            json!({
                "type": "Delete", "actor": ALICE, "object": POST, "summary": "Spam",
                "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [GROUP], "audience": GROUP,
            })
        );
    }
}
