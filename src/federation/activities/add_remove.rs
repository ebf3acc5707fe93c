//! `Add` and `Remove` (Lemmy's): a moderator changed the group's `moderators`
//! collection (`object` is the person) or its `featured` collection (`object` is the
//! question).
//!
//! ```json
//! {"type": "Add", "actor": "<moderator>", "object": "<person or question>",
//!  "target": "<group>/moderators", "to": ["https://www.w3.org/ns/activitystreams#Public"],
//!  "cc": ["<group>"], "audience": "<group>", "id": ".../activities/add/1"}
//! ```

use super::sent::{kinds, public, sent};
use serde::{Deserialize, Serialize};

kinds!(
    /// `Add` or `Remove`.
    AddOrRemoveType { Add, Remove }
);

/// The group's collections that moderators change.
#[derive(Clone, Copy, Debug)]
pub enum Collection {
    Moderators,
    Featured,
}

/// `object` added to (removed from) a collection of the group.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AddOrRemove {
    #[serde(rename = "type")]
    pub kind: AddOrRemoveType,
    pub actor: String,
    pub object: String,
    pub target: String,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub audience: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

sent!(AddOrRemove);

impl AddOrRemove {
    /// The moderator `actor` adds `object` to the `collection` of `group` (or, without
    /// `add`, removes it).
    pub fn new(add: bool, actor: &str, group: &str, collection: Collection, object: &str) -> Self {
        let name = match collection {
            Collection::Moderators => "moderators",
            Collection::Featured => "featured",
        };
        AddOrRemove {
            kind: match add {
                true => AddOrRemoveType::Add,
                false => AddOrRemoveType::Remove,
            },
            actor: actor.into(),
            object: object.into(),
            target: format!("{group}/{name}"),
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

    const ALICE: &str = "https://h.example/u/alice";
    const GROUP: &str = "https://h.example/g/printers";

    #[test]
    fn add_and_remove_name_the_collection() {
        for (add, kind, collection, name, object) in [
            (
                true,
                "Add",
                Collection::Moderators,
                "moderators",
                "https://o.example/u/bob",
            ),
            (
                false,
                "Remove",
                Collection::Featured,
                "featured",
                "https://h.example/q/1",
            ),
        ] {
            let mut a = AddOrRemove::new(add, ALICE, GROUP, collection, object);
            assert_eq!(a.kind(), kind);
            a.set_id("https://h.example/activities/add/1".into());
            assert_eq!(
                to_json(&a).unwrap(),
                json!({
                    "type": kind, "actor": ALICE, "object": object,
                    "target": format!("{GROUP}/{name}"),
                    "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [GROUP], "audience": GROUP,
                    "id": "https://h.example/activities/add/1",
                })
            );
        }
    }
}
