//! Many tracking events at once from a CSV or XLSX sheet (staff), all or
//! nothing, with every problem named by row and column.

use super::{NewEvent, order_by_no, order_by_waybill, record};
use crate::db::{DbConnection, write_tx};
use crate::domain::country::CountryCode;
use crate::domain::spreadsheet::RowProblem;
use crate::domain::spreadsheet::{self, Layout, SheetRow};
use crate::domain::tracking::{ExceptionReason, Milestone, Source};
use crate::services::orders::By;
use crate::services::{Actor, ServiceError, ServiceResult};
use chrono::DateTime;

/// Columns of an events sheet; a row names its parcel by `order_no` or `waybill`.
const COLUMNS: [&str; 7] = [
    "order_no",
    "waybill",
    "time",
    "milestone",
    "location",
    "text",
    "reason",
];
/// A day's events of a busy warehouse fit far below this.
const MAX_ROWS: usize = 5_000;

fn problem(row: usize, column: &str, key: &'static str) -> RowProblem {
    RowProblem {
        row,
        column: column.to_owned(),
        key,
    }
}

/// Records every row of the sheet in one transaction and returns how many
/// were new (duplicates count as done); one bad row and nothing is stored.
pub fn upload_sheet(
    conn: &mut DbConnection,
    actor: &Actor,
    file_name: &str,
    bytes: &[u8],
) -> ServiceResult<Result<usize, Vec<RowProblem>>> {
    actor.require_staff()?;
    let rows = match spreadsheet::read(file_name, bytes) {
        Ok(rows) => rows,
        Err(error) => return Ok(Err(vec![problem(0, "", error.message_key())])),
    };
    let Some((header, body)) = rows.split_first() else {
        return Ok(Err(vec![problem(1, "", "error.tracking.sheet_empty")]));
    };
    let (layout, header_problems) = Layout::read(header, &COLUMNS, |name| {
        matches!(name, "time" | "milestone")
    });
    if !header_problems.is_empty() {
        return Ok(Err(header_problems
            .into_iter()
            .map(|(name, _)| problem(1, &name, "error.tracking.sheet_header"))
            .collect()));
    }
    let body: Vec<&SheetRow> = body.iter().filter(|row| !row.is_blank()).collect();
    if body.is_empty() {
        return Ok(Err(vec![problem(1, "", "error.tracking.sheet_empty")]));
    }
    if body.len() > MAX_ROWS {
        return Ok(Err(vec![problem(1, "", "error.tracking.sheet_too_long")]));
    }
    let outcome = write_tx(conn, |conn| {
        let mut problems = Vec::new();
        let mut stored = 0;
        for row in &body {
            let cell = |index| layout.cell(row, index).unwrap_or("");
            // Files are not scanned at the edge; PostgreSQL cannot even compare NUL.
            if let Some(at) = (0..COLUMNS.len()).find(|at| cell(*at).chars().any(char::is_control))
            {
                problems.push(problem(row.number, COLUMNS[at], "error.control_characters"));
                continue;
            }
            let (order, column) = match (cell(0), cell(1)) {
                ("", "") => (None, "order_no"),
                ("", waybill) => (order_by_waybill(conn, None, waybill)?, "waybill"),
                (number, _) => (order_by_no(conn, number)?, "order_no"),
            };
            let Some(order) = order else {
                problems.push(problem(row.number, column, "error.tracking.unknown_parcel"));
                continue;
            };
            let event = match event_of(row, &layout) {
                Ok(event) => event,
                Err((column, key)) => {
                    problems.push(problem(row.number, column, key));
                    continue;
                }
            };
            match record(conn, By::Staff(actor), &order, &event) {
                Ok(super::Recorded::Stored { .. }) => stored += 1,
                Ok(super::Recorded::Duplicate) => {}
                Err(ServiceError::Conflict(key)) => {
                    problems.push(problem(row.number, "milestone", key));
                }
                Err(error) => return Err(SheetFailure::Service(error)),
            }
        }
        if problems.is_empty() {
            Ok(stored)
        } else {
            // Rolls back the rows that went through: all or nothing.
            Err(SheetFailure::Refused(problems))
        }
    });
    match outcome {
        Ok(stored) => Ok(Ok(stored)),
        Err(SheetFailure::Refused(problems)) => Ok(Err(problems)),
        Err(SheetFailure::Service(error)) => Err(error),
    }
}

/// Ends the sheet's transaction: with the rows' problems, or an error.
enum SheetFailure {
    Refused(Vec<RowProblem>),
    Service(ServiceError),
}

impl From<diesel::result::Error> for SheetFailure {
    fn from(error: diesel::result::Error) -> SheetFailure {
        SheetFailure::Service(error.into())
    }
}

/// Reads one row into an event, or names the bad column.
fn event_of(row: &SheetRow, layout: &Layout) -> Result<NewEvent, (&'static str, &'static str)> {
    let cell = |index| layout.cell(row, index).unwrap_or("");
    let at = DateTime::parse_from_rfc3339(cell(2))
        .map_err(|_| ("time", "error.tracking.time_invalid"))?;
    let milestone =
        Milestone::parse(cell(3)).map_err(|_| ("milestone", "error.tracking.milestone_unknown"))?;
    let (city, country) = match cell(4).rsplit_once(',') {
        Some((city, country)) => (
            city.trim().to_owned(),
            CountryCode::parse(country.trim())
                .map_err(|_| ("location", "error.tracking.location_invalid"))?
                .as_str()
                .to_owned(),
        ),
        None if cell(4).is_empty() => (String::new(), String::new()),
        None => return Err(("location", "error.tracking.location_invalid")),
    };
    let reason = match cell(6) {
        "" => None,
        reason if milestone == Milestone::Exception => Some(
            ExceptionReason::parse(reason)
                .map_err(|_| ("reason", "error.tracking.reason_invalid"))?,
        ),
        _ => return Err(("reason", "error.tracking.reason_invalid")),
    };
    let text = cell(5);
    if text.chars().count() > 500 || city.chars().count() > 100 {
        return Err(("text", "error.tracking.text_too_long"));
    }
    Ok(NewEvent {
        milestone,
        reason,
        at,
        city,
        country,
        text: text.to_owned(),
        source: Source::Csv,
        carrier: None,
        carrier_event_id: None,
        raw: row.cells.join(","),
    })
}
