//! Community roles of a group (`actions::roles`): defined and assigned by its
//! moderators, with top contributors suggested from reputation.

use super::{parse_id, ApiJson, Auth};
use crate::actions::roles::{self, RoleInput, RoleWithHolders};
use crate::db::queries::roles::GroupRole;
use crate::domain::roles::from_stored;
use crate::error::{AppResult, ErrorBody};
use crate::federation::follow;
use crate::read::actors::ActorView;
use crate::state::Ctx;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A community role of a group.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct RoleView {
    pub id: String,
    /// The title shown beside its holders' names.
    pub name: String,
    /// Of `lock`, `feature`, `see_removed`.
    pub privileges: Vec<String>,
    pub holders: Vec<ActorView>,
}

/// A role's name and privileges.
#[derive(Deserialize, ToSchema)]
pub struct RoleBody {
    pub name: String,
    /// Of `lock` (lock and unlock questions), `feature` (feature and unfeature
    /// questions), `see_removed` (read removed posts).
    #[serde(default)]
    pub privileges: Vec<String>,
}

/// A person suggested for a role, with the reputation they earned in the group.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct RoleSuggestion {
    pub actor: ActorView,
    pub score: i64,
}

fn view(role: GroupRole, holders: &[crate::db::models::Actor]) -> RoleView {
    RoleView {
        id: role.id.to_string(),
        privileges: from_stored(&role.privileges)
            .iter()
            .map(|p| p.as_str().to_string())
            .collect(),
        name: role.name,
        holders: holders.iter().map(ActorView::from).collect(),
    }
}

fn input(body: RoleBody) -> RoleInput {
    RoleInput {
        name: body.name,
        privileges: body.privileges,
    }
}

/// A group's community roles with their holders.
#[utoipa::path(get, path = "/groups/{name}/roles", operation_id = "list_roles", tag = "groups",
    params(("name" = String, Path)),
    responses((status = 200, body = Vec<RoleView>), (status = 404, body = ErrorBody)))]
pub async fn list(data: Ctx, Path(name): Path<String>) -> AppResult<Json<Vec<RoleView>>> {
    let (_, group) = crate::domain::groups::local_group(&data, &name).await?;
    let all = roles::of_group(&data, &group).await?;
    Ok(Json(
        all.into_iter()
            .map(|RoleWithHolders { role, holders }| view(role, &holders))
            .collect(),
    ))
}

/// Define a community role (the group's moderators).
#[utoipa::path(post, path = "/groups/{name}/roles", operation_id = "create_role", tag = "groups", security(("bearer" = [])),
    params(("name" = String, Path)), request_body = RoleBody,
    responses((status = 201, body = RoleView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create(
    data: Ctx,
    auth: Auth,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<RoleBody>,
) -> AppResult<(StatusCode, Json<RoleView>)> {
    let (_, group) = crate::domain::groups::local_group(&data, &name).await?;
    let role = roles::create(&data, &auth.actor, &group, input(body)).await?;
    Ok((StatusCode::CREATED, Json(view(role, &[]))))
}

/// Rename a role or change its privileges (the group's moderators).
#[utoipa::path(put, path = "/groups/{name}/roles/{id}", operation_id = "update_role", tag = "groups", security(("bearer" = [])),
    params(("name" = String, Path), ("id" = String, Path)), request_body = RoleBody,
    responses((status = 200, body = RoleView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update(
    data: Ctx,
    auth: Auth,
    Path((name, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<RoleBody>,
) -> AppResult<Json<RoleView>> {
    let id = parse_id(&id, "role")?;
    let (_, group) = crate::domain::groups::local_group(&data, &name).await?;
    let role = roles::update(&data, &auth.actor, &group, id, input(body)).await?;
    let holders = roles::of_group(&data, &group)
        .await?
        .into_iter()
        .find(|r| r.role.id == id)
        .map(|r| r.holders)
        .unwrap_or_default();
    Ok(Json(view(role, &holders)))
}

/// Delete a role; its holders lose it (the group's moderators).
#[utoipa::path(delete, path = "/groups/{name}/roles/{id}", operation_id = "delete_role", tag = "groups", security(("bearer" = [])),
    params(("name" = String, Path), ("id" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    data: Ctx,
    auth: Auth,
    Path((name, id)): Path<(String, String)>,
) -> AppResult<StatusCode> {
    let id = parse_id(&id, "role")?;
    let (_, group) = crate::domain::groups::local_group(&data, &name).await?;
    roles::delete(&data, &auth.actor, &group, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn set_holder(
    data: Ctx,
    auth: Auth,
    path: (String, String, String),
    holds: bool,
) -> AppResult<StatusCode> {
    let (name, id, person) = path;
    let id = parse_id(&id, "role")?;
    let (_, group) = crate::domain::groups::local_group(&data, &name).await?;
    let person = follow::resolve_name(&data, &person).await?;
    roles::assign(&data, &auth.actor, &group, id, &person, holds).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Give a role to someone (`name` here, `name@host` elsewhere; the group's moderators).
#[utoipa::path(put, path = "/groups/{name}/roles/{id}/holders/{person}", operation_id = "assign_role", tag = "groups", security(("bearer" = [])),
    params(("name" = String, Path), ("id" = String, Path), ("person" = String, Path)),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn assign(
    data: Ctx,
    auth: Auth,
    Path(path): Path<(String, String, String)>,
) -> AppResult<StatusCode> {
    set_holder(data, auth, path, true).await
}

/// Take a role from someone (the group's moderators).
#[utoipa::path(delete, path = "/groups/{name}/roles/{id}/holders/{person}", operation_id = "unassign_role", tag = "groups", security(("bearer" = [])),
    params(("name" = String, Path), ("id" = String, Path), ("person" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn unassign(
    data: Ctx,
    auth: Auth,
    Path(path): Path<(String, String, String)>,
) -> AppResult<StatusCode> {
    set_holder(data, auth, path, false).await
}

/// Top contributors of the group by the reputation they earned in it, to consider for a
/// role (those holding one are left out; the group's moderators).
#[utoipa::path(get, path = "/groups/{name}/roles/suggestions", operation_id = "role_suggestions", tag = "groups", security(("bearer" = [])),
    params(("name" = String, Path)),
    responses((status = 200, body = Vec<RoleSuggestion>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn suggestions(
    data: Ctx,
    auth: Auth,
    Path(name): Path<String>,
) -> AppResult<Json<Vec<RoleSuggestion>>> {
    let (_, group) = crate::domain::groups::local_group(&data, &name).await?;
    if !crate::actions::rules::can_moderate(&data, &group, &auth.actor).await? {
        return Err(crate::error::AppError::Forbidden(
            "only the group's moderators".into(),
        ));
    }
    Ok(Json(
        roles::suggestions(&data, &group, 10)
            .await?
            .into_iter()
            .map(|(a, score)| RoleSuggestion {
                actor: ActorView::from(&a),
                score,
            })
            .collect(),
    ))
}
