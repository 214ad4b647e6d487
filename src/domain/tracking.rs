//! Tracking after hand-over (issue #11): the normalised milestones every
//! source reports in, and the table that says which order event a milestone
//! sends from which state. Pure rules; `services::tracking` stores and moves.

use super::order_state::{self, Actor, Event, OrderStatus};
use super::status::text_enum;

text_enum!(
    /// A carrier's event, normalised. The carrier's own words are kept beside it.
    Milestone {
        InfoReceived => "info_received",
        Received => "received",
        DepartedOrigin => "departed_origin",
        InTransit => "in_transit",
        ArrivedDestination => "arrived_destination",
        CustomsClearance => "customs_clearance",
        CustomsHeld => "customs_held",
        CustomsReleased => "customs_released",
        OutForDelivery => "out_for_delivery",
        Delivered => "delivered",
        DeliveryFailed => "delivery_failed",
        ReturnedToSender => "returned_to_sender",
        Lost => "lost",
        Exception => "exception",
    }
);

text_enum!(
    /// Why a parcel is in exception, as the carrier or staff say.
    ExceptionReason {
        AddressProblem => "address_problem",
        RecipientRefused => "recipient_refused",
        MissingDocuments => "missing_documents",
        ProhibitedItem => "prohibited_item",
        Damaged => "damaged",
    }
);

text_enum!(
    /// Who reported a tracking event.
    Source {
        Staff => "staff",
        Csv => "csv",
        Carrier => "carrier",
        Recipient => "recipient",
    }
);

/// The milestones of a normal journey, in order: the progress bar's steps.
pub const PROGRESS: [Milestone; 7] = [
    Milestone::Received,
    Milestone::DepartedOrigin,
    Milestone::InTransit,
    Milestone::ArrivedDestination,
    Milestone::CustomsClearance,
    Milestone::OutForDelivery,
    Milestone::Delivered,
];

/// The state table: the order event each milestone sends. `None`: the
/// milestone only goes on the timeline.
const TABLE: [(Milestone, Option<Event>); 14] = [
    (Milestone::InfoReceived, None),
    (Milestone::Received, None),
    (Milestone::DepartedOrigin, Some(Event::Resume)),
    (Milestone::InTransit, Some(Event::Resume)),
    (Milestone::ArrivedDestination, Some(Event::Resume)),
    (Milestone::CustomsClearance, Some(Event::CustomsHold)),
    (Milestone::CustomsHeld, Some(Event::CustomsHold)),
    (Milestone::CustomsReleased, Some(Event::Resume)),
    (Milestone::OutForDelivery, Some(Event::OutForDelivery)),
    (Milestone::Delivered, Some(Event::Deliver)),
    (Milestone::DeliveryFailed, Some(Event::Exception)),
    (Milestone::ReturnedToSender, Some(Event::Return)),
    (Milestone::Lost, Some(Event::Lose)),
    (Milestone::Exception, Some(Event::Exception)),
];

impl Milestone {
    /// The order event this milestone sends, per [`TABLE`].
    pub fn event(self) -> Option<Event> {
        TABLE
            .iter()
            .find(|(milestone, _)| *milestone == self)
            .and_then(|(_, event)| event.clone())
    }

    /// The seller hears about these at once.
    pub fn is_alarm(self) -> bool {
        matches!(
            self,
            Milestone::CustomsHeld
                | Milestone::DeliveryFailed
                | Milestone::Exception
                | Milestone::Lost
        )
    }

    /// How far along [`PROGRESS`] this milestone is (steps reached, 0..=7);
    /// customs states count as the customs step, failures as the step before delivery.
    pub fn progress(self) -> usize {
        let step = match self {
            Milestone::InfoReceived => return 0,
            Milestone::CustomsHeld | Milestone::CustomsReleased => Milestone::CustomsClearance,
            Milestone::DeliveryFailed
            | Milestone::Exception
            | Milestone::Lost
            | Milestone::ReturnedToSender => Milestone::OutForDelivery,
            other => other,
        };
        PROGRESS
            .iter()
            .position(|m| *m == step)
            .map_or(0, |at| at + 1)
    }
}

/// The order events a milestone sends to an order in `from`, in order:
/// none when the state machine refuses the move (the event stays on the
/// timeline only). A parcel held in customs or in exception that is seen
/// moving again first resumes (back to in transit), then takes the move.
pub fn moves(from: OrderStatus, milestone: Milestone) -> Vec<Event> {
    let Some(event) = milestone.event() else {
        return Vec::new();
    };
    let allowed = |state, event: &Event| order_state::next(state, event, Actor::System).ok();
    if allowed(from, &event).is_some() {
        return vec![event];
    }
    let moving_on = matches!(event, Event::OutForDelivery | Event::Deliver);
    match allowed(from, &Event::Resume) {
        Some(resumed) if moving_on && allowed(resumed, &event).is_some() => {
            vec![Event::Resume, event]
        }
        _ => Vec::new(),
    }
}

/// The order events a milestone sends to a return order in `from`: like
/// [`moves`], except that a paid return (collected abroad, never at the
/// warehouse) is first collected by any milestone of a moving parcel.
pub fn return_moves(from: OrderStatus, milestone: Milestone) -> Vec<Event> {
    if from != OrderStatus::Paid || milestone.event().is_none() {
        return moves(from, milestone);
    }
    let mut steps = vec![Event::CollectReturn];
    steps.extend(moves(OrderStatus::InTransit, milestone));
    steps
}

