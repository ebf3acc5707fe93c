//! Accounts in the browser: register, sign in, sign out, change password. They call the
//! functions the API calls (`domain::accounts`), with the same validation and limits.

use crate::domain::accounts::{self, MAX_PASSWORD, MIN_PASSWORD};
use crate::error::AppError;
use crate::read::client::ClientAddr;
use crate::state::Ctx;
use crate::web::csrf;
use crate::web::form::{csrf_refused, local_path, FieldErrors};
use crate::web::i18n::Tr;
use crate::web::layout::{redirect, respond, Layout};
use crate::web::session::{self, viewer_tr, Viewer};
use askama::Template;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CredentialsForm {
    pub csrf: String,
    pub username: String,
    pub password: String,
    /// Optional on sign-up (a verification email is sent to it).
    pub email: String,
    /// Where to go after signing in (a local path only; see `form::local_path`).
    pub next: String,
    /// The invitation code, when registration is by invitation.
    pub invite: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NextQuery {
    pub next: String,
}

#[derive(Template)]
#[template(path = "signin.html")]
struct SignIn {
    l: Layout,
    /// Whether "Forgot password?" is offered (the instance sends email).
    mail: bool,
    username: String,
    next: String,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "signup.html")]
struct SignUp {
    l: Layout,
    open: bool,
    /// Registration is by invitation: the form asks for the code.
    invite_only: bool,
    invite: String,
    /// Whether the optional email field is offered.
    mail: bool,
    username: String,
    email: String,
    min_password: i64,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "password.html")]
struct Password {
    l: Layout,
    username: String,
    done: bool,
    min_password: i64,
    errors: FieldErrors,
}

/// Signs the browser in with a new session token: a `303` to the profile.
pub(crate) fn signed_in(data: &Ctx, token: &str, username: &str) -> Response {
    let mut resp = redirect(&format!("/u/{username}"));
    resp.headers_mut().append(
        header::SET_COOKIE,
        session::session_cookie(&data.settings, token),
    );
    resp
}

/// The search results this browser opened before signing in count as the person's.
async fn claim_clicks(data: &Ctx, v: &Viewer, actor: i64) {
    if let Err(e) = crate::actions::search_clicks::claim(data, &v.anon, actor).await {
        tracing::warn!("claiming search clicks failed: {e}");
    }
}

fn render_signin(
    data: &Ctx,
    v: &Viewer,
    tr: &Tr,
    (username, next): (String, &str),
    errors: FieldErrors,
) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNAUTHORIZED
    };
    let page = SignIn {
        l: Layout::new(data, v, tr, tr.t("signin-title")),
        mail: data.settings.mail_enabled(),
        username,
        next: local_path(next).unwrap_or_default().to_string(),
        errors,
    };
    respond(data, v, status, &page)
}

pub async fn signin_form(
    data: Ctx,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<NextQuery>,
) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let form = (String::new(), q.next.as_str());
    render_signin(&data, &v, &tr, form, FieldErrors::default())
}

pub async fn signin(
    data: Ctx,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    Form(f): Form<CredentialsForm>,
) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    if let Err(why) = csrf::check(&data.base, &headers, &v, &f.csrf) {
        return csrf_refused(&data, &v, &tr, why, "/signin");
    }
    match accounts::login(&data, client, f.username.trim(), &f.password).await {
        Ok((token, user)) => {
            claim_clicks(&data, &v, user.actor_id).await;
            let mut resp = signed_in(&data, &token, &user.username);
            if let Some(next) = local_path(&f.next) {
                if let Ok(to) = axum::http::HeaderValue::from_str(next) {
                    resp.headers_mut().insert(header::LOCATION, to);
                }
            }
            resp
        }
        Err(e) => {
            let mut errors = FieldErrors::default();
            let message = match &e {
                // The right password for a suspended account.
                AppError::Forbidden(_) => tr.t("signin-suspended"),
                e => form_message(&tr, e, "signin-wrong"),
            };
            errors.add("", message);
            let form = (f.username, f.next.as_str());
            let mut resp = render_signin(&data, &v, &tr, form, errors);
            if let AppError::RateLimited { .. } = e {
                *resp.status_mut() = e.status();
            }
            resp
        }
    }
}

/// The readable message of a refusal; `fallback` is the form's own message for 4xx
/// refusals without one of their own.
pub(crate) fn form_message(tr: &Tr, e: &AppError, fallback: &str) -> String {
    match e {
        AppError::RateLimited { .. } => tr.t("form-too-many"),
        e if e.status().is_server_error() => {
            tracing::error!("form failed: {e}");
            tr.t("error-internal-message")
        }
        _ => tr.t(fallback),
    }
}

fn render_signup(
    data: &Ctx,
    v: &Viewer,
    tr: &Tr,
    (username, email, invite): (String, String, String),
    errors: FieldErrors,
) -> Response {
    use crate::domain::instance::Registrations;
    let registrations = data.instance.get().registrations;
    let open = registrations != Registrations::Closed;
    let status = if !open {
        StatusCode::FORBIDDEN
    } else if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = SignUp {
        l: Layout::new(data, v, tr, tr.t("signup-title")),
        open,
        invite_only: registrations == Registrations::Invite,
        invite,
        mail: data.settings.mail_enabled(),
        username,
        email,
        min_password: MIN_PASSWORD as i64,
        errors,
    };
    respond(data, v, status, &page)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InviteQuery {
    pub invite: String,
}

/// The sign-up form; `?invite=CODE` (an invitation link) fills in the code.
pub async fn signup_form(
    data: Ctx,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<InviteQuery>,
) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let fields = (String::new(), String::new(), q.invite);
    render_signup(&data, &v, &tr, fields, FieldErrors::default())
}

