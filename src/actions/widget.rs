//! The help widget's settings: a group's moderators choose the sites that may embed it
//! (none listed: any site; see `domain::widget`).

use super::rules;
use crate::db::models::Actor;
use crate::db::queries;
use crate::error::AppResult;
use crate::state::AppState;

/// The moderator `moderator` sets the sites that may embed `group`'s widget; returns
/// them as stored.
pub async fn set_origins(
    state: &AppState,
    moderator: &Actor,
    group: &Actor,
    origins: Vec<String>,
) -> AppResult<Vec<String>> {
    let origins = crate::domain::widget::origins(&origins)?;
    let (moderator, group) = (moderator.clone(), group.clone());
    state
        .db
        .run(move |c| {
            c.transaction(|c| {
                rules::require_moderator(c, &group, &moderator)?;
                queries::widgets::set_origins(c, group.id, &origins)?;
                Ok(origins)
            })
        })
        .await
}

/// The sites that may embed `group`'s widget (empty: any).
pub async fn origins(state: &AppState, group: &Actor) -> AppResult<Vec<String>> {
    let id = group.id;
    state
        .db
        .run(move |c| queries::widgets::origins(c, id))
        .await
}
