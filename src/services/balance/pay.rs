//! Paying approved orders from the balance, and refunding a cancelled one.
//! The debit, the state change, the timeline and the audit row are one
//! transaction, queued per company so that the balance never goes below zero.

use crate::db::ledger::{NewLedgerEntry, append, balance_fen, lock_company};
use crate::db::orders::Order;
use crate::db::schema::{companies, ledger_entries, order_quotes};
use crate::db::{DbConnection, write_tx};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::{CompanyId, UserId};
use crate::domain::ledger::{EntryKind, shortfall};
use crate::domain::money::Fen;
use crate::domain::order_no::OrderNo;
use crate::domain::order_state;
use crate::domain::status::ModuleStatus;
use crate::services::notifications::notify_user;
use crate::services::orders::{By, find, transition};
use crate::services::{Actor, ServiceError, ServiceResult, now};
use diesel::prelude::*;

/// More orders than this in one payment is not a person ticking boxes.
const MAX_ORDERS_AT_ONCE: usize = 200;

/// How a payment ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Payment {
    /// Every order is paid.
    Paid,
    /// Nothing was paid: the balance lacks `missing` of `due`.
    Short {
        missing: Fen,
        balance: Fen,
        due: Fen,
    },
}

/// Pays the approved orders `order_nos` of the actor's company at their
/// frozen quote, all or none. An order of another company is "not found";
/// one that is not approved (any more) refuses the whole payment.
pub fn pay(conn: &mut DbConnection, actor: &Actor, order_nos: &[String]) -> ServiceResult<Payment> {
    let company = actor.company()?;
    let numbers = distinct_numbers(order_nos)?;
    write_tx(conn, |conn| {
        lock_company(conn, company.0)?;
        require_active(conn, company)?;
        let mut due = Fen::ZERO;
        let mut payable = Vec::with_capacity(numbers.len());
        for number in &numbers {
            let order = find(conn, actor, number)?;
            // Checked before any money moves; `transition` checks again.
            order_state::next(
                order.status,
                &order_state::Event::Pay,
                order_state::Actor::Member,
            )
            .map_err(|error| ServiceError::Conflict(error.message_key()))?;
            // Orders submitted before documents were required at submit
            // still wait for them here: the warehouse cannot ship without.
            let attached = crate::services::orders::attachments::attached(conn, order.id)?;
            if !crate::services::orders::attachments::missing_documents(
                &order.declared(),
                &attached,
            )
            .is_empty()
            {
                return Err(ServiceError::Conflict("error.order.documents_missing"));
            }
            let total = Fen(order_quotes::table
                .find(order.id)
                .select(order_quotes::total_fen)
                .first(conn)?);
            due += total;
            payable.push((order, total));
        }
        let balance = Fen(balance_fen(conn, company.0)?);
        if let Some(missing) = shortfall(balance, due) {
            return Ok(Payment::Short {
                missing,
                balance,
                due,
            });
        }
        for (order, total) in &payable {
            pay_one(conn, actor, company, order, *total)?;
        }
        Ok(Payment::Paid)
    })
}

/// Only a company whose sample-logistics module is active pays for
/// orders (DESIGN.md §2); a suspended one keeps its balance but cannot spend it.
fn require_active(conn: &mut DbConnection, company: CompanyId) -> ServiceResult<()> {
    let status: String = companies::table
        .find(company.0)
        .select(companies::module_status)
        .first(conn)?;
    if status == ModuleStatus::Active.as_str() {
        Ok(())
    } else {
        Err(ServiceError::Conflict("error.balance.module_inactive"))
    }
}

/// The order numbers as typed, checked and without repeats (a list posted
/// twice must not charge an order twice).
fn distinct_numbers(order_nos: &[String]) -> ServiceResult<Vec<String>> {
    let mut numbers: Vec<String> = Vec::new();
    for text in order_nos {
        let number = OrderNo::parse(text)
            .map_err(|_| ServiceError::Db(diesel::result::Error::NotFound))?
            .as_str()
            .to_owned();
        if !numbers.contains(&number) {
            numbers.push(number);
        }
    }
    if numbers.is_empty() {
        return Err(ServiceError::Invalid(FieldErrors::single(
            "orders",
            "error.balance.none_selected",
        )));
    }
    if numbers.len() > MAX_ORDERS_AT_ONCE {
        return Err(ServiceError::Invalid(FieldErrors::single(
            "orders",
            "error.balance.too_many",
        )));
    }
    Ok(numbers)
}

fn pay_one(
    conn: &mut DbConnection,
    actor: &Actor,
    company: CompanyId,
    order: &Order,
    total: Fen,
) -> ServiceResult<()> {
    let amount = format!("¥{total}");
    transition(
        conn,
        order,
        &order_state::Event::Pay,
        By::Member(actor),
        &amount,
        &crate::domain::order_event::EventParams::default(),
        amount.clone(),
    )?;
    crate::db::warehouse::start_shipment(conn, order.id, now())?;
    // A free order (every charge discounted away) changes state without an entry.
    if total != Fen::ZERO {
        append(
            conn,
            &NewLedgerEntry {
                company_id: company.0,
                kind: EntryKind::Payment.as_str(),
                amount_fen: -total.0,
                order_id: Some(order.id),
                topup_id: None,
                created_by: Some(actor.user_id.0),
                note: "",
                created_at: now(),
                reference: "",
            },
        )?;
    }
    // The seller who made the order learns that it can now go out.
    if order.created_by != actor.user_id.0 {
        notify_user(
            conn,
            UserId(order.created_by),
            "order.paid",
            &amount,
            &format!("/app/orders/{}", order.order_no),
        )?;
    }
    Ok(())
}

/// Gives back everything a paid order was charged, inside the caller's
/// transaction (the cancellation). The caller holds the company's lock.
pub(crate) fn refund(conn: &mut DbConnection, actor: &Actor, order: &Order) -> ServiceResult<Fen> {
    let charged: Vec<i64> = ledger_entries::table
        .filter(ledger_entries::order_id.eq(order.id))
        .filter(ledger_entries::kind.eq_any([
            EntryKind::Payment.as_str(),
            EntryKind::Reweigh.as_str(),
            EntryKind::Refund.as_str(),
            EntryKind::ReturnFee.as_str(),
        ]))
        .select(ledger_entries::amount_fen)
        .load(conn)?;
    let owed = -Fen(charged.into_iter().sum());
    if owed > Fen::ZERO {
        append(
            conn,
            &NewLedgerEntry {
                company_id: order.company_id,
                kind: EntryKind::Refund.as_str(),
                amount_fen: owed.0,
                order_id: Some(order.id),
                topup_id: None,
                created_by: Some(actor.user_id.0),
                note: "",
                created_at: now(),
                reference: "",
            },
        )?;
    }
    Ok(owed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_order_numbers_are_paid_once() {
        let no = "SP2611250001BU".to_owned();
        let numbers = distinct_numbers(&[no.clone(), no.to_lowercase(), no.clone()]);
        assert_eq!(numbers.ok(), Some(vec![no]));
    }

    #[test]
    fn an_empty_selection_is_refused_beside_the_list() {
        match distinct_numbers(&[]) {
            Err(ServiceError::Invalid(errors)) => {
                assert_eq!(errors.get("orders"), Some("error.balance.none_selected"))
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
}
