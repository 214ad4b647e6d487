//! Unified social credit code (统一社会信用代码, GB 32100-2015): the 18-character
//! registration number of a Chinese company, with its check character verified.

use std::fmt;

/// The 31 characters a code may use; a character's value is its index here.
/// I, O, Z, S and V are left out so they cannot be mistaken for 1, 0, 2, 5 and U.
const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weight of each of the first 17 characters (3^i mod 31).
const WEIGHTS: [usize; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Number of characters in a code.
const LENGTH: usize = 18;

/// A unified social credit code that has passed the length, character set and
/// check character rules. Always stored in upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Uscc(String);

/// Why a string is not a unified social credit code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsccError {
    /// The code does not have exactly 18 characters.
    #[error("a unified social credit code has 18 characters, found {found}")]
    Length {
        /// Number of characters found, after trimming.
        found: usize,
    },
    /// A character is outside the code's character set.
    #[error("character {position} ('{character}') is not allowed in a unified social credit code")]
    InvalidCharacter {
        /// 1-based position of the first offending character.
        position: usize,
        /// The offending character, after upper-casing.
        character: char,
    },
    /// The 18th character does not match the one computed from the first 17.
    #[error("the check character should be '{expected}', found '{found}'")]
    CheckCharacter {
        /// Check character computed from the first 17 characters.
        expected: char,
        /// Check character given.
        found: char,
    },
}

impl UsccError {
    /// Key of the message shown to the user in the message catalogue.
    pub fn message_key(&self) -> &'static str {
        match self {
            UsccError::Length { .. } => "error.uscc.length",
            UsccError::InvalidCharacter { .. } => "error.uscc.character",
            UsccError::CheckCharacter { .. } => "error.uscc.check",
        }
    }
}

impl Uscc {
    /// Parses a code as typed by a person: surrounding whitespace is ignored and
    /// lower-case letters are accepted.
    pub fn parse(input: &str) -> Result<Uscc, UsccError> {
        let code = input.trim().to_ascii_uppercase();
        let found = code.chars().count();
        if found != LENGTH {
            return Err(UsccError::Length { found });
        }

        let mut values = Vec::with_capacity(LENGTH);
        for (index, character) in code.chars().enumerate() {
            let value = char_value(character).ok_or(UsccError::InvalidCharacter {
                position: index + 1,
                character,
            })?;
            values.push(value);
        }

        let sum: usize = values
            .iter()
            .zip(WEIGHTS)
            .map(|(value, weight)| value * weight)
            .sum();
        let expected = char::from(CHARSET[(31 - sum % 31) % 31]);
        let found = char::from(CHARSET[values[LENGTH - 1]]);
        if expected != found {
            return Err(UsccError::CheckCharacter { expected, found });
        }
        Ok(Uscc(code))
    }

    /// The code in upper case, as stored and displayed.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Value of a character in the code's character set, if it is in it.
fn char_value(character: char) -> Option<usize> {
    CHARSET.iter().position(|&c| char::from(c) == character)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_codes_are_accepted() {
        for code in [
            "91350100M000100Y43",
            "91110000600037341L",
            "914403007152672643",
            "12100000400000624D",
            "91310115MA1K3YJ12G",
            "93320583MA1MB1234H",
        ] {
            assert_eq!(
                Uscc::parse(code).map(|u| u.to_string()),
                Ok(code.to_owned())
            );
        }
    }

    #[test]
    fn lowercase_input_is_accepted_and_stored_in_upper_case() {
        let uscc = Uscc::parse("91310115ma1k3yj12g").expect("valid code");
        assert_eq!(uscc.as_str(), "91310115MA1K3YJ12G");
    }

    #[test]
    fn surrounding_whitespace_is_ignored() {
        let uscc = Uscc::parse("  91350100M000100Y43\n").expect("valid code");
        assert_eq!(uscc.as_str(), "91350100M000100Y43");
    }

    #[test]
    fn a_wrong_check_character_is_refused_with_the_expected_one() {
        assert_eq!(
            Uscc::parse("91350100M000100Y44"),
            Err(UsccError::CheckCharacter {
                expected: '3',
                found: '4'
            })
        );
    }

    #[test]
    fn a_single_changed_character_is_caught_by_the_check() {
        assert!(matches!(
            Uscc::parse("91350100M000200Y43"),
            Err(UsccError::CheckCharacter { .. })
        ));
    }

    #[test]
    fn too_short_and_too_long_codes_are_refused_with_their_length() {
        assert_eq!(
            Uscc::parse("91350100M000100Y4"),
            Err(UsccError::Length { found: 17 })
        );
        assert_eq!(
            Uscc::parse("91350100M000100Y433"),
            Err(UsccError::Length { found: 19 })
        );
        assert_eq!(Uscc::parse(""), Err(UsccError::Length { found: 0 }));
    }

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        assert_eq!(
            Uscc::parse("统一社会信用代码"),
            Err(UsccError::Length { found: 8 })
        );
    }

    #[test]
    fn letters_that_look_like_digits_are_refused() {
        for letter in ['I', 'O', 'Z', 'S', 'V'] {
            let code = format!("91350100{letter}000100Y43");
            assert_eq!(
                Uscc::parse(&code),
                Err(UsccError::InvalidCharacter {
                    position: 9,
                    character: letter
                }),
                "{code}"
            );
        }
    }

    #[test]
    fn an_invalid_check_character_is_reported_at_position_18() {
        assert_eq!(
            Uscc::parse("91350100M000100Y4o"),
            Err(UsccError::InvalidCharacter {
                position: 18,
                character: 'O'
            })
        );
    }

    #[test]
    fn punctuation_and_non_ascii_characters_are_refused() {
        assert_eq!(
            Uscc::parse("91350100-000100Y43"),
            Err(UsccError::InvalidCharacter {
                position: 9,
                character: '-'
            })
        );
        assert_eq!(
            Uscc::parse("91350100码000100Y43"),
            Err(UsccError::InvalidCharacter {
                position: 9,
                character: '码'
            })
        );
    }

    #[test]
    fn every_error_has_a_message_key() {
        assert_eq!(
            UsccError::Length { found: 1 }.message_key(),
            "error.uscc.length"
        );
        assert_eq!(
            UsccError::InvalidCharacter {
                position: 1,
                character: 'I'
            }
            .message_key(),
            "error.uscc.character"
        );
        assert_eq!(
            UsccError::CheckCharacter {
                expected: '3',
                found: '4'
            }
            .message_key(),
            "error.uscc.check"
        );
    }

    #[test]
    fn errors_display_in_english() {
        assert_eq!(
            UsccError::CheckCharacter {
                expected: '3',
                found: '4'
            }
            .to_string(),
            "the check character should be '3', found '4'"
        );
    }
}
