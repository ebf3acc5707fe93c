//! Backfill: when someone here first follows a remote group, its outbox is read to bring
//! in recent questions; a question's thread is completed from its `context` collection
//! (FEP-7888 / FEP-f228) when the server offers one.

use super::inbox::id_of;
use super::posts::post_by_url;
use crate::db::models::Actor;
use crate::error::AppResult;
use crate::state::Ctx;
use activitypub_federation::fetch::fetch_object_http;
use serde_json::Value;
use url::Url;

/// Most questions taken from an outbox, and most posts from one context collection.
const OUTBOX_ITEMS: usize = 20;
const CONTEXT_ITEMS: usize = 100;

async fn fetch_json(data: &Ctx, url: &str) -> AppResult<Value> {
    let url = Url::parse(url)?;
    Ok(fetch_object_http::<_, Value>(&url, data).await?.object)
}

/// The items of a collection: inline, or on its first page.
async fn items(data: &Ctx, collection: Value) -> AppResult<Vec<Value>> {
    let inline = |c: &Value| {
        c.get("orderedItems")
            .or_else(|| c.get("items"))
            .and_then(Value::as_array)
            .cloned()
    };
    if let Some(i) = inline(&collection) {
        return Ok(i);
    }
    let first = match collection.get("first") {
        Some(Value::String(u)) => fetch_json(data, u).await?,
        Some(v @ Value::Object(_)) => v.clone(),
        _ => return Ok(vec![]),
    };
    Ok(inline(&first).unwrap_or_default())
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
    for item in items(data, collection).await?.iter().take(OUTBOX_ITEMS) {
        let Some(id) = object_of(item) else { continue };
        match post_by_url(&data.reset_request_count(), &id).await {
            Ok(post) => {
                stored += 1;
                if post.is_question() {
                    let _ = thread(data, &post.ap_id).await;
                }
            }
            Err(e) => tracing::debug!(%id, "backfill skipped an item: {e}"),
        }
    }
    Ok(stored)
}

/// Completes a question's thread from its `context` collection.
pub async fn thread(data: &Ctx, question_url: &str) -> AppResult<usize> {
    let doc = fetch_json(data, question_url).await?;
    let Some(context) = doc.get("context").and_then(id_of).map(str::to_string) else {
        return Ok(0);
    };
    let collection = match fetch_json(data, &context).await {
        Ok(c) => c,
        Err(_) => return Ok(0), // not every server serves its contexts
    };
    let mut stored = 0;
    for item in items(data, collection).await?.iter().take(CONTEXT_ITEMS) {
        if let Some(id) = id_of(item) {
            if post_by_url(&data.reset_request_count(), id).await.is_ok() {
                stored += 1;
            }
        }
    }
    Ok(stored)
}
