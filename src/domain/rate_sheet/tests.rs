//! Tests of reading and writing rate sheets, and of the problem catalogue.

use super::read::column_index;
use super::*;
use crate::domain::spreadsheet::UTF8_BOM;
use rust_xlsxwriter::{Format, Workbook};

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
            let leading_zero = cell.len() > 1 && cell.starts_with('0') && !cell.starts_with("0.");
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
    parse_csv(include_bytes!("../../../reference/demo-rates.csv")).expect("the demo sheet is valid")
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
            // The report echoes the cell clipped, never whole.
            error(
                3,
                "route_name_zh",
                SheetProblem::TooLong(crate::domain::spreadsheet::clip(&long_name))
            ),
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
    assert!(matches!(
        &errors[..],
        [SheetError {
            row: 0,
            problem: SheetProblem::Unreadable(SheetFileError::NotUtf8 { row: 3 }),
            ..
        }]
    ));
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
