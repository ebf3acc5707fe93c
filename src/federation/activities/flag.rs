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
//!
//! Received: Mastodon's, Lemmy's, Misskey's and peerdesk's shapes become a report in the
//! group's queue (or the instance's, for a user).

use super::sent::sent;
use crate::db::ids::new_id;
use crate::db::models::Actor;
use crate::db::models::Report;
use crate::db::queries::moderation as mq;
use crate::db::{now_ms, queries};
use crate::error::AppResult;
use crate::federation::qa::group_of;
use crate::federation::wire::ids;
use crate::state::Ctx;
use activitypub_federation::kinds::activity::FlagType;
use serde::{Deserialize, Serialize};
use serde_json::Value;

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

/// An incoming `Flag` (Mastodon, Lemmy, Misskey, peerdesk shapes).
pub async fn on_flag(data: &Ctx, reporter: &Actor, activity: &Value) -> AppResult<()> {
    let reason = ["summary", "content"]
        .iter()
        .filter_map(|k| activity.get(*k).and_then(Value::as_str))
        .find(|s| !s.is_empty())
        .unwrap_or("(no reason given)")
        .chars()
        .take(2000)
        .collect::<String>();
    let mut post = None;
    let mut target = None;
    for id in ids(activity.get("object")) {
        let i2 = id.clone();
        let (p, a) = data
            .db
            .run(move |c| {
                Ok((
                    queries::posts::by_ap_id(c, &i2)?,
                    queries::actors::by_ap_id(c, &i2)?,
                ))
            })
            .await?;
        if p.is_some() && post.is_none() {
            post = p;
        } else if a.is_some() && target.is_none() {
            target = a;
        }
    }
    if post.is_none() && target.is_none() {
        tracing::info!("Flag about nothing known here ignored");
        return Ok(());
    }
    let group = match &post {
        Some(p) => Some(group_of(data, p).await?),
        None => None,
    };
    let row = Report {
        id: new_id(),
        ap_id: activity
            .get("id")
            .and_then(Value::as_str)
            .map(str::to_string),
        reporter_id: reporter.id,
        reporter_domain: reporter.domain.clone(),
        group_id: group.filter(|g| g.local).map(|g| g.id),
        target_actor_id: target
            .as_ref()
            .map(|a| a.id)
            .or(post.as_ref().map(|p| p.author_id)),
        post_id: post.map(|p| p.id),
        reason,
        status: "open".into(),
        resolution_note: None,
        resolved_by: None,
        resolved_at: None,
        created_at: now_ms(),
    };
    data.db.run(move |c| mq::insert_report(c, &row)).await?;
    Ok(())
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
