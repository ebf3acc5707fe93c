//! The embeddable help widget: `/embed.js`, a loader that a company puts into its own
//! pages (`<script src="https://HOST/embed.js" data-group="NAME" data-topic="...">`),
//! inserts a titled `<iframe>` of `/embed/g/{name}?topic=...`: a small page of its own
//! (no htmx, its own small stylesheet and script) with a search of the community,
//! suggested knowledge articles and solved questions for the topic, and the ask form.
//!
//! The frame holds no state-changing form: asking opens the full ask form, prefilled, in
//! a new tab (where the visitor's own session cookie works and the CSRF checks apply), and
//! "continue as a fediverse user" opens the group's "Follow from your server" page.
//! So the frame may be embedded anywhere unless the group's moderators list the sites
//! that may (`frame-ancestors`, see `domain::widget`); every other page keeps
//! `frame-ancestors 'none'` and `X-Frame-Options: DENY`.
//!
//! The frame is read as anyone: a private group has none, and it suggests public
//! questions only (see README, "Private groups").

use super::ask::excerpt;
use crate::actions;
use crate::db::models::Actor;
use crate::db::queries;
use crate::db::queries::posts::Sort;
use crate::domain::posts::html_to_text;
use crate::error::AppResult;
use crate::state::Ctx;
use crate::web::assets;
use crate::web::i18n::Tr;
use crate::web::layout::{add_page_headers, CSP};
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// The loader script (`/embed.js`).
const LOADER: &str = include_str!("../../../static/embed.js");
/// Articles and questions shown at most in a list.
const ARTICLES: usize = 3;
const QUESTIONS: usize = 5;

/// One result: a knowledge article or a question.
pub struct Item {
    pub article: bool,
    pub href: String,
    pub title: String,
    pub solved: bool,
    pub answers: i64,
    pub excerpt: Option<String>,
}

#[derive(Template)]
#[template(path = "embed.html")]
struct WidgetPage {
    l: Words,
    site: String,
    name: String,
    title: String,
    handle: String,
    topic: String,
    lang_param: String,
    q: String,
    searched: bool,
    results: Vec<Item>,
    suggested: Vec<Item>,
    /// Why the widget cannot show the group (no such group).
    missing: bool,
    css: String,
    js: String,
}

/// The widget's language, as its templates call it (`l.t("key")`).
pub struct Words {
    tr: Tr,
}

impl Words {
    fn lang(&self) -> &'static str {
        self.tr.code()
    }
    fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }
    fn n(&self, key: &str, n: impl std::borrow::Borrow<i64>) -> String {
        self.tr.n(key, *n.borrow())
    }
    fn s(&self, key: &str, value: &str) -> String {
        self.tr.s(key, value)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct WidgetQuery {
    /// What the embedding page is about (words): its suggestions.
    pub topic: String,
    /// A search.
    pub q: String,
    /// The widget's language (`en`, `de`) instead of the browser's.
    pub lang: String,
}

/// `GET /embed.js`: the loader.
pub async fn loader() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        LOADER,
    )
        .into_response()
}

/// `GET /embed/g/{name}`: the widget of a local group.
pub async fn widget(
    data: Ctx,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<WidgetQuery>,
) -> Response {
    let tr = if q.lang.is_empty() {
        Tr::from_headers(&headers)
    } else {
        Tr::new(&q.lang)
    };
    let mut page = WidgetPage {
        l: Words { tr: tr.clone() },
        site: data.instance.get().name.clone(),
        name: name.clone(),
        title: String::new(),
        handle: String::new(),
        topic: clip(&q.topic, 200),
        lang_param: if q.lang.is_empty() {
            String::new()
        } else {
            tr.code().to_string()
        },
        q: clip(&q.q, 200),
        searched: !q.q.trim().is_empty(),
        results: vec![],
        suggested: vec![],
        missing: false,
        css: assets::url(assets::WIDGET_CSS),
        js: assets::url(assets::WIDGET_JS),
    };
    // A private group's content is for its members: it has no public widget.
    let found = crate::domain::groups::local_group(&data, &name)
        .await
        .and_then(|(g, a)| {
            if crate::actions::rules::is_private(&a) {
                Err(crate::error::AppError::NotFound("no such group".into()))
            } else {
                Ok((g, a))
            }
        });
    let (group, actor) = match found {
        Ok(g) => g,
        Err(e) => {
            page.missing = true;
            return render(&page, e.status(), "*");
        }
    };
    let result = async {
        let origins = actions::widget::origins(&data, &actor).await?;
        if page.searched {
            page.results = search(&data, &actor, &page.q).await?;
        }
        page.suggested = suggested(&data, &actor, &page.topic).await?;
        AppResult::Ok(origins)
    }
    .await;
    page.title = group.title;
    page.handle = format!("@{}", actor.handle());
    match result {
        Ok(origins) => render(
            &page,
            StatusCode::OK,
            &crate::domain::widget::frame_ancestors(&origins),
        ),
        Err(e) => {
            if e.status().is_server_error() {
                tracing::error!("the help widget failed: {e}");
            }
            page.missing = true;
            render(&page, e.status(), "*")
        }
    }
}

