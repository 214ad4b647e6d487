//! The platform warehouse (issue #10, DESIGN.md §2 and §4): scanning a
//! parcel, weighing it against the frozen quote (`reweigh`), refusing it and
//! the seller's answer (`refusal`), the difference a short balance waits for
//! (`holds`), handing it to the carrier (`dispatch`) and the day's queue
//! (`queue`). Every move goes through `orders::transition`, with the money
//! in the same transaction.

mod dispatch;
mod holds;
mod parcel;
mod queue;
mod refusal;
mod reweigh;
mod seller;

pub(crate) use dispatch::active_carrier;
pub use dispatch::{DispatchReport, ManifestRow, dispatch, dispatch_sheet, manifest};
pub use holds::{owed, pay_difference, release_covered};
pub use parcel::{ParcelView, parcel};
pub use queue::{Queue, QueueRow, carriers, queue, routes_handed_over};
pub use refusal::{Refusal, correct, refuse, return_fee_for, return_to_sender};
pub use reweigh::{Bill, Measured, bill_lines, receive};
pub use seller::{Compared, SellerFacts, for_seller};

use super::{Actor, ServiceError, ServiceResult};
use crate::db::DbConnection;
use crate::db::orders::Order;
use crate::db::schema::{ledger_entries, orders, pricing_rules};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ledger::EntryKind;
use crate::domain::money::Fen;
use crate::domain::order_no::OrderNo;
use crate::domain::warehouse::Tolerance;
use diesel::prelude::*;

/// The admin's warehouse settings, kept beside the pricing rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WarehouseRules {
    pub tolerance: Tolerance,
    /// What sending a parcel back from the warehouse costs.
    pub return_fee: Fen,
}

pub fn rules(conn: &mut DbConnection) -> QueryResult<WarehouseRules> {
    let (grams, basis_points, fee): (i64, i64, i64) = pricing_rules::table
        .find(1)
        .select((
            pricing_rules::reweigh_tolerance_g,
            pricing_rules::reweigh_tolerance_bp,
            pricing_rules::return_fee_fen,
        ))
        .first(conn)?;
    Ok(WarehouseRules {
        tolerance: Tolerance {
            grams: u32::try_from(grams).unwrap_or(0),
            basis_points: u32::try_from(basis_points).unwrap_or(0),
        },
        return_fee: Fen(fee),
    })
}

/// Changes the tolerance and the return fee (admin).
pub fn update_rules(
    conn: &mut DbConnection,
    actor: &Actor,
    rules: WarehouseRules,
) -> ServiceResult<()> {
    actor.require_admin()?;
    crate::db::write_tx(conn, |conn| {
        diesel::update(pricing_rules::table.find(1))
            .set((
                pricing_rules::reweigh_tolerance_g.eq(i64::from(rules.tolerance.grams)),
                pricing_rules::reweigh_tolerance_bp.eq(i64::from(rules.tolerance.basis_points)),
                pricing_rules::return_fee_fen.eq(rules.return_fee.0),
            ))
            .execute(conn)?;
        super::audit::record(
            conn,
            actor,
            super::audit::Event {
                action: "warehouse.settings",
                company: None,
                target_type: "pricing_rules",
                target_id: "1".to_owned(),
                detail: format!(
                    "{} g / {} bp, return ¥{}",
                    rules.tolerance.grams, rules.tolerance.basis_points, rules.return_fee
                ),
            },
        )?;
        Ok(())
    })
}

/// Any company's order by the number a scanner (or a person) typed; a typo
/// the check characters catch is reported beside the scan box.
pub(crate) fn scanned(conn: &mut DbConnection, actor: &Actor, text: &str) -> ServiceResult<Order> {
    actor.require_staff()?;
    let number = OrderNo::parse(text).map_err(|error| {
        ServiceError::Invalid(FieldErrors::single("order_no", error.message_key()))
    })?;
    orders::table
        .filter(orders::order_no.eq(number.as_str()))
        .first(conn)
        .optional()?
        .ok_or_else(|| {
            ServiceError::Invalid(FieldErrors::single(
                "order_no",
                "error.warehouse.unknown_order",
            ))
        })
}

/// What the order has been charged so far, net of refunds (a re-weigh
/// dispute's refund included): the money the next settlement compares the
/// bill with.
pub(crate) fn charged(conn: &mut DbConnection, order_id: i64) -> QueryResult<Fen> {
    let amounts: Vec<i64> = ledger_entries::table
        .filter(ledger_entries::order_id.eq(order_id))
        .filter(
            ledger_entries::kind
                .eq_any([
                    EntryKind::Payment.as_str(),
                    EntryKind::Reweigh.as_str(),
                    EntryKind::Refund.as_str(),
                    EntryKind::ReturnFee.as_str(),
                ])
                .or(ledger_entries::kind
                    .eq(EntryKind::Adjustment.as_str())
                    .and(ledger_entries::reference.like("ticket:%"))),
        )
        .select(ledger_entries::amount_fen)
        .load(conn)?;
    Ok(-Fen(amounts.into_iter().sum()))
}

/// Notes that the warehouse has the parcel in hand (accepted or refused),
/// and that the pickup it came with, if any, was collected.
pub(crate) fn arrived(conn: &mut DbConnection, order_id: i64) -> ServiceResult<()> {
    crate::db::warehouse::mark_received(conn, order_id)?;
    let pickup = crate::db::warehouse::shipment(conn, order_id)?.and_then(|s| s.pickup_id);
    if let Some(pickup) = pickup {
        match super::handover::mark_collected(conn, pickup) {
            // A cancelled pickup's orders were freed; the parcel came anyway.
            Err(ServiceError::Conflict(_)) => {}
            other => other?,
        }
    }
    Ok(())
}
