//! Resident identity card number (居民身份证号码, GB 11643-1999): 17 digits and an
//! ISO 7064 MOD 11-2 check character, with the embedded birth date verified.

use std::fmt;

/// Weight of each of the first 17 digits (2^(17-i) mod 11).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// Check character for each remainder of the weighted sum modulo 11.
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Number of characters in a number.
const LENGTH: usize = 18;

/// Earliest birth year accepted.
const MIN_BIRTH_YEAR: u32 = 1900;

/// A resident identity card number that has passed the length, digit, birth
/// date and check character rules. The check character X is stored in upper case.
///
/// `Debug` shows only the masked form, so the number does not leak into logs.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ResidentId(String);

/// Why a string is not a resident identity card number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResidentIdError {
    /// The number does not have exactly 18 characters.
    #[error("a resident ID number has 18 characters")]
    Length,
    /// The first 17 characters are not all digits, or the last is neither a digit nor X.
    #[error("a resident ID number is 17 digits followed by a digit or X")]
    NotDigits,
    /// Characters 7 to 14 are not a calendar date from 1900 on.
    #[error("a resident ID number must contain a valid birth date")]
    BirthDate,
    /// The 18th character does not match the one computed from the first 17.
    #[error("the check character should be '{expected}', found '{found}'")]
    CheckDigit {
        /// Check character computed from the first 17 digits.
        expected: char,
        /// Check character given.
        found: char,
    },
}

impl ResidentIdError {
    /// Key of the message shown to the user in the message catalogue.
    pub fn message_key(&self) -> &'static str {
        match self {
            ResidentIdError::Length => "error.resident_id.length",
            ResidentIdError::NotDigits => "error.resident_id.digits",
            ResidentIdError::BirthDate => "error.resident_id.birth_date",
            ResidentIdError::CheckDigit { .. } => "error.resident_id.check",
        }
    }
}

impl ResidentId {
    /// Parses a number as typed by a person: surrounding whitespace is ignored
    /// and a lower-case x is accepted as the check character.
    pub fn parse(input: &str) -> Result<ResidentId, ResidentIdError> {
        let number = input.trim().replace('x', "X");
        let chars: [char; LENGTH] = number
            .chars()
            .collect::<Vec<char>>()
            .try_into()
            .map_err(|_| ResidentIdError::Length)?;

        let mut digits = [0; LENGTH - 1];
        for (digit, c) in digits.iter_mut().zip(&chars) {
            *digit = c.to_digit(10).ok_or(ResidentIdError::NotDigits)?;
        }
        let found = chars[LENGTH - 1];
        if !(found.is_ascii_digit() || found == 'X') {
            return Err(ResidentIdError::NotDigits);
        }

        let year = decimal(&digits[6..10]);
        let month = decimal(&digits[10..12]);
        let day = decimal(&digits[12..14]);
        if year < MIN_BIRTH_YEAR
            || !(1..=12).contains(&month)
            || !(1..=days_in_month(year, month)).contains(&day)
        {
            return Err(ResidentIdError::BirthDate);
        }

        let sum: u32 = digits
            .iter()
            .zip(WEIGHTS)
            .map(|(digit, weight)| digit * weight)
            .sum();
        let expected = CHECK_CHARS[(sum % 11) as usize];
        if expected != found {
            return Err(ResidentIdError::CheckDigit { expected, found });
        }
        Ok(ResidentId(number))
    }

    /// The full number, for reviewing staff and storage only.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number with all but its first 4 and last 4 characters replaced by
    /// `*`, for everyone who is not reviewing it.
    pub fn masked(&self) -> String {
        self.0
            .chars()
            .enumerate()
            .map(|(index, c)| {
                if (4..LENGTH - 4).contains(&index) {
                    '*'
                } else {
                    c
                }
            })
            .collect()
    }
}

impl fmt::Debug for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ResidentId").field(&self.masked()).finish()
    }
}

/// Number written by a run of decimal digits.
fn decimal(digits: &[u32]) -> u32 {
    digits.iter().fold(0, |number, digit| number * 10 + digit)
}

