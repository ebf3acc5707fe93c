//! A private group's members on its console (`/g/{name}/mod/members`): the requests to
//! join waiting for its moderators (approve, reject), adding a member by name, and
//! one-use invitation links, through `actions::private_groups` (as the API). And the
//! page where someone signed in joins with an invitation (`/g/{name}/join?token=…`).

use super::moderation::{console, Console};
use crate::actions::private_groups as act;
use crate::error::{AppError, AppResult};
use crate::federation::follow;
use crate::state::Ctx;
use crate::web::form::FieldErrors;
use crate::web::layout::{error_page, redirect, respond, Layout};
use crate::web::session::viewer_tr;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MemberForm {
    pub csrf: String,
    /// `approve`, `reject`, `add` or `invite`.
    pub op: String,
    /// `name` here or `name@host`.
    pub handle: String,
}

#[derive(Template)]
#[template(path = "mod_members.html")]
struct MembersPage {
    l: Layout,
    base: String,
    /// Handles of the people asking to join, with when they asked.
    requests: Vec<(String, String)>,
    handle: String,
    invite: Option<String>,
    errors: FieldErrors,
}

async fn render(
    data: &Ctx,
    cx: &Console,
    handle: String,
    invite: Option<String>,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let requests = match act::pending(data, &cx.me, &cx.group_actor).await {
        Ok(r) => r
            .iter()
            .map(|(a, at)| (a.handle(), super::date_ms(*at)))
            .collect(),
        Err(e) => return error_page(data, &cx.v, &cx.tr, &e),
    };
    let page = MembersPage {
        l: Layout::new(
            data,
            &cx.v,
            &cx.tr,
            cx.tr.s("private-members-title", &cx.group.title),
        ),
        base: format!("/g/{}/mod/members", cx.group_actor.name),
        requests,
        handle,
        invite,
        errors,
    };
    respond(data, &cx.v, status, &page)
}

/// The requests to join, with the forms to answer them, add a member, make an invitation.
pub async fn members(data: Ctx, headers: HeaderMap, Path(name): Path<String>) -> Response {
    let back = format!("/g/{name}/mod/members");
    match console(&data, &headers, &name, None, &back).await {
        Ok(cx) => {
            let errors = FieldErrors::default();
            render(&data, &cx, String::new(), None, errors, StatusCode::OK).await
        }
        Err(resp) => resp,
    }
}

/// Answers a request, adds a member, or makes an invitation link.
pub async fn act_on(
    data: Ctx,
    headers: HeaderMap,
    Path(name): Path<String>,
    Form(f): Form<MemberForm>,
) -> Response {
    let back = format!("/g/{name}/mod/members");
    let cx = match console(&data, &headers, &name, Some(&f.csrf), &back).await {
        Ok(cx) => cx,
        Err(resp) => return resp,
    };
    let (me, group) = (&cx.me, &cx.group_actor);
    if f.op == "invite" {
        return match act::create_invite(&data, me, group).await {
            Ok(token) => {
                let url = format!("{}/g/{name}/join?token={token}", data.base);
                let errors = FieldErrors::default();
                render(&data, &cx, String::new(), Some(url), errors, StatusCode::OK).await
            }
            Err(e) => error_page(&data, &cx.v, &cx.tr, &e),
        };
    }
    let result: AppResult<()> = async {
        let handle = f.handle.trim();
        if handle.is_empty() {
            return Err(AppError::Invalid("a handle".into()));
        }
        let person = follow::resolve_name(&data, handle).await?;
        match f.op.as_str() {
            "approve" => act::approve(&data, me, group, &person).await,
            "reject" => act::reject(&data, me, group, &person).await,
            "add" => act::invite(&data, me, group, &person).await,
            _ => Err(AppError::Invalid("approve, reject or add".into())),
        }
    }
    .await;
    match result {
        Ok(()) => redirect(&back),
        Err(e) => {
            let mut errors = FieldErrors::default();
            let message = match &e {
                AppError::Forbidden(_) => cx.tr.t("error-forbidden-message"),
                e if e.status().is_server_error() => {
                    tracing::error!("answering a request to join failed: {e}");
                    cx.tr.t("error-internal-message")
                }
                _ => cx.tr.t("mod-moderator-unknown"),
            };
            errors.add("handle", message);
            let status = e.status();
            render(&data, &cx, f.handle.clone(), None, errors, status).await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct JoinQuery {
    pub token: String,
}

#[derive(Template)]
#[template(path = "group_join.html")]
struct JoinPage {
    l: Layout,
    action: String,
    token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct JoinForm {
    pub csrf: String,
    pub token: String,
}

/// The invitation's page: signed in, a button to join; signed out, the sign-in page.
pub async fn join_page(
    data: Ctx,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<JoinQuery>,
) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let back = format!("/g/{name}/join?token={}", q.token);
    if v.user.is_none() {
        return redirect(&crate::web::form::signin_to(&back));
    }
    match crate::domain::groups::local_group(&data, &name).await {
        Ok((g, a)) => {
            let page = JoinPage {
                l: Layout::new(&data, &v, &tr, tr.s("private-join-title", &g.title)),
                action: format!("/g/{}/join", a.name),
                token: q.token,
            };
            respond(&data, &v, StatusCode::OK, &page)
        }
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}

/// Joins with the invitation, back to the group's page.
pub async fn join(
    data: Ctx,
    headers: HeaderMap,
    Path(name): Path<String>,
    Form(f): Form<JoinForm>,
) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let back = format!("/g/{name}");
    if let Err(why) = crate::web::csrf::check(&data.base, &headers, &v, &f.csrf) {
        return crate::web::form::csrf_refused(&data, &v, &tr, why, &back);
    }
    let Some((_, me)) = &v.user else {
        return redirect(&crate::web::form::signin_to(&back));
    };
    let result = async {
        let (_, group) = crate::domain::groups::local_group(&data, &name).await?;
        act::join_with_invite(&data, me, &group, &f.token).await
    }
    .await;
    match result {
        Ok(()) => redirect(&back),
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}
