//! The persistent outgoing delivery queue: one row per (activity, destination inbox).

use crate::db::ids::new_id;
use crate::db::models::{Activity, Delivery, Instance};
use crate::db::schema::{deliveries as d, instances as i};
use crate::db::{now_ms, DbConn};
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;

pub const PENDING: &str = "pending";
pub const FAILED: &str = "failed";

/// Stores an activity and one pending delivery per inbox, in one transaction.
pub fn enqueue(
    conn: &mut DbConn,
    activity: &Activity,
    inboxes: &[(String, String)],
) -> AppResult<usize> {
    enqueue_many(conn, &[(activity, inboxes)])
}

/// Stores activities and their pending deliveries (inbox, domain) in one transaction
/// and a few statements. Returns the number of deliveries queued.
pub fn enqueue_many(
    conn: &mut DbConn,
    items: &[(&Activity, &[(String, String)])],
) -> AppResult<usize> {
    let now = now_ms();
    let rows: Vec<Delivery> = items
        .iter()
        .flat_map(|(activity, inboxes)| {
            inboxes.iter().map(move |(inbox, domain)| Delivery {
                id: new_id(),
                activity_id: activity.id,
                inbox: inbox.clone(),
                domain: domain.clone(),
                status: PENDING.into(),
                attempts: 0,
                next_attempt_at: now,
                locked_until: 0,
                last_error: None,
                created_at: now,
                updated_at: now,
            })
        })
        .collect();
    let mut domains: Vec<&str> = rows.iter().map(|r| r.domain.as_str()).collect();
    domains.sort_unstable();
    domains.dedup();
    let activities: Vec<&Activity> = items.iter().map(|(a, _)| *a).collect();
    conn.transaction(|conn| {
        super::activities::insert_many(conn, &activities)?;
        if let DbConn::Pg(c) = conn {
            super::bulk::deliveries(c, &rows)?;
            super::bulk::instances(c, &domains, now)?;
            return Ok(rows.len());
        }
        for chunk in rows.chunks(500) {
            with_conn!(conn, c => diesel::insert_into(d::table).values(chunk).execute(c))?;
        }
        let known: Vec<(String, i64)> = domains
            .iter()
            .map(|domain| (domain.to_string(), now))
            .collect();
        for chunk in known.chunks(300) {
            let values: Vec<_> = chunk
                .iter()
                .map(|(domain, at)| (i::domain.eq(domain), i::first_seen_at.eq(*at)))
                .collect();
            with_conn!(conn, c => diesel::insert_into(i::table)
                .values(&values)
                .on_conflict_do_nothing()
                .execute(c))?;
        }
        Ok(rows.len())
    })
}

