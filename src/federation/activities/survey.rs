//! A satisfaction survey to an asker on another server: the same direct `Create` of a
//! `Note` as a case message ([`CaseDm`](super::case_message::CaseDm)): sent by the
//! instance actor to the asker alone (their own inbox; no public, followers, `cc` or
//! `audience`; never announced), mentioning them, with no `inReplyTo`. Its id
//! (`https://HOST/surveys/notes/{id}`) does not resolve.
//!
//! Received answers, from the asker only (anyone else: 403, nothing kept):
//! - a `Create` of a `Note` (or `ChatMessage`) whose `inReplyTo` is the survey's Note:
//!   its text is read leniently (`domain::satisfaction::read_reply`: "yes", "Ja, danke",
//!   "nope"…) and kept as the answer's comment; a text that reads as neither is not
//!   counted. Never stored as a post or a private message.
//! - a `Like` (yes) or `Dislike` (no) whose object is the survey's Note.
//!
//! The first answer is kept.

use super::super::wire::{id_of, ids, same_server};
use crate::actions::satisfaction as sat;
use crate::db::models::Actor;
use crate::domain::satisfaction::{read_reply, Answer};
use crate::domain::text::sanitize_html;
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use serde_json::Value;

/// The id of the note of survey `survey_id`.
pub fn note_id(base: &str, survey_id: i64) -> String {
    format!("{base}/surveys/notes/{survey_id}")
}

/// Whether `id` is one of our survey notes.
fn is_survey_note(data: &Ctx, id: &str) -> bool {
    id.starts_with(&format!("{}/surveys/notes/", data.base))
}

/// A `Create` by `signer` replying to a survey's Note: its answer. `Ok(false)` when it
/// replies to no survey (it goes on as anything else).
pub async fn on_reply(data: &Ctx, signer: &Actor, activity: &Value) -> AppResult<bool> {
    let Some(object) = activity.get("object").filter(|o| o.is_object()) else {
        return Ok(false);
    };
    let Some(parent) = object.get("inReplyTo").and_then(id_of) else {
        return Ok(false);
    };
    if !is_survey_note(data, parent) {
        tracing::debug!(%parent, "a reply to no survey");
        return Ok(false);
    }
    let note = id_of(object).unwrap_or_default();
    let author_ok = ids(object.get("attributedTo")).contains(&signer.ap_id)
        && same_server(note, &signer.ap_id)
        && matches!(
            object.get("type").and_then(Value::as_str),
            Some("Note" | "ChatMessage")
        );
    if !author_ok {
        return Err(AppError::Forbidden(
            "a survey's answer is sent by its author".into(),
        ));
    }
    let content = object
        .get("content")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if content.len() > 64 * 1024 {
        return Err(AppError::TooLarge("the reply is too long".into()));
    }
    let text = crate::domain::posts::html_to_text(&sanitize_html(content));
    let answer = read_reply(&text);
    tracing::debug!(?answer, %parent, "a survey's answer received");
    // The comment: the reply's text without the mentions that open it.
    let comment: String = text
        .split_whitespace()
        .skip_while(|w| w.starts_with('@'))
        .collect::<Vec<_>>()
        .join(" ");
    sat::receive(data, signer, parent, answer, Some(comment)).await
}

/// A `Like` (yes) or `Dislike` (no) by `signer` of a survey's Note. `Ok(false)` when
/// its object is no survey's (it goes on as a vote).
pub async fn on_vote(data: &Ctx, signer: &Actor, activity: &Value) -> AppResult<bool> {
    let Some(object) = activity.get("object").and_then(id_of) else {
        return Ok(false);
    };
    if !is_survey_note(data, object) {
        return Ok(false);
    }
    let answer = match activity.get("type").and_then(Value::as_str) {
        Some("Like") => Answer::Yes,
        _ => Answer::No,
    };
    sat::receive(data, signer, object, Some(answer), None).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn note_ids_do_not_collide_with_other_notes() {
        let n = super::note_id("https://h.example", 7);
        assert_eq!(n, "https://h.example/surveys/notes/7");
        assert_ne!(
            n,
            super::super::case_message::note_id("https://h.example", 7)
        );
    }
}
