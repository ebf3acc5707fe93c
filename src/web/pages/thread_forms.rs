//! The thread's forms (see `web::form` for the pattern each follows): answer (with a
//! server-rendered preview) and comment, vote, accept; `post_forms` has the pages of one
//! post (edit, history, delete, report). They call the actions the API calls, with the same rate
//! limits; a refusal comes back as the page with what was typed and the message next to
//! the field. The pages work without JavaScript; htmx (see `static/peerdesk.js`) swaps in
//! the part of the answer page that changed.

use super::personal_data::{notice, removed};
use super::thread::{with_draft, Draft};
use crate::actions;
use crate::actions::personal_data::{self as pd, Outcome};
use crate::db::models::{Actor, Post, User};
use crate::db::{now_ms, queries};
use crate::domain::posts::MAX_BODY;
use crate::domain::ratelimit::Action;
use crate::domain::text::markdown_to_html;
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use crate::web::csrf;
use crate::web::form::{csrf_refused, signin_to};
use crate::web::i18n::Tr;
use crate::web::layout::{error_page, redirect};
use crate::web::session::{viewer_tr, Viewer};
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

/// Longest report reason (the action's limit).
pub(super) const MAX_REASON: usize = 2000;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReplyForm {
    pub csrf: String,
    pub body: String,
    /// Set by the preview button: render, do not post.
    pub preview: Option<String>,
    /// The choice about personal data found: `post`, `move_to_case` or `remove`.
    pub personal_data: String,
}

