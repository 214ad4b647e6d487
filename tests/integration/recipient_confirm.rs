//! The recipient's link after dispatch (issue #11): it follows the parcel
//! without the postcode and takes the confirmation of receipt once, with the
//! parcel's condition, a comment and a photo; the seller is told and sees it.

use crate::common::{Browser, TestApp, csrf_in, location, png, refused_beside};
use crate::tracking::in_transit;
use crate::warehouse::status_of;

/// The seller sends a fresh recipient link; returns its path as the order page showed it.
async fn send_link(seller: &Browser, no: &str) -> String {
    let response = seller
        .post_form(&format!("/app/orders/{no}/link"), &[])
        .await;
    assert_eq!(response.status(), 303, "a link after dispatch");
    let page = seller.get_text(&format!("/app/orders/{no}")).await;
    assert!(page.contains("data-follow-hint"), "what the link is for");
    crate::links::shown_link(&page, "recipient-link")
}

/// Staff report the parcel delivered an hour ago.
async fn delivered_by_carrier(staff: &Browser, no: &str) {
    let an_hour_ago = (chrono::Utc::now() - chrono::Duration::hours(1))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let event = [
        ("milestone", "delivered"),
        ("local_time", an_hour_ago.as_str()),
        ("utc_offset", "+00:00"),
        ("city", "London"),
        ("country", "GB"),
        ("text", "Signed for by A. SMITH"),
        ("reason", ""),
    ];
    let path = format!("/admin/orders/{no}/tracking");
    assert_eq!(staff.post_form(&path, &event).await.status(), 303);
}

/// Posts the confirmation form of `link` as the recipient's browser does.
async fn confirm(
    recipient: &Browser,
    link: &str,
    condition: Option<&str>,
    comment: &str,
    photo: Option<Vec<u8>>,
) -> reqwest::Response {
    let page = recipient.get_text(link).await;
    // After a confirmation the page has no form left: a stale tab posts again.
    let token = match csrf_in(&page) {
        Some(token) => token,
        None => recipient.csrf().await,
    };
    let mut form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .text("comment", comment.to_owned());
    if let Some(condition) = condition {
        form = form.text("condition", condition.to_owned());
    }
    if let Some(bytes) = photo {
        let part = reqwest::multipart::Part::bytes(bytes).file_name("parcel.png");
        form = form.part("photo", part);
    }
    recipient
        .post_multipart(&format!("{link}/receipt"), form)
        .await
}

/// Counts the rows of `table` matching a SQL condition.
fn count_where(app: &TestApp, table: &str, condition: &str) -> i64 {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = app.conn();
    let conn: &mut samplepost::db::DbConnection = &mut conn;
    diesel::sql_query(format!(
        "SELECT COUNT(*) AS n FROM {table} WHERE {condition}"
    ))
    .get_result::<Count>(conn)
    .expect("count")
    .n
}

#[tokio::test]
async fn a_recipient_confirms_a_delivered_parcel_once_and_the_seller_sees_it() {
    let app = TestApp::spawn().await;
    let (paid, operator) = in_transit(&app).await;
    delivered_by_carrier(&operator, &paid.no).await;
    assert_eq!(status_of(&app, &paid.no), "delivered");
    let old = send_link(&paid.seller, &paid.no).await;
    let link = send_link(&paid.seller, &paid.no).await;
    assert_eq!(app.browser().get(&old).await.status(), 404, "replaced");

    // The recipient, without cookies, sees the journey and no postcode is asked.
    let recipient = app.browser();
    let page = recipient.get_text(&link).await;
    assert!(page.contains("data-tracking") && page.contains("data-milestone=\"delivered\""));
    assert!(!page.contains("name=\"postcode\""));
    assert!(
        !page.contains("A. SMITH"),
        "the carrier's words are not shown"
    );
    assert!(page.contains("data-receipt-form"));
    // This browser may open the public page too; another needs the postcode.
    let track = format!("/track/{}", paid.no);
    assert!(recipient.get_text(&track).await.contains("data-tracking"));
    let stranger = app.browser().get_text(&track).await;
    assert!(!stranger.contains("data-tracking") && stranger.contains("name=\"postcode\""));

    let response = confirm(
        &recipient,
        &link,
        Some("4"),
        "Box dented, lipstick fine",
        Some(png()),
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), link);
    let page = recipient.get_text(&link).await;
    assert!(page.contains("data-confirmed=\"4\"") && !page.contains("data-receipt-form"));
    let again = confirm(&recipient, &link, Some("1"), "Again", None).await;
    assert_eq!(again.status(), 303);
    assert_eq!(
        app.count("recipient_confirmations"),
        1,
        "never a second row"
    );
    assert_eq!(
        count_where(&app, "tracking_events", "source = 'recipient'"),
        0,
        "the carrier had reported the delivery"
    );

    let notifications = paid.seller.get_text("/app/notifications").await;
    assert!(notifications.contains("data-kind=\"order.recipient_confirmed\""));
    let order = paid
        .seller
        .get_text(&format!("/app/orders/{}", paid.no))
        .await;
    assert!(order.contains("data-recipient-confirmation=\"4\""));
    assert!(order.contains("Box dented, lipstick fine"));
    let marker = "data-receipt-photo=\"";
    let photo = crate::common::first_id(&order, marker);
    let served = paid.seller.get(&format!("/uploads/{photo}")).await;
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/png");
    let (other, _) = app.seller("Other").await;
    assert_eq!(other.get(&format!("/uploads/{photo}")).await.status(), 404);
    assert_ne!(
        recipient.get(&format!("/uploads/{photo}")).await.status(),
        200
    );

    let _newest = send_link(&paid.seller, &paid.no).await;
    assert_eq!(
        recipient.get(&link).await.status(),
        404,
        "a reissue ends the link"
    );
}

