//! The pages of one post, reached from the thread: edit (with a preview), the edit
//! history, delete (with a confirmation step) and report. Same pattern as the thread's
//! forms (`thread_forms`), whose helpers they share.

use super::thread_forms::{
    message, refusal_status, Ctx2, DoneQuery, EditForm, ReportForm, MAX_REASON,
};
use crate::actions::{self, rules};
use crate::db::models::Actor;
use crate::db::{queries, rfc3339};
use crate::domain::posts::{check_body, check_question, MAX_TAGS};
use crate::domain::ratelimit::Action;
use crate::domain::text::markdown_to_html;
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use crate::web::form::FieldErrors;
use crate::web::layout::{error_page, redirect, respond, Layout};
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;

#[derive(Template)]
#[template(path = "post_edit.html")]
struct EditPage {
    l: Layout,
    id: i64,
    back: String,
    question: bool,
    title: String,
    body: String,
    tags: String,
    preview: Option<String>,
    errors: FieldErrors,
}

/// Refuses what only the author may do to a post that can still change.
fn own_post(cx: &Ctx2, actor: &Actor) -> AppResult<()> {
    if cx.post.deleted {
        return Err(AppError::Gone("that post was deleted".into()));
    }
    if cx.post.author_id != actor.id || cx.post.removed {
        return Err(AppError::Forbidden("not your post".into()));
    }
    Ok(())
}

/// The post `id` and its signed-in author, for the forms that change one's own post:
/// a refused CSRF token (when `csrf` is given), a signed-out viewer (sent to sign in,
/// coming back to `back`) and someone else's, removed or deleted post each get their page.
#[allow(clippy::result_large_err)]
async fn own(
    data: &Ctx,
    headers: &HeaderMap,
    id: i64,
    csrf: Option<&str>,
    back: &str,
) -> Result<(Ctx2, Actor), Response> {
    let (cx, actor, _) = Ctx2::posting(data, headers, id, csrf, Some(back.to_string())).await?;
    if let Err(e) = own_post(&cx, &actor) {
        return Err(error_page(data, &cx.v, &cx.tr, &e));
    }
    Ok((cx, actor))
}

fn render_edit(data: &Ctx, cx: &Ctx2, f: EditForm, errors: FieldErrors, preview: bool) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else if errors.get("").is_some_and(|_| errors.get("body").is_none()) {
        StatusCode::TOO_MANY_REQUESTS
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = EditPage {
        l: Layout::new(data, &cx.v, &cx.tr, cx.tr.t("edit-title")),
        id: cx.post.id,
        back: cx.anchor(cx.post.id),
        question: cx.post.is_question(),
        preview: preview.then(|| markdown_to_html(&f.body)),
        title: f.title,
        body: f.body,
        tags: f.tags,
        errors,
    };
    respond(data, &cx.v, status, &page)
}

/// The edit form of one's own post, filled with its current text.
pub async fn edit_form(data: Ctx, headers: HeaderMap, Path(id): Path<i64>) -> Response {
    let (cx, _) = match own(&data, &headers, id, None, &format!("/p/{id}/edit")).await {
        Ok(own) => own,
        Err(resp) => return resp,
    };
    let f = EditForm {
        title: cx.post.title.clone().unwrap_or_default(),
        body: cx.post.source_md.clone().unwrap_or_default(),
        tags: cx.post.tags.clone(),
        ..EditForm::default()
    };
    render_edit(&data, &cx, f, FieldErrors::default(), false)
}

