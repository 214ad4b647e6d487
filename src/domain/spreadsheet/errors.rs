//! Why a file cannot be read as a sheet: typed, with a catalogue key and a
//! detail that needs no translation.

use super::budget::{self, MAX_ENTRIES, MAX_RATIO, MAX_SHARED_STRINGS, MAX_UNPACKED_BYTES};
use super::{MAX_XLSX_CELLS, MAX_XLSX_COLUMNS, MAX_XLSX_ROWS, MAX_XLSX_TEXT_BYTES, clip};

/// Why a file cannot be read as a sheet at all. The budget problems read
/// "file too large or damaged" with the reason (`hostile.*` messages); the
/// others are the file being unreadable (`sheet.problem.unreadable`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SheetFileError {
    #[error("expected a .csv or .xlsx file")]
    WrongExtension,
    #[error("not an XLSX workbook: the zip archive cannot be read")]
    NotAWorkbook,
    #[error("the workbook has no worksheet")]
    NoWorksheet,
    #[error("row {row} is not UTF-8 text: save the sheet as \"CSV UTF-8\"")]
    NotUtf8 { row: usize },
    /// What the CSV or XLSX reader said.
    #[error("{0}")]
    Unreadable(String),
    #[error("the zip holds {0} entries (at most {MAX_ENTRIES})")]
    TooManyEntries(u64),
    #[error("the workbook unpacks to {0} bytes (at most {MAX_UNPACKED_BYTES})")]
    TooLarge(u64),
    #[error(
        "{name} unpacks to {bytes} bytes (at most {})",
        budget::MAX_LOADED_PART_BYTES
    )]
    PartTooLarge { name: String, bytes: u64 },
    #[error("{name} is compressed {ratio}:1 (at most {MAX_RATIO}:1)")]
    Compression { name: String, ratio: u64 },
    #[error("{0} unpacks to more than it declares")]
    SizeMismatch(String),
    #[error("{0} cannot be unpacked")]
    Damaged(String),
    #[error(
        "the shared strings declare {0} entries (at most {MAX_SHARED_STRINGS}, and what the part can hold)"
    )]
    SharedStrings(u64),
    #[error("the sheet has more than {MAX_XLSX_ROWS} rows")]
    TooManyRows,
    #[error("the sheet has more than {MAX_XLSX_COLUMNS} columns")]
    TooManyColumns,
    #[error("the sheet has more than {MAX_XLSX_CELLS} cells")]
    TooManyCells,
    #[error("the sheet has more than {} MB of text", MAX_XLSX_TEXT_BYTES >> 20)]
    TooMuchText,
}

impl SheetFileError {
    /// The catalogue key of the message.
    pub fn message_key(&self) -> &'static str {
        match self {
            SheetFileError::WrongExtension => "sheet.problem.wrong_extension",
            SheetFileError::NotAWorkbook => "sheet.problem.not_a_workbook",
            SheetFileError::NoWorksheet => "sheet.problem.no_worksheet",
            SheetFileError::NotUtf8 { .. } => "sheet.problem.not_utf8",
            SheetFileError::Unreadable(_) => "sheet.problem.unreadable",
            SheetFileError::TooManyEntries(_) => "hostile.too_many_entries",
            SheetFileError::TooLarge(_) | SheetFileError::PartTooLarge { .. } => {
                "hostile.too_large"
            }
            SheetFileError::Compression { .. } => "hostile.compression",
            SheetFileError::SizeMismatch(_) | SheetFileError::Damaged(_) => "hostile.damaged",
            SheetFileError::SharedStrings(_) => "hostile.shared_strings",
            SheetFileError::TooManyRows => "hostile.too_many_rows",
            SheetFileError::TooManyColumns => "hostile.too_many_columns",
            SheetFileError::TooManyCells => "hostile.too_many_cells",
            SheetFileError::TooMuchText => "hostile.too_much_text",
        }
    }

    /// What the message is about, in words that need no translation
    /// (numbers against their limit, a part's name) or, for an unreadable
    /// file, the reader's own words.
    pub fn detail(&self) -> Option<String> {
        let megabytes = |bytes: u64| format!("{:.1} MB", bytes as f64 / f64::from(1 << 20));
        Some(match self {
            // Said in full by their own messages, in the reader's language.
            SheetFileError::WrongExtension
            | SheetFileError::NotAWorkbook
            | SheetFileError::NoWorksheet => return None,
            SheetFileError::NotUtf8 { row } => row.to_string(),
            SheetFileError::Unreadable(_) => clip(&self.to_string()),
            SheetFileError::TooManyEntries(count) => format!("{count} > {MAX_ENTRIES}"),
            SheetFileError::TooLarge(bytes) => {
                format!("{} > {}", megabytes(*bytes), megabytes(MAX_UNPACKED_BYTES))
            }
            SheetFileError::PartTooLarge { name, bytes } => format!(
                "{name}: {} > {}",
                megabytes(*bytes),
                megabytes(budget::MAX_LOADED_PART_BYTES)
            ),
            SheetFileError::Compression { name, ratio } => {
                format!("{name}: {ratio}:1 > {MAX_RATIO}:1")
            }
            SheetFileError::SizeMismatch(name) | SheetFileError::Damaged(name) => name.clone(),
            SheetFileError::SharedStrings(count) => format!("{count} > {MAX_SHARED_STRINGS}"),
            SheetFileError::TooManyRows => format!("> {MAX_XLSX_ROWS}"),
            SheetFileError::TooManyColumns => format!("> {MAX_XLSX_COLUMNS}"),
            SheetFileError::TooManyCells => format!("> {MAX_XLSX_CELLS}"),
            SheetFileError::TooMuchText => format!("> {} MB", MAX_XLSX_TEXT_BYTES >> 20),
        })
    }
}
