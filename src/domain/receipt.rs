//! The recipient's confirmation of receipt (issue #11): the parcel's
//! condition from 1 (badly damaged) to 5 (perfect) and an optional comment.

use crate::domain::field_errors::FieldErrors;
use serde::Deserialize;

/// The longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 1000;

/// How the parcel arrived, 1 to 5.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Condition(u8);

impl Condition {
    /// The choices, worst first.
    pub const ALL: [u8; 5] = [1, 2, 3, 4, 5];

    pub fn parse(input: &str) -> Result<Condition, &'static str> {
        let input = input.trim();
        if input.is_empty() {
            return Err("recipient_confirm.condition_required");
        }
        match input.parse::<u8>() {
            Ok(value) if Self::ALL.contains(&value) => Ok(Condition(value)),
            _ => Err("recipient_confirm.condition_range"),
        }
    }

    pub fn value(self) -> u8 {
        self.0
    }
}

/// An optional comment: trimmed, at most [`MAX_COMMENT_CHARS`], several
/// lines allowed but no other control characters.
pub fn comment(input: &str) -> Result<String, &'static str> {
    let text = input.trim();
    if text.chars().count() > MAX_COMMENT_CHARS {
        return Err("recipient_confirm.comment_long");
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err("error.control_characters");
    }
    Ok(text.to_owned())
}

/// The confirmation form as typed (kept for a re-render).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ReceiptFields {
    #[serde(default)]
    pub condition: String,
    #[serde(default)]
    pub comment: String,
}

/// A confirmation that passed the checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    pub condition: Condition,
    pub comment: String,
}

impl ReceiptFields {
    /// The checked confirmation, or a message beside each wrong field.
    pub fn parse(&self) -> Result<Receipt, FieldErrors> {
        let mut errors = FieldErrors::new();
        let condition = errors.check("condition", Condition::parse(&self.condition), |e| *e);
        let comment = errors.check("comment", comment(&self.comment), |e| *e);
        match (condition, comment) {
            (Some(condition), Some(comment)) if errors.is_empty() => {
                Ok(Receipt { condition, comment })
            }
            _ => Err(errors),
        }
    }

    /// Whether `value` is the condition typed, to keep the radio checked.
    pub fn is_condition(&self, value: &u8) -> bool {
        self.condition.trim() == value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(condition: &str, comment: &str) -> ReceiptFields {
        ReceiptFields {
            condition: condition.to_owned(),
            comment: comment.to_owned(),
        }
    }

    #[test]
    fn conditions_one_to_five_are_accepted() {
        for value in 1..=5u8 {
            let receipt = fields(&value.to_string(), "").parse().expect("valid");
            assert_eq!(receipt.condition.value(), value);
        }
    }

    #[test]
    fn a_missing_or_out_of_range_condition_is_refused_beside_its_field() {
        for (typed, key) in [
            ("", "recipient_confirm.condition_required"),
            ("0", "recipient_confirm.condition_range"),
            ("6", "recipient_confirm.condition_range"),
            ("four", "recipient_confirm.condition_range"),
            ("-1", "recipient_confirm.condition_range"),
        ] {
            let errors = fields(typed, "fine").parse().expect_err(typed);
            assert_eq!(errors.get("condition"), Some(key), "{typed}");
        }
    }

    #[test]
    fn a_comment_may_have_lines_but_not_other_control_characters_or_excess() {
        assert_eq!(
            comment("  Box dented\nitem fine "),
            Ok("Box dented\nitem fine".to_owned())
        );
        assert_eq!(comment("a\u{0}b"), Err("error.control_characters"));
        let long = "x".repeat(MAX_COMMENT_CHARS + 1);
        assert_eq!(comment(&long), Err("recipient_confirm.comment_long"));
        assert!(comment(&"好".repeat(MAX_COMMENT_CHARS)).is_ok());
    }
}
