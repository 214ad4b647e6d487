//! Reminders to review: 2 and 7 days after an order finished, while it is
//! not reviewed, the member who created it gets a notification (`review.reminder`,
//! mailed unless they opted out). Each is sent once: `review_reminders`
//! holds a row per order and reminder, inserted before the notification in
//! the same transaction, so rounds that race cannot both send it.

use crate::db::schema::{order_events, orders, review_reminders, reviews};
use crate::db::{DbConnection, write_tx};
use crate::domain::ids::UserId;
use crate::domain::review::WRITE_WINDOW_DAYS;
use crate::services::{ServiceResult, notifications};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// The notification kind of a reminder.
pub const NOTIFY_KIND: &str = "review.reminder";

/// Days after the finish of the first and the second reminder.
pub const AFTER_DAYS: [i64; 2] = [2, 7];

/// A reminder one round sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reminded {
    pub order_no: String,
    /// 1 or 2.
    pub nth: i64,
}

/// Which reminder is due for an order finished at `finished_at`: the later
/// one when both are (a round that did not run for days sends one, not two).
pub fn due(finished_at: NaiveDateTime, now: NaiveDateTime) -> Option<i64> {
    let age = now - finished_at;
    if age > Duration::days(WRITE_WINDOW_DAYS) {
        return None;
    }
    AFTER_DAYS
        .iter()
        .zip([1, 2])
        .rev()
        .find(|(days, _)| age >= Duration::days(**days))
        .map(|(_, nth)| nth)
}

/// One round at `now` (a parameter, so tests can look days ahead): sends
/// every reminder that is due and not sent yet, each order in its own
/// transaction.
#[tracing::instrument(skip(conn))]
pub fn round(conn: &mut DbConnection, now: NaiveDateTime) -> ServiceResult<Vec<Reminded>> {
    let first = Duration::days(AFTER_DAYS[0]);
    let candidates: Vec<(i64, String, i64, NaiveDateTime)> = order_events::table
        .inner_join(orders::table)
        .filter(order_events::to_status.eq_any(["delivered", "returned", "lost"]))
        .filter(order_events::at.ge(now - Duration::days(WRITE_WINDOW_DAYS)))
        .filter(order_events::at.le(now - first))
        .filter(orders::status.eq(order_events::to_status))
        .filter(order_events::from_status.ne(orders::status.nullable()))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            reviews::table.filter(reviews::order_id.eq(orders::id)),
        )))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            review_reminders::table
                .filter(review_reminders::order_id.eq(orders::id))
                .filter(review_reminders::nth.eq(2_i64)),
        )))
        .order(order_events::at.asc())
        .select((
            orders::id,
            orders::order_no,
            orders::created_by,
            order_events::at,
        ))
        .load(conn)?;
    let mut sent = Vec::new();
    for (order_id, order_no, creator, finished_at) in candidates {
        let Some(nth) = due(finished_at, now) else {
            continue;
        };
        let fresh = write_tx(conn, |conn| -> ServiceResult<bool> {
            let inserted =
                crate::with_backend!(&mut *conn, |c| diesel::insert_into(review_reminders::table)
                    .values((
                        review_reminders::order_id.eq(order_id),
                        review_reminders::nth.eq(nth),
                        review_reminders::sent_at.eq(now),
                    ))
                    .on_conflict_do_nothing()
                    .execute(c))?;
            if inserted == 0 {
                return Ok(false);
            }
            notifications::notify_user(
                conn,
                UserId(creator),
                NOTIFY_KIND,
                &order_no,
                &format!("/app/orders/{order_no}/review"),
            )?;
            Ok(true)
        })?;
        if fresh {
            sent.push(Reminded { order_no, nth });
        }
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(day: u32, hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, day)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .expect("date")
    }

    #[test]
    fn reminders_fall_due_after_two_and_seven_days_until_the_window_closes() {
        let finished = at(1, 12);
        assert_eq!(due(finished, at(3, 11)), None);
        assert_eq!(due(finished, at(3, 12)), Some(1));
        assert_eq!(due(finished, at(8, 11)), Some(1));
        assert_eq!(due(finished, at(8, 12)), Some(2));
        assert_eq!(due(finished, finished + Duration::days(91)), None);
    }
}
