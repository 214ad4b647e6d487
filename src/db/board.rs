//! The review board's reads (issue #12): aggregate rows, histograms, months
//! and one keyset page of a route's reviews. Nothing here scans `reviews`:
//! every review query walks one of the `reviews_route*` indexes.

use super::DbConnection;
use super::catalogue::Route;
use super::reviews::Review;
use super::route_stats::{OrderFacts, RouteFacts, RouteStats};
use super::schema::{
    order_facts, review_replies, reviews, route_facts, route_histograms, route_months, route_stats,
    routes,
};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::Bool;

/// Every route of the catalogue, by code (the board filters to active ones).
pub fn routes(conn: &mut DbConnection) -> QueryResult<Vec<Route>> {
    routes::table.order(routes::code.asc()).load(conn)
}

/// One route by its code.
pub fn route(conn: &mut DbConnection, code: &str) -> QueryResult<Option<Route>> {
    routes::table
        .filter(routes::code.eq(code))
        .first(conn)
        .optional()
}

/// The review aggregates of some routes in every scope (all destinations and each one).
pub fn stats_of(conn: &mut DbConnection, codes: &[&str]) -> QueryResult<Vec<RouteStats>> {
    route_stats::table
        .filter(route_stats::route_code.eq_any(codes))
        .select(RouteStats::as_select())
        .load(conn)
}

/// The measured facts of some routes in every scope.
pub fn facts_of(conn: &mut DbConnection, codes: &[&str]) -> QueryResult<Vec<RouteFacts>> {
    route_facts::table
        .filter(route_facts::route_code.eq_any(codes))
        .select(RouteFacts::as_select())
        .load(conn)
}

/// One bar of a distribution: a value (days, hours, minutes) and how many had it.
#[derive(Queryable, Clone, Debug, PartialEq)]
pub struct Bar {
    pub route_code: String,
    pub month: String,
    pub value: i64,
    pub count: i64,
}

/// A kind of distribution (`transit_days`, …) of some routes in one scope
/// (`ALL` or a country): all time (month `''`) and, when `by_month`, per month.
pub fn histograms(
    conn: &mut DbConnection,
    codes: &[&str],
    country: &str,
    kind: &str,
    by_month: bool,
) -> QueryResult<Vec<Bar>> {
    let mut query = route_histograms::table
        .filter(route_histograms::route_code.eq_any(codes))
        .filter(route_histograms::country.eq(country))
        .filter(route_histograms::kind.eq(kind))
        .select((
            route_histograms::route_code,
            route_histograms::month,
            route_histograms::value,
            route_histograms::count,
        ))
        .order((route_histograms::month.asc(), route_histograms::value.asc()))
        .into_boxed();
    if !by_month {
        query = query.filter(route_histograms::month.eq(""));
    }
    query.load(conn)
}

/// A route's reviews per month: (month, reviews, Σ overall), oldest first.
pub fn months(conn: &mut DbConnection, code: &str) -> QueryResult<Vec<(String, i64, i64)>> {
    route_months::table
        .filter(route_months::route_code.eq(code))
        .select((
            route_months::month,
            route_months::reviews,
            route_months::sum_overall,
        ))
        .order(route_months::month.asc())
        .load(conn)
}

/// What a list of a route's reviews is narrowed to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReviewFilter {
    pub country: Option<String>,
    pub stars: Option<i64>,
    pub with_text: bool,
    pub with_photos: bool,
}

/// One page of a route's reviews, newest first, with ids below `before`:
/// `WHERE route_code = ? [AND …] AND id < ? ORDER BY id DESC LIMIT ?`, which
/// the (route_code, [country,] [overall,] id) indexes and the partial ones
/// for text and photos answer without a sort.
pub fn review_page(
    conn: &mut DbConnection,
    code: &str,
    filter: &ReviewFilter,
    before: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<Review>> {
    let mut query = reviews::table
        .filter(reviews::route_code.eq(code))
        .select(Review::as_select())
        .order(reviews::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(country) = &filter.country {
        query = query.filter(reviews::country.eq(country.clone()));
    }
    if let Some(stars) = filter.stars {
        query = query.filter(reviews::overall.eq(stars));
    }
    // Written as the partial indexes' conditions, not as bound values: a
    // planner picks a partial index only for a condition it can see implies
    // the index's (migration 000017).
    if filter.with_text {
        query = query.filter(sql::<Bool>("reviews.has_text"));
    }
    if filter.with_photos {
        query = query.filter(sql::<Bool>("reviews.photo_count > 0"));
    }
    if let Some(before) = before {
        query = query.filter(reviews::id.lt(before));
    }
    query.load(conn)
}

/// The measured facts of the orders behind some reviews.
pub fn order_facts_of(conn: &mut DbConnection, order_ids: &[i64]) -> QueryResult<Vec<OrderFacts>> {
    order_facts::table
        .filter(order_facts::order_id.eq_any(order_ids))
        .select(OrderFacts::as_select())
        .load(conn)
}

/// The platform's replies to some reviews: (review id, text).
pub fn replies_of(conn: &mut DbConnection, review_ids: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    review_replies::table
        .filter(review_replies::review_id.eq_any(review_ids))
        .select((review_replies::review_id, review_replies::body))
        .load(conn)
}
