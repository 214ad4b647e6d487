//! A parcel whose difference the balance cannot cover waits on hold, and
//! goes on once the difference is paid — by the seller, or by the platform
//! when a top-up is confirmed — charged exactly once.

use super::{BOX, balance_of, entry, ledger_of, receive, status_of};
use crate::balance::request_topup;
use crate::common::{TestApp, png};
use crate::paid::paid_order;
use diesel::prelude::*;
use samplepost::db::DbConnection;
use samplepost::db::schema::topups;
use samplepost::domain::status::Role;

/// The ids of the company's pending top-ups, oldest first.
fn pending_topups(app: &TestApp, company: i64) -> Vec<i64> {
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    topups::table
        .filter(topups::company_id.eq(company))
        .filter(topups::status.eq("pending"))
        .order(topups::id.asc())
        .select(topups::id)
        .load(conn)
        .expect("top-ups")
}

#[tokio::test]
async fn a_short_balance_holds_the_parcel_until_a_top_up_covers_it_and_charges_once() {
    let app = TestApp::spawn().await;
    // Exactly the quote: nothing is left once it is paid.
    let paid = paid_order(&app, 4576, &[]).await;
    let operator = app.staff(Role::Operator).await;
    receive(&operator, &paid.no, "0.60", BOX).await;
    assert_eq!(status_of(&app, &paid.no), "on_hold");
    assert_eq!(ledger_of(&app, &paid.no), [entry("payment", -4576)]);
    let page = paid
        .seller
        .get_text(&format!("/app/orders/{}", paid.no))
        .await;
    assert!(
        page.contains("data-on-hold=\"744\""),
        "余额不足，还差 ¥7.44"
    );
    assert!(page.contains("还差 ¥7.44"));
    // On hold, the parcel cannot be handed over.
    let refused = operator
        .post_form(
            &format!("/admin/warehouse/{}/dispatch", paid.no),
            &[("carrier", "DHL"), ("waybill", "1234567890")],
        )
        .await;
    assert_eq!(refused.status(), 422);

    // Two top-ups confirmed at the same moment: the difference is charged once.
    assert_eq!(
        request_topup(&paid.seller, "100", Some(png()))
            .await
            .status(),
        303
    );
    assert_eq!(
        request_topup(&paid.seller, "200", Some(png()))
            .await
            .status(),
        303
    );
    let ids = pending_topups(&app, paid.company);
    assert_eq!(ids.len(), 2);
    let admin = app.staff(Role::Admin).await;
    let other_admin = app.staff(Role::Admin).await;
    let (first_path, second_path) = (
        format!("/admin/topups/{}", ids[0]),
        format!("/admin/topups/{}", ids[1]),
    );
    let (first, second) = tokio::join!(
        admin.post_form(&first_path, &[("decision", "approve")]),
        other_admin.post_form(&second_path, &[("decision", "approve")]),
    );
    assert_eq!(
        (first.status().as_u16(), second.status().as_u16()),
        (303, 303)
    );
    assert_eq!(status_of(&app, &paid.no), "received");
    assert_eq!(
        ledger_of(&app, &paid.no),
        [entry("payment", -4576), entry("reweigh", -744)]
    );
    // ¥300 in, ¥7.44 out for the difference.
    assert_eq!(balance_of(&app, paid.company), 30_000 - 744);
    let page = paid
        .seller
        .get_text(&format!("/app/orders/{}", paid.no))
        .await;
    assert!(page.contains("data-event=\"release\""));
    assert!(!page.contains("data-on-hold"));
}

#[tokio::test]
async fn the_seller_pays_the_difference_once_the_balance_covers_it() {
    let app = TestApp::spawn().await;
    let paid = paid_order(&app, 4576, &[]).await;
    let operator = app.staff(Role::Operator).await;
    receive(&operator, &paid.no, "0.60", BOX).await;
    let path = format!("/app/orders/{}/pay-difference", paid.no);
    // Still short: nothing moves.
    assert_eq!(paid.seller.post_form(&path, &[]).await.status(), 303);
    assert_eq!(status_of(&app, &paid.no), "on_hold");
    app.credit(paid.company, 1000);
    assert_eq!(paid.seller.post_form(&path, &[]).await.status(), 303);
    assert_eq!(status_of(&app, &paid.no), "received");
    // Again: it is not on hold any more, and nothing is charged twice.
    assert_eq!(paid.seller.post_form(&path, &[]).await.status(), 409);
    assert_eq!(
        ledger_of(&app, &paid.no),
        [entry("payment", -4576), entry("reweigh", -744)]
    );
    assert_eq!(balance_of(&app, paid.company), 1000 - 744);
}
