//! Server start-up: builds the application state (see `state.rs`) and starts the server
//! and its workers (shared by `peerdesk serve`, tests and benchmarks).

use crate::config::Settings;
use crate::db::models::{Actor, Site};
use crate::db::{now_ms, queries, Db};
use crate::domain::instance::InstanceSettings;
use crate::domain::site::new_local_actor;
use crate::error::{AppError, AppResult};
use crate::state::{AppState, Handoff, Inner};
use activitypub_federation::config::FederationMiddleware;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::JoinSet;

impl AppState {
    /// Connects to the database (migrating it) and loads or creates the instance actor.
    pub async fn new(settings: Settings) -> anyhow::Result<AppState> {
        let url = settings.database_url.clone();
        let pool = settings.pool_size();
        let db = tokio::task::spawn_blocking(move || Db::connect(&url, pool)).await??;
        let base = settings.base_url();
        let instance_actor = ensure_instance_actor(&db, &settings, &base).await?;
        let stored = db.run(crate::db::queries::site::settings).await?;
        let instance = InstanceSettings::effective(&settings, stored.as_ref());
        let limits = crate::domain::ratelimit::RateLimiter::new(
            instance.rate_limits,
            instance.instance_limits,
        )
        .with_accounts(crate::domain::login_limits::AccountLimits::from_settings(
            &settings,
        ));
        let instance = Arc::new(crate::domain::instance::Live::new(instance));
        let outbox = Arc::new(crate::federation::outgoing::Translator::new(
            &settings,
            &base,
            instance_actor.clone(),
            instance.clone(),
        ));
        Ok(AppState::from_inner(Inner {
            db,
            outbox,
            base,
            instance_actor,
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
            limits,
            instance,
            password_gate: crate::domain::password_gate::PasswordGate::new(
                settings.password_hash_concurrency,
                settings.password_hash_queue,
            ),
            key_pair: crate::federation::signing::generate_keypair,
            http: crate::federation::http_client(&settings)?,
            net: crate::federation::netpolicy::NetPolicy::new(&settings),
            ingest: Handoff::default(),
            inbound: Handoff::default(),
            inbox_slots: std::sync::Arc::new(tokio::sync::Semaphore::new(
                settings.inbox_max_in_flight,
            )),
            settings,
        }))
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
    state.ingest.set(batches);
    tasks.spawn(ingest);
    if state.settings.inbox_queue {
        let (queue, writer, drain) = crate::federation::inbound::start(data.clone());
        state.inbound.set(queue);
        tasks.spawn(writer);
        if state.settings.inbox_drain {
            tasks.spawn(drain);
        }
    } else {
        tasks.spawn(crate::federation::inbound::sweep(data.clone()));
    }
    tasks.spawn(crate::federation::delivery::run(data.clone()));
    tasks.spawn(crate::federation::webhooks::run(data.clone()));
    tasks.spawn(housekeeping(state.clone()));
    tasks.spawn(refresh_instance_settings(state.clone()));
    tasks.spawn(crate::domain::notify::run(state.clone()));
    tasks.spawn(crate::actions::escalation::run(state.clone()));
    tasks.spawn(crate::actions::satisfaction::run(state.clone()));
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

/// Loads the instance actor, creating it (and the site row) on first start.
async fn ensure_instance_actor(db: &Db, settings: &Settings, base: &str) -> AppResult<Actor> {
    let existing = db
        .run(|c| {
            Ok(match queries::site::load(c)? {
                Some(s) => queries::actors::by_id(c, s.instance_actor_id)?,
                None => None,
            })
        })
        .await?;
    if let Some(actor) = existing {
        if actor.ap_id.starts_with(base) {
            return Ok(actor);
        }
        return Err(AppError::Internal(format!(
            "this database belongs to {} but the configured domain is {base}; \
             a domain cannot change once federated",
            actor.ap_id
        )));
    }
    let keys = crate::federation::signing::generate_keypair()?;
    let mut actor = new_local_actor(base, "Application", &settings.domain, "actor", keys);
    actor.inbox = format!("{base}/inbox");
    actor.outbox = None;
    actor.followers_url = None;
    actor.display_name = Some(settings.site_name.clone());
    let site_name = settings.site_name.clone();
    let row = actor.clone();
    db.run(move |c| {
        c.transaction(|c| {
            queries::actors::insert(c, &row)?;
            queries::site::insert(
                c,
                &Site {
                    id: 1,
                    instance_actor_id: row.id,
                    name: site_name,
                    description: String::new(),
                    created_at: now_ms(),
                },
            )
        })
    })
    .await?;
    Ok(actor)
}

/// Re-reads the Instance page's settings every few seconds, so that what an admin saved
/// through another process is in force here too.
async fn refresh_instance_settings(state: AppState) {
    let mut tick = tokio::time::interval(crate::domain::instance::REFRESH);
    loop {
        tick.tick().await;
        match state.db.run(crate::db::queries::site::settings).await {
            Ok(row) => {
                let s = InstanceSettings::effective(&state.settings, row.as_ref());
                crate::actions::instance::put_in_force(&state, s);
            }
            Err(e) => tracing::warn!("reading the instance settings failed: {e}"),
        }
    }
}

/// Periodic clean-up: forgets received activity ids after 14 days (signatures older
/// than an hour are refused, so older replays cannot pass anyway).
async fn housekeeping(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        let before = now_ms() - queries::activities::RECEIVED_IDS_KEPT_MS;
        if let Err(e) = state
            .db
            .run(move |c| queries::activities::prune_received(c, before))
            .await
        {
            tracing::warn!("housekeeping failed: {e}");
        }
        let before = now_ms() - queries::webhooks::LOG_KEPT_MS;
        if let Err(e) = state
            .db
            .run(move |c| queries::webhooks::prune_delivered(c, before))
            .await
        {
            tracing::warn!("pruning the webhook log failed: {e}");
        }
        if let Err(e) = crate::federation::staff::recheck(&state).await {
            tracing::warn!("re-checking staff claims failed: {e}");
        }
    }
}
