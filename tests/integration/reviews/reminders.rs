//! Reminders to review: one at 2 days and one at 7 days after the order
//! finished, each once however often the round runs, none once reviewed.

use super::{Typed, count_where, delivered, post_review};
use crate::common::TestApp;
use chrono::{Duration, NaiveDateTime, Utc};
use samplepost::services::reviews::reminders::{self, Reminded};

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

/// One round as of `at`, on a connection of its own.
fn round_at(app: &TestApp, at: NaiveDateTime) -> Vec<Reminded> {
    let mut conn = app.conn();
    reminders::round(&mut conn, at).expect("reminder round")
}

#[tokio::test]
async fn reminders_go_out_once_each_at_two_and_seven_days() {
    let app = TestApp::spawn().await;
    let paid = delivered(&app).await;
    assert!(round_at(&app, now()).is_empty(), "too early");
    let day2 = now() + Duration::days(2);
    let sent = round_at(&app, day2);
    assert_eq!(
        sent,
        [Reminded {
            order_no: paid.no.clone(),
            nth: 1
        }]
    );
    assert!(round_at(&app, day2).is_empty(), "once");
    assert!(round_at(&app, now() + Duration::days(5)).is_empty());
    let day7 = now() + Duration::days(7);
    assert_eq!(round_at(&app, day7).len(), 1);
    assert!(round_at(&app, day7 + Duration::hours(1)).is_empty());
    assert!(round_at(&app, now() + Duration::days(30)).is_empty());
    assert_eq!(
        count_where(&app, "notifications", "kind = 'review.reminder'"),
        2
    );
    assert_eq!(
        count_where(&app, "outbox", "kind = 'review.reminder'"),
        2,
        "mailed"
    );
    assert_eq!(app.count("review_reminders"), 2);
    let page = paid.seller.get_text("/app/notifications").await;
    assert!(page.contains(&format!("/app/orders/{}/review", paid.no)));
}

#[tokio::test]
async fn a_reviewed_order_and_an_opted_out_member_get_no_mail() {
    let app = TestApp::spawn().await;
    let paid = delivered(&app).await;
    // Opting out of the kind keeps the notification but not the mail.
    let kinds: Vec<(&str, &str)> = samplepost::services::notifications::KINDS
        .iter()
        .filter(|k| **k != "review.reminder")
        .map(|k| ("kind", *k))
        .collect();
    let saved = paid
        .seller
        .post_form("/app/notifications/email", &kinds)
        .await;
    assert_eq!(saved.status(), 303);
    assert_eq!(round_at(&app, now() + Duration::days(2)).len(), 1);
    assert_eq!(count_where(&app, "outbox", "kind = 'review.reminder'"), 0);
    assert_eq!(
        count_where(&app, "notifications", "kind = 'review.reminder'"),
        1
    );
    assert_eq!(
        post_review(&paid.seller, &paid.no, Typed::default())
            .await
            .status(),
        303
    );
    assert!(
        round_at(&app, now() + Duration::days(7)).is_empty(),
        "reviewed"
    );
}

#[tokio::test]
async fn samplepost_remind_reviews_sends_what_is_due_once() {
    let app = TestApp::spawn().await;
    let paid = delivered(&app).await;
    super::backdate_events(&app, &paid.no, 3);
    let run = || {
        let dir = tempfile::tempdir().expect("temp dir");
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_samplepost"))
            .env("DATABASE_URL", &app.database_url)
            .env("RUST_LOG", "warn")
            .arg("--data-dir")
            .arg(dir.path())
            .arg("remind-reviews")
            .output()
            .expect("samplepost remind-reviews");
        assert!(output.status.success());
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let first = run();
    assert!(
        first.contains(&format!("{} reminder 1", paid.no)),
        "{first}"
    );
    let second = run();
    assert!(second.contains("0 sent"), "{second}");
    assert_eq!(
        count_where(&app, "notifications", "kind = 'review.reminder'"),
        1
    );
}
