//! The staff console's webhooks (`/staff/webhooks`): the organisation's endpoints with
//! their event types, state and secrets; adding one (its secret shown once, on the page
//! that answers the form), rotating and removing secrets, disabling, enabling and
//! deleting; and each endpoint's delivery log (`/staff/webhooks/{id}`) with redelivery.
//! Forms work without JavaScript and are CSRF-protected; the rules are
//! `actions::webhooks`' (the same as the API's).

use super::date_ms;
use crate::actions::webhooks as act;
use crate::db::models::{Organisation, User};
use crate::domain::webhooks::{message_id, EVENT_TYPES};
use crate::error::AppError;
use crate::state::Ctx;
use crate::web::csrf;
use crate::web::form::csrf_refused;
use crate::web::i18n::Tr;
use crate::web::layout::{error_page, redirect, respond, Layout};
use crate::web::session::{viewer_tr, Viewer};
use askama::Template;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

/// An endpoint as the page shows it.
pub struct EndpointRow {
    pub id: String,
    pub url: String,
    pub events: String,
    pub enabled: bool,
    pub disabled_reason: String,
    pub failing_since: String,
    /// (id, date made)
    pub secrets: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "staff_webhooks.html")]
struct WebhooksPage {
    l: Layout,
    org: String,
    endpoints: Vec<EndpointRow>,
    events: Vec<&'static str>,
    /// A secret just made, shown this once.
    new_secret: Option<String>,
    error: Option<String>,
    url: String,
}

/// A delivery as the log shows it.
pub struct DeliveryRow {
    pub id: String,
    pub webhook_id: String,
    pub event_type: String,
    pub status: String,
    pub attempts: i32,
    pub response_code: String,
    pub last_error: String,
    pub date: String,
}

#[derive(Template)]
#[template(path = "staff_webhook_log.html")]
struct LogPage {
    l: Layout,
    id: String,
    url: String,
    rows: Vec<DeliveryRow>,
}

/// The signed-in user and their organisation (staff only), or the 403 page.
#[allow(clippy::result_large_err)]
async fn manager(data: &Ctx, v: &Viewer, tr: &Tr) -> Result<(User, Organisation), Response> {
    let forbidden = AppError::Forbidden("staff only".into());
    let Some((user, actor)) = &v.user else {
        return Err(error_page(data, v, tr, &forbidden));
    };
    let a = actor.clone();
    match data
        .db
        .run(move |c| crate::actions::rules::staff_org(c, &a))
        .await
    {
        Ok(Some(org)) => Ok((user.clone(), org)),
        Ok(None) => Err(error_page(data, v, tr, &forbidden)),
        Err(e) => Err(error_page(data, v, tr, &e)),
    }
}

async fn page(
    data: &Ctx,
    v: &Viewer,
    tr: &Tr,
    user: &User,
    org: &Organisation,
    new_secret: Option<String>,
    error: Option<(StatusCode, String, String)>,
) -> Response {
    let list = match act::list(data, user, org.id).await {
        Ok(l) => l,
        Err(e) => return error_page(data, v, tr, &e),
    };
    let endpoints = list
        .into_iter()
        .map(|e| EndpointRow {
            id: e.endpoint.id.to_string(),
            url: e.endpoint.url.clone(),
            events: e.endpoint.events.replace(' ', ", "),
            enabled: e.endpoint.enabled,
            disabled_reason: e.endpoint.disabled_reason.clone().unwrap_or_default(),
            failing_since: e.endpoint.failing_since.map(date_ms).unwrap_or_default(),
            secrets: e
                .secrets
                .iter()
                .map(|s| (s.id.to_string(), date_ms(s.created_at)))
                .collect(),
        })
        .collect();
    let (status, error, url) = match error {
        Some((s, e, url)) => (s, Some(e), url),
        None => (StatusCode::OK, None, String::new()),
    };
    let p = WebhooksPage {
        l: Layout::new(data, v, tr, tr.t("webhooks-title")),
        org: org.name.clone(),
        endpoints,
        events: EVENT_TYPES.to_vec(),
        new_secret,
        error,
        url,
    };
    respond(data, v, status, &p)
}

/// `GET /staff/webhooks`.
pub async fn index(data: Ctx, headers: HeaderMap) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    match manager(&data, &v, &tr).await {
        Ok((user, org)) => page(&data, &v, &tr, &user, &org, None, None).await,
        Err(resp) => resp,
    }
}

/// The fields of a urlencoded form body (repeated names kept).
fn fields(body: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn field<'a>(f: &'a [(String, String)], name: &str) -> &'a str {
    f.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_default()
}

