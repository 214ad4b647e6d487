//! A recipient abroad, as the address book and the order form take it:
//! Latin script only (carriers and customs abroad cannot read Chinese), the
//! destination's postcode pattern, a phone valid for the country, and the tax
//! id the destination requires.

use super::country::{self, CountryCode};
use super::email::Email;
use super::field_errors::FieldErrors;
use super::phone::Phone;
use super::{postcode, tax_id, text};

/// The recipient fields as typed.
#[derive(
    Clone, Debug, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize, utoipa::ToSchema,
)]
#[serde(default)]
pub struct RecipientFields {
    pub name: String,
    pub company: String,
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub state: String,
    pub postcode: String,
    pub country: String,
    pub phone: String,
    pub email: String,
    pub tax_id: String,
}

/// A valid recipient.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    pub name: String,
    pub company: Option<String>,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub state: Option<String>,
    pub postcode: String,
    pub country: CountryCode,
    pub phone: Phone,
    pub email: Option<Email>,
    pub tax_id: Option<String>,
}

/// Checks one Latin-only field; `None` for an optional one left empty.
fn latin(
    errors: &mut FieldErrors,
    field: &'static str,
    input: &str,
    max: usize,
    required: bool,
) -> Option<Option<String>> {
    if input.trim().is_empty() && !required {
        return Some(None);
    }
    if let Some(characters) = text::non_latin(input) {
        errors.add_detail(field, "error.latin_chars", characters);
        return None;
    }
    errors
        .check(field, text::required(input, max), |e| e)
        .map(Some)
}

impl Recipient {
    /// The recipient as a form shows it, in its normal form (E.164 phone,
    /// upper-case postcode).
    pub fn to_fields(&self) -> RecipientFields {
        RecipientFields {
            name: self.name.clone(),
            company: self.company.clone().unwrap_or_default(),
            line1: self.line1.clone(),
            line2: self.line2.clone().unwrap_or_default(),
            city: self.city.clone(),
            state: self.state.clone().unwrap_or_default(),
            postcode: self.postcode.clone(),
            country: self.country.as_str().to_owned(),
            phone: self.phone.as_str().to_owned(),
            email: self
                .email
                .as_ref()
                .map(|e| e.as_str().to_owned())
                .unwrap_or_default(),
            tax_id: self.tax_id.clone().unwrap_or_default(),
        }
    }
}

impl RecipientFields {
    pub fn parse(&self) -> Result<Recipient, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = latin(&mut errors, "name", &self.name, 80, true);
        let company = latin(&mut errors, "company", &self.company, 80, false);
        let line1 = latin(&mut errors, "line1", &self.line1, 120, true);
        let line2 = latin(&mut errors, "line2", &self.line2, 120, false);
        let city = latin(&mut errors, "city", &self.city, 60, true);
        let country = errors.check(
            "country",
            CountryCode::parse(&self.country),
            |_| "error.rates.country",
        );
        let reference = country.as_ref().and_then(|c| country::find(c.as_str()));
        let state_required = reference.is_some_and(|c| c.state_required);
        let state = latin(&mut errors, "state", &self.state, 60, state_required);
        let postcode = match reference {
            Some(reference) => match postcode::check(reference, &self.postcode) {
                Ok(code) => Some(code),
                Err(error) => {
                    match error.example() {
                        Some(example) => {
                            errors.add_detail("postcode", error.message_key(), example.to_owned())
                        }
                        None => errors.add("postcode", error.message_key()),
                    }
                    None
                }
            },
            None => None,
        };
        let phone = match &country {
            Some(code) => {
                errors.check("phone", Phone::parse_for(&self.phone, code.as_str()), |e| {
                    e.message_key()
                })
            }
            None => None,
        };
        let email = if self.email.trim().is_empty() {
            Some(None)
        } else {
            errors
                .check("email", Email::parse(&self.email), |e| e.message_key())
                .map(Some)
        };
        let tax_id = match country.as_ref().and_then(|c| tax_id::rule_for(c.as_str())) {
            Some(rule) => errors
                .check("tax_id", tax_id::parse(rule, &self.tax_id), |e| {
                    e.message_key()
                })
                .map(Some),
            None => Some(None),
        };
        let recipient = (|| {
            Some(Recipient {
                name: name??,
                company: company?,
                line1: line1??,
                line2: line2?,
                city: city??,
                state: state?,
                postcode: postcode?,
                country: country?,
                phone: phone?,
                email: email?,
                tax_id: tax_id?,
            })
        })();
        match recipient {
            Some(recipient) if errors.is_empty() => Ok(recipient),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn us() -> RecipientFields {
        RecipientFields {
            name: "Jane Doe".into(),
            line1: "350 Fifth Avenue".into(),
            city: "New York".into(),
            state: "NY".into(),
            postcode: "10118".into(),
            country: "us".into(),
            phone: "(212) 555-0123".into(),
            ..RecipientFields::default()
        }
    }

    #[test]
    fn a_complete_us_address_is_accepted_with_the_phone_in_e164() {
        let recipient = us().parse().expect("valid");
        assert_eq!(recipient.country.as_str(), "US");
        assert_eq!(recipient.phone.as_str(), "+12125550123");
        assert_eq!(recipient.company, None);
    }

    #[test]
    fn chinese_characters_are_refused_and_named() {
        let mut fields = us();
        fields.line1 = "南山区 Fifth Avenue".into();
        let errors = fields.parse().expect_err("refused");
        assert_eq!(errors.get("line1"), Some("error.latin_chars"));
        assert_eq!(errors.detail("line1"), Some("南山区"));
    }

    #[test]
    fn a_postcode_that_does_not_fit_the_country_is_refused_with_an_example() {
        let mut fields = us();
        fields.postcode = "1011".into();
        let errors = fields.parse().expect_err("refused");
        assert_eq!(errors.get("postcode"), Some("error.postcode.format"));
        assert!(errors.detail("postcode").is_some());
    }

    #[test]
    fn a_state_is_required_where_the_country_needs_one() {
        let mut fields = us();
        fields.state = String::new();
        assert_eq!(
            fields.parse().expect_err("refused").get("state"),
            Some("error.required")
        );
    }

    #[test]
    fn brazil_needs_a_valid_tax_id() {
        let fields = RecipientFields {
            name: "Joao Silva".into(),
            line1: "Avenida Paulista 1000".into(),
            city: "Sao Paulo".into(),
            state: "SP".into(),
            postcode: "01310-100".into(),
            country: "BR".into(),
            phone: "11 91234-5678".into(),
            ..RecipientFields::default()
        };
        assert!(fields.parse().expect_err("no CPF").get("tax_id").is_some());
    }

    #[test]
    fn a_wrong_phone_for_the_country_is_refused() {
        let mut fields = us();
        fields.phone = "12345".into();
        assert_eq!(
            fields.parse().expect_err("refused").get("phone"),
            Some("error.phone.invalid")
        );
    }
}
