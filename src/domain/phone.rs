//! Phone numbers, parsed with libphonenumber's metadata and kept in E.164.

use phonenumber::country::Id;

/// A valid phone number in E.164 form (`+8613812345678`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("not a valid phone number for the country")]
pub struct PhoneError;

impl PhoneError {
    pub fn message_key(&self) -> &'static str {
        "error.phone.invalid"
    }
}

impl Phone {
    /// Parses `input` as a number of `country` (numbers with `+` may be of any country).
    pub fn parse(input: &str, country: Id) -> Result<Phone, PhoneError> {
        let number = phonenumber::parse(Some(country), input.trim()).map_err(|_| PhoneError)?;
        if !phonenumber::is_valid(&number) || too_short_for_china(&number) {
            return Err(PhoneError);
        }
        Ok(Phone(
            number.format().mode(phonenumber::Mode::E164).to_string(),
        ))
    }

    /// Parses a number of the country with this ISO code.
    pub fn parse_for(input: &str, country_code: &str) -> Result<Phone, PhoneError> {
        let country: Id = country_code.parse().map_err(|_| PhoneError)?;
        Phone::parse(input, country)
    }

    /// Parses a Chinese number (mobile or landline with area code).
    pub fn parse_cn(input: &str) -> Result<Phone, PhoneError> {
        Phone::parse(input, Id::CN)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Chinese numbers have at least ten national digits (a mobile has eleven;
/// a landline is a two- or three-digit area code and seven or eight digits).
/// The crate's metadata lets shorter landlines through (`0755-1234`), which
/// no one can call.
fn too_short_for_china(number: &phonenumber::PhoneNumber) -> bool {
    number.country().id() == Some(Id::CN) && number.national().value().to_string().len() < 10
}

/// A stored E.164 number in the international format (`+86 755 8601 3388`),
/// for papers read abroad (the proforma invoice); unchanged if it does not parse.
pub fn international(e164: &str) -> String {
    phonenumber::parse(None, e164)
        .map(|n| {
            n.format()
                .mode(phonenumber::Mode::International)
                .to_string()
        })
        .unwrap_or_else(|_| e164.to_owned())
}

/// A stored E.164 number as people read it: a Chinese one in the national
/// format the sellers dial (`0755 8601 3388`), any other in the
/// international format (`+1 212-555-0123`), so a number is never shown
/// without its country code where it is not at home; unchanged if it does
/// not parse.
pub fn display(e164: &str) -> String {
    match phonenumber::parse(None, e164) {
        Ok(number) if number.country().id() == Some(Id::CN) => number
            .format()
            .mode(phonenumber::Mode::National)
            .to_string(),
        Ok(number) => number
            .format()
            .mode(phonenumber::Mode::International)
            .to_string(),
        Err(_) => e164.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chinese_mobile_number_is_stored_in_e164() {
        let phone = Phone::parse_cn("138 1234 5678").expect("valid mobile");
        assert_eq!(phone.as_str(), "+8613812345678");
    }

    #[test]
    fn a_shenzhen_landline_with_area_code_is_valid() {
        assert_eq!(
            Phone::parse_cn("0755-86013388").map(|p| p.as_str().to_owned()),
            Ok("+8675586013388".to_owned())
        );
    }

    #[test]
    fn chinese_numbers_display_nationally_and_others_with_their_country_code() {
        assert_eq!(display("+8675586013388"), "0755 8601 3388");
        assert_eq!(display("+8613812345678"), "138 1234 5678");
        assert_eq!(display("+12125550123"), "+1 212-555-0123");
        assert_eq!(display("garbage"), "garbage");
        assert_eq!(international("+8675586013388"), "+86 755 8601 3388");
    }

    #[test]
    fn a_chinese_landline_without_enough_digits_is_refused() {
        assert_eq!(Phone::parse_cn("0755-1234"), Err(PhoneError));
        assert!(Phone::parse_cn("010-12345678").is_ok());
        assert!(
            Phone::parse_cn("0371-1234567").is_ok() || Phone::parse_cn("0371-12345678").is_ok()
        );
    }

    #[test]
    fn a_us_number_is_parsed_for_its_country() {
        assert_eq!(
            Phone::parse_for("(212) 555-0123", "US").map(|p| p.as_str().to_owned()),
            Ok("+12125550123".to_owned())
        );
        assert_eq!(Phone::parse_for("12345", "DE"), Err(PhoneError));
    }

    #[test]
    fn too_few_digits_are_refused() {
        assert_eq!(Phone::parse_cn("12345"), Err(PhoneError));
    }
}
