//! Validation messages keyed by form field, shown beside the field.

use indexmap::IndexMap;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// A form field's name: mostly fixed, numbered for repeated rows (`item2_hs_code`).
pub type FieldName = Cow<'static, str>;

/// Field name → message key in the catalogue, what exactly was wrong
/// when the message should name it (e.g. the characters that are not allowed),
/// and advice under the message, as further keys (how to choose a stronger password).
/// The messages keep the order they were found in, which is the form's
/// order: the error summary lists them as the reader meets the fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors(
    IndexMap<FieldName, &'static str>,
    BTreeMap<FieldName, String>,
    BTreeMap<FieldName, Vec<&'static str>>,
);

impl FieldErrors {
    pub fn new() -> FieldErrors {
        FieldErrors::default()
    }

    /// Keeps the first message for a field: it is the most basic problem.
    pub fn add(&mut self, field: impl Into<FieldName>, message_key: &'static str) {
        self.0.entry(field.into()).or_insert(message_key);
    }

    /// Like [`FieldErrors::add`], with the offending value shown after the message.
    pub fn add_detail(
        &mut self,
        field: impl Into<FieldName>,
        message_key: &'static str,
        detail: String,
    ) {
        let field = field.into();
        if !self.0.contains_key(&field) {
            self.0.insert(field.clone(), message_key);
            self.1.insert(field, detail);
        }
    }

    /// Like [`FieldErrors::add`], with advice (message keys) shown under the message.
    pub fn add_with_advice(
        &mut self,
        field: impl Into<FieldName>,
        message_key: &'static str,
        advice: &[&'static str],
    ) {
        let field = field.into();
        if !self.0.contains_key(&field) {
            self.0.insert(field.clone(), message_key);
            if !advice.is_empty() {
                self.2.insert(field, advice.to_vec());
            }
        }
    }

    /// Takes in the errors of a part of the form (one item row, say), their
    /// field names prefixed with `prefix`.
    pub fn merge_prefixed(&mut self, prefix: &str, other: FieldErrors) {
        let FieldErrors(messages, mut details, mut advice) = other;
        for (field, key) in messages {
            let name = format!("{prefix}{field}");
            match (details.remove(&field), advice.remove(&field)) {
                (Some(detail), _) => self.add_detail(name, key, detail),
                (None, Some(advice)) => self.add_with_advice(name, key, &advice),
                (None, None) => self.add(name, key),
            }
        }
    }

    /// Every field with its message key, in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &'static str)> {
        self.0.iter().map(|(field, key)| (field.as_ref(), *key))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn detail(&self, field: &str) -> Option<&str> {
        self.1.get(field).map(String::as_str)
    }

    /// The advice under a field's message (message keys), often none.
    pub fn advice(&self, field: &str) -> &[&'static str] {
        self.2.get(field).map(Vec::as_slice).unwrap_or_default()
    }

    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.0.get(field).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn single(field: impl Into<FieldName>, message_key: &'static str) -> FieldErrors {
        let mut errors = FieldErrors::new();
        errors.add(field, message_key);
        errors
    }

    /// Records the error of a parse, returning its value when there was none.
    pub fn check<T, E>(
        &mut self,
        field: impl Into<FieldName>,
        result: Result<T, E>,
        key: impl Fn(&E) -> &'static str,
    ) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.add(field, key(&error));
                None
            }
        }
    }
}
