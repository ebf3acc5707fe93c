//! `peerdesk bench escalation`: the escalation evaluator over many open questions
//! (100,000 by default, spread over groups and the last 30 days) with four rules per
//! group made 30 days ago (unanswered after 24 hours, no accepted answer after 45
//! days, the keyword "refund", the tag `billing`). Runs passes until one fires nothing,
//! printing each pass (the first ones fire, each at most
//! [`crate::actions::escalation::MAX_PER_PASS`]), then times steady-state passes.
//!
//! `--burst N` then adds a keyword rule to every group, made an hour ago, and N
//! questions since that all match it (a restart after downtime, a rule over a backlog),
//! and times the passes that fire them: with `--one-by-one`, in a transaction per
//! escalation (the evaluator's former way), for comparison.

use super::{backend_name, instance_with, percentile, rss_mib, Common};
use crate::actions::escalation::{pass, pass_with, Firing, MAX_PER_PASS};
use crate::db::queries;
use crate::db::queries::escalation::{self as eq, Rule};
use crate::domain::accounts::{create_user, Roles};
use clap::Args;
use std::time::{Duration, Instant};

#[derive(Args)]
pub struct EscalationArgs {
    #[command(flatten)]
    common: Common,
    /// Open questions, spread over the groups and the last 30 days.
    #[arg(long, default_value_t = 100_000)]
    questions: i64,
    /// Groups, each with the four rules.
    #[arg(long, default_value_t = 20)]
    groups: usize,
    /// Steady-state passes timed.
    #[arg(long, default_value_t = 10)]
    passes: usize,
    /// Then this many questions due at once under a new rule (0: none).
    #[arg(long, default_value_t = 0)]
    burst: i64,
    /// Fire the burst in a transaction per escalation instead of per batch.
    #[arg(long)]
    one_by_one: bool,
}

pub async fn escalation(args: EscalationArgs) -> anyhow::Result<()> {
    let backend = backend_name(&args.common.database_url);
    let (inst, _dir) = instance_with(args.common.database_url.clone(), |s| {
        s.escalation_interval = 0;
    })
    .await?;
    let state = inst.state.clone();
    let (_, asker) = create_user(&state, "asker", "benchmark-password", Roles::default()).await?;
    let (staff, _) = create_user(&state, "staff", "benchmark-password", Roles::default()).await?;
    let mut groups = Vec::new();
    for i in 0..args.groups {
        let name = format!("bench{i}");
        let (_, g) =
            crate::domain::groups::create_group(&state, None, &name, &name, "", "").await?;
        groups.push(g.id);
    }

    let seeding = Instant::now();
    let now = crate::db::now_ms();
    let day = 86_400_000i64;
    let (count, author, gids) = (args.questions, asker.id, groups.clone());
    let org = state
        .db
        .run(move |c| {
            let org = queries::staff::create_org(c, "Bench", "bench.invalid", None)?;
            queries::staff::set_user_org(c, staff.id, Some(org.id))?;
            for g in &gids {
                queries::staff::set_group_orgs(c, *g, &[org.id])?;
                let rules = [
                    ("unanswered_hours", "24", day, "high"),
                    ("unaccepted_days", "45", 45 * day, "normal"),
                    ("keyword", "refund", 0, "normal"),
                    ("tag", "billing", 0, "low"),
                ];
                for (kind, parameter, wait_ms, priority) in rules {
                    eq::insert_rule(
                        c,
                        &Rule {
                            id: crate::db::ids::new_id(),
                            group_id: *g,
                            kind: kind.into(),
                            parameter: parameter.into(),
                            wait_ms,
                            organisation_id: org.id,
                            priority: priority.into(),
                            enabled: true,
                            created_by: None,
                            created_at: now - 30 * day,
                        },
                    )?;
                }
            }
            eq::seed_questions(
                c,
                &gids,
                author,
                count,
                (now - 30 * day + 60_000, now),
                crate::db::ids::new_id(),
            )?;
            Ok(org.id)
        })
        .await?;
    let seeded = seeding.elapsed();

    println!("| bench | backend | questions | groups | rules | seeded in s | RSS MiB |");
    println!("|---|---|---|---|---|---|---|");
    println!(
        "| escalation | {backend} | {} | {} | {} | {:.1} | {:.0} |",
        args.questions,
        args.groups,
        4 * args.groups,
        seeded.as_secs_f64(),
        rss_mib(),
    );
    println!();
    println!("Passes until none fires (at most {MAX_PER_PASS} escalations each):");
    println!();
    println!("| pass | fired | ms | ms per escalation |");
    println!("|---|---|---|---|");
    let mut n = 0;
    loop {
        n += 1;
        let t = Instant::now();
        let p = pass(&state, crate::db::now_ms()).await?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let per = if p.fired > 0 {
            format!("{:.2}", ms / p.fired as f64)
        } else {
            "-".into()
        };
        println!("| {n} | {} | {ms:.0} | {per} |", p.fired);
        anyhow::ensure!(p.failed == 0, "{} escalations failed", p.failed);
        if p.fired == 0 || n > 1000 {
            break;
        }
    }
    let total = state.db.run(eq::count).await?;
    let mut times = Vec::with_capacity(args.passes);
    for _ in 0..args.passes {
        let t = Instant::now();
        let p = pass(&state, crate::db::now_ms()).await?;
        anyhow::ensure!(p.fired == 0, "a steady-state pass fired {}", p.fired);
        times.push(t.elapsed());
    }
    times.sort();
    let max = times.last().map(Duration::as_secs_f64).unwrap_or(0.0) * 1000.0;
    println!();
    println!("| steady-state pass (none fire) | escalations in all | p50 ms | max ms |");
    println!("|---|---|---|---|");
    println!(
        "| {} passes | {total} | {:.0} | {max:.0} |",
        args.passes,
        percentile(&times, 0.5),
    );
    if args.burst > 0 {
        let firing = match args.one_by_one {
            true => Firing::OneByOne,
            false => Firing::Batched,
        };
        burst(&state, (&groups, org), asker.id, args.burst, firing).await?;
    }
    inst.kill().await;
    Ok(())
}

