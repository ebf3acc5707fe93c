//! Ideas as the API and the pages show them: an idea's status, explanation, history and
//! the viewer's standing to it, and a group's ideas by votes.

use crate::actions::ideas::{self, IdeaView};
use crate::db::models::{Actor, Post};
use crate::db::{queries, rfc3339};
use crate::domain::ideas::IdeaStatus;
use crate::error::AppResult;
use crate::state::AppState;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One status change of an idea.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone)]
pub struct StatusChangeView {
    pub status: IdeaStatus,
    pub explanation: String,
    /// Who set it (`name@host`): a moderator or staff member here, or the idea's group
    /// for a change received from its server.
    pub by: Option<String>,
    pub at: String,
}

/// An idea's status and what the viewer may do with it.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone)]
pub struct IdeaDetail {
    /// The idea's (question's) local id.
    pub id: String,
    pub status: IdeaStatus,
    pub explanation: String,
    /// For a merged duplicate: the local id of the idea it was merged into.
    pub merged_into: Option<String>,
    /// Status changes, oldest first.
    pub history: Vec<StatusChangeView>,
    /// The viewer follows the idea (told of its status changes).
    pub following: bool,
    /// The viewer may set its status and merge it.
    pub may_curate: bool,
}

/// The idea `post` as `viewer` sees it (`None` when it is no idea).
pub async fn detail(
    state: &AppState,
    post: &Post,
    viewer: Option<&Actor>,
) -> AppResult<Option<IdeaDetail>> {
    let Some(v) = ideas::view(state, post, viewer).await? else {
        return Ok(None);
    };
    let IdeaView {
        status,
        explanation,
        merged_into,
        history,
        following,
        may_curate,
    } = v;
    let by_ids: Vec<i64> = history.iter().filter_map(|h| h.changed_by).collect();
    let actors = state
        .db
        .run(move |c| {
            let mut out = vec![];
            for id in by_ids {
                out.extend(queries::actors::by_id(c, id)?);
            }
            Ok(out)
        })
        .await?;
    let history = history
        .into_iter()
        .map(|h| StatusChangeView {
            status: IdeaStatus::parse(&h.status).unwrap_or_default(),
            explanation: h.explanation,
            by: h
                .changed_by
                .and_then(|id| actors.iter().find(|a| a.id == id))
                .map(Actor::handle),
            at: rfc3339(h.created_at),
        })
        .collect();
    Ok(Some(IdeaDetail {
        id: post.id.to_string(),
        status,
        explanation,
        merged_into: merged_into.map(|i| i.to_string()),
        history,
        following,
        may_curate,
    }))
}

/// An idea in a group's list.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone)]
pub struct IdeaSummary {
    pub id: String,
    pub ap_id: String,
    pub title: String,
    pub status: IdeaStatus,
    pub upvotes: i32,
    pub downvotes: i32,
    pub answer_count: i32,
    pub published: String,
}

/// A group's ideas by votes (most first), of one status when given.
pub async fn of_group(
    state: &AppState,
    group_id: i64,
    status: Option<IdeaStatus>,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<IdeaSummary>> {
    Ok(ideas::list(state, group_id, status, offset, limit)
        .await?
        .into_iter()
        .map(|(p, status)| IdeaSummary {
            id: p.id.to_string(),
            ap_id: p.ap_id.clone(),
            title: p.title.clone().unwrap_or_default(),
            status,
            upvotes: p.upvotes,
            downvotes: p.downvotes,
            answer_count: p.answer_count,
            published: rfc3339(p.published_at),
        })
        .collect())
}
