//! Receiving a parcel: the operator's measurement is priced with the frozen
//! quote's rate-sheet version and rules (never today's prices), and the
//! difference is charged, refunded, or waited for — in one transaction with
//! the state change, the timeline, the audit row and the seller's notice.

use super::{WarehouseRules, charged, rules, scanned};
use crate::db::ledger::{NewLedgerEntry, append, balance_fen, lock_company};
use crate::db::orders::{Order, OrderQuote};
use crate::db::schema::{
    order_events, order_items, order_quotes, order_recipients, parcel_checks, rate_rows, routes,
};
use crate::db::warehouse::NewParcelCheck;
use crate::db::{DbConnection, write_tx};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::{CompanyId, UserId};
use crate::domain::ledger::EntryKind;
use crate::domain::measure::{cm_text, kg_text};
use crate::domain::money::Fen;
use crate::domain::order_event::EventParams;
use crate::domain::order_state::{Event, OrderStatus};
use crate::domain::quote::{self, Dimensions, Options, QuoteBasis, RouteOffer};
use crate::domain::route::RouteCode;
use crate::domain::status::UploadKind;
use crate::domain::warehouse::{CheckOutcome, Settlement, settle};
use crate::services::notifications::notify_user;
use crate::services::orders::{By, transition};
use crate::services::uploads::{NewFile, record_evidence};
use crate::services::{Actor, ServiceError, ServiceResult, now, pricing, rates};
use crate::storage::Storage;
use diesel::prelude::*;

/// What the operator measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Measured {
    pub weight_g: u32,
    pub dimensions: Dimensions,
}

impl Measured {
    /// "1.02 kg · 30×20×5 cm", for the timeline.
    pub fn text(&self) -> String {
        let d = self.dimensions;
        format!(
            "{} kg · {}×{}×{} cm",
            kg_text(self.weight_g),
            cm_text(d.length_mm),
            cm_text(d.width_mm),
            cm_text(d.height_mm)
        )
    }
}

/// The measured parcel priced on the quote's basis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bill {
    pub lines: Vec<(String, Fen)>,
    pub total: Fen,
    pub chargeable_weight_g: u32,
    /// The measurement was within the tolerance: the declared figures stand.
    pub within_tolerance: bool,
}

/// Receives a paid parcel whose contents match its declaration, weighs it
/// and settles the difference. A photo is optional.
pub fn receive(
    conn: &mut DbConnection,
    storage: &dyn Storage,
    actor: &Actor,
    order_no: &str,
    measured: Measured,
    photo: Option<(&[u8], &str)>,
) -> ServiceResult<Settlement> {
    actor.require_staff()?;
    write_tx(conn, |conn| {
        let company = scanned(conn, actor, order_no)?.company_id;
        // Queued behind payments, top-ups and releases of the same company,
        // so the balance read below is the one the settlement depends on.
        lock_company(conn, company)?;
        let order = scanned(conn, actor, order_no)?;
        if order.status != OrderStatus::Paid {
            return Err(ServiceError::Conflict("error.warehouse.not_awaiting"));
        }
        let quote: OrderQuote = order_quotes::table.find(order.id).first(conn)?;
        let rules = rules(conn)?;
        let bill = price_measured(conn, &order, &quote, measured, rules)?;
        let before = charged(conn, order.id)?;
        let balance = Fen(balance_fen(conn, company)?);
        let settlement = settle(bill.total, before, balance);
        let photo = match photo {
            Some((bytes, name)) => Some(record_evidence(
                conn,
                actor,
                CompanyId(company),
                NewFile {
                    kind: UploadKind::ParcelPhoto,
                    field: "photo",
                    bytes,
                    original_name: name,
                },
            )?),
            None => None,
        };
        let check = insert_check(
            conn,
            &NewParcelCheck {
                order_id: order.id,
                outcome: CheckOutcome::Accepted.as_str(),
                weight_g: i64::from(measured.weight_g),
                length_mm: i64::from(measured.dimensions.length_mm),
                width_mm: i64::from(measured.dimensions.width_mm),
                height_mm: i64::from(measured.dimensions.height_mm),
                contents_match: true,
                photo_upload_id: photo.as_ref().map(|p| p.id.0),
                refusal_reason: None,
                note: "",
                chargeable_weight_g: Some(i64::from(bill.chargeable_weight_g)),
                bill_lines: lines_json(&bill.lines),
                bill_total_fen: Some(bill.total.0),
                charged_before_fen: before.0,
                within_tolerance: bill.within_tolerance,
                checked_by: actor.user_id.0,
                checked_at: now(),
            },
        )?;
        let detail = format!(
            "{}; quote ¥{}, bill ¥{}, charged ¥{before}",
            measured.text(),
            Fen(quote.total_fen),
            bill.total
        );
        let received = transition(
            conn,
            &order,
            &Event::Receive,
            By::Staff(actor),
            &measured.text(),
            &EventParams::default(),
            detail,
        )?;
        super::arrived(conn, order.id)?;
        settle_check(conn, actor, &order, received, check, settlement)?;
        if let Some(photo) = photo {
            photo.write(storage)?;
        }
        Ok(settlement)
    })
}

