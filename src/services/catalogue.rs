//! The reference catalogue loaded on first start: countries (from the vendored
//! list), default pricing rules, the demo routes (through the importer) and
//! one demo warehouse.

use super::rates::{self, Importer};
use super::{ServiceError, ServiceResult, now};
use crate::db::catalogue::{Country, NewCountry, PricingRulesRecord};
use crate::db::schema::{countries, pricing_rules, routes};
use crate::db::{DbConnection, contains_pattern, lower, write_tx};
use crate::domain::country;
use diesel::prelude::*;

/// Goods some destinations refuse, as keywords; admins edit them later.
const PROHIBITED: &[(&str, &str)] = &[
    ("AU", "laser pointer;meat;seeds;plants;soil;fresh fruit"),
    ("NZ", "meat;seeds;plants;soil;fresh fruit;honey"),
    ("US", "kinder surprise;absinthe;lottery tickets"),
    ("SA", "pork;alcohol;religious materials"),
    ("AE", "pork;e-cigarette liquid;gambling devices"),
];

/// The demo rate sheet shipped in the repository.
pub const DEMO_RATES: &[u8] = include_bytes!("../../reference/demo-rates.csv");

/// Loads whatever part of the catalogue is still empty. Safe to run at every start.
pub fn seed(conn: &mut DbConnection) -> ServiceResult<()> {
    let has_countries = countries::table.count().get_result::<i64>(conn)? > 0;
    if !has_countries {
        write_tx(conn, |conn| {
            for c in country::all() {
                let prohibited = PROHIBITED
                    .iter()
                    .find(|(code, _)| *code == c.code)
                    .map_or("", |(_, keywords)| keywords);
                diesel::insert_into(countries::table)
                    .values(NewCountry {
                        code: &c.code,
                        name_zh: &c.name_zh,
                        name_en: &c.name_en,
                        calling_code: c.calling_code.as_deref(),
                        postcode_regex: c.postcode_regex.as_deref(),
                        postcode_example: c.postcode_example.as_deref(),
                        prohibited,
                    })
                    .execute(conn)?;
            }
            Ok::<(), ServiceError>(())
        })?;
    }
    let has_rules = pricing_rules::table.count().get_result::<i64>(conn)? > 0;
    if !has_rules {
        diesel::insert_into(pricing_rules::table)
            .values(default_rules())
            .execute(conn)?;
    }
    let has_routes = routes::table.count().get_result::<i64>(conn)? > 0;
    if !has_routes {
        seed_demo_routes(conn)?;
    }
    super::warehouses::seed_demo(conn)?;
    super::quote::catalogue_changed();
    Ok(())
}

/// Terms of the demo routes that rate sheets do not carry: DDP on the special
/// lines (双清包税 is what they sell), returns and the longest side allowed.
const DEMO_TERMS: &[(&str, bool, bool, i64)] = &[
    ("EU-ECO", true, false, 600),
    ("NA-SAVER", true, false, 600),
    ("US-BATT", true, false, 600),
    ("AU-LINE", true, false, 600),
    ("SEA-LINE", true, false, 600),
    ("JPKR-EXP", false, true, 1200),
    ("POST-SMALL", false, false, 600),
    ("INTL-EXPRESS", false, true, 1200),
];

/// Imports the shipped demo sheet through the same importer admins use.
fn seed_demo_routes(conn: &mut DbConnection) -> ServiceResult<()> {
    rates::import(
        conn,
        Importer::System("demo catalogue"),
        "demo-rates.csv",
        DEMO_RATES,
    )
    .map_err(|error| match error {
        rates::ImportError::Service(error) => error,
        rates::ImportError::Sheet(errors) => {
            tracing::error!(?errors, "the shipped demo rate sheet is invalid");
            ServiceError::Conflict("error.rates.demo_invalid")
        }
    })?;
    for (code, ddp, returns, max_side_mm) in DEMO_TERMS {
        diesel::update(routes::table.filter(routes::code.eq(code)))
            .set((
                routes::ddp_offered.eq(ddp),
                routes::returns_offered.eq(returns),
                routes::max_longest_side_mm.eq(Some(max_side_mm)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Starting values; the admin changes them under /admin/pricing.
fn default_rules() -> PricingRulesRecord {
    PricingRulesRecord {
        id: 1,
        usd_cny_rate: 72_000,
        signature_fee: 800,
        insurance_bp: 100,
        insurance_min: 500,
        expedited_fee: 2000,
        ddp_bp: 1000,
        ddp_min: 1500,
        erp_discount_bp: 300,
        volume_tiers: "100:300;500:600;2000:1000".to_owned(),
        updated_at: now(),
    }
}

/// Countries with their prohibited keywords, for the admin page and order checks.
pub fn countries(conn: &mut DbConnection, search: &str) -> ServiceResult<Vec<Country>> {
    let mut query = countries::table.into_boxed();
    let search = search.trim();
    if !search.is_empty() {
        let pattern = contains_pattern(search);
        query = query.filter(
            countries::code
                .eq(search.to_uppercase())
                .or(countries::name_zh.like(pattern.clone()))
                .or(lower(countries::name_en).like(pattern)),
        );
    }
    Ok(query.order(countries::code.asc()).load(conn)?)
}

pub fn country(conn: &mut DbConnection, code: &str) -> ServiceResult<Country> {
    Ok(countries::table.find(code.to_uppercase()).first(conn)?)
}
