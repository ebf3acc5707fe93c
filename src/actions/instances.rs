//! Instance policies and delivery health (admins): block, silence or allow a remote
//! instance (or clear its policy), and "retry now" for an instance in back-off. The JSON
//! API (`PUT /admin/instances/{domain}`) and the admin console both call these, so the
//! rules and what a change writes (the policy, the moderation log) are written once.

use super::rules;
use crate::db::models::{Actor, User};
use crate::db::queries;
use crate::db::queries::moderation as mq;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// An instance's policy: the three flags are set together; all `false` clears it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Policy {
    pub blocked: bool,
    pub silenced: bool,
    /// Used in allowlist mode.
    pub allowed: bool,
}

impl Policy {
    /// The moderation log's name of this change.
    pub fn action(&self) -> &'static str {
        if self.blocked {
            "block_instance"
        } else if self.silenced {
            "silence_instance"
        } else if self.allowed {
            "allow_instance"
        } else {
            "clear_instance"
        }
    }
}

/// Whether `domain` may carry a policy here: another instance's domain (a host name,
/// with its port where it has one), not this one's.
pub fn check_domain(state: &AppState, domain: &str) -> AppResult<()> {
    if domain == state.domain()
        || domain.is_empty()
        || domain.len() > 253
        || domain.contains('/')
        || domain.contains('@')
        || domain.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(AppError::Invalid("not a remote instance's domain".into()));
    }
    Ok(())
}

/// Sets `domain`'s policy (admins). It takes effect at once (the policy cache is
/// emptied) and is written to the instance's moderation log with `reason`. Blocking
/// also fails the deliveries queued for the instance.
pub async fn set_policy(
    state: &AppState,
    admin: &User,
    admin_actor: &Actor,
    domain: &str,
    policy: Policy,
    reason: &str,
) -> AppResult<()> {
    rules::require_admin(admin)?;
    check_domain(state, domain)?;
    let (mid, domain, reason) = (admin_actor.id, domain.to_string(), reason.to_string());
    state
        .db
        .run(move |c| {
            c.transaction(|c| {
                mq::set_policy(c, &domain, policy.blocked, policy.silenced, policy.allowed)?;
                mq::log(
                    c,
                    mq::LogEntry {
                        group_id: None,
                        moderator_id: Some(mid),
                        action: policy.action(),
                        target_actor_id: None,
                        post_id: None,
                        domain: Some(&domain),
                        reason: &reason,
                    },
                )
            })
        })
        .await?;
    state.policy_cache.invalidate_all();
    Ok(())
}

/// Makes the deliveries pending for `domain` due now and ends its back-off (admins), then
/// wakes the delivery worker. Returns how many deliveries were made due.
pub async fn retry_now(state: &AppState, admin: &User, domain: &str) -> AppResult<usize> {
    rules::require_admin(admin)?;
    check_domain(state, domain)?;
    let domain = domain.to_string();
    let n = state
        .db
        .run(move |c| queries::deliveries::retry_now(c, &domain))
        .await?;
    state.delivery_notify.notify_one();
    Ok(n)
}
