//! The notifier: a background task that derives notifications from committed state.
//!
//! Local actions and activities arriving by federation (batched or not) end up as rows
//! in the same tables, so the notifier reads those tables instead of hooking every path
//! that writes them: nothing is notified twice, and a crash loses nothing (the next scan
//! finds what the last one missed). Every second it scans from a little before its
//! cursor (kept in the database, shared by all processes): ids are time-ordered, but
//! a transaction can commit after later ones, so each scan re-reads a short window and
//! every minute a longer one ([`LAG_MS`]); the unique key on notifications keeps the
//! re-reads from inserting twice.

use crate::db::notification_kinds::Mentions;
use crate::db::now_ms;
use crate::db::queries::notifications as nq;
use crate::state::AppState;
use std::time::Duration;

/// The longest a transaction may take to commit and still notify.
pub const LAG_MS: i64 = 120_000;
/// The window re-read on every scan.
pub const SHORT_LAG_MS: i64 = 5_000;
/// Scans between two scans of the long window.
const LONG_EVERY: u64 = 60;
const CURSOR: &str = "notifier";

/// One scan from `since_ms`, moving the shared cursor to the scan's start.
pub async fn scan(state: &AppState, mentions: std::sync::Arc<Mentions>, since_ms: i64) -> usize {
    let started = now_ms();
    let result = state
        .db
        .run(move |c| {
            let scan = nq::derive(c, since_ms, &mentions)?;
            // After a long pause, go on from where this scan stopped reading.
            nq::set_cursor(c, CURSOR, scan.read_until.unwrap_or(started))?;
            Ok(scan.inserted)
        })
        .await;
    match result {
        Ok(n) => n,
        Err(e) => {
            tracing::warn!("notifier scan failed: {e}");
            0
        }
    }
}

/// The notifier loop (one per process; processes sharing a database share the cursor).
pub async fn run(state: AppState) {
    let mentions = std::sync::Arc::new(Mentions::new(&state.base, state.domain()));
    let mut ticks: u64 = 0;
    loop {
        let cursor = state.db.run(|c| nq::cursor(c, CURSOR)).await.ok().flatten();
        // First run: start from now, the past is not news.
        let cursor = cursor.unwrap_or_else(now_ms);
        let lag = if ticks.is_multiple_of(LONG_EVERY) {
            LAG_MS
        } else {
            SHORT_LAG_MS
        };
        scan(&state, mentions.clone(), cursor - lag).await;
        ticks += 1;
        tokio::time::sleep(Duration::from_millis(state.settings.notify_interval_ms)).await;
    }
}
