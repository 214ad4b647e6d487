//! The database set up for a bulk load while the generator writes, and put
//! back after it: secondary indexes of the big tables dropped and built
//! again at the end (one sort each instead of a million random B-tree
//! inserts), and on SQLite a large page cache without a durable journal.
//!
//! Only the generator uses this, on a database without orders (it refuses
//! any other): a crash in the middle leaves a database to throw away and
//! generate again, never one the application was using.

use crate::db::DbConnection;
use diesel::QueryResult;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;

/// The tables the generator fills by the million.
pub const TABLES: &[&str] = &[
    "orders",
    "order_recipients",
    "order_shipments",
    "order_events",
    "tracking_events",
    "order_facts",
    "reviews",
];

/// What [`begin`] changed, for [`end`] to put back.
#[must_use = "end() builds the dropped indexes again"]
pub(crate) struct BulkLoad {
    /// (name, the statement that creates it).
    indexes: Vec<(String, String)>,
    /// SQLite's journal mode before (`None`: not changed).
    journal_mode: Option<String>,
}

#[derive(QueryableByName)]
struct Index {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    sql: String,
}

#[derive(QueryableByName)]
struct Timeout {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    timeout: i64,
}

#[derive(QueryableByName)]
struct Mode {
    #[diesel(sql_type = Text)]
    journal_mode: String,
}

/// Drops the big tables' secondary indexes (not those behind primary keys
/// and constraints) and sets the session up for writing fast.
pub(crate) fn begin(conn: &mut DbConnection) -> QueryResult<BulkLoad> {
    let tables = TABLES
        .iter()
        .map(|t| format!("'{t}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut journal_mode = None;
    // BACKEND: where each engine lists its indexes, and its bulk settings.
    let indexes: Vec<Index> = match conn {
        DbConnection::Sqlite(c) => {
            // 1 GiB of page cache (the default 2 MiB re-reads index pages for
            // every row); no fsync and the rollback journal in memory: the
            // write-ahead log would write every page twice.
            c.batch_execute("PRAGMA cache_size = -1048576; PRAGMA synchronous = OFF;")?;
            let before = diesel::sql_query("PRAGMA journal_mode").get_result::<Mode>(c)?;
            // Refused ("database is locked", at once: no busy wait) while
            // another connection has the file open, e.g. a running server:
            // then the load keeps the write-ahead log.
            let timeout = diesel::sql_query("PRAGMA busy_timeout").get_result::<Timeout>(c)?;
            c.batch_execute("PRAGMA busy_timeout = 0;")?;
            let now = diesel::sql_query("PRAGMA journal_mode = MEMORY").get_result::<Mode>(c);
            c.batch_execute(&format!("PRAGMA busy_timeout = {};", timeout.timeout))?;
            if now.is_ok_and(|now| now.journal_mode != before.journal_mode) {
                journal_mode = Some(before.journal_mode);
            }
            // Autoindexes (UNIQUE in the table) have no SQL and stay.
            diesel::sql_query(format!(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' \
                 AND sql IS NOT NULL AND tbl_name IN ({tables}) ORDER BY name"
            ))
            .load(c)?
        }
        DbConnection::Postgresql(c) => {
            // Losing the last commits in a crash is fine here; the index
            // builds at the end sort in memory.
            c.batch_execute("SET synchronous_commit = off; SET maintenance_work_mem = '512MB';")?;
            diesel::sql_query(format!(
                "SELECT indexname AS name, indexdef AS sql FROM pg_indexes \
                 WHERE schemaname = current_schema() AND tablename IN ({tables}) \
                 AND indexname NOT IN (SELECT conname FROM pg_constraint) ORDER BY indexname"
            ))
            .load(c)?
        }
    };
    for index in &indexes {
        conn.batch_execute(&format!("DROP INDEX {}", index.name))?;
    }
    Ok(BulkLoad {
        indexes: indexes.into_iter().map(|i| (i.name, i.sql)).collect(),
        journal_mode,
    })
}

/// Builds the dropped indexes again and restores the session's settings;
/// PostgreSQL's planner statistics are brought up to date (its autovacuum
/// would, later) so the first benchmark sees the plans a live database has.
pub(crate) fn end(conn: &mut DbConnection, load: BulkLoad) -> QueryResult<()> {
    for (_, sql) in &load.indexes {
        conn.batch_execute(sql)?;
    }
    match conn {
        DbConnection::Sqlite(c) => {
            if let Some(mode) = load.journal_mode {
                c.batch_execute(&format!("PRAGMA journal_mode = {mode};"))?;
            }
            // The pool's settings (src/db), and SQLite's default cache.
            c.batch_execute("PRAGMA synchronous = NORMAL; PRAGMA cache_size = -2000;")?;
        }
        DbConnection::Postgresql(c) => {
            c.batch_execute(&format!(
                "RESET synchronous_commit; RESET maintenance_work_mem; ANALYZE {};",
                TABLES.join(", ")
            ))?;
        }
    }
    Ok(())
}