/// Writes what the settlement asks for: the entry, or the hold; and tells
/// the seller who made the order.
fn settle_check(
    conn: &mut DbConnection,
    actor: &Actor,
    order: &Order,
    status: OrderStatus,
    check: i64,
    settlement: Settlement,
) -> ServiceResult<()> {
    let link = format!("/app/orders/{}", order.order_no);
    let notify = |conn: &mut DbConnection, kind: &str, amount: Fen| {
        notify_user(
            conn,
            UserId(order.created_by),
            kind,
            &format!("{} ¥{amount}", order.order_no),
            &link,
        )
    };
    match settlement {
        Settlement::Even => notify(conn, "order.received", Fen::ZERO)?,
        Settlement::Charge(amount) => {
            reweigh_entry(conn, order, check, -amount, Some(actor.user_id))?;
            notify(conn, "order.reweigh_charged", amount)?;
        }
        Settlement::Refund(amount) => {
            reweigh_entry(conn, order, check, amount, Some(actor.user_id))?;
            notify(conn, "order.reweigh_refunded", amount)?;
        }
        Settlement::Hold { owed, missing } => {
            let held = Order {
                status,
                ..order.clone()
            };
            transition(
                conn,
                &held,
                &Event::Hold,
                By::Staff(actor),
                &format!("¥{missing}"),
                &EventParams::default(),
                format!("owed ¥{owed}, balance short by ¥{missing}"),
            )?;
            notify(conn, "order.on_hold", missing)?;
        }
    }
    Ok(())
}

/// The re-weigh entry of one parcel check: at most one per check, so a
/// repeated release can never charge the difference twice.
pub(super) fn reweigh_entry(
    conn: &mut DbConnection,
    order: &Order,
    check: i64,
    amount: Fen,
    by: Option<UserId>,
) -> QueryResult<()> {
    append(
        conn,
        &NewLedgerEntry {
            company_id: order.company_id,
            kind: EntryKind::Reweigh.as_str(),
            amount_fen: amount.0,
            order_id: Some(order.id),
            topup_id: None,
            created_by: by.map(|u| u.0),
            note: &order.order_no,
            created_at: now(),
            reference: &format!("check:{check}"),
        },
    )
}

pub(super) fn insert_check(conn: &mut DbConnection, check: &NewParcelCheck) -> QueryResult<i64> {
    crate::with_backend!(conn, |c| diesel::insert_into(parcel_checks::table)
        .values(check)
        .returning(parcel_checks::id)
        .get_result(c))
}

fn lines_json(lines: &[(String, Fen)]) -> String {
    let lines: Vec<serde_json::Value> = lines
        .iter()
        .map(|(kind, amount)| serde_json::json!({"kind": kind, "amount_fen": amount.0}))
        .collect();
    serde_json::Value::Array(lines).to_string()
}

/// Reads stored quote or bill lines (`[{"kind", "amount_fen"}]`).
pub fn bill_lines(json: &str) -> Vec<(String, Fen)> {
    let Ok(serde_json::Value::Array(lines)) = serde_json::from_str::<serde_json::Value>(json)
    else {
        return Vec::new();
    };
    lines
        .iter()
        .filter_map(|line| {
            Some((
                line.get("kind")?.as_str()?.to_owned(),
                Fen(line.get("amount_fen")?.as_i64()?),
            ))
        })
        .collect()
}