/// Reads a UTC offset typed as `+08:00`, `-05:30` or `Z`, in minutes.
pub fn parse_offset(input: &str) -> Option<i64> {
    let input = input.trim();
    if input.eq_ignore_ascii_case("z") {
        return Some(0);
    }
    let (sign, rest) = match input.as_bytes().first()? {
        b'+' => (1, &input[1..]),
        b'-' => (-1, &input[1..]),
        _ => return None,
    };
    let (hours, minutes) = rest.split_once(':')?;
    if hours.len() != 2 || minutes.len() != 2 {
        return None;
    }
    let hours: i64 = hours.parse().ok()?;
    let minutes: i64 = minutes.parse().ok()?;
    let total = sign * (hours * 60 + minutes);
    (minutes < 60 && (-720..=840).contains(&total)).then_some(total)
}

/// Writes minutes as `+08:00`.
pub fn format_offset(minutes: i64) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let minutes = minutes.abs();
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Deliveries a route needs to a country before its measured times are shown.
pub const MIN_DELIVERIES: usize = 20;

/// The median and the 90th percentile (nearest rank) of delivery times in
/// days, once there are [`MIN_DELIVERIES`] of them.
pub fn measured_days(mut days: Vec<i64>) -> Option<(i64, i64)> {
    if days.len() < MIN_DELIVERIES {
        return None;
    }
    days.sort_unstable();
    let rank = |percent: usize| days[(days.len() * percent).div_ceil(100).max(1) - 1];
    Some((rank(50), rank(90)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus as S;

    #[test]
    fn every_milestone_has_a_row_in_the_table() {
        for milestone in Milestone::ALL {
            assert!(TABLE.iter().any(|(m, _)| m == milestone), "{milestone}");
        }
    }

    #[test]
    fn milestones_move_a_parcel_along_its_journey() {
        assert_eq!(
            moves(S::InTransit, Milestone::CustomsHeld),
            [Event::CustomsHold]
        );
        assert_eq!(
            moves(S::Customs, Milestone::CustomsReleased),
            [Event::Resume]
        );
        assert_eq!(
            moves(S::InTransit, Milestone::OutForDelivery),
            [Event::OutForDelivery]
        );
        assert_eq!(
            moves(S::OutForDelivery, Milestone::Delivered),
            [Event::Deliver]
        );
        assert_eq!(
            moves(S::OutForDelivery, Milestone::DeliveryFailed),
            [Event::Exception]
        );
        assert_eq!(moves(S::Exception, Milestone::Lost), [Event::Lose]);
        assert_eq!(
            moves(S::Exception, Milestone::ReturnedToSender),
            [Event::Return]
        );
        assert_eq!(moves(S::InTransit, Milestone::Lost), [Event::Lose]);
    }

    #[test]
    fn a_parcel_in_exception_seen_out_for_delivery_resumes_first() {
        assert_eq!(
            moves(S::Exception, Milestone::OutForDelivery),
            [Event::Resume, Event::OutForDelivery]
        );
        assert_eq!(moves(S::Exception, Milestone::InTransit), [Event::Resume]);
    }

    #[test]
    fn some_milestones_never_move_and_some_moves_are_refused() {
        for state in [S::InTransit, S::Customs, S::Exception] {
            assert!(moves(state, Milestone::InfoReceived).is_empty());
            assert!(moves(state, Milestone::Received).is_empty());
        }
        // Already moving: nothing to resume.
        assert!(moves(S::InTransit, Milestone::InTransit).is_empty());
        assert!(moves(S::Customs, Milestone::CustomsHeld).is_empty());
        // Delivered is final.
        for milestone in Milestone::ALL {
            assert!(moves(S::Delivered, *milestone).is_empty(), "{milestone}");
        }
        // Not yet handed to a carrier.
        assert!(moves(S::Received, Milestone::Delivered).is_empty());
        assert!(moves(S::Paid, Milestone::CustomsHeld).is_empty());
    }

    #[test]
    fn a_paid_return_is_collected_by_the_first_moving_milestone() {
        assert_eq!(
            return_moves(S::Paid, Milestone::InTransit),
            vec![Event::CollectReturn]
        );
        assert_eq!(
            return_moves(S::Paid, Milestone::Delivered),
            vec![Event::CollectReturn, Event::Deliver]
        );
        assert!(return_moves(S::Paid, Milestone::InfoReceived).is_empty());
        // Once moving, a return follows the normal table.
        assert_eq!(
            return_moves(S::InTransit, Milestone::Delivered),
            moves(S::InTransit, Milestone::Delivered)
        );
    }

    #[test]
    fn offsets_read_as_people_type_them() {
        assert_eq!(parse_offset("+08:00"), Some(480));
        assert_eq!(parse_offset("-05:30"), Some(-330));
        assert_eq!(parse_offset("Z"), Some(0));
        assert_eq!(parse_offset("+8"), None);
        assert_eq!(parse_offset("+15:00"), None);
        assert_eq!(format_offset(-330), "-05:30");
        assert_eq!(format_offset(480), "+08:00");
    }

    #[test]
    fn progress_counts_the_steps_reached() {
        assert_eq!(Milestone::InfoReceived.progress(), 0);
        assert_eq!(Milestone::Received.progress(), 1);
        assert_eq!(Milestone::CustomsHeld.progress(), 5);
        assert_eq!(Milestone::Delivered.progress(), PROGRESS.len());
    }

    #[test]
    fn measured_times_need_twenty_deliveries() {
        assert_eq!(measured_days((1..=19).collect()), None);
        assert_eq!(measured_days((1..=20).rev().collect()), Some((10, 18)));
    }
}
