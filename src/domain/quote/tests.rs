//! Tests of the quote engine: worked examples, then proptest properties.

use super::*;
use crate::domain::route::Transport;

fn per_kg_row() -> RateRow {
    RateRow {
        route_code: RouteCode::parse("EU-ECO").expect("code"),
        route_name_zh: "欧洲经济线".to_owned(),
        route_name_en: "Europe Economy".to_owned(),
        transport: Transport::SpecialLine,
        transit_min_days: 8,
        transit_max_days: 15,
        volumetric_divisor: 8000,
        accepts: Attributes::default(),
        max_weight_g: 2000,
        country: CountryCode::parse("DE").expect("DE"),
        min_weight_g: 50,
        step_g: 10,
        first_weight_g: 0,
        first_price: Fen::ZERO,
        step_price: Fen::ZERO,
        per_kg_price: Fen(8500),
        registration_fee: Fen(1800),
        fuel_pct: BasisPoints(0),
        battery_fee: Fen::ZERO,
        liquid_fee: Fen::ZERO,
        magnetic_fee: Fen::ZERO,
        powder_fee: Fen::ZERO,
        remote_postcodes: vec!["967".to_owned(), "BT".to_owned()],
        remote_fee: Fen(3000),
    }
}

fn first_step_row() -> RateRow {
    RateRow {
        route_code: RouteCode::parse("INTL-EXPRESS").expect("code"),
        transport: Transport::Express,
        volumetric_divisor: 5000,
        accepts: Attributes::parse_list("battery;liquid").expect("accepts"),
        max_weight_g: 30_000,
        min_weight_g: 500,
        step_g: 500,
        first_weight_g: 500,
        first_price: Fen(12000),
        step_price: Fen(4000),
        per_kg_price: Fen::ZERO,
        registration_fee: Fen::ZERO,
        fuel_pct: BasisPoints(2000),
        battery_fee: Fen(2500),
        liquid_fee: Fen(1500),
        remote_postcodes: vec![],
        remote_fee: Fen::ZERO,
        ..per_kg_row()
    }
}

fn rules() -> PricingRules {
    PricingRules {
        usd_cny: UsdCnyRate(70_000),
        signature_fee: Fen(800),
        insurance_rate: BasisPoints(100),
        insurance_min: Fen(500),
        expedited_fee: Fen(2000),
        ddp_rate: BasisPoints(1000),
        ddp_min: Fen(1500),
        volume_tiers: vec![
            VolumeTier {
                min_parcels: 100,
                discount: BasisPoints(500),
            },
            VolumeTier {
                min_parcels: 500,
                discount: BasisPoints(1000),
            },
        ],
        erp_discount: BasisPoints(300),
    }
}

fn parcel(weight_g: u32, dims: Option<(u32, u32, u32)>) -> Parcel {
    Parcel {
        country: CountryCode::parse("DE").expect("DE"),
        postcode: "10115".to_owned(),
        weight_g,
        dimensions: dims.map(|(l, w, h)| Dimensions {
            length_mm: l,
            width_mm: w,
            height_mm: h,
        }),
        attributes: Attributes::default(),
        declared: Some(UsdCents(800)),
    }
}

fn offer(row: &RateRow) -> RouteOffer<'_> {
    RouteOffer {
        code: row.route_code.clone(),
        transit_min_days: row.transit_min_days,
        transit_max_days: row.transit_max_days,
        max_longest_side_mm: Some(600),
        ddp_offered: true,
        suspended: None,
        row: Some(row),
        measured: None,
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).expect("date")
}

fn quote(parcel: &Parcel, options: &Options, row: &RateRow) -> RouteQuote {
    quote_route(parcel, options, &rules(), None, today(), &offer(row))
}

fn priced(q: &RouteQuote) -> &Priced {
    q.result.as_ref().expect("available")
}

fn line(q: &RouteQuote, kind: LineKind) -> Option<Fen> {
    priced(q)
        .lines
        .iter()
        .find(|l| l.kind == kind)
        .map(|l| l.amount)
}

#[test]
fn volumetric_weight_over_actual_is_charged_per_kg_plus_registration() {
    // 300×200×100 mm / 8000 = 750 g > 480 g; 85.00 × 0.75 + 18.00 = 81.75
    let q = quote(
        &parcel(480, Some((300, 200, 100))),
        &Options::default(),
        &per_kg_row(),
    );
    assert_eq!(priced(&q).volumetric_weight_g, 750);
    assert_eq!(priced(&q).chargeable_weight_g, 750);
    assert_eq!(line(&q, LineKind::Freight), Some(Fen(8175)));
    assert_eq!(priced(&q).total, Fen(8175));
}

