//! Private messages' pages: the viewer's conversations with unread counts
//! (`/messages`), one conversation with a reply form (`/messages/{id}`, 404 for anyone
//! but its two participants) and a first message to someone (`/messages/new?to=HANDLE`,
//! linked from profiles). Forms work without JavaScript and are CSRF-protected; the
//! rules are the actions' (the same as the API's).

use super::date_ms;
use crate::actions::conversations as act;
use crate::db::models::Actor;
use crate::domain::ratelimit::Action;
use crate::error::AppError;
use crate::federation::follow::resolve_name;
use crate::state::Ctx;
use crate::web::csrf;
use crate::web::form::{csrf_refused, signin_to, FieldErrors};
use crate::web::layout::{error_page, redirect, respond, Layout};
use crate::web::session::{viewer_tr, Viewer};
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

pub struct ConversationItem {
    pub id: i64,
    pub with: String,
    pub unread: i64,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "messages.html")]
struct ListPage {
    l: Layout,
    /// Back from reporting a message.
    reported: bool,
    conversations: Vec<ConversationItem>,
    /// Handles of the people the viewer blocked.
    blocked: Vec<String>,
}

pub struct MessageItem {
    pub id: i64,
    pub author: String,
    pub mine: bool,
    pub deleted: bool,
    pub html: String,
    pub date: String,
}

#[derive(Template)]
#[template(path = "conversation.html")]
struct ThreadPage {
    l: Layout,
    id: i64,
    with: String,
    messages: Vec<MessageItem>,
    body: String,
    errors: FieldErrors,
    /// Whether the viewer blocked the other participant (`_block.html`).
    blocked: bool,
    block_person: String,
    block_back: String,
}

#[derive(Template)]
#[template(path = "message_new.html")]
struct NewPage {
    l: Layout,
    to: String,
    body: String,
    errors: FieldErrors,
}

#[allow(clippy::result_large_err)]
fn signed_in(v: &Viewer, back: &str) -> Result<Actor, Response> {
    match &v.user {
        Some((_, a)) => Ok(a.clone()),
        None => Err(redirect(&signin_to(back))),
    }
}

