//! Rate sheets: one row per route × destination country, in the CSV/XLSX
//! form logistics providers publish (header names exact, column order free).
//! Parsing is all-or-nothing: either every row is valid, or every problem is
//! reported with its row number and column.

mod read;
mod write;

#[cfg(test)]
mod tests;

pub use read::{parse, parse_csv, parse_xlsx};
pub use write::{write_csv, write_xlsx};

use super::country::CountryCode;
use super::money::{BasisPoints, Fen};
use super::route::{Attributes, RouteCode, Transport};
use super::spreadsheet::{self, SheetFileError};

/// The header names, in the order files are written.
pub const COLUMNS: [&str; 24] = [
    "route_code",
    "route_name_zh",
    "route_name_en",
    "transport",
    "transit_min_days",
    "transit_max_days",
    "volumetric_divisor",
    "accepts",
    "max_weight_g",
    "country",
    "min_weight_g",
    "step_g",
    "first_weight_g",
    "first_price",
    "step_price",
    "per_kg_price",
    "registration_fee",
    "fuel_pct",
    "battery_fee",
    "liquid_fee",
    "magnetic_fee",
    "powder_fee",
    "remote_postcodes",
    "remote_fee",
];

/// One valid row of a rate sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateRow {
    pub route_code: RouteCode,
    pub route_name_zh: String,
    pub route_name_en: String,
    pub transport: Transport,
    pub transit_min_days: u32,
    pub transit_max_days: u32,
    /// cm³ per kg as published (e.g. 6000 or 8000); 0 = charged on actual weight only.
    pub volumetric_divisor: u32,
    pub accepts: Attributes,
    pub max_weight_g: u32,
    pub country: CountryCode,
    pub min_weight_g: u32,
    /// Always above zero.
    pub step_g: u32,
    /// 0 = per-kg pricing; otherwise first-weight + step pricing.
    pub first_weight_g: u32,
    pub first_price: Fen,
    pub step_price: Fen,
    pub per_kg_price: Fen,
    pub registration_fee: Fen,
    pub fuel_pct: BasisPoints,
    pub battery_fee: Fen,
    pub liquid_fee: Fen,
    pub magnetic_fee: Fen,
    pub powder_fee: Fen,
    /// Upper-case postcode prefixes without spaces.
    pub remote_postcodes: Vec<String>,
    pub remote_fee: Fen,
}

/// What is wrong with one cell (or the file, with `row == 0`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetError {
    /// Spreadsheet row number: the header is row 1, the first data row is row 2.
    /// 0 for problems of the whole file (unreadable, missing columns, no rows).
    pub row: usize,
    /// The header name of the column, or "" for the whole row / file.
    pub column: String,
    pub problem: SheetProblem,
}

/// The kinds of problem, each with a message in the catalogue (`sheet.problem.*`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SheetProblem {
    /// The file is not readable as CSV / XLSX, or over the budget of what
    /// is read (detail says why).
    Unreadable(SheetFileError),
    /// A required header is missing.
    MissingColumn,
    /// A header appears twice, or is not one of `COLUMNS`.
    UnknownColumn,
    DuplicateColumn,
    /// The file has no data rows (or is empty, without even a header).
    NoRows,
    /// A required cell is empty.
    Required,
    /// A name longer than 100 characters (the value as found).
    TooLong(String),
    /// A non-empty cell in a column without a header (the value as found).
    ExtraCell(String),
    /// Not a whole number ≥ 0 (the value as found).
    NotWholeNumber(String),
    /// Not a price with at most two decimals (the value as found).
    NotPrice(String),
    /// Not a percentage with at most two decimals.
    NotPercent(String),
    UnknownTransport(String),
    UnknownCountry(String),
    /// An item of `accepts` that is not battery/liquid/magnetic/powder.
    UnknownAttribute(String),
    InvalidRouteCode(String),
    /// transit_min_days > transit_max_days.
    TransitRange,
    /// step_g is 0.
    ZeroStep,
    /// max_weight_g is 0.
    ZeroMaxWeight,
    /// first_weight_g is 0 and per_kg_price is 0 too (the row prices nothing).
    NoPrice,
    /// The same route_code and country appear on an earlier row (its number).
    DuplicateRow(usize),
    /// A route-level column (names, transport, transit, divisor, accepts,
    /// max weight) differs from an earlier row of the same route (its number).
    InconsistentRoute(usize),
}

