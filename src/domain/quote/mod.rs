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

mod basis;
#[cfg(test)]
mod tests;

pub use basis::QuoteBasis;
