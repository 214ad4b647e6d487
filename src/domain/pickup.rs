//! The rules of a pickup request (issue #10): which days and time windows a
//! seller may ask for, how many parcels, and what each status still allows.
//! Pure: `services::handover` decides with these.

use super::status::text_enum;
use super::warehouse::PickupStatus;
use chrono::{Duration, NaiveDate};

text_enum!(
    /// The time windows the drivers work in; a pickup asks for one of them.
    TimeWindow {
        Morning => "09:00-12:00",
        Afternoon => "13:00-18:00",
    }
);

/// How far ahead a pickup may be asked for (China-time days after today).
pub const MAX_DAYS_AHEAD: i64 = 14;

/// The most parcels one pickup request names.
pub const MAX_PARCELS: u32 = 99;

/// A seller's pickup day: from tomorrow (the drivers' rounds are planned the
/// day before) to [`MAX_DAYS_AHEAD`] days after `today`, both China time.
pub fn check_seller_date(today: NaiveDate, date: NaiveDate) -> Result<NaiveDate, &'static str> {
    if date <= today {
        Err("error.pickup.date_past")
    } else if date > today + Duration::days(MAX_DAYS_AHEAD) {
        Err("error.pickup.date_far")
    } else {
        Ok(date)
    }
}

/// An operator's proposed day: today at the earliest (a driver may still
/// go this afternoon), at most [`MAX_DAYS_AHEAD`] days ahead.
pub fn check_proposed_date(today: NaiveDate, date: NaiveDate) -> Result<NaiveDate, &'static str> {
    if date < today {
        Err("error.pickup.date_past")
    } else if date > today + Duration::days(MAX_DAYS_AHEAD) {
        Err("error.pickup.date_far")
    } else {
        Ok(date)
    }
}

/// A date as the form's date field sends it (`2026-12-03`).
pub fn parse_date(input: &str) -> Result<NaiveDate, &'static str> {
    let value = input.trim();
    if value.is_empty() {
        return Err("error.pickup.date_required");
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| "error.pickup.date_invalid")
}

/// A window from the fixed list.
pub fn parse_window(input: &str) -> Result<TimeWindow, &'static str> {
    TimeWindow::parse(input.trim()).map_err(|_| "error.pickup.window")
}

/// The number of parcels: a whole number from 1 to [`MAX_PARCELS`].
pub fn parse_parcels(input: &str) -> Result<u32, &'static str> {
    match input.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_PARCELS).contains(&n) => Ok(n),
        _ => Err("error.pickup.parcels"),
    }
}

impl PickupStatus {
    /// Still planned: its orders cannot join another pickup, the seller may cancel it.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            PickupStatus::Requested | PickupStatus::Proposed | PickupStatus::Confirmed
        )
    }

    /// Operators answer a request, and may move a confirmed slot again.
    pub fn takes_proposal(self) -> bool {
        matches!(self, PickupStatus::Requested | PickupStatus::Confirmed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn a_seller_asks_for_tomorrow_up_to_two_weeks_ahead() {
        let today = day("2026-12-01");
        assert_eq!(
            check_seller_date(today, today),
            Err("error.pickup.date_past")
        );
        assert!(check_seller_date(today, day("2026-12-02")).is_ok());
        assert!(check_seller_date(today, day("2026-12-15")).is_ok());
        assert_eq!(
            check_seller_date(today, day("2026-12-16")),
            Err("error.pickup.date_far")
        );
    }

    #[test]
    fn an_operator_may_propose_today() {
        let today = day("2026-12-01");
        assert!(check_proposed_date(today, today).is_ok());
        assert_eq!(
            check_proposed_date(today, day("2026-11-30")),
            Err("error.pickup.date_past")
        );
    }

    #[test]
    fn only_the_listed_windows_and_sane_parcel_counts_are_taken() {
        assert_eq!(parse_window("09:00-12:00"), Ok(TimeWindow::Morning));
        assert_eq!(parse_window("08:00-12:00"), Err("error.pickup.window"));
        assert_eq!(parse_parcels("1"), Ok(1));
        assert_eq!(parse_parcels("99"), Ok(99));
        for bad in ["0", "100", "-1", "two", ""] {
            assert_eq!(parse_parcels(bad), Err("error.pickup.parcels"), "{bad}");
        }
        assert_eq!(parse_date("2026-13-01"), Err("error.pickup.date_invalid"));
        assert_eq!(parse_date(" "), Err("error.pickup.date_required"));
    }

    #[test]
    fn cancelled_and_collected_pickups_are_closed() {
        assert!(PickupStatus::Proposed.is_open());
        assert!(!PickupStatus::Cancelled.is_open());
        assert!(!PickupStatus::Collected.is_open());
        assert!(!PickupStatus::Proposed.takes_proposal());
    }
}
