//! Self-service through search: opening a search result records a click for the
//! result's group (search deflection in the support metrics) and leads to the result. A
//! question asked within a day by the same person, or from the same browser before
//! signing in, makes their clicks not deflection.

use crate::actions::rules;
use crate::db::models::Actor;
use crate::db::{now_ms, queries};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// A search result.
#[derive(Clone, Copy, Debug)]
pub enum Hit {
    /// A question or an answer.
    Post(i64),
    /// A knowledge article.
    Article(i64),
}

/// Records that `viewer` (signed in or not) opened `hit` from the browser `browser`;
/// the path to show it. A result the viewer may not read is a 404, and is not counted.
pub async fn open(
    state: &AppState,
    viewer: Option<&Actor>,
    browser: &str,
    hit: Hit,
) -> AppResult<String> {
    let viewer = viewer.cloned();
    let browser = browser.to_string();
    state
        .db
        .run(move |c| {
            let gone = || AppError::NotFound("no such search result".into());
            let (group, path) = match hit {
                Hit::Post(id) => {
                    let post = queries::posts::by_id(c, id)?.ok_or_else(gone)?;
                    if post.deleted
                        || post.removed
                        || !rules::may_read_post(c, &post, viewer.as_ref())?
                    {
                        return Err(gone());
                    }
                    let path = match post.question_id {
                        Some(q) if !post.is_question() => format!("/q/{q}#p{}", post.id),
                        _ => format!("/q/{}", post.id),
                    };
                    (post.group_id, path)
                }
                Hit::Article(id) => {
                    let a = queries::articles::by_id(c, id)?.ok_or_else(gone)?;
                    (Some(a.group_id), format!("/kb/{id}"))
                }
            };
            if let Some(g) = group {
                let actor = viewer.as_ref().filter(|a| a.local).map(|a| a.id);
                queries::search_clicks::record(c, g, actor, &browser, now_ms())?;
            }
            Ok(path)
        })
        .await
}

/// `actor` signed in from `browser`: the clicks made there before count as theirs.
pub async fn claim(state: &AppState, browser: &str, actor: i64) -> AppResult<()> {
    let browser = browser.to_string();
    state
        .db
        .run(move |c| queries::search_clicks::claim(c, &browser, actor))
        .await
}
