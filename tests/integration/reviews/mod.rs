//! Route reviews (issue #12): writing and editing from the order page,
//! photos, reports and staff moderation, and the reminders to review.

mod moderation;
mod reminders;
mod write;

use crate::common::{Browser, TestApp, png};
use crate::paid::Paid;
use crate::tracking::{event, in_transit, new_secret, signed_hook};
use diesel::prelude::*;
use samplepost::db::DbConnection;
use samplepost::db::schema::{order_events, orders, reviews};
use samplepost::domain::status::Role;

/// A paid order the carrier reported delivered an hour ago (a signed webhook event).
pub async fn delivered(app: &TestApp) -> Paid {
    let (paid, _operator) = in_transit(app).await;
    let admin = app.staff(Role::Admin).await;
    let secret = new_secret(&admin, "DHL").await;
    let at = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339();
    let response = signed_hook(app, &secret, &event("dhl-done", "delivered", &at)).await;
    assert!(response.status().is_success(), "{}", response.status());
    assert_eq!(crate::warehouse::status_of(app, &paid.no), "delivered");
    paid
}

/// What a review form sends: six scores, text, tags, photos.
pub struct Typed<'a> {
    pub scores: [&'a str; 6],
    pub text: &'a str,
    pub tags: &'a [&'a str],
    pub photos: Vec<Vec<u8>>,
    pub editing: bool,
}

impl Default for Typed<'_> {
    fn default() -> Self {
        Typed {
            scores: ["5", "4", "4", "3", "5", "4"],
            text: "Arrived in London in five days, well packed.",
            tags: &["fast_clearance", "well_packed"],
            photos: Vec::new(),
            editing: false,
        }
    }
}

const FIELDS: [&str; 6] = [
    "score_overall",
    "score_timeliness",
    "score_service",
    "score_customs",
    "score_tracking",
    "score_packaging",
];

/// Posts the review form of order `no` as the browser sends it.
pub async fn post_review(browser: &Browser, no: &str, typed: Typed<'_>) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new().text("csrf_token", browser.csrf().await);
    for (field, score) in FIELDS.iter().zip(typed.scores) {
        if !score.is_empty() {
            form = form.text(*field, score.to_owned());
        }
    }
    form = form.text("text", typed.text.to_owned());
    for tag in typed.tags {
        form = form.text("tags", tag.to_string());
    }
    if typed.editing {
        form = form.text("editing", "yes");
    }
    for (at, bytes) in typed.photos.into_iter().enumerate() {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(format!("photo{at}.png"));
        form = form.part("photos", part);
    }
    browser
        .post_multipart(&format!("/app/orders/{no}/review"), form)
        .await
}

/// `n` photos that are PNGs by content.
pub fn photos(n: usize) -> Vec<Vec<u8>> {
    (0..n)
        .map(|i| {
            let mut bytes = png();
            bytes.push(u8::try_from(i).unwrap_or(0));
            bytes
        })
        .collect()
}

/// The stored review of order `no`.
pub fn review_of(app: &TestApp, no: &str) -> Option<samplepost::db::reviews::Review> {
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    reviews::table
        .inner_join(orders::table)
        .filter(orders::order_no.eq(no))
        .select(samplepost::db::reviews::Review::as_select())
        .first(conn)
        .optional()
        .expect("review")
}

/// Moves every event of order `no` `days` into the past.
pub fn backdate_events(app: &TestApp, no: &str, days: i64) {
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    let id: i64 = orders::table
        .filter(orders::order_no.eq(no))
        .select(orders::id)
        .first(conn)
        .expect("order");
    let events: Vec<(i64, chrono::NaiveDateTime)> = order_events::table
        .filter(order_events::order_id.eq(id))
        .select((order_events::id, order_events::at))
        .load(conn)
        .expect("events");
    for (event, at) in events {
        diesel::update(order_events::table.find(event))
            .set(order_events::at.eq(at - chrono::Duration::days(days)))
            .execute(conn)
            .expect("backdate");
    }
}

/// Moves a review's writing `days` into the past.
pub fn backdate_review(app: &TestApp, id: i64, days: i64) {
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    let (created, updated): (chrono::NaiveDateTime, chrono::NaiveDateTime) = reviews::table
        .find(id)
        .select((reviews::created_at, reviews::updated_at))
        .first(conn)
        .expect("review");
    let back = chrono::Duration::days(days);
    diesel::update(reviews::table.find(id))
        .set((
            reviews::created_at.eq(created - back),
            reviews::updated_at.eq(updated - back),
        ))
        .execute(conn)
        .expect("backdate");
}

/// Counts the rows of `table` matching a SQL condition.
pub fn count_where(app: &TestApp, table: &str, condition: &str) -> i64 {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    diesel::sql_query(format!(
        "SELECT COUNT(*) AS n FROM {table} WHERE {condition}"
    ))
    .get_result::<Count>(conn)
    .expect("count")
    .n
}

/// A delivered order of "Acme" with a review its owner wrote; returns the order and the review's id.
pub async fn reviewed(app: &TestApp) -> (Paid, i64) {
    let paid = delivered(app).await;
    let response = post_review(&paid.seller, &paid.no, Typed::default()).await;
    assert_eq!(response.status(), 303, "review written");
    let id = review_of(app, &paid.no).expect("the review").id;
    (paid, id)
}
