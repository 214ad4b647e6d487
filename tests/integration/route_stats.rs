//! The board's statistics (issue #12): what is measured of a finished
//! parcel, kept in step in the transaction of each change, and equal to a
//! rebuild from raw rows (`samplepost recompute-stats`).

use crate::common::TestApp;
use crate::tracking::{event, in_transit, new_secret, signed_hook};
use chrono::{Duration, Utc};
use diesel::prelude::*;
use samplepost::db::reviews::{NewReview, Review};
use samplepost::db::route_stats::{OrderFacts, RouteFacts};
use samplepost::db::schema::route_stats as stats_table;
use samplepost::db::schema::{order_facts, orders, reviews, route_facts};
use samplepost::domain::rating::epoch_weight;
use samplepost::domain::status::Role;
use samplepost::services::route_stats::{self, ReviewFacts};
use std::process::Command;

/// An RFC 3339 time `days` (fractional) before now, in China time.
fn days_ago(days: f64) -> String {
    let at = Utc::now() - Duration::seconds((days * 86_400.0) as i64);
    at.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("offset"))
        .to_rfc3339()
}

/// Sends carrier events for the in-transit parcel: (milestone, days ago).
async fn carrier_says(app: &TestApp, events: &[(&str, f64)]) {
    let admin = app.staff(Role::Admin).await;
    let secret = new_secret(&admin, "DHL").await;
    for (n, (milestone, ago)) in events.iter().enumerate() {
        let body = event(&format!("ev-{n}"), milestone, &days_ago(*ago));
        let response = signed_hook(app, &secret, &body).await;
        assert_eq!(response.status(), 200, "{milestone}");
    }
}

/// Puts the hand-over `days` ago, as if the parcel left then.
fn handed_over_days_ago(app: &TestApp, no: &str, days: i64) {
    use samplepost::db::schema::order_shipments;
    let mut conn = app.conn();
    let id: i64 = orders::table
        .filter(orders::order_no.eq(no))
        .select(orders::id)
        .first(&mut *conn)
        .expect("order");
    diesel::update(order_shipments::table.find(id))
        .set(order_shipments::handed_over_at.eq(Utc::now().naive_utc() - Duration::days(days)))
        .execute(&mut *conn)
        .expect("hand-over moved");
}

fn recompute(app: &TestApp) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_samplepost"))
        .arg("recompute-stats")
        .arg("--data-dir")
        .arg(app.data_dir.path())
        .env("DATABASE_URL", &app.database_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run samplepost")
}

#[actix_web::test]
async fn a_delivered_parcel_is_measured_from_its_events_and_counted_once() {
    let app = TestApp::spawn().await;
    let (paid, _operator) = in_transit(&app).await;
    handed_over_days_ago(&app, &paid.no, 10);
    carrier_says(
        &app,
        &[
            ("departed_origin", 9.0),
            ("customs_held", 6.0),
            ("customs_released", 5.0),
            ("delivered", 3.0),
        ],
    )
    .await;

    let mut conn = app.conn();
    let facts: OrderFacts = order_facts::table
        .select(OrderFacts::as_select())
        .first(&mut *conn)
        .expect("the delivered order's facts");
    assert_eq!(facts.outcome, "delivered");
    assert_eq!(facts.country, "GB");
    assert_eq!(
        facts.transit_days,
        Some(7),
        "handed over 10 days ago, delivered 3"
    );
    assert!(facts.customs_held && facts.customs_cleared && facts.had_exception);
    assert_eq!(facts.longest_silence_hours, 72, "9 → 6 days ago");
    let route: RouteFacts = route_facts::table
        .find((&facts.route_code, ""))
        .select(RouteFacts::as_select())
        .first(&mut *conn)
        .expect("the route's facts");
    assert_eq!((route.finished, route.delivered), (1, 1));
    assert_eq!((route.customs_held, route.customs_cleared), (1, 1));
    assert_eq!(route.transit_median, Some(7));
    assert_eq!(route.transit_p90, Some(7));
    assert_eq!(route.silence_median_hours, Some(72));
    let per_country: i64 = route_facts::table
        .find((&facts.route_code, "GB"))
        .select(route_facts::finished)
        .first(&mut *conn)
        .expect("the route's facts for GB");
    assert_eq!(per_country, 1);
    drop(conn);

    let clean = recompute(&app);
    assert!(clean.status.success(), "{clean:?}");

    diesel::sql_query("UPDATE route_facts SET finished = 5 WHERE country = 'GB'")
        .execute(&mut *app.conn())
        .expect("tampered");
    let tampered = recompute(&app);
    assert_eq!(tampered.status.code(), Some(1), "{tampered:?}");
    let said = String::from_utf8_lossy(&tampered.stdout).to_string()
        + &String::from_utf8_lossy(&tampered.stderr);
    assert!(
        said.contains("route_facts") && said.contains("finished"),
        "{said}"
    );
    let repaired = recompute(&app);
    assert!(repaired.status.success(), "rebuilt: {repaired:?}");
}

/// A tiny deterministic generator, so a failure can be replayed.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % sides
    }
}

