//! Groups: create, read, edit, moderators, bans, followers.

use super::{ApiJson, Auth};
use crate::db::models::{Actor, Group};
use crate::db::{now_ms, queries};
use crate::domain::groups::{self as svc, Settings, WhoMayAsk};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::federation::follow;
use crate::read::actors::{ActorList, ActorView, GroupView};
use crate::state::Ctx;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use utoipa::ToSchema;

async fn view(data: &Ctx, group: Group, actor: Actor) -> AppResult<GroupView> {
    let id = actor.id;
    let (followers, mods) = data
        .db
        .run(move |c| {
            Ok((
                queries::follows::count_followers(c, id)?,
                queries::groups::moderators(c, id)?,
            ))
        })
        .await?;
    let mut v = GroupView::new(&group, &actor, followers, &mods);
    v.kind = crate::actions::ideas::kind_of(data, id).await?;
    Ok(v)
}

async fn moderated(data: &Ctx, auth: &Auth, name: &str) -> AppResult<(Group, Actor)> {
    let (group, actor) = svc::local_group(data, name).await?;
    if !crate::actions::rules::can_moderate(data, &actor, &auth.actor).await? {
        return Err(AppError::Forbidden(
            "only this group's moderators and instance admins may do this".into(),
        ));
    }
    Ok((group, actor))
}

/// The groups hosted on this instance.
#[utoipa::path(get, path = "/groups", tag = "groups", responses((status = 200, body = Vec<GroupView>)))]
pub async fn list_groups(data: Ctx) -> AppResult<Json<Vec<GroupView>>> {
    let rows = data.db.run(queries::groups::list_local).await?;
    let mut out = Vec::with_capacity(rows.len());
    for (g, a) in rows {
        out.push(view(&data, g, a).await?);
    }
    Ok(Json(out))
}

#[derive(Deserialize, ToSchema)]
pub struct NewGroup {
    /// Handle part: `name@this-host`.
    pub name: String,
    pub title: String,
    /// Markdown.
    #[serde(default)]
    pub description: String,
    /// Markdown; shown to people who join.
    #[serde(default)]
    pub guidelines: String,
    /// `public` (default) or `private` (members only).
    #[serde(default)]
    pub visibility: svc::Visibility,
    /// What the group's posts are (questions when absent).
    #[serde(default)]
    pub kind: Option<crate::domain::ideas::GroupKind>,
}

/// Create a group (instance admins, or users allowed to create groups).
#[utoipa::path(post, path = "/groups", tag = "groups", security(("bearer" = [])), request_body = NewGroup,
    responses((status = 201, body = GroupView), (status = 400, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_group(
    data: Ctx,
    auth: Auth,
    ApiJson(body): ApiJson<NewGroup>,
) -> AppResult<(StatusCode, Json<GroupView>)> {
    let (g, a) = crate::actions::instance::create_group(
        &data,
        &auth.user,
        &body.name,
        &body.title,
        &body.description,
        &body.guidelines,
    )
    .await?;
    let a = if body.visibility.is_private() {
        crate::actions::private_groups::set_private(&data, &auth.actor, &a, true).await?
    } else {
        a
    };
    if let Some(kind) = body.kind.filter(|k| *k != Default::default()) {
        crate::actions::ideas::set_group_kind(&data, &auth.actor, &a, kind).await?;
    }
    Ok((StatusCode::CREATED, Json(view(&data, g, a).await?)))
}

/// A local group.
#[utoipa::path(get, path = "/groups/{name}", tag = "groups", params(("name" = String, Path)),
    responses((status = 200, body = GroupView), (status = 404, body = ErrorBody)))]
