//! Handing parcels to the carrier: one at a time with the waybill the
//! carrier gave, or a day's numbers from a sheet (all or nothing), and the
//! day's manifest per route that goes with the hand-over.

use super::scanned;
use crate::db::schema::{
    carriers, companies, order_recipients, order_shipments, orders, parcel_checks,
};
use crate::db::{DbConnection, write_tx};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::UserId;
use crate::domain::order_event::EventParams;
use crate::domain::order_state::{Event, OrderStatus};
use crate::domain::spreadsheet::RowProblem;
use crate::domain::spreadsheet::{self, Layout};
use crate::domain::warehouse::Waybill;
use crate::services::notifications::notify_user;
use crate::services::orders::{By, transition};
use crate::services::{Actor, ServiceError, ServiceResult, now};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// Hands one received parcel to `carrier` under `waybill`.
pub fn dispatch(
    conn: &mut DbConnection,
    actor: &Actor,
    order_no: &str,
    carrier: &str,
    waybill: &str,
) -> ServiceResult<()> {
    actor.require_staff()?;
    let mut errors = FieldErrors::new();
    let waybill = Waybill::parse(waybill)
        .map_err(|key| errors.add("waybill", key))
        .ok();
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    write_tx(conn, |conn| {
        let carrier = active_carrier(conn, carrier)?
            .ok_or_else(|| invalid("carrier", "error.warehouse.carrier_unknown"))?;
        let Some(waybill) = &waybill else {
            return Err(invalid("waybill", "error.warehouse.waybill_invalid"));
        };
        hand_over(conn, actor, order_no, &carrier, waybill).map_err(|problem| match problem {
            Problem::Service(error) => error,
            Problem::Field(field, key) => invalid(field, key),
        })
    })
}

fn invalid(field: &'static str, key: &'static str) -> ServiceError {
    ServiceError::Invalid(FieldErrors::single(field, key))
}

/// Why one hand-over cannot happen: a field's message, or a service error.
enum Problem {
    Field(&'static str, &'static str),
    Service(ServiceError),
}

impl From<ServiceError> for Problem {
    fn from(error: ServiceError) -> Problem {
        match error {
            // The scan's own message (a typo, an unknown number) belongs to the number.
            ServiceError::Invalid(errors) => Problem::Field(
                "order_no",
                errors
                    .get("order_no")
                    .unwrap_or("error.warehouse.unknown_order"),
            ),
            other => Problem::Service(other),
        }
    }
}

impl From<diesel::result::Error> for Problem {
    fn from(error: diesel::result::Error) -> Problem {
        Problem::Service(error.into())
    }
}

pub(crate) fn active_carrier(conn: &mut DbConnection, code: &str) -> QueryResult<Option<String>> {
    carriers::table
        .filter(carriers::code.eq(code.trim().to_ascii_uppercase()))
        .filter(carriers::active.eq(true))
        .select(carriers::code)
        .first(conn)
        .optional()
}

fn hand_over(
    conn: &mut DbConnection,
    actor: &Actor,
    order_no: &str,
    carrier: &str,
    waybill: &Waybill,
) -> Result<(), Problem> {
    let order = scanned(conn, actor, order_no)?;
    match order.status {
        OrderStatus::Received => {}
        OrderStatus::OnHold => return Err(Problem::Field("order_no", "error.warehouse.on_hold")),
        _ => return Err(Problem::Field("order_no", "error.warehouse.not_received")),
    }
    let taken: bool = diesel::select(diesel::dsl::exists(
        order_shipments::table
            .filter(order_shipments::carrier.eq(carrier))
            .filter(order_shipments::waybill.eq(waybill.as_str())),
    ))
    .get_result(conn)?;
    if taken {
        return Err(Problem::Field("waybill", "error.warehouse.waybill_taken"));
    }
    diesel::update(order_shipments::table.find(order.id))
        .set((
            order_shipments::carrier.eq(Some(carrier)),
            order_shipments::waybill.eq(Some(waybill.as_str())),
            order_shipments::handed_over_at.eq(Some(now())),
            order_shipments::updated_at.eq(now()),
        ))
        .execute(conn)?;
    let note = format!("{carrier} {}", waybill.as_str());
    transition(
        conn,
        &order,
        &Event::Dispatch,
        By::Staff(actor),
        &note,
        &EventParams::default(),
        note.clone(),
    )?;
    notify_user(
        conn,
        UserId(order.created_by),
        "order.dispatched",
        &format!("{} {note}", order.order_no),
        &format!("/app/orders/{}", order.order_no),
    )?;
    Ok(())
}

/// Columns of a hand-over sheet; `carrier` is optional (the form's carrier applies).
const SHEET_COLUMNS: [&str; 3] = ["order_no", "waybill", "carrier"];
/// A day's hand-over of one warehouse fits far below this.
const MAX_SHEET_ROWS: usize = 5_000;

/// How a hand-over sheet went: every row handed over, or nothing and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DispatchReport {
    Dispatched(usize),
    Refused(Vec<RowProblem>),
}

