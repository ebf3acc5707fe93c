//! Fixed-window rate limits per account and per remote instance, in memory (per
//! process). Exceeding one gives `429 Too Many Requests` with `Retry-After`.

use crate::error::AppError;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Post,
    Vote,
    Report,
    /// Editing a post.
    Edit,
    /// Choosing or clearing an accepted answer.
    Accept,
    /// Following and unfollowing.
    Follow,
}

impl Action {
    /// (per account per minute, per new account per minute)
    fn limits(self) -> (u32, u32) {
        match self {
            Action::Post => (20, 5),
            Action::Vote => (120, 30),
            Action::Report => (10, 3),
            Action::Edit | Action::Accept => (20, 10),
            Action::Follow => (30, 10),
        }
    }
}

/// Per remote instance and minute, per action; 0 is no limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InstanceLimits {
    pub posts: u32,
    pub votes: u32,
    pub reports: u32,
}

impl InstanceLimits {
    pub fn from_settings(s: &crate::config::Settings) -> InstanceLimits {
        InstanceLimits {
            posts: s.instance_post_limit,
            votes: s.instance_vote_limit,
            reports: s.instance_report_limit,
        }
    }

    fn of(&self, action: Action) -> u32 {
        match action {
            Action::Post => self.posts,
            Action::Vote => self.votes,
            Action::Report => self.reports,
            Action::Edit | Action::Accept | Action::Follow => 0,
        }
    }
}

/// Accounts younger than this have the lower "new account" limits.
pub const NEW_ACCOUNT: Duration = Duration::from_secs(24 * 3600);
const WINDOW: Duration = Duration::from_secs(60);

pub struct RateLimiter {
    enabled: AtomicBool,
    instances: RwLock<InstanceLimits>,
    accounts: super::login_limits::AccountLimits,
    windows: moka::sync::Cache<String, Arc<Mutex<(Instant, u32)>>>,
}

impl RateLimiter {
    pub fn new(enabled: bool, instances: InstanceLimits) -> RateLimiter {
        RateLimiter {
            enabled: AtomicBool::new(enabled),
            instances: RwLock::new(instances),
            accounts: super::login_limits::AccountLimits::default(),
            windows: moka::sync::Cache::builder()
                .max_capacity(200_000)
                // Idle longer than the longest window: nothing left to remember.
                .time_to_idle(super::login_limits::LONGEST_WINDOW * 2)
                .build(),
        }
    }

    /// The limits on signing in and registering (see `login_limits`).
    pub fn with_accounts(mut self, accounts: super::login_limits::AccountLimits) -> Self {
        self.accounts = accounts;
        self
    }

    pub fn accounts(&self) -> &super::login_limits::AccountLimits {
        &self.accounts
    }

    pub fn enabled(&self) -> bool {
        self.enabled.load(Ordering::Relaxed)
    }

    /// Switches the limits on or off and sets the per-instance ones (an admin changed
    /// them on the Instance page); windows already counted are kept.
    pub fn configure(&self, enabled: bool, instances: InstanceLimits) {
        self.enabled.store(enabled, Ordering::Relaxed);
        *self.instances.write().unwrap_or_else(|e| e.into_inner()) = instances;
    }

    /// The per-instance limits in force.
    pub fn instance_limits(&self) -> InstanceLimits {
        *self.instances.read().unwrap_or_else(|e| e.into_inner())
    }

    fn hit(&self, key: String, limit: u32) -> Result<(), AppError> {
        self.hit_window(key, limit, WINDOW, true)
    }

    /// Counts one event under `key` (when `count`) in fixed windows of `window`, or
    /// refuses it with 429 once `limit` events were counted in the current window.
    /// `limit` 0 is no limit.
    pub fn hit_window(
        &self,
        key: String,
        limit: u32,
        window: Duration,
        count: bool,
    ) -> Result<(), AppError> {
        if !self.enabled() || limit == 0 {
            return Ok(());
        }
        let slot = self
            .windows
            .get_with(key, || Arc::new(Mutex::new((Instant::now(), 0))));
        let mut w = slot.lock().unwrap_or_else(|e| e.into_inner());
        if w.0.elapsed() >= window {
            *w = (Instant::now(), 0);
        }
        if w.1 >= limit {
            let retry = window.saturating_sub(w.0.elapsed()).as_secs().max(1);
            let per = match window.as_secs() {
                60 => "per minute".to_string(),
                s if s % 60 == 0 => format!("per {} minutes", s / 60),
                s => format!("per {s} seconds"),
            };
            return Err(AppError::RateLimited {
                message: format!("rate limit reached: at most {limit} {per}"),
                retry_after_secs: retry,
            });
        }
        if count {
            w.1 += 1;
        }
        Ok(())
    }

    /// A local account acting; `account_age_ms` picks the new-account limits.
    pub fn account(
        &self,
        action: Action,
        actor_id: i64,
        account_age_ms: i64,
    ) -> Result<(), AppError> {
        let (normal, new) = action.limits();
        let limit = if account_age_ms < NEW_ACCOUNT.as_millis() as i64 {
            new
        } else {
            normal
        };
        self.hit(format!("a:{action:?}:{actor_id}"), limit)
    }

    /// Activities arriving from a remote instance.
    pub fn instance(&self, action: Action, domain: &str) -> Result<(), AppError> {
        match self.instance_limits().of(action) {
            0 => Ok(()),
            limit => self.hit(format!("i:{action:?}:{domain}"), limit),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_apply_per_key_and_can_be_disabled() {
        let l = RateLimiter::new(true, LIMITS);
        for _ in 0..5 {
            l.account(Action::Post, 1, 0).unwrap();
        }
        let err = l.account(Action::Post, 1, 0).unwrap_err();
        assert!(
            matches!(err, AppError::RateLimited { retry_after_secs, .. } if retry_after_secs >= 1)
        );
        l.account(Action::Post, 2, 0).unwrap();
        let off = RateLimiter::new(false, LIMITS);
        for _ in 0..100 {
            off.account(Action::Post, 1, 0).unwrap();
        }
    }

    const LIMITS: InstanceLimits = InstanceLimits {
        posts: 3,
        votes: 0,
        reports: 120,
    };

    #[test]
    fn instance_limits_count_per_instance_and_zero_is_none() {
        let l = RateLimiter::new(true, LIMITS);
        for _ in 0..3 {
            l.instance(Action::Post, "a.example").unwrap();
        }
        assert!(matches!(
            l.instance(Action::Post, "a.example"),
            Err(AppError::RateLimited { .. })
        ));
        l.instance(Action::Post, "b.example").unwrap();
        for _ in 0..10_000 {
            l.instance(Action::Vote, "a.example").unwrap();
        }
    }
}
