//! `Create` and `Update` of a post: a new question, answer or comment, or the author's
//! edit. `object` is the whole `Page` or `Note` ([`crate::federation::post_json`]),
//! without `@context`.
//!
//! ```json
//! {"type": "Create", "actor": "<author>",
//!  "object": {"id": "<post>", "type": "Page", ...},
//!  "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": ["<group>"],
//!  "audience": "<group>", "id": ".../activities/create/1"}
//! ```

use super::sent::{kinds, public, sent};
use serde::{Deserialize, Serialize};
use serde_json::Value;

kinds!(
    /// `Create` or `Update`.
    CreateOrUpdateType { Create, Update }
);

/// A post created or edited by its author.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CreateOrUpdate {
    #[serde(rename = "type")]
    pub kind: CreateOrUpdateType,
    pub actor: String,
    pub object: Value,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub audience: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

sent!(CreateOrUpdate);

impl CreateOrUpdate {
    /// `kind` of the post `object` by `actor` in `group`. The activity is addressed to
    /// whoever the object is (a reply's `cc` names the author it answers), as Mastodon
    /// and ActivityPub expect of a `Create`.
    pub fn new(kind: CreateOrUpdateType, actor: &str, group: &str, object: Value) -> Self {
        let mut cc: Vec<String> = vec![group.into()];
        for c in crate::federation::wire::ids(object.get("cc")) {
            if !cc.contains(&c) {
                cc.push(c);
            }
        }
        CreateOrUpdate {
            kind,
            actor: actor.into(),
            object,
            to: public(),
            cc,
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
    fn create_and_update_keep_their_shape() {
        let page = json!({"id": "https://h.example/q/1", "type": "Page", "name": "E42"});
        for (kind, name) in [
            (CreateOrUpdateType::Create, "Create"),
            (CreateOrUpdateType::Update, "Update"),
        ] {
            let mut a = CreateOrUpdate::new(
                kind,
                "https://h.example/u/alice",
                "https://h.example/g/printers",
                page.clone(),
            );
            assert_eq!(a.kind(), name);
            a.set_id(format!(
                "https://h.example/activities/{}/7",
                name.to_lowercase()
            ));
            assert_eq!(
                to_json(&a).unwrap(),
                json!({
                    "type": name,
                    "actor": "https://h.example/u/alice",
                    "object": page,
                    "to": ["https://www.w3.org/ns/activitystreams#Public"],
                    "cc": ["https://h.example/g/printers"],
                    "audience": "https://h.example/g/printers",
                    "id": format!("https://h.example/activities/{}/7", name.to_lowercase()),
                })
            );
        }
    }
}