#[test]
fn weight_is_rounded_up_to_the_step() {
    // 481 g → 490 g; 85.00 × 0.49 + 18.00 = 59.65
    let q = quote(&parcel(481, None), &Options::default(), &per_kg_row());
    assert_eq!(priced(&q).chargeable_weight_g, 490);
    assert_eq!(priced(&q).total, Fen(5965));
}

#[test]
fn the_minimum_weight_applies_to_tiny_parcels() {
    let q = quote(&parcel(12, None), &Options::default(), &per_kg_row());
    assert_eq!(priced(&q).chargeable_weight_g, 50);
    // 85.00 × 0.05 + 18.00 = 22.25
    assert_eq!(priced(&q).total, Fen(2225));
}

#[test]
fn per_kg_freight_rounds_half_up_to_the_fen() {
    let row = RateRow {
        per_kg_price: Fen(8555),
        ..per_kg_row()
    };
    // 85.55 × 0.49 = 41.9195 → 41.92; + 18.00
    let q = quote(&parcel(490, None), &Options::default(), &row);
    assert_eq!(priced(&q).total, Fen(5992));
}

#[test]
fn first_weight_and_steps_with_fuel_on_freight() {
    // 1200 g → 1500 g: 120.00 + ceil(1000/500) × 40.00 = 200.00; fuel 20 % = 40.00
    let q = quote(&parcel(1200, None), &Options::default(), &first_step_row());
    assert_eq!(priced(&q).chargeable_weight_g, 1500);
    assert_eq!(line(&q, LineKind::Freight), Some(Fen(20000)));
    assert_eq!(line(&q, LineKind::Fuel), Some(Fen(4000)));
    assert_eq!(priced(&q).total, Fen(24000));
}

#[test]
fn fuel_rounds_half_up() {
    let row = RateRow {
        fuel_pct: BasisPoints(1250),
        ..per_kg_row()
    };
    // freight 81.75 × 12.5 % = 10.21875 → 10.22
    let q = quote(
        &parcel(480, Some((300, 200, 100))),
        &Options::default(),
        &row,
    );
    assert_eq!(line(&q, LineKind::Fuel), Some(Fen(1022)));
    assert_eq!(priced(&q).total, Fen(9197));
}

#[test]
fn declared_attributes_add_their_surcharges() {
    let mut p = parcel(400, None);
    p.attributes = Attributes::parse_list("battery;liquid").expect("attributes");
    let q = quote(&p, &Options::default(), &first_step_row());
    assert_eq!(
        line(&q, LineKind::Surcharge(Attribute::Battery)),
        Some(Fen(2500))
    );
    assert_eq!(
        line(&q, LineKind::Surcharge(Attribute::Liquid)),
        Some(Fen(1500))
    );
    // 120.00 + 24.00 fuel + 25.00 + 15.00
    assert_eq!(priced(&q).total, Fen(18400));
}

#[test]
fn a_remote_postcode_adds_the_remote_fee_ignoring_spaces_and_case() {
    let mut p = parcel(481, None);
    p.postcode = "bt1 1aa".to_owned();
    let q = quote(&p, &Options::default(), &per_kg_row());
    assert_eq!(line(&q, LineKind::Remote), Some(Fen(3000)));
    assert_eq!(priced(&q).total, Fen(8965));
    p.postcode = "10115".to_owned();
    assert_eq!(
        line(
            &quote(&p, &Options::default(), &per_kg_row()),
            LineKind::Remote
        ),
        None
    );
}

#[test]
fn a_battery_on_a_route_that_refuses_it_is_unavailable_with_the_reason() {
    let mut p = parcel(400, None);
    p.attributes.battery = true;
    let q = quote(&p, &Options::default(), &per_kg_row());
    assert_eq!(q.result, Err(Unavailable::NotAccepted(Attribute::Battery)));
    assert_eq!(q.result.unwrap_err().english(), "does not accept battery");
}

#[test]
fn a_parcel_over_the_maximum_weight_or_length_is_unavailable() {
    let q = quote(&parcel(2001, None), &Options::default(), &per_kg_row());
    assert_eq!(q.result, Err(Unavailable::OverWeight { max_g: 2000 }));
    let q = quote(
        &parcel(500, Some((700, 100, 100))),
        &Options::default(),
        &per_kg_row(),
    );
    assert_eq!(q.result, Err(Unavailable::OverLength { max_mm: 600 }));
}

#[test]
fn a_route_without_a_row_for_the_country_is_unavailable() {
    let row = per_kg_row();
    let mut o = offer(&row);
    o.row = None;
    let q = quote_route(
        &parcel(500, None),
        &Options::default(),
        &rules(),
        None,
        today(),
        &o,
    );
    assert_eq!(
        q.result,
        Err(Unavailable::NoRate {
            country: "DE".to_owned()
        })
    );
}

