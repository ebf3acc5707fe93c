//! Support groups: creation, settings, moderators, bans.

use crate::db::models::{Actor, Group, User};
use crate::db::{now_ms, queries};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub const MAX_TITLE: usize = 200;
pub const MAX_TEXT: usize = 20_000;

fn check_texts(title: &str, description: &str, guidelines: &str) -> AppResult<()> {
    if title.trim().is_empty() || title.chars().count() > MAX_TITLE {
        return Err(AppError::Invalid(format!(
            "a title is 1-{MAX_TITLE} characters"
        )));
    }
    if description.len() > MAX_TEXT || guidelines.len() > MAX_TEXT {
        return Err(AppError::Invalid(format!(
            "description and guidelines are at most {MAX_TEXT} bytes each"
        )));
    }
    Ok(())
}

/// Creates a local group (a `Group` actor); the creator becomes its first moderator.
pub async fn create_group(
    state: &AppState,
    creator: Option<&User>,
    name: &str,
    title: &str,
    description_md: &str,
    guidelines_md: &str,
) -> AppResult<(Group, Actor)> {
    super::validate_name(name)?;
    check_texts(title, description_md, guidelines_md)?;
    let mut actor = super::site::new_local_actor(
        &state.base,
        "Group",
        name,
        &format!("g/{name}"),
        (state.key_pair)()?,
    );
    actor.display_name = Some(title.to_string());
    let group = Group {
        actor_id: actor.id,
        title: title.to_string(),
        description_md: description_md.to_string(),
        guidelines_md: guidelines_md.to_string(),
        created_by: creator.map(|u| u.id),
        created_at: now_ms(),
    };
    let creator_actor = creator.map(|u| u.actor_id);
    let (g, a) = (group.clone(), actor.clone());
    state
        .db
        .run(move |c| {
            c.transaction(|c| {
                if queries::actors::local_by_name(c, &a.name)?.is_some() {
                    return Err(AppError::Conflict(format!(
                        "the name '{}' is taken",
                        a.name
                    )));
                }
                queries::actors::insert(c, &a)?;
                queries::groups::insert(c, &g)?;
                if let Some(mod_id) = creator_actor {
                    queries::groups::add_moderator(c, a.id, mod_id)?;
                }
                Ok(())
            })
        })
        .await?;
    Ok((group, actor))
}

pub async fn update_group(
    state: &AppState,
    group_actor_id: i64,
    title: &str,
    description_md: &str,
    guidelines_md: &str,
) -> AppResult<()> {
    check_texts(title, description_md, guidelines_md)?;
    let (t, d, g) = (
        title.to_string(),
        description_md.to_string(),
        guidelines_md.to_string(),
    );
    state
        .db
        .run(move |c| {
            queries::groups::update(c, group_actor_id, &t, &d, &g)?;
            queries::actors::update_profile(c, group_actor_id, Some(t.clone()), None)
        })
        .await
}

/// A local group by name, with its actor.
pub async fn local_group(state: &AppState, name: &str) -> AppResult<(Group, Actor)> {
    let name = name.to_string();
    state
        .db
        .run(move |c| {
            let actor = queries::actors::local_by_name(c, &name)?
                .filter(|a| a.is_group() && !a.deleted)
                .ok_or_else(|| AppError::NotFound(format!("no group named '{name}'")))?;
            let group = queries::groups::by_actor_id(c, actor.id)?
                .ok_or_else(|| AppError::NotFound(format!("no group named '{name}'")))?;
            Ok((group, actor))
        })
        .await
}
