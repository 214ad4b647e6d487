//! What an order's timeline event says besides its kind: typed parameters
//! stored as JSON beside the event and put into words in the reader's
//! language, so no message key or code ever reaches a page.

use super::customs::Warning;
use serde::{Deserialize, Serialize};

/// One acknowledged warning: its code (`warning.<code>` in the catalogue)
/// and the language-neutral detail (amounts, item numbers, order numbers).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningNote {
    pub code: String,
    pub detail: String,
}

impl WarningNote {
    /// The catalogue key of the warning's text.
    pub fn key(&self) -> String {
        format!("warning.{}", self.code)
    }
}

/// The parameters of one event; empty for most.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventParams {
    /// Warnings the submitter acknowledged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<WarningNote>,
    /// The document attached (`document.<code>` in the catalogue).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
}

impl EventParams {
    pub fn warnings(warnings: &[Warning]) -> EventParams {
        EventParams {
            warnings: warnings
                .iter()
                .map(|w| WarningNote {
                    code: w.message_key().trim_start_matches("warning.").to_owned(),
                    detail: w.detail(),
                })
                .collect(),
            ..EventParams::default()
        }
    }

    pub fn document(code: &str) -> EventParams {
        EventParams {
            document: Some(code.to_owned()),
            ..EventParams::default()
        }
    }

    /// The stored form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }

    /// Reads the stored form; anything unreadable is no parameters at all.
    pub fn from_json(text: &str) -> EventParams {
        serde_json::from_str(text).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::UsdCents;

    #[test]
    fn warnings_are_stored_as_codes_with_their_details_and_read_back() {
        let params = EventParams::warnings(&[Warning::DeclaredOver {
            total: UsdCents(1550),
        }]);
        let stored = params.to_json();
        assert!(!stored.contains("warning."), "a code, not a key: {stored}");
        let read = EventParams::from_json(&stored);
        assert_eq!(read, params);
        assert_eq!(read.warnings[0].key(), "warning.declared_over_10");
        assert_eq!(read.warnings[0].detail, "USD 15.50");
    }

    #[test]
    fn empty_or_damaged_parameters_read_as_none() {
        assert_eq!(EventParams::from_json("{}"), EventParams::default());
        assert_eq!(EventParams::from_json("not json"), EventParams::default());
        assert_eq!(EventParams::default().to_json(), "{}");
    }
}
