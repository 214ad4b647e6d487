//! Validation messages keyed by form field, shown beside the field.

use std::collections::BTreeMap;

/// Field name → message key in the catalogue, and what exactly was wrong
/// when the message should name it (e.g. the characters that are not allowed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors(
    BTreeMap<&'static str, &'static str>,
    BTreeMap<&'static str, String>,
);

impl FieldErrors {
    pub fn new() -> FieldErrors {
        FieldErrors::default()
    }

    /// Keeps the first message for a field: it is the most basic problem.
    pub fn add(&mut self, field: &'static str, message_key: &'static str) {
        self.0.entry(field).or_insert(message_key);
    }

    /// Like [`FieldErrors::add`], with the offending value shown after the message.
    pub fn add_detail(&mut self, field: &'static str, message_key: &'static str, detail: String) {
        if !self.0.contains_key(field) {
            self.0.insert(field, message_key);
            self.1.insert(field, detail);
        }
    }

    pub fn detail(&self, field: &str) -> Option<&str> {
        self.1.get(field).map(String::as_str)
    }

    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.0.get(field).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn single(field: &'static str, message_key: &'static str) -> FieldErrors {
        let mut errors = FieldErrors::new();
        errors.add(field, message_key);
        errors
    }

    /// Records the error of a parse, returning its value when there was none.
    pub fn check<T, E>(
        &mut self,
        field: &'static str,
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
