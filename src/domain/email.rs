//! E-mail address: a plausibility check and a normalised (trimmed, lower-case)
//! form; whether the address really receives mail is proved by sending to it.

use std::fmt;

/// Longest address accepted, in bytes: the limit of an SMTP forward path.
const MAX_BYTES: usize = 254;

/// An e-mail address that looks deliverable, trimmed and in lower case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

/// Why a string is not an acceptable e-mail address. Every variant is shown to
/// the user with the same message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// The address is longer than 254 bytes.
    #[error("an e-mail address has at most 254 characters")]
    TooLong,
    /// The address does not contain exactly one `@`.
    #[error("an e-mail address contains exactly one '@'")]
    AtSign,
    /// Nothing stands before the `@`.
    #[error("an e-mail address needs a name before the '@'")]
    EmptyLocalPart,
    /// The part after the `@` is not a dotted domain name without empty labels.
    #[error("an e-mail address needs a domain such as example.com after the '@'")]
    Domain,
    /// The address contains whitespace or a control character.
    #[error("an e-mail address cannot contain spaces or control characters")]
    ForbiddenCharacter,
}

impl EmailError {
    /// Key of the message shown to the user in the message catalogue.
    pub fn message_key(&self) -> &'static str {
        "error.email.invalid"
    }
}

impl Email {
    /// Parses an address as typed by a person: surrounding whitespace is
    /// ignored and the whole address is lower-cased.
    pub fn parse(input: &str) -> Result<Email, EmailError> {
        let address = input.trim().to_lowercase();
        if address.len() > MAX_BYTES {
            return Err(EmailError::TooLong);
        }
        if address.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(EmailError::ForbiddenCharacter);
        }
        let Some((local, domain)) = address.split_once('@') else {
            return Err(EmailError::AtSign);
        };
        if domain.contains('@') {
            return Err(EmailError::AtSign);
        }
        if local.is_empty() {
            return Err(EmailError::EmptyLocalPart);
        }
        if !domain.contains('.') || domain.split('.').any(str::is_empty) {
            return Err(EmailError::Domain);
        }
        Ok(Email(address))
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_addresses_are_accepted() {
        for address in [
            "ana@example.com",
            "first.last+tag@mail.example.co.uk",
            "x@a.cn",
            "sales_dept-2@sub-domain.example.org",
        ] {
            assert_eq!(
                Email::parse(address).map(|e| e.to_string()),
                Ok(address.to_owned())
            );
        }
    }

    #[test]
    fn addresses_are_trimmed_and_lowercased() {
        let email = Email::parse("  Ana.Li@Example.COM \n").expect("valid address");
        assert_eq!(email.as_str(), "ana.li@example.com");
    }

    #[test]
    fn an_address_of_254_bytes_is_accepted_and_one_of_255_is_not() {
        let domain = format!("{}.com", "a".repeat(60));
        let local = "b".repeat(254 - 1 - domain.len());
        let longest = format!("{local}@{domain}");
        assert_eq!(longest.len(), 254);
        assert!(Email::parse(&longest).is_ok());
        assert_eq!(
            Email::parse(&format!("b{longest}")),
            Err(EmailError::TooLong)
        );
    }

    #[test]
    fn an_address_without_at_sign_is_refused() {
        assert_eq!(Email::parse("ana.example.com"), Err(EmailError::AtSign));
        assert_eq!(Email::parse(""), Err(EmailError::AtSign));
    }

    #[test]
    fn an_address_with_two_at_signs_is_refused() {
        assert_eq!(Email::parse("ana@li@example.com"), Err(EmailError::AtSign));
    }

    #[test]
    fn an_empty_local_part_is_refused() {
        assert_eq!(
            Email::parse("@example.com"),
            Err(EmailError::EmptyLocalPart)
        );
    }

    #[test]
    fn a_domain_without_a_dot_is_refused() {
        assert_eq!(Email::parse("ana@localhost"), Err(EmailError::Domain));
        assert_eq!(Email::parse("ana@"), Err(EmailError::Domain));
    }

    #[test]
    fn a_domain_with_an_empty_label_is_refused() {
        for address in [
            "ana@.example.com",
            "ana@example.com.",
            "ana@example..com",
            "ana@.",
        ] {
            assert_eq!(Email::parse(address), Err(EmailError::Domain), "{address}");
        }
    }

    #[test]
    fn whitespace_inside_the_address_is_refused() {
        for address in [
            "ana li@example.com",
            "ana@exa mple.com",
            "ana@example.com\u{3000}x",
        ] {
            assert_eq!(
                Email::parse(address),
                Err(EmailError::ForbiddenCharacter),
                "{address}"
            );
        }
    }

    #[test]
    fn control_characters_are_refused() {
        for address in [
            "ana\u{0}@example.com",
            "ana@example.com\u{7f}x",
            "ana\r\nbcc@example.com",
        ] {
            assert_eq!(
                Email::parse(address),
                Err(EmailError::ForbiddenCharacter),
                "{address:?}"
            );
        }
    }

    #[test]
    fn every_error_has_the_same_message_key() {
        for error in [
            EmailError::TooLong,
            EmailError::AtSign,
            EmailError::EmptyLocalPart,
            EmailError::Domain,
            EmailError::ForbiddenCharacter,
        ] {
            assert_eq!(error.message_key(), "error.email.invalid");
        }
    }
}
