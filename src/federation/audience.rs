//! What the inbox's batches need of a group for every post they store under it — the
//! group's row, its active bans, its followers' inboxes and whether anyone may ask in
//! it — kept in a short-lived cache, so that a batch reads the database only for the posts it refers to.
//!
//! Follows, bans and settings changed by this process invalidate it at once (the queries that make
//! them move [`queries::audience_epoch`]); another process sharing the database sees
//! them within [`TTL`]. Paths other than the inbox's batches read afresh.

use crate::db::{queries, DbConn};
use crate::domain::groups::WhoMayAsk;
use crate::error::AppResult;
use crate::state::Ctx;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// How long an entry is trusted without a change seen in this process.
pub const TTL: Duration = Duration::from_secs(5);

pub use crate::state::{Audience, AudienceCache as Cache};

pub fn cache() -> Cache {
    moka::future::Cache::builder()
        .max_capacity(10_000)
        .time_to_live(TTL)
        .build()
}

/// The audiences of the groups `ids` (those that exist).
pub async fn of_groups(data: &Ctx, ids: &[i64]) -> AppResult<HashMap<i64, Arc<Audience>>> {
    let epoch = queries::audience_epoch();
    let mut found = HashMap::new();
    let mut missing = Vec::new();
    for &id in ids {
        if found.contains_key(&id) || missing.contains(&id) {
            continue;
        }
        match data.audiences.get(&id).await {
            Some((seen, a)) if seen == epoch => {
                found.insert(id, a);
            }
            _ => missing.push(id),
        }
    }
    if !missing.is_empty() {
        for a in data.db.run(move |c| load(c, &missing)).await? {
            let a = Arc::new(a);
            data.audiences.insert(a.group.id, (epoch, a.clone())).await;
            found.insert(a.group.id, a);
        }
    }
    Ok(found)
}

fn load(conn: &mut DbConn, ids: &[i64]) -> AppResult<Vec<Audience>> {
    let mut out = Vec::new();
    for group in queries::actors::by_ids(conn, ids)? {
        if !group.is_group() {
            continue;
        }
        let bans = queries::groups::active_bans(conn, group.id)?
            .into_iter()
            .collect();
        let (inboxes, anyone_asks) = if group.local {
            let rule = queries::groups::by_actor_id(conn, group.id)?
                .map(|g| WhoMayAsk::of(&g))
                .unwrap_or_default();
            let inboxes = queries::follows::follower_inboxes(conn, group.id)?;
            (inboxes, rule == WhoMayAsk::Everyone)
        } else {
            (Vec::new(), true)
        };
        out.push(Audience {
            group,
            bans,
            inboxes,
            anyone_asks,
        });
    }
    Ok(out)
}
