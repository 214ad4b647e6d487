//! Recipient tax ids that some destinations require for customs clearance:
//! Brazil's CPF or CNPJ and Korea's personal customs clearance code (PCCC).

/// Which tax id a destination requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaxIdRule {
    /// Brazil: a person's CPF (11 digits) or a company's CNPJ (14 characters),
    /// each with two mod-11 check digits.
    Cpf,
    /// Korea: a personal customs clearance code, `P` and 12 digits.
    Pccc,
}

/// Why a tax id is refused; each rule has one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TaxIdError {
    /// Not a CPF or CNPJ with valid check digits.
    #[error("a CPF has 11 digits and a CNPJ 14 characters, ending in two valid check digits")]
    Cpf,
    /// Not `P` followed by 12 digits.
    #[error("a personal customs clearance code is P followed by 12 digits")]
    Pccc,
}

impl TaxIdError {
    /// Key of the message shown to the user in the message catalogue.
    pub fn message_key(&self) -> &'static str {
        match self {
            TaxIdError::Cpf => "error.tax_id.cpf",
            TaxIdError::Pccc => "error.tax_id.pccc",
        }
    }
}

/// The tax id required by the destination with this ISO 3166-1 alpha-2 code,
/// if any.
pub fn rule_for(country: &str) -> Option<TaxIdRule> {
    match country.trim().to_ascii_uppercase().as_str() {
        "BR" => Some(TaxIdRule::Cpf),
        "KR" => Some(TaxIdRule::Pccc),
        _ => None,
    }
}

/// Checks a tax id as typed by a person and returns it as stored: a CPF or
/// CNPJ without its dots, dash, slash and spaces; a PCCC in upper case.
pub fn parse(rule: TaxIdRule, input: &str) -> Result<String, TaxIdError> {
    match rule {
        TaxIdRule::Cpf => parse_cpf_or_cnpj(input).ok_or(TaxIdError::Cpf),
        TaxIdRule::Pccc => parse_pccc(input).ok_or(TaxIdError::Pccc),
    }
}

