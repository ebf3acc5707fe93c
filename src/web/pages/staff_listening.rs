//! The staff console's listening queue (`/staff/listening`): the organisation's terms
//! (added and removed here), and the public posts from elsewhere that named one, with
//! their author, an excerpt, a link to the original and the term matched. Each can be
//! dismissed, marked handled, answered publicly from the staff member's own account, or
//! its author invited to ask in a group by a private message. Forms work without
//! JavaScript and are CSRF-protected; the rules are `actions::listening`' (the API's).

use super::date_ms;
use crate::actions::listening as act;
use crate::db::models::{Actor, Organisation, User};
use crate::error::AppError;
use crate::state::Ctx;
use crate::web::csrf;
use crate::web::form::csrf_refused;
use crate::web::i18n::Tr;
use crate::web::layout::{error_page, redirect, respond, Layout};
use crate::web::session::{viewer_tr, Viewer};
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

/// An item as the page shows it.
pub struct ItemRow {
    pub id: String,
    pub author: String,
    pub author_url: String,
    pub url: String,
    /// Sanitised when collected (ammonia).
    pub excerpt_html: String,
    pub term: String,
    pub date: String,
    pub replied: bool,
}

/// What a refused form had typed, to show it again: `form` is `terms`, `reply` or
/// `invite`, `item` the post's id for the last two.
#[derive(Default)]
pub struct Draft {
    pub form: String,
    pub item: String,
    /// The term, the reply or the invitation's message.
    pub text: String,
    pub group: String,
}

#[derive(Template)]
#[template(path = "staff_listening.html")]
struct ListeningPage {
    l: Layout,
    org: String,
    status: String,
    /// (id, term)
    terms: Vec<(String, String)>,
    items: Vec<ItemRow>,
    /// The local groups one may invite to.
    groups: Vec<String>,
    error: Option<String>,
    draft: Draft,
}

/// The signed-in staff member and their organisation, or the 403 page.
#[allow(clippy::result_large_err)]
async fn manager(data: &Ctx, v: &Viewer, tr: &Tr) -> Result<(User, Actor, Organisation), Response> {
    let forbidden = AppError::Forbidden("staff only".into());
    let Some((user, actor)) = &v.user else {
        return Err(error_page(data, v, tr, &forbidden));
    };
    let a = actor.clone();
    match data
        .db
        .run(move |c| crate::actions::rules::staff_org(c, &a))
        .await
    {
        Ok(Some(org)) => Ok((user.clone(), actor.clone(), org)),
        Ok(None) => Err(error_page(data, v, tr, &forbidden)),
        Err(e) => Err(error_page(data, v, tr, &e)),
    }
}

#[derive(Deserialize)]
pub struct StatusQuery {
    status: Option<String>,
}

#[allow(clippy::too_many_arguments)]
async fn page(
    data: &Ctx,
    v: &Viewer,
    tr: &Tr,
    user: &User,
    org: &Organisation,
    status: &str,
    error: Option<(StatusCode, String)>,
    draft: Draft,
) -> Response {
    let (terms, items) = match tokio::try_join!(
        act::terms(data, user, org.id),
        act::queue(data, user, org.id, status)
    ) {
        Ok(x) => x,
        Err(e) => return error_page(data, v, tr, &e),
    };
    let groups = match data.db.run(crate::db::queries::groups::list_local).await {
        Ok(g) => g
            .into_iter()
            .filter(|(_, a)| !a.deleted)
            .map(|(_, a)| a.name)
            .collect(),
        Err(e) => return error_page(data, v, tr, &e),
    };
    let items = items
        .into_iter()
        .map(|i| ItemRow {
            id: i.id.to_string(),
            author: i.author_name,
            author_url: i.author_ap_id,
            url: i.url,
            excerpt_html: i.excerpt_html,
            term: i.matched_term,
            date: date_ms(i.received_at),
            replied: i.reply_ap_id.is_some(),
        })
        .collect();
    let (code, error) = match error {
        Some((s, e)) => (s, Some(e)),
        None => (StatusCode::OK, None),
    };
    let p = ListeningPage {
        l: Layout::new(data, v, tr, tr.t("listening-title")),
        org: org.name.clone(),
        status: status.to_string(),
        terms: terms
            .into_iter()
            .map(|t| (t.id.to_string(), t.term))
            .collect(),
        items,
        groups,
        error,
        draft,
    };
    respond(data, v, code, &p)
}

