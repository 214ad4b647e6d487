//! Code 128 barcodes for parcel labels: the order number as bars a warehouse
//! scanner reads. The symbols come from the `barcoders` crate; this module
//! picks the character sets and turns the symbol into bars to draw (SVG on
//! the print page, filled rectangles in the PDF).

use barcoders::sym::code128::Code128;

/// Light modules a reader needs on each side of the bars (the standard asks
/// for at least ten).
pub const QUIET_ZONE: usize = 10;

/// Why a text cannot be a Code 128 barcode here.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BarcodeError {
    /// Only printable ASCII (code set B) is encoded; order numbers are.
    #[error("only printable ASCII can be encoded")]
    Character,
    #[error("nothing to encode")]
    Empty,
}

/// A Code 128 symbol: its modules from the first bar to the end of the stop
/// pattern, without the quiet zones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Barcode {
    text: String,
    modules: Vec<bool>,
}

impl Barcode {
    /// `text` as Code 128: code set B, switching to code set C for runs of
    /// digits long enough to make the symbol shorter (an order number's date
    /// and sequence), which gives wider bars on the same label.
    pub fn code128(text: &str) -> Result<Barcode, BarcodeError> {
        if text.is_empty() {
            return Err(BarcodeError::Empty);
        }
        if !text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
            return Err(BarcodeError::Character);
        }
        let symbol = Code128::new(code_sets(text)).map_err(|_| BarcodeError::Character)?;
        Ok(Barcode {
            text: text.to_owned(),
            modules: symbol.encode().into_iter().map(|m| m == 1).collect(),
        })
    }

    /// What the bars say.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Width of the symbol in modules, quiet zones excluded.
    pub fn modules(&self) -> usize {
        self.modules.len()
    }

    /// Every bar as (first module, width in modules), left to right.
    pub fn bars(&self) -> Vec<(usize, usize)> {
        let mut bars: Vec<(usize, usize)> = Vec::new();
        for (i, dark) in self.modules.iter().enumerate() {
            if !dark {
                continue;
            }
            match bars.last_mut() {
                Some((start, width)) if *start + *width == i => *width += 1,
                _ => bars.push((i, 1)),
            }
        }
        bars
    }
}

/// The input `barcoders` expects: the text with the code-set switches
/// written in (`Ɓ` for set B, `Ć` for set C). A run of digits goes to set C
/// when that saves symbols: six or more inside the text (two switches cost
/// two symbols), four or more at its end (one switch); an odd run keeps its
/// first digit in set B.
fn code_sets(text: &str) -> String {
    const SET_B: char = 'Ɓ';
    const SET_C: char = 'Ć';
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::from(SET_B);
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        let at_end = i + run == chars.len();
        if run >= 6 || (at_end && run >= 4) {
            if run % 2 == 1 {
                out.push(chars[i]);
                i += 1;
            }
            let even = run - run % 2;
            out.push(SET_C);
            out.extend(&chars[i..i + even]);
            i += even;
            if i < chars.len() {
                out.push(SET_B);
            }
        } else {
            let n = run.max(1);
            out.extend(&chars[i..i + n]);
            i += n;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bar and space widths of the Code 128 symbol values used below, from
    /// the symbology's table (ISO/IEC 15417), written here independently of
    /// the encoder.
    fn widths(value: u32) -> &'static str {
        match value {
            0 => "212222",
            1 => "222122",
            10 => "221312",
            11 => "231212",
            25 => "321122",
            26 => "321221",
            34 => "131123",
            48 => "313121",
            51 => "213113",
            53 => "213131",
            99 => "113141",
            100 => "114131",
            104 => "211214",
            _ => panic!("value {value} not in the test table"),
        }
    }

    /// The modules as run lengths ("2112…").
    fn runs(barcode: &Barcode) -> String {
        let mut runs: Vec<usize> = Vec::new();
        let mut last = None;
        for &m in &barcode.modules {
            if Some(m) == last {
                *runs.last_mut().expect("a run") += 1;
            } else {
                runs.push(1);
                last = Some(m);
            }
        }
        runs.iter().map(|r| r.to_string()).collect()
    }

    #[test]
    fn an_order_number_is_set_b_letters_and_set_c_digit_pairs() {
        let barcode = Barcode::code128("SP2611250001BU").expect("encodes");
        // Start B, S, P, Code C, 26 11 25 00 01, Code B, B, U; the check is
        // (104 + 51·1 + 48·2 + 99·3 + 26·4 + 11·5 + 25·6 + 0·7 + 1·8
        //  + 100·9 + 34·10 + 53·11) mod 103 = 2688 mod 103 = 10.
        let values = [104, 51, 48, 99, 26, 11, 25, 0, 1, 100, 34, 53, 10];
        let expected: String = values.iter().map(|v| widths(*v)).collect::<String>() + "2331112";
        assert_eq!(runs(&barcode), expected);
        assert_eq!(barcode.modules(), 11 * values.len() + 13);
        assert_eq!(barcode.text(), "SP2611250001BU");
        assert!(barcode.modules[0] && *barcode.modules.last().expect("modules"));
    }

    #[test]
    fn digit_runs_switch_sets_only_when_it_saves_symbols() {
        assert_eq!(code_sets("SP2611250001BU"), "ƁSPĆ2611250001ƁBU");
        // Five-digit sequence numbers make an odd run of eleven.
        assert_eq!(code_sets("SP26112510001BU"), "ƁSP2Ć6112510001ƁBU");
        assert_eq!(code_sets("AB12CD"), "ƁAB12CD");
        assert_eq!(code_sets("AB1234"), "ƁABĆ1234");
        assert_eq!(code_sets("123456"), "ƁĆ123456");
        for text in ["SP2611250001BU", "SP26112510001BU", "a b~", "12345", "7"] {
            assert!(Barcode::code128(text).is_ok(), "{text}");
        }
    }

    #[test]
    fn bars_cover_exactly_the_dark_modules() {
        let barcode = Barcode::code128("SP2611250001BU").expect("encodes");
        let dark = barcode.modules.iter().filter(|m| **m).count();
        let bars = barcode.bars();
        assert_eq!(bars.iter().map(|b| b.1).sum::<usize>(), dark);
        assert!(bars.windows(2).all(|w| w[0].0 + w[0].1 < w[1].0));
        // Every Code 128 symbol has three bars, plus the stop's extra bar.
        assert_eq!(bars.len(), 3 * 13 + 4);
    }

    #[test]
    fn text_outside_printable_ascii_is_refused() {
        assert_eq!(Barcode::code128(""), Err(BarcodeError::Empty));
        assert_eq!(Barcode::code128("订单"), Err(BarcodeError::Character));
        assert_eq!(Barcode::code128("A\tB"), Err(BarcodeError::Character));
    }
}
