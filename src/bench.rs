//! `peerdesk bench inbox|fanout`: throughput of the inbox and of delivery fan-out, measured
//! on real instances over loopback HTTP with real signatures. Prints a table.
//!
//! `inbox`: remote actors served by an in-process peer send pre-signed, unique
//! `Create{Note}` answers to one question; measures accepted and persisted answers per
//! second and request latency. `fanout`: a group with followers on N receiving servers
//! announces new questions; measures signed deliveries per second from the persistent
//! queue. `read`: latency of the API, or with `--html` of the pages, at a fixed rate;
//! with `--html` also a thread page's weight, compressed ([`weight`]).

use crate::app::{start, RunningInstance};
use crate::config::Settings;
use crate::db::models::Actor;
use crate::db::queries;
use crate::federation::signing::{generate_keypair, signed_post_headers};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use clap::{Args, Subcommand};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub mod console;
pub mod escalation;
pub mod metrics;
pub mod webhooks;
pub mod weight;

#[derive(Subcommand)]
pub enum Bench {
    /// Signed answers per second accepted and stored by one instance.
    Inbox(InboxArgs),
    /// Signed Announce deliveries per second from one group to N follower servers.
    Fanout(FanoutArgs),
    /// Latency of the question list and of a thread at a fixed request rate.
    Read(ReadArgs),
    /// Latency of the consoles' pages (report queue, federation health, Instance page,
    /// moderation log) with many open reports and known instances.
    Console(console::ConsoleArgs),
    /// Latency of the support metrics pages, CSV and API over a year of a busy group.
    Metrics(metrics::MetricsArgs),
    /// Signed webhook deliveries per second from the persistent queue to organisations'
    /// endpoints that verify every signature.
    Webhooks(webhooks::WebhooksArgs),
    /// Time of the escalation evaluator's passes over many open questions and rules.
    Escalation(escalation::EscalationArgs),
}

#[derive(Args)]
pub struct ReadArgs {
    #[command(flatten)]
    common: Common,
    /// Requests per second to hold.
    #[arg(long, default_value_t = 500)]
    rate: u64,
    /// Seconds to run.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Questions in the group.
    #[arg(long, default_value_t = 200)]
    questions: usize,
    /// Answers to each question (a thread is read one page of 30 answers at a time).
    #[arg(long, default_value_t = 5)]
    answers: usize,
    /// Read the HTML pages (home, group page, thread page) instead of the JSON API.
    #[arg(long)]
    html: bool,
}

#[derive(Args)]
pub struct Common {
    /// Database for the measured instance (default: a temporary SQLite file).
    #[arg(long)]
    database_url: Option<String>,
}

#[derive(Args)]
pub struct InboxArgs {
    #[command(flatten)]
    common: Common,
    /// Activities to send.
    #[arg(long, default_value_t = 2000)]
    count: usize,
    /// Concurrent connections.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// Distinct remote actors.
    #[arg(long, default_value_t = 20)]
    actors: usize,
    /// Run the instance with the durable inbound queue (`--inbox-queue`): measures
    /// acceptance, then how long the queue takes to drain.
    #[arg(long)]
    queue: bool,
    /// Post to the group's own inbox (`/g/bench/inbox`) instead of the shared inbox.
    #[arg(long)]
    group_inbox: bool,
}

#[derive(Args)]
pub struct FanoutArgs {
    #[command(flatten)]
    common: Common,
    /// Follower servers.
    #[arg(long, default_value_t = 20)]
    followers: usize,
    /// Questions posted (each is announced twice to every follower server).
    #[arg(long, default_value_t = 200)]
    questions: usize,
}

fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<f64>().ok())
            })
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

async fn instance(
    db: Option<String>,
    inbox_queue: bool,
) -> anyhow::Result<(RunningInstance, Option<tempfile_dir::TempDir>)> {
    instance_with(db, |s| s.inbox_queue = inbox_queue).await
}

