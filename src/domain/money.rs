//! Money in integer minor units (fen for CNY, cents for USD), percentages in
//! basis points, and the one rounding rule: half-up to the minor unit.

use std::fmt;
use std::ops::{Add, AddAssign, Neg, Sub};

/// An amount of CNY in fen (0.01 CNY). Negative for discounts and refunds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fen(pub i64);

/// An amount of USD in cents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UsdCents(pub i64);

/// A percentage in hundredths of a percent: 12.5 % is `BasisPoints(1250)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BasisPoints(pub i64);

/// CNY per USD with four decimals: 7.1234 is `UsdCnyRate(71234)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct UsdCnyRate(pub i64);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AmountError {
    #[error("not a number with at most {0} decimals")]
    Format(u32),
    #[error("the number is too large")]
    TooLarge,
    #[error("negative amounts are not allowed")]
    Negative,
}

impl AmountError {
    pub fn message_key(&self) -> &'static str {
        match self {
            AmountError::Format(_) => "error.amount.format",
            AmountError::TooLarge => "error.amount.too_large",
            AmountError::Negative => "error.amount.negative",
        }
    }
}

/// `numerator / denominator` rounded half-up (away from zero at .5), for any sign.
pub fn div_round_half_up(numerator: i128, denominator: i128) -> i128 {
    debug_assert!(denominator > 0);
    let half = denominator / 2;
    if numerator >= 0 {
        (numerator + half) / denominator
    } else {
        -((-numerator + half) / denominator)
    }
}

/// Parses a non-negative decimal with at most `decimals` places into an
/// integer scaled by 10^decimals: `parse_scaled("12.5", 2) == Ok(1250)`.
pub fn parse_scaled(input: &str, decimals: u32) -> Result<i64, AmountError> {
    let text = input.trim();
    if text.starts_with('-') {
        return Err(AmountError::Negative);
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty()
        || !digits_only(whole)
        || !digits_only(fraction)
        || fraction.len() > decimals as usize
    {
        return Err(AmountError::Format(decimals));
    }
    let scale = 10i64.pow(decimals);
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| AmountError::TooLarge)?
    };
    let mut fraction_value: i64 = if fraction.is_empty() {
        0
    } else {
        fraction
            .parse()
            .map_err(|_| AmountError::Format(decimals))?
    };
    for _ in fraction.len()..decimals as usize {
        fraction_value *= 10;
    }
    whole
        .checked_mul(scale)
        .and_then(|w| w.checked_add(fraction_value))
        .filter(|v| *v <= 1_000_000_000_000)
        .ok_or(AmountError::TooLarge)
}

fn format_scaled(value: i64, decimals: u32) -> String {
    let scale = 10i64.pow(decimals);
    let sign = if value < 0 { "-" } else { "" };
    let abs = value.unsigned_abs();
    let scale = scale as u64;
    format!(
        "{sign}{}.{:0width$}",
        abs / scale,
        abs % scale,
        width = decimals as usize
    )
}

impl Fen {
    pub const ZERO: Fen = Fen(0);

    /// Parses "123.45" (CNY, at most two decimals).
    pub fn parse(input: &str) -> Result<Fen, AmountError> {
        parse_scaled(input, 2).map(Fen)
    }

    /// This amount times `percent`, rounded half-up to the fen.
    pub fn percent(self, percent: BasisPoints) -> Fen {
        Fen(div_round_half_up(self.0 as i128 * percent.0 as i128, 10_000) as i64)
    }

    /// A price per kilogram applied to `grams`, rounded half-up to the fen.
    pub fn per_kg(self, grams: i64) -> Fen {
        Fen(div_round_half_up(self.0 as i128 * grams as i128, 1000) as i64)
    }

    pub fn times(self, count: i64) -> Fen {
        Fen(self.0 * count)
    }
}

impl fmt::Display for Fen {
    /// "123.45", the form used in CSV files, JSON and the CLI.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_scaled(self.0, 2))
    }
}

impl Add for Fen {
    type Output = Fen;
    fn add(self, other: Fen) -> Fen {
        Fen(self.0 + other.0)
    }
}

impl AddAssign for Fen {
    fn add_assign(&mut self, other: Fen) {
        self.0 += other.0;
    }
}

