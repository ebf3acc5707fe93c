//! Browser sessions: the API's session tokens (stored hashed) in an `HttpOnly` cookie,
//! and a random per-browser cookie before signing in (it keys the CSRF token of the
//! sign-in and registration forms).

use super::i18n::Tr;
use crate::config::Settings;
use crate::db::models::{Actor, User};
use crate::db::queries;
use crate::domain::accounts;
use crate::state::Ctx;
use axum::http::{header, HeaderMap, HeaderValue};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};

pub const SESSION_COOKIE: &str = "pd_session";
pub const ANON_COOKIE: &str = "pd_anon";
/// How long a browser keeps the session cookie.
const SESSION_MAX_AGE: i64 = 30 * 24 * 3600;

/// Who is looking at a page.
pub struct Viewer {
    pub user: Option<(User, Actor)>,
    /// The session token of a signed-in viewer.
    pub token: Option<String>,
    /// The pre-session cookie's value (sent, or new and to be set).
    pub anon: String,
    /// Whether `anon` is new: the response sets the cookie.
    pub new_anon: bool,
    /// The page language the signed-in user chose (`None`: the browser's).
    pub language: Option<String>,
    /// The signed-in user's unread notifications (shown in every page's header).
    pub unread: i64,
}

impl Viewer {
    pub fn username(&self) -> Option<&str> {
        self.user.as_ref().map(|(u, _)| u.username.as_str())
    }
}

/// A cookie's value from the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty() && v.len() <= 200)
}

/// The viewer of a request and the language of the response: the signed-in user's
/// chosen language, else the browser's (`Accept-Language`).
pub async fn viewer_tr(data: &Ctx, headers: &HeaderMap) -> (Viewer, Tr) {
    let v = viewer(data, headers).await;
    let tr = match &v.language {
        Some(lang) => Tr::new(lang),
        None => Tr::from_headers(headers),
    };
    (v, tr)
}

/// The viewer of a request: signed in when the session cookie holds a valid token (an
/// expired or revoked one counts as signed out).
pub async fn viewer(data: &Ctx, headers: &HeaderMap) -> Viewer {
    let mut user = None;
    let mut token = None;
    if let Some(t) = cookie(headers, SESSION_COOKIE) {
        match accounts::authenticate(data, &t).await {
            Ok(found) => {
                user = Some(found);
                token = Some(t);
            }
            Err(crate::error::AppError::Unauthenticated(_)) => {}
            Err(e) => tracing::warn!("reading a session failed: {e}"),
        }
    }
    let (mut language, mut unread) = (None, 0);
    if let Some((u, _)) = &user {
        // One primary-key read and one count on the partial index of unread ones.
        let id = u.id;
        let found = data
            .db
            .run(move |c| {
                Ok((
                    queries::user_settings::language(c, id)?,
                    queries::notifications::unread_count(c, id)?,
                ))
            })
            .await;
        match found {
            Ok(f) => (language, unread) = f,
            Err(e) => tracing::warn!("reading a user's settings failed: {e}"),
        }
    }
    let (anon, new_anon) = match cookie(headers, ANON_COOKIE) {
        Some(a) => (a, false),
        None => (URL_SAFE_NO_PAD.encode(rand::random::<[u8; 24]>()), true),
    };
    Viewer {
        user,
        token,
        anon,
        new_anon,
        language,
        unread,
    }
}

fn attributes(settings: &Settings) -> &'static str {
    if settings.insecure_federation {
        "HttpOnly; SameSite=Lax; Path=/"
    } else {
        "HttpOnly; Secure; SameSite=Lax; Path=/"
    }
}

fn header_value(s: String) -> HeaderValue {
    HeaderValue::from_str(&s).expect("cookie values are URL-safe base64")
}

/// `Set-Cookie` for a new session.
pub fn session_cookie(settings: &Settings, token: &str) -> HeaderValue {
    header_value(format!(
        "{SESSION_COOKIE}={token}; Max-Age={SESSION_MAX_AGE}; {}",
        attributes(settings)
    ))
}

/// `Set-Cookie` that ends the session in the browser.
pub fn clear_session_cookie(settings: &Settings) -> HeaderValue {
    header_value(format!(
        "{SESSION_COOKIE}=; Max-Age=0; {}",
        attributes(settings)
    ))
}

/// `Set-Cookie` for the pre-session cookie (a browser session cookie).
pub fn anon_cookie(settings: &Settings, value: &str) -> HeaderValue {
    header_value(format!("{ANON_COOKIE}={value}; {}", attributes(settings)))
}
