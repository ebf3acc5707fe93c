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
pub struct FieldErrors(Vec<(&'static str, String)>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message: String) {
        self.0.push((field, message));
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
