//! Bounds the password hashing and verification running at once. Each Argon2 run holds
//! about 19 MiB and a core for tens of milliseconds, so unbounded concurrent sign-ins
//! could exhaust memory. At most `concurrency` run; up to `queue` more wait for a slot;
//! beyond that the request is refused with `503` and `Retry-After`.

use crate::error::{AppError, AppResult};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::Semaphore;

pub struct PasswordGate {
    slots: Arc<Semaphore>,
    /// Running plus waiting.
    admitted: AtomicUsize,
    max_admitted: usize,
    running: Arc<AtomicUsize>,
    /// The most that ever ran at once (for tests and benchmarks).
    peak: Arc<AtomicUsize>,
}

/// Releases an admission when the request ends, however it ends.
struct Admission<'a>(&'a AtomicUsize);

impl Drop for Admission<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl PasswordGate {
    /// `concurrency` 0 means twice the number of cores.
    pub fn new(concurrency: usize, queue: usize) -> PasswordGate {
        let concurrency = match concurrency {
            0 => 2 * std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        };
        PasswordGate {
            slots: Arc::new(Semaphore::new(concurrency)),
            admitted: AtomicUsize::new(0),
            max_admitted: concurrency + queue,
            running: Arc::new(AtomicUsize::new(0)),
            peak: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Runs `work` (hashing or verifying) on a blocking thread once a slot is free.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> AppResult<T> {
        if self.admitted.fetch_add(1, Ordering::AcqRel) >= self.max_admitted {
            self.admitted.fetch_sub(1, Ordering::AcqRel);
            return Err(AppError::Unavailable(
                "too many sign-ins at once; try again in a few seconds".into(),
            ));
        }
        let _admission = Admission(&self.admitted);
        let permit = self
            .slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| AppError::Internal("password gate closed".into()))?;
        let (running, peak) = (self.running.clone(), self.peak.clone());
        // The permit moves into the blocking task: a cancelled request cannot free its
        // slot while its hash is still being computed.
        tokio::task::spawn_blocking(move || {
            let now = running.fetch_add(1, Ordering::AcqRel) + 1;
            peak.fetch_max(now, Ordering::AcqRel);
            let out = work();
            running.fetch_sub(1, Ordering::AcqRel);
            drop(permit);
            out
        })
        .await
        .map_err(|e| AppError::Internal(format!("password task failed: {e}")))
    }

    /// The most hashes that ever ran at once.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn runs_at_most_the_bound_and_refuses_beyond_the_queue() {
        let gate = Arc::new(PasswordGate::new(2, 3));
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let rx = Arc::new(std::sync::Mutex::new(rx));
        let mut tasks = Vec::new();
        for _ in 0..5 {
            let (gate, rx) = (gate.clone(), rx.clone());
            tasks.push(tokio::spawn(async move {
                gate.run(move || {
                    let _ = rx.lock().unwrap().recv();
                })
                .await
            }));
        }
        while gate.admitted.load(Ordering::Acquire) < 5 || gate.running.load(Ordering::Acquire) < 2
        {
            tokio::task::yield_now().await;
        }
        // Two run, three wait: the sixth is refused.
        assert!(matches!(
            gate.run(|| ()).await,
            Err(AppError::Unavailable(_))
        ));
        for _ in 0..5 {
            tx.send(()).unwrap();
        }
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        assert_eq!(gate.peak(), 2);
        gate.run(|| ()).await.unwrap();
    }
}
