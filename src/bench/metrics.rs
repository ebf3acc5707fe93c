//! `peerdesk bench metrics`: the support metrics pages, their CSV and the API over a
//! year of a busy group (100,000 questions by default, nine in ten answered, half of
//! those accepted), and the Prometheus scrape's per-group query. Requests are sent one
//! at a time (the latency of one request, not throughput). Prints a table of p50/p99.

use super::{backend_name, bench_group, instance, percentile, rss_mib, Common};
use crate::db::queries;
use crate::domain::accounts::{create_user, new_session, Roles};
use clap::Args;
use std::time::{Duration, Instant};

#[derive(Args)]
pub struct MetricsArgs {
    #[command(flatten)]
    common: Common,
    /// Questions in the group, spread over the last 365 days.
    #[arg(long, default_value_t = 100_000)]
    questions: i64,
    /// Requests per page.
    #[arg(long, default_value_t = 100)]
    requests: usize,
}

pub async fn metrics(args: MetricsArgs) -> anyhow::Result<()> {
    let backend = backend_name(&args.common.database_url);
    let (inst, _dir) = instance(args.common.database_url.clone(), false).await?;
    let state = inst.state.clone();
    let (group, asker) = bench_group(&state).await?;
    let admin_roles = Roles {
        admin: true,
        staff: false,
        can_create_groups: true,
    };
    let (admin, admin_actor) =
        create_user(&state, "admin", "benchmark-password", admin_roles).await?;
    let token = new_session(&state, admin.id).await?;

    let seeding = Instant::now();
    let (count, gid, author, answerer) = (args.questions, group.id, asker.id, admin_actor.id);
    let now = crate::db::now_ms();
    let year = 365 * 86_400_000i64;
    state
        .db
        .run(move |c| {
            queries::metrics::seed(
                c,
                gid,
                author,
                answerer,
                count,
                (now - year, now),
                crate::db::ids::new_id(),
            )
        })
        .await?;
    let seeded = seeding.elapsed();

    let base = state.base.clone();
    let pages: Vec<(&str, String)> = vec![
        ("page 365 d", format!("{base}/g/bench/mod/metrics?days=365")),
        ("page 30 d", format!("{base}/g/bench/mod/metrics?days=30")),
        (
            "csv 365 d",
            format!("{base}/g/bench/mod/metrics.csv?days=365"),
        ),
        (
            "api 365 d",
            format!("{base}/api/v1/groups/bench/metrics?days=365"),
        ),
    ];
    let client = reqwest::Client::new();
    let cookie = format!("pd_session={token}");
    let mut rows = Vec::new();
    let mut first = None;
    for (name, url) in &pages {
        let send = || {
            client
                .get(url)
                .header("cookie", &cookie)
                .bearer_auth(&token)
                .send()
        };
        let t = Instant::now();
        let r = send().await?;
        anyhow::ensure!(r.status().is_success(), "{name} answered {}", r.status());
        r.bytes().await?;
        // The first request of all computes the year's daily roll-ups.
        first.get_or_insert(t.elapsed());
        let mut times = Vec::with_capacity(args.requests);
        for _ in 0..args.requests {
            let t = Instant::now();
            let r = send().await?;
            anyhow::ensure!(r.status().is_success(), "{name} answered {}", r.status());
            r.bytes().await?;
            times.push(t.elapsed());
        }
        rows.push((name.to_string(), times));
    }
    let mut scrape = Vec::new();
    for _ in 0..args.requests.min(20) {
        let t = Instant::now();
        state
            .db
            .run(|c| queries::metrics::gauges(c, crate::telemetry::GROUP_LABELS))
            .await?;
        scrape.push(t.elapsed());
    }
    rows.push(("scrape query".into(), scrape));
    rows.push((
        "first page 365 d (computes the roll-ups)".into(),
        first.into_iter().collect(),
    ));

    println!("| bench | backend | questions | seeded in s | requests per page | RSS MiB |");
    println!("|---|---|---|---|---|---|");
    println!(
        "| metrics | {backend} | {} | {:.1} | {} | {:.0} |",
        args.questions,
        seeded.as_secs_f64(),
        args.requests,
        rss_mib(),
    );
    println!();
    println!("| page | p50 ms | p99 ms | max ms |");
    println!("|---|---|---|---|");
    for (name, mut t) in rows {
        t.sort();
        let max = t.last().map(Duration::as_secs_f64).unwrap_or(0.0) * 1000.0;
        println!(
            "| {name} | {:.1} | {:.1} | {max:.1} |",
            percentile(&t, 0.5),
            percentile(&t, 0.99)
        );
    }
    inst.kill().await;
    Ok(())
}
