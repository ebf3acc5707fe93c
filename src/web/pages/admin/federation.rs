//! Federation health (`/admin/federation`, admins): the known instances, found by part
//! of their domain, a page at a time, with their policy, last successful contact,
//! failure streak and back-off, deliveries waiting and failed, and the inbound queue's
//! depth. Each instance can be blocked, silenced, allowed or cleared, as with
//! `PUT /api/v1/admin/instances/{domain}` (the same action), and its waiting deliveries
//! made due now ("retry now").

use super::{admin, admin_form};
use crate::actions::instances::{self, Policy};
use crate::db::queries::instance_health::{self, HealthPage};
use crate::db::{now_ms, rfc3339};
use crate::error::AppError;
use crate::state::Ctx;
use crate::web::form::FieldErrors;
use crate::web::i18n::Tr;
use crate::web::layout::{error_page, redirect, respond, Layout};
use crate::web::pages::query_string;
use crate::web::session::{viewer_tr, Viewer};
use askama::Template;
use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

/// Instances on one page.
const PER_PAGE: i64 = 50;

/// The policies a form may set, by the name the form sends.
const POLICIES: [&str; 4] = ["block", "silence", "allow", "clear"];

fn policy_of(name: &str) -> Option<Policy> {
    let p = |blocked, silenced, allowed| Policy {
        blocked,
        silenced,
        allowed,
    };
    match name {
        "block" => Some(p(true, false, false)),
        "silence" => Some(p(false, true, false)),
        "allow" => Some(p(false, false, true)),
        "clear" => Some(p(false, false, false)),
        _ => None,
    }
}

/// One instance as the table shows it.
pub struct Row {
    pub domain: String,
    /// The policy's name (`block`, `silence`, `allow`, `none`) and its label.
    pub policy: &'static str,
    pub policy_label: String,
    pub last_success: Option<(String, String)>,
    pub last_failure: Option<(String, String)>,
    pub streak: i32,
    /// Deliveries wait until then (RFC 3339, shown).
    pub backoff_until: Option<(String, String)>,
    pub pending: i64,
    pub failed: i64,
    pub delivered: i64,
}

/// (RFC 3339, shown as `12-06 17:55`, UTC as the column headers say) of a time in ms.
pub(super) fn when(ms: i64) -> (String, String) {
    let at = rfc3339(ms);
    let shown = at
        .chars()
        .skip(5)
        .take(11)
        .collect::<String>()
        .replace('T', " ");
    (at, shown)
}

