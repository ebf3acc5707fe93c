//! Instance policies set by admins: blocked (refused both ways, content hidden, votes
//! not counted), silenced (content not relayed by our groups nor listed), and the
//! allowlist mode in which only allowed instances federate.

use crate::db::models::Instance;
use crate::db::queries::moderation as mq;
use crate::error::AppResult;
use crate::state::Ctx;

/// An instance's policy row, from a short-lived cache (the inbox and every delivery ask).
/// Changes made here invalidate it at once ([`changed`]); another process sharing the
/// database sees them within the cache's lifetime (ten seconds).
async fn instance(data: &Ctx, domain: &str) -> AppResult<Option<Instance>> {
    if let Some(hit) = data.policy_cache.get(domain).await {
        return Ok(hit);
    }
    let d = domain.to_string();
    let row = data.db.run(move |c| mq::instance(c, &d)).await?;
    data.policy_cache
        .insert(domain.to_string(), row.clone())
        .await;
    Ok(row)
}

/// Forgets cached policies after an admin changed one.
pub fn changed(data: &crate::state::AppState) {
    data.policy_cache.invalidate_all();
}

/// Whether activities from or deliveries to `domain` are refused.
pub async fn refused(data: &Ctx, domain: &str) -> AppResult<bool> {
    let inst = instance(data, domain).await?;
    let allowlist = data.instance.get().allowlist;
    Ok(match inst {
        Some(i) => i.blocked || (allowlist && !i.allowed),
        None => allowlist,
    })
}

pub async fn silenced(data: &Ctx, domain: &str) -> AppResult<bool> {
    Ok(instance(data, domain)
        .await?
        .is_some_and(|i| i.silenced || i.blocked))
}

/// Drops delivery targets on refused instances.
pub async fn filter_targets(
    data: &Ctx,
    targets: Vec<(String, String)>,
) -> AppResult<Vec<(String, String)>> {
    let mut domains: Vec<String> = targets.iter().map(|(_, d)| d.clone()).collect();
    domains.sort();
    domains.dedup();
    let mut refused_domains = Vec::new();
    for d in domains {
        if refused(data, &d).await? {
            refused_domains.push(d);
        }
    }
    Ok(targets
        .into_iter()
        .filter(|(_, d)| !refused_domains.contains(d))
        .collect())
}
