//! A route's standing where a parcel is being priced (`/rates` and the order
//! form's route table): its rating and measured days to the country.

use super::figures::Rating;
use crate::db::route_stats::ALL;
use crate::services::quote::Catalogue;
use chrono::NaiveDateTime;
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

/// Every route's standing for parcels to `country`, from the kept
/// catalogue's aggregate rows: a fresh catalogue answers without the
/// database (README, "Speed at scale").
pub fn standings(
    catalogue: &Catalogue,
    country: &str,
    now: NaiveDateTime,
) -> HashMap<String, Standing> {
    let empty = HashMap::new();
    let scoped = catalogue.stats_in(country).unwrap_or(&empty);
    let all = catalogue.stats_in(ALL).unwrap_or(&empty);
    let board_scoped = scoped.get(ALL);
    let board_all = all.get(ALL);
    let mut out: HashMap<String, Standing> = HashMap::new();
    for route in catalogue.routes() {
        let code = route.code.as_str();
        let median_days = catalogue
            .facts(country, code)
            .and_then(|f| f.transit_median);
        let scoped_stats = scoped.get(code);
        let all_stats = all.get(code);
        if scoped_stats.is_none() && all_stats.is_none() && catalogue.facts(country, code).is_none()
        {
            continue;
        }
        let rating = scoped_stats.map_or(Rating::NoReviews, |s| Rating::of(s, board_scoped, now));
        let overall = all_stats.map_or(Rating::NoReviews, |s| Rating::of(s, board_all, now));
        out.insert(
            code.to_owned(),
            Standing {
                rating,
                overall,
                median_days,
            },
        );
    }
    out
}
