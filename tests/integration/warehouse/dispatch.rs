//! Handing parcels to the carrier, one by one or from a sheet (all or
//! nothing), the day's queues and manifest.

use super::{BOX, receive, status_of};
use crate::common::TestApp;
use crate::paid::{paid_order, pay_new};
use samplepost::domain::status::Role;

#[tokio::test]
async fn a_received_parcel_goes_to_the_carrier_under_its_waybill() {
    let app = TestApp::spawn().await;
    let paid = paid_order(&app, 100_000, &[]).await;
    let operator = app.staff(Role::Operator).await;
    let path = format!("/admin/warehouse/{}/dispatch", paid.no);
    // Not received yet.
    let early = operator
        .post_form(&path, &[("carrier", "DHL"), ("waybill", "JD0001234567")])
        .await;
    assert_eq!(early.status(), 422);
    receive(&operator, &paid.no, "0.48", BOX).await;
    let bad = operator
        .post_form(&path, &[("carrier", "DHL"), ("waybill", "12 34")])
        .await;
    assert_eq!(bad.status(), 422);
    assert!(
        bad.text()
            .await
            .expect("page")
            .contains("id=\"waybill-error\"")
    );
    let ok = operator
        .post_form(&path, &[("carrier", "DHL"), ("waybill", "jd0001234567")])
        .await;
    assert_eq!(ok.status(), 303);
    assert_eq!(status_of(&app, &paid.no), "in_transit");
    let page = paid
        .seller
        .get_text(&format!("/app/orders/{}", paid.no))
        .await;
    assert!(page.contains("data-waybill=\"JD0001234567\""));
    let list = paid.seller.get_text("/app/orders").await;
    assert!(list.contains("data-waybill=\"JD0001234567\""));
    let queue = operator.get_text("/admin/warehouse").await;
    assert!(queue.contains("data-queue=\"handed_over\""));
    let manifest = operator
        .get_text(&format!(
            "/admin/warehouse/manifest.csv?day={}&route=POST-SMALL",
            samplepost::services::pricing::today()
        ))
        .await;
    assert!(
        manifest.contains(&paid.no) && manifest.contains("JD0001234567"),
        "{manifest}"
    );
    let pdf = operator
        .get(&format!(
            "/admin/warehouse/manifest.pdf?day={}&route=POST-SMALL",
            samplepost::services::pricing::today()
        ))
        .await;
    assert_eq!(pdf.status(), 200);
    assert!(pdf.bytes().await.expect("pdf").starts_with(b"%PDF"));
    // The same carrier's waybill cannot go on a second parcel.
    let second = pay_new(&paid.seller, &[("form_token", "second")]).await;
    receive(&operator, &second, "0.48", BOX).await;
    let taken = operator
        .post_form(
            &format!("/admin/warehouse/{second}/dispatch"),
            &[("carrier", "DHL"), ("waybill", "JD0001234567")],
        )
        .await;
    assert_eq!(taken.status(), 422);
    assert_eq!(status_of(&app, &second), "received");
}

async fn upload_sheet(operator: &crate::common::Browser, csv: &str) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", operator.csrf().await)
        .text("carrier", "UPS")
        .part(
            "sheet",
            reqwest::multipart::Part::bytes(csv.as_bytes().to_vec())
                .file_name("handover.csv")
                .mime_str("text/csv")
                .expect("mime"),
        );
    operator
        .post_multipart("/admin/warehouse/dispatch", form)
        .await
}

#[tokio::test]
async fn a_hand_over_sheet_goes_through_whole_or_not_at_all() {
    let app = TestApp::spawn().await;
    let paid = paid_order(&app, 100_000, &[]).await;
    let second = pay_new(&paid.seller, &[("form_token", "second")]).await;
    let operator = app.staff(Role::Operator).await;
    receive(&operator, &paid.no, "0.48", BOX).await;
    receive(&operator, &second, "0.48", BOX).await;
    let bad = format!(
        "order_no,waybill\n{},1Z999AA10123456784\nSP0000000000XX,1Z999AA10123456785\n",
        paid.no
    );
    let response = upload_sheet(&operator, &bad).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("page");
    assert!(page.contains("row 3") || page.contains("第 3 行"), "{page}");
    assert_eq!(status_of(&app, &paid.no), "received", "nothing handed over");
    let good = format!(
        "order_no,waybill\n{},1Z999AA10123456784\n{second},1Z999AA10123456785\n",
        paid.no
    );
    let response = upload_sheet(&operator, &good).await;
    assert_eq!(response.status(), 200);
    assert!(
        response
            .text()
            .await
            .expect("page")
            .contains("data-dispatched=\"2\"")
    );
    assert_eq!(status_of(&app, &paid.no), "in_transit");
    assert_eq!(status_of(&app, &second), "in_transit");
}
