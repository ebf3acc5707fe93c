//! `Like` and `Dislike`: an up-vote or a down-vote of a post. Withdrawing one sends an
//! `Undo` of the earlier vote ([`super::undo`]), embedded with its id (`null` when that
//! is not known), `actor`, `object` and `audience` only.
//!
//! ```json
//! {"id": ".../activities/like/1", "type": "Like", "actor": "<voter>", "object": "<post>",
//!  "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": ["<group>"],
//!  "audience": "<group>"}
//! ```

use super::sent::{kinds, public, sent};
use serde::{Deserialize, Serialize};

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
