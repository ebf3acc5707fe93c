//! Email addresses, their verification, password reset by email and unsubscribe links.
//!
//! Tokens sent by email are 256 random bits, single-use and expiring; only their SHA-256
//! is stored. Each email is queued in the mail outbox in the transaction that causes it
//! (see `mail`), so an address change and its verification email commit together.

use crate::db::ids::new_id;
use crate::db::models::User;
use crate::db::notification_kinds::Kind;
use crate::db::queries::{self, email as eq};
use crate::db::{now_ms, DbConn};
use crate::domain::accounts::{self, MAX_PASSWORD, MIN_PASSWORD};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use sha2::{Digest, Sha256};
use std::time::Duration;

pub const VERIFY: &str = "verify";
pub const RESET: &str = "reset";
/// How long a verification link works.
pub const VERIFY_TTL_MS: i64 = 48 * 3600 * 1000;
/// How long a password reset link works.
pub const RESET_TTL_MS: i64 = 3600 * 1000;
/// Longest address accepted (RFC 5321's path limit).
pub const MAX_ADDRESS: usize = 254;

const HOUR: Duration = Duration::from_secs(3600);
/// Verification emails per account and hour.
const VERIFY_PER_HOUR: u32 = 5;
/// Reset requests per client address and hour.
const RESET_PER_ADDRESS_HOUR: u32 = 10;
/// Reset requests per account (the name or address typed) and hour.
const RESET_PER_ACCOUNT_HOUR: u32 = 3;

/// Wakes the mail worker when an email is queued (all instances of the process).
pub static QUEUED: tokio::sync::Notify = tokio::sync::Notify::const_new();

fn hash(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
}

fn new_token() -> (String, String) {
    let token = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
    let h = hash(&token);
    (token, h)
}

fn no_mail() -> AppError {
    AppError::Forbidden("this instance does not send email".into())
}

/// A checked address: trimmed, at most [`MAX_ADDRESS`] bytes, `local@domain`.
pub fn parse_address(raw: &str) -> AppResult<String> {
    let a = raw.trim();
    if a.len() > MAX_ADDRESS || a.parse::<lettre::Address>().is_err() {
        return Err(AppError::Invalid("not a valid email address".into()));
    }
    Ok(a.to_string())
}

/// Queues an email to `to` in the caller's transaction, in the language the user chose in
/// their settings, or `lang` (the language of the request that set the address) when they
/// chose none.
pub fn queue(
    conn: &mut DbConn,
    user_id: i64,
    to: &str,
    kind: &str,
    payload: serde_json::Value,
    lang: &str,
) -> AppResult<()> {
    let lang = queries::user_settings::language(conn, user_id)?.unwrap_or_else(|| lang.into());
    let now = now_ms();
    eq::enqueue(
        conn,
        &eq::Mail {
            id: new_id(),
            user_id: Some(user_id),
            to_address: to.to_string(),
            kind: kind.to_string(),
            payload: payload.to_string(),
            lang,
            state: "pending".into(),
            attempts: 0,
            next_attempt_at: now,
            created_at: now,
            sent_at: None,
            last_error: None,
        },
    )
}

/// What a user's address looks like after a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressState {
    /// No address.
    None,
    /// Set; a verification email is on its way.
    Unverified(String),
    Verified(String),
}

/// A user's address and whether it is verified.
pub async fn address(state: &AppState, user_id: i64) -> AppResult<AddressState> {
    let found = state.db.run(move |c| eq::address(c, user_id)).await?;
    Ok(match found {
        None => AddressState::None,
        Some(a) if a.verified() => AddressState::Verified(a.address),
        Some(a) => AddressState::Unverified(a.address),
    })
}

