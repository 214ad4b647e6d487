//! One route's public page: its figures overall and per destination, the
//! distributions behind its charts, and one keyset page of its reviews.

use super::figures::Figures;
use crate::db::DbConnection;
use crate::db::board::{self as db, Bar, ReviewFilter};
use crate::db::catalogue::Route;
use crate::db::reviews::Review;
use crate::db::route_stats::{ALL, OrderFacts};
use crate::services::ServiceResult;
use crate::services::quote::Catalogue;
use chrono::{Datelike, NaiveDateTime};
use std::collections::HashMap;

/// Reviews on one page of the route's list.
pub const PAGE_SIZE: i64 = 20;
/// Months in the trend chart.
pub const TREND_MONTHS: usize = 12;

/// A review as the route page shows it, with what was measured of its order.
pub struct ReviewItem {
    pub review: Review,
    pub facts: Option<OrderFacts>,
    pub reply: Option<String>,
}

/// One month of the trend: mean stars of the reviews written in it, and the
/// median transit days of the parcels dispatched in it.
#[derive(Clone, Debug, PartialEq)]
pub struct Month {
    pub month: String,
    pub reviews: i64,
    pub mean_stars: Option<f64>,
    pub median_days: Option<i64>,
}

pub struct RoutePage {
    pub route: Route,
    pub overall: Figures,
    /// Each destination with anything counted, most reviewed first.
    pub countries: Vec<Figures>,
    /// (days, parcels) of every delivery, all time.
    pub transit: Vec<(i64, i64)>,
    pub trend: Vec<Month>,
    pub reviews: Vec<ReviewItem>,
    /// `?before=` of the next page, when there is one.
    pub next_before: Option<i64>,
}

/// The page of route `code`, or `None` for an unknown code: the route and
/// its aggregate rows from the kept catalogue, the distributions and one
/// keyset page of reviews from the database.
pub fn page(
    conn: &mut DbConnection,
    catalogue: &Catalogue,
    code: &str,
    filter: &ReviewFilter,
    before: Option<i64>,
    now: NaiveDateTime,
) -> ServiceResult<Option<RoutePage>> {
    let Some(route) = catalogue.route(code).cloned() else {
        return Ok(None);
    };
    let figures_of = |country: &str| {
        Figures::new(
            catalogue.stats(country, code),
            catalogue.facts(country, code),
            catalogue.stats(country, ALL),
            code,
            country,
            now,
        )
    };
    let overall = figures_of(ALL);
    let mut scopes: Vec<&str> = catalogue.scopes_of(code).filter(|c| *c != ALL).collect();
    scopes.sort_unstable();
    scopes.dedup();
    let mut countries: Vec<Figures> = scopes.into_iter().map(figures_of).collect();
    countries.sort_by(|a, b| {
        b.stats
            .reviews
            .cmp(&a.stats.reviews)
            .then(b.facts.finished.cmp(&a.facts.finished))
            .then(a.stats.country.cmp(&b.stats.country))
    });
    let bars = db::histograms(conn, &[code], ALL, "transit_days", true)?;
    let transit = bars
        .iter()
        .filter(|b| b.month.is_empty())
        .map(|b| (b.value, b.count))
        .collect();
    let months = db::months(conn, code)?;
    let trend = trend(&months, &bars, now);
    let mut rows = db::review_page(conn, code, filter, before, PAGE_SIZE + 1)?;
    let next_before = if rows.len() as i64 > PAGE_SIZE {
        rows.truncate(PAGE_SIZE as usize);
        rows.last().map(|r| r.id)
    } else {
        None
    };
    let order_ids: Vec<i64> = rows.iter().map(|r| r.order_id).collect();
    let review_ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut order_facts: HashMap<i64, OrderFacts> = db::order_facts_of(conn, &order_ids)?
        .into_iter()
        .map(|f| (f.order_id, f))
        .collect();
    let mut replies: HashMap<i64, String> =
        db::replies_of(conn, &review_ids)?.into_iter().collect();
    let reviews = rows
        .into_iter()
        .map(|review| ReviewItem {
            facts: order_facts.remove(&review.order_id),
            reply: replies.remove(&review.id),
            review,
        })
        .collect();
    Ok(Some(RoutePage {
        route,
        overall,
        countries,
        transit,
        trend,
        reviews,
        next_before,
    }))
}

/// The last [`TREND_MONTHS`] months up to `now`'s, oldest first.
pub fn last_months(now: NaiveDateTime) -> Vec<String> {
    let index = now.year() * 12 + now.month0() as i32;
    (0..TREND_MONTHS as i32)
        .rev()
        .map(|back| {
            let at = index - back;
            format!("{:04}-{:02}", at.div_euclid(12), at.rem_euclid(12) + 1)
        })
        .collect()
}

fn trend(months: &[(String, i64, i64)], bars: &[Bar], now: NaiveDateTime) -> Vec<Month> {
    last_months(now)
        .into_iter()
        .map(|month| {
            let (reviews, sum) = months
                .iter()
                .find(|(m, _, _)| *m == month)
                .map_or((0, 0), |(_, n, sum)| (*n, *sum));
            let days: Vec<(i64, i64)> = bars
                .iter()
                .filter(|b| b.month == month)
                .map(|b| (b.value, b.count))
                .collect();
            Month {
                mean_stars: (reviews > 0).then(|| sum as f64 / reviews as f64),
                median_days: median(&days),
                reviews,
                month,
            }
        })
        .collect()
}

/// The median of a histogram of (value, count), sorted by value: the lower
/// middle value for an even count, as the aggregates' medians are.
pub fn median(bars: &[(i64, i64)]) -> Option<i64> {
    let total: i64 = bars.iter().map(|(_, n)| n).sum();
    if total <= 0 {
        return None;
    }
    let middle = (total + 1) / 2;
    let mut seen = 0;
    for (value, count) in bars {
        seen += count;
        if seen >= middle {
            return Some(*value);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn the_trend_covers_the_last_twelve_months_across_a_new_year() {
        let now = NaiveDate::from_ymd_opt(2026, 2, 10)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("date");
        let months = last_months(now);
        assert_eq!(months.len(), 12);
        assert_eq!(months[0], "2025-03");
        assert_eq!(months[10], "2026-01");
        assert_eq!(months[11], "2026-02");
    }

    #[test]
    fn the_median_of_a_histogram() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[(5, 1)]), Some(5));
        assert_eq!(median(&[(3, 1), (7, 1)]), Some(3));
        assert_eq!(median(&[(3, 1), (7, 2)]), Some(7));
    }
}
