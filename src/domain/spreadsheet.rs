//! Spreadsheet files as rows of cell text, shared by rate sheets and order
//! sheets: CSV (UTF-8, with or without a byte-order mark) or the first
//! worksheet of an XLSX in, the header matched against known column names,
//! and CSV out with a byte-order mark so that Excel reads Chinese as UTF-8
//! (or a one-sheet XLSX out).
//!
//! Files come from users, so an XLSX must fit a budget ([`budget`]) before
//! calamine opens it and while it is read; text that a spreadsheet program
//! would run as a formula is neutralised on the way out ([`neutralise`]).

mod budget;
mod errors;
mod neutralise;

use calamine::{DataRef, Reader, Xlsx};
use std::collections::BTreeMap;
use std::io::Cursor;

pub use budget::{MAX_ENTRIES, MAX_RATIO, MAX_SHARED_STRINGS, MAX_UNPACKED_BYTES};
pub use errors::SheetFileError;
pub use neutralise::{
    MAX_LISTED_PROBLEMS, SHOWN_CHARS, clip, is_formula_like, neutralise, unneutralise,
};

/// Written at the start of every CSV, skipped when one is read.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Bounds on an XLSX sheet, far above any sheet this application reads: a
/// zipped sheet can unpack to far more than its upload size. Cells counts
/// every cell element read, empty ones too, so that a sheet of millions of
/// empty cells stops early instead of keeping a core busy.
const MAX_XLSX_ROWS: u32 = 100_000;
const MAX_XLSX_COLUMNS: u32 = 100;
const MAX_XLSX_CELLS: u64 = 1_000_000;
const MAX_XLSX_TEXT_BYTES: usize = 64 << 20;

/// One problem of a sheet's row, by row and column, named by its
/// catalogue key (the hand-over and tracking sheets report these).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    /// The spreadsheet's row number (the header is 1); 0 for the file as a whole.
    pub row: usize,
    /// The column's header name; empty for the row as a whole.
    pub column: String,
    pub key: &'static str,
}

/// One row of the file as cell text, with its spreadsheet row number.
pub struct SheetRow {
    /// The header is row 1, as the spreadsheet shows it.
    pub number: usize,
    pub cells: Vec<String>,
}

impl SheetRow {
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|cell| cell.trim().is_empty())
    }
}

/// Reads a sheet, choosing the format by the file name's extension (`.csv`
/// or `.xlsx`, any case). The error says why the file cannot be read.
pub fn read(file_name: &str, bytes: &[u8]) -> Result<Vec<SheetRow>, SheetFileError> {
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, extension)| extension.to_ascii_lowercase());
    match extension.as_deref() {
        Some("csv") => read_csv(bytes),
        Some("xlsx") => read_xlsx(bytes),
        _ => Err(SheetFileError::WrongExtension),
    }
}

/// Reads comma-separated UTF-8 text, every row including the header.
pub fn read_csv(bytes: &[u8]) -> Result<Vec<SheetRow>, SheetFileError> {
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
        .map_err(|error| SheetFileError::Unreadable(error.to_string()))?
    {
        let line = record.position().map_or(1, |position| position.line());
        let number = line as usize - breaks_in_cells;
        let mut cells = Vec::with_capacity(record.len());
        for field in &record {
            let text =
                std::str::from_utf8(field).map_err(|_| SheetFileError::NotUtf8 { row: number })?;
            breaks_in_cells += text.matches('\n').count();
            cells.push(unneutralise(text).to_owned());
        }
        rows.push(SheetRow { number, cells });
    }
    Ok(rows)
}

