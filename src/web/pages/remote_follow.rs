//! "Follow from your server" (`/g/{name}/follow`, `/u/{name}/follow`): the visitor types
//! their fediverse handle; we look up their server's interaction template with WebFinger
//! ([`crate::federation::interaction`]) and answer `303 See Other` to it, with our
//! actor's id filled in. A refusal shows the form again, filled, with a message and our
//! actor's handle to paste into their server's search (which always works). Look-ups
//! are limited per client address (`429` with `Retry-After`, the form kept filled).
//!
//! The group page and the profile page carry the same form ([`RemoteFollow`] in
//! `templates/_remote_follow.html`). Pages with it allow forms to lead to other sites
//! ([`allow_remote_redirect`]): browsers apply `form-action` to the redirect too.

use crate::db::models::Actor;
use crate::db::queries;
use crate::error::{AppError, AppResult};
use crate::federation::interaction::{follow_url, Failure};
use crate::read::client::ClientAddr;
use crate::state::Ctx;
use crate::web::csrf;
use crate::web::form::csrf_refused;
use crate::web::i18n::Tr;
use crate::web::layout::{error_page, redirect, respond, Layout, CSP};
use crate::web::session::{viewer, Viewer};
use askama::Template;
use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

/// The form's data, as the templates show it.
pub struct RemoteFollow {
    /// Where the form posts.
    pub action: String,
    /// What the visitor typed.
    pub handle: String,
    /// Our actor's handle (`name@domain`), to paste into another server's search.
    pub target: String,
    pub error: Option<String>,
}

impl RemoteFollow {
    pub fn new(actor: &Actor) -> RemoteFollow {
        RemoteFollow {
            action: action(actor),
            handle: String::new(),
            target: actor.handle(),
            error: None,
        }
    }
}

fn action(actor: &Actor) -> String {
    let prefix = if actor.is_group() { "g" } else { "u" };
    format!("/{prefix}/{}/follow", actor.name)
}

fn page_of(actor: &Actor) -> String {
    let prefix = if actor.is_group() { "g" } else { "u" };
    format!("/{prefix}/{}", actor.name)
}

/// Lets forms of a page lead to another site after our `303` (its `form-action`
/// otherwise stops the browser there). Other sites are `https` ones, and `http` ones
/// when federation is insecure (tests, local trials).
pub fn allow_remote_redirect(data: &Ctx, resp: &mut Response) {
    let extra = if data.settings.insecure_federation || data.net.has_test_hosts() {
        "form-action 'self' https: http:"
    } else {
        "form-action 'self' https:"
    };
    let csp = CSP.replace("form-action 'self'", extra);
    if let Ok(v) = HeaderValue::from_str(&csp) {
        resp.headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, v);
    }
}

#[derive(Template)]
#[template(path = "follow.html")]
struct FollowPage {
    l: Layout,
    back: String,
    follow: RemoteFollow,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FollowForm {
    pub csrf: String,
    pub handle: String,
}

async fn local(data: &Ctx, name: String, kind: &'static str) -> AppResult<Actor> {
    let actor = data
        .db
        .run(move |c| queries::actors::local_by_name(c, &name))
        .await?
        .filter(|a| a.kind == kind)
        .ok_or_else(|| AppError::NotFound("no such actor".into()))?;
    if actor.deleted {
        return Err(AppError::Gone("deleted".into()));
    }
    Ok(actor)
}

fn render(
    data: &Ctx,
    v: &Viewer,
    tr: &Tr,
    actor: &Actor,
    follow: RemoteFollow,
    status: StatusCode,
) -> Response {
    let page = FollowPage {
        l: Layout::new(
            data,
            v,
            tr,
            tr.s("remote-follow-page-title", &actor.handle()),
        ),
        back: page_of(actor),
        follow,
    };
    let mut resp = respond(data, v, status, &page);
    allow_remote_redirect(data, &mut resp);
    resp
}

async fn show(data: Ctx, headers: HeaderMap, name: String, kind: &'static str) -> Response {
    let (v, tr) = (viewer(&data, &headers).await, Tr::from_headers(&headers));
    match local(&data, name, kind).await {
        Ok(actor) => {
            let follow = RemoteFollow::new(&actor);
            render(&data, &v, &tr, &actor, follow, StatusCode::OK)
        }
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}

async fn submit(
    data: Ctx,
    client: ClientAddr,
    headers: HeaderMap,
    name: String,
    kind: &'static str,
    form: FollowForm,
) -> Response {
    let (v, tr) = (viewer(&data, &headers).await, Tr::from_headers(&headers));
    let actor = match local(&data, name, kind).await {
        Ok(a) => a,
        Err(e) => return error_page(&data, &v, &tr, &e),
    };
    if let Err(why) = csrf::check(&data.base, &headers, &v, &form.csrf) {
        return csrf_refused(&data, &v, &tr, why, &action(&actor));
    }
    let handle = form.handle.trim().chars().take(300).collect::<String>();
    let refused = |key: &str, status: StatusCode| {
        let mut follow = RemoteFollow::new(&actor);
        follow.error = Some(tr.s(key, &actor.handle()));
        follow.handle = handle.clone();
        render(&data, &v, &tr, &actor, follow, status)
    };
    if let Err(e) = data.limits.remote_lookup(client.0) {
        let mut resp = refused("remote-follow-too-many", StatusCode::TOO_MANY_REQUESTS);
        if let AppError::RateLimited {
            retry_after_secs, ..
        } = e
        {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        return resp;
    }
    match follow_url(&data, &handle, &actor.ap_id).await {
        Ok(to) => redirect(&to),
        Err(failure) => {
            let key = match failure {
                Failure::BadHandle => "remote-follow-bad-handle",
                Failure::UnknownAccount => "remote-follow-unknown",
                Failure::NoTemplate => "remote-follow-no-template",
                Failure::Unreachable => "remote-follow-unreachable",
            };
            refused(key, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

pub async fn group_form(data: Ctx, Path(name): Path<String>, headers: HeaderMap) -> Response {
    show(data, headers, name, "Group").await
}

pub async fn person_form(data: Ctx, Path(name): Path<String>, headers: HeaderMap) -> Response {
    show(data, headers, name, "Person").await
}

pub async fn group_submit(
    data: Ctx,
    Path(name): Path<String>,
    client: ClientAddr,
    headers: HeaderMap,
    Form(form): Form<FollowForm>,
) -> Response {
    submit(data, client, headers, name, "Group", form).await
}

pub async fn person_submit(
    data: Ctx,
    Path(name): Path<String>,
    client: ClientAddr,
    headers: HeaderMap,
    Form(form): Form<FollowForm>,
) -> Response {
    submit(data, client, headers, name, "Person", form).await
}
