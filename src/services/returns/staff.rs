//! Staff's side of returns: the waybill the carrier gave a return (tracking
//! then finds it like any parcel) and the list of returns still on their way.

use super::not_found;
use crate::db::schema::{order_returns, order_shipments, orders};
use crate::db::{DbConnection, write_tx};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::CompanyId;
use crate::domain::order_event::EventParams;
use crate::domain::order_no::OrderNo;
use crate::domain::order_state::OrderStatus;
use crate::domain::returns::ReturnReason;
use crate::domain::warehouse::Waybill;
use crate::services::orders::{TimelineEntry, add_event, audit};
use crate::services::{Actor, ServiceError, ServiceResult, now};
use diesel::prelude::*;

/// One return on the staff list.
#[derive(Clone, Debug)]
pub struct StaffReturnRow {
    pub return_no: String,
    pub original_no: String,
    pub reason: ReturnReason,
    pub status: OrderStatus,
    pub waybill: Option<String>,
}

/// Sets (or corrects) the carrier and waybill of the return `return_no`.
pub fn set_waybill(
    conn: &mut DbConnection,
    actor: &Actor,
    return_no: &str,
    carrier: &str,
    waybill: &str,
) -> ServiceResult<()> {
    actor.require_staff()?;
    let invalid = |field: &'static str, key: &'static str| {
        ServiceError::Invalid(FieldErrors::single(field, key))
    };
    let waybill = Waybill::parse(waybill).map_err(|key| invalid("waybill", key))?;
    let number = OrderNo::parse(return_no).map_err(|_| not_found())?;
    let result = write_tx(conn, |conn| {
        let carrier = crate::services::warehouse::active_carrier(conn, carrier)?
            .ok_or_else(|| invalid("carrier", "error.warehouse.carrier_unknown"))?;
        let (order_id, status, company_id): (i64, String, i64) = orders::table
            .inner_join(order_returns::table)
            .filter(orders::order_no.eq(number.as_str()))
            .select((orders::id, orders::status, orders::company_id))
            .first(conn)?;
        let status = OrderStatus::parse(&status).map_err(|_| not_found())?;
        if status.is_final() {
            return Err(ServiceError::Conflict("error.returns.finished"));
        }
        diesel::update(order_shipments::table.find(order_id))
            .set((
                order_shipments::carrier.eq(Some(&carrier)),
                order_shipments::waybill.eq(Some(waybill.as_str())),
                order_shipments::updated_at.eq(now()),
            ))
            .execute(conn)?;
        let note = format!("{carrier} {}", waybill.as_str());
        add_event(
            conn,
            order_id,
            Some(actor),
            TimelineEntry {
                kind: "returns.waybill",
                from: Some(status),
                to: status,
                note: &note,
                params: EventParams::default(),
            },
        )?;
        audit(
            conn,
            actor,
            "order.returns.waybill",
            CompanyId(company_id),
            number.as_str(),
            note,
        )?;
        Ok(())
    });
    match result {
        Err(ServiceError::Db(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ))) => Err(invalid("waybill", "error.returns.waybill_taken")),
        other => other,
    }
}

/// Returns not yet finished, newest first (at most 100).
pub fn open_returns(conn: &mut DbConnection, actor: &Actor) -> ServiceResult<Vec<StaffReturnRow>> {
    actor.require_staff()?;
    let finished: Vec<&str> = OrderStatus::ALL
        .iter()
        .filter(|s| s.is_final())
        .map(|s| s.as_str())
        .collect();
    let rows: Vec<(String, String, String, Option<String>, i64)> = orders::table
        .inner_join(order_returns::table)
        .left_join(order_shipments::table)
        .filter(orders::status.ne_all(finished))
        .order(order_returns::created_at.desc())
        .limit(100)
        .select((
            orders::order_no,
            orders::status,
            order_returns::reason,
            order_shipments::waybill.nullable(),
            order_returns::original_order_id,
        ))
        .load(conn)?;
    let mut list = Vec::with_capacity(rows.len());
    for (return_no, status, reason, waybill, original_id) in rows {
        list.push(StaffReturnRow {
            original_no: super::number_of(conn, original_id)?,
            return_no,
            reason: ReturnReason::parse(&reason).unwrap_or(ReturnReason::Requested),
            status: OrderStatus::parse(&status).unwrap_or(OrderStatus::Paid),
            waybill,
        })
    }
    Ok(list)
}