/// Days in a month (1–12) of the Gregorian calendar.
fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Whether a year of the Gregorian calendar has a 29 February.
fn is_leap_year(year: u32) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_numbers_are_accepted() {
        for number in [
            "11010519491231002X",
            "110101199003074477",
            "320583200002291235",
            "510107198711305019",
            "310115197001010003",
        ] {
            let id = ResidentId::parse(number).expect(number);
            assert_eq!(id.as_str(), number);
        }
    }

    #[test]
    fn a_lowercase_x_check_character_is_accepted_and_stored_in_upper_case() {
        let id = ResidentId::parse("11010519491231002x").expect("valid number");
        assert_eq!(id.as_str(), "11010519491231002X");
    }

    #[test]
    fn surrounding_whitespace_is_ignored() {
        let id = ResidentId::parse(" 110101199003074477\t").expect("valid number");
        assert_eq!(id.as_str(), "110101199003074477");
    }

    #[test]
    fn a_wrong_check_digit_is_refused_with_the_expected_one() {
        assert_eq!(
            ResidentId::parse("110105194912310021"),
            Err(ResidentIdError::CheckDigit {
                expected: 'X',
                found: '1'
            })
        );
        assert_eq!(
            ResidentId::parse("11010119900307447X"),
            Err(ResidentIdError::CheckDigit {
                expected: '7',
                found: 'X'
            })
        );
    }

    #[test]
    fn a_single_changed_digit_is_caught_by_the_check() {
        assert!(matches!(
            ResidentId::parse("110101199003074487"),
            Err(ResidentIdError::CheckDigit { .. })
        ));
    }

    #[test]
    fn wrong_lengths_are_refused() {
        assert_eq!(ResidentId::parse(""), Err(ResidentIdError::Length));
        assert_eq!(
            ResidentId::parse("11010519491231002"),
            Err(ResidentIdError::Length)
        );
        assert_eq!(
            ResidentId::parse("11010519491231002X1"),
            Err(ResidentIdError::Length)
        );
        // The old 15-digit numbers are no longer accepted.
        assert_eq!(
            ResidentId::parse("110105491231002"),
            Err(ResidentIdError::Length)
        );
    }

    #[test]
    fn letters_among_the_first_17_characters_are_refused() {
        assert_eq!(
            ResidentId::parse("1101051949123100XX"),
            Err(ResidentIdError::NotDigits)
        );
        assert_eq!(
            ResidentId::parse("11010519491231002Y"),
            Err(ResidentIdError::NotDigits)
        );
        assert_eq!(
            ResidentId::parse("１１０１０５１９４９１２３１００２X"),
            Err(ResidentIdError::NotDigits)
        );
    }

    #[test]
    fn the_thirtieth_of_february_is_not_a_birth_date() {
        // Check digit computed for the impossible date, so only the date is wrong.
        assert_eq!(
            ResidentId::parse("110101199002300014"),
            Err(ResidentIdError::BirthDate)
        );
    }

    #[test]
    fn february_the_twenty_ninth_needs_a_leap_year() {
        assert!(ResidentId::parse("320583200002291235").is_ok());
        assert_eq!(
            ResidentId::parse("110101190002290011"),
            Err(ResidentIdError::BirthDate)
        );
        assert_eq!(
            ResidentId::parse("110101199902290018"),
            Err(ResidentIdError::BirthDate)
        );
    }

    #[test]
    fn month_thirteen_and_day_zero_are_refused() {
        assert_eq!(
            ResidentId::parse("110101199013010012"),
            Err(ResidentIdError::BirthDate)
        );
        assert_eq!(
            ResidentId::parse("11010119900100001X"),
            Err(ResidentIdError::BirthDate)
        );
    }

    #[test]
    fn birth_years_before_1900_are_refused() {
        // The sample number in GB 11643-1999 itself, born in 1880.
        assert_eq!(
            ResidentId::parse("440524188001010014"),
            Err(ResidentIdError::BirthDate)
        );
    }

    #[test]
    fn masking_keeps_the_first_four_and_last_four_characters() {
        let id = ResidentId::parse("11010519491231002X").expect("valid number");
        assert_eq!(id.masked(), "1101**********002X");
    }

    #[test]
    fn debug_output_shows_only_the_masked_number() {
        let id = ResidentId::parse("110101199003074477").expect("valid number");
        assert_eq!(format!("{id:?}"), "ResidentId(\"1101**********4477\")");
    }

    #[test]
    fn every_error_has_a_message_key() {
        assert_eq!(
            ResidentIdError::Length.message_key(),
            "error.resident_id.length"
        );
        assert_eq!(
            ResidentIdError::NotDigits.message_key(),
            "error.resident_id.digits"
        );
        assert_eq!(
            ResidentIdError::BirthDate.message_key(),
            "error.resident_id.birth_date"
        );
        assert_eq!(
            ResidentIdError::CheckDigit {
                expected: 'X',
                found: '1'
            }
            .message_key(),
            "error.resident_id.check"
        );
    }
}