#[test]
fn a_suspended_route_shows_its_notice() {
    let row = per_kg_row();
    let mut o = offer(&row);
    o.suspended = Some("Customs strike".to_owned());
    let q = quote_route(
        &parcel(500, None),
        &Options::default(),
        &rules(),
        None,
        today(),
        &o,
    );
    assert_eq!(
        q.result.map(|_| ()).unwrap_err().english(),
        "route suspended: Customs strike"
    );
}

#[test]
fn services_and_ddp_are_their_own_lines_with_minimums() {
    let options = Options {
        signature: true,
        insurance: true,
        expedited: true,
        ddp: true,
        ..Options::default()
    };
    let q = quote(&parcel(481, None), &options, &per_kg_row());
    // declared USD 8.00 × 7.0000 = 56.00 CNY; insurance 1 % = 0.56 → minimum 5.00; DDP 10 % = 5.60 → 15.00
    assert_eq!(line(&q, LineKind::Signature), Some(Fen(800)));
    assert_eq!(line(&q, LineKind::Insurance), Some(Fen(500)));
    assert_eq!(line(&q, LineKind::Expedited), Some(Fen(2000)));
    assert_eq!(line(&q, LineKind::Ddp), Some(Fen(1500)));
    assert_eq!(priced(&q).total, Fen(5965 + 800 + 500 + 2000 + 1500));
}

#[test]
fn ddp_on_a_route_without_it_is_unavailable() {
    let row = per_kg_row();
    let mut o = offer(&row);
    o.ddp_offered = false;
    let options = Options {
        ddp: true,
        ..Options::default()
    };
    let q = quote_route(&parcel(500, None), &options, &rules(), None, today(), &o);
    assert_eq!(q.result, Err(Unavailable::DdpNotOffered));
}

#[test]
fn discounts_apply_to_carriage_as_separate_negative_lines() {
    let options = Options {
        parcels_this_month: 120,
        erp_origin: true,
        signature: true,
        ..Options::default()
    };
    let promotion = Promotion {
        code: "WELCOME".to_owned(),
        discount: PromotionDiscount::Fixed(Fen(1000)),
        valid_from: today(),
        valid_until: today(),
        routes: vec![],
    };
    let row = per_kg_row();
    let q = quote_route(
        &parcel(481, None),
        &options,
        &rules(),
        Some(&promotion),
        today(),
        &offer(&row),
    );
    // carriage 59.65: tier 5 % = 2.98 (2.9825), ERP 3 % = 1.79 (1.7895), promotion 10.00
    assert_eq!(line(&q, LineKind::VolumeDiscount), Some(Fen(-298)));
    assert_eq!(line(&q, LineKind::ErpDiscount), Some(Fen(-179)));
    assert_eq!(line(&q, LineKind::Promotion), Some(Fen(-1000)));
    assert_eq!(priced(&q).total, Fen(5965 + 800 - 298 - 179 - 1000));
}

#[test]
fn the_highest_volume_tier_reached_applies() {
    let options = Options {
        parcels_this_month: 800,
        ..Options::default()
    };
    let q = quote(&parcel(481, None), &options, &per_kg_row());
    assert_eq!(line(&q, LineKind::VolumeDiscount), Some(Fen(-597))); // 10 % of 59.65
}

#[test]
fn an_expired_or_foreign_promotion_gives_nothing() {
    let row = per_kg_row();
    let expired = Promotion {
        code: "OLD".to_owned(),
        discount: PromotionDiscount::Percent(BasisPoints(5000)),
        valid_from: NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
        valid_until: NaiveDate::from_ymd_opt(2026, 1, 31).expect("date"),
        routes: vec![],
    };
    let q = quote_route(
        &parcel(481, None),
        &Options::default(),
        &rules(),
        Some(&expired),
        today(),
        &offer(&row),
    );
    assert_eq!(line(&q, LineKind::Promotion), None);
    let elsewhere = Promotion {
        valid_until: today(),
        routes: vec![RouteCode::parse("US-BATT").expect("code")],
        ..expired
    };
    let q = quote_route(
        &parcel(481, None),
        &Options::default(),
        &rules(),
        Some(&elsewhere),
        today(),
        &offer(&row),
    );
    assert_eq!(line(&q, LineKind::Promotion), None);
}

