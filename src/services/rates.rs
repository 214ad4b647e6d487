//! Rate-sheet imports (all-or-nothing, each a new version) and exports.

use super::audit::{self, Event};
use super::{Actor, ServiceError, now};
use crate::db::catalogue::{NewRateRow, NewRateSheet, RateRowRecord, RateSheet, RouteFromSheet};
use crate::db::schema::{rate_rows, rate_sheets, routes};
use crate::db::{DbConnection, write_tx};
use crate::domain::rate_sheet::{self, RateRow, SheetError};
use crate::storage::content_key;
use crate::with_backend;
use diesel::prelude::*;
use std::collections::BTreeMap;

/// Who imports: an admin on the web, or the command line / first start.
pub enum Importer<'a> {
    Staff(&'a Actor),
    System(&'a str),
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file has problems; nothing was imported.
    #[error("the rate sheet has {} problem(s)", .0.len())]
    Sheet(Vec<SheetError>),
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl From<diesel::result::Error> for ImportError {
    fn from(error: diesel::result::Error) -> ImportError {
        ImportError::Service(error.into())
    }
}

/// What an import did.
#[derive(Debug)]
pub struct ImportSummary {
    pub sheet_id: i64,
    pub rows: usize,
    pub routes_created: Vec<String>,
    pub routes_updated: Vec<String>,
}

/// Validates the whole file, then in one transaction stores it as a new
/// version and makes it the current sheet of every route it names.
pub fn import(
    conn: &mut DbConnection,
    importer: Importer,
    file_name: &str,
    bytes: &[u8],
) -> Result<ImportSummary, ImportError> {
    let (actor, by_name) = match &importer {
        Importer::Staff(actor) => {
            actor.require_admin()?;
            (Some(*actor), actor.email.clone())
        }
        Importer::System(name) => (None, (*name).to_owned()),
    };
    let rows = rate_sheet::parse(file_name, bytes).map_err(ImportError::Sheet)?;
    let mut by_route: BTreeMap<&str, &RateRow> = BTreeMap::new();
    for row in &rows {
        by_route.entry(row.route_code.as_str()).or_insert(row);
    }
    let codes: Vec<&str> = by_route.keys().copied().collect();
    let file_name: String = file_name.chars().take(200).collect();
    let summary = write_tx(conn, |conn| {
        let at = now();
        let route_codes = codes.join(";");
        let sheet = NewRateSheet {
            file_name: &file_name,
            file_sha256: &content_key(bytes),
            row_count: rows.len() as i64,
            route_codes: &route_codes,
            imported_by: actor.map(|a| a.user_id.0),
            imported_by_name: &by_name,
            imported_at: at,
        };
        let sheet_id: i64 = with_backend!(conn, |c| diesel::insert_into(rate_sheets::table)
            .values(&sheet)
            .returning(rate_sheets::id)
            .get_result(c))?;
        let new_rows: Vec<NewRateRow> = rows
            .iter()
            .enumerate()
            .map(|(i, row)| NewRateRow::from_row(sheet_id, i as i64 + 2, row))
            .collect();
        // BACKEND: multi-row INSERT needs the concrete connection.
        for chunk in new_rows.chunks(200) {
            with_backend!(conn, |c| diesel::insert_into(rate_rows::table)
                .values(chunk)
                .execute(c))?;
        }
        let mut summary = ImportSummary {
            sheet_id,
            rows: rows.len(),
            routes_created: Vec::new(),
            routes_updated: Vec::new(),
        };
        for (code, row) in &by_route {
            let route = RouteFromSheet {
                code,
                name_zh: &row.route_name_zh,
                name_en: &row.route_name_en,
                transport: row.transport.as_str(),
                transit_min_days: i64::from(row.transit_min_days),
                transit_max_days: i64::from(row.transit_max_days),
                volumetric_divisor: i64::from(row.volumetric_divisor),
                accepts: row.accepts.to_string(),
                max_weight_g: i64::from(row.max_weight_g),
                current_sheet_id: Some(sheet_id),
                updated_at: at,
            };
            let updated = diesel::update(routes::table.filter(routes::code.eq(code)))
                .set(&route)
                .execute(conn)?;
            if updated == 0 {
                diesel::insert_into(routes::table)
                    .values((&route, routes::created_at.eq(at)))
                    .execute(conn)?;
                summary.routes_created.push((*code).to_owned());
            } else {
                summary.routes_updated.push((*code).to_owned());
            }
        }
        let by = match actor {
            Some(actor) => audit::By::from(actor),
            None => audit::By {
                user_id: None,
                email: &by_name,
                ip: "",
            },
        };
        audit::record(
            conn,
            by,
            Event {
                action: "rates.import",
                company: None,
                target_type: "rate_sheet",
                target_id: sheet_id.to_string(),
                detail: format!("{file_name}: {} rows, routes {route_codes}", rows.len()),
            },
        )?;
        Ok::<_, ImportError>(summary)
    })?;
    super::quote::catalogue_changed();
    Ok(summary)
}

/// Every version, newest first.
pub fn versions(conn: &mut DbConnection) -> QueryResult<Vec<RateSheet>> {
    rate_sheets::table.order(rate_sheets::id.desc()).load(conn)
}

pub fn version(conn: &mut DbConnection, id: i64) -> QueryResult<RateSheet> {
    rate_sheets::table.find(id).first(conn)
}

/// Converts stored rows back to domain rows.
pub fn rows_from(records: &[RateRowRecord]) -> Result<Vec<RateRow>, ServiceError> {
    records
        .iter()
        .map(|r| {
            RateRow::try_from(r).map_err(|e| {
                tracing::error!(error = %e, "corrupt rate row");
                ServiceError::Conflict("error.rates.corrupt")
            })
        })
        .collect()
}

/// The rows of one version, in file order.
pub fn version_rows(conn: &mut DbConnection, sheet_id: i64) -> Result<Vec<RateRow>, ServiceError> {
    let records: Vec<RateRowRecord> = rate_rows::table
        .filter(rate_rows::sheet_id.eq(sheet_id))
        .order(rate_rows::line_no.asc())
        .load(conn)?;
    rows_from(&records)
}

/// The rows every route currently prices with (each route's current version).
pub fn current_rows(conn: &mut DbConnection) -> Result<Vec<RateRow>, ServiceError> {
    let records: Vec<RateRowRecord> = rate_rows::table
        .inner_join(routes::table.on(routes::code.eq(rate_rows::route_code)))
        .filter(routes::current_sheet_id.eq(rate_rows::sheet_id.nullable()))
        .select(rate_rows::all_columns)
        .order((rate_rows::route_code.asc(), rate_rows::line_no.asc()))
        .load(conn)?;
    rows_from(&records)
}
