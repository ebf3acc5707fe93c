//! The durable inbound queue (`--inbox-queue`).
//!
//! The inbox verifies a request as always, then stores the activity in the database
//! and answers `202` once that is committed: nothing accepted is lost if the process
//! dies, and acceptance does not wait for processing. Writes are grouped: the requests
//! arriving while one insert commits share the next. Duplicates are refused at the door
//! (the id is recorded with the row). When more than `inbox_queue_max` activities wait,
//! the inbox answers `503` with `Retry-After`.
//!
//! A drain claims due rows in batches (leases, `SKIP LOCKED` on PostgreSQL, so several
//! processes share the work) and hands them to [`super::ingest`] as if they had just
//! arrived. Failures that are not the activity's fault (a sender's server that is down)
//! are retried with back-off; refusals and successes drop the row. Processing is at
//! least once (a process killed between commit and clean-up repeats a batch) and every
//! handler is idempotent by object and activity id.

use super::ingest::{self, Job};
use crate::db::models::Actor;
use crate::db::{now_ms, queries};
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use serde_json::Value;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot, Notify};

/// Activities written in one insert at most.
const MAX_WRITE: usize = 512;
/// Activities claimed by the drain at once.
const CLAIM: i64 = 256;
/// Attempts before a failing activity is dropped (the back-off doubles from 5 s).
const MAX_ATTEMPTS: i32 = 10;
/// Accepting this many activities within [`BURST_WINDOW`] is a burst (1,000/s).
const BURST_COUNT: i64 = 100;
const BURST_WINDOW: i64 = 100;
/// How often a deferring drain looks again.
const BURST_POLL: Duration = Duration::from_millis(20);
/// The longest the drain waits for a burst to end before it works alongside it.
const MAX_DEFER: Duration = Duration::from_secs(2);

struct Write {
    activity_id: String,
    signer_id: i64,
    body: String,
    reply: oneshot::Sender<AppResult<()>>,
}

/// The inbox's handle on the queue.
pub struct Queue {
    writes: mpsc::Sender<Write>,
    /// Activities waiting (refreshed from the database by the drain).
    backlog: Arc<AtomicI64>,
}

impl Queue {
    /// Activities waiting, as the drain last counted them.
    pub fn backlog(&self) -> i64 {
        self.backlog.load(Ordering::Relaxed)
    }

    /// Stores a verified activity; returns once it is committed (or was a duplicate).
    pub async fn accept(
        &self,
        data: &Ctx,
        activity_id: &str,
        signer: &Actor,
        body: &[u8],
    ) -> AppResult<()> {
        if self.backlog.load(Ordering::Relaxed) >= data.settings.inbox_queue_max {
            return Err(AppError::Unavailable(
                "the inbound queue is full; retry later".into(),
            ));
        }
        let (reply, answer) = oneshot::channel();
        let write = Write {
            activity_id: activity_id.to_string(),
            signer_id: signer.id,
            body: String::from_utf8_lossy(body).into_owned(),
            reply,
        };
        let stopping = || AppError::Unavailable("the inbox is stopping".into());
        self.writes.send(write).await.map_err(|_| stopping())?;
        answer.await.map_err(|_| stopping())?
    }
}

/// Starts the writer and the drain; returns the inbox's handle and the two tasks.
pub fn start(
    data: Ctx,
) -> (
    Queue,
    impl std::future::Future<Output = ()>,
    impl std::future::Future<Output = ()>,
) {
    let (tx, mut rx) = mpsc::channel::<Write>(MAX_WRITE * 4);
    let backlog = Arc::new(AtomicI64::new(0));
    let wake = Arc::new(Notify::new());
    let burst = Arc::new(Burst::default());
    let writer = {
        let (data, backlog, wake, burst) =
            (data.clone(), backlog.clone(), wake.clone(), burst.clone());
        async move {
            if let Ok(n) = data.db.run(queries::inbound::backlog).await {
                backlog.store(n, Ordering::Relaxed);
            }
            let mut writes = Vec::with_capacity(MAX_WRITE);
            while rx.recv_many(&mut writes, MAX_WRITE).await > 0 {
                burst.accepted(writes.len() as i64);
                let (items, replies): (Vec<_>, Vec<_>) = std::mem::take(&mut writes)
                    .into_iter()
                    .map(|w| ((w.activity_id, w.signer_id, w.body), w.reply))
                    .unzip();
                let result = data
                    .db
                    .run(move |c| queries::inbound::enqueue(c, items))
                    .await;
                match result {
                    Ok(queued) => {
                        backlog.fetch_add(queued as i64, Ordering::Relaxed);
                        wake.notify_one();
                        for reply in replies {
                            let _ = reply.send(Ok(()));
                        }
                    }
                    Err(e) => {
                        tracing::warn!("inbound queue write failed: {e}");
                        for reply in replies {
                            let _ = reply.send(Err(AppError::Unavailable(
                                "the inbound queue could not store the activity".into(),
                            )));
                        }
                    }
                }
            }
        }
    };
    let drain = drain(data, backlog.clone(), wake, burst);
    (
        Queue {
            writes: tx,
            backlog,
        },
        writer,
        drain,
    )
}

/// Whether the inbox is taking a burst: the writer counts what it accepts per window
/// of [`BURST_WINDOW`] ms (it alone writes these).
struct Burst {
    started: std::time::Instant,
    window_start: AtomicI64,
    count: AtomicI64,
    /// Milliseconds after `started` until which the inbox counts as bursting.
    until: AtomicI64,
}

impl Default for Burst {
    fn default() -> Self {
        Burst {
            started: std::time::Instant::now(),
            window_start: AtomicI64::new(0),
            count: AtomicI64::new(0),
            until: AtomicI64::new(0),
        }
    }
}

