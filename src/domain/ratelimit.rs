//! Fixed-window rate limits per account and per remote instance, in memory (per
//! process). Exceeding one gives `429 Too Many Requests` with `Retry-After`.

use crate::error::AppError;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Post,
    Vote,
    Report,
}

impl Action {
    /// (per account per minute, per new account per minute, per remote instance per minute)
    fn limits(self) -> (u32, u32, u32) {
        match self {
            Action::Post => (20, 5, 600),
            Action::Vote => (120, 30, 3000),
            Action::Report => (10, 3, 120),
        }
    }
}

/// Accounts younger than this have the lower "new account" limits.
pub const NEW_ACCOUNT: Duration = Duration::from_secs(24 * 3600);
const WINDOW: Duration = Duration::from_secs(60);

pub struct RateLimiter {
    enabled: bool,
    windows: moka::sync::Cache<String, Arc<Mutex<(Instant, u32)>>>,
}

impl RateLimiter {
    pub fn new(enabled: bool) -> RateLimiter {
        RateLimiter {
            enabled,
            windows: moka::sync::Cache::builder()
                .max_capacity(200_000)
                .time_to_idle(WINDOW * 2)
                .build(),
        }
    }

    fn hit(&self, key: String, limit: u32) -> Result<(), AppError> {
        if !self.enabled {
            return Ok(());
        }
        let slot = self
            .windows
            .get_with(key, || Arc::new(Mutex::new((Instant::now(), 0))));
        let mut w = slot.lock().unwrap_or_else(|e| e.into_inner());
        if w.0.elapsed() >= WINDOW {
            *w = (Instant::now(), 0);
        }
        if w.1 >= limit {
            let retry = WINDOW.saturating_sub(w.0.elapsed()).as_secs().max(1);
            return Err(AppError::TooManyRequests {
                message: format!("rate limit reached: at most {limit} per minute"),
                retry_after_secs: retry,
            });
        }
        w.1 += 1;
        Ok(())
    }

    /// A local account acting; `account_age_ms` picks the new-account limits.
    pub fn account(
        &self,
        action: Action,
        actor_id: i64,
        account_age_ms: i64,
    ) -> Result<(), AppError> {
        let (normal, new, _) = action.limits();
        let limit = if account_age_ms < NEW_ACCOUNT.as_millis() as i64 {
            new
        } else {
            normal
        };
        self.hit(format!("a:{action:?}:{actor_id}"), limit)
    }

    /// Activities arriving from a remote instance.
    pub fn instance(&self, action: Action, domain: &str) -> Result<(), AppError> {
        self.hit(format!("i:{action:?}:{domain}"), action.limits().2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_apply_per_key_and_can_be_disabled() {
        let l = RateLimiter::new(true);
        for _ in 0..5 {
            l.account(Action::Post, 1, 0).unwrap();
        }
        let err = l.account(Action::Post, 1, 0).unwrap_err();
        assert!(
            matches!(err, AppError::TooManyRequests { retry_after_secs, .. } if retry_after_secs >= 1)
        );
        l.account(Action::Post, 2, 0).unwrap();
        let off = RateLimiter::new(false);
        for _ in 0..100 {
            off.account(Action::Post, 1, 0).unwrap();
        }
    }
}