/// [`instance`] with settings changed by `tweak`.
async fn instance_with(
    db: Option<String>,
    tweak: impl FnOnce(&mut Settings),
) -> anyhow::Result<(RunningInstance, Option<tempfile_dir::TempDir>)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let (url, dir) = match db {
        Some(u) => (u, None),
        None => {
            let dir = tempfile_dir::TempDir::new()?;
            (
                format!("sqlite://{}/bench.db", dir.path().display()),
                Some(dir),
            )
        }
    };
    let mut s = Settings::for_domain(&format!("localhost:{port}"), listener.local_addr()?, &url);
    s.insecure_federation = true;
    s.delivery_concurrency = 128;
    s.delivery_per_host = 16;
    s.rate_limits = false;
    tweak(&mut s);
    let inst = start(s, listener).await?;
    Ok((inst, dir))
}

/// A temporary directory without an extra dependency.
mod tempfile_dir {
    pub struct TempDir(std::path::PathBuf);
    impl TempDir {
        pub fn new() -> std::io::Result<TempDir> {
            let p =
                std::env::temp_dir().join(format!("peerdesk-bench-{:016x}", rand::random::<u64>()));
            std::fs::create_dir_all(&p)?;
            Ok(TempDir(p))
        }
        pub fn path(&self) -> &std::path::Path {
            &self.0
        }
    }
    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

#[derive(Clone)]
struct Peer {
    base: String,
    public_pem: Arc<String>,
    received: Arc<AtomicUsize>,
}

async fn peer_actor(State(p): State<Peer>, Path(name): Path<String>) -> impl IntoResponse {
    let id = format!("{}/users/{name}", p.base);
    (
        [(axum::http::header::CONTENT_TYPE, "application/activity+json")],
        json!({
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": id, "type": "Person", "preferredUsername": name,
            "inbox": format!("{id}/inbox"),
            "endpoints": {"sharedInbox": format!("{}/inbox", p.base)},
            "publicKey": {"id": format!("{id}#main-key"), "owner": id, "publicKeyPem": *p.public_pem},
        })
        .to_string(),
    )
}

async fn peer_inbox(State(p): State<Peer>) -> StatusCode {
    p.received.fetch_add(1, Ordering::Relaxed);
    StatusCode::ACCEPTED
}

/// Serves remote actors (one key pair) and an inbox that counts deliveries.
async fn start_peer(public_pem: String) -> anyhow::Result<Peer> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let peer = Peer {
        base: format!("http://localhost:{}", listener.local_addr()?.port()),
        public_pem: Arc::new(public_pem),
        received: Default::default(),
    };
    let app = axum::Router::new()
        .route("/users/{name}", axum::routing::get(peer_actor))
        .route("/inbox", axum::routing::post(peer_inbox))
        .route("/users/{name}/inbox", axum::routing::post(peer_inbox))
        .with_state(peer.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(peer)
}

/// The group the benchmarks use, and a local user who asks in it.
async fn bench_group(state: &crate::state::AppState) -> anyhow::Result<(Actor, Actor)> {
    let (_, group) =
        crate::domain::groups::create_group(state, None, "bench", "Bench", "", "").await?;
    let (_, asker) = crate::domain::accounts::create_user(
        state,
        "asker",
        "benchmark-password",
        Default::default(),
    )
    .await?;
    Ok((group, asker))
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn backend_name(url: &Option<String>) -> &'static str {
    match url {
        Some(u) if crate::db::is_postgres_url(u) => "postgresql",
        _ => "sqlite",
    }
}

pub async fn run(bench: Bench) -> anyhow::Result<()> {
    match bench {
        Bench::Inbox(a) => inbox(a).await,
        Bench::Fanout(a) => fanout(a).await,
        Bench::Read(a) => read(a).await,
        Bench::Console(a) => console::console(a).await,
        Bench::Metrics(a) => metrics::metrics(a).await,
        Bench::Webhooks(a) => webhooks::webhooks(a).await,
        Bench::Escalation(a) => escalation::escalation(a).await,
    }
}

async fn inbox(args: InboxArgs) -> anyhow::Result<()> {
    let backend = backend_name(&args.common.database_url);
    let (inst, _dir) = instance(args.common.database_url.clone(), args.queue).await?;
    let state = inst.state.clone();
    let (private_pem, public_pem) = generate_keypair()?;
    let peer = start_peer(public_pem).await?;
    let (group, asker) = bench_group(&state).await?;
    let config = crate::federation::build_config(state.clone()).await?;
    let data = config.to_request_data();
    let question =
        crate::actions::qa::ask(&data, &asker, &group, "Benchmark question", "body", vec![])
            .await?;
    let inbox_url = match args.group_inbox {
        true => url::Url::parse(&format!("{}/inbox", group.ap_id))?,
        false => url::Url::parse(&format!("{}/inbox", state.base))?,
    };

    // Pre-sign every request so that only the server's work is measured.
    let mut requests = Vec::with_capacity(args.count);
    for i in 0..args.count {
        let actor = format!("{}/users/u{}", peer.base, i % args.actors.max(1));
        let activity = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{actor}/activities/{i}"),
            "type": "Create",
            "actor": actor,
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "cc": [group.ap_id],
            "object": {
                "id": format!("{actor}/notes/{i}"),
                "type": "Note",
                "attributedTo": actor,
                "content": format!("<p>Answer number {i}: restart the print spooler.</p>"),
                "inReplyTo": question.ap_id,
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "cc": [group.ap_id],
            }
        });
        let body = serde_json::to_vec(&activity)?;
        let headers = signed_post_headers(
            &inbox_url,
            &body,
            &format!("{actor}#main-key"),
            &private_pem,
            None,
        )?;
        requests.push((headers, body));
    }
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .build()?;
    let rss_before = rss_mib();
    eprintln!("sending {} signed deliveries", requests.len());
    let queue = Arc::new(std::sync::Mutex::new(requests));
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..args.concurrency.max(1) {
        let (queue, client, url) = (queue.clone(), client.clone(), inbox_url.clone());
        workers.spawn(async move {
            let mut lat = Vec::new();
            let mut ok = 0usize;
            loop {
                let next = queue.lock().expect("queue").pop();
                let Some((headers, body)) = next else { break };
                let t = Instant::now();
                let resp = client
                    .post(url.clone())
                    .headers(headers)
                    .body(body)
                    .send()
                    .await;
                lat.push(t.elapsed());
                if resp.map(|r| r.status().as_u16() == 202).unwrap_or(false) {
                    ok += 1;
                }
            }
            (lat, ok)
        });
    }
    let mut latencies = Vec::new();
    let mut accepted = 0;
    while let Some(r) = workers.join_next().await {
        let (l, ok) = r?;
        latencies.extend(l);
        accepted += ok;
    }
    let elapsed = started.elapsed();
    let rss_loaded = rss_mib();
    latencies.sort();
    let qid = question.id;
    let stored = || {
        let state = state.clone();
        async move {
            state
                .db
                .run(move |c| queries::posts::count_under(c, qid))
                .await
        }
    };
    let mut persisted = stored().await?;
    if args.queue {
        // Wait for the queue to drain (or to stop moving).
        let mut last = (persisted, Instant::now());
        while persisted < accepted as i64 && last.1.elapsed() < Duration::from_secs(10) {
            tokio::time::sleep(Duration::from_millis(100)).await;
            persisted = stored().await?;
            if persisted != last.0 {
                last = (persisted, Instant::now());
            }
        }
    }
    let drained = started.elapsed();
    let mode = if args.queue { "queued" } else { "direct" };
    println!("| bench | backend | inbox | sent | accepted | stored | accept s | accepted/s | p50 ms | p99 ms | stored after s | stored/s | RSS MiB (idle→loaded) |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    println!(
        "| inbox | {backend} | {mode} | {} | {accepted} | {persisted} | {:.2} | {:.0} | {:.1} | {:.1} | {:.2} | {:.0} | {:.0}→{:.0} |",
        args.count,
        elapsed.as_secs_f64(),
        accepted as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        drained.as_secs_f64(),
        persisted as f64 / drained.as_secs_f64(),
        rss_before,
        rss_loaded,
    );
    inst.kill().await;
    Ok(())
}

