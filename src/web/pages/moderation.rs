//! The moderator console of a local group: its report queue (`/g/{name}/mod/reports`),
//! open reports folded by what they are about, with the content, its author and the
//! reporters; resolving or dismissing them with a note, optionally removing the content
//! and banning its author in the same step (`actions::moderation::resolve_report`, as
//! the API does); closed reports under a second tab, searchable by text. Every page and
//! form is refused (403) to anyone who does not moderate the group (`actions::rules`).

use super::thread_forms::{refusal_status, thread_link};
use super::{date_ms, query_string};
use crate::actions::{self, rules};
use crate::db::models::{Actor, Group, Report};
use crate::db::queries;
use crate::db::queries::moderation as mq;
use crate::db::queries::reputation as rq;
use crate::domain::groups as groups_svc;
use crate::error::{AppError, AppResult};
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
use axum::Form;
use serde::Deserialize;

/// Entries on one page of the queue.
const PER_PAGE: usize = 20;
/// Longest note (the action's limit).
const MAX_NOTE: usize = 2000;

/// Who is asking for a group's console, once they are known to moderate it.
pub(super) struct Console {
    pub v: Viewer,
    pub tr: Tr,
    pub group: Group,
    pub group_actor: Actor,
    pub me: Actor,
}

/// The group `name` and its moderator asking: a refused CSRF token (when `csrf` is
/// given) gets the CSRF page; an unknown group the 404 page; anyone who does not
/// moderate it (signed out included) the 403 page.
#[allow(clippy::result_large_err)]
pub(super) async fn console(
    data: &Ctx,
    headers: &HeaderMap,
    name: &str,
    csrf_token: Option<&str>,
    back: &str,
) -> Result<Console, Response> {
    let (v, tr) = viewer_tr(data, headers).await;
    if let Some(token) = csrf_token {
        if let Err(why) = csrf::check(&data.base, headers, &v, token) {
            return Err(csrf_refused(data, &v, &tr, why, back));
        }
    }
    let (group, group_actor) = match groups_svc::local_group(data, name).await {
        Ok(g) => g,
        Err(e) => return Err(error_page(data, &v, &tr, &e)),
    };
    let me = match &v.user {
        Some((_, a)) => a.clone(),
        None => {
            let e = AppError::Forbidden("only the group's moderators".into());
            return Err(error_page(data, &v, &tr, &e));
        }
    };
    match rules::can_moderate(data, &group_actor, &me).await {
        Ok(true) => Ok(Console {
            v,
            tr,
            group,
            group_actor,
            me,
        }),
        Ok(false) => {
            let e = AppError::Forbidden("only the group's moderators".into());
            Err(error_page(data, &v, &tr, &e))
        }
        Err(e) => Err(error_page(data, &v, &tr, &e)),
    }
}

/// One reporter's report in an entry.
pub struct ReasonItem {
    pub reason: String,
    pub reporter: String,
    pub domain: String,
    pub date: String,
}

/// The author of reported content, as the queue shows them.
pub struct AuthorItem {
    pub handle: String,
    pub domain: String,
    pub reputation: i64,
    pub removals: i64,
    pub bans: i64,
}

/// The reasons listed per folded entry: a flood of reports about one post shows its
/// oldest reasons and how many more there are.
const REASONS_SHOWN: usize = 10;

/// Open reports about the same content (or user), folded into one entry.
pub struct Entry {
    /// The first report's id (the form's).
    pub id: i64,
    /// The oldest reports' reasons (at most [`REASONS_SHOWN`]).
    pub reasons: Vec<ReasonItem>,
    /// How many reports are folded here, and how many of them are not listed.
    pub count: i64,
    pub more: i64,
    pub content_html: Option<String>,
    pub title: Option<String>,
    pub href: Option<String>,
    pub removed: bool,
    pub author: Option<AuthorItem>,
    /// What a refused form said, with what was typed.
    pub error: Option<String>,
    pub note: String,
}

/// A closed report.
pub struct Closed {
    pub reason: String,
    pub upheld: bool,
    pub note: String,
    pub author: String,
    pub content_html: Option<String>,
    pub date: String,
}

