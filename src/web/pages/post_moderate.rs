//! A moderator's actions on one post, reached from the thread (`/p/{id}/moderate`):
//! remove or restore it, lock or unlock and feature or unfeature a question, ban or unban
//! its author from the group, each with a reason that goes into the public moderation
//! log. Each form calls the action the API calls (which federates as it does there);
//! anyone who does not moderate the post's group gets the 403 page.

use super::thread_forms::{refusal_status, Ctx2};
use crate::actions::{self, rules};
use crate::db::models::Actor;
use crate::db::queries;
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use crate::web::form::FieldErrors;
use crate::web::layout::{error_page, redirect, respond, Layout};
use askama::Template;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

const MAX_REASON: usize = 2000;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ModerateForm {
    pub csrf: String,
    /// `remove`, `restore`, `lock`, `unlock`, `feature`, `unfeature`, `ban` or `unban`.
    pub action: String,
    pub reason: String,
    /// Ban length in hours; permanent when empty.
    pub ban_hours: String,
    pub remove_data: Option<String>,
}

#[derive(Template)]
#[template(path = "post_moderate.html")]
struct ModeratePage {
    l: Layout,
    id: i64,
    back: String,
    html: String,
    question: bool,
    removed: bool,
    locked: bool,
    featured: bool,
    author: String,
    banned: bool,
    reason: String,
    ban_hours: String,
    errors: FieldErrors,
}

/// The post's group and author, once the viewer is known to moderate the group.
struct Target {
    group: Actor,
    author: Actor,
    banned: bool,
}

/// The post `id` and the signed-in viewer: a refused CSRF token (when `csrf` is given)
/// gets the CSRF page, a signed-out viewer the 403 page like anyone without the role.
#[allow(clippy::result_large_err)]
async fn moderator(
    data: &Ctx,
    headers: &HeaderMap,
    id: i64,
    csrf: Option<&str>,
) -> Result<(Ctx2, Actor), Response> {
    let cx = Ctx2::load(data, headers, id).await?;
    if let Some(token) = csrf {
        if let Err(why) = crate::web::csrf::check(&data.base, headers, &cx.v, token) {
            let back = format!("/p/{id}/moderate");
            return Err(crate::web::form::csrf_refused(
                data, &cx.v, &cx.tr, why, &back,
            ));
        }
    }
    let me = match &cx.v.user {
        Some((_, a)) => a.clone(),
        None => {
            let e = AppError::Forbidden("only the group's moderators".into());
            return Err(error_page(data, &cx.v, &cx.tr, &e));
        }
    };
    Ok((cx, me))
}

async fn target(data: &Ctx, cx: &Ctx2, me: &Actor) -> AppResult<Target> {
    let (post, me) = (cx.post.clone(), me.clone());
    data.db
        .run(move |c| {
            let group = rules::group_of(c, &post)?;
            rules::require_moderator(c, &group, &me)?;
            let author = queries::actors::by_id(c, post.author_id)?
                .ok_or_else(|| AppError::NotFound("author not found".into()))?;
            let banned = rules::is_banned(c, group.id, author.id)?;
            Ok(Target {
                group,
                author,
                banned,
            })
        })
        .await
}

fn render(
    data: &Ctx,
    cx: &Ctx2,
    t: &Target,
    f: ModerateForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let page = ModeratePage {
        l: Layout::new(data, &cx.v, &cx.tr, cx.tr.t("moderate-title")),
        id: cx.post.id,
        back: cx.anchor(cx.post.id),
        html: if cx.post.deleted {
            String::new()
        } else {
            cx.post.content_html.clone()
        },
        question: cx.post.is_question(),
        removed: cx.post.removed,
        locked: cx.post.locked,
        featured: cx.post.featured,
        author: t.author.handle(),
        banned: t.banned,
        reason: f.reason,
        ban_hours: f.ban_hours,
        errors,
    };
    respond(data, &cx.v, status, &page)
}

/// The page of a post's moderation forms (the group's moderators only).
pub async fn form(data: Ctx, headers: HeaderMap, Path(id): Path<i64>) -> Response {
    let (cx, me) = match moderator(&data, &headers, id, None).await {
        Ok(posting) => posting,
        Err(resp) => return resp,
    };
    match target(&data, &cx, &me).await {
        Ok(t) => render(
            &data,
            &cx,
            &t,
            ModerateForm::default(),
            FieldErrors::default(),
            StatusCode::OK,
        ),
        Err(e) => error_page(&data, &cx.v, &cx.tr, &e),
    }
}

/// Applies one moderator action to the post (or its author), then back to the thread.
pub async fn moderate(
    data: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<ModerateForm>,
) -> Response {
    let (cx, me) = match moderator(&data, &headers, id, Some(&f.csrf)).await {
        Ok(posting) => posting,
        Err(resp) => return resp,
    };
    let t = match target(&data, &cx, &me).await {
        Ok(t) => t,
        Err(e) => return error_page(&data, &cx.v, &cx.tr, &e),
    };
    let mut errors = FieldErrors::default();
    let reason = f.reason.trim().to_string();
    if reason.len() > MAX_REASON {
        errors.add(
            "reason",
            cx.tr.n("report-reason-too-long", MAX_REASON as i64),
        );
    }
    let hours = match f.ban_hours.trim() {
        "" => None,
        h => match h.parse::<u32>() {
            Ok(h) if h > 0 => Some(h),
            _ => {
                errors.add("ban_hours", cx.tr.t("moderate-hours-invalid"));
                None
            }
        },
    };
    if !errors.is_empty() {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return render(&data, &cx, &t, f, errors, status);
    }
    let post = &cx.post;
    let result = match f.action.as_str() {
        "remove" | "restore" => {
            let restore = f.action == "restore";
            actions::moderation::remove(&data, &me, post, &reason, restore).await
        }
        "lock" | "unlock" => {
            actions::moderation::lock(&data, &me, post, f.action == "lock", &reason).await
        }
        "feature" | "unfeature" if post.is_question() => {
            actions::moderation::feature(&data, &me, post, f.action == "feature").await
        }
        "ban" => {
            let ban = actions::moderation::Ban {
                reason: &reason,
                expires_at: hours.map(|h| crate::db::now_ms() + h as i64 * 3600 * 1000),
                remove_data: f.remove_data.is_some(),
            };
            actions::moderation::ban(&data, &me, &t.group, &t.author, Some(ban)).await
        }
        "unban" => actions::moderation::ban(&data, &me, &t.group, &t.author, None).await,
        _ => Err(AppError::Invalid("unknown action".into())),
    };
    match result {
        Ok(()) => redirect(&cx.anchor(id)),
        Err(e) => {
            let message = match &e {
                AppError::Forbidden(_) => cx.tr.t("error-forbidden-message"),
                e if e.status().is_server_error() => {
                    tracing::error!("a moderator action failed: {e}");
                    cx.tr.t("error-internal-message")
                }
                _ => cx.tr.t("error-bad-request-message"),
            };
            errors.add("", message);
            let status = refusal_status(&e);
            render(&data, &cx, &t, f, errors, status)
        }
    }
}
