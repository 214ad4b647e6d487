//! Rows of the catalogue tables (countries, routes, rate sheets, pricing,
//! promotions) and their conversion to the domain types the quote engine uses.

use super::schema::*;
use crate::domain::country::CountryCode;
use crate::domain::money::{BasisPoints, Fen, UsdCnyRate};
use crate::domain::quote::{PricingRules, Promotion, PromotionDiscount, VolumeTier};
use crate::domain::rate_sheet::RateRow;
use crate::domain::route::{Attributes, RouteCode, RouteStatus, Transport};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

#[derive(Queryable, Clone, Debug)]
#[diesel(table_name = countries)]
pub struct Country {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub calling_code: Option<String>,
    pub postcode_regex: Option<String>,
    pub postcode_example: Option<String>,
    pub prohibited: String,
}

#[derive(Insertable)]
#[diesel(table_name = countries)]
pub struct NewCountry<'a> {
    pub code: &'a str,
    pub name_zh: &'a str,
    pub name_en: &'a str,
    pub calling_code: Option<&'a str>,
    pub postcode_regex: Option<&'a str>,
    pub postcode_example: Option<&'a str>,
    pub prohibited: &'a str,
}

#[derive(Queryable, Clone, Debug)]
#[diesel(table_name = rate_sheets)]
pub struct RateSheet {
    pub id: i64,
    pub file_name: String,
    pub file_sha256: String,
    pub row_count: i64,
    pub route_codes: String,
    pub imported_by: Option<i64>,
    pub imported_by_name: String,
    pub imported_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = rate_sheets)]
pub struct NewRateSheet<'a> {
    pub file_name: &'a str,
    pub file_sha256: &'a str,
    pub row_count: i64,
    pub route_codes: &'a str,
    pub imported_by: Option<i64>,
    pub imported_by_name: &'a str,
    pub imported_at: NaiveDateTime,
}

#[derive(Queryable, Clone, Debug)]
#[diesel(table_name = routes)]
pub struct Route {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    #[diesel(deserialize_as = String)]
    pub transport: Transport,
    pub transit_min_days: i64,
    pub transit_max_days: i64,
    pub volumetric_divisor: i64,
    pub accepts: String,
    pub max_weight_g: i64,
    pub max_longest_side_mm: Option<i64>,
    pub ddp_offered: bool,
    pub returns_offered: bool,
    #[diesel(deserialize_as = String)]
    pub status: RouteStatus,
    pub notice: String,
    pub current_sheet_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Days without news before the watchdog opens a ticket (1..=60).
    pub silence_days: i64,
}

impl Route {
    pub fn accepted(&self) -> Attributes {
        Attributes::parse_list(&self.accepts).unwrap_or_default()
    }
}

/// What a rate-sheet import sets on a route (created or updated by code).
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = routes)]
pub struct RouteFromSheet<'a> {
    pub code: &'a str,
    pub name_zh: &'a str,
    pub name_en: &'a str,
    pub transport: &'a str,
    pub transit_min_days: i64,
    pub transit_max_days: i64,
    pub volumetric_divisor: i64,
    pub accepts: String,
    pub max_weight_g: i64,
    pub current_sheet_id: Option<i64>,
    pub updated_at: NaiveDateTime,
}

/// What the admin edits on a route.
#[derive(AsChangeset)]
#[diesel(table_name = routes)]
pub struct RouteChanges {
    pub name_zh: String,
    pub name_en: String,
    pub max_longest_side_mm: Option<Option<i64>>,
    pub ddp_offered: bool,
    pub returns_offered: bool,
    pub status: String,
    pub notice: String,
    pub silence_days: i64,
    pub updated_at: NaiveDateTime,
}

