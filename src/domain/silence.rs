//! When a parcel has gone silent (issue #11): moving with no news for the
//! route's number of days, or held in customs that long. Pure rules; the
//! watchdog (`services::watchdog`) reads the facts and opens the tickets.

use super::order_state::OrderStatus;
use super::status::text_enum;
use super::ticket::TicketCategory;
use chrono::{Duration, NaiveDateTime};

/// Days without news a route allows when nobody set its own.
pub const DEFAULT_DAYS: i64 = 5;
/// The most days an admin may set on a route.
pub const MAX_DAYS: i64 = 60;

text_enum!(
    /// What kind of silence: no event while moving, or stuck in customs.
    SilenceKind {
        Moving => "silence",
        Customs => "customs",
    }
);

impl SilenceKind {
    /// The category of the ticket the watchdog opens for it.
    pub fn category(self) -> TicketCategory {
        match self {
            SilenceKind::Moving => TicketCategory::Delay,
            SilenceKind::Customs => TicketCategory::Customs,
        }
    }
}

/// The last sign of life a silence is counted from: a tracking event, or
/// the hand-over to the carrier (`event_id` 0) when there is none yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct News {
    pub event_id: i64,
    pub at: NaiveDateTime,
}

/// A silence long enough for a ticket. `kind`, the order and
/// `since.event_id` name it: the same silence is never reported twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Silence {
    pub kind: SilenceKind,
    pub since: News,
}

impl Silence {
    /// Whole days of silence at `now`.
    pub fn days(&self, now: NaiveDateTime) -> i64 {
        (now - self.since.at).num_days()
    }
}

/// The silence of an order in `status` at `now`, if it lasted `limit_days`
/// or more. `newest` is its newest event (or the hand-over); `customs_entry`
/// the event that moved it into customs.
pub fn find(
    status: OrderStatus,
    newest: Option<News>,
    customs_entry: Option<News>,
    limit_days: i64,
    now: NaiveDateTime,
) -> Option<Silence> {
    let (kind, since) = match status {
        OrderStatus::InTransit | OrderStatus::OutForDelivery => (SilenceKind::Moving, newest?),
        OrderStatus::Customs => (SilenceKind::Customs, customs_entry?),
        _ => return None,
    };
    (since.at <= now - Duration::days(limit_days)).then_some(Silence { kind, since })
}

/// A route's number of days as an admin typed it: a whole number 1..=60.
pub fn parse_days(input: &str) -> Result<i64, &'static str> {
    input
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|days| (1..=MAX_DAYS).contains(days))
        .ok_or("error.watchdog.silence_days")
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus as S;

    fn at(day: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, day)
            .and_then(|d| d.and_hms_opt(10, 0, 0))
            .expect("date")
    }

    fn news(id: i64, day: u32) -> Option<News> {
        Some(News {
            event_id: id,
            at: at(day),
        })
    }

    #[test]
    fn a_moving_parcel_is_silent_once_its_newest_news_is_old_enough() {
        let silence = find(S::InTransit, news(7, 1), None, 5, at(6)).expect("silent");
        assert_eq!(silence.kind, SilenceKind::Moving);
        assert_eq!(silence.since.event_id, 7);
        assert_eq!(silence.days(at(6)), 5);
        assert_eq!(find(S::OutForDelivery, news(7, 2), None, 5, at(6)), None);
        assert_eq!(find(S::InTransit, news(7, 1), None, 10, at(6)), None);
        assert_eq!(find(S::InTransit, None, None, 5, at(30)), None);
    }

    #[test]
    fn customs_counts_from_the_entry_into_customs() {
        let silence = find(S::Customs, news(9, 20), news(3, 1), 5, at(7)).expect("held");
        assert_eq!(silence.kind, SilenceKind::Customs);
        assert_eq!(silence.since.event_id, 3);
        assert_eq!(silence.kind.category(), TicketCategory::Customs);
        assert_eq!(find(S::Customs, None, None, 5, at(30)), None);
    }

    #[test]
    fn finished_or_waiting_orders_are_never_silent() {
        for status in [
            S::Delivered,
            S::Cancelled,
            S::Returned,
            S::Lost,
            S::Exception,
            S::Paid,
        ] {
            assert_eq!(find(status, news(1, 1), news(1, 1), 1, at(30)), None);
        }
    }

    #[test]
    fn route_days_are_whole_numbers_from_one_to_sixty() {
        assert_eq!(parse_days(" 10 "), Ok(10));
        assert!(parse_days("0").is_err());
        assert!(parse_days("61").is_err());
        assert!(parse_days("5.5").is_err());
        assert!(parse_days("").is_err());
    }
}
