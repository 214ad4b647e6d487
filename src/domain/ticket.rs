//! Support tickets (issue #11): categories, the status a ticket is in, and
//! the pure rule of who may move it where. Services decide with `next` and
//! write the result in one transaction.

use super::status::text_enum;
use chrono::{Duration, NaiveDateTime};

text_enum!(
    /// What a ticket is about (`ticket_category.*` in the catalogue).
    TicketCategory {
        Lost => "lost",
        Damaged => "damaged",
        Delay => "delay",
        Customs => "customs",
        AddressChange => "address_change",
        ReturnRequest => "return_request",
        Billing => "billing",
        Other => "other",
    }
);

text_enum!(
    /// open → waiting_on_customer → resolved → closed; a resolved ticket
    /// reopens within [`REOPEN_DAYS`].
    TicketStatus {
        Open => "open",
        WaitingOnCustomer => "waiting_on_customer",
        Resolved => "resolved",
        Closed => "closed",
    }
);

/// How long after its resolution a ticket may be reopened.
pub const REOPEN_DAYS: i64 = 14;

/// Which side of the thread acts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Member,
    Staff,
}

/// What someone does to a ticket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    Reply,
    /// Staff wait for the customer without writing (e.g. after a call).
    WaitOnCustomer,
    Resolve,
    Reopen,
    Close,
}

/// Why a move is refused (`error.ticket.*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// The ticket is resolved or closed: reopen it first.
    NotActive,
    /// Only staff do this.
    StaffOnly,
    /// Resolved more than [`REOPEN_DAYS`] ago, or closed.
    ReopenWindowClosed,
    /// The ticket is not in a state this move starts from.
    NotAllowed,
}

impl Refused {
    pub fn message_key(self) -> &'static str {
        match self {
            Refused::NotActive => "error.ticket.not_active",
            Refused::StaffOnly => "error.ticket.staff_only",
            Refused::ReopenWindowClosed => "error.ticket.reopen_closed",
            Refused::NotAllowed => "error.ticket.not_allowed",
        }
    }
}

impl TicketStatus {
    /// Open or waiting: the thread takes replies.
    pub fn is_active(self) -> bool {
        matches!(self, TicketStatus::Open | TicketStatus::WaitingOnCustomer)
    }
}

/// Whether a ticket resolved at `resolved_at` may still be reopened at `now`.
pub fn may_reopen(resolved_at: Option<NaiveDateTime>, now: NaiveDateTime) -> bool {
    resolved_at.is_some_and(|at| now - at <= Duration::days(REOPEN_DAYS))
}

/// The status after `side` does `action` to a ticket in `status`. A staff
/// reply waits on the customer; a member reply puts the ticket back into
/// the queue.
pub fn next(
    status: TicketStatus,
    side: Side,
    action: Move,
    resolved_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<TicketStatus, Refused> {
    use TicketStatus::*;
    match action {
        Move::Reply if !status.is_active() => Err(Refused::NotActive),
        Move::Reply => Ok(match side {
            Side::Staff => WaitingOnCustomer,
            Side::Member => Open,
        }),
        Move::WaitOnCustomer if side != Side::Staff => Err(Refused::StaffOnly),
        Move::WaitOnCustomer if status == Open => Ok(WaitingOnCustomer),
        Move::WaitOnCustomer => Err(Refused::NotAllowed),
        Move::Resolve if status.is_active() => Ok(Resolved),
        Move::Resolve => Err(Refused::NotActive),
        Move::Reopen if status == Resolved && may_reopen(resolved_at, now) => Ok(Open),
        Move::Reopen if matches!(status, Resolved | Closed) => Err(Refused::ReopenWindowClosed),
        Move::Reopen => Err(Refused::NotAllowed),
        Move::Close if side != Side::Staff => Err(Refused::StaffOnly),
        Move::Close if status == Resolved => Ok(Closed),
        Move::Close => Err(Refused::NotAllowed),
    }
}

/// A subject: 1 to 120 characters after trimming.
pub fn subject(text: &str) -> Result<String, &'static str> {
    bounded(
        text,
        120,
        "error.ticket.subject_required",
        "error.ticket.subject_long",
    )
}

