//! Reading rate sheets: the cell text of a CSV or XLSX file (`spreadsheet`)
//! through the one validation both formats share (header, every cell, then
//! across rows).

use super::{COLUMNS, RateRow, SheetError, SheetProblem};
use crate::domain::country::CountryCode;
use crate::domain::money::{BasisPoints, Fen};
use crate::domain::route::{Attribute, Attributes, RouteCode, Transport};
use crate::domain::spreadsheet::{self, HeaderProblem, Layout, SheetFileError, SheetRow};
use std::collections::HashMap;

/// Route names longer than this are refused.
const MAX_NAME_CHARS: usize = 100;

/// Parses a rate sheet, choosing the format by the file name's extension
/// (`.csv` or `.xlsx`, any case).
pub fn parse(file_name: &str, bytes: &[u8]) -> Result<Vec<RateRow>, Vec<SheetError>> {
    check_rows(spreadsheet::read(file_name, bytes).map_err(unreadable)?)
}

/// Parses a comma-separated UTF-8 rate sheet (with or without a byte-order
/// mark), header row first.
pub fn parse_csv(bytes: &[u8]) -> Result<Vec<RateRow>, Vec<SheetError>> {
    check_rows(spreadsheet::read_csv(bytes).map_err(unreadable)?)
}

/// Parses the first worksheet of an XLSX rate sheet, header row first.
pub fn parse_xlsx(bytes: &[u8]) -> Result<Vec<RateRow>, Vec<SheetError>> {
    check_rows(spreadsheet::read_xlsx(bytes).map_err(unreadable)?)
}

fn unreadable(error: SheetFileError) -> Vec<SheetError> {
    vec![SheetError::unreadable(error)]
}

/// Header problems as rate-sheet errors: a missing column is a problem of
/// the whole file (row 0), a wrong name one of the header row.
fn header_errors(header: &SheetRow, problems: Vec<(String, HeaderProblem)>) -> Vec<SheetError> {
    problems
        .into_iter()
        .map(|(column, problem)| {
            let (row, problem) = match problem {
                HeaderProblem::Unknown => (header.number, SheetProblem::UnknownColumn),
                HeaderProblem::Duplicate => (header.number, SheetProblem::DuplicateColumn),
                HeaderProblem::Missing => (0, SheetProblem::MissingColumn),
            };
            SheetError {
                row,
                column,
                problem,
            }
        })
        .collect()
}

pub(super) fn column_index(name: &str) -> Option<usize> {
    COLUMNS.iter().position(|column| *column == name)
}

/// The single check behind both formats: header, every cell, then across rows.
fn check_rows(rows: Vec<SheetRow>) -> Result<Vec<RateRow>, Vec<SheetError>> {
    let mut rows = rows.into_iter().filter(|row| !row.is_blank());
    let Some(header) = rows.next() else {
        return Err(vec![SheetError {
            row: 0,
            column: String::new(),
            problem: SheetProblem::NoRows,
        }]);
    };
    let (layout, problems) = Layout::read(&header, &COLUMNS, |_| true);
    let mut errors = header_errors(&header, problems);
    let checked: Vec<CheckedRow> = rows.map(|row| check_row(&row, &layout)).collect();
    if checked.is_empty() {
        errors.push(SheetError {
            row: 0,
            column: String::new(),
            problem: SheetProblem::NoRows,
        });
    }
    check_across_rows(&checked, &mut errors);
    let mut rates = Vec::with_capacity(checked.len());
    for row in checked {
        errors.extend(row.errors);
        rates.extend(row.rate);
    }
    if errors.is_empty() {
        Ok(rates)
    } else {
        let rank = |error: &SheetError| column_index(&error.column).unwrap_or(COLUMNS.len());
        errors.sort_by_key(|error| (error.row, rank(error)));
        // The report echoes cells: each one clipped, so that a huge cell
        // does not make a huge page.
        for error in &mut errors {
            error.column = spreadsheet::clip(&error.column);
            error.problem.clip();
        }
        Err(errors)
    }
}

