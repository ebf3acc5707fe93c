//! The admin console: pages for the instance's admins only. Everyone else (signed out
//! too) gets the 403 page, for the pages and their forms alike; the rule is the actions'
//! own ([`crate::actions::rules::require_admin`]).

pub mod federation;
pub mod group_delete;
pub mod instance;
pub mod orgs;
pub mod people;
pub mod person;
pub mod remote;

use crate::db::models::{Actor, User};
use crate::error::AppError;
use crate::state::Ctx;
use crate::web::i18n::Tr;
use crate::web::layout::error_page;
use crate::web::session::Viewer;
use axum::response::Response;

/// The signed-in admin, or the 403 page.
#[allow(clippy::result_large_err)]
pub fn admin<'v>(data: &Ctx, v: &'v Viewer, tr: &Tr) -> Result<(&'v User, &'v Actor), Response> {
    let refused = || {
        let err = AppError::Forbidden("the admin console is for admins".into());
        error_page(data, v, tr, &err)
    };
    match &v.user {
        Some((user, actor)) if crate::actions::rules::require_admin(user).is_ok() => {
            Ok((user, actor))
        }
        _ => Err(refused()),
    }
}
