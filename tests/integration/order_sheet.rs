//! Import and export of sample orders as CSV/XLSX (`/app/orders/import`,
//! `/app/orders/export.{csv|xlsx}`).

use crate::common::{Browser, TestApp, location};
use diesel::prelude::*;
use samplepost::db::DbConnection;
use samplepost::domain::order_sheet::COLUMNS;
use samplepost::domain::spreadsheet;

/// The cells of a valid order to the UK, by column.
fn base_value(column: &str) -> &'static str {
    match column {
        "name" => "Jane Smith",
        "line1" => "1 High Street",
        "city" => "London",
        "postcode" => "SW1A 1AA",
        "country" => "GB",
        "phone" => "020 7946 0958",
        "weight_kg" => "0.48",
        "route" => "POST-SMALL",
        "item1_description_en" => "Cotton T-shirt",
        "item1_quantity" => "2",
        "item1_unit_value_usd" => "3.50",
        "item1_hs_code" => "610910",
        _ => "",
    }
}

/// An order to Germany on the Europe line, with two items and services.
const TO_GERMANY: &[(&str, &str)] = &[
    ("name", "Max Mustermann"),
    ("line1", "Unter den Linden 1"),
    ("city", "Berlin"),
    ("postcode", "10115"),
    ("country", "DE"),
    ("phone", "030 12345678"),
    ("route", "EU-ECO"),
    ("purpose", "influencer"),
    ("reference", "Spring, 2026"),
    ("length_cm", "30"),
    ("width_cm", "20"),
    ("height_cm", "5"),
    ("signature", "yes"),
    ("item1_description_zh", "纯棉T恤"),
    ("item2_description_en", "Silk scarf"),
    ("item2_quantity", "1"),
    ("item2_unit_value_usd", "4.20"),
    ("item2_hs_code", "6214.10"),
];

/// A CSV with every column and one line per entry of `rows`: the UK order
/// with the given cells changed.
fn csv(rows: &[&[(&str, &str)]]) -> Vec<u8> {
    let quote = |cell: &str| {
        if cell.contains([',', '"', '\n']) {
            format!("\"{}\"", cell.replace('"', "\"\""))
        } else {
            cell.to_owned()
        }
    };
    let mut text = COLUMNS.join(",") + "\n";
    for changes in rows {
        let cells: Vec<String> = COLUMNS
            .iter()
            .map(|column| {
                let changed = changes.iter().rev().find(|(c, _)| c == column);
                quote(changed.map_or(base_value(column), |(_, value)| value))
            })
            .collect();
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    text.into_bytes()
}

async fn import(browser: &Browser, file_name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let token = browser.csrf().await;
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name(file_name.to_owned())
        .mime_str("application/octet-stream")
        .expect("mime");
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .part("file", part);
    browser.post_multipart("/app/orders/import", form).await
}

/// Imports a file that must be accepted; returns the page after the redirect.
async fn import_ok(browser: &Browser, file_name: &str, bytes: Vec<u8>) -> String {
    let response = import(browser, file_name, bytes).await;
    assert_eq!(response.status(), 303, "the import is accepted");
    browser.get_text(&location(&response)).await
}

async fn download(browser: &Browser, path: &str) -> Vec<u8> {
    let response = browser.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.bytes().await.expect("body").to_vec()
}

/// The data rows of an exported CSV, each as its cells.
fn rows_of(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut rows = spreadsheet::read_csv(bytes).expect("an exported CSV reads");
    let header = rows.remove(0);
    assert_eq!(header.cells, COLUMNS, "the header is the import header");
    rows.into_iter().map(|row| row.cells).collect()
}

/// Cell `column` of every row.
fn column(rows: &[Vec<String>], column: &str) -> Vec<String> {
    let index = COLUMNS.iter().position(|c| *c == column).expect("column");
    rows.iter().map(|row| row[index].clone()).collect()
}

fn statuses(app: &TestApp) -> Vec<String> {
    use samplepost::db::schema::orders;
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    orders::table
        .select(orders::status)
        .load(conn)
        .expect("statuses")
}

#[tokio::test]
async fn a_good_file_creates_one_draft_per_row_and_one_audit_row() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    seller.english().await;
    let bytes = csv(&[&[], TO_GERMANY, &[("liquid", "是"), ("battery", "")]]);
    let page = import_ok(&seller, "orders.csv", bytes).await;
    assert!(page.contains("data-imported=\"3\""), "{page}");
    assert!(page.contains("Imported 3 orders as drafts."));
    assert_eq!(app.count("orders"), 3);
    assert_eq!(app.count("order_items"), 4);
    assert_eq!(statuses(&app), vec!["draft"; 3]);

    use samplepost::db::schema::audit_log;
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    let imports: Vec<String> = audit_log::table
        .filter(audit_log::action.eq("order.import"))
        .select(audit_log::detail)
        .load(conn)
        .expect("audit");
    assert_eq!(imports, vec!["3"]);
    let created: i64 = audit_log::table
        .filter(audit_log::action.eq("order.create"))
        .count()
        .get_result(conn)
        .expect("audit");
    assert_eq!(created, 3);

    let list = seller.get_text("/app/orders?status=draft").await;
    assert!(list.contains("Max Mustermann") && list.contains("Jane Smith"));
}