/// Hands over every row of a CSV or XLSX sheet of `order_no,waybill[,carrier]`
/// in one transaction: one bad row and nothing is handed over.
pub fn dispatch_sheet(
    conn: &mut DbConnection,
    actor: &Actor,
    file_name: &str,
    bytes: &[u8],
    default_carrier: &str,
) -> ServiceResult<DispatchReport> {
    actor.require_staff()?;
    let refused = |row: usize, column: &str, key: &'static str| {
        Ok(DispatchReport::Refused(vec![RowProblem {
            row,
            column: column.to_owned(),
            key,
        }]))
    };
    let rows = match spreadsheet::read(file_name, bytes) {
        Ok(rows) => rows,
        Err(error) => return refused(0, "", error.message_key()),
    };
    let Some((header, body)) = rows.split_first() else {
        return refused(1, "", "error.warehouse.sheet_empty");
    };
    let (layout, header_problems) = Layout::read(header, &SHEET_COLUMNS, |name| name != "carrier");
    if !header_problems.is_empty() {
        return Ok(DispatchReport::Refused(
            header_problems
                .into_iter()
                .map(|(name, _)| RowProblem {
                    row: 1,
                    column: name,
                    key: "error.warehouse.sheet_header",
                })
                .collect(),
        ));
    }
    let body: Vec<_> = body.iter().filter(|row| !row.is_blank()).collect();
    if body.is_empty() {
        return refused(1, "", "error.warehouse.sheet_empty");
    }
    if body.len() > MAX_SHEET_ROWS {
        return refused(1, "", "error.warehouse.sheet_too_long");
    }
    let outcome = write_tx(conn, |conn| {
        let mut problems = Vec::new();
        for row in &body {
            let cell = |index| layout.cell(row, index).unwrap_or("");
            let carrier = match cell(2) {
                "" => default_carrier,
                given => given,
            };
            let problem = |column: &str, key| RowProblem {
                row: row.number,
                column: column.to_owned(),
                key,
            };
            let waybill = match Waybill::parse(cell(1)) {
                Ok(waybill) => waybill,
                Err(key) => {
                    problems.push(problem("waybill", key));
                    continue;
                }
            };
            let Some(carrier) = active_carrier(conn, carrier)? else {
                problems.push(problem("carrier", "error.warehouse.carrier_unknown"));
                continue;
            };
            match hand_over(conn, actor, cell(0), &carrier, &waybill) {
                Ok(()) => {}
                Err(Problem::Field(field, key)) => problems.push(problem(field, key)),
                Err(Problem::Service(ServiceError::Conflict(key))) => {
                    problems.push(problem("order_no", key));
                }
                Err(Problem::Service(error)) => return Err(error.into()),
            }
        }
        if problems.is_empty() {
            Ok(body.len())
        } else {
            // Rolls the rows that went through back: all or nothing.
            Err(SheetFailure::Refused(problems))
        }
    });
    match outcome {
        Ok(count) => Ok(DispatchReport::Dispatched(count)),
        Err(SheetFailure::Refused(problems)) => Ok(DispatchReport::Refused(problems)),
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

impl From<ServiceError> for SheetFailure {
    fn from(error: ServiceError) -> SheetFailure {
        SheetFailure::Service(error)
    }
}

/// One parcel of a day's hand-over.
#[derive(Clone, Debug)]
pub struct ManifestRow {
    pub order_no: String,
    pub carrier: String,
    pub waybill: String,
    pub company: String,
    pub country: String,
    pub weight_g: i64,
    pub handed_over_at: NaiveDateTime,
}

/// The parcels handed over on `day` (China time) on `route`, by carrier and waybill.
pub fn manifest(
    conn: &mut DbConnection,
    actor: &Actor,
    day: NaiveDate,
    route: &str,
) -> ServiceResult<Vec<ManifestRow>> {
    actor.require_staff()?;
    let from = crate::domain::china_time::day_start(day);
    let until = from + chrono::Duration::days(1);
    let rows = order_shipments::table
        .inner_join(orders::table)
        .inner_join(companies::table.on(companies::id.eq(orders::company_id)))
        .inner_join(order_recipients::table.on(order_recipients::order_id.eq(orders::id)))
        .filter(order_shipments::handed_over_at.ge(from))
        .filter(order_shipments::handed_over_at.lt(until))
        .filter(orders::route_code.eq(route))
        .order((
            order_shipments::carrier.asc(),
            order_shipments::waybill.asc(),
        ))
        .select((
            orders::id,
            orders::order_no,
            order_shipments::carrier.assume_not_null(),
            order_shipments::waybill.assume_not_null(),
            companies::name,
            order_recipients::country,
            order_shipments::handed_over_at.assume_not_null(),
        ))
        .load::<(i64, String, String, String, String, String, NaiveDateTime)>(conn)?;
    let mut manifest = Vec::with_capacity(rows.len());
    for (id, order_no, carrier, waybill, company, country, handed_over_at) in rows {
        let weight_g: i64 = parcel_checks::table
            .filter(parcel_checks::order_id.eq(id))
            .filter(parcel_checks::outcome.eq("accepted"))
            .order(parcel_checks::id.desc())
            .select(parcel_checks::weight_g)
            .first(conn)
            .optional()?
            .unwrap_or(0);
        manifest.push(ManifestRow {
            order_no,
            carrier,
            waybill,
            company,
            country,
            weight_g,
            handed_over_at,
        });
    }
    Ok(manifest)
}