impl Sub for Fen {
    type Output = Fen;
    fn sub(self, other: Fen) -> Fen {
        Fen(self.0 - other.0)
    }
}

impl Neg for Fen {
    type Output = Fen;
    fn neg(self) -> Fen {
        Fen(-self.0)
    }
}

impl std::iter::Sum for Fen {
    fn sum<I: Iterator<Item = Fen>>(iter: I) -> Fen {
        iter.fold(Fen::ZERO, Add::add)
    }
}

impl UsdCents {
    /// Parses "8" or "8.50" (USD, at most two decimals).
    pub fn parse(input: &str) -> Result<UsdCents, AmountError> {
        parse_scaled(input, 2).map(UsdCents)
    }

    /// Converts to CNY at `rate`, rounded half-up to the fen.
    pub fn to_cny(self, rate: UsdCnyRate) -> Fen {
        Fen(div_round_half_up(self.0 as i128 * rate.0 as i128, 10_000) as i64)
    }
}

impl fmt::Display for UsdCents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_scaled(self.0, 2))
    }
}

impl BasisPoints {
    /// Parses a percentage such as "12.5" (at most two decimals).
    pub fn parse_percent(input: &str) -> Result<BasisPoints, AmountError> {
        parse_scaled(input, 2).map(BasisPoints)
    }
}

impl fmt::Display for BasisPoints {
    /// The percentage without the sign: "12.50".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_scaled(self.0, 2))
    }
}

impl UsdCnyRate {
    /// Parses "7.1234" (at most four decimals, above zero).
    pub fn parse(input: &str) -> Result<UsdCnyRate, AmountError> {
        let value = parse_scaled(input, 4)?;
        if value == 0 {
            return Err(AmountError::Format(4));
        }
        Ok(UsdCnyRate(value))
    }
}

impl fmt::Display for UsdCnyRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_scaled(self.0, 4))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_with_up_to_two_decimals() {
        assert_eq!(Fen::parse("123.45"), Ok(Fen(12345)));
        assert_eq!(Fen::parse("7"), Ok(Fen(700)));
        assert_eq!(Fen::parse("0.5"), Ok(Fen(50)));
        assert_eq!(Fen::parse(" 12.30 "), Ok(Fen(1230)));
        assert!(Fen::parse("1.234").is_err());
        assert!(Fen::parse("abc").is_err());
        assert!(Fen::parse("").is_err());
        assert!(Fen::parse(".").is_err());
        assert_eq!(Fen::parse("-1"), Err(AmountError::Negative));
        assert!(Fen::parse("1,5").is_err());
    }

    #[test]
    fn amounts_print_as_decimal_strings() {
        assert_eq!(Fen(12345).to_string(), "123.45");
        assert_eq!(Fen(5).to_string(), "0.05");
        assert_eq!(Fen(-250).to_string(), "-2.50");
    }

    #[test]
    fn percentages_round_half_up_to_the_fen() {
        // 10.05 CNY × 15 % = 1.5075 → 1.51
        assert_eq!(Fen(1005).percent(BasisPoints(1500)), Fen(151));
        // 0.10 × 5 % = 0.005 → 0.01 (half rounds up)
        assert_eq!(Fen(10).percent(BasisPoints(500)), Fen(1));
        // 0.10 × 4.9 % = 0.0049 → 0.00
        assert_eq!(Fen(10).percent(BasisPoints(490)), Fen(0));
        assert_eq!(Fen(-10).percent(BasisPoints(500)), Fen(-1));
    }

    #[test]
    fn per_kg_prices_round_half_up_to_the_fen() {
        // 85.00 CNY/kg × 0.6 kg = 51.00
        assert_eq!(Fen(8500).per_kg(600), Fen(5100));
        // 0.05 CNY/kg × 10 g = 0.0005 → 0.00 ; × 100 g = 0.005 → 0.01
        assert_eq!(Fen(5).per_kg(10), Fen(0));
        assert_eq!(Fen(5).per_kg(100), Fen(1));
    }

    #[test]
    fn usd_converts_to_cny_at_the_admin_rate() {
        let rate = UsdCnyRate::parse("7.1234").expect("rate");
        assert_eq!(UsdCents(800).to_cny(rate), Fen(5699)); // 56.9872 → 56.99
        assert!(UsdCnyRate::parse("0").is_err());
    }
}
