//! Private groups on the wire, in the shapes of Lemmy's private communities: the group's
//! actor says `manuallyApprovesFollowers: true`; a `Follow` of it waits for a moderator
//! (then `Accept`, or `Reject`); what happens in it is addressed to the group's
//! followers collection instead of `as:Public` and delivered to its approved followers
//! only; and its content is served only to signed fetches by its members or by servers
//! an approved member is on (Lemmy fetches with its instance actor).

use super::PUBLIC;
use crate::db::models::Actor;
use crate::db::queries;
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use axum::http::{HeaderMap, Method, Uri};
use serde_json::Value;

/// A fetch as received: method, URI and headers (its signature is in them).
pub type Fetch = (Method, Uri, HeaderMap);

/// The followers collection of `actor`.
pub fn followers_of(actor: &Actor) -> String {
    actor
        .followers_url
        .clone()
        .unwrap_or_else(|| format!("{}/followers", actor.ap_id))
}

fn is_public_id(v: &Value) -> bool {
    matches!(v.as_str(), Some(PUBLIC | "as:Public" | "Public"))
}

/// Readdresses an activity (and the object it embeds, at any depth) to a private
/// group's members: `as:Public` in `to` or `cc` becomes the group's `followers`.
pub fn members_only(activity: &mut Value, followers: &str) {
    let Value::Object(m) = activity else {
        return;
    };
    for key in ["to", "cc"] {
        let Some(field) = m.get_mut(key) else {
            continue;
        };
        let list: Vec<Value> = match field.take() {
            Value::Array(a) => a,
            Value::Null => vec![],
            one => vec![one],
        };
        let mut out: Vec<Value> = Vec::with_capacity(list.len());
        for v in list {
            let v = if is_public_id(&v) {
                Value::String(followers.to_string())
            } else {
                v
            };
            if !out.contains(&v) {
                out.push(v);
            }
        }
        *field = Value::Array(out);
    }
    if let Some(object) = m.get_mut("object") {
        members_only(object, followers);
    }
}

/// Refuses a fetch of `group`'s content (its posts, their threads, its outbox and
/// followers) when the group is private, unless the request is signed by one of its
/// members or by an actor of a server where it has an approved follower: `401` unsigned,
/// `403` signed by anyone else.
pub async fn check_fetch(data: &Ctx, group: &Actor, request: &Fetch) -> AppResult<()> {
    if !crate::actions::rules::is_private(group) {
        return Ok(());
    }
    let (method, uri, headers) = request;
    let signer = super::inbox::fetch_signer(data, method, uri, headers).await?;
    let group = group.clone();
    let allowed = data
        .db
        .run(move |c| {
            Ok(crate::actions::rules::is_member(c, &group, &signer)?
                || queries::private_groups::approved_on(c, group.id, &signer.domain)?)
        })
        .await?;
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "this group is private: only its members' servers may fetch its content".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn public_becomes_the_members() {
        let f = "https://h.example/g/vip/followers";
        let mut a = json!({
            "type": "Create", "to": [PUBLIC], "cc": ["https://h.example/g/vip", f],
            "object": {"type": "Page", "to": ["https://h.example/g/vip", "as:Public"], "cc": []},
        });
        members_only(&mut a, f);
        assert_eq!(a["to"], json!([f]));
        assert_eq!(a["cc"], json!(["https://h.example/g/vip", f]));
        assert_eq!(a["object"]["to"], json!(["https://h.example/g/vip", f]));
        assert!(!a.to_string().contains("Public"));
    }
}
