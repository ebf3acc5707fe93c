//! `Flag`: a report. Sent in two shapes, both with the reason in `summary` and in
//! `content`; embedded in a `Resolve` ([`super::resolve`]) as the other servers know
//! the report.
//!
//! Lemmy's shape, to the group's server: one object, the group in `to` and `audience`.
//!
//! ```json
//! {"id": ".../activities/flag/1", "type": "Flag", "actor": "<reporter or /actor>",
//!  "object": "<post or user>", "to": ["<group>"], "summary": "<reason>",
//!  "content": "<reason>", "audience": "<group>"}
//! ```
//!
//! Mastodon's shape, to the author's server: the account, then the post if any; no
//! addressing.
//!
//! ```json
//! {"id": ".../activities/flag/2", "type": "Flag", "actor": "<reporter or /actor>",
//!  "object": ["<account>", "<post>"], "summary": "<reason>", "content": "<reason>"}
//! ```

use super::sent::sent;
use activitypub_federation::kinds::activity::FlagType;
use serde::{Deserialize, Serialize};

/// What was reported: one post or user (Lemmy), or an account and its posts (Mastodon).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Reported {
    One(String),
    Many(Vec<String>),
}

/// A report.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Flag {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub kind: FlagType,
    pub actor: String,
    pub object: Reported,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<String>,
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
}

sent!(Flag);

impl Flag {
    /// The report `id` by `actor` about `object`, addressed to `to`: as embedded in a
    /// `Resolve` (no `content` nor `audience`).
    pub fn as_known(id: String, actor: String, to: String, object: String, reason: &str) -> Self {
        Flag {
            id: Some(id),
            kind: FlagType::Flag,
            actor,
            object: Reported::One(object),
            to: vec![to],
            summary: reason.into(),
            content: None,
            audience: None,
        }
    }

    /// Lemmy's shape: `actor` reports `object` (a post or user) to `group`.
    pub fn to_group(actor: &str, group: &str, object: &str, reason: &str) -> Self {
        Flag {
            id: None,
            kind: FlagType::Flag,
            actor: actor.into(),
            object: Reported::One(object.into()),
            to: vec![group.into()],
            summary: reason.into(),
            content: Some(reason.into()),
            audience: Some(group.into()),
        }
    }

    /// Mastodon's shape: `actor` reports `account` and its `post`, if any.
    pub fn to_author(actor: &str, account: &str, post: Option<&str>, reason: &str) -> Self {
        let mut objects = vec![account.to_string()];
        objects.extend(post.map(str::to_string));
        Flag {
            id: None,
            kind: FlagType::Flag,
            actor: actor.into(),
            object: Reported::Many(objects),
            to: vec![],
            summary: reason.into(),
            content: Some(reason.into()),
            audience: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::sent::{to_json, Sent};
    use super::*;
    use serde_json::json;

    const ALICE: &str = "https://h.example/u/alice";
    const GROUP: &str = "https://o.example/g/scanners";
    const DAVE: &str = "https://m.example/users/dave";
    const POST: &str = "https://m.example/users/dave/statuses/1";

    #[test]
    fn lemmy_shape_has_one_object_and_the_group() {
        let mut f = Flag::to_group(ALICE, GROUP, POST, "Fake number");
        assert_eq!(f.kind(), "Flag");
        f.set_id("https://h.example/activities/flag/1".into());
        assert_eq!(
            to_json(&f).unwrap(),
            json!({
                "id": "https://h.example/activities/flag/1", "type": "Flag", "actor": ALICE,
                "object": POST, "to": [GROUP], "summary": "Fake number",
                "content": "Fake number", "audience": GROUP,
            })
        );
    }

    #[test]
    fn mastodon_shape_has_the_account_then_the_post() {
        let mut f = Flag::to_author(ALICE, DAVE, Some(POST), "Fake number");
        f.set_id("https://h.example/activities/flag/2".into());
        assert_eq!(
            to_json(&f).unwrap(),
            json!({
                "id": "https://h.example/activities/flag/2", "type": "Flag", "actor": ALICE,
                "object": [DAVE, POST], "content": "Fake number", "summary": "Fake number",
            })
        );
        let f = Flag::to_author(ALICE, DAVE, None, "Spam");
        assert_eq!(to_json(&f).unwrap()["object"], json!([DAVE]));
    }

    #[test]
    fn as_known_is_what_a_resolve_embeds() {
        let f = Flag::as_known(
            "https://o.example/activities/flag/5".into(),
            "https://o.example/u/carol".into(),
            GROUP.into(),
            POST.into(),
            "spam link",
        );
        assert_eq!(
            to_json(&f).unwrap(),
            json!({
                "id": "https://o.example/activities/flag/5", "type": "Flag",
                "actor": "https://o.example/u/carol", "to": [GROUP], "object": POST,
                "summary": "spam link",
            })
        );
    }
}
