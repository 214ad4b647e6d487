//! The quote engine (DESIGN.md §4, issue #3): pure functions from a parcel,
//! the routes with their rate rows, and the admin's pricing rules to a list
//! of priced (or unavailable, with the reason) routes. Money is integer fen;
//! every amount is rounded half-up to the fen where it is computed.

use super::country::CountryCode;
use super::money::{BasisPoints, Fen, UsdCents, UsdCnyRate};
use super::rate_sheet::RateRow;
use super::route::{Attribute, Attributes, RouteCode};
use chrono::NaiveDate;

/// Outer dimensions in millimetres.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dimensions {
    pub length_mm: u32,
    pub width_mm: u32,
    pub height_mm: u32,
}

impl Dimensions {
    pub fn longest_side_mm(&self) -> u32 {
        self.length_mm.max(self.width_mm).max(self.height_mm)
    }

    fn volume_mm3(&self) -> u64 {
        u64::from(self.length_mm) * u64::from(self.width_mm) * u64::from(self.height_mm)
    }
}

/// The parcel to quote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parcel {
    pub country: CountryCode,
    pub postcode: String,
    /// Actual weight, above zero.
    pub weight_g: u32,
    pub dimensions: Option<Dimensions>,
    pub attributes: Attributes,
    pub declared: Option<UsdCents>,
}

/// What the seller asks for beyond carriage, and what earns a discount.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    pub signature: bool,
    pub insurance: bool,
    pub expedited: bool,
    pub ddp: bool,
    /// Parcels the company sent this month (before this one), for volume tiers.
    pub parcels_this_month: u32,
    pub erp_origin: bool,
}

/// A promotion code an admin configured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Promotion {
    pub code: String,
    pub discount: PromotionDiscount,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    /// Routes it applies to; empty means every route.
    pub routes: Vec<RouteCode>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromotionDiscount {
    Fixed(Fen),
    Percent(BasisPoints),
}

impl Promotion {
    pub fn applies(&self, route: &RouteCode, today: NaiveDate) -> bool {
        (self.valid_from..=self.valid_until).contains(&today)
            && (self.routes.is_empty() || self.routes.contains(route))
    }
}

/// Discount for companies that send many parcels a month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VolumeTier {
    /// Parcels this month at or above which the tier applies.
    pub min_parcels: u32,
    pub discount: BasisPoints,
}

/// Prices of services, DDP and discounts, set by the admin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PricingRules {
    pub usd_cny: UsdCnyRate,
    pub signature_fee: Fen,
    pub insurance_rate: BasisPoints,
    pub insurance_min: Fen,
    pub expedited_fee: Fen,
    pub ddp_rate: BasisPoints,
    pub ddp_min: Fen,
    pub volume_tiers: Vec<VolumeTier>,
    pub erp_discount: BasisPoints,
}

/// Measured delivery times of a route to a country (filled by the review board).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MeasuredTransit {
    pub median_days: u32,
    pub p90_days: u32,
    pub deliveries: u32,
}

/// Deliveries needed before the measured estimate replaces the nominal one.
pub const MIN_MEASURED_DELIVERIES: u32 = 20;

/// A route as the engine sees it: its terms and, if it serves the country, its row.
#[derive(Clone, Debug)]
pub struct RouteOffer<'a> {
    pub code: RouteCode,
    pub transit_min_days: u32,
    pub transit_max_days: u32,
    pub max_longest_side_mm: Option<u32>,
    pub ddp_offered: bool,
    /// The public notice of a suspended route.
    pub suspended: Option<String>,
    /// The rate row for the parcel's country, if the route serves it.
    pub row: Option<&'a RateRow>,
    pub measured: Option<MeasuredTransit>,
}

/// Where a transit estimate comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransitSource {
    Nominal,
    Measured,
}

impl TransitSource {
    pub fn as_str(self) -> &'static str {
        match self {
            TransitSource::Nominal => "nominal",
            TransitSource::Measured => "measured",
        }
    }
}

/// Transit days: the route's nominal range, or median–p90 of real deliveries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transit {
    pub min_days: u32,
    pub max_days: u32,
    pub source: TransitSource,
}

