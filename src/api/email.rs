//! Email address, its verification and password reset by email (see `domain::email`).

use super::accounts::SessionView;
use super::{ApiJson, Auth};
use crate::db::queries;
use crate::domain::email::{self, AddressState};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::read::actors::ProfileView;
use crate::read::client::ClientAddr;
use crate::state::Ctx;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, Deserialize, ToSchema)]
pub struct EmailView {
    /// The address, if any.
    pub email: Option<String>,
    /// Whether the address is confirmed (only confirmed addresses get email).
    pub verified: bool,
    /// Whether this instance sends email at all.
    pub mail_enabled: bool,
}

fn view(data: &Ctx, s: AddressState) -> EmailView {
    let (email, verified) = match s {
        AddressState::None => (None, false),
        AddressState::Unverified(a) => (Some(a), false),
        AddressState::Verified(a) => (Some(a), true),
    };
    EmailView {
        email,
        verified,
        mail_enabled: data.settings.mail_enabled(),
    }
}

/// The signed-in user's email address.
#[utoipa::path(get, path = "/me/email", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = EmailView), (status = 401, body = ErrorBody)))]
pub async fn get_email(data: Ctx, auth: Auth) -> AppResult<Json<EmailView>> {
    let s = email::address(&data, auth.user.id).await?;
    Ok(Json(view(&data, s)))
}

#[derive(Deserialize, ToSchema)]
pub struct EmailUpdate {
    /// The new address; empty removes it.
    pub email: String,
}

/// Set or change (empty: remove) the signed-in user's address. A new address is
/// unverified until the link of the email sent to it is opened; emails are in the
/// language of `Accept-Language`.
#[utoipa::path(put, path = "/me/email", tag = "accounts", security(("bearer" = [])), request_body = EmailUpdate,
    responses((status = 200, body = EmailView), (status = 400, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 429, body = ErrorBody)))]
pub async fn set_email(
    data: Ctx,
    auth: Auth,
    headers: HeaderMap,
    ApiJson(body): ApiJson<EmailUpdate>,
) -> AppResult<Json<EmailView>> {
    // The primary subtag of the first language (the mailer falls back to English).
    let lang = headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split([',', ';', '-']).next())
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty() && s.len() <= 8 && s.chars().all(|c| c.is_ascii_alphabetic()))
        .unwrap_or_else(|| "en".into());
    let s = email::set_address(&data, &auth.user, &body.email, &lang).await?;
    Ok(Json(view(&data, s)))
}

#[derive(Deserialize, ToSchema)]
pub struct TokenBody {
    /// The token of the emailed link (its `t` parameter).
    pub token: String,
}

/// Confirm an address with the token of its verification email (works once).
#[utoipa::path(post, path = "/email/verify", tag = "accounts", request_body = TokenBody,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn verify_email(data: Ctx, ApiJson(body): ApiJson<TokenBody>) -> AppResult<StatusCode> {
    email::verify(&data, &body.token).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct ForgotBody {
    /// A user name or a (confirmed) email address.
    pub username_or_email: String,
}

/// Ask for a password reset link. The answer is `202` whether or not the account exists
/// or has a confirmed address; limited per client address and per name or address.
#[utoipa::path(post, path = "/password/forgot", tag = "accounts", request_body = ForgotBody,
    responses((status = 202), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 429, body = ErrorBody)))]
pub async fn forgot_password(
    data: Ctx,
    ClientAddr(client): ClientAddr,
    ApiJson(body): ApiJson<ForgotBody>,
) -> AppResult<StatusCode> {
    email::forgot_password(&data, client, &body.username_or_email).await?;
    Ok(StatusCode::ACCEPTED)
}

#[derive(Deserialize, ToSchema)]
pub struct ResetBody {
    pub token: String,
    pub password: String,
}

/// Set a new password with the token of a reset email (works once, for an hour). Every
/// session of the user ends; a new one is returned.
#[utoipa::path(post, path = "/password/reset", tag = "accounts", request_body = ResetBody,
    responses((status = 200, body = SessionView), (status = 400, body = ErrorBody)))]
pub async fn reset_password(
    data: Ctx,
    ApiJson(body): ApiJson<ResetBody>,
) -> AppResult<Json<SessionView>> {
    let (token, user) = email::reset_password(&data, &body.token, &body.password).await?;
    let actor_id = user.actor_id;
    let actor = data
        .db
        .run(move |c| queries::actors::by_id(c, actor_id))
        .await?
        .ok_or_else(|| AppError::Internal("user without actor".into()))?;
    Ok(Json(SessionView {
        token,
        user: ProfileView::new(&user, &actor),
    }))
}
