//! The prepaid balance's rules: the kinds of ledger entries and the sign each
//! carries, top-up amounts, what a payment is short of, and totals by
//! China-time month. The balance itself is the sum of the entries.

use super::money::Fen;
use super::status::text_enum;
use chrono::{Datelike, NaiveDateTime};
use std::fmt;

text_enum!(
    /// What a ledger entry records. Credits are positive, debits negative.
    EntryKind {
        Topup => "topup",
        Payment => "payment",
        Reweigh => "reweigh",
        Refund => "refund",
        ReturnFee => "return_fee",
        Adjustment => "adjustment",
    }
);

impl EntryKind {
    /// Whether `amount` has the sign this kind carries; an adjustment may go
    /// either way, but no entry is zero.
    pub fn allows(self, amount: Fen) -> bool {
        match self {
            EntryKind::Topup | EntryKind::Refund => amount > Fen::ZERO,
            EntryKind::Payment | EntryKind::ReturnFee => amount < Fen::ZERO,
            // A re-weigh charges a heavier parcel's difference or refunds a lighter one's.
            EntryKind::Reweigh | EntryKind::Adjustment => amount != Fen::ZERO,
        }
    }
}

text_enum!(
    /// A top-up request: pending until the platform admin confirms or rejects it.
    TopupStatus {
        Pending => "pending",
        Confirmed => "confirmed",
        Rejected => "rejected",
    }
);

/// The largest single top-up, ¥1,000,000.00: a typo with extra zeros is
/// caught before the admin has to.
pub const MAX_TOPUP: Fen = Fen(100_000_000);

/// Why a typed top-up amount is refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TopupAmountError {
    #[error("not an amount in yuan with at most two decimals")]
    Format,
    #[error("the amount must be above zero")]
    NotPositive,
    #[error("the amount is above the largest top-up")]
    TooLarge,
}

impl TopupAmountError {
    pub fn message_key(&self) -> &'static str {
        match self {
            TopupAmountError::Format => "error.topup.amount_format",
            TopupAmountError::NotPositive => "error.topup.amount_positive",
            TopupAmountError::TooLarge => "error.topup.amount_too_large",
        }
    }
}

/// Parses a top-up amount in yuan ("5000", "5000.5", "¥5000.50").
pub fn parse_topup_amount(input: &str) -> Result<Fen, TopupAmountError> {
    let text = input.trim();
    let text = text
        .strip_prefix('¥')
        .or_else(|| text.strip_prefix('￥'))
        .unwrap_or(text)
        .trim();
    let amount = match Fen::parse(text) {
        Ok(amount) => amount,
        Err(super::money::AmountError::Negative) => return Err(TopupAmountError::NotPositive),
        Err(super::money::AmountError::TooLarge) => return Err(TopupAmountError::TooLarge),
        Err(super::money::AmountError::Format(_)) => return Err(TopupAmountError::Format),
    };
    if amount <= Fen::ZERO {
        Err(TopupAmountError::NotPositive)
    } else if amount > MAX_TOPUP {
        Err(TopupAmountError::TooLarge)
    } else {
        Ok(amount)
    }
}

/// How much is missing to pay `due` from `balance`, or `None` when it is
/// enough. The balance never goes below zero (there is no credit line).
pub fn shortfall(balance: Fen, due: Fen) -> Option<Fen> {
    (due > balance).then(|| due - balance)
}

/// A calendar month in China Standard Time, shown as "2026-11".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// The China-time month of a stored (UTC) time.
pub fn china_month(at_utc: NaiveDateTime) -> Month {
    let local = super::china_time::local(at_utc);
    Month {
        year: local.year(),
        month: local.month(),
    }
}

/// Credits, debits (negative) and their net for one month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthTotal {
    pub month: Month,
    pub credits: Fen,
    pub debits: Fen,
    pub net: Fen,
}

