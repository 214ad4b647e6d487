//! Rules for a password a user chooses: long enough, not absurdly long, not
//! one of the 1,000 most common passwords (reference/common-passwords.txt),
//! not built on the user's own e-mail name or company name, and hard to guess
//! by zxcvbn's estimate (score 3 of 4 or better, about 10^10 guesses).
//! zxcvbn's feedback is English prose; each of its warnings and suggestions
//! gets its own message key here, so the page speaks the reader's language.

use super::field_errors::FieldErrors;
use std::collections::HashSet;
use std::fmt;
use std::sync::LazyLock;
use zxcvbn::Score;
use zxcvbn::feedback::{Suggestion, Warning};

/// Fewest characters a new password may have.
pub const MIN_CHARS: usize = 10;

/// Most characters a new password may have; bounds the cost of hashing it.
pub const MAX_CHARS: usize = 128;

/// The lowest zxcvbn score accepted: "safely unguessable" against an
/// online attack and a slow offline one, in zxcvbn's own words.
pub const MIN_SCORE: Score = Score::Three;

/// Parts of the user's own data shorter than this are not searched for in
/// the password: "li" or "abc" would refuse far too much by chance.
pub const MIN_PERSONAL_CHARS: usize = 4;

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

/// What the password must not be built on: the account's e-mail and its
/// company's name (either may be unknown, e.g. staff have no company).
#[derive(Clone, Copy, Debug, Default)]
pub struct Personal<'a> {
    pub email: &'a str,
    pub company: &'a str,
}

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
    /// Contains the e-mail's name (before the @) or the company name.
    #[error("the password contains the e-mail name or the company name")]
    Personal,
    /// zxcvbn scores it below [`MIN_SCORE`]; its advice as message keys.
    #[error("the password is too easy to guess")]
    TooWeak { advice: Vec<&'static str> },
}

impl PasswordError {
    /// Key of the message shown to the user in the message catalogue.
    pub fn message_key(&self) -> &'static str {
        match self {
            PasswordError::TooShort => "error.password.too_short",
            PasswordError::TooLong => "error.password.too_long",
            PasswordError::TooCommon => "error.password.too_common",
            PasswordError::Personal => "error.password.personal",
            PasswordError::TooWeak { .. } => "error.password.too_weak",
        }
    }

    /// Keys of the advice shown under the message (zxcvbn's warning first,
    /// then its suggestions); empty for the other errors.
    pub fn advice(&self) -> &[&'static str] {
        match self {
            PasswordError::TooWeak { advice } => advice,
            _ => &[],
        }
    }
}

impl NewPassword {
    /// Checks a password a user wants to set for the account of `personal`.
    /// Length is counted in characters, not bytes, so a password in Chinese
    /// is held to the same rule.
    pub fn parse(input: &str, personal: Personal<'_>) -> Result<NewPassword, PasswordError> {
        let chars = input.chars().count();
        if chars < MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        if chars > MAX_CHARS {
            return Err(PasswordError::TooLong);
        }
        let lower = input.to_lowercase();
        if COMMON_PASSWORDS.contains(&lower) {
            return Err(PasswordError::TooCommon);
        }
        let parts = personal.parts();
        if parts.iter().any(|part| lower.contains(part.as_str())) {
            return Err(PasswordError::Personal);
        }
        let inputs: Vec<&str> = parts.iter().map(String::as_str).collect();
        let estimate = zxcvbn::zxcvbn(input, &inputs);
        if estimate.score() < MIN_SCORE {
            return Err(PasswordError::TooWeak {
                advice: advice(estimate.feedback()),
            });
        }
        Ok(NewPassword(input.to_owned()))
    }

    /// The password itself, to be hashed; never log or display it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl Personal<'_> {
    /// The lower-cased pieces a password must not contain: the e-mail's
    /// local part and the company name, each whole and word by word (runs
    /// of letters and digits), wherever they have [`MIN_PERSONAL_CHARS`]+ characters.
    fn parts(&self) -> Vec<String> {
        let local = self.email.split('@').next().unwrap_or_default();
        let mut parts: Vec<String> = Vec::new();
        for whole in [local, self.company] {
            let whole = whole.trim().to_lowercase();
            let words = whole
                .split(|c: char| !c.is_alphanumeric())
                .map(str::to_owned)
                .collect::<Vec<_>>();
            for part in std::iter::once(whole).chain(words) {
                if part.chars().count() >= MIN_PERSONAL_CHARS && !parts.contains(&part) {
                    parts.push(part);
                }
            }
        }
        parts
    }
}

