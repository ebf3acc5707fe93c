//! The htmx fragments of the ask form (`ask.rs`): the similar questions while the title
//! is typed (`/ask/similar`), the preview of the body (`/ask/preview`) and the guidelines,
//! welcome and posting rule of the chosen group (`/ask/guidelines`). Each renders the same
//! partial template the full page includes, so the form works the same without
//! JavaScript. None changes anything.

use super::{asking_refused, first_post, groups, suggestions, Suggestion};
use crate::domain::posts::{MAX_BODY, MIN_TITLE};
use crate::domain::text::markdown_to_html;
use crate::error::AppError;
use crate::state::Ctx;
use crate::web::form::FieldErrors;
use crate::web::layout::{error_page, respond, Layout};
use crate::web::session::viewer_tr;
use askama::Template;
use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "_similar.html")]
struct SimilarPart {
    l: Layout,
    checked: bool,
    similar: Vec<Suggestion>,
}

#[derive(Template)]
#[template(path = "_preview.html")]
struct PreviewPart {
    l: Layout,
    preview_html: String,
}

#[derive(Template)]
#[template(path = "_guidelines.html")]
struct GuidelinesPart {
    l: Layout,
    guidelines_html: String,
    welcome_html: String,
    refused: Option<String>,
    ticked: bool,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SimilarQuery {
    pub title: String,
    pub group: String,
    pub ask: String,
}

/// The similar questions of a title (the htmx fragment of the ask form).
pub async fn similar(data: Ctx, headers: HeaderMap, Query(q): Query<SimilarQuery>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let result = async {
        let gid = if q.group.is_empty() {
            None
        } else {
            groups(&data)
                .await?
                .into_iter()
                .find(|(_, a)| a.name == q.group)
                .map(|(_, a)| a.id)
        };
        suggestions(&data, &q.title, gid, &q.ask).await
    }
    .await;
    match result {
        Ok(similar) => {
            let part = SimilarPart {
                l: Layout::new(&data, &v, &tr, String::new()),
                checked: q.title.trim().chars().count() >= MIN_TITLE,
                similar,
            };
            respond(&data, &v, StatusCode::OK, &part)
        }
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PreviewForm {
    pub body: String,
}

/// The rendered body (the htmx fragment of the preview). Changes nothing.
pub async fn preview(data: Ctx, headers: HeaderMap, Form(f): Form<PreviewForm>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let preview_html = if f.body.len() > MAX_BODY {
        String::new()
    } else {
        markdown_to_html(&f.body)
    };
    let part = PreviewPart {
        l: Layout::new(&data, &v, &tr, String::new()),
        preview_html,
    };
    respond(&data, &v, StatusCode::OK, &part)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct GroupQuery {
    pub group: String,
}

/// The guidelines to accept for a group, its welcome and its posting rule's refusal
/// (the htmx fragment when the group changes).
pub async fn guidelines(data: Ctx, headers: HeaderMap, Query(q): Query<GroupQuery>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let Some((_, me)) = &v.user else {
        return error_page(&data, &v, &tr, &AppError::Unauthenticated("sign in".into()));
    };
    let all = match groups(&data).await {
        Ok(g) => g,
        Err(e) => return error_page(&data, &v, &tr, &e),
    };
    let chosen = all.iter().find(|(_, a)| a.name == q.group);
    let first = first_post(&data, me, chosen).await;
    let part = GuidelinesPart {
        l: Layout::new(&data, &v, &tr, String::new()),
        guidelines_html: first.guidelines_html,
        welcome_html: first.welcome_html,
        refused: asking_refused(&data, &tr, me, chosen).await,
        ticked: false,
        errors: FieldErrors::default(),
    };
    respond(&data, &v, StatusCode::OK, &part)
}