pub async fn get_group(data: Ctx, Path(name): Path<String>) -> AppResult<Json<GroupView>> {
    let (g, a) = svc::local_group(&data, &name).await?;
    Ok(Json(view(&data, g, a).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct GroupUpdate {
    pub title: Option<String>,
    /// Markdown.
    pub description: Option<String>,
    /// Markdown.
    pub guidelines: Option<String>,
    /// Markdown, at most 5,000 bytes, sent to newcomers on their first post in the group
    /// or their follow (once per person); empty for none.
    pub welcome_message: Option<String>,
    /// Who may ask questions in the group.
    pub who_may_ask: Option<WhoMayAsk>,
    /// Patterns of personal data found in questions and answers besides e-mail
    /// addresses, phone and card numbers: one `name: regex` a line (at most 20, each at
    /// most 200 characters), e.g. `order: ORD-[0-9]{6}`. A bad pattern is a 400.
    pub personal_data_patterns: Option<String>,
    /// `public` or `private`. Making a group private takes its questions out of every
    /// public place; making it public publishes them.
    pub visibility: Option<svc::Visibility>,
    /// What the group's posts are: questions or ideas.
    pub kind: Option<crate::domain::ideas::GroupKind>,
}

/// Edit a group's settings (moderators). A change of the title, description or
/// guidelines is sent to the group's followers as an `Update` of the group.
#[utoipa::path(patch, path = "/groups/{name}", tag = "groups", security(("bearer" = [])),
    params(("name" = String, Path)), request_body = GroupUpdate,
    responses((status = 200, body = GroupView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn update_group(
    data: Ctx,
    auth: Auth,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<GroupUpdate>,
) -> AppResult<Json<GroupView>> {
    let (g, a) = moderated(&data, &auth, &name).await?;
    let current = Settings::of(&g);
    let settings = Settings {
        title: body.title.unwrap_or(current.title),
        description_md: body.description.unwrap_or(current.description_md),
        guidelines_md: body.guidelines.unwrap_or(current.guidelines_md),
        welcome_md: body.welcome_message.unwrap_or(current.welcome_md),
        who_may_ask: body.who_may_ask.unwrap_or(current.who_may_ask),
        personal_data_patterns: body
            .personal_data_patterns
            .unwrap_or(current.personal_data_patterns),
    };
    crate::actions::groups::update_settings(&data, &auth.actor, &a, settings).await?;
    if let Some(v) = body.visibility {
        crate::actions::private_groups::set_private(&data, &auth.actor, &a, v.is_private()).await?;
    }
    if let Some(kind) = body.kind {
        crate::actions::ideas::set_group_kind(&data, &auth.actor, &a, kind).await?;
    }
    let (g, a) = svc::local_group(&data, &name).await?;
    Ok(Json(view(&data, g, a).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct HandleBody {
    /// `name@host` or an actor URL.
    pub handle: String,
}

/// Add a moderator (local or remote) to a group.
#[utoipa::path(post, path = "/groups/{name}/moderators", tag = "groups", security(("bearer" = [])),
    params(("name" = String, Path)), request_body = HandleBody,
    responses((status = 200, body = GroupView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn add_moderator(
    data: Ctx,
    auth: Auth,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<HandleBody>,
) -> AppResult<Json<GroupView>> {
    let (g, a) = moderated(&data, &auth, &name).await?;
    let target = follow::resolve(&data, &body.handle).await?;
    if target.is_group() {
        return Err(AppError::Invalid("a group cannot moderate a group".into()));
    }
    crate::actions::moderation::set_moderator(&data, &auth.actor, &a, &target, true).await?;
    Ok(Json(view(&data, g, a).await?))
}

/// Remove a moderator from a group.
#[utoipa::path(delete, path = "/groups/{name}/moderators/{handle}", tag = "groups", security(("bearer" = [])),
    params(("name" = String, Path), ("handle" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_moderator(
    data: Ctx,
    auth: Auth,
    Path((name, handle)): Path<(String, String)>,
) -> AppResult<StatusCode> {
    let (_, a) = moderated(&data, &auth, &name).await?;
    let target = follow::resolve(&data, &handle).await?;
    let (gid, tid) = (a.id, target.id);
    if !data
        .db
        .run(move |c| queries::groups::is_moderator(c, gid, tid))
        .await?
    {
        return Err(AppError::NotFound("not a moderator of this group".into()));
    }
    crate::actions::moderation::set_moderator(&data, &auth.actor, &a, &target, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct BanBody {
    pub handle: String,
    #[serde(default)]
    pub reason: String,
    /// Ban length in hours; permanent when absent.
    pub expires_in_hours: Option<u32>,
    /// Also remove the actor's posts in the group.
    #[serde(default)]
    pub remove_data: bool,
}

/// Ban an actor from a group: its follow is removed and new follows are rejected.
#[utoipa::path(post, path = "/groups/{name}/bans", tag = "groups", security(("bearer" = [])),
    params(("name" = String, Path)), request_body = BanBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn ban(
    data: Ctx,
    auth: Auth,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<BanBody>,
) -> AppResult<StatusCode> {
    let (_, a) = moderated(&data, &auth, &name).await?;
    let target = follow::resolve(&data, &body.handle).await?;
    let expires = body
        .expires_in_hours
        .map(|h| now_ms() + h as i64 * 3600 * 1000);
    let ban = crate::actions::moderation::Ban {
        reason: &body.reason,
        expires_at: expires,
        remove_data: body.remove_data,
    };
    crate::actions::moderation::ban(&data, &auth.actor, &a, &target, Some(ban)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Lift a ban.
#[utoipa::path(delete, path = "/groups/{name}/bans/{handle}", tag = "groups", security(("bearer" = [])),
    params(("name" = String, Path), ("handle" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn unban(
    data: Ctx,
    auth: Auth,
    Path((name, handle)): Path<(String, String)>,
) -> AppResult<StatusCode> {
    let (_, a) = moderated(&data, &auth, &name).await?;
    let target = follow::resolve(&data, &handle).await?;
    let (gid, tid) = (a.id, target.id);
    if !data
        .db
        .run(move |c| crate::actions::rules::is_banned(c, gid, tid))
        .await?
    {
        return Err(AppError::NotFound("that actor is not banned here".into()));
    }
    crate::actions::moderation::ban(&data, &auth.actor, &a, &target, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Followers of a local group (first 200).
#[utoipa::path(get, path = "/groups/{name}/followers", tag = "groups", params(("name" = String, Path)),
    responses((status = 200, body = ActorList), (status = 404, body = ErrorBody)))]
pub async fn followers(data: Ctx, Path(name): Path<String>) -> AppResult<Json<ActorList>> {
    let (_, a) = svc::local_group(&data, &name).await?;
    let id = a.id;
    let (total, items) = data
        .db
        .run(move |c| {
            Ok((
                queries::follows::count_followers(c, id)?,
                queries::follows::followers(c, id, 0, 200)?,
            ))
        })
        .await?;
    Ok(Json(ActorList {
        total,
        items: items.iter().map(ActorView::from).collect(),
    }))
}
