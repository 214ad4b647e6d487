//! Writing rate sheets: rows out as CSV or XLSX, columns in `COLUMNS` order.

use super::{COLUMNS, RateRow};
use crate::domain::money::{BasisPoints, Fen};
use crate::domain::spreadsheet;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// Writes rows as CSV with the columns in `COLUMNS` order. The file starts
/// with a byte-order mark so that Excel reads the Chinese names as UTF-8.
pub fn write_csv(rows: &[RateRow]) -> Vec<u8> {
    spreadsheet::write_csv(
        &COLUMNS,
        rows.iter()
            .map(|row| row_cells(row).map(|cell| cell.to_text()).to_vec()),
    )
}

/// Writes rows as an XLSX workbook with one worksheet, the columns in
/// `COLUMNS` order; numbers are written as numbers, prices and percentages
/// with two decimals shown.
pub fn write_xlsx(rows: &[RateRow]) -> Result<Vec<u8>, String> {
    write_workbook(rows).map_err(|error| error.to_string())
}

/// A cell as written to a file.
enum Cell {
    Text(String),
    Whole(u32),
    Price(Fen),
    Percent(BasisPoints),
}

impl Cell {
    fn to_text(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Whole(number) => number.to_string(),
            Cell::Price(price) => price.to_string(),
            Cell::Percent(percent) => percent.to_string(),
        }
    }
}

/// The cells of a row in `COLUMNS` order.
fn row_cells(row: &RateRow) -> [Cell; COLUMNS.len()] {
    [
        Cell::Text(row.route_code.to_string()),
        Cell::Text(row.route_name_zh.clone()),
        Cell::Text(row.route_name_en.clone()),
        Cell::Text(row.transport.to_string()),
        Cell::Whole(row.transit_min_days),
        Cell::Whole(row.transit_max_days),
        Cell::Whole(row.volumetric_divisor),
        Cell::Text(row.accepts.to_string()),
        Cell::Whole(row.max_weight_g),
        Cell::Text(row.country.as_str().to_owned()),
        Cell::Whole(row.min_weight_g),
        Cell::Whole(row.step_g),
        Cell::Whole(row.first_weight_g),
        Cell::Price(row.first_price),
        Cell::Price(row.step_price),
        Cell::Price(row.per_kg_price),
        Cell::Price(row.registration_fee),
        Cell::Percent(row.fuel_pct),
        Cell::Price(row.battery_fee),
        Cell::Price(row.liquid_fee),
        Cell::Price(row.magnetic_fee),
        Cell::Price(row.powder_fee),
        Cell::Text(row.remote_postcodes.join(";")),
        Cell::Price(row.remote_fee),
    ]
}

fn write_workbook(rows: &[RateRow]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let two_decimals = Format::new().set_num_format("0.00");
    let sheet = workbook.add_worksheet();
    sheet.set_name("rates")?;
    for (column, name) in (0..).zip(COLUMNS) {
        sheet.write_string_with_format(0, column, name, &bold)?;
    }
    for (row_number, row) in (1..).zip(rows) {
        for (column, cell) in (0..).zip(row_cells(row)) {
            match cell {
                Cell::Text(text) if text.is_empty() => continue,
                Cell::Text(text) => spreadsheet::write_text(sheet, row_number, column, &text)?,
                Cell::Whole(number) => {
                    sheet.write_number(row_number, column, number)?;
                }
                Cell::Price(Fen(hundredths)) | Cell::Percent(BasisPoints(hundredths)) => {
                    // Amounts are far below 2^53 hundredths, so the nearest
                    // double reads back as the same two-decimal number.
                    let value = hundredths as f64 / 100.0;
                    sheet.write_number_with_format(row_number, column, value, &two_decimals)?;
                }
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    workbook.save_to_buffer()
}
