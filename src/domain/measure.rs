//! Weights and lengths typed in kg and cm (with decimals) become integer grams
//! and millimetres once, at the edge.

use super::money::{AmountError, parse_scaled};

/// "0.48" kg → 480 g (at most three decimals); above zero.
pub fn grams_from_kg(input: &str) -> Result<u32, &'static str> {
    positive(parse_scaled(input, 3), "error.measure.weight")
}

/// "30.5" cm → 305 mm (at most one decimal); above zero.
pub fn mm_from_cm(input: &str) -> Result<u32, &'static str> {
    positive(parse_scaled(input, 1), "error.measure.length")
}

fn positive(value: Result<i64, AmountError>, key: &'static str) -> Result<u32, &'static str> {
    value
        .ok()
        .filter(|v| *v > 0)
        .and_then(|v| u32::try_from(v).ok())
        .filter(|v| *v <= 1_000_000)
        .ok_or(key)
}

/// Grams shown as kg with up to three decimals: 480 → "0.48".
pub fn kg_text(grams: u32) -> String {
    let text = format!("{}.{:03}", grams / 1000, grams % 1000);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Millimetres shown as cm with up to one decimal: 305 → "30.5".
pub fn cm_text(mm: u32) -> String {
    match mm % 10 {
        0 => (mm / 10).to_string(),
        tenths => format!("{}.{tenths}", mm / 10),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kilograms_with_decimals_become_grams() {
        assert_eq!(grams_from_kg("0.48"), Ok(480));
        assert_eq!(grams_from_kg("2"), Ok(2000));
        assert_eq!(grams_from_kg("1.2345"), Err("error.measure.weight"));
        assert_eq!(grams_from_kg("0"), Err("error.measure.weight"));
        assert_eq!(grams_from_kg("-1"), Err("error.measure.weight"));
    }

    #[test]
    fn centimetres_with_one_decimal_become_millimetres() {
        assert_eq!(mm_from_cm("30.5"), Ok(305));
        assert_eq!(mm_from_cm("20"), Ok(200));
        assert!(mm_from_cm("abc").is_err());
    }

    #[test]
    fn grams_print_as_short_kilograms() {
        assert_eq!(kg_text(480), "0.48");
        assert_eq!(kg_text(2000), "2");
        assert_eq!(kg_text(1005), "1.005");
    }
}
