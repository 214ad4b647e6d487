//! Crafted spreadsheets against order import and rate-sheet import.

use super::{
    empty_cells_bomb, huge_unique_count, post_file, shared_strings_bomb, ten_thousand_entries,
};
use crate::common::TestApp;
use samplepost::domain::order_sheet::COLUMNS;
use samplepost::domain::status::Role;
use std::time::{Duration, Instant};

/// The resident memory of this process (the server runs inside it), in bytes.
fn resident_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let line = status
        .lines()
        .find(|line| line.starts_with("VmRSS:"))
        .expect("VmRSS line");
    let kilobytes: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("a number of kB");
    kilobytes * 1024
}

#[tokio::test]
async fn crafted_workbooks_are_refused_fast_without_growing_memory_and_the_server_lives_on() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    seller.english().await;
    let files = [
        (
            "huge uniqueCount",
            huge_unique_count(),
            "too many shared strings",
        ),
        (
            "shared-strings bomb",
            shared_strings_bomb(),
            "it unpacks to too much",
        ),
        (
            "empty-cells bomb",
            empty_cells_bomb(),
            "it unpacks to too much",
        ),
        ("10,000 entries", ten_thousand_entries(), "too many entries"),
    ];
    // A few megabytes that unpack to a gigabyte, well under the upload limit.
    assert!(
        files[1].1.len() < 3 << 20,
        "the bomb is small: {} bytes",
        files[1].1.len()
    );
    let before = resident_bytes();
    for (what, bytes, reason) in files {
        let started = Instant::now();
        let response = post_file(&seller, "/app/orders/import", "file", "orders.xlsx", bytes).await;
        let elapsed = started.elapsed();
        assert_eq!(response.status(), 422, "{what}");
        let page = response.text().await.expect("body");
        assert!(page.contains("File too large or damaged"), "{what}: {page}");
        assert!(page.contains(reason), "{what} names its reason");
        assert!(elapsed < Duration::from_secs(1), "{what} took {elapsed:?}");
        let health = seller.get("/healthz").await;
        assert_eq!(health.status(), 200, "the server answers after {what}");
    }
    let growth = resident_bytes().saturating_sub(before);
    assert!(growth < 100 << 20, "memory grew by {} MB", growth >> 20);
    assert_eq!(app.count("orders"), 0);
}

#[tokio::test]
async fn a_rate_sheet_with_a_huge_shared_strings_count_is_refused_and_operators_are_stopped_first()
{
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    admin.english().await;
    let sheets_before = app.count("rate_sheets");
    let response = post_file(
        &admin,
        "/admin/rates",
        "sheet",
        "rates.xlsx",
        huge_unique_count(),
    )
    .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("body");
    assert!(
        page.contains("File too large or damaged: too many shared strings"),
        "{page}"
    );
    assert!(page.contains("100000000000"), "the reason names the count");

    let operator = app.staff(Role::Operator).await;
    let response = post_file(
        &operator,
        "/admin/rates",
        "sheet",
        "rates.xlsx",
        shared_strings_bomb(),
    )
    .await;
    assert_eq!(
        response.status(),
        403,
        "not an admin: refused before the file is read"
    );
    assert_eq!(app.count("rate_sheets"), sheets_before, "nothing imported");
}

#[tokio::test]
async fn an_import_while_the_module_is_inactive_is_refused_before_the_file_is_parsed() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    owner.english().await;
    let response = post_file(
        &owner,
        "/app/orders/import",
        "file",
        "orders.xlsx",
        shared_strings_bomb(),
    )
    .await;
    assert_eq!(response.status(), 409);
    let page = response.text().await.expect("body");
    assert!(
        page.contains("贵司的样品物流服务尚未开通"),
        "the module message: {page}"
    );
    assert!(
        !page.contains("File too large or damaged") && !page.contains("文件过大或已损坏"),
        "the file was not looked at"
    );
}

#[tokio::test]
async fn the_report_on_a_huge_header_cell_stays_small_and_long_reports_are_cut() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    seller.english().await;
    let huge = "x".repeat(60 << 10);
    let csv = format!("{},{huge}\n", COLUMNS.join(","));
    let response = post_file(
        &seller,
        "/app/orders/import",
        "file",
        "orders.csv",
        csv.into_bytes(),
    )
    .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("body");
    assert!(page.len() < 20 << 10, "the page is {} bytes", page.len());
    assert!(
        page.contains(&format!("{}…", "x".repeat(80))),
        "the cell is clipped"
    );

    // 300 rows with two bad cells each: the first 100 problems, then a count.
    let mut csv = COLUMNS.join(",") + "\n";
    let bad_row: Vec<&str> = COLUMNS
        .iter()
        .map(|column| match *column {
            "weight_kg" => "heavy",
            "country" => "ZZ",
            _ => "",
        })
        .collect();
    for _ in 0..300 {
        csv.push_str(&bad_row.join(","));
        csv.push('\n');
    }
    let response = post_file(
        &seller,
        "/app/orders/import",
        "file",
        "orders.csv",
        csv.into_bytes(),
    )
    .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("body");
    assert_eq!(
        page.matches("<tr data-row=").count(),
        100,
        "at most 100 listed"
    );
    assert!(page.contains("data-more-problems"), "says how many more");
    assert_eq!(app.count("orders"), 0);
}
