//! The instance (`/admin/instance`, admins): the run-time settings (site name and
//! description, registrations, who may create groups, federation mode, rate limits),
//! invitations to register, and the instance's groups (create one, hand one over). The
//! forms call the same actions as the JSON API (`actions::instance`).

use super::{admin, admin_form};
use crate::actions::instance as act;
use crate::db::models::{Invitation, User};
use crate::db::{now_ms, queries, rfc3339};
use crate::domain::instance::{
    Edit, GroupCreation, InstanceSettings, Registrations, MAX_DESCRIPTION, MAX_INSTANCE_LIMIT,
    MAX_NAME,
};
use crate::error::AppError;
use crate::state::Ctx;
use crate::web::form::FieldErrors;
use crate::web::i18n::Tr;
use crate::web::layout::{error_page, redirect, respond, Layout};
use crate::web::pages::home::{group_items, GroupItem};
use crate::web::session::{viewer_tr, Viewer};
use askama::Template;
use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

/// The settings form as typed (or as in force, when the page opens).
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct SettingsForm {
    pub csrf: String,
    pub name: String,
    pub description: String,
    pub registrations: String,
    pub group_creation: String,
    pub federation_mode: String,
    /// A checkbox: present when on.
    pub rate_limits: Option<String>,
    /// A checkbox: hide detected personal data in other servers' posts on public pages.
    pub hide_remote_personal_data: Option<String>,
    pub post_limit: String,
    pub vote_limit: String,
    pub report_limit: String,
    /// `reset`: everything back to the configured values.
    pub reset: String,
}

impl SettingsForm {
    fn of(s: &InstanceSettings) -> SettingsForm {
        SettingsForm {
            name: s.name.clone(),
            description: s.description.clone(),
            registrations: s.registrations.as_str().into(),
            group_creation: s.group_creation.as_str().into(),
            federation_mode: s.federation_mode().into(),
            rate_limits: s.rate_limits.then(|| "on".into()),
            hide_remote_personal_data: s.hide_remote_personal_data.then(|| "on".into()),
            post_limit: s.instance_limits.posts.to_string(),
            vote_limit: s.instance_limits.votes.to_string(),
            report_limit: s.instance_limits.reports.to_string(),
            ..SettingsForm::default()
        }
    }
}

/// The invitation form as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct InviteForm {
    pub csrf: String,
    pub note: String,
    pub max_uses: String,
    pub days: String,
}

/// The group forms as typed (create, hand over).
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct GroupForm {
    pub csrf: String,
    pub name: String,
    pub title: String,
    pub description: String,
    /// Hand over: the group and the local account it goes to.
    pub group: String,
    pub to: String,
    /// A checkbox: the moderators before stop being moderators.
    pub replace: Option<String>,
}

pub struct InvitationRow {
    pub id: String,
    pub note: String,
    pub uses: i32,
    pub max_uses: i32,
    pub expires: Option<String>,
    /// `active`, `used-up`, `expired` or `revoked`, and its label.
    pub state: &'static str,
    pub state_label: String,
}