/// `GET /staff/listening[?status=new|handled|dismissed]`.
pub async fn index(data: Ctx, headers: HeaderMap, Query(q): Query<StatusQuery>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let status = q.status.unwrap_or_else(|| "new".into());
    match manager(&data, &v, &tr).await {
        Ok((user, _, org)) => {
            page(&data, &v, &tr, &user, &org, &status, None, Draft::default()).await
        }
        Err(resp) => resp,
    }
}

fn field(body: &str, name: &str) -> String {
    url::form_urlencoded::parse(body.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// What a refused form shows: the status and the action's own message.
fn refusal(e: &AppError) -> Option<(StatusCode, String)> {
    match e {
        AppError::Invalid(m) => Some((StatusCode::UNPROCESSABLE_ENTITY, m.clone())),
        AppError::NotFound(m) => Some((StatusCode::NOT_FOUND, m.clone())),
        AppError::Conflict(m) => Some((StatusCode::CONFLICT, m.clone())),
        _ => None,
    }
}

/// `POST /staff/listening/{target}/{op}`: `terms/add` (field `term`), `{term}/remove-term`,
/// and on an item `dismiss`, `handle`, `reopen`, `reply` (field `body`) and `invite`
/// (fields `group`, `message`). Back to the queue; a refusal shows there, the input kept.
pub async fn act_on(
    data: Ctx,
    headers: HeaderMap,
    Path((target, op)): Path<(String, String)>,
    body: String,
) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    if let Err(why) = csrf::check(&data.base, &headers, &v, &field(&body, "csrf")) {
        return csrf_refused(&data, &v, &tr, why, "/staff/listening");
    }
    let (user, actor, org) = match manager(&data, &v, &tr).await {
        Ok(m) => m,
        Err(resp) => return resp,
    };
    let id = target.parse::<i64>().unwrap_or(0);
    let o = org.id;
    let done = match (target.as_str(), op.as_str()) {
        ("terms", "add") => act::add_term(&data, &user, o, &field(&body, "term"))
            .await
            .map(|_| ()),
        (_, "remove-term") => act::remove_term(&data, &user, o, id).await,
        (_, "dismiss" | "handle" | "reopen") => {
            let status = match op.as_str() {
                "dismiss" => "dismissed",
                "handle" => "handled",
                _ => "new",
            };
            act::set_status(&data, &user, o, id, status)
                .await
                .map(|_| ())
        }
        (_, "reply") => act::reply(&data, &user, &actor, o, id, &field(&body, "body"))
            .await
            .map(|_| ()),
        (_, "invite") => {
            let (group, message) = (field(&body, "group"), field(&body, "message"));
            act::invite(&data, &user, &actor, o, id, &group, &message)
                .await
                .map(|_| ())
        }
        _ => Err(AppError::NotFound("no such form".into())),
    };
    match done {
        Ok(()) => redirect("/staff/listening"),
        Err(e) => match refusal(&e) {
            Some(r) => {
                let draft = match op.as_str() {
                    "add" => Draft {
                        form: "terms".into(),
                        text: field(&body, "term"),
                        ..Draft::default()
                    },
                    "reply" | "invite" => Draft {
                        form: op.clone(),
                        item: target.clone(),
                        text: field(&body, if op == "reply" { "body" } else { "message" }),
                        group: field(&body, "group"),
                    },
                    _ => Draft::default(),
                };
                page(&data, &v, &tr, &user, &org, "new", Some(r), draft).await
            }
            None => error_page(&data, &v, &tr, &e),
        },
    }
}
