//! The warehouse: receiving and re-weighing against the frozen quote,
//! holds and their release, refusals and the seller's answer, hand-over.
//! Every amount is worked out by hand from the demo rate sheet.

mod dispatch;
mod holds;
mod refusal;
mod reweigh;

use crate::common::{Browser, TestApp, png};
use diesel::prelude::*;
use samplepost::db::DbConnection;
use samplepost::db::schema::{ledger_entries, orders};

/// The order's ledger entries, oldest first: (kind, amount in fen).
pub fn ledger_of(app: &TestApp, no: &str) -> Vec<(String, i64)> {
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    ledger_entries::table
        .inner_join(orders::table)
        .filter(orders::order_no.eq(no))
        .order(ledger_entries::id.asc())
        .select((ledger_entries::kind, ledger_entries::amount_fen))
        .load(conn)
        .expect("ledger of the order")
}

pub fn status_of(app: &TestApp, no: &str) -> String {
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    orders::table
        .filter(orders::order_no.eq(no))
        .select(orders::status)
        .first(conn)
        .expect("order")
}

/// The sum of the company's ledger.
pub fn balance_of(app: &TestApp, company: i64) -> i64 {
    crate::paid::entries(app, company)
        .iter()
        .map(|(_, amount)| amount)
        .sum()
}

fn entry(kind: &str, amount: i64) -> (String, i64) {
    (kind.to_owned(), amount)
}

/// Posts the warehouse's measurement form: weight in kg, size in cm.
pub async fn measure(
    operator: &Browser,
    no: &str,
    action: &str,
    fields: &[(&str, &str)],
    photo: bool,
) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new()
        .text("csrf_token", operator.csrf().await)
        .text("action", action.to_owned());
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    if photo {
        let part = reqwest::multipart::Part::bytes(png())
            .file_name("parcel.png")
            .mime_str("image/png")
            .expect("mime");
        form = form.part("photo", part);
    }
    operator
        .post_multipart(&format!("/admin/warehouse/{no}"), form)
        .await
}

/// Receives the parcel with the contents ticked as matching.
pub async fn receive(
    operator: &Browser,
    no: &str,
    kg: &str,
    size_cm: [&str; 3],
) -> reqwest::Response {
    measure(
        operator,
        no,
        "receive",
        &[
            ("weight_kg", kg),
            ("length_cm", size_cm[0]),
            ("width_cm", size_cm[1]),
            ("height_cm", size_cm[2]),
            ("contents_match", "yes"),
        ],
        false,
    )
    .await
}

/// Refuses the parcel for `reason`, with a photo and a note.
pub async fn refuse(operator: &Browser, no: &str, reason: &str) -> reqwest::Response {
    measure(
        operator,
        no,
        "refuse",
        &[
            ("weight_kg", "0.48"),
            ("length_cm", "30"),
            ("width_cm", "20"),
            ("height_cm", "5"),
            ("reason", reason),
            ("note", "A power bank was found in the box"),
        ],
        true,
    )
    .await
}

/// The standard order's box: 30 × 20 × 5 cm.
pub const BOX: [&str; 3] = ["30", "20", "5"];
