//! The public moderation logs, as the API's `/modlog`: a group's (`/g/{name}/modlog`)
//! and the instance's (`/modlog`, instance-level actions), newest first, filterable by
//! action and by moderator, paged.

use super::thread_forms::thread_link;
use super::{date_ms, query_string};
use crate::db::models::Actor;
use crate::db::queries;
use crate::db::queries::moderation as mq;
use crate::domain::groups as groups_svc;
use crate::error::AppResult;
use crate::state::Ctx;
use crate::web::i18n::Tr;
use crate::web::layout::{error_page, respond, Layout};
use crate::web::session::{viewer_tr, Viewer};
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

const PER_PAGE: i64 = 50;

/// What a group's log holds.
const GROUP_ACTIONS: &[&str] = &[
    "remove",
    "restore",
    "lock",
    "unlock",
    "ban",
    "unban",
    "feature",
    "unfeature",
    "add_moderator",
    "remove_moderator",
];
/// What the instance's log holds.
const INSTANCE_ACTIONS: &[&str] = &[
    "block_instance",
    "silence_instance",
    "allow_instance",
    "clear_instance",
    "purge",
    "suspend",
    "unsuspend",
    "delete_account",
    "delete_group",
];

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LogQuery {
    pub action: String,
    /// A moderator's actor id.
    pub moderator: String,
    pub page: Option<i64>,
}

pub struct LogItem {
    pub date: String,
    pub action: String,
    pub moderator: String,
    pub target: String,
    pub post_href: Option<String>,
    pub domain: String,
    pub reason: String,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "modlog.html")]
struct LogPage {
    l: Layout,
    base: String,
    actions: Vec<Choice>,
    moderators: Vec<Choice>,
    items: Vec<LogItem>,
    page: i64,
    prev: Option<String>,
    next: Option<String>,
}

/// A group's public moderation log.
pub async fn group_log(
    data: Ctx,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<LogQuery>,
) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let result = async {
        let (group, actor) = groups_svc::local_group(&data, &name).await?;
        let title = tr.s("modlog-group-title", &group.title);
        render(&data, &v, &tr, Some(&actor), title, q).await
    }
    .await;
    match result {
        Ok(page) => respond(&data, &v, StatusCode::OK, &page),
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}

/// The instance's public moderation log.
pub async fn instance_log(data: Ctx, headers: HeaderMap, Query(q): Query<LogQuery>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let title = tr.t("modlog-instance-title");
    match render(&data, &v, &tr, None, title, q).await {
        Ok(page) => respond(&data, &v, StatusCode::OK, &page),
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}

async fn render(
    data: &Ctx,
    v: &Viewer,
    tr: &Tr,
    group: Option<&Actor>,
    title: String,
    q: LogQuery,
) -> AppResult<LogPage> {
    let known = if group.is_some() {
        GROUP_ACTIONS
    } else {
        INSTANCE_ACTIONS
    };
    let action = known
        .iter()
        .find(|a| **a == q.action)
        .map(|a| a.to_string());
    let moderator = q.moderator.parse::<i64>().ok();
    let page = q.page.unwrap_or(1).clamp(1, 10_000);
    let gid = group.map(|g| g.id);
    let (entries, moderators) = data
        .db
        .run(move |c| {
            let rows = mq::mod_log_page(
                c,
                gid,
                action.as_deref(),
                moderator,
                (page - 1) * PER_PAGE,
                PER_PAGE + 1,
            )?;
            let mut ids: Vec<i64> = rows
                .iter()
                .flat_map(|e| [e.moderator_id, e.target_actor_id])
                .flatten()
                .collect();
            let mods = mq::log_moderators(c, gid)?;
            ids.extend(&mods);
            ids.sort_unstable();
            ids.dedup();
            let actors = queries::actors::by_ids(c, &ids)?;
            let mut out = Vec::new();
            for e in rows {
                let post = match e.post_id {
                    Some(p) => queries::posts::by_id(c, p)?,
                    None => None,
                };
                let href = match post {
                    Some(p) => {
                        let page = queries::threads::page_of(c, &p)?;
                        Some(thread_link(p.question_id.unwrap_or(p.id), page, p.id))
                    }
                    None => None,
                };
                out.push((e, href));
            }
            let handle = |id: Option<i64>| {
                id.and_then(|id| actors.iter().find(|a| a.id == id))
                    .map(|a| a.handle())
                    .unwrap_or_default()
            };
            let entries: Vec<LogItem> = out
                .into_iter()
                .map(|(e, post_href)| LogItem {
                    date: date_ms(e.created_at),
                    moderator: handle(e.moderator_id),
                    target: handle(e.target_actor_id),
                    post_href,
                    domain: e.domain.unwrap_or_default(),
                    reason: e.reason,
                    action: e.action,
                })
                .collect();
            let moderators: Vec<(i64, String)> =
                mods.iter().map(|m| (*m, handle(Some(*m)))).collect();
            Ok((entries, moderators))
        })
        .await?;
    let mut items = entries;
    let more = items.len() as i64 > PER_PAGE;
    items.truncate(PER_PAGE as usize);
    for i in &mut items {
        i.action = tr.t(&format!("modlog-action-{}", i.action.replace('_', "-")));
    }
    let base = match group {
        Some(g) => format!("/g/{}/modlog", g.name),
        None => "/modlog".to_string(),
    };
    let link = |page: i64| {
        let p = page.to_string();
        let qs = query_string(&[
            ("action", q.action.as_str()),
            ("moderator", q.moderator.as_str()),
            ("page", if page > 1 { &p } else { "" }),
        ]);
        if qs.is_empty() {
            base.clone()
        } else {
            format!("{base}?{qs}")
        }
    };
    let actions = known
        .iter()
        .map(|a| Choice {
            value: a.to_string(),
            label: tr.t(&format!("modlog-action-{}", a.replace('_', "-"))),
            selected: q.action == *a,
        })
        .collect();
    let moderators = moderators
        .into_iter()
        .map(|(id, handle)| Choice {
            selected: q.moderator == id.to_string(),
            value: id.to_string(),
            label: handle,
        })
        .collect();
    Ok(LogPage {
        l: Layout::new(data, v, tr, title),
        actions,
        moderators,
        items,
        page,
        prev: (page > 1).then(|| link(page - 1)),
        next: more.then(|| link(page + 1)),
        base,
    })
}
