//! Local accounts: registration, passwords (argon2), sessions (bearer tokens).

use crate::db::models::{Actor, User};
use crate::db::{ids::new_id, now_ms, queries};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use argon2::password_hash::{rand_core::OsRng, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, PasswordHash};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use sha2::{Digest, Sha256};

pub const MIN_PASSWORD: usize = 8;
/// Longest password accepted, in bytes (hashing cost grows with the input).
pub const MAX_PASSWORD: usize = 256;

#[derive(Debug, Clone, Copy, Default)]
pub struct Roles {
    pub admin: bool,
    pub staff: bool,
    pub can_create_groups: bool,
}

pub fn hash_password(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("password hashing failed: {e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Creates a local user with its `Person` actor and key pair.
pub async fn create_user(
    state: &AppState,
    username: &str,
    password: &str,
    roles: Roles,
) -> AppResult<(User, Actor)> {
    create_user_invited(state, username, password, roles, None).await
}

/// [`create_user`], using one use of the invitation whose code hashes to `invitation`
/// in the same transaction (refused when it has none left).
async fn create_user_invited(
    state: &AppState,
    username: &str,
    password: &str,
    roles: Roles,
    invitation: Option<String>,
) -> AppResult<(User, Actor)> {
    super::validate_name(username)?;
    if password.chars().count() < MIN_PASSWORD {
        return Err(AppError::Invalid(format!(
            "passwords need at least {MIN_PASSWORD} characters"
        )));
    }
    check_password_length(password)?;
    let password = password.to_string();
    let hash = state
        .password_gate
        .run(move || hash_password(&password))
        .await??;
    let actor = super::site::new_local_actor(
        &state.base,
        "Person",
        username,
        &format!("u/{username}"),
        (state.key_pair)()?,
    );
    let user = User {
        id: new_id(),
        actor_id: actor.id,
        username: username.to_string(),
        password_hash: hash,
        is_admin: roles.admin,
        is_staff: roles.staff,
        can_create_groups: roles.can_create_groups || roles.admin,
        organisation_id: None,
        suspended_at: None,
        suspension_reason: None,
        created_at: now_ms(),
    };
    let (u, a) = (user.clone(), actor.clone());
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
                if let Some(code) = &invitation {
                    if !queries::site::use_invitation(c, code, now_ms())? {
                        return Err(invitation_refused());
                    }
                }
                queries::actors::insert(c, &a)?;
                queries::users::insert(c, &u)?;
                Ok(())
            })
        })
        .await?;
    Ok((user, actor))
}

/// The hash kept of a session token or an invitation code (the code is not kept).
pub fn token_hash(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
}

pub fn check_password_length(password: &str) -> AppResult<()> {
    if password.len() > MAX_PASSWORD {
        return Err(AppError::Invalid(format!(
            "passwords are at most {MAX_PASSWORD} bytes"
        )));
    }
    Ok(())
}

/// A hash to check passwords against when there is no such user, so that an unknown
/// name costs as much as a wrong password (and timing does not tell names apart).
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        let random: [u8; 16] = rand::random();
        hash_password(&URL_SAFE_NO_PAD.encode(random)).unwrap_or_default()
    })
}

/// Checks a password and opens a session; returns the bearer token (stored hashed).
/// `client` is the caller's address, for the sign-in limits (see `login_limits`).
pub async fn login(
    state: &AppState,
    client: Option<std::net::IpAddr>,
    username: &str,
    password: &str,
) -> AppResult<(String, User)> {
    check_password_length(password)?;
    state.limits.login_attempt(client)?;
    state.limits.login_allowed(username)?;
    let name = username.to_string();
    let found = state
        .db
        .run(move |c| queries::users::by_username(c, &name))
        .await?;
    let password = password.to_string();
    let hash = found.as_ref().map(|(u, _)| u.password_hash.clone());
    let ok = state
        .password_gate
        .run(move || match &hash {
            Some(h) => verify_password(&password, h),
            None => verify_password(&password, dummy_hash()),
        })
        .await?;
    match found {
        // A deleted account has no password hash: `ok` is false for it.
        Some((user, _)) if ok && user.suspended() => Err(AppError::Forbidden(
            "this account is suspended; ask the instance's admins".into(),
        )),
        Some((user, _)) if ok => {
            let token = new_session(state, user.id).await?;
            Ok((token, user))
        }
        _ => {
            state.limits.login_failed(username);
            Err(AppError::Unauthenticated(
                "wrong username or password".into(),
            ))
        }
    }
}

