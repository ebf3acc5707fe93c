//! Ideas (`Page`s of an ideas group) and their status. A question of an ideas group
//! carries `ideaStatus` (one of `new`, `under_review`, `planned`, `in_progress`,
//! `shipped`, `declined`, `merged`), `ideaStatusExplanation` when staff wrote one, and
//! for a merged duplicate `duplicateOf` (the idea it was merged into); the same status
//! is appended to `content` and `source` as text for servers that do not know these
//! terms (see [`crate::domain::ideas::fallback_html`]).
//!
//! ```json
//! {"type": "Update", "actor": "<group>", "audience": "<group>",
//!  "object": {"id": "<base>/q/5", "type": "Page", "name": "Dark mode",
//!    "content": "<p>Please.</p><hr><p><strong>Idea status: Planned</strong></p><p>Q3</p>",
//!    "ideaStatus": "planned", "ideaStatusExplanation": "Q3", ...}}
//! ```
//!
//! A status change is the group's own `Update` of the idea (announced to its followers
//! as everything in the group is). Received: the status is taken only from the idea's
//! group (directly or in its own announcement) or from one of the group's moderators on
//! the group's server; an `Update` carrying a status from anyone else is the author's
//! edit (its status ignored) or refused. The notes of cases on a question
//! ([`super::support_notes`]) take the same path.

use super::create;
use crate::actions::ideas::{merge_in, store_change};
use crate::db::models::Post;
use crate::db::queries::{self, ideas as iq};
use crate::db::DbConn;
use crate::domain::ideas::{fallback_html, GroupKind, IdeaStatus, MAX_EXPLANATION};
use crate::error::{AppError, AppResult};
use crate::federation::incoming::post_by_id;
use crate::federation::relay::Origin;
use crate::federation::wire::{id_of, same_server};
use crate::state::Ctx;
use serde_json::{json, Map, Value};

/// Adds the status of `post` (a question) to its JSON `m` when it is an idea: the
/// properties, and the text fallback appended to `content` and `source`.
pub fn add_status(c: &mut DbConn, post: &Post, m: &mut Map<String, Value>) -> AppResult<()> {
    let idea = iq::idea(c, post.id)?;
    let ideas_group = match post.group_id {
        Some(g) => iq::group_kind(c, g)?.as_deref() == Some(GroupKind::Ideas.as_str()),
        None => false,
    };
    if idea.is_none() && !ideas_group {
        return Ok(());
    }
    let status = crate::actions::ideas::status_of(idea.as_ref());
    let explanation = idea
        .as_ref()
        .map(|i| i.explanation.clone())
        .unwrap_or_default();
    let merged_into = match idea.as_ref().and_then(|i| i.merged_into) {
        Some(id) => queries::posts::by_id(c, id)?.map(|p| p.ap_id),
        None => None,
    };
    m.insert("ideaStatus".into(), json!(status.as_str()));
    if !explanation.is_empty() {
        m.insert("ideaStatusExplanation".into(), json!(explanation));
    }
    if let Some(url) = &merged_into {
        m.insert("duplicateOf".into(), json!(url));
    }
    let html = fallback_html(status, &explanation, merged_into.as_deref());
    if !html.is_empty() {
        let content = m.get("content").and_then(Value::as_str).unwrap_or_default();
        m.insert("content".into(), json!(format!("{content}{html}")));
        if let Some(source) = m.get_mut("source").and_then(Value::as_object_mut) {
            let md = source
                .get("content")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let text = fallback_md(status, &explanation, merged_into.as_deref());
            source.insert("content".into(), json!(format!("{md}{text}")));
        }
    }
    Ok(())
}

/// The fallback in Markdown, for `source`.
pub fn fallback_md(status: IdeaStatus, explanation: &str, merged_into: Option<&str>) -> String {
    if status == IdeaStatus::New && explanation.is_empty() {
        return String::new();
    }
    let head = match (status, merged_into) {
        (IdeaStatus::Merged, Some(url)) => format!("Idea status: Merged into <{url}>"),
        _ => format!("Idea status: {}", status.label()),
    };
    let mut out = format!("\n\n---\n\n**{head}**");
    if !explanation.is_empty() {
        out.push_str(&format!("\n\n{explanation}"));
    }
    out
}

/// What an idea object says of its status: the status, the explanation, the idea it
/// duplicates (its id).
pub struct Said {
    pub status: IdeaStatus,
    pub explanation: String,
    pub duplicate_of: Option<String>,
}

/// The status `object` carries, when it names one peerdesk knows.
pub fn said(object: &Map<String, Value>) -> Option<Said> {
    let status = object
        .get("ideaStatus")
        .and_then(Value::as_str)
        .and_then(IdeaStatus::parse)?;
    let explanation = object
        .get("ideaStatusExplanation")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    Some(Said {
        status,
        explanation,
        duplicate_of: object
            .get("duplicateOf")
            .and_then(id_of)
            .map(str::to_string),
    })
}

/// `content` (HTML) and `source` (Markdown) of an idea object without the fallback of
/// its status, as they were written.
pub fn strip(object: &Said, content: &str, source: Option<&str>) -> (String, Option<String>) {
    let (s, e, d) = (
        object.status,
        &object.explanation,
        object.duplicate_of.as_deref(),
    );
    let html = crate::domain::ideas::strip_fallback(content, s, e, d).to_string();
    let md = source.map(|md| {
        let fb = fallback_md(s, e, d);
        match fb.is_empty() {
            true => md.to_string(),
            false => md.strip_suffix(fb.as_str()).unwrap_or(md).to_string(),
        }
    });
    (html, md)
}