#[tokio::test]
async fn the_template_downloads_and_imports_as_it_is() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let page = seller.get_text("/app/orders/import").await;
    assert!(page.contains("href=\"/app/orders/import/template.xlsx\""));
    assert!(page.contains("data-help=\"item1_hs_code\""));
    let csv_template = download(&seller, "/app/orders/import/template.csv").await;
    let rows = rows_of(&csv_template);
    assert_eq!(rows.len(), 1, "one example row");
    assert_eq!(column(&rows, "country"), vec!["GB"]);
    let xlsx_template = download(&seller, "/app/orders/import/template.xlsx").await;
    import_ok(&seller, "template.xlsx", xlsx_template).await;
    import_ok(&seller, "template.csv", csv_template).await;
    assert_eq!(app.count("orders"), 2);
}

#[tokio::test]
async fn a_file_with_five_bad_rows_names_each_row_and_column_and_creates_nothing() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let bytes = csv(&[
        &[],
        &[("line1", "北京市朝阳区 1 号")],
        &[
            ("country", "US"),
            ("state", "NY"),
            ("postcode", "ABC"),
            ("phone", "212 555 0100"),
            ("route", "NA-SAVER"),
        ],
        TO_GERMANY,
        &[
            ("country", "DE"),
            ("postcode", "10115"),
            ("phone", "123"),
            ("route", "EU-ECO"),
        ],
        &[("item1_description_en", "gift")],
        &[("weight_kg", "heavy")],
    ]);
    let response = import(&seller, "orders.csv", bytes).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("body");
    for (row, column) in [
        (3, "line1"),
        (4, "postcode"),
        (6, "phone"),
        (7, "item1_description_en"),
        (8, "weight_kg"),
    ] {
        assert!(
            page.contains(&format!("data-row=\"{row}\" data-column=\"{column}\"")),
            "row {row}, column {column} is named"
        );
    }
    assert_eq!(page.matches("data-row=").count(), 5, "nothing else");
    assert!(
        page.contains("北京市朝阳区"),
        "the refused characters are shown"
    );
    assert_eq!(app.count("orders"), 0);
    assert_eq!(app.count("order_items"), 0);
}

#[tokio::test]
async fn a_file_with_a_wrong_header_or_too_many_rows_is_refused_with_a_clear_message() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    seller.english().await;
    let renamed = String::from_utf8(csv(&[&[]]))
        .expect("utf-8")
        .replacen("postcode", "zip", 1);
    let response = import(&seller, "orders.csv", renamed.into_bytes()).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("body");
    assert!(page.contains("data-row=\"1\" data-column=\"zip\""));
    assert!(page.contains("unknown column name"));
    assert!(page.contains("data-row=\"0\" data-column=\"postcode\""));
    assert!(page.contains("this column is missing"));

    let rows: Vec<&[(&str, &str)]> = vec![&[]; 1001];
    let response = import(&seller, "orders.csv", csv(&rows)).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("body");
    assert!(page.contains("at most 1,000"), "{page}");

    let response = import(&seller, "orders.pdf", b"%PDF-1.4".to_vec()).await;
    assert_eq!(response.status(), 422);
    assert_eq!(app.count("orders"), 0);
}

