//! The staff console, for staff of an organisation (refused with the 403 page to
//! everyone else): the inbox (`/staff`) of questions in the groups that recognise the
//! organisation, in tabs (unanswered past a threshold, answered but not accepted,
//! mentioning staff, many votes and no staff answer), with claims ("I'm on it"); the
//! claim form (`/staff/claim/{id}`) and the staff-approve form of an answer
//! (`/p/{id}/staff-approve`), both also offered on the thread page; and the verification
//! state (`/staff/verification`): what the organisation's domain publishes.

use super::{date_ms, query_string};
use crate::actions;
use crate::db::models::{Actor, Organisation};
use crate::db::now_ms;
use crate::db::queries;
use crate::db::queries::staff_console::{self as scq, Filter};
use crate::error::AppError;
use crate::state::Ctx;
use crate::web::csrf;
use crate::web::form::{csrf_refused, local_path};
use crate::web::i18n::Tr;
use crate::web::layout::{redirect, respond, Layout};
use crate::web::session::{viewer_tr, Viewer};
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

/// Questions on one page of the inbox.
const PER_PAGE: i64 = 20;
/// "Unanswered" means: asked more than this many hours ago (default; `?hours=`).
pub const DEFAULT_HOURS: i64 = 24;
/// "Many votes" means: at least this many upvotes (default; `?votes=`).
pub const DEFAULT_VOTES: i64 = 3;

/// The error page of the console, with a message of its own.
#[derive(Template)]
#[template(path = "error.html")]
struct Refused {
    l: Layout,
    message: String,
}

fn refused(data: &Ctx, v: &Viewer, tr: &Tr, e: &AppError) -> Response {
    let (status, title, message) = match e {
        AppError::Forbidden(_) | AppError::Unauthenticated(_) => (
            StatusCode::FORBIDDEN,
            "error-forbidden-title",
            "staff-forbidden",
        ),
        AppError::Conflict(_) => (
            StatusCode::CONFLICT,
            "staff-refused-title",
            "staff-claimed-by-other",
        ),
        AppError::Invalid(_) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "staff-refused-title",
            "staff-invalid",
        ),
        e => return crate::web::layout::error_page(data, v, tr, e),
    };
    let page = Refused {
        l: Layout::new(data, v, tr, tr.t(title)),
        message: tr.t(message),
    };
    respond(data, v, status, &page)
}

