//! Questions, answers, comments, votes, accepted answers, edits and search.

use super::personal_data::{self, PersonalDataChoice, PersonalDataError};
use super::{load_post, ApiJson, Auth};
use crate::actions;
use crate::actions::personal_data::Outcome;
use crate::db::models::{Actor, Post};
use crate::db::queries::posts::{SearchStatus, Sort};
use crate::db::{queries, rfc3339};
use crate::domain::ratelimit::Action;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::federation::{follow, qa};
use crate::read::posts::{load_thread, may_read, moderated_groups, views, PostView};
use crate::state::Ctx;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

async fn view(data: &Ctx, viewer: &Actor, post: Post) -> AppResult<PostView> {
    Ok(views(data, Some(viewer), vec![post]).await?.remove(0))
}

#[derive(Deserialize, ToSchema)]
pub struct NewQuestion {
    /// The group: `name` for a group here, `name@host` anywhere.
    pub group: String,
    pub title: String,
    /// Markdown.
    pub body: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// What to do with likely personal data in the title or body; without it such a
    /// question is refused (422 `personal_data`).
    pub personal_data: Option<PersonalDataChoice>,
}

/// Ask a question in a group (here or on another server).
#[utoipa::path(post, path = "/questions", tag = "questions", security(("bearer" = [])), request_body = NewQuestion,
    responses((status = 201, body = PostView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, description = "likely personal data and no `personal_data` choice", body = PersonalDataError)))]
pub async fn ask(
    data: Ctx,
    auth: Auth,
    ApiJson(body): ApiJson<NewQuestion>,
) -> AppResult<Response> {
    auth.rate_limit(&data, Action::Post)?;
    let group = group_by_handle(&data, &body.group).await?;
    let outcome = actions::personal_data::ask(
        &data,
        &auth.actor,
        &group,
        (&body.title, &body.body, body.tags),
        PersonalDataChoice::choice(body.personal_data),
    )
    .await?;
    created(
        &data,
        &auth,
        outcome,
        &[("title", &body.title), ("body", &body.body)],
    )
    .await
}

/// A post made (201 with its view), or the 422 of the personal data that stopped it.
async fn created(
    data: &Ctx,
    auth: &Auth,
    outcome: Outcome,
    fields: &[(&str, &str)],
) -> AppResult<Response> {
    match outcome {
        Outcome::Posted(post) => Ok((
            StatusCode::CREATED,
            Json(view(data, &auth.actor, *post).await?),
        )
            .into_response()),
        Outcome::Flagged(flags) => Ok(personal_data::refused(&flags, fields)),
    }
}

async fn group_by_handle(data: &Ctx, handle: &str) -> AppResult<Actor> {
    let group = follow::resolve_name(data, handle).await?;
    if !group.is_group() {
        return Err(AppError::Invalid(format!("{handle} is not a group")));
    }
    Ok(group)
}

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// Group handle (`name` or `name@host`); all groups when absent.
    pub group: Option<String>,
    /// `new` (default), `active`, `top`, `unanswered` or `solved`.
    #[param(value_type = Option<String>)]
    pub sort: Option<Sort>,
    pub tag: Option<String>,
    /// 1-based page of 30 (at most 10000).
    pub page: Option<i64>,
}

/// List questions.
#[utoipa::path(get, path = "/questions", tag = "questions", params(ListQuery),
    responses((status = 200, body = Vec<PostView>), (status = 404, body = ErrorBody)))]
pub async fn list(
    data: Ctx,
    auth: Option<Auth>,
    Query(q): Query<ListQuery>,
) -> AppResult<Json<Vec<PostView>>> {
    let group = match &q.group {
        Some(h) => Some(group_by_handle(&data, h).await?.id),
        None => None,
    };
    let page = crate::domain::input::page(q.page)?;
    let (sort, tag) = (q.sort.unwrap_or_default(), q.tag.clone());
    let viewer = auth.map(|a| a.actor);
    let posts = data
        .db
        .run(move |c| {
            // A private group's questions only for its members.
            let readable = crate::actions::rules::readable_private_groups(c, viewer.as_ref())?;
            let paged = ((page - 1) * 30, 30);
            queries::posts::list_questions(c, group, sort, tag.as_deref(), paged, &readable)
        })
        .await?;
    Ok(Json(views(&data, None, posts).await?))
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ThreadView {
    pub question: PostView,
    /// One page of answers, best first: the accepted one leads the first page, then by
    /// score, oldest first among equals. Comments follow in `comments`.
    pub answers: Vec<PostView>,
    /// Replies to this page's answers and to their comments, oldest first (`parent_id`
    /// links them; at most 500 per page).
    pub comments: Vec<PostView>,
    /// This page (1-based).
    pub page: i64,
    /// The next page, when it has answers (`question.answer_count` tells how many there
    /// are in all).
    pub next_page: Option<i64>,
    /// What organisations' staff show about the question's private cases (never their
    /// content).
    #[serde(default)]
    pub case_notes: Vec<CaseNote>,
}

/// A note that an organisation's staff show on a question handled in a private case.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct CaseNote {
    pub organisation: String,
    pub note: String,
}