/// Opens a session for a user; refused for a suspended or deleted account (whatever
/// the way in: signing in, registering, a password reset).
pub async fn new_session(state: &AppState, user_id: i64) -> AppResult<String> {
    let bytes: [u8; 32] = rand::random();
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    state
        .db
        .run(move |c| {
            let open = queries::users::by_id(c, user_id)?
                .is_some_and(|(u, a)| !u.suspended() && !a.deleted);
            if !open {
                return Err(AppError::Forbidden(
                    "this account is suspended or deleted".into(),
                ));
            }
            queries::users::create_session(c, &hash, user_id)
        })
        .await?;
    Ok(token)
}

/// The user a bearer token belongs to.
pub async fn authenticate(state: &AppState, token: &str) -> AppResult<(User, Actor)> {
    let hash = token_hash(token);
    state
        .db
        .run(move |c| queries::users::session_user(c, &hash))
        .await?
        .ok_or_else(|| AppError::Unauthenticated("invalid or expired token".into()))
}

pub async fn logout(state: &AppState, token: &str) -> AppResult<()> {
    let hash = token_hash(token);
    state
        .db
        .run(move |c| queries::users::delete_session(c, &hash))
        .await?;
    Ok(())
}

/// Registers an account as the API and the sign-up page do: while registrations are
/// open, or with a valid invitation code while they are by invitation; with the name and
/// password rules and the registration limits; opens a session and returns its token.
/// `client` is the caller's address.
pub async fn register(
    state: &AppState,
    client: Option<std::net::IpAddr>,
    username: &str,
    password: &str,
    invite: Option<&str>,
) -> AppResult<(String, User, Actor)> {
    use super::instance::Registrations;
    let invitation =
        match state.instance.get().registrations {
            Registrations::Open => None,
            Registrations::Closed => {
                return Err(AppError::Forbidden(
                    "registrations are closed on this instance".into(),
                ))
            }
            Registrations::Invite => match invite.map(str::trim).filter(|c| !c.is_empty()) {
                Some(code) => Some(token_hash(code)),
                None => return Err(AppError::Forbidden(
                    "registration on this instance is by invitation: an invitation code is needed"
                        .into(),
                )),
            },
        };
    crate::domain::names::check_new_name(username)?;
    check_password_length(password)?;
    state.limits.registration(client)?;
    if let Some(code) = invitation.clone() {
        let valid = state
            .db
            .run(move |c| queries::site::invitation_valid(c, &code, now_ms()))
            .await?;
        if !valid {
            return Err(invitation_refused());
        }
    }
    let roles = Roles::default();
    let (user, actor) = create_user_invited(state, username, password, roles, invitation).await?;
    let token = new_session(state, user.id).await?;
    Ok((token, user, actor))
}

fn invitation_refused() -> AppError {
    AppError::Forbidden(
        "this invitation cannot be used: it is unknown, used up, revoked or expired".into(),
    )
}

/// Changes a user's password after checking the current one; every other session of the
/// user ends (the one with `keep_token` stays signed in).
pub async fn change_password(
    state: &AppState,
    user: &User,
    current: &str,
    new: &str,
    keep_token: &str,
) -> AppResult<()> {
    check_password_length(current)?;
    check_password_length(new)?;
    if new.chars().count() < MIN_PASSWORD {
        return Err(AppError::Invalid(format!(
            "passwords need at least {MIN_PASSWORD} characters"
        )));
    }
    let (current, hash) = (current.to_string(), user.password_hash.clone());
    let ok = state
        .password_gate
        .run(move || verify_password(&current, &hash))
        .await?;
    if !ok {
        return Err(AppError::Unauthenticated("wrong current password".into()));
    }
    let new = new.to_string();
    let hash = state
        .password_gate
        .run(move || hash_password(&new))
        .await??;
    let (id, keep) = (user.id, token_hash(keep_token));
    state
        .db
        .run(move |c| {
            c.transaction(|c| {
                queries::users::set_password_hash(c, id, &hash)?;
                queries::users::delete_other_sessions(c, id, &keep)?;
                Ok(())
            })
        })
        .await
}

/// The longest display name, in characters.
pub const MAX_DISPLAY_NAME: usize = 100;
/// The longest bio (markdown), in bytes.
pub const MAX_BIO: usize = 5000;

/// Checks a profile's display name and bio (the API and the settings page).
pub fn check_profile(display_name: Option<&str>, bio: Option<&str>) -> AppResult<()> {
    if display_name.is_some_and(|n| n.chars().count() > MAX_DISPLAY_NAME)
        || bio.is_some_and(|b| b.len() > MAX_BIO)
    {
        return Err(AppError::Invalid(format!(
            "display names are at most {MAX_DISPLAY_NAME} characters, bios {MAX_BIO} bytes"
        )));
    }
    Ok(())
}