#[derive(Template)]
#[template(path = "mod_reports.html")]
struct QueuePage {
    l: Layout,
    base: String,
    resolved_tab: bool,
    open_href: String,
    resolved_href: String,
    log_href: String,
    moderators_href: String,
    settings_href: String,
    entries: Vec<Entry>,
    closed: Vec<Closed>,
    q: String,
    page: i64,
    prev: Option<String>,
    next: Option<String>,
    max_note: i64,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct QueueQuery {
    /// `resolved` for the closed reports.
    pub tab: String,
    /// Text searched in closed reports.
    pub q: String,
    pub page: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResolveForm {
    pub csrf: String,
    pub report: String,
    /// `resolved` (upheld) or `dismissed`: the button pressed.
    pub verdict: String,
    pub note: String,
    pub remove: Option<String>,
    pub ban: Option<String>,
    /// Ban length in hours; permanent when empty.
    pub ban_hours: String,
    pub ban_reason: String,
}

/// The entries of a page of folded reports. The page's posts, reporters and authors are
/// read once each (a fold of many reports costs no query per report).
async fn entries(data: &Ctx, group: i64, folds: Vec<Vec<Report>>) -> AppResult<Vec<Entry>> {
    data.db
        .run(move |c| {
            let post_ids: Vec<i64> = folds.iter().filter_map(|f| f[0].post_id).collect();
            let posts = queries::posts::by_ids(c, &post_ids)?;
            let mut actor_ids: Vec<i64> = folds
                .iter()
                .flat_map(|f| f.iter().map(|r| r.reporter_id).chain(f[0].target_actor_id))
                .chain(posts.iter().map(|p| p.author_id))
                .collect();
            actor_ids.sort_unstable();
            actor_ids.dedup();
            let actors = queries::actors::by_ids(c, &actor_ids)?;
            let actor = |id: i64| actors.iter().find(|a| a.id == id);
            let author_ids: Vec<i64> = folds
                .iter()
                .filter_map(|f| {
                    let post = f[0]
                        .post_id
                        .and_then(|id| posts.iter().find(|p| p.id == id));
                    post.map(|p| p.author_id).or(f[0].target_actor_id)
                })
                .collect();
            let history = mq::actions_against_many(c, group, &author_ids)?;
            let reputations = rq::totals(c, &author_ids)?;
            let mut out = Vec::new();
            for fold in folds {
                let first = &fold[0];
                let count = fold.len() as i64;
                let reasons: Vec<ReasonItem> = fold
                    .iter()
                    .take(REASONS_SHOWN)
                    .map(|r| ReasonItem {
                        reason: r.reason.clone(),
                        reporter: actor(r.reporter_id).map(|a| a.handle()).unwrap_or_default(),
                        domain: r.reporter_domain.clone(),
                        date: date_ms(r.created_at),
                    })
                    .collect();
                let post = first
                    .post_id
                    .and_then(|id| posts.iter().find(|p| p.id == id).cloned());
                let author_id = post.as_ref().map(|p| p.author_id).or(first.target_actor_id);
                let author = author_id.and_then(actor).cloned();
                let author = match author {
                    Some(a) => {
                        let (removals, bans) = history
                            .iter()
                            .find(|(id, _, _)| *id == a.id)
                            .map(|(_, r, b)| (*r, *b))
                            .unwrap_or((0, 0));
                        let reputation = reputations
                            .iter()
                            .find(|(id, _)| *id == a.id)
                            .map(|(_, s)| *s)
                            .unwrap_or(0);
                        Some(AuthorItem {
                            handle: a.handle(),
                            domain: a.domain.clone(),
                            reputation,
                            removals,
                            bans,
                        })
                    }
                    None => None,
                };
                let href = match &post {
                    Some(p) => {
                        let page = queries::threads::page_of(c, p)?;
                        Some(thread_link(p.question_id.unwrap_or(p.id), page, p.id))
                    }
                    None => None,
                };
                out.push(Entry {
                    id: first.id,
                    more: count - reasons.len() as i64,
                    count,
                    reasons,
                    title: post.as_ref().and_then(|p| p.title.clone()),
                    removed: post.as_ref().is_some_and(|p| p.removed),
                    content_html: post.filter(|p| !p.deleted).map(|p| p.content_html),
                    href,
                    author,
                    error: None,
                    note: String::new(),
                });
            }
            Ok(out)
        })
        .await
}

async fn closed(data: &Ctx, group: i64, q: &str, page: i64) -> AppResult<(Vec<Closed>, bool)> {
    let text = q.trim().to_string();
    let offset = (page - 1) * PER_PAGE as i64;
    let rows = data
        .db
        .run(move |c| {
            let text = (!text.is_empty()).then_some(text.as_str());
            let rows = mq::closed_reports(c, group, text, offset, PER_PAGE as i64 + 1)?;
            let mut out = Vec::new();
            for r in rows {
                let author = match r.target_actor_id {
                    Some(a) => queries::actors::by_id(c, a)?.map(|a| a.handle()),
                    None => None,
                };
                let post = match r.post_id {
                    Some(p) => queries::posts::by_id(c, p)?,
                    None => None,
                };
                out.push(Closed {
                    upheld: r.status == "resolved",
                    note: r.resolution_note.clone().unwrap_or_default(),
                    author: author.unwrap_or_default(),
                    content_html: post.filter(|p| !p.deleted).map(|p| p.content_html),
                    date: date_ms(r.resolved_at.unwrap_or(r.created_at)),
                    reason: r.reason,
                });
            }
            Ok(out)
        })
        .await?;
    let mut rows = rows;
    let more = rows.len() > PER_PAGE;
    rows.truncate(PER_PAGE);
    Ok((rows, more))
}

/// The queue page; `failed` is a refused resolution (its report, message and note).
async fn render(
    data: &Ctx,
    cx: &Console,
    q: QueueQuery,
    failed: Option<(i64, String, String)>,
) -> AppResult<QueuePage> {
    let gid = cx.group_actor.id;
    let page = q.page.unwrap_or(1).clamp(1, 10_000);
    let resolved_tab = q.tab == "resolved";
    let base = format!("/g/{}/mod/reports", cx.group_actor.name);
    let link = |page: i64| {
        let p = page.to_string();
        let qs = query_string(&[
            ("tab", if resolved_tab { "resolved" } else { "" }),
            ("q", if resolved_tab { q.q.as_str() } else { "" }),
            ("page", if page > 1 { &p } else { "" }),
        ]);
        if qs.is_empty() {
            base.clone()
        } else {
            format!("{base}?{qs}")
        }
    };
    let (entries, closed, more) = if resolved_tab {
        let (closed, more) = closed(data, gid, &q.q, page).await?;
        (Vec::new(), closed, more)
    } else {
        let offset = (page - 1) * PER_PAGE as i64;
        let (folds, more) = data
            .db
            .run(move |c| mq::open_folds(c, gid, offset, PER_PAGE as i64))
            .await?;
        let mut entries = entries(data, gid, folds).await?;
        if let Some((id, message, note)) = failed {
            if let Some(e) = entries.iter_mut().find(|e| e.id == id) {
                e.error = Some(message);
                e.note = note;
            }
        }
        (entries, Vec::new(), more)
    };
    Ok(QueuePage {
        l: Layout::new(
            data,
            &cx.v,
            &cx.tr,
            cx.tr.s("mod-reports-title", &cx.group.title),
        ),
        open_href: base.clone(),
        resolved_href: format!("{base}?tab=resolved"),
        log_href: format!("/g/{}/modlog", cx.group_actor.name),
        moderators_href: format!("/g/{}/mod/moderators", cx.group_actor.name),
        settings_href: format!("/g/{}/mod/settings", cx.group_actor.name),
        resolved_tab,
        entries,
        closed,
        q: q.q.clone(),
        page,
        prev: (page > 1).then(|| link(page - 1)),
        next: more.then(|| link(page + 1)),
        base,
        max_note: MAX_NOTE as i64,
    })
}

/// The report queue of a group (open reports, or with `?tab=resolved` the closed ones).
pub async fn reports(
    data: Ctx,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<QueueQuery>,
) -> Response {
    let back = format!("/g/{name}/mod/reports");
    let cx = match console(&data, &headers, &name, None, &back).await {
        Ok(cx) => cx,
        Err(resp) => return resp,
    };
    match render(&data, &cx, q, None).await {
        Ok(page) => respond(&data, &cx.v, StatusCode::OK, &page),
        Err(e) => error_page(&data, &cx.v, &cx.tr, &e),
    }
}

/// The readable message of a refused resolution.
fn message(tr: &Tr, e: &AppError) -> String {
    match e {
        AppError::Forbidden(_) => tr.t("error-forbidden-message"),
        AppError::NotFound(_) => tr.t("mod-report-gone"),
        AppError::Invalid(_) => tr.t("mod-resolve-invalid"),
        e if e.status().is_server_error() => {
            tracing::error!("resolving a report failed: {e}");
            tr.t("error-internal-message")
        }
        _ => tr.t("error-bad-request-message"),
    }
}

/// Resolves or dismisses the open reports folded with `report`: the first with the
/// removal and the ban asked for, in one transaction, the others with the same verdict.
pub async fn resolve(
    data: Ctx,
    headers: HeaderMap,
    Path(name): Path<String>,
    Form(f): Form<ResolveForm>,
) -> Response {
    let back = format!("/g/{name}/mod/reports");
    let cx = match console(&data, &headers, &name, Some(&f.csrf), &back).await {
        Ok(cx) => cx,
        Err(resp) => return resp,
    };
    let id = f.report.parse::<i64>().unwrap_or(0);
    let result = resolve_all(&data, &cx, id, &f).await;
    match result {
        Ok(()) => redirect(&back),
        Err(e) => {
            let failed = Some((id, message(&cx.tr, &e), f.note.clone()));
            match render(&data, &cx, QueueQuery::default(), failed).await {
                Ok(page) => respond(&data, &cx.v, refusal_status(&e), &page),
                Err(e) => error_page(&data, &cx.v, &cx.tr, &e),
            }
        }
    }
}

async fn resolve_all(data: &Ctx, cx: &Console, id: i64, f: &ResolveForm) -> AppResult<()> {
    let upheld = match f.verdict.as_str() {
        "resolved" => true,
        "dismissed" => false,
        _ => return Err(AppError::Invalid("resolved or dismissed".into())),
    };
    let note = f.note.trim();
    if note.len() > MAX_NOTE {
        return Err(AppError::Invalid("note too long".into()));
    }
    let hours = match f.ban_hours.trim() {
        "" => None,
        h => Some(
            h.parse::<u32>()
                .ok()
                .filter(|h| *h > 0)
                .ok_or_else(|| AppError::Invalid("ban length".into()))?,
        ),
    };
    let gid = cx.group_actor.id;
    let fold = data.db.run(move |c| mq::open_fold_of(c, gid, id)).await?;
    if fold.is_empty() {
        return Err(AppError::NotFound("no such open report".into()));
    }
    let ban_reason = if f.ban_reason.trim().is_empty() {
        note
    } else {
        f.ban_reason.trim()
    };
    let ban = f.ban.is_some().then(|| actions::moderation::Ban {
        reason: ban_reason,
        expires_at: hours.map(|h| crate::db::now_ms() + h as i64 * 3600 * 1000),
        remove_data: false,
    });
    let first = actions::moderation::Resolution {
        upheld,
        note,
        remove: upheld && f.remove.is_some(),
        ban: if upheld { ban } else { None },
    };
    actions::moderation::resolve_report(data, &cx.me, fold[0].id, first).await?;
    for r in &fold[1..] {
        let rest = actions::moderation::Resolution {
            upheld,
            note,
            ..Default::default()
        };
        actions::moderation::resolve_report(data, &cx.me, r.id, rest).await?;
    }
    Ok(())
}

/// The open reports of a group, for the link in its header (its moderators only).
pub async fn open_count(data: &Ctx, v: &Viewer, group: &Actor) -> Option<i64> {
    let me = &v.user.as_ref()?.1;
    if !rules::can_moderate(data, group, me).await.ok()? {
        return None;
    }
    let gid = group.id;
    data.db
        .run(move |c| mq::count_open_reports(c, gid))
        .await
        .ok()
}
