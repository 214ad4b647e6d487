//! What the seller's order page shows of the warehouse: the measurement
//! and the bill beside the quote, the difference a held parcel waits for,
//! and what a return would cost.

use super::reweigh::bill_lines;
use super::{charged, owed, rules};
use crate::db::DbConnection;
use crate::db::ledger::balance_fen;
use crate::db::orders::Order;
use crate::db::schema::order_quotes;
use crate::db::warehouse::{ParcelCheck, Shipment, latest_check, shipment};
use crate::domain::money::Fen;
use crate::domain::order_state::OrderStatus;
use crate::domain::warehouse::{CheckOutcome, return_fee};
use crate::services::ServiceResult;
use diesel::prelude::*;

/// One kind of charge on the quote and on the bill.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Compared {
    pub kind: String,
    pub quote: Fen,
    pub bill: Fen,
}

impl Compared {
    pub fn difference(&self) -> Fen {
        self.bill - self.quote
    }
}

pub struct SellerFacts {
    pub shipment: Shipment,
    /// The newest measurement, if the warehouse has seen the parcel.
    pub latest: Option<ParcelCheck>,
    /// Quote and bill line by line (when the newest measurement was accepted).
    pub compared: Vec<Compared>,
    pub quote_total: Fen,
    /// What the order has been charged, net, now.
    pub charged: Fen,
    /// A held order's difference, and what the balance lacks of it.
    pub owed: Option<(Fen, Fen)>,
    /// What a return from the warehouse would cost, when one is possible.
    pub return_fee: Option<Fen>,
}

impl SellerFacts {
    pub fn refused(&self) -> bool {
        self.latest
            .as_ref()
            .is_some_and(|check| check.outcome == CheckOutcome::Refused)
    }
}

/// The warehouse facts of a paid (or later) order; `None` before payment.
/// The caller has found `order` for the actor.
pub fn for_seller(conn: &mut DbConnection, order: &Order) -> ServiceResult<Option<SellerFacts>> {
    let Some(shipment) = shipment(conn, order.id)? else {
        return Ok(None);
    };
    let latest = latest_check(conn, order.id)?;
    let (quote_lines, quote_total): (String, i64) = order_quotes::table
        .find(order.id)
        .select((order_quotes::lines, order_quotes::total_fen))
        .first(conn)?;
    let compared = match &latest {
        Some(check) if check.outcome == CheckOutcome::Accepted => {
            compare(&bill_lines(&quote_lines), &bill_lines(&check.bill_lines))
        }
        _ => Vec::new(),
    };
    let charged = charged(conn, order.id)?;
    let owed = if order.status == OrderStatus::OnHold {
        let (owed, _) = owed(conn, order)?;
        let balance = Fen(balance_fen(conn, order.company_id)?);
        Some((owed, (owed - balance).max(Fen::ZERO)))
    } else {
        None
    };
    let at_warehouse = shipment.received_at.is_some() && shipment.handed_over_at.is_none();
    let returnable = at_warehouse
        && matches!(
            order.status,
            OrderStatus::Paid
                | OrderStatus::Received
                | OrderStatus::OnHold
                | OrderStatus::Exception
        );
    let return_fee = if returnable {
        Some(return_fee(rules(conn)?.return_fee, charged))
    } else {
        None
    };
    Ok(Some(SellerFacts {
        shipment,
        latest,
        compared,
        quote_total: Fen(quote_total),
        charged,
        owed,
        return_fee,
    }))
}

/// Lines of both, by kind: the quote's order first, then kinds only the bill has.
fn compare(quote: &[(String, Fen)], bill: &[(String, Fen)]) -> Vec<Compared> {
    let amount = |lines: &[(String, Fen)], kind: &str| {
        lines
            .iter()
            .filter(|(k, _)| k == kind)
            .map(|(_, a)| *a)
            .fold(Fen::ZERO, |sum, a| sum + a)
    };
    let mut kinds: Vec<&str> = quote.iter().map(|(k, _)| k.as_str()).collect();
    for (kind, _) in bill {
        if !kinds.contains(&kind.as_str()) {
            kinds.push(kind);
        }
    }
    kinds.dedup();
    kinds
        .into_iter()
        .map(|kind| Compared {
            kind: kind.to_owned(),
            quote: amount(quote, kind),
            bill: amount(bill, kind),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_and_bill_line_up_by_kind() {
        let quote = vec![
            ("freight".to_owned(), Fen(5000)),
            ("fuel".to_owned(), Fen(500)),
        ];
        let bill = vec![
            ("freight".to_owned(), Fen(6000)),
            ("fuel".to_owned(), Fen(600)),
            ("battery".to_owned(), Fen(1000)),
        ];
        let compared = compare(&quote, &bill);
        assert_eq!(compared.len(), 3);
        assert_eq!(compared[0].difference(), Fen(1000));
        assert_eq!(compared[2].kind, "battery");
        assert_eq!(compared[2].quote, Fen::ZERO);
    }
}
