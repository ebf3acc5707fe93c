//! Runtime settings. Every flag is also an environment variable `PEERDESK_*`.

use clap::Args;
use std::net::SocketAddr;

#[derive(Args, Clone, Debug)]
pub struct Settings {
    /// Public host name (and port, if not 443) of this instance, e.g. `support.example.com`.
    #[arg(long, env = "PEERDESK_DOMAIN", default_value = "localhost:8080")]
    pub domain: String,

    /// Address the HTTP server listens on.
    #[arg(long, env = "PEERDESK_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// `sqlite://PATH` (default, embedded) or `postgres://USER@HOST/DB`.
    #[arg(
        long,
        env = "PEERDESK_DATABASE_URL",
        default_value = "sqlite://data/peerdesk.db"
    )]
    pub database_url: String,

    /// Connections in the database pool (0: 8 for SQLite, 16 for PostgreSQL).
    #[arg(long, env = "PEERDESK_DB_POOL_SIZE", default_value_t = 0)]
    pub db_pool_size: u32,

    /// Development and tests only: plain http, explicit ports and `localhost` peers.
    #[arg(long, env = "PEERDESK_INSECURE_FEDERATION", default_value_t = false)]
    pub insecure_federation: bool,

    /// Whether anyone may register an account through the API.
    #[arg(long, env = "PEERDESK_OPEN_REGISTRATIONS", default_value_t = true, action = clap::ArgAction::Set)]
    pub open_registrations: bool,

    /// Whether any user (not only admins) may create groups.
    #[arg(long, env = "PEERDESK_ANYONE_CREATES_GROUPS", default_value_t = false, action = clap::ArgAction::Set)]
    pub anyone_creates_groups: bool,

    /// Name of this instance, shown in NodeInfo and pages.
    #[arg(long, env = "PEERDESK_SITE_NAME", default_value = "Peerdesk")]
    pub site_name: String,

    /// Largest accepted inbox body in bytes; larger bodies get 413.
    #[arg(long, env = "PEERDESK_INBOX_MAX_BYTES", default_value_t = 256 * 1024)]
    pub inbox_max_bytes: usize,

    /// Inbox requests processed at once; beyond this the inbox answers 503 with
    /// Retry-After instead of queueing without bound.
    #[arg(long, env = "PEERDESK_INBOX_MAX_IN_FLIGHT", default_value_t = 512)]
    pub inbox_max_in_flight: usize,

    /// Accept verified activities into a durable queue in the database and answer 202
    /// at once; a background drain processes them (several processes may share it).
    /// Without it each sender waits for its activity to be stored.
    #[arg(long, env = "PEERDESK_INBOX_QUEUE", default_value_t = false)]
    pub inbox_queue: bool,

    /// With --inbox-queue: activities waiting beyond which the inbox answers 503 with
    /// Retry-After.
    #[arg(long, env = "PEERDESK_INBOX_QUEUE_MAX", default_value_t = 100_000)]
    pub inbox_queue_max: i64,

    /// With --inbox-queue: whether this process also processes the queue (`false` for
    /// processes that only accept, beside others that drain).
    #[arg(long, env = "PEERDESK_INBOX_DRAIN", default_value_t = true, action = clap::ArgAction::Set)]
    pub inbox_drain: bool,

    /// Concurrent outgoing deliveries in this process.
    #[arg(long, env = "PEERDESK_DELIVERY_CONCURRENCY", default_value_t = 64)]
    pub delivery_concurrency: usize,

    /// Concurrent outgoing deliveries to one host.
    #[arg(long, env = "PEERDESK_DELIVERY_PER_HOST", default_value_t = 8)]
    pub delivery_per_host: usize,

    /// First retry delay in milliseconds; doubles on every failure (capped at 6 hours).
    #[arg(
        long,
        env = "PEERDESK_DELIVERY_RETRY_BASE_MS",
        default_value_t = 30_000
    )]
    pub delivery_retry_base_ms: u64,

    /// How long a delivery is retried before it is marked failed, in hours.
    #[arg(long, env = "PEERDESK_DELIVERY_GIVE_UP_HOURS", default_value_t = 48)]
    pub delivery_give_up_hours: u64,

    /// Webhooks: an endpoint failing continuously for this many hours is disabled (and
    /// the admins are told).
    #[arg(
        long,
        env = "PEERDESK_WEBHOOK_DISABLE_AFTER_HOURS",
        default_value_t = 72
    )]
    pub webhook_disable_after_hours: u64,

    /// Webhooks: an endpoint is also disabled when one delivery has failed this many
    /// attempts in a row (retried with back-off from `--delivery-retry-base-ms`).
    #[arg(long, env = "PEERDESK_WEBHOOK_MAX_ATTEMPTS", default_value_t = 20)]
    pub webhook_max_attempts: i32,

    /// How long a claimed delivery stays claimed by one worker (crash recovery), in ms.
    #[arg(long, env = "PEERDESK_DELIVERY_LEASE_MS", default_value_t = 60_000)]
    pub delivery_lease_ms: u64,

    /// `blocklist` (federate with everyone not blocked) or `allowlist` (only with instances
    /// an admin allowed).
    #[arg(long, env = "PEERDESK_FEDERATION_MODE", default_value = "blocklist", value_parser = ["blocklist", "allowlist"])]
    pub federation_mode: String,

    /// Per-account and per-instance rate limits on posting, voting and reporting.
    #[arg(long, env = "PEERDESK_RATE_LIMITS", default_value_t = true, action = clap::ArgAction::Set)]
    pub rate_limits: bool,

    /// Posts (`Create`, `Update`) accepted per minute from one remote instance; 0: no
    /// limit. Off by default: a large instance's ordinary traffic passes any small fixed
    /// number, and the inbox already protects itself (503 with Retry-After).
    #[arg(long, env = "PEERDESK_INSTANCE_POST_LIMIT", default_value_t = 0)]
    pub instance_post_limit: u32,

    /// Votes (`Like`, `Dislike`) accepted per minute from one remote instance; 0: no limit.
    /// Off by default (reputation already caps what one instance's votes can give).
    #[arg(long, env = "PEERDESK_INSTANCE_VOTE_LIMIT", default_value_t = 0)]
    pub instance_vote_limit: u32,

    /// Reports (`Flag`) accepted per minute from one remote instance; 0: no limit.
    #[arg(long, env = "PEERDESK_INSTANCE_REPORT_LIMIT", default_value_t = 120)]
    pub instance_report_limit: u32,

    /// Sign-in attempts accepted from one client address per 5 minutes; 0: no limit.
    #[arg(long, env = "PEERDESK_LOGIN_LIMIT_ADDRESS", default_value_t = 25)]
    pub login_limit_address: u32,

    /// Failed sign-ins to one account per 5 minutes before its sign-ins are refused for
    /// the rest of the window; 0: no limit.
    #[arg(long, env = "PEERDESK_LOGIN_LIMIT_ACCOUNT", default_value_t = 10)]
    pub login_limit_account: u32,

    /// Registrations accepted from one client address per hour; 0: no limit.
    #[arg(
        long,
        env = "PEERDESK_REGISTRATION_LIMIT_ADDRESS",
        default_value_t = 10
    )]
    pub registration_limit_address: u32,

    /// Password hashes and checks computed at once (0: twice the number of cores).
    #[arg(long, env = "PEERDESK_PASSWORD_HASH_CONCURRENCY", default_value_t = 0)]
    pub password_hash_concurrency: usize,

    /// Sign-ins and registrations that may wait for a hashing slot; beyond them the
    /// answer is 503 with Retry-After.
    #[arg(long, env = "PEERDESK_PASSWORD_HASH_QUEUE", default_value_t = 32)]
    pub password_hash_queue: usize,

    /// Reverse proxies whose `X-Forwarded-For` names the client address, as addresses or
    /// CIDR blocks separated by commas (e.g. `127.0.0.1,10.0.0.0/8`). Unset: the TCP
    /// peer is the client.
    #[arg(long, env = "PEERDESK_TRUSTED_PROXIES", value_delimiter = ',', value_parser = crate::domain::client_addr::parse_net)]
    pub trusted_proxies: Vec<crate::domain::client_addr::IpNet>,

    /// Address to serve Prometheus metrics on (`/metrics`), e.g. `127.0.0.1:9464`; off
    /// when unset. Keep it private: it is not authenticated.
    #[arg(long, env = "PEERDESK_METRICS_BIND")]
    pub metrics_bind: Option<SocketAddr>,

    /// Timeout of one outgoing HTTP request, in ms.
    #[arg(long, env = "PEERDESK_HTTP_TIMEOUT_MS", default_value_t = 10_000)]
    pub http_timeout_ms: u64,

    /// How often the notifier scans for new notifications, in ms.
    #[arg(long, env = "PEERDESK_NOTIFY_INTERVAL_MS", default_value_t = 1_000)]
    pub notify_interval_ms: u64,

    /// How often the escalation rules are evaluated, in seconds (0: never, in this
    /// process).
    #[arg(long, env = "PEERDESK_ESCALATION_INTERVAL", default_value_t = 60)]
    pub escalation_interval: u64,

    /// How often satisfaction surveys are sent, in seconds (0: never, in this process):
    /// to askers whose question got an accepted answer, or answers but none accepted.
    #[arg(long, env = "PEERDESK_SATISFACTION_INTERVAL", default_value_t = 60)]
    pub satisfaction_interval: u64,

    /// Days after which the asker of a question with answers but none accepted is asked
    /// whether it solved their problem (0: only on acceptance).
    #[arg(long, env = "PEERDESK_SATISFACTION_AFTER_DAYS", default_value_t = 3)]
    pub satisfaction_after_days: u64,

    /// SMTP server that sends the instance's email; without it (and `--mail-from`) no
    /// email is sent.
    #[arg(long, env = "PEERDESK_SMTP_HOST")]
    pub smtp_host: Option<String>,

    /// SMTP port (default: 25 with `none`, 587 with `starttls`, 465 with `tls`).
    #[arg(long, env = "PEERDESK_SMTP_PORT")]
    pub smtp_port: Option<u16>,

    /// How the SMTP connection is secured: `none`, `starttls` or `tls` (implicit TLS).
    #[arg(long, env = "PEERDESK_SMTP_TLS", default_value = "starttls", value_parser = ["none", "starttls", "tls"])]
    pub smtp_tls: String,

    /// SMTP user name (with `--smtp-password`).
    #[arg(long, env = "PEERDESK_SMTP_USER")]
    pub smtp_user: Option<String>,

    /// SMTP password.
    #[arg(long, env = "PEERDESK_SMTP_PASSWORD", hide_env_values = true)]
    pub smtp_password: Option<Secret>,

    /// The `From` address of the instance's email, e.g. `Support <help@example.com>`.
    #[arg(long, env = "PEERDESK_MAIL_FROM")]
    pub mail_from: Option<String>,

    /// Knowledge articles not reviewed for this many days are stale: they are listed in
    /// the staff inbox until someone edits them or marks them reviewed.
    #[arg(long, env = "PEERDESK_KB_STALE_DAYS", default_value_t = 180)]
    pub kb_stale_days: u64,

    /// How often a user with digest notifications gets a digest, in seconds.
    #[arg(long, env = "PEERDESK_MAIL_DIGEST_SECS", default_value_t = 86_400)]
    pub mail_digest_secs: u64,

    /// How often the mail worker looks for email to send, in ms.
    #[arg(
        long,
        env = "PEERDESK_MAIL_INTERVAL_MS",
        default_value_t = 2_000,
        hide = true
    )]
    pub mail_interval_ms: u64,

    /// First delay before an email is retried, in ms (doubled per attempt).
    #[arg(
        long,
        env = "PEERDESK_MAIL_RETRY_BASE_MS",
        default_value_t = 30_000,
        hide = true
    )]
    pub mail_retry_base_ms: u64,

    /// Tests only: every n-th outgoing activity write fails, so that the action it
    /// belongs to fails as a whole (0: never).
    #[arg(
        long,
        env = "PEERDESK_FAULT_OUTBOX_EVERY",
        default_value_t = 0,
        hide = true
    )]
    pub fault_outbox_every: u64,
    /// Tests only (no flag): host names that resolve to these addresses and count as
    /// public hosts reachable over plain http, standing in for DNS so the outgoing-URL
    /// policy can be tested in production mode without the internet.
    #[arg(skip)]
    pub test_hosts: Vec<(String, std::net::IpAddr)>,

    /// How long a client may take to send a request's headers, in ms; a connection that
    /// sends a partial request (or nothing) for longer is closed.
    #[arg(
        long,
        env = "PEERDESK_HEADER_READ_TIMEOUT_MS",
        default_value_t = 15_000
    )]
    pub header_read_timeout_ms: u64,

    /// How long a received activity being processed stays claimed by one process, in ms;
    /// if that process dies, another (or it, restarted) processes the activity after this.
    #[arg(long, env = "PEERDESK_INBOX_LEASE_MS", default_value_t = 60_000)]
    pub inbox_lease_ms: u64,

    /// Tests only: received activities of this type stall in their handler (to test a
    /// crash while one is being processed).
    #[arg(skip)]
    pub stall_activity: Option<String>,
}

