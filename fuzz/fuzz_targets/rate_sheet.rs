//! A rate sheet an admin uploads: CSV or XLSX (the first byte picks which,
//! as the file name would), every problem reported, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samplepost::domain::rate_sheet;

fuzz_target!(|data: &[u8]| {
    let Some((kind, bytes)) = data.split_first() else {
        return;
    };
    let name = if kind % 2 == 0 {
        "rates.csv"
    } else {
        "rates.xlsx"
    };
    if let Ok(rows) = rate_sheet::parse(name, bytes) {
        // What was accepted writes out and reads back as the same rows.
        let csv = rate_sheet::write_csv(&rows);
        let again = rate_sheet::parse_csv(&csv).expect("an exported sheet imports");
        assert_eq!(again, rows);
    }
});
