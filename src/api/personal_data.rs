//! Personal data in questions and answers sent through the API: the author's choice
//! (`personal_data` in the body) and the 422 that lists what was found when they have
//! not chosen (see `actions::personal_data`).

use crate::actions::personal_data::{Choice, Flag};
use crate::domain::personal_data::Kind;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What to do with likely personal data found in the post. Without it, a post with
/// findings is refused with a 422 `personal_data` listing them.
#[derive(Deserialize, ToSchema, Clone, Copy, Debug)]
#[serde(rename_all = "snake_case")]
pub enum PersonalDataChoice {
    /// Post it as written.
    Post,
    /// Replace each finding in the public text by `[moved to a private case]` and keep
    /// the details in a private case with the group's staff; they never federate.
    MoveToCase,
}

impl PersonalDataChoice {
    pub fn choice(c: Option<Self>) -> Choice {
        match c {
            None => Choice::Check,
            Some(Self::Post) => Choice::Post,
            Some(Self::MoveToCase) => Choice::MoveToCase,
        }
    }
}

/// Likely personal data found in a post.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct PersonalDataFinding {
    /// `title` or `body`.
    pub field: String,
    /// `email`, `phone`, `card` or `pattern` (one the group named).
    pub kind: String,
    /// The group's name of the pattern (kind `pattern`).
    pub pattern: Option<String>,
    /// Where it is in the field, in characters (Unicode scalar values): `start`
    /// included, `end` excluded.
    pub start: usize,
    pub end: usize,
    /// The text found.
    pub text: String,
}

/// The 422 of a post with likely personal data and no `personal_data` choice.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct PersonalDataError {
    /// `personal_data`.
    pub error: String,
    pub message: String,
    pub findings: Vec<PersonalDataFinding>,
}

/// The findings of `flags` in the fields `(name, text)` as the API lists them.
pub fn findings(flags: &[Flag], fields: &[(&str, &str)]) -> Vec<PersonalDataFinding> {
    flags
        .iter()
        .map(|f| {
            let text = fields
                .iter()
                .find(|(n, _)| *n == f.field)
                .map_or("", |(_, t)| t);
            let (start, end) = f.finding.char_span(text);
            PersonalDataFinding {
                field: f.field.to_string(),
                kind: f.finding.kind.code().to_string(),
                pattern: match &f.finding.kind {
                    Kind::Pattern(name) => Some(name.clone()),
                    _ => None,
                },
                start,
                end,
                text: f.finding.text(text).to_string(),
            }
        })
        .collect()
}

/// The 422 response listing `flags`.
pub fn refused(flags: &[Flag], fields: &[(&str, &str)]) -> Response {
    let body = PersonalDataError {
        error: "personal_data".into(),
        message: "the post seems to contain personal data; send \"personal_data\": \"post\" \
                  to post it anyway or \"move_to_case\" to move it into a private case"
            .into(),
        findings: findings(flags, fields),
    };
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}
