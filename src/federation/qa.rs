//! How Q&A federates around a group: the group's announcements (FEP-1b12) and looking
//! posts up. Local actions live in [`crate::actions`]; their activities are built in
//! [`super::outgoing`].

use super::posts::FedPost;
use super::{outbox, PUBLIC};
use crate::db::models::{Actor, Post};
use crate::db::queries;
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use serde_json::{json, Value};

fn strip_context(mut v: Value) -> Value {
    if let Value::Object(m) = &mut v {
        m.remove("@context");
    }
    v
}

pub async fn group_of(data: &Ctx, post: &Post) -> AppResult<Actor> {
    let gid = post
        .group_id
        .ok_or_else(|| AppError::Invalid("this post is in no group".into()))?;
    data.db
        .run(move |c| queries::actors::by_id(c, gid))
        .await?
        .ok_or_else(|| AppError::NotFound("group not found".into()))
}

/// The group's `Announce` (FEP-1b12) of `activity` and, for a `Create` of an embedded
/// object, a second `Announce` of the bare object for microblogs, which show that as a
/// boost. Each: (row id, body, public).
pub fn announcements(
    state: &crate::state::AppState,
    group: &Actor,
    activity: &Value,
) -> Vec<(i64, Value, bool)> {
    announcements_at(&state.base, group, activity)
}

/// [`announcements`] by the instance at `base`.
pub fn announcements_at(base: &str, group: &Actor, activity: &Value) -> Vec<(i64, Value, bool)> {
    let followers = group.followers_url.clone().unwrap_or_default();
    let (row, id) = outbox::activity_id(base, "Announce");
    let mut out = vec![(
        row,
        json!({
            "id": id,
            "type": "Announce",
            "actor": group.ap_id,
            "object": strip_context(activity.clone()),
            "to": [PUBLIC],
            "cc": [followers],
            "audience": group.ap_id,
            "published": super::timestamps::ap_now(),
        }),
        true,
    )];
    let object = &activity["object"];
    if activity["type"] == "Create" && object.is_object() {
        let (row, id) = outbox::activity_id(base, "Announce");
        out.push((
            row,
            json!({
                "id": id,
                "type": "Announce",
                "actor": group.ap_id,
                "object": object["id"],
                "to": [PUBLIC],
                "cc": [followers],
                "published": super::timestamps::ap_now(),
            }),
            false,
        ));
    }
    out
}

/// Whether `actor` may choose the accepted answer of `question` (see
/// [`crate::actions::rules::may_accept`]).
pub async fn may_accept(data: &Ctx, actor: &Actor, question: &Post) -> AppResult<bool> {
    let (actor, question) = (actor.clone(), question.clone());
    data.db
        .run(move |c| crate::actions::rules::may_accept(c, &actor, &question))
        .await
}

/// Looks a post up by URL, fetching it (and its parents) when unknown.
pub async fn resolve_post(data: &Ctx, url: &str) -> AppResult<Post> {
    Ok(
        activitypub_federation::fetch::object_id::ObjectId::<FedPost>::from(url::Url::parse(url)?)
            .dereference(data)
            .await?
            .0,
    )
}
