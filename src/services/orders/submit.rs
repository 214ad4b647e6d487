//! Submitting a draft: every rule of DESIGN.md §5 checked, warnings
//! acknowledged, the quote frozen with the rate-sheet version it used.

use super::transition::{By, transition};
use super::{draft_of, find, may_change};
use crate::db::DbConnection;
use crate::db::models::Company;
use crate::db::orders::{NewOrderItem, Order, OrderItem, OrderQuote, OrderRecipient};
use crate::db::schema::{
    companies, countries, order_items, order_quotes, order_recipients, orders, routes,
};
use crate::db::write_tx;
use crate::domain::approval::Decision;
use crate::domain::customs::{self, Warning};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::CompanyId;
use crate::domain::order::{CompleteOrder, Draft, item_field};
use crate::domain::order_event::EventParams;
use crate::domain::order_state::{self, OrderStatus};
use crate::domain::quote::{Options, Parcel, RouteQuote, SortBy};
use crate::services::quote::{self, QuoteAnswer};
use crate::services::{Actor, ServiceError, ServiceResult, now};
use chrono::Duration;
use diesel::prelude::*;

/// A submission that went through, or the warnings still to acknowledge.
pub enum Submission {
    Submitted(OrderStatus),
    Unacknowledged(Vec<Warning>),
}

/// The orders the same recipient (country, postcode and name) got from this
/// company within this many days raise a warning.
const SAME_RECIPIENT_DAYS: i64 = 14;

/// The parcel the quote engine prices, once the draft has a destination and a weight.
pub fn parcel_of(draft: &Draft) -> Option<Parcel> {
    let country = crate::domain::country::CountryCode::parse(&draft.recipient.country).ok()?;
    let dimensions = match (draft.length_mm, draft.width_mm, draft.height_mm) {
        (Some(length_mm), Some(width_mm), Some(height_mm)) => {
            Some(crate::domain::quote::Dimensions {
                length_mm,
                width_mm,
                height_mm,
            })
        }
        _ => None,
    };
    let declared: i64 = draft
        .items
        .iter()
        .filter_map(|item| Some(item.unit_value?.0 * i64::from(item.quantity?)))
        .sum();
    Some(Parcel {
        postcode: draft.recipient.postcode.trim().to_owned(),
        country,
        weight_g: draft.weight_g?,
        dimensions,
        attributes: draft.declared.attributes(),
        declared: (declared > 0).then_some(crate::domain::money::UsdCents(declared)),
    })
}

/// Parcels the company submitted this month (China time), for volume tiers.
fn parcels_this_month(conn: &mut DbConnection, company: CompanyId) -> QueryResult<u32> {
    let month_start = crate::domain::china_time::month_start(crate::services::pricing::today());
    let count: i64 = orders::table
        .filter(orders::company_id.eq(company.0))
        .filter(orders::submitted_at.ge(month_start))
        .filter(orders::status.ne(OrderStatus::Cancelled.as_str()))
        .count()
        .get_result(conn)?;
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

/// Every route's answer for the draft's parcel, cheapest first; `None` until
/// the draft has a destination and a weight.
pub fn quote_for(
    conn: &mut DbConnection,
    actor: &Actor,
    draft: &Draft,
) -> ServiceResult<Option<QuoteAnswer>> {
    quote_with_origin(conn, actor, draft, false)
}

/// [`quote_for`], with the ERP-origin discount when the order came through the API.
fn quote_with_origin(
    conn: &mut DbConnection,
    actor: &Actor,
    draft: &Draft,
    erp_origin: bool,
) -> ServiceResult<Option<QuoteAnswer>> {
    let Some(parcel) = parcel_of(draft) else {
        return Ok(None);
    };
    let options = Options {
        signature: draft.services.signature,
        insurance: draft.services.insurance,
        expedited: draft.services.expedited,
        ddp: draft.services.ddp,
        parcels_this_month: parcels_this_month(conn, actor.company()?)?,
        erp_origin,
    };
    Ok(Some(quote::quote(
        conn,
        &parcel,
        &options,
        None,
        SortBy::Price,
    )?))
}

/// The answer for `route`, with an error beside `field` when it cannot take the parcel.
fn route_answer<'a>(
    answer: &'a QuoteAnswer,
    route: &str,
    field: &'static str,
    errors: &mut FieldErrors,
) -> Option<&'a RouteQuote> {
    let Some(quote) = answer.quotes.iter().find(|q| q.route.as_str() == route) else {
        errors.add(field, "error.order.unknown_route");
        return None;
    };
    match &quote.result {
        Ok(_) => Some(quote),
        // The route table beside the field says why, in the reader's words.
        Err(_) => {
            errors.add(field, "error.order.route_unavailable");
            None
        }
    }
}