async fn fanout(args: FanoutArgs) -> anyhow::Result<()> {
    let backend = backend_name(&args.common.database_url);
    let (inst, _dir) = instance(args.common.database_url.clone(), false).await?;
    let state = inst.state.clone();
    let (_, public_pem) = generate_keypair()?;
    let (group, asker) = bench_group(&state).await?;
    let mut peers = Vec::new();
    for i in 0..args.followers {
        let peer = start_peer(public_pem.clone()).await?;
        let actor = format!("{}/users/f{i}", peer.base);
        let json: crate::federation::objects::ApActor = serde_json::from_value(json!({
            "id": actor, "type": "Person", "preferredUsername": format!("f{i}"),
            "inbox": format!("{actor}/inbox"),
            "endpoints": {"sharedInbox": format!("{}/inbox", peer.base)},
            "publicKey": {"id": format!("{actor}#main-key"), "owner": actor, "publicKeyPem": public_pem},
        }))?;
        let row = json.to_row();
        let gid = group.id;
        state
            .db
            .run(move |c| {
                let a = queries::actors::upsert_remote(c, row)?;
                queries::follows::upsert(c, a.id, gid, false, None)
            })
            .await?;
        peers.push(peer);
    }
    let config = crate::federation::build_config(state.clone()).await?;
    let data = config.to_request_data();
    let expected = args.questions * args.followers * 2;
    let started = Instant::now();
    // Post from eight writers at once, as several users would.
    let next = Arc::new(AtomicUsize::new(0));
    let mut writers = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (data, asker, group, next) = (data.clone(), asker.clone(), group.clone(), next.clone());
        let total = args.questions;
        writers.spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    return Ok::<_, crate::error::AppError>(());
                }
                let title = format!("Fan-out question {i}");
                crate::actions::qa::ask(&data, &asker, &group, &title, "body", vec![]).await?;
            }
        });
    }
    while let Some(r) = writers.join_next().await {
        r??;
    }
    let queued = started.elapsed();
    let deadline = Instant::now() + Duration::from_secs(300);
    let received = || {
        peers
            .iter()
            .map(|p| p.received.load(Ordering::Relaxed))
            .sum::<usize>()
    };
    while received() < expected && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let elapsed = started.elapsed();
    let got = received();
    println!("| bench | backend | follower servers | deliveries expected | delivered | queued in s | seconds | deliveries/s | RSS MiB |");
    println!("|---|---|---|---|---|---|---|---|---|");
    println!(
        "| fanout | {backend} | {} | {expected} | {got} | {:.2} | {:.2} | {:.0} | {:.0} |",
        args.followers,
        queued.as_secs_f64(),
        elapsed.as_secs_f64(),
        got as f64 / elapsed.as_secs_f64(),
        rss_mib()
    );
    inst.kill().await;
    Ok(())
}

