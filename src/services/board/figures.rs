//! What the board says about one route in one scope (all destinations or
//! one country): its rating, review counts and measured facts, each as a
//! number or the reason there is none.

use crate::db::route_stats::{ALL, RouteFacts, RouteStats};
use crate::domain::rating::{DEFAULT_BOARD_MEAN, MIN_COUNTRY_REVIEWS};
use crate::domain::review::Dimension;
use chrono::NaiveDateTime;

/// A route's rating in a scope.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rating {
    /// The Bayesian rating, 1–5.
    Rated(f64),
    /// Reviews exist for the country, but fewer than [`MIN_COUNTRY_REVIEWS`].
    TooFew,
    /// Nobody reviewed the route (in this scope) yet.
    NoReviews,
}

impl Rating {
    /// The route's rating in the scope of `stats` against the board row of
    /// the same scope (its mean is the prior C).
    pub fn of(stats: &RouteStats, board: Option<&RouteStats>, now: NaiveDateTime) -> Rating {
        if stats.reviews == 0 {
            return Rating::NoReviews;
        }
        if stats.country != ALL && stats.reviews < MIN_COUNTRY_REVIEWS {
            return Rating::TooFew;
        }
        let board_mean = board
            .and_then(RouteStats::mean)
            .unwrap_or(DEFAULT_BOARD_MEAN);
        Rating::Rated(stats.rating(board_mean, now))
    }

    pub fn value(self) -> Option<f64> {
        match self {
            Rating::Rated(value) => Some(value),
            _ => None,
        }
    }
}

/// One route's figures in one scope.
#[derive(Clone, Debug)]
pub struct Figures {
    pub stats: RouteStats,
    pub facts: RouteFacts,
    pub rating: Rating,
}

impl Figures {
    pub fn new(
        stats: Option<&RouteStats>,
        facts: Option<&RouteFacts>,
        board: Option<&RouteStats>,
        route_code: &str,
        country: &str,
        now: NaiveDateTime,
    ) -> Figures {
        let stats = stats
            .cloned()
            .unwrap_or_else(|| RouteStats::empty(route_code, country));
        let facts = facts
            .cloned()
            .unwrap_or_else(|| RouteFacts::empty(route_code, country));
        Figures {
            rating: Rating::of(&stats, board, now),
            stats,
            facts,
        }
    }

    /// The average of one dimension over the visible reviews.
    pub fn average(&self, dimension: Dimension) -> Option<f64> {
        let s = &self.stats;
        let sum = match dimension {
            Dimension::Overall => s.sum_overall,
            Dimension::Timeliness => s.sum_timeliness,
            Dimension::Service => s.sum_service,
            Dimension::Customs => s.sum_customs,
            Dimension::Tracking => s.sum_tracking,
            Dimension::Packaging => s.sum_packaging,
        };
        RouteStats::average(sum, s.reviews)
    }

    /// Delivered within the route's nominal maximum, of those delivered.
    pub fn on_time_rate(&self) -> Option<f64> {
        RouteFacts::share(self.facts.on_time, self.facts.delivered)
    }

    /// 1 − customs failures / finished parcels, where a failure is a parcel
    /// customs held and that was never delivered after all: `customs_cleared`
    /// counts the parcels never held or delivered anyway (README, "Measured
    /// facts"), so the rate is cleared / finished.
    pub fn customs_success_rate(&self) -> Option<f64> {
        let failures = self.facts.finished - self.facts.customs_cleared;
        RouteFacts::share(failures.max(0), self.facts.finished).map(|failed| 1.0 - failed)
    }

    /// Parcels that had an exception, of those finished.
    pub fn exception_rate(&self) -> Option<f64> {
        RouteFacts::share(self.facts.exceptions, self.facts.finished)
    }

    /// The recipients' average rating of the parcel's condition, 1–5.
    pub fn condition_average(&self) -> Option<f64> {
        RouteStats::average(self.facts.sum_condition, self.facts.conditions)
    }

    /// Re-weighed parcels whose bill equalled the quote, of those re-weighed.
    pub fn quote_accuracy(&self) -> Option<f64> {
        RouteFacts::share(self.facts.quote_accurate, self.facts.reweighed)
    }
}
