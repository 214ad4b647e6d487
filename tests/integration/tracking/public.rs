//! The public tracking page: the number and the right postcode open it, and
//! it shows no personal data beyond the destination city and country.

use super::{WAYBILL, in_transit};
use crate::common::TestApp;

#[tokio::test]
async fn the_public_page_needs_the_right_postcode_and_shows_no_personal_data() {
    let app = TestApp::spawn().await;
    let (paid, operator) = in_transit(&app).await;
    let form = [
        ("milestone", "arrived_destination"),
        ("local_time", "2026-12-02T10:00"),
        ("utc_offset", "+00:00"),
        ("city", "London"),
        ("country", "GB"),
        ("text", "Signed by Jane Smith"),
        ("reason", ""),
    ];
    let path = format!("/admin/orders/{}/tracking", paid.no);
    assert_eq!(operator.post_form(&path, &form).await.status(), 303);
    let visitor = app.browser();
    visitor.english().await;
    let direct = visitor.get_text(&format!("/track/{}", paid.no)).await;
    assert!(
        direct.contains("name=\"postcode\""),
        "asks for the postcode"
    );
    assert!(!direct.contains("data-tracking"));
    let wrong = visitor
        .post_form(
            "/track",
            &[("order_no", &paid.no), ("postcode", "SW1A 2AA")],
        )
        .await;
    assert_eq!(wrong.status(), 404);
    let wrong = wrong.text().await.expect("page");
    let unknown = visitor
        .post_form(
            "/track",
            &[("order_no", "SP2001010001AA"), ("postcode", "SW1A 1AA")],
        )
        .await;
    assert_eq!(unknown.status(), 404);
    let unknown = unknown.text().await.expect("page");
    assert!(wrong.contains("data-not-found") && unknown.contains("data-not-found"));
    let right = visitor
        .post_form("/track", &[("order_no", &paid.no), ("postcode", "sw1a1aa")])
        .await;
    assert_eq!(right.status(), 303);
    let page = visitor.get_text(&format!("/track/{}", paid.no)).await;
    assert!(
        page.contains("data-tracking-event=\"arrived_destination\""),
        "{page}"
    );
    assert!(page.contains(WAYBILL));
    assert!(page.contains("London"));
    for personal in ["Jane Smith", "High Street", "7946", "SW1A", "Acme"] {
        assert!(!page.contains(personal), "{personal} shown");
    }
    // Another browser has not given the postcode.
    let other = app.browser();
    let page = other.get_text(&format!("/track/{}", paid.no)).await;
    assert!(!page.contains("data-tracking-event"));
}
