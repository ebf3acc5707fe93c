//! Reading ActivityPub JSON as servers send it: ids given as a string, an object or an
//! array, public addressing, one object per activity. Pure functions, at the bottom of
//! federation's receive path, so that every part of it can use them.

use super::PUBLIC;
use crate::error::{AppError, AppResult};
use serde_json::Value;
use url::Url;

/// The id of an `actor`/`object` value that is either a string or an object with `id`.
pub fn id_of(v: &Value) -> Option<&str> {
    match v {
        Value::String(s) => Some(s),
        Value::Object(m) => m.get("id").and_then(Value::as_str),
        Value::Array(a) => a.first().and_then(id_of),
        _ => None,
    }
}

/// The id of an activity's `object` (empty when it has none).
pub fn object_id(activity: &Value) -> String {
    activity
        .get("object")
        .and_then(id_of)
        .unwrap_or_default()
        .to_string()
}

/// Every id in a value that may be a string, an object with `id`/`href`, or an array.
pub fn ids(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a.iter().flat_map(|x| ids(Some(x))).collect(),
        Some(Value::Object(m)) => m
            .get("id")
            .or_else(|| m.get("href"))
            .and_then(Value::as_str)
            .map(|s| vec![s.to_string()])
            .unwrap_or_default(),
        _ => vec![],
    }
}

pub fn is_public(to: &[String]) -> bool {
    to.iter()
        .any(|t| t == PUBLIC || t == "as:Public" || t == "Public")
}

/// Refuses an activity whose `object` is an array: peerdesk handles one object per
/// activity, and guessing which one was meant is not safe. A `Flag` is the exception:
/// Mastodon's names the reported account and posts in one array.
pub fn single_object(activity: &Value) -> AppResult<()> {
    if activity.get("object").is_some_and(Value::is_array)
        && activity.get("type").and_then(Value::as_str) != Some("Flag")
    {
        return Err(AppError::Invalid(
            "an activity with several objects is not supported; send one per activity".into(),
        ));
    }
    Ok(())
}

/// `host[:port]` of a URL.
pub fn host_of(url: &Url) -> String {
    match url.port() {
        Some(p) => format!("{}:{}", url.host_str().unwrap_or_default(), p),
        None => url.host_str().unwrap_or_default().to_string(),
    }
}

/// `host[:port]` of a URL string, as stored in `actors.domain` and `deliveries.domain`.
pub fn domain_of(url: &str) -> Option<String> {
    Url::parse(url).ok().map(|u| host_of(&u))
}

/// Whether two URLs are on the same server.
pub fn same_server(a: &str, b: &str) -> bool {
    domain_of(a).is_some() && domain_of(a) == domain_of(b)
}
