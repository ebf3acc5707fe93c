//! Satisfaction surveys (`/surveys/{id}`): "Did this solve your problem?", asked of a
//! question's asker when an answer is accepted or after `--satisfaction-after-days`
//! days; only the asker sees and answers theirs (anyone else: 404). The first answer
//! is kept (409 after it).

use super::{parse_id, ApiJson, Auth};
use crate::actions::satisfaction::{self as act, SurveyView};
use crate::db::rfc3339;
use crate::error::{AppResult, ErrorBody};
use crate::state::Ctx;
use axum::extract::Path;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct SurveyJson {
    pub id: String,
    pub question_id: String,
    pub question_title: String,
    /// `accepted` (an answer was accepted) or `days` (answers, none accepted).
    pub reason: String,
    pub sent_at: String,
    /// `yes` or `no`; none before an answer.
    pub answer: Option<String>,
    pub comment: Option<String>,
    pub answered_at: Option<String>,
}

fn json(v: SurveyView) -> SurveyJson {
    let s = v.survey;
    SurveyJson {
        id: s.id.to_string(),
        question_id: s.question_id.to_string(),
        question_title: v.question_title,
        reason: s.reason,
        sent_at: rfc3339(s.sent_at),
        answer: s.answer,
        comment: s.answer_comment,
        answered_at: s.answered_at.map(rfc3339),
    }
}

/// One of the caller's satisfaction surveys.
#[utoipa::path(get, path = "/surveys/{id}", tag = "questions", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = SurveyJson), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_survey(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<SurveyJson>> {
    let id = parse_id(&id, "survey")?;
    Ok(Json(json(act::view(&data, &auth.actor, id).await?)))
}

#[derive(Deserialize, ToSchema)]
pub struct SurveyAnswer {
    /// `yes` or `no`.
    pub answer: String,
    /// Optional (at most 2,000 characters).
    #[serde(default)]
    pub comment: String,
}

/// Answer one of the caller's satisfaction surveys ("Did this solve your problem?").
#[utoipa::path(put, path = "/surveys/{id}/answer", tag = "questions", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = SurveyAnswer,
    responses((status = 200, body = SurveyJson), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn answer_survey(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<SurveyAnswer>,
) -> AppResult<Json<SurveyJson>> {
    let id = parse_id(&id, "survey")?;
    let v = act::answer(&data, &auth.actor, id, &body.answer, &body.comment).await?;
    Ok(Json(json(v)))
}
