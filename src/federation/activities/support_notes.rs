//! The public notes of cases on a question (`supportNotes`): what the organisations
//! handling a question in a private case chose to show on its thread (see
//! [`crate::actions::cases::public_notes`]). A question of a group hosted here carries the
//! notes of its cases, one object per note, its organisation's name and the note as
//! plain text; nothing else of a case (subject, messages, customer, number) is sent.
//!
//! ```json
//! {"type": "Update", "actor": "<group>", "audience": "<group>",
//!  "object": {"id": "<base>/q/5", "type": "Page", "content": "<p>The asker's text</p>",
//!    "supportNotes": [{"organisation": "Acme", "content": "Solved in case: firmware 2.1 fixes it"}],
//!    ...}}
//! ```
//!
//! Setting, changing or clearing a note is the **group's own** `Update` of the question
//! (sent like an idea's status change, see [`super::idea`]), which always carries the
//! property, `[]` when no note is left. A fetched question carries it only when it has
//! notes, and a peerdesk that fetches it from the group's server keeps them. Received:
//! an `Update` carrying `supportNotes` takes the same path as an idea's
//! status ([`super::idea::on_update`]); the notes replace those stored for the question
//! only when its group sent them (directly or in its own `Announce`). From the
//! question's author it is the author's edit (the notes ignored); from anyone else it is
//! refused with `403`. Never in `content` (the asker's text), never an answer.

use crate::db::models::{Actor, Post};
use crate::db::{queries, DbConn};
use crate::domain::cases::MAX_NOTE;
use crate::error::AppResult;
use crate::federation::wire::same_server;
use serde_json::{json, Map, Value};

/// The JSON key.
pub const KEY: &str = "supportNotes";
/// Notes kept of one question at most; more are dropped.
pub const MAX_NOTES: usize = 20;
/// Characters kept of an organisation's name.
pub const MAX_ORGANISATION: usize = 100;

/// Adds the notes of the cases on `post` (a question) to its JSON `m`, when its group is
/// hosted here and it has notes; with `always`, also an empty list (the group's `Update`
/// that clears them).
pub fn add(c: &mut DbConn, post: &Post, m: &mut Map<String, Value>, always: bool) -> AppResult<()> {
    let local_group = match post.group_id {
        Some(g) => queries::actors::by_id(c, g)?.is_some_and(|g| g.local && g.is_group()),
        None => false,
    };
    if !local_group || !post.is_question() {
        return Ok(());
    }
    let notes = crate::actions::cases::local_notes(c, post.id)?;
    if notes.is_empty() && !always {
        return Ok(());
    }
    let list: Vec<Value> = notes
        .into_iter()
        .map(|(organisation, content)| json!({"organisation": organisation, "content": content}))
        .collect();
    m.insert(KEY.into(), Value::Array(list));
    Ok(())
}

/// The notes an object carries, cleaned (trimmed, clipped, empty ones dropped, at most
/// [`MAX_NOTES`]); `None` when it carries none (the key is absent or not a list).
pub fn said(object: &Map<String, Value>) -> Option<Vec<(String, String)>> {
    let list = object.get(KEY)?.as_array()?;
    let notes = list
        .iter()
        .filter_map(|n| {
            let org = clip(
                n.get("organisation")?.as_str()?,
                MAX_ORGANISATION,
                usize::MAX,
            );
            let note = clip(n.get("content")?.as_str()?, usize::MAX, MAX_NOTE);
            (!org.is_empty() && !note.is_empty()).then_some((org, note))
        })
        .take(MAX_NOTES)
        .collect();
    Some(notes)
}

/// Whether an `Update` carries notes.
pub fn carried(activity: &Value) -> bool {
    activity
        .get("object")
        .and_then(Value::as_object)
        .and_then(said)
        .is_some()
}

/// The notes of a question of a group on another server, fetched from that server (the
/// group's server vouches for them): kept as they stand.
pub fn first_notes(
    c: &mut DbConn,
    post: &Post,
    group: &Actor,
    notes: &[(String, String)],
) -> AppResult<()> {
    if group.local || !same_server(&post.ap_id, &group.ap_id) || notes.is_empty() {
        return Ok(());
    }
    crate::actions::cases::receive_notes(c, post, notes)?;
    Ok(())
}

/// `s` trimmed, at most `chars` characters and `bytes` bytes, without control characters.
fn clip(s: &str, chars: usize, bytes: usize) -> String {
    let mut out = String::new();
    for ch in s.trim().chars().filter(|c| !c.is_control()).take(chars) {
        if out.len() + ch.len_utf8() > bytes {
            break;
        }
        out.push(ch);
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_cleaned_and_clipped() {
        let long = "é".repeat(MAX_NOTE);
        let object = json!({KEY: [
            {"organisation": " Acme ", "content": " Solved\n in 2.1 "},
            {"organisation": "", "content": "no organisation"},
            {"organisation": "X", "content": long},
            {"content": "no organisation at all"},
            "not an object",
        ]});
        let notes = said(object.as_object().unwrap()).unwrap();
        assert_eq!(notes.len(), 2);
        assert_eq!(notes[0], ("Acme".into(), "Solved in 2.1".into()));
        assert!(notes[1].1.len() <= MAX_NOTE && notes[1].1.len() > MAX_NOTE - 2);
        assert!(said(json!({}).as_object().unwrap()).is_none());
        assert!(said(json!({KEY: "x"}).as_object().unwrap()).is_none());
        let many: Vec<Value> = (0..50)
            .map(|i| json!({"organisation": "A", "content": i.to_string()}))
            .collect();
        let notes = said(json!({KEY: many}).as_object().unwrap()).unwrap();
        assert_eq!(notes.len(), MAX_NOTES);
    }
}