fn parse_cpf_or_cnpj(input: &str) -> Option<String> {
    let id: String = input
        .chars()
        .filter(|c| !matches!(c, '.' | '-' | '/') && !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    // Strings of one repeated character pass the check digits but are never issued.
    if !id.is_ascii() || id.bytes().all(|b| b == id.as_bytes()[0]) {
        return None;
    }
    let (body, check) = match id.len() {
        11 if id.bytes().all(|b| b.is_ascii_digit()) => (&id[..9], &id[9..]),
        // Since July 2026 a CNPJ's first 12 characters may be letters (IN RFB
        // 2.229/2024); its check digits stay digits.
        14 if id[..12].bytes().all(|b| b.is_ascii_alphanumeric())
            && id[12..].bytes().all(|b| b.is_ascii_digit()) =>
        {
            (&id[..12], &id[12..])
        }
        _ => return None,
    };
    (check_digits(body) == check).then_some(id)
}

/// The two mod-11 check digits shared by CPF and CNPJ. A character counts as
/// its ASCII code minus 48 (digits as themselves, `A` as 17), as the Receita
/// Federal defines for alphanumeric CNPJs. Weights count up from 2 at the
/// rightmost character: without end for a CPF, cycling through 2..=9 for a
/// CNPJ. Each digit is 11 minus the weighted sum mod 11, or 0 when that is 10
/// or 11; the second digit is computed with the first appended.
fn check_digits(body: &str) -> String {
    let cpf = body.len() == 9;
    let mut values: Vec<u32> = body.bytes().map(|b| u32::from(b - b'0')).collect();
    for _ in 0..2 {
        let sum: u32 = values
            .iter()
            .rev()
            .zip(0u32..)
            .map(|(value, i)| value * if cpf { i + 2 } else { i % 8 + 2 })
            .sum();
        let remainder = sum % 11;
        values.push(if remainder < 2 { 0 } else { 11 - remainder });
    }
    values[values.len() - 2..]
        .iter()
        .filter_map(|&digit| char::from_digit(digit, 10))
        .collect()
}

fn parse_pccc(input: &str) -> Option<String> {
    let code = input.trim().to_ascii_uppercase();
    let digits = code.strip_prefix('P')?;
    (digits.len() == 12 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brazil_needs_a_cpf_or_cnpj_and_korea_a_pccc() {
        assert_eq!(rule_for("BR"), Some(TaxIdRule::Cpf));
        assert_eq!(rule_for("br"), Some(TaxIdRule::Cpf));
        assert_eq!(rule_for("KR"), Some(TaxIdRule::Pccc));
        assert_eq!(rule_for("US"), None);
        assert_eq!(rule_for("KP"), None);
    }

    #[test]
    fn valid_cpfs_are_accepted_with_or_without_punctuation() {
        // Check digits worked by hand, e.g. 529982247: 5·10 + 2·9 + 9·8 + 9·7
        // + 8·6 + 2·5 + 2·4 + 4·3 + 7·2 = 295, 295 mod 11 = 9, 11 − 9 = 2;
        // then 5·11 + … + 7·3 + 2·2 = 347, 347 mod 11 = 6, 11 − 6 = 5.
        for (input, stored) in [
            ("529.982.247-25", "52998224725"),
            ("52998224725", "52998224725"),
            ("111.444.777-35", "11144477735"),
            ("123.456.789-09", "12345678909"),
            (" 000.000.001-91 ", "00000000191"),
            ("935411347-80", "93541134780"),
        ] {
            assert_eq!(
                parse(TaxIdRule::Cpf, input),
                Ok(stored.to_owned()),
                "{input}"
            );
        }
    }

    #[test]
    fn cpfs_with_a_wrong_check_digit_are_refused() {
        for input in [
            "529.982.247-24",
            "529.982.247-15",
            "111.444.777-53",
            "123.456.789-10",
        ] {
            assert_eq!(
                parse(TaxIdRule::Cpf, input),
                Err(TaxIdError::Cpf),
                "{input}"
            );
        }
    }

    #[test]
    fn cpfs_of_one_repeated_digit_are_refused() {
        for digit in '0'..='9' {
            let cpf = digit.to_string().repeat(11);
            assert_eq!(parse(TaxIdRule::Cpf, &cpf), Err(TaxIdError::Cpf), "{cpf}");
        }
        assert_eq!(
            parse(TaxIdRule::Cpf, "111.111.111-11"),
            Err(TaxIdError::Cpf)
        );
    }

    #[test]
    fn valid_cnpjs_are_accepted_and_stored_without_punctuation() {
        // 11222333000181 by hand: 1·5 + 1·4 + 2·3 + 2·2 + 2·9 + 3·8 + 3·7 + 3·6
        // + 0 + 0 + 0 + 1·2 = 102, 102 mod 11 = 3, 11 − 3 = 8; then with 8
        // appended and weights 6,5,4,3,2,9,…,2 the sum is 120, 120 mod 11 = 10,
        // 11 − 10 = 1.
        for (input, stored) in [
            ("11.222.333/0001-81", "11222333000181"),
            ("11222333000181", "11222333000181"),
            ("44.038.188/0001-32", "44038188000132"),
            ("42.318.949/0001-84", "42318949000184"),
        ] {
            assert_eq!(
                parse(TaxIdRule::Cpf, input),
                Ok(stored.to_owned()),
                "{input}"
            );
        }
    }

    #[test]
    fn alphanumeric_cnpjs_are_accepted_in_upper_case() {
        // The Receita Federal's own example: A counts 17, B 18 and so on; the
        // sums are 459 (mod 11 = 8, check 3) and 424 (mod 11 = 6, check 5).
        assert_eq!(
            parse(TaxIdRule::Cpf, "12.abc.345/01de-35"),
            Ok("12ABC34501DE35".to_owned())
        );
        assert_eq!(
            parse(TaxIdRule::Cpf, "12.ABC.345/01DE-36"),
            Err(TaxIdError::Cpf)
        );
        // Letters are never check digits.
        assert_eq!(
            parse(TaxIdRule::Cpf, "12.ABC.345/01DE-3A"),
            Err(TaxIdError::Cpf)
        );
    }

    #[test]
    fn cnpjs_with_a_wrong_check_digit_or_one_repeated_digit_are_refused() {
        for input in [
            "11.222.333/0001-82",
            "11.222.333/0001-18",
            "44.038.188/0001-23",
            "00.000.000/0000-00",
            "11.111.111/1111-11",
        ] {
            assert_eq!(
                parse(TaxIdRule::Cpf, input),
                Err(TaxIdError::Cpf),
                "{input}"
            );
        }
    }

    #[test]
    fn other_lengths_and_characters_are_refused_as_cpf() {
        for input in [
            "",
            "5299822472",
            "529982247255",
            "5299822472X",
            "529 982 247 2５",
        ] {
            assert_eq!(
                parse(TaxIdRule::Cpf, input),
                Err(TaxIdError::Cpf),
                "{input}"
            );
        }
    }

    #[test]
    fn a_pccc_is_p_and_twelve_digits_stored_in_upper_case() {
        assert_eq!(
            parse(TaxIdRule::Pccc, "P123456789012"),
            Ok("P123456789012".to_owned())
        );
        assert_eq!(
            parse(TaxIdRule::Pccc, " p123456789012 "),
            Ok("P123456789012".to_owned())
        );
    }

    #[test]
    fn malformed_pcccs_are_refused() {
        for input in [
            "",
            "123456789012",
            "P12345678901",
            "P1234567890123",
            "Q123456789012",
            "P12345678901X",
            "P 123456789012",
            "P12345678901２",
        ] {
            assert_eq!(
                parse(TaxIdRule::Pccc, input),
                Err(TaxIdError::Pccc),
                "{input}"
            );
        }
    }

    #[test]
    fn each_rule_has_its_message_key() {
        assert_eq!(TaxIdError::Cpf.message_key(), "error.tax_id.cpf");
        assert_eq!(TaxIdError::Pccc.message_key(), "error.tax_id.pccc");
    }
}
