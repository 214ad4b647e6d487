//! Writing order sheets: orders out as CSV or XLSX, columns in `COLUMNS`
//! order, cells as the order form shows them, so they read back the same.

use super::{COLUMNS, ITEM_SLOTS, SheetOrder, TEMPLATE_COUNTRY};
use crate::domain::customs::ItemFields;
use crate::domain::money::UsdCents;
use crate::domain::order::{Draft, DraftItem, Purpose, Services};
use crate::domain::recipient::RecipientFields;
use crate::domain::route::RouteCode;
use crate::domain::spreadsheet;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// Writes orders as CSV, starting with a byte-order mark so that Excel
/// reads the Chinese descriptions as UTF-8.
pub fn write_csv(orders: &[SheetOrder]) -> Vec<u8> {
    spreadsheet::write_csv(&COLUMNS, orders.iter().map(row_cells))
}

/// Writes orders as an XLSX workbook with one worksheet; measures, quantities
/// and values as numbers, everything else (postcodes, phones, HS codes with
/// their leading zeros) as text.
pub fn write_xlsx(orders: &[SheetOrder]) -> Result<Vec<u8>, String> {
    write_workbook(orders).map_err(|error| error.to_string())
}

/// The template's example row: a valid order to [`TEMPLATE_COUNTRY`] on
/// `route`, so that the template imports as it is.
pub fn template(route: Option<RouteCode>) -> SheetOrder {
    SheetOrder {
        order_no: String::new(),
        status: String::new(),
        draft: Draft {
            sender_address_id: None,
            recipient: RecipientFields {
                name: "Jane Smith".to_owned(),
                line1: "1 High Street".to_owned(),
                city: "London".to_owned(),
                postcode: "SW1A 1AA".to_owned(),
                country: TEMPLATE_COUNTRY.to_owned(),
                phone: "020 7946 0958".to_owned(),
                email: "jane@example.com".to_owned(),
                ..RecipientFields::default()
            },
            purpose: Purpose::Influencer,
            reference: "SKU-1024".to_owned(),
            weight_g: Some(480),
            length_mm: Some(300),
            width_mm: Some(200),
            height_mm: Some(50),
            declared: Default::default(),
            items: vec![DraftItem {
                description_en: "Cotton T-shirt".to_owned(),
                description_zh: "纯棉T恤".to_owned(),
                quantity: Some(2),
                unit_value: Some(UsdCents(350)),
                hs_code: "610910".to_owned(),
                origin: "CN".to_owned(),
            }],
            route,
            backup_route: None,
            services: Services::default(),
        },
    }
}

fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.to_owned()
}

/// The cells of an order in `COLUMNS` order; items beyond the third are left out.
fn row_cells(order: &SheetOrder) -> Vec<String> {
    let form = order.draft.form();
    let r = form.recipient;
    let mut cells = vec![
        order.order_no.clone(),
        order.status.clone(),
        r.name,
        r.company,
        r.line1,
        r.line2,
        r.city,
        r.state,
        r.postcode,
        r.country,
        r.phone,
        r.email,
        r.tax_id,
        form.purpose,
        form.reference,
        form.weight_kg,
        form.length_cm,
        form.width_cm,
        form.height_cm,
        form.battery,
        yes_no(form.liquid),
        yes_no(form.magnetic),
        yes_no(form.powder),
        form.route,
        form.backup_route,
        yes_no(form.services.signature),
        yes_no(form.services.insurance),
        yes_no(form.services.expedited),
        yes_no(form.services.ddp),
    ];
    let mut items = form.items.into_iter();
    for _ in 0..ITEM_SLOTS {
        let item = items.next().unwrap_or_default();
        let ItemFields {
            description_en,
            description_zh,
            quantity,
            unit_value_usd,
            hs_code,
            origin,
        } = item;
        cells.extend([
            description_en,
            description_zh,
            quantity,
            unit_value_usd,
            hs_code,
            origin,
        ]);
    }
    debug_assert_eq!(cells.len(), COLUMNS.len());
    cells
}

/// Columns written as numbers in XLSX, when the cell holds one.
fn is_numeric(column: &str) -> bool {
    matches!(column, "weight_kg" | "length_cm" | "width_cm" | "height_cm")
        || column.ends_with("_quantity")
        || column.ends_with("_unit_value_usd")
}

fn write_workbook(orders: &[SheetOrder]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let two_decimals = Format::new().set_num_format("0.00");
    let sheet = workbook.add_worksheet();
    sheet.set_name("orders")?;
    for (column, name) in (0..).zip(COLUMNS) {
        sheet.write_string_with_format(0, column, name, &bold)?;
    }
    for (row_number, order) in (1..).zip(orders) {
        for ((column, name), text) in (0..).zip(COLUMNS).zip(row_cells(order)) {
            if text.is_empty() {
                continue;
            }
            match text.parse::<f64>() {
                Ok(number) if is_numeric(name) && name.ends_with("_unit_value_usd") => {
                    sheet.write_number_with_format(row_number, column, number, &two_decimals)?;
                }
                Ok(number) if is_numeric(name) => {
                    sheet.write_number(row_number, column, number)?;
                }
                // Recipient names and references are typed by sellers and by
                // outsiders through the address link: never let one run.
                _ => spreadsheet::write_text(sheet, row_number, column, &text)?,
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    workbook.save_to_buffer()
}
