//! Quoting a parcel against the current catalogue.

use super::{ServiceResult, pricing, rates};
use crate::db::DbConnection;
use crate::db::catalogue::{RateRowRecord, Route};
use crate::db::schema::{rate_rows, routes};
use crate::domain::quote::{self, Options, Parcel, RouteOffer, RouteQuote, SortBy};
use crate::domain::rate_sheet::RateRow;
use crate::domain::route::{RouteCode, RouteStatus};
use diesel::prelude::*;

/// What the seller asked and what every route answered.
pub struct QuoteAnswer {
    pub quotes: Vec<RouteQuote>,
    pub routes: Vec<Route>,
    /// A code was given but no active promotion has it.
    pub unknown_promotion: bool,
    /// The rules and discount inputs every route was priced with (frozen with an order's quote).
    pub basis: quote::QuoteBasis,
}

impl QuoteAnswer {
    pub fn route(&self, code: &str) -> Option<&Route> {
        self.routes.iter().find(|r| r.code == code)
    }
}

/// Quotes the parcel on every route (suspended ones are listed with their notice).
pub fn quote(
    conn: &mut DbConnection,
    parcel: &Parcel,
    options: &Options,
    promotion_code: Option<&str>,
    sort: SortBy,
) -> ServiceResult<QuoteAnswer> {
    let routes: Vec<Route> = routes::table.order(routes::code.asc()).load(conn)?;
    let records: Vec<RateRowRecord> = rate_rows::table
        .inner_join(routes::table.on(routes::code.eq(rate_rows::route_code)))
        .filter(routes::current_sheet_id.eq(rate_rows::sheet_id.nullable()))
        .filter(rate_rows::country.eq(parcel.country.as_str()))
        .select(rate_rows::all_columns)
        .load(conn)?;
    let rows: Vec<RateRow> = rates::rows_from(&records)?;
    let rules = pricing::rules(conn)?;
    let measured = super::board::standing::measured(conn, parcel.country.as_str())?;
    let promotion = match promotion_code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => Some(pricing::find_promotion(conn, code)?),
        None => None,
    };
    // Codes are validated when sheets are imported; a row that does not read
    // back as a code is skipped rather than quoted under a made-up name.
    let offers: Vec<RouteOffer> = routes
        .iter()
        .filter_map(|route| Some((route, RouteCode::parse(&route.code).ok()?)))
        .map(|(route, code)| RouteOffer {
            code,
            transit_min_days: u32::try_from(route.transit_min_days).unwrap_or(0),
            transit_max_days: u32::try_from(route.transit_max_days).unwrap_or(0),
            max_longest_side_mm: route
                .max_longest_side_mm
                .and_then(|v| u32::try_from(v).ok()),
            ddp_offered: route.ddp_offered,
            suspended: (route.status == RouteStatus::Suspended).then(|| route.notice.clone()),
            row: rows.iter().find(|r| r.route_code.as_str() == route.code),
            measured: measured.get(&route.code).copied(),
        })
        .collect();
    let quotes = quote::quote_all(
        parcel,
        options,
        &rules,
        promotion.as_ref().and_then(Option::as_ref),
        pricing::today(),
        &offers,
        sort,
    );
    Ok(QuoteAnswer {
        basis: quote::QuoteBasis::new(&rules, options),
        quotes,
        unknown_promotion: matches!(promotion, Some(None)),
        routes,
    })
}
