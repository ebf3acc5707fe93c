//! A group's escalation rules and its recent escalations (the group's moderators and
//! the admins). What the rules do is described in the README's "Escalation rules".

use super::{parse_id, ApiJson, Auth};
use crate::actions::escalation::{self as act, NewRule, Recent};
use crate::db::queries::escalation::Rule;
use crate::db::rfc3339;
use crate::domain::groups as groups_svc;
use crate::error::{AppResult, ErrorBody};
use crate::state::Ctx;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct RuleView {
    pub id: String,
    /// `unanswered_hours`, `unaccepted_days`, `open_case`, `keyword` or `tag`.
    pub kind: String,
    /// The hours or days, the keyword (lower case) or the tag; empty for `open_case`.
    pub parameter: String,
    /// The organisation whose queue the cases go to.
    pub organisation_id: String,
    /// `low`, `normal`, `high` or `urgent`.
    pub priority: String,
    pub enabled: bool,
    pub created_at: String,
}

#[derive(Deserialize, ToSchema)]
pub struct NewRuleBody {
    pub kind: String,
    /// Hours (`unanswered_hours`, 1-8760), days (`unaccepted_days`, 1-365), a keyword
    /// (2-100 characters) or a tag; ignored for `open_case`.
    #[serde(default)]
    pub parameter: String,
    /// An organisation the group recognises.
    pub organisation_id: String,
    #[serde(default = "normal")]
    pub priority: String,
}

fn normal() -> String {
    "normal".into()
}

#[derive(Deserialize, ToSchema)]
pub struct RuleChange {
    pub enabled: bool,
}

#[derive(Serialize, ToSchema)]
pub struct EscalationView {
    pub id: String,
    pub rule_id: String,
    /// The rule's kind and parameter (absent when the rule was deleted since).
    pub rule_kind: Option<String>,
    pub rule_parameter: Option<String>,
    pub question_id: String,
    pub question_title: Option<String>,
    pub organisation_id: String,
    pub priority: String,
    /// The case opened in the organisation's queue.
    pub case_id: Option<String>,
    pub created_at: String,
}

pub fn rule_view(r: &Rule) -> RuleView {
    RuleView {
        id: r.id.to_string(),
        kind: r.kind.clone(),
        parameter: r.parameter.clone(),
        organisation_id: r.organisation_id.to_string(),
        priority: r.priority.clone(),
        enabled: r.enabled,
        created_at: rfc3339(r.created_at),
    }
}

fn escalation_view(r: &Recent) -> EscalationView {
    let e = &r.escalation;
    EscalationView {
        id: e.id.to_string(),
        rule_id: e.rule_id.to_string(),
        rule_kind: r.rule.as_ref().map(|r| r.kind.clone()),
        rule_parameter: r.rule.as_ref().map(|r| r.parameter.clone()),
        question_id: e.question_id.to_string(),
        question_title: r.question_title.clone(),
        organisation_id: e.organisation_id.to_string(),
        priority: e.priority.clone(),
        case_id: e.case_id.map(|c| c.to_string()),
        created_at: rfc3339(e.created_at),
    }
}

/// A group's escalation rules (its moderators and the admins).
#[utoipa::path(get, path = "/groups/{name}/escalation-rules", tag = "moderation", security(("bearer" = [])),
    params(("name" = String, Path)),
    responses((status = 200, body = Vec<RuleView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    data: Ctx,
    auth: Auth,
    Path(name): Path<String>,
) -> AppResult<Json<Vec<RuleView>>> {
    let (_, g) = groups_svc::local_group(&data, &name).await?;
    let rules = act::list(&data, &auth.actor, &g).await?;
    Ok(Json(rules.iter().map(rule_view).collect()))
}

/// Add an escalation rule to a group.
#[utoipa::path(post, path = "/groups/{name}/escalation-rules", tag = "moderation", security(("bearer" = [])),
    params(("name" = String, Path)), request_body = NewRuleBody,
    responses((status = 201, body = RuleView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create(
    data: Ctx,
    auth: Auth,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<NewRuleBody>,
) -> AppResult<(StatusCode, Json<RuleView>)> {
    let (_, g) = groups_svc::local_group(&data, &name).await?;
    let new = NewRule {
        kind: body.kind,
        parameter: body.parameter,
        organisation: body.organisation_id,
        priority: body.priority,
    };
    let rule = act::create(&data, &auth.actor, &g, new).await?;
    Ok((StatusCode::CREATED, Json(rule_view(&rule))))
}

/// Enable or disable an escalation rule.
#[utoipa::path(patch, path = "/groups/{name}/escalation-rules/{id}", tag = "moderation", security(("bearer" = [])),
    params(("name" = String, Path), ("id" = String, Path)), request_body = RuleChange,
    responses((status = 200, body = RuleView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update(
    data: Ctx,
    auth: Auth,
    Path((name, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<RuleChange>,
) -> AppResult<Json<RuleView>> {
    let id = parse_id(&id, "rule")?;
    let (_, g) = groups_svc::local_group(&data, &name).await?;
    let rule = act::set_enabled(&data, &auth.actor, &g, id, body.enabled).await?;
    Ok(Json(rule_view(&rule)))
}

/// Delete an escalation rule (the cases it opened stay).
#[utoipa::path(delete, path = "/groups/{name}/escalation-rules/{id}", tag = "moderation", security(("bearer" = [])),
    params(("name" = String, Path), ("id" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    data: Ctx,
    auth: Auth,
    Path((name, id)): Path<(String, String)>,
) -> AppResult<StatusCode> {
    let id = parse_id(&id, "rule")?;
    let (_, g) = groups_svc::local_group(&data, &name).await?;
    act::delete(&data, &auth.actor, &g, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A group's latest 50 escalations, newest first.
#[utoipa::path(get, path = "/groups/{name}/escalations", tag = "moderation", security(("bearer" = [])),
    params(("name" = String, Path)),
    responses((status = 200, body = Vec<EscalationView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn escalations(
    data: Ctx,
    auth: Auth,
    Path(name): Path<String>,
) -> AppResult<Json<Vec<EscalationView>>> {
    let (_, g) = groups_svc::local_group(&data, &name).await?;
    let rows = act::recent(&data, &auth.actor, &g).await?;
    Ok(Json(rows.iter().map(escalation_view).collect()))
}
