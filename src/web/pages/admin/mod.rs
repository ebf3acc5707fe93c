//! The admin console: pages for the instance's admins only. Everyone else (signed out
//! too) gets the 403 page, for the pages and their forms alike; the rule is the actions'
//! own ([`crate::actions::rules::require_admin`]).

pub mod federation;
pub mod group_delete;
pub mod instance;
pub mod orgs;
pub mod people;
pub mod person;
pub mod relays;
pub mod remote;

use crate::db::models::{Actor, User};
use crate::error::AppError;
use crate::state::Ctx;
use crate::web::i18n::Tr;
use crate::web::layout::error_page;
use crate::web::session::{viewer_tr, Viewer};
use axum::http::HeaderMap;
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

/// A form posted to the admin console by an admin, after its CSRF check.
pub struct AdminForm {
    pub v: Viewer,
    pub tr: Tr,
}

impl AdminForm {
    /// The admin who posted it.
    pub fn admin(&self) -> (&User, &Actor) {
        let (user, actor) = self.v.user.as_ref().expect("checked when made");
        (user, actor)
    }
}

/// Checks a form posted to the console: the page a failed CSRF check gives (with a link
/// back to `back`), or the 403 page for anyone but an admin.
#[allow(clippy::result_large_err)]
pub async fn admin_form(
    data: &Ctx,
    headers: &HeaderMap,
    sent_csrf: &str,
    back: &str,
) -> Result<AdminForm, Response> {
    let (v, tr) = viewer_tr(data, headers).await;
    if let Err(why) = crate::web::csrf::check(&data.base, headers, &v, sent_csrf) {
        return Err(crate::web::form::csrf_refused(data, &v, &tr, why, back));
    }
    admin(data, &v, &tr)?;
    Ok(AdminForm { v, tr })
}
