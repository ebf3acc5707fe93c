//! Application state and server start-up (shared by `peerdesk serve`, tests and benchmarks).

use crate::config::Settings;
use crate::db::models::Actor;
use crate::db::Db;
use crate::federation::objects::FedActor;
use activitypub_federation::config::FederationMiddleware;
use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::JoinSet;

pub struct Inner {
    pub db: Db,
    pub settings: Settings,
    /// `scheme://domain`
    pub base: String,
    /// The instance's own `Application` actor; signs fetches.
    pub instance_actor: FedActor,
    /// Remote actors by id, for the inbox fast path (verification needs the key only).
    pub actor_cache: moka::future::Cache<String, Actor>,
    /// Local actors whose inbox exists, by name (positives only, for a few seconds):
    /// a personal or group inbox does not cost a query per request.
    pub local_inboxes: moka::sync::Cache<String, ()>,
    /// Instance policies by domain (see `federation::policy`).
    pub policy_cache: moka::future::Cache<String, Option<crate::db::models::Instance>>,
    /// Groups as the inbox's batches see them (see `federation::audience`).
    pub audiences: crate::federation::audience::Cache,
    /// Badges known awarded, for the inbox's batches (see `BadgeMemo`).
    pub badges: crate::db::queries::reputation::BadgeMemo,
    /// Where local actions record what they federate (see `actions::Outbox`).
    pub outbox: Arc<dyn crate::actions::Outbox>,
    /// Wakes the delivery worker when new deliveries are queued.
    pub delivery_notify: Notify,
    pub limits: crate::domain::ratelimit::RateLimiter,
    /// Bounds concurrent password hashing (see `domain::password_gate`).
    pub password_gate: crate::domain::password_gate::PasswordGate,
    /// Outgoing HTTP (also used by activitypub_federation).
    pub http: reqwest::Client,
    /// The outgoing-URL policy (see `federation::netpolicy`).
    pub net: crate::federation::netpolicy::NetPolicy,
    /// Where the inbox hands verified activities (set when the instance starts).
    pub ingest: std::sync::OnceLock<crate::federation::ingest::Sender>,
    /// The durable inbound queue, with `--inbox-queue` (set when the instance starts).
    pub inbound: std::sync::OnceLock<crate::federation::inbound::Queue>,
    /// Bounds the inbox requests being processed (backpressure).
    pub inbox_slots: std::sync::Arc<tokio::sync::Semaphore>,
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
    /// Connects to the database (migrating it) and loads or creates the instance actor.
    pub async fn new(settings: Settings) -> anyhow::Result<AppState> {
        let url = settings.database_url.clone();
        let pool = settings.pool_size();
        let db = tokio::task::spawn_blocking(move || Db::connect(&url, pool)).await??;
        let base = settings.base_url();
        let instance_actor =
            crate::domain::site::ensure_instance_actor(&db, &settings, &base).await?;
        let outbox = Arc::new(crate::federation::outgoing::Translator::new(
            &settings,
            &base,
            instance_actor.clone(),
        ));
        Ok(AppState(Arc::new(Inner {
            db,
            outbox,
            base,
            instance_actor: FedActor::try_from(instance_actor)?,
            actor_cache: moka::future::Cache::builder()
                .max_capacity(20_000)
                .time_to_live(Duration::from_secs(600))
                .build(),
            local_inboxes: moka::sync::Cache::builder()
                .max_capacity(10_000)
                .time_to_live(Duration::from_secs(10))
                .build(),
            policy_cache: moka::future::Cache::builder()
                .max_capacity(10_000)
                .time_to_live(Duration::from_secs(10))
                .build(),
            audiences: crate::federation::audience::cache(),
            badges: Default::default(),
            delivery_notify: Notify::new(),
            limits: crate::domain::ratelimit::RateLimiter::new(
                settings.rate_limits,
                crate::domain::ratelimit::InstanceLimits::from_settings(&settings),
            )
            .with_accounts(crate::domain::login_limits::AccountLimits::from_settings(
                &settings,
            )),
            password_gate: crate::domain::password_gate::PasswordGate::new(
                settings.password_hash_concurrency,
                settings.password_hash_queue,
            ),
            http: crate::federation::http_client(&settings)?,
            net: crate::federation::netpolicy::NetPolicy::new(&settings),
            ingest: std::sync::OnceLock::new(),
            inbound: std::sync::OnceLock::new(),
            inbox_slots: std::sync::Arc::new(tokio::sync::Semaphore::new(
                settings.inbox_max_in_flight,
            )),
            settings,
        })))
    }

    pub fn domain(&self) -> &str {
        &self.settings.domain
    }
}

/// A started instance: its address and background tasks. Dropping it (or calling
/// [`RunningInstance::kill`]) stops everything at once, like a crash; nothing is flushed.
pub struct RunningInstance {
    pub addr: std::net::SocketAddr,
    /// Where `/metrics` is served (`--metrics-bind`).
    pub metrics_addr: Option<std::net::SocketAddr>,
    pub state: AppState,
    tasks: JoinSet<()>,
}

impl RunningInstance {
    pub fn base_url(&self) -> String {
        self.state.base.clone()
    }

    /// Stops the server and workers abruptly.
    pub async fn kill(mut self) {
        self.tasks.abort_all();
        while self.tasks.join_next().await.is_some() {}
    }
}

/// Starts the HTTP server and the delivery worker on an already bound listener.
pub async fn start(settings: Settings, listener: TcpListener) -> anyhow::Result<RunningInstance> {
    let state = AppState::new(settings).await?;
    let config = crate::federation::build_config(state.clone()).await?;
    let router =
        crate::routes::router(state.clone()).layer(FederationMiddleware::new(config.clone()));
    let addr = listener.local_addr()?;
    let mut tasks = JoinSet::new();
    let header_timeout = Duration::from_millis(state.settings.header_read_timeout_ms);
    tasks.spawn(crate::server::serve(listener, router, header_timeout));
    let data = config.to_request_data();
    let (batches, ingest) = crate::federation::ingest::start(data.clone());
    let _ = state.ingest.set(batches);
    tasks.spawn(ingest);
    if state.settings.inbox_queue {
        let (queue, writer, drain) = crate::federation::inbound::start(data.clone());
        let _ = state.inbound.set(queue);
        tasks.spawn(writer);
        if state.settings.inbox_drain {
            tasks.spawn(drain);
        }
    } else {
        tasks.spawn(crate::federation::inbound::sweep(data.clone()));
    }
    tasks.spawn(crate::federation::delivery::run(data.clone()));
    tasks.spawn(crate::domain::site::housekeeping(state.clone()));
    tasks.spawn(crate::domain::notify::run(state.clone()));
    if let Some(mailer) = crate::mail::start(&state)? {
        tasks.spawn(mailer);
    }
    let metrics_addr = match state.settings.metrics_bind {
        Some(bind) => {
            let listener = TcpListener::bind(bind).await?;
            let at = listener.local_addr()?;
            tasks.spawn(crate::telemetry::serve(state.clone(), listener));
            Some(at)
        }
        None => None,
    };
    Ok(RunningInstance {
        addr,
        metrics_addr,
        state,
        tasks,
    })
}
