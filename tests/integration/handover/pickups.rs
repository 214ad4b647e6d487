//! Pickup requests: several paid orders share one, bad slots are refused
//! beside their fields, operators confirm or propose, the seller accepts or
//! cancels.

use super::{paid, shipment};
use crate::common::{Browser, TestApp, first_id, location, refused_beside};
use crate::paid::pay_new;
use chrono::Duration;
use diesel::prelude::*;
use samplepost::db::schema::{notifications, pickups, users};
use samplepost::domain::ids::UserId;
use samplepost::domain::status::Role;
use samplepost::services::{Actor, handover, pricing};

fn day(days_ahead: i64) -> String {
    (pricing::today() + Duration::days(days_ahead)).to_string()
}

/// The form for a pickup of `orders` tomorrow morning, from the company's address.
fn form<'a>(orders: &[&'a str], tomorrow: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut fields: Vec<(&str, &str)> = orders.iter().map(|no| ("orders", *no)).collect();
    fields.extend([
        ("address", "company"),
        ("date", tomorrow),
        ("window", "09:00-12:00"),
        ("parcels", "2"),
    ]);
    fields
}

fn status(app: &TestApp, id: i64) -> String {
    pickups::table
        .find(id)
        .select(pickups::status)
        .first(&mut *app.conn())
        .expect("pickup")
}

/// Requests a pickup of `orders` and returns its id.
async fn requested(seller: &Browser, orders: &[&str]) -> i64 {
    let tomorrow = day(1);
    let response = seller
        .post_form("/app/pickups", &form(orders, &tomorrow))
        .await;
    assert_eq!(response.status(), 303, "requested");
    first_id(&seller.get_text("/app/pickups").await, "data-pickup=\"")
}

fn operator_actor() -> Actor {
    Actor {
        user_id: UserId(0),
        email: "operator@samplepost.test".to_owned(),
        role: Role::Operator,
        company_id: None,
        ip: String::new(),
    }
}

#[tokio::test]
async fn one_pickup_collects_two_paid_orders_and_bad_slots_are_refused_beside_their_fields() {
    let app = TestApp::spawn().await;
    let order = paid(&app).await;
    let second = pay_new(&order.seller, &[("form_token", "second")]).await;
    let empty = order.seller.get_text("/app/pickups").await;
    assert!(empty.contains("还没有取件预约"), "empty state");
    let page = order
        .seller
        .get_text(&format!("/app/pickups/new?order={}", order.no))
        .await;
    assert!(
        page.contains(&format!("value=\"{}\" checked", order.no)),
        "preselected"
    );
    assert!(
        page.contains(&format!("value=\"{second}\">")),
        "offered, not ticked"
    );
    assert!(
        page.contains("南山区科技园"),
        "the company's sender address"
    );

    let tomorrow = day(1);
    let orders = [order.no.as_str(), second.as_str()];
    let mut past = form(&orders, &tomorrow);
    past[3] = ("date", "2020-01-01");
    let refused = order.seller.post_form("/app/pickups", &past).await;
    let page = refused_beside(refused, &["date"]).await;
    assert!(page.contains("value=\"2020-01-01\""), "typed date stays");
    assert!(
        page.contains(&format!("value=\"{second}\" checked")),
        "ticks stay"
    );
    let far = day(15);
    let mut too_far = form(&orders, &tomorrow);
    too_far[3] = ("date", &far);
    refused_beside(
        order.seller.post_form("/app/pickups", &too_far).await,
        &["date"],
    )
    .await;
    let mut odd_window = form(&orders, &tomorrow);
    odd_window[4] = ("window", "06:00-08:00");
    refused_beside(
        order.seller.post_form("/app/pickups", &odd_window).await,
        &["window"],
    )
    .await;
    let mut no_parcels = form(&orders, &tomorrow);
    no_parcels[5] = ("parcels", "0");
    let page = refused_beside(
        order.seller.post_form("/app/pickups", &no_parcels).await,
        &["parcels"],
    )
    .await;
    assert!(page.contains("value=\"0\""), "typed count stays");
    assert_eq!(app.count("pickups"), 0, "nothing stored");

    let id = requested(&order.seller, &orders).await;
    let list = order.seller.get_text("/app/pickups").await;
    assert!(list.contains(&order.no) && list.contains(&second));
    assert!(list.contains("data-status=\"requested\""));
    for no in &orders {
        assert_eq!(
            shipment(&app, no),
            (Some("pickup".to_owned()), None, Some(id))
        );
    }
    let page = order
        .seller
        .get_text(&format!("/app/orders/{}", order.no))
        .await;
    assert!(
        page.contains(&format!("data-pickup=\"{id}\"")),
        "the order page says so"
    );
    let again = order
        .seller
        .post_form("/app/pickups", &form(&orders[..1], &tomorrow))
        .await;
    refused_beside(again, &["orders"]).await;
    let (rival, _) = app.seller("Rival").await;
    refused_beside(
        rival
            .post_form("/app/pickups", &form(&orders, &tomorrow))
            .await,
        &["orders"],
    )
    .await;
    assert_eq!(
        super::audited(&app, "pickup"),
        ["pickup.request"],
        "audited once"
    );
}

