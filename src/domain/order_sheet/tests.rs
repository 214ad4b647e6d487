//! Tests of reading and writing order sheets.

use super::read::yes_no;
use super::*;
use crate::domain::customs::Battery;
use crate::domain::order::Purpose;
use crate::domain::route::RouteCode;
use crate::domain::spreadsheet::UTF8_BOM;

/// The demo catalogue's route codes, as the importer is given them.
fn parse(file_name: &str, bytes: &[u8]) -> Result<Vec<Draft>, Vec<SheetError>> {
    let routes: Vec<String> = [
        "AU-LINE",
        "EU-ECO",
        "INTL-EXPRESS",
        "JPKR-EXP",
        "NA-SAVER",
        "POST-SMALL",
        "SEA-LINE",
        "US-BATT",
    ]
    .iter()
    .map(|r| r.to_string())
    .collect();
    super::parse(file_name, bytes, &routes)
}

/// The cells of a valid row (the template's example on EU-ECO), by column.
fn base_value(column: &str) -> &'static str {
    match column {
        "name" => "Jane Smith",
        "line1" => "1 High Street",
        "city" => "London",
        "postcode" => "SW1A 1AA",
        "country" => "GB",
        "phone" => "020 7946 0958",
        "weight_kg" => "0.48",
        "route" => "EU-ECO",
        "item1_description_en" => "Cotton T-shirt",
        "item1_quantity" => "2",
        "item1_unit_value_usd" => "3.50",
        "item1_hs_code" => "6109.10",
        _ => "",
    }
}

fn quote(cell: &str) -> String {
    if cell.contains([',', '"', '\n']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_owned()
    }
}

