//! Rate sheets: one row per route × destination country, in the CSV/XLSX
//! form logistics providers publish (header names exact, column order free).
//! Parsing is all-or-nothing: either every row is valid, or every problem is
//! reported with its row number and column.

use super::country::CountryCode;
use super::money::{BasisPoints, Fen};
use super::route::{Attribute, Attributes, RouteCode, Transport};
use calamine::{DataRef, Reader, Xlsx};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;

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
    /// The file is not readable as CSV / XLSX (detail says why).
    Unreadable(String),
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
            SheetProblem::Unreadable(_) => "sheet.problem.unreadable",
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
            SheetProblem::Unreadable(value)
            | SheetProblem::TooLong(value)
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

impl SheetError {
    fn unreadable(reason: impl Into<String>) -> SheetError {
        SheetError {
            row: 0,
            column: String::new(),
            problem: SheetProblem::Unreadable(reason.into()),
        }
    }
}

/// Route names longer than this are refused.
const MAX_NAME_CHARS: usize = 100;

/// Bounds on an XLSX sheet, far above any rate sheet: a zipped sheet can
/// unpack to far more than its upload size.
const MAX_XLSX_ROWS: u32 = 100_000;
const MAX_XLSX_COLUMNS: u32 = 100;
const MAX_XLSX_TEXT_BYTES: usize = 64 << 20;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Parses a rate sheet, choosing the format by the file name's extension
/// (`.csv` or `.xlsx`, any case).
pub fn parse(file_name: &str, bytes: &[u8]) -> Result<Vec<RateRow>, Vec<SheetError>> {
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, extension)| extension.to_ascii_lowercase());
    match extension.as_deref() {
        Some("csv") => parse_csv(bytes),
        Some("xlsx") => parse_xlsx(bytes),
        _ => Err(vec![SheetError::unreadable(
            "expected a .csv or .xlsx file",
        )]),
    }
}

/// Parses a comma-separated UTF-8 rate sheet (with or without a byte-order
/// mark), header row first.
pub fn parse_csv(bytes: &[u8]) -> Result<Vec<RateRow>, Vec<SheetError>> {
    check_rows(read_csv(bytes).map_err(|error| vec![error])?)
}

/// Parses the first worksheet of an XLSX rate sheet, header row first.
pub fn parse_xlsx(bytes: &[u8]) -> Result<Vec<RateRow>, Vec<SheetError>> {
    check_rows(read_xlsx(bytes).map_err(|error| vec![error])?)
}

/// Writes rows as CSV with the columns in `COLUMNS` order. The file starts
/// with a byte-order mark so that Excel reads the Chinese names as UTF-8.
pub fn write_csv(rows: &[RateRow]) -> Vec<u8> {
    const IN_MEMORY: &str = "writing CSV to memory cannot fail";
    let mut writer = csv::Writer::from_writer(UTF8_BOM.to_vec());
    writer.write_record(COLUMNS).expect(IN_MEMORY);
    for row in rows {
        let texts = row_cells(row).map(|cell| cell.to_text());
        writer.write_record(&texts).expect(IN_MEMORY);
    }
    writer.into_inner().expect(IN_MEMORY)
}

/// Writes rows as an XLSX workbook with one worksheet, the columns in
/// `COLUMNS` order; numbers are written as numbers, prices and percentages
/// with two decimals shown.
pub fn write_xlsx(rows: &[RateRow]) -> Result<Vec<u8>, String> {
    write_workbook(rows).map_err(|error| error.to_string())
}

/// One row of the file as cell text, with its spreadsheet row number.
struct SheetRow {
    number: usize,
    cells: Vec<String>,
}

