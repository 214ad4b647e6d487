//! Order number: the human-friendly, unique name of a sample order, such as
//! `SP2611250001BU`, with two check characters that catch typing mistakes.
//!
//! Layout: `SP`, the creation date in China time as `YYMMDD`, the day's
//! sequence number (4 digits, zero-padded; 5 or more from 10000 on, never with
//! a leading zero), then two check characters.
//!
//! Check characters: ISO 7064 MOD 97-10 over every preceding character, digits
//! standing for themselves and letters for two digits as in an IBAN (`A` = 10
//! … `Z` = 35, so `SP` reads `2825`). The check value `c` = 98 − (n × 100 mod
//! 97) lies in 2..=98 and is written as two characters of [`ALPHABET`]:
//! `ALPHABET[c / 32]` then `ALPHABET[c % 32]`.
//!
//! Why every single-character typo and every adjacent transposition is caught:
//! - In the digits before the check, a change of one digit moves `n` by
//!   `d × 10^k` and a swap of two neighbours by `(a − b) × 9 × 10^k`; 97 is a
//!   prime that divides none of these, so the check value changes. A letter
//!   typed among those digits, or `SP` changed or swapped, breaks the layout.
//! - The first check character is always one of `A`–`D` (98 / 32 = 3), so
//!   swapping it with the last sequence digit leaves a letter among digits.
//! - The two check characters spell exactly one value, so changing either one
//!   or swapping two different ones cannot spell the expected value again.

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// The 32 check characters; a character's value is its index here. `I`, `O`,
/// `0` and `1` are left out so they cannot be mistaken for one another.
const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// Fixed start of every order number.
const PREFIX: &str = "SP";

/// Digits of the sequence number below 10000.
const MIN_SEQ_DIGITS: usize = 4;

/// A well-formed order number with valid check characters, in upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrderNo(String);

/// Why a string is not an order number. Every variant is shown to the user
/// with the same message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrderNoError {
    /// The string does not have the layout `SP` + date + sequence + check.
    #[error("an order number looks like SP2611250001BU")]
    Format,
    /// The check characters do not match the rest of the number.
    #[error("the order number has a typing mistake")]
    CheckCharacters,
}

impl OrderNoError {
    /// Key of the message shown to the user in the message catalogue.
    pub fn message_key(&self) -> &'static str {
        "error.order_no.invalid"
    }
}

impl OrderNo {
    /// The order number for the `seq`-th order (counted from 1) created on
    /// `date`, a day in China time. The year is written with two digits, so
    /// numbers are unique for dates in 2000–2099.
    pub fn new(date: NaiveDate, seq: u32) -> OrderNo {
        let body = format!(
            "{PREFIX}{:02}{:02}{:02}{seq:0width$}",
            date.year().rem_euclid(100),
            date.month(),
            date.day(),
            width = MIN_SEQ_DIGITS
        );
        let check = check_characters(&body);
        OrderNo(body + &check)
    }

    /// Parses an order number as typed by a person: surrounding whitespace is
    /// ignored and lower-case letters are accepted.
    pub fn parse(input: &str) -> Result<OrderNo, OrderNoError> {
        let number = input.trim().to_ascii_uppercase();
        if !number.is_ascii() {
            return Err(OrderNoError::Format);
        }
        let body_len = number.len().checked_sub(2).ok_or(OrderNoError::Format)?;
        let (body, check) = number.split_at(body_len);
        let digits = body.strip_prefix(PREFIX).ok_or(OrderNoError::Format)?;
        if digits.len() < 6 + MIN_SEQ_DIGITS || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(OrderNoError::Format);
        }
        let (date, seq) = digits.split_at(6);
        let yymmdd: u32 = date.parse().map_err(|_| OrderNoError::Format)?;
        let (yy, mm, dd) = (yymmdd / 10_000, yymmdd / 100 % 100, yymmdd % 100);
        let valid_date = NaiveDate::from_ymd_opt(2000 + yy as i32, mm, dd).is_some();
        // One number per (date, sequence): no leading zero beyond four digits.
        let canonical = seq.len() == MIN_SEQ_DIGITS || !seq.starts_with('0');
        if !valid_date || !canonical || seq.parse::<u32>().is_err() {
            return Err(OrderNoError::Format);
        }
        if check_characters(body) != check {
            return Err(OrderNoError::CheckCharacters);
        }
        Ok(OrderNo(number))
    }

    /// The number in upper case, as stored and displayed.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrderNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The two check characters of `body`, an ASCII string of digits and
