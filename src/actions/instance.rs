//! The admin console's Instance page as actions (admins only): the run-time settings
//! (see `domain::instance`), invitations to register, and the instance's groups. The
//! JSON API and the page both call these.

use super::rules;
use crate::db::models::{Actor, Group, Invitation, User};
use crate::db::{ids::new_id, now_ms, queries};
use crate::domain::accounts::token_hash;
use crate::domain::instance::{Edit, GroupCreation, InstanceSettings};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Puts `settings` in force in this process: the pages, the inbox and the rate limits
/// read them from here.
pub fn put_in_force(state: &AppState, settings: InstanceSettings) {
    let (enabled, limits) = (settings.rate_limits, settings.instance_limits);
    if state.instance.set(settings) {
        state.limits.configure(enabled, limits);
    }
}

/// Saves the Instance page's settings and puts them in force; the instance actor's name
/// follows the site's. Other processes pick them up within `domain::instance::REFRESH`.
pub async fn save_settings(
    state: &AppState,
    admin: &User,
    edit: Edit,
) -> AppResult<std::sync::Arc<InstanceSettings>> {
    rules::require_admin(admin)?;
    let mut row = edit.check()?;
    row.updated_at = now_ms();
    row.updated_by = Some(admin.id);
    let settings = InstanceSettings::effective(&state.settings, Some(&row));
    let name = settings.name.clone();
    state
        .db
        .run(move |c| {
            c.transaction(|c| {
                queries::site::save_settings(c, &row)?;
                queries::site::rename_instance_actor(c, &name)
            })
        })
        .await?;
    put_in_force(state, settings);
    Ok(state.instance.get())
}

/// Whether `user` may create groups here: admins, those an admin allowed, and everyone
/// when the instance lets anyone.
pub fn may_create_groups(state: &AppState, user: &User) -> bool {
    user.is_admin
        || user.can_create_groups
        || state.instance.get().group_creation == GroupCreation::Anyone
}

/// [`may_create_groups`], as an error when not.
pub fn require_group_creator(state: &AppState, user: &User) -> AppResult<()> {
    if may_create_groups(state, user) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "you may not create groups on this instance".into(),
        ))
    }
}

/// Creates a local group as `creator` (who becomes its first moderator), when they may.
pub async fn create_group(
    state: &AppState,
    creator: &User,
    name: &str,
    title: &str,
    description_md: &str,
    guidelines_md: &str,
) -> AppResult<(Group, Actor)> {
    require_group_creator(state, creator)?;
    crate::domain::names::check_new_name(name)?;
    crate::domain::groups::create_group(
        state,
        Some(creator),
        name,
        title,
        description_md,
        guidelines_md,
    )
    .await
}

/// The local account (not a group, not deleted) that `handle` names: `name`, `@name` or
/// `name@` this instance's domain; `None` when there is none.
pub async fn local_account(state: &AppState, handle: &str) -> AppResult<Option<Actor>> {
    let handle = handle.trim().trim_start_matches('@');
    let name = match handle.split_once('@') {
        Some((name, host)) if host.eq_ignore_ascii_case(state.domain()) => name,
        Some(_) => return Ok(None),
        None => handle,
    }
    .to_string();
    state
        .db
        .run(move |c| {
            Ok(queries::actors::local_by_name(c, &name)?.filter(|a| !a.is_group() && !a.deleted))
        })
        .await
}

/// Hands a local group over to the local account `to`: they become its moderator and,
/// with `replace`, the moderators before them stop being moderators. Each change
/// federates as a moderator's `Add`/`Remove` does.
pub async fn hand_over(
    state: &AppState,
    admin: &User,
    admin_actor: &Actor,
    group: &Actor,
    to: &Actor,
    replace: bool,
) -> AppResult<()> {
    rules::require_admin(admin)?;
    if !group.local || !group.is_group() {
        return Err(AppError::Invalid(
            "only this instance's groups can be handed over".into(),
        ));
    }
    if !to.local || to.is_group() || to.deleted {
        return Err(AppError::Invalid(
            "a group is handed over to a local account".into(),
        ));
    }
    let gid = group.id;
    let before = state
        .db
        .run(move |c| queries::groups::moderators(c, gid))
        .await?;
    if !before.iter().any(|m| m.id == to.id) {
        super::moderation::set_moderator(state, admin_actor, group, to, true).await?;
    }
    if replace {
        for m in before.iter().filter(|m| m.id != to.id) {
            super::moderation::set_moderator(state, admin_actor, group, m, false).await?;
        }
    }
    Ok(())
}

