//! `Block` (Lemmy's): a moderator banned `object` from the group in `target`, the reason
//! in `summary`. `removeData` is `true` when the person's posts in the group are removed
//! too; `expires` is there only for a time-limited ban. Lifting a ban sends an `Undo`
//! ([`super::undo`]) of a `Block` without an id.
//!
//! ```json
//! {"type": "Block", "actor": "<moderator>", "object": "<person>", "target": "<group>",
//!  "summary": "<reason>", "removeData": true, "expires": "2026-12-02T09:00:00.000Z",
//!  "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": ["<group>"],
//!  "audience": "<group>", "id": ".../activities/block/1"}
//! ```

use super::sent::{public, sent};
use activitypub_federation::kinds::activity::BlockType;
use serde::{Deserialize, Serialize};

/// Someone banned from a group.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Block {
    #[serde(rename = "type")]
    pub kind: BlockType,
    pub actor: String,
    pub object: String,
    pub target: String,
    pub summary: String,
    pub remove_data: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub audience: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

sent!(Block);

/// What a ban is: who, why, until when, with the person's posts or not.
pub struct Ban<'a> {
    pub person: &'a str,
    pub reason: &'a str,
    /// An ActivityPub timestamp ([`crate::federation::timestamps::ap_time`]).
    pub expires: Option<String>,
    pub remove_data: bool,
}

impl Block {
    /// The moderator `actor` bans from `group`.
    pub fn new(actor: &str, group: &str, ban: Ban<'_>) -> Self {
        Block {
            kind: BlockType::Block,
            actor: actor.into(),
            object: ban.person.into(),
            target: group.into(),
            summary: ban.reason.into(),
            remove_data: ban.remove_data,
            expires: ban.expires,
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
    const DAVE: &str = "https://m.example/users/dave";

    fn ban(expires: Option<&str>, remove_data: bool) -> Ban<'static> {
        Ban {
            person: DAVE,
            reason: "Spam",
            expires: expires.map(str::to_string),
            remove_data,
        }
    }

    #[test]
    fn block_has_expires_only_when_limited() {
        let mut b = Block::new(ALICE, GROUP, ban(Some("2026-12-02T09:00:00.000Z"), true));
        assert_eq!(b.kind(), "Block");
        b.set_id("https://h.example/activities/block/1".into());
        assert_eq!(
            to_json(&b).unwrap(),
            json!({
                "type": "Block", "actor": ALICE, "object": DAVE, "target": GROUP,
                "summary": "Spam", "removeData": true, "expires": "2026-12-02T09:00:00.000Z",
                "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [GROUP], "audience": GROUP,
                "id": "https://h.example/activities/block/1",
            })
        );
        let undo = Undo::in_group(ALICE, GROUP, Block::new(ALICE, GROUP, ban(None, false)));
        assert_eq!(
            to_json(&undo).unwrap()["object"],
            json!({
                "type": "Block", "actor": ALICE, "object": DAVE, "target": GROUP,
                "summary": "Spam", "removeData": false,
                "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [GROUP], "audience": GROUP,
            })
        );
    }
}
