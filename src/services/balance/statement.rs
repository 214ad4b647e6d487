//! The statement: the company's ledger entries with their order or top-up
//! and who made them, filtered by kind and China-time dates, by page, as
//! monthly totals, and whole for export.

use super::require_finance;
use crate::db::DbConnection;
use crate::db::ledger::LedgerEntry;
use crate::db::schema::{ledger_entries, orders, users};
use crate::domain::china_time;
use crate::domain::ids::CompanyId;
use crate::domain::ledger::{self, EntryKind, MonthTotal};
use crate::domain::money::Fen;
use crate::services::{Actor, Page, ServiceResult};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// The statement's filters, already parsed; `None` means any.
#[derive(Clone, Copy, Debug, Default)]
pub struct StatementFilter {
    pub kind: Option<EntryKind>,
    /// China-time days, both included.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// One line of the statement.
#[derive(Clone, Debug)]
pub struct StatementRow {
    pub id: i64,
    pub kind: EntryKind,
    /// Signed: a credit is positive.
    pub amount: Fen,
    pub order_no: Option<String>,
    pub topup_id: Option<i64>,
    pub by: Option<String>,
    pub note: String,
    pub at: NaiveDateTime,
}

/// The filter as bounds on stored columns: kind, and the UTC start of the
/// first day and of the day after the last.
fn bounds(
    filter: &StatementFilter,
) -> (
    Option<&'static str>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
) {
    (
        filter.kind.map(EntryKind::as_str),
        filter.from.map(china_time::day_start),
        filter
            .to
            .map(|to| china_time::day_start(to) + Duration::days(1)),
    )
}

fn load_rows(
    conn: &mut DbConnection,
    company: CompanyId,
    filter: &StatementFilter,
    range: Option<(i64, i64)>,
) -> QueryResult<Vec<StatementRow>> {
    let mut query = ledger_entries::table
        .left_join(orders::table)
        .left_join(users::table.on(users::id.nullable().eq(ledger_entries::created_by)))
        .filter(ledger_entries::company_id.eq(company.0))
        .select((
            LedgerEntry::as_select(),
            orders::order_no.nullable(),
            users::display_name.nullable(),
        ))
        .into_boxed();
    let (kind, from, until) = bounds(filter);
    if let Some(kind) = kind {
        query = query.filter(ledger_entries::kind.eq(kind));
    }
    if let Some(from) = from {
        query = query.filter(ledger_entries::created_at.ge(from));
    }
    if let Some(until) = until {
        query = query.filter(ledger_entries::created_at.lt(until));
    }
    query = query.order(ledger_entries::id.desc());
    if let Some((offset, limit)) = range {
        query = query.offset(offset).limit(limit);
    }
    let rows: Vec<(LedgerEntry, Option<String>, Option<String>)> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(entry, order_no, by)| StatementRow {
            id: entry.id,
            kind: entry.kind,
            amount: Fen(entry.amount_fen),
            order_no,
            topup_id: entry.topup_id,
            by,
            note: entry.note,
            at: entry.created_at,
        })
        .collect())
}

/// One page of the statement, newest entry first.
pub fn page(
    conn: &mut DbConnection,
    actor: &Actor,
    filter: &StatementFilter,
    page: i64,
) -> ServiceResult<Page<StatementRow>> {
    let company = require_finance(actor)?;
    let range = (
        Page::<StatementRow>::offset(page),
        Page::<StatementRow>::SIZE + 1,
    );
    let rows = load_rows(conn, company, filter, Some(range))?;
    Ok(Page::from_rows(rows, page))
}

/// Every entry the filter matches, newest first, for export.
pub fn statement(
    conn: &mut DbConnection,
    actor: &Actor,
    filter: &StatementFilter,
) -> ServiceResult<Vec<StatementRow>> {
    let company = require_finance(actor)?;
    Ok(load_rows(conn, company, filter, None)?)
}

/// Credits, debits and net per China-time month of the entries the filter
/// matches, newest month first.
pub fn monthly(
    conn: &mut DbConnection,
    actor: &Actor,
    filter: &StatementFilter,
) -> ServiceResult<Vec<MonthTotal>> {
    let company = require_finance(actor)?;
    let mut query = ledger_entries::table
        .filter(ledger_entries::company_id.eq(company.0))
        .select((ledger_entries::created_at, ledger_entries::amount_fen))
        .into_boxed();
    let (kind, from, until) = bounds(filter);
    if let Some(kind) = kind {
        query = query.filter(ledger_entries::kind.eq(kind));
    }
    if let Some(from) = from {
        query = query.filter(ledger_entries::created_at.ge(from));
    }
    if let Some(until) = until {
        query = query.filter(ledger_entries::created_at.lt(until));
    }
    let entries: Vec<(NaiveDateTime, i64)> = query.load(conn)?;
    Ok(ledger::monthly_totals(
        entries.into_iter().map(|(at, amount)| (at, Fen(amount))),
    ))
}
