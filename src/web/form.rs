//! How every form is handled, so the pages that change content follow one pattern:
//!
//! 1. parse the form (`axum::Form` of a struct whose fields default to empty);
//! 2. read the viewer from the session cookie and check the CSRF token
//!    ([`super::csrf::check`]); a refused post gets the readable CSRF page;
//! 3. call the same domain function or action the API calls;
//! 4. on success answer `303 See Other` to the result; on a refusal render the form again
//!    with what was typed (passwords excepted) and the message next to its field
//!    ([`FieldErrors`], shown with `aria-describedby` and `aria-invalid`).

use super::csrf::Refused;
use super::i18n::Tr;
use super::layout::{respond, Layout};
use super::session::Viewer;
use crate::state::Ctx;
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

/// Messages of a form, by field (`""` for the form as a whole), already translated.
#[derive(Default, Debug)]
pub struct FieldErrors(Vec<(String, String)>);

impl FieldErrors {
    pub fn add(&mut self, field: &str, message: String) {
        self.0.push((field.to_string(), message));
    }

    /// The message of a field.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[derive(Template)]
#[template(path = "csrf.html")]
struct CsrfPage {
    l: Layout,
    back: String,
}

/// The page a refused form post gets (403): what happened and a link back to the form.
pub fn csrf_refused(data: &Ctx, viewer: &Viewer, tr: &Tr, why: Refused, back: &str) -> Response {
    tracing::info!("form post refused: {why:?}");
    let page = CsrfPage {
        l: Layout::new(data, viewer, tr, tr.t("csrf-title")),
        back: back.to_string(),
    };
    respond(data, viewer, StatusCode::FORBIDDEN, &page)
}

/// `next` when it is a path on this site (`/…`, not `//host` or `/\\host`), for a
/// return-to after signing in; other sites are never a destination.
pub fn local_path(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && next.len() <= 1000
        && !next.chars().any(|c| c.is_control() || c == '\\');
    ok.then_some(next)
}

/// The sign-in page that comes back to `back` (a local path) afterwards.
pub fn signin_to(back: &str) -> String {
    match local_path(back) {
        Some(p) => format!(
            "/signin?{}",
            url::form_urlencoded::Serializer::new(String::new())
                .append_pair("next", p)
                .finish()
        ),
        None => "/signin".into(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_local_paths_are_return_targets() {
        use super::local_path;
        assert_eq!(local_path("/q/12#p3"), Some("/q/12#p3"));
        for bad in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "q/1",
            "",
            "/a\nb",
        ] {
            assert_eq!(local_path(bad), None, "{bad}");
        }
        assert_eq!(super::signin_to("/q/1"), "/signin?next=%2Fq%2F1");
        assert_eq!(super::signin_to("//x"), "/signin");
    }
}
