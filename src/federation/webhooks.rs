//! The webhook worker: claims due rows of the persistent webhook queue, signs them as
//! Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature` with every
//! active secret of the endpoint) and POSTs them through the outgoing-URL policy, with
//! retries and exponential back-off like the federation deliveries.
//!
//! A claim is a lease: a process that dies mid-send leaves rows that become claimable
//! again when the lease ends; the receiver de-duplicates by `webhook-id`.

use crate::db::queries::webhooks::{self as wq, Endpoint, Retry, WebhookDelivery};
use crate::domain::webhooks as hooks;
use crate::state::Ctx;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, Semaphore};

/// Sends at most this many webhooks at once.
const CONCURRENCY: usize = 64;

/// Deliveries an endpoint took: (id, endpoint, response code).
type Done = (i64, i64, i32);

/// Records successful deliveries in batches: those that finish while one batch is being
/// written share the next transaction. A process that dies before writing them resends
/// those few once their lease ends; the receiver de-duplicates by `webhook-id`.
fn start_recorder(data: Ctx) -> mpsc::UnboundedSender<Done> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Done>();
    tokio::spawn(async move {
        let mut done = Vec::new();
        while rx.recv_many(&mut done, 1024).await > 0 {
            let batch = std::mem::take(&mut done);
            let n = batch.len();
            if let Err(e) = data.db.run(move |c| wq::delivered_many(c, &batch)).await {
                tracing::warn!("recording {n} webhook deliveries failed: {e}");
            }
        }
    });
    tx
}

/// At most `per_endpoint` sends at once to one endpoint (the federation's per-host limit).
fn endpoint_limit(
    limits: &std::sync::Mutex<HashMap<i64, Arc<Semaphore>>>,
    endpoint: i64,
    per_endpoint: usize,
) -> Arc<Semaphore> {
    let mut map = limits.lock().expect("endpoint limits lock");
    if map.len() > 10_000 {
        map.retain(|_, s| Arc::strong_count(s) > 1);
    }
    map.entry(endpoint)
        .or_insert_with(|| Arc::new(Semaphore::new(per_endpoint.max(1))))
        .clone()
}

/// Runs forever; spawn it once per process.
pub async fn run(data: Ctx) {
    let slots = Arc::new(Semaphore::new(CONCURRENCY));
    let limits: Arc<std::sync::Mutex<HashMap<i64, Arc<Semaphore>>>> = Default::default();
    let per_endpoint = data.settings.delivery_per_host;
    let delivered = start_recorder(data.clone());
    loop {
        let free = slots.available_permits();
        if free == 0 {
            if let Ok(p) = slots.clone().acquire_owned().await {
                drop(p);
            }
            continue;
        }
        let lease = data.settings.delivery_lease_ms.max(1_000) as i64;
        let limit = free as i64;
        let claimed = data
            .db
            .run(move |c| {
                let batch = wq::claim(c, limit, lease)?;
                let mut ids: Vec<i64> = batch.iter().map(|d| d.endpoint_id).collect();
                ids.sort_unstable();
                ids.dedup();
                let endpoints = if ids.is_empty() {
                    HashMap::new()
                } else {
                    wq::with_secrets(c, &ids)?
                };
                Ok((batch, endpoints))
            })
            .await;
        let (batch, endpoints) = match claimed {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!("claiming webhook deliveries failed: {e}");
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            }
        };
        if batch.is_empty() {
            tokio::time::sleep(Duration::from_millis(200)).await;
            continue;
        }
        let endpoints = Arc::new(endpoints);
        for d in batch {
            let Ok(permit) = slots.clone().acquire_owned().await else {
                return;
            };
            let (data, endpoints, delivered) = (data.clone(), endpoints.clone(), delivered.clone());
            let limit = endpoint_limit(&limits, d.endpoint_id, per_endpoint);
            tokio::spawn(async move {
                let Ok(_endpoint_slot) = limit.acquire_owned().await else {
                    return;
                };
                let (code, outcome) = send(&data, endpoints.get(&d.endpoint_id), &d).await;
                match outcome {
                    Ok(()) => {
                        count("delivered");
                        let _ = delivered.send((d.id, d.endpoint_id, code.unwrap_or(200)));
                    }
                    Err(why) => record_failure(&data, d, code, why).await,
                }
                drop(permit);
            });
        }
    }
}

fn count(outcome: &'static str) {
    metrics::counter!("peerdesk_webhooks_total", "outcome" => outcome).increment(1);
}

/// Sends one delivery to its endpoint (with the endpoint's active secrets); returns the
/// response code, if any, and the error, if it failed.
async fn send(
    data: &Ctx,
    endpoint: Option<&(Endpoint, Vec<String>)>,
    d: &WebhookDelivery,
) -> (Option<i32>, Result<(), String>) {
    let Some((ep, secrets)) = endpoint else {
        return (None, Err("the endpoint no longer exists".into()));
    };
    let url = match data.net.check_str(&ep.url) {
        Ok(url) => url,
        Err(why) => return (None, Err(format!("the URL is refused: {why}"))),
    };
    let id = hooks::message_id(d.id);
    let timestamp = chrono::Utc::now().timestamp();
    let signature = hooks::signature(secrets, &id, timestamp, &d.payload);
    let resp = data
        .http
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", &id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(d.payload.clone())
        .send()
        .await;
    match resp {
        Ok(resp) if resp.status().is_success() => (Some(resp.status().as_u16() as i32), Ok(())),
        // The receiver's body is not kept: only its status.
        Ok(resp) => (
            Some(resp.status().as_u16() as i32),
            Err(format!("the endpoint answered {}", resp.status())),
        ),
        Err(e) if e.is_timeout() => (None, Err("the endpoint did not answer in time".into())),
        Err(e) if e.is_connect() => (None, Err("the endpoint could not be reached".into())),
        Err(_) => (None, Err("sending failed".into())),
    }
}

async fn record_failure(data: &Ctx, d: WebhookDelivery, code: Option<i32>, why: String) {
    let retry = Retry {
        base_ms: data.settings.delivery_retry_base_ms,
        max_attempts: data.settings.webhook_max_attempts,
        disable_after_ms: data.settings.webhook_disable_after_hours as i64 * 3_600_000,
    };
    count("failed");
    let result = data
        .db
        .run(move |c| {
            tracing::info!(
                endpoint = d.endpoint_id,
                attempt = d.attempts + 1,
                "webhook failed: {why}"
            );
            if wq::attempt_failed(c, &d, code, &why, &retry)? {
                tracing::warn!(
                    endpoint = d.endpoint_id,
                    "webhook endpoint disabled after failing too long"
                );
            }
            Ok(())
        })
        .await;
    if let Err(e) = result {
        tracing::warn!("recording a webhook delivery failed: {e}");
    }
}