/// A new idea received from its group's server: its status as it stands (no history, no
/// notification: nothing changed), and its group known here as an ideas group.
pub fn first_status(
    c: &mut DbConn,
    post: &Post,
    group: &crate::db::models::Actor,
    said: &Said,
) -> AppResult<()> {
    if group.local || !same_server(&post.ap_id, &group.ap_id) || !post.is_question() {
        return Ok(());
    }
    iq::set_group_kind(c, group.id, GroupKind::Ideas.as_str())?;
    if said.status == IdeaStatus::New && said.explanation.is_empty() {
        return Ok(());
    }
    let merged_into = match (&said.status, &said.duplicate_of) {
        (IdeaStatus::Merged, Some(url)) => queries::posts::by_ap_id(c, url)?.map(|p| p.id),
        _ => None,
    };
    let explanation: String = said
        .explanation
        .trim()
        .chars()
        .take(MAX_EXPLANATION)
        .collect();
    iq::set_first(
        c,
        &iq::Idea {
            post_id: post.id,
            status: said.status.as_str().to_string(),
            explanation,
            merged_into,
            changed_by: Some(group.id),
            changed_at: post.published_at,
        },
    )
}

/// Whether an `Update` carries an idea's status.
pub fn carries_status(activity: &Value) -> bool {
    activity
        .get("object")
        .and_then(Value::as_object)
        .and_then(said)
        .is_some()
}

/// An `Update` of a question carrying what its group sets (an idea's status, the notes
/// of cases, see [`super::support_notes`]): applied when its group sent it (a status
/// also from a moderator of it on its server); else the author's edit, or refused.
pub async fn on_update(data: &Ctx, origin: &Origin<'_>, activity: &Value) -> AppResult<()> {
    let object = activity.get("object").cloned().unwrap_or(Value::Null);
    let object_id = id_of(&object).unwrap_or_default().to_string();
    let Some(post) = post_by_id(data, &object_id).await? else {
        return create::on_update(data, origin, activity).await;
    };
    let said = object.as_object().and_then(said);
    let notes = object.as_object().and_then(super::support_notes::said);
    if said.is_none() && notes.is_none() {
        return create::on_update(data, origin, activity).await;
    }
    let (gid, actor, via) = (post.group_id, origin.actor.clone(), origin.via.cloned());
    let pid = post.id;
    let author = post.author_id == actor.id;
    let applied = data
        .db
        .run(move |c| {
            c.transaction(|c| {
                let Some(group) = gid
                    .map(|g| queries::actors::by_id(c, g))
                    .transpose()?
                    .flatten()
                else {
                    return Ok(false);
                };
                // The notes of cases only from the group itself; a status also from one
                // of its moderators on its server.
                let by_group = actor.id == group.id;
                let moderator = said.is_some()
                    && same_server(&actor.ap_id, &group.ap_id)
                    && queries::groups::is_moderator(c, group.id, actor.id)?;
                let vouched = via.as_ref().is_none_or(|v| v.id == group.id);
                if group.local || !(by_group || moderator) || !vouched {
                    return Ok(false);
                }
                let post = crate::actions::post(c, pid)?;
                if let Some(said) = &said {
                    apply_status(c, &post, &group, said, actor.id)?;
                }
                if let Some(notes) = notes.as_deref().filter(|_| by_group) {
                    crate::actions::cases::receive_notes(c, &post, notes)?;
                }
                Ok(true)
            })
        })
        .await?;
    if applied {
        return Ok(());
    }
    if author {
        return create::on_update(data, origin, activity).await;
    }
    Err(AppError::Forbidden(
        "only the question's group sets its status or notes".into(),
    ))
}

/// Applies the status `said` of the idea `post` of `group`, set by `by`.
fn apply_status(
    c: &mut DbConn,
    post: &Post,
    group: &crate::db::models::Actor,
    said: &Said,
    by: i64,
) -> AppResult<()> {
    let explanation: String = said
        .explanation
        .trim()
        .chars()
        .take(MAX_EXPLANATION)
        .collect();
    let target = match (&said.status, &said.duplicate_of) {
        (IdeaStatus::Merged, Some(url)) => queries::posts::by_ap_id(c, url)?
            .filter(|t| t.group_id == Some(group.id) && t.id != post.id),
        _ => None,
    };
    let merged_into = target.as_ref().map(|t| t.id);
    let changed = store_change(c, post, said.status, &explanation, merged_into, Some(by))?;
    if let (Some(_), Some(target)) = (changed, target) {
        merge_in(c, post, &target)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_markdown_fallback_is_stripped_with_the_html_one() {
        let s = Said {
            status: IdeaStatus::Shipped,
            explanation: "In 2.0".into(),
            duplicate_of: None,
        };
        let html = format!("<p>x</p>{}", fallback_html(s.status, "In 2.0", None));
        let md = format!("x{}", fallback_md(s.status, "In 2.0", None));
        assert_eq!(
            strip(&s, &html, Some(&md)),
            ("<p>x</p>".into(), Some("x".into()))
        );
    }
}
