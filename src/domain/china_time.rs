//! China Standard Time: UTC+8 all year, without daylight saving. Times are
//! stored in UTC; days, months and dates people see are China's.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};

const OFFSET_HOURS: i64 = 8;

/// A stored (UTC) time as a clock in China shows it.
pub fn local(at_utc: NaiveDateTime) -> NaiveDateTime {
    at_utc + Duration::hours(OFFSET_HOURS)
}

/// The stored (UTC) time at which a China-time day begins.
pub fn day_start(date: NaiveDate) -> NaiveDateTime {
    date.and_time(NaiveTime::MIN) - Duration::hours(OFFSET_HOURS)
}

/// The stored (UTC) time at which the China-time month of `date` begins.
pub fn month_start(date: NaiveDate) -> NaiveDateTime {
    day_start(date.with_day(1).unwrap_or(date))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("time")
    }

    #[test]
    fn china_days_and_months_begin_eight_hours_before_utc_ones() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
        assert_eq!(day_start(day), at("2026-11-30 16:00"));
        let mid_month = NaiveDate::from_ymd_opt(2026, 12, 17).expect("date");
        assert_eq!(month_start(mid_month), at("2026-11-30 16:00"));
        assert_eq!(local(at("2026-11-30 16:00")), at("2026-12-01 00:00"));
    }
}
