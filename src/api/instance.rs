//! The instance's run-time settings, invitations and group hand-over (admins): what the
//! admin console's Instance page does, as JSON.

use super::{ApiJson, Auth};
use crate::actions::instance as act;
use crate::db::models::Invitation;
use crate::db::rfc3339;
use crate::domain::instance::{Edit, InstanceSettings};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::state::Ctx;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The settings in force (`set_here`: saved by an admin rather than as configured).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct InstanceView {
    pub name: String,
    /// Markdown.
    pub description: String,
    /// `open`, `closed` or `invite`.
    pub registrations: String,
    /// `anyone` or `granted` (admins and the accounts allowed to).
    pub group_creation: String,
    /// `blocklist` or `allowlist`.
    pub federation_mode: String,
    pub rate_limits: bool,
    /// Per remote instance and minute; 0: no limit.
    pub instance_post_limit: u32,
    pub instance_vote_limit: u32,
    pub instance_report_limit: u32,
    /// Detected personal data (e-mail addresses, phone and card numbers) in posts from
    /// other servers is masked on public pages and in the API for anonymous viewers and
    /// everyone but admins and the group's moderators; what is stored stays as it is.
    pub hide_remote_personal_data: bool,
    /// Which settings an admin saved (the others are as configured).
    pub set_here: Vec<String>,
    /// When they were saved (RFC 3339), if ever.
    pub updated_at: Option<String>,
}

impl InstanceView {
    fn of(s: &InstanceSettings) -> InstanceView {
        let st = &s.stored;
        let set_here = [
            ("name", st.name.is_some()),
            ("description", st.description.is_some()),
            ("registrations", st.registrations.is_some()),
            ("group_creation", st.group_creation.is_some()),
            ("federation_mode", st.federation_mode.is_some()),
            ("rate_limits", st.rate_limits.is_some()),
            ("instance_post_limit", st.instance_post_limit.is_some()),
            ("instance_vote_limit", st.instance_vote_limit.is_some()),
            ("instance_report_limit", st.instance_report_limit.is_some()),
            (
                "hide_remote_personal_data",
                st.hide_remote_personal_data.is_some(),
            ),
        ]
        .into_iter()
        .filter(|(_, set)| *set)
        .map(|(n, _)| n.to_string())
        .collect();
        InstanceView {
            name: s.name.clone(),
            description: s.description.clone(),
            registrations: s.registrations.as_str().into(),
            group_creation: s.group_creation.as_str().into(),
            federation_mode: s.federation_mode().into(),
            rate_limits: s.rate_limits,
            instance_post_limit: s.instance_limits.posts,
            instance_vote_limit: s.instance_limits.votes,
            instance_report_limit: s.instance_limits.reports,
            hide_remote_personal_data: s.hide_remote_personal_data,
            set_here,
            updated_at: (st.updated_at > 0).then(|| rfc3339(st.updated_at)),
        }
    }
}

/// The instance's settings in force.
#[utoipa::path(get, path = "/admin/instance", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = InstanceView), (status = 403, body = ErrorBody)))]
pub async fn get_instance(data: Ctx, auth: Auth) -> AppResult<Json<InstanceView>> {
    auth.require_admin()?;
    Ok(Json(InstanceView::of(&data.instance.get())))
}

/// The settings to save. A field left out (or `null`) is as configured (its flag or
/// `PEERDESK_*` variable); `{}` puts everything back to the configuration.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct InstanceUpdate {
    pub name: Option<String>,
    pub description: Option<String>,
    /// `open`, `closed` or `invite`.
    pub registrations: Option<String>,
    /// `anyone` or `granted`.
    pub group_creation: Option<String>,
    /// `blocklist` or `allowlist`.
    pub federation_mode: Option<String>,
    pub rate_limits: Option<bool>,
    pub instance_post_limit: Option<u32>,
    pub instance_vote_limit: Option<u32>,
    pub instance_report_limit: Option<u32>,
    /// Hide detected personal data in posts from other servers on public pages.
    pub hide_remote_personal_data: Option<bool>,
}

