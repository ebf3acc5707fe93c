//! `Lock` (Lemmy's): a moderator locked a question, the reason in `summary`. Unlocking
//! sends an `Undo` ([`super::undo`]) of a `Lock` without an id.
//!
//! ```json
//! {"type": "Lock", "actor": "<moderator>", "object": "<question>", "summary": "<reason>",
//!  "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": ["<group>"],
//!  "audience": "<group>", "id": ".../activities/lock/1"}
//! ```

use super::sent::{kinds, public, sent};
use serde::{Deserialize, Serialize};

kinds!(LockType { Lock });

/// A question locked.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Lock {
    #[serde(rename = "type")]
    pub kind: LockType,
    pub actor: String,
    pub object: String,
    pub summary: String,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub audience: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

sent!(Lock);

impl Lock {
    /// The moderator `actor` locks `question` in `group` for `reason`.
    pub fn new(actor: &str, group: &str, question: &str, reason: &str) -> Self {
        Lock {
            kind: LockType::Lock,
            actor: actor.into(),
            object: question.into(),
            summary: reason.into(),
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
    use super::super::undo::Undo;
    use super::*;
    use serde_json::json;

    const ALICE: &str = "https://h.example/u/alice";
    const GROUP: &str = "https://h.example/g/printers";
    const Q: &str = "https://h.example/q/1";

    #[test]
    fn lock_and_its_undo_keep_their_shape() {
        let lock = json!({
            "type": "Lock", "actor": ALICE, "object": Q, "summary": "Solved",
            "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [GROUP], "audience": GROUP,
        });
        let mut undo = Undo::in_group(ALICE, GROUP, Lock::new(ALICE, GROUP, Q, "Solved"));
        undo.set_id("https://h.example/activities/undo/2".into());
        assert_eq!(
            to_json(&undo).unwrap(),
            json!({
                "type": "Undo", "actor": ALICE, "object": lock,
                "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [GROUP], "audience": GROUP,
                "id": "https://h.example/activities/undo/2",
            })
        );
        let mut l = Lock::new(ALICE, GROUP, Q, "Solved");
        assert_eq!(l.kind(), "Lock");
        l.set_id("https://h.example/activities/lock/1".into());
        let mut expected = lock;
        expected["id"] = json!("https://h.example/activities/lock/1");
        assert_eq!(to_json(&l).unwrap(), expected);
    }
}
