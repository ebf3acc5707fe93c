//! Database layer: one schema, two backends (SQLite embedded, PostgreSQL for scale-out).
//!
//! The seam is [`DbConn`], an enum over the two concrete connections. Queries are
//! written once with diesel's DSL inside [`with_conn!`], which compiles the body for each
//! backend; backend-specific SQL (upserts, `SKIP LOCKED`, full-text search) matches on the
//! enum directly. Blocking diesel calls run on the blocking thread pool through [`Db::run`].

pub mod ids;
pub mod models;
pub mod notification_kinds;
pub mod queries;
pub mod reputation;
pub mod schema;

use crate::error::AppError;
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::time::Duration;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// A pooled connection to either backend.
pub enum DbConn {
    Sqlite(PooledConnection<ConnectionManager<SqliteConnection>>),
    Pg(PooledConnection<ConnectionManager<PgConnection>>),
}

/// Runs `$body` with `$c` bound to the concrete `&mut` connection of whichever backend
/// `$conn` holds. The body is type-checked once per backend.
#[macro_export]
macro_rules! with_conn {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::db::DbConn::Sqlite(ref mut __c) => {
                let $c: &mut diesel::SqliteConnection = &mut *__c;
                $body
            }
            $crate::db::DbConn::Pg(ref mut __c) => {
                let $c: &mut diesel::PgConnection = &mut *__c;
                $body
            }
        }
    };
}

impl DbConn {
    /// Runs `f` in a transaction (inside the open one, if any). On SQLite the
    /// outermost transaction is `IMMEDIATE` so that the write lock is taken up front and
    /// concurrent writers wait (busy timeout) instead of failing on lock upgrade.
    pub fn transaction<T, E>(&mut self, f: impl FnOnce(&mut DbConn) -> Result<T, E>) -> Result<T, E>
    where
        E: From<diesel::result::Error>,
    {
        if with_conn!(self, c => in_transaction(c)) {
            // Part of the enclosing transaction: an error aborts all of it anyway.
            return f(self);
        }
        let begin = match self {
            DbConn::Sqlite(_) => "BEGIN IMMEDIATE",
            DbConn::Pg(_) => "BEGIN",
        };
        with_conn!(self, c => AnsiTransactionManager::begin_transaction_sql(c, begin))?;
        let result = f(self);
        match &result {
            Ok(_) => with_conn!(self, c => AnsiTransactionManager::commit_transaction(c))?,
            Err(_) => self.rollback(),
        }
        result
    }

    fn rollback(&mut self) {
        let _ = with_conn!(self, c => AnsiTransactionManager::rollback_transaction(c));
    }
}

fn in_transaction<C>(c: &mut C) -> bool
where
    C: diesel::Connection<TransactionManager = AnsiTransactionManager>,
{
    matches!(
        AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth(),
        Ok(Some(_))
    )
}

impl DbConn {
    /// Runs `f`, which only reads, on one consistent snapshot of the database, so that
    /// figures read by several statements agree with each other even while writers
    /// commit in between (`REPEATABLE READ` on PostgreSQL, a deferred read transaction
    /// in SQLite's WAL mode).
    pub fn snapshot<T, E>(&mut self, f: impl FnOnce(&mut DbConn) -> Result<T, E>) -> Result<T, E>
    where
        E: From<diesel::result::Error>,
    {
        let begin = match self {
            DbConn::Sqlite(_) => "BEGIN",
            DbConn::Pg(_) => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        };
        with_conn!(self, c => AnsiTransactionManager::begin_transaction_sql(c, begin))?;
        let result = f(self);
        // Nothing was written: ending the transaction either way is the same.
        self.rollback();
        result
    }
}

enum PoolInner {
    Sqlite(Pool<ConnectionManager<SqliteConnection>>),
    Pg(Pool<ConnectionManager<PgConnection>>),
}

/// Cloneable handle to the connection pool.
#[derive(Clone)]
pub struct Db {
    pool: std::sync::Arc<PoolInner>,
}

#[derive(Debug)]
struct SqlitePragmas;

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        conn.batch_execute(
            "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
             PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
        )
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// A condition that is always true and keeps diesel from caching the statement as a
/// prepared one. PostgreSQL plans a cached statement once, generically, and a generic
/// plan made while a table was still small (a new instance) keeps scanning it whole
/// after it has grown; `ap_id = ANY($1)` lookups are planned afresh with this.
pub fn plan_each_time() -> diesel::expression::SqlLiteral<diesel::sql_types::Bool> {
    diesel::dsl::sql::<diesel::sql_types::Bool>("TRUE")
}

/// The backend a database URL names.
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

impl Db {
    /// Connects to `url` (`sqlite://PATH`, a bare path, or `postgres://…`) and runs pending
    /// migrations.
    pub fn connect(url: &str, pool_size: u32) -> anyhow::Result<Db> {
        let inner = if is_postgres_url(url) {
            let manager = ConnectionManager::<PgConnection>::new(url);
            let pool = Pool::builder()
                .max_size(pool_size)
                .min_idle(Some(1))
                .connection_timeout(Duration::from_secs(5))
                // No `SELECT 1` before every use: a connection the server has cut
                // fails the work that finds it, and diesel then reports it broken so
                // that the pool drops it.
                .test_on_check_out(false)
                .build(manager)?;
            PoolInner::Pg(pool)
        } else {
            let path = url.strip_prefix("sqlite://").unwrap_or(url);
            let path = path.strip_prefix("sqlite:").unwrap_or(path);
            if let Some(parent) = std::path::Path::new(path).parent() {
                if !parent.as_os_str().is_empty() {
                    std::fs::create_dir_all(parent)?;
                }
            }
            let manager = ConnectionManager::<SqliteConnection>::new(path);
            let pool = Pool::builder()
                .max_size(pool_size)
                .min_idle(Some(1))
                .connection_timeout(Duration::from_secs(5))
                .connection_customizer(Box::new(SqlitePragmas))
                .build(manager)?;
            PoolInner::Sqlite(pool)
        };
        let db = Db {
            pool: std::sync::Arc::new(inner),
        };
        db.migrate()?;
        Ok(db)
    }

    /// Applies pending migrations; returns how many ran.
    pub fn migrate(&self) -> anyhow::Result<usize> {
        let mut conn = self.get()?;
        let applied = match &mut conn {
            DbConn::Sqlite(c) => c
                .run_pending_migrations(SQLITE_MIGRATIONS)
                .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?
                .len(),
            DbConn::Pg(c) => c
                .run_pending_migrations(PG_MIGRATIONS)
                .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?
                .len(),
        };
        Ok(applied)
    }

    pub fn get(&self) -> Result<DbConn, AppError> {
        Ok(match &*self.pool {
            PoolInner::Sqlite(p) => DbConn::Sqlite(p.get().map_err(AppError::pool)?),
            PoolInner::Pg(p) => DbConn::Pg(p.get().map_err(AppError::pool)?),
        })
    }

    /// Runs blocking database work on tokio's blocking pool.
    pub async fn run<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
    {
        let db = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = db.get()?;
            f(&mut conn)
        })
        .await
        .map_err(|e| AppError::Internal(format!("database task panicked: {e}")))?
    }
}

/// Milliseconds since the Unix epoch, the unit of every timestamp column.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Formats a millisecond timestamp as RFC 3339 for APIs and ActivityPub.
pub fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