pub async fn signup(
    data: Ctx,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    Form(f): Form<CredentialsForm>,
) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    if let Err(why) = csrf::check(&data.base, &headers, &v, &f.csrf) {
        return csrf_refused(&data, &v, &tr, why, "/signup");
    }
    use crate::domain::instance::Registrations;
    let registrations = data.instance.get().registrations;
    if registrations == Registrations::Closed {
        let fields = (f.username, f.email, f.invite);
        return render_signup(&data, &v, &tr, fields, FieldErrors::default());
    }
    let username = f.username.trim().to_string();
    let mut errors = FieldErrors::default();
    if registrations == Registrations::Invite && f.invite.trim().is_empty() {
        errors.add("invite", tr.t("signup-invite-missing"));
    }
    if crate::domain::validate_name(&username).is_err() {
        errors.add("username", tr.t("signup-username-invalid"));
    }
    if f.password.chars().count() < MIN_PASSWORD {
        errors.add("password", tr.n("password-too-short", MIN_PASSWORD as i64));
    } else if accounts::check_password_length(&f.password).is_err() {
        errors.add("password", tr.n("password-too-long", MAX_PASSWORD as i64));
    }
    let wants_email = !f.email.trim().is_empty() && data.settings.mail_enabled();
    if wants_email && crate::domain::email::parse_address(&f.email).is_err() {
        errors.add("email", tr.t("email-invalid"));
    }
    if !errors.is_empty() {
        return render_signup(&data, &v, &tr, (f.username, f.email, f.invite), errors);
    }
    let invite = Some(f.invite.as_str()).filter(|_| registrations == Registrations::Invite);
    let result = accounts::register(&data, client, &username, &f.password, invite).await;
    match result {
        Ok((token, user, _)) => {
            claim_clicks(&data, &v, user.actor_id).await;
            if wants_email {
                // The account exists: a refused address (taken, limited) is left for
                // the email settings page rather than failing the sign-up.
                let set = crate::domain::email::set_address(&data, &user, &f.email, tr.code());
                if let Err(e) = set.await {
                    tracing::info!("address at sign-up not set: {e}");
                }
            }
            signed_in(&data, &token, &user.username)
        }
        Err(e) => {
            match &e {
                AppError::Conflict(_) => errors.add("username", tr.t("signup-username-taken")),
                AppError::Forbidden(_) if registrations == Registrations::Invite => {
                    errors.add("invite", tr.t("signup-invite-invalid"))
                }
                AppError::Invalid(_) | AppError::Forbidden(_) => {
                    errors.add("username", tr.t("signup-username-invalid"))
                }
                _ => errors.add("", form_message(&tr, &e, "error-bad-request-message")),
            }
            render_signup(&data, &v, &tr, (f.username, f.email, f.invite), errors)
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CsrfForm {
    pub csrf: String,
}

pub async fn signout(data: Ctx, headers: HeaderMap, Form(f): Form<CsrfForm>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let Some(token) = v.token.clone() else {
        return redirect("/");
    };
    if let Err(why) = csrf::check(&data.base, &headers, &v, &f.csrf) {
        return csrf_refused(&data, &v, &tr, why, "/");
    }
    if let Err(e) = accounts::logout(&data, &token).await {
        return crate::web::layout::error_page(&data, &v, &tr, &e);
    }
    let mut resp = redirect("/");
    resp.headers_mut().append(
        header::SET_COOKIE,
        session::clear_session_cookie(&data.settings),
    );
    resp
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    pub csrf: String,
    pub current: String,
    pub new: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    pub done: Option<String>,
}

fn render_password(data: &Ctx, v: &Viewer, tr: &Tr, done: bool, errors: FieldErrors) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = Password {
        l: Layout::new(data, v, tr, tr.t("password-title")),
        username: v.username().unwrap_or_default().to_string(),
        done,
        min_password: MIN_PASSWORD as i64,
        errors,
    };
    respond(data, v, status, &page)
}

pub async fn password_form(
    data: Ctx,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<DoneQuery>,
) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    if v.user.is_none() {
        return redirect("/signin");
    }
    render_password(&data, &v, &tr, q.done.is_some(), FieldErrors::default())
}

pub async fn change_password(
    data: Ctx,
    headers: HeaderMap,
    Form(f): Form<PasswordForm>,
) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    if let Err(why) = csrf::check(&data.base, &headers, &v, &f.csrf) {
        return csrf_refused(&data, &v, &tr, why, "/settings/password");
    }
    let (Some((user, _)), Some(token)) = (&v.user, &v.token) else {
        return redirect("/signin");
    };
    let mut errors = FieldErrors::default();
    if f.new.chars().count() < MIN_PASSWORD {
        errors.add("new", tr.n("password-too-short", MIN_PASSWORD as i64));
        return render_password(&data, &v, &tr, false, errors);
    }
    if accounts::check_password_length(&f.new).is_err() {
        errors.add("new", tr.n("password-too-long", MAX_PASSWORD as i64));
        return render_password(&data, &v, &tr, false, errors);
    }
    match accounts::change_password(&data, user, &f.current, &f.new, token).await {
        Ok(()) => redirect("/settings/password?done=1"),
        Err(e) => {
            match &e {
                AppError::Unauthenticated(_) | AppError::Invalid(_) => {
                    errors.add("current", tr.t("password-wrong-current"))
                }
                _ => errors.add("", form_message(&tr, &e, "error-bad-request-message")),
            }
            render_password(&data, &v, &tr, false, errors)
        }
    }
}
