//! The quote engine: any parcel the calculator or the CLI can describe,
//! against the demo rate sheet or any sheet the import accepts, with any
//! options and a promotion: never a panic (no overflow), and a total that
//! is never negative.
#![no_main]

use arbitrary::Arbitrary;
use chrono::NaiveDate;
use std::sync::LazyLock;
use libfuzzer_sys::fuzz_target;
use samplepost::cli::{QuoteArgs, parcel_from};
use samplepost::domain::money::{BasisPoints, Fen, UsdCnyRate};
use samplepost::domain::quote::{
    MeasuredTransit, Options, PricingRules, Promotion, PromotionDiscount, RouteOffer, SortBy,
    VolumeTier, quote_all,
};
use samplepost::domain::rate_sheet::{self, RateRow};
use samplepost::domain::route::Attributes;
use samplepost::services::catalogue::DEMO_RATES;

#[derive(Arbitrary, Debug)]
struct Input {
    sheet: Option<String>,
    to: String,
    postcode: String,
    weight_g: i64,
    dims_mm: Option<String>,
    declared_usd: Option<String>,
    attributes: [bool; 4],
    options: [bool; 5],
    parcels_this_month: u32,
    promotion: Option<(bool, u16)>,
    measured: Option<(u8, u8, u16)>,
    suspended: bool,
}

/// The demo sheet, read once: re-reading it on every run slowed the target
/// to a fraction of its speed.
static DEMO_ROWS: LazyLock<Vec<RateRow>> =
    LazyLock::new(|| rate_sheet::parse_csv(DEMO_RATES).expect("the demo sheet"));

fuzz_target!(|input: Input| {
    let own_sheet = input
        .sheet
        .as_deref()
        .and_then(|sheet| rate_sheet::parse_csv(sheet.as_bytes()).ok());
    let rows: &[RateRow] = own_sheet.as_deref().unwrap_or(&DEMO_ROWS);
    let [battery, liquid, magnetic, powder] = input.attributes;
    let args = QuoteArgs {
        to: input.to,
        postcode: input.postcode,
        weight_g: input.weight_g,
        dims_mm: input.dims_mm,
        attributes: Attributes {
            battery,
            liquid,
            magnetic,
            powder,
        },
        declared_usd: input.declared_usd,
        json: true,
    };
    let Ok(parcel) = parcel_from(&args) else {
        return;
    };
    let [signature, insurance, expedited, ddp, erp_origin] = input.options;
    let options = Options {
        signature,
        insurance,
        expedited,
        ddp,
        parcels_this_month: input.parcels_this_month,
        erp_origin,
    };
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).expect("a date");
    let promotion = input.promotion.map(|(fixed, amount)| Promotion {
        code: "FUZZ".to_owned(),
        discount: if fixed {
            PromotionDiscount::Fixed(Fen(i64::from(amount) * 100))
        } else {
            PromotionDiscount::Percent(BasisPoints(i64::from(amount % 10_001)))
        },
        valid_from: today,
        valid_until: today,
        routes: Vec::new(),
    });
    let offers: Vec<RouteOffer> = rows
        .iter()
        .filter(|row| row.country == parcel.country)
        .map(|row| RouteOffer {
            code: row.route_code.clone(),
            transit_min_days: row.transit_min_days,
            transit_max_days: row.transit_max_days,
            max_longest_side_mm: Some(1_200),
            ddp_offered: true,
            suspended: input.suspended.then(|| "suspended".to_owned()),
            row: Some(row),
            measured: input
                .measured
                .map(|(median, p90, deliveries)| MeasuredTransit {
                    median_days: u32::from(median),
                    p90_days: u32::from(p90),
                    deliveries: u32::from(deliveries),
                }),
        })
        .collect();
    let quotes = quote_all(
        &parcel,
        &options,
        &rules(),
        promotion.as_ref(),
        today,
        &offers,
        SortBy::Price,
    );
    for quote in quotes {
        if let Some(total) = quote.total() {
            assert!(total.0 >= 0, "negative total {total:?}");
        }
    }
});

/// The demo pricing rules (`services::catalogue`).
fn rules() -> PricingRules {
    PricingRules {
        usd_cny: UsdCnyRate(72_000),
        signature_fee: Fen(800),
        insurance_rate: BasisPoints(100),
        insurance_min: Fen(500),
        expedited_fee: Fen(3_000),
        ddp_rate: BasisPoints(1_500),
        ddp_min: Fen(1_000),
        volume_tiers: vec![
            VolumeTier {
                min_parcels: 50,
                discount: BasisPoints(300),
            },
            VolumeTier {
                min_parcels: 200,
                discount: BasisPoints(800),
            },
        ],
        erp_discount: BasisPoints(200),
    }
}