/// Why a route cannot take the parcel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unavailable {
    Suspended { notice: String },
    NoRate { country: String },
    NotAccepted(Attribute),
    OverWeight { max_g: u32 },
    OverLength { max_mm: u32 },
    DdpNotOffered,
}

impl Unavailable {
    /// The catalogue key of the reason (`quote.unavailable.*`); see [`Unavailable::detail`].
    pub fn message_key(&self) -> &'static str {
        match self {
            Unavailable::Suspended { .. } => "quote.unavailable.suspended",
            Unavailable::NoRate { .. } => "quote.unavailable.no_rate",
            Unavailable::NotAccepted(_) => "quote.unavailable.not_accepted",
            Unavailable::OverWeight { .. } => "quote.unavailable.over_weight",
            Unavailable::OverLength { .. } => "quote.unavailable.over_length",
            Unavailable::DdpNotOffered => "quote.unavailable.no_ddp",
        }
    }

    /// The value the message names: a notice, a country, an attribute, a limit.
    pub fn detail(&self) -> String {
        match self {
            Unavailable::Suspended { notice } => notice.clone(),
            Unavailable::NoRate { country } => country.clone(),
            Unavailable::NotAccepted(attribute) => attribute.as_str().to_owned(),
            Unavailable::OverWeight { max_g } => format!("{max_g} g"),
            Unavailable::OverLength { max_mm } => format!("{} cm", max_mm / 10),
            Unavailable::DdpNotOffered => String::new(),
        }
    }

    /// The reason in plain English, for the CLI and the API.
    pub fn english(&self) -> String {
        match self {
            Unavailable::Suspended { notice } => format!("route suspended: {notice}"),
            Unavailable::NoRate { country } => format!("no rate for {country}"),
            Unavailable::NotAccepted(attribute) => format!("does not accept {attribute}"),
            Unavailable::OverWeight { max_g } => format!("over the maximum weight of {max_g} g"),
            Unavailable::OverLength { max_mm } => {
                format!("longest side over the maximum of {} cm", max_mm / 10)
            }
            Unavailable::DdpNotOffered => "DDP not offered".to_owned(),
        }
    }
}

/// The kind of a quote line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LineKind {
    Freight,
    Fuel,
    Surcharge(Attribute),
    Remote,
    Signature,
    Insurance,
    Expedited,
    Ddp,
    VolumeDiscount,
    ErpDiscount,
    Promotion,
}

impl LineKind {
    /// The name in JSON and in message keys (`quote.line.*`).
    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Freight => "freight",
            LineKind::Fuel => "fuel",
            LineKind::Surcharge(attribute) => attribute.as_str(),
            LineKind::Remote => "remote",
            LineKind::Signature => "signature",
            LineKind::Insurance => "insurance",
            LineKind::Expedited => "expedited",
            LineKind::Ddp => "ddp",
            LineKind::VolumeDiscount => "volume_discount",
            LineKind::ErpDiscount => "erp_discount",
            LineKind::Promotion => "promotion",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuoteLine {
    pub kind: LineKind,
    pub amount: Fen,
}

/// A priced route.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Priced {
    pub chargeable_weight_g: u32,
    pub volumetric_weight_g: u32,
    pub lines: Vec<QuoteLine>,
    pub total: Fen,
}

/// The answer for one route.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteQuote {
    pub route: RouteCode,
    pub transit: Transit,
    pub result: Result<Priced, Unavailable>,
}

impl RouteQuote {
    pub fn is_available(&self) -> bool {
        self.result.is_ok()
    }

    pub fn total(&self) -> Option<Fen> {
        self.result.as_ref().ok().map(|p| p.total)
    }
}

/// `ceil(a / b)` for b > 0.
fn div_ceil(a: u64, b: u64) -> u64 {
    a.div_ceil(b)
}

/// Volumetric weight in grams: mm³ / divisor (cm³ per kg) is grams.
pub fn volumetric_weight_g(dimensions: Option<Dimensions>, divisor: u32) -> u32 {
    match dimensions {
        Some(d) if divisor > 0 => {
            u32::try_from(div_ceil(d.volume_mm3(), u64::from(divisor))).unwrap_or(u32::MAX)
        }
        _ => 0,
    }
}

