//! Atom feeds (RFC 4287): a group's new questions (`/g/{name}/feed.atom`) and a
//! question's new answers (`/q/{id}/feed.atom`). Removed and deleted posts, and posts
//! of blocked or silenced instances, are left out; a removed or deleted question has no
//! feed (410).

use super::seo::xml_escape;
use crate::db::models::{Actor, Post};
use crate::db::queries;
use crate::db::queries::posts::Sort;
use crate::db::rfc3339;
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// Entries in a feed.
const ENTRIES: i64 = 30;

struct Feed<'a> {
    id: String,
    title: String,
    self_href: String,
    alternate: String,
    updated_ms: i64,
    entries: &'a [Post],
    authors: &'a [Actor],
}

fn entry_title(p: &Post, question_title: &str) -> String {
    match &p.title {
        Some(t) => t.clone(),
        None => format!("Re: {question_title}"),
    }
}

fn render(data: &Ctx, f: &Feed, question_title: &str) -> String {
    let base = &data.base;
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
         <id>{}</id>\n<title>{}</title>\n<updated>{}</updated>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{}{}\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{}{}\"/>\n\
         <generator>peerdesk</generator>\n",
        xml_escape(&f.id),
        xml_escape(&f.title),
        rfc3339(f.updated_ms),
        xml_escape(base),
        xml_escape(&f.self_href),
        xml_escape(base),
        xml_escape(&f.alternate),
    );
    // Feeds are read anonymously: personal data of other servers' posts is masked when
    // the admin hides it on public pages.
    let hide = data.instance.get().hide_remote_personal_data;
    let text = |p: &Post, s: &str| {
        if hide && !p.local {
            crate::read::posts::masked(s)
        } else {
            s.to_string()
        }
    };
    for p in f.entries {
        let author = f
            .authors
            .iter()
            .find(|a| a.id == p.author_id)
            .map(|a| format!("@{}", a.handle()))
            .unwrap_or_else(|| "unknown".into());
        let href = match p.question_id {
            Some(q) => format!("{base}/q/{q}#p{}", p.id),
            None => format!("{base}/q/{}", p.id),
        };
        out.push_str(&format!(
            "<entry>\n<id>{}</id>\n<title>{}</title>\n\
             <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n\
             <published>{}</published>\n<updated>{}</updated>\n\
             <author><name>{}</name></author>\n\
             <content type=\"html\">{}</content>\n</entry>\n",
            xml_escape(&p.ap_id),
            xml_escape(&text(p, &entry_title(p, question_title))),
            xml_escape(&href),
            rfc3339(p.published_at),
            rfc3339(p.updated_at.unwrap_or(p.published_at)),
            xml_escape(&author),
            xml_escape(&text(p, &p.content_html)),
        ));
    }
    out.push_str("</feed>\n");
    out
}

fn atom(body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
        .into_response()
}

fn newest(entries: &[Post], fallback: i64) -> i64 {
    entries
        .iter()
        .map(|p| p.updated_at.unwrap_or(p.published_at))
        .max()
        .unwrap_or(fallback)
}

/// A local group's newest questions.
pub async fn group_feed(data: Ctx, Path(name): Path<String>) -> AppResult<Response> {
    let (actor, group, posts, authors) = data
        .db
        .run(move |c| {
            let actor = queries::actors::local_by_name(c, &name)?
                .filter(|a| a.is_group() && !a.deleted)
                .ok_or_else(|| AppError::NotFound("no such group".into()))?;
            let group = queries::groups::by_actor_id(c, actor.id)?
                .ok_or_else(|| AppError::NotFound("no such group".into()))?;
            let posts = queries::posts::list_questions(
                c,
                Some(actor.id),
                Sort::New,
                None,
                (0, ENTRIES),
                &[],
            )?;
            let mut ids: Vec<i64> = posts.iter().map(|p| p.author_id).collect();
            ids.sort_unstable();
            ids.dedup();
            let authors = queries::actors::by_ids(c, &ids)?;
            Ok((actor, group, posts, authors))
        })
        .await?;
    let feed = Feed {
        id: actor.ap_id.clone(),
        title: group.title.clone(),
        self_href: format!("/g/{}/feed.atom", actor.name),
        alternate: format!("/g/{}", actor.name),
        updated_ms: newest(&posts, group.created_at),
        entries: &posts,
        authors: &authors,
    };
    Ok(atom(render(&data, &feed, "")))
}

/// A question's newest answers.
pub async fn question_feed(data: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let id: i64 = id
        .parse()
        .map_err(|_| AppError::NotFound("no such question".into()))?;
    let (question, answers, authors) = data
        .db
        .run(move |c| {
            let q = queries::posts::by_id(c, id)?
                .filter(|p| p.public && p.is_question())
                .ok_or_else(|| AppError::NotFound("no such question".into()))?;
            if !q.visible() {
                return Err(AppError::Gone("the question was removed or deleted".into()));
            }
            let answers = queries::outreach::newest_answers(c, q.id, ENTRIES)?;
            let mut ids: Vec<i64> = answers.iter().map(|p| p.author_id).collect();
            ids.sort_unstable();
            ids.dedup();
            let authors = queries::actors::by_ids(c, &ids)?;
            Ok((q, answers, authors))
        })
        .await?;
    let title = question.title.clone().unwrap_or_default();
    let feed = Feed {
        id: format!("{}/q/{}/feed.atom", data.base, question.id),
        title: format!("Answers: {title}"),
        self_href: format!("/q/{}/feed.atom", question.id),
        alternate: format!("/q/{}", question.id),
        updated_ms: newest(&answers, question.published_at),
        entries: &answers,
        authors: &authors,
    };
    Ok(atom(render(&data, &feed, &title)))
}
