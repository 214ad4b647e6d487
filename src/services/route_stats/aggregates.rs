//! The board's aggregates in memory: the one place that knows how a review
//! or an order's facts add into them and how the derived values (the capped
//! weights, medians and p90) follow. The incremental path loads the rows a
//! change touches into an [`Aggregates`], applies the change and writes them
//! back; the rebuild fills one from every raw row.

use super::ReviewFacts;
use crate::db::route_stats::{
    ALL, OrderFacts, RouteCompanyWeight, RouteFacts, RouteHistogram, RouteMonth, RouteStats,
};
use crate::domain::facts::percentile;
use crate::domain::rating::{self, Sums};
use std::collections::{BTreeMap, HashMap};

/// (route code, country): `ALL` stands for every route or every destination.
pub type Scope = (String, String);
/// (scope, kind, month, value) of one histogram bar.
pub type Bar = (Scope, &'static str, String, i64);

pub const TRANSIT_DAYS: &str = "transit_days";
pub const SILENCE_HOURS: &str = "silence_hours";
pub const RESPONSE_MINUTES: &str = "response_minutes";

/// The kind names as stored, for reading rows back.
pub fn kind_name(kind: &str) -> Option<&'static str> {
    [TRANSIT_DAYS, SILENCE_HOURS, RESPONSE_MINUTES]
        .into_iter()
        .find(|known| *known == kind)
}

/// A company's reviews of a route in one scope.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CompanyWeight {
    pub reviews: i64,
    pub weight: f64,
    pub weighted_score: f64,
}

/// The two biggest maps (a row per route × company, and per histogram bar:
/// hundreds of thousands at a million reviews) are hashed: the rebuild adds
/// every review and order into them, and a B-tree's string comparisons were
/// half its time. What needs an order sorts ([`Aggregates::finish`]).
#[derive(Clone, Debug, Default)]
pub struct Aggregates {
    pub stats: BTreeMap<Scope, RouteStats>,
    pub facts: BTreeMap<Scope, RouteFacts>,
    pub companies: HashMap<(Scope, i64), CompanyWeight>,
    pub histograms: HashMap<Bar, i64>,
    /// (route, month) → (reviews, Σ overall).
    pub months: BTreeMap<(String, String), (i64, i64)>,
}

fn scope(route: &str, country: &str) -> Scope {
    (route.to_owned(), country.to_owned())
}

/// The rows a review counts in: its route over all destinations and for its
/// destination, and the board the same two ways.
pub fn review_scopes(review: &ReviewFacts) -> [Scope; 4] {
    [
        scope(ALL, ALL),
        scope(ALL, &review.country),
        scope(&review.route_code, ALL),
        scope(&review.route_code, &review.country),
    ]
}

/// The rows an order's facts count in: its route over all destinations and
/// for its destination.
pub fn route_scopes(route: &str, country: &str) -> [Scope; 2] {
    [scope(route, ALL), scope(route, country)]
}

impl Aggregates {
    /// Adds (`sign` = 1) or takes away (−1) one visible review.
    pub fn add_review(&mut self, review: &ReviewFacts, sign: i64) {
        let [overall, timeliness, service, customs, tracking, packaging] = review.scores;
        let w = sign as f64 * review.weight;
        for key in review_scopes(review) {
            let row = self
                .stats
                .entry(key.clone())
                .or_insert_with(|| RouteStats::empty(&key.0, &key.1));
            row.reviews += sign;
            match overall {
                1 => row.stars_1 += sign,
                2 => row.stars_2 += sign,
                3 => row.stars_3 += sign,
                4 => row.stars_4 += sign,
                _ => row.stars_5 += sign,
            }
            row.sum_overall += sign * overall;
            row.sum_timeliness += sign * timeliness;
            row.sum_service += sign * service;
            row.sum_customs += sign * customs;
            row.sum_tracking += sign * tracking;
            row.sum_packaging += sign * packaging;
            row.weight += w;
            row.weighted_score += w * overall as f64;
        }
        for key in route_scopes(&review.route_code, &review.country) {
            let company = self.companies.entry((key, review.company_id)).or_default();
            company.reviews += sign;
            company.weight += w;
            company.weighted_score += w * overall as f64;
        }
        let month = self
            .months
            .entry((review.route_code.clone(), review.month.clone()))
            .or_default();
        month.0 += sign;
        month.1 += sign * overall;
    }

