//! The admin's pricing rules (exchange rate, services, DDP, discounts) and promotion codes.

use super::audit::{self, Event};
use super::{Actor, ServiceError, ServiceResult, now};
use crate::db::catalogue::{NewPromotion, PricingRulesRecord, PromotionRecord, format_tiers};
use crate::db::schema::{countries, pricing_rules, promotions};
use crate::db::{DbConnection, write_tx};
use crate::domain::field_errors::FieldErrors;
use crate::domain::quote::{PricingRules, Promotion, PromotionDiscount};
use crate::domain::route::RouteCode;
use chrono::NaiveDate;
use diesel::prelude::*;

pub fn rules(conn: &mut DbConnection) -> QueryResult<PricingRules> {
    let record = pricing_rules::table
        .find(1)
        .select(PricingRulesRecord::as_select())
        .first(conn)?;
    Ok(PricingRules::from(&record))
}

pub fn update_rules(
    conn: &mut DbConnection,
    actor: &Actor,
    rules: &PricingRules,
) -> ServiceResult<()> {
    actor.require_admin()?;
    write_tx(conn, |conn| {
        diesel::update(pricing_rules::table.find(1))
            .set(PricingRulesRecord {
                id: 1,
                usd_cny_rate: rules.usd_cny.0,
                signature_fee: rules.signature_fee.0,
                insurance_bp: rules.insurance_rate.0,
                insurance_min: rules.insurance_min.0,
                expedited_fee: rules.expedited_fee.0,
                ddp_bp: rules.ddp_rate.0,
                ddp_min: rules.ddp_min.0,
                erp_discount_bp: rules.erp_discount.0,
                volume_tiers: format_tiers(&rules.volume_tiers),
                updated_at: now(),
            })
            .execute(conn)?;
        audit::record(
            conn,
            actor,
            Event {
                action: "pricing.update",
                company: None,
                target_type: "pricing_rules",
                target_id: "1".to_owned(),
                detail: format!("USD/CNY {}", rules.usd_cny),
            },
        )?;
        Ok::<(), ServiceError>(())
    })?;
    super::quote::catalogue_changed();
    Ok(())
}

pub fn promotions(conn: &mut DbConnection) -> QueryResult<Vec<PromotionRecord>> {
    promotions::table.order(promotions::id.desc()).load(conn)
}

/// An active promotion by its code (case-insensitive).
pub fn find_promotion(conn: &mut DbConnection, code: &str) -> QueryResult<Option<Promotion>> {
    let record: Option<PromotionRecord> = promotions::table
        .filter(promotions::code.eq(code.trim().to_uppercase()))
        .filter(promotions::active.eq(true))
        .first(conn)
        .optional()?;
    Ok(record.as_ref().map(Promotion::from))
}

pub fn create_promotion(
    conn: &mut DbConnection,
    actor: &Actor,
    promotion: &Promotion,
) -> ServiceResult<()> {
    actor.require_admin()?;
    let (kind, amount) = match promotion.discount {
        PromotionDiscount::Fixed(fen) => ("fixed", fen.0),
        PromotionDiscount::Percent(bp) => ("percent", bp.0),
    };
    write_tx(conn, |conn| {
        let exists: bool = diesel::select(diesel::dsl::exists(
            promotions::table.filter(promotions::code.eq(&promotion.code)),
        ))
        .get_result(conn)?;
        if exists {
            return Err(ServiceError::Invalid(FieldErrors::single(
                "code",
                "error.promotion.taken",
            )));
        }
        diesel::insert_into(promotions::table)
            .values(NewPromotion {
                code: &promotion.code,
                kind,
                amount,
                valid_from: promotion.valid_from,
                valid_until: promotion.valid_until,
                route_codes: promotion
                    .routes
                    .iter()
                    .map(RouteCode::as_str)
                    .collect::<Vec<_>>()
                    .join(";"),
                active: true,
                created_at: now(),
            })
            .execute(conn)?;
        audit::record(
            conn,
            actor,
            Event {
                action: "promotion.create",
                company: None,
                target_type: "promotion",
                target_id: promotion.code.clone(),
                detail: format!(
                    "{kind} {amount} {}..{}",
                    promotion.valid_from, promotion.valid_until
                ),
            },
        )?;
        Ok(())
    })
}

pub fn set_promotion_active(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    active: bool,
) -> ServiceResult<()> {
    actor.require_admin()?;
    write_tx(conn, |conn| {
        let record: PromotionRecord = promotions::table.find(id).first(conn)?;
        diesel::update(promotions::table.find(id))
            .set(promotions::active.eq(active))
            .execute(conn)?;
        audit::record(
            conn,
            actor,
            Event {
                action: if active {
                    "promotion.enable"
                } else {
                    "promotion.disable"
                },
                company: None,
                target_type: "promotion",
                target_id: record.code,
                detail: String::new(),
            },
        )?;
        Ok(())
    })
}

/// Replaces a country's prohibited keywords (`;`-separated, trimmed, lower-case).
pub fn set_prohibited(
    conn: &mut DbConnection,
    actor: &Actor,
    code: &str,
    keywords: &str,
) -> ServiceResult<()> {
    actor.require_admin()?;
    let cleaned: Vec<String> = keywords
        .split([';', '\n', '；'])
        .map(|k| k.trim().to_lowercase())
        .filter(|k| !k.is_empty())
        .collect();
    let text = cleaned.join(";");
    write_tx(conn, |conn| {
        let updated = diesel::update(countries::table.find(code.to_uppercase()))
            .set(countries::prohibited.eq(&text))
            .execute(conn)?;
        if updated == 0 {
            return Err(ServiceError::Db(diesel::result::Error::NotFound));
        }
        audit::record(
            conn,
            actor,
            Event {
                action: "country.prohibited",
                company: None,
                target_type: "country",
                target_id: code.to_uppercase(),
                detail: text.clone(),
            },
        )?;
        Ok(())
    })
}

/// Today in China, for promotion validity.
pub fn today() -> NaiveDate {
    crate::domain::china_time::local(super::now()).date()
}