/// The signed-in staff member and their organisation, or the 403 page.
#[allow(clippy::result_large_err)]
async fn staff(data: &Ctx, v: &Viewer, tr: &Tr) -> Result<(Actor, Organisation), Response> {
    let forbidden = || AppError::Forbidden("staff only".into());
    let Some((_, actor)) = &v.user else {
        return Err(refused(data, v, tr, &forbidden()));
    };
    let a = actor.clone();
    match data.db.run(move |c| actions::rules::staff_org(c, &a)).await {
        Ok(Some(org)) => Ok((actor.clone(), org)),
        Ok(None) => Err(refused(data, v, tr, &forbidden())),
        Err(e) => Err(refused(data, v, tr, &e)),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InboxQuery {
    pub tab: String,
    pub hours: Option<i64>,
    pub votes: Option<i64>,
    pub page: Option<i64>,
}

/// A question as the inbox shows it.
pub struct Row {
    pub id: String,
    pub title: String,
    pub href: String,
    pub published: String,
    pub date: String,
    pub age: String,
    pub group: String,
    pub asker: String,
    pub history: String,
    pub answers: i64,
    pub votes: i64,
    /// Who claimed it (handle), and whether it is the viewer.
    pub claimed_by: Option<String>,
    pub mine: bool,
    pub may_release: bool,
}

#[derive(Template)]
#[template(path = "staff_inbox.html")]
struct InboxPage {
    l: Layout,
    org: String,
    tabs: Vec<(String, String, bool)>,
    tab: String,
    hours: i64,
    votes: i64,
    rows: Vec<Row>,
    page: i64,
    prev: Option<String>,
    next: Option<String>,
    back: String,
    /// Knowledge articles not reviewed for `--kb-stale-days`: (link, title, last review).
    stale: Vec<(String, String, String)>,
}

/// The age of something created at `ms`: hours, then days.
fn age(tr: &Tr, ms: i64) -> String {
    let hours = (now_ms() - ms).max(0) / 3_600_000;
    if hours < 48 {
        tr.n("staff-age-hours", hours)
    } else {
        tr.n("staff-age-days", hours / 24)
    }
}

/// `GET /staff`: the inbox.
pub async fn inbox(data: Ctx, headers: HeaderMap, Query(q): Query<InboxQuery>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let (me, org) = match staff(&data, &v, &tr).await {
        Ok(s) => s,
        Err(resp) => return resp,
    };
    let hours = q.hours.unwrap_or(DEFAULT_HOURS).clamp(0, 24 * 365);
    let votes = q.votes.unwrap_or(DEFAULT_VOTES).clamp(1, 1_000_000);
    let page = q.page.unwrap_or(1).clamp(1, 10_000);
    let (tab, filter) = match q.tab.as_str() {
        "unaccepted" => ("unaccepted", Filter::Unaccepted),
        "mentions" => ("mentions", Filter::Mentions),
        "popular" => ("popular", Filter::Popular { votes }),
        _ => ("unanswered", Filter::Unanswered { hours }),
    };
    let (hs, vs) = (hours.to_string(), votes.to_string());
    let link = |t: &str, p: i64| {
        let ps = p.to_string();
        let mut pairs = vec![("tab", t)];
        if hours != DEFAULT_HOURS {
            pairs.push(("hours", hs.as_str()));
        }
        if votes != DEFAULT_VOTES {
            pairs.push(("votes", vs.as_str()));
        }
        if p > 1 {
            pairs.push(("page", ps.as_str()));
        }
        format!("/staff?{}", query_string(&pairs))
    };
    let oid = org.id;
    let loaded = data
        .db
        .run(move |c| {
            let (posts, more) = scq::inbox(c, oid, filter, page, PER_PAGE)?;
            let qids: Vec<i64> = posts.iter().map(|p| p.id).collect();
            let claims = scq::claims_of(c, &qids)?;
            let mut ids: Vec<i64> = posts
                .iter()
                .flat_map(|p| [Some(p.author_id), p.group_id])
                .flatten()
                .collect();
            ids.sort_unstable();
            ids.dedup();
            let actors = queries::actors::by_ids(c, &ids)?;
            let askers: Vec<i64> = posts.iter().map(|p| p.author_id).collect();
            let history = scq::history(c, &askers)?;
            Ok((posts, more, claims, actors, history))
        })
        .await;
    let (posts, more, claims, actors, history) = match loaded {
        Ok(l) => l,
        Err(e) => return refused(&data, &v, &tr, &e),
    };
    let handle = |id: i64| {
        actors
            .iter()
            .find(|a| a.id == id)
            .map(|a| format!("@{}", a.handle()))
            .unwrap_or_default()
    };
    let rows = posts
        .iter()
        .map(|p| {
            let (asked, accepted) = history.get(&p.author_id).copied().unwrap_or_default();
            let claim = claims.get(&p.id);
            Row {
                id: p.id.to_string(),
                title: p.title.clone().unwrap_or_default(),
                href: format!("/q/{}", p.id),
                published: crate::db::rfc3339(p.published_at),
                date: date_ms(p.published_at),
                age: age(&tr, p.published_at),
                group: p.group_id.map(handle).unwrap_or_default(),
                asker: handle(p.author_id),
                history: tr.args(
                    "staff-asker-history",
                    &[("asked", asked.into()), ("accepted", accepted.into())],
                ),
                answers: p.answer_count.into(),
                votes: p.upvotes.into(),
                claimed_by: claim.map(|c| format!("@{}@{}", c.handle_name, c.handle_domain)),
                mine: claim.is_some_and(|c| c.actor_id == me.id),
                may_release: claim.is_some_and(|c| c.organisation_id == org.id),
            }
        })
        .collect();
    let tabs = ["unanswered", "unaccepted", "mentions", "popular"]
        .iter()
        .map(|t| (tr.t(&format!("staff-tab-{t}")), link(t, 1), *t == tab))
        .collect();
    let admin = v.user.as_ref().is_some_and(|(u, _)| u.is_admin);
    let stale = match actions::articles::stale_for(&data, &me, admin).await {
        Ok(s) => s,
        Err(e) => return refused(&data, &v, &tr, &e),
    };
    let stale = stale
        .into_iter()
        .map(|a| {
            let reviewed = super::date(&crate::db::rfc3339(a.reviewed_at));
            (format!("/kb/{}", a.id), a.title, reviewed)
        })
        .collect();
    let p = InboxPage {
        stale,
        l: Layout::new(&data, &v, &tr, tr.t("staff-inbox-title")),
        org: org.name.clone(),
        tabs,
        tab: tab.to_string(),
        hours,
        votes,
        rows,
        page,
        prev: (page > 1).then(|| link(tab, page - 1)),
        next: more.then(|| link(tab, page + 1)),
        back: link(tab, page),
    };
    respond(&data, &v, StatusCode::OK, &p)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ClaimForm {
    pub csrf: String,
    /// `0` releases the claim; anything else claims.
    pub claim: String,
    /// Where to go afterwards (a local path; the thread when not given).
    pub back: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ApproveForm {
    pub csrf: String,
    /// `0` withdraws the mark; anything else approves.
    pub approve: String,
    pub back: String,
}

/// The CSRF check and the staff check of a console form; the staff member.
#[allow(clippy::result_large_err)]
async fn posting(
    data: &Ctx,
    headers: &HeaderMap,
    token: &str,
    back: &str,
) -> Result<(Viewer, Tr, Actor), Response> {
    let (v, tr) = viewer_tr(data, headers).await;
    if let Err(why) = csrf::check(&data.base, headers, &v, token) {
        return Err(csrf_refused(data, &v, &tr, why, back));
    }
    let (actor, _) = staff(data, &v, &tr).await?;
    Ok((v, tr, actor))
}

/// `POST /staff/claim/{id}`: claims the question `id`, or releases the claim.
pub async fn claim(
    data: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<ClaimForm>,
) -> Response {
    let back = local_path(&f.back)
        .map(str::to_string)
        .unwrap_or_else(|| format!("/q/{id}"));
    let (v, tr, actor) = match posting(&data, &headers, &f.csrf, &back).await {
        Ok(p) => p,
        Err(resp) => return resp,
    };
    match actions::staff_console::claim(&data, &actor, id, f.claim != "0").await {
        Ok(()) => redirect(&back),
        Err(e) => refused(&data, &v, &tr, &e),
    }
}

/// `POST /p/{id}/staff-approve`: marks the answer `id` staff-approved, or withdraws it.
pub async fn approve(
    data: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<ApproveForm>,
) -> Response {
    let back = local_path(&f.back)
        .map(str::to_string)
        .unwrap_or_else(|| format!("/q/{id}"));
    let (v, tr, actor) = match posting(&data, &headers, &f.csrf, &back).await {
        Ok(p) => p,
        Err(resp) => return resp,
    };
    match actions::staff_console::approve(&data, &actor, id, f.approve != "0").await {
        Ok(()) => redirect(&back),
        Err(e) => refused(&data, &v, &tr, &e),
    }
}

#[derive(Template)]
#[template(path = "staff_verification.html")]
struct VerificationPage {
    l: Layout,
    org: String,
    domain: String,
    me: String,
    /// The list's address as fetched, or why it could not be read.
    source: Result<String, String>,
    listed: bool,
    staff_list: String,
}

/// `GET /staff/verification`: the organisation, its domain, and whether the staff list
/// that the domain publishes (fetched now) includes the viewer.
pub async fn verification(data: Ctx, headers: HeaderMap) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let (me, org) = match staff(&data, &v, &tr).await {
        Ok(s) => s,
        Err(resp) => return resp,
    };
    let fetched = crate::federation::staff::published_staff(&data, &org.domain).await;
    let listed = fetched
        .as_ref()
        .is_ok_and(|(_, ids)| ids.contains(&me.ap_id));
    let p = VerificationPage {
        l: Layout::new(&data, &v, &tr, tr.t("staff-verification-title")),
        staff_list: format!("{}/api/v1/organisations/{}/staff", data.base, org.id),
        org: org.name,
        domain: org.domain,
        me: me.ap_id,
        source: fetched.map(|(url, _)| url.to_string()),
        listed,
    };
    respond(&data, &v, StatusCode::OK, &p)
}