async fn read(args: ReadArgs) -> anyhow::Result<()> {
    let backend = backend_name(&args.common.database_url);
    let (inst, _dir) = instance(args.common.database_url.clone(), false).await?;
    let state = inst.state.clone();
    let (group, asker) = bench_group(&state).await?;
    let config = crate::federation::build_config(state.clone()).await?;
    let data = config.to_request_data();
    let mut ids = Vec::new();
    for i in 0..args.questions {
        let q = crate::actions::qa::ask(
            &data,
            &asker,
            &group,
            &format!("Read question {i}"),
            "Why does the printer beep?",
            vec!["printer".into()],
        )
        .await?;
        // Answered from 16 tasks at once: long threads are quick to build.
        let next = Arc::new(AtomicUsize::new(0));
        let mut writers = tokio::task::JoinSet::new();
        for _ in 0..16 {
            let (data, asker, q, next) = (
                data.reset_request_count(),
                asker.clone(),
                q.clone(),
                next.clone(),
            );
            let answers = args.answers;
            writers.spawn(async move {
                loop {
                    let j = next.fetch_add(1, Ordering::Relaxed);
                    if j >= answers {
                        return anyhow::Ok(());
                    }
                    let body = format!("Answer {j}: check the tray.");
                    crate::actions::qa::answer(&data, &asker, &q, &body).await?;
                }
            });
        }
        while let Some(r) = writers.join_next().await {
            r??;
        }
        ids.push(q.id);
    }
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()?;
    let base = state.base.clone();
    let total = (args.rate * args.seconds) as usize;
    let interval = Duration::from_secs_f64(1.0 / args.rate.max(1) as f64);
    // What is read, in turn: (label, URL of request i).
    let kinds: Vec<&str> = if args.html {
        vec!["home", "group", "thread"]
    } else {
        vec!["list", "thread"]
    };
    let url_of = |i: usize| match (args.html, i % kinds.len()) {
        (false, 0) => format!("{base}/api/v1/questions?group=bench&sort=active"),
        (false, _) => format!("{base}/api/v1/questions/{}", ids[i % ids.len()]),
        (true, 0) => format!("{base}/"),
        (true, 1) => format!("{base}/g/bench?sort=active"),
        (true, _) => format!("{base}/q/{}", ids[i % ids.len()]),
    };
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..total {
        // Hold the rate: request i starts at i * interval.
        let due = started + interval * i as u32;
        tokio::time::sleep_until(due.into()).await;
        let url = url_of(i);
        let client = client.clone();
        let accept = if args.html {
            "text/html"
        } else {
            "application/json"
        };
        let kind = i % kinds.len();
        tasks.spawn(async move {
            let t = Instant::now();
            let ok = match client.get(url).header("accept", accept).send().await {
                // The body is part of the latency: pages are rendered before it streams.
                Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
                _ => false,
            };
            (kind, t.elapsed(), ok)
        });
    }
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); kinds.len()];
    let mut failed = 0;
    while let Some(r) = tasks.join_next().await {
        let (kind, d, ok) = r?;
        if !ok {
            failed += 1;
        }
        times[kind].push(d);
    }
    let elapsed = started.elapsed();
    let mut head = String::from(
        "| bench | backend | questions × answers | requests | failed | achieved req/s |",
    );
    let mut cells = format!(
        "| read{} | {backend} | {} × {} | {total} | {failed} | {:.0} |",
        if args.html { " html" } else { "" },
        args.questions,
        args.answers,
        total as f64 / elapsed.as_secs_f64(),
    );
    for (kind, t) in kinds.iter().zip(times.iter_mut()) {
        t.sort();
        head.push_str(&format!(" {kind} p50 ms | {kind} p99 ms |"));
        cells.push_str(&format!(
            " {:.1} | {:.1} |",
            percentile(t, 0.5),
            percentile(t, 0.99)
        ));
    }
    head.push_str(" RSS MiB |");
    cells.push_str(&format!(" {:.0} |", rss_mib()));
    println!("{head}");
    println!("|{}", "---|".repeat(head.matches('|').count() - 1));
    println!("{cells}");
    if args.html {
        let page = format!("/q/{}", ids[0]);
        let w = weight::page_weight(&weight::client()?, &format!("{base}{page}")).await?;
        println!();
        println!("{}", weight::table(backend, &page, &w));
    }
    inst.kill().await;
    Ok(())
}
