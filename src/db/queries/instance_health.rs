//! The admin console's view of federation health: one page of the known instances (found
//! by part of their domain) with their delivery counts, and the queue totals.

use crate::db::models::Instance;
use crate::db::schema::{deliveries as d, instances as i};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;

use super::deliveries::{FAILED, PENDING};

/// One known instance with its deliveries waiting and failed for good.
#[derive(Debug, Clone)]
pub struct InstanceHealth {
    pub instance: Instance,
    pub pending: i64,
    pub failed: i64,
}

/// A page of instances and the totals of the queues.
#[derive(Debug)]
pub struct HealthPage {
    pub instances: Vec<InstanceHealth>,
    /// Whether there are instances after this page.
    pub more: bool,
    /// Instances known here (matching the search).
    pub matching: i64,
    pub pending: i64,
    pub failed: i64,
    /// Received activities waiting to be processed.
    pub inbound: i64,
}

/// `LIKE` pattern for "contains `s`", its wildcards escaped with `\`.
pub fn contains_pattern(s: &str) -> String {
    let mut p = String::from("%");
    for ch in s.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(ch);
    }
    p.push('%');
    p
}

/// Instances whose domain contains `search` (all for `""`), ordered by domain, `limit`
/// from `offset`, with their delivery counts (two grouped statements for the page).
pub fn page(conn: &mut DbConn, search: &str, offset: i64, limit: i64) -> AppResult<HealthPage> {
    let pattern = contains_pattern(&search.to_lowercase());
    let mut rows: Vec<Instance> = with_conn!(conn, c => i::table
        .filter(i::domain.like(&pattern).escape('\\'))
        .order(i::domain.asc())
        .offset(offset)
        .limit(limit + 1)
        .select(Instance::as_select())
        .load(c))?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let matching: i64 = with_conn!(conn, c => i::table
        .filter(i::domain.like(&pattern).escape('\\'))
        .count()
        .get_result(c))?;
    let domains: Vec<String> = rows.iter().map(|r| r.domain.clone()).collect();
    let counts: Vec<(String, String, i64)> = if domains.is_empty() {
        Vec::new()
    } else {
        with_conn!(conn, c => d::table
            .filter(d::domain.eq_any(&domains))
            .group_by((d::domain, d::status))
            .select((d::domain, d::status, diesel::dsl::count_star()))
            .load(c))?
    };
    let totals: Vec<(String, i64)> = with_conn!(conn, c => d::table
        .group_by(d::status)
        .select((d::status, diesel::dsl::count_star()))
        .load(c))?;
    let total = |s: &str| {
        totals
            .iter()
            .filter(|(st, _)| st == s)
            .map(|(_, n)| *n)
            .sum()
    };
    let instances = rows
        .into_iter()
        .map(|instance| {
            let count = |s: &str| {
                counts
                    .iter()
                    .filter(|(dom, st, _)| *dom == instance.domain && st == s)
                    .map(|(_, _, n)| *n)
                    .sum()
            };
            InstanceHealth {
                pending: count(PENDING),
                failed: count(FAILED),
                instance,
            }
        })
        .collect();
    Ok(HealthPage {
        instances,
        more,
        matching,
        pending: total(PENDING),
        failed: total(FAILED),
        inbound: super::inbound::backlog(conn)?,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn search_wildcards_are_escaped() {
        assert_eq!(super::contains_pattern("a_b%"), "%a\\_b\\%%");
        assert_eq!(super::contains_pattern(""), "%%");
    }
}
