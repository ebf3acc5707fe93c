//! Email in the browser: the address setting (`/settings/email`), the verification link,
//! "Forgot password?" and the reset form, and the unsubscribe link of notification
//! emails. They call `domain::email`, as the API does.

use super::account::{form_message, signed_in};
use crate::db::notification_kinds::Kind;
use crate::domain::accounts::{MAX_PASSWORD, MIN_PASSWORD};
use crate::domain::email::{self, AddressState};
use crate::error::AppError;
use crate::read::client::ClientAddr;
use crate::state::Ctx;
use crate::web::csrf;
use crate::web::form::{csrf_refused, FieldErrors};
use crate::web::i18n::Tr;
use crate::web::layout::{error_page, redirect, respond, Layout};
use crate::web::session::{viewer, Viewer};
use askama::Template;
use axum::extract::Query;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

/// A refusal's status on a page, with `Retry-After` when limited.
fn status_of(resp: &mut Response, e: &AppError) {
    *resp.status_mut() = e.status();
    if let AppError::RateLimited {
        retry_after_secs, ..
    } = e
    {
        if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenQuery {
    pub t: String,
    pub done: Option<String>,
}

#[derive(Template)]
#[template(path = "email_settings.html")]
struct Settings {
    l: Layout,
    enabled: bool,
    email: String,
    current: AddressState,
    sent: bool,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "email_message.html")]
struct Message {
    l: Layout,
    message: String,
    link: String,
    link_label: String,
}

fn message(
    data: &Ctx,
    v: &Viewer,
    tr: &Tr,
    status: StatusCode,
    title: &str,
    text: &str,
    link: (&str, &str),
) -> Response {
    let page = Message {
        l: Layout::new(data, v, tr, tr.t(title)),
        message: tr.t(text),
        link: link.0.to_string(),
        link_label: tr.t(link.1),
    };
    respond(data, v, status, &page)
}

async fn render_settings(
    data: &Ctx,
    v: &Viewer,
    tr: &Tr,
    email: Option<String>,
    sent: bool,
    errors: FieldErrors,
) -> Response {
    let Some((user, _)) = &v.user else {
        return redirect("/signin");
    };
    let current = match email::address(data, user.id).await {
        Ok(c) => c,
        Err(e) => return error_page(data, v, tr, &e),
    };
    let email = email.unwrap_or_else(|| match &current {
        AddressState::None => String::new(),
        AddressState::Unverified(a) | AddressState::Verified(a) => a.clone(),
    });
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = Settings {
        l: Layout::new(data, v, tr, tr.t("email-title")),
        enabled: data.settings.mail_enabled(),
        email,
        current,
        sent,
        errors,
    };
    respond(data, v, status, &page)
}

pub async fn settings_form(data: Ctx, headers: HeaderMap, Query(q): Query<TokenQuery>) -> Response {
    let (v, tr) = (viewer(&data, &headers).await, Tr::from_headers(&headers));
    render_settings(
        &data,
        &v,
        &tr,
        None,
        q.done.is_some(),
        FieldErrors::default(),
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EmailForm {
    pub csrf: String,
    pub email: String,
}

pub async fn set_address(data: Ctx, headers: HeaderMap, Form(f): Form<EmailForm>) -> Response {
    let (v, tr) = (viewer(&data, &headers).await, Tr::from_headers(&headers));
    if let Err(why) = csrf::check(&data.base, &headers, &v, &f.csrf) {
        return csrf_refused(&data, &v, &tr, why, "/settings/email");
    }
    let Some((user, _)) = &v.user else {
        return redirect("/signin");
    };
    match email::set_address(&data, user, &f.email, tr.code()).await {
        Ok(AddressState::Unverified(_)) => redirect("/settings/email?done=1"),
        Ok(_) => redirect("/settings/email"),
        Err(e) => {
            let mut errors = FieldErrors::default();
            match &e {
                AppError::Invalid(_) => errors.add("email", tr.t("email-invalid")),
                AppError::Conflict(_) => errors.add("email", tr.t("email-taken")),
                AppError::Forbidden(_) => errors.add("email", tr.t("email-disabled")),
                _ => errors.add("email", form_message(&tr, &e, "error-bad-request-message")),
            }
            let mut resp = render_settings(&data, &v, &tr, Some(f.email), false, errors).await;
            status_of(&mut resp, &e);
            resp
        }
    }
}

/// The link of a verification email: verifies the address (once).
pub async fn verify(data: Ctx, headers: HeaderMap, Query(q): Query<TokenQuery>) -> Response {
    let (v, tr) = (viewer(&data, &headers).await, Tr::from_headers(&headers));
    let link = if v.user.is_some() {
        ("/settings/email", "email-title")
    } else {
        ("/signin", "nav-signin")
    };
    match email::verify(&data, &q.t).await {
        Ok(_) => message(
            &data,
            &v,
            &tr,
            StatusCode::OK,
            "email-verified-title",
            "email-verified-text",
            link,
        ),
        Err(e) if e.status().is_client_error() => message(
            &data,
            &v,
            &tr,
            StatusCode::BAD_REQUEST,
            "email-link-failed-title",
            "email-verify-failed-text",
            link,
        ),
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}

#[derive(Template)]
#[template(path = "forgot.html")]
struct Forgot {
    l: Layout,
    enabled: bool,
    who: String,
    sent: bool,
    errors: FieldErrors,
}

fn render_forgot(
    data: &Ctx,
    v: &Viewer,
    tr: &Tr,
    who: String,
    sent: bool,
    errors: FieldErrors,
) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = Forgot {
        l: Layout::new(data, v, tr, tr.t("forgot-title")),
        enabled: data.settings.mail_enabled(),
        who,
        sent,
        errors,
    };
    respond(data, v, status, &page)
}

pub async fn forgot_form(data: Ctx, headers: HeaderMap, Query(q): Query<TokenQuery>) -> Response {
    let (v, tr) = (viewer(&data, &headers).await, Tr::from_headers(&headers));
    render_forgot(
        &data,
        &v,
        &tr,
        String::new(),
        q.done.is_some(),
        FieldErrors::default(),
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ForgotForm {
    pub csrf: String,
    pub who: String,
}

pub async fn forgot(
    data: Ctx,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    Form(f): Form<ForgotForm>,
) -> Response {
    let (v, tr) = (viewer(&data, &headers).await, Tr::from_headers(&headers));
    if let Err(why) = csrf::check(&data.base, &headers, &v, &f.csrf) {
        return csrf_refused(&data, &v, &tr, why, "/password/forgot");
    }
    match email::forgot_password(&data, client, &f.who).await {
        Ok(()) => redirect("/password/forgot?done=1"),
        Err(e) => {
            let mut errors = FieldErrors::default();
            match &e {
                AppError::Invalid(_) => errors.add("who", tr.t("forgot-empty")),
                AppError::Forbidden(_) => errors.add("", tr.t("email-disabled")),
                _ => errors.add("", form_message(&tr, &e, "error-bad-request-message")),
            }
            let mut resp = render_forgot(&data, &v, &tr, f.who, false, errors);
            status_of(&mut resp, &e);
            resp
        }
    }
}

#[derive(Template)]
#[template(path = "reset.html")]
struct Reset {
    l: Layout,
    token: String,
    min_password: i64,
    errors: FieldErrors,
}

fn render_reset(data: &Ctx, v: &Viewer, tr: &Tr, token: String, errors: FieldErrors) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = Reset {
        l: Layout::new(data, v, tr, tr.t("reset-title")),
        token,
        min_password: MIN_PASSWORD as i64,
        errors,
    };
    respond(data, v, status, &page)
}

fn reset_link_failed(data: &Ctx, v: &Viewer, tr: &Tr) -> Response {
    message(
        data,
        v,
        tr,
        StatusCode::BAD_REQUEST,
        "email-link-failed-title",
        "reset-invalid",
        ("/password/forgot", "reset-again"),
    )
}

/// The reset link of an email: the form to choose a new password (the link is used only
/// when the form is sent).
pub async fn reset_form(data: Ctx, headers: HeaderMap, Query(q): Query<TokenQuery>) -> Response {
    let (v, tr) = (viewer(&data, &headers).await, Tr::from_headers(&headers));
    match email::reset_token_valid(&data, &q.t).await {
        Ok(true) => render_reset(&data, &v, &tr, q.t, FieldErrors::default()),
        Ok(false) => reset_link_failed(&data, &v, &tr),
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResetForm {
    pub csrf: String,
    pub token: String,
    pub password: String,
}

pub async fn reset(data: Ctx, headers: HeaderMap, Form(f): Form<ResetForm>) -> Response {
    let (v, tr) = (viewer(&data, &headers).await, Tr::from_headers(&headers));
    if let Err(why) = csrf::check(&data.base, &headers, &v, &f.csrf) {
        return csrf_refused(&data, &v, &tr, why, "/password/forgot");
    }
    let mut errors = FieldErrors::default();
    if f.password.chars().count() < MIN_PASSWORD {
        errors.add("password", tr.n("password-too-short", MIN_PASSWORD as i64));
    } else if f.password.len() > MAX_PASSWORD {
        errors.add("password", tr.n("password-too-long", MAX_PASSWORD as i64));
    }
    if !errors.is_empty() {
        return render_reset(&data, &v, &tr, f.token, errors);
    }
    match email::reset_password(&data, &f.token, &f.password).await {
        Ok((token, user)) => signed_in(&data, &token, &user.username),
        Err(AppError::Invalid(_)) => reset_link_failed(&data, &v, &tr),
        Err(e) => {
            errors.add("", form_message(&tr, &e, "error-bad-request-message"));
            let mut resp = render_reset(&data, &v, &tr, f.token, errors);
            status_of(&mut resp, &e);
            resp
        }
    }
}

#[derive(Template)]
#[template(path = "unsubscribe.html")]
struct Unsubscribe {
    l: Layout,
    token: String,
    what: String,
}

/// The unsubscribe link of a notification email: what it turns off and a button (a
/// link scanner's GET changes nothing).
pub async fn unsubscribe_form(
    data: Ctx,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
) -> Response {
    let (v, tr) = (viewer(&data, &headers).await, Tr::from_headers(&headers));
    if q.done.is_some() {
        return message(
            &data,
            &v,
            &tr,
            StatusCode::OK,
            "unsubscribe-title",
            "unsubscribe-done",
            ("/settings/email", "email-title"),
        );
    }
    match email::check_unsubscribe(&data, &q.t) {
        Ok((_, kind)) => {
            let page = Unsubscribe {
                l: Layout::new(&data, &v, &tr, tr.t("unsubscribe-title")),
                token: q.t,
                what: kind_label(&tr, kind),
            };
            respond(&data, &v, StatusCode::OK, &page)
        }
        Err(_) => message(
            &data,
            &v,
            &tr,
            StatusCode::BAD_REQUEST,
            "email-link-failed-title",
            "unsubscribe-invalid",
            ("/", "error-home-link"),
        ),
    }
}

fn kind_label(tr: &Tr, kind: Option<Kind>) -> String {
    match kind {
        Some(k) => tr.t(&format!("mail-kind-{}", k.as_str())),
        None => tr.t("mail-kind-all"),
    }
}

/// Unsubscribes: the page's button and mail clients' one-click `POST` (RFC 8058, the
/// token in the URL; the body, of whatever type, is only searched for a `t` field). The
/// signed token is the authority: no session or CSRF token.
pub async fn unsubscribe(
    data: Ctx,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
    body: axum::body::Bytes,
) -> Response {
    let from_body = url::form_urlencoded::parse(&body)
        .find(|(k, _)| k == "t")
        .map(|(_, v)| v.into_owned());
    let (v, tr) = (viewer(&data, &headers).await, Tr::from_headers(&headers));
    let token = from_body.filter(|t| !t.is_empty()).unwrap_or(q.t);
    match email::unsubscribe(&data, &token).await {
        Ok(_) => redirect("/email/unsubscribe?done=1"),
        Err(e) if e.status().is_client_error() => message(
            &data,
            &v,
            &tr,
            StatusCode::BAD_REQUEST,
            "email-link-failed-title",
            "unsubscribe-invalid",
            ("/", "error-home-link"),
        ),
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}
