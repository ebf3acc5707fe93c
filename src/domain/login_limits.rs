//! Limits on signing in and registering, kept by the [`RateLimiter`] in fixed windows:
//! sign-in attempts per client address, failed sign-ins per account name, and
//! registrations per client address, and look-ups of other servers ("Follow from your
//! server") per client address. Over a limit the answer is `429` with `Retry-After`. IPv6 clients are counted per /64, the block one host usually holds.

use super::ratelimit::RateLimiter;
use crate::error::AppResult;
use std::net::IpAddr;
use std::time::Duration;

/// Window of the sign-in limits.
pub const LOGIN_WINDOW: Duration = Duration::from_secs(5 * 60);
/// Window of the registration limit.
pub const REGISTRATION_WINDOW: Duration = Duration::from_secs(3600);
/// Look-ups of another server's WebFinger ("Follow from your server") from one client
/// address per [`LOOKUP_WINDOW`]: each makes an outgoing request, which a visitor should
/// not be able to multiply.
pub const LOOKUPS_PER_ADDRESS: u32 = 10;
/// Window of the look-up limit.
pub const LOOKUP_WINDOW: Duration = Duration::from_secs(60);
/// The longest window any limit uses (how long counts must be remembered).
pub const LONGEST_WINDOW: Duration = REGISTRATION_WINDOW;

/// Counts per window; 0 is no limit.
#[derive(Clone, Copy, Debug)]
pub struct AccountLimits {
    /// Sign-in attempts from one address per [`LOGIN_WINDOW`].
    pub logins_per_address: u32,
    /// Failed sign-ins to one account per [`LOGIN_WINDOW`].
    pub login_failures_per_account: u32,
    /// Registrations from one address per [`REGISTRATION_WINDOW`].
    pub registrations_per_address: u32,
}

impl Default for AccountLimits {
    fn default() -> Self {
        AccountLimits {
            logins_per_address: 25,
            login_failures_per_account: 10,
            registrations_per_address: 10,
        }
    }
}

impl AccountLimits {
    pub fn from_settings(s: &crate::config::Settings) -> AccountLimits {
        AccountLimits {
            logins_per_address: s.login_limit_address,
            login_failures_per_account: s.login_limit_account,
            registrations_per_address: s.registration_limit_address,
        }
    }
}

/// The key a client address is counted under.
fn address_key(addr: Option<IpAddr>) -> String {
    match addr.map(|a| a.to_canonical()) {
        Some(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Some(v4) => v4.to_string(),
        None => "unknown".into(),
    }
}

/// Account names as counted: case-folded and bounded in length.
fn account_key(name: &str) -> String {
    name.trim()
        .chars()
        .take(64)
        .collect::<String>()
        .to_lowercase()
}

impl RateLimiter {
    /// Counts a sign-in attempt from `addr`; refused once the address used its allowance.
    pub fn login_attempt(&self, addr: Option<IpAddr>) -> AppResult<()> {
        let limit = self.accounts().logins_per_address;
        self.hit_window(
            format!("login:ip:{}", address_key(addr)),
            limit,
            LOGIN_WINDOW,
            true,
        )
    }

    /// Refuses a sign-in to `name` while it has had too many failed ones.
    pub fn login_allowed(&self, name: &str) -> AppResult<()> {
        let limit = self.accounts().login_failures_per_account;
        self.hit_window(
            format!("login:name:{}", account_key(name)),
            limit,
            LOGIN_WINDOW,
            false,
        )
    }

    /// Counts a failed sign-in to `name`.
    pub fn login_failed(&self, name: &str) {
        let limit = self.accounts().login_failures_per_account;
        // Over the limit already: nothing more to count.
        let _ = self.hit_window(
            format!("login:name:{}", account_key(name)),
            limit,
            LOGIN_WINDOW,
            true,
        );
    }

    /// Counts a look-up of another server for a visitor at `addr`.
    pub fn remote_lookup(&self, addr: Option<IpAddr>) -> AppResult<()> {
        self.hit_window(
            format!("lookup:ip:{}", address_key(addr)),
            LOOKUPS_PER_ADDRESS,
            LOOKUP_WINDOW,
            true,
        )
    }

    /// Counts a registration attempt from `addr`.
    pub fn registration(&self, addr: Option<IpAddr>) -> AppResult<()> {
        let limit = self.accounts().registrations_per_address;
        self.hit_window(
            format!("register:ip:{}", address_key(addr)),
            limit,
            REGISTRATION_WINDOW,
            true,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ratelimit::InstanceLimits;
    use crate::error::AppError;

    fn limiter() -> RateLimiter {
        RateLimiter::new(
            true,
            InstanceLimits {
                posts: 0,
                votes: 0,
                reports: 0,
            },
        )
        .with_accounts(AccountLimits {
            logins_per_address: 3,
            login_failures_per_account: 2,
            registrations_per_address: 1,
        })
    }

    #[test]
    fn failures_count_per_name_and_attempts_per_address() {
        let l = limiter();
        l.login_allowed("Alice").unwrap();
        l.login_failed("alice");
        l.login_failed("ALICE");
        assert!(matches!(
            l.login_allowed("alice"),
            Err(AppError::RateLimited { retry_after_secs, .. }) if retry_after_secs >= 1
        ));
        l.login_allowed("bob").unwrap();
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..3 {
            l.login_attempt(Some(a)).unwrap();
        }
        assert!(l.login_attempt(Some(a)).is_err());
        l.login_attempt(Some("192.0.2.2".parse().unwrap())).unwrap();
    }

    #[test]
    fn lookups_count_per_address() {
        let l = limiter();
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..LOOKUPS_PER_ADDRESS {
            l.remote_lookup(Some(a)).unwrap();
        }
        assert!(matches!(
            l.remote_lookup(Some(a)),
            Err(AppError::RateLimited { .. })
        ));
        l.remote_lookup(Some("192.0.2.2".parse().unwrap())).unwrap();
    }

    #[test]
    fn ipv6_counts_per_64_and_mapped_v4_as_v4() {
        let l = limiter();
        l.registration(Some("2001:db8::1".parse().unwrap()))
            .unwrap();
        assert!(l
            .registration(Some("2001:db8::ffff:2".parse().unwrap()))
            .is_err());
        l.registration(Some("2001:db8:0:1::1".parse().unwrap()))
            .unwrap();
        l.registration(Some("::ffff:192.0.2.9".parse().unwrap()))
            .unwrap();
        assert!(l.registration(Some("192.0.2.9".parse().unwrap())).is_err());
    }
}
