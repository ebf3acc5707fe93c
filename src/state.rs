//! The application state and the request context: the bottom floor every layer may use.
//!
//! It names only types of the floors below it (`db`, `config`, small leaf modules), so
//! that no layer above is tied back to another through it. The state is built at start-up
//! (`app.rs`); what a layer above hands in after that (the inbox's channels) is kept in a
//! [`Handoff`] and read back by its owner with its own type.

use crate::config::Settings;
use crate::db::models::Actor;
use crate::db::Db;
use activitypub_federation::config::Data;
use std::any::Any;
use std::collections::HashMap;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};
use tokio::sync::Notify;

/// Request context: federation config plus our application state.
pub type Ctx = Data<AppState>;

pub struct Inner {
    pub db: Db,
    pub settings: Settings,
    /// `scheme://domain`
    pub base: String,
    /// The instance's own `Application` actor; signs fetches.
    pub instance_actor: Actor,
    /// Remote actors by id, for the inbox fast path (verification needs the key only).
    pub actor_cache: moka::future::Cache<String, Actor>,
    /// Local actors whose inbox exists, by name (positives only, for a few seconds):
    /// a personal or group inbox does not cost a query per request.
    pub local_inboxes: moka::sync::Cache<String, ()>,
    /// Instance policies by domain (see `federation::policy`).
    pub policy_cache: moka::future::Cache<String, Option<crate::db::models::Instance>>,
    /// Groups as the inbox's batches see them (see `federation::audience`).
    pub audiences: AudienceCache,
    /// Badges known awarded, for the inbox's batches (see `BadgeMemo`).
    pub badges: crate::db::queries::reputation::BadgeMemo,
    /// Where local actions record what they federate (see `actions::Outbox`).
    pub outbox: Arc<dyn crate::actions::outbox::Outbox>,
    /// Wakes the delivery worker when new deliveries are queued.
    pub delivery_notify: Notify,
    pub limits: crate::domain::ratelimit::RateLimiter,
    /// The Instance page's settings in force (see `domain::instance`).
    pub instance: Arc<crate::domain::instance::Live>,
    /// Bounds concurrent password hashing (see `domain::password_gate`).
    pub password_gate: crate::domain::password_gate::PasswordGate,
    /// Makes a new local actor's key pair `(private PEM, public PEM)`: federation's
    /// signing keys, chosen at start-up.
    pub key_pair: fn() -> crate::error::AppResult<(String, String)>,
    /// Outgoing HTTP (also used by activitypub_federation).
    pub http: reqwest::Client,
    /// The outgoing-URL policy (see `federation::netpolicy`).
    pub net: crate::federation::netpolicy::NetPolicy,
    /// Where the inbox hands verified activities (`federation::ingest::Sender`, set when
    /// the instance starts).
    pub ingest: Handoff,
    /// The durable inbound queue (`federation::inbound::Queue`), with `--inbox-queue`
    /// (set when the instance starts).
    pub inbound: Handoff,
    /// Bounds the inbox requests being processed (backpressure).
    pub inbox_slots: Arc<tokio::sync::Semaphore>,
}

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn from_inner(inner: Inner) -> AppState {
        AppState(Arc::new(inner))
    }

    pub fn domain(&self) -> &str {
        &self.settings.domain
    }
}

/// A value that a layer above sets once when the instance starts and reads back with its
/// own type, so that the state does not name it.
#[derive(Default)]
pub struct Handoff(OnceLock<Box<dyn Any + Send + Sync>>);

impl Handoff {
    /// Sets the value; a second call is ignored.
    pub fn set<T: Any + Send + Sync>(&self, value: T) {
        let _ = self.0.set(Box::new(value));
    }

    /// The value, when it was set with this type.
    pub fn get<T: Any>(&self) -> Option<&T> {
        self.0.get()?.downcast_ref()
    }
}

/// A group as the inbox's batches see it (see `federation::audience`).
pub struct Audience {
    pub group: Actor,
    /// Banned actors and when each ban ends (`None`: never).
    pub bans: HashMap<i64, Option<i64>>,
    /// Where the group's announcements go (local groups; empty for remote ones).
    pub inboxes: Vec<String>,
    /// The group's posting rule lets anyone ask (always for remote groups, whose server
    /// decides); otherwise its questions go through the one-by-one path.
    pub anyone_asks: bool,
}

impl Audience {
    /// Whether `actor` is banned from the group at `now` (ms).
    pub fn bans(&self, actor: i64, now: i64) -> bool {
        self.bans
            .get(&actor)
            .is_some_and(|until| until.is_none_or(|t| t > now))
    }
}

/// Audiences by group id, with the epoch they were read at.
pub type AudienceCache = moka::future::Cache<i64, (u64, Arc<Audience>)>;
