//! Knowledge articles as ActivityPub `Article` objects: written (`Create`), edited
//! (`Update`) and retired (`Delete`, the object served as a `Tombstone`) by staff or
//! moderators of a group hosted here, and announced by the group (FEP-1b12) as its
//! questions are, with the plain `Announce` of the object's id for microblogs.
//!
//! ```json
//! {"id": "<base>/kb/7", "type": "Article", "name": "Scanner jams on A3",
//!  "summary": "<p>first lines</p>", "content": "<p>...</p>", "mediaType": "text/html",
//!  "source": {"content": "...", "mediaType": "text/markdown"},
//!  "attributedTo": "<author>", "audience": "<group>",
//!  "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": ["<group>"],
//!  "published": "...", "updated": "...", "url": "<group>/kb/7",
//!  "tag": [{"type": "Hashtag", "name": "#scanner", "href": "..."}],
//!  "knowledgeBase": "<group>/kb", "sourceQuestion": "<base>/q/5"}
//! ```
//!
//! `knowledgeBase` marks an article of a group's knowledge base: received from another
//! peerdesk group, it is stored as an article of that (remote) group, not as a question.
//! Mastodon shows an `Article` as its `name`, `summary` and a link to `url`; Lemmy takes
//! it as it takes a `Page`.

use super::super::timestamps::ap_time;
use super::super::PUBLIC;
use crate::db::ids::new_id;
use crate::db::models::Actor;
use crate::db::queries::articles::{self as aq, Article};
use crate::db::{now_ms, queries, DbConn};
use crate::domain::posts::{html_to_text, normalize_tags};
use crate::domain::text::sanitize_html;
use crate::error::{AppError, AppResult};
use crate::federation::relay::Origin;
use crate::federation::wire::{id_of, ids, same_server};
use crate::state::Ctx;
use serde_json::{json, Value};

/// Characters of the summary (the article's first lines).
const SUMMARY: usize = 280;

/// The address of an article's page: `<group>/kb/<id>` on the group's server.
pub fn page_url(group: &Actor, article: &Article) -> String {
    format!("{}/kb/{}", group.ap_id, article.id)
}

/// The first lines of `html` as text, at most [`SUMMARY`] characters.
fn summary(html: &str) -> String {
    let text = html_to_text(html);
    let joined = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    if joined.chars().count() <= SUMMARY {
        return joined;
    }
    let cut: String = joined.chars().take(SUMMARY).collect();
    format!("{}…", cut.trim_end())
}

