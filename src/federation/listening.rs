//! Listening, receiving side: a public post from elsewhere (relayed, or received in our
//! own inbox and kept nowhere else) is matched against every organisation's terms
//! ([`crate::domain::listening`]) and stored in the queue of each organisation it
//! matched, once per organisation and object however often it arrives. It is never
//! stored as a post.

use super::posts::{actor_by_url, ApObject};
use super::wire::{domain_of, ids, is_public};
use crate::db::ids::new_id;
use crate::db::now_ms;
use crate::db::queries::listening::{self as lq, Item};
use crate::domain::listening::{excerpt, Post};
use crate::error::AppResult;
use crate::state::Ctx;
use serde_json::Value;

/// Whether any organisation listens for anything (else nothing is fetched or read).
pub async fn has_terms(data: &Ctx) -> AppResult<bool> {
    Ok(!data.db.run(lq::all_terms).await?.is_empty())
}

fn text<'a>(obj: &'a ApObject, key: &str) -> &'a str {
    obj.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// Matches `obj` and stores it in the queues it matched (`source`: `relay` or
/// `inbox`). Returns how many queues took it anew.
pub async fn collect(data: &Ctx, obj: &ApObject, source: &str) -> AppResult<usize> {
    if !matches!(obj.kind.as_str(), "Note" | "Article" | "Page" | "Question") {
        return Ok(0);
    }
    let id = obj.id.to_string();
    let mut addressed = ids(obj.get("to"));
    addressed.extend(ids(obj.get("cc")));
    let Some(author_url) = ids(obj.get("attributedTo")).into_iter().next() else {
        return Ok(0);
    };
    let own = domain_of(&id).as_deref() == Some(data.domain());
    if !is_public(&addressed) || own || domain_of(&author_url) != domain_of(&id) {
        return Ok(0);
    }
    let terms = data.db.run(lq::all_terms).await?;
    if terms.is_empty() {
        return Ok(0);
    }
    let hashtags: Vec<&str> = obj
        .get("tag")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|t| t.get("type").and_then(Value::as_str) == Some("Hashtag"))
        .filter_map(|t| t.get("name").and_then(Value::as_str))
        .collect();
    let content = text(obj, "content");
    let post = Post::new(
        &[content, text(obj, "name"), text(obj, "summary")],
        &hashtags,
    );
    // The first matching term of each organisation.
    let mut matched: Vec<(i64, String)> = Vec::new();
    for t in &terms {
        if matched.last().is_some_and(|(o, _)| *o == t.organisation_id) {
            continue;
        }
        if post.matches(&t.term) {
            matched.push((t.organisation_id, t.term.clone()));
        }
    }
    if matched.is_empty() {
        return Ok(0);
    }
    // The author is kept, so that staff can reply to them or write to them.
    let author = actor_by_url(data, &author_url).await?;
    let url = obj
        .get("url")
        .and_then(|u| ids(Some(u)).into_iter().find(|u| u.starts_with("http")))
        .unwrap_or_else(|| id.clone());
    let (excerpt_html, now) = (excerpt(content), now_ms());
    let items: Vec<Item> = matched
        .into_iter()
        .map(|(org, term)| Item {
            id: new_id(),
            organisation_id: org,
            object_ap_id: id.clone(),
            url: url.clone(),
            author_ap_id: author.ap_id.clone(),
            author_name: author.handle(),
            excerpt_html: excerpt_html.clone(),
            matched_term: term,
            source: source.to_string(),
            status: lq::NEW.into(),
            handled_by: None,
            reply_ap_id: None,
            reply_md: None,
            received_at: now,
            updated_at: now,
        })
        .collect();
    let n = data.db.run(move |c| lq::insert_items(c, &items)).await?;
    if n > 0 {
        tracing::info!(%id, queues = n, source, "listening: a post matched");
    }
    Ok(n)
}