/// A CSV with `columns` as header and one line per entry of `rows`: the
/// base row with the given cells changed (an empty slice is a blank line).
fn sheet_with(columns: &[&str], rows: &[&[(&str, &str)]]) -> Vec<u8> {
    let mut text = columns.join(",") + "\n";
    for changes in rows {
        let cells: Vec<String> = columns
            .iter()
            .map(|column| {
                let changed = changes.iter().find(|(c, _)| c == column);
                quote(changed.map_or(base_value(column), |(_, value)| value))
            })
            .collect();
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    text.into_bytes()
}

fn sheet(rows: &[&[(&str, &str)]]) -> Vec<u8> {
    sheet_with(&COLUMNS, rows)
}

/// (row, column, message key) of every error.
fn problems(result: Result<Vec<Draft>, Vec<SheetError>>) -> Vec<(usize, String, &'static str)> {
    result
        .expect_err("the sheet is refused")
        .into_iter()
        .map(|e| (e.row, e.column, e.message_key))
        .collect()
}

fn exported(draft: Draft) -> SheetOrder {
    SheetOrder {
        order_no: "SP20261101-0001".to_owned(),
        status: "draft".to_owned(),
        draft,
    }
}

#[test]
fn a_good_row_imports_as_a_complete_draft() {
    let drafts = parse("orders.csv", &sheet(&[&[]])).expect("valid");
    assert_eq!(drafts.len(), 1);
    let draft = &drafts[0];
    assert_eq!(draft.recipient.name, "Jane Smith");
    assert_eq!(draft.weight_g, Some(480));
    assert_eq!(draft.route.as_ref().map(RouteCode::as_str), Some("EU-ECO"));
    assert_eq!(draft.items.len(), 1);
    assert_eq!(draft.items[0].quantity, Some(2));
    assert_eq!(draft.purpose, Purpose::Sample);
    assert_eq!(draft.declared.battery, Battery::None);
    assert!(draft.complete().is_ok());
}

#[test]
fn unknown_duplicate_and_missing_headers_are_reported_and_rows_are_not_checked() {
    let mut columns: Vec<&str> = COLUMNS
        .iter()
        .copied()
        .filter(|c| *c != "postcode")
        .collect();
    columns.push("colour");
    columns.push("city");
    let found = problems(parse(
        "orders.csv",
        &sheet_with(&columns, &[&[("weight_kg", "heavy")]]),
    ));
    assert_eq!(
        found,
        vec![
            (1, "colour".to_owned(), "sheet.problem.unknown_column"),
            (1, "city".to_owned(), "sheet.problem.duplicate_column"),
            (0, "postcode".to_owned(), "sheet.problem.missing_column"),
        ]
    );
}

#[test]
fn optional_columns_may_be_left_out_and_the_order_is_free() {
    let mut columns = REQUIRED.to_vec();
    columns.reverse();
    let drafts = parse("orders.csv", &sheet_with(&columns, &[&[]])).expect("valid");
    assert_eq!(drafts[0].recipient.postcode, "SW1A 1AA");
    assert!(!drafts[0].services.ddp);
}

#[test]
fn yes_no_cells_read_the_usual_ways_of_saying_it() {
    for text in ["yes", "YES", "1", "true", "TRUE", "是", " Yes "] {
        assert_eq!(yes_no(text), Some(true), "{text}");
    }
    for text in ["", "no", "No", "0", "false", "FALSE", "否"] {
        assert_eq!(yes_no(text), Some(false), "{text}");
    }
    for text in ["y", "maybe", "2", "对"] {
        assert_eq!(yes_no(text), None, "{text}");
    }
    let drafts = parse(
        "orders.csv",
        &sheet(&[&[("liquid", "是"), ("signature", "1"), ("ddp", "TRUE")]]),
    )
    .expect("valid");
    assert!(drafts[0].declared.liquid && !drafts[0].declared.magnetic);
    assert!(drafts[0].services.signature && drafts[0].services.ddp);
    assert_eq!(
        problems(parse("orders.csv", &sheet(&[&[("insurance", "maybe")]]))),
        vec![(2, "insurance".to_owned(), "sheet.problem.not_yes_no")]
    );
}

#[test]
fn every_bad_row_is_named_by_row_and_column_and_nothing_is_returned() {
    let found = problems(parse(
        "orders.csv",
        &sheet(&[
            &[],
            &[("line1", "北京路 1 号")],
            &[
                ("country", "US"),
                ("state", "NY"),
                ("postcode", "ABC"),
                ("phone", "212 555 0100"),
            ],
            &[],
            &[("country", "DE"), ("postcode", "10115"), ("phone", "123")],
            &[("item1_description_en", "gift")],
            &[("weight_kg", "heavy")],
        ]),
    ));
    assert_eq!(
        found,
        vec![
            (3, "line1".to_owned(), "error.latin_chars"),
            (4, "postcode".to_owned(), "error.postcode.format"),
            (6, "phone".to_owned(), "error.phone.invalid"),
            (7, "item1_description_en".to_owned(), "error.items.vague"),
            (8, "weight_kg".to_owned(), "error.measure.weight"),
        ]
    );
}

#[test]
fn a_malformed_cell_does_not_hide_the_other_problems_of_its_row() {
    let found = problems(parse(
        "orders.csv",
        &sheet(&[&[("weight_kg", "heavy"), ("postcode", "ABC"), ("route", "")]]),
    ));
    assert_eq!(
        found,
        vec![
            (2, "postcode".to_owned(), "error.postcode.format"),
            (2, "weight_kg".to_owned(), "error.measure.weight"),
            (2, "route".to_owned(), "error.order.route_required"),
        ]
    );
}

#[test]
fn item_errors_name_the_item_columns_they_come_from() {
    let found = problems(parse(
        "orders.csv",
        &sheet(&[&[
            ("item1_description_en", ""),
            ("item1_quantity", ""),
            ("item1_unit_value_usd", ""),
            ("item1_hs_code", ""),
            ("item3_description_en", "Phone case"),
            ("item3_quantity", "0"),
            ("item3_unit_value_usd", "1"),
            ("item3_hs_code", "392690"),
        ]]),
    ));
    assert_eq!(
        found,
        vec![(2, "item3_quantity".to_owned(), "error.items.quantity")]
    );
    let found = problems(parse(
        "orders.csv",
        &sheet(&[&[
            ("item1_description_en", ""),
            ("item1_quantity", ""),
            ("item1_unit_value_usd", ""),
            ("item1_hs_code", ""),
        ]]),
    ));
    assert_eq!(
        found,
        vec![(2, "item1_description_en".to_owned(), "error.items.none")]
    );
}

#[test]
fn blank_rows_are_skipped_and_row_numbers_are_as_the_spreadsheet_shows_them() {
    let mut bytes = UTF8_BOM.to_vec();
    bytes.extend(sheet(&[&[], &[]]));
    let text = String::from_utf8(bytes).expect("utf-8");
    let mut lines: Vec<&str> = text.lines().collect();
    let blank = ",".repeat(COLUMNS.len() - 1);
    lines.insert(2, &blank);
    let bad = lines[3].replacen("Jane Smith", "张三", 1);
    lines[3] = &bad;
    let found = problems(parse("orders.csv", lines.join("\n").as_bytes()));
    assert_eq!(found, vec![(4, "name".to_owned(), "error.latin_chars")]);
}

#[test]
fn a_sheet_without_rows_or_with_too_many_is_refused_whole() {
    assert_eq!(
        problems(parse("orders.csv", &sheet(&[]))),
        vec![(0, String::new(), "sheet.problem.no_rows")]
    );
    assert_eq!(
        problems(parse("orders.csv", b"")),
        vec![(0, String::new(), "sheet.problem.no_rows")]
    );
    let rows: Vec<&[(&str, &str)]> = vec![&[]; MAX_ROWS + 1];
    let errors = parse("orders.csv", &sheet(&rows)).expect_err("too many");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].message_key, "sheet.problem.too_many_rows");
    assert_eq!(errors[0].detail.as_deref(), Some("1001"));
    let rows: Vec<&[(&str, &str)]> = vec![&[]; MAX_ROWS];
    assert_eq!(
        parse("orders.csv", &sheet(&rows))
            .expect("at the limit")
            .len(),
        MAX_ROWS
    );
}

