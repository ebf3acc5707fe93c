//! The delivery worker: claims due rows from the persistent queue, signs and sends them
//! with bounded global and per-host concurrency, and records the outcome. The stored body
//! is sent as stored; only the signature headers differ per inbox.
//!
//! A claim is a lease (`locked_until`): if the process dies mid-delivery the rows become
//! claimable again when the lease ends, so nothing is lost; the receiver's de-duplication by
//! activity id makes the rare resend harmless.

use super::objects::FedActor;
use crate::db::models::{Activity as ActivityRow, Actor, Delivery};
use crate::db::queries;
use crate::error::AppResult;
use crate::state::Ctx;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, Semaphore};

type HostLimits = Arc<Mutex<HashMap<String, Arc<Semaphore>>>>;

fn host_limit(limits: &HostLimits, domain: &str, per_host: usize) -> Arc<Semaphore> {
    let mut map = limits.lock().expect("host limits lock");
    if map.len() > 10_000 {
        map.retain(|_, s| Arc::strong_count(s) > 1);
    }
    map.entry(domain.to_string())
        .or_insert_with(|| Arc::new(Semaphore::new(per_host.max(1))))
        .clone()
}

/// Records successful deliveries in batches: the sends finishing while one batch is
/// written share the next transaction. A process that dies before writing them resends
/// those few once their lease ends (the receiver de-duplicates by activity id).
fn start_recorder(data: Ctx) -> mpsc::UnboundedSender<(i64, String)> {
    let (tx, mut rx) = mpsc::unbounded_channel::<(i64, String)>();
    tokio::spawn(async move {
        let mut done = Vec::new();
        while rx.recv_many(&mut done, 1024).await > 0 {
            let batch = std::mem::take(&mut done);
            let n = batch.len();
            if let Err(e) = data
                .db
                .run(move |c| queries::deliveries::delivered_many(c, &batch))
                .await
            {
                tracing::warn!("recording {n} deliveries failed: {e}");
            }
        }
    });
    tx
}

