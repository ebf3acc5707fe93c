//! Organisations and verified staff: declaring an organisation, making a local user its
//! staff (or not), and the organisations whose staff a group recognises. Nothing of this
//! is sent as an activity: a staff claim is published in the actor's document and at the
//! organisation's `/.well-known/peerdesk-staff`, where other servers check it.

use super::rules;
use crate::db::models::{Actor, Organisation, User};
use crate::db::queries;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The longest organisation name, in bytes.
pub const MAX_ORG_NAME: usize = 100;

/// An organisation's name (trimmed): 1 to [`MAX_ORG_NAME`] bytes.
pub fn check_org_name(name: &str) -> AppResult<()> {
    let name = name.trim();
    if name.is_empty() || name.len() > MAX_ORG_NAME {
        return Err(AppError::Invalid(
            "an organisation name is 1-100 characters".into(),
        ));
    }
    Ok(())
}

/// An organisation's domain (trimmed, any case): a host name, without `/` or `@`.
pub fn check_org_domain(domain: &str) -> AppResult<()> {
    let domain = domain.trim();
    if domain.is_empty() || domain.contains('/') || domain.contains('@') {
        return Err(AppError::Invalid(
            "give the organisation's domain, like acme.example".into(),
        ));
    }
    Ok(())
}

/// Declares an organisation (admins). `domain` is the organisation's own domain, which
/// must publish its staff list.
pub async fn create_organisation(
    state: &AppState,
    admin: &User,
    name: &str,
    domain: &str,
    logo_url: Option<String>,
) -> AppResult<Organisation> {
    rules::require_admin(admin)?;
    check_org_name(name)?;
    check_org_domain(domain)?;
    let name = name.trim().to_string();
    let domain = domain.trim().to_lowercase();
    state
        .db
        .run(move |c| queries::staff::create_org(c, &name, &domain, logo_url.as_deref()))
        .await
}

/// Makes the local user `username` staff of the organisation `org`, or of none (admins).
pub async fn set_staff(
    state: &AppState,
    admin: &User,
    username: &str,
    org: Option<i64>,
) -> AppResult<()> {
    rules::require_admin(admin)?;
    let username = username.to_string();
    state
        .db
        .run(move |c| {
            c.transaction(|c| {
                let (user, actor) = queries::users::by_username(c, &username)?
                    .ok_or_else(|| AppError::NotFound("no such user".into()))?;
                if actor.deleted {
                    return Err(AppError::Gone("this account was deleted".into()));
                }
                if let Some(o) = org {
                    queries::staff::org(c, o)?
                        .ok_or_else(|| AppError::NotFound("no such organisation".into()))?;
                }
                queries::staff::set_user_org(c, user.id, org)
            })
        })
        .await
}

/// Sets the organisations whose staff `group` recognises (its moderators); returns them.
pub async fn set_group_organisations(
    state: &AppState,
    moderator: &Actor,
    group: &Actor,
    org_ids: Vec<i64>,
) -> AppResult<Vec<Organisation>> {
    let (moderator, group) = (moderator.clone(), group.clone());
    state
        .db
        .run(move |c| {
            c.transaction(|c| {
                if !rules::may_moderate(c, &group, &moderator)? {
                    return Err(AppError::Forbidden(
                        "only this group's moderators can do this".into(),
                    ));
                }
                for id in &org_ids {
                    queries::staff::org(c, *id)?
                        .ok_or_else(|| AppError::Invalid("no such organisation".into()))?;
                }
                queries::staff::set_group_orgs(c, group.id, &org_ids)?;
                queries::staff::group_orgs(c, group.id)
            })
        })
        .await
}
