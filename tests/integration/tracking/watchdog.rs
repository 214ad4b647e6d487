//! The silence watchdog: a parcel without tracking news for its route's
//! number of days (or held in customs that long) gets exactly one ticket,
//! opened by the platform, whoever runs the round and however often.

use super::in_transit;
use super::staff::add_event;
use crate::common::{Browser, TestApp};
use crate::paid::Paid;
use crate::warehouse::status_of;
use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use samplepost::db::DbConnection;
use samplepost::db::schema::{notifications, orders, ticket_messages, tickets};
use samplepost::services::watchdog::{self, Opened};

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

/// Staff report `milestone` for the order as of `days_ago` days ago (UTC).
async fn event_days_ago(staff: &Browser, no: &str, milestone: &str, days_ago: i64) {
    let at = (now() - Duration::days(days_ago))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let response = add_event(
        staff,
        no,
        &[
            ("milestone", milestone),
            ("local_time", &at),
            ("utc_offset", "+00:00"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303, "event added");
}

/// One round as of `at`, on a connection of its own.
fn round_at(app: &TestApp, at: NaiveDateTime) -> Vec<Opened> {
    let mut conn = app.conn();
    watchdog::round(&mut conn, at).expect("watchdog round")
}

/// The order's tickets: (id, category, opened_by).
pub(crate) fn tickets_of(app: &TestApp, no: &str) -> Vec<(i64, String, Option<i64>)> {
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    tickets::table
        .inner_join(orders::table)
        .filter(orders::order_no.eq(no))
        .order(tickets::id.asc())
        .select((tickets::id, tickets::category, tickets::opened_by))
        .load(conn)
        .expect("tickets")
}

fn first_message(app: &TestApp, ticket: i64) -> String {
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    ticket_messages::table
        .filter(ticket_messages::ticket_id.eq(ticket))
        .order(ticket_messages::id.asc())
        .select(ticket_messages::body)
        .first(conn)
        .expect("first message")
}

/// A dispatched parcel whose only event is an `in_transit` 6 days ago.
pub(crate) async fn silent_for_six_days(app: &TestApp) -> (Paid, Browser) {
    let (paid, operator) = in_transit(app).await;
    event_days_ago(&operator, &paid.no, "in_transit", 6).await;
    (paid, operator)
}

#[tokio::test]
async fn six_silent_days_open_one_delay_ticket_and_a_later_silence_another() {
    let app = TestApp::spawn().await;
    let (paid, operator) = silent_for_six_days(&app).await;
    let opened = round_at(&app, now());
    assert_eq!(opened.len(), 1, "{opened:?}");
    assert_eq!(opened[0].order_no, paid.no);
    let found = tickets_of(&app, &paid.no);
    assert_eq!(found.len(), 1);
    let (ticket, category, opened_by) = found[0].clone();
    assert_eq!(category, "delay");
    assert_eq!(opened_by, None, "opened by the platform");
    let body = first_message(&app, ticket);
    assert!(body.contains("No tracking news since"), "{body}");
    assert!(
        body.contains("in_transit · Shenzhen, CN · Departed the sorting centre"),
        "the timeline with local times: {body}"
    );
    // The seller was told, and sees the platform as the opener.
    let mut conn = app.conn();
    let told: i64 = notifications::table
        .filter(notifications::kind.eq("watchdog.ticket"))
        .filter(notifications::link.eq(format!("/app/tickets/{ticket}")))
        .count()
        .get_result(&mut *conn as &mut DbConnection)
        .expect("notifications");
    drop(conn);
    assert_eq!(told, 1);
    let page = paid
        .seller
        .get_text(&format!("/app/tickets/{ticket}"))
        .await;
    assert!(page.contains("data-opened-by-platform") && page.contains("平台自动"));
    paid.seller.english().await;
    let page = paid
        .seller
        .get_text(&format!("/app/tickets/{ticket}"))
        .await;
    assert!(
        page.contains("Samplepost (automatic)") && page.contains("Departed the sorting centre")
    );
    // In the staff queue, unassigned; staff's answer reaches the seller.
    let queue = operator
        .get_text("/admin/tickets?assignee=unassigned")
        .await;
    assert!(queue.contains(&format!("/admin/tickets/{ticket}")));
    // The same silence is never reported twice.
    assert!(round_at(&app, now()).is_empty());
    assert!(round_at(&app, now() + Duration::days(3)).is_empty());
    // A fresh event ends the silence; a new long silence opens a new ticket.
    event_days_ago(&operator, &paid.no, "arrived_destination", 0).await;
    assert!(round_at(&app, now()).is_empty());
    let later = round_at(&app, now() + Duration::days(6));
    assert_eq!(later.len(), 1);
    assert_eq!(tickets_of(&app, &paid.no).len(), 2);
}

#[tokio::test]
async fn a_parcel_held_in_customs_too_long_gets_a_customs_ticket() {
    let app = TestApp::spawn().await;
    let (paid, operator) = in_transit(&app).await;
    event_days_ago(&operator, &paid.no, "customs_held", 7).await;
    assert_eq!(status_of(&app, &paid.no), "customs");
    let opened = round_at(&app, now());
    assert_eq!(opened.len(), 1);
    let found = tickets_of(&app, &paid.no);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].1, "customs");
    assert!(first_message(&app, found[0].0).contains("customs_held"));
    assert!(round_at(&app, now()).is_empty());
}

