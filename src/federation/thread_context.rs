//! The FEP-7888 `context` of a thread. Questions made here are their own context
//! (`<question>/context`, served as the thread collection). A question from another
//! server that names its own `context` (NodeBB's topic, for one) keeps it: answers and
//! comments written here carry that one, which the thread's home can resolve, instead of
//! a `<question>/context` that exists only on peerdesk servers.

use crate::db::models::Post;
use crate::db::{queries, DbConn};
use crate::error::AppResult;
use serde_json::Value;

/// The context peerdesk uses for a thread whose question is `question_id` unless the
/// question named another one.
pub fn default_for(question_id: &str) -> String {
    format!("{question_id}/context")
}

/// The `context` an object names (an id or an object with one), when it is a web URL
/// other than [`default_for`] its id (that one needs no storing).
pub fn named(object: Option<&Value>, ap_id: &str) -> Option<String> {
    let context = super::wire::id_of(object?)?;
    let url = url::Url::parse(context).ok()?;
    (matches!(url.scheme(), "https" | "http") && context != default_for(ap_id))
        .then(|| context.to_string())
}

/// The context of the thread whose question is `root`.
pub fn of_thread(conn: &mut DbConn, root: &Post) -> AppResult<String> {
    if !root.local {
        if let Some(c) = queries::post_contexts::get(conn, &root.ap_id)? {
            return Ok(c);
        }
    }
    Ok(default_for(&root.ap_id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_only_other_web_contexts() {
        let q = "https://forum.example/post/7";
        let topic = "https://forum.example/topic/3";
        assert_eq!(named(Some(&json!(topic)), q).as_deref(), Some(topic));
        assert_eq!(
            named(Some(&json!({"id": topic})), q).as_deref(),
            Some(topic)
        );
        assert_eq!(named(Some(&json!(default_for(q))), q), None);
        assert_eq!(named(Some(&json!("tag:forum.example,2026:3")), q), None);
        assert_eq!(named(None, q), None);
    }
}