#[test]
fn a_fixed_promotion_never_makes_carriage_negative() {
    let row = per_kg_row();
    let big = Promotion {
        code: "BIG".to_owned(),
        discount: PromotionDiscount::Fixed(Fen(1_000_000)),
        valid_from: today(),
        valid_until: today(),
        routes: vec![],
    };
    let q = quote_route(
        &parcel(481, None),
        &Options::default(),
        &rules(),
        Some(&big),
        today(),
        &offer(&row),
    );
    assert_eq!(priced(&q).total, Fen::ZERO);
}

#[test]
fn the_measured_estimate_needs_twenty_deliveries() {
    let row = per_kg_row();
    let mut o = offer(&row);
    o.measured = Some(MeasuredTransit {
        median_days: 9,
        p90_days: 13,
        deliveries: 19,
    });
    let nominal = quote_route(
        &parcel(481, None),
        &Options::default(),
        &rules(),
        None,
        today(),
        &o,
    )
    .transit;
    assert_eq!(
        (nominal.min_days, nominal.max_days, nominal.source),
        (8, 15, TransitSource::Nominal)
    );
    o.measured = Some(MeasuredTransit {
        median_days: 9,
        p90_days: 13,
        deliveries: 20,
    });
    let measured = quote_route(
        &parcel(481, None),
        &Options::default(),
        &rules(),
        None,
        today(),
        &o,
    )
    .transit;
    assert_eq!(
        (measured.min_days, measured.max_days, measured.source),
        (9, 13, TransitSource::Measured)
    );
}

#[test]
fn the_list_puts_available_routes_first_cheapest_first() {
    let cheap = per_kg_row();
    let dear = first_step_row();
    let mut p = parcel(481, None);
    let offers = [offer(&dear), offer(&cheap)];
    let quotes = quote_all(
        &p,
        &Options::default(),
        &rules(),
        None,
        today(),
        &offers,
        SortBy::Price,
    );
    assert_eq!(quotes[0].route.as_str(), "EU-ECO");
    p.attributes.battery = true;
    let quotes = quote_all(
        &p,
        &Options::default(),
        &rules(),
        None,
        today(),
        &offers,
        SortBy::Price,
    );
    assert_eq!(quotes[0].route.as_str(), "INTL-EXPRESS");
    assert!(!quotes[1].is_available());
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn any_row() -> impl Strategy<Value = RateRow> {
        (
            prop_oneof![Just(0u32), Just(5000u32), Just(6000u32), Just(8000u32)],
            0u32..2000,
            prop_oneof![Just(1u32), Just(10u32), Just(100u32), Just(500u32)],
            prop_oneof![Just(0u32), Just(100u32), Just(500u32)],
            0i64..50_000,
            0i64..20_000,
            0i64..3000,
        )
            .prop_map(
                |(divisor, min_weight_g, step_g, first_weight_g, price, fee, fuel)| RateRow {
                    volumetric_divisor: divisor,
                    min_weight_g,
                    step_g,
                    first_weight_g,
                    first_price: Fen(price),
                    step_price: Fen(fee),
                    per_kg_price: Fen(price),
                    registration_fee: Fen(fee),
                    fuel_pct: BasisPoints(fuel),
                    max_weight_g: 100_000,
                    ..per_kg_row()
                },
            )
    }

    fn any_dims() -> impl Strategy<Value = Option<(u32, u32, u32)>> {
        proptest::option::of((1u32..600, 1u32..600, 1u32..600))
    }

    proptest! {
        #[test]
        fn chargeable_weight_is_never_below_actual_weight(row in any_row(), weight in 1u32..100_000, dims in any_dims()) {
            let q = quote(&parcel(weight, dims), &Options::default(), &row);
            prop_assert!(priced(&q).chargeable_weight_g >= weight);
        }

        #[test]
        fn total_is_never_below_freight(row in any_row(), weight in 1u32..100_000, dims in any_dims(),
                                        signature in any::<bool>(), insurance in any::<bool>(), ddp in any::<bool>()) {
            let options = Options { signature, insurance, ddp, ..Options::default() };
            let q = quote(&parcel(weight, dims), &options, &row);
            let freight = line(&q, LineKind::Freight).unwrap_or_default();
            prop_assert!(priced(&q).total >= freight);
        }

        #[test]
        fn a_heavier_parcel_is_never_cheaper_on_the_same_row(row in any_row(), weight in 1u32..99_000, extra in 0u32..1000,
                                                             dims in any_dims(), tier in 0u32..1000) {
            let options = Options { parcels_this_month: tier, erp_origin: true, ..Options::default() };
            let light = quote(&parcel(weight, dims), &options, &row);
            let heavy = quote(&parcel(weight + extra, dims), &options, &row);
            prop_assert!(priced(&heavy).total >= priced(&light).total);
        }
    }
}
