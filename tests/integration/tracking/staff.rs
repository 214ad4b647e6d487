//! Staff report events by hand on the order's staff page or many at once
//! from a sheet; late events keep their place on the timeline only.

use super::{WAYBILL, in_transit};
use crate::common::{Browser, TestApp};
use crate::warehouse::status_of;

pub(super) async fn add_event(
    staff: &Browser,
    no: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut form = vec![
        ("milestone", "in_transit"),
        ("local_time", "2026-12-02T10:00"),
        ("utc_offset", "+08:00"),
        ("city", "Shenzhen"),
        ("country", "CN"),
        ("text", "Departed the sorting centre"),
        ("reason", ""),
    ];
    for (key, value) in fields {
        if let Some(field) = form.iter_mut().find(|(k, _)| k == key) {
            field.1 = value;
        }
    }
    staff
        .post_form(&format!("/admin/orders/{no}/tracking"), &form)
        .await
}

async fn upload(staff: &Browser, csv: &str) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", staff.csrf().await)
        .part(
            "sheet",
            reqwest::multipart::Part::bytes(csv.as_bytes().to_vec())
                .file_name("events.csv")
                .mime_str("text/csv")
                .expect("mime"),
        );
    staff.post_multipart("/admin/tracking/upload", form).await
}

#[tokio::test]
async fn staff_add_an_event_that_the_seller_sees_on_the_order() {
    let app = TestApp::spawn().await;
    let (paid, operator) = in_transit(&app).await;
    let page = operator
        .get_text(&format!("/admin/orders/{}", paid.no))
        .await;
    assert!(
        page.contains("value=\"+08:00\""),
        "China's offset by default"
    );
    // A reason goes only with an exception; the typed values are kept.
    let refused = add_event(&operator, &paid.no, &[("reason", "damaged")]).await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.expect("page");
    assert!(page.contains("id=\"reason-error\"") && page.contains("Departed the sorting centre"));
    let bad_offset = add_event(&operator, &paid.no, &[("utc_offset", "8")]).await;
    assert_eq!(bad_offset.status(), 422);
    let response = add_event(
        &operator,
        &paid.no,
        &[("milestone", "exception"), ("reason", "address_problem")],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(status_of(&app, &paid.no), "exception");
    let page = paid
        .seller
        .get_text(&format!("/app/orders/{}", paid.no))
        .await;
    assert!(page.contains("data-tracking-event=\"exception\""));
    assert!(
        page.contains("data-public-tracking"),
        "the public page to share"
    );
    assert!(page.contains("Departed the sorting centre"));
    // Seen out for delivery again: the parcel resumes, then goes out.
    let response = add_event(
        &operator,
        &paid.no,
        &[
            ("milestone", "out_for_delivery"),
            ("local_time", "2026-12-03T09:00"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(status_of(&app, &paid.no), "out_for_delivery");
}

#[tokio::test]
async fn an_older_event_goes_on_the_timeline_but_never_moves_the_state_back() {
    let app = TestApp::spawn().await;
    let (paid, operator) = in_transit(&app).await;
    let delivered = add_event(
        &operator,
        &paid.no,
        &[
            ("milestone", "delivered"),
            ("local_time", "2026-12-05T15:00"),
        ],
    )
    .await;
    assert_eq!(delivered.status(), 303);
    assert_eq!(status_of(&app, &paid.no), "delivered");
    // A customs hold reported late, dated before the delivery.
    let late = add_event(
        &operator,
        &paid.no,
        &[
            ("milestone", "customs_held"),
            ("local_time", "2026-12-03T09:00"),
        ],
    )
    .await;
    assert_eq!(late.status(), 303);
    assert_eq!(status_of(&app, &paid.no), "delivered");
    assert_eq!(app.count("tracking_events"), 2);
    let page = operator
        .get_text(&format!("/admin/orders/{}", paid.no))
        .await;
    let delivered = page
        .find("data-tracking-event=\"delivered\"")
        .expect("delivered");
    let held = page
        .find("data-tracking-event=\"customs_held\"")
        .expect("held");
    assert!(delivered < held, "newest first");
}

#[tokio::test]
async fn a_sheet_with_a_bad_row_stores_nothing() {
    let app = TestApp::spawn().await;
    let (paid, operator) = in_transit(&app).await;
    let header = "order_no,waybill,time,milestone,location,text,reason";
    let bad = format!(
        "{header}\n{},,2026-12-02T10:00:00+08:00,departed_origin,\"Shenzhen, CN\",Departed,\n\
         ,{WAYBILL},2026-12-03T10:00:00+01:00,customs_held,London,Held,\n\
         ,XX0000000000,2026-12-03T11:00:00+01:00,in_transit,\"London, GB\",,\n",
        paid.no
    );
    let response = upload(&operator, &bad).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("page");
    // Chinese by default: the row and column are named in the report.
    assert!(
        page.contains("第 3 行, 列 location") && page.contains("第 4 行, 列 waybill"),
        "{page}"
    );
    assert_eq!(app.count("tracking_events"), 0);
    assert_eq!(status_of(&app, &paid.no), "in_transit");
    let nul = format!(
        "{header}\n{}\u{0},,2026-12-02T10:00:00+08:00,in_transit,,,\n",
        paid.no
    );
    let response = upload(&operator, &nul).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.expect("page").contains("列 order_no"));
    let good = format!(
        "{header}\n{},,2026-12-02T10:00:00+08:00,departed_origin,\"Shenzhen, CN\",Departed,\n\
         ,{WAYBILL},2026-12-03T10:00:00+01:00,customs_held,\"London, GB\",Held,\n",
        paid.no
    );
    let response = upload(&operator, &good).await;
    assert_eq!(response.status(), 200);
    assert!(
        response
            .text()
            .await
            .expect("page")
            .contains("data-stored=\"2\"")
    );
    assert_eq!(status_of(&app, &paid.no), "customs");
    // The same sheet again changes nothing.
    let again = upload(&operator, &good).await;
    assert!(
        again
            .text()
            .await
            .expect("page")
            .contains("data-stored=\"0\"")
    );
    assert_eq!(app.count("tracking_events"), 2);
}
