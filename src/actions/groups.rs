//! A group's settings, as its moderators change them: title, description, guidelines,
//! welcome message and posting rule ([`update_settings`]; an edit of what the group's
//! actor document shows federates as Lemmy's `Update` of the group, announced to its
//! followers), and privilege thresholds ([`set_privileges`]). Welcoming newcomers
//! ([`welcome_newcomer`]), once per person and group.

use super::{commit, rules, Outbox, Outgoing};
use crate::db::models::Actor;
use crate::db::queries::{self, reputation as rq};
use crate::db::DbConn;
use crate::domain::groups::Settings;
use crate::domain::text::markdown_to_html;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Highest reputation a privilege may ask for.
pub const MAX_THRESHOLD: i64 = 1_000_000;

/// The moderator `moderator` sets the settings of the local group `group`. Title,
/// description and guidelines are in the group's actor document: a change to them is
/// sent to the group's followers in the same transaction.
pub async fn update_settings(
    state: &AppState,
    moderator: &Actor,
    group: &Actor,
    settings: Settings,
) -> AppResult<()> {
    let settings = settings.checked()?;
    let (moderator, group) = (moderator.clone(), group.clone());
    commit(state, move |c, outbox| {
        rules::require_moderator(c, &group, &moderator)?;
        let before = queries::groups::by_actor_id(c, group.id)?
            .ok_or_else(|| AppError::NotFound("no such group here".into()))?;
        let row = queries::groups::Settings {
            title: &settings.title,
            description_md: &settings.description_md,
            guidelines_md: &settings.guidelines_md,
            welcome_md: &settings.welcome_md,
            who_may_ask: settings.who_may_ask.as_str(),
            personal_data_patterns: &settings.personal_data_patterns,
        };
        queries::groups::update(c, group.id, &row)?;
        if settings.changes_document(&before) {
            let title = Some(settings.title.clone());
            queries::actors::update_profile(c, group.id, title, None)?;
            let group = queries::actors::by_id(c, group.id)?.unwrap_or(group);
            outbox.record(c, &moderator, Outgoing::UpdateGroup { group })?;
        }
        Ok(())
    })
    .await
}

/// Sets the reputation each of `thresholds` (privilege, minimum) needs in `group` (its
/// moderators); returns every privilege of the group with its threshold.
pub async fn set_privileges(
    state: &AppState,
    moderator: &Actor,
    group: &Actor,
    thresholds: Vec<(String, i64)>,
) -> AppResult<Vec<(String, i64)>> {
    let (moderator, group) = (moderator.clone(), group.clone());
    state
        .db
        .run(move |c| {
            c.transaction(|c| {
                rules::require_moderator(c, &group, &moderator)?;
                for (privilege, min) in &thresholds {
                    check_threshold(privilege, *min)?;
                    rq::set_privilege(c, group.id, privilege, *min)?;
                }
                rq::privileges(c, group.id)
            })
        })
        .await
}

/// A privilege the group has, and a threshold in range.
pub fn check_threshold(privilege: &str, min: i64) -> AppResult<()> {
    if !rq::DEFAULT_PRIVILEGES.iter().any(|(p, _)| *p == privilege) {
        return Err(AppError::Invalid(format!(
            "unknown privilege; privileges are {}",
            rq::DEFAULT_PRIVILEGES.map(|(p, _)| p).join(", ")
        )));
    }
    if !(0..=MAX_THRESHOLD).contains(&min) {
        return Err(AppError::Invalid(format!(
            "a threshold is a reputation from 0 to {MAX_THRESHOLD}"
        )));
    }
    Ok(())
}

/// Welcomes `person` to the local `group` when they are new to it (no post there yet),
/// the group has a welcome message, and they were not welcomed before: records the
/// welcome (which the notifier turns into a notification for a local user) and, for
/// someone elsewhere, sends the group's message to them alone. Runs in the transaction
/// of their first post or follow; returns whether they were welcomed.
pub fn welcome_newcomer(
    c: &mut DbConn,
    outbox: &dyn Outbox,
    group: &Actor,
    person: &Actor,
) -> AppResult<bool> {
    if !group.local || !group.is_group() || person.is_group() || person.id == group.id {
        return Ok(false);
    }
    let Some(g) = queries::groups::by_actor_id(c, group.id)? else {
        return Ok(false);
    };
    let welcome_md = g.welcome_md.trim();
    if welcome_md.is_empty() || queries::asking::has_posted_in(c, person.id, group.id)? {
        return Ok(false);
    }
    let html = markdown_to_html(welcome_md);
    if !queries::groups::record_welcome(c, group.id, person.id, &html)? {
        return Ok(false);
    }
    if !person.local {
        let event = Outgoing::Welcome {
            person: person.clone(),
            welcome_md: welcome_md.to_string(),
        };
        outbox.record(c, group, event)?;
    }
    Ok(true)
}

/// Why the posting rule of `group` refuses a new question by `author`, if it does (see
/// [`rules::ask_refusal`]), on a connection of its own (for pages that explain it).
pub async fn ask_refusal(
    state: &AppState,
    group: &Actor,
    author: &Actor,
) -> AppResult<Option<rules::AskRefusal>> {
    let (group, author) = (group.clone(), author.clone());
    state
        .db
        .run(move |c| rules::ask_refusal(c, &group, &author))
        .await
}
