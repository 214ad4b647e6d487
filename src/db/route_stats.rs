//! Rows of the board's aggregates (issue #12). Written only by
//! `services::route_stats`; read by the board pages.

use super::schema::{
    order_facts, route_company_weights, route_facts, route_histograms, route_months, route_stats,
};
use crate::domain::rating::{self, Capped, Sums};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// The scope of a `route_stats` row: `''` stands for "every route" (the
/// board) or "every destination"; this is the one place that knows it.
pub const ALL: &str = "";

/// One route's (or the board's) review aggregates over all destinations or one.
#[derive(
    Queryable,
    Selectable,
    Insertable,
    AsChangeset,
    Clone,
    Debug,
    Default,
    PartialEq,
    serde::Serialize,
)]
#[diesel(table_name = route_stats)]
#[diesel(treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct RouteStats {
    pub route_code: String,
    pub country: String,
    pub reviews: i64,
    pub stars_1: i64,
    pub stars_2: i64,
    pub stars_3: i64,
    pub stars_4: i64,
    pub stars_5: i64,
    pub sum_overall: i64,
    pub sum_timeliness: i64,
    pub sum_service: i64,
    pub sum_customs: i64,
    pub sum_tracking: i64,
    pub sum_packaging: i64,
    pub weight: f64,
    pub weighted_score: f64,
    pub capped_weight: f64,
    pub capped_weighted_score: f64,
    pub filler_weight: f64,
}

impl RouteStats {
    pub fn empty(route_code: &str, country: &str) -> RouteStats {
        RouteStats {
            route_code: route_code.to_owned(),
            country: country.to_owned(),
            ..RouteStats::default()
        }
    }

    /// The weighted mean of every visible review (the board row's is the prior C).
    pub fn mean(&self) -> Option<f64> {
        Sums {
            weight: self.weight,
            weighted_score: self.weighted_score,
        }
        .mean()
    }

    /// The route's Bayesian rating as of `now` against the board mean
    /// `board_mean` (DESIGN.md §6, `domain::rating`).
    pub fn rating(&self, board_mean: f64, now: NaiveDateTime) -> f64 {
        rating::rating(
            Capped {
                reviews: Sums {
                    weight: self.capped_weight,
                    weighted_score: self.capped_weighted_score,
                },
                filler_weight: self.filler_weight,
                level: 0.0,
            },
            board_mean,
            now,
        )
    }

    /// The average of one score column over the visible reviews.
    pub fn average(sum: i64, reviews: i64) -> Option<f64> {
        (reviews > 0).then(|| sum as f64 / reviews as f64)
    }

    /// The star histogram, 1 to 5 stars.
    pub fn stars(&self) -> [i64; 5] {
        [
            self.stars_1,
            self.stars_2,
            self.stars_3,
            self.stars_4,
            self.stars_5,
        ]
    }
}

/// One route's (or the board's) measured facts over all destinations or one.
#[derive(
    Queryable,
    Selectable,
    Insertable,
    AsChangeset,
    Clone,
    Debug,
    Default,
    PartialEq,
    serde::Serialize,
)]
#[diesel(table_name = route_facts)]
#[diesel(treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct RouteFacts {
    pub route_code: String,
    pub country: String,
    pub finished: i64,
    pub delivered: i64,
    pub on_time: i64,
    pub customs_held: i64,
    pub customs_cleared: i64,
    pub exceptions: i64,
    pub conditions: i64,
    pub sum_condition: i64,
    pub reweighed: i64,
    pub quote_accurate: i64,
    pub responses: i64,
    pub transit_median: Option<i64>,
    pub transit_p90: Option<i64>,
    pub silence_median_hours: Option<i64>,
    pub response_median_minutes: Option<i64>,
}

impl RouteFacts {
    pub fn empty(route_code: &str, country: &str) -> RouteFacts {
        RouteFacts {
            route_code: route_code.to_owned(),
            country: country.to_owned(),
            ..RouteFacts::default()
        }
    }

    /// `part` of `whole` as a share 0–1, or `None` with nothing measured.
    pub fn share(part: i64, whole: i64) -> Option<f64> {
        (whole > 0).then(|| part as f64 / whole as f64)
    }
}

/// What was measured of one finished order.
#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug, PartialEq)]
#[diesel(table_name = order_facts)]
#[diesel(treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct OrderFacts {
    pub order_id: i64,
    pub route_code: String,
    pub country: String,
    /// `delivered`, `returned` or `lost`.
    pub outcome: String,
    /// 'YYYY-MM' of the dispatch.
    pub month: String,
    pub transit_days: Option<i64>,
    pub on_time: bool,
    pub customs_held: bool,
    pub customs_cleared: bool,
    pub had_exception: bool,
    pub longest_silence_hours: i64,
    pub parcel_condition: Option<i64>,
    pub quote_accurate: Option<bool>,
    pub first_response_minutes: Option<i64>,
}

/// One company's visible reviews of a route in one scope: the cap's input.
#[derive(Queryable, Selectable, Insertable, Clone, Debug, PartialEq)]
#[diesel(table_name = route_company_weights)]
pub struct RouteCompanyWeight {
    pub route_code: String,
    pub country: String,
    pub company_id: i64,
    pub reviews: i64,
    pub weight: f64,
    pub weighted_score: f64,
}

/// One bar of a distribution: `count` observations of `value`.
#[derive(Queryable, Selectable, Insertable, Clone, Debug, PartialEq)]
#[diesel(table_name = route_histograms)]
pub struct RouteHistogram {
    pub route_code: String,
    pub country: String,
    /// `transit_days`, `silence_hours` or `response_minutes`.
    pub kind: String,
    /// '' for all time, else 'YYYY-MM'.
    pub month: String,
    pub value: i64,
    pub count: i64,
}

/// A route's reviews written in one month.
#[derive(Queryable, Selectable, Insertable, Clone, Debug, PartialEq)]
#[diesel(table_name = route_months)]
pub struct RouteMonth {
    pub route_code: String,
    pub month: String,
    pub reviews: i64,
    pub sum_overall: i64,
}

/// Every route's review aggregates for one scope (`ALL` or a country
/// code), the board's row (route `ALL`) among them.
pub fn for_scope(conn: &mut super::DbConnection, country: &str) -> QueryResult<Vec<RouteStats>> {
    route_stats::table
        .filter(route_stats::country.eq(country))
        .select(RouteStats::as_select())
        .load(conn)
}

/// Every route's measured facts for one scope, the board's among them.
pub fn facts_for_scope(
    conn: &mut super::DbConnection,
    country: &str,
) -> QueryResult<Vec<RouteFacts>> {
    route_facts::table
        .filter(route_facts::country.eq(country))
        .select(RouteFacts::as_select())
        .load(conn)
}

/// Every route's measured facts for each single destination.
pub fn facts_by_destination(conn: &mut super::DbConnection) -> QueryResult<Vec<RouteFacts>> {
    route_facts::table
        .filter(route_facts::country.ne(ALL))
        .filter(route_facts::route_code.ne(ALL))
        .select(RouteFacts::as_select())
        .load(conn)
}

/// One row of review aggregates, if anything was counted for it.
pub fn one(
    conn: &mut super::DbConnection,
    route_code: &str,
    country: &str,
) -> QueryResult<Option<RouteStats>> {
    route_stats::table
        .find((route_code, country))
        .select(RouteStats::as_select())
        .first(conn)
        .optional()
}
