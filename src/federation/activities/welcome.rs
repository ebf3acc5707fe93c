//! A group's welcome to a newcomer from elsewhere: a `Create` of a `Note` sent by the
//! group to that person alone (their own inbox; no public, followers or `cc`), mentioning
//! them so that microblogs show it as a direct message. Sent once per person and group,
//! when the group accepts their `Follow` and has a welcome message. Never announced and
//! never served: the note's id does not resolve.
//!
//! ```json
//! {"id": ".../activities/create/1", "type": "Create", "actor": "<group>", "to": ["<person>"],
//!  "object": {"id": "<group>/welcome/1", "type": "Note", "attributedTo": "<group>",
//!             "to": ["<person>"], "content": "<p>Welcome!</p>",
//!             "source": {"content": "Welcome!", "mediaType": "text/markdown"},
//!             "tag": [{"type": "Mention", "href": "<person>", "name": "@name@host"}],
//!             "published": "..."}}
//! ```
//!
//! Received: a group's private `Note` to local people who follow it (or asked to) is
//! kept as their welcome to that group, once per person and group; the notifier tells
//! them. Private notes from anyone else are not kept.

use super::super::wire::{id_of, ids, is_public, same_server};
use super::sent::to_json;
use crate::db::models::Actor;
use crate::db::queries;
use crate::domain::groups::MAX_WELCOME;
use crate::domain::text::{markdown_to_html, sanitize_html};
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use activitypub_federation::kinds::activity::CreateType;
use activitypub_federation::kinds::link::MentionType;
use activitypub_federation::kinds::object::NoteType;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The welcome sent.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Welcome {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: CreateType,
    pub actor: String,
    pub to: Vec<String>,
    pub object: WelcomeNote,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WelcomeNote {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: NoteType,
    pub attributed_to: String,
    pub to: Vec<String>,
    pub content: String,
    pub source: Source,
    pub tag: Vec<Mention>,
    pub published: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    pub content: String,
    pub media_type: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Mention {
    #[serde(rename = "type")]
    pub kind: MentionType,
    pub href: String,
    pub name: String,
}

impl Welcome {
    /// The activity `id` (its row `n`) by which `group` welcomes `person` with
    /// `welcome_md`, published at `published`.
    pub fn new(
        id: String,
        n: i64,
        group: &Actor,
        person: &Actor,
        welcome_md: &str,
        published: String,
    ) -> Self {
        let to = vec![person.ap_id.clone()];
        Welcome {
            id,
            kind: CreateType::Create,
            actor: group.ap_id.clone(),
            to: to.clone(),
            object: WelcomeNote {
                id: format!("{}/welcome/{n}", group.ap_id),
                kind: NoteType::Note,
                attributed_to: group.ap_id.clone(),
                to,
                content: markdown_to_html(welcome_md),
                source: Source {
                    content: welcome_md.to_string(),
                    media_type: "text/markdown".into(),
                },
                tag: vec![Mention {
                    kind: MentionType::Mention,
                    href: person.ap_id.clone(),
                    name: format!("@{}", person.handle()),
                }],
                published,
            },
        }
    }

    pub fn json(&self) -> AppResult<Value> {
        to_json(self)
    }
}

/// Whether `activity` (sent directly by `signer`) is a group's private note: what
/// [`on_welcome`] takes.
pub fn is_welcome(signer: &Actor, activity: &Value) -> bool {
    let Some(object) = activity.get("object").filter(|o| o.is_object()) else {
        return false;
    };
    let mut addressed = ids(object.get("to"));
    addressed.extend(ids(object.get("cc")));
    addressed.extend(ids(activity.get("to")));
    addressed.extend(ids(activity.get("cc")));
    signer.is_group()
        && object.get("type").and_then(Value::as_str) == Some("Note")
        && object.get("inReplyTo").is_none_or(Value::is_null)
        && !is_public(&addressed)
        && !addressed.iter().any(|a| a.ends_with("/followers"))
}

/// A group's private note: kept as the welcome of each local person it is addressed to
/// who follows the group or asked to (once per person and group); ignored otherwise.
pub async fn on_welcome(data: &Ctx, group: &Actor, activity: &Value) -> AppResult<()> {
    let object = activity.get("object").cloned().unwrap_or(Value::Null);
    let id = id_of(&object).unwrap_or_default();
    if !same_server(id, &group.ap_id) || !ids(object.get("attributedTo")).contains(&group.ap_id) {
        return Err(AppError::Forbidden(
            "a group can only send its own notes".into(),
        ));
    }
    let content = object
        .get("content")
        .and_then(Value::as_str)
        .unwrap_or_default();
    // The sender's HTML of a message of MAX_WELCOME bytes, with room for its markup.
    if content.len() > MAX_WELCOME * 4 {
        return Err(AppError::TooLarge("the message is too long".into()));
    }
    let html = sanitize_html(content);
    let mut to = ids(object.get("to"));
    to.extend(ids(object.get("cc")));
    to.sort();
    to.dedup();
    let gid = group.id;
    let kept = data
        .db
        .run(move |c| {
            let mut kept = 0;
            for person in queries::actors::by_ap_ids(c, &to)? {
                let follows = queries::follows::get(c, person.id, gid)?.is_some();
                if person.local && !person.is_group() && follows {
                    kept += queries::groups::record_welcome(c, gid, person.id, &html)? as usize;
                }
            }
            Ok(kept)
        })
        .await?;
    if kept == 0 {
        tracing::info!(group = %group.ap_id, "ignoring a private note that welcomes nobody here");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn actor(ap_id: &str, kind: &str, name: &str) -> Actor {
        let mut a = crate::domain::site::new_local_actor(
            "https://h.example",
            kind,
            name,
            &format!("x/{name}"),
            ("k".into(), "p".into()),
        );
        a.ap_id = ap_id.into();
        a.domain = "m.example".into();
        a
    }

    #[test]
    fn the_welcome_is_addressed_to_the_newcomer_alone() {
        let group = actor("https://h.example/g/printers", "Group", "printers");
        let bob = actor("https://m.example/users/bob", "Person", "bob");
        let w = Welcome::new(
            "https://h.example/activities/create/9".into(),
            9,
            &group,
            &bob,
            "Hello **there**",
            "2026-12-07T00:00:00.000Z".into(),
        );
        let v = w.json().unwrap();
        assert_eq!(v["to"], json!(["https://m.example/users/bob"]));
        assert_eq!(v["object"]["to"], json!(["https://m.example/users/bob"]));
        assert!(v.get("cc").is_none() && v["object"].get("cc").is_none());
        assert_eq!(v["object"]["type"], "Note");
        assert_eq!(v["object"]["attributedTo"], group.ap_id);
        assert_eq!(v["object"]["tag"][0]["name"], "@bob@m.example");
        assert!(v["object"]["content"]
            .as_str()
            .unwrap()
            .contains("<strong>there</strong>"));
        assert!(is_welcome(&group, &v));
        assert!(!is_welcome(&bob, &v), "only groups welcome");
        let mut public = v.clone();
        public["object"]["cc"] = json!(["https://www.w3.org/ns/activitystreams#Public"]);
        assert!(!is_welcome(&group, &public));
    }
}