#[tokio::test]
async fn an_operator_proposes_another_slot_and_the_seller_who_accepts_has_it_confirmed() {
    let app = TestApp::spawn().await;
    let order = paid(&app).await;
    let id = requested(&order.seller, &[&order.no]).await;
    let operator = app.staff(Role::Operator).await;
    let queue = operator.get_text("/admin/pickups").await;
    assert!(queue.contains(&format!("data-pickup=\"{id}\"")));
    assert!(queue.contains("Acme") && queue.contains(&order.no));
    let path = format!("/admin/pickups/{id}");
    let two_days = day(2);
    let without_note = operator
        .post_form(
            &format!("{path}/propose"),
            &[
                ("date", &two_days),
                ("window", "13:00-18:00"),
                ("note", " "),
            ],
        )
        .await;
    let page = refused_beside(without_note, &["note"]).await;
    assert!(
        page.contains(&format!("value=\"{two_days}\"")),
        "typed date stays"
    );
    let proposed = operator
        .post_form(
            &format!("{path}/propose"),
            &[
                ("date", &two_days),
                ("window", "13:00-18:00"),
                ("note", "明天上午司机满了"),
            ],
        )
        .await;
    assert_eq!(proposed.status(), 303);
    assert_eq!(status(&app, id), "proposed");
    let note = order.seller.get_text("/app/notifications").await;
    assert!(
        note.contains("data-kind=\"pickup.proposed\""),
        "the requester is told"
    );
    assert!(note.contains("明天上午司机满了"));
    let list = order.seller.get_text("/app/pickups").await;
    assert!(list.contains("data-proposed") && list.contains(&two_days));

    let accepted = order
        .seller
        .post_form(&format!("/app/pickups/{id}/accept"), &[])
        .await;
    assert_eq!(accepted.status(), 303);
    assert_eq!(status(&app, id), "confirmed");
    let (date, window): (chrono::NaiveDate, String) = pickups::table
        .find(id)
        .select((pickups::pickup_date, pickups::time_window))
        .first(&mut *app.conn())
        .expect("pickup");
    assert_eq!(
        (date.to_string(), window.as_str()),
        (two_days, "13:00-18:00")
    );
    let twice = order
        .seller
        .post_form(&format!("/app/pickups/{id}/accept"), &[])
        .await;
    assert_eq!(twice.status(), 409);

    // The warehouse's day: the confirmed pickup with its orders.
    let expected = handover::expected(&mut app.conn(), &operator_actor(), date).expect("expected");
    assert_eq!(expected.pickups.len(), 1);
    assert_eq!(expected.pickups[0].2, std::slice::from_ref(&order.no));
    assert!(expected.drop_offs.is_empty());
    handover::mark_collected(&mut app.conn(), id).expect("collected");
    assert_eq!(status(&app, id), "collected");

    // A plain confirmation notifies too.
    let second = pay_new(&order.seller, &[("form_token", "second")]).await;
    let other = requested(&order.seller, &[&second]).await;
    let confirmed = operator
        .post_form(&format!("/admin/pickups/{other}/confirm"), &[])
        .await;
    assert_eq!(confirmed.status(), 303);
    assert_eq!(status(&app, other), "confirmed");
    let kinds: Vec<String> = notifications::table
        .inner_join(users::table)
        .filter(users::email.eq(&order.email))
        .select(notifications::kind)
        .filter(notifications::kind.like("pickup.%"))
        .order(notifications::id.asc())
        .load(&mut *app.conn())
        .expect("notifications");
    assert_eq!(kinds, ["pickup.proposed", "pickup.confirmed"]);
    assert_eq!(
        super::audited(&app, "pickup"),
        [
            "pickup.request",
            "pickup.propose",
            "pickup.accept",
            "pickup.collected",
            "pickup.request",
            "pickup.confirm"
        ]
    );
}

#[tokio::test]
async fn cancelling_a_pickup_frees_its_orders_for_another_handover() {
    let app = TestApp::spawn().await;
    let order = paid(&app).await;
    let id = requested(&order.seller, &[&order.no]).await;
    let unconfirmed = order
        .seller
        .post_form(&format!("/app/pickups/{id}/cancel"), &[])
        .await;
    assert_eq!(location(&unconfirmed), "/app/pickups");
    assert_eq!(status(&app, id), "requested", "not without the tick");
    let drop_off = order
        .seller
        .post_form(
            &format!("/app/orders/{}/handover", order.no),
            &[("warehouse", "1")],
        )
        .await;
    assert_eq!(drop_off.status(), 409, "on a pickup until it is cancelled");
    let cancelled = order
        .seller
        .post_form(&format!("/app/pickups/{id}/cancel"), &[("confirm", "yes")])
        .await;
    assert_eq!(cancelled.status(), 303);
    assert_eq!(status(&app, id), "cancelled");
    assert_eq!(shipment(&app, &order.no), (None, None, None));
    let page = order.seller.get_text("/app/pickups/new").await;
    assert!(
        page.contains(&format!("value=\"{}\"", order.no)),
        "can be planned again"
    );
    let again = order
        .seller
        .post_form(&format!("/app/pickups/{id}/cancel"), &[("confirm", "yes")])
        .await;
    assert_eq!(again.status(), 409);
    let page = order
        .seller
        .get_text(&format!("/app/orders/{}", order.no))
        .await;
    assert!(page.contains("data-event=\"pickup_cancelled\""));
    let warehouse = first_id(&page, "data-warehouse=\"");
    let drop_off = order
        .seller
        .post_form(
            &format!("/app/orders/{}/handover", order.no),
            &[("warehouse", &warehouse.to_string())],
        )
        .await;
    assert_eq!(drop_off.status(), 303);
    let day = pricing::today();
    let expected = handover::expected(&mut app.conn(), &operator_actor(), day).expect("expected");
    assert_eq!(expected.drop_offs.len(), 1);
    assert_eq!(expected.drop_offs[0].0, order.no);
}