/// The destination's prohibited keywords, checked against every item.
fn check_prohibited(
    conn: &mut DbConnection,
    order: &CompleteOrder,
    errors: &mut FieldErrors,
) -> QueryResult<()> {
    let keywords: Option<String> = countries::table
        .find(order.recipient.country.as_str())
        .select(countries::prohibited)
        .first(conn)
        .optional()?;
    let keywords = keywords.unwrap_or_default();
    let keywords: Vec<&str> = keywords
        .split(';')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .collect();
    if let Some((row, keyword)) = customs::prohibited(&order.items, &keywords) {
        errors.add_detail(
            item_field(row, "description_en"),
            "error.order.prohibited",
            keyword,
        );
    }
    Ok(())
}

/// An earlier order of the company to the same recipient within 14 days.
fn same_recipient(
    conn: &mut DbConnection,
    order: &Order,
    complete: &CompleteOrder,
) -> QueryResult<Option<String>> {
    let since = now() - Duration::days(SAME_RECIPIENT_DAYS);
    let recipient = &complete.recipient;
    let candidates: Vec<(String, String)> = orders::table
        .inner_join(order_recipients::table)
        .filter(orders::company_id.eq(order.company_id))
        .filter(orders::id.ne(order.id))
        .filter(orders::submitted_at.ge(since))
        .filter(orders::status.ne(OrderStatus::Cancelled.as_str()))
        .filter(order_recipients::country.eq(recipient.country.as_str()))
        .filter(order_recipients::postcode.eq(&recipient.postcode))
        .select((orders::order_no, order_recipients::name))
        .load(conn)?;
    Ok(candidates
        .into_iter()
        .find(|(_, name)| name.eq_ignore_ascii_case(&recipient.name))
        .map(|(order_no, _)| order_no))
}

/// Submits a draft. Errors come back beside their fields; warnings must be
/// acknowledged (`acknowledged`) before the order moves on.
pub fn submit(
    conn: &mut DbConnection,
    actor: &Actor,
    order_no: &str,
    acknowledged: bool,
) -> ServiceResult<Submission> {
    write_tx(conn, |conn| submit_in(conn, actor, order_no, acknowledged))
}

/// [`submit`] inside the caller's transaction (the API creates and submits
/// an order in one, so a refused submission leaves no draft behind).
pub(crate) fn submit_in(
    conn: &mut DbConnection,
    actor: &Actor,
    order_no: &str,
    acknowledged: bool,
) -> ServiceResult<Submission> {
    {
        // Queued behind other submissions and payments of the company, so the
        // budget read below counts every order committed before this one.
        crate::db::ledger::lock_company(conn, actor.company()?.0)?;
        let order = find(conn, actor, order_no)?;
        may_change(actor, &order)?;
        if order.status != OrderStatus::Draft {
            return Err(ServiceError::Conflict(if order.status.is_editable() {
                "error.order.awaiting_address"
            } else {
                "error.order.not_editable"
            }));
        }
        let recipient: OrderRecipient = order_recipients::table.find(order.id).first(conn)?;
        let items: Vec<OrderItem> = order_items::table
            .filter(order_items::order_id.eq(order.id))
            .order(order_items::position.asc())
            .load(conn)?;
        super::require_active(conn, CompanyId(order.company_id))?;
        let draft = draft_of(&order, &recipient, &items);
        let complete = draft.complete().map_err(ServiceError::Invalid)?;
        let company: Company = companies::table.find(order.company_id).first(conn)?;
        // Orders an ERP pushed through the API get its discount (issue #13).
        let erp_origin = crate::services::api_orders::token_name(conn, order.id)?.is_some();
        let answer = quote_with_origin(conn, actor, &draft, erp_origin)?.ok_or_else(|| {
            ServiceError::Invalid(FieldErrors::single("weight_kg", "error.measure.weight"))
        })?;
        let mut errors = FieldErrors::new();
        let chosen = route_answer(&answer, complete.route.as_str(), "route", &mut errors);
        match &complete.backup_route {
            Some(backup) => {
                route_answer(&answer, backup.as_str(), "backup_route", &mut errors);
            }
            None if company.require_backup_route => {
                errors.add("backup_route", "error.order.backup_required");
            }
            None => {}
        }
        check_prohibited(conn, &complete, &mut errors)?;
        let attached = super::attachments::attached(conn, order.id)?;
        if !super::attachments::missing_documents(&complete.declared, &attached).is_empty() {
            errors.add("documents", "error.order.documents_missing");
        }
        let Some(chosen) = chosen.filter(|_| errors.is_empty()) else {
            return Err(ServiceError::Invalid(errors));
        };
        let mut warnings = customs::warnings(&complete.items, &complete.declared);
        if let Some(earlier) = same_recipient(conn, &order, &complete)? {
            warnings.push(Warning::SameRecipient { order_no: earlier });
        }
        if !warnings.is_empty() && !acknowledged {
            return Ok(Submission::Unacknowledged(warnings));
        }
        let total = chosen.total().unwrap_or_default();
        let decision = crate::services::approvals::decide_for(
            conn,
            &order,
            actor,
            total,
            !complete.declared.attributes().is_empty(),
            complete.recipient.country.as_str(),
        )?;
        let event = order_state::Event::Submit {
            needs_approval: decision != Decision::NotNeeded,
        };
        freeze(conn, &order, &complete, chosen, &answer.basis)?;
        let detail = format!(
            "{} {}",
            complete.route,
            chosen.total().map(|t| t.to_string()).unwrap_or_default()
        );
        let to = transition(
            conn,
            &order,
            &event,
            By::Member(actor),
            "",
            &EventParams::warnings(&warnings),
            detail,
        )?;
        diesel::update(orders::table.find(order.id))
            .set((
                orders::submitted_at.eq(Some(now())),
                orders::submitted_by.eq(Some(actor.user_id.0)),
            ))
            .execute(conn)?;
        match &decision {
            Decision::Needed { by, reasons } => {
                crate::services::approvals::request(conn, &order, actor, *by, reasons)?
            }
            Decision::NotNeeded => {
                diesel::update(orders::table.find(order.id))
                    .set((
                        orders::approval_level.eq(None::<String>),
                        orders::approval_reasons.eq(None::<String>),
                    ))
                    .execute(conn)?;
            }
        }
        Ok(Submission::Submitted(to))
    }
}

