//! The ideas exchange: a group whose kind is `ideas` takes ideas instead of questions
//! (posted, answered and voted on as questions are, see [`super::qa`]). Its moderators,
//! the instance's admins and staff of an organisation it recognises
//! ([`rules::may_curate_ideas`]) set an idea's status with an explanation (kept in its
//! history, notifying the idea's voters, followers and author) and merge a duplicate into
//! another idea (votes carried once per person, followers carried, the duplicate locked
//! and marked merged). Each change federates as the group's `Update` of the idea's
//! `Page`, which carries the status (`ideaStatus`, see FEDERATION.md) and a text
//! fallback in its content.

use super::{commit, rules, Outbox, Outgoing};
use crate::db::models::{Actor, Post};
use crate::db::queries::ideas::{self as iq, Change, Idea};
use crate::db::queries::moderation as mq;
use crate::db::{ids::new_id, now_ms, queries, DbConn};
use crate::domain::ideas::{check_change, GroupKind, IdeaStatus};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The kind of a group (a group without one is a group of questions).
pub fn kind_in(c: &mut DbConn, group_id: i64) -> AppResult<GroupKind> {
    Ok(iq::group_kind(c, group_id)?
        .and_then(|k| GroupKind::parse(&k))
        .unwrap_or_default())
}

/// [`kind_in`] on a connection of its own.
pub async fn kind_of(state: &AppState, group_id: i64) -> AppResult<GroupKind> {
    state.db.run(move |c| kind_in(c, group_id)).await
}

/// A moderator of the local `group` sets its kind.
pub async fn set_group_kind(
    state: &AppState,
    moderator: &Actor,
    group: &Actor,
    kind: GroupKind,
) -> AppResult<()> {
    if !group.local {
        return Err(AppError::Invalid(
            "only groups hosted here have their kind set here".into(),
        ));
    }
    let (moderator, group) = (moderator.clone(), group.clone());
    commit(state, move |c, _| {
        rules::require_moderator(c, &group, &moderator)?;
        iq::set_group_kind(c, group.id, kind.as_str())
    })
    .await
}

/// An idea's status as stored (a new idea has none stored).
pub fn status_of(idea: Option<&Idea>) -> IdeaStatus {
    idea.and_then(|i| IdeaStatus::parse(&i.status))
        .unwrap_or_default()
}

/// The idea `post_id` of a local ideas group that `actor` curates, with its group.
fn curated(c: &mut DbConn, actor: &Actor, post_id: i64) -> AppResult<(Post, Actor)> {
    let post = super::post(c, post_id)?;
    if !post.is_question() || !post.visible() {
        return Err(AppError::NotFound("idea not found".into()));
    }
    let group = rules::group_of(c, &post)?;
    if !group.local || kind_in(c, group.id)? != GroupKind::Ideas {
        return Err(AppError::Invalid(
            "only ideas of an ideas group hosted here have a status set here".into(),
        ));
    }
    if !rules::may_curate_ideas(c, &group, actor)? {
        return Err(AppError::Forbidden(
            "only the group's moderators and its recognised staff can do this".into(),
        ));
    }
    Ok((post, group))
}

/// Stores a status change of `post` by `by` (the history, the notifications) on an open
/// transaction; also for changes received from the idea's group elsewhere. Returns the
/// stored status, or `None` when it was the idea's status already.
pub fn store_change(
    c: &mut DbConn,
    post: &Post,
    status: IdeaStatus,
    explanation: &str,
    merged_into: Option<i64>,
    by: Option<i64>,
) -> AppResult<Option<Idea>> {
    let current = iq::idea(c, post.id)?;
    let same = current.as_ref().is_some_and(|i| {
        i.status == status.as_str() && i.explanation == explanation && i.merged_into == merged_into
    }) || (current.is_none() && status == IdeaStatus::New && explanation.is_empty());
    if same {
        return Ok(None);
    }
    let now = now_ms();
    let idea = Idea {
        post_id: post.id,
        status: status.as_str().to_string(),
        explanation: explanation.to_string(),
        merged_into,
        changed_by: by,
        changed_at: now,
    };
    let change = Change {
        id: new_id(),
        post_id: post.id,
        status: idea.status.clone(),
        explanation: idea.explanation.clone(),
        changed_by: by,
        created_at: now,
    };
    iq::set_status(c, &idea, &change)?;
    iq::notify(c, post, &change)?;
    Ok(Some(idea))
}

/// Sets the status of the idea `post_id` with an explanation.
pub async fn set_status(
    state: &AppState,
    actor: &Actor,
    post_id: i64,
    status: IdeaStatus,
    explanation: &str,
) -> AppResult<Idea> {
    let explanation = check_change(status, explanation)?;
    let actor = actor.clone();
    commit(state, move |c, outbox| {
        let (post, group) = curated(c, &actor, post_id)?;
        let current = iq::idea(c, post.id)?;
        if status_of(current.as_ref()) == IdeaStatus::Merged {
            return Err(AppError::Conflict(
                "this idea was merged into another; its status is that idea's".into(),
            ));
        }
        match store_change(c, &post, status, &explanation, None, Some(actor.id))? {
            Some(idea) => {
                announce(c, outbox, &group, post.id)?;
                Ok(idea)
            }
            None => Ok(current.unwrap_or(Idea {
                post_id: post.id,
                status: status.as_str().into(),
                explanation,
                merged_into: None,
                changed_by: None,
                changed_at: post.published_at,
            })),
        }
    })
    .await
}

