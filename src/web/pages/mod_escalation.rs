//! The escalation rules of a local group on its moderator console
//! (`/g/{name}/mod/escalation`): the rules with a form to enable, disable or delete
//! each, a form to add one (`actions::escalation`, as the API does) and the latest
//! escalations. A refused rule comes back with what was typed and the message by its
//! field. Only the group's moderators (and the admins) see the page or send its forms.

use super::date_ms;
use super::moderation::{console, Console};
use super::thread_forms::refusal_status;
use crate::actions::escalation::{self as act, FieldProblem, NewRule};
use crate::db::models::Organisation;
use crate::domain::escalation::{Kind, PRIORITIES};
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use crate::web::form::FieldErrors;
use crate::web::i18n::Tr;
use crate::web::layout::{error_page, redirect, respond, Layout};
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

/// An option of a select.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// A rule as the list shows it.
pub struct RuleItem {
    pub id: String,
    pub text: String,
    pub organisation: String,
    pub priority: String,
    pub enabled: bool,
}

/// An escalation as the list shows it.
pub struct EscalationItem {
    pub title: String,
    pub href: String,
    pub rule: String,
    pub priority: String,
    pub date: String,
}

#[derive(Template)]
#[template(path = "mod_escalation.html")]
struct EscalationPage {
    l: Layout,
    base: String,
    reports_href: String,
    moderators_href: String,
    settings_href: String,
    log_href: String,
    rules: Vec<RuleItem>,
    recent: Vec<EscalationItem>,
    kinds: Vec<Choice>,
    orgs: Vec<Choice>,
    priorities: Vec<Choice>,
    parameter: String,
    saved: Option<String>,
    errors: FieldErrors,
}

