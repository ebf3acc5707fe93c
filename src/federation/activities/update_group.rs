//! `Update` of a group (Lemmy's `UpdateCommunity`): a moderator changed the title,
//! description or guidelines of a group hosted here. The object is the group's whole
//! actor document; the group announces the activity to its followers (FEP-1b12).
//!
//! ```json
//! {"type": "Update", "actor": "<moderator>", "object": {"id": "<group>", "type": "Group", ...},
//!  "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": ["<group>"],
//!  "audience": "<group>", "id": ".../activities/update/1"}
//! ```
//!
//! Received: an `Update` whose object is the group that announced it, or the actor that
//! sent it, refreshes the stored actor (see [`super::on_update_actor`]).

use super::sent::{kinds, public, sent};
use serde::{Deserialize, Serialize};
use serde_json::Value;

kinds!(UpdateGroupType { Update });

/// A group's document changed.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UpdateGroup {
    #[serde(rename = "type")]
    pub kind: UpdateGroupType,
    pub actor: String,
    pub object: Value,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub audience: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

sent!(UpdateGroup);

impl UpdateGroup {
    /// The moderator `actor` updated `group`, whose document is now `document`.
    pub fn new(actor: &str, group: &str, document: Value) -> Self {
        UpdateGroup {
            kind: UpdateGroupType::Update,
            actor: actor.into(),
            object: document,
            to: public(),
            cc: vec![group.into()],
            audience: group.into(),
            id: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::sent::{to_json, Sent};
    use super::*;
    use serde_json::json;

    #[test]
    fn update_of_a_group_keeps_its_shape() {
        const GROUP: &str = "https://h.example/g/printers";
        let doc = json!({"id": GROUP, "type": "Group", "name": "Printer help"});
        let mut a = UpdateGroup::new("https://h.example/u/alice", GROUP, doc.clone());
        assert_eq!(a.kind(), "Update");
        a.set_id("https://h.example/activities/update/3".into());
        assert_eq!(
            to_json(&a).unwrap(),
            json!({
                "type": "Update",
                "actor": "https://h.example/u/alice",
                "object": doc,
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "cc": [GROUP],
                "audience": GROUP,
                "id": "https://h.example/activities/update/3",
            })
        );
    }
}
