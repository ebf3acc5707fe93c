//! Queries, grouped by table. Every function takes a [`DbConn`](super::DbConn) and is
//! called from inside [`Db::run`](super::Db::run).

pub mod activities;
pub mod actors;
pub mod articles;
pub mod asking;
pub mod blocks;
pub mod bulk;
pub mod cases;
pub mod conversations;
pub mod deliveries;
pub mod email;
pub mod escalation;
pub mod follows;
pub mod groups;
pub mod ideas;
pub mod inbound;
pub mod instance_health;
pub mod interests;
pub mod listening;
pub mod metric_days;
pub mod metrics;
pub mod moderation;
pub mod notifications;
pub mod outreach;
pub mod people;
pub mod post_activities;
pub mod post_contexts;
pub mod posts;
pub mod private_groups;
pub mod reputation;
pub mod roles;
pub mod search_clicks;
pub mod site;
pub mod staff;
pub mod staff_console;
pub mod surveys;
pub mod threads;
pub mod user_settings;
pub mod users;
pub mod webhooks;
pub mod widgets;

static AUDIENCE_EPOCH: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Counts changes to who may post in a group or receives its posts (follows, bans): a
/// cache of them (`federation::audience`) is stale once this has moved. Called by the
/// queries that make such changes; in-process only.
pub fn audience_changed() {
    AUDIENCE_EPOCH.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
}

pub fn audience_epoch() -> u64 {
    AUDIENCE_EPOCH.load(std::sync::atomic::Ordering::SeqCst)
}