/// Inserts a bare finished order of `company` to hang a review on.
fn bare_order(conn: &mut samplepost::db::DbConnection, n: usize, company: i64, user: i64) -> i64 {
    diesel::sql_query(format!(
        "INSERT INTO orders (order_no, company_id, created_by, form_token, status, purpose, \
         reference, battery, liquid, magnetic, powder, signature, insurance, expedited, ddp, \
         route_code, created_at, updated_at) VALUES ('SPTEST{n:05}', {company}, {user}, \
         'bare-{n}', 'delivered', 'sample', '', 'none', FALSE, FALSE, FALSE, FALSE, FALSE, \
         FALSE, FALSE, 'POST-SMALL', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
    ))
    .execute(conn)
    .expect("bare order");
    orders::table
        .filter(orders::order_no.eq(format!("SPTEST{n:05}")))
        .select(orders::id)
        .first(conn)
        .expect("its id")
}

#[actix_web::test]
async fn incremental_statistics_equal_a_rebuild_after_random_reviews_and_events() {
    let app = TestApp::spawn().await;
    let (paid, _operator) = in_transit(&app).await;
    handed_over_days_ago(&app, &paid.no, 12);
    carrier_says(&app, &[("in_transit", 11.0), ("delivered", 2.5)]).await;

    let mut companies = vec![paid.company];
    for name in ["Beta", "Gamma", "Delta"] {
        let (_, email) = app.seller(name).await;
        companies.push(app.company_of(&email));
    }
    let mut conn = app.conn();
    let user: i64 = orders::table
        .select(orders::created_by)
        .first(&mut *conn)
        .expect("a user");
    let mut dice = Dice(12);
    let mut written: Vec<i64> = Vec::new();
    for step in 0..120 {
        let roll = dice.roll(10);
        if roll < 6 || written.is_empty() {
            let company = companies[dice.roll(companies.len() as u64) as usize];
            let order_id = bare_order(&mut conn, step, company, user);
            let at = Utc::now().naive_utc() - Duration::days(dice.roll(400) as i64);
            let score = |dice: &mut Dice| 1 + dice.roll(5) as i64;
            let review = NewReview {
                order_id,
                route_code: ["POST-SMALL", "EXP-AIR"][dice.roll(2) as usize],
                country: ["GB", "DE", "US"][dice.roll(3) as usize],
                company_id: company,
                author_id: user,
                overall: score(&mut dice),
                timeliness: score(&mut dice),
                service: score(&mut dice),
                customs: score(&mut dice),
                tracking: score(&mut dice),
                packaging: score(&mut dice),
                body: "",
                tags: "",
                has_text: false,
                photo_count: 0,
                reviewer_city: "深圳市",
                reviewer_category: "electronics",
                weight_band: "0-0.5",
                weight: epoch_weight(at),
                demo: false,
                created_at: at,
                updated_at: at,
            };
            samplepost::db::write_tx(&mut conn, |conn| -> QueryResult<()> {
                diesel::insert_into(reviews::table)
                    .values(&review)
                    .execute(conn)?;
                let stored: Review = reviews::table
                    .filter(reviews::order_id.eq(order_id))
                    .select(Review::as_select())
                    .first(conn)?;
                written.push(stored.id);
                route_stats::review_changed(conn, None, ReviewFacts::of(&stored).as_ref())
            })
            .expect("review written");
        } else {
            let id = written[dice.roll(written.len() as u64) as usize];
            let new_overall = 1 + dice.roll(5) as i64;
            let hide = roll == 9;
            samplepost::db::write_tx(&mut conn, |conn| -> QueryResult<()> {
                let before: Review = reviews::table
                    .find(id)
                    .select(Review::as_select())
                    .first(conn)?;
                let status = match (hide, before.is_visible()) {
                    (true, true) => "hidden",
                    _ => "visible",
                };
                diesel::update(reviews::table.find(id))
                    .set((reviews::overall.eq(new_overall), reviews::status.eq(status)))
                    .execute(conn)?;
                let after: Review = reviews::table
                    .find(id)
                    .select(Review::as_select())
                    .first(conn)?;
                route_stats::review_changed(
                    conn,
                    ReviewFacts::of(&before).as_ref(),
                    ReviewFacts::of(&after).as_ref(),
                )
            })
            .expect("review changed");
        }
    }
    let board_reviews: i64 = route_stats::rebuild(&mut conn)
        .map(|differences| {
            assert!(differences.is_empty(), "{differences:#?}");
        })
        .and_then(|()| {
            stats_table::table
                .find(("", ""))
                .select(stats_table::reviews)
                .first(&mut *conn)
        })
        .expect("rebuilt");
    let visible: i64 = reviews::table
        .filter(reviews::status.eq("visible"))
        .count()
        .get_result(&mut *conn)
        .expect("count");
    assert_eq!(board_reviews, visible);
    let finished: i64 = route_facts::table
        .filter(route_facts::country.eq(""))
        .select(route_facts::finished)
        .first(&mut *conn)
        .expect("facts");
    assert_eq!(finished, 1, "only the tracked parcel has facts");
}
