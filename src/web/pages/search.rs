//! Search results (`/search`): the API's full-text search with filters (group,
//! solved/unanswered, tag) and the matched words highlighted. Public posts, and for a
//! signed-in member the posts of the private groups they may read
//! (`rules::readable_private_groups`, worked out once per search).

use super::{date, Author};
use crate::db::queries;
use crate::db::queries::posts::SearchStatus;
use crate::domain::posts::html_to_text;
use crate::error::{AppError, AppResult};
use crate::read::posts::views;
use crate::state::Ctx;
use crate::web::i18n::Tr;
use crate::web::layout::{error_page, respond, Layout};
use crate::web::session::{viewer_tr, Viewer};
use askama::Template;
use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SearchForm {
    pub q: String,
    pub group: String,
    pub status: String,
    pub tag: String,
}

pub struct Hit {
    pub href: String,
    /// Escaped HTML with `<mark>`ed matches.
    pub title_html: String,
    pub snippet_html: String,
    pub answer: bool,
    pub solved: bool,
    pub score: i64,
    pub author: Author,
    pub published: String,
    pub date: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    l: Layout,
    form: SearchForm,
    groups: Vec<(String, String)>,
    searched: bool,
    /// Knowledge articles matching the words, shown first: (link, title, snippet), the
    /// title and snippet escaped HTML with the matches marked.
    articles: Vec<(String, String, String)>,
    hits: Vec<Hit>,
}

