//! Backfill: when someone here first follows a remote group, its outbox is read to bring
//! in recent questions; a question's thread is completed from its `context` collection
//! (FEP-7888 / FEP-f228) when the server offers one.

use super::incoming::post_by_url;
use super::wire::id_of;
use crate::db::models::Actor;
use crate::db::queries;
use crate::error::AppResult;
use crate::state::Ctx;
use activitypub_federation::fetch::fetch_object_http;
use serde_json::Value;
use url::Url;

/// Most questions taken from an outbox, and most posts from one context collection.
const OUTBOX_ITEMS: usize = 20;
const CONTEXT_ITEMS: usize = 200;
/// Most pages read of one collection.
const MAX_PAGES: usize = 10;

async fn fetch_json(data: &Ctx, url: &str) -> AppResult<Value> {
    let url = Url::parse(url)?;
    Ok(fetch_object_http::<_, Value>(&url, data).await?.object)
}

/// The items of a collection: inline, or on its pages (`first`, then each `next`), up
/// to `limit`. Lemmy serves a thread's context as one page of ids; others page theirs.
async fn items(data: &Ctx, collection: Value, limit: usize) -> AppResult<Vec<Value>> {
    let inline = |c: &Value| {
        c.get("orderedItems")
            .or_else(|| c.get("items"))
            .and_then(Value::as_array)
            .cloned()
    };
    if let Some(i) = inline(&collection) {
        return Ok(i.into_iter().take(limit).collect());
    }
    let mut out = Vec::new();
    let mut page = collection.get("first").cloned();
    for _ in 0..MAX_PAGES {
        let current = match page {
            Some(Value::String(u)) => fetch_json(data, &u).await?,
            Some(v @ Value::Object(_)) => v,
            _ => break,
        };
        let items = inline(&current).unwrap_or_default();
        if items.is_empty() {
            break;
        }
        out.extend(items);
        if out.len() >= limit {
            break;
        }
        page = current.get("next").cloned();
    }
    out.truncate(limit);
    Ok(out)
}

/// The post an outbox item is about: `Announce{Create{Page}}`, `Create{Page}` or a `Page`.
fn object_of(item: &Value) -> Option<String> {
    let mut v = item;
    for _ in 0..3 {
        match v.get("type").and_then(Value::as_str) {
            Some("Announce") | Some("Create") => v = v.get("object")?,
            Some(_) => return id_of(v).map(str::to_string),
            None => return v.as_str().map(str::to_string),
        }
    }
    None
}

/// Reads a remote group's outbox and stores its recent questions (fetched from their
/// origin), then completes their threads.
pub async fn group_outbox(data: &Ctx, group: &Actor) -> AppResult<usize> {
    let Some(outbox) = group.outbox.clone() else {
        return Ok(0);
    };
    let collection = fetch_json(data, &outbox).await?;
    let mut stored = 0;
    for item in items(data, collection, OUTBOX_ITEMS).await? {
        let Some(id) = object_of(&item) else { continue };
        let known = {
            let id = id.clone();
            data.db
                .run(move |c| queries::posts::by_ap_id(c, &id))
                .await?
                .is_some()
        };
        match post_by_url(&data.reset_request_count(), &id).await {
            Ok(post) => {
                stored += 1;
                // A question fetched now has its thread completed as it is stored (see
                // `store_remote`); one known before may have missed replies since.
                if known && post.is_question() && !post.local {
                    let _ = thread(data, &post.ap_id).await;
                }
            }
            Err(e) => tracing::debug!(%id, "backfill skipped an item: {e}"),
        }
    }
    Ok(stored)
}

/// Completes a question's thread from its `context` collection (read from the
/// question's document).
pub async fn thread(data: &Ctx, question_url: &str) -> AppResult<usize> {
    // Each thread has its own budget of requests.
    let data = &data.reset_request_count();
    let doc = fetch_json(data, question_url).await?;
    let Some(context) = doc.get("context").and_then(id_of).map(str::to_string) else {
        return Ok(0);
    };
    thread_from(data, question_url, &context).await
}

/// Completes a question's thread from the `context` collection it names: the posts
/// listed are fetched from their own servers (a Lemmy thread lists the post first, then
/// its comments from any instance, each by id).
pub async fn thread_from(data: &Ctx, question_url: &str, context: &str) -> AppResult<usize> {
    let data = &data.reset_request_count();
    let collection = match fetch_json(data, context).await {
        Ok(c) => c,
        Err(_) => return Ok(0), // not every server serves its contexts
    };
    let mut stored = 0;
    for item in items(data, collection, CONTEXT_ITEMS).await? {
        let Some(id) = id_of(&item).filter(|id| *id != question_url) else {
            continue;
        };
        if post_by_url(&data.reset_request_count(), id).await.is_ok() {
            stored += 1;
        }
    }
    Ok(stored)
}

/// Completes in the background the thread of a remote question just fetched, when it
/// names a `context` collection.
pub fn spawn_thread(data: &Ctx, question_url: &str, context: &str) {
    let (data, question, context) = (
        data.reset_request_count(),
        question_url.to_string(),
        context.to_string(),
    );
    tokio::spawn(async move {
        match thread_from(&data, &question, &context).await {
            Ok(n) => tracing::debug!(%question, n, "thread completed from its context"),
            Err(e) => tracing::debug!(%question, "thread backfill failed: {e}"),
        }
    });
}
