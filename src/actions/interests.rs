//! A person follows tags and people: a new question with a followed tag, or asked by a
//! followed person (here or on another server, once their question arrives here),
//! notifies them (see the notifier, `db::queries::notifications::derive`). Kept here
//! only: nobody is told, no activity is sent.

use crate::db::models::Actor;
use crate::db::queries::{self, interests};
use crate::domain::posts::normalize_tags;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// A tag as questions carry it (lowercase, no `#`); refused when nothing is left.
pub fn tag_name(raw: &str) -> AppResult<String> {
    let tag = normalize_tags(vec![raw.trim().to_string()]);
    if tag.is_empty() || tag.contains(' ') {
        return Err(AppError::Invalid(
            "a tag is letters, digits, - and _".into(),
        ));
    }
    Ok(tag)
}

/// `me` follows `tag`; returns the tag as stored.
pub async fn follow_tag(state: &AppState, me: &Actor, tag: &str) -> AppResult<String> {
    let (me, tag) = (me.id, tag_name(tag)?);
    state
        .db
        .run(move |c| interests::follow_tag(c, me, &tag).map(|_| tag))
        .await
}

/// `me` stops following `tag`.
pub async fn unfollow_tag(state: &AppState, me: &Actor, tag: &str) -> AppResult<()> {
    let (me, tag) = (me.id, tag_name(tag)?);
    let found = state
        .db
        .run(move |c| interests::unfollow_tag(c, me, &tag))
        .await?;
    if !found {
        return Err(AppError::NotFound("you do not follow that tag".into()));
    }
    Ok(())
}

/// The tags `me` follows, by name.
pub async fn tags(state: &AppState, me: &Actor) -> AppResult<Vec<String>> {
    let me = me.id;
    state.db.run(move |c| interests::tags_of(c, me)).await
}

/// `me` follows the questions of `person`.
pub async fn follow_person(state: &AppState, me: &Actor, person: &Actor) -> AppResult<()> {
    if me.id == person.id {
        return Err(AppError::Invalid("you cannot follow yourself".into()));
    }
    if person.is_group() {
        return Err(AppError::Invalid(
            "only people can be followed here; join the group instead".into(),
        ));
    }
    if person.deleted {
        return Err(AppError::Gone("that person was deleted".into()));
    }
    let (me, person) = (me.id, person.id);
    state
        .db
        .run(move |c| interests::follow_person(c, me, person).map(|_| ()))
        .await
}

/// `me` stops following `person`.
pub async fn unfollow_person(state: &AppState, me: &Actor, person: &Actor) -> AppResult<()> {
    let (me, person) = (me.id, person.id);
    let found = state
        .db
        .run(move |c| interests::unfollow_person(c, me, person))
        .await?;
    if !found {
        return Err(AppError::NotFound("you do not follow that person".into()));
    }
    Ok(())
}

/// The people `me` follows, newest first.
pub async fn people(state: &AppState, me: &Actor) -> AppResult<Vec<Actor>> {
    let me = me.id;
    state
        .db
        .run(move |c| {
            let ids = interests::people_of(c, me)?;
            let mut actors = queries::actors::by_ids(c, &ids)?;
            actors.sort_by_key(|a| ids.iter().position(|id| *id == a.id));
            Ok(actors)
        })
        .await
}

/// Whether `me` follows `person`.
pub async fn follows_person(state: &AppState, me: &Actor, person: &Actor) -> AppResult<bool> {
    let (me, person) = (me.id, person.id);
    state
        .db
        .run(move |c| interests::follows_person(c, me, person))
        .await
}

/// Top contributors a newcomer is offered to follow.
const TOP_CONTRIBUTORS: i64 = 5;

/// What the group page shows a newcomer (a follower who has not posted in the group).
pub struct GetStarted {
    /// The group's welcome message (Markdown; may be empty).
    pub welcome_md: String,
    /// The group's popular tags, each with whether `me` follows it.
    pub tags: Vec<(String, bool)>,
    /// The group's top contributors, each with whether `me` follows them.
    pub people: Vec<(Actor, bool)>,
}

/// The "Get started" pointers of `group` for `me`, or `None` when `me` is not a newcomer
/// there (does not follow it, or posted in it already).
pub async fn get_started(
    state: &AppState,
    me: &Actor,
    group: &Actor,
) -> AppResult<Option<GetStarted>> {
    let (me, gid) = (me.id, group.id);
    state
        .db
        .run(move |c| {
            let follows = queries::follows::get(c, me, gid)?.is_some_and(|f| !f.pending);
            if !follows || queries::asking::has_posted_in(c, me, gid)? {
                return Ok(None);
            }
            let Some(g) = queries::groups::by_actor_id(c, gid)? else {
                return Ok(None);
            };
            let followed = interests::tags_of(c, me)?;
            let tags = interests::popular_tags(c, gid, 8)?
                .into_iter()
                .map(|t| {
                    let f = followed.contains(&t);
                    (t, f)
                })
                .collect();
            let following = interests::people_of(c, me)?;
            let people = queries::reputation::top_contributors(c, gid, me, TOP_CONTRIBUTORS)?
                .into_iter()
                .map(|a| {
                    let f = following.contains(&a.id);
                    (a, f)
                })
                .collect();
            Ok(Some(GetStarted {
                welcome_md: g.welcome_md,
                tags,
                people,
            }))
        })
        .await
}
