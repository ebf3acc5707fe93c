//! The pages, one module each, and what several of them show (question list items,
//! authors with their staff marks, dates).

pub mod account;
pub mod admin;
pub mod ask;
pub mod blocks;
pub mod cases;
pub mod cases_staff;
pub mod email;
pub mod embed;
pub mod feeds;
pub mod group;
pub mod home;
pub mod ideas;
pub mod interests;
pub mod kb;
pub mod messages;
pub mod metrics;
pub mod mod_escalation;
pub mod mod_members;
pub mod mod_people;
pub mod mod_roles;
pub mod mod_settings;
pub mod mod_widget;
pub mod moderation;
pub mod modlog;
pub mod notifications;
pub mod personal_data;
pub mod post_forms;
pub mod post_moderate;
pub mod profile;
pub mod remote_follow;
pub mod search;
pub mod search_open;
pub mod seo;
pub mod settings;
pub mod staff;
pub mod staff_listening;
pub mod staff_webhooks;
pub mod survey;
pub mod thread;
pub mod thread_forms;

use crate::error::AppError;
use crate::read::actors::ActorView;
use crate::read::posts::PostView;
use crate::state::Ctx;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};

/// Whether a request is a browser's asking for a page (rather than an API client's).
pub fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

/// The answer to an unknown path: a readable page for browsers, JSON for the rest.
pub async fn not_found(data: Ctx, headers: HeaderMap) -> Response {
    let err = AppError::NotFound("no such page or endpoint".into());
    if !wants_html(&headers) {
        return err.into_response();
    }
    let (v, tr) = crate::web::session::viewer_tr(&data, &headers).await;
    crate::web::layout::error_page(&data, &v, &tr, &err)
}

/// An author as pages show one: local authors link to their profile here, remote ones
/// to their profile on their own server.
pub struct Author {
    pub handle: String,
    pub href: String,
    pub local: bool,
    /// Staff of an organisation: (organisation, verified).
    pub staff: Option<(String, bool)>,
    /// The community roles they hold in the group of the page (titles beside the name).
    pub roles: Vec<String>,
}

impl Author {
    pub fn new(a: &ActorView) -> Author {
        let href = if a.local {
            format!("/u/{}", a.name)
        } else {
            a.url
                .clone()
                .filter(|u| is_http(u))
                .unwrap_or_else(|| a.id.clone())
        };
        Author {
            handle: a.handle.clone(),
            href: if is_http(&href) || href.starts_with('/') {
                href
            } else {
                String::new()
            },
            local: a.local,
            staff: a
                .staff
                .as_ref()
                .map(|s| (s.organisation.clone(), s.verified)),
            roles: Vec::new(),
        }
    }
}

fn is_http(u: &str) -> bool {
    u.starts_with("https://") || u.starts_with("http://")
}

/// One question in a list.
pub struct QuestionItem {
    pub href: String,
    pub title: String,
    pub score: i64,
    pub answers: i64,
    pub solved: bool,
    pub locked: bool,
    pub tags: Vec<String>,
    pub author: Author,
    pub group: String,
    /// Where a tag links to (the group's list filtered by it), followed by the tag; empty
    /// for groups elsewhere.
    pub tag_base: String,
    pub published: String,
    pub date: String,
    /// An idea's status: (value, name), shown as a badge.
    pub idea: Option<(String, String)>,
}

impl QuestionItem {
    pub fn new(p: &PostView, local_domain: &str) -> QuestionItem {
        let group = p.group.clone().unwrap_or_default();
        let tag_base = match group.rsplit_once('@') {
            Some((name, host)) if host == local_domain => format!("/g/{name}?tag="),
            _ => String::new(),
        };
        QuestionItem {
            tag_base,
            href: format!("/q/{}", p.id),
            title: p.title.clone().unwrap_or_default(),
            score: p.score.into(),
            answers: p.answer_count.into(),
            solved: p.accepted_answer_id.is_some(),
            locked: p.locked,
            tags: p.tags.clone(),
            author: Author::new(&p.author),
            group,
            date: date(&p.published),
            published: p.published.clone(),
            idea: None,
        }
    }
}

/// The day of an RFC 3339 time (`2026-12-02`).
pub fn date(rfc3339: &str) -> String {
    rfc3339.chars().take(10).collect()
}

/// The day of a time in ms since the epoch.
pub fn date_ms(ms: i64) -> String {
    date(&crate::db::rfc3339(ms))
}

/// Query parameters for a link: `key=value` pairs, percent-encoded.
pub fn query_string(pairs: &[(&str, &str)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        if !v.is_empty() {
            s.append_pair(k, v);
        }
    }
    s.finish()
}
