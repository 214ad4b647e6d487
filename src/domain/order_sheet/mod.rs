//! Order sheets (DESIGN.md §5, issue #4): sample orders as CSV/XLSX rows, one
//! order a row with up to three customs items in columns. Export writes the
//! orders of a list; import reads the same layout into drafts, all or
//! nothing, with every problem named by spreadsheet row and column.

mod read;
mod write;

#[cfg(test)]
mod tests;

pub use read::parse;
pub use write::{template, write_csv, write_xlsx};

use super::order::Draft;

/// At most this many orders in one imported file.
pub const MAX_ROWS: usize = 1000;

/// Customs items per row; an order with more exports its first three.
pub const ITEM_SLOTS: usize = 3;

/// The header names, in the order files are written.
#[rustfmt::skip]
pub const COLUMNS: [&str; 29 + 6 * ITEM_SLOTS] = [
    "order_no", "status",
    "name", "company", "line1", "line2", "city", "state", "postcode", "country",
    "phone", "email", "tax_id",
    "purpose", "reference", "weight_kg", "length_cm", "width_cm", "height_cm",
    "battery", "liquid", "magnetic", "powder",
    "route", "backup_route", "signature", "insurance", "expedited", "ddp",
    "item1_description_en", "item1_description_zh", "item1_quantity",
    "item1_unit_value_usd", "item1_hs_code", "item1_origin",
    "item2_description_en", "item2_description_zh", "item2_quantity",
    "item2_unit_value_usd", "item2_hs_code", "item2_origin",
    "item3_description_en", "item3_description_zh", "item3_quantity",
    "item3_unit_value_usd", "item3_hs_code", "item3_origin",
];

/// The fields of one customs item, as `item{n}_{field}` columns.
pub const ITEM_FIELDS: [&str; 6] = [
    "description_en",
    "description_zh",
    "quantity",
    "unit_value_usd",
    "hs_code",
    "origin",
];

/// Columns an import cannot do without: what every complete order needs.
/// The others may be left out of a file and read as empty.
pub const REQUIRED: [&str; 12] = [
    "name",
    "line1",
    "city",
    "postcode",
    "country",
    "phone",
    "weight_kg",
    "route",
    "item1_description_en",
    "item1_quantity",
    "item1_unit_value_usd",
    "item1_hs_code",
];

/// Written on export and ignored on import, so that an exported file
/// imports as new drafts.
pub const EXPORT_ONLY: [&str; 2] = ["order_no", "status"];

/// Yes/no columns: `yes`/`no`, also `1`/`0`, `true`/`false`, `是`/`否`; empty is no.
pub const YES_NO: [&str; 7] = [
    "liquid",
    "magnetic",
    "powder",
    "signature",
    "insurance",
    "expedited",
    "ddp",
];

/// The destination of the template's example row.
pub const TEMPLATE_COUNTRY: &str = "GB";

/// One order as a row: its number and status as exported, and its content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetOrder {
    pub order_no: String,
    pub status: String,
    pub draft: Draft,
}

/// What is wrong with one cell, one row (`column` empty) or the whole file
/// (`row` 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetError {
    /// Spreadsheet row number: the header is row 1, the first data row is row 2.
    pub row: usize,
    /// The header name of the column.
    pub column: String,
    /// The catalogue key of the message: the order form's own for a cell
    /// whose content is wrong, `sheet.problem.*` for the file's layout.
    pub message_key: &'static str,
    /// What exactly was found, when the message should name it.
    pub detail: Option<String>,
}

impl SheetError {
    fn file(message_key: &'static str, detail: Option<String>) -> SheetError {
        SheetError {
            row: 0,
            column: String::new(),
            message_key,
            detail,
        }
    }
}

/// The position of a header name in [`COLUMNS`].
pub fn column_index(name: &str) -> Option<usize> {
    COLUMNS.iter().position(|column| *column == name)
}