/// The forms' operations.
const OPS: [&str; 4] = ["add", "enable", "disable", "delete"];

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SavedQuery {
    /// The operation just done.
    pub saved: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RuleForm {
    pub csrf: String,
    /// `add`, `enable`, `disable` or `delete`.
    pub op: String,
    /// The rule of `enable`, `disable` and `delete`.
    pub rule: String,
    pub kind: String,
    pub parameter: String,
    pub organisation: String,
    pub priority: String,
}

/// How a rule reads (its kind with its parameter).
fn describe(tr: &Tr, kind: &str, parameter: &str) -> String {
    let key = format!("escalation-rule-{}", kind.replace('_', "-"));
    tr.s(&key, parameter)
}

fn org_name(orgs: &[Organisation], id: i64) -> String {
    orgs.iter()
        .find(|o| o.id == id)
        .map(|o| o.name.clone())
        .unwrap_or_else(|| id.to_string())
}

async fn render(
    data: &Ctx,
    cx: &Console,
    typed: &RuleForm,
    saved: Option<&str>,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let loaded: AppResult<_> = async {
        let orgs = act::organisations(data, &cx.group_actor).await?;
        let all = data.db.run(crate::db::queries::staff::orgs).await?;
        let rules = act::list(data, &cx.me, &cx.group_actor).await?;
        let recent = act::recent(data, &cx.me, &cx.group_actor).await?;
        Ok((orgs, all, rules, recent))
    }
    .await;
    let (orgs, all, rules, recent) = match loaded {
        Ok(x) => x,
        Err(e) => return error_page(data, &cx.v, &cx.tr, &e),
    };
    let tr = &cx.tr;
    let name = &cx.group_actor.name;
    let kind = if typed.kind.is_empty() {
        Kind::UnansweredHours.as_str()
    } else {
        typed.kind.as_str()
    };
    let priority = if typed.priority.is_empty() {
        "normal"
    } else {
        typed.priority.as_str()
    };
    let page = EscalationPage {
        l: Layout::new(data, &cx.v, tr, tr.s("escalation-title", &cx.group.title)),
        base: format!("/g/{name}/mod/escalation"),
        reports_href: format!("/g/{name}/mod/reports"),
        moderators_href: format!("/g/{name}/mod/moderators"),
        settings_href: format!("/g/{name}/mod/settings"),
        log_href: format!("/g/{name}/modlog"),
        rules: rules
            .iter()
            .map(|r| RuleItem {
                id: r.id.to_string(),
                text: describe(tr, &r.kind, &r.parameter),
                organisation: org_name(&all, r.organisation_id),
                priority: tr.t(&format!("escalation-priority-{}", r.priority)),
                enabled: r.enabled,
            })
            .collect(),
        recent: recent
            .iter()
            .map(|r| EscalationItem {
                title: r
                    .question_title
                    .clone()
                    .unwrap_or_else(|| tr.t("notification-untitled")),
                href: format!("/q/{}", r.escalation.question_id),
                rule: r
                    .rule
                    .as_ref()
                    .map(|x| describe(tr, &x.kind, &x.parameter))
                    .unwrap_or_default(),
                priority: tr.t(&format!("escalation-priority-{}", r.escalation.priority)),
                date: date_ms(r.escalation.created_at),
            })
            .collect(),
        kinds: Kind::ALL
            .iter()
            .filter(|k| **k != Kind::OpenCase || act::OPEN_CASE_AVAILABLE)
            .map(|k| Choice {
                value: k.as_str().into(),
                label: tr.t(&format!("escalation-kind-{}", k.as_str().replace('_', "-"))),
                selected: k.as_str() == kind,
            })
            .collect(),
        orgs: orgs
            .iter()
            .map(|o| Choice {
                value: o.id.to_string(),
                label: o.name.clone(),
                selected: o.id.to_string() == typed.organisation,
            })
            .collect(),
        priorities: PRIORITIES
            .iter()
            .map(|p| Choice {
                value: p.to_string(),
                label: tr.t(&format!("escalation-priority-{p}")),
                selected: *p == priority,
            })
            .collect(),
        parameter: typed.parameter.clone(),
        saved: saved.map(|s| tr.t(&format!("escalation-saved-{s}"))),
        errors,
    };
    respond(data, &cx.v, status, &page)
}

/// The group's escalation rules.
pub async fn page(
    data: Ctx,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Response {
    let back = format!("/g/{name}/mod/escalation");
    match console(&data, &headers, &name, None, &back).await {
        Ok(cx) => {
            let saved = OPS.iter().copied().find(|o| *o == q.saved);
            let typed = RuleForm::default();
            render(
                &data,
                &cx,
                &typed,
                saved,
                FieldErrors::default(),
                StatusCode::OK,
            )
            .await
        }
        Err(resp) => resp,
    }
}

/// Adds, enables, disables or deletes a rule.
pub async fn save(
    data: Ctx,
    headers: HeaderMap,
    Path(name): Path<String>,
    Form(f): Form<RuleForm>,
) -> Response {
    let back = format!("/g/{name}/mod/escalation");
    let cx = match console(&data, &headers, &name, Some(&f.csrf), &back).await {
        Ok(cx) => cx,
        Err(resp) => return resp,
    };
    let mut errors = FieldErrors::default();
    let result = apply(&data, &cx, &f, &mut errors).await;
    match result {
        Ok(()) => redirect(&format!("{back}?saved={}", f.op)),
        Err(e) => {
            if errors.is_empty() {
                errors.add("", message(&cx.tr, &e));
            }
            let status = refusal_status(&e);
            render(&data, &cx, &f, None, errors, status).await
        }
    }
}

async fn apply(data: &Ctx, cx: &Console, f: &RuleForm, errors: &mut FieldErrors) -> AppResult<()> {
    let (me, group) = (&cx.me, &cx.group_actor);
    match f.op.as_str() {
        "add" => {
            let new = NewRule {
                kind: f.kind.clone(),
                parameter: f.parameter.clone(),
                organisation: f.organisation.clone(),
                priority: f.priority.clone(),
            };
            let recognised = act::organisations(data, group).await?;
            if let Err(FieldProblem { field, .. }) = act::check(&new, &recognised) {
                let key = match field {
                    "parameter" => format!(
                        "escalation-invalid-parameter-{}",
                        Kind::parse(&f.kind)
                            .map_or("", |k| k.as_str())
                            .replace('_', "-")
                    ),
                    _ => format!("escalation-invalid-{field}"),
                };
                errors.add(field, cx.tr.t(&key));
                return Err(AppError::Invalid(field.into()));
            }
            act::create(data, me, group, new).await.map(|_| ())
        }
        "enable" | "disable" | "delete" => {
            let id: i64 = f
                .rule
                .parse()
                .map_err(|_| AppError::NotFound("no such escalation rule".into()))?;
            if f.op == "delete" {
                act::delete(data, me, group, id).await
            } else {
                act::set_enabled(data, me, group, id, f.op == "enable")
                    .await
                    .map(|_| ())
            }
        }
        _ => Err(AppError::Invalid("unknown operation".into())),
    }
}

/// The readable message of a refusal.
fn message(tr: &Tr, e: &AppError) -> String {
    match e {
        AppError::Forbidden(_) => tr.t("error-forbidden-message"),
        AppError::NotFound(_) => tr.t("escalation-not-found"),
        AppError::Invalid(_) => tr.t("escalation-invalid"),
        e if e.status().is_server_error() => {
            tracing::error!("saving an escalation rule failed: {e}");
            tr.t("error-internal-message")
        }
        _ => tr.t("error-bad-request-message"),
    }
}