/// A data row after its own checks, with what the checks across rows need.
struct CheckedRow {
    number: usize,
    errors: Vec<SheetError>,
    route_code: Option<RouteCode>,
    country: Option<CountryCode>,
    /// Route-level columns that parsed, with their value in canonical text.
    route_values: Vec<(&'static str, String)>,
    /// Present when the row has no problem and no column is missing.
    rate: Option<RateRow>,
}

/// Reads the cells of one row, recording each problem against its column.
struct RowReader<'a> {
    row: &'a SheetRow,
    layout: &'a Layout,
    errors: Vec<SheetError>,
    route_values: Vec<(&'static str, String)>,
}

impl<'a> RowReader<'a> {
    /// The trimmed cell of `column`, or `None` when the file lacks the column.
    fn text(&self, column: &str) -> Option<&'a str> {
        let index = column_index(column).expect("a name from COLUMNS");
        self.layout.cell(self.row, index)
    }

    fn report(&mut self, column: &str, problem: SheetProblem) {
        self.errors.push(SheetError {
            row: self.row.number,
            column: column.to_owned(),
            problem,
        });
    }

    fn get<T>(
        &mut self,
        column: &str,
        parse: impl FnOnce(&str) -> Result<T, SheetProblem>,
    ) -> Option<T> {
        match parse(self.text(column)?) {
            Ok(value) => Some(value),
            Err(problem) => {
                self.report(column, problem);
                None
            }
        }
    }

    /// Like `get` for a column that describes the route rather than the
    /// destination (names, transport, transit, divisor, accepts, max weight):
    /// remembers the value, as every row of a route must agree on it.
    fn route_level<T: ToString>(
        &mut self,
        column: &'static str,
        parse: impl FnOnce(&str) -> Result<T, SheetProblem>,
    ) -> Option<T> {
        let value = self.get(column, parse)?;
        self.route_values.push((column, value.to_string()));
        Some(value)
    }

    /// `accepts`, reporting every unknown item rather than only the first.
    fn accepts(&mut self) -> Option<Attributes> {
        const COLUMN: &str = "accepts";
        let text = self.text(COLUMN)?;
        let mut accepts = Attributes::default();
        let mut valid = true;
        for item in text
            .split(';')
            .map(str::trim)
            .filter(|item| !item.is_empty())
        {
            match Attribute::parse(&item.to_ascii_lowercase()) {
                Ok(attribute) => accepts.insert(attribute),
                Err(_) => {
                    self.report(COLUMN, SheetProblem::UnknownAttribute(item.to_owned()));
                    valid = false;
                }
            }
        }
        if valid {
            self.route_values.push((COLUMN, accepts.to_string()));
        }
        valid.then_some(accepts)
    }

    /// Non-empty cells in columns without a header.
    fn check_unnamed_cells(&mut self) {
        let extra: Vec<String> = self
            .layout
            .unnamed_cells(self.row)
            .map(str::to_owned)
            .collect();
        for cell in extra {
            self.report("", SheetProblem::ExtraCell(cell));
        }
    }
}

fn check_row(row: &SheetRow, layout: &Layout) -> CheckedRow {
    let mut reader = RowReader {
        row,
        layout,
        errors: Vec::new(),
        route_values: Vec::new(),
    };
    let route_code = reader.get("route_code", parse_route_code);
    let country = reader.get("country", parse_country);
    let rate = read_rate(&mut reader, route_code.clone(), country.clone());
    reader.check_unnamed_cells();
    CheckedRow {
        number: row.number,
        rate: rate.filter(|_| reader.errors.is_empty()),
        errors: reader.errors,
        route_code,
        country,
        route_values: reader.route_values,
    }
}

