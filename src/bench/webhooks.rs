//! `peerdesk bench webhooks`: signed webhook deliveries per second from the persistent
//! queue. Organisations' endpoints on local receivers (each verifies every signature
//! with the endpoint's secret, as a CRM would) get the same events queued as a busy
//! group produces them; the worker signs and sends them. Prints a table.

use super::{backend_name, instance, rss_mib, Common};
use crate::db::queries;
use crate::domain::webhooks as hooks;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use clap::Args;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Args)]
pub struct WebhooksArgs {
    #[command(flatten)]
    common: Common,
    /// Endpoints (one organisation and one receiving server each).
    #[arg(long, default_value_t = 20)]
    endpoints: usize,
    /// Events, each queued for every endpoint.
    #[arg(long, default_value_t = 500)]
    events: usize,
}

#[derive(Clone)]
struct Receiver {
    secret: Arc<String>,
    verified: Arc<AtomicUsize>,
    refused: Arc<AtomicUsize>,
}

/// Checks the Standard Webhooks signature over id, timestamp and body.
async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: String) -> StatusCode {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let (Some(id), Some(ts), Some(sig)) = (
        header("webhook-id"),
        header("webhook-timestamp").and_then(|t| t.parse::<i64>().ok()),
        header("webhook-signature"),
    ) else {
        r.refused.fetch_add(1, Ordering::Relaxed);
        return StatusCode::BAD_REQUEST;
    };
    let expected = hooks::signature(std::slice::from_ref(&*r.secret), id, ts, &body);
    if sig.split(' ').any(|s| s == expected) {
        r.verified.fetch_add(1, Ordering::Relaxed);
        StatusCode::NO_CONTENT
    } else {
        r.refused.fetch_add(1, Ordering::Relaxed);
        StatusCode::UNAUTHORIZED
    }
}

async fn start_receiver(secret: String) -> anyhow::Result<(String, Receiver)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://127.0.0.1:{}/hook", listener.local_addr()?.port());
    let r = Receiver {
        secret: Arc::new(secret),
        verified: Default::default(),
        refused: Default::default(),
    };
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(receive))
        .with_state(r.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok((url, r))
}

pub async fn webhooks(args: WebhooksArgs) -> anyhow::Result<()> {
    let backend = backend_name(&args.common.database_url);
    let (inst, _dir) = instance(args.common.database_url.clone(), false).await?;
    let state = inst.state.clone();
    let mut receivers = Vec::new();
    let mut endpoints = Vec::new();
    for i in 0..args.endpoints {
        let secret = hooks::new_secret();
        let (url, r) = start_receiver(secret.clone()).await?;
        let ep = state
            .db
            .run(move |c| {
                let org = queries::staff::create_org(
                    c,
                    &format!("Org {i}"),
                    &format!("org{i}.example"),
                    None,
                )?;
                queries::webhooks::create(c, org.id, &url, &[hooks::QUESTION_CREATED], &secret)
            })
            .await?;
        endpoints.push(ep.id);
        receivers.push(r);
    }
    let expected = args.endpoints * args.events;
    let started = Instant::now();
    // Events are queued as actions queue them: one transaction per event, every endpoint.
    for i in 0..args.events {
        let payload = json!({
            "type": hooks::QUESTION_CREATED,
            "timestamp": chrono::Utc::now().to_rfc3339(),
            "data": {"question": {"id": i.to_string(), "title": format!("Webhook question {i}"),
                "url": format!("{}/q/{i}", state.base), "group": "bench", "tags": ["bench"],
                "author": {"handle": "asker@localhost", "staff": false}}},
        })
        .to_string();
        let eps = endpoints.clone();
        state
            .db
            .run(move |c| {
                c.transaction(|c| {
                    queries::webhooks::enqueue(c, &eps, hooks::QUESTION_CREATED, &payload)
                })
            })
            .await?;
    }
    let queued = started.elapsed();
    let deadline = Instant::now() + Duration::from_secs(300);
    let count = |f: fn(&Receiver) -> &AtomicUsize| {
        receivers
            .iter()
            .map(|r| f(r).load(Ordering::Relaxed))
            .sum::<usize>()
    };
    while count(|r| &r.verified) + count(|r| &r.refused) < expected && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let elapsed = started.elapsed();
    let verified = count(|r| &r.verified);
    let refused = count(|r| &r.refused);
    println!("| bench | backend | endpoints | webhooks expected | verified | refused | queued in s | seconds | webhooks/s | RSS MiB |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    println!(
        "| webhooks | {backend} | {} | {expected} | {verified} | {refused} | {:.2} | {:.2} | {:.0} | {:.0} |",
        args.endpoints,
        queued.as_secs_f64(),
        elapsed.as_secs_f64(),
        verified as f64 / elapsed.as_secs_f64(),
        rss_mib()
    );
    inst.kill().await;
    Ok(())
}
