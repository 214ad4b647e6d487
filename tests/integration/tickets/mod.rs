//! Support tickets (issue #11): the thread both ways with attachments, the
//! status and SLA times, reopening within 14 days, another company's 404,
//! the staff queue's filters, and re-weigh disputes (`dispute`).

mod dispute;

use crate::common::{Browser, TestApp, location, png, refused_beside};
use diesel::prelude::*;
use samplepost::db::DbConnection;
use samplepost::db::schema::{audit_log, notifications, tickets, users};
use samplepost::domain::status::Role;

/// Opens a ticket through the form; `screenshot` adds a PNG.
pub async fn open(
    seller: &Browser,
    fields: &[(&str, &str)],
    screenshot: bool,
) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new().text("csrf_token", seller.csrf().await);
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    if screenshot {
        let part = reqwest::multipart::Part::bytes(png())
            .file_name("screenshot.png")
            .mime_str("image/png")
            .expect("mime");
        form = form.part("attachment", part);
    }
    seller.post_multipart("/app/tickets", form).await
}

/// Opens a "lost" ticket and returns its id.
pub async fn opened(seller: &Browser, subject: &str) -> i64 {
    let response = open(
        seller,
        &[
            ("category", "lost"),
            ("subject", subject),
            ("body", "The tracking has not moved for a week."),
        ],
        false,
    )
    .await;
    assert_eq!(response.status(), 303, "opened");
    id_in(&location(&response))
}

fn id_in(path: &str) -> i64 {
    path.rsplit('/')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("a ticket id")
}

/// Posts a reply (multipart, like the page's form).
pub async fn reply(browser: &Browser, path: &str, body: &str) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", browser.csrf().await)
        .text("body", body.to_owned());
    browser.post_multipart(path, form).await
}

/// (status, first response set, resolved_at) of a ticket.
pub fn state_of(app: &TestApp, id: i64) -> (String, bool, Option<chrono::NaiveDateTime>) {
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    let (status, first, resolved): (
        String,
        Option<chrono::NaiveDateTime>,
        Option<chrono::NaiveDateTime>,
    ) = tickets::table
        .find(id)
        .select((
            tickets::status,
            tickets::first_response_at,
            tickets::resolved_at,
        ))
        .first(conn)
        .expect("ticket");
    (status, first.is_some(), resolved)
}

/// The kinds of the notifications a user got, oldest first.
pub fn notified(app: &TestApp, email: &str) -> Vec<String> {
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    notifications::table
        .inner_join(users::table)
        .filter(users::email.eq(email))
        .order(notifications::id.asc())
        .select(notifications::kind)
        .load(conn)
        .expect("notifications")
}

pub fn ticket_audit(app: &TestApp, id: i64) -> Vec<String> {
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    audit_log::table
        .filter(audit_log::target_type.eq("ticket"))
        .filter(audit_log::target_id.eq(id.to_string()))
        .order(audit_log::id.asc())
        .select(audit_log::action)
        .load(conn)
        .expect("audit")
}