fn user_message(e: &AppError) -> String {
    match e {
        AppError::Invalid(m) | AppError::TooLarge(m) | AppError::Forbidden(m) => m.clone(),
        e => e.to_string(),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    pub reported: String,
}

/// `GET /messages`.
pub async fn list(data: Ctx, headers: HeaderMap, Query(q): Query<ListQuery>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let me = match signed_in(&v, "/messages") {
        Ok(a) => a,
        Err(r) => return r,
    };
    let listed = match act::list(&data, &me).await {
        Ok(rows) => crate::actions::blocks::list(&data, &me)
            .await
            .map(|b| (rows, b)),
        Err(e) => Err(e),
    };
    match listed {
        Ok((rows, blocked)) => {
            let p = ListPage {
                blocked: blocked.iter().map(Actor::handle).collect(),
                reported: !q.reported.is_empty(),
                l: Layout::new(&data, &v, &tr, tr.t("messages-title")),
                conversations: rows
                    .iter()
                    .map(|s| ConversationItem {
                        id: s.conversation.id,
                        with: s.other.handle(),
                        unread: s.unread,
                        updated: date_ms(s.conversation.updated_at),
                    })
                    .collect(),
            };
            respond(&data, &v, StatusCode::OK, &p)
        }
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}

#[allow(clippy::too_many_arguments)]
async fn thread(
    data: &Ctx,
    v: &Viewer,
    tr: &crate::web::i18n::Tr,
    me: &Actor,
    id: i64,
    body: String,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let opened = match act::open(data, me, id).await {
        Ok((conv, other, messages)) => crate::actions::blocks::is_blocked(data, me, &other)
            .await
            .map(|b| (conv, other, messages, b)),
        Err(e) => Err(e),
    };
    match opened {
        Ok((conv, other, messages, blocked)) => {
            let with = other.handle();
            let p = ThreadPage {
                blocked,
                block_person: with.clone(),
                block_back: format!("/messages/{}", conv.id),
                l: Layout::new(data, v, tr, tr.s("messages-with", &with)),
                id: conv.id,
                messages: messages
                    .iter()
                    .map(|m| MessageItem {
                        id: m.id,
                        author: if m.author_id == me.id {
                            me.handle()
                        } else {
                            with.clone()
                        },
                        mine: m.author_id == me.id,
                        deleted: m.deleted_at.is_some(),
                        html: m.body_html.clone(),
                        date: date_ms(m.created_at),
                    })
                    .collect(),
                with,
                body,
                errors,
            };
            respond(data, v, status, &p)
        }
        Err(e) => error_page(data, v, tr, &e),
    }
}

fn parse(id: &str) -> Result<i64, AppError> {
    id.parse()
        .map_err(|_| AppError::NotFound("conversation not found".into()))
}

/// `GET /messages/{id}`.
pub async fn show(data: Ctx, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let me = match signed_in(&v, &format!("/messages/{id}")) {
        Ok(a) => a,
        Err(r) => return r,
    };
    match parse(&id) {
        Ok(id) => {
            let ok = StatusCode::OK;
            thread(
                &data,
                &v,
                &tr,
                &me,
                id,
                String::new(),
                FieldErrors::default(),
                ok,
            )
            .await
        }
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MessageForm {
    pub csrf: String,
    pub to: String,
    pub body: String,
}

/// `POST /messages/{id}`: a reply.
pub async fn reply(
    data: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<MessageForm>,
) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let back = format!("/messages/{id}");
    if let Err(why) = csrf::check(&data.base, &headers, &v, &form.csrf) {
        return csrf_refused(&data, &v, &tr, why, &back);
    }
    let (me, user) = match &v.user {
        Some((u, a)) => (a.clone(), u.clone()),
        None => return redirect(&signin_to(&back)),
    };
    let id = match parse(&id) {
        Ok(id) => id,
        Err(e) => return error_page(&data, &v, &tr, &e),
    };
    let sent = match data
        .limits
        .account(Action::Post, me.id, crate::db::now_ms() - user.created_at)
    {
        Ok(()) => act::reply(&data, &me, id, &form.body).await,
        Err(e) => Err(e),
    };
    match sent {
        Ok(m) => redirect(&format!("/messages/{id}#m{}", m.id)),
        Err(e @ (AppError::Invalid(_) | AppError::TooLarge(_))) => {
            let mut errors = FieldErrors::default();
            errors.add("body", user_message(&e));
            let st = StatusCode::UNPROCESSABLE_ENTITY;
            thread(&data, &v, &tr, &me, id, form.body, errors, st).await
        }
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    pub to: String,
}

/// `GET /messages/new?to=HANDLE`.
pub async fn new_form(data: Ctx, headers: HeaderMap, Query(q): Query<NewQuery>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let back = format!(
        "/messages/new?to={}",
        url::form_urlencoded::byte_serialize(q.to.as_bytes()).collect::<String>()
    );
    if let Err(r) = signed_in(&v, &back) {
        return r;
    }
    let p = NewPage {
        l: Layout::new(&data, &v, &tr, tr.t("messages-new-title")),
        to: q.to,
        body: String::new(),
        errors: FieldErrors::default(),
    };
    respond(&data, &v, StatusCode::OK, &p)
}

/// `POST /messages/new`: the first message to someone.
pub async fn create(data: Ctx, headers: HeaderMap, Form(form): Form<MessageForm>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    if let Err(why) = csrf::check(&data.base, &headers, &v, &form.csrf) {
        return csrf_refused(&data, &v, &tr, why, "/messages");
    }
    let (me, user) = match &v.user {
        Some((u, a)) => (a.clone(), u.clone()),
        None => return redirect(&signin_to("/messages")),
    };
    let limited = data
        .limits
        .account(Action::Post, me.id, crate::db::now_ms() - user.created_at);
    let sent = match limited {
        Ok(()) => match resolve_name(&data, &form.to).await {
            Ok(to) => act::send(&data, &me, &to, &form.body)
                .await
                .map_err(|e| ("body", e)),
            Err(_) => Err(("to", AppError::Invalid(tr.t("messages-unknown-recipient")))),
        },
        Err(e) => Err(("body", e)),
    };
    match sent {
        Ok(m) => redirect(&format!("/messages/{}#m{}", m.conversation_id, m.id)),
        Err((
            field,
            e @ (AppError::Invalid(_) | AppError::TooLarge(_) | AppError::Forbidden(_)),
        )) => {
            let mut errors = FieldErrors::default();
            errors.add(field, user_message(&e));
            let p = NewPage {
                l: Layout::new(&data, &v, &tr, tr.t("messages-new-title")),
                to: form.to,
                body: form.body,
                errors,
            };
            respond(&data, &v, StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
        Err((_, e)) => error_page(&data, &v, &tr, &e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReportForm {
    pub csrf: String,
    pub reason: String,
}

/// `POST /messages/report/{message}`: the recipient reports a message.
pub async fn report(
    data: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<ReportForm>,
) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    if let Err(why) = csrf::check(&data.base, &headers, &v, &form.csrf) {
        return csrf_refused(&data, &v, &tr, why, "/messages");
    }
    let (me, user) = match &v.user {
        Some((u, a)) => (a.clone(), u.clone()),
        None => return redirect(&signin_to("/messages")),
    };
    let id = match parse(&id) {
        Ok(id) => id,
        Err(e) => return error_page(&data, &v, &tr, &e),
    };
    let done =
        match data
            .limits
            .account(Action::Report, me.id, crate::db::now_ms() - user.created_at)
        {
            Ok(()) => act::report(&data, &me, id, &form.reason).await,
            Err(e) => Err(e),
        };
    match done {
        Ok(()) => redirect("/messages?reported=1"),
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}
