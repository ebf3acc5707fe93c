//! The settings of a local group on its moderator console (`/g/{name}/mod/settings`),
//! four forms through the actions the API uses: the group's profile (title,
//! description, guidelines), its newcomers (welcome message, who may ask) and the
//! patterns of personal data it names (order numbers, serials), all
//! `actions::groups::update_settings`; the organisations whose staff it recognises
//! (`actions::staff::set_group_organisations`); its privilege thresholds
//! (`actions::groups::set_privileges`). A refused form comes back with what was typed
//! and the message by its field. Only the group's moderators see the page or send its
//! forms (the 403 page for everyone else).

use super::moderation::{console, Console};
use super::thread_forms::refusal_status;
use crate::actions;
use crate::db::queries;
use crate::db::queries::reputation as rq;
use crate::domain::groups::{Problem, Settings, WhoMayAsk, MAX_TEXT, MAX_TITLE, MAX_WELCOME};
use crate::domain::ideas::GroupKind;
use crate::domain::personal_data::MAX_PATTERNS;
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

/// The forms of the page, by the `section` they send.
const SECTIONS: [&str; 7] = [
    "profile",
    "visibility",
    "kind",
    "newcomers",
    "personal_data",
    "organisations",
    "privileges",
];

/// A posting rule to choose.
pub struct RuleChoice {
    pub value: &'static str,
    pub label: String,
    pub hint: String,
    pub checked: bool,
}

/// An organisation declared here, recognised by the group or not.
pub struct OrgChoice {
    pub id: String,
    pub name: String,
    pub domain: String,
    pub checked: bool,
}

/// A privilege and the reputation it needs (as typed).
pub struct Threshold {
    /// The input's name and id (`min_PRIVILEGE`).
    pub field: String,
    pub label: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "mod_settings.html")]
struct SettingsPage {
    l: Layout,
    base: String,
    /// The group is private (members only).
    private: bool,
    reports_href: String,
    moderators_href: String,
    log_href: String,
    /// The message of the form just saved.
    saved: Option<String>,
    title: String,
    description: String,
    guidelines: String,
    welcome: String,
    patterns: String,
    max_patterns: i64,
    rules: Vec<RuleChoice>,
    /// What the group's posts are (questions or ideas), to choose.
    kinds: Vec<RuleChoice>,
    orgs: Vec<OrgChoice>,
    thresholds: Vec<Threshold>,
    max_title: i64,
    max_text: i64,
    max_welcome: i64,
    max_threshold: i64,
    errors: FieldErrors,
}

/// What the forms hold: the group's settings, or what was typed into the refused form.
struct Values {
    settings: Settings,
    /// `who_may_ask` as sent (kept when it is not a rule).
    rule: String,
    orgs: Vec<i64>,
    thresholds: Vec<(String, String)>,
    /// The group's kind (`questions` or `ideas`).
    kind: String,
}

async fn current(data: &Ctx, cx: &Console) -> AppResult<Values> {
    let gid = cx.group_actor.id;
    let (orgs, thresholds) = data
        .db
        .run(move |c| Ok((queries::staff::group_orgs(c, gid)?, rq::privileges(c, gid)?)))
        .await?;
    let settings = Settings::of(&cx.group);
    let kind = actions::ideas::kind_of(data, gid).await?;
    Ok(Values {
        kind: kind.as_str().to_string(),
        rule: settings.who_may_ask.as_str().to_string(),
        settings,
        orgs: orgs.into_iter().map(|o| o.id).collect(),
        thresholds: thresholds
            .into_iter()
            .map(|(p, m)| (p, m.to_string()))
            .collect(),
    })
}

