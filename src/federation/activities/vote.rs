//! `Like` and `Dislike`: an up-vote or a down-vote of a post. Withdrawing one sends an
//! `Undo` of the earlier vote ([`super::undo`]), embedded with its id (`null` when that
//! is not known), `actor`, `object` and `audience` only.
//!
//! ```json
//! {"id": ".../activities/like/1", "type": "Like", "actor": "<voter>", "object": "<post>",
//!  "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": ["<group>"],
//!  "audience": "<group>"}
//! ```
//!
//! Received: one vote per voter and post, refused from those banned in the group; votes
//! announced by a group only for posts in that group.

use super::sent::{kinds, public, sent};
use crate::db::models::Post;
use crate::db::queries;
use crate::error::{AppError, AppResult};
use crate::federation::incoming::{post_by_id, post_by_url};
use crate::federation::relay::{self, Origin};
use crate::federation::wire::object_id;
use crate::state::Ctx;
use serde::{Deserialize, Serialize};
use serde_json::Value;

kinds!(
    /// `Like` (up) or `Dislike` (down).
    VoteType { Like, Dislike }
);

impl VoteType {
    /// The type of a vote of `value` (up when positive).
    pub fn of(value: i32) -> VoteType {
        match value > 0 {
            true => VoteType::Like,
            false => VoteType::Dislike,
        }
    }
}

/// A vote on a post.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Vote {
    /// Always written, `null` for an earlier vote whose id is not known.
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub kind: VoteType,
    pub actor: String,
    pub object: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cc: Option<Vec<String>>,
    pub audience: String,
}

sent!(Vote);

impl Vote {
    /// `actor`'s vote of `value` on `post` in `group`.
    pub fn new(value: i32, actor: &str, group: &str, post: &str) -> Self {
        Vote {
            id: None,
            kind: VoteType::of(value),
            actor: actor.into(),
            object: post.into(),
            to: Some(public()),
            cc: Some(vec![group.into()]),
            audience: group.into(),
        }
    }

    /// The earlier vote `id` of `value`, as embedded in its `Undo`: not addressed.
    pub fn earlier(id: Option<String>, value: i32, actor: &str, group: &str, post: &str) -> Self {
        Vote {
            id,
            to: None,
            cc: None,
            ..Vote::new(value, actor, group, post)
        }
    }
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

#[cfg(test)]
mod tests {
    use super::super::sent::{to_json, Sent};
    use super::*;
    use serde_json::json;

    const ALICE: &str = "https://h.example/u/alice";
    const GROUP: &str = "https://h.example/g/printers";
    const POST: &str = "https://h.example/a/2";

    #[test]
    fn votes_keep_their_shape() {
        for (value, kind) in [(1, "Like"), (-1, "Dislike")] {
            let mut v = Vote::new(value, ALICE, GROUP, POST);
            assert_eq!(v.kind(), kind);
            v.set_id("https://h.example/activities/like/1".into());
            assert_eq!(
                to_json(&v).unwrap(),
                json!({
                    "id": "https://h.example/activities/like/1",
                    "type": kind,
                    "actor": ALICE,
                    "object": POST,
                    "to": ["https://www.w3.org/ns/activitystreams#Public"],
                    "cc": [GROUP],
                    "audience": GROUP,
                })
            );
        }
    }

    #[test]
    fn an_earlier_vote_is_not_addressed_and_keeps_a_null_id() {
        let id = Some("https://h.example/activities/like/1".to_string());
        let v = Vote::earlier(id.clone(), 1, ALICE, GROUP, POST);
        assert_eq!(
            to_json(&v).unwrap(),
            json!({"id": id, "type": "Like", "actor": ALICE, "object": POST, "audience": GROUP})
        );
        let v = Vote::earlier(None, -1, ALICE, GROUP, POST);
        assert_eq!(
            to_json(&v).unwrap(),
            json!({"id": null, "type": "Dislike", "actor": ALICE, "object": POST, "audience": GROUP})
        );
    }
}