/// Saves an edit (the earlier version goes to the history), or previews it.
pub async fn edit(
    data: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<EditForm>,
) -> Response {
    let back = format!("/p/{id}/edit");
    let (cx, actor) = match own(&data, &headers, id, Some(&f.csrf), &back).await {
        Ok(own) => own,
        Err(resp) => return resp,
    };
    let preview = f.preview.is_some();
    let f2 = f;
    if preview {
        return render_edit(&data, &cx, f2, FieldErrors::default(), true);
    }
    let question = cx.post.is_question();
    let tags: Vec<String> = f2
        .tags
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    let mut errors = FieldErrors::default();
    if question && check_question(&f2.title, "-", &[]).is_err() {
        errors.add("title", cx.tr.t("edit-title-invalid"));
    }
    if check_body(&f2.body).is_err() {
        errors.add(
            "body",
            message(&cx.tr, &AppError::Invalid(String::new()), false, &f2.body),
        );
    }
    if question && tags.len() > MAX_TAGS {
        errors.add("tags", cx.tr.n("edit-too-many-tags", MAX_TAGS as i64));
    }
    if !errors.is_empty() {
        return render_edit(&data, &cx, f2, errors, false);
    }
    let result = match cx.limit(&data, Action::Edit) {
        Ok(()) => {
            let (title, tags) = if question {
                (Some(f2.title.trim().to_string()), Some(tags))
            } else {
                (None, None)
            };
            actions::qa::edit(&data, &actor, &cx.post, title, &f2.body, tags).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => redirect(&cx.anchor(id)),
        Err(e) => {
            errors.add("", message(&cx.tr, &e, false, &f2.body));
            let mut resp = render_edit(&data, &cx, f2, errors, false);
            *resp.status_mut() = refusal_status(&e);
            resp
        }
    }
}

/// One version of a post on its history page.
struct Version {
    title: Option<String>,
    html: String,
    /// When it was written (the first) or replaced (the earlier ones).
    date: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "post_history.html")]
struct HistoryPage {
    l: Layout,
    back: String,
    versions: Vec<Version>,
}

/// The history of a post: its current text, then earlier versions, newest first. The
/// history of a deleted post is gone; that of a removed one only its author and the
/// group's moderators see.
pub async fn history(data: Ctx, headers: HeaderMap, Path(id): Path<i64>) -> Response {
    let cx = match Ctx2::load(&data, &headers, id).await {
        Ok(cx) => cx,
        Err(resp) => return resp,
    };
    match history_versions(&data, &cx).await {
        Ok(versions) => {
            let page = HistoryPage {
                l: Layout::new(&data, &cx.v, &cx.tr, cx.tr.t("history-title")),
                back: cx.anchor(id),
                versions,
            };
            respond(&data, &cx.v, StatusCode::OK, &page)
        }
        Err(e) => error_page(&data, &cx.v, &cx.tr, &e),
    }
}

async fn history_versions(data: &Ctx, cx: &Ctx2) -> AppResult<Vec<Version>> {
    let post = cx.post.clone();
    if post.deleted {
        return Err(AppError::Gone("that post was deleted".into()));
    }
    if post.removed {
        let allowed = match &cx.v.user {
            Some((_, me)) if me.id == post.author_id => true,
            Some((_, me)) => {
                let (me, p) = (me.clone(), post.clone());
                data.db
                    .run(move |c| {
                        let group = rules::group_of(c, &p)?;
                        rules::may_moderate(c, &group, &me)
                    })
                    .await?
            }
            None => false,
        };
        if !allowed {
            return Err(AppError::Forbidden("removed by a moderator".into()));
        }
    }
    let pid = post.id;
    let edits = data.db.run(move |c| queries::posts::edits(c, pid)).await?;
    let mut versions = vec![Version {
        title: post.title.clone(),
        html: post.content_html.clone(),
        date: super::date_ms(post.updated_at.unwrap_or(post.published_at)),
        current: true,
    }];
    versions.extend(edits.into_iter().rev().map(|e| Version {
        title: e.title,
        html: e.content_html,
        date: super::date(&rfc3339(e.edited_at)),
        current: false,
    }));
    Ok(versions)
}

#[derive(Template)]
#[template(path = "post_delete.html")]
struct DeletePage {
    l: Layout,
    id: i64,
    back: String,
    question: bool,
    html: String,
    errors: FieldErrors,
}

fn render_delete(data: &Ctx, cx: &Ctx2, errors: FieldErrors, status: StatusCode) -> Response {
    let page = DeletePage {
        l: Layout::new(data, &cx.v, &cx.tr, cx.tr.t("delete-title")),
        id: cx.post.id,
        back: cx.anchor(cx.post.id),
        question: cx.post.is_question(),
        html: cx.post.content_html.clone(),
        errors,
    };
    respond(data, &cx.v, status, &page)
}

