//! `samplepost demo`: fills a database without orders with the labelled
//! demo set, says so on every page, and refuses a database with real orders.

use crate::common::TestApp;
use crate::paid::paid_order;
use std::process::{Command, Output};

/// Runs the CLI against the test server's database.
pub fn cli(app: &TestApp, args: &[&str]) -> Output {
    cli_at(&app.database_url, args)
}

/// Runs the CLI with `DATABASE_URL` set to `url`.
pub fn cli_at(url: &str, args: &[&str]) -> Output {
    let data_dir = tempfile::tempdir().expect("temp dir");
    Command::new(env!("CARGO_BIN_EXE_samplepost"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir.path())
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run samplepost")
}

/// What the command printed, stdout then stderr.
pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

const NOTICE: &str = "data-demo-notice";

/// Waits for the server's cached flag (it looks every 5 s) to show on `path`.
async fn page_with_notice(app: &TestApp, path: &str) -> String {
    let browser = app.browser();
    for _ in 0..40 {
        let page = browser.get_text(path).await;
        if page.contains(NOTICE) {
            return page;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    panic!("{path} never showed the demo notice");
}

#[tokio::test]
async fn demo_fills_an_empty_database_and_every_page_says_so() {
    let app = TestApp::spawn().await;
    assert!(!app.browser().get_text("/rates").await.contains(NOTICE));
    let output = cli(&app, &["demo"]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(text(&output).contains("demo data"), "{}", text(&output));

    assert!(app.count("companies") >= 6);
    let reviews = app.count("reviews");
    assert!(reviews >= 100, "{reviews} reviews");
    assert!(
        app.count("orders") > reviews,
        "some orders are not reviewed"
    );
    for table in [
        "tracking_events",
        "recipient_confirmations",
        "parcel_checks",
        "tickets",
        "order_facts",
    ] {
        assert!(app.count(table) > 0, "{table} is empty");
    }
    let mut conn = app.conn();
    use diesel::prelude::*;
    use samplepost::db::schema::{orders, reviews as r};
    let not_demo: i64 = r::table
        .filter(r::demo.eq(false))
        .count()
        .get_result(&mut conn)
        .expect("count");
    assert_eq!(not_demo, 0, "every review is labelled demo");
    let orders_not_demo: i64 = orders::table
        .filter(orders::form_token.not_like("demo-%"))
        .count()
        .get_result(&mut conn)
        .expect("count");
    assert_eq!(orders_not_demo, 0, "every order is the demo's");
    assert!(
        samplepost::services::route_stats::rebuild(&mut conn)
            .expect("rebuild")
            .is_empty(),
        "the aggregates are as rebuild makes them"
    );
    drop(conn);

    let page = page_with_notice(&app, "/").await;
    assert!(page.contains("演示数据"), "Chinese notice");
    page_with_notice(&app, "/rates").await;
    let mut english = app.browser();
    english.english().await;
    let _ = &mut english;
    assert!(english.get_text("/").await.contains("demo data"));

    let again = cli(&app, &["demo"]);
    assert_eq!(again.status.code(), Some(1), "{}", text(&again));
    assert!(text(&again).contains("already"), "{}", text(&again));
}

#[tokio::test]
async fn demo_refuses_a_database_with_real_orders() {
    let app = TestApp::spawn().await;
    paid_order(&app, 100_000, &[]).await;
    let orders = app.count("orders");
    let output = cli(&app, &["demo"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(text(&output).contains("real order"), "{}", text(&output));
    assert_eq!(app.count("orders"), orders, "nothing written");
    assert_eq!(app.count("reviews"), 0);
    assert_eq!(app.count("app_flags"), 0);
}