/// A message: 1 to 5,000 characters after trimming.
pub fn body(text: &str) -> Result<String, &'static str> {
    bounded(
        text,
        5000,
        "error.ticket.body_required",
        "error.ticket.body_long",
    )
}

fn bounded(
    text: &str,
    max: usize,
    empty: &'static str,
    long: &'static str,
) -> Result<String, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        Err(empty)
    } else if text.chars().count() > max {
        Err(long)
    } else {
        Ok(text.to_owned())
    }
}

/// A span as "h:mm" (hours may exceed 24), for first-response and
/// resolution times.
pub fn hours_minutes(from: NaiveDateTime, to: NaiveDateTime) -> String {
    let minutes = (to - from).num_minutes().max(0);
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use TicketStatus::*;

    fn at(day: u32, hour: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, day)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .expect("a date")
    }

    fn step(status: TicketStatus, side: Side, action: Move) -> Result<TicketStatus, Refused> {
        next(status, side, action, Some(at(1, 0)), at(2, 0))
    }

    #[test]
    fn a_staff_reply_waits_on_the_customer_and_a_member_reply_reopens_the_queue() {
        assert_eq!(step(Open, Side::Staff, Move::Reply), Ok(WaitingOnCustomer));
        assert_eq!(
            step(WaitingOnCustomer, Side::Staff, Move::Reply),
            Ok(WaitingOnCustomer)
        );
        assert_eq!(step(WaitingOnCustomer, Side::Member, Move::Reply), Ok(Open));
        assert_eq!(step(Open, Side::Member, Move::Reply), Ok(Open));
    }

    #[test]
    fn nobody_replies_to_a_resolved_or_closed_ticket() {
        for status in [Resolved, Closed] {
            for side in [Side::Member, Side::Staff] {
                assert_eq!(step(status, side, Move::Reply), Err(Refused::NotActive));
            }
        }
    }

    #[test]
    fn only_staff_set_waiting_and_close() {
        assert_eq!(
            step(Open, Side::Member, Move::WaitOnCustomer),
            Err(Refused::StaffOnly)
        );
        assert_eq!(
            step(Open, Side::Staff, Move::WaitOnCustomer),
            Ok(WaitingOnCustomer)
        );
        assert_eq!(
            step(Resolved, Side::Staff, Move::WaitOnCustomer),
            Err(Refused::NotAllowed)
        );
        assert_eq!(
            step(Resolved, Side::Member, Move::Close),
            Err(Refused::StaffOnly)
        );
        assert_eq!(step(Resolved, Side::Staff, Move::Close), Ok(Closed));
        assert_eq!(
            step(Open, Side::Staff, Move::Close),
            Err(Refused::NotAllowed)
        );
    }

    #[test]
    fn either_side_resolves_an_active_ticket() {
        for side in [Side::Member, Side::Staff] {
            assert_eq!(step(Open, side, Move::Resolve), Ok(Resolved));
            assert_eq!(step(WaitingOnCustomer, side, Move::Resolve), Ok(Resolved));
            assert_eq!(step(Closed, side, Move::Resolve), Err(Refused::NotActive));
        }
    }

    #[test]
    fn a_resolved_ticket_reopens_within_fourteen_days_only() {
        let resolved = Some(at(1, 0));
        assert_eq!(
            next(Resolved, Side::Member, Move::Reopen, resolved, at(15, 0)),
            Ok(Open)
        );
        assert_eq!(
            next(Resolved, Side::Member, Move::Reopen, resolved, at(15, 1)),
            Err(Refused::ReopenWindowClosed)
        );
        assert_eq!(
            step(Closed, Side::Member, Move::Reopen),
            Err(Refused::ReopenWindowClosed)
        );
        assert_eq!(
            step(Open, Side::Member, Move::Reopen),
            Err(Refused::NotAllowed)
        );
    }

    #[test]
    fn spans_read_as_hours_and_minutes() {
        assert_eq!(hours_minutes(at(1, 0), at(2, 3)), "27:00");
        let later = at(1, 0) + Duration::minutes(65);
        assert_eq!(hours_minutes(at(1, 0), later), "1:05");
    }
}