fn read_csv(bytes: &[u8]) -> Result<Vec<SheetRow>, SheetError> {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut rows = Vec::new();
    // A line break inside a quoted cell starts no new spreadsheet row.
    let mut breaks_in_cells = 0;
    while reader
        .read_byte_record(&mut record)
        .map_err(|error| SheetError::unreadable(error.to_string()))?
    {
        let line = record.position().map_or(1, |position| position.line());
        let number = line as usize - breaks_in_cells;
        let mut cells = Vec::with_capacity(record.len());
        for field in &record {
            let text = std::str::from_utf8(field).map_err(|_| {
                SheetError::unreadable(format!(
                    "row {number} is not UTF-8 text: save the sheet as \"CSV UTF-8\""
                ))
            })?;
            breaks_in_cells += text.matches('\n').count();
            cells.push(text.to_owned());
        }
        rows.push(SheetRow { number, cells });
    }
    Ok(rows)
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<SheetRow>, SheetError> {
    let unreadable = |error: calamine::XlsxError| SheetError::unreadable(error.to_string());
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    let first_sheet = workbook
        .sheet_names()
        .into_iter()
        .next()
        .ok_or_else(|| SheetError::unreadable("the workbook has no worksheet"))?;
    // Cells are streamed rather than read as a calamine `Range`, which is laid
    // out densely: one stray cell far away would allocate rows × columns.
    let mut reader = workbook
        .worksheet_cells_reader(&first_sheet)
        .map_err(unreadable)?;
    let mut rows: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    let mut text_bytes = 0;
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let text = cell_text(cell.get_value());
        if text.is_empty() {
            continue;
        }
        let (row, column) = cell.get_position();
        text_bytes += text.len();
        if row >= MAX_XLSX_ROWS || column >= MAX_XLSX_COLUMNS || text_bytes > MAX_XLSX_TEXT_BYTES {
            return Err(SheetError::unreadable(format!(
                "the sheet is larger than a rate sheet can be \
                 ({MAX_XLSX_ROWS} rows, {MAX_XLSX_COLUMNS} columns, {} MB of text)",
                MAX_XLSX_TEXT_BYTES >> 20
            )));
        }
        let cells = rows.entry(row).or_default();
        let column = column as usize;
        if cells.len() <= column {
            cells.resize(column + 1, String::new());
        }
        cells[column] = text;
    }
    Ok(rows
        .into_iter()
        .map(|(row, cells)| SheetRow {
            number: row as usize + 1,
            cells,
        })
        .collect())
}

/// The text of an XLSX cell, as the checks of a CSV cell expect it.
fn cell_text(cell: &DataRef) -> String {
    match cell {
        DataRef::Empty => String::new(),
        DataRef::SharedString(text) => (*text).to_owned(),
        DataRef::String(text) | DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => {
            text.clone()
        }
        DataRef::Int(number) => number.to_string(),
        DataRef::Float(number) => number_text(*number),
        DataRef::Bool(value) => if *value { "TRUE" } else { "FALSE" }.to_owned(),
        // Shown as a date so that a cell Excel turned into one is refused by name.
        DataRef::DateTime(date) => {
            let (year, month, day, ..) = date.to_ymd_hms_milli();
            format!("{year:04}-{month:02}-{day:02}")
        }
        DataRef::Error(error) => error.to_string(),
    }
}