#[derive(Queryable, Clone, Debug)]
#[diesel(table_name = rate_rows)]
pub struct RateRowRecord {
    pub id: i64,
    pub sheet_id: i64,
    pub line_no: i64,
    pub route_code: String,
    pub route_name_zh: String,
    pub route_name_en: String,
    pub transport: String,
    pub transit_min_days: i64,
    pub transit_max_days: i64,
    pub volumetric_divisor: i64,
    pub accepts: String,
    pub max_weight_g: i64,
    pub country: String,
    pub min_weight_g: i64,
    pub step_g: i64,
    pub first_weight_g: i64,
    pub first_price: i64,
    pub step_price: i64,
    pub per_kg_price: i64,
    pub registration_fee: i64,
    pub fuel_bp: i64,
    pub battery_fee: i64,
    pub liquid_fee: i64,
    pub magnetic_fee: i64,
    pub powder_fee: i64,
    pub remote_postcodes: String,
    pub remote_fee: i64,
}

#[derive(Insertable)]
#[diesel(table_name = rate_rows)]
pub struct NewRateRow<'a> {
    pub sheet_id: i64,
    pub line_no: i64,
    pub route_code: &'a str,
    pub route_name_zh: &'a str,
    pub route_name_en: &'a str,
    pub transport: &'a str,
    pub transit_min_days: i64,
    pub transit_max_days: i64,
    pub volumetric_divisor: i64,
    pub accepts: String,
    pub max_weight_g: i64,
    pub country: &'a str,
    pub min_weight_g: i64,
    pub step_g: i64,
    pub first_weight_g: i64,
    pub first_price: i64,
    pub step_price: i64,
    pub per_kg_price: i64,
    pub registration_fee: i64,
    pub fuel_bp: i64,
    pub battery_fee: i64,
    pub liquid_fee: i64,
    pub magnetic_fee: i64,
    pub powder_fee: i64,
    pub remote_postcodes: String,
    pub remote_fee: i64,
}

impl<'a> NewRateRow<'a> {
    pub fn from_row(sheet_id: i64, line_no: i64, row: &'a RateRow) -> NewRateRow<'a> {
        NewRateRow {
            sheet_id,
            line_no,
            route_code: row.route_code.as_str(),
            route_name_zh: &row.route_name_zh,
            route_name_en: &row.route_name_en,
            transport: row.transport.as_str(),
            transit_min_days: i64::from(row.transit_min_days),
            transit_max_days: i64::from(row.transit_max_days),
            volumetric_divisor: i64::from(row.volumetric_divisor),
            accepts: row.accepts.to_string(),
            max_weight_g: i64::from(row.max_weight_g),
            country: row.country.as_str(),
            min_weight_g: i64::from(row.min_weight_g),
            step_g: i64::from(row.step_g),
            first_weight_g: i64::from(row.first_weight_g),
            first_price: row.first_price.0,
            step_price: row.step_price.0,
            per_kg_price: row.per_kg_price.0,
            registration_fee: row.registration_fee.0,
            fuel_bp: row.fuel_pct.0,
            battery_fee: row.battery_fee.0,
            liquid_fee: row.liquid_fee.0,
            magnetic_fee: row.magnetic_fee.0,
            powder_fee: row.powder_fee.0,
            remote_postcodes: row.remote_postcodes.join(";"),
            remote_fee: row.remote_fee.0,
        }
    }
}

/// A stored row that no longer reads as a valid rate row (should not happen:
/// rows are validated before they are written).
#[derive(Debug, thiserror::Error)]
#[error("stored rate row {id} is invalid: {what}")]
pub struct CorruptRow {
    pub id: i64,
    pub what: &'static str,
}

fn small(id: i64, value: i64, what: &'static str) -> Result<u32, CorruptRow> {
    u32::try_from(value).map_err(|_| CorruptRow { id, what })
}

impl TryFrom<&RateRowRecord> for RateRow {
    type Error = CorruptRow;

