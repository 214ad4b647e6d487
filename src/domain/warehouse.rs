//! The warehouse's rules (DESIGN.md §2, §4): how a parcel reaches it, why it
//! may be refused, when a measured parcel counts as the declared one, and
//! what the money does once it is weighed. Pure: the services decide with
//! these and write the result in one transaction.

use super::ledger::shortfall;
use super::money::Fen;
use super::status::text_enum;

text_enum!(
    /// How a paid order reaches the warehouse.
    Handover {
        DropOff => "drop_off",
        Pickup => "pickup",
    }
);

text_enum!(
    /// A seller's pickup request as the operators answered it.
    PickupStatus {
        Requested => "requested",
        Confirmed => "confirmed",
        Proposed => "proposed",
        Cancelled => "cancelled",
        Collected => "collected",
    }
);

text_enum!(
    /// What the warehouse did with a parcel it measured.
    CheckOutcome {
        Accepted => "accepted",
        Refused => "refused",
    }
);

text_enum!(
    /// Why the warehouse refused a parcel (`warehouse.refusal.*` in the catalogue).
    RefusalReason {
        UndeclaredBattery => "undeclared_battery",
        ProhibitedItem => "prohibited_item",
        Damaged => "damaged",
        OverLimits => "over_limits",
        Mismatch => "mismatch",
    }
);

/// How far the measured weight may be from the declared one before the
/// parcel is priced again: the larger of a fixed number of grams and a share
/// of the declared weight (admin settings, e.g. 50 g or 3 %).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tolerance {
    pub grams: u32,
    pub basis_points: u32,
}

impl Tolerance {
    /// Whether `measured_g` counts as `declared_g`. Both are the weight the
    /// route charges by before rounding: the larger of actual and volumetric.
    pub fn absorbs(self, declared_g: u32, measured_g: u32) -> bool {
        let share = u64::from(declared_g) * u64::from(self.basis_points) / 10_000;
        let allowed = u64::from(self.grams).max(share);
        u64::from(declared_g.abs_diff(measured_g)) <= allowed
    }
}

/// What the money does after a weighing, given the bill, what the order has
/// been charged so far (net of refunds) and the company's balance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settlement {
    /// The bill is what was paid.
    Even,
    /// The bill is higher and the balance covers the difference.
    Charge(Fen),
    /// The bill is lower: the difference goes back to the balance.
    Refund(Fen),
    /// The bill is higher and the balance lacks `missing` of the `owed` difference.
    Hold { owed: Fen, missing: Fen },
}

pub fn settle(bill: Fen, charged: Fen, balance: Fen) -> Settlement {
    let difference = bill - charged;
    if difference == Fen::ZERO {
        Settlement::Even
    } else if difference < Fen::ZERO {
        Settlement::Refund(-difference)
    } else {
        match shortfall(balance, difference) {
            Some(missing) => Settlement::Hold {
                owed: difference,
                missing,
            },
            None => Settlement::Charge(difference),
        }
    }
}

/// A return costs the fee, but never more than the order was charged:
/// the seller is not billed for a parcel that never left beyond what it paid.
pub fn return_fee(fee: Fen, charged: Fen) -> Fen {
    fee.min(charged).max(Fen::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tolerance_is_the_larger_of_grams_and_share() {
        let tolerance = Tolerance {
            grams: 50,
            basis_points: 300,
        };
        // 3 % of 1000 g is 30 g: the 50 g count.
        assert!(tolerance.absorbs(1000, 1050));
        assert!(!tolerance.absorbs(1000, 1051));
        assert!(tolerance.absorbs(1000, 950));
        // 3 % of 5000 g is 150 g.
        assert!(tolerance.absorbs(5000, 5150));
        assert!(!tolerance.absorbs(5000, 5151));
    }

    #[test]
    fn the_money_follows_the_scale() {
        assert_eq!(settle(Fen(100), Fen(100), Fen(0)), Settlement::Even);
        assert_eq!(
            settle(Fen(150), Fen(100), Fen(50)),
            Settlement::Charge(Fen(50))
        );
        assert_eq!(
            settle(Fen(150), Fen(100), Fen(20)),
            Settlement::Hold {
                owed: Fen(50),
                missing: Fen(30)
            }
        );
        assert_eq!(
            settle(Fen(80), Fen(100), Fen(0)),
            Settlement::Refund(Fen(20))
        );
    }

    #[test]
    fn a_return_never_costs_more_than_was_charged() {
        assert_eq!(return_fee(Fen(3000), Fen(10_000)), Fen(3000));
        assert_eq!(return_fee(Fen(3000), Fen(1000)), Fen(1000));
        assert_eq!(return_fee(Fen(3000), Fen(0)), Fen(0));
    }
}

/// A carrier's waybill (tracking) number: 6–40 letters, digits or dashes,
/// kept upper-case so a scanned and a typed number compare equal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waybill(String);

impl Waybill {
    pub fn parse(input: &str) -> Result<Waybill, &'static str> {
        let text = input.trim().to_ascii_uppercase();
        let length = text.chars().count();
        if text.is_empty() {
            return Err("error.warehouse.waybill_required");
        }
        if !(6..=40).contains(&length)
            || !text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err("error.warehouse.waybill_invalid");
        }
        Ok(Waybill(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod waybill_tests {
    use super::Waybill;

    #[test]
    fn a_waybill_is_kept_upper_case_and_refused_when_it_cannot_be_one() {
        assert_eq!(
            Waybill::parse(" 1z999aa10123456784 ").map(|w| w.as_str().to_owned()),
            Ok("1Z999AA10123456784".to_owned())
        );
        assert_eq!(Waybill::parse(""), Err("error.warehouse.waybill_required"));
        assert_eq!(
            Waybill::parse("12345"),
            Err("error.warehouse.waybill_invalid")
        );
        assert_eq!(
            Waybill::parse("1234 5678"),
            Err("error.warehouse.waybill_invalid")
        );
    }
}