#[tokio::test]
async fn a_route_that_allows_ten_days_leaves_six_silent_days_alone() {
    let app = TestApp::spawn().await;
    let (paid, _) = silent_for_six_days(&app).await;
    let route: String = {
        let mut conn = app.conn();
        orders::table
            .filter(orders::order_no.eq(&paid.no))
            .select(orders::route_code.assume_not_null())
            .first(&mut *conn as &mut DbConnection)
            .expect("route")
    };
    let admin = app.staff(samplepost::domain::status::Role::Admin).await;
    let path = format!("/admin/routes/{route}");
    let form = admin.get_text(&path).await;
    assert!(form.contains("id=\"silence_days\"") && form.contains("value=\"5\""));
    let fields = |days: &'static str| {
        let value = |name: &str| {
            let marker = format!("name=\"{name}\" type=\"text\" value=\"");
            let start = form.find(&marker).expect("field") + marker.len();
            form[start..].split('"').next().expect("value").to_owned()
        };
        vec![
            ("name_zh".to_owned(), value("name_zh")),
            ("name_en".to_owned(), value("name_en")),
            ("status".to_owned(), "active".to_owned()),
            ("silence_days".to_owned(), days.to_owned()),
        ]
    };
    let post = |fields: Vec<(String, String)>| {
        let admin = &admin;
        let path = path.clone();
        async move {
            let fields: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            admin.post_form(&path, &fields).await
        }
    };
    // Out of range: the message beside the field, the typed value kept.
    let refused = post(fields("61")).await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.expect("page");
    assert!(page.contains("id=\"silence_days-error\"") && page.contains("value=\"61\""));
    assert_eq!(post(fields("10")).await.status(), 303);
    assert!(admin.get_text(&path).await.contains("value=\"10\""));
    assert!(round_at(&app, now()).is_empty());
    assert!(tickets_of(&app, &paid.no).is_empty());
    // Past the route's ten days it does open one.
    assert_eq!(round_at(&app, now() + Duration::days(4)).len(), 1);
}

#[tokio::test]
async fn two_rounds_at_once_open_exactly_one_ticket() {
    let app = TestApp::spawn().await;
    let (paid, _) = silent_for_six_days(&app).await;
    let start = std::sync::Arc::new(std::sync::Barrier::new(2));
    let rounds: Vec<_> = (0..2)
        .map(|_| {
            let (pool, start) = (app.pool.clone(), start.clone());
            std::thread::spawn(move || {
                let mut conn = pool.get().expect("connection");
                start.wait();
                watchdog::round(&mut conn, now()).expect("round")
            })
        })
        .collect();
    let opened: usize = rounds
        .into_iter()
        .map(|round| round.join().expect("round thread").len())
        .sum();
    assert_eq!(opened, 1);
    assert_eq!(tickets_of(&app, &paid.no).len(), 1);
}

#[tokio::test]
async fn two_watchdog_commands_at_once_open_one_ticket_and_staff_see_the_round() {
    let app = TestApp::spawn().await;
    let (paid, operator) = silent_for_six_days(&app).await;
    // A data folder each: only the database is shared.
    let dirs = [tempfile::tempdir(), tempfile::tempdir()].map(|dir| dir.expect("temp dir"));
    let commands: Vec<_> = dirs
        .iter()
        .map(|dir| {
            std::process::Command::new(env!("CARGO_BIN_EXE_samplepost"))
                .env("DATABASE_URL", &app.database_url)
                .env("RUST_LOG", "warn")
                .arg("--data-dir")
                .arg(dir.path())
                .arg("watchdog")
                .stdout(std::process::Stdio::piped())
                .spawn()
                .expect("start samplepost watchdog")
        })
        .collect();
    let printed: String = commands
        .into_iter()
        .map(|child| {
            let output = child.wait_with_output().expect("watchdog output");
            assert!(output.status.success());
            String::from_utf8_lossy(&output.stdout).into_owned()
        })
        .collect();
    assert_eq!(tickets_of(&app, &paid.no).len(), 1, "{printed}");
    assert!(printed.contains(&paid.no), "{printed}");
    let page = operator.get_text("/admin/tracking").await;
    let ticket = tickets_of(&app, &paid.no)[0].0;
    assert!(page.contains(&format!("data-watchdog-ticket=\"{ticket}\"")));
    assert!(page.contains("data-watchdog-last-round=\""));
}

#[tokio::test]
async fn delivered_cancelled_and_returned_orders_never_get_one() {
    let app = TestApp::spawn().await;
    let (paid, operator) = silent_for_six_days(&app).await;
    event_days_ago(&operator, &paid.no, "delivered", 5).await;
    assert_eq!(status_of(&app, &paid.no), "delivered");
    assert!(round_at(&app, now() + Duration::days(30)).is_empty());
    // The other final states, set directly: how an order gets there has its own tests.
    for status in ["cancelled", "returned", "lost"] {
        let mut conn = app.conn();
        diesel::update(orders::table.filter(orders::order_no.eq(&paid.no)))
            .set(orders::status.eq(status))
            .execute(&mut *conn as &mut DbConnection)
            .expect("status");
        drop(conn);
        assert!(
            round_at(&app, now() + Duration::days(30)).is_empty(),
            "{status}"
        );
    }
    assert!(tickets_of(&app, &paid.no).is_empty());
}
