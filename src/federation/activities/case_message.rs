//! A case's message to a customer on another server: a `Create` of a `Note` sent to the
//! customer alone (their own inbox; no public, followers, `cc` or `audience`; never
//! announced by a group), mentioning them so that microblogs show it as a direct
//! message. Its `inReplyTo` is the case's previous federated message (ours or theirs),
//! so that the customer's reply names a message of the case. The note's id does not
//! resolve: nothing of a case is served.
//!
//! ```json
//! {"id": ".../activities/create/1", "type": "Create", "actor": "<staff>", "to": ["<customer>"],
//!  "object": {"id": "https://HOST/cases/messages/7", "type": "Note",
//!             "attributedTo": "<staff>", "to": ["<customer>"],
//!             "inReplyTo": "<previous message of the case, or absent>",
//!             "content": "<p>…</p>", "source": {"content": "…", "mediaType": "text/markdown"},
//!             "tag": [{"type": "Mention", "href": "<customer>", "name": "@name@host"}],
//!             "published": "..."}}
//! ```
//!
//! Received: a `Create` of a `Note` whose `inReplyTo` is a message of a case lands in
//! that case when its author (and the activity's signer) is the case's customer,
//! whatever its addressing (Mastodon's direct reply is `to: [mentioned]`, `cc: []`), and
//! is never stored as a post. Anyone else's reply to a case message is refused (403)
//! and not stored.

use super::super::wire::{id_of, ids, same_server};
use super::sent::to_json;
use super::welcome::{Mention, Source};
use crate::actions::cases as case_actions;
use crate::db::models::Actor;
use crate::db::queries;
use crate::domain::cases::MAX_MESSAGE;
use crate::domain::text::{markdown_to_html, sanitize_html};
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use activitypub_federation::kinds::activity::CreateType;
use activitypub_federation::kinds::link::MentionType;
use activitypub_federation::kinds::object::NoteType;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The id of the note of the case message `message_id`.
pub fn note_id(base: &str, message_id: i64) -> String {
    format!("{base}/cases/messages/{message_id}")
}

/// The direct message sent.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CaseDm {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: CreateType,
    pub actor: String,
    pub to: Vec<String>,
    pub object: CaseNote,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseNote {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: NoteType,
    pub attributed_to: String,
    pub to: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_reply_to: Option<String>,
    pub content: String,
    pub source: Source,
    pub tag: Vec<Mention>,
    pub published: String,
}

impl CaseDm {
    /// The activity `id` by which `sender` sends `body_md` (the note `note_id`) to
    /// `customer`, replying to `in_reply_to`.
    pub fn new(
        id: String,
        note_id: String,
        sender: &Actor,
        customer: &Actor,
        body_md: &str,
        in_reply_to: Option<String>,
        published: String,
    ) -> Self {
        let to = vec![customer.ap_id.clone()];
        let mention = format!("@{}", customer.handle());
        // Microblogs show the mention; start the text with it, as they do.
        let content = format!(
            "<p><span class=\"h-card\"><a href=\"{}\" class=\"u-url mention\">{}</a></span></p>{}",
            crate::domain::text::escape(customer.url.as_deref().unwrap_or(&customer.ap_id)),
            crate::domain::text::escape(&mention),
            markdown_to_html(body_md)
        );
        CaseDm {
            id,
            kind: CreateType::Create,
            actor: sender.ap_id.clone(),
            to: to.clone(),
            object: CaseNote {
                id: note_id,
                kind: NoteType::Note,
                attributed_to: sender.ap_id.clone(),
                to,
                in_reply_to,
                content,
                source: Source {
                    content: body_md.to_string(),
                    media_type: "text/markdown".into(),
                },
                tag: vec![Mention {
                    kind: MentionType::Mention,
                    href: customer.ap_id.clone(),
                    name: mention,
                }],
                published,
            },
        }
    }

    pub fn json(&self) -> AppResult<Value> {
        to_json(self)
    }
}

/// The `inReplyTo` of the object of a `Create`, if any.
fn in_reply_to(activity: &Value) -> Option<String> {
    let object = activity.get("object").filter(|o| o.is_object())?;
    object.get("inReplyTo").and_then(id_of).map(str::to_string)
}

/// A `Create` sent directly by `signer` that replies to a message of a case: lands in
/// the case when `signer` is its customer and wrote the note; refused otherwise.
/// `Ok(false)` when it replies to no case message (it goes on as a post).
pub async fn on_reply(data: &Ctx, signer: &Actor, activity: &Value) -> AppResult<bool> {
    let Some(parent) = in_reply_to(activity) else {
        return Ok(false);
    };
    let p = parent.clone();
    let Some(previous) = data
        .db
        .run(move |c| queries::cases::message_by_ap_id(c, &p))
        .await?
    else {
        return Ok(false);
    };
    let object = activity.get("object").cloned().unwrap_or(Value::Null);
    let note = id_of(&object).unwrap_or_default().to_string();
    let author_ok = ids(object.get("attributedTo")).contains(&signer.ap_id)
        && same_server(&note, &signer.ap_id)
        && matches!(
            object.get("type").and_then(Value::as_str),
            Some("Note" | "ChatMessage")
        );
    let content = object
        .get("content")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if content.len() > MAX_MESSAGE * 4 {
        return Err(AppError::TooLarge("the message is too long".into()));
    }
    if !author_ok {
        return Err(AppError::Forbidden(
            "only the case's customer can reply to a case message".into(),
        ));
    }
    let html = sanitize_html(content);
    let source = object
        .get("source")
        .and_then(|s| s.get("content"))
        .and_then(Value::as_str)
        .map(str::to_string);
    case_actions::receive_reply(data, previous.case_id, signer, &note, &html, source).await?;
    Ok(true)
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
    fn the_case_message_is_addressed_to_the_customer_alone() {
        let staff = actor("https://h.example/u/alice", "Person", "alice");
        let bob = actor("https://m.example/users/bob", "Person", "bob");
        let dm = CaseDm::new(
            "https://h.example/activities/create/9".into(),
            note_id("https://h.example", 7),
            &staff,
            &bob,
            "Firmware **2.1**",
            Some("https://h.example/cases/messages/6".into()),
            "2026-12-07T00:00:00.000Z".into(),
        );
        let v = dm.json().unwrap();
        assert_eq!(v["to"], json!(["https://m.example/users/bob"]));
        assert_eq!(v["object"]["to"], json!(["https://m.example/users/bob"]));
        assert!(v.get("cc").is_none() && v["object"].get("cc").is_none());
        assert!(v["object"].get("audience").is_none());
        assert_eq!(v["object"]["id"], "https://h.example/cases/messages/7");
        assert_eq!(
            v["object"]["inReplyTo"],
            "https://h.example/cases/messages/6"
        );
        assert_eq!(v["object"]["tag"][0]["type"], "Mention");
        assert_eq!(v["object"]["tag"][0]["name"], "@bob@m.example");
        assert!(v["object"]["content"]
            .as_str()
            .unwrap()
            .contains("<strong>2.1</strong>"));
        assert_eq!(
            in_reply_to(&v).as_deref(),
            Some("https://h.example/cases/messages/6")
        );
    }
}
