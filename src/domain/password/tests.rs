use super::*;

fn parse(input: &str) -> Result<NewPassword, PasswordError> {
    NewPassword::parse(input, Personal::default())
}

fn refusal(input: &str, personal: Personal<'_>) -> Option<PasswordError> {
    NewPassword::parse(input, personal).err()
}

#[test]
fn a_long_uncommon_password_is_accepted_as_typed() {
    let password = parse(" Correct Horse Battery ").expect("acceptable password");
    assert_eq!(password.expose(), " Correct Horse Battery ");
}

#[test]
fn the_password_the_tests_type_is_strong_enough() {
    for password in [
        "Correct-Horse-42",
        "Another-Long-Pass-7",
        "Admin-Chosen-Pass-9",
    ] {
        assert!(parse(password).is_ok(), "{password}");
    }
}

#[test]
fn nine_characters_are_too_short_and_ten_are_enough() {
    assert_eq!(parse("tr0ub4dor").map(|_| ()), Err(PasswordError::TooShort));
    assert!(parse("tr0ub4dor&").is_ok());
}

#[test]
fn length_is_counted_in_characters_not_bytes() {
    // Nine characters but 27 bytes: still too short.
    assert_eq!(
        parse("我的密码很安全的吧").map(|_| ()),
        Err(PasswordError::TooShort)
    );
    assert!(parse("我的密码真的很安全吧").is_ok());
}

#[test]
fn more_than_128_characters_are_too_long() {
    let long: String = (0..MAX_CHARS)
        .map(|i| (b'a' + (i * 7 % 26) as u8) as char)
        .collect();
    assert!(parse(&long).is_ok());
    assert_eq!(
        parse(&format!("{long}x")).map(|_| ()),
        Err(PasswordError::TooLong)
    );
}

#[test]
fn a_common_password_of_ten_characters_is_refused() {
    for common in ["1234567890", "qwertyuiop", "1q2w3e4r5t"] {
        assert_eq!(
            parse(common).map(|_| ()),
            Err(PasswordError::TooCommon),
            "{common}"
        );
    }
}

#[test]
fn common_passwords_are_refused_whatever_their_case() {
    assert_eq!(
        parse("QwertyUIOP").map(|_| ()),
        Err(PasswordError::TooCommon)
    );
}

#[test]
fn guessable_passwords_are_refused_with_advice() {
    // Accepted before zxcvbn: ten characters and not on the list.
    let Some(PasswordError::TooWeak { advice }) = parse("password123").err() else {
        panic!("password123 is weak");
    };
    assert_eq!(
        advice,
        [
            "error.password.warning.common",
            "error.password.suggestion.add_word"
        ]
    );
    let Some(PasswordError::TooWeak { advice }) = parse("aaaaaaaaaa").err() else {
        panic!("aaaaaaaaaa is weak");
    };
    assert!(advice.contains(&"error.password.warning.repeated_character"));
    assert!(matches!(
        parse(&"ab3".repeat(42)),
        Err(PasswordError::TooWeak { .. })
    ));
}

#[test]
fn a_password_with_the_email_name_or_company_is_refused_in_any_case() {
    let personal = Personal {
        email: "zhang.wei@example.cn",
        company: "Acme Trading",
    };
    for password in [
        "My-zhang.wei-Pass-81",
        "ZhangWei-Garden-88",
        "Garden-ZHANG-1988!",
        "Acme-Garden-Rocket-5",
        "Rocket-trading-Blue-7",
    ] {
        assert_eq!(
            refusal(password, personal),
            Some(PasswordError::Personal),
            "{password}"
        );
    }
    // "wei" has three characters: too short to count as the e-mail's name.
    assert_eq!(refusal("Wei-Garden-Rocket-5", personal), None);
}

#[test]
fn a_chinese_company_name_counts_too() {
    let personal = Personal {
        email: "owner@example.cn",
        company: "深圳样品科技",
    };
    assert_eq!(
        refusal("深圳样品科技-Rocket-5", personal),
        Some(PasswordError::Personal)
    );
}