/// Prices the measured parcel on the quote's rate-sheet version, rules and
/// discount inputs. Within the tolerance the declared weight and size are
/// priced instead, so an unchanged order's bill is exactly its quote.
fn price_measured(
    conn: &mut DbConnection,
    order: &Order,
    quote: &OrderQuote,
    measured: Measured,
    warehouse: WarehouseRules,
) -> ServiceResult<Bill> {
    let recipient: crate::db::orders::OrderRecipient =
        order_recipients::table.find(order.id).first(conn)?;
    let items: Vec<crate::db::orders::OrderItem> = order_items::table
        .filter(order_items::order_id.eq(order.id))
        .order(order_items::position.asc())
        .load(conn)?;
    let draft = crate::services::orders::draft_of(order, &recipient, &items);
    let Some(mut parcel) = crate::services::orders::parcel_of(&draft) else {
        return Err(ServiceError::Conflict("error.warehouse.not_awaiting"));
    };
    let records = rate_rows::table
        .filter(rate_rows::sheet_id.eq(quote.rate_sheet_id))
        .filter(rate_rows::route_code.eq(&quote.route_code))
        .filter(rate_rows::country.eq(parcel.country.as_str()))
        .load(conn)?;
    let rows = rates::rows_from(&records)?;
    let Some(row) = rows.first() else {
        return Err(ServiceError::Conflict("error.warehouse.no_rate_row"));
    };
    let route: crate::db::catalogue::Route = routes::table
        .filter(routes::code.eq(&quote.route_code))
        .first(conn)?;
    let declared_weight =
        quote::volumetric_weight_g(parcel.dimensions, row.volumetric_divisor).max(parcel.weight_g);
    let measured_weight =
        quote::volumetric_weight_g(Some(measured.dimensions), row.volumetric_divisor)
            .max(measured.weight_g);
    let within_tolerance = warehouse
        .tolerance
        .absorbs(declared_weight, measured_weight);
    let corrected: bool = diesel::select(diesel::dsl::exists(
        order_events::table
            .filter(order_events::order_id.eq(order.id))
            .filter(order_events::kind.eq(Event::Correct.name())),
    ))
    .get_result(conn)?;
    if within_tolerance && !corrected {
        return Ok(Bill {
            lines: bill_lines(&quote.lines),
            total: Fen(quote.total_fen),
            chargeable_weight_g: u32::try_from(quote.chargeable_weight_g).unwrap_or(0),
            within_tolerance,
        });
    }
    if !within_tolerance {
        parcel.weight_g = measured.weight_g;
        parcel.dimensions = Some(measured.dimensions);
    }
    let services = Options {
        signature: order.signature,
        insurance: order.insurance,
        expedited: order.expedited,
        ddp: order.ddp,
        ..Options::default()
    };
    // Quotes frozen before bases were kept are priced with today's rules.
    let (rules, options) = match QuoteBasis::parse(&quote.basis) {
        Some(basis) => (basis.rules(), basis.options(services)),
        None => (pricing::rules(conn)?, services),
    };
    let offer = RouteOffer {
        code: RouteCode::parse(&quote.route_code)
            .map_err(|_| ServiceError::Conflict("error.warehouse.no_rate_row"))?,
        transit_min_days: 0,
        transit_max_days: 0,
        max_longest_side_mm: route
            .max_longest_side_mm
            .and_then(|mm| u32::try_from(mm).ok()),
        ddp_offered: true,
        suspended: None,
        row: Some(row),
        measured: None,
    };
    let priced = quote::quote_route(
        &parcel,
        &options,
        &rules,
        None,
        quote.quoted_at.date(),
        &offer,
    );
    match priced.result {
        Ok(priced) => Ok(Bill {
            lines: priced
                .lines
                .iter()
                .map(|line| (line.kind.as_str().to_owned(), line.amount))
                .collect(),
            total: priced.total,
            chargeable_weight_g: priced.chargeable_weight_g,
            within_tolerance,
        }),
        // Over the route's weight or size: the parcel cannot go on this
        // route, which the operator answers by refusing it.
        Err(_) => Err(ServiceError::Invalid(FieldErrors::single(
            "weight_kg",
            "error.warehouse.over_limits",
        ))),
    }
}