pub struct GroupRow {
    pub item: GroupItem,
    pub moderators: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin_instance.html")]
struct InstancePage {
    l: Layout,
    notice: Option<String>,
    /// A new invitation's link, shown once.
    invite_link: Option<String>,
    form: SettingsForm,
    /// (value, label) of each choice.
    registrations: Vec<(&'static str, String)>,
    group_creation: Vec<(&'static str, String)>,
    modes: Vec<(&'static str, String)>,
    /// What each setting is as configured (the flags), for the hints.
    configured: SettingsForm,
    /// Something is set here rather than as configured.
    overridden: bool,
    updated: Option<String>,
    invite: InviteForm,
    invitations: Vec<InvitationRow>,
    group: GroupForm,
    groups: Vec<GroupRow>,
    errors: FieldErrors,
    max_name: usize,
    max_description: usize,
    max_limit: u32,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    pub done: String,
    pub group: String,
}

/// What the forms send back to the page when they come back with a message.
#[derive(Default)]
struct Typed {
    form: Option<SettingsForm>,
    invite: InviteForm,
    group: GroupForm,
    invite_link: Option<String>,
}

fn choices<T: Copy>(
    all: &[T],
    name: fn(T) -> &'static str,
    tr: &Tr,
    key: &str,
) -> Vec<(&'static str, String)> {
    all.iter()
        .map(|v| {
            let n = name(*v);
            (n, tr.t(&format!("{key}-{n}")))
        })
        .collect()
}

fn invitation_row(tr: &Tr, i: Invitation, now: i64) -> InvitationRow {
    let state = if i.revoked {
        "revoked"
    } else if i.uses >= i.max_uses {
        "used-up"
    } else if i.expires_at.is_some_and(|e| e <= now) {
        "expired"
    } else {
        "active"
    };
    InvitationRow {
        id: i.id.to_string(),
        note: i.note,
        uses: i.uses,
        max_uses: i.max_uses,
        expires: i.expires_at.map(|e| rfc3339(e).chars().take(10).collect()),
        state,
        state_label: tr.t(&format!("admin-inst-invite-{state}")),
    }
}

#[allow(clippy::too_many_arguments)]
async fn render(
    data: &Ctx,
    v: &Viewer,
    tr: &Tr,
    user: &User,
    notice: Option<String>,
    typed: Typed,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let current = data.instance.get();
    let invitations = match act::invitations(data, user).await {
        Ok(list) => list,
        Err(e) => return error_page(data, v, tr, &e),
    };
    let items = match group_items(data).await {
        Ok(items) => items,
        Err(e) => return error_page(data, v, tr, &e),
    };
    let names: Vec<String> = items.iter().map(|g| g.name.clone()).collect();
    let moderators = data
        .db
        .run(move |c| {
            let mut all = Vec::new();
            for name in names {
                let mods = match queries::actors::local_by_name(c, &name)? {
                    Some(g) => queries::groups::moderators(c, g.id)?,
                    None => Vec::new(),
                };
                all.push(mods.iter().map(|m| m.handle()).collect::<Vec<_>>());
            }
            Ok(all)
        })
        .await;
    let moderators = match moderators {
        Ok(m) => m,
        Err(e) => return error_page(data, v, tr, &e),
    };
    let now = now_ms();
    let configured = InstanceSettings::effective(&data.settings, None);
    let page = InstancePage {
        l: Layout::new(data, v, tr, tr.t("admin-inst-title")),
        notice,
        invite_link: typed.invite_link,
        form: typed.form.unwrap_or_else(|| SettingsForm::of(&current)),
        registrations: choices(
            &Registrations::ALL,
            Registrations::as_str,
            tr,
            "admin-inst-reg",
        ),
        group_creation: choices(
            &GroupCreation::ALL,
            GroupCreation::as_str,
            tr,
            "admin-inst-groups",
        ),
        modes: ["blocklist", "allowlist"]
            .into_iter()
            .map(|m| (m, tr.t(&format!("admin-inst-mode-{m}"))))
            .collect(),
        configured: SettingsForm::of(&configured),
        overridden: current.stored.updated_at > 0,
        updated: (current.stored.updated_at > 0).then(|| {
            rfc3339(current.stored.updated_at)
                .chars()
                .take(16)
                .collect::<String>()
                .replace('T', " ")
        }),
        invite: typed.invite,
        invitations: invitations
            .into_iter()
            .map(|i| invitation_row(tr, i, now))
            .collect(),
        group: typed.group,
        groups: items
            .into_iter()
            .zip(moderators)
            .map(|(item, moderators)| GroupRow { item, moderators })
            .collect(),
        errors,
        max_name: MAX_NAME,
        max_description: MAX_DESCRIPTION,
        max_limit: MAX_INSTANCE_LIMIT,
    };
    respond(data, v, status, &page)
}

/// The Instance page.
pub async fn show(data: Ctx, headers: HeaderMap, Query(q): Query<DoneQuery>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let (user, _) = match admin(&data, &v, &tr) {
        Ok(a) => a,
        Err(refused) => return refused,
    };
    let notice = match q.done.as_str() {
        "settings" => Some(tr.t("admin-inst-done-settings")),
        "reset" => Some(tr.t("admin-inst-done-reset")),
        "revoked" => Some(tr.t("admin-inst-done-revoked")),
        "created" => Some(tr.s("admin-inst-done-created", &q.group)),
        "handed" => Some(tr.s("admin-inst-done-handed", &q.group)),
        "deleted" => Some(tr.s("admin-inst-done-deleted", &q.group)),
        _ => None,
    };
    render(
        &data,
        &v,
        &tr,
        user,
        notice,
        Typed::default(),
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// A limit field: a whole number from 0 to the highest limit.
fn limit(tr: &Tr, errors: &mut FieldErrors, field: &'static str, typed: &str) -> Option<u32> {
    match typed.trim().parse::<u32>() {
        Ok(n) if n <= MAX_INSTANCE_LIMIT => Some(n),
        _ => {
            errors.add(
                field,
                tr.n("admin-inst-error-limit", MAX_INSTANCE_LIMIT as i64),
            );
            None
        }
    }
}

/// Saves the settings (or puts them all back to the configured values).
pub async fn save(data: Ctx, headers: HeaderMap, Form(f): Form<SettingsForm>) -> Response {
    let form = match admin_form(&data, &headers, &f.csrf, "/admin/instance").await {
        Ok(form) => form,
        Err(refused) => return refused,
    };
    let (v, tr, (user, _)) = (&form.v, &form.tr, form.admin());
    if f.reset == "reset" {
        return match act::save_settings(&data, user, Edit::default()).await {
            Ok(_) => redirect("/admin/instance?done=reset"),
            Err(e) => error_page(&data, v, tr, &e),
        };
    }
    let mut errors = FieldErrors::default();
    let name = f.name.trim();
    if name.is_empty() {
        errors.add("name", tr.t("admin-inst-error-name"));
    } else if name.chars().count() > MAX_NAME {
        errors.add("name", tr.n("admin-inst-error-name-long", MAX_NAME as i64));
    }
    if f.description.len() > MAX_DESCRIPTION {
        errors.add(
            "description",
            tr.n("admin-inst-error-description-long", MAX_DESCRIPTION as i64),
        );
    }
    if Registrations::parse(&f.registrations).is_err() {
        errors.add("registrations", tr.t("admin-inst-error-choice"));
    }
    if GroupCreation::parse(&f.group_creation).is_err() {
        errors.add("group_creation", tr.t("admin-inst-error-choice"));
    }
    if !matches!(f.federation_mode.as_str(), "blocklist" | "allowlist") {
        errors.add("federation_mode", tr.t("admin-inst-error-choice"));
    }
    let posts = limit(tr, &mut errors, "post_limit", &f.post_limit);
    let votes = limit(tr, &mut errors, "vote_limit", &f.vote_limit);
    let reports = limit(tr, &mut errors, "report_limit", &f.report_limit);
    if !errors.is_empty() {
        let typed = Typed {
            form: Some(f),
            ..Typed::default()
        };
        return render(
            &data,
            v,
            tr,
            user,
            None,
            typed,
            errors,
            StatusCode::BAD_REQUEST,
        )
        .await;
    }
    let edit = Edit {
        name: Some(name.to_string()),
        description: Some(f.description.trim().to_string()),
        registrations: Some(f.registrations.clone()),
        group_creation: Some(f.group_creation.clone()),
        federation_mode: Some(f.federation_mode.clone()),
        rate_limits: Some(f.rate_limits.is_some()),
        instance_post_limit: posts,
        instance_vote_limit: votes,
        instance_report_limit: reports,
        hide_remote_personal_data: Some(f.hide_remote_personal_data.is_some()),
    };
    match act::save_settings(&data, user, edit).await {
        Ok(_) => redirect("/admin/instance?done=settings"),
        Err(e) => error_page(&data, v, tr, &e),
    }
}

/// Makes an invitation and shows its link once.
pub async fn invite(data: Ctx, headers: HeaderMap, Form(f): Form<InviteForm>) -> Response {
    let form = match admin_form(&data, &headers, &f.csrf, "/admin/instance").await {
        Ok(form) => form,
        Err(refused) => return refused,
    };
    let (v, tr, (user, _)) = (&form.v, &form.tr, form.admin());
    let mut errors = FieldErrors::default();
    let uses = match f.max_uses.trim() {
        "" => Some(1),
        n => n.parse::<i32>().ok().filter(|n| (1..=1000).contains(n)),
    };
    if uses.is_none() {
        errors.add("max_uses", tr.t("admin-inst-error-uses"));
    }
    let days = match f.days.trim() {
        "" => Some(None),
        d => d
            .parse::<i64>()
            .ok()
            .filter(|d| (1..=365).contains(d))
            .map(Some),
    };
    if days.is_none() {
        errors.add("days", tr.t("admin-inst-error-days"));
    }
    if f.note.trim().chars().count() > act::MAX_NOTE {
        errors.add(
            "note",
            tr.n("admin-inst-error-note-long", act::MAX_NOTE as i64),
        );
    }
    let (Some(uses), Some(days), true) = (uses, days, errors.is_empty()) else {
        let typed = Typed {
            invite: f,
            ..Typed::default()
        };
        return render(
            &data,
            v,
            tr,
            user,
            None,
            typed,
            errors,
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    match act::invite(&data, user, &f.note, uses, days).await {
        Ok((_, code)) => {
            let typed = Typed {
                invite_link: Some(format!("{}/signup?invite={code}", data.base)),
                ..Typed::default()
            };
            let notice = Some(tr.t("admin-inst-done-invite"));
            render(
                &data,
                v,
                tr,
                user,
                notice,
                typed,
                FieldErrors::default(),
                StatusCode::OK,
            )
            .await
        }
        Err(e) => error_page(&data, v, tr, &e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RevokeForm {
    pub csrf: String,
    pub id: String,
}

/// Revokes an invitation.
pub async fn revoke(data: Ctx, headers: HeaderMap, Form(f): Form<RevokeForm>) -> Response {
    let form = match admin_form(&data, &headers, &f.csrf, "/admin/instance").await {
        Ok(form) => form,
        Err(refused) => return refused,
    };
    let (v, tr, (user, _)) = (&form.v, &form.tr, form.admin());
    let Ok(id) = f.id.parse::<i64>() else {
        let err = AppError::NotFound("no such invitation".into());
        return error_page(&data, v, tr, &err);
    };
    match act::revoke_invitation(&data, user, id).await {
        Ok(()) => redirect("/admin/instance?done=revoked#invitations"),
        Err(e) => error_page(&data, v, tr, &e),
    }
}

/// Creates a group; the admin becomes its first moderator.
pub async fn create_group(data: Ctx, headers: HeaderMap, Form(f): Form<GroupForm>) -> Response {
    let form = match admin_form(&data, &headers, &f.csrf, "/admin/instance").await {
        Ok(form) => form,
        Err(refused) => return refused,
    };
    let (v, tr, (user, _)) = (&form.v, &form.tr, form.admin());
    let name = f.name.trim().to_lowercase();
    let title = f.title.trim().to_string();
    let mut errors = FieldErrors::default();
    if crate::domain::validate_name(&name).is_err() {
        errors.add("group_name", tr.t("admin-inst-error-group-name"));
    }
    if title.is_empty() {
        errors.add("group_title", tr.t("admin-inst-error-group-title"));
    }
    let result = if errors.is_empty() {
        act::create_group(&data, user, &name, &title, f.description.trim(), "").await
    } else {
        Err(AppError::Invalid(String::new()))
    };
    match result {
        Ok(_) => redirect(&format!("/admin/instance?done=created&group={name}#groups")),
        Err(e) => {
            match &e {
                AppError::Conflict(_) => {
                    errors.add("group_name", tr.t("admin-inst-error-group-taken"))
                }
                AppError::Invalid(m) if !m.is_empty() => {
                    errors.add("group_name", tr.t("admin-inst-error-group-name"))
                }
                AppError::Invalid(_) => {}
                _ => return error_page(&data, v, tr, &e),
            }
            let typed = Typed {
                group: f,
                ..Typed::default()
            };
            render(
                &data,
                v,
                tr,
                user,
                None,
                typed,
                errors,
                StatusCode::BAD_REQUEST,
            )
            .await
        }
    }
}

/// Hands a group over to a local account.
pub async fn hand_over(data: Ctx, headers: HeaderMap, Form(f): Form<GroupForm>) -> Response {
    let form = match admin_form(&data, &headers, &f.csrf, "/admin/instance").await {
        Ok(form) => form,
        Err(refused) => return refused,
    };
    let (v, tr, (user, actor)) = (&form.v, &form.tr, form.admin());
    let group = match crate::domain::groups::local_group(&data, &f.group).await {
        Ok((_, group)) => group,
        Err(e) => return error_page(&data, v, tr, &e),
    };
    let target = match act::local_account(&data, &f.to).await {
        Ok(target) => target,
        Err(e) => return error_page(&data, v, tr, &e),
    };
    let Some(target) = target else {
        let mut errors = FieldErrors::default();
        errors.add("to", tr.t("admin-inst-error-to"));
        let typed = Typed {
            group: f,
            ..Typed::default()
        };
        return render(
            &data,
            v,
            tr,
            user,
            None,
            typed,
            errors,
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    let replace = f.replace.is_some();
    match act::hand_over(&data, user, actor, &group, &target, replace).await {
        Ok(()) => redirect(&format!(
            "/admin/instance?done=handed&group={}#groups",
            group.name
        )),
        Err(e) => error_page(&data, v, tr, &e),
    }
}