#[derive(Template)]
#[template(path = "admin_federation.html")]
struct FederationPage {
    l: Layout,
    q: String,
    page: i64,
    rows: Vec<Row>,
    matching: i64,
    pending: i64,
    failed: i64,
    inbound: i64,
    allowlist: bool,
    /// What was just done, shown once.
    notice: Option<String>,
    /// The "set a policy" form: what was typed.
    form_domain: String,
    form_policy: String,
    form_reason: String,
    policies: Vec<(&'static str, String)>,
    errors: FieldErrors,
    prev: Option<String>,
    next: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub page: String,
    /// `policy` or `retry` after a form, with the instance in `domain`.
    pub done: String,
    pub domain: String,
}

/// The page number of a link (1 when missing or not a page number).
pub(super) fn page_number(s: &str) -> i64 {
    s.parse::<i64>()
        .ok()
        .filter(|p| (1..=crate::domain::input::MAX_PAGE).contains(p))
        .unwrap_or(1)
}

fn list_href(q: &str, page: i64) -> String {
    let page = page.to_string();
    let qs = query_string(&[("q", q), ("page", if page == "1" { "" } else { &page })]);
    if qs.is_empty() {
        "/admin/federation".into()
    } else {
        format!("/admin/federation?{qs}")
    }
}

/// The form's values when it comes back with a message.
#[derive(Default)]
struct Typed {
    domain: String,
    policy: String,
    reason: String,
}

#[allow(clippy::too_many_arguments)]
async fn render(
    data: &Ctx,
    v: &Viewer,
    tr: &Tr,
    q: &str,
    page: i64,
    notice: Option<String>,
    typed: Typed,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let search = q.trim().to_string();
    let offset = (page - 1) * PER_PAGE;
    let found: Result<HealthPage, AppError> = data
        .db
        .run(move |c| instance_health::page(c, &search, offset, PER_PAGE))
        .await;
    let found = match found {
        Ok(f) => f,
        Err(e) => return error_page(data, v, tr, &e),
    };
    let now = now_ms();
    let rows = found
        .instances
        .into_iter()
        .map(|h| {
            let i = h.instance;
            let policy = if i.blocked {
                "block"
            } else if i.silenced {
                "silence"
            } else if i.allowed {
                "allow"
            } else {
                "none"
            };
            Row {
                policy,
                policy_label: tr.t(&format!("admin-fed-policy-{policy}")),
                last_success: i.last_success_at.map(when),
                last_failure: i.last_failure_at.map(when),
                streak: i.failure_streak,
                backoff_until: (i.retry_at > now).then(|| when(i.retry_at)),
                pending: h.pending,
                failed: h.failed,
                delivered: i.delivered_count,
                domain: i.domain,
            }
        })
        .collect();
    let page_view = FederationPage {
        l: Layout::new(data, v, tr, tr.t("admin-fed-title")),
        q: q.to_string(),
        page,
        rows,
        matching: found.matching,
        pending: found.pending,
        failed: found.failed,
        inbound: found.inbound,
        allowlist: data.instance.get().allowlist,
        notice,
        form_domain: typed.domain,
        form_policy: typed.policy,
        form_reason: typed.reason,
        policies: POLICIES
            .iter()
            .map(|p| (*p, tr.t(&format!("admin-fed-set-{p}"))))
            .collect(),
        errors,
        prev: (page > 1).then(|| list_href(q, page - 1)),
        next: (found.more && page < crate::domain::input::MAX_PAGE).then(|| list_href(q, page + 1)),
    };
    respond(data, v, status, &page_view)
}

/// The federation health page.
pub async fn list(data: Ctx, headers: HeaderMap, Query(lq): Query<ListQuery>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    if let Err(refused) = admin(&data, &v, &tr) {
        return refused;
    }
    let notice = match lq.done.as_str() {
        "policy" => Some(tr.s("admin-fed-done-policy", &lq.domain)),
        "retry" => Some(tr.s("admin-fed-done-retry", &lq.domain)),
        _ => None,
    };
    let page = page_number(&lq.page);
    render(
        &data,
        &v,
        &tr,
        &lq.q,
        page,
        notice,
        Typed::default(),
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PolicyForm {
    pub csrf: String,
    pub domain: String,
    pub policy: String,
    pub reason: String,
    /// The list to come back to.
    pub q: String,
    pub page: String,
}

/// Where a form answers with: the list it came from, and what was done.
fn back(q: &str, page: &str, done: &str, domain: &str) -> String {
    let page = page_number(page).to_string();
    let qs = query_string(&[
        ("q", q),
        ("page", if page == "1" { "" } else { &page }),
        ("done", done),
        ("domain", domain),
    ]);
    format!("/admin/federation?{qs}")
}

/// Sets an instance's policy (block, silence, allow, clear).
pub async fn set_policy(data: Ctx, headers: HeaderMap, Form(f): Form<PolicyForm>) -> Response {
    let form = match admin_form(&data, &headers, &f.csrf, "/admin/federation").await {
        Ok(form) => form,
        Err(refused) => return refused,
    };
    let (v, tr, (user, actor)) = (&form.v, &form.tr, form.admin());
    let domain = f.domain.trim().to_lowercase();
    let reason = f.reason.trim().to_string();
    let mut errors = FieldErrors::default();
    let policy = policy_of(&f.policy);
    if policy.is_none() {
        errors.add("policy", tr.t("admin-fed-error-policy"));
    }
    if domain.is_empty() {
        errors.add("domain", tr.t("admin-fed-error-domain"));
    } else if instances::check_domain(&data, &domain).is_err() {
        errors.add("domain", tr.s("admin-fed-error-not-remote", &domain));
    }
    if reason.chars().count() > 500 {
        errors.add("reason", tr.n("admin-fed-error-reason-long", 500));
    }
    let typed = Typed {
        domain: f.domain.clone(),
        policy: f.policy.clone(),
        reason: f.reason.clone(),
    };
    let page = page_number(&f.page);
    let Some(policy) = policy.filter(|_| errors.is_empty()) else {
        return render(
            &data,
            v,
            tr,
            &f.q,
            page,
            None,
            typed,
            errors,
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    match instances::set_policy(&data, user, actor, &domain, policy, &reason).await {
        Ok(()) => redirect(&back(&f.q, &f.page, "policy", &domain)),
        Err(AppError::Invalid(why)) => {
            tracing::debug!("policy refused: {why}");
            errors.add("domain", tr.s("admin-fed-error-not-remote", &domain));
            render(
                &data,
                v,
                tr,
                &f.q,
                page,
                None,
                typed,
                errors,
                StatusCode::BAD_REQUEST,
            )
            .await
        }
        Err(e) => error_page(&data, v, tr, &e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RetryForm {
    pub csrf: String,
    pub domain: String,
    pub q: String,
    pub page: String,
}

/// "Retry now": the instance's waiting deliveries become due and its back-off ends.
pub async fn retry(data: Ctx, headers: HeaderMap, Form(f): Form<RetryForm>) -> Response {
    let form = match admin_form(&data, &headers, &f.csrf, "/admin/federation").await {
        Ok(form) => form,
        Err(refused) => return refused,
    };
    let (v, tr, (user, _)) = (&form.v, &form.tr, form.admin());
    match instances::retry_now(&data, user, &f.domain).await {
        Ok(_) => redirect(&back(&f.q, &f.page, "retry", &f.domain)),
        Err(e) => error_page(&data, v, tr, &e),
    }
}
