//! The stored outgoing activities that carry a post's text: its `Create` and `Update`
//! (sent by its author) and its group's `Announce` of them. While the post is removed
//! they are left out of outboxes and not served; when it is deleted its text is erased
//! from them as well (the embedded object becomes a `Tombstone`).

use crate::db::ids::first_id_at;
use crate::db::models::{Activity, Post};
use crate::db::schema::activities as a;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;
use serde_json::{json, Value};

/// How much earlier than the post's row an activity about it may have been made (clock
/// steps between processes).
const SLACK_MS: i64 = 10 * 60_000;

/// Whether `v` embeds the object `ap_id` (itself, or inside an announced activity).
fn embeds(v: &Value, ap_id: &str, depth: u8) -> bool {
    let Some(obj) = v.get("object") else {
        return false;
    };
    if obj.get("id").and_then(Value::as_str) == Some(ap_id) {
        return obj.get("type").and_then(Value::as_str) != Some("Tombstone");
    }
    depth > 0 && obj.is_object() && embeds(obj, ap_id, depth - 1)
}

/// Replaces every embedded copy of `ap_id` in `v` with `tombstone`.
fn erase(v: &mut Value, ap_id: &str, tombstone: &Value, depth: u8) {
    let Some(obj) = v.get_mut("object") else {
        return;
    };
    if obj.get("id").and_then(Value::as_str) == Some(ap_id) {
        *obj = tombstone.clone();
    } else if depth > 0 && obj.is_object() {
        erase(obj, ap_id, tombstone, depth - 1);
    }
}

/// The activities sent from here that embed `post`.
fn embedding(conn: &mut DbConn, post: &Post) -> AppResult<Vec<(Activity, Value)>> {
    let since = first_id_at(post.created_at.min(post.published_at) - SLACK_MS);
    let actors: Vec<i64> = std::iter::once(post.author_id)
        .chain(post.group_id)
        .collect();
    // A prefilter only (LIKE's `_` matches any character): the JSON decides.
    let pattern = format!("%\"{}\"%", post.ap_id);
    let rows: Vec<Activity> = with_conn!(conn, c => a::table
        .filter(a::actor_id.eq_any(&actors))
        .filter(a::id.ge(since))
        .filter(a::kind.eq_any(["Create", "Update", "Announce"]))
        .filter(a::body.like(&pattern))
        .select(Activity::as_select())
        .load(c))?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let v: Value = serde_json::from_str(&row.body).ok()?;
            embeds(&v, &post.ap_id, 2).then_some((row, v))
        })
        .collect())
}

/// Hides (`hidden`) or shows again the activities that carry `post` (a removal and its
/// restoration).
pub fn set_hidden(conn: &mut DbConn, post: &Post, hidden: bool) -> AppResult<()> {
    let ids: Vec<i64> = embedding(conn, post)?
        .into_iter()
        .map(|(row, _)| row.id)
        .collect();
    if !ids.is_empty() {
        with_conn!(conn, c => diesel::update(a::table.filter(a::id.eq_any(&ids)))
            .set(a::public.eq(!hidden && post.public))
            .execute(c))?;
    }
    Ok(())
}

/// Erases `post`'s text from the activities that carry it and stops serving them.
pub fn erase_text(conn: &mut DbConn, post: &Post) -> AppResult<()> {
    let tombstone = json!({
        "id": post.ap_id,
        "type": "Tombstone",
        "formerType": if post.is_question() { "Page" } else { "Note" },
    });
    for (row, mut v) in embedding(conn, post)? {
        erase(&mut v, &post.ap_id, &tombstone, 2);
        let body = serde_json::to_string(&v)?;
        with_conn!(conn, c => diesel::update(a::table.find(row.id))
            .set((a::body.eq(body), a::public.eq(false)))
            .execute(c))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_erases_direct_and_announced_copies_only() {
        let id = "https://x.example/q/1";
        let mut create =
            json!({"type": "Create", "object": {"id": id, "type": "Page", "content": "secret"}});
        let mut announce = json!({"type": "Announce", "object": create.clone()});
        let other = json!({"type": "Update", "object": {"id": "https://x.example/q/2", "acceptedAnswer": id}});
        assert!(embeds(&create, id, 2) && embeds(&announce, id, 2));
        assert!(!embeds(&other, id, 2));
        let t = json!({"id": id, "type": "Tombstone"});
        erase(&mut create, id, &t, 2);
        erase(&mut announce, id, &t, 2);
        assert!(!create.to_string().contains("secret") && !announce.to_string().contains("secret"));
        assert!(!embeds(&announce, id, 2));
    }
}
