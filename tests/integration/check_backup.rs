//! `samplepost check` (the invariants a crash must not break) and
//! `samplepost backup` / `restore` (SQLite's online backup API), issue #14.

use crate::common::TestApp;
use crate::demo::{cli, cli_at, text};
use crate::paid::paid_order;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

#[actix_web::test]
async fn check_passes_on_real_data_and_names_each_broken_invariant() {
    let app = TestApp::spawn().await;
    let paid = paid_order(&app, 100_000, &[]).await;
    let output = cli(&app, &["check"]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(text(&output).contains("All invariants hold"));

    // A half-written payment: the money left, the order stayed approved.
    app.conn()
        .batch_execute(&format!(
            "UPDATE orders SET status = 'approved' WHERE order_no = '{}'",
            paid.no
        ))
        .expect("break the order");
    // An overdraft the payment rules would have refused.
    app.credit(paid.company, -1_000_000);
    let output = cli(&app, &["check"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let said = text(&output);
    assert!(
        said.contains(&format!("order {}: charged but still approved", paid.no)),
        "{said}"
    );
    assert!(
        said.contains(&format!(
            "order {}: status approved but its last event moved it to paid",
            paid.no
        )),
        "{said}"
    );
    assert!(
        said.contains(&format!("company {}: balance", paid.company)),
        "{said}"
    );
    assert!(said.contains("3 invariant(s) broken"), "{said}");
}

#[actix_web::test]
async fn check_compares_the_board_statistics_with_a_recompute() {
    let app = TestApp::spawn().await;
    let demo = cli(&app, &["demo"]);
    assert!(demo.status.success(), "{}", text(&demo));
    let output = cli(&app, &["check"]);
    assert!(
        output.status.success(),
        "the demo set is whole: {}",
        text(&output)
    );
    app.conn()
        .batch_execute("UPDATE route_stats SET reviews = reviews + 7 WHERE country = ''")
        .expect("break the statistics");
    let output = cli(&app, &["check"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(text(&output).contains("statistics: "), "{}", text(&output));
    let again = cli(&app, &["check"]);
    assert_eq!(again.status.code(), Some(1), "check never repairs");
}

fn orders_in(url: &str) -> i64 {
    use samplepost::db::schema::orders;
    let mut conn = diesel::SqliteConnection::establish(url).expect("open the copy");
    orders::table
        .count()
        .get_result(&mut conn)
        .expect("count orders")
}

#[actix_web::test]
async fn a_backup_taken_while_the_app_runs_restores_into_a_working_database() {
    let app = TestApp::spawn().await;
    if app.database_url.starts_with("postgres") {
        let output = cli(&app, &["backup", "--to", "/tmp/never-written.sqlite3"]);
        assert_eq!(output.status.code(), Some(2));
        assert!(text(&output).contains("pg_dump"), "{}", text(&output));
        return;
    }
    let paid = paid_order(&app, 100_000, &[]).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let copy = dir.path().join("copy.sqlite3");
    let copy_name = copy.to_string_lossy().into_owned();

    // The server keeps serving and writing while the copy is taken.
    let writer = {
        let seller = paid.seller;
        actix_web::rt::spawn(async move {
            for _ in 0..20 {
                let page = seller.get("/app/orders").await;
                assert_eq!(page.status(), 200);
            }
        })
    };
    let output = cli(&app, &["backup", "--to", &copy_name]);
    assert!(output.status.success(), "{}", text(&output));
    writer.await.expect("the app served during the backup");
    assert_eq!(orders_in(&copy_name), app.count("orders"));
    assert!(
        !dir.path().join("copy.sqlite3.partial").exists(),
        "the partial file took its name"
    );

    // Never over an existing file.
    let again = cli(&app, &["backup", "--to", &copy_name]);
    assert_eq!(again.status.code(), Some(2), "{}", text(&again));
    assert!(text(&again).contains("exists already"));

    // Restored into a new place, the copy is a database the app and the
    // invariant check accept.
    let restored = dir.path().join("restored.sqlite3");
    let restored_name = restored.to_string_lossy().into_owned();
    let output = cli_at(&restored_name, &["restore", "--from", &copy_name]);
    assert!(output.status.success(), "{}", text(&output));
    assert_eq!(orders_in(&restored_name), orders_in(&copy_name));
    let check = cli_at(&restored_name, &["check"]);
    assert!(check.status.success(), "{}", text(&check));

    // A file that is not a Samplepost database is refused, changing nothing.
    let junk = dir.path().join("junk.sqlite3");
    std::fs::write(&junk, b"not a database at all").expect("write junk");
    let output = cli_at(
        &restored_name,
        &["restore", "--from", &junk.to_string_lossy()],
    );
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("nothing was changed") || text(&output).contains("cannot open"));
    assert_eq!(orders_in(&restored_name), orders_in(&copy_name));
}
