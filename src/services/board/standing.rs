//! A route's standing where a parcel is being priced (`/rates` and the order
//! form's route table): its rating and measured days to the country, and
//! the measured transit the quote engine uses once there are enough
//! deliveries (`domain::quote::MIN_MEASURED_DELIVERIES`).

use super::figures::Rating;
use crate::db::DbConnection;
use crate::db::route_stats::{self, ALL};
use crate::domain::quote::MeasuredTransit;
use chrono::NaiveDateTime;
use diesel::QueryResult;
use std::collections::HashMap;

/// What the price lists show beside a route.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Standing {
    /// The rating for the destination (or why there is none).
    pub rating: Rating,
    /// The rating over all destinations, shown when the destination's is not.
    pub overall: Rating,
    /// Measured median transit days to the destination.
    pub median_days: Option<i64>,
}

impl Standing {
    /// The rating to show and whether it is the all-destinations one.
    pub fn shown(&self) -> Option<(f64, bool)> {
        match (self.rating.value(), self.overall.value()) {
            (Some(value), _) => Some((value, false)),
            (None, Some(value)) => Some((value, true)),
            (None, None) => None,
        }
    }
}

/// Every route's standing for parcels to `country`.
pub fn standings(
    conn: &mut DbConnection,
    country: &str,
    now: NaiveDateTime,
) -> QueryResult<HashMap<String, Standing>> {
    let scoped = route_stats::for_scope(conn, country)?;
    let all = route_stats::for_scope(conn, ALL)?;
    let facts = route_stats::facts_for_scope(conn, country)?;
    let board_scoped = scoped.iter().find(|s| s.route_code == ALL);
    let board_all = all.iter().find(|s| s.route_code == ALL);
    let mut out: HashMap<String, Standing> = HashMap::new();
    let codes = scoped
        .iter()
        .map(|s| &s.route_code)
        .chain(all.iter().map(|s| &s.route_code))
        .chain(facts.iter().map(|f| &f.route_code))
        .filter(|c| c.as_str() != ALL);
    for code in codes {
        if out.contains_key(code) {
            continue;
        }
        let rating = scoped
            .iter()
            .find(|s| &s.route_code == code)
            .map_or(Rating::NoReviews, |s| Rating::of(s, board_scoped, now));
        let overall = all
            .iter()
            .find(|s| &s.route_code == code)
            .map_or(Rating::NoReviews, |s| Rating::of(s, board_all, now));
        let median_days = facts
            .iter()
            .find(|f| &f.route_code == code)
            .and_then(|f| f.transit_median);
        out.insert(
            code.clone(),
            Standing {
                rating,
                overall,
                median_days,
            },
        );
    }
    Ok(out)
}

/// Measured transit (median–p90 and deliveries) of every route to each
/// destination (`country` alone, or every one), for the quote engine; it
/// switches to it at enough deliveries. Keyed by country, then route.
pub fn measured(
    conn: &mut DbConnection,
    country: Option<&str>,
) -> QueryResult<HashMap<String, HashMap<String, MeasuredTransit>>> {
    let rows = match country {
        Some(country) => route_stats::facts_for_scope(conn, country)?,
        None => route_stats::facts_by_destination(conn)?,
    };
    let mut out: HashMap<String, HashMap<String, MeasuredTransit>> = HashMap::new();
    for f in rows {
        let transit = (|| {
            Some(MeasuredTransit {
                median_days: u32::try_from(f.transit_median?).ok()?,
                p90_days: u32::try_from(f.transit_p90?).ok()?,
                deliveries: u32::try_from(f.delivered).ok()?,
            })
        })();
        if let Some(transit) = transit {
            out.entry(f.country)
                .or_default()
                .insert(f.route_code, transit);
        }
    }
    Ok(out)
}
