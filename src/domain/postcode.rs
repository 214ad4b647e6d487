//! Postcode: normalised as people type it and checked against the destination's
//! pattern from Google's address data (`postcode_regex` in the country list).

use crate::domain::country::{self, Country};
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Longest postcode accepted for a country without a pattern.
const MAX_FREE_LENGTH: usize = 12;

/// Every pattern of the reference list, compiled once and anchored at both
/// ends. Keyed by the pattern itself, so countries sharing one share its
/// compiled form and a pattern always finds its own.
static PATTERNS: LazyLock<HashMap<String, Regex>> = LazyLock::new(|| {
    country::all()
        .iter()
        .filter_map(|c| c.postcode_regex.as_deref())
        .map(|pattern| {
            // A unit test compiles every pattern, so this cannot fail at run time.
            let regex = anchored(pattern).expect("reference postcode patterns compile");
            (pattern.to_owned(), regex)
        })
        .collect()
});

/// A postcode that does not have the destination's format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the postcode does not have the format of the destination")]
pub struct PostcodeError {
    example: Option<String>,
}

impl PostcodeError {
    /// Key of the message shown to the user in the message catalogue.
    pub fn message_key(&self) -> &'static str {
        "error.postcode.format"
    }

    /// A valid postcode of the destination to show beside the message
    /// ("e.g. EC1Y 8SY"), if the country list has one.
    pub fn example(&self) -> Option<&str> {
        self.example.as_deref()
    }
}

/// Checks a postcode for `country` and returns it normalised: trimmed, in
/// upper case, with each inner run of whitespace made one space.
///
/// An empty postcode passes where the country does not require one. Otherwise
/// it must match the country's pattern in full or, for a country without a
/// pattern, be up to 12 letters, digits, spaces and hyphens. Only ASCII passes
/// either way, as the patterns' `\d` would otherwise let through digits of
/// other scripts.
pub fn check(country: &Country, input: &str) -> Result<String, PostcodeError> {
    let postcode = input
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_uppercase();
    if postcode.is_empty() && !country.postcode_required {
        return Ok(postcode);
    }
    let valid = postcode.is_ascii()
        && match country.postcode_regex.as_deref() {
            Some(pattern) => match PATTERNS.get(pattern) {
                Some(regex) => regex.is_match(&postcode),
                // A country built outside the reference list.
                None => anchored(pattern).is_ok_and(|regex| regex.is_match(&postcode)),
            },
            None => {
                (1..=MAX_FREE_LENGTH).contains(&postcode.len())
                    && postcode
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b' ' || b == b'-')
            }
        };
    if valid {
        Ok(postcode)
    } else {
        Err(PostcodeError {
            example: examples(country).next().map(str::to_owned),
        })
    }
}

/// The pattern compiled to match a whole postcode.
fn anchored(pattern: &str) -> Result<Regex, regex::Error> {
    Regex::new(&format!("^(?:{pattern})$"))
}