/// The `Article` JSON of a local article (a `Tombstone` once retired), without
/// `@context`.
pub fn article_json(c: &mut DbConn, base: &str, article: &Article) -> AppResult<Value> {
    if let Some(at) = article.retired_at {
        return Ok(json!({
            "id": article.ap_id,
            "type": "Tombstone",
            "formerType": "Article",
            "deleted": ap_time(at),
        }));
    }
    let author = queries::actors::by_id(c, article.author_id)?
        .ok_or_else(|| AppError::Internal("article without author".into()))?;
    let group = queries::actors::by_id(c, article.group_id)?
        .ok_or_else(|| AppError::Internal("article without group".into()))?;
    let tags: Vec<Value> = article
        .tags
        .split_whitespace()
        .map(|t| json!({"type": "Hashtag", "name": format!("#{t}"), "href": format!("{base}/api/v1/questions?tag={t}")}))
        .collect();
    let summary = html_escape(&summary(&article.content_html));
    let mut v = json!({
        "id": article.ap_id,
        "type": "Article",
        "name": article.title,
        "summary": format!("<p>{summary}</p>"),
        "content": article.content_html,
        "mediaType": "text/html",
        "source": {"content": article.body_md, "mediaType": "text/markdown"},
        "attributedTo": author.ap_id,
        "audience": group.ap_id,
        "to": [PUBLIC],
        "cc": [group.ap_id],
        "published": ap_time(article.created_at),
        "url": page_url(&group, article),
        "tag": tags,
        "knowledgeBase": format!("{}/kb", group.ap_id),
        "sensitive": false,
    });
    if article.updated_at != article.created_at {
        v["updated"] = json!(ap_time(article.updated_at));
    }
    if let Some(q) = &article.source_ap_id {
        v["sourceQuestion"] = json!(q);
    }
    Ok(v)
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Whether `object` is an article of a group's knowledge base.
pub fn is_article(object: &Value) -> bool {
    object.get("type").and_then(Value::as_str) == Some("Article")
        && object.get("knowledgeBase").is_some()
}

/// Whether `activity` (`Create`/`Update`) carries a knowledge article.
pub fn carries_article(activity: &Value) -> bool {
    activity.get("object").is_some_and(is_article)
}

/// A `Create` or `Update` of an article of a remote group: stored, or its stored copy
/// replaced. The article, its author and its group must all be on one server, which
/// sent it (directly, or announced by the group).
pub async fn on_article(data: &Ctx, origin: &Origin<'_>, activity: &Value) -> AppResult<()> {
    let object = activity.get("object").cloned().unwrap_or(Value::Null);
    let object_id = id_of(&object).unwrap_or_default().to_string();
    let group_url = ids(object.get("audience")).into_iter().next();
    let author_url = ids(object.get("attributedTo")).into_iter().next();
    let (Some(group_url), Some(author_url)) = (group_url, author_url) else {
        return Err(AppError::Invalid(
            "an article names its group and author".into(),
        ));
    };
    let sender = origin.via.unwrap_or(origin.actor);
    let one_server = same_server(&object_id, &group_url)
        && same_server(&object_id, &author_url)
        && same_server(&object_id, &sender.ap_id)
        && origin.via.is_none_or(|g| g.ap_id == group_url);
    if !one_server {
        return Err(AppError::Forbidden(
            "an article comes from its group's server".into(),
        ));
    }
    let g = group_url.clone();
    let group = data
        .db
        .run(move |c| queries::actors::by_ap_id(c, &g))
        .await?
        .filter(|g| g.is_group() && !g.local);
    let Some(group) = group else {
        tracing::info!(%object_id, "ignoring an article of a group not known here");
        return Ok(());
    };
    let author = super::super::posts::actor_by_url(data, &author_url).await?;
    let title = object
        .get("name")
        .and_then(Value::as_str)
        .map(|n| html_to_text(n).trim().to_string())
        .filter(|n| !n.is_empty())
        .ok_or_else(|| AppError::Invalid("an article has a name".into()))?;
    let content_html = sanitize_html(object.get("content").and_then(Value::as_str).unwrap_or(""));
    let body_md = object
        .get("source")
        .filter(|s| s.get("mediaType").and_then(Value::as_str) == Some("text/markdown"))
        .and_then(|s| s.get("content"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| html_to_text(&content_html));
    let tags = normalize_tags(
        object
            .get("tag")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|t| t.get("type").and_then(Value::as_str) == Some("Hashtag"))
            .filter_map(|t| t.get("name").and_then(Value::as_str))
            .map(str::to_string)
            .collect(),
    );
    let time = |k: &str| {
        object
            .get(k)
            .and_then(Value::as_str)
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.timestamp_millis())
    };
    let now = now_ms();
    let published = time("published").unwrap_or(now);
    let updated = time("updated").unwrap_or(published);
    let source_ap_id = object
        .get("sourceQuestion")
        .and_then(id_of)
        .map(str::to_string);
    data.db
        .run(move |c| {
            c.transaction(|c| {
                let source_question_id = match &source_ap_id {
                    Some(q) => queries::posts::by_ap_id(c, q)?.map(|p| p.id),
                    None => None,
                };
                match aq::by_ap_id(c, &object_id)? {
                    Some(stored) if stored.local || stored.group_id != group.id => Err(
                        AppError::Forbidden("that article is not this group's".into()),
                    ),
                    Some(stored) if stored.updated_at >= updated => Ok(()),
                    Some(stored) => {
                        let revision = aq::Revision {
                            id: new_id(),
                            article_id: stored.id,
                            editor_id: author.id,
                            title: stored.title.clone(),
                            body_md: stored.body_md.clone(),
                            tags: stored.tags.clone(),
                            created_at: updated,
                        };
                        let article = Article {
                            title,
                            body_md,
                            content_html,
                            tags,
                            updated_at: updated,
                            reviewed_at: updated,
                            ..stored
                        };
                        aq::update_if_newer(c, &article, &revision).map(|_| ())
                    }
                    None => aq::insert_received(
                        c,
                        &Article {
                            id: new_id(),
                            ap_id: object_id,
                            group_id: group.id,
                            title,
                            body_md,
                            content_html,
                            tags,
                            source_question_id,
                            source_ap_id,
                            author_id: author.id,
                            created_at: published,
                            updated_at: updated,
                            reviewed_at: updated,
                            retired_at: None,
                            local: false,
                        },
                    ),
                }
            })
        })
        .await
}

/// A `Delete` of a stored remote article, from its server: the article is retired.
/// `false` when the object is no article stored here.
pub async fn on_delete(data: &Ctx, origin: &Origin<'_>, activity: &Value) -> AppResult<bool> {
    let object_id = crate::federation::wire::object_id(activity);
    let id = object_id.clone();
    let Some(stored) = data.db.run(move |c| aq::by_ap_id(c, &id)).await? else {
        return Ok(false);
    };
    let sender = origin.via.unwrap_or(origin.actor);
    if stored.local || !same_server(&object_id, &sender.ap_id) {
        return Err(AppError::Forbidden(
            "only the article's server can retire it".into(),
        ));
    }
    if stored.retired() {
        return Ok(true);
    }
    data.db
        .run(move |c| aq::set_retired(c, stored.id, Some(now_ms())))
        .await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_takes_the_first_lines_and_cuts_long_text() {
        assert_eq!(summary("<p>One</p><p>Two</p>"), "One Two");
        let long = format!("<p>{}</p>", "word ".repeat(200));
        assert!(summary(&long).chars().count() <= SUMMARY + 1);
        assert!(summary(&long).ends_with('…'));
    }

    #[test]
    fn only_articles_with_a_knowledge_base_are_articles() {
        assert!(is_article(
            &json!({"type": "Article", "knowledgeBase": "x"})
        ));
        assert!(!is_article(&json!({"type": "Article"})));
        assert!(!is_article(&json!({"type": "Page", "knowledgeBase": "x"})));
    }
}
