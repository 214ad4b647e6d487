//! Cells on their way out and back: formula-like text neutralised for
//! spreadsheet programs (OWASP "CSV injection"), the neutralising undone on
//! import, and cell text clipped before an error report echoes it.

use std::borrow::Cow;

/// Cell text shown in an error report is cut to this many characters, so
/// that a huge cell is not echoed back.
pub const SHOWN_CHARS: usize = 80;

/// An error report lists at most this many problems, then says how many more.
pub const MAX_LISTED_PROBLEMS: usize = 100;

/// Whether a spreadsheet program would take `text` for a formula (OWASP
/// "CSV injection"): it starts with `=`, `+`, `-`, `@`, a tab or a carriage
/// return. A plain number (`-12.30`, `+8613800138000`) is not: it stays a
/// number, so statement amounts still add up in Excel.
pub fn is_formula_like(text: &str) -> bool {
    let starts_like_formula = text
        .chars()
        .next()
        .is_some_and(|first| matches!(first, '=' | '+' | '-' | '@' | '\t' | '\r'));
    starts_like_formula && !is_plain_number(text)
}

/// An optional sign, digits, and at most one decimal point among them.
fn is_plain_number(text: &str) -> bool {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// The one place that makes a text cell safe to open: formula-like text gets
/// a leading `'`, which spreadsheet programs show as text. Every CSV cell
/// written goes through here; XLSX text cells use the same test and Excel's
/// quote prefix instead (see [`super::write_text`]).
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if is_formula_like(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Undoes [`neutralise`] on import, so that an exported file reads back as
/// it was written: a `'` is dropped only before text it would have guarded.
pub fn unneutralise(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if is_formula_like(rest) => rest,
        _ => text,
    }
}

/// `text` clipped to [`SHOWN_CHARS`] characters, with "…" when cut: what an
/// error report may echo of a cell.
pub fn clip(text: &str) -> String {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{read_csv, read_xlsx, write_csv, write_xlsx};
    use super::*;

    #[test]
    fn formula_like_text_is_neutralised_and_numbers_are_not() {
        for formula in [
            "=HYPERLINK(\"http://x\")",
            "+cmd|' /C calc'!A0",
            "-1+1",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "-",
            "+",
        ] {
            assert_eq!(neutralise(formula), format!("'{formula}"), "{formula:?}");
            assert_eq!(unneutralise(&neutralise(formula)), formula);
        }
        for plain in [
            "-12.30",
            "+8613800138000",
            "500",
            "Jane",
            "",
            "'quoted",
            "a=b",
        ] {
            assert_eq!(neutralise(plain), plain, "{plain:?}");
            assert_eq!(unneutralise(plain), plain);
        }
    }

    #[test]
    fn a_csv_neutralises_text_and_reads_back_as_written() {
        let bytes = write_csv(&["name", "amount"], [vec!["=1+2", "-12.30"]]);
        let text = String::from_utf8(bytes.clone()).expect("UTF-8");
        assert!(text.contains("'=1+2,-12.30"), "{text}");
        let rows = read_csv(&bytes).expect("read");
        assert_eq!(rows[1].cells, ["=1+2", "-12.30"]);
    }

    #[test]
    fn an_xlsx_keeps_formula_like_text_as_text_and_reads_it_back() {
        let bytes = write_xlsx("s", &["name"], [vec!["=HYPERLINK(\"x\")"]], &[]).expect("xlsx");
        let rows = read_xlsx(&bytes).expect("read");
        assert_eq!(rows[1].cells, ["=HYPERLINK(\"x\")"]);
    }

    #[test]
    fn a_long_cell_is_clipped_for_reports() {
        let long = "字".repeat(1000);
        let shown = clip(&long);
        assert_eq!(shown.chars().count(), SHOWN_CHARS + 1);
        assert!(shown.ends_with('…'));
        assert_eq!(clip("short"), "short");
    }
}
