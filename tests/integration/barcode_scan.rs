//! Reads a Code 128 barcode back from a rendered PDF page, independently of
//! the encoder the app uses: poppler's `pdftoppm` rasterises the page to a
//! grey image, one scan line across the bars gives the bar and space widths,
//! and the symbology's width table (ISO/IEC 15417, typed here) decodes them.

use std::process::Command;

/// Bar/space widths of the Code 128 values 0–106 (106 is the stop, with
/// its final bar).
const WIDTHS: [&str; 107] = [
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212",
    "221213", "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221",
    "223211", "221132", "221231", "213212", "223112", "312131", "311222", "321122", "321221",
    "312212", "322112", "322211", "212123", "212321", "232121", "111323", "131123", "131321",
    "112313", "132113", "132311", "211313", "231113", "231311", "112133", "112331", "132131",
    "113123", "113321", "133121", "313121", "211331", "231131", "213113", "213311", "213131",
    "311123", "311321", "331121", "312113", "312311", "332111", "314111", "221411", "431111",
    "111224", "111422", "121124", "121421", "141122", "141221", "112214", "112412", "122114",
    "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111", "111242",
    "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
    "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311",
    "113141", "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
];

/// The text of the first Code 128 barcode on page `page` of `pdf`, or why
/// none could be read. `None` when poppler is not installed (and not required).
pub fn read_pdf(pdf: &[u8], page: u32) -> Option<Result<String, String>> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    let out = dir.path().join("page");
    let page = page.to_string();
    let status = Command::new("pdftoppm")
        .args([
            "-gray",
            "-r",
            "300",
            "-singlefile",
            "-f",
            &page,
            "-l",
            &page,
        ])
        .arg(&path)
        .arg(&out)
        .status();
    match status {
        Ok(status) => assert!(status.success(), "pdftoppm failed"),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let required = std::env::var("E2E_REQUIRED").is_ok_and(|v| v == "1");
            assert!(!required, "E2E_REQUIRED=1 but pdftoppm is missing");
            eprintln!("note: pdftoppm not found; the barcode is not read back");
            return None;
        }
        Err(e) => panic!("pdftoppm: {e}"),
    }
    let image = std::fs::read(dir.path().join("page.pgm")).expect("pdftoppm wrote a PGM");
    Some(read_pgm(&image))
}

/// A binary PGM (P5, 8 bit): width, height and pixels.
fn parse_pgm(bytes: &[u8]) -> (usize, usize, &[u8]) {
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(std::str::from_utf8(&bytes[start..at]).expect("header"));
    }
    assert_eq!(fields[0], "P5", "a binary grey image");
    let w: usize = fields[1].parse().expect("width");
    let h: usize = fields[2].parse().expect("height");
    (w, h, &bytes[at + 1..at + 1 + w * h])
}

/// Tries every tenth row from the top and decodes the first one that reads.
fn read_pgm(bytes: &[u8]) -> Result<String, String> {
    let (w, h, pixels) = parse_pgm(bytes);
    let mut last = "no row crosses a barcode".to_owned();
    for y in (0..h).step_by(10) {
        let row: Vec<bool> = pixels[y * w..(y + 1) * w]
            .iter()
            .map(|p| *p < 128)
            .collect();
        let runs = runs(&row);
        if runs.len() < 31 {
            continue;
        }
        match decode(&runs) {
            Ok(text) => return Ok(text),
            Err(why) => last = why,
        }
    }
    Err(last)
}

/// Lengths of the alternating dark and light runs, from the first dark
/// pixel to the last.
fn runs(row: &[bool]) -> Vec<usize> {
    let (Some(first), Some(last)) = (row.iter().position(|d| *d), row.iter().rposition(|d| *d))
    else {
        return Vec::new();
    };
    let mut runs: Vec<usize> = Vec::new();
    let mut prev = None;
    for &dark in &row[first..=last] {
        if Some(dark) == prev {
            *runs.last_mut().expect("a run") += 1;
        } else {
            runs.push(1);
            prev = Some(dark);
        }
    }
    runs
}

/// Decodes bar/space runs: each symbol's six runs are scaled to its 11
/// modules and looked up; then the check value and the stop are verified
/// and code sets B and C turned into text.
fn decode(runs: &[usize]) -> Result<String, String> {
    if runs.len() < 13 || !(runs.len() - 7).is_multiple_of(6) {
        return Err(format!("{} runs is no Code 128 symbol", runs.len()));
    }
    let mut values = Vec::new();
    for symbol in runs[..runs.len() - 7].chunks(6) {
        let total: usize = symbol.iter().sum();
        let widths: String = symbol
            .iter()
            .map(|r| {
                let m = (*r as f64 * 11.0 / total as f64).round() as usize;
                char::from_digit(m.clamp(1, 4) as u32, 10).expect("digit")
            })
            .collect();
        let value = WIDTHS[..106]
            .iter()
            .position(|w| *w == widths)
            .ok_or_else(|| format!("no symbol has widths {widths}"))?;
        values.push(value);
    }
    let stop = &runs[runs.len() - 7..];
    let total: usize = stop.iter().sum();
    let stop: String = stop
        .iter()
        .map(|r| {
            char::from_digit(((*r as f64 * 13.0 / total as f64).round()) as u32, 10).unwrap_or('?')
        })
        .collect();
    if stop != WIDTHS[106] {
        return Err(format!("stop pattern reads {stop}"));
    }
    let (check, data) = values.split_last().ok_or("no symbols")?;
    let sum = data[0]
        + data[1..]
            .iter()
            .enumerate()
            .map(|(i, v)| (i + 1) * v)
            .sum::<usize>();
    if sum % 103 != *check {
        return Err(format!("check value {check}, computed {}", sum % 103));
    }
    let mut set = match data[0] {
        104 => 'B',
        105 => 'C',
        other => return Err(format!("start value {other} (only B and C are expected)")),
    };
    let mut text = String::new();
    for &v in &data[1..] {
        match (set, v) {
            ('B', 0..=95) => text.push(char::from(b' ' + v as u8)),
            ('B', 99) => set = 'C',
            ('C', 0..=99) => text.push_str(&format!("{v:02}")),
            ('C', 100) => set = 'B',
            _ => return Err(format!("value {v} in code set {set}")),
        }
    }
    Ok(text)
}

#[test]
fn the_decoder_reads_a_symbol_written_from_the_table() {
    // Start B, "A", Code C, 12 34, check, stop: a hand-made scan line at
    // three pixels per module.
    let values = [104usize, 33, 99, 12, 34];
    let sum = 104 + 33 + 2 * 99 + 3 * 12 + 4 * 34;
    let mut widths: Vec<&str> = values.iter().map(|v| WIDTHS[*v]).collect();
    widths.push(WIDTHS[sum % 103]);
    widths.push(WIDTHS[106]);
    let runs: Vec<usize> = widths
        .concat()
        .chars()
        .map(|c| 3 * c.to_digit(10).expect("digit") as usize)
        .collect();
    assert_eq!(decode(&runs), Ok("A1234".to_owned()));
    // Every symbol is 11 modules with an even number of bar modules.
    for w in &WIDTHS[..106] {
        let d: Vec<u32> = w.chars().map(|c| c.to_digit(10).expect("digit")).collect();
        assert_eq!(d.iter().sum::<u32>(), 11, "{w}");
        assert_eq!((d[0] + d[2] + d[4]) % 2, 0, "{w}");
    }
}