/// A number as Excel shows it: at most 15 significant digits and no trailing
/// zeros, so 480.0 reads "480", 12.5 reads "12.5" and the formula result
/// 13.200000000000001 reads "13.2".
fn number_text(number: f64) -> String {
    if number == 0.0 {
        return "0".to_owned();
    }
    let magnitude = number.abs().log10().floor() as i32;
    let decimals = (14 - magnitude).max(0) as usize;
    let text = format!("{number:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// Where each column of `COLUMNS` is in the file, read from the header row.
struct Layout {
    /// By `COLUMNS` index: the position of the column in the file.
    positions: [Option<usize>; COLUMNS.len()],
    /// The header cells as found (trimmed), by position.
    names: Vec<String>,
}

impl Layout {
    fn read(header: &SheetRow, errors: &mut Vec<SheetError>) -> Layout {
        let names: Vec<String> = header.cells.iter().map(|c| c.trim().to_owned()).collect();
        let mut positions = [None; COLUMNS.len()];
        for (position, name) in names.iter().enumerate() {
            if name.is_empty() {
                continue;
            }
            let problem = match column_index(name) {
                None => SheetProblem::UnknownColumn,
                Some(index) if positions[index].is_some() => SheetProblem::DuplicateColumn,
                Some(index) => {
                    positions[index] = Some(position);
                    continue;
                }
            };
            errors.push(SheetError {
                row: header.number,
                column: name.clone(),
                problem,
            });
        }
        for (index, name) in COLUMNS.iter().enumerate() {
            if positions[index].is_none() {
                errors.push(SheetError {
                    row: 0,
                    column: (*name).to_owned(),
                    problem: SheetProblem::MissingColumn,
                });
            }
        }
        Layout { positions, names }
    }

    fn is_unnamed(&self, position: usize) -> bool {
        self.names.get(position).is_none_or(String::is_empty)
    }
}

fn column_index(name: &str) -> Option<usize> {
    COLUMNS.iter().position(|column| *column == name)
}

/// The single check behind both formats: header, every cell, then across rows.
fn check_rows(rows: Vec<SheetRow>) -> Result<Vec<RateRow>, Vec<SheetError>> {
    let mut rows = rows
        .into_iter()
        .filter(|row| row.cells.iter().any(|cell| !cell.trim().is_empty()));
    let Some(header) = rows.next() else {
        return Err(vec![SheetError {
            row: 0,
            column: String::new(),
            problem: SheetProblem::NoRows,
        }]);
    };
    let mut errors = Vec::new();
    let layout = Layout::read(&header, &mut errors);
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
        let position = self.layout.positions[index]?;
        Some(self.row.cells.get(position).map_or("", |cell| cell.trim()))
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
        for (position, cell) in self.row.cells.iter().enumerate() {
            if !cell.trim().is_empty() && self.layout.is_unnamed(position) {
                self.report("", SheetProblem::ExtraCell(cell.trim().to_owned()));
            }
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
                Cell::Text(text) => sheet.write_string(row_number, column, text)?,
                Cell::Whole(number) => sheet.write_number(row_number, column, number)?,
                Cell::Price(Fen(hundredths)) | Cell::Percent(BasisPoints(hundredths)) => {
                    // Amounts are far below 2^53 hundredths, so the nearest
                    // double reads back as the same two-decimal number.
                    let value = hundredths as f64 / 100.0;
                    sheet.write_number_with_format(row_number, column, value, &two_decimals)?
                }
            };
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cells of a valid per-kg row (EU-ECO to DE), by column.
    fn base_value(column: &str) -> &'static str {
        match column {
            "route_code" => "EU-ECO",
            "route_name_zh" => "欧洲经济线",
            "route_name_en" => "Europe Economy Line",
            "transport" => "special_line",
            "transit_min_days" => "8",
            "transit_max_days" => "15",
            "volumetric_divisor" => "8000",
            "max_weight_g" => "3000",
            "country" => "DE",
            "min_weight_g" => "50",
            "step_g" => "10",
            "first_weight_g" => "0",
            "per_kg_price" => "72.00",
            "registration_fee" => "18.00",
            _ => "",
        }
    }

    /// A CSV with `columns` as header and one line per entry of `rows`: the
    /// base row with the given cells changed.
    fn sheet_with(columns: &[&str], rows: &[&[(&str, &str)]]) -> String {
        let quote = |cell: &str| {
            if cell.contains([',', '"', '\n']) {
                format!("\"{}\"", cell.replace('"', "\"\""))
            } else {
                cell.to_owned()
            }
        };
        let mut text = columns.join(",") + "\n";
        for changes in rows {
            let cells: Vec<String> = columns
                .iter()
                .map(|column| {
                    let changed = changes.iter().find(|(c, _)| c == column);
                    quote(changed.map_or(base_value(column), |(_, value)| value))
                })
                .collect();
            text += &(cells.join(",") + "\n");
        }
        text
    }

    fn sheet(rows: &[&[(&str, &str)]]) -> String {
        sheet_with(&COLUMNS, rows)
    }

    fn error(row: usize, column: &str, problem: SheetProblem) -> SheetError {
        SheetError {
            row,
            column: column.to_owned(),
            problem,
        }
    }

    fn errors_of(text: &str) -> Vec<SheetError> {
        parse_csv(text.as_bytes()).expect_err("the sheet has problems")
    }

    /// An XLSX with the same cells, numbers stored as numbers as Excel does.
    fn xlsx_from_csv(text: &str) -> Vec<u8> {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        for (row, record) in (0..).zip(reader.records()) {
            for (column, cell) in (0..).zip(&record.expect("test CSV")) {
                let leading_zero =
                    cell.len() > 1 && cell.starts_with('0') && !cell.starts_with("0.");
                match cell.parse::<f64>() {
                    _ if cell.is_empty() => continue,
                    Ok(number) if !leading_zero => sheet.write_number(row, column, number),
                    _ => sheet.write_string(row, column, cell),
                }
                .expect("cell written");
            }
        }
        workbook.save_to_buffer().expect("workbook saved")
    }

    fn demo_rows() -> Vec<RateRow> {
        parse_csv(include_bytes!("../../reference/demo-rates.csv"))
            .expect("the demo sheet is valid")
    }

    #[test]
    fn a_good_sheet_gives_one_row_per_route_and_country() {
        let text = sheet(&[
            &[],
            &[
                ("country", "fr"),
                ("remote_postcodes", " 20 ; 2a1 ;"),
                ("remote_fee", "25"),
            ],
            &[
                ("route_code", "jpkr-exp"),
                ("route_name_zh", "日韩快线"),
                ("route_name_en", "Japan & Korea Express"),
                ("transport", "Express"),
                ("transit_min_days", "3"),
                ("transit_max_days", "6"),
                ("volumetric_divisor", "6000"),
                ("accepts", "Battery; magnetic"),
                ("max_weight_g", "20000"),
                ("country", "JP"),
                ("min_weight_g", ""),
                ("step_g", "500"),
                ("first_weight_g", "500"),
                ("first_price", "58"),
                ("step_price", "12.5"),
                ("per_kg_price", ""),
                ("registration_fee", ""),
                ("fuel_pct", "12.5"),
                ("battery_fee", "15.00"),
            ],
        ]);
        let rows = parse_csv(text.as_bytes()).expect("valid");
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[0],
            RateRow {
                route_code: RouteCode::parse("EU-ECO").expect("code"),
                route_name_zh: "欧洲经济线".to_owned(),
                route_name_en: "Europe Economy Line".to_owned(),
                transport: Transport::SpecialLine,
                transit_min_days: 8,
                transit_max_days: 15,
                volumetric_divisor: 8000,
                accepts: Attributes::default(),
                max_weight_g: 3000,
                country: CountryCode::parse("DE").expect("country"),
                min_weight_g: 50,
                step_g: 10,
                first_weight_g: 0,
                first_price: Fen::ZERO,
                step_price: Fen::ZERO,
                per_kg_price: Fen(7200),
                registration_fee: Fen(1800),
                fuel_pct: BasisPoints(0),
                battery_fee: Fen::ZERO,
                liquid_fee: Fen::ZERO,
                magnetic_fee: Fen::ZERO,
                powder_fee: Fen::ZERO,
                remote_postcodes: Vec::new(),
                remote_fee: Fen::ZERO,
            }
        );
        assert_eq!(rows[1].country.as_str(), "FR");
        assert_eq!(rows[1].remote_postcodes, ["20", "2A1"]);
        assert_eq!(rows[1].remote_fee, Fen(2500));
        let express = &rows[2];
        assert_eq!(express.route_code.as_str(), "JPKR-EXP");
        assert_eq!(express.transport, Transport::Express);
        assert_eq!(express.accepts.to_string(), "battery;magnetic");
        assert_eq!(express.min_weight_g, 0);
        assert_eq!(
            (express.first_price, express.step_price),
            (Fen(5800), Fen(1250))
        );
        assert_eq!(express.fuel_pct, BasisPoints(1250));
        assert_eq!(express.battery_fee, Fen(1500));
    }

    #[test]
    fn every_problem_in_a_bad_sheet_is_reported_by_row_and_column_and_nothing_is_returned() {
        let without_remote_fee: Vec<&str> =
            COLUMNS.into_iter().filter(|c| *c != "remote_fee").collect();
        let text = sheet_with(
            &without_remote_fee,
            &[
                &[],
                &[("country", "FR"), ("transport", "boat")],
                &[("country", "IT"), ("per_kg_price", "abc")],
                &[("country", "XX")],
                &[("country", "ES"), ("accepts", "battery;laser;fire")],
                &[
                    ("route_code", "EU-FAST"),
                    ("transit_min_days", "20"),
                    ("first_price", "1.234"),
                ],
            ],
        );
        assert_eq!(
            errors_of(&text),
            [
                error(0, "remote_fee", SheetProblem::MissingColumn),
                error(
                    3,
                    "transport",
                    SheetProblem::UnknownTransport("boat".into())
                ),
                error(4, "per_kg_price", SheetProblem::NotPrice("abc".into())),
                error(5, "country", SheetProblem::UnknownCountry("XX".into())),
                error(6, "accepts", SheetProblem::UnknownAttribute("laser".into())),
                error(6, "accepts", SheetProblem::UnknownAttribute("fire".into())),
                error(7, "transit_min_days", SheetProblem::TransitRange),
                error(7, "first_price", SheetProblem::NotPrice("1.234".into())),
            ]
        );
    }

    #[test]
    fn unknown_duplicate_and_missing_headers_are_each_reported() {
        let mut columns: Vec<&str> = COLUMNS
            .into_iter()
            .filter(|c| !["route_name_en", "fuel_pct"].contains(c))
            .collect();
        columns.extend(["notes", "country"]);
        let text = sheet_with(&columns, &[&[]]);
        assert_eq!(
            errors_of(&text),
            [
                error(0, "route_name_en", SheetProblem::MissingColumn),
                error(0, "fuel_pct", SheetProblem::MissingColumn),
                error(1, "country", SheetProblem::DuplicateColumn),
                error(1, "notes", SheetProblem::UnknownColumn),
            ]
        );
    }

    #[test]
    fn duplicate_destinations_and_inconsistent_routes_name_the_earlier_row() {
        let text = sheet(&[
            &[],
            &[
                ("country", "FR"),
                ("transit_max_days", "20"),
                ("accepts", "battery"),
            ],
            &[("country", "de"), ("route_name_zh", " 欧洲经济线 ")],
        ]);
        assert_eq!(
            errors_of(&text),
            [
                error(3, "transit_max_days", SheetProblem::InconsistentRoute(2)),
                error(3, "accepts", SheetProblem::InconsistentRoute(2)),
                error(4, "country", SheetProblem::DuplicateRow(2)),
            ]
        );
    }

    #[test]
    fn cells_must_hold_what_their_column_means() {
        let long_name = "线".repeat(101);
        let text = sheet(&[
            &[("route_code", "EU ECO"), ("route_name_en", "")],
            &[
                ("country", "FR"),
                ("route_name_zh", &long_name),
                ("transport", ""),
            ],
            &[
                ("country", "IT"),
                ("transit_max_days", "4.5"),
                ("max_weight_g", "0"),
            ],
            &[("country", "ES"), ("step_g", "0"), ("min_weight_g", "-1")],
            &[
                ("country", "NL"),
                ("fuel_pct", "120"),
                ("remote_fee", "1,5"),
            ],
        ]);
        assert_eq!(
            errors_of(&text),
            [
                error(
                    2,
                    "route_code",
                    SheetProblem::InvalidRouteCode("EU ECO".into())
                ),
                error(2, "route_name_en", SheetProblem::Required),
                error(3, "route_name_zh", SheetProblem::TooLong(long_name.clone())),
                error(3, "transport", SheetProblem::Required),
                error(
                    4,
                    "transit_max_days",
                    SheetProblem::NotWholeNumber("4.5".into())
                ),
                error(4, "max_weight_g", SheetProblem::ZeroMaxWeight),
                error(5, "min_weight_g", SheetProblem::NotWholeNumber("-1".into())),
                error(5, "step_g", SheetProblem::ZeroStep),
                error(6, "fuel_pct", SheetProblem::NotPercent("120".into())),
                error(6, "remote_fee", SheetProblem::NotPrice("1,5".into())),
            ]
        );
    }

    #[test]
    fn empty_prices_are_zero_but_a_row_must_price_something() {
        let text = sheet(&[
            &[("per_kg_price", ""), ("registration_fee", "")],
            &[
                ("country", "FR"),
                ("first_weight_g", "500"),
                ("per_kg_price", ""),
            ],
            &[
                ("country", "IT"),
                ("first_weight_g", "500"),
                ("step_price", "12"),
            ],
            &[
                ("country", "ES"),
                ("max_weight_g", "3000.0"),
                ("first_weight_g", ""),
            ],
        ]);
        assert_eq!(
            errors_of(&text),
            [
                error(2, "per_kg_price", SheetProblem::NoPrice),
                error(3, "first_price", SheetProblem::NoPrice),
            ]
        );
    }

    #[test]
    fn cells_beyond_the_header_are_refused_and_blank_lines_are_skipped() {
        let mut text = sheet(&[&[]]);
        text = text.replacen('\n', ",\n", 1); // an empty header cell at the end
        text += "\n,,,\n";
        text += sheet(&[&[("country", "FR")]]).lines().nth(1).expect("row");
        text += ",note\n\n\n";
        assert_eq!(
            errors_of(&text),
            [error(5, "", SheetProblem::ExtraCell("note".into()))]
        );
    }

    #[test]
    fn a_byte_order_mark_and_line_breaks_inside_cells_keep_row_numbers_right() {
        let text = sheet(&[
            &[
                ("route_name_en", "Europe\nEconomy"),
                ("remote_postcodes", "20\r\n21"),
            ],
            &[
                ("country", "FR"),
                ("route_name_en", "Europe\nEconomy"),
                ("transport", "boat"),
            ],
        ]);
        let mut bytes = UTF8_BOM.to_vec();
        bytes.extend(text.as_bytes());
        assert_eq!(
            parse_csv(&bytes),
            Err(vec![error(
                3,
                "transport",
                SheetProblem::UnknownTransport("boat".into())
            )])
        );
        let good = [UTF8_BOM, sheet(&[&[]]).as_bytes(), b"\n\n"].concat();
        assert_eq!(parse_csv(&good).map(|rows| rows.len()), Ok(1));
    }

    #[test]
    fn an_empty_file_or_a_header_alone_has_no_rows() {
        let no_rows = Err(vec![error(0, "", SheetProblem::NoRows)]);
        assert_eq!(parse_csv(b""), no_rows);
        assert_eq!(parse_csv(b"\n\n"), no_rows);
        assert_eq!(parse_csv(sheet(&[]).as_bytes()), no_rows);
    }

    #[test]
    fn a_csv_that_is_not_utf8_is_unreadable() {
        // "欧洲" in GBK, as Excel on a Chinese Windows saves plain CSV.
        let mut bytes = sheet(&[&[]]).into_bytes();
        bytes.extend(b"EU-ECO,\xC5\xB7\xD6\xDE\n");
        let errors = parse_csv(&bytes).expect_err("not UTF-8");
        assert!(
            matches!(&errors[..], [SheetError { row: 0, problem: SheetProblem::Unreadable(why), .. }] if why.contains("row 3"))
        );
    }

    #[test]
    fn an_xlsx_sheet_reads_exactly_like_the_same_csv() {
        let good = sheet(&[
            &[],
            &[
                ("country", "FR"),
                ("fuel_pct", "12.5"),
                ("remote_postcodes", "20"),
                ("remote_fee", "25"),
            ],
        ]);
        let bad = sheet(&[
            &[("transport", "boat"), ("per_kg_price", "abc")],
            &[
                ("country", "XX"),
                ("accepts", "laser"),
                ("step_price", "1.234"),
            ],
            &[
                ("country", "FR"),
                ("transit_min_days", "4.5"),
                ("max_weight_g", "0"),
            ],
        ]);
        for text in [good, bad] {
            let from_xlsx = parse_xlsx(&xlsx_from_csv(&text));
            assert_eq!(from_xlsx, parse_csv(text.as_bytes()), "{text}");
        }
    }

    #[test]
    fn excel_numbers_read_as_excel_shows_them() {
        assert_eq!(number_text(480.0), "480");
        assert_eq!(number_text(12.5), "12.5");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(13.200000000000001), "13.2");
        assert_eq!(number_text(1.234), "1.234");
        assert_eq!(number_text(-0.5), "-0.5");
        assert_eq!(number_text(123_456_789.12), "123456789.12");
        assert_eq!(number_text(0.0), "0");
    }

    #[test]
    fn an_xlsx_cell_excel_turned_into_a_date_is_refused_by_its_date() {
        let text = sheet(&[&[]]);
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        for (row, line) in (0..).zip(text.lines()) {
            for (column, cell) in (0..).zip(line.split(',')) {
                sheet.write_string(row, column, cell).expect("cell");
            }
        }
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let transit_min = column_index("transit_min_days").expect("column") as u16;
        sheet
            .write_number_with_format(1, transit_min, 46082.0, &date)
            .expect("date cell");
        let bytes = workbook.save_to_buffer().expect("saved");
        assert_eq!(
            parse_xlsx(&bytes),
            Err(vec![error(
                2,
                "transit_min_days",
                SheetProblem::NotWholeNumber("2026-03-01".into())
            )])
        );
    }

    #[test]
    fn an_xlsx_cell_far_outside_a_rate_sheet_is_refused_without_laying_it_out() {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "route_code").expect("cell");
        sheet
            .write_string(1_048_575, 16_383, "stray")
            .expect("cell");
        let bytes = workbook.save_to_buffer().expect("saved");
        let errors = parse_xlsx(&bytes).expect_err("too large");
        assert!(
            matches!(
                &errors[..],
                [SheetError {
                    row: 0,
                    problem: SheetProblem::Unreadable(_),
                    ..
                }]
            ),
            "{errors:?}"
        );
    }

    #[test]
    fn exported_csv_reads_back_as_the_same_rows() {
        let rows = demo_rows();
        let bytes = write_csv(&rows);
        let header = bytes
            .strip_prefix(UTF8_BOM)
            .expect("BOM")
            .split(|b| *b == b'\n')
            .next();
        assert_eq!(header, Some(COLUMNS.join(",").as_bytes()));
        assert_eq!(parse_csv(&bytes), Ok(rows));
    }

    #[test]
    fn exported_xlsx_reads_back_as_the_same_rows() {
        let rows = demo_rows();
        let bytes = write_xlsx(&rows).expect("written");
        assert_eq!(parse_xlsx(&bytes), Ok(rows));
    }

    #[test]
    fn exported_cells_use_the_sheet_forms() {
        let row = &demo_rows()[..]
            .iter()
            .find(|row| row.route_code.as_str() == "INTL-EXPRESS" && row.country.as_str() == "US")
            .expect("INTL-EXPRESS to US")
            .clone();
        let csv = String::from_utf8(write_csv(std::slice::from_ref(row))).expect("UTF-8");
        let line = csv.lines().nth(1).expect("data line");
        assert!(
            line.contains(",battery;liquid;magnetic;powder,30000,US,"),
            "{line}"
        );
        assert!(
            line.contains(",185.00,45.00,0.00,0.00,20.50,30.00,40.00,25.00,40.00,"),
            "{line}"
        );
        assert!(
            line.ends_with(",967;968;995;996;997;998;999,185.00"),
            "{line}"
        );
    }

    #[test]
    fn the_file_name_chooses_the_format() {
        let text = sheet(&[&[]]);
        assert_eq!(parse("rates.CSV", text.as_bytes()).map(|r| r.len()), Ok(1));
        assert_eq!(
            parse("Rates.Xlsx", &xlsx_from_csv(&text)).map(|r| r.len()),
            Ok(1)
        );
        for (name, bytes) in [
            ("rates.xls", text.as_bytes()),
            ("rates", text.as_bytes()),
            ("rates.xlsx", text.as_bytes()),
        ] {
            let errors = parse(name, bytes).expect_err(name);
            assert!(
                matches!(
                    &errors[..],
                    [SheetError {
                        row: 0,
                        problem: SheetProblem::Unreadable(_),
                        ..
                    }]
                ),
                "{name}: {errors:?}"
            );
        }
    }

    #[test]
    fn the_demo_catalogue_has_eight_routes_and_parses() {
        let rows = demo_rows();
        let mut codes: Vec<&str> = rows.iter().map(|row| row.route_code.as_str()).collect();
        codes.dedup();
        assert_eq!(
            codes,
            [
                "EU-ECO",
                "NA-SAVER",
                "US-BATT",
                "JPKR-EXP",
                "SEA-LINE",
                "AU-LINE",
                "POST-SMALL",
                "INTL-EXPRESS"
            ]
        );
        let post_gb = rows
            .iter()
            .find(|row| row.route_code.as_str() == "POST-SMALL" && row.country.as_str() == "GB")
            .expect("postal line serves GB");
        assert_eq!(
            (post_gb.volumetric_divisor, post_gb.max_weight_g),
            (0, 2000)
        );
        assert!(post_gb.accepts.is_empty());
    }

    #[test]
    fn every_problem_has_a_catalogue_key_and_says_what_it_found() {
        assert_eq!(
            SheetProblem::MissingColumn.message_key(),
            "sheet.problem.missing_column"
        );
        assert_eq!(
            SheetProblem::NotPrice("abc".into()).detail().as_deref(),
            Some("abc")
        );
        assert_eq!(SheetProblem::DuplicateRow(7).detail().as_deref(), Some("7"));
        assert_eq!(
            SheetProblem::InconsistentRoute(2).message_key(),
            "sheet.problem.inconsistent_route"
        );
        assert_eq!(SheetProblem::NoPrice.detail(), None);
    }
}