async fn render(
    data: &Ctx,
    cx: &Console,
    values: Values,
    saved: Option<&str>,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let all = match data.db.run(queries::staff::orgs).await {
        Ok(o) => o,
        Err(e) => return error_page(data, &cx.v, &cx.tr, &e),
    };
    let tr = &cx.tr;
    let name = &cx.group_actor.name;
    let s = values.settings;
    let page = SettingsPage {
        l: Layout::new(data, &cx.v, tr, tr.s("mod-settings-title", &cx.group.title)),
        private: crate::actions::rules::is_private(&cx.group_actor),
        base: format!("/g/{name}/mod/settings"),
        reports_href: format!("/g/{name}/mod/reports"),
        moderators_href: format!("/g/{name}/mod/moderators"),
        log_href: format!("/g/{name}/modlog"),
        saved: saved
            .filter(|s| SECTIONS.contains(s))
            .map(|s| tr.t(&format!("mod-settings-saved-{s}"))),
        title: s.title,
        description: s.description_md,
        guidelines: s.guidelines_md,
        welcome: s.welcome_md,
        patterns: s.personal_data_patterns,
        max_patterns: crate::domain::personal_data::MAX_PATTERNS as i64,
        rules: WhoMayAsk::ALL
            .iter()
            .map(|w| RuleChoice {
                value: w.as_str(),
                label: tr.t(&format!("mod-settings-ask-{}", w.as_str())),
                hint: tr.t(&format!("mod-settings-ask-{}-hint", w.as_str())),
                checked: values.rule == w.as_str(),
            })
            .collect(),
        kinds: GroupKind::ALL
            .iter()
            .map(|k| RuleChoice {
                value: k.as_str(),
                label: tr.t(&format!("mod-settings-kind-{}", k.as_str())),
                hint: tr.t(&format!("mod-settings-kind-{}-hint", k.as_str())),
                checked: values.kind == k.as_str(),
            })
            .collect(),
        orgs: all
            .into_iter()
            .map(|o| OrgChoice {
                checked: values.orgs.contains(&o.id),
                id: o.id.to_string(),
                name: o.name,
                domain: o.domain,
            })
            .collect(),
        thresholds: values
            .thresholds
            .into_iter()
            .map(|(privilege, value)| Threshold {
                label: tr.t(&format!(
                    "mod-settings-privilege-{}",
                    privilege.replace('_', "-")
                )),
                field: format!("min_{privilege}"),
                value,
            })
            .collect(),
        max_title: MAX_TITLE as i64,
        max_text: MAX_TEXT as i64,
        max_welcome: MAX_WELCOME as i64,
        max_threshold: actions::groups::MAX_THRESHOLD,
        errors,
    };
    respond(data, &cx.v, status, &page)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SavedQuery {
    /// The section just saved.
    pub saved: String,
}

/// The group's settings page.
pub async fn settings(
    data: Ctx,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Response {
    let back = format!("/g/{name}/mod/settings");
    let cx = match console(&data, &headers, &name, None, &back).await {
        Ok(cx) => cx,
        Err(resp) => return resp,
    };
    match current(&data, &cx).await {
        Ok(values) => {
            let errors = FieldErrors::default();
            render(&data, &cx, values, Some(&q.saved), errors, StatusCode::OK).await
        }
        Err(e) => error_page(&data, &cx.v, &cx.tr, &e),
    }
}

/// Saves one of the page's forms (its `section`).
pub async fn save(
    data: Ctx,
    headers: HeaderMap,
    Path(name): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let field = |key: &str| {
        fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let back = format!("/g/{name}/mod/settings");
    let cx = match console(&data, &headers, &name, Some(&field("csrf")), &back).await {
        Ok(cx) => cx,
        Err(resp) => return resp,
    };
    let mut values = match current(&data, &cx).await {
        Ok(v) => v,
        Err(e) => return error_page(&data, &cx.v, &cx.tr, &e),
    };
    let section = field("section");
    let mut errors = FieldErrors::default();
    let result = match section.as_str() {
        "profile" => {
            values.settings.title = field("title");
            values.settings.description_md = field("description");
            values.settings.guidelines_md = field("guidelines");
            save_settings(&data, &cx, &values, &mut errors).await
        }
        "visibility" => {
            let private = field("visibility") == "private";
            actions::private_groups::set_private(&data, &cx.me, &cx.group_actor, private)
                .await
                .map(|_| ())
        }
        "newcomers" => {
            values.settings.welcome_md = field("welcome");
            values.rule = field("who_may_ask");
            match WhoMayAsk::parse(&values.rule) {
                Some(w) => {
                    values.settings.who_may_ask = w;
                    save_settings(&data, &cx, &values, &mut errors).await
                }
                None => {
                    errors.add("who_may_ask", cx.tr.t("mod-settings-ask-choose"));
                    Err(AppError::Invalid("who may ask".into()))
                }
            }
        }
        "kind" => {
            values.kind = field("kind");
            match GroupKind::parse(&values.kind) {
                Some(k) => actions::ideas::set_group_kind(&data, &cx.me, &cx.group_actor, k).await,
                None => {
                    errors.add("kind", cx.tr.t("mod-settings-kind-choose"));
                    Err(AppError::Invalid("kind".into()))
                }
            }
        }
        "personal_data" => {
            values.settings.personal_data_patterns = field("patterns");
            let patterns = &values.settings.personal_data_patterns;
            match crate::domain::personal_data::bad_line(patterns) {
                Some(line) => {
                    let text = match line {
                        0 => cx.tr.n("mod-settings-patterns-many", MAX_PATTERNS as i64),
                        n => cx.tr.n("mod-settings-patterns-bad", n as i64),
                    };
                    errors.add("patterns", text);
                    Err(AppError::Invalid("patterns".into()))
                }
                None => save_settings(&data, &cx, &values, &mut errors).await,
            }
        }
        "organisations" => {
            let ids: Option<Vec<i64>> = fields
                .iter()
                .filter(|(k, _)| k == "organisation")
                .map(|(_, v)| v.parse().ok())
                .collect();
            match ids {
                Some(ids) => {
                    values.orgs = ids.clone();
                    let (me, group) = (&cx.me, &cx.group_actor);
                    actions::staff::set_group_organisations(&data, me, group, ids)
                        .await
                        .map(|_| ())
                }
                None => Err(AppError::Invalid("organisation ids".into())),
            }
        }
        "privileges" => save_thresholds(&data, &cx, &fields, &mut values, &mut errors).await,
        _ => Err(AppError::Invalid("unknown section".into())),
    };
    match result {
        Ok(()) => redirect(&format!("{back}?saved={section}#{section}")),
        Err(e) => {
            if errors.is_empty() {
                // Shown at the top of the section's form (or the page's, for none).
                let at = if SECTIONS.contains(&section.as_str()) {
                    section.as_str()
                } else {
                    ""
                };
                errors.add(at, message(&cx.tr, &e));
            }
            let status = refusal_status(&e);
            render(&data, &cx, values, None, errors, status).await
        }
    }
}

/// The readable message of a refusal.
fn message(tr: &Tr, e: &AppError) -> String {
    match e {
        AppError::Forbidden(_) => tr.t("error-forbidden-message"),
        AppError::Invalid(_) | AppError::NotFound(_) => tr.t("mod-settings-invalid"),
        e if e.status().is_server_error() => {
            tracing::error!("saving a group's settings failed: {e}");
            tr.t("error-internal-message")
        }
        _ => tr.t("error-bad-request-message"),
    }
}

/// Saves the group's settings; a setting over its limit is told by its field.
async fn save_settings(
    data: &Ctx,
    cx: &Console,
    values: &Values,
    errors: &mut FieldErrors,
) -> AppResult<()> {
    let s = &values.settings;
    if let Some(p) = s.problem() {
        let (field, text) = match p {
            Problem::Title => (
                "title",
                cx.tr.n("mod-settings-title-length", MAX_TITLE as i64),
            ),
            Problem::Description => (
                "description",
                cx.tr.n("mod-settings-text-long", MAX_TEXT as i64),
            ),
            Problem::Guidelines => (
                "guidelines",
                cx.tr.n("mod-settings-text-long", MAX_TEXT as i64),
            ),
            Problem::Welcome => (
                "welcome",
                cx.tr.n("mod-settings-text-long", MAX_WELCOME as i64),
            ),
        };
        errors.add(field, text);
        return Err(AppError::Invalid(p.message()));
    }
    actions::groups::update_settings(data, &cx.me, &cx.group_actor, s.clone()).await
}

/// Saves the privilege thresholds; one that is not a whole number in range is told by
/// its field.
async fn save_thresholds(
    data: &Ctx,
    cx: &Console,
    fields: &[(String, String)],
    values: &mut Values,
    errors: &mut FieldErrors,
) -> AppResult<()> {
    let mut thresholds = Vec::new();
    for (privilege, typed) in values.thresholds.iter_mut() {
        let sent = fields
            .iter()
            .find(|(k, _)| k.strip_prefix("min_") == Some(privilege.as_str()))
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default();
        match sent.parse::<i64>() {
            Ok(n) if actions::groups::check_threshold(privilege, n).is_ok() => {
                thresholds.push((privilege.clone(), n));
            }
            _ => {
                let max = actions::groups::MAX_THRESHOLD;
                let field = format!("min_{privilege}");
                errors.add(&field, cx.tr.n("mod-settings-threshold-range", max));
            }
        }
        *typed = sent;
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid("thresholds".into()));
    }
    actions::groups::set_privileges(data, &cx.me, &cx.group_actor, thresholds)
        .await
        .map(|_| ())
}
