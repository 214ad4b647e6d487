//! An order sheet a seller uploads: CSV or XLSX, one draft per row or
//! every problem by row and column, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samplepost::domain::order_sheet;

fuzz_target!(|data: &[u8]| {
    let Some((kind, bytes)) = data.split_first() else {
        return;
    };
    let name = if kind % 2 == 0 {
        "orders.csv"
    } else {
        "orders.xlsx"
    };
    let routes = ["EU-ECO".to_owned(), "INTL-EXPRESS".to_owned()];
    let _ = order_sheet::parse(name, bytes, &routes);
});
