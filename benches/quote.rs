//! Quoting one parcel against 50 routes: the pure engine, no database.
//! `cargo bench --bench quote`; the figure is in the README.

use criterion::{Criterion, criterion_group, criterion_main};
use samplepost::domain::country::CountryCode;
use samplepost::domain::money::{BasisPoints, Fen, UsdCents, UsdCnyRate};
use samplepost::domain::quote::{
    Dimensions, Options, Parcel, PricingRules, RouteOffer, SortBy, VolumeTier, quote_all,
};
use samplepost::domain::rate_sheet::RateRow;
use samplepost::domain::route::{Attributes, RouteCode, Transport};
use std::hint::black_box;

fn row(i: u32) -> RateRow {
    RateRow {
        route_code: RouteCode::parse(&format!("ROUTE-{i:02}")).expect("code"),
        route_name_zh: format!("线路{i}"),
        route_name_en: format!("Route {i}"),
        transport: Transport::SpecialLine,
        transit_min_days: 5 + i % 7,
        transit_max_days: 10 + i % 11,
        volumetric_divisor: [0, 5000, 6000, 8000][i as usize % 4],
        accepts: Attributes {
            battery: i.is_multiple_of(3),
            ..Attributes::default()
        },
        max_weight_g: 2000 + 1000 * (i % 5),
        country: CountryCode::parse("US").expect("US"),
        min_weight_g: 50,
        step_g: [1, 10, 100, 500][i as usize % 4],
        first_weight_g: if i.is_multiple_of(2) { 0 } else { 500 },
        first_price: Fen(9000 + 100 * i64::from(i)),
        step_price: Fen(3000),
        per_kg_price: Fen(7000 + 50 * i64::from(i)),
        registration_fee: Fen(1800),
        fuel_pct: BasisPoints(i64::from(i % 4) * 500),
        battery_fee: Fen(1000),
        liquid_fee: Fen::ZERO,
        magnetic_fee: Fen::ZERO,
        powder_fee: Fen::ZERO,
        remote_postcodes: vec!["967".into(), "968".into(), "995".into(), "996".into()],
        remote_fee: Fen(4500),
    }
}

fn bench_quote(c: &mut Criterion) {
    let rows: Vec<RateRow> = (0..50).map(row).collect();
    let offers: Vec<RouteOffer> = rows
        .iter()
        .map(|r| RouteOffer {
            code: r.route_code.clone(),
            transit_min_days: r.transit_min_days,
            transit_max_days: r.transit_max_days,
            max_longest_side_mm: Some(1200),
            ddp_offered: true,
            suspended: None,
            row: Some(r),
            measured: None,
        })
        .collect();
    let parcel = Parcel {
        country: CountryCode::parse("US").expect("US"),
        postcode: "96701".into(),
        weight_g: 480,
        dimensions: Some(Dimensions {
            length_mm: 300,
            width_mm: 200,
            height_mm: 100,
        }),
        attributes: Attributes::default(),
        declared: Some(UsdCents(800)),
    };
    let options = Options {
        insurance: true,
        parcels_this_month: 150,
        ..Options::default()
    };
    let rules = PricingRules {
        usd_cny: UsdCnyRate(72_000),
        signature_fee: Fen(800),
        insurance_rate: BasisPoints(100),
        insurance_min: Fen(500),
        expedited_fee: Fen(2000),
        ddp_rate: BasisPoints(1000),
        ddp_min: Fen(1500),
        volume_tiers: vec![VolumeTier {
            min_parcels: 100,
            discount: BasisPoints(300),
        }],
        erp_discount: BasisPoints(300),
    };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).expect("date");
    c.bench_function("quote one parcel against 50 routes", |b| {
        b.iter(|| {
            quote_all(
                black_box(&parcel),
                &options,
                &rules,
                None,
                today,
                black_box(&offers),
                SortBy::Price,
            )
        })
    });
}

criterion_group!(benches, bench_quote);
criterion_main!(benches);
