//! `POST /block` and `POST /unblock`: a person blocks or unblocks someone from their
//! profile, a conversation or the list of people they blocked (`/messages`), then goes
//! back there. The rules are the action's (`actions::blocks`), the same as the API's.

use crate::actions::blocks;
use crate::federation::follow::resolve_name;
use crate::state::Ctx;
use crate::web::csrf;
use crate::web::form::{csrf_refused, signin_to};
use crate::web::layout::{error_page, redirect};
use crate::web::session::viewer_tr;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BlockForm {
    pub csrf: String,
    /// `name`, `name@domain` or an actor URL.
    pub person: String,
    /// A path of this site to go back to.
    pub back: String,
}

impl BlockForm {
    fn back(&self) -> &str {
        let local = self.back.starts_with('/') && !self.back.starts_with("//");
        if local && !self.back.contains('\\') {
            &self.back
        } else {
            "/messages"
        }
    }
}

/// `POST /block`.
pub async fn block(data: Ctx, headers: HeaderMap, Form(form): Form<BlockForm>) -> Response {
    change(data, headers, form, true).await
}

/// `POST /unblock`.
pub async fn unblock(data: Ctx, headers: HeaderMap, Form(form): Form<BlockForm>) -> Response {
    change(data, headers, form, false).await
}

async fn change(data: Ctx, headers: HeaderMap, form: BlockForm, block: bool) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let back = form.back().to_string();
    if let Err(why) = csrf::check(&data.base, &headers, &v, &form.csrf) {
        return csrf_refused(&data, &v, &tr, why, &back);
    }
    let Some((_, me)) = &v.user else {
        return redirect(&signin_to(&back));
    };
    let done = match resolve_name(&data, form.person.trim()).await {
        Ok(other) if block => blocks::block(&data, me, &other).await,
        Ok(other) => blocks::unblock(&data, me, &other).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(()) => redirect(&back),
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}