#[test]
fn other_files_and_stray_cells_are_refused() {
    assert_eq!(
        problems(parse("orders.txt", &sheet(&[&[]]))),
        vec![(0, String::new(), "sheet.problem.wrong_extension")]
    );
    let mut bytes = sheet(&[&[]]);
    bytes.pop();
    bytes.extend(b",surprise\n");
    assert_eq!(
        problems(parse("orders.csv", &bytes)),
        vec![(2, String::new(), "sheet.problem.extra_cell")]
    );
}

#[test]
fn the_order_number_and_status_are_written_but_not_read() {
    let drafts = parse(
        "orders.csv",
        &sheet(&[&[("order_no", "whatever"), ("status", "delivered")]]),
    )
    .expect("ignored");
    assert_eq!(drafts.len(), 1);
}

/// A draft with every column in use: three items, services, sensitive goods.
fn full_draft() -> Draft {
    let mut draft = parse(
        "orders.csv",
        &sheet(&[&[
            ("company", "Smith & Co, Ltd"),
            ("line2", "Flat \"B\""),
            ("email", "jane@example.com"),
            ("purpose", "influencer"),
            ("reference", "SKU-1, spring"),
            ("length_cm", "30"),
            ("width_cm", "20.5"),
            ("height_cm", "5"),
            ("battery", "in_equipment"),
            ("magnetic", "yes"),
            ("backup_route", "POST-SMALL"),
            ("insurance", "yes"),
            ("expedited", "yes"),
            ("item1_description_zh", "纯棉T恤"),
            ("item1_origin", "VN"),
            ("item2_description_en", "Bluetooth speaker"),
            ("item2_quantity", "1"),
            ("item2_unit_value_usd", "4.99"),
            ("item2_hs_code", "851822"),
            ("item3_description_en", "Phone case, with stand"),
            ("item3_quantity", "10"),
            ("item3_unit_value_usd", "0.8"),
            ("item3_hs_code", "3926.90.90"),
        ]]),
    )
    .expect("valid")
    .remove(0);
    draft.recipient.tax_id = String::new();
    draft
}