impl SheetProblem {
    /// The message catalogue key: `sheet.problem.<name>`.
    pub fn message_key(&self) -> &'static str {
        match self {
            SheetProblem::Unreadable(error) => error.message_key(),
            SheetProblem::MissingColumn => "sheet.problem.missing_column",
            SheetProblem::UnknownColumn => "sheet.problem.unknown_column",
            SheetProblem::DuplicateColumn => "sheet.problem.duplicate_column",
            SheetProblem::NoRows => "sheet.problem.no_rows",
            SheetProblem::Required => "sheet.problem.required",
            SheetProblem::TooLong(_) => "sheet.problem.too_long",
            SheetProblem::ExtraCell(_) => "sheet.problem.extra_cell",
            SheetProblem::NotWholeNumber(_) => "sheet.problem.not_whole_number",
            SheetProblem::NotPrice(_) => "sheet.problem.not_price",
            SheetProblem::NotPercent(_) => "sheet.problem.not_percent",
            SheetProblem::UnknownTransport(_) => "sheet.problem.unknown_transport",
            SheetProblem::UnknownCountry(_) => "sheet.problem.unknown_country",
            SheetProblem::UnknownAttribute(_) => "sheet.problem.unknown_attribute",
            SheetProblem::InvalidRouteCode(_) => "sheet.problem.invalid_route_code",
            SheetProblem::TransitRange => "sheet.problem.transit_range",
            SheetProblem::ZeroStep => "sheet.problem.zero_step",
            SheetProblem::ZeroMaxWeight => "sheet.problem.zero_max_weight",
            SheetProblem::NoPrice => "sheet.problem.no_price",
            SheetProblem::DuplicateRow(_) => "sheet.problem.duplicate_row",
            SheetProblem::InconsistentRoute(_) => "sheet.problem.inconsistent_route",
        }
    }

    /// What the message is about: the offending value, the earlier row
    /// number, or why the file is unreadable.
    pub fn detail(&self) -> Option<String> {
        match self {
            SheetProblem::Unreadable(error) => error.detail(),
            SheetProblem::TooLong(value)
            | SheetProblem::ExtraCell(value)
            | SheetProblem::NotWholeNumber(value)
            | SheetProblem::NotPrice(value)
            | SheetProblem::NotPercent(value)
            | SheetProblem::UnknownTransport(value)
            | SheetProblem::UnknownCountry(value)
            | SheetProblem::UnknownAttribute(value)
            | SheetProblem::InvalidRouteCode(value) => Some(value.clone()),
            SheetProblem::DuplicateRow(row) | SheetProblem::InconsistentRoute(row) => {
                Some(row.to_string())
            }
            SheetProblem::MissingColumn
            | SheetProblem::UnknownColumn
            | SheetProblem::DuplicateColumn
            | SheetProblem::NoRows
            | SheetProblem::Required
            | SheetProblem::TransitRange
            | SheetProblem::ZeroStep
            | SheetProblem::ZeroMaxWeight
            | SheetProblem::NoPrice => None,
        }
    }
}

impl SheetProblem {
    /// Cuts the value a problem echoes to what a report may show.
    fn clip(&mut self) {
        match self {
            SheetProblem::TooLong(value)
            | SheetProblem::ExtraCell(value)
            | SheetProblem::NotWholeNumber(value)
            | SheetProblem::NotPrice(value)
            | SheetProblem::NotPercent(value)
            | SheetProblem::UnknownTransport(value)
            | SheetProblem::UnknownCountry(value)
            | SheetProblem::UnknownAttribute(value)
            | SheetProblem::InvalidRouteCode(value) => *value = spreadsheet::clip(value),
            _ => {}
        }
    }
}

impl SheetError {
    fn unreadable(error: SheetFileError) -> SheetError {
        SheetError {
            row: 0,
            column: String::new(),
            problem: SheetProblem::Unreadable(error),
        }
    }
}