/// Groups entries (stored time, signed amount) by China-time month, newest
/// month first.
pub fn monthly_totals(entries: impl IntoIterator<Item = (NaiveDateTime, Fen)>) -> Vec<MonthTotal> {
    let mut months: std::collections::BTreeMap<Month, (Fen, Fen)> = Default::default();
    for (at, amount) in entries {
        let (credits, debits) = months.entry(china_month(at)).or_default();
        if amount > Fen::ZERO {
            *credits += amount;
        } else {
            *debits += amount;
        }
    }
    months
        .into_iter()
        .rev()
        .map(|(month, (credits, debits))| MonthTotal {
            month,
            credits,
            debits,
            net: credits + debits,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("time")
    }

    #[test]
    fn credits_are_positive_and_debits_negative() {
        assert!(EntryKind::Topup.allows(Fen(100)));
        assert!(EntryKind::Refund.allows(Fen(100)));
        assert!(!EntryKind::Topup.allows(Fen(-100)));
        assert!(EntryKind::Payment.allows(Fen(-100)));
        assert!(EntryKind::Reweigh.allows(Fen(-1)));
        assert!(!EntryKind::Payment.allows(Fen(100)));
        assert!(EntryKind::Adjustment.allows(Fen(-5)) && EntryKind::Adjustment.allows(Fen(5)));
        for kind in EntryKind::ALL {
            assert!(!kind.allows(Fen::ZERO), "{kind}");
        }
    }

    #[test]
    fn top_up_amounts_are_yuan_above_zero_up_to_a_million() {
        assert_eq!(parse_topup_amount("5000"), Ok(Fen(500_000)));
        assert_eq!(parse_topup_amount(" ¥12.34 "), Ok(Fen(1234)));
        assert_eq!(parse_topup_amount("￥0.01"), Ok(Fen(1)));
        assert_eq!(parse_topup_amount("1000000"), Ok(MAX_TOPUP));
        assert_eq!(
            parse_topup_amount("1000000.01"),
            Err(TopupAmountError::TooLarge)
        );
        assert_eq!(
            parse_topup_amount("99999999999999999999"),
            Err(TopupAmountError::TooLarge)
        );
        assert_eq!(parse_topup_amount("0"), Err(TopupAmountError::NotPositive));
        assert_eq!(parse_topup_amount("-5"), Err(TopupAmountError::NotPositive));
        assert_eq!(parse_topup_amount("1.234"), Err(TopupAmountError::Format));
        assert_eq!(parse_topup_amount("五千"), Err(TopupAmountError::Format));
        assert_eq!(parse_topup_amount(""), Err(TopupAmountError::Format));
    }

    #[test]
    fn the_shortfall_is_what_the_balance_lacks() {
        assert_eq!(shortfall(Fen(10_000), Fen(11_234)), Some(Fen(1_234)));
        assert_eq!(shortfall(Fen(10_000), Fen(10_000)), None);
        assert_eq!(shortfall(Fen::ZERO, Fen(1)), Some(Fen(1)));
        assert_eq!(shortfall(Fen(5), Fen::ZERO), None);
    }

    #[test]
    fn months_are_china_time_months() {
        // 2026-11-30 16:00 UTC is already 1 December in Shanghai.
        assert_eq!(
            china_month(at("2026-11-30 16:00")),
            Month {
                year: 2026,
                month: 12
            }
        );
        assert_eq!(china_month(at("2026-11-30 15:59")).to_string(), "2026-11");
    }

    #[test]
    fn monthly_totals_split_credits_and_debits_newest_month_first() {
        let totals = monthly_totals([
            (at("2026-10-31 15:00"), Fen(50_000)),
            (at("2026-10-31 17:00"), Fen(-1_200)),
            (at("2026-11-02 09:00"), Fen(-3_000)),
            (at("2026-11-03 09:00"), Fen(3_000)),
        ]);
        let rows: Vec<_> = totals
            .iter()
            .map(|t| (t.month.to_string(), t.credits, t.debits, t.net))
            .collect();
        assert_eq!(
            rows,
            [
                ("2026-11".to_owned(), Fen(3_000), Fen(-4_200), Fen(-1_200)),
                ("2026-10".to_owned(), Fen(50_000), Fen::ZERO, Fen(50_000)),
            ]
        );
        assert!(monthly_totals([]).is_empty());
    }
}