/// Sets (or with an empty string removes) a user's address. A new or unverified address
/// gets a verification email (at most [`VERIFY_PER_HOUR`] an hour); `lang` is the
/// language of the user's emails.
pub async fn set_address(
    state: &AppState,
    user: &User,
    raw: &str,
    lang: &str,
) -> AppResult<AddressState> {
    let user_id = user.id;
    if raw.trim().is_empty() {
        state
            .db
            .run(move |c| {
                c.transaction(|c| {
                    eq::end_tokens(c, user_id, VERIFY)?;
                    eq::remove_address(c, user_id)
                })
            })
            .await?;
        return Ok(AddressState::None);
    }
    if !state.settings.mail_enabled() {
        return Err(no_mail());
    }
    let address = parse_address(raw)?;
    let current = self::address(state, user_id).await?;
    if let AddressState::Verified(a) = &current {
        if a.eq_ignore_ascii_case(&address) {
            return Ok(current);
        }
    }
    state.limits.hit_window(
        format!("mail:verify:{user_id}"),
        VERIFY_PER_HOUR,
        HOUR,
        true,
    )?;
    let (token, token_hash) = new_token();
    let (lang, to) = (lang.to_string(), address.clone());
    state
        .db
        .run(move |c| {
            c.transaction(|c| {
                if eq::verified_owner(c, &to)?.is_some_and(|owner| owner != user_id) {
                    return Err(AppError::Conflict(
                        "this address is verified by another account".into(),
                    ));
                }
                eq::set_address(c, user_id, &to, &lang)?;
                eq::end_tokens(c, user_id, VERIFY)?;
                eq::insert_token(
                    c,
                    &token_hash,
                    user_id,
                    VERIFY,
                    &to,
                    now_ms() + VERIFY_TTL_MS,
                )?;
                queue(
                    c,
                    user_id,
                    &to,
                    VERIFY,
                    serde_json::json!({ "token": token }),
                    &lang,
                )
            })
        })
        .await?;
    QUEUED.notify_waiters();
    Ok(AddressState::Unverified(address))
}

/// Verifies the address a verification link was sent to; the link works once.
pub async fn verify(state: &AppState, token: &str) -> AppResult<i64> {
    let h = hash(token.trim());
    state
        .db
        .run(move |c| {
            c.transaction(|c| {
                let Some((user_id, address)) = eq::use_token(c, &h, VERIFY)? else {
                    return Err(AppError::Invalid(
                        "this link is invalid, was used already or has expired".into(),
                    ));
                };
                if !eq::mark_verified(c, user_id, &address)? {
                    return Err(AppError::Invalid(
                        "the address of this link was changed since".into(),
                    ));
                }
                Ok(user_id)
            })
        })
        .await
}

/// Sends a password reset link when `name_or_address` names an account with a verified
/// address. The answer is the same whether or not there is such an account; limited
/// per client address and per name or address typed (429 with `Retry-After`).
pub async fn forgot_password(
    state: &AppState,
    client: Option<std::net::IpAddr>,
    name_or_address: &str,
) -> AppResult<()> {
    if !state.settings.mail_enabled() {
        return Err(no_mail());
    }
    let who = name_or_address.trim().to_lowercase();
    if who.is_empty() || who.len() > MAX_ADDRESS {
        return Err(AppError::Invalid(
            "give a user name or an email address".into(),
        ));
    }
    if let Some(ip) = client {
        state.limits.hit_window(
            format!("mail:reset-ip:{ip}"),
            RESET_PER_ADDRESS_HOUR,
            HOUR,
            true,
        )?;
    }
    state.limits.hit_window(
        format!("mail:reset:{who}"),
        RESET_PER_ACCOUNT_HOUR,
        HOUR,
        true,
    )?;
    // The look-up and the queueing run after the answer, so that its timing does not
    // tell whether the account exists.
    let state = state.clone();
    tokio::spawn(async move {
        if let Err(e) = queue_reset(&state, who).await {
            tracing::warn!("queueing a reset email failed: {e}");
        }
    });
    Ok(())
}

async fn queue_reset(state: &AppState, who: String) -> AppResult<()> {
    let (token, token_hash) = new_token();
    let queued = state
        .db
        .run(move |c| {
            let user_id = if who.contains('@') {
                eq::verified_owner(c, &who)?
            } else {
                queries::users::by_username(c, &who)?.map(|(u, _)| u.id)
            };
            let Some(user_id) = user_id else {
                return Ok(false);
            };
            let Some(addr) = eq::address(c, user_id)?.filter(|a| a.verified()) else {
                return Ok(false);
            };
            let name = eq::username(c, user_id)?.unwrap_or_default();
            c.transaction(|c| {
                eq::end_tokens(c, user_id, RESET)?;
                eq::insert_token(
                    c,
                    &token_hash,
                    user_id,
                    RESET,
                    &addr.address,
                    now_ms() + RESET_TTL_MS,
                )?;
                queue(
                    c,
                    user_id,
                    &addr.address,
                    RESET,
                    serde_json::json!({ "token": token, "username": name }),
                    &addr.lang,
                )
            })?;
            Ok(true)
        })
        .await?;
    if queued {
        QUEUED.notify_waiters();
    }
    Ok(())
}

