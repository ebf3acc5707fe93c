//! How Q&A federates around a group: the group's announcements (FEP-1b12) and looking
//! posts up. Local actions live in [`crate::actions`]; their activities are built in
//! [`super::outgoing`].

use super::activities::announce::Announce;
use super::incoming::FedPost;
use super::outbox;
use super::timestamps::ap_now;
use crate::db::models::{Actor, Post};
use crate::db::queries;
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use serde_json::Value;

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
/// boost. Each with its row id and whether it is public.
///
/// A private group's announcement goes to its members only: addressed to its followers
/// collection, not public (left out of its outbox), and without the microblog boost.
pub fn announcements(base: &str, group: &Actor, activity: &Value) -> Vec<(i64, Announce, bool)> {
    let followers = super::private::followers_of(group);
    let (row, id) = outbox::activity_id(base, "Announce");
    let embedded = strip_context(activity.clone());
    let announce = Announce::activity(id, &group.ap_id, &followers, embedded, ap_now());
    if crate::actions::rules::is_private(group) {
        return vec![(row, announce.to_members(), false)];
    }
    let mut out = vec![(row, announce, true)];
    let object = &activity["object"];
    if activity["type"] == "Create" && object.is_object() {
        let (row, id) = outbox::activity_id(base, "Announce");
        let bare = object["id"].clone();
        out.push((
            row,
            Announce::object(id, &group.ap_id, &followers, bare, ap_now()),
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