#[tokio::test]
async fn confirming_a_parcel_in_transit_records_the_delivery_from_the_recipient() {
    let app = TestApp::spawn().await;
    let (paid, _) = in_transit(&app).await;
    let link = send_link(&paid.seller, &paid.no).await;
    let recipient = app.browser();
    let response = confirm(&recipient, &link, Some("5"), "", None).await;
    assert_eq!(response.status(), 303);
    assert_eq!(status_of(&app, &paid.no), "delivered");
    assert_eq!(
        count_where(
            &app,
            "tracking_events",
            "source = 'recipient' AND milestone = 'delivered'"
        ),
        1
    );
    assert_eq!(
        count_where(&app, "recipient_confirmations", "recorded_delivery"),
        1
    );
    let order = paid
        .seller
        .get_text(&format!("/app/orders/{}", paid.no))
        .await;
    assert!(order.contains("data-tracking-event=\"delivered\""));
    assert!(order.contains("data-recipient-confirmation=\"5\""));
}

#[tokio::test]
async fn a_bad_condition_is_refused_beside_the_field_and_the_comment_is_kept() {
    let app = TestApp::spawn().await;
    let (paid, _) = in_transit(&app).await;
    let link = send_link(&paid.seller, &paid.no).await;
    let recipient = app.browser();
    for condition in [Some("0"), Some("6"), None] {
        let response = confirm(&recipient, &link, condition, "Corner crushed", None).await;
        let page = refused_beside(response, &["condition"]).await;
        assert!(
            page.contains("Corner crushed"),
            "{condition:?}: typed text kept"
        );
    }
    let not_an_image = confirm(
        &recipient,
        &link,
        Some("3"),
        "Corner crushed",
        Some(b"plain text, not a photo".to_vec()),
    )
    .await;
    let page = refused_beside(not_an_image, &["photo"]).await;
    assert!(page.contains("Corner crushed") && page.contains("value=\"3\" checked"));
    let hostile = confirm(&recipient, &link, Some("3"), "nul\u{0}here", None).await;
    assert_eq!(hostile.status(), 400);
    assert_eq!(app.count("recipient_confirmations"), 0);
    assert_eq!(status_of(&app, &paid.no), "in_transit");
}

#[tokio::test]
async fn the_recipient_page_follows_the_browser_language() {
    let app = TestApp::spawn().await;
    let (paid, _) = in_transit(&app).await;
    let link = send_link(&paid.seller, &paid.no).await;
    let url = format!("{}{link}", app.address);
    let english = reqwest::Client::new()
        .get(&url)
        .header("Accept-Language", "en-GB,en;q=0.9")
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert!(english.contains("I received it"));
    let chinese = reqwest::Client::new()
        .get(&url)
        .header("Accept-Language", "zh-CN,zh;q=0.9")
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert!(chinese.contains("我已收到"));
    for page in [&english, &chinese] {
        assert!(
            crate::wording::message_keys(page).is_empty(),
            "{:?}",
            crate::wording::message_keys(page)
        );
    }
}