/// The weight charged: the largest of actual, volumetric and the row's
/// minimum, rounded up to the row's step.
pub fn chargeable_weight_g(actual_g: u32, volumetric_g: u32, row: &RateRow) -> u32 {
    let heaviest = u64::from(actual_g.max(volumetric_g).max(row.min_weight_g));
    let step = u64::from(row.step_g.max(1));
    u32::try_from(div_ceil(heaviest, step) * step).unwrap_or(u32::MAX)
}

/// Freight for a chargeable weight on a row.
pub fn freight(weight_g: u32, row: &RateRow) -> Fen {
    if row.first_weight_g > 0 {
        let extra = u64::from(weight_g.saturating_sub(row.first_weight_g));
        let steps = div_ceil(extra, u64::from(row.step_g.max(1)));
        row.first_price + row.step_price.times(steps as i64)
    } else {
        row.per_kg_price.per_kg(i64::from(weight_g)) + row.registration_fee
    }
}

fn normalised_postcode(postcode: &str) -> String {
    postcode
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase()
}

/// Whether the postcode falls in one of the row's remote-area prefixes.
pub fn is_remote(postcode: &str, row: &RateRow) -> bool {
    let postcode = normalised_postcode(postcode);
    !postcode.is_empty()
        && row
            .remote_postcodes
            .iter()
            .any(|prefix| postcode.starts_with(prefix.as_str()))
}

fn transit_of(offer: &RouteOffer) -> Transit {
    match offer.measured {
        Some(m) if m.deliveries >= MIN_MEASURED_DELIVERIES => Transit {
            min_days: m.median_days,
            max_days: m.p90_days,
            source: TransitSource::Measured,
        },
        _ => Transit {
            min_days: offer.transit_min_days,
            max_days: offer.transit_max_days,
            source: TransitSource::Nominal,
        },
    }
}

/// Why the route cannot take the parcel, checked in the order a seller would fix them.
fn eligibility(parcel: &Parcel, options: &Options, offer: &RouteOffer) -> Result<(), Unavailable> {
    if let Some(notice) = &offer.suspended {
        return Err(Unavailable::Suspended {
            notice: notice.clone(),
        });
    }
    let Some(row) = offer.row else {
        return Err(Unavailable::NoRate {
            country: parcel.country.as_str().to_owned(),
        });
    };
    if let Some(attribute) = parcel.attributes.iter().find(|a| !row.accepts.contains(*a)) {
        return Err(Unavailable::NotAccepted(attribute));
    }
    if parcel.weight_g > row.max_weight_g {
        return Err(Unavailable::OverWeight {
            max_g: row.max_weight_g,
        });
    }
    if let (Some(max_mm), Some(dimensions)) = (offer.max_longest_side_mm, parcel.dimensions)
        && dimensions.longest_side_mm() > max_mm
    {
        return Err(Unavailable::OverLength { max_mm });
    }
    if options.ddp && !offer.ddp_offered {
        return Err(Unavailable::DdpNotOffered);
    }
    Ok(())
}

fn surcharge(attribute: Attribute, row: &RateRow) -> Fen {
    match attribute {
        Attribute::Battery => row.battery_fee,
        Attribute::Liquid => row.liquid_fee,
        Attribute::Magnetic => row.magnetic_fee,
        Attribute::Powder => row.powder_fee,
    }
}

/// Quotes one route.
pub fn quote_route(
    parcel: &Parcel,
    options: &Options,
    rules: &PricingRules,
    promotion: Option<&Promotion>,
    today: NaiveDate,
    offer: &RouteOffer,
) -> RouteQuote {
    let transit = transit_of(offer);
    let result = eligibility(parcel, options, offer).and_then(|()| {
        let row = offer.row.ok_or(Unavailable::NoRate {
            country: parcel.country.as_str().to_owned(),
        })?;
        Ok(price(
            parcel,
            options,
            rules,
            promotion,
            today,
            &offer.code,
            row,
        ))
    });
    RouteQuote {
        route: offer.code.clone(),
        transit,
        result,
    }
}

