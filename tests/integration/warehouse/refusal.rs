//! A parcel that does not match its declaration is refused with a reason,
//! a photo and a note; the seller has it returned (for the fee) or corrects
//! the declaration and it is weighed again.

use super::{BOX, balance_of, entry, ledger_of, measure, receive, refuse, status_of};
use crate::common::TestApp;
use crate::paid::paid_order;
use samplepost::domain::status::Role;

#[tokio::test]
async fn a_refused_parcel_returned_to_the_sender_is_refunded_less_the_fee() {
    let app = TestApp::spawn().await;
    let paid = paid_order(&app, 100_000, &[]).await;
    let operator = app.staff(Role::Operator).await;
    // Refusing needs a reason and a photo.
    let response = measure(
        &operator,
        &paid.no,
        "refuse",
        &[
            ("weight_kg", "0.48"),
            ("length_cm", "30"),
            ("width_cm", "20"),
            ("height_cm", "5"),
        ],
        false,
    )
    .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("page");
    assert!(page.contains("id=\"reason-error\"") && page.contains("id=\"photo-error\""));

    assert_eq!(
        refuse(&operator, &paid.no, "undeclared_battery")
            .await
            .status(),
        303
    );
    assert_eq!(status_of(&app, &paid.no), "exception");
    let page = paid
        .seller
        .get_text(&format!("/app/orders/{}", paid.no))
        .await;
    assert!(page.contains("data-refusal=\"undeclared_battery\""));
    assert!(page.contains("A power bank was found in the box"));
    assert!(
        page.contains("data-return-fee=\"3000\""),
        "the default fee, ¥30"
    );
    let notices = paid.seller.get_text("/app/notifications").await;
    assert!(notices.contains("仓库拒收"), "{notices}");

    // Without the confirmation nothing happens.
    let path = format!("/app/orders/{}/return", paid.no);
    paid.seller.post_form(&path, &[]).await;
    assert_eq!(status_of(&app, &paid.no), "exception");
    assert_eq!(
        paid.seller
            .post_form(&path, &[("confirm", "yes")])
            .await
            .status(),
        303
    );
    assert_eq!(status_of(&app, &paid.no), "returned");
    assert_eq!(
        ledger_of(&app, &paid.no),
        [
            entry("payment", -4576),
            entry("refund", 4576),
            entry("return_fee", -3000)
        ]
    );
    assert_eq!(balance_of(&app, paid.company), 100_000 - 3000);
    let actions = crate::orders::audit_actions(&app, &paid.no);
    assert!(actions.contains(&"order.refuse".to_owned()));
    assert!(actions.contains(&"order.return_to_sender".to_owned()));
}

#[tokio::test]
async fn a_corrected_declaration_is_weighed_and_priced_again() {
    let app = TestApp::spawn().await;
    // INTL-EXPRESS to GB accepts liquids for ¥40.00; the quote is ¥238.59
    // (see the volumetric test in reweigh.rs).
    let paid = paid_order(&app, 100_000, &[("route", "INTL-EXPRESS")]).await;
    let operator = app.staff(Role::Operator).await;
    refuse(&operator, &paid.no, "mismatch").await;
    // A liquid needs its MSDS before the correction is taken.
    let correct = format!("/app/orders/{}/correct", paid.no);
    let response = paid
        .seller
        .post_form(&correct, &[("battery", "none"), ("liquid", "yes")])
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        crate::orders::attach(&paid.seller, &paid.no, "msds")
            .await
            .status(),
        303
    );
    let response = paid
        .seller
        .post_form(
            &format!("/app/orders/{}/correct", paid.no),
            &[("battery", "none"), ("liquid", "yes")],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        status_of(&app, &paid.no),
        "paid",
        "back in the warehouse's queue"
    );
    // The same measurement (within tolerance) now carries the liquid surcharge:
    // freight 198.00 + fuel 40.59 + liquid 40.00 = ¥278.59.
    receive(&operator, &paid.no, "0.48", BOX).await;
    assert_eq!(status_of(&app, &paid.no), "received");
    assert_eq!(
        ledger_of(&app, &paid.no),
        [entry("payment", -23859), entry("reweigh", -4000)]
    );
}

#[tokio::test]
async fn declaring_a_battery_in_a_correction_needs_its_documents() {
    let app = TestApp::spawn().await;
    let paid = paid_order(&app, 100_000, &[("route", "INTL-EXPRESS")]).await;
    let operator = app.staff(Role::Operator).await;
    refuse(&operator, &paid.no, "undeclared_battery").await;
    let response = paid
        .seller
        .post_form(
            &format!("/app/orders/{}/correct", paid.no),
            &[("battery", "in_equipment")],
        )
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("page");
    assert!(page.contains("id=\"declaration-error\""), "{page}");
    assert_eq!(status_of(&app, &paid.no), "exception");
}

#[tokio::test]
async fn after_receipt_a_cancel_is_refused_and_a_return_costs_the_fee() {
    let app = TestApp::spawn().await;
    let paid = paid_order(&app, 100_000, &[]).await;
    let operator = app.staff(Role::Operator).await;
    receive(&operator, &paid.no, "0.60", BOX).await;
    let cancel = paid
        .seller
        .post_form(
            &format!("/app/orders/{}/cancel", paid.no),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(cancel.status(), 409);
    let page = paid
        .seller
        .get_text(&format!("/app/orders/{}", paid.no))
        .await;
    assert!(
        !page.contains("/cancel\""),
        "no cancel button once received"
    );
    paid.seller
        .post_form(
            &format!("/app/orders/{}/return", paid.no),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(status_of(&app, &paid.no), "returned");
    // Charged ¥45.76 + ¥7.44; all of it back, less ¥30.00.
    assert_eq!(
        ledger_of(&app, &paid.no),
        [
            entry("payment", -4576),
            entry("reweigh", -744),
            entry("refund", 5320),
            entry("return_fee", -3000)
        ]
    );
}

#[tokio::test]
async fn cancelling_before_receipt_refunds_everything() {
    let app = TestApp::spawn().await;
    let paid = paid_order(&app, 100_000, &[]).await;
    paid.seller
        .post_form(
            &format!("/app/orders/{}/cancel", paid.no),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(status_of(&app, &paid.no), "cancelled");
    assert_eq!(
        ledger_of(&app, &paid.no),
        [entry("payment", -4576), entry("refund", 4576)]
    );
}