/// Save the instance's settings; they are in force at once (in other processes within
/// five seconds).
#[utoipa::path(put, path = "/admin/instance", tag = "admin", security(("bearer" = [])),
    request_body = InstanceUpdate,
    responses((status = 200, body = InstanceView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn put_instance(
    data: Ctx,
    auth: Auth,
    ApiJson(body): ApiJson<InstanceUpdate>,
) -> AppResult<Json<InstanceView>> {
    let edit = Edit {
        name: body.name,
        description: body.description,
        registrations: body.registrations,
        group_creation: body.group_creation,
        federation_mode: body.federation_mode,
        rate_limits: body.rate_limits,
        instance_post_limit: body.instance_post_limit,
        instance_vote_limit: body.instance_vote_limit,
        instance_report_limit: body.instance_report_limit,
        hide_remote_personal_data: body.hide_remote_personal_data,
    };
    let saved = act::save_settings(&data, &auth.user, edit).await?;
    Ok(Json(InstanceView::of(&saved)))
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct InvitationView {
    pub id: String,
    pub note: String,
    pub max_uses: i32,
    pub uses: i32,
    pub expires_at: Option<String>,
    pub revoked: bool,
    pub created_at: String,
}

impl From<Invitation> for InvitationView {
    fn from(i: Invitation) -> Self {
        InvitationView {
            id: i.id.to_string(),
            note: i.note,
            max_uses: i.max_uses,
            uses: i.uses,
            expires_at: i.expires_at.map(rfc3339),
            revoked: i.revoked,
            created_at: rfc3339(i.created_at),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct NewInvitation {
    #[serde(default)]
    pub note: String,
    /// How many accounts it may register (1–1000; default 1).
    #[serde(default)]
    pub max_uses: Option<i32>,
    /// Days until it expires (1–365; none: never).
    #[serde(default)]
    pub days: Option<i64>,
}

/// A new invitation with its code: shown only here, not kept.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct InvitationCreated {
    pub invitation: InvitationView,
    pub code: String,
    /// The sign-up page with the code filled in.
    pub link: String,
}

/// Make an invitation to register (used while registrations are by invitation).
#[utoipa::path(post, path = "/admin/invitations", tag = "admin", security(("bearer" = [])),
    request_body = NewInvitation,
    responses((status = 201, body = InvitationCreated), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_invitation(
    data: Ctx,
    auth: Auth,
    ApiJson(body): ApiJson<NewInvitation>,
) -> AppResult<(StatusCode, Json<InvitationCreated>)> {
    let uses = body.max_uses.unwrap_or(1);
    let (row, code) = act::invite(&data, &auth.user, &body.note, uses, body.days).await?;
    Ok((
        StatusCode::CREATED,
        Json(InvitationCreated {
            link: format!("{}/signup?invite={code}", data.base),
            invitation: row.into(),
            code,
        }),
    ))
}

/// The newest invitations (100).
#[utoipa::path(get, path = "/admin/invitations", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<InvitationView>), (status = 403, body = ErrorBody)))]
pub async fn list_invitations(data: Ctx, auth: Auth) -> AppResult<Json<Vec<InvitationView>>> {
    let list = act::invitations(&data, &auth.user).await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

/// Revoke an invitation.
#[utoipa::path(delete, path = "/admin/invitations/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_invitation(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    let id = id
        .parse::<i64>()
        .map_err(|_| AppError::NotFound("no such invitation".into()))?;
    act::revoke_invitation(&data, &auth.user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct HandOver {
    /// A local account's name.
    pub to: String,
    /// The moderators before stop being moderators.
    #[serde(default)]
    pub replace: bool,
}

/// Hand a local group over to a local account: they become its moderator (and, with
/// `replace`, the only one). Each change federates as a moderator's `Add`/`Remove`.
#[utoipa::path(post, path = "/admin/groups/{name}/hand-over", tag = "admin", security(("bearer" = [])),
    params(("name" = String, Path)), request_body = HandOver,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn hand_over(
    data: Ctx,
    auth: Auth,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<HandOver>,
) -> AppResult<StatusCode> {
    auth.require_admin()?;
    let (_, group) = crate::domain::groups::local_group(&data, &name).await?;
    let target = act::local_account(&data, &body.to)
        .await?
        .ok_or_else(|| AppError::NotFound("no local account of that name".into()))?;
    act::hand_over(
        &data,
        &auth.user,
        &auth.actor,
        &group,
        &target,
        body.replace,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct GroupDeletion {
    /// For the instance's moderation log (required).
    pub reason: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct GroupDeleted {
    /// The group's posts removed with it.
    pub removed_posts: usize,
}

/// Delete a local group: its posts are removed here, its follows end and a `Delete` of
/// the group goes to the servers this one knows; its name stays taken.
#[utoipa::path(delete, path = "/admin/groups/{name}", tag = "admin", security(("bearer" = [])),
    params(("name" = String, Path)), request_body = GroupDeletion,
    responses((status = 200, body = GroupDeleted), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_group(
    data: Ctx,
    auth: Auth,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<GroupDeletion>,
) -> AppResult<Json<GroupDeleted>> {
    auth.require_admin()?;
    let (_, group) = crate::domain::groups::local_group(&data, &name).await?;
    let removed_posts =
        act::delete_group(&data, &auth.user, &auth.actor, &group, &body.reason).await?;
    Ok(Json(GroupDeleted { removed_posts }))
}
