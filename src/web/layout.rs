//! What every page shares: the layout's data (language, site name, the viewer, the CSRF
//! token, asset URLs), the response headers of a page (a strict CSP among them) and the
//! readable error page.

use super::i18n::Tr;
use super::session::{anon_cookie, Viewer};
use super::{assets, csrf};
use crate::error::AppError;
use crate::state::Ctx;
use askama::Template;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The Content-Security-Policy of every page: no inline script or style; scripts may
/// only talk to this site (htmx sends the forms of the thread page).
pub const CSP: &str =
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; \
    img-src 'self' https: data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The data of `templates/base.html`.
pub struct Layout {
    pub tr: Tr,
    pub site: String,
    /// The page's title (the site name follows it in `<title>`).
    pub title: String,
    /// The signed-in user's name.
    pub user: Option<String>,
    /// The signed-in user is an admin (the header links to the admin console).
    pub admin: bool,
    /// The signed-in user's unread notifications.
    pub unread: i64,
    /// The signed-in user is staff of an organisation (the header links the staff inbox).
    pub staff: bool,
    /// Render the header's notifications link for an htmx out-of-band swap.
    pub unread_oob: bool,
    pub csrf: String,
    pub open_registrations: bool,
    /// What the header's search box shows.
    pub q: String,
    pub css: String,
    pub js: String,
    pub htmx: String,
}

impl Layout {
    pub fn new(data: &Ctx, viewer: &Viewer, tr: &Tr, title: String) -> Layout {
        Layout {
            tr: tr.clone(),
            site: data.instance.get().name.clone(),
            title,
            user: viewer.username().map(str::to_string),
            admin: viewer.user.as_ref().is_some_and(|(u, _)| u.is_admin),
            unread: viewer.unread,
            staff: viewer
                .user
                .as_ref()
                .is_some_and(|(u, _)| u.organisation_id.is_some()),
            unread_oob: false,
            csrf: csrf::token(viewer),
            open_registrations: data.instance.get().registrations
                != crate::domain::instance::Registrations::Closed,
            q: String::new(),
            css: assets::url(assets::CSS),
            js: assets::url(assets::JS),
            htmx: assets::url(assets::HTMX),
        }
    }

    pub fn lang(&self) -> &'static str {
        self.tr.code()
    }

    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }

    /// (Templates pass numbers by reference or by value.)
    pub fn n(&self, key: &str, n: impl std::borrow::Borrow<i64>) -> String {
        self.tr.n(key, *n.borrow())
    }

    pub fn s(&self, key: &str, value: &str) -> String {
        self.tr.s(key, value)
    }
}

/// A rendered page with the headers every page carries.
pub fn respond(data: &Ctx, viewer: &Viewer, status: StatusCode, page: &impl Template) -> Response {
    let html = match page.render() {
        Ok(h) => h,
        Err(e) => {
            tracing::error!("rendering a page failed: {e}");
            return (StatusCode::INTERNAL_SERVER_ERROR, "page rendering failed").into_response();
        }
    };
    let mut resp = (status, html).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    add_page_headers(h);
    if viewer.new_anon {
        h.append(
            header::SET_COOKIE,
            anon_cookie(&data.settings, &viewer.anon),
        );
    }
    resp
}

/// Security and caching headers of pages (and of redirects answering forms).
pub fn add_page_headers(h: &mut HeaderMap) {
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    h.insert(
        header::VARY,
        HeaderValue::from_static("Accept, Accept-Language, Cookie"),
    );
}

/// A `303 See Other` to `to` (after a form was handled).
pub fn redirect(to: &str) -> Response {
    let mut resp = StatusCode::SEE_OTHER.into_response();
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(to) {
        h.insert(header::LOCATION, v);
    }
    add_page_headers(h);
    resp
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    l: Layout,
    message: String,
}

/// A readable error page for `err`: its status, and a message of our own (the error's
/// detail, which may hold remote content, goes to the log only).
pub fn error_page(data: &Ctx, viewer: &Viewer, tr: &Tr, err: &AppError) -> Response {
    let status = err.status();
    let key = match status {
        StatusCode::NOT_FOUND => "error-not-found",
        StatusCode::GONE => "error-gone",
        StatusCode::FORBIDDEN => "error-forbidden",
        StatusCode::UNAUTHORIZED => "error-unauthorized",
        StatusCode::TOO_MANY_REQUESTS => "error-too-many",
        s if s.is_client_error() => "error-bad-request",
        _ => "error-internal",
    };
    if status.is_server_error() {
        tracing::error!("page failed: {err}");
    } else {
        tracing::debug!("page refused: {err}");
    }
    let page = ErrorPage {
        l: Layout::new(data, viewer, tr, tr.t(&format!("{key}-title"))),
        message: tr.t(&format!("{key}-message")),
    };
    respond(data, viewer, status, &page)
}