/// The confirmation step of deleting one's own post.
pub async fn delete_form(data: Ctx, headers: HeaderMap, Path(id): Path<i64>) -> Response {
    let (cx, _) = match own(&data, &headers, id, None, &format!("/p/{id}/delete")).await {
        Ok(own) => own,
        Err(resp) => return resp,
    };
    render_delete(&data, &cx, FieldErrors::default(), StatusCode::OK)
}

/// Deletes one's own post; a deleted question sends the author to its group.
pub async fn delete(
    data: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<crate::web::pages::account::CsrfForm>,
) -> Response {
    let back = format!("/p/{id}/delete");
    let (cx, actor) = match own(&data, &headers, id, Some(&f.csrf), &back).await {
        Ok(own) => own,
        Err(resp) => return resp,
    };
    match actions::qa::delete(&data, &actor, &cx.post).await {
        Ok(()) if cx.post.is_question() => {
            let p = cx.post.clone();
            let group = data.db.run(move |c| rules::group_of(c, &p)).await;
            match group {
                Ok(g) if g.local => redirect(&format!("/g/{}", g.name)),
                _ => redirect("/"),
            }
        }
        Ok(()) => redirect(&cx.anchor(id)),
        Err(e) => {
            let mut errors = FieldErrors::default();
            errors.add("", message(&cx.tr, &e, false, "-"));
            render_delete(&data, &cx, errors, refusal_status(&e))
        }
    }
}

#[derive(Template)]
#[template(path = "post_report.html")]
struct ReportPage {
    l: Layout,
    id: i64,
    back: String,
    reason: String,
    anonymous: bool,
    /// `new` or `again` after a report was sent.
    done: String,
    max_reason: i64,
    errors: FieldErrors,
}

fn render_report(
    data: &Ctx,
    cx: &Ctx2,
    f: ReportForm,
    done: String,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let page = ReportPage {
        l: Layout::new(data, &cx.v, &cx.tr, cx.tr.t("report-title")),
        id: cx.post.id,
        back: cx.anchor(cx.post.id),
        reason: f.reason,
        anonymous: f.anonymous.is_some(),
        done,
        max_reason: MAX_REASON as i64,
        errors,
    };
    respond(data, &cx.v, status, &page)
}

/// The report form of a post (and, with `?done=`, the confirmation that it was sent).
pub async fn report_form(
    data: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let cx = match Ctx2::load(&data, &headers, id).await {
        Ok(cx) => cx,
        Err(resp) => return resp,
    };
    if let Err(resp) = cx.user(&format!("/p/{id}/report")) {
        return resp;
    }
    let done = match q.done.as_deref() {
        Some("again") => "again",
        Some(_) => "new",
        None => "",
    };
    let f = ReportForm::default();
    render_report(
        &data,
        &cx,
        f,
        done.into(),
        FieldErrors::default(),
        StatusCode::OK,
    )
}

/// Sends a report about the post to the moderators (here and where it matters).
pub async fn report(
    data: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<ReportForm>,
) -> Response {
    let back = Some(format!("/p/{id}/report"));
    let (cx, actor, _) = match Ctx2::posting(&data, &headers, id, Some(&f.csrf), back).await {
        Ok(posting) => posting,
        Err(resp) => return resp,
    };
    let mut errors = FieldErrors::default();
    let reason = f.reason.trim();
    if reason.is_empty() {
        errors.add("reason", cx.tr.t("report-reason-empty"));
    } else if reason.len() > MAX_REASON {
        errors.add(
            "reason",
            cx.tr.n("report-reason-too-long", MAX_REASON as i64),
        );
    }
    if !errors.is_empty() {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return render_report(&data, &cx, f, String::new(), errors, status);
    }
    let result = match cx.limit(&data, Action::Report) {
        Ok(()) => {
            let anonymous = f.anonymous.is_some();
            actions::moderation::report(&data, &actor, Some(&cx.post), None, reason, anonymous)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(true) => redirect(&format!("/p/{id}/report?done=new")),
        Ok(false) => redirect(&format!("/p/{id}/report?done=again")),
        Err(e) => {
            errors.add("reason", message(&cx.tr, &e, false, reason));
            let status = refusal_status(&e);
            render_report(&data, &cx, f, String::new(), errors, status)
        }
    }
}