/// Writes the checked content back in its normal form (E.164 phone,
/// upper-case postcode, HS digits) and the quote with its sheet version.
fn freeze(
    conn: &mut DbConnection,
    order: &Order,
    complete: &CompleteOrder,
    chosen: &RouteQuote,
    basis: &crate::domain::quote::QuoteBasis,
) -> ServiceResult<()> {
    let row = super::recipient_row(order.id, &complete.recipient.to_fields());
    diesel::update(order_recipients::table.find(order.id))
        .set(&row)
        .execute(conn)?;
    let rows: Vec<NewOrderItem> = complete
        .items
        .iter()
        .enumerate()
        .map(|(position, item)| NewOrderItem {
            order_id: order.id,
            position: position as i64,
            description_en: item.description_en.clone(),
            description_zh: item.description_zh.clone().unwrap_or_default(),
            quantity: Some(i64::from(item.quantity)),
            unit_value_cents: Some(item.unit_value.0),
            hs_code: item.hs_code.clone(),
            origin: item.origin.as_str().to_owned(),
            photo_upload_id: None,
        })
        .collect();
    super::replace_items(conn, order.id, rows)?;
    store_quote(conn, order.id, chosen, basis)
}

/// Freezes `chosen` as the order's quote, with the route's current sheet
/// version and the pricing basis (an order's quote, or a return's).
pub(crate) fn store_quote(
    conn: &mut DbConnection,
    order_id: i64,
    chosen: &RouteQuote,
    basis: &crate::domain::quote::QuoteBasis,
) -> ServiceResult<()> {
    let Ok(priced) = &chosen.result else {
        return Err(ServiceError::Conflict("error.order.unknown_route"));
    };
    let sheet: Option<i64> = routes::table
        .filter(routes::code.eq(chosen.route.as_str()))
        .select(routes::current_sheet_id)
        .first(conn)?;
    let Some(rate_sheet_id) = sheet else {
        return Err(ServiceError::Conflict("error.order.unknown_route"));
    };
    let lines: Vec<serde_json::Value> = priced
        .lines
        .iter()
        .map(|line| serde_json::json!({"kind": line.kind.as_str(), "amount_fen": line.amount.0}))
        .collect();
    diesel::delete(order_quotes::table.find(order_id)).execute(conn)?;
    diesel::insert_into(order_quotes::table)
        .values(OrderQuote {
            order_id,
            route_code: chosen.route.as_str().to_owned(),
            rate_sheet_id,
            total_fen: priced.total.0,
            chargeable_weight_g: i64::from(priced.chargeable_weight_g),
            lines: serde_json::Value::Array(lines).to_string(),
            transit_min_days: i64::from(chosen.transit.min_days),
            transit_max_days: i64::from(chosen.transit.max_days),
            quoted_at: now(),
            basis: basis.to_json(),
        })
        .execute(conn)?;
    Ok(())
}
