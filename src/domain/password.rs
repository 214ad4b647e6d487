//! Rules for a password a user chooses: long enough, not absurdly long, and not
//! one of the 1,000 most common passwords (reference/common-passwords.txt).

use std::collections::HashSet;
use std::fmt;
use std::sync::LazyLock;

/// Fewest characters a new password may have.
pub const MIN_CHARS: usize = 10;

/// Most characters a new password may have; bounds the cost of hashing it.
pub const MAX_CHARS: usize = 128;

/// The common-password list, lower-cased for case-insensitive look-up.
static COMMON_PASSWORDS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    include_str!("../../reference/common-passwords.txt")
        .lines()
        .filter(|line| !line.is_empty())
        .map(str::to_lowercase)
        .collect()
});

/// A password that meets the rules for a new password, kept exactly as typed
/// (it is not trimmed). Its `Debug` output never shows it.
pub struct NewPassword(String);

/// Why a password may not be chosen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    /// Fewer than [`MIN_CHARS`] characters.
    #[error("a password needs at least {MIN_CHARS} characters")]
    TooShort,
    /// More than [`MAX_CHARS`] characters.
    #[error("a password has at most {MAX_CHARS} characters")]
    TooLong,
    /// On the list of the most common passwords, ignoring case.
    #[error("this password is one of the most common ones")]
    TooCommon,
}

impl PasswordError {
    /// Key of the message shown to the user in the message catalogue.
    pub fn message_key(&self) -> &'static str {
        match self {
            PasswordError::TooShort => "error.password.too_short",
            PasswordError::TooLong => "error.password.too_long",
            PasswordError::TooCommon => "error.password.too_common",
        }
    }
}

impl NewPassword {
    /// Checks a password a user wants to set. Length is counted in characters,
    /// not bytes, so a password in Chinese is held to the same rule.
    pub fn parse(input: &str) -> Result<NewPassword, PasswordError> {
        let chars = input.chars().count();
        if chars < MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        if chars > MAX_CHARS {
            return Err(PasswordError::TooLong);
        }
        if COMMON_PASSWORDS.contains(&input.to_lowercase()) {
            return Err(PasswordError::TooCommon);
        }
        Ok(NewPassword(input.to_owned()))
    }

    /// The password itself, to be hashed; never log or display it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_uncommon_password_is_accepted_as_typed() {
        let password = NewPassword::parse(" Correct Horse Battery ").expect("acceptable password");
        assert_eq!(password.expose(), " Correct Horse Battery ");
    }

    #[test]
    fn nine_characters_are_too_short_and_ten_are_enough() {
        assert_eq!(
            NewPassword::parse("tr0ub4dor").map(|_| ()),
            Err(PasswordError::TooShort)
        );
        assert!(NewPassword::parse("tr0ub4dor&").is_ok());
    }

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        // Nine characters but 27 bytes: still too short.
        assert_eq!(
            NewPassword::parse("我的密码很安全的吧").map(|_| ()),
            Err(PasswordError::TooShort)
        );
        assert!(NewPassword::parse("我的密码真的很安全吧").is_ok());
        // 128 characters of 3 bytes each: within the limit.
        assert!(NewPassword::parse(&"码".repeat(MAX_CHARS)).is_ok());
    }

    #[test]
    fn more_than_128_characters_are_too_long() {
        assert!(NewPassword::parse(&"ab3".repeat(42)).is_ok());
        assert_eq!(
            NewPassword::parse(&"a".repeat(MAX_CHARS + 1)).map(|_| ()),
            Err(PasswordError::TooLong)
        );
    }

    #[test]
    fn a_common_password_of_ten_characters_is_refused() {
        for common in ["1234567890", "qwertyuiop", "1q2w3e4r5t"] {
            assert_eq!(
                NewPassword::parse(common).map(|_| ()),
                Err(PasswordError::TooCommon),
                "{common}"
            );
        }
    }

    #[test]
    fn common_passwords_are_refused_whatever_their_case() {
        assert_eq!(
            NewPassword::parse("QwertyUIOP").map(|_| ()),
            Err(PasswordError::TooCommon)
        );
    }

    #[test]
    fn the_bundled_list_holds_a_thousand_passwords() {
        let list = include_str!("../../reference/common-passwords.txt");
        assert_eq!(list.lines().count(), 1000);
        assert!(COMMON_PASSWORDS.contains("password"));
        assert!(COMMON_PASSWORDS.contains("123456"));
    }

    #[test]
    fn debug_output_hides_the_password() {
        let password = NewPassword::parse("s3cret-and-long").expect("acceptable password");
        assert_eq!(format!("{password:?}"), "NewPassword(***)");
    }

    #[test]
    fn every_error_has_a_message_key() {
        assert_eq!(
            PasswordError::TooShort.message_key(),
            "error.password.too_short"
        );
        assert_eq!(
            PasswordError::TooLong.message_key(),
            "error.password.too_long"
        );
        assert_eq!(
            PasswordError::TooCommon.message_key(),
            "error.password.too_common"
        );
    }

    #[test]
    fn errors_name_the_limits_in_english() {
        assert_eq!(
            PasswordError::TooShort.to_string(),
            "a password needs at least 10 characters"
        );
        assert_eq!(
            PasswordError::TooLong.to_string(),
            "a password has at most 128 characters"
        );
    }
}
