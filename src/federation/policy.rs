//! Instance policies set by admins: blocked (refused both ways, content hidden, votes
//! not counted), silenced (content not relayed by our groups nor listed), and the
//! allowlist mode in which only allowed instances federate.

use super::Ctx;
use crate::db::queries::moderation as mq;
use crate::error::AppResult;

/// Whether activities from or deliveries to `domain` are refused.
pub async fn refused(data: &Ctx, domain: &str) -> AppResult<bool> {
    let d = domain.to_string();
    let inst = data.db.run(move |c| mq::instance(c, &d)).await?;
    let allowlist = data.settings.allowlist();
    Ok(match inst {
        Some(i) => i.blocked || (allowlist && !i.allowed),
        None => allowlist,
    })
}

pub async fn silenced(data: &Ctx, domain: &str) -> AppResult<bool> {
    let d = domain.to_string();
    Ok(data
        .db
        .run(move |c| mq::instance(c, &d))
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
