//! A satisfaction survey's page (`/surveys/{id}`), where a notification leads the
//! asker: "Did this solve your problem?" with Yes and No and an optional comment, or
//! the answer given. Only the asker sees it (404 for anyone else); the form is
//! CSRF-protected, keeps its input on errors, and works without JavaScript.

use crate::actions::satisfaction::{self as act, SurveyView};
use crate::error::AppError;
use crate::state::Ctx;
use crate::web::csrf;
use crate::web::form::{csrf_refused, signin_to, FieldErrors};
use crate::web::i18n::Tr;
use crate::web::layout::{error_page, redirect, respond, Layout};
use crate::web::session::{viewer_tr, Viewer};
use askama::Template;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "survey.html")]
struct SurveyPage {
    l: Layout,
    id: i64,
    question_id: i64,
    question_title: String,
    /// The answer given (`yes` or `no`), if any.
    answer: Option<String>,
    comment: String,
    chosen: String,
    errors: FieldErrors,
}

fn parse(id: &str) -> Result<i64, AppError> {
    id.parse()
        .map_err(|_| AppError::NotFound("no such survey".into()))
}

#[allow(clippy::too_many_arguments)]
fn page(
    data: &Ctx,
    v: &Viewer,
    tr: &Tr,
    s: SurveyView,
    chosen: String,
    comment: String,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let p = SurveyPage {
        l: Layout::new(data, v, tr, tr.t("survey-title")),
        id: s.survey.id,
        question_id: s.survey.question_id,
        question_title: s.question_title,
        comment: s.survey.answer_comment.clone().unwrap_or(comment),
        answer: s.survey.answer,
        chosen,
        errors,
    };
    respond(data, v, status, &p)
}

/// `GET /surveys/{id}`.
pub async fn show(data: Ctx, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let Some((_, me)) = v.user.clone() else {
        return redirect(&signin_to(&format!("/surveys/{id}")));
    };
    let found = match parse(&id) {
        Ok(id) => act::view(&data, &me, id).await,
        Err(e) => Err(e),
    };
    match found {
        Ok(s) => page(
            &data,
            &v,
            &tr,
            s,
            String::new(),
            String::new(),
            FieldErrors::default(),
            StatusCode::OK,
        ),
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AnswerForm {
    pub csrf: String,
    pub answer: String,
    pub comment: String,
}

/// `POST /surveys/{id}`: the answer.
pub async fn answer(
    data: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<AnswerForm>,
) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let back = format!("/surveys/{id}");
    if let Err(why) = csrf::check(&data.base, &headers, &v, &form.csrf) {
        return csrf_refused(&data, &v, &tr, why, &back);
    }
    let Some((_, me)) = v.user.clone() else {
        return redirect(&signin_to(&back));
    };
    let id = match parse(&id) {
        Ok(id) => id,
        Err(e) => return error_page(&data, &v, &tr, &e),
    };
    match act::answer(&data, &me, id, &form.answer, &form.comment).await {
        Ok(_) => redirect(&back),
        Err(AppError::Invalid(m)) => {
            let mut errors = FieldErrors::default();
            let field = if form.answer.trim().is_empty() || m.contains("yes or no") {
                "answer"
            } else {
                "comment"
            };
            errors.add(field, m);
            match act::view(&data, &me, id).await {
                Ok(s) => page(
                    &data,
                    &v,
                    &tr,
                    s,
                    form.answer,
                    form.comment,
                    errors,
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                Err(e) => error_page(&data, &v, &tr, &e),
            }
        }
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}
