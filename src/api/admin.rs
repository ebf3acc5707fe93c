//! Instance administration.

use super::{ApiJson, Auth};
use crate::actions;
use crate::db::queries;
use crate::db::queries::asking::Deflection;
use crate::db::queries::deliveries::QueueStats;
use crate::domain::accounts::Roles;
use crate::error::{AppResult, ErrorBody};
use crate::read::actors::ProfileView;
use crate::state::Ctx;
use axum::extract::Path;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// State of the outgoing delivery queue: pending and failed deliveries, per instance.
#[utoipa::path(get, path = "/admin/deliveries", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = QueueStats), (status = 403, body = ErrorBody)))]
pub async fn deliveries(data: Ctx, auth: Auth) -> AppResult<Json<QueueStats>> {
    auth.require_admin()?;
    Ok(Json(data.db.run(queries::deliveries::stats).await?))
}

/// Self-service deflection on the ask page: ask forms that opened a suggested question,
/// how many of them posted anyway, and the rest (deflected).
#[utoipa::path(get, path = "/admin/deflection", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Deflection), (status = 403, body = ErrorBody)))]
pub async fn deflection(data: Ctx, auth: Auth) -> AppResult<Json<Deflection>> {
    auth.require_admin()?;
    Ok(Json(data.db.run(queries::asking::deflection).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct RolesBody {
    pub is_admin: bool,
    pub is_staff: bool,
    pub can_create_groups: bool,
}

/// Set a local user's roles. An admin cannot take away their own admin role (`400`).
#[utoipa::path(put, path = "/admin/users/{name}/roles", tag = "admin", security(("bearer" = [])),
    params(("name" = String, Path)), request_body = RolesBody,
    responses((status = 200, body = ProfileView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 410, body = ErrorBody)))]
pub async fn set_roles(
    data: Ctx,
    auth: Auth,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<RolesBody>,
) -> AppResult<Json<ProfileView>> {
    let roles = Roles {
        admin: body.is_admin,
        staff: body.is_staff,
        can_create_groups: body.can_create_groups,
    };
    let (user, actor) = actions::people::set_roles(&data, &auth.user, &name, roles).await?;
    Ok(Json(ProfileView::new(&user, &actor)))
}

#[derive(Deserialize, ToSchema)]
pub struct SuspensionBody {
    /// `true` suspends the account, `false` lifts the suspension.
    pub suspended: bool,
    /// Why: required to suspend, at most 2000 bytes. Written to the instance's public
    /// moderation log.
    #[serde(default)]
    pub reason: String,
}

/// Suspend a local user, or lift the suspension. A suspended account cannot sign in, its
/// sessions and tokens stop working at once, and its profile says it is suspended. An
/// admin cannot suspend their own account (`400`).
#[utoipa::path(put, path = "/admin/users/{name}/suspension", tag = "admin", security(("bearer" = [])),
    params(("name" = String, Path)), request_body = SuspensionBody,
    responses((status = 200, body = ProfileView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 410, body = ErrorBody)))]
pub async fn set_suspension(
    data: Ctx,
    auth: Auth,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<SuspensionBody>,
) -> AppResult<Json<ProfileView>> {
    let (user, actor) = actions::people::set_suspension(
        &data,
        &auth.user,
        &auth.actor,
        &name,
        body.suspended,
        &body.reason,
    )
    .await?;
    Ok(Json(ProfileView::new(&user, &actor)))
}

#[derive(Deserialize, ToSchema)]
pub struct DeleteAccountBody {
    /// Why (required, at most 2000 bytes). Written to the instance's public moderation log.
    pub reason: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct AccountDeleted {
    /// How many of the account's posts were deleted.
    pub deleted_posts: usize,
}

/// Delete a local account with its content: its posts are deleted (and the deletions
/// sent, as the author's own), the account is marked deleted and a `Delete` of it goes
/// to the servers that know it; its sessions end. The name stays taken. An admin cannot
/// delete their own account (`400`).
#[utoipa::path(delete, path = "/admin/users/{name}", tag = "admin", security(("bearer" = [])),
    params(("name" = String, Path)), request_body = DeleteAccountBody,
    responses((status = 200, body = AccountDeleted), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 410, body = ErrorBody)))]
pub async fn delete_account(
    data: Ctx,
    auth: Auth,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<DeleteAccountBody>,
) -> AppResult<Json<AccountDeleted>> {
    let deleted_posts =
        actions::people::delete_account(&data, &auth.user, &auth.actor, &name, &body.reason)
            .await?;
    Ok(Json(AccountDeleted { deleted_posts }))
}