#[test]
fn exported_csv_reads_back_as_the_same_drafts() {
    let orders = vec![exported(full_draft()), exported(template(None).draft)];
    let mut orders = orders;
    orders[1].draft.route = RouteCode::parse("EU-ECO").ok();
    let bytes = write_csv(&orders);
    assert!(bytes.starts_with(UTF8_BOM));
    let drafts = parse("orders.csv", &bytes).expect("reads back");
    assert_eq!(
        drafts,
        vec![orders[0].draft.clone(), orders[1].draft.clone()]
    );
}

#[test]
fn exported_xlsx_reads_back_as_the_same_drafts() {
    let orders = vec![exported(full_draft())];
    let bytes = write_xlsx(&orders).expect("xlsx");
    let drafts = parse("ORDERS.XLSX", &bytes).expect("reads back");
    assert_eq!(drafts, vec![orders[0].draft.clone()]);
}

#[test]
fn exported_cells_use_the_sheet_forms() {
    let text = String::from_utf8(write_csv(&[exported(full_draft())])).expect("utf-8");
    let mut lines = text.lines();
    assert_eq!(
        lines.next().map(|l| l.trim_start_matches('\u{feff}')),
        Some(COLUMNS.join(",").as_str())
    );
    let row = lines.next().expect("a row");
    for expected in [
        "SP20261101-0001,draft,Jane Smith,\"Smith & Co, Ltd\"",
        ",0.48,30,20.5,5,in_equipment,no,yes,no,EU-ECO,POST-SMALL,no,yes,yes,no,",
        ",Cotton T-shirt,纯棉T恤,2,3.50,6109.10,VN,",
    ] {
        assert!(row.contains(expected), "{expected} in {row}");
    }
}

#[test]
fn only_the_first_three_items_of_an_order_are_exported() {
    let mut draft = full_draft();
    draft.items.push(draft.items[0].clone());
    let drafts = parse("orders.csv", &write_csv(&[exported(draft.clone())])).expect("valid");
    draft.items.truncate(ITEM_SLOTS);
    assert_eq!(drafts, vec![draft]);
}

#[test]
fn the_template_imports_as_it_is() {
    let route = RouteCode::parse("POST-SMALL").ok();
    for bytes in [
        write_csv(&[template(route.clone())]),
        write_xlsx(&[template(route.clone())]).expect("xlsx"),
    ] {
        let name = if bytes.starts_with(UTF8_BOM) {
            "t.csv"
        } else {
            "t.xlsx"
        };
        let drafts = parse(name, &bytes).expect("the template is valid");
        assert_eq!(drafts, vec![template(route.clone()).draft]);
    }
}

#[test]
fn the_column_lists_agree() {
    for (slot, fields) in COLUMNS[29..].chunks(ITEM_FIELDS.len()).enumerate() {
        for (column, field) in fields.iter().zip(ITEM_FIELDS) {
            assert_eq!(*column, format!("item{}_{field}", slot + 1));
        }
    }
    for column in REQUIRED.iter().chain(&EXPORT_ONLY).chain(&YES_NO) {
        assert!(column_index(column).is_some(), "{column}");
    }
}

#[test]
fn a_route_the_catalogue_does_not_offer_is_refused_at_import() {
    let found = problems(parse(
        "orders.csv",
        &sheet(&[&[("route", "NOPE")], &[("backup_route", "GONE")]]),
    ));
    assert_eq!(
        found,
        [
            (2, "route".to_owned(), "error.order.unknown_route"),
            (3, "backup_route".to_owned(), "error.order.unknown_route"),
        ]
    );
}
