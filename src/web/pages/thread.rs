//! The thread page (`/q/{id}`): the question, its answers best first (the accepted one
//! on top and marked), staff marks, comments, scores, and the states locked, removed
//! and deleted shown as such.

use super::{date, Author};
use crate::db::models::Post;
use crate::db::queries;
use crate::error::{AppError, AppResult};
use crate::read::posts::{load_thread, views, PostView};
use crate::state::Ctx;
use crate::web::i18n::Tr;
use crate::web::layout::{error_page, respond, Layout};
use crate::web::session::{viewer, Viewer};
use askama::Template;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use std::collections::HashMap;

/// A question, answer or comment as the page shows it.
pub struct Item {
    pub id: String,
    pub score: i64,
    /// Sanitised HTML; empty when the viewer may not read it.
    pub html: String,
    /// `shown`, `deleted` or `removed`.
    pub state: &'static str,
    pub accepted: bool,
    pub author: Author,
    pub published: String,
    pub date: String,
    pub edited: bool,
    pub comments: Vec<Item>,
}

impl Item {
    fn new(view: &PostView, post: &Post) -> Item {
        let state = if post.removed {
            "removed"
        } else if post.deleted {
            "deleted"
        } else {
            "shown"
        };
        Item {
            id: view.id.clone(),
            score: view.score.into(),
            // Empty where the viewer may not read it (a removed post shows to its author
            // and the group's moderators).
            html: view.content_html.clone(),
            state,
            accepted: view.accepted,
            author: Author::new(&view.author),
            date: date(&view.published),
            published: view.published.clone(),
            edited: view.updated.is_some(),
            comments: Vec::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "thread.html")]
struct ThreadPage {
    l: Layout,
    question: Item,
    locked: bool,
    solved: bool,
    tags: Vec<String>,
    group: Option<(String, String)>,
    answer_count: i64,
    answers: Vec<Item>,
    page: i64,
    prev: Option<String>,
    next: Option<String>,
}

/// The thread of the question `id` (or of the question that answer or comment `id`
/// is in), one page of answers.
pub async fn thread_page(data: &Ctx, id: i64, page: i64, headers: &HeaderMap) -> Response {
    let (v, tr) = (viewer(data, headers).await, Tr::from_headers(headers));
    match render(data, id, page.clamp(1, 100_000), &v, &tr).await {
        Ok((status, page)) => respond(data, &v, status, &page),
        Err(e) => error_page(data, &v, &tr, &e),
    }
}

async fn render(
    data: &Ctx,
    id: i64,
    page: i64,
    v: &Viewer,
    tr: &Tr,
) -> AppResult<(StatusCode, ThreadPage)> {
    let question = data
        .db
        .run(move |c| {
            let Some(post) = queries::posts::by_id(c, id)?.filter(|p| p.public) else {
                return Ok(None);
            };
            if post.is_question() {
                return Ok(Some(post));
            }
            Ok(match post.question_id {
                Some(q) => queries::posts::by_id(c, q)?.filter(|p| p.public),
                None => None,
            })
        })
        .await?
        .filter(Post::is_question)
        .ok_or_else(|| AppError::NotFound("no such question".into()))?;
    let qid = question.id;
    let (posts, more) = load_thread(data, question.clone(), page).await?;
    let shown = views(data, v.user.as_ref().map(|(_, a)| a), posts.clone()).await?;
    let mut items: Vec<(Item, &Post)> = shown
        .iter()
        .zip(posts.iter())
        .map(|(view, post)| (Item::new(view, post), post))
        .collect();
    // Comments go under the answer (or the question) their reply chain starts from.
    let parents: HashMap<i64, Option<i64>> = posts.iter().map(|p| (p.id, p.parent_id)).collect();
    let root_of = |mut id: i64| {
        for _ in 0..16 {
            match parents.get(&id).copied().flatten() {
                Some(p) if p == qid => return qid,
                Some(p) if posts.iter().any(|x| x.id == p && x.kind == "answer") => return p,
                Some(p) => id = p,
                None => break,
            }
        }
        qid
    };
    let mut comments: HashMap<i64, Vec<Item>> = HashMap::new();
    let mut rest = Vec::new();
    for (item, post) in items.drain(..) {
        if post.kind == "comment" {
            comments.entry(root_of(post.id)).or_default().push(item);
        } else {
            rest.push((item, post));
        }
    }
    let mut rest = rest.into_iter();
    let (mut q_item, _) = rest
        .next()
        .ok_or_else(|| AppError::NotFound("no such question".into()))?;
    q_item.comments = comments.remove(&qid).unwrap_or_default();
    let answers = rest
        .map(|(mut item, post)| {
            item.comments = comments.remove(&post.id).unwrap_or_default();
            item
        })
        .collect();
    let qview = &shown[0];
    let group = qview.group.as_ref().map(|h| {
        let href = match h.rsplit_once('@') {
            Some((name, host)) if host == data.domain() => format!("/g/{name}"),
            _ => String::new(),
        };
        (h.clone(), href)
    });
    let title = if question.visible() {
        question.title.clone().unwrap_or_default()
    } else if question.removed {
        tr.t("thread-removed-title")
    } else {
        tr.t("thread-deleted-title")
    };
    let link = |n: i64| {
        if n > 1 {
            format!("/q/{qid}?page={n}")
        } else {
            format!("/q/{qid}")
        }
    };
    let status = if question.visible() {
        StatusCode::OK
    } else {
        StatusCode::GONE
    };
    Ok((
        status,
        ThreadPage {
            l: Layout::new(data, v, tr, title),
            question: q_item,
            locked: question.locked,
            solved: question.accepted_answer_id.is_some(),
            tags: if question.visible() {
                qview.tags.clone()
            } else {
                Vec::new()
            },
            group,
            answer_count: question.answer_count.into(),
            answers,
            page,
            prev: (page > 1).then(|| link(page - 1)),
            next: more.then(|| link(page + 1)),
        },
    ))
}