/// upper-case letters (see the module documentation).
fn check_characters(body: &str) -> String {
    let remainder = body.bytes().fold(0u32, |acc, b| match b {
        b'0'..=b'9' => (acc * 10 + u32::from(b - b'0')) % 97,
        _ => (acc * 100 + u32::from(b - b'A') + 10) % 97,
    });
    let value = 98 - remainder * 100 % 97;
    [value / 32, value % 32]
        .iter()
        .map(|&i| char::from(ALPHABET[i as usize]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    /// Every character a person could type in place of another, after
    /// upper-casing.
    fn typeable() -> impl Iterator<Item = char> {
        ('0'..='9').chain('A'..='Z')
    }

    #[test]
    fn a_number_is_prefix_date_sequence_and_check() {
        assert_eq!(
            OrderNo::new(date(2026, 11, 25), 1).as_str(),
            "SP2611250001BU"
        );
        assert_eq!(
            OrderNo::new(date(2026, 11, 25), 9999).as_str(),
            "SP2611259999A7"
        );
    }

    #[test]
    fn the_check_value_is_iso_7064_mod_97_10_over_the_iban_digits() {
        // SP2611250001 reads 28252611250001; with the check value appended the
        // whole number is 1 modulo 97, as ISO 7064 MOD 97-10 requires.
        let value = 28_252_611_250_001u64 * 100 + 50;
        assert_eq!(value % 97, 1);
        assert_eq!(check_characters("SP2611250001"), "BU"); // 50 = 1 × 32 + 18
    }

    #[test]
    fn a_sequence_past_9999_uses_more_digits() {
        assert_eq!(
            OrderNo::new(date(2026, 11, 25), 10000).as_str(),
            "SP26112510000AK"
        );
        let big = OrderNo::new(date(2026, 11, 25), u32::MAX);
        assert_eq!(OrderNo::parse(big.as_str()), Ok(big));
    }

    #[test]
    fn a_number_parses_back_to_itself() {
        let number = OrderNo::new(date(2026, 1, 1), 42);
        assert_eq!(OrderNo::parse(number.as_str()), Ok(number.clone()));
        assert_eq!(number.to_string(), number.as_str());
    }

    #[test]
    fn lowercase_input_and_surrounding_whitespace_are_accepted() {
        let number = OrderNo::parse("  sp2611250001bu\n").expect("valid number");
        assert_eq!(number.as_str(), "SP2611250001BU");
    }

    #[test]
    fn every_single_character_typo_is_refused() {
        for valid in ["SP2611250001BU", "SP2611259999A7", "SP26112510000AK"] {
            assert!(OrderNo::parse(valid).is_ok(), "{valid}");
            for (position, original) in valid.char_indices() {
                for typo in typeable().filter(|&c| c != original) {
                    let mut mistyped = valid.to_owned();
                    mistyped.replace_range(position..=position, &typo.to_string());
                    assert!(OrderNo::parse(&mistyped).is_err(), "{mistyped}");
                }
            }
        }
    }

    #[test]
    fn every_swap_of_two_neighbouring_characters_is_refused() {
        for valid in ["SP2611250001BU", "SP2611259999A7", "SP26112510000AK"] {
            let chars: Vec<char> = valid.chars().collect();
            for i in 0..chars.len() - 1 {
                if chars[i] == chars[i + 1] {
                    continue;
                }
                let mut swapped = chars.clone();
                swapped.swap(i, i + 1);
                let swapped: String = swapped.into_iter().collect();
                assert!(OrderNo::parse(&swapped).is_err(), "{swapped}");
            }
        }
    }

    #[test]
    fn a_wrong_check_is_reported_as_a_check_error() {
        assert_eq!(
            OrderNo::parse("SP2611250002BU"),
            Err(OrderNoError::CheckCharacters)
        );
    }

    #[test]
    fn malformed_numbers_are_refused_as_format_errors() {
        for input in [
            "",
            "SP",
            "SP261125001BU",         // three-digit sequence
            "XX2611250001BU",        // wrong prefix
            "SP2613250001BU",        // month 13
            "SP2602300001BU",        // 30 February
            "SP26112500001BU",       // five digits with a leading zero
            "SP2611250001 BU",       // inner space
            "SP26112599999999999BU", // sequence beyond u32
            "SP２611250001BU",       // full-width digit
        ] {
            assert_eq!(OrderNo::parse(input), Err(OrderNoError::Format), "{input}");
        }
    }

    #[test]
    fn every_error_has_the_same_message_key() {
        assert_eq!(OrderNoError::Format.message_key(), "error.order_no.invalid");
        assert_eq!(
            OrderNoError::CheckCharacters.message_key(),
            "error.order_no.invalid"
        );
    }

    proptest! {
        #[test]
        fn any_date_this_century_and_any_sequence_round_trip(
            days in 0i64..36_524,
            seq in any::<u32>(),
        ) {
            let day = date(2000, 1, 1) + chrono::Duration::days(days);
            let number = OrderNo::new(day, seq);
            prop_assert_eq!(OrderNo::parse(number.as_str()), Ok(number));
        }
    }
}