/// The CSRF check and the staff check of a form.
#[allow(clippy::result_large_err)]
async fn posting(
    data: &Ctx,
    headers: &HeaderMap,
    f: &[(String, String)],
) -> Result<(Viewer, Tr, User, Organisation), Response> {
    let (v, tr) = viewer_tr(data, headers).await;
    if let Err(why) = csrf::check(&data.base, headers, &v, field(f, "csrf")) {
        return Err(csrf_refused(data, &v, &tr, why, "/staff/webhooks"));
    }
    let (user, org) = manager(data, &v, &tr).await?;
    Ok((v, tr, user, org))
}

/// What a refused form shows: the status and the action's own message.
fn refusal(e: &AppError) -> Option<(StatusCode, String)> {
    match e {
        AppError::Invalid(m) => Some((StatusCode::UNPROCESSABLE_ENTITY, m.clone())),
        AppError::NotFound(m) => Some((StatusCode::NOT_FOUND, m.clone())),
        _ => None,
    }
}

/// `POST /staff/webhooks`: adds an endpoint; the page shows its secret once.
pub async fn create(data: Ctx, headers: HeaderMap, body: String) -> Response {
    let f = fields(&body);
    let (v, tr, user, org) = match posting(&data, &headers, &f).await {
        Ok(p) => p,
        Err(resp) => return resp,
    };
    let url = field(&f, "url").to_string();
    let events: Vec<String> = f
        .iter()
        .filter(|(k, _)| k == "events")
        .map(|(_, v)| v.clone())
        .collect();
    match act::create(&data, &user, org.id, &url, &events).await {
        Ok((_, secret)) => page(&data, &v, &tr, &user, &org, Some(secret.secret), None).await,
        Err(e) => match refusal(&e) {
            Some((s, m)) => page(&data, &v, &tr, &user, &org, None, Some((s, m, url))).await,
            None => error_page(&data, &v, &tr, &e),
        },
    }
}

/// `POST /staff/webhooks/{id}/{op}`: `rotate` (the page shows the new secret once),
/// `remove-secret` (field `secret`), `enable`, `disable`, `delete`, `redeliver` (field
/// `delivery`; back to the log).
pub async fn act_on(
    data: Ctx,
    headers: HeaderMap,
    Path((id, op)): Path<(i64, String)>,
    body: String,
) -> Response {
    let f = fields(&body);
    let (v, tr, user, org) = match posting(&data, &headers, &f).await {
        Ok(p) => p,
        Err(resp) => return resp,
    };
    let num = |name: &str| field(&f, name).parse::<i64>().unwrap_or(0);
    let done = match op.as_str() {
        "rotate" => match act::rotate(&data, &user, org.id, id).await {
            Ok(s) => return page(&data, &v, &tr, &user, &org, Some(s.secret), None).await,
            Err(e) => Err(e),
        },
        "remove-secret" => act::remove_secret(&data, &user, org.id, id, num("secret")).await,
        "enable" | "disable" => act::set_enabled(&data, &user, org.id, id, op == "enable")
            .await
            .map(|_| ()),
        "delete" => act::delete(&data, &user, org.id, id).await,
        "redeliver" => {
            return match act::redeliver(&data, &user, org.id, id, num("delivery")).await {
                Ok(()) => redirect(&format!("/staff/webhooks/{id}")),
                Err(e) => error_page(&data, &v, &tr, &e),
            }
        }
        _ => Err(AppError::NotFound("no such form".into())),
    };
    match done {
        Ok(()) => redirect("/staff/webhooks"),
        Err(e) => match refusal(&e) {
            Some((s, m)) => {
                page(
                    &data,
                    &v,
                    &tr,
                    &user,
                    &org,
                    None,
                    Some((s, m, String::new())),
                )
                .await
            }
            None => error_page(&data, &v, &tr, &e),
        },
    }
}

/// `GET /staff/webhooks/{id}`: the endpoint's delivery log.
pub async fn log(data: Ctx, headers: HeaderMap, Path(id): Path<i64>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let (user, org) = match manager(&data, &v, &tr).await {
        Ok(m) => m,
        Err(resp) => return resp,
    };
    let (ep, rows) = match act::log(&data, &user, org.id, id).await {
        Ok(l) => l,
        Err(e) => return error_page(&data, &v, &tr, &e),
    };
    let rows = rows
        .iter()
        .map(|d| DeliveryRow {
            id: d.id.to_string(),
            webhook_id: message_id(d.id),
            event_type: d.event_type.clone(),
            status: tr.t(&format!("webhooks-status-{}", d.status)),
            attempts: d.attempts,
            response_code: d.response_code.map(|c| c.to_string()).unwrap_or_default(),
            last_error: d.last_error.clone().unwrap_or_default(),
            date: date_ms(d.created_at),
        })
        .collect();
    let p = LogPage {
        l: Layout::new(&data, &v, &tr, tr.t("webhooks-log-title")),
        id: ep.id.to_string(),
        url: ep.url,
        rows,
    };
    respond(&data, &v, StatusCode::OK, &p)
}
