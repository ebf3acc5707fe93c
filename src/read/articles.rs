//! Knowledge articles as the API and the pages show them: one article with its author,
//! group and source thread, a group's list and search, and an article's history.

use super::actors::ActorView;
use crate::db::models::Actor;
use crate::db::queries::articles::{self as aq, Article};
use crate::db::{queries, rfc3339, DbConn};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A knowledge article.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone)]
pub struct ArticleView {
    /// The local id (a string: it does not fit a JavaScript number).
    pub id: String,
    /// ActivityPub id.
    pub ap_id: String,
    pub title: String,
    /// Markdown.
    pub body: String,
    /// The sanitised HTML of the body.
    pub content_html: String,
    pub tags: Vec<String>,
    pub group: ActorView,
    pub author: ActorView,
    /// The question it was written from, as a local id (when stored here).
    pub source_question_id: Option<String>,
    /// The question it was written from, as its ActivityPub id.
    pub source_question: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// When someone last edited it or confirmed it is still right.
    pub reviewed_at: String,
    /// Not reviewed for longer than the instance's `--kb-stale-days`.
    pub stale: bool,
    pub retired: bool,
    pub local: bool,
    /// How many earlier versions its history keeps.
    pub revisions: i64,
}

/// An earlier version of an article.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone)]
pub struct RevisionView {
    pub title: String,
    pub body: String,
    pub tags: Vec<String>,
    /// Who replaced this version, and when.
    pub replaced_by: Option<ActorView>,
    pub replaced_at: String,
}

/// The oldest review time (ms) that is not stale.
pub fn stale_before(state: &AppState) -> i64 {
    crate::db::now_ms() - (state.settings.kb_stale_days.min(100_000) as i64) * 86_400_000
}

fn view(
    c: &mut DbConn,
    article: Article,
    stale_before: i64,
    revisions: i64,
) -> AppResult<ArticleView> {
    let group = queries::actors::by_id(c, article.group_id)?
        .ok_or_else(|| AppError::NotFound("group not found".into()))?;
    let author = queries::actors::by_id(c, article.author_id)?
        .ok_or_else(|| AppError::NotFound("author not found".into()))?;
    Ok(ArticleView {
        id: article.id.to_string(),
        ap_id: article.ap_id.clone(),
        tags: article
            .tags
            .split_whitespace()
            .map(str::to_string)
            .collect(),
        group: ActorView::from(&group),
        author: ActorView::from(&author),
        source_question_id: article.source_question_id.map(|q| q.to_string()),
        source_question: article.source_ap_id.clone(),
        created_at: rfc3339(article.created_at),
        updated_at: rfc3339(article.updated_at),
        reviewed_at: rfc3339(article.reviewed_at),
        stale: article.local && article.reviewed_at < stale_before,
        retired: article.retired(),
        local: article.local,
        revisions,
        title: article.title,
        body: article.body_md,
        content_html: article.content_html,
    })
}

/// The article `id` (retired ones too: their page says so).
pub async fn one(state: &AppState, id: i64) -> AppResult<(ArticleView, Article, Actor)> {
    let before = stale_before(state);
    state
        .db
        .run(move |c| {
            let article =
                aq::by_id(c, id)?.ok_or_else(|| AppError::NotFound("no such article".into()))?;
            let group = queries::actors::by_id(c, article.group_id)?
                .ok_or_else(|| AppError::NotFound("group not found".into()))?;
            let n = aq::revisions(c, id)?.len() as i64;
            Ok((view(c, article.clone(), before, n)?, article, group))
        })
        .await
}

/// The shown articles of the group `group_id`: all of them, or those matching `q`.
pub async fn of_group(state: &AppState, group_id: i64, q: &str) -> AppResult<Vec<ArticleView>> {
    let before = stale_before(state);
    let q = q.trim().to_string();
    state
        .db
        .run(move |c| {
            let articles = if q.is_empty() {
                aq::of_group(c, group_id)?
            } else {
                aq::search(c, &q, Some(group_id), aq::MAX_LIST as usize)?
            };
            articles
                .into_iter()
                .map(|a| view(c, a, before, 0))
                .collect()
        })
        .await
}

/// Articles matching `q` in `group_id` (or every group), best first, at most `limit`.
pub async fn search(
    state: &AppState,
    q: &str,
    group_id: Option<i64>,
    limit: usize,
) -> AppResult<Vec<ArticleView>> {
    let before = stale_before(state);
    let q = q.to_string();
    state
        .db
        .run(move |c| {
            aq::search(c, &q, group_id, limit)?
                .into_iter()
                .map(|a| view(c, a, before, 0))
                .collect()
        })
        .await
}

/// The history of the article `id`, newest first.
pub async fn history(state: &AppState, id: i64) -> AppResult<Vec<RevisionView>> {
    state
        .db
        .run(move |c| {
            let revisions = aq::revisions(c, id)?;
            let mut out = Vec::with_capacity(revisions.len());
            for r in revisions {
                let editor = queries::actors::by_id(c, r.editor_id)?;
                out.push(RevisionView {
                    title: r.title,
                    body: r.body_md,
                    tags: r.tags.split_whitespace().map(str::to_string).collect(),
                    replaced_by: editor.as_ref().map(ActorView::from),
                    replaced_at: rfc3339(r.created_at),
                });
            }
            Ok(out)
        })
        .await
}

/// A group by the name the API and pages use: `name` here, `name@host` elsewhere (known
/// here only; the knowledge base of a group nobody here follows is not stored).
pub async fn group_by_name(state: &AppState, name: &str) -> AppResult<Actor> {
    let name = name.to_string();
    let domain = state.settings.domain.clone();
    state
        .db
        .run(move |c| {
            let found = match name.split_once('@') {
                Some((n, d)) if d != domain => queries::actors::by_handle(c, n, d)?,
                Some((n, _)) => queries::actors::local_by_name(c, n)?,
                None => queries::actors::local_by_name(c, &name)?,
            };
            found
                .filter(|a| a.is_group() && !a.deleted)
                .ok_or_else(|| AppError::NotFound(format!("no group named '{name}'")))
        })
        .await
}
