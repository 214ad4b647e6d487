//! A parcel the warehouse refuses (it does not match its declaration) waits
//! in `exception` for the seller's answer: correct the declaration, and the
//! parcel is weighed again; or have it sent back for the return fee, which
//! is also what cancelling after receipt means.

use super::reweigh::{Measured, insert_check};
use super::{charged, rules, scanned};
use crate::db::ledger::{NewLedgerEntry, append, lock_company};
use crate::db::orders::Order;
use crate::db::schema::orders;
use crate::db::warehouse::{NewParcelCheck, latest_check, shipment};
use crate::db::{DbConnection, write_tx};
use crate::domain::customs::Declared;
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::{CompanyId, UserId};
use crate::domain::ledger::EntryKind;
use crate::domain::money::Fen;
use crate::domain::order_event::EventParams;
use crate::domain::order_state::{Event, OrderStatus};
use crate::domain::status::UploadKind;
use crate::domain::warehouse::{CheckOutcome, RefusalReason, return_fee};
use crate::services::notifications::notify_user;
use crate::services::orders::attachments::{attached, missing_documents};
use crate::services::orders::{By, find, may_change, transition};
use crate::services::uploads::{NewFile, record_evidence};
use crate::services::{Actor, ServiceError, ServiceResult, now};
use crate::storage::Storage;
use diesel::prelude::*;

/// The longest note an operator or a seller writes here.
const MAX_NOTE_CHARS: usize = 500;

/// Why and how the operator refuses a parcel.
pub struct Refusal<'a> {
    pub measured: Measured,
    pub reason: RefusalReason,
    pub note: &'a str,
    /// The photo's bytes and file name: the evidence the seller sees.
    pub photo: (&'a [u8], &'a str),
}

/// Refuses the parcel with a reason, a photo and a note. The seller is
/// told and chooses what happens next.
pub fn refuse(
    conn: &mut DbConnection,
    storage: &dyn Storage,
    actor: &Actor,
    order_no: &str,
    refusal: Refusal,
) -> ServiceResult<()> {
    actor.require_staff()?;
    let Refusal {
        measured,
        reason,
        note,
        photo,
    } = refusal;
    let note = note.trim();
    if note.is_empty() {
        return Err(ServiceError::Invalid(FieldErrors::single(
            "note",
            "error.warehouse.note_required",
        )));
    }
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(ServiceError::Invalid(FieldErrors::single(
            "note",
            "error.warehouse.note_too_long",
        )));
    }
    write_tx(conn, |conn| {
        let company = scanned(conn, actor, order_no)?.company_id;
        lock_company(conn, company)?;
        let order = scanned(conn, actor, order_no)?;
        let (bytes, name) = photo;
        let photo = record_evidence(
            conn,
            actor,
            CompanyId(company),
            NewFile {
                kind: UploadKind::ParcelPhoto,
                field: "photo",
                bytes,
                original_name: name,
            },
        )?;
        let before = charged(conn, order.id)?;
        insert_check(
            conn,
            &NewParcelCheck {
                order_id: order.id,
                outcome: CheckOutcome::Refused.as_str(),
                weight_g: i64::from(measured.weight_g),
                length_mm: i64::from(measured.dimensions.length_mm),
                width_mm: i64::from(measured.dimensions.width_mm),
                height_mm: i64::from(measured.dimensions.height_mm),
                contents_match: false,
                photo_upload_id: Some(photo.id.0),
                refusal_reason: Some(reason.as_str()),
                note,
                chargeable_weight_g: None,
                bill_lines: "[]".to_owned(),
                bill_total_fen: None,
                charged_before_fen: before.0,
                within_tolerance: false,
                checked_by: actor.user_id.0,
                checked_at: now(),
            },
        )?;
        transition(
            conn,
            &order,
            &Event::Refuse,
            By::Staff(actor),
            note,
            &EventParams::default(),
            format!("{reason}: {note}"),
        )?;
        super::arrived(conn, order.id)?;
        notify_user(
            conn,
            UserId(order.created_by),
            "order.refused",
            &order.order_no,
            &format!("/app/orders/{}", order.order_no),
        )?;
        photo.write(storage)?;
        Ok(())
    })
}

