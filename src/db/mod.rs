//! Database access: one connection type over SQLite and PostgreSQL, the pool,
//! embedded migrations, and the few backend-specific spots (marked BACKEND).

pub mod addresses;
pub mod backup;
pub mod board;
pub mod catalogue;
pub mod confirmations;
pub mod ledger;
pub mod models;
pub mod orders;
pub mod password_resets;
pub mod rate_limits;
pub mod returns;
pub mod reviews;
pub mod route_stats;
pub mod schema;
pub mod sessions;
pub mod tickets;
pub mod tracking;
pub mod warehouse;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel::result::Error as DieselError;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use std::time::Duration;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// A connection to whichever database `DATABASE_URL` names.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

pub type DbPool = Pool<ConnectionManager<DbConnection>>;
pub type PooledConn = PooledConnection<ConnectionManager<DbConnection>>;

/// Runs the same expression against the concrete connection inside a
/// `DbConnection`, for statements the multi-backend cannot express (RETURNING).
#[macro_export]
macro_rules! with_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Postgresql($c) => $body,
            $crate::db::DbConnection::Sqlite($c) => $body,
        }
    };
}

diesel::define_sql_function! {
    /// SQL `lower()`: searches compare lower-cased text, because LIKE ignores
    /// case on SQLite but not on PostgreSQL.
    fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// A `%term%` pattern for a case-insensitive search with [`lower`].
pub fn contains_pattern(term: &str) -> String {
    format!("%{}%", term.trim().to_lowercase())
}

/// Which database engine a URL points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// BACKEND: SQLite needs its pragmas on every new connection.
#[derive(Debug)]
struct SqlitePragmas;

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        if let DbConnection::Sqlite(c) = conn {
            // busy_timeout first, so the rest wait for a lock instead of failing.
            // journal_mode = WAL is kept in the file; `migrate` sets it once.
            c.batch_execute(
                "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; \
                 PRAGMA synchronous = NORMAL;",
            )
            .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

/// Opens a pool for `url` (a `postgres://` URL or an SQLite file path).
pub fn connect(url: &str, max_size: u32) -> Result<DbPool, diesel::r2d2::PoolError> {
    Pool::builder()
        .max_size(max_size)
        // No idle minimum: connections are opened on demand, so a pool never
        // keeps reconnecting in the background to a database that went away.
        .min_idle(Some(0))
        .connection_timeout(Duration::from_secs(5))
        .connection_customizer(Box::new(SqlitePragmas))
        .build(ConnectionManager::new(url))
}

/// Applies every pending embedded migration for the connection's backend.
pub fn migrate(conn: &mut DbConnection) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    match conn {
        DbConnection::Postgresql(c) => {
            // Instances started together would apply the same migration
            // twice; the others wait on this session lock and then find
            // nothing pending.
            c.batch_execute("SELECT pg_advisory_lock(727574)")?;
            let applied = c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ());
            c.batch_execute("SELECT pg_advisory_unlock(727574)")?;
            applied?;
        }
        DbConnection::Sqlite(c) => {
            c.batch_execute("PRAGMA journal_mode = WAL;")?;
            c.run_pending_migrations(SQLITE_MIGRATIONS)?;
        }
    }
    Ok(())
}

/// Runs `f` in a write transaction. BACKEND: on SQLite the transaction starts
/// with `BEGIN IMMEDIATE` so two writers queue on `busy_timeout` instead of
/// failing when a read lock would have to be upgraded.
pub fn write_tx<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<DieselError>,
{
    let DbConnection::Sqlite(sqlite) = conn else {
        return conn.transaction(f);
    };
    AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
    match f(conn) {
        Ok(value) => {
            <DbConnection as diesel::Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => {
            <DbConnection as diesel::Connection>::TransactionManager::rollback_transaction(conn)?;
            Err(error)
        }
    }
}

use diesel::Connection;