pub async fn search(data: Ctx, headers: HeaderMap, Query(form): Query<SearchForm>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    match render(&data, form, &v, &tr).await {
        Ok(page) => respond(&data, &v, StatusCode::OK, &page),
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}

async fn render(data: &Ctx, form: SearchForm, v: &Viewer, tr: &Tr) -> AppResult<SearchPage> {
    if form.q.len() > 200 || form.tag.len() > 100 {
        return Err(AppError::Invalid(
            "search terms are at most 200 characters".into(),
        ));
    }
    let status = match form.status.as_str() {
        "solved" => Some(SearchStatus::Solved),
        "unanswered" => Some(SearchStatus::Unanswered),
        _ => None,
    };
    let groups: Vec<(String, String, i64)> = data
        .db
        .run(queries::groups::list_local)
        .await?
        .into_iter()
        .map(|(g, a)| (a.name, g.title, a.id))
        .collect();
    let group = groups
        .iter()
        .find(|(n, _, _)| *n == form.group)
        .map(|g| g.2);
    let tag = form.tag.trim().to_lowercase();
    let searched = !form.q.trim().is_empty();
    let mut hits = Vec::new();
    let mut articles = Vec::new();
    if searched && status.is_none() && tag.is_empty() {
        let words = words(&form.q);
        for a in crate::read::articles::search(data, &form.q, group, 5).await? {
            let text = html_to_text(&a.content_html);
            articles.push((
                format!("/search/open?kb={}", a.id),
                highlight(&a.title, &words),
                highlight(&snippet(&text, &words), &words),
            ));
        }
    }
    if searched {
        let text = form.q.clone();
        let viewer = v.user.as_ref().map(|(_, a)| a.clone());
        let posts = data
            .db
            .run(move |c| {
                // A private group's posts only for those who may read it.
                let readable = crate::actions::rules::readable_private_groups(c, viewer.as_ref())?;
                let posts = queries::posts::search(c, &text, group, status, 50, &readable)?;
                let qids: Vec<i64> = posts.iter().filter_map(|p| p.question_id).collect();
                Ok((posts, queries::posts::by_ids(c, &qids)?))
            })
            .await?;
        let (posts, questions) = posts;
        let question_of = |id: i64| questions.iter().find(|q| q.id == id);
        let words = words(&form.q);
        let shown = views(data, v.user.as_ref().map(|(_, a)| a), posts.clone()).await?;
        for (view, post) in shown.iter().zip(posts.iter()) {
            let question = if post.is_question() {
                Some(post)
            } else {
                post.question_id.and_then(question_of)
            };
            let Some(question) = question else { continue };
            if !tag.is_empty() && !question.tags.split_whitespace().any(|t| t == tag) {
                continue;
            }
            let title = question.title.clone().unwrap_or_default();
            hits.push(Hit {
                href: format!("/search/open?p={}", post.id),
                title_html: highlight(&title, &words),
                snippet_html: highlight(
                    &snippet(&html_to_text(&view.content_html), &words),
                    &words,
                ),
                answer: !post.is_question(),
                solved: question.accepted_answer_id.is_some(),
                score: view.score.into(),
                author: Author::new(&view.author),
                date: date(&view.published),
                published: view.published.clone(),
            });
        }
    }
    let title = if searched {
        tr.s("search-title-for", form.q.trim())
    } else {
        tr.t("search-title")
    };
    let mut l = Layout::new(data, v, tr, title);
    l.q = form.q.clone();
    Ok(SearchPage {
        l,
        form,
        groups: groups.into_iter().map(|(n, t, _)| (n, t)).collect(),
        searched,
        articles,
        hits,
    })
}

/// The search words of a query, lowercased (as the database search splits them).
pub fn words(query: &str) -> Vec<String> {
    query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(12)
        .map(str::to_lowercase)
        .collect()
}

/// About 240 characters of `text` around its first match.
pub fn snippet(text: &str, words: &[String]) -> String {
    const LEN: usize = 240;
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= LEN {
        return text.to_string();
    }
    let lower: Vec<char> = chars.iter().map(|c| fold(*c)).collect();
    let first = (0..chars.len())
        .find(|i| words.iter().any(|w| matches_at(&lower, *i, w)))
        .unwrap_or(0);
    let start = first.saturating_sub(60);
    let end = (start + LEN).min(chars.len());
    let mut s: String = chars[start..end].iter().collect();
    if start > 0 {
        s.insert(0, '…');
    }
    if end < chars.len() {
        s.push('…');
    }
    s
}

fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

fn matches_at(lower: &[char], i: usize, word: &str) -> bool {
    let mut n = 0;
    for (k, w) in word.chars().enumerate() {
        if lower.get(i + k) != Some(&w) {
            return false;
        }
        n += 1;
    }
    n > 0
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// `text` escaped for HTML, with the search words (case-insensitive) in `<mark>`.
pub fn highlight(text: &str, words: &[String]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let lower: Vec<char> = chars.iter().map(|c| fold(*c)).collect();
    let lengths: HashMap<&str, usize> = words
        .iter()
        .map(|w| (w.as_str(), w.chars().count()))
        .collect();
    let mut out = String::with_capacity(text.len() + 16);
    let mut i = 0;
    while i < chars.len() {
        let hit = words
            .iter()
            .filter(|w| matches_at(&lower, i, w))
            .map(|w| lengths[w.as_str()])
            .max();
        match hit {
            Some(n) => {
                out.push_str("<mark>");
                let part: String = chars[i..i + n].iter().collect();
                escape_into(&mut out, &part);
                out.push_str("</mark>");
                i += n;
            }
            None => {
                escape_into(&mut out, chars[i].encode_utf8(&mut [0; 4]));
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_are_marked_and_the_rest_escaped() {
        let w = words("Printer <b>jam");
        assert_eq!(
            highlight("My printer <b> JAMS", &w),
            "My <mark>printer</mark> &lt;<mark>b</mark>&gt; <mark>JAM</mark>S"
        );
        assert_eq!(highlight("Drücker", &words("drü")), "<mark>Drü</mark>cker");
        assert_eq!(html_to_text("<p>a &amp; b</p><p>c</p>"), "a & b c");
        assert_eq!(
            html_to_text("<p>shows <strong>E42</strong>.</p>"),
            "shows E42."
        );
        let long = format!("{} needle {}", "x ".repeat(200), "y ".repeat(200));
        let s = snippet(&long, &words("needle"));
        assert!(s.contains("needle") && s.starts_with('…') && s.chars().count() < 250);
    }
}