#[tokio::test]
async fn a_ticket_with_a_screenshot_goes_both_ways_and_records_its_times() {
    let app = TestApp::spawn().await;
    let (seller, email) = app.seller("Acme").await;
    let response = open(
        &seller,
        &[
            ("category", "damaged"),
            ("subject", "Box arrived crushed"),
            ("body", "The recipient sent this photo."),
        ],
        true,
    )
    .await;
    assert_eq!(response.status(), 303);
    let path = location(&response);
    let id = id_in(&path);
    let page = seller.get_text(&path).await;
    assert!(page.contains("data-attachment="), "{page}");
    assert!(page.contains("data-status=\"open\""));
    let upload = crate::common::first_id(&page, "data-attachment=\"");
    assert_eq!(
        seller.get(&format!("/uploads/{upload}")).await.status(),
        200
    );

    let operator = app.staff(Role::Operator).await;
    let queue = operator.get_text("/admin/tickets").await;
    assert!(queue.contains(&format!("data-ticket-row=\"{id}\"")));
    let answered = reply(
        &operator,
        &format!("/admin/tickets/{id}/reply"),
        "Sorry! Which item?",
    )
    .await;
    assert_eq!(answered.status(), 303);
    let (status, first_response, _) = state_of(&app, id);
    assert_eq!(status, "waiting_on_customer");
    assert!(
        first_response,
        "the first staff message sets the first response"
    );
    assert!(notified(&app, &email).contains(&"ticket.answered".to_owned()));
    let page = seller.get_text(&path).await;
    assert!(page.contains("Sorry! Which item?") && page.contains("data-first-response=\"0:00\""));

    let back = reply(
        &seller,
        &format!("/app/tickets/{id}/reply"),
        "The blue mug.",
    )
    .await;
    assert_eq!(back.status(), 303);
    assert_eq!(
        state_of(&app, id).0,
        "open",
        "a member reply reopens the queue"
    );

    let empty = operator
        .post_form(&format!("/admin/tickets/{id}/resolve"), &[("note", " ")])
        .await;
    refused_beside(empty, &["note"]).await;
    let resolved = operator
        .post_form(
            &format!("/admin/tickets/{id}/resolve"),
            &[("note", "A new mug is on its way.")],
        )
        .await;
    assert_eq!(resolved.status(), 303);
    let (status, _, resolved_at) = state_of(&app, id);
    assert_eq!(status, "resolved");
    assert!(resolved_at.is_some());
    let page = seller.get_text(&path).await;
    assert!(page.contains("data-resolution=\"0:00\"") && page.contains("A new mug is on its way."));
    assert!(notified(&app, &email).contains(&"ticket.resolved".to_owned()));
    assert_eq!(
        ticket_audit(&app, id),
        ["ticket.open", "ticket.reply", "ticket.resolve"]
    );
}

#[tokio::test]
async fn a_resolved_ticket_reopens_within_fourteen_days_and_not_after() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let id = opened(&seller, "Where is my parcel?").await;
    let operator = app.staff(Role::Operator).await;
    let resolve = format!("/admin/tickets/{id}/resolve");
    operator
        .post_form(&resolve, &[("note", "Delivered today.")])
        .await;
    let reopened = seller
        .post_form(&format!("/app/tickets/{id}/reopen"), &[])
        .await;
    assert_eq!(reopened.status(), 303);
    assert_eq!(state_of(&app, id).0, "open");

    operator
        .post_form(&resolve, &[("note", "Delivered, signed by J.")])
        .await;
    let long_ago = samplepost::services::now() - chrono::Duration::days(15);
    diesel::update(tickets::table.find(id))
        .set(tickets::resolved_at.eq(Some(long_ago)))
        .execute(&mut *app.conn())
        .expect("resolved long ago");
    let page = seller.get_text(&format!("/app/tickets/{id}")).await;
    assert!(
        !page.contains("/reopen\""),
        "no reopen button after 14 days"
    );
    let late = seller
        .post_form(&format!("/app/tickets/{id}/reopen"), &[])
        .await;
    assert_eq!(late.status(), 409);
    assert_eq!(state_of(&app, id).0, "resolved");
}

#[tokio::test]
async fn another_company_gets_not_found_for_a_ticket() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let id = opened(&seller, "Customs question").await;
    let (other, _) = app.seller("Beta").await;
    assert_eq!(other.get(&format!("/app/tickets/{id}")).await.status(), 404);
    let reply = reply(&other, &format!("/app/tickets/{id}/reply"), "Hello").await;
    assert_eq!(reply.status(), 404);
    assert!(
        !other
            .get_text("/app/tickets")
            .await
            .contains("Customs question")
    );
    assert_eq!(state_of(&app, id).0, "open");
    // Sellers do not reach the staff queue.
    assert_eq!(seller.get("/admin/tickets").await.status(), 403);
}

