use crate::common::TestApp;
use crate::common::smtp::SmtpSink;
use std::time::Duration;

/// Waits (up to 10 s) until `check` holds.
async fn eventually(what: &str, check: impl Fn() -> bool) {
    for _ in 0..100 {
        if check() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

fn outbox_statuses(app: &TestApp) -> Vec<(String, i64)> {
    use diesel::prelude::*;
    use samplepost::db::schema::outbox;
    let mut conn = app.conn();
    let conn: &mut samplepost::db::DbConnection = &mut conn;
    outbox::table
        .order(outbox::id.asc())
        .select((outbox::status, outbox::attempts))
        .load(conn)
        .expect("outbox")
}

/// Makes every pending mail due now, as if its pause had passed.
fn make_due(app: &TestApp) {
    use diesel::prelude::*;
    use samplepost::db::schema::outbox;
    let mut conn = app.conn();
    let conn: &mut samplepost::db::DbConnection = &mut conn;
    let past = chrono::Utc::now().naive_utc() - chrono::Duration::seconds(1);
    diesel::update(outbox::table.filter(outbox::status.eq("pending")))
        .set(outbox::next_attempt_at.eq(past))
        .execute(conn)
        .expect("make due");
}

/// An invitation accepted notifies the owner; returns the owner's browser.
async fn invitation_accepted(app: &TestApp) -> crate::common::Browser {
    let (owner, _) = app.seller("Acme").await;
    let link = crate::team::invite(&owner, "wang@example.cn", "seller").await;
    crate::team::join(app, &link).await;
    owner
}

#[tokio::test]
async fn mails_go_through_the_outbox_and_a_refused_one_is_retried() {
    let sink = SmtpSink::start();
    let app = TestApp::spawn_with_smtp(Some(sink.url())).await;
    sink.refuse_next(1);
    invitation_accepted(&app).await;
    eventually("the invitation refused once, the acceptance sent", || {
        outbox_statuses(&app) == [("pending".to_owned(), 1), ("sent".to_owned(), 1)]
    })
    .await;
    let accepted = &sink.messages()[0];
    assert!(accepted.contains("wang@example.cn"), "the detail");
    assert!(
        accepted.contains("http://samplepost.test/app/team"),
        "the link"
    );
    make_due(&app);
    eventually("the retry", || sink.messages().len() == 2).await;
    let invitation = &sink.messages()[1];
    assert!(
        invitation.contains("http://samplepost.test/invite/"),
        "the invitation link"
    );
    eventually("sent", || {
        outbox_statuses(&app) == [("sent".to_owned(), 2), ("sent".to_owned(), 1)]
    })
    .await;
}

#[tokio::test]
async fn without_smtp_mails_are_skipped_and_the_admin_sees_them() {
    let app = TestApp::spawn_with_smtp(None).await;
    invitation_accepted(&app).await;
    eventually("skipped", || {
        outbox_statuses(&app) == [("skipped".to_owned(), 0), ("skipped".to_owned(), 0)]
    })
    .await;
    let admin = app.staff(samplepost::domain::status::Role::Admin).await;
    let page = admin.get_text("/admin/outbox?status=skipped").await;
    assert!(page.contains("data-status=\"skipped\""));
    assert!(
        !page.contains("/invite/"),
        "a skipped invitation's one-time link is not readable in the outbox"
    );
    let links: Vec<String> = {
        use diesel::prelude::*;
        use samplepost::db::schema::outbox;
        outbox::table
            .select(outbox::link)
            .load(&mut *app.conn())
            .expect("links")
    };
    assert!(
        links.iter().all(|link| !link.contains("/invite/")),
        "{links:?}"
    );
}

#[tokio::test]
async fn a_user_who_opts_out_gets_no_mail_but_still_the_notification() {
    let sink = SmtpSink::start();
    let app = TestApp::spawn_with_smtp(Some(sink.url())).await;
    let (owner, _) = app.seller("Acme").await;
    let response = owner
        .post_form("/app/notifications/email", &[("kind", "company.verified")])
        .await;
    assert_eq!(response.status(), 303);
    let page = owner.get_text("/app/notifications").await;
    assert!(!page.contains("value=\"team.invitation_accepted\" checked"));
    let link = crate::team::invite(&owner, "wang@example.cn", "seller").await;
    crate::team::join(&app, &link).await;
    assert!(
        owner
            .get_text("/app/notifications")
            .await
            .contains("data-kind=\"team.invitation_accepted\"")
    );
    assert_eq!(app.count("outbox"), 1, "only the invitation itself");
}