/// zxcvbn's feedback as message keys (`error.password.warning.*`, `error.password.suggestion.*`).
fn advice(feedback: Option<&zxcvbn::feedback::Feedback>) -> Vec<&'static str> {
    let Some(feedback) = feedback else {
        return vec!["error.password.suggestion.add_word"];
    };
    feedback
        .warning()
        .map(warning_key)
        .into_iter()
        .chain(feedback.suggestions().iter().copied().map(suggestion_key))
        .collect()
}

fn warning_key(warning: Warning) -> &'static str {
    match warning {
        Warning::StraightRowsOfKeysAreEasyToGuess => "error.password.warning.straight_row",
        Warning::ShortKeyboardPatternsAreEasyToGuess => "error.password.warning.keyboard_pattern",
        Warning::RepeatsLikeAaaAreEasyToGuess => "error.password.warning.repeated_character",
        Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess => {
            "error.password.warning.repeated_group"
        }
        Warning::ThisIsATop10Password => "error.password.warning.top10",
        Warning::ThisIsATop100Password => "error.password.warning.top100",
        Warning::ThisIsACommonPassword => "error.password.warning.common",
        Warning::ThisIsSimilarToACommonlyUsedPassword => "error.password.warning.similar_common",
        Warning::SequencesLikeAbcAreEasyToGuess => "error.password.warning.sequence",
        Warning::RecentYearsAreEasyToGuess => "error.password.warning.recent_year",
        Warning::AWordByItselfIsEasyToGuess => "error.password.warning.single_word",
        Warning::DatesAreOftenEasyToGuess => "error.password.warning.date",
        Warning::NamesAndSurnamesByThemselvesAreEasyToGuess => "error.password.warning.name_alone",
        Warning::CommonNamesAndSurnamesAreEasyToGuess => "error.password.warning.common_name",
    }
}

fn suggestion_key(suggestion: Suggestion) -> &'static str {
    match suggestion {
        Suggestion::UseAFewWordsAvoidCommonPhrases => "error.password.suggestion.few_words",
        Suggestion::NoNeedForSymbolsDigitsOrUppercaseLetters => {
            "error.password.suggestion.no_symbols_needed"
        }
        Suggestion::AddAnotherWordOrTwo => "error.password.suggestion.add_word",
        Suggestion::CapitalizationDoesntHelpVeryMuch => "error.password.suggestion.capitals",
        Suggestion::AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase => {
            "error.password.suggestion.all_capitals"
        }
        Suggestion::ReversedWordsArentMuchHarderToGuess => "error.password.suggestion.reversed",
        Suggestion::PredictableSubstitutionsDontHelpVeryMuch => {
            "error.password.suggestion.substitutions"
        }
        Suggestion::UseALongerKeyboardPatternWithMoreTurns => {
            "error.password.suggestion.keyboard_turns"
        }
        Suggestion::AvoidRepeatedWordsAndCharacters => "error.password.suggestion.repeats",
        Suggestion::AvoidSequences => "error.password.suggestion.sequences",
        Suggestion::AvoidRecentYears => "error.password.suggestion.recent_years",
        Suggestion::AvoidYearsThatAreAssociatedWithYou => "error.password.suggestion.your_years",
        Suggestion::AvoidDatesAndYearsThatAreAssociatedWithYou => {
            "error.password.suggestion.your_dates"
        }
    }
}

/// Records a refused password beside `field`, with zxcvbn's advice under
/// the message; returns the password when it is accepted.
pub fn check(
    errors: &mut FieldErrors,
    field: &'static str,
    result: Result<NewPassword, PasswordError>,
) -> Option<NewPassword> {
    match result {
        Ok(password) => Some(password),
        Err(error) => {
            errors.add_with_advice(field, error.message_key(), error.advice());
            None
        }
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[cfg(test)]
mod tests;