/// Reads the first worksheet of an XLSX workbook, every row including the
/// header, after the file has passed the budget.
pub fn read_xlsx(bytes: &[u8]) -> Result<Vec<SheetRow>, SheetFileError> {
    budget::check(bytes)?;
    let unreadable = |error: calamine::XlsxError| SheetFileError::Unreadable(error.to_string());
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    let first_sheet = workbook
        .sheet_names()
        .into_iter()
        .next()
        .ok_or(SheetFileError::NoWorksheet)?;
    // Cells are streamed rather than read as a calamine `Range`, which is laid
    // out densely: one stray cell far away would allocate rows × columns.
    let mut reader = workbook
        .worksheet_cells_reader(&first_sheet)
        .map_err(unreadable)?;
    let mut rows: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    let mut cells_read: u64 = 0;
    let mut text_bytes = 0;
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        // Every limit is checked before the cell's text is copied or a row grows.
        cells_read += 1;
        if cells_read > MAX_XLSX_CELLS {
            return Err(SheetFileError::TooManyCells);
        }
        let value = cell.get_value();
        if matches!(value, DataRef::Empty) {
            continue;
        }
        let (row, column) = cell.get_position();
        if row >= MAX_XLSX_ROWS {
            return Err(SheetFileError::TooManyRows);
        }
        if column >= MAX_XLSX_COLUMNS {
            return Err(SheetFileError::TooManyColumns);
        }
        text_bytes += text_len(value);
        if text_bytes > MAX_XLSX_TEXT_BYTES {
            return Err(SheetFileError::TooMuchText);
        }
        let text = cell_text(value);
        if text.is_empty() {
            continue;
        }
        let cells = rows.entry(row).or_default();
        let column = column as usize;
        if cells.len() <= column {
            cells.resize(column + 1, String::new());
        }
        cells[column] = unneutralise(&text).to_owned();
    }
    Ok(rows
        .into_iter()
        .map(|(row, cells)| SheetRow {
            number: row as usize + 1,
            cells,
        })
        .collect())
}

/// The length of a cell's text, known before it is copied (numbers and the
/// like are short: counted as what their text takes at most).
fn text_len(cell: &DataRef) -> usize {
    match cell {
        DataRef::SharedString(text) => text.len(),
        DataRef::String(text) | DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => {
            text.len()
        }
        _ => 32,
    }
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
pub fn number_text(number: f64) -> String {
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

/// What is wrong with one header cell, or with a column the header lacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderProblem {
    /// Not one of the known column names.
    Unknown,
    /// The same name appears twice.
    Duplicate,
    /// A required column is not in the header.
    Missing,
}

/// Where each known column is in the file, read from the header row.
pub struct Layout {
    /// By index into the known columns: the position of the column in the file.
    positions: Vec<Option<usize>>,
    /// The header cells as found (trimmed), by position.
    names: Vec<String>,
}

impl Layout {
    /// Matches the header's names (trimmed, exact) against `columns`; also
    /// returns each problem with the name it is about.
    pub fn read(
        header: &SheetRow,
        columns: &[&str],
        required: impl Fn(&str) -> bool,
    ) -> (Layout, Vec<(String, HeaderProblem)>) {
        let names: Vec<String> = header.cells.iter().map(|c| c.trim().to_owned()).collect();
        let mut positions = vec![None; columns.len()];
        let mut problems = Vec::new();
        for (position, name) in names.iter().enumerate() {
            if name.is_empty() {
                continue;
            }
            match columns.iter().position(|column| column == name) {
                None => problems.push((name.clone(), HeaderProblem::Unknown)),
                Some(index) if positions[index].is_some() => {
                    problems.push((name.clone(), HeaderProblem::Duplicate));
                }
                Some(index) => positions[index] = Some(position),
            }
        }
        for (index, name) in columns.iter().enumerate() {
            if positions[index].is_none() && required(name) {
                problems.push(((*name).to_owned(), HeaderProblem::Missing));
            }
        }
        (Layout { positions, names }, problems)
    }

    /// The trimmed cell of the known column `index`, or `None` when the file
    /// lacks the column.
    pub fn cell<'a>(&self, row: &'a SheetRow, index: usize) -> Option<&'a str> {
        let position = (*self.positions.get(index)?)?;
        Some(row.cells.get(position).map_or("", |cell| cell.trim()))
    }

    /// Non-empty cells (trimmed) in columns without a header.
    pub fn unnamed_cells<'a>(&'a self, row: &'a SheetRow) -> impl Iterator<Item = &'a str> {
        row.cells
            .iter()
            .enumerate()
            .filter(|(position, _)| self.names.get(*position).is_none_or(String::is_empty))
            .map(|(_, cell)| cell.trim())
            .filter(|cell| !cell.is_empty())
    }
}

