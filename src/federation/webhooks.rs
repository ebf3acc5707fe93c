//! The webhook worker: claims due rows of the persistent webhook queue, signs them as
//! Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature` with every
//! active secret of the endpoint) and POSTs them through the outgoing-URL policy, with
//! retries and exponential back-off like the federation deliveries.
//!
//! A claim is a lease: a process that dies mid-send leaves rows that become claimable
//! again when the lease ends; the receiver de-duplicates by `webhook-id`.

use crate::db::queries::webhooks::{self as wq, Retry, WebhookDelivery};
use crate::domain::webhooks as hooks;
use crate::state::Ctx;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// Sends at most this many webhooks at once.
const CONCURRENCY: usize = 16;

/// Runs forever; spawn it once per process.
pub async fn run(data: Ctx) {
    let slots = Arc::new(Semaphore::new(CONCURRENCY));
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
        let batch = match data.db.run(move |c| wq::claim(c, limit, lease)).await {
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
        for d in batch {
            let Ok(permit) = slots.clone().acquire_owned().await else {
                return;
            };
            let data = data.clone();
            tokio::spawn(async move {
                let (code, outcome) = send(&data, &d).await;
                record(&data, d, code, outcome).await;
                drop(permit);
            });
        }
    }
}

/// Sends one delivery; returns the response code, if any, and the error, if it failed.
async fn send(data: &Ctx, d: &WebhookDelivery) -> (Option<i32>, Result<(), String>) {
    let endpoint = d.endpoint_id;
    let loaded = data
        .db
        .run(move |c| Ok((wq::get(c, endpoint)?, wq::secrets(c, endpoint)?)))
        .await;
    let (ep, secrets) = match loaded {
        Ok((Some(ep), secrets)) => (ep, secrets),
        Ok((None, _)) => return (None, Err("the endpoint no longer exists".into())),
        Err(e) => return (None, Err(format!("loading the endpoint failed: {e}"))),
    };
    let url = match data.net.check_str(&ep.url) {
        Ok(url) => url,
        Err(why) => return (None, Err(format!("the URL is refused: {why}"))),
    };
    let secrets: Vec<String> = secrets.into_iter().map(|s| s.secret).collect();
    let id = hooks::message_id(d.id);
    let timestamp = chrono::Utc::now().timestamp();
    let signature = hooks::signature(&secrets, &id, timestamp, &d.payload);
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

async fn record(data: &Ctx, d: WebhookDelivery, code: Option<i32>, outcome: Result<(), String>) {
    let retry = Retry {
        base_ms: data.settings.delivery_retry_base_ms,
        max_attempts: data.settings.webhook_max_attempts,
        disable_after_ms: data.settings.webhook_disable_after_hours as i64 * 3_600_000,
    };
    let label = if outcome.is_ok() {
        "delivered"
    } else {
        "failed"
    };
    metrics::counter!("peerdesk_webhooks_total", "outcome" => label).increment(1);
    let result = data
        .db
        .run(move |c| match outcome {
            Ok(()) => wq::delivered(c, &d, code.unwrap_or(200)),
            Err(why) => {
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
            }
        })
        .await;
    if let Err(e) = result {
        tracing::warn!("recording a webhook delivery failed: {e}");
    }
}