pub fn ensure_instance(conn: &mut DbConn, domain: &str) -> AppResult<()> {
    let now = now_ms();
    with_conn!(conn, c => diesel::insert_into(i::table)
        .values((i::domain.eq(domain), i::first_seen_at.eq(now)))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(())
}

/// Claims up to `limit` due deliveries for `lease_ms`, skipping instances in back-off.
/// On PostgreSQL concurrent workers (also in other processes) never claim the same row
/// (`FOR UPDATE SKIP LOCKED`); on SQLite the immediate transaction serialises claimers.
pub fn claim(conn: &mut DbConn, limit: i64, lease_ms: i64) -> AppResult<Vec<Delivery>> {
    let now = now_ms();
    conn.transaction(|conn| {
        macro_rules! due {
            () => {
                d::table
                    .filter(d::status.eq(PENDING))
                    .filter(d::next_attempt_at.le(now))
                    .filter(d::locked_until.le(now))
                    .filter(diesel::dsl::not(diesel::dsl::exists(
                        i::table
                            .filter(i::domain.eq(d::domain))
                            .filter(i::retry_at.gt(now)),
                    )))
                    .order(d::next_attempt_at.asc())
                    .limit(limit)
                    .select(Delivery::as_select())
            };
        }
        let rows: Vec<Delivery> = match conn {
            DbConn::Pg(c) => due!().for_update().skip_locked().load(&mut **c)?,
            DbConn::Sqlite(c) => due!().load(&mut **c)?,
        };
        if rows.is_empty() {
            return Ok(rows);
        }
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        with_conn!(conn, c => diesel::update(d::table.filter(d::id.eq_any(&ids)))
            .set(d::locked_until.eq(now + lease_ms))
            .execute(c))?;
        Ok(rows)
    })
}

/// Deliveries (id, domain) that reached their inboxes (or were refused for good): drops the rows and counts them
/// per instance, in one transaction.
pub fn delivered_many(conn: &mut DbConn, done: &[(i64, String)]) -> AppResult<()> {
    let now = now_ms();
    let mut per_domain: std::collections::BTreeMap<&str, i64> = Default::default();
    for (_, domain) in done {
        *per_domain.entry(domain.as_str()).or_default() += 1;
    }
    let ids: Vec<i64> = done.iter().map(|(id, _)| *id).collect();
    conn.transaction(|conn| {
        for chunk in ids.chunks(500) {
            with_conn!(conn, c => diesel::delete(d::table.filter(d::id.eq_any(chunk))).execute(c))?;
        }
        for (domain, n) in per_domain {
            with_conn!(conn, c => diesel::update(i::table.find(domain))
                .set((
                    i::last_success_at.eq(now),
                    i::failure_streak.eq(0),
                    i::retry_at.eq(0),
                    i::delivered_count.eq(i::delivered_count + n),
                ))
                .execute(c))?;
        }
        Ok(())
    })
}

/// A delivery attempt failed. Schedules the retry (or marks the row failed once
/// `give_up_at` has passed) and puts the instance into back-off.
pub fn attempt_failed(
    conn: &mut DbConn,
    delivery: &Delivery,
    error: &str,
    retry_base_ms: u64,
    give_up_after_ms: i64,
) -> AppResult<()> {
    let now = now_ms();
    let attempts = delivery.attempts + 1;
    let give_up = now - delivery.created_at >= give_up_after_ms;
    let next = now + backoff_ms(retry_base_ms, attempts);
    conn.transaction(|conn| {
        // Only a row still pending is rescheduled: one that was failed while the attempt
        // was in flight (its instance blocked) stays failed.
        let updated = with_conn!(conn, c => diesel::update(
            d::table.find(delivery.id).filter(d::status.eq(PENDING)),
        )
            .set((
                d::attempts.eq(attempts),
                d::status.eq(if give_up { FAILED } else { PENDING }),
                d::next_attempt_at.eq(next),
                d::locked_until.eq(0),
                d::last_error.eq(error.chars().take(500).collect::<String>()),
                d::updated_at.eq(now),
            ))
            .execute(c))?;
        if updated == 0 {
            return Ok(());
        }
        let (streak, last_failure, retry_at): (i32, Option<i64>, i64) =
            with_conn!(conn, c => i::table
            .find(&delivery.domain)
            .select((i::failure_streak, i::last_failure_at, i::retry_at))
            .first(c)
            .optional())?
            .unwrap_or((0, None, 0));
        let (streak, retry_at) =
            instance_backoff(streak, last_failure, retry_at, now, retry_base_ms);
        with_conn!(conn, c => diesel::update(i::table.find(&delivery.domain))
            .set((
                i::last_failure_at.eq(now),
                i::failure_streak.eq(streak),
                i::retry_at.eq(retry_at),
                i::failed_count.eq(i::failed_count + if give_up { 1 } else { 0 }),
            ))
            .execute(c))?;
        Ok(())
    })
}

/// Marks a delivery failed for good (no retry) with its reason, e.g. an inbox that the
/// outgoing-URL policy refuses. The instance's failure streak is left alone: nothing was
/// tried, so nothing says the instance is down.
pub fn refused(conn: &mut DbConn, delivery: &Delivery, reason: &str) -> AppResult<()> {
    let now = now_ms();
    with_conn!(conn, c => diesel::update(d::table.find(delivery.id))
        .set((
            d::attempts.eq(delivery.attempts + 1),
            d::status.eq(FAILED),
            d::locked_until.eq(0),
            d::last_error.eq(reason.chars().take(500).collect::<String>()),
            d::updated_at.eq(now),
        ))
        .execute(c))?;
    with_conn!(conn, c => diesel::update(i::table.find(&delivery.domain))
        .set(i::failed_count.eq(i::failed_count + 1))
        .execute(c))?;
    Ok(())
}

/// An instance's failure streak and back-off after one more failed delivery. The streak
/// counts outages, not deliveries: it rises by one only when the previous failure is at
/// least the current back-off delay old (the window it opened has passed and a new attempt
/// failed); failures within that window — the other deliveries that were in flight when
/// the instance went down — only keep the back-off running from the latest of them. So
/// forty deliveries failing in a three-second outage count once, not forty times.
pub fn instance_backoff(
    streak: i32,
    last_failure_at: Option<i64>,
    retry_at: i64,
    now: i64,
    base_ms: u64,
) -> (i32, i64) {
    let window_over = match last_failure_at {
        Some(at) => streak <= 0 || now - at >= backoff_ms(base_ms, streak),
        None => true,
    };
    if window_over {
        let streak = streak.max(0) + 1;
        (streak, now + backoff_ms(base_ms, streak))
    } else {
        (streak, retry_at.max(now + backoff_ms(base_ms, streak)))
    }
}

/// Exponential back-off: `base · 2^(attempt-1)`, capped at six hours.
pub fn backoff_ms(base_ms: u64, attempt: i32) -> i64 {
    let exp = attempt.clamp(1, 30) as u32 - 1;
    let cap = 6 * 3600 * 1000u64;
    base_ms.saturating_mul(1u64 << exp.min(20)).min(cap) as i64
}

/// "Retry now" for `domain`: its pending deliveries become due at once and its back-off
/// ends (the failure streak is kept until a delivery succeeds). Returns how many
/// deliveries were made due.
pub fn retry_now(conn: &mut DbConn, domain: &str) -> AppResult<usize> {
    let now = now_ms();
    conn.transaction(|conn| {
        let n = with_conn!(conn, c => diesel::update(
            d::table.filter(d::domain.eq(domain)).filter(d::status.eq(PENDING)),
        )
        .set((d::next_attempt_at.eq(now), d::updated_at.eq(now)))
        .execute(c))?;
        with_conn!(conn, c => diesel::update(i::table.find(domain))
            .set(i::retry_at.eq(0))
            .execute(c))?;
        Ok(n)
    })
}

/// Puts `domains` into back-off until `until` (known instances, a failure streak of
/// one): nothing is delivered to them before. The console benchmark's waiting deliveries.
pub fn back_off(conn: &mut DbConn, domains: &[String], until: i64) -> AppResult<()> {
    let now = now_ms();
    for domain in domains {
        ensure_instance(conn, domain)?;
    }
    with_conn!(conn, c => diesel::update(i::table.filter(i::domain.eq_any(domains)))
        .set((
            i::failure_streak.eq(1),
            i::last_failure_at.eq(Some(now)),
            i::retry_at.eq(until),
        ))
        .execute(c))?;
    Ok(())
}

/// Releases claims held by rows that are still pending (graceful shutdown).
pub fn release(conn: &mut DbConn, ids: &[i64]) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(d::table.filter(d::id.eq_any(ids)))
        .set(d::locked_until.eq(0))
        .execute(c))?;
    Ok(())
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct QueueStats {
    pub pending: i64,
    pub failed: i64,
    pub instances: Vec<InstanceStats>,
    /// The latest deliveries that failed for good, with their reasons.
    pub recent_failures: Vec<FailedDelivery>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct FailedDelivery {
    pub inbox: String,
    pub domain: String,
    pub attempts: i32,
    /// Why it failed (the last error, or why the inbox was refused).
    pub error: Option<String>,
    pub failed_at: String,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct InstanceStats {
    #[serde(flatten)]
    pub instance: Instance,
    pub pending: i64,
    pub failed: i64,
    /// Deliveries to this instance are paused until `retry_at` after repeated failures.
    pub unreachable: bool,
}

pub fn stats(conn: &mut DbConn) -> AppResult<QueueStats> {
    let now = now_ms();
    let counts: Vec<(String, String, i64)> = with_conn!(conn, c => d::table
        .group_by((d::domain, d::status))
        .select((d::domain, d::status, diesel::dsl::count_star()))
        .load(c))?;
    let instances: Vec<Instance> = with_conn!(conn, c => i::table
        .order(i::domain.asc())
        .select(Instance::as_select())
        .load(c))?;
    let mut pending = 0;
    let mut failed = 0;
    for (_, status, n) in &counts {
        if status == PENDING {
            pending += n
        } else {
            failed += n
        }
    }
    let instances = instances
        .into_iter()
        .map(|inst| {
            let count = |s: &str| {
                counts
                    .iter()
                    .filter(|(dom, st, _)| dom == &inst.domain && st == s)
                    .map(|(_, _, n)| *n)
                    .sum()
            };
            InstanceStats {
                pending: count(PENDING),
                failed: count(FAILED),
                unreachable: inst.retry_at > now && inst.failure_streak >= 3,
                instance: inst,
            }
        })
        .collect();
    let recent: Vec<(String, String, i32, Option<String>, i64)> = with_conn!(conn, c => d::table
        .filter(d::status.eq(FAILED))
        .order(d::updated_at.desc())
        .limit(20)
        .select((d::inbox, d::domain, d::attempts, d::last_error, d::updated_at))
        .load(c))?;
    let recent_failures = recent
        .into_iter()
        .map(|(inbox, domain, attempts, error, at)| FailedDelivery {
            inbox,
            domain,
            attempts,
            error,
            failed_at: crate::db::rfc3339(at),
        })
        .collect();
    Ok(QueueStats {
        pending,
        failed,
        instances,
        recent_failures,
    })
}

#[cfg(test)]
mod tests {
    use super::{backoff_ms, instance_backoff};

    #[test]
    fn an_outage_raises_the_streak_once_per_window() {
        let base = 1000;
        // First failure: one step.
        let (streak, retry) = instance_backoff(0, None, 0, 10_000, base);
        assert_eq!((streak, retry), (1, 11_000));
        // Forty more within the window: still one step, the window runs from the last.
        let (mut s, mut r, mut last) = (streak, retry, 10_000);
        for i in 1..=40 {
            let now = 10_000 + i * 10;
            (s, r) = instance_backoff(s, Some(last), r, now, base);
            last = now;
        }
        assert_eq!(s, 1);
        assert_eq!(r, 10_400 + 1000);
        // A failure after the window: the next step.
        assert_eq!(
            instance_backoff(s, Some(last), r, 11_500, base),
            (2, 13_500)
        );
        // After a success cleared it (streak 0), a failure starts again at one.
        assert_eq!(
            instance_backoff(0, Some(11_500), 0, 11_600, base),
            (1, 12_600)
        );
    }

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff_ms(1000, 1), 1000);
        assert_eq!(backoff_ms(1000, 2), 2000);
        assert_eq!(backoff_ms(1000, 5), 16000);
        assert_eq!(backoff_ms(30_000, 40), 6 * 3600 * 1000);
    }
}
