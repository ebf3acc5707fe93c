//! The moderators of a local group on its console (`/g/{name}/mod/moderators`): the list,
//! with a form to remove each and one to add someone (here or elsewhere, by handle),
//! through `actions::moderation::set_moderator` (federated as through the API). Only the
//! group's moderators see the page or send its forms.

use super::moderation::{console, Console};
use super::thread_forms::refusal_status;
use crate::actions;
use crate::db::queries;
use crate::error::{AppError, AppResult};
use crate::federation::follow;
use crate::state::Ctx;
use crate::web::form::FieldErrors;
use crate::web::layout::{error_page, redirect, respond, Layout};
use askama::Template;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ModeratorForm {
    pub csrf: String,
    /// `add` or `remove`.
    pub op: String,
    /// `name` here or `name@host`.
    pub handle: String,
}

#[derive(Template)]
#[template(path = "mod_moderators.html")]
struct ModeratorsPage {
    l: Layout,
    base: String,
    reports_href: String,
    log_href: String,
    settings_href: String,
    moderators: Vec<String>,
    handle: String,
    errors: FieldErrors,
}

async fn render(
    data: &Ctx,
    cx: &Console,
    handle: String,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let gid = cx.group_actor.id;
    let mods = data
        .db
        .run(move |c| queries::groups::moderators(c, gid))
        .await;
    let moderators = match mods {
        Ok(m) => m.iter().map(|a| a.handle()).collect(),
        Err(e) => return error_page(data, &cx.v, &cx.tr, &e),
    };
    let name = &cx.group_actor.name;
    let page = ModeratorsPage {
        l: Layout::new(
            data,
            &cx.v,
            &cx.tr,
            cx.tr.s("mod-moderators-title", &cx.group.title),
        ),
        base: format!("/g/{name}/mod/moderators"),
        reports_href: format!("/g/{name}/mod/reports"),
        log_href: format!("/g/{name}/modlog"),
        settings_href: format!("/g/{name}/mod/settings"),
        moderators,
        handle,
        errors,
    };
    respond(data, &cx.v, status, &page)
}

/// The group's moderators, with the forms to add and remove them.
pub async fn moderators(data: Ctx, headers: HeaderMap, Path(name): Path<String>) -> Response {
    let back = format!("/g/{name}/mod/moderators");
    match console(&data, &headers, &name, None, &back).await {
        Ok(cx) => {
            render(
                &data,
                &cx,
                String::new(),
                FieldErrors::default(),
                StatusCode::OK,
            )
            .await
        }
        Err(resp) => resp,
    }
}

/// Adds or removes a moderator of the group.
pub async fn set_moderator(
    data: Ctx,
    headers: HeaderMap,
    Path(name): Path<String>,
    Form(f): Form<ModeratorForm>,
) -> Response {
    let back = format!("/g/{name}/mod/moderators");
    let cx = match console(&data, &headers, &name, Some(&f.csrf), &back).await {
        Ok(cx) => cx,
        Err(resp) => return resp,
    };
    let result: AppResult<()> = async {
        let add = match f.op.as_str() {
            "add" => true,
            "remove" => false,
            _ => return Err(AppError::Invalid("add or remove".into())),
        };
        let handle = f.handle.trim();
        if handle.is_empty() {
            return Err(AppError::Invalid("a handle".into()));
        }
        let target = follow::resolve_name(&data, handle).await?;
        if target.is_group() {
            return Err(AppError::Invalid("a person".into()));
        }
        actions::moderation::set_moderator(&data, &cx.me, &cx.group_actor, &target, add).await
    }
    .await;
    match result {
        Ok(()) => redirect(&back),
        Err(e) => {
            let mut errors = FieldErrors::default();
            let message = match &e {
                AppError::Forbidden(_) => cx.tr.t("error-forbidden-message"),
                AppError::Invalid(_) | AppError::NotFound(_) => cx.tr.t("mod-moderator-unknown"),
                e if e.status().is_server_error() => {
                    tracing::error!("changing a moderator failed: {e}");
                    cx.tr.t("error-internal-message")
                }
                _ => cx.tr.t("mod-moderator-unknown"),
            };
            errors.add("handle", message);
            let status = match &e {
                AppError::NotFound(_) => StatusCode::UNPROCESSABLE_ENTITY,
                e => refusal_status(e),
            };
            render(&data, &cx, f.handle.clone(), errors, status).await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProfileBanForm {
    pub csrf: String,
    /// The group's name here.
    pub group: String,
    /// `ban` or `unban`.
    pub op: String,
    /// Ban length in hours; permanent when empty.
    pub ban_hours: String,
    pub reason: String,
}

/// Bans a local user from a group (or lifts the ban), from their profile: only the
/// group's moderators may.
pub async fn ban_from_profile(
    data: Ctx,
    headers: HeaderMap,
    Path(name): Path<String>,
    Form(f): Form<ProfileBanForm>,
) -> Response {
    let back = format!("/u/{name}");
    let cx = match console(&data, &headers, &f.group, Some(&f.csrf), &back).await {
        Ok(cx) => cx,
        Err(resp) => return resp,
    };
    let result: AppResult<()> = async {
        let n = name.clone();
        let target = data
            .db
            .run(move |c| queries::actors::local_by_name(c, &n))
            .await?
            .filter(|a| !a.is_group() && !a.deleted)
            .ok_or_else(|| AppError::NotFound("no such user".into()))?;
        let reason = f.reason.trim();
        if reason.len() > 2000 {
            return Err(AppError::Invalid("reason too long".into()));
        }
        let ban = match f.op.as_str() {
            "ban" => {
                let hours = match f.ban_hours.trim() {
                    "" => None,
                    h => Some(
                        h.parse::<u32>()
                            .ok()
                            .filter(|h| *h > 0)
                            .ok_or_else(|| AppError::Invalid("ban length".into()))?,
                    ),
                };
                Some(actions::moderation::Ban {
                    reason,
                    expires_at: hours.map(|h| crate::db::now_ms() + h as i64 * 3600 * 1000),
                    remove_data: false,
                })
            }
            "unban" => None,
            _ => return Err(AppError::Invalid("ban or unban".into())),
        };
        actions::moderation::ban(&data, &cx.me, &cx.group_actor, &target, ban).await
    }
    .await;
    match result {
        Ok(()) => redirect(&back),
        Err(e) => error_page(&data, &cx.v, &cx.tr, &e),
    }
}

/// A group the viewer moderates, as a profile's ban form shows it.
pub struct BanGroup {
    pub name: String,
    pub title: String,
    pub banned: bool,
}

/// The local groups `me` moderates, and whether `target` is banned from each (for the
/// ban forms of `target`'s profile); none on one's own profile.
pub async fn ban_groups(
    data: &Ctx,
    me: Option<&crate::db::models::Actor>,
    target: &crate::db::models::Actor,
) -> AppResult<Vec<BanGroup>> {
    let Some(me) = me.filter(|m| m.id != target.id).cloned() else {
        return Ok(Vec::new());
    };
    let tid = target.id;
    data.db
        .run(move |c| {
            let mut out = Vec::new();
            for (g, a) in queries::groups::list_local(c)? {
                if crate::actions::rules::may_moderate(c, &a, &me)? {
                    out.push(BanGroup {
                        banned: crate::actions::rules::is_banned(c, a.id, tid)?,
                        name: a.name,
                        title: g.title,
                    });
                }
            }
            Ok(out)
        })
        .await
}
