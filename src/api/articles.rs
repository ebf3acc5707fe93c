//! The knowledge base: a group's articles (list and search), one article and its
//! history, and writing, editing, reviewing and retiring them (`actions::articles`).

use super::{parse_id, ApiJson, Auth};
use crate::actions::articles::{self, ArticleInput};
use crate::domain::ratelimit::Action;
use crate::error::{AppResult, ErrorBody};
use crate::read::articles::{self as ra, ArticleView, RevisionView};
use crate::state::Ctx;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
pub struct ArticlesQuery {
    /// Search words (any of them matches; title matches rank first). All articles,
    /// newest first, without it.
    pub q: Option<String>,
}

/// A group's knowledge articles, or those matching `q` (retired ones are left out).
#[utoipa::path(get, path = "/groups/{name}/articles", operation_id = "list_articles", tag = "articles",
    params(("name" = String, Path, description = "`name` here, `name@host` for a group elsewhere"), ArticlesQuery),
    responses((status = 200, body = Vec<ArticleView>), (status = 404, body = ErrorBody)))]
pub async fn list(
    data: Ctx,
    Path(name): Path<String>,
    Query(q): Query<ArticlesQuery>,
) -> AppResult<Json<Vec<ArticleView>>> {
    let q = q.q.unwrap_or_default();
    if q.len() > 200 {
        return Err(crate::error::AppError::Invalid(
            "search terms are at most 200 characters".into(),
        ));
    }
    let group = ra::group_by_name(&data, &name).await?;
    Ok(Json(ra::of_group(&data, group.id, &q).await?))
}

/// One knowledge article (a retired one says so in `retired`).
#[utoipa::path(get, path = "/articles/{id}", operation_id = "get_article", tag = "articles", params(("id" = String, Path)),
    responses((status = 200, body = ArticleView), (status = 404, body = ErrorBody)))]
pub async fn get(data: Ctx, Path(id): Path<String>) -> AppResult<Json<ArticleView>> {
    let id = parse_id(&id, "article")?;
    Ok(Json(ra::one(&data, id).await?.0))
}

/// The earlier versions of an article, newest first.
#[utoipa::path(get, path = "/articles/{id}/history", operation_id = "article_history", tag = "articles", params(("id" = String, Path)),
    responses((status = 200, body = Vec<RevisionView>), (status = 404, body = ErrorBody)))]
pub async fn history(data: Ctx, Path(id): Path<String>) -> AppResult<Json<Vec<RevisionView>>> {
    let id = parse_id(&id, "article")?;
    ra::one(&data, id).await?;
    Ok(Json(ra::history(&data, id).await?))
}

/// An article's title, markdown body and tags. Writing one from a thread, a missing
/// field takes the thread's: the question's title and tags, the accepted answer's text.
#[derive(Deserialize, ToSchema, Default)]
pub struct ArticleBody {
    pub title: Option<String>,
    /// Markdown.
    pub body: Option<String>,
    pub tags: Option<Vec<String>>,
}

/// Turn a solved question into a knowledge article of its group (the group's
/// moderators, the instance's admins, staff of an organisation the group recognises).
#[utoipa::path(post, path = "/questions/{id}/article", operation_id = "create_article", tag = "articles", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ArticleBody,
    responses((status = 201, body = ArticleView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ArticleBody>,
) -> AppResult<(StatusCode, Json<ArticleView>)> {
    auth.rate_limit(&data, Action::Post)?;
    let qid = parse_id(&id, "question")?;
    let draft = articles::draft(&data, &auth.actor, qid).await?;
    let input = ArticleInput {
        title: body.title.unwrap_or(draft.input.title),
        body_md: body.body.unwrap_or(draft.input.body_md),
        tags: body.tags.unwrap_or(draft.input.tags),
    };
    let article = articles::create(&data, &auth.actor, qid, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(ra::one(&data, article.id).await?.0),
    ))
}

/// Edit an article: the earlier version is kept in its history, and the edit counts as
/// a review. Missing fields keep their value.
#[utoipa::path(patch, path = "/articles/{id}", operation_id = "edit_article", tag = "articles", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ArticleBody,
    responses((status = 200, body = ArticleView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 410, body = ErrorBody)))]
pub async fn edit(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ArticleBody>,
) -> AppResult<Json<ArticleView>> {
    auth.rate_limit(&data, Action::Post)?;
    let id = parse_id(&id, "article")?;
    let (current, _, _) = ra::one(&data, id).await?;
    let input = ArticleInput {
        title: body.title.unwrap_or(current.title),
        body_md: body.body.unwrap_or(current.body),
        tags: body.tags.unwrap_or(current.tags),
    };
    articles::edit(&data, &auth.actor, id, input).await?;
    Ok(Json(ra::one(&data, id).await?.0))
}

/// Mark an article reviewed: still right as it stands (it leaves the stale list).
#[utoipa::path(post, path = "/articles/{id}/reviewed", operation_id = "mark_article_reviewed", tag = "articles", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 410, body = ErrorBody)))]
pub async fn reviewed(data: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<StatusCode> {
    let id = parse_id(&id, "article")?;
    articles::mark_reviewed(&data, &auth.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Retire an article: it leaves the lists, search and suggestions here and elsewhere.
#[utoipa::path(delete, path = "/articles/{id}", operation_id = "retire_article", tag = "articles", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 410, body = ErrorBody)))]
pub async fn retire(data: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<StatusCode> {
    let id = parse_id(&id, "article")?;
    articles::retire(&data, &auth.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
