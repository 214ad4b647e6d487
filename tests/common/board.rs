//! Seeding the review board (issue #12): companies that review, bare
//! finished orders, reviews inserted directly (the writing pages have their
//! own tests), and the aggregates rebuilt from the raw rows.

use super::TestApp;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use samplepost::db::DbConnection;
use samplepost::db::reviews::NewReview;
use samplepost::db::schema::{orders, reviews, users};
use samplepost::domain::rating::epoch_weight;
use std::sync::atomic::{AtomicU64, Ordering};

/// A company that reviews, and the member who writes for it.
#[derive(Clone, Copy, Debug)]
pub struct Reviewer {
    pub company_id: i64,
    pub user_id: i64,
}

/// `n` companies (registered as "<prefix> 1", …) with one member each.
pub async fn reviewers(app: &TestApp, prefix: &str, n: usize) -> Vec<Reviewer> {
    let mut out = Vec::new();
    for i in 1..=n {
        let (_, email) = app.owner(&format!("{prefix} {i}")).await;
        let mut conn = app.conn();
        let conn: &mut DbConnection = &mut conn;
        let (user_id, company_id): (i64, Option<i64>) = users::table
            .filter(users::email.eq(&email))
            .select((users::id, users::company_id))
            .first(conn)
            .expect("the owner");
        out.push(Reviewer {
            company_id: company_id.expect("a company"),
            user_id,
        });
    }
    out
}

/// What one review says; everything else is a plain default.
pub struct Spec<'a> {
    pub route: &'a str,
    pub country: &'a str,
    pub by: Reviewer,
    pub stars: i64,
    pub body: &'a str,
    pub photos: i64,
    pub at: NaiveDateTime,
}

impl<'a> Spec<'a> {
    pub fn new(route: &'a str, country: &'a str, by: Reviewer, stars: i64) -> Spec<'a> {
        Spec {
            route,
            country,
            by,
            stars,
            body: "",
            photos: 0,
            at: chrono::Utc::now().naive_utc(),
        }
    }
}

static ORDERS: AtomicU64 = AtomicU64::new(1);

/// A delivered order of `by` on `route` to `country`, bare of everything the
/// board does not read.
pub fn finished_order(conn: &mut DbConnection, by: Reviewer, route: &str) -> i64 {
    let n = ORDERS.fetch_add(1, Ordering::Relaxed);
    let no = format!("BRD{n:09}");
    diesel::sql_query(format!(
        "INSERT INTO orders (order_no, company_id, created_by, form_token, status, purpose, \
         reference, battery, liquid, magnetic, powder, route_code, signature, insurance, \
         expedited, ddp, created_at, updated_at) VALUES ('{no}', {}, {}, '{no}', 'delivered', \
         'sample', '', 'none', FALSE, FALSE, FALSE, '{route}', FALSE, FALSE, FALSE, FALSE, \
         CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
        by.company_id, by.user_id
    ))
    .execute(conn)
    .expect("a finished order");
    orders::table
        .filter(orders::order_no.eq(&no))
        .select(orders::id)
        .first(conn)
        .expect("its id")
}

/// Inserts one review (on a new finished order) and returns its id. Call
/// [`rebuild`] before reading the board.
pub fn review(app: &TestApp, spec: &Spec) -> i64 {
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    let order_id = finished_order(conn, spec.by, spec.route);
    let s = spec.stars;
    diesel::insert_into(reviews::table)
        .values(&NewReview {
            order_id,
            route_code: spec.route,
            country: spec.country,
            company_id: spec.by.company_id,
            author_id: spec.by.user_id,
            overall: s,
            timeliness: s,
            service: s,
            customs: s,
            tracking: s,
            packaging: s,
            body: spec.body,
            tags: "",
            has_text: !spec.body.is_empty(),
            photo_count: spec.photos,
            reviewer_city: "深圳市",
            reviewer_category: "electronics",
            weight_band: "0-0.5",
            weight: epoch_weight(spec.at),
            demo: false,
            created_at: spec.at,
            updated_at: spec.at,
        })
        .execute(conn)
        .expect("a review");
    reviews::table
        .filter(reviews::order_id.eq(order_id))
        .select(reviews::id)
        .first(conn)
        .expect("its id")
}

/// Rebuilds every aggregate from the raw rows, as `samplepost recompute-stats` does.
pub fn rebuild(app: &TestApp) {
    let mut conn = app.conn();
    samplepost::services::route_stats::rebuild(&mut conn).expect("rebuild");
}