    fn try_from(r: &RateRowRecord) -> Result<RateRow, CorruptRow> {
        let corrupt = |what| CorruptRow { id: r.id, what };
        Ok(RateRow {
            route_code: RouteCode::parse(&r.route_code).map_err(|_| corrupt("route_code"))?,
            route_name_zh: r.route_name_zh.clone(),
            route_name_en: r.route_name_en.clone(),
            transport: Transport::parse(&r.transport).map_err(|_| corrupt("transport"))?,
            transit_min_days: small(r.id, r.transit_min_days, "transit_min_days")?,
            transit_max_days: small(r.id, r.transit_max_days, "transit_max_days")?,
            volumetric_divisor: small(r.id, r.volumetric_divisor, "volumetric_divisor")?,
            accepts: Attributes::parse_list(&r.accepts).map_err(|_| corrupt("accepts"))?,
            max_weight_g: small(r.id, r.max_weight_g, "max_weight_g")?,
            country: CountryCode::parse(&r.country).map_err(|_| corrupt("country"))?,
            min_weight_g: small(r.id, r.min_weight_g, "min_weight_g")?,
            step_g: small(r.id, r.step_g, "step_g")?,
            first_weight_g: small(r.id, r.first_weight_g, "first_weight_g")?,
            first_price: Fen(r.first_price),
            step_price: Fen(r.step_price),
            per_kg_price: Fen(r.per_kg_price),
            registration_fee: Fen(r.registration_fee),
            fuel_pct: BasisPoints(r.fuel_bp),
            battery_fee: Fen(r.battery_fee),
            liquid_fee: Fen(r.liquid_fee),
            magnetic_fee: Fen(r.magnetic_fee),
            powder_fee: Fen(r.powder_fee),
            remote_postcodes: r
                .remote_postcodes
                .split(';')
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect(),
            remote_fee: Fen(r.remote_fee),
        })
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = pricing_rules)]
pub struct PricingRulesRecord {
    pub id: i64,
    pub usd_cny_rate: i64,
    pub signature_fee: i64,
    pub insurance_bp: i64,
    pub insurance_min: i64,
    pub expedited_fee: i64,
    pub ddp_bp: i64,
    pub ddp_min: i64,
    pub erp_discount_bp: i64,
    pub volume_tiers: String,
    pub updated_at: NaiveDateTime,
}

/// Parses `100:500;500:1000` (parcels per month : discount in basis points).
pub fn parse_tiers(text: &str) -> Option<Vec<VolumeTier>> {
    text.split(';')
        .filter(|t| !t.trim().is_empty())
        .map(|tier| {
            let (parcels, bp) = tier.split_once(':')?;
            Some(VolumeTier {
                min_parcels: parcels.trim().parse().ok()?,
                discount: BasisPoints(bp.trim().parse().ok()?),
            })
        })
        .collect()
}

pub fn format_tiers(tiers: &[VolumeTier]) -> String {
    tiers
        .iter()
        .map(|t| format!("{}:{}", t.min_parcels, t.discount.0))
        .collect::<Vec<_>>()
        .join(";")
}

impl From<&PricingRulesRecord> for PricingRules {
    fn from(r: &PricingRulesRecord) -> PricingRules {
        PricingRules {
            usd_cny: UsdCnyRate(r.usd_cny_rate),
            signature_fee: Fen(r.signature_fee),
            insurance_rate: BasisPoints(r.insurance_bp),
            insurance_min: Fen(r.insurance_min),
            expedited_fee: Fen(r.expedited_fee),
            ddp_rate: BasisPoints(r.ddp_bp),
            ddp_min: Fen(r.ddp_min),
            volume_tiers: parse_tiers(&r.volume_tiers).unwrap_or_default(),
            erp_discount: BasisPoints(r.erp_discount_bp),
        }
    }
}

#[derive(Queryable, Clone, Debug)]
#[diesel(table_name = promotions)]
pub struct PromotionRecord {
    pub id: i64,
    pub code: String,
    pub kind: String,
    pub amount: i64,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub route_codes: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = promotions)]
pub struct NewPromotion<'a> {
    pub code: &'a str,
    pub kind: &'a str,
    pub amount: i64,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub route_codes: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

impl From<&PromotionRecord> for Promotion {
    fn from(r: &PromotionRecord) -> Promotion {
        Promotion {
            code: r.code.clone(),
            discount: if r.kind == "percent" {
                PromotionDiscount::Percent(BasisPoints(r.amount))
            } else {
                PromotionDiscount::Fixed(Fen(r.amount))
            },
            valid_from: r.valid_from,
            valid_until: r.valid_until,
            routes: r
                .route_codes
                .split(';')
                .filter_map(|c| RouteCode::parse(c).ok())
                .collect(),
        }
    }
}