#[derive(Deserialize, IntoParams)]
pub struct ThreadQuery {
    /// 1-based page of 30 answers, at most 10000 (the accepted answer leads page 1 besides).
    pub page: Option<i64>,
}

/// A question with one page of its answers and their comments, votes and accepted answer.
#[utoipa::path(get, path = "/questions/{id}", tag = "questions",
    params(("id" = String, Path), ThreadQuery),
    responses((status = 200, body = ThreadView), (status = 404, body = ErrorBody)))]
pub async fn thread(
    data: Ctx,
    auth: Option<Auth>,
    Path(id): Path<String>,
    Query(q): Query<ThreadQuery>,
) -> AppResult<Json<ThreadView>> {
    let page = crate::domain::input::page(q.page)?;
    let question = load_post(&data, &id).await?;
    if !question.is_question() {
        return Err(AppError::NotFound("no such question".into()));
    }
    let (q, viewer) = (question.clone(), auth.as_ref().map(|a| a.actor.clone()));
    data.db
        .run(move |c| crate::actions::rules::require_may_read_post(c, &q, viewer.as_ref()))
        .await?;
    let notes = crate::actions::cases::public_notes_of(&data, question.id).await?;
    let (posts, more) = load_thread(&data, question, page).await?;
    let viewer = auth.as_ref().map(|a| &a.actor);
    let mut all = views(&data, viewer, posts).await?.into_iter();
    let question = all
        .next()
        .ok_or_else(|| AppError::NotFound("no such question".into()))?;
    let (answers, comments): (Vec<_>, Vec<_>) = all.partition(|p| p.kind == "answer");
    Ok(Json(ThreadView {
        question,
        answers,
        comments,
        page,
        next_page: (more && page < crate::domain::input::MAX_PAGE).then_some(page + 1),
        case_notes: notes
            .into_iter()
            .map(|(organisation, note)| CaseNote { organisation, note })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct NewAnswer {
    /// Markdown.
    pub body: String,
    /// Reply to this answer or comment instead of the question.
    pub parent_id: Option<String>,
    /// What to do with likely personal data in the body; without it such an answer is
    /// refused (422 `personal_data`).
    pub personal_data: Option<PersonalDataChoice>,
}

/// Answer a question, or reply to an answer or comment.
#[utoipa::path(post, path = "/questions/{id}/answers", tag = "questions", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = NewAnswer,
    responses((status = 201, body = PostView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, description = "likely personal data and no `personal_data` choice", body = PersonalDataError)))]
pub async fn answer(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewAnswer>,
) -> AppResult<Response> {
    auth.rate_limit(&data, Action::Post)?;
    let question = load_post(&data, &id).await?;
    let parent = match &body.parent_id {
        Some(p) => load_post(&data, p).await?,
        None => question.clone(),
    };
    if parent.question_id.unwrap_or(parent.id) != question.id {
        return Err(AppError::Invalid(
            "the parent is not in this question".into(),
        ));
    }
    let choice = PersonalDataChoice::choice(body.personal_data);
    let outcome =
        actions::personal_data::answer(&data, &auth.actor, &parent, &body.body, choice).await?;
    created(&data, &auth, outcome, &[("body", &body.body)]).await
}

#[derive(Deserialize, ToSchema)]
pub struct EditPost {
    pub title: Option<String>,
    pub body: String,
    pub tags: Option<Vec<String>>,
}

/// Edit your question, answer or comment (the old version is kept in the history).
#[utoipa::path(patch, path = "/posts/{id}", tag = "questions", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = EditPost,
    responses((status = 200, body = PostView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn edit(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<EditPost>,
) -> AppResult<Json<PostView>> {
    auth.rate_limit(&data, Action::Edit)?;
    let post = load_post(&data, &id).await?;
    let post =
        actions::qa::edit(&data, &auth.actor, &post, body.title, &body.body, body.tags).await?;
    Ok(Json(view(&data, &auth.actor, post).await?))
}

/// Delete your post; it stays in the thread as a tombstone.
#[utoipa::path(delete, path = "/posts/{id}", tag = "questions", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(data: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<StatusCode> {
    let post = load_post(&data, &id).await?;
    actions::qa::delete(&data, &auth.actor, &post).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct EditView {
    pub title: Option<String>,
    pub content_html: String,
    pub source: Option<String>,
    /// When this version was replaced.
    pub replaced_at: String,
}

/// Earlier versions of a post, oldest first.
#[utoipa::path(get, path = "/posts/{id}/edits", tag = "questions", params(("id" = String, Path)),
    responses((status = 200, body = Vec<EditView>), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 410, body = ErrorBody)))]
pub async fn edits(
    data: Ctx,
    auth: Option<Auth>,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<EditView>>> {
    let post = load_post(&data, &id).await?;
    let (p, viewer) = (post.clone(), auth.as_ref().map(|a| a.actor.clone()));
    data.db
        .run(move |c| crate::actions::rules::require_may_read_post(c, &p, viewer.as_ref()))
        .await?;
    if post.deleted {
        return Err(AppError::Gone("that post was deleted".into()));
    }
    if post.removed {
        let viewer = auth.as_ref().map(|a| &a.actor);
        let moderated = moderated_groups(&data, viewer, std::slice::from_ref(&post)).await?;
        if !may_read(viewer, &moderated, &post) {
            return Err(AppError::Forbidden(
                "a moderator removed this post; only its author and the group's moderators may read it".into(),
            ));
        }
    }
    let pid = post.id;
    let rows = data.db.run(move |c| queries::posts::edits(c, pid)).await?;
    Ok(Json(
        rows.into_iter()
            .map(|e| EditView {
                title: e.title,
                content_html: e.content_html,
                source: e.source_md,
                replaced_at: rfc3339(e.edited_at),
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct VoteBody {
    /// 1 (up), -1 (down) or 0 (withdraw).
    pub value: i32,
}

/// Vote on a question or answer.
#[utoipa::path(put, path = "/posts/{id}/vote", tag = "questions", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = VoteBody,
    responses((status = 200, body = PostView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn vote(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<VoteBody>,
) -> AppResult<Json<PostView>> {
    auth.rate_limit(&data, Action::Vote)?;
    if !(-1..=1).contains(&body.value) {
        return Err(AppError::Invalid("a vote is 1, -1 or 0".into()));
    }
    let post = load_post(&data, &id).await?;
    actions::qa::vote(&data, &auth.actor, &post, body.value).await?;
    let post = load_post(&data, &id).await?;
    Ok(Json(view(&data, &auth.actor, post).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct AcceptBody {
    /// The answer to accept; `null` clears the accepted answer.
    pub answer_id: Option<String>,
}

/// Choose (or clear) the accepted answer: the asker, the group's moderators or staff.
#[utoipa::path(put, path = "/questions/{id}/accepted", tag = "questions", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = AcceptBody,
    responses((status = 200, body = PostView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn accept(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AcceptBody>,
) -> AppResult<Json<PostView>> {
    auth.rate_limit(&data, Action::Accept)?;
    let question = load_post(&data, &id).await?;
    let answer = match &body.answer_id {
        Some(a) => Some(load_post(&data, a).await?),
        None => None,
    };
    actions::qa::accept(&data, &auth.actor, &question, answer.as_ref()).await?;
    let question = load_post(&data, &id).await?;
    Ok(Json(view(&data, &auth.actor, question).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct SearchQuery {
    pub q: String,
    /// Group handle (`name` or `name@host`).
    pub group: Option<String>,
    /// `solved` or `unanswered`.
    #[param(value_type = Option<String>)]
    pub status: Option<SearchStatus>,
}

/// Full-text search over questions and answers.
///
/// Public ones; with a token, also those of the private groups the caller is a member of.
#[utoipa::path(get, path = "/search", tag = "questions", params(SearchQuery),
    responses((status = 200, body = Vec<PostView>), (status = 400, body = ErrorBody)))]
pub async fn search(
    data: Ctx,
    auth: Option<Auth>,
    Query(q): Query<SearchQuery>,
) -> AppResult<Json<Vec<PostView>>> {
    if q.q.len() > 200 {
        return Err(AppError::Invalid(
            "search terms are at most 200 characters".into(),
        ));
    }
    let group = match &q.group {
        Some(h) => Some(group_by_handle(&data, h).await?.id),
        None => None,
    };
    let (text, status) = (q.q.clone(), q.status);
    let viewer = auth.map(|a| a.actor);
    let posts = data
        .db
        .run(move |c| {
            // A private group's posts only for those who may read it.
            let readable = crate::actions::rules::readable_private_groups(c, viewer.as_ref())?;
            queries::posts::search(c, &text, group, status, 50, &readable)
        })
        .await?;
    Ok(Json(views(&data, None, posts).await?))
}

/// Questions and answers by a user (`name` here or `name@host`).
#[utoipa::path(get, path = "/users/{handle}/posts", tag = "questions", params(("handle" = String, Path)),
    responses((status = 200, body = Vec<PostView>), (status = 404, body = ErrorBody)))]
pub async fn user_posts(data: Ctx, Path(handle): Path<String>) -> AppResult<Json<Vec<PostView>>> {
    let actor = follow::resolve_name(&data, &handle).await?;
    let aid = actor.id;
    let posts = data
        .db
        .run(move |c| queries::posts::by_author(c, aid, 100))
        .await?;
    Ok(Json(views(&data, None, posts).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct ObjectQuery {
    /// URL of a question or answer on any server.
    pub url: String,
}

/// Fetch a question or answer by its URL (from any server) and show it.
#[utoipa::path(get, path = "/resolve/object", tag = "questions", security(("bearer" = [])), params(ObjectQuery),
    responses((status = 200, body = PostView), (status = 404, body = ErrorBody), (status = 502, body = ErrorBody)))]
pub async fn resolve_object(
    data: Ctx,
    auth: Auth,
    Query(q): Query<ObjectQuery>,
) -> AppResult<Json<PostView>> {
    let post = qa::resolve_post(&data, &q.url).await?;
    Ok(Json(view(&data, &auth.actor, post).await?))
}