/// Deletes a local group (admins), with a reason for the instance's moderation log: the
/// group's actor is marked deleted (its pages answer 410, its name stays taken), its
/// posts are removed here, its follows end, and a `Delete` of the group, sent by the
/// group, goes to the servers this one knows, as for a deleted account. Returns how
/// many posts were removed.
pub async fn delete_group(
    state: &AppState,
    admin: &User,
    admin_actor: &Actor,
    group: &Actor,
    reason: &str,
) -> AppResult<usize> {
    rules::require_admin(admin)?;
    if !group.local || !group.is_group() || group.deleted {
        return Err(AppError::NotFound("no such group".into()));
    }
    let reason = reason.trim().to_string();
    super::people::check_reason(&reason, true)?;
    let (admin_actor, group) = (admin_actor.clone(), group.clone());
    super::commit(state, move |c, outbox| {
        let removed = queries::posts::remove_all_in_group(c, group.id)?;
        queries::actors::mark_deleted(c, group.id)?;
        queries::follows::delete_all_of(c, group.id)?;
        queries::moderation::log(
            c,
            queries::moderation::LogEntry {
                group_id: None,
                moderator_id: Some(admin_actor.id),
                action: "delete_group",
                target_actor_id: Some(group.id),
                post_id: None,
                domain: None,
                reason: &reason,
            },
        )?;
        outbox.record(c, &group, super::Outgoing::DeleteAccount)?;
        Ok(removed)
    })
    .await
}

/// The longest invitation note, in characters.
pub const MAX_NOTE: usize = 200;

/// Makes an invitation to register (admins, on the Instance page): returns the row and
/// the code, which is shown once and not kept. `max_uses` 1–1000, `days` until it
/// expires (none: never).
pub async fn invite(
    state: &AppState,
    admin: &User,
    note: &str,
    max_uses: i32,
    days: Option<i64>,
) -> AppResult<(Invitation, String)> {
    rules::require_admin(admin)?;
    if !(1..=1000).contains(&max_uses) {
        return Err(AppError::Invalid(
            "an invitation can be used 1 to 1000 times".into(),
        ));
    }
    if days.is_some_and(|d| !(1..=365).contains(&d)) {
        return Err(AppError::Invalid(
            "an invitation expires after 1 to 365 days, or never".into(),
        ));
    }
    let note = note.trim();
    if note.chars().count() > MAX_NOTE {
        return Err(AppError::Invalid(format!(
            "the note is at most {MAX_NOTE} characters"
        )));
    }
    let code = {
        use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
        URL_SAFE_NO_PAD.encode(rand::random::<[u8; 18]>())
    };
    let now = now_ms();
    let row = Invitation {
        id: new_id(),
        code_hash: token_hash(&code),
        created_by: Some(admin.id),
        note: note.to_string(),
        max_uses,
        uses: 0,
        expires_at: days.map(|d| now + d * 24 * 3600 * 1000),
        revoked: false,
        created_at: now,
    };
    let r = row.clone();
    state
        .db
        .run(move |c| queries::site::insert_invitation(c, &r))
        .await?;
    Ok((row, code))
}

/// Revokes an invitation: it cannot be used any more.
pub async fn revoke_invitation(state: &AppState, admin: &User, id: i64) -> AppResult<()> {
    rules::require_admin(admin)?;
    if state
        .db
        .run(move |c| queries::site::revoke_invitation(c, id))
        .await?
    {
        Ok(())
    } else {
        Err(AppError::NotFound("no such invitation".into()))
    }
}

/// The newest invitations (admins).
pub async fn invitations(state: &AppState, admin: &User) -> AppResult<Vec<Invitation>> {
    rules::require_admin(admin)?;
    state.db.run(|c| queries::site::invitations(c, 100)).await
}
