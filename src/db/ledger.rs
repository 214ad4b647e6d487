//! Rows of the prepaid balance: ledger entries (append-only) and top-up
//! requests, and the per-company lock that payments queue on.

use super::DbConnection;
use super::schema::{companies, ledger_entries, topups};
use crate::domain::ledger::{EntryKind, TopupStatus};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Queryable, Selectable, Identifiable, Clone, Debug)]
#[diesel(table_name = ledger_entries)]
pub struct LedgerEntry {
    pub id: i64,
    pub company_id: i64,
    #[diesel(deserialize_as = String)]
    pub kind: EntryKind,
    /// Positive for a credit, negative for a debit.
    pub amount_fen: i64,
    pub order_id: Option<i64>,
    pub topup_id: Option<i64>,
    pub created_by: Option<i64>,
    pub note: String,
    pub created_at: NaiveDateTime,
    /// What a re-weigh entry settles (`check:<id>`), so it is never written twice.
    pub reference: String,
}

#[derive(Insertable)]
#[diesel(table_name = ledger_entries)]
pub struct NewLedgerEntry<'a> {
    pub company_id: i64,
    pub kind: &'a str,
    pub amount_fen: i64,
    pub order_id: Option<i64>,
    pub topup_id: Option<i64>,
    pub created_by: Option<i64>,
    pub note: &'a str,
    pub created_at: NaiveDateTime,
    pub reference: &'a str,
}

#[derive(Queryable, Selectable, Identifiable, Clone, Debug)]
#[diesel(table_name = topups)]
pub struct Topup {
    pub id: i64,
    pub company_id: i64,
    pub amount_fen: i64,
    pub receipt_upload_id: i64,
    #[diesel(deserialize_as = String)]
    pub status: TopupStatus,
    pub requested_by: i64,
    pub requested_at: NaiveDateTime,
    pub decided_by: Option<i64>,
    pub decided_at: Option<NaiveDateTime>,
    pub reason: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = topups)]
pub struct NewTopup<'a> {
    pub company_id: i64,
    pub amount_fen: i64,
    pub receipt_upload_id: i64,
    pub status: &'a str,
    pub requested_by: i64,
    pub requested_at: NaiveDateTime,
}

/// The company's balance: the sum of its ledger entries.
pub fn balance_fen(conn: &mut DbConnection, company_id: i64) -> QueryResult<i64> {
    // SUM of a BIGINT is NUMERIC on PostgreSQL; the cast keeps one type on both.
    ledger_entries::table
        .filter(ledger_entries::company_id.eq(company_id))
        .select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "COALESCE(CAST(SUM(amount_fen) AS BIGINT), 0)",
        ))
        .first(conn)
}

/// Appends one entry; its sign must suit its kind (the table checks too).
pub fn append(conn: &mut DbConnection, entry: &NewLedgerEntry) -> QueryResult<()> {
    debug_assert!(
        EntryKind::parse(entry.kind)
            .is_ok_and(|kind| kind.allows(crate::domain::money::Fen(entry.amount_fen)))
    );
    diesel::insert_into(ledger_entries::table)
        .values(entry)
        .execute(conn)?;
    Ok(())
}

/// BACKEND: makes every transaction that moves a company's money wait for
/// the one before it, so two payments cannot both spend the last yuan. Call
/// it first inside a `write_tx`. On PostgreSQL the company's row is locked
/// until commit; on SQLite `BEGIN IMMEDIATE` already lets one writer in at a time.
pub fn lock_company(conn: &mut DbConnection, company_id: i64) -> QueryResult<()> {
    match conn {
        DbConnection::Postgresql(pg) => {
            companies::table
                .find(company_id)
                .select(companies::id)
                .for_update()
                .first::<i64>(pg)?;
        }
        DbConnection::Sqlite(_) => {}
    }
    Ok(())
}