/// The preview button's address carries `?preview=1` too (htmx sends the form's fields,
/// not always the button's).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PreviewQuery {
    pub preview: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct VoteForm {
    pub csrf: String,
    /// `up` or `down`; the same again withdraws the vote.
    pub value: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AcceptForm {
    pub csrf: String,
    /// `0` clears the accepted answer; anything else accepts this one.
    pub accept: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EditForm {
    pub csrf: String,
    pub title: String,
    pub body: String,
    /// Space- or comma-separated.
    pub tags: String,
    /// Set by the preview button: render, do not save.
    pub preview: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReportForm {
    pub csrf: String,
    pub reason: String,
    pub anonymous: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    pub done: Option<String>,
}

/// What every post form starts with: the viewer, the language, the post, and the page of
/// its thread that shows it.
pub(super) struct Ctx2 {
    pub v: Viewer,
    pub tr: Tr,
    pub post: Post,
    pub qid: i64,
    pub page: i64,
}

// A refusal here is the page that answers the request, built once; boxing it gains nothing.
#[allow(clippy::result_large_err)]
impl Ctx2 {
    pub(super) async fn load(data: &Ctx, headers: &HeaderMap, id: i64) -> Result<Ctx2, Response> {
        let (v, tr) = viewer_tr(data, headers).await;
        let viewer = v.user.as_ref().map(|(_, a)| a.clone());
        let post = data
            .db
            .run(move |c| {
                let post = queries::posts::by_id(c, id)?
                    .ok_or_else(|| AppError::NotFound("no such post".into()))?;
                crate::actions::rules::require_may_read_post(c, &post, viewer.as_ref())?;
                let page = queries::threads::page_of(c, &post)?;
                Ok((post, page))
            })
            .await;
        match post {
            Ok((post, page)) => Ok(Ctx2 {
                qid: post.question_id.unwrap_or(post.id),
                post,
                page,
                v,
                tr,
            }),
            Err(e) => Err(error_page(data, &v, &tr, &e)),
        }
    }

    /// The post `id` and the signed-in viewer sending a form about it: a refused CSRF
    /// token (when `csrf` is given) gets the CSRF page, a signed-out viewer is sent to sign
    /// in, coming back to `back` (the post in its thread when `None`). Returns the way back.
    pub(super) async fn posting(
        data: &Ctx,
        headers: &HeaderMap,
        id: i64,
        csrf: Option<&str>,
        back: Option<String>,
    ) -> Result<(Ctx2, Actor, String), Response> {
        let cx = Ctx2::load(data, headers, id).await?;
        let back = back.unwrap_or_else(|| cx.anchor(id));
        if let Some(token) = csrf {
            if let Err(why) = csrf::check(&data.base, headers, &cx.v, token) {
                return Err(csrf_refused(data, &cx.v, &cx.tr, why, &back));
            }
        }
        let actor = cx.user(&back)?.1.clone();
        Ok((cx, actor, back))
    }

    /// The signed-in user, or the sign-in page's address with the way back.
    pub(super) fn user(&self, back: &str) -> Result<(&User, &Actor), Response> {
        match &self.v.user {
            Some((u, a)) => Ok((u, a)),
            None => Err(redirect(&signin_to(back))),
        }
    }

    /// The post `id` in its thread: on the page of this form's post.
    pub(super) fn anchor(&self, id: i64) -> String {
        thread_link(self.qid, self.page, id)
    }

    pub(super) fn limit(&self, data: &Ctx, action: Action) -> AppResult<()> {
        match &self.v.user {
            Some((u, a)) => data.limits.account(action, a.id, now_ms() - u.created_at),
            None => Err(AppError::Unauthenticated("sign in first".into())),
        }
    }

    /// The thread page (the page of this form's post) again with `draft` and the status
    /// of the refusal.
    pub(super) async fn thread(&self, data: &Ctx, draft: Draft, status: StatusCode) -> Response {
        with_draft(
            data,
            self.qid,
            self.page,
            &self.v,
            &self.tr,
            draft,
            Some(status),
        )
        .await
    }
}

/// The post `id` on `page` of the thread of the question `qid`.
pub(super) fn thread_link(qid: i64, page: i64, id: i64) -> String {
    match page {
        ..=1 => format!("/q/{qid}#p{id}"),
        n => format!("/q/{qid}?page={n}#p{id}"),
    }
}

/// The readable message of a refused post action.
pub(super) fn message(tr: &Tr, e: &AppError, locked: bool, text: &str) -> String {
    match e {
        AppError::RateLimited { .. } => tr.t("thread-too-many"),
        AppError::Gone(_) => tr.t("thread-post-gone"),
        AppError::Forbidden(_) if locked => tr.t("thread-locked-notice"),
        AppError::Forbidden(_) => tr.t("thread-banned"),
        AppError::Invalid(_) if text.trim().is_empty() => tr.t("thread-text-empty"),
        AppError::Invalid(_) if text.len() > MAX_BODY => {
            tr.n("thread-text-too-long", MAX_BODY as i64)
        }
        e if e.status().is_server_error() => {
            tracing::error!("thread form failed: {e}");
            tr.t("error-internal-message")
        }
        _ => tr.t("error-bad-request-message"),
    }
}

/// Answers the question `id`, or comments on the answer `id`; `preview` renders only.
pub async fn reply(
    data: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<PreviewQuery>,
    Form(f): Form<ReplyForm>,
) -> Response {
    let (cx, actor, _) = match Ctx2::posting(&data, &headers, id, Some(&f.csrf), None).await {
        Ok(posting) => posting,
        Err(resp) => return resp,
    };
    let answering = cx.post.is_question();
    let mut draft = Draft::default();
    if answering {
        draft.answer = f.body.clone();
    } else {
        draft.comment_on = id.to_string();
        draft.comment = f.body.clone();
    }
    if answering && (f.preview.is_some() || q.preview.is_some()) {
        draft.preview = Some(markdown_to_html(&f.body));
        return cx.thread(&data, draft, StatusCode::OK).await;
    }
    if f.personal_data == "remove" {
        let fields = [("body", f.body.as_str())];
        if let Ok(flags) = pd::find(&data, cx.post.group_id, &fields).await {
            let body = removed(&f.body, "body", &flags);
            if answering {
                draft.answer = body;
            } else {
                draft.comment = body;
            }
        }
        return cx.thread(&data, draft, StatusCode::OK).await;
    }
    let choice = pd::Choice::parse(&f.personal_data);
    let result = match cx.limit(&data, Action::Post) {
        Ok(()) => pd::answer(&data, &actor, &cx.post, &f.body, choice).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(Outcome::Flagged(flags)) => {
            let can_move = pd::can_move(&data, cx.post.group_id).await;
            let fields = [("body", f.body.as_str())];
            draft.personal = Some(notice(&cx.tr, &flags, &fields, can_move));
            if !answering {
                // Opens the comment form where the warning is.
                draft.errors.add("comment", cx.tr.t("personal-data-title"));
            }
            cx.thread(&data, draft, StatusCode::UNPROCESSABLE_ENTITY)
                .await
        }
        // A new answer may land on a later page of a long thread: the poster goes there.
        Ok(Outcome::Posted(new)) if answering => {
            let id = new.id;
            let page = data
                .db
                .run(move |c| queries::threads::page_of(c, &new))
                .await
                .unwrap_or(1);
            let to = thread_link(cx.qid, page, id);
            // htmx swaps in the answers of the page it posted from: for another page it
            // navigates instead.
            if page > 1 && headers.contains_key("hx-request") {
                return hx_redirect(&to);
            }
            redirect(&to)
        }
        // A comment shows on the page of the post it is under.
        Ok(Outcome::Posted(new)) => redirect(&cx.anchor(new.id)),
        Err(e) => {
            let qid = cx.qid;
            let locked = data
                .db
                .run(move |c| queries::posts::by_id(c, qid))
                .await
                .ok()
                .flatten()
                .is_some_and(|q| q.locked);
            let field = if answering { "answer" } else { "comment" };
            draft
                .errors
                .add(field, message(&cx.tr, &e, locked, &f.body));
            cx.thread(&data, draft, refusal_status(&e)).await
        }
    }
}

/// `HX-Redirect`: htmx loads `to` as a whole page.
fn hx_redirect(to: &str) -> Response {
    let mut resp = StatusCode::NO_CONTENT.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        resp.headers_mut().insert("hx-redirect", v);
    }
    resp
}

/// The status a refused form answers with: the error's own, and 422 for what was typed.
pub(super) fn refusal_status(e: &AppError) -> StatusCode {
    match e {
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        e if e.status().is_server_error() => StatusCode::INTERNAL_SERVER_ERROR,
        e => e.status(),
    }
}

/// Votes up or down on the post `id`; the same vote again withdraws it.
pub async fn vote(
    data: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<VoteForm>,
) -> Response {
    let (cx, actor, back) = match Ctx2::posting(&data, &headers, id, Some(&f.csrf), None).await {
        Ok(posting) => posting,
        Err(resp) => return resp,
    };
    let value = match f.value.as_str() {
        "up" => 1,
        "down" => -1,
        _ => 0,
    };
    let aid = actor.id;
    let result = async {
        cx.limit(&data, Action::Vote)?;
        let current = data
            .db
            .run(move |c| queries::posts::vote(c, id, aid))
            .await?
            .map(|v| v.value)
            .unwrap_or(0);
        let value = if current == value { 0 } else { value };
        actions::qa::vote(&data, &actor, &cx.post, value).await
    }
    .await;
    match result {
        Ok(()) => redirect(&back),
        Err(e) => {
            let mut draft = Draft {
                error_on: id.to_string(),
                ..Draft::default()
            };
            draft.errors.add("post", message(&cx.tr, &e, false, "-"));
            cx.thread(&data, draft, refusal_status(&e)).await
        }
    }
}

/// Accepts the answer `id` (or, with `accept=0`, clears the question's accepted answer).
pub async fn accept(
    data: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<AcceptForm>,
) -> Response {
    let (cx, actor, back) = match Ctx2::posting(&data, &headers, id, Some(&f.csrf), None).await {
        Ok(posting) => posting,
        Err(resp) => return resp,
    };
    let qid = cx.qid;
    let result = async {
        cx.limit(&data, Action::Accept)?;
        let question = data
            .db
            .run(move |c| queries::posts::by_id(c, qid))
            .await?
            .ok_or_else(|| AppError::NotFound("no such question".into()))?;
        let answer = (f.accept != "0").then_some(&cx.post);
        actions::qa::accept(&data, &actor, &question, answer).await
    }
    .await;
    match result {
        Ok(()) => redirect(&back),
        Err(e) => {
            let mut draft = Draft {
                error_on: id.to_string(),
                ..Draft::default()
            };
            let text = match &e {
                AppError::Forbidden(_) => cx.tr.t("thread-accept-refused"),
                AppError::Invalid(_) => cx.tr.t("thread-accept-not-answer"),
                e => message(&cx.tr, e, false, "-"),
            };
            draft.errors.add("post", text);
            cx.thread(&data, draft, refusal_status(&e)).await
        }
    }
}