/// The group's `Update` of the idea `post_id` as it is now (its status, votes, lock).
fn announce(c: &mut DbConn, outbox: &dyn Outbox, group: &Actor, post_id: i64) -> AppResult<()> {
    let post = super::post(c, post_id)?;
    let event = Outgoing::Update {
        post,
        group: group.clone(),
    };
    outbox.record(c, group, event)?;
    Ok(())
}

/// Merges the idea `from` into the idea `into` (both in one ideas group hosted here):
/// the votes on `from` are carried to `into` once per person, its followers follow
/// `into`, and `from` is locked with the status `merged`. Returns how many votes were
/// carried.
pub async fn merge(
    state: &AppState,
    actor: &Actor,
    from: i64,
    into: i64,
    explanation: &str,
) -> AppResult<usize> {
    let explanation = check_change(IdeaStatus::Declined, explanation)?;
    if from == into {
        return Err(AppError::Invalid(
            "an idea cannot be merged into itself".into(),
        ));
    }
    let actor = actor.clone();
    commit(state, move |c, outbox| {
        let (dup, group) = curated(c, &actor, from)?;
        let (target, target_group) = curated(c, &actor, into)?;
        if target_group.id != group.id {
            return Err(AppError::Invalid(
                "ideas are merged within one group".into(),
            ));
        }
        for post in [&dup, &target] {
            if status_of(iq::idea(c, post.id)?.as_ref()) == IdeaStatus::Merged {
                return Err(AppError::Conflict(
                    "that idea was merged into another already".into(),
                ));
            }
        }
        let carried = merge_in(c, &dup, &target)?;
        let merged = IdeaStatus::Merged;
        store_change(
            c,
            &dup,
            merged,
            &explanation,
            Some(target.id),
            Some(actor.id),
        )?;
        announce(c, outbox, &group, dup.id)?;
        announce(c, outbox, &group, target.id)?;
        Ok(carried)
    })
    .await
}

/// The effects of merging `dup` into `target` on this server's copy: votes (once per
/// person) and followers carried, `dup` locked. Returns how many votes were carried.
pub fn merge_in(c: &mut DbConn, dup: &Post, target: &Post) -> AppResult<usize> {
    let carried = iq::carry_votes(c, dup.id, target.id)?;
    iq::carry_follows(c, dup.id, target.id)?;
    mq::set_locked(c, dup.id, true)?;
    Ok(carried)
}

/// `actor` follows the idea `post_id` (`follow`) or stops following it.
pub async fn follow(state: &AppState, actor: &Actor, post_id: i64, follow: bool) -> AppResult<()> {
    let actor = actor.clone();
    commit(state, move |c, _| {
        let post = super::post(c, post_id)?;
        if !post.is_question() || !post.visible() {
            return Err(AppError::NotFound("idea not found".into()));
        }
        match follow {
            true => iq::follow(c, post.id, actor.id)?,
            false => iq::unfollow(c, post.id, actor.id)?,
        };
        Ok(())
    })
    .await
}

/// An idea as its pages and the API show it: status, explanation, the idea it was merged
/// into (its local id), its history, and whether `viewer` follows it and may curate it.
#[derive(Clone, Debug)]
pub struct IdeaView {
    pub status: IdeaStatus,
    pub explanation: String,
    pub merged_into: Option<i64>,
    pub history: Vec<Change>,
    pub following: bool,
    pub may_curate: bool,
}

/// The idea `post` (`None` when it is not in an ideas group nor has a status).
pub async fn view(
    state: &AppState,
    post: &Post,
    viewer: Option<&Actor>,
) -> AppResult<Option<IdeaView>> {
    let (post, viewer) = (post.clone(), viewer.cloned());
    state
        .db
        .run(move |c| {
            let Some(gid) = post.group_id else {
                return Ok(None);
            };
            let idea = iq::idea(c, post.id)?;
            if idea.is_none() && kind_in(c, gid)? != GroupKind::Ideas {
                return Ok(None);
            }
            let group = queries::actors::by_id(c, gid)?;
            let (following, may_curate) = match (&viewer, &group) {
                (Some(v), Some(g)) => (
                    iq::follows(c, post.id, v.id)?,
                    g.local && rules::may_curate_ideas(c, g, v)?,
                ),
                _ => (false, false),
            };
            Ok(Some(IdeaView {
                status: status_of(idea.as_ref()),
                explanation: idea
                    .as_ref()
                    .map(|i| i.explanation.clone())
                    .unwrap_or_default(),
                merged_into: idea.as_ref().and_then(|i| i.merged_into),
                history: iq::history(c, post.id)?,
                following,
                may_curate,
            }))
        })
        .await
}

/// The ideas of a group by votes, with `status` only when given, and each one's status.
pub async fn list(
    state: &AppState,
    group_id: i64,
    status: Option<IdeaStatus>,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<(Post, IdeaStatus)>> {
    state
        .db
        .run(move |c| {
            let posts = iq::list(c, group_id, status.map(IdeaStatus::as_str), offset, limit)?;
            let ids: Vec<i64> = posts.iter().map(|p| p.id).collect();
            let ideas = iq::ideas_of(c, &ids)?;
            Ok(posts
                .into_iter()
                .map(|p| {
                    let s = status_of(ideas.iter().find(|i| i.post_id == p.id));
                    (p, s)
                })
                .collect())
        })
        .await
}