/// Runs forever; spawn it once per process (several processes may share a PostgreSQL).
pub async fn run(data: Ctx) {
    let settings = data.settings.clone();
    let delivered = start_recorder(data.clone());
    let global = Arc::new(Semaphore::new(settings.delivery_concurrency.max(1)));
    let hosts: HostLimits = Default::default();
    loop {
        let free = global.available_permits();
        if free == 0 {
            // Wait until a send finishes.
            if let Ok(p) = global.clone().acquire_owned().await {
                drop(p);
            }
            continue;
        }
        let limit = free.min(256) as i64;
        let lease = settings.delivery_lease_ms as i64;
        let batch = match data
            .db
            .run(move |c| queries::deliveries::claim(c, limit, lease))
            .await
        {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!("claiming deliveries failed: {e}");
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            }
        };
        if batch.is_empty() {
            let _ =
                tokio::time::timeout(Duration::from_millis(250), data.delivery_notify.notified())
                    .await;
            continue;
        }
        match load_context(&data, &batch).await {
            Ok((activities, actors)) => {
                for delivery in batch {
                    let permit = match global.clone().acquire_owned().await {
                        Ok(p) => p,
                        Err(_) => return,
                    };
                    let host = host_limit(&hosts, &delivery.domain, settings.delivery_per_host);
                    let activity = activities.get(&delivery.activity_id).cloned();
                    let actor = activity
                        .as_ref()
                        .and_then(|a| actors.get(&a.actor_id).cloned());
                    let data = data.reset_request_count();
                    let delivered = delivered.clone();
                    tokio::spawn(async move {
                        // An inbox the outgoing-URL policy refuses is never contacted:
                        // the delivery fails for good, with the reason for admins.
                        if let Err(reason) = data.net.check_str(&delivery.inbox) {
                            metrics::counter!("peerdesk_deliveries_total", "outcome" => "refused")
                                .increment(1);
                            refused(&data, &delivery, reason).await;
                            drop(permit);
                            return;
                        }
                        let _host = host.acquire_owned().await;
                        let outcome = match (activity, actor) {
                            (Some(act), Some(actor)) => {
                                send_one(&data, &act, actor, &delivery).await
                            }
                            _ => Sent::Retry("activity or actor no longer exists".to_string()),
                        };
                        let label = match outcome {
                            Sent::Delivered | Sent::Permanent(_) => "delivered",
                            Sent::Retry(_) => "failed",
                        };
                        metrics::counter!("peerdesk_deliveries_total", "outcome" => label)
                            .increment(1);
                        match outcome {
                            Sent::Delivered => {
                                let _ = delivered.send((delivery.id, delivery.domain));
                            }
                            Sent::Permanent(why) => {
                                tracing::debug!(inbox = %delivery.inbox, "delivery refused for good: {why}");
                                let _ = delivered.send((delivery.id, delivery.domain));
                            }
                            Sent::Retry(err) => failed(&data, &delivery, err).await,
                        }
                        drop(permit);
                    });
                }
            }
            Err(e) => {
                tracing::warn!("loading deliveries failed: {e}");
                let ids: Vec<i64> = batch.iter().map(|d| d.id).collect();
                let _ = data
                    .db
                    .run(move |c| queries::deliveries::release(c, &ids))
                    .await;
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
    }
}

/// A stored activity ready to send: its body and `Digest`, computed once for all its
/// inboxes (only the signature headers differ per inbox).
struct Outgoing {
    actor_id: i64,
    body: bytes::Bytes,
    digest: String,
}

type Loaded = (HashMap<i64, Arc<Outgoing>>, HashMap<i64, Arc<FedActor>>);

async fn load_context(data: &Ctx, batch: &[Delivery]) -> AppResult<Loaded> {
    let mut ids: Vec<i64> = batch.iter().map(|d| d.activity_id).collect();
    ids.sort();
    ids.dedup();
    let (acts, actors): (Vec<ActivityRow>, Vec<Actor>) = data
        .db
        .run(move |c| {
            let acts = queries::activities::by_ids(c, &ids)?;
            let mut actor_ids: Vec<i64> = acts.iter().map(|a| a.actor_id).collect();
            actor_ids.sort();
            actor_ids.dedup();
            let actors = queries::actors::by_ids(c, &actor_ids)?;
            Ok((acts, actors))
        })
        .await?;
    let acts = acts
        .into_iter()
        .map(|a: ActivityRow| {
            let out = Outgoing {
                actor_id: a.actor_id,
                digest: super::signing::digest_header(a.body.as_bytes()),
                body: bytes::Bytes::from(a.body),
            };
            (a.id, Arc::new(out))
        })
        .collect();
    let actors = actors
        .into_iter()
        .filter_map(|a| Some((a.id, Arc::new(FedActor::try_from(a).ok()?))))
        .collect();
    Ok((acts, actors))
}

/// What became of one attempt to deliver an activity to one inbox.
#[derive(Debug, PartialEq, Eq)]
enum Sent {
    /// The inbox took it (2xx).
    Delivered,
    /// The receiver refuses it for good (a 4xx other than 408 and 429): the delivery
    /// ends, with the reason for the log.
    Permanent(String),
    /// It may pass later (a transport error, 408, 429, 5xx, our own failure): the
    /// delivery is retried with back-off.
    Retry(String),
}

impl Sent {
    /// The decision for a receiver's answer with `status`.
    fn from_status(status: http::StatusCode, text: String) -> Sent {
        use http::StatusCode;
        match status {
            s if s.is_success() => Sent::Delivered,
            StatusCode::REQUEST_TIMEOUT | StatusCode::TOO_MANY_REQUESTS => {
                Sent::Retry(format!("{status}: {text}"))
            }
            s if s.is_client_error() => Sent::Permanent(format!("{status}: {text}")),
            _ => Sent::Retry(format!("{status}: {text}")),
        }
    }
}

/// Signs (aws-lc-rs, see [`super::signing`]) and POSTs one stored activity to one inbox.
async fn send_one(
    data: &Ctx,
    activity: &Outgoing,
    actor: Arc<FedActor>,
    delivery: &Delivery,
) -> Sent {
    let inbox = match data.net.check_str(&delivery.inbox) {
        Ok(inbox) => inbox,
        Err(reason) => return Sent::Retry(reason),
    };
    let Some(private_pem) = actor.row.private_key_pem.as_deref() else {
        return Sent::Retry("the sending actor has no private key".into());
    };
    let headers = match super::signing::signed_post_headers_with_digest(
        &inbox,
        &activity.digest,
        &actor.row.public_key_id,
        private_pem,
        None,
    ) {
        Ok(headers) => headers,
        Err(e) => return Sent::Retry(e.to_string()),
    };
    let resp = match data
        .http
        .post(inbox.clone())
        .headers(headers)
        .body(activity.body.clone())
        .send()
        .await
    {
        Ok(resp) => resp,
        Err(e) => return Sent::Retry(with_sources(&e)),
    };
    let status = resp.status();
    if status.is_success() {
        return Sent::Delivered;
    }
    let text: String = resp
        .text()
        .await
        .unwrap_or_default()
        .chars()
        .take(300)
        .collect();
    Sent::from_status(status, text)
}

async fn failed(data: &Ctx, delivery: &Delivery, err: String) {
    let d = delivery.clone();
    let settings = &data.settings;
    let (base, give_up) = (
        settings.delivery_retry_base_ms,
        settings.delivery_give_up_hours as i64 * 3600 * 1000,
    );
    tracing::info!(inbox = %d.inbox, attempt = d.attempts + 1, "delivery failed: {err}");
    if let Err(e) = data
        .db
        .run(move |c| queries::deliveries::attempt_failed(c, &d, &err, base, give_up))
        .await
    {
        tracing::warn!("recording a failed delivery failed: {e}");
    }
}

/// Marks a delivery failed for good without contacting anyone (its inbox is refused).
async fn refused(data: &Ctx, delivery: &Delivery, reason: String) {
    let d = delivery.clone();
    tracing::info!(inbox = %d.inbox, "delivery not sent: {reason}");
    if let Err(e) = data
        .db
        .run(move |c| queries::deliveries::refused(c, &d, &reason))
        .await
    {
        tracing::warn!("recording a refused delivery failed: {e}");
    }
}

/// An error with its causes (a refusal by the outgoing-URL policy during a redirect or a
/// name lookup is a cause of reqwest's error).
fn with_sources(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let text = c.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        cause = c.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Sent;
    use http::StatusCode;

    #[test]
    fn a_receivers_answer_decides_delivered_retry_or_permanent() {
        let sent = |code: u16| Sent::from_status(StatusCode::from_u16(code).unwrap(), "x".into());
        for code in [200, 201, 202, 204] {
            assert_eq!(sent(code), Sent::Delivered, "{code}");
        }
        for code in [400, 401, 403, 404, 410, 422] {
            assert!(matches!(sent(code), Sent::Permanent(_)), "{code}");
        }
        for code in [408, 429, 500, 502, 503, 504] {
            assert!(matches!(sent(code), Sent::Retry(_)), "{code}");
        }
    }
}