#[tokio::test]
async fn the_form_keeps_what_was_typed_and_says_what_is_missing() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let response = open(
        &seller,
        &[
            ("category", "weird"),
            ("subject", ""),
            ("body", "Kept text"),
        ],
        false,
    )
    .await;
    let page = refused_beside(response, &["category", "subject"]).await;
    assert!(page.contains("Kept text"));
    let empty = seller.get_text("/app/tickets").await;
    assert!(empty.contains("data-empty"), "the empty state");
    // A file that is not an image or a PDF is refused beside the file input.
    let script = reqwest::multipart::Part::bytes(b"#!/bin/sh\necho hi\n".to_vec())
        .file_name("photo.png")
        .mime_str("image/png")
        .expect("mime");
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", seller.csrf().await)
        .text("category", "damaged")
        .text("subject", "Broken")
        .text("body", "See the photo")
        .part("attachment", script);
    let refused = seller.post_multipart("/app/tickets", form).await;
    refused_beside(refused, &["attachment"]).await;
    assert_eq!(app.count("tickets"), 0, "nothing kept of a refused form");
}

#[tokio::test]
async fn staff_assign_a_ticket_to_a_colleague_who_is_told_and_hears_the_member() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let id = opened(&seller, "Address change").await;
    let colleague = app.staff_account(Role::Operator);
    let colleague_id: i64 = users::table
        .filter(users::email.eq(&colleague))
        .select(users::id)
        .first(&mut *app.conn())
        .expect("colleague");
    let admin = app.staff(Role::Admin).await;
    let assign = format!("/admin/tickets/{id}/assign");
    let response = admin
        .post_form(&assign, &[("assignee", &colleague_id.to_string())])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(notified(&app, &colleague), ["ticket.assigned"]);
    reply(
        &seller,
        &format!("/app/tickets/{id}/reply"),
        "New street: 2 High St",
    )
    .await;
    assert_eq!(
        notified(&app, &colleague),
        ["ticket.assigned", "ticket.customer_reply"]
    );
    // Only staff can be made the assignee.
    let wrong = admin.post_form(&assign, &[("assignee", "999999")]).await;
    assert_eq!(wrong.status(), 422);
    assert!(ticket_audit(&app, id).contains(&"ticket.assign".to_owned()));
}

#[tokio::test]
async fn the_queue_filters_by_category_status_age_assignee_and_route() {
    let app = TestApp::spawn().await;
    let paid = crate::paid::paid_order(&app, 100_000, &[]).await;
    let lost = opened(&paid.seller, "Lost parcel").await;
    let response = open(
        &paid.seller,
        &[
            ("category", "billing"),
            ("subject", "Invoice question"),
            ("body", "Please send an invoice."),
            ("order", &paid.no),
        ],
        false,
    )
    .await;
    assert_eq!(response.status(), 303);
    let billing = id_in(&location(&response));
    let operator = app.staff(Role::Operator).await;
    let assigned = operator
        .post_form(
            &format!("/admin/tickets/{billing}/assign"),
            &[("assignee", "me")],
        )
        .await;
    assert_eq!(assigned.status(), 303);
    let dashboard = operator.get_text("/admin").await;
    assert!(
        dashboard.contains("data-unassigned-tickets=\"1\""),
        "{dashboard}"
    );

    let rows = |page: &str| -> Vec<i64> {
        page.match_indices("data-ticket-row=\"")
            .map(|(at, m)| {
                page[at + m.len()..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
                    .parse()
                    .expect("id")
            })
            .collect()
    };
    let route: String = {
        use samplepost::db::schema::orders;
        orders::table
            .filter(orders::order_no.eq(&paid.no))
            .select(orders::route_code.assume_not_null())
            .first(&mut *app.conn())
            .expect("route")
    };
    for (query, expected) in [
        ("", vec![lost, billing]),
        ("?category=lost", vec![lost]),
        ("?assignee=me", vec![billing]),
        ("?assignee=unassigned", vec![lost]),
        ("?age=1", vec![]),
        ("?status=resolved", vec![]),
        (&format!("?route={route}") as &str, vec![billing]),
    ] {
        let page = operator.get_text(&format!("/admin/tickets{query}")).await;
        assert_eq!(rows(&page), expected, "{query}");
    }
    let seller_list = paid.seller.get_text("/app/tickets?status=open").await;
    assert_eq!(
        rows(&seller_list),
        vec![billing, lost],
        "newest activity first"
    );
}