/// Adds a keyword rule to each group and `count` questions matching it, then times the
/// passes that fire them.
async fn burst(
    state: &crate::state::AppState,
    (groups, org): (&[i64], i64),
    author: i64,
    count: i64,
    firing: Firing,
) -> anyhow::Result<()> {
    let now = crate::db::now_ms();
    let minute = 60_000i64;
    let gids = groups.to_vec();
    state
        .db
        .run(move |c| {
            for g in &gids {
                eq::insert_rule(
                    c,
                    &Rule {
                        id: crate::db::ids::new_id(),
                        group_id: *g,
                        kind: "keyword".into(),
                        parameter: "outage".into(),
                        wait_ms: 0,
                        organisation_id: org,
                        priority: "urgent".into(),
                        enabled: true,
                        created_by: None,
                        created_at: now - 60 * minute,
                    },
                )?;
            }
            let first = crate::db::ids::new_id();
            eq::seed_questions(
                c,
                &gids,
                author,
                count,
                (now - 50 * minute, now - minute),
                first,
            )?;
            eq::mention_all(c, first, count, "outage")
        })
        .await?;
    let before = state.db.run(eq::count).await?;
    println!();
    println!("Burst: {count} questions due at once under a new rule, fired {firing:?}:");
    println!();
    println!("| pass | fired | ms | ms per escalation |");
    println!("|---|---|---|---|");
    let mut n = 0;
    loop {
        n += 1;
        let t = Instant::now();
        let p = pass_with(state, crate::db::now_ms(), firing).await?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        anyhow::ensure!(p.failed == 0, "{} escalations failed", p.failed);
        if p.fired == 0 || n > 1000 {
            break;
        }
        println!(
            "| {n} | {} | {ms:.0} | {:.2} |",
            p.fired,
            ms / p.fired as f64
        );
    }
    // The burst's questions are also seeded like the others: one in 50 mentions "refund"
    // and one in 50 is tagged `billing`, which the first rules escalate too.
    let fired = state.db.run(eq::count).await? - before;
    anyhow::ensure!(fired >= count, "the burst fired {fired} of {count}");
    println!();
    println!("{fired} escalations in all ({count} under the new rules).");
    Ok(())
}