/// The refused, not yet dispatched order of the actor's company, with the
/// operator who refused it.
fn refused(conn: &mut DbConnection, actor: &Actor, order_no: &str) -> ServiceResult<(Order, i64)> {
    let order = find(conn, actor, order_no)?;
    may_change(actor, &order)?;
    let check = latest_check(conn, order.id)?;
    match check {
        Some(check)
            if order.status == OrderStatus::Exception && check.outcome == CheckOutcome::Refused =>
        {
            Ok((order, check.checked_by))
        }
        _ => Err(ServiceError::Conflict("error.warehouse.not_refused")),
    }
}

/// The seller corrects the sensitive goods of a refused parcel; the order
/// goes back to the warehouse's queue to be weighed and priced again. The
/// documents the new declaration needs must be attached first.
pub fn correct(
    conn: &mut DbConnection,
    actor: &Actor,
    order_no: &str,
    declared: Declared,
) -> ServiceResult<()> {
    let company = actor.company()?;
    write_tx(conn, |conn| {
        lock_company(conn, company.0)?;
        let (order, operator) = refused(conn, actor, order_no)?;
        let missing = missing_documents(&declared, &attached(conn, order.id)?);
        if !missing.is_empty() {
            return Err(ServiceError::Invalid(FieldErrors::single(
                "declaration",
                "error.warehouse.correct_needs_documents",
            )));
        }
        diesel::update(orders::table.find(order.id))
            .set((
                orders::battery.eq(declared.battery.as_str()),
                orders::liquid.eq(declared.liquid),
                orders::magnetic.eq(declared.magnetic),
                orders::powder.eq(declared.powder),
                orders::content_changed_by.eq(Some(actor.user_id.0)),
                orders::updated_at.eq(now()),
            ))
            .execute(conn)?;
        let attributes: Vec<&str> = declared.attributes().iter().map(|a| a.as_str()).collect();
        transition(
            conn,
            &order,
            &Event::Correct,
            By::Member(actor),
            &attributes.join(", "),
            &EventParams::default(),
            format!("battery {}, {}", declared.battery, attributes.join(",")),
        )?;
        notify_user(
            conn,
            UserId(operator),
            "order.corrected",
            &order.order_no,
            &format!("/admin/warehouse/{}", order.order_no),
        )?;
        Ok(())
    })
}

/// What returning the order would cost: the fee, never more than it was charged.
pub fn return_fee_for(conn: &mut DbConnection, order: &Order) -> ServiceResult<Fen> {
    Ok(return_fee(
        rules(conn)?.return_fee,
        charged(conn, order.id)?,
    ))
}

/// Sends a parcel the warehouse holds back to the seller: everything the
/// order was charged is refunded and the return fee debited, in one
/// transaction with the move to `returned`. Before receipt this is a plain
/// cancellation (`orders::cancel`), after dispatch a matter for tracking.
pub fn return_to_sender(
    conn: &mut DbConnection,
    actor: &Actor,
    order_no: &str,
) -> ServiceResult<Fen> {
    let company = actor.company()?;
    write_tx(conn, |conn| {
        lock_company(conn, company.0)?;
        let order = find(conn, actor, order_no)?;
        may_change(actor, &order)?;
        let at_warehouse = shipment(conn, order.id)?
            .is_some_and(|s| s.received_at.is_some() && s.handed_over_at.is_none());
        if !at_warehouse {
            return Err(ServiceError::Conflict("error.warehouse.not_at_warehouse"));
        }
        let paid = charged(conn, order.id)?;
        let fee = return_fee(rules(conn)?.return_fee, paid);
        let entry = |kind: EntryKind, amount: Fen| NewLedgerEntry {
            company_id: company.0,
            kind: kind.as_str(),
            amount_fen: amount.0,
            order_id: Some(order.id),
            topup_id: None,
            created_by: Some(actor.user_id.0),
            note: &order.order_no,
            created_at: now(),
            reference: "",
        };
        if paid > Fen::ZERO {
            append(conn, &entry(EntryKind::Refund, paid))?;
        }
        if fee > Fen::ZERO {
            append(conn, &entry(EntryKind::ReturnFee, -fee))?;
        }
        transition(
            conn,
            &order,
            &Event::ReturnToSender,
            By::Member(actor),
            &format!("¥{fee}"),
            &EventParams::default(),
            format!("refund ¥{paid}, fee ¥{fee}"),
        )?;
        if let Some(check) = latest_check(conn, order.id)? {
            notify_user(
                conn,
                UserId(check.checked_by),
                "order.return_requested",
                &order.order_no,
                &format!("/admin/warehouse/{}", order.order_no),
            )?;
        }
        Ok(fee)
    })
}
