//! The home page: the instance's groups with their descriptions, question counts and
//! latest activity, and a search box. A private group's questions count only for its
//! members (`rules::readable_private_groups`).

use super::date_ms;
use crate::db::models::Actor;
use crate::db::queries;
use crate::domain::text::markdown_to_html;
use crate::state::Ctx;
use crate::web::layout::{error_page, respond, Layout};
use crate::web::session::viewer_tr;
use askama::Template;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

pub struct GroupItem {
    pub name: String,
    pub title: String,
    pub handle: String,
    pub description_html: String,
    pub questions: i64,
    /// The day of the latest activity, when there is any.
    pub last_active: Option<String>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    l: Layout,
    /// The instance's description (Instance page), as HTML.
    description_html: String,
    groups: Vec<GroupItem>,
}

/// The groups of the home page, in order of creation, as anyone sees them.
pub async fn group_items(data: &Ctx) -> crate::error::AppResult<Vec<GroupItem>> {
    group_items_for(data, None).await
}

/// The groups of the home page as `viewer` sees them: a private group's questions
/// counted only when they may read it.
pub async fn group_items_for(
    data: &Ctx,
    viewer: Option<&Actor>,
) -> crate::error::AppResult<Vec<GroupItem>> {
    let viewer = viewer.cloned();
    data.db
        .run(move |c| {
            let readable = crate::actions::rules::readable_private_groups(c, viewer.as_ref())?;
            let groups = queries::groups::list_local(c)?;
            let ids: Vec<i64> = groups.iter().map(|(_, a)| a.id).collect();
            let counts = queries::posts::readable_question_counts(c, &ids, &readable)?;
            Ok(groups
                .into_iter()
                .map(|(g, a)| {
                    let (n, last) = counts
                        .iter()
                        .find(|(id, _, _)| *id == a.id)
                        .map(|(_, n, last)| (*n, Some(date_ms(*last))))
                        .unwrap_or((0, None));
                    GroupItem {
                        handle: a.handle(),
                        name: a.name,
                        title: g.title,
                        description_html: markdown_to_html(&g.description_md),
                        questions: n,
                        last_active: last,
                    }
                })
                .collect())
        })
        .await
}

pub async fn home(data: Ctx, headers: HeaderMap) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    match group_items_for(&data, v.user.as_ref().map(|(_, a)| a)).await {
        Ok(groups) => {
            let page = Home {
                l: Layout::new(&data, &v, &tr, tr.t("home-title")),
                description_html: markdown_to_html(&data.instance.get().description),
                groups,
            };
            respond(&data, &v, StatusCode::OK, &page)
        }
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}