/// The country's example postcodes, in list order.
fn examples(country: &Country) -> impl Iterator<Item = &str> {
    country
        .postcode_example
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|example| !example.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn country(code: &str) -> &'static Country {
        country::find(code).expect("known country")
    }

    fn accepts(code: &str, input: &str) -> bool {
        check(country(code), input).is_ok()
    }

    #[test]
    fn every_reference_pattern_compiles() {
        let distinct: std::collections::HashSet<_> = country::all()
            .iter()
            .filter_map(|c| c.postcode_regex.as_deref())
            .collect();
        assert_eq!(PATTERNS.len(), distinct.len());
    }

    #[test]
    fn every_countrys_own_examples_pass() {
        for country in country::all() {
            for example in examples(country) {
                assert_eq!(
                    check(country, example),
                    Ok(example.to_owned()),
                    "{} {example}",
                    country.code
                );
            }
        }
    }

    #[test]
    fn british_postcodes_follow_the_royal_mail_pattern() {
        assert_eq!(check(country("GB"), "SW1A 1AA"), Ok("SW1A 1AA".to_owned()));
        assert!(!accepts("GB", "12345"));
    }

    #[test]
    fn us_zip_codes_take_five_digits_and_an_optional_plus_four() {
        assert!(accepts("US", "10001"));
        assert!(accepts("US", "10001-1234"));
        assert!(!accepts("US", "1000"));
        assert!(!accepts("US", "10001-12"));
    }

    #[test]
    fn german_postcodes_have_five_digits() {
        assert!(accepts("DE", "10115"));
        assert!(!accepts("DE", "1011"));
        assert!(!accepts("DE", "101155"));
    }

    #[test]
    fn japanese_postcodes_take_the_hyphen_or_leave_it_out() {
        assert_eq!(check(country("JP"), "100-0001"), Ok("100-0001".to_owned()));
        assert_eq!(check(country("JP"), "1000001"), Ok("1000001".to_owned()));
        assert!(!accepts("JP", "ABC"));
    }

    #[test]
    fn input_is_trimmed_upper_cased_and_inner_whitespace_collapsed() {
        assert_eq!(check(country("GB"), "sw1a 1aa"), Ok("SW1A 1AA".to_owned()));
        assert_eq!(
            check(country("GB"), " \tsw1a  \u{a0} 1aa\n"),
            Ok("SW1A 1AA".to_owned())
        );
    }

    #[test]
    fn digits_of_other_scripts_are_refused() {
        assert!(!accepts("DE", "１０１１５")); // full-width
        assert!(!accepts("DE", "١٠١١٥")); // Arabic-Indic
        assert!(!accepts("AE", "١٠١١٥"));
    }

    #[test]
    fn a_country_that_requires_a_postcode_refuses_an_empty_one() {
        assert!(country("GB").postcode_required);
        assert!(!accepts("GB", ""));
        assert!(!accepts("GB", "   "));
        let required_without_pattern = Country {
            postcode_regex: None,
            ..country("GB").clone()
        };
        assert!(check(&required_without_pattern, "").is_err());
    }

    #[test]
    fn an_optional_postcode_may_be_left_empty_even_where_a_pattern_exists() {
        for code in ["AD", "CO"] {
            assert!(country(code).postcode_regex.is_some());
            assert!(!country(code).postcode_required);
            assert_eq!(check(country(code), " "), Ok(String::new()), "{code}");
        }
        assert!(!accepts("AD", "AD900"));
    }

    #[test]
    fn a_country_without_a_pattern_takes_an_optional_short_postcode() {
        assert_eq!(country("AE").postcode_regex, None);
        assert!(!country("AE").postcode_required);
        assert_eq!(check(country("AE"), "  "), Ok(String::new()));
        assert_eq!(
            check(country("AE"), "dxb-12 34"),
            Ok("DXB-12 34".to_owned())
        );
        assert!(accepts("AE", "123456789012"));
        assert!(!accepts("AE", "1234567890123"));
        assert!(!accepts("AE", "12#34"));
    }

    #[test]
    fn the_error_offers_the_countrys_first_example() {
        let error = check(country("GB"), "12345").expect_err("refused");
        assert_eq!(error.message_key(), "error.postcode.format");
        assert_eq!(error.example(), Some("EC1Y 8SY"));
        let error = check(country("AE"), "1234567890123").expect_err("refused");
        assert_eq!(error.example(), None);
    }

    #[test]
    fn a_country_outside_the_reference_list_still_uses_its_pattern() {
        let custom = Country {
            code: "ZZ".to_owned(),
            postcode_regex: Some("Z\\d{2}".to_owned()),
            postcode_example: Some("Z12".to_owned()),
            ..country("GB").clone()
        };
        assert_eq!(check(&custom, "z12"), Ok("Z12".to_owned()));
        assert_eq!(
            check(&custom, "Z123").map_err(|e| e.example().map(str::to_owned)),
            Err(Some("Z12".to_owned()))
        );
    }
}
