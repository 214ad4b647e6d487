//! What the board measures of one finished parcel (issue #12, DESIGN.md §6),
//! as pure rules over its tracking: transit days, on time, customs, exceptions
//! and the longest silence. Percentiles of the resulting distributions too.

use super::order_state::OrderStatus;
use super::tracking::Milestone;
use chrono::NaiveDateTime;

/// How a dispatched parcel's journey ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    Returned,
    Lost,
}

impl Outcome {
    /// The outcome of an order in `status`, if it is one that ends a journey.
    pub fn of(status: OrderStatus) -> Option<Outcome> {
        match status {
            OrderStatus::Delivered => Some(Outcome::Delivered),
            OrderStatus::Returned => Some(Outcome::Returned),
            OrderStatus::Lost => Some(Outcome::Lost),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Delivered => "delivered",
            Outcome::Returned => "returned",
            Outcome::Lost => "lost",
        }
    }
}

/// A finished journey as the tracking tells it.
#[derive(Clone, Debug)]
pub struct Journey {
    pub outcome: Outcome,
    /// Handed to the carrier: the journey's start.
    pub handed_over_at: NaiveDateTime,
    /// When it was delivered (carrier event, or the recipient's word).
    pub delivered_at: Option<NaiveDateTime>,
    /// The tracking events, any order.
    pub events: Vec<(Milestone, NaiveDateTime)>,
    /// The nominal maximum transit days the order was quoted (so editing
    /// the route later changes no finished parcel).
    pub max_days: i64,
}

/// What was measured of a journey.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Measured {
    /// Whole days from hand-over to delivery, rounded up; only when delivered.
    pub transit_days: Option<i64>,
    /// Delivered within the route's nominal maximum.
    pub on_time: bool,
    /// Customs held the parcel at some point.
    pub customs_held: bool,
    /// Not stopped by customs: it was never held, or it was delivered after all.
    pub customs_cleared: bool,
    /// A delivery failure, exception, customs hold, return or loss was reported.
    pub had_exception: bool,
    /// The longest stretch without news, in whole hours: between hand-over,
    /// each event and the end of the journey.
    pub longest_silence_hours: i64,
}

const DAY_SECONDS: i64 = 86_400;

/// Measures a finished journey.
pub fn measure(journey: &Journey) -> Measured {
    let mut times: Vec<NaiveDateTime> = journey
        .events
        .iter()
        .map(|(_, at)| *at)
        .filter(|at| *at >= journey.handed_over_at)
        .collect();
    times.push(journey.handed_over_at);
    if let Some(delivered) = journey.delivered_at {
        times.push(delivered.max(journey.handed_over_at));
    }
    times.sort();
    let longest_silence_hours = times
        .windows(2)
        .map(|pair| (pair[1] - pair[0]).num_hours())
        .max()
        .unwrap_or(0);
    let transit_days = match (journey.outcome, journey.delivered_at) {
        (Outcome::Delivered, Some(delivered)) => {
            let seconds = (delivered - journey.handed_over_at).num_seconds().max(0);
            Some((seconds + DAY_SECONDS - 1) / DAY_SECONDS)
        }
        _ => None,
    };
    let seen = |wanted: &[Milestone]| journey.events.iter().any(|(m, _)| wanted.contains(m));
    let customs_held = seen(&[Milestone::CustomsHeld]);
    Measured {
        transit_days,
        on_time: transit_days.is_some_and(|days| days <= journey.max_days),
        customs_held,
        customs_cleared: !customs_held || journey.outcome == Outcome::Delivered,
        had_exception: journey.outcome != Outcome::Delivered
            || seen(&[
                Milestone::CustomsHeld,
                Milestone::DeliveryFailed,
                Milestone::Exception,
                Milestone::ReturnedToSender,
                Milestone::Lost,
            ]),
        longest_silence_hours,
    }
}

/// The nearest-rank percentile `p` (0 < p ≤ 1) of a distribution given as
/// (value, count) pairs in ascending value order: the smallest value with at
/// least ⌈p·N⌉ of the N observations at or below it. The median is `p = 0.5`
/// (the lower middle value when N is even).
pub fn percentile(histogram: &[(i64, i64)], p: f64) -> Option<i64> {
    let total: i64 = histogram.iter().map(|(_, count)| *count).sum();
    if total <= 0 {
        return None;
    }
    let rank = ((p * total as f64).ceil() as i64).clamp(1, total);
    let mut seen = 0;
    for (value, count) in histogram {
        seen += count;
        if seen >= rank {
            return Some(*value);
        }
    }
    histogram.last().map(|(value, _)| *value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, NaiveDate};

    fn at(day: u32, hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 6, day)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .expect("date")
    }

    fn journey(outcome: Outcome, events: &[(Milestone, NaiveDateTime)]) -> Journey {
        Journey {
            outcome,
            handed_over_at: at(1, 10),
            delivered_at: events
                .iter()
                .find(|(m, _)| *m == Milestone::Delivered)
                .map(|(_, at)| *at),
            events: events.to_vec(),
            max_days: 7,
        }
    }

    #[test]
    fn a_delivery_counts_whole_days_rounded_up_and_its_longest_silence() {
        let measured = measure(&journey(
            Outcome::Delivered,
            &[
                (Milestone::DepartedOrigin, at(2, 10)),
                (Milestone::ArrivedDestination, at(5, 22)),
                (Milestone::Delivered, at(7, 11)),
            ],
        ));
        assert_eq!(measured.transit_days, Some(7), "6 days and 1 hour → 7");
        assert!(measured.on_time);
        assert_eq!(measured.longest_silence_hours, 84, "2nd 10:00 → 5th 22:00");
        assert!(!measured.had_exception && !measured.customs_held && measured.customs_cleared);
    }

    #[test]
    fn a_late_delivery_is_not_on_time() {
        let measured = measure(&journey(
            Outcome::Delivered,
            &[(Milestone::Delivered, at(1, 10) + Duration::days(8))],
        ));
        assert_eq!(measured.transit_days, Some(8));
        assert!(!measured.on_time);
    }

    #[test]
    fn a_parcel_held_by_customs_and_returned_failed_clearance() {
        let measured = measure(&journey(
            Outcome::Returned,
            &[
                (Milestone::CustomsHeld, at(4, 8)),
                (Milestone::ReturnedToSender, at(9, 8)),
            ],
        ));
        assert_eq!(measured.transit_days, None);
        assert!(measured.customs_held && !measured.customs_cleared && measured.had_exception);
        assert!(!measured.on_time);
        assert_eq!(measured.longest_silence_hours, 120);
    }

    #[test]
    fn a_held_parcel_that_was_delivered_cleared_customs() {
        let measured = measure(&journey(
            Outcome::Delivered,
            &[
                (Milestone::CustomsHeld, at(3, 8)),
                (Milestone::Delivered, at(5, 8)),
            ],
        ));
        assert!(measured.customs_held && measured.customs_cleared && measured.had_exception);
    }

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let days = [(3, 2), (5, 1), (9, 1)];
        assert_eq!(percentile(&days, 0.5), Some(3), "N = 4: rank 2");
        assert_eq!(percentile(&days, 0.9), Some(9), "rank ⌈3.6⌉ = 4");
        assert_eq!(percentile(&[(4, 3)], 0.5), Some(4));
        assert_eq!(percentile(&[], 0.5), None);
        assert_eq!(percentile(&[(1, 1), (2, 1), (3, 1)], 0.5), Some(2));
    }
}