impl Burst {
    fn now(&self) -> i64 {
        self.started.elapsed().as_millis() as i64
    }

    fn accepted(&self, n: i64) {
        let now = self.now();
        if now - self.window_start.load(Ordering::Relaxed) >= BURST_WINDOW {
            self.window_start.store(now, Ordering::Relaxed);
            self.count.store(0, Ordering::Relaxed);
        }
        if self.count.fetch_add(n, Ordering::Relaxed) + n >= BURST_COUNT {
            // Through the next window: a burst ends when a window falls short.
            let start = self.window_start.load(Ordering::Relaxed);
            self.until
                .store(start + 2 * BURST_WINDOW, Ordering::Relaxed);
        }
    }

    fn ongoing(&self) -> bool {
        self.now() < self.until.load(Ordering::Relaxed)
    }
}

/// Claims and processes due activities. While the inbox takes a burst, processing waits
/// (acceptance gets the machine), for at most [`MAX_DEFER`] and while less than a
/// quarter of the queue's capacity waits; then it works alongside acceptance.
async fn drain(data: Ctx, backlog: Arc<AtomicI64>, wake: Arc<Notify>, burst: Arc<Burst>) {
    let mut counted_at = std::time::Instant::now() - Duration::from_secs(60);
    let mut deferring: Option<std::time::Instant> = None;
    loop {
        if burst.ongoing()
            && backlog.load(Ordering::Relaxed) < data.settings.inbox_queue_max / 4
            && deferring
                .get_or_insert_with(std::time::Instant::now)
                .elapsed()
                < MAX_DEFER
        {
            tokio::time::sleep(BURST_POLL).await;
            continue;
        }
        if !burst.ongoing() {
            deferring = None;
        }
        if counted_at.elapsed() > Duration::from_secs(1) {
            if let Ok(n) = data.db.run(queries::inbound::backlog).await {
                backlog.store(n, Ordering::Relaxed);
            }
            counted_at = std::time::Instant::now();
        }
        let lease = data.settings.inbox_lease_ms as i64;
        let claimed = match data
            .db
            .run(move |c| queries::inbound::claim(c, CLAIM, lease))
            .await
        {
            Ok(rows) => rows,
            Err(e) => {
                tracing::warn!("inbound queue claim failed: {e}");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        if claimed.is_empty() {
            let _ = tokio::time::timeout(Duration::from_secs(1), wake.notified()).await;
            continue;
        }
        if let Err(e) = process(&data, claimed, &backlog).await {
            tracing::warn!("inbound queue batch failed: {e}");
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
}

/// Without `--inbox-queue`: processes the activities that a process handling them one by
/// one left unfinished (it died; see [`ingest::process_one`]) or failed to process for
/// a reason that was not theirs, once their lease or retry time has come. Runs at start
/// and then every quarter lease (at most every 5 s); the claim's lease keeps two
/// processes from taking the same rows.
pub async fn sweep(data: Ctx) {
    let lease = data.settings.inbox_lease_ms as i64;
    let every = Duration::from_millis((lease as u64 / 4).clamp(100, 5_000));
    let backlog = AtomicI64::new(0);
    loop {
        match data
            .db
            .run(move |c| queries::inbound::claim(c, CLAIM, lease))
            .await
        {
            Ok(claimed) if !claimed.is_empty() => {
                tracing::info!("processing {} unfinished activities", claimed.len());
                if let Err(e) = process(&data, claimed, &backlog).await {
                    tracing::warn!("processing unfinished activities failed: {e}");
                }
                continue;
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("claiming unfinished activities failed: {e}"),
        }
        tokio::time::sleep(every).await;
    }
}

async fn process(
    data: &Ctx,
    claimed: Vec<(crate::db::models::Inbound, Actor)>,
    backlog: &AtomicI64,
) -> AppResult<()> {
    let batches = data
        .ingest
        .get::<ingest::Sender>()
        .ok_or_else(|| AppError::Unavailable("the inbox is starting".into()))?;
    let mut done = Vec::new();
    let mut waiting = Vec::new();
    for (row, signer) in claimed {
        let activity: Value = match serde_json::from_str(&row.activity) {
            Ok(mut v) => {
                crate::domain::input::strip_nul_parsed(row.activity.as_bytes(), &mut v);
                v
            }
            Err(_) => {
                done.push(row.id); // verified as JSON on receipt; cannot happen
                continue;
            }
        };
        let (reply, answer) = oneshot::channel();
        let job = Job {
            object: ingest::prepare(&activity, &signer),
            activity,
            signer,
            recorded: true,
            reply,
        };
        if batches.send(job).await.is_err() {
            return Err(AppError::Unavailable("the inbox is stopping".into()));
        }
        waiting.push((row, answer));
    }
    let mut retry = Vec::new();
    let now = now_ms();
    for (row, answer) in waiting {
        match answer.await {
            Ok(Err(e)) if e.is_transient() && row.attempts + 1 < MAX_ATTEMPTS => {
                tracing::debug!(id = row.id, "queued activity will be retried: {e}");
                let delay = ingest::RETRY_BASE_MS << row.attempts.clamp(0, 12);
                retry.push((row.id, row.attempts + 1, now + delay));
            }
            Ok(Err(e)) => {
                tracing::info!(id = row.id, "queued activity refused: {e}");
                done.push(row.id);
            }
            Ok(Ok(())) => done.push(row.id),
            // Dropped unanswered (stopping): the lease lets it be claimed again.
            Err(_) => {}
        }
    }
    let finished = done.len() as i64;
    data.db
        .run(move |c| queries::inbound::finish(c, &done, &retry))
        .await?;
    backlog.fetch_sub(finished, Ordering::Relaxed);
    Ok(())
}
