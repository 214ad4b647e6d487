//! Returns (issue #11): why a parcel comes back, read from the carrier's
//! report or the seller's request. Pure rules; `services::returns` writes.

use super::status::text_enum;
use super::tracking::{ExceptionReason, Milestone};

text_enum!(
    /// Why a return order exists: the recipient refused the parcel, the
    /// carrier could not deliver it (failed delivery, address problem, sent
    /// back), or the seller asked for a delivered sample to come back.
    ReturnReason {
        Refused => "refused",
        Undeliverable => "undeliverable",
        Requested => "requested",
    }
);

/// The reason a carrier's newest event gives for sending a parcel back, or
/// `None` when the event is no refusal or failed delivery (customs, damage,
/// missing documents are dealt with otherwise, not by a return).
pub fn carrier_reason(
    milestone: Milestone,
    reason: Option<ExceptionReason>,
) -> Option<ReturnReason> {
    match (milestone, reason) {
        (Milestone::Exception, Some(ExceptionReason::RecipientRefused)) => {
            Some(ReturnReason::Refused)
        }
        (Milestone::Exception, Some(ExceptionReason::AddressProblem))
        | (Milestone::DeliveryFailed | Milestone::ReturnedToSender, _) => {
            Some(ReturnReason::Undeliverable)
        }
        _ => None,
    }
}

/// How long the recipient's return link works.
pub const LINK_VALID_DAYS: i64 = 30;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_and_failed_deliveries_are_returnable_other_trouble_is_not() {
        assert_eq!(
            carrier_reason(
                Milestone::Exception,
                Some(ExceptionReason::RecipientRefused)
            ),
            Some(ReturnReason::Refused)
        );
        assert_eq!(
            carrier_reason(Milestone::DeliveryFailed, None),
            Some(ReturnReason::Undeliverable)
        );
        assert_eq!(
            carrier_reason(Milestone::Exception, Some(ExceptionReason::AddressProblem)),
            Some(ReturnReason::Undeliverable)
        );
        assert_eq!(
            carrier_reason(Milestone::Exception, Some(ExceptionReason::Damaged)),
            None
        );
        assert_eq!(carrier_reason(Milestone::CustomsHeld, None), None);
    }
}