/// Whether a reset link still works (the form is shown only then).
pub async fn reset_token_valid(state: &AppState, token: &str) -> AppResult<bool> {
    let h = hash(token.trim());
    state.db.run(move |c| eq::token_valid(c, &h, RESET)).await
}

/// Sets a new password with a reset link (once): the sign-up password rules apply, every
/// session of the user ends, and a new one is opened (its token is returned).
pub async fn reset_password(
    state: &AppState,
    token: &str,
    password: &str,
) -> AppResult<(String, User)> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(AppError::Invalid(format!(
            "passwords need at least {MIN_PASSWORD} characters"
        )));
    }
    if password.len() > MAX_PASSWORD {
        return Err(AppError::Invalid(format!(
            "passwords are at most {MAX_PASSWORD} bytes"
        )));
    }
    let h = hash(token.trim());
    if !state
        .db
        .run({
            let h = h.clone();
            move |c| eq::token_valid(c, &h, RESET)
        })
        .await?
    {
        return Err(invalid_link());
    }
    let password = password.to_string();
    let new_hash = state
        .password_gate
        .run(move || accounts::hash_password(&password))
        .await??;
    let user = state
        .db
        .run(move |c| {
            c.transaction(|c| {
                let Some((user_id, _)) = eq::use_token(c, &h, RESET)? else {
                    return Err(invalid_link());
                };
                queries::users::set_password_hash(c, user_id, &new_hash)?;
                // No session has an empty token hash: every session ends.
                queries::users::delete_other_sessions(c, user_id, "")?;
                eq::end_tokens(c, user_id, RESET)?;
                let name = eq::username(c, user_id)?.unwrap_or_default();
                queries::users::by_username(c, &name)?
                    .map(|(u, _)| u)
                    .ok_or_else(|| AppError::Internal("user vanished".into()))
            })
        })
        .await?;
    let session = accounts::new_session(state, user.id).await?;
    Ok((session, user))
}

fn invalid_link() -> AppError {
    AppError::Invalid("this link is invalid, was used already or has expired".into())
}

/// What an unsubscribe link turns off: one kind of notification email, or all.
fn unsubscribe_key(state: &AppState) -> aws_lc_rs::hmac::Key {
    let mut h = Sha256::new();
    h.update(b"peerdesk-unsubscribe\0");
    h.update(
        state
            .instance_actor
            .private_key_pem
            .as_deref()
            .unwrap_or_default()
            .as_bytes(),
    );
    aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, &h.finalize())
}

/// A signed unsubscribe token for a user and a kind of notification (`None`: all).
pub fn unsubscribe_token(state: &AppState, user_id: i64, kind: Option<Kind>) -> String {
    let what = format!("{user_id}.{}", kind.map_or("all", Kind::as_str));
    let tag = aws_lc_rs::hmac::sign(&unsubscribe_key(state), what.as_bytes());
    format!("{what}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()))
}

/// The user and kind of a valid unsubscribe token.
pub fn check_unsubscribe(state: &AppState, token: &str) -> AppResult<(i64, Option<Kind>)> {
    let bad = || AppError::Invalid("this unsubscribe link is not valid".into());
    let (what, tag) = token.trim().rsplit_once('.').ok_or_else(bad)?;
    let tag = URL_SAFE_NO_PAD.decode(tag).map_err(|_| bad())?;
    aws_lc_rs::hmac::verify(&unsubscribe_key(state), what.as_bytes(), &tag).map_err(|_| bad())?;
    let (user, kind) = what.split_once('.').ok_or_else(bad)?;
    let user: i64 = user.parse().map_err(|_| bad())?;
    let kind = match kind {
        "all" => None,
        k => Some(Kind::parse(k).ok_or_else(bad)?),
    };
    Ok((user, kind))
}

/// Turns off the notification emails an unsubscribe token names (one click, no
/// sign-in); emails not yet sent for them are dropped.
pub async fn unsubscribe(state: &AppState, token: &str) -> AppResult<Option<Kind>> {
    let (user_id, kind) = check_unsubscribe(state, token)?;
    let kinds: Vec<String> = match kind {
        Some(k) => vec![k.as_str().to_string()],
        None => Kind::ALL.iter().map(|k| k.as_str().to_string()).collect(),
    };
    state
        .db
        .run(move |c| {
            c.transaction(|c| {
                let choices: Vec<(String, String)> =
                    kinds.iter().map(|k| (k.clone(), "off".into())).collect();
                queries::notifications::set_prefs(c, user_id, &choices)?;
                eq::drop_unsent_notifications(c, user_id, &kinds)
            })
        })
        .await?;
    Ok(kind)
}
