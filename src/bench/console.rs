//! `peerdesk bench console`: the consoles' pages at a fixed request rate over a large
//! instance: a group's report queue (first and a later page) with many open reports,
//! federation health with many known instances (whole list and a search), the Instance
//! page and the moderation log. Prints a table of p50/p99 per page.

use super::{backend_name, bench_group, instance, percentile, rss_mib, Common};
use crate::db::queries;
use crate::domain::accounts::{create_user, new_session, Roles};
use clap::Args;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Args)]
pub struct ConsoleArgs {
    #[command(flatten)]
    common: Common,
    /// Requests per second to hold.
    #[arg(long, default_value_t = 100)]
    rate: u64,
    /// Seconds to run.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Open reports in the group's queue (20 reporters, so reports / 20 reported posts).
    #[arg(long, default_value_t = 10_000)]
    reports: usize,
    /// Known remote instances, each with deliveries waiting.
    #[arg(long, default_value_t = 1_000)]
    instances: usize,
}

const REPORTERS: usize = 20;

pub async fn console(args: ConsoleArgs) -> anyhow::Result<()> {
    let backend = backend_name(&args.common.database_url);
    let (inst, _dir) = instance(args.common.database_url.clone(), false).await?;
    let state = inst.state.clone();
    let (group, asker) = bench_group(&state).await?;
    let config = crate::federation::build_config(state.clone()).await?;
    let data = config.to_request_data();
    let admin_roles = Roles {
        admin: true,
        staff: false,
        can_create_groups: true,
    };
    let (admin, admin_actor) =
        create_user(&state, "admin", "benchmark-password", admin_roles).await?;
    let token = new_session(&state, admin.id).await?;
    let mut reporters = Vec::new();
    for i in 0..REPORTERS {
        let name = format!("reporter{i}");
        reporters.push(
            create_user(&state, &name, "benchmark-password", Roles::default())
                .await?
                .1,
        );
    }

    // Reported questions, each reported by every reporter (the queue folds them).
    let seeding = Instant::now();
    let posts = args.reports.div_ceil(REPORTERS);
    let mut questions = Vec::new();
    for i in 0..posts {
        let title = format!("Reported question {i}");
        let body = "Buy cheap printer ink at spam.example";
        let q = crate::actions::qa::ask(&data, &asker, &group, &title, body, vec![]).await?;
        questions.push(q);
    }
    let next = Arc::new(AtomicUsize::new(0));
    let (questions, reporters) = (Arc::new(questions), Arc::new(reporters));
    let mut writers = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (state, next, questions, reporters) = (
            state.clone(),
            next.clone(),
            questions.clone(),
            reporters.clone(),
        );
        let total = args.reports;
        writers.spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= total {
                    return anyhow::Ok(());
                }
                let (q, r) = (&questions[n / REPORTERS], &reporters[n % REPORTERS]);
                crate::actions::moderation::report(&state, r, Some(q), None, "spam", false).await?;
            }
        });
    }
    while let Some(r) = writers.join_next().await {
        r??;
    }
    // Known instances with deliveries waiting (in back-off, so nothing is sent).
    let (instances, sender) = (args.instances, admin_actor.id);
    state
        .db
        .run(move |c| {
            let now = crate::db::now_ms();
            for chunk in (0..instances).collect::<Vec<_>>().chunks(100) {
                let activity = crate::db::models::Activity {
                    id: crate::db::ids::new_id(),
                    ap_id: format!("http://bench.invalid/a/{}", crate::db::ids::new_id()),
                    actor_id: sender,
                    kind: "Create".into(),
                    body: "{}".into(),
                    public: true,
                    created_at: now,
                };
                let inboxes: Vec<(String, String)> = chunk
                    .iter()
                    .map(|i| {
                        let domain = format!("instance{i}.bench.invalid");
                        (format!("https://{domain}/inbox"), domain)
                    })
                    .collect();
                let domains: Vec<String> = inboxes.iter().map(|(_, d)| d.clone()).collect();
                queries::deliveries::back_off(c, &domains, now + 3_600_000)?;
                queries::deliveries::enqueue(c, &activity, &inboxes)?;
            }
            Ok(())
        })
        .await?;
    let seeded = seeding.elapsed();

    let base = state.base.clone();
    let pages: Vec<(&str, String)> = vec![
        ("reports", format!("{base}/g/bench/mod/reports")),
        ("reports p10", format!("{base}/g/bench/mod/reports?page=10")),
        ("federation", format!("{base}/admin/federation")),
        ("fed search", format!("{base}/admin/federation?q=instance7")),
        ("instance", format!("{base}/admin/instance")),
        ("modlog", format!("{base}/g/bench/modlog")),
    ];
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()?;
    let cookie = format!("pd_session={token}");
    // Every page must answer 200 before it is timed.
    for (name, url) in &pages {
        let r = client.get(url).header("cookie", &cookie).send().await?;
        anyhow::ensure!(r.status().is_success(), "{name} answered {}", r.status());
    }
    let total = (args.rate * args.seconds) as usize;
    let interval = Duration::from_secs_f64(1.0 / args.rate.max(1) as f64);
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..total {
        tokio::time::sleep_until((started + interval * i as u32).into()).await;
        let kind = i % pages.len();
        let (url, client, cookie) = (pages[kind].1.clone(), client.clone(), cookie.clone());
        tasks.spawn(async move {
            let t = Instant::now();
            let ok = match client.get(url).header("cookie", cookie).send().await {
                Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
                _ => false,
            };
            (kind, t.elapsed(), ok)
        });
    }
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); pages.len()];
    let mut failed = 0;
    while let Some(r) = tasks.join_next().await {
        let (kind, d, ok) = r?;
        failed += usize::from(!ok);
        times[kind].push(d);
    }
    let elapsed = started.elapsed();
    println!(
        "| bench | backend | open reports | instances | seeded in s | requests | failed | achieved req/s | RSS MiB |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    println!(
        "| console | {backend} | {} | {} | {:.1} | {total} | {failed} | {:.0} | {:.0} |",
        args.reports,
        args.instances,
        seeded.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64(),
        rss_mib(),
    );
    println!();
    println!("| page | p50 ms | p99 ms | max ms |");
    println!("|---|---|---|---|");
    for ((name, _), t) in pages.iter().zip(times.iter_mut()) {
        t.sort();
        let max = t.last().map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0);
        println!(
            "| {name} | {:.1} | {:.1} | {max:.1} |",
            percentile(t, 0.5),
            percentile(t, 0.99)
        );
    }
    inst.kill().await;
    Ok(())
}