    /// Adds (`sign` = 1) or takes away (−1) one finished order's facts.
    pub fn add_order(&mut self, order: &OrderFacts, sign: i64) {
        let count = |yes: bool| if yes { sign } else { 0 };
        for key in route_scopes(&order.route_code, &order.country) {
            let row = self
                .facts
                .entry(key.clone())
                .or_insert_with(|| RouteFacts::empty(&key.0, &key.1));
            row.finished += sign;
            row.delivered += count(order.outcome == "delivered");
            row.on_time += count(order.on_time);
            row.customs_held += count(order.customs_held);
            row.customs_cleared += count(order.customs_cleared);
            row.exceptions += count(order.had_exception);
            if let Some(condition) = order.parcel_condition {
                row.conditions += sign;
                row.sum_condition += sign * condition;
            }
            if let Some(accurate) = order.quote_accurate {
                row.reweighed += sign;
                row.quote_accurate += count(accurate);
            }
            row.responses += count(order.first_response_minutes.is_some());
            let mut bar = |kind, value| {
                *self
                    .histograms
                    .entry((key.clone(), kind, String::new(), value))
                    .or_default() += sign;
            };
            if let Some(days) = order.transit_days {
                bar(TRANSIT_DAYS, days);
            }
            bar(SILENCE_HOURS, order.longest_silence_hours);
            if let Some(minutes) = order.first_response_minutes {
                bar(RESPONSE_MINUTES, minutes);
            }
        }
        if let Some(days) = order.transit_days {
            *self
                .histograms
                .entry((
                    scope(&order.route_code, ALL),
                    TRANSIT_DAYS,
                    order.month.clone(),
                    days,
                ))
                .or_default() += sign;
        }
    }

    /// Recomputes what derives from the sums: each route row's capped
    /// weights and each facts row's medians. Rounding residue of weights
    /// taken away is cleared where nothing is left.
    pub fn finish(&mut self) {
        self.companies.retain(|_, company| company.reviews != 0);
        // By company id within a scope, so the cap adds in a fixed order.
        let mut by_scope: HashMap<&Scope, Vec<(i64, Sums)>> = HashMap::new();
        for ((key, company_id), company) in &self.companies {
            by_scope.entry(key).or_default().push((
                *company_id,
                Sums {
                    weight: company.weight,
                    weighted_score: company.weighted_score,
                },
            ));
        }
        for (key, row) in self.stats.iter_mut() {
            if row.reviews == 0 {
                row.weight = 0.0;
                row.weighted_score = 0.0;
            }
            let capped = match by_scope.get_mut(key) {
                Some(companies) if key.0 != ALL => {
                    companies.sort_unstable_by_key(|(id, _)| *id);
                    let sums: Vec<Sums> = companies.iter().map(|(_, sums)| *sums).collect();
                    rating::cap(&sums)
                }
                _ => rating::Capped::default(),
            };
            row.capped_weight = capped.reviews.weight;
            row.capped_weighted_score = capped.reviews.weighted_score;
            row.filler_weight = capped.filler_weight;
        }
        self.histograms.retain(|_, count| *count != 0);
        // Each scope's all-time bars by kind, in ascending value order.
        let mut bars: HashMap<(&Scope, &str), Vec<(i64, i64)>> = HashMap::new();
        for ((key, kind, month, value), count) in &self.histograms {
            if month.is_empty() {
                bars.entry((key, *kind)).or_default().push((*value, *count));
            }
        }
        bars.values_mut().for_each(|bars| bars.sort_unstable());
        for (key, row) in self.facts.iter_mut() {
            let of = |kind: &'static str| bars.get(&(key, kind)).map_or(&[][..], Vec::as_slice);
            let transit = of(TRANSIT_DAYS);
            row.transit_median = percentile(transit, 0.5);
            row.transit_p90 = percentile(transit, 0.9);
            row.silence_median_hours = percentile(of(SILENCE_HOURS), 0.5);
            row.response_median_minutes = percentile(of(RESPONSE_MINUTES), 0.5);
        }
        self.months.retain(|_, (reviews, _)| *reviews != 0);
    }

    pub fn company_rows(&self) -> impl Iterator<Item = RouteCompanyWeight> + '_ {
        self.companies
            .iter()
            .map(|((key, company_id), c)| RouteCompanyWeight {
                route_code: key.0.clone(),
                country: key.1.clone(),
                company_id: *company_id,
                reviews: c.reviews,
                weight: c.weight,
                weighted_score: c.weighted_score,
            })
    }

    pub fn histogram_rows(&self) -> impl Iterator<Item = RouteHistogram> + '_ {
        self.histograms
            .iter()
            .map(|((key, kind, month, value), count)| RouteHistogram {
                route_code: key.0.clone(),
                country: key.1.clone(),
                kind: (*kind).to_owned(),
                month: month.clone(),
                value: *value,
                count: *count,
            })
    }

    pub fn month_rows(&self) -> impl Iterator<Item = RouteMonth> + '_ {
        self.months
            .iter()
            .map(|((route, month), (reviews, sum))| RouteMonth {
                route_code: route.clone(),
                month: month.clone(),
                reviews: *reviews,
                sum_overall: *sum,
            })
    }

    /// Loads stored rows into the maps (the inverse of the `*_rows` above).
    pub fn put_company(&mut self, row: RouteCompanyWeight) {
        self.companies.insert(
            ((row.route_code, row.country), row.company_id),
            CompanyWeight {
                reviews: row.reviews,
                weight: row.weight,
                weighted_score: row.weighted_score,
            },
        );
    }

    pub fn put_histogram(&mut self, row: RouteHistogram) {
        if let Some(kind) = kind_name(&row.kind) {
            self.histograms.insert(
                ((row.route_code, row.country), kind, row.month, row.value),
                row.count,
            );
        }
    }

    pub fn put_month(&mut self, row: RouteMonth) {
        self.months
            .insert((row.route_code, row.month), (row.reviews, row.sum_overall));
    }
}