fn price(
    parcel: &Parcel,
    options: &Options,
    rules: &PricingRules,
    promotion: Option<&Promotion>,
    today: NaiveDate,
    route: &RouteCode,
    row: &RateRow,
) -> Priced {
    let volumetric = volumetric_weight_g(parcel.dimensions, row.volumetric_divisor);
    let weight = chargeable_weight_g(parcel.weight_g, volumetric, row);
    let mut lines = Vec::new();
    let mut add = |kind, amount: Fen| {
        if amount != Fen::ZERO {
            lines.push(QuoteLine { kind, amount });
        }
    };

    // Carriage: freight, fuel on freight, surcharges.
    let freight = freight(weight, row);
    add(LineKind::Freight, freight);
    let fuel = freight.percent(row.fuel_pct);
    add(LineKind::Fuel, fuel);
    let mut carriage = freight + fuel;
    for attribute in parcel.attributes.iter() {
        let fee = surcharge(attribute, row);
        add(LineKind::Surcharge(attribute), fee);
        carriage += fee;
    }
    if is_remote(&parcel.postcode, row) {
        add(LineKind::Remote, row.remote_fee);
        carriage += row.remote_fee;
    }

    // Services and DDP, priced on the declared value in CNY.
    let declared = parcel.declared.unwrap_or_default().to_cny(rules.usd_cny);
    if options.signature {
        add(LineKind::Signature, rules.signature_fee);
    }
    if options.insurance {
        add(
            LineKind::Insurance,
            declared
                .percent(rules.insurance_rate)
                .max(rules.insurance_min),
        );
    }
    if options.expedited {
        add(LineKind::Expedited, rules.expedited_fee);
    }
    if options.ddp {
        add(
            LineKind::Ddp,
            declared.percent(rules.ddp_rate).max(rules.ddp_min),
        );
    }

    // Discounts, each on the carriage and together never more than it.
    let mut discounts = Vec::new();
    let tier = rules
        .volume_tiers
        .iter()
        .filter(|t| options.parcels_this_month >= t.min_parcels)
        .max_by_key(|t| t.min_parcels);
    if let Some(tier) = tier {
        discounts.push((LineKind::VolumeDiscount, carriage.percent(tier.discount)));
    }
    if options.erp_origin {
        discounts.push((LineKind::ErpDiscount, carriage.percent(rules.erp_discount)));
    }
    if let Some(promotion) = promotion.filter(|p| p.applies(route, today)) {
        let amount = match promotion.discount {
            PromotionDiscount::Fixed(amount) => amount,
            PromotionDiscount::Percent(rate) => carriage.percent(rate),
        };
        discounts.push((LineKind::Promotion, amount));
    }
    let mut left = carriage;
    for (kind, amount) in discounts {
        let amount = amount.min(left).max(Fen::ZERO);
        left = left - amount;
        add(kind, -amount);
    }

    let total = lines.iter().map(|l| l.amount).sum();
    Priced {
        chargeable_weight_g: weight,
        volumetric_weight_g: volumetric,
        lines,
        total,
    }
}

/// How a list of quotes is ordered; unavailable routes always come last.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortBy {
    #[default]
    Price,
    Speed,
}

/// Quotes every route; available ones first, cheapest (or fastest) first.
pub fn quote_all(
    parcel: &Parcel,
    options: &Options,
    rules: &PricingRules,
    promotion: Option<&Promotion>,
    today: NaiveDate,
    offers: &[RouteOffer],
    sort: SortBy,
) -> Vec<RouteQuote> {
    let mut quotes: Vec<RouteQuote> = offers
        .iter()
        .map(|offer| quote_route(parcel, options, rules, promotion, today, offer))
        .collect();
    quotes.sort_by_key(|q| {
        let total = q.total().map_or(i64::MAX, |t| t.0);
        let (max_days, min_days) = (i64::from(q.transit.max_days), i64::from(q.transit.min_days));
        let order = match sort {
            SortBy::Price => (total, max_days, min_days),
            SortBy::Speed => (max_days, min_days, total),
        };
        (!q.is_available(), order, q.route.clone())
    });
    quotes
}

#[cfg(test)]
mod tests {
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
}
