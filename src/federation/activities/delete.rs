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

use super::sent::{public, sent};
use activitypub_federation::kinds::activity::DeleteType;
use serde::{Deserialize, Serialize};

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
