//! "Dispute this charge" on a re-weighed order: one billing ticket with the
//! quote and the bill, and a staff refund through the ledger.

use super::{notified, state_of, ticket_audit};
use crate::common::{TestApp, location, refused_beside};
use crate::paid::paid_order;
use crate::warehouse::{BOX, ledger_of, receive};
use samplepost::domain::status::Role;

fn entry(kind: &str, amount: i64) -> (String, i64) {
    (kind.to_owned(), amount)
}

#[tokio::test]
async fn a_reweigh_dispute_opens_one_billing_ticket_and_staff_refund_it() {
    let app = TestApp::spawn().await;
    let paid = paid_order(&app, 100_000, &[]).await;
    let operator = app.staff(Role::Operator).await;
    receive(&operator, &paid.no, "0.60", BOX).await;
    let order_page = format!("/app/orders/{}", paid.no);
    let page = paid.seller.get_text(&order_page).await;
    assert!(page.contains("data-dispute"), "the order offers a dispute");

    let dispute = format!("/app/orders/{}/dispute", paid.no);
    let response = paid.seller.post_form(&dispute, &[]).await;
    assert_eq!(response.status(), 303);
    let path = location(&response);
    let id: i64 = path
        .rsplit('/')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("id");
    let again = paid.seller.post_form(&dispute, &[]).await;
    assert_eq!(
        location(&again),
        path,
        "a second click finds the same ticket"
    );
    assert_eq!(app.count("tickets"), 1);

    let page = paid.seller.get_text(&order_page).await;
    assert!(page.contains(&format!("data-dispute-ticket=\"{id}\"")));
    assert!(!page.contains("data-dispute>"), "no second dispute offered");
    let thread = paid.seller.get_text(&path).await;
    assert!(thread.contains("data-category=\"billing\""));
    assert!(
        thread.contains("freight: ¥"),
        "the quote and bill line by line: {thread}"
    );
    assert!(
        thread.contains("total: ¥45.76 → ¥53.20 (+7.44)"),
        "{thread}"
    );

    let staff_page = operator.get_text(&format!("/admin/tickets/{id}")).await;
    assert!(
        staff_page.contains("data-refund-cap=\"744\""),
        "{staff_page}"
    );
    let resolve = format!("/admin/tickets/{id}/resolve");
    let too_much = operator
        .post_form(&resolve, &[("note", "Refunded."), ("amount", "7.45")])
        .await;
    let page = refused_beside(too_much, &["amount"]).await;
    assert!(page.contains("7.45"), "the typed amount stays");
    assert_eq!(ledger_of(&app, &paid.no).len(), 2, "nothing credited");
    assert_eq!(state_of(&app, id).0, "open");

    let refunded = operator
        .post_form(
            &resolve,
            &[
                ("note", "The scale was wrong; refunded."),
                ("amount", "7.44"),
            ],
        )
        .await;
    assert_eq!(refunded.status(), 303);
    assert_eq!(
        ledger_of(&app, &paid.no),
        [
            entry("payment", -4576),
            entry("reweigh", -744),
            entry("adjustment", 744)
        ]
    );
    assert_eq!(state_of(&app, id).0, "resolved");
    assert!(notified(&app, &paid.email).contains(&"ticket.resolved".to_owned()));
    assert_eq!(
        ticket_audit(&app, id),
        ["ticket.dispute", "ticket.refund", "ticket.resolve"]
    );
}

#[tokio::test]
async fn a_parcel_returned_after_a_refunded_dispute_is_not_refunded_twice() {
    let app = TestApp::spawn().await;
    let paid = paid_order(&app, 100_000, &[]).await;
    let operator = app.staff(Role::Operator).await;
    receive(&operator, &paid.no, "0.60", BOX).await;
    let dispute = format!("/app/orders/{}/dispute", paid.no);
    let path = location(&paid.seller.post_form(&dispute, &[]).await);
    let resolve = format!("{}/resolve", path.replace("/app/", "/admin/"));
    let refunded = operator
        .post_form(&resolve, &[("note", "Refunded."), ("amount", "7.44")])
        .await;
    assert_eq!(refunded.status(), 303);
    let returned = paid
        .seller
        .post_form(
            &format!("/app/orders/{}/return", paid.no),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(returned.status(), 303);
    let net: i64 = ledger_of(&app, &paid.no).iter().map(|(_, a)| a).sum();
    assert_eq!(net, -3000, "only the return fee stays charged");
}

#[tokio::test]
async fn an_order_weighed_as_quoted_has_nothing_to_dispute() {
    let app = TestApp::spawn().await;
    let paid = paid_order(&app, 100_000, &[]).await;
    let page = paid
        .seller
        .get_text(&format!("/app/orders/{}", paid.no))
        .await;
    assert!(!page.contains("data-dispute"));
    let response = paid
        .seller
        .post_form(&format!("/app/orders/{}/dispute", paid.no), &[])
        .await;
    assert_eq!(response.status(), 409);
    assert_eq!(app.count("tickets"), 0);
}