/// Reads every other cell (so that each problem is reported), then the
/// checks between cells of the row; `None` if anything is missing or wrong.
fn read_rate(
    reader: &mut RowReader,
    route_code: Option<RouteCode>,
    country: Option<CountryCode>,
) -> Option<RateRow> {
    let route_name_zh = reader.route_level("route_name_zh", parse_name);
    let route_name_en = reader.route_level("route_name_en", parse_name);
    let transport = reader.route_level("transport", parse_transport);
    let transit_min_days = reader.route_level("transit_min_days", parse_whole);
    let transit_max_days = reader.route_level("transit_max_days", parse_whole);
    let volumetric_divisor = reader.route_level("volumetric_divisor", parse_whole);
    let accepts = reader.accepts();
    let max_weight_g = reader.route_level("max_weight_g", parse_max_weight);
    let min_weight_g = reader.get("min_weight_g", parse_whole_or_zero);
    let step_g = reader.get("step_g", parse_step);
    let first_weight_g = reader.get("first_weight_g", parse_whole_or_zero);
    let first_price = reader.get("first_price", parse_price);
    let step_price = reader.get("step_price", parse_price);
    let per_kg_price = reader.get("per_kg_price", parse_price);
    let registration_fee = reader.get("registration_fee", parse_price);
    let fuel_pct = reader.get("fuel_pct", parse_percent);
    let battery_fee = reader.get("battery_fee", parse_price);
    let liquid_fee = reader.get("liquid_fee", parse_price);
    let magnetic_fee = reader.get("magnetic_fee", parse_price);
    let powder_fee = reader.get("powder_fee", parse_price);
    let remote_postcodes = reader.get("remote_postcodes", parse_postcode_prefixes);
    let remote_fee = reader.get("remote_fee", parse_price);

    if let (Some(min), Some(max)) = (transit_min_days, transit_max_days)
        && min > max
    {
        reader.report("transit_min_days", SheetProblem::TransitRange);
    }
    match (first_weight_g, first_price, step_price, per_kg_price) {
        (Some(0), _, _, Some(Fen::ZERO)) => reader.report("per_kg_price", SheetProblem::NoPrice),
        (Some(1..), Some(Fen::ZERO), Some(Fen::ZERO), _) => {
            reader.report("first_price", SheetProblem::NoPrice);
        }
        _ => {}
    }

    Some(RateRow {
        route_code: route_code?,
        route_name_zh: route_name_zh?,
        route_name_en: route_name_en?,
        transport: transport?,
        transit_min_days: transit_min_days?,
        transit_max_days: transit_max_days?,
        volumetric_divisor: volumetric_divisor?,
        accepts: accepts?,
        max_weight_g: max_weight_g?,
        country: country?,
        min_weight_g: min_weight_g?,
        step_g: step_g?,
        first_weight_g: first_weight_g?,
        first_price: first_price?,
        step_price: step_price?,
        per_kg_price: per_kg_price?,
        registration_fee: registration_fee?,
        fuel_pct: fuel_pct?,
        battery_fee: battery_fee?,
        liquid_fee: liquid_fee?,
        magnetic_fee: magnetic_fee?,
        powder_fee: powder_fee?,
        remote_postcodes: remote_postcodes?,
        remote_fee: remote_fee?,
    })
}

/// Duplicate (route, country) pairs, and route-level columns that differ
/// from the first row of the same route.
fn check_across_rows(rows: &[CheckedRow], errors: &mut Vec<SheetError>) {
    let mut first_of_route: HashMap<&RouteCode, &CheckedRow> = HashMap::new();
    let mut destinations: HashMap<(&RouteCode, &CountryCode), usize> = HashMap::new();
    for row in rows {
        let Some(route_code) = &row.route_code else {
            continue;
        };
        if let Some(country) = &row.country {
            if let Some(&earlier) = destinations.get(&(route_code, country)) {
                errors.push(SheetError {
                    row: row.number,
                    column: "country".to_owned(),
                    problem: SheetProblem::DuplicateRow(earlier),
                });
            } else {
                destinations.insert((route_code, country), row.number);
            }
        }
        let first = *first_of_route.entry(route_code).or_insert(row);
        for (column, value) in &row.route_values {
            let first_value = first.route_values.iter().find(|(c, _)| c == column);
            if let Some((_, first_value)) = first_value
                && first_value != value
            {
                errors.push(SheetError {
                    row: row.number,
                    column: (*column).to_owned(),
                    problem: SheetProblem::InconsistentRoute(first.number),
                });
            }
        }
    }
}