fn clip(s: &str, max: usize) -> String {
    s.trim().chars().take(max).collect()
}

/// Articles, then questions, matching any of the words of `q`, solved ones first.
async fn search(data: &Ctx, group: &Actor, q: &str) -> AppResult<Vec<Item>> {
    let gid = group.id;
    let mut items = articles(data, gid, q).await?;
    let q = q.to_string();
    let questions = data
        .db
        .run(move |c| queries::asking::similar(c, &q, Some(gid), &[], 8))
        .await?;
    items.extend(questions_of(data, questions).await?);
    Ok(items)
}

/// Articles and solved questions about `topic` (the group's newest articles and
/// recently solved questions without one).
async fn suggested(data: &Ctx, group: &Actor, topic: &str) -> AppResult<Vec<Item>> {
    let gid = group.id;
    let mut items = if topic.is_empty() {
        crate::read::articles::of_group(data, gid, "")
            .await?
            .into_iter()
            .take(ARTICLES)
            .map(article_item)
            .collect()
    } else {
        articles(data, gid, topic).await?
    };
    let topic = topic.to_string();
    let questions = data
        .db
        .run(move |c| {
            if topic.is_empty() {
                queries::posts::list_questions(c, Some(gid), Sort::Solved, None, (0, 5), &[])
            } else {
                queries::asking::similar(c, &topic, Some(gid), &[], 10)
            }
        })
        .await?
        .into_iter()
        .filter(|p| p.accepted_answer_id.is_some())
        .take(QUESTIONS)
        .collect();
    items.extend(questions_of(data, questions).await?);
    Ok(items)
}

/// Articles matching `q` (clipped to 200 characters by the caller).
async fn articles(data: &Ctx, gid: i64, q: &str) -> AppResult<Vec<Item>> {
    Ok(crate::read::articles::search(data, q, Some(gid), ARTICLES)
        .await?
        .into_iter()
        .map(article_item)
        .collect())
}

fn article_item(a: crate::read::articles::ArticleView) -> Item {
    Item {
        article: true,
        href: format!("/kb/{}", a.id),
        excerpt: Some(excerpt(&html_to_text(&a.content_html))),
        title: a.title,
        solved: false,
        answers: 0,
    }
}

/// Questions as items, with the first lines of their accepted answers.
async fn questions_of(data: &Ctx, questions: Vec<crate::db::models::Post>) -> AppResult<Vec<Item>> {
    let ids: Vec<i64> = questions
        .iter()
        .filter_map(|q| q.accepted_answer_id)
        .collect();
    let accepted = data
        .db
        .run(move |c| queries::posts::by_ids(c, &ids))
        .await?;
    Ok(questions
        .into_iter()
        .map(|q| Item {
            article: false,
            href: format!("/q/{}", q.id),
            excerpt: q
                .accepted_answer_id
                .and_then(|a| accepted.iter().find(|p| p.id == a && p.visible()))
                .map(|a| excerpt(&html_to_text(&a.content_html))),
            title: q.title.clone().unwrap_or_default(),
            solved: q.accepted_answer_id.is_some(),
            answers: q.answer_count.into(),
        })
        .collect())
}

/// The page with the pages' headers, framable by `ancestors`.
fn render(page: &WidgetPage, status: StatusCode, ancestors: &str) -> Response {
    let html = match page.render() {
        Ok(h) => h,
        Err(e) => {
            tracing::error!("rendering the widget failed: {e}");
            return (StatusCode::INTERNAL_SERVER_ERROR, "page rendering failed").into_response();
        }
    };
    let mut resp = (status, html).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    add_page_headers(h);
    let csp = CSP.replace(
        "frame-ancestors 'none'",
        &format!("frame-ancestors {ancestors}"),
    );
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    resp
}
