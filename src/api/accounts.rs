//! Registration, sessions and profiles.

use super::{ApiJson, Auth};
use crate::db::queries;
use crate::domain::accounts;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::read::actors::ProfileView;
use crate::read::client::ClientAddr;
use crate::state::Ctx;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SessionView {
    /// Bearer token for the `Authorization` header.
    pub token: String,
    pub user: ProfileView,
}

#[derive(Deserialize, ToSchema)]
pub struct Registration {
    pub username: String,
    pub password: String,
    /// The invitation code, when registration is by invitation.
    #[serde(default)]
    pub invite: Option<String>,
}

/// Register a new account (when registrations are open, or with an invitation code when
/// they are by invitation).
#[utoipa::path(post, path = "/accounts", tag = "accounts", request_body = Registration,
    responses((status = 201, body = SessionView), (status = 400, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 429, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn register(
    data: Ctx,
    ClientAddr(client): ClientAddr,
    ApiJson(body): ApiJson<Registration>,
) -> AppResult<(StatusCode, Json<SessionView>)> {
    let (token, user, actor) = accounts::register(
        &data,
        client,
        &body.username,
        &body.password,
        body.invite.as_deref(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(SessionView {
            token,
            user: ProfileView::new(&user, &actor),
        }),
    ))
}

/// Sign in: exchange a username and password for a bearer token. A suspended account
/// gets `403` (with the right password).
#[utoipa::path(post, path = "/sessions", tag = "accounts", request_body = Credentials,
    responses((status = 200, body = SessionView), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 429, body = ErrorBody),
              (status = 503, body = ErrorBody)))]
pub async fn login(
    data: Ctx,
    ClientAddr(client): ClientAddr,
    ApiJson(body): ApiJson<Credentials>,
) -> AppResult<Json<SessionView>> {
    let (token, user) = accounts::login(&data, client, &body.username, &body.password).await?;
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

/// Sign out: revoke the bearer token used for this request.
#[utoipa::path(delete, path = "/sessions", tag = "accounts", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn logout(data: Ctx, auth: Auth) -> AppResult<StatusCode> {
    accounts::logout(&data, &auth.token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in user's profile.
#[utoipa::path(get, path = "/me", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = ProfileView), (status = 401, body = ErrorBody)))]
pub async fn me(auth: Auth) -> Json<ProfileView> {
    Json(ProfileView::new(&auth.user, &auth.actor))
}

#[derive(Deserialize, ToSchema)]
pub struct ProfileUpdate {
    pub display_name: Option<String>,
    /// Markdown.
    pub bio: Option<String>,
}

/// Edit the signed-in user's display name and bio.
#[utoipa::path(patch, path = "/me", tag = "accounts", security(("bearer" = [])), request_body = ProfileUpdate,
    responses((status = 200, body = ProfileView), (status = 400, body = ErrorBody)))]
pub async fn update_me(
    data: Ctx,
    auth: Auth,
    ApiJson(body): ApiJson<ProfileUpdate>,
) -> AppResult<Json<ProfileView>> {
    accounts::check_profile(body.display_name.as_deref(), body.bio.as_deref())?;
    let id = auth.actor.id;
    let (name, bio) = (body.display_name.clone(), body.bio.clone());
    data.db
        .run(move |c| queries::actors::update_profile(c, id, name, bio))
        .await?;
    let mut actor = auth.actor;
    actor.display_name = body.display_name;
    actor.summary = body.bio;
    Ok(Json(ProfileView::new(&auth.user, &actor)))
}

/// A local user's public profile.
#[utoipa::path(get, path = "/users/{name}", tag = "accounts",
    params(("name" = String, Path, description = "local user name")),
    responses((status = 200, body = ProfileView), (status = 404, body = ErrorBody), (status = 410, body = ErrorBody)))]
pub async fn user(data: Ctx, Path(name): Path<String>) -> AppResult<Json<ProfileView>> {
    let found = data
        .db
        .run(move |c| queries::users::by_username(c, &name))
        .await?
        .ok_or_else(|| AppError::NotFound("no such user".into()))?;
    if found.1.deleted {
        return Err(AppError::Gone("this account was deleted".into()));
    }
    Ok(Json(ProfileView::new(&found.0, &found.1)))
}