/// A CSV file: byte-order mark, header, then the rows, every cell through
/// [`neutralise`].
pub fn write_csv<R: AsRef<str>>(
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<R>>,
) -> Vec<u8> {
    const IN_MEMORY: &str = "writing CSV to memory cannot fail";
    let mut writer = csv::Writer::from_writer(UTF8_BOM.to_vec());
    writer.write_record(header).expect(IN_MEMORY);
    for row in rows {
        let cells = row
            .iter()
            .map(|cell| neutralise(cell.as_ref()).into_owned());
        writer.write_record(cells).expect(IN_MEMORY);
    }
    writer.into_inner().expect(IN_MEMORY)
}

/// Writes a text cell of an XLSX. rust_xlsxwriter stores it as text, never a
/// formula; but Excel re-reads a cell that is edited, so formula-like text
/// gets the quote prefix (shown as text, not stored in the value: it reads
/// back unchanged).
pub fn write_text(
    sheet: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    column: u16,
    text: &str,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    if is_formula_like(text) {
        let quoted = rust_xlsxwriter::Format::new().set_quote_prefix();
        sheet.write_string_with_format(row, column, text, &quoted)?;
    } else {
        sheet.write_string(row, column, text)?;
    }
    Ok(())
}

/// An XLSX workbook with one worksheet `name`: a bold header, then the
/// rows. Cells of `amount_columns` that hold a number are written as numbers
/// with two decimals, so that Excel can add them up; every other cell is text.
pub fn write_xlsx<R: AsRef<str>>(
    name: &str,
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<R>>,
    amount_columns: &[usize],
) -> Result<Vec<u8>, String> {
    write_workbook(name, header, rows, amount_columns).map_err(|error| error.to_string())
}

fn write_workbook<R: AsRef<str>>(
    name: &str,
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<R>>,
    amount_columns: &[usize],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let two_decimals = Format::new().set_num_format("0.00");
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    for (column, title) in (0..).zip(header) {
        sheet.write_string_with_format(0, column, *title, &bold)?;
    }
    for (row_number, row) in (1..).zip(rows) {
        for (index, cell) in row.iter().enumerate() {
            let text = cell.as_ref();
            let column = u16::try_from(index).unwrap_or(u16::MAX);
            match text.parse::<f64>() {
                Ok(number) if amount_columns.contains(&index) => {
                    sheet.write_number_with_format(row_number, column, number, &two_decimals)?;
                }
                _ if text.is_empty() => continue,
                _ => write_text(sheet, row_number, column, text)?,
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

    #[test]
    fn an_xlsx_reads_back_with_amounts_as_numbers() {
        let bytes = write_xlsx(
            "statement",
            &["kind", "amount"],
            [vec!["topup", "500.00"], vec!["payment", "-12.30"]],
            &[1],
        )
        .expect("written");
        let rows = read_xlsx(&bytes).expect("read");
        let cells: Vec<_> = rows.iter().map(|r| r.cells.clone()).collect();
        assert_eq!(
            cells,
            [
                vec!["kind", "amount"],
                vec!["topup", "500"],
                vec!["payment", "-12.3"]
            ]
        );
    }

    #[test]
    fn a_sheet_of_a_million_empty_cells_within_the_zip_budget_is_refused() {
        use std::io::Write;
        use zip::write::SimpleFileOptions;
        // Stored, not deflated: 11 MB that passes the zip budget, so that
        // the cell count is what stops it.
        let template = write_xlsx("s", &["a"], [vec!["x"]], &[]).expect("xlsx");
        let mut source = zip::ZipArchive::new(Cursor::new(template)).expect("zip");
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for index in 0..source.len() {
            let entry = source.by_index_raw(index).expect("entry");
            if entry.name_raw() != b"xl/worksheets/sheet1.xml" {
                writer.raw_copy_file(entry).expect("copy");
            }
        }
        let stored =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        writer
            .start_file("xl/worksheets/sheet1.xml", stored)
            .expect("sheet");
        writer
            .write_all(br#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">"#)
            .expect("write");
        let cells = r#"<c r="A1"/>"#.repeat(MAX_XLSX_CELLS as usize + 1);
        writer.write_all(cells.as_bytes()).expect("write");
        writer
            .write_all(b"</row></sheetData></worksheet>")
            .expect("write");
        let bytes = writer.finish().expect("zip").into_inner();
        assert!(matches!(
            read_xlsx(&bytes),
            Err(SheetFileError::TooManyCells)
        ));
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
}
