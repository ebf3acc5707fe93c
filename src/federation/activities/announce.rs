//! `Announce` by a group hosted here (FEP-1b12): of an activity in the group, embedded
//! as sent or received without its `@context`; and, after a `Create` of an embedded
//! object, of the bare object id for microblogs (no `audience`, not public here). Both
//! carry `published`.
//!
//! ```json
//! {"id": ".../activities/announce/1", "type": "Announce", "actor": "<group>",
//!  "object": {"type": "Create", ...},
//!  "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": ["<group>/followers"],
//!  "audience": "<group>", "published": "2026-11-25T09:00:00.482Z"}
//! {"id": ".../activities/announce/2", "type": "Announce", "actor": "<group>",
//!  "object": "<post>", "to": ["https://www.w3.org/ns/activitystreams#Public"],
//!  "cc": ["<group>/followers"], "published": "2026-11-25T09:00:00.483Z"}
//! ```

use super::sent::public;
use activitypub_federation::kinds::activity::AnnounceType;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The group's announcement of `object`: an activity, or an object's id.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Announce {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: AnnounceType,
    pub actor: String,
    pub object: Value,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    pub published: String,
}

impl Announce {
    /// `group` (with its `followers` collection) announces `activity` (without
    /// `@context`) at `published`.
    pub fn activity(
        id: String,
        group: &str,
        followers: &str,
        activity: Value,
        published: String,
    ) -> Self {
        Announce {
            audience: Some(group.into()),
            ..Announce::object(id, group, followers, activity, published)
        }
    }

    /// `group` announces the bare `object` (an id) to microblogs.
    pub fn object(
        id: String,
        group: &str,
        followers: &str,
        object: Value,
        published: String,
    ) -> Self {
        Announce {
            id,
            kind: AnnounceType::Announce,
            actor: group.into(),
            object,
            to: public(),
            cc: vec![followers.into()],
            audience: None,
            published,
        }
    }
}

impl Announce {
    /// The same announcement for a private group's members only: addressed to its
    /// followers collection, never to the public.
    pub fn to_members(mut self) -> Self {
        self.to = std::mem::take(&mut self.cc);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::super::sent::to_json;
    use super::*;
    use serde_json::json;

    const GROUP: &str = "https://h.example/g/printers";
    const FOLLOWERS: &str = "https://h.example/g/printers/followers";
    const AT: &str = "2026-11-25T09:00:00.482Z";

    #[test]
    fn announce_of_an_activity_has_the_audience() {
        let create = json!({"type": "Create", "object": {"id": "https://h.example/q/1"}});
        let a = Announce::activity(
            "https://h.example/activities/announce/1".into(),
            GROUP,
            FOLLOWERS,
            create.clone(),
            AT.into(),
        );
        assert_eq!(
            to_json(&a).unwrap(),
            json!({
                "id": "https://h.example/activities/announce/1",
                "type": "Announce",
                "actor": GROUP,
                "object": create,
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "cc": [FOLLOWERS],
                "audience": GROUP,
                "published": AT,
            })
        );
    }

    #[test]
    fn announce_of_an_object_has_no_audience() {
        let a = Announce::object(
            "https://h.example/activities/announce/2".into(),
            GROUP,
            FOLLOWERS,
            json!("https://h.example/q/1"),
            AT.into(),
        );
        assert_eq!(
            to_json(&a).unwrap(),
            json!({
                "id": "https://h.example/activities/announce/2",
                "type": "Announce",
                "actor": GROUP,
                "object": "https://h.example/q/1",
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "cc": [FOLLOWERS],
                "published": AT,
            })
        );
    }
}
