//! An actor's explained reputation: what the API and the profile page show.

use super::actors::ActorView;
use crate::db::models::Actor;
use crate::db::queries::reputation as rq;
use crate::db::reputation::Item;
use crate::db::{queries, rfc3339};
use crate::error::AppResult;
use crate::state::Ctx;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct GroupScore {
    /// Group handle; empty for events outside any group.
    pub group: String,
    pub score: i64,
    /// Privileges this score unlocks in the group.
    pub privileges: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct BadgeView {
    pub badge: String,
    pub awarded_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct ReputationView {
    pub actor: ActorView,
    /// The score as kept up to date here.
    pub total: i64,
    /// The same score recomputed from the event log now (always equal to `total`).
    pub recomputed_total: i64,
    pub groups: Vec<GroupScore>,
    /// Every event that counts, with its points and, where it counts less, why.
    pub events: Vec<Item>,
    pub badges: Vec<BadgeView>,
}

/// An actor's explained reputation (the API and the profile page show it).
pub async fn reputation_of(data: &Ctx, actor: &Actor) -> AppResult<ReputationView> {
    let aid = actor.id;
    let (cached, score, badges, groups) = data
        .db
        .run(move |c| {
            c.snapshot(|c| {
                // One snapshot: a vote committing meanwhile must not show in one figure only.
                let cached = rq::cached(c, aid)?;
                let score = rq::recompute(c, aid)?;
                let badges = rq::badges_of(c, aid)?;
                let mut groups = Vec::new();
                for (g, s) in &cached {
                    if *g == 0 {
                        continue;
                    }
                    let handle = queries::actors::by_id(c, *g)?
                        .map(|a| a.handle())
                        .unwrap_or_default();
                    let privileges = rq::privileges(c, *g)?
                        .into_iter()
                        .filter(|(_, min)| s >= min)
                        .map(|(p, _)| p)
                        .collect();
                    groups.push(GroupScore {
                        group: handle,
                        score: *s,
                        privileges,
                    });
                }
                Ok((cached, score, badges, groups))
            })
        })
        .await?;
    let total = cached
        .iter()
        .find(|(g, _)| *g == 0)
        .map(|(_, s)| *s)
        .unwrap_or(0);
    Ok(ReputationView {
        actor: actor.into(),
        total,
        recomputed_total: score.total,
        groups,
        events: score.items,
        badges: badges
            .into_iter()
            .map(|(b, at)| BadgeView {
                badge: b,
                awarded_at: rfc3339(at),
            })
            .collect(),
    })
}