impl Settings {
    /// Defaults for a domain, as the CLI would give them (used by tests and benchmarks).
    pub fn for_domain(domain: &str, bind: SocketAddr, database_url: &str) -> Settings {
        Settings {
            domain: domain.to_string(),
            bind,
            database_url: database_url.to_string(),
            db_pool_size: 0,
            insecure_federation: false,
            open_registrations: true,
            anyone_creates_groups: false,
            site_name: "Peerdesk".into(),
            inbox_max_bytes: 256 * 1024,
            inbox_max_in_flight: 512,
            inbox_queue: false,
            inbox_queue_max: 100_000,
            inbox_drain: true,
            delivery_concurrency: 64,
            delivery_per_host: 8,
            delivery_retry_base_ms: 30_000,
            delivery_give_up_hours: 48,
            webhook_disable_after_hours: 72,
            webhook_max_attempts: 20,
            delivery_lease_ms: 60_000,
            http_timeout_ms: 10_000,
            header_read_timeout_ms: 15_000,
            inbox_lease_ms: 60_000,
            stall_activity: None,
            federation_mode: "blocklist".into(),
            rate_limits: true,
            instance_post_limit: 0,
            instance_vote_limit: 0,
            instance_report_limit: 120,
            metrics_bind: None,
            fault_outbox_every: 0,
            test_hosts: Vec::new(),
            login_limit_address: 25,
            login_limit_account: 10,
            registration_limit_address: 10,
            password_hash_concurrency: 0,
            password_hash_queue: 32,
            trusted_proxies: Vec::new(),
            notify_interval_ms: 1_000,
            escalation_interval: 60,
            satisfaction_interval: 60,
            satisfaction_after_days: 3,
            smtp_host: None,
            smtp_port: None,
            smtp_tls: "starttls".into(),
            smtp_user: None,
            smtp_password: None,
            mail_from: None,
            kb_stale_days: 180,
            mail_digest_secs: 86_400,
            mail_interval_ms: 2_000,
            mail_retry_base_ms: 30_000,
        }
    }

    pub fn allowlist(&self) -> bool {
        self.federation_mode == "allowlist"
    }

    pub fn scheme(&self) -> &'static str {
        if self.insecure_federation {
            "http"
        } else {
            "https"
        }
    }

    /// `scheme://domain`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("{}://{}", self.scheme(), self.domain)
    }

    /// Whether the instance sends email (an SMTP host and a from-address are set).
    pub fn mail_enabled(&self) -> bool {
        self.smtp_host.as_deref().is_some_and(|h| !h.is_empty())
            && self.mail_from.as_deref().is_some_and(|f| !f.is_empty())
    }

    pub fn pool_size(&self) -> u32 {
        match self.db_pool_size {
            0 if crate::db::is_postgres_url(&self.database_url) => 16,
            0 => 8,
            n => n,
        }
    }
}

/// A secret setting: never shown by `Debug` (settings may be logged).
#[derive(Clone)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[secret]")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Secret, Self::Err> {
        Ok(Secret(s.to_string()))
    }
}
