//! Instance administration.

use super::{ApiJson, Auth};
use crate::db::queries;
use crate::db::queries::asking::Deflection;
use crate::db::queries::deliveries::QueueStats;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::read::actors::ProfileView;
use crate::state::Ctx;
use axum::extract::Path;
use axum::Json;
use serde::Deserialize;
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

/// Set a local user's roles.
#[utoipa::path(put, path = "/admin/users/{name}/roles", tag = "admin", security(("bearer" = [])),
    params(("name" = String, Path)), request_body = RolesBody,
    responses((status = 200, body = ProfileView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_roles(
    data: Ctx,
    auth: Auth,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<RolesBody>,
) -> AppResult<Json<ProfileView>> {
    auth.require_admin()?;
    let found = data
        .db
        .run(move |c| {
            let (user, actor) = queries::users::by_username(c, &name)?
                .ok_or_else(|| AppError::NotFound("no such user".into()))?;
            queries::users::set_roles(
                c,
                user.id,
                body.is_admin,
                body.is_staff,
                body.can_create_groups,
            )?;
            let user = queries::users::by_actor_id(c, actor.id)?.unwrap_or(user);
            Ok((user, actor))
        })
        .await?;
    Ok(Json(ProfileView::new(&found.0, &found.1)))
}