#[test]
fn the_user_inputs_lower_the_score_of_a_near_copy() {
    // Not containing the whole local part, but built on it reversed: zxcvbn sees it.
    let personal = Personal {
        email: "xiaomingzhou@example.cn",
        company: "",
    };
    assert!(parse("uohzgnimoaix1").is_ok());
    assert!(matches!(
        refusal("uohzgnimoaix1", personal),
        Some(PasswordError::TooWeak { .. })
    ));
}

#[test]
fn every_warning_and_suggestion_has_words_in_both_languages() {
    use crate::i18n::{Lang, lookup};
    let warnings = [
        Warning::StraightRowsOfKeysAreEasyToGuess,
        Warning::ShortKeyboardPatternsAreEasyToGuess,
        Warning::RepeatsLikeAaaAreEasyToGuess,
        Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess,
        Warning::ThisIsATop10Password,
        Warning::ThisIsATop100Password,
        Warning::ThisIsACommonPassword,
        Warning::ThisIsSimilarToACommonlyUsedPassword,
        Warning::SequencesLikeAbcAreEasyToGuess,
        Warning::RecentYearsAreEasyToGuess,
        Warning::AWordByItselfIsEasyToGuess,
        Warning::DatesAreOftenEasyToGuess,
        Warning::NamesAndSurnamesByThemselvesAreEasyToGuess,
        Warning::CommonNamesAndSurnamesAreEasyToGuess,
    ]
    .map(warning_key);
    let suggestions = [
        Suggestion::UseAFewWordsAvoidCommonPhrases,
        Suggestion::NoNeedForSymbolsDigitsOrUppercaseLetters,
        Suggestion::AddAnotherWordOrTwo,
        Suggestion::CapitalizationDoesntHelpVeryMuch,
        Suggestion::AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase,
        Suggestion::ReversedWordsArentMuchHarderToGuess,
        Suggestion::PredictableSubstitutionsDontHelpVeryMuch,
        Suggestion::UseALongerKeyboardPatternWithMoreTurns,
        Suggestion::AvoidRepeatedWordsAndCharacters,
        Suggestion::AvoidSequences,
        Suggestion::AvoidRecentYears,
        Suggestion::AvoidYearsThatAreAssociatedWithYou,
        Suggestion::AvoidDatesAndYearsThatAreAssociatedWithYou,
    ]
    .map(suggestion_key);
    for key in warnings.iter().chain(&suggestions) {
        for lang in [Lang::ZhCn, Lang::En] {
            assert!(lookup(lang, key).is_some(), "{key} in {}", lang.code());
        }
    }
    let zh = lookup(Lang::ZhCn, "error.password.warning.top10").unwrap_or_default();
    assert!(!zh.is_ascii(), "the Chinese words are Chinese: {zh}");
}

#[test]
fn the_bundled_list_holds_a_thousand_passwords() {
    let list = include_str!("../../../reference/common-passwords.txt");
    assert_eq!(list.lines().count(), 1000);
    assert!(COMMON_PASSWORDS.contains("password"));
    assert!(COMMON_PASSWORDS.contains("123456"));
}

#[test]
fn debug_output_hides_the_password() {
    let password = parse("s3cret-and-long").expect("acceptable password");
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
    assert_eq!(
        PasswordError::Personal.message_key(),
        "error.password.personal"
    );
    assert_eq!(
        PasswordError::TooWeak { advice: vec![] }.message_key(),
        "error.password.too_weak"
    );
}

#[test]
fn a_refusal_is_recorded_beside_its_field_with_the_advice() {
    let mut errors = FieldErrors::new();
    assert!(check(&mut errors, "password", parse("aaaaaaaaaa")).is_none());
    assert_eq!(errors.get("password"), Some("error.password.too_weak"));
    assert!(
        errors
            .advice("password")
            .contains(&"error.password.warning.repeated_character")
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

#[test]
fn common_passwords_beyond_our_own_list_are_too_weak() {
    // Not among our 1,000, but in zxcvbn's lists of common passwords and words.
    for common in [
        "password2026",
        "iloveyou2024",
        "qwertyuiop1",
        "dragonball123",
    ] {
        assert!(
            matches!(
                parse(common),
                Err(PasswordError::TooWeak { .. } | PasswordError::TooCommon)
            ),
            "{common} is accepted"
        );
    }
}