fn non_empty(text: &str) -> Result<&str, SheetProblem> {
    if text.is_empty() {
        Err(SheetProblem::Required)
    } else {
        Ok(text)
    }
}

fn parse_route_code(text: &str) -> Result<RouteCode, SheetProblem> {
    RouteCode::parse(non_empty(text)?).map_err(|_| SheetProblem::InvalidRouteCode(text.to_owned()))
}

fn parse_name(text: &str) -> Result<String, SheetProblem> {
    if non_empty(text)?.chars().count() > MAX_NAME_CHARS {
        return Err(SheetProblem::TooLong(text.to_owned()));
    }
    Ok(text.to_owned())
}

fn parse_transport(text: &str) -> Result<Transport, SheetProblem> {
    Transport::parse(&non_empty(text)?.to_ascii_lowercase())
        .map_err(|_| SheetProblem::UnknownTransport(text.to_owned()))
}

fn parse_country(text: &str) -> Result<CountryCode, SheetProblem> {
    CountryCode::parse(non_empty(text)?).map_err(|_| SheetProblem::UnknownCountry(text.to_owned()))
}

/// A whole number ≥ 0; "480.0" is accepted as 480, as some tools write it.
fn parse_whole(text: &str) -> Result<u32, SheetProblem> {
    let (whole, fraction) = non_empty(text)?.split_once('.').unwrap_or((text, ""));
    let all_digits = !whole.is_empty() && whole.bytes().all(|b| b.is_ascii_digit());
    if !all_digits || fraction.bytes().any(|b| b != b'0') {
        return Err(SheetProblem::NotWholeNumber(text.to_owned()));
    }
    whole
        .parse()
        .map_err(|_| SheetProblem::NotWholeNumber(text.to_owned()))
}

fn parse_whole_or_zero(text: &str) -> Result<u32, SheetProblem> {
    if text.is_empty() {
        Ok(0)
    } else {
        parse_whole(text)
    }
}

fn parse_step(text: &str) -> Result<u32, SheetProblem> {
    match parse_whole(text)? {
        0 => Err(SheetProblem::ZeroStep),
        step => Ok(step),
    }
}

fn parse_max_weight(text: &str) -> Result<u32, SheetProblem> {
    match parse_whole(text)? {
        0 => Err(SheetProblem::ZeroMaxWeight),
        weight => Ok(weight),
    }
}

/// A price in CNY with at most two decimals; an empty cell is 0.
fn parse_price(text: &str) -> Result<Fen, SheetProblem> {
    if text.is_empty() {
        return Ok(Fen::ZERO);
    }
    Fen::parse(text).map_err(|_| SheetProblem::NotPrice(text.to_owned()))
}

/// A percentage from 0 to 100 with at most two decimals; an empty cell is 0.
fn parse_percent(text: &str) -> Result<BasisPoints, SheetProblem> {
    if text.is_empty() {
        return Ok(BasisPoints(0));
    }
    BasisPoints::parse_percent(text)
        .ok()
        .filter(|percent| percent.0 <= 10_000)
        .ok_or_else(|| SheetProblem::NotPercent(text.to_owned()))
}

/// `;`-separated prefixes, upper-cased and without spaces, as postcodes are compared.
fn parse_postcode_prefixes(text: &str) -> Result<Vec<String>, SheetProblem> {
    Ok(text
        .split(';')
        .map(|prefix| {
            prefix
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_uppercase()
        })
        .filter(|prefix| !prefix.is_empty())
        .collect())
}
