//! `Undo` of an earlier activity, embedded: a vote, an accepted answer, a moderator's
//! removal, lock or ban (addressed like the group's activities), or a follow (addressed
//! to the actor followed only, not public).
//!
//! ```json
//! {"type": "Undo", "actor": "<actor>", "object": {"type": "Lock", ...},
//!  "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": ["<group>"],
//!  "audience": "<group>", "id": ".../activities/undo/1"}
//! {"type": "Undo", "actor": "<follower>", "object": {"type": "Follow", ...},
//!  "to": ["<followed>"], "id": ".../activities/undo/2"}
//! ```

use super::sent::{public, Sent};
use activitypub_federation::kinds::activity::UndoType;
use serde::{Deserialize, Serialize};

/// `object` undone by `actor`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Undo<T> {
    #[serde(rename = "type")]
    pub kind: UndoType,
    pub actor: String,
    pub object: T,
    pub to: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cc: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

impl<T: Serialize> Sent for Undo<T> {
    fn kind(&self) -> String {
        self.kind.to_string()
    }
    fn set_id(&mut self, id: String) {
        self.id = Some(id);
    }
}

impl<T> Undo<T> {
    /// `actor` undoes `object` in `group`: public, like the group's other activities.
    pub fn in_group(actor: &str, group: &str, object: T) -> Self {
        Undo {
            cc: Some(vec![group.into()]),
            audience: Some(group.into()),
            ..Undo::to(actor, public(), object)
        }
    }

    /// `actor` undoes `object`, addressed to `to` only.
    pub fn to(actor: &str, to: Vec<String>, object: T) -> Self {
        Undo {
            kind: UndoType::Undo,
            actor: actor.into(),
            object,
            to,
            cc: None,
            audience: None,
            id: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::sent::to_json;
    use super::*;
    use serde_json::json;

    #[test]
    fn undo_in_a_group_is_public() {
        let mut u = Undo::in_group(
            "https://h.example/u/alice",
            "https://h.example/g/printers",
            json!({"type": "Lock"}),
        );
        assert_eq!(u.kind(), "Undo");
        u.set_id("https://h.example/activities/undo/1".into());
        assert_eq!(
            to_json(&u).unwrap(),
            json!({
                "type": "Undo",
                "actor": "https://h.example/u/alice",
                "object": {"type": "Lock"},
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "cc": ["https://h.example/g/printers"],
                "audience": "https://h.example/g/printers",
                "id": "https://h.example/activities/undo/1",
            })
        );
    }

    #[test]
    fn undo_to_an_actor_is_addressed_to_it_only() {
        let mut u = Undo::to(
            "https://h.example/u/alice",
            vec!["https://o.example/g/scanners".into()],
            json!({"type": "Follow"}),
        );
        u.set_id("https://h.example/activities/undo/2".into());
        assert_eq!(
            to_json(&u).unwrap(),
            json!({
                "id": "https://h.example/activities/undo/2",
                "type": "Undo",
                "actor": "https://h.example/u/alice",
                "object": {"type": "Follow"},
                "to": ["https://o.example/g/scanners"],
            })
        );
    }
}
