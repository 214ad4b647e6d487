//! Formula injection: what a seller or an outsider typed leaves an export
//! as text, and the export still imports as it was.

use super::post_file;
use crate::common::TestApp;
use diesel::prelude::*;
use samplepost::db::DbConnection;
use samplepost::domain::order_sheet::COLUMNS;
use samplepost::domain::spreadsheet;

const FORMULA_NAME: &str = r#"=HYPERLINK("http://evil.example","Jane")"#;
const FORMULA_REFERENCE: &str = "@SUM(1+1)";

/// A valid order to the UK whose recipient name and reference are formulas.
fn order_csv() -> Vec<u8> {
    let cell = |column: &str| match column {
        "name" => FORMULA_NAME,
        "reference" => FORMULA_REFERENCE,
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
    };
    let quote = |text: &str| format!("\"{}\"", text.replace('"', "\"\""));
    let row: Vec<String> = COLUMNS.iter().map(|column| quote(cell(column))).collect();
    format!("{}\n{}\n", COLUMNS.join(","), row.join(",")).into_bytes()
}

fn recipient_names(app: &TestApp) -> Vec<String> {
    use samplepost::db::schema::order_recipients;
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    order_recipients::table
        .select(order_recipients::name)
        .load(conn)
        .expect("names")
}

#[tokio::test]
async fn exports_neutralise_formulas_typed_into_orders_and_still_import_as_they_were() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let response = post_file(
        &seller,
        "/app/orders/import",
        "file",
        "orders.csv",
        order_csv(),
    )
    .await;
    assert_eq!(response.status(), 303, "the order is accepted as typed");

    let csv = seller.get("/app/orders/export.csv").await;
    assert_eq!(csv.status(), 200);
    let bytes = csv.bytes().await.expect("body").to_vec();
    let text = String::from_utf8(bytes.clone()).expect("UTF-8");
    assert!(
        text.contains(r#""'=HYPERLINK(""http://evil.example"",""Jane"")""#),
        "{text}"
    );
    assert!(text.contains("'@SUM(1+1)"), "{text}");
    assert!(!text.contains(",=HYPERLINK") && !text.contains("\"=HYPERLINK"));

    let xlsx = seller.get("/app/orders/export.xlsx").await;
    let rows = spreadsheet::read_xlsx(&xlsx.bytes().await.expect("body")).expect("reads");
    let name = COLUMNS
        .iter()
        .position(|c| *c == "name")
        .expect("name column");
    assert_eq!(
        rows[1].cells[name], FORMULA_NAME,
        "XLSX keeps it as text, unchanged"
    );

    let response = post_file(&seller, "/app/orders/import", "file", "orders.csv", bytes).await;
    assert_eq!(response.status(), 303, "the export imports again");
    assert_eq!(
        recipient_names(&app),
        vec![FORMULA_NAME; 2],
        "without the added quote"
    );
}