#[tokio::test]
async fn an_exported_list_imports_as_the_same_drafts() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let original = csv(&[
        &[],
        TO_GERMANY,
        &[("magnetic", "yes"), ("email", "j@example.com")],
    ]);
    import_ok(&seller, "orders.csv", original).await;
    let first = download(&seller, "/app/orders/export.csv?sort=oldest").await;
    let first_rows = rows_of(&first);
    assert_eq!(column(&first_rows, "status"), vec!["draft"; 3]);
    assert_eq!(
        column(&first_rows, "item2_hs_code"),
        vec!["", "6214.10", ""]
    );

    let xlsx = download(&seller, "/app/orders/export.xlsx?country=DE").await;
    import_ok(&seller, "export.csv", first).await;
    import_ok(&seller, "export.xlsx", xlsx).await;
    assert_eq!(app.count("orders"), 7);

    let again = rows_of(&download(&seller, "/app/orders/export.csv?sort=oldest").await);
    let content = |row: &Vec<String>| row[2..].to_vec();
    assert_eq!(column(&again, "status"), vec!["draft"; 7]);
    for (copy, original) in again[3..6].iter().zip(&first_rows) {
        assert_eq!(content(copy), content(original), "CSV round trip");
    }
    assert_eq!(
        content(&again[6]),
        content(&first_rows[1]),
        "XLSX round trip"
    );
}

#[tokio::test]
async fn exports_hold_only_the_companys_own_orders_that_match_the_filters() {
    let app = TestApp::spawn().await;
    let (acme, _) = app.seller("Acme").await;
    let (other, _) = app.seller("Other").await;
    import_ok(&acme, "a.csv", csv(&[&[], TO_GERMANY])).await;
    import_ok(&other, "b.csv", csv(&[&[("name", "Olivia Other")]])).await;

    let acme_rows = rows_of(&download(&acme, "/app/orders/export.csv").await);
    let mut names = column(&acme_rows, "name");
    names.sort();
    assert_eq!(names, vec!["Jane Smith", "Max Mustermann"]);
    let other_xlsx = download(&other, "/app/orders/export.xlsx").await;
    let other_rows: Vec<Vec<String>> = spreadsheet::read_xlsx(&other_xlsx)
        .expect("xlsx")
        .into_iter()
        .skip(1)
        .map(|row| row.cells)
        .collect();
    assert_eq!(column(&other_rows, "name"), vec!["Olivia Other"]);
    let searched = rows_of(&download(&other, "/app/orders/export.csv?q=Jane").await);
    assert!(
        searched.is_empty(),
        "another company's orders are not found"
    );

    let german = rows_of(&download(&acme, "/app/orders/export.csv?country=DE").await);
    assert_eq!(column(&german, "name"), vec!["Max Mustermann"]);

    assert_eq!(acme.get("/app/orders/export.pdf").await.status(), 404);
    let visitor = app.browser();
    let response = visitor.get("/app/orders/export.csv").await;
    assert_eq!(response.status(), 303, "signed-out visitors sign in first");
    assert!(location(&response).starts_with("/login"));
}

/// `cargo test --test integration order_sheet -- --ignored --nocapture`
#[tokio::test]
#[ignore = "a measurement, not a check: prints how long 1,000 rows take"]
async fn importing_a_thousand_rows_takes_a_few_seconds() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let rows: Vec<&[(&str, &str)]> = (0..1000)
        .map(|i| if i % 2 == 0 { &[][..] } else { TO_GERMANY })
        .collect();
    let bytes = csv(&rows);
    let started = std::time::Instant::now();
    let page = import_ok(&seller, "big.csv", bytes).await;
    let elapsed = started.elapsed();
    assert!(page.contains("data-imported=\"1000\""));
    assert_eq!(app.count("orders"), 1000);
    println!("1,000-row import: {elapsed:.2?}");
}
