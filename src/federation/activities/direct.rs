//! Private messages between people: a `Create` of a `Note` addressed to the recipient
//! alone (`to: [recipient]`, no `cc`, no `audience`, a `Mention` of them; never
//! announced), as Mastodon's direct visibility sends it; the same shape as a case
//! message ([`CaseDm`](super::case_message::CaseDm)), with `inReplyTo` the
//! conversation's previous message. A `Delete` of it goes to the recipient alone.
//!
//! Received: a `Create` of a `Note` or of a `ChatMessage` (Lemmy's private message),
//! signed by its author, addressed to local people only (no Public, no followers
//! collection, no group), that is not a reply to a case message (cases take those
//! first): kept as a message of each addressed local person's conversation with the
//! author. Never stored as a post.

use super::super::wire::{id_of, ids, is_public, same_server};
use crate::actions::conversations as conv;
use crate::db::models::Actor;
use crate::db::queries;
use crate::domain::cases::MAX_MESSAGE;
use crate::domain::text::sanitize_html;
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use serde_json::{json, Value};

/// The id of the Note of the message `message_id`; it does not resolve.
pub fn note_id(base: &str, message_id: i64) -> String {
    format!("{base}/messages/notes/{message_id}")
}

/// The `Delete` (activity `id`) by which `sender` withdraws the Note `note_id` sent to
/// `recipient`.
pub fn delete(id: &str, sender: &Actor, recipient: &Actor, note_id: &str) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": id,
        "type": "Delete",
        "actor": sender.ap_id,
        "to": [recipient.ap_id],
        "object": {"id": note_id, "type": "Tombstone"},
    })
}

/// Everyone a `Create` and its object are addressed to.
fn addressed(activity: &Value) -> Vec<String> {
    let object = activity.get("object").cloned().unwrap_or(Value::Null);
    let mut all = ids(object.get("to"));
    for v in [object.get("cc"), activity.get("to"), activity.get("cc")] {
        all.extend(ids(v));
    }
    all.extend(ids(object.get("audience")));
    all.sort();
    all.dedup();
    all
}

/// Whether the `Create` of `signer` is a private message: a `Note` or `ChatMessage`
/// object, addressed to nobody public, to no followers collection.
pub fn is_direct(signer: &Actor, activity: &Value) -> bool {
    let Some(object) = activity.get("object").filter(|o| o.is_object()) else {
        return false;
    };
    let kind = object.get("type").and_then(Value::as_str);
    if !matches!(kind, Some("Note" | "ChatMessage")) {
        return false;
    }
    let to = addressed(activity);
    !to.is_empty()
        && !is_public(&to)
        && !to.iter().any(|t| {
            t.ends_with("/followers") || signer.followers_url.as_deref() == Some(t.as_str())
        })
}

/// A private message: kept for each local person it is addressed to. `Ok(false)` when
/// it is addressed to no local person or to a group (it goes on as a post, if anything).
pub async fn on_direct(data: &Ctx, signer: &Actor, activity: &Value) -> AppResult<bool> {
    let to = addressed(activity);
    let base = data.base.clone();
    let local: Vec<String> = to.into_iter().filter(|t| same_server(t, &base)).collect();
    let found = data
        .db
        .run(move |c| queries::actors::by_ap_ids(c, &local))
        .await?;
    if found.iter().any(|a| a.is_group()) {
        return Ok(false);
    }
    let people: Vec<Actor> = found.into_iter().filter(|a| a.local).collect();
    if people.is_empty() {
        return Ok(false);
    }
    let object = activity.get("object").cloned().unwrap_or(Value::Null);
    let note = id_of(&object).unwrap_or_default().to_string();
    if !ids(object.get("attributedTo")).contains(&signer.ap_id)
        || !same_server(&note, &signer.ap_id)
    {
        return Err(AppError::Forbidden(
            "a private message is sent by its author".into(),
        ));
    }
    let content = object
        .get("content")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if content.len() > MAX_MESSAGE * 4 {
        return Err(AppError::TooLarge("the message is too long".into()));
    }
    let html = sanitize_html(content);
    let source = object
        .get("source")
        .and_then(|s| s.get("content"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let in_reply_to = object.get("inReplyTo").and_then(id_of).map(str::to_string);
    for person in &people {
        conv::receive(
            data,
            signer,
            person,
            &note,
            &html,
            source.clone(),
            in_reply_to.clone(),
        )
        .await?;
    }
    Ok(true)
}

/// A `Delete` of a private message by its author: `Ok(false)` when the object is no
/// private message here.
pub async fn on_delete(data: &Ctx, signer: &Actor, activity: &Value) -> AppResult<bool> {
    let Some(note) = activity.get("object").and_then(id_of) else {
        return Ok(false);
    };
    conv::receive_delete(data, signer, note).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(ap_id: &str) -> Actor {
        let mut a = crate::domain::site::new_local_actor(
            "https://m.example",
            "Person",
            "bob",
            "x/bob",
            ("k".into(), "p".into()),
        );
        a.ap_id = ap_id.into();
        a.followers_url = Some(format!("{ap_id}/followers"));
        a
    }

    #[test]
    fn direct_means_no_public_and_no_followers() {
        let bob = person("https://m.example/users/bob");
        let dm = json!({"type": "Create", "to": ["https://h.example/u/alice"],
            "object": {"type": "Note", "to": ["https://h.example/u/alice"], "cc": []}});
        assert!(is_direct(&bob, &dm));
        let chat = json!({"type": "Create", "to": ["https://h.example/u/alice"],
            "object": {"type": "ChatMessage", "to": ["https://h.example/u/alice"]}});
        assert!(is_direct(&bob, &chat));
        let public = json!({"type": "Create", "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "object": {"type": "Note", "to": ["https://h.example/u/alice"]}});
        assert!(!is_direct(&bob, &public));
        let followers = json!({"type": "Create", "to": ["https://h.example/u/alice"],
            "object": {"type": "Note", "cc": ["https://m.example/users/bob/followers"]}});
        assert!(!is_direct(&bob, &followers));
        let page = json!({"type": "Create", "to": ["https://h.example/u/alice"],
            "object": {"type": "Page"}});
        assert!(!is_direct(&bob, &page));
    }
}
