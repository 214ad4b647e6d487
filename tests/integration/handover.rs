//! Handover (issue #10): the admin's warehouses and carriers, a paid
//! order's drop-off, pickup requests and the operators' answers.

mod pickups;

use crate::common::{TestApp, first_id, location, refused_beside};
use crate::paid::{Paid, paid_order};
use diesel::prelude::*;
use samplepost::db::DbConnection;
use samplepost::db::schema::{audit_log, order_shipments, orders, warehouses};
use samplepost::domain::status::Role;

/// The audit actions of a kind of record, oldest first.
pub fn audited(app: &TestApp, target_type: &str) -> Vec<String> {
    audit_log::table
        .filter(audit_log::target_type.eq(target_type))
        .order(audit_log::id.asc())
        .select(audit_log::action)
        .load(&mut *app.conn())
        .expect("audit")
}

/// The order's handover columns: (handover, warehouse, pickup).
pub fn shipment(app: &TestApp, no: &str) -> (Option<String>, Option<i64>, Option<i64>) {
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    order_shipments::table
        .inner_join(orders::table)
        .filter(orders::order_no.eq(no))
        .select((
            order_shipments::handover,
            order_shipments::warehouse_id,
            order_shipments::pickup_id,
        ))
        .first(conn)
        .expect("shipment")
}

/// A paid order of "Acme" with enough balance left for a second one.
pub async fn paid(app: &TestApp) -> Paid {
    paid_order(app, 200_000, &[]).await
}

const WAREHOUSE: [(&str, &str); 4] = [
    ("name", "广州白云仓 Guangzhou Baiyun"),
    ("address_zh", "广东省广州市白云区机场路 88 号"),
    ("opening_hours", "周一至周五 10:00–17:00"),
    ("map_note", "东门进，2 号卸货台"),
];

#[tokio::test]
async fn the_admin_keeps_the_warehouses_and_an_operator_may_only_look() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let refused = admin
        .post_form(
            "/admin/warehouses",
            &[
                ("name", ""),
                ("address_zh", "88 Airport Road"),
                ("opening_hours", ""),
                ("map_note", "East gate"),
            ],
        )
        .await;
    let page = refused_beside(refused, &["name", "address_zh", "opening_hours"]).await;
    assert!(page.contains("88 Airport Road"), "typed values stay");
    assert!(page.contains("请用中文填写地址"), "says why in words");
    let created = admin.post_form("/admin/warehouses", &WAREHOUSE).await;
    assert_eq!(created.status(), 303);
    let list = admin.get_text("/admin/warehouses").await;
    assert!(list.contains("广州白云仓"), "listed");
    assert!(
        list.contains("深圳宝安仓"),
        "the demo warehouse of a fresh install"
    );
    let id: i64 = warehouses::table
        .filter(warehouses::name.eq(WAREHOUSE[0].1))
        .select(warehouses::id)
        .first(&mut *app.conn())
        .expect("the new warehouse");

    let operator = app.staff(Role::Operator).await;
    let seen = operator.get_text("/admin/warehouses").await;
    assert!(
        seen.contains("广州白云仓") && seen.contains("DHL"),
        "staff may view"
    );
    assert!(!seen.contains("/admin/warehouses/new"), "but not add");
    let path = format!("/admin/warehouses/{id}");
    assert_eq!(operator.get(&path).await.status(), 403);
    assert_eq!(operator.post_form(&path, &WAREHOUSE).await.status(), 403);
    let carrier = [("code", "SF"), ("name", "SF Express")];
    assert_eq!(
        operator
            .post_form("/admin/carriers", &carrier)
            .await
            .status(),
        403
    );

    let mut edited = WAREHOUSE.to_vec();
    edited[2] = ("opening_hours", "每天 08:00–20:00");
    assert_eq!(admin.post_form(&path, &edited).await.status(), 303);
    let active = format!("{path}/active");
    let unconfirmed = admin.post_form(&active, &[("active", "no")]).await;
    assert_eq!(location(&unconfirmed), path, "asks for the confirmation");
    let confirmed = admin
        .post_form(&active, &[("active", "no"), ("confirm", "yes")])
        .await;
    assert_eq!(confirmed.status(), 303);
    let list = admin.get_text("/admin/warehouses").await;
    assert!(list.contains(&format!("data-warehouse=\"{id}\"")));
    assert!(list.contains("每天 08:00–20:00"));

    let bad = admin
        .post_form("/admin/carriers", &[("code", "s-f"), ("name", "SF")])
        .await;
    let page = refused_beside(bad, &["code"]).await;
    assert!(page.contains("value=\"s-f\""), "typed code stays");
    assert_eq!(
        admin.post_form("/admin/carriers", &carrier).await.status(),
        303
    );
    let taken = admin.post_form("/admin/carriers", &carrier).await;
    refused_beside(taken, &["code"]).await;
    let off = admin
        .post_form("/admin/carriers/SF", &[("name", "SF Express 顺丰")])
        .await;
    assert_eq!(off.status(), 303);
    assert_eq!(
        audited(&app, "warehouse"),
        [
            "warehouse.create",
            "warehouse.update",
            "warehouse.deactivate"
        ]
    );
    assert_eq!(
        audited(&app, "carrier"),
        ["carrier.create", "carrier.update", "carrier.deactivate"]
    );
}

#[tokio::test]
async fn a_seller_chooses_a_drop_off_and_the_order_page_says_where() {
    let app = TestApp::spawn().await;
    let order = paid(&app).await;
    let path = format!("/app/orders/{}", order.no);
    let page = order.seller.get_text(&path).await;
    assert!(
        page.contains("id=\"handover\""),
        "a paid order offers handover"
    );
    assert!(page.contains("data-handover=\"none\""));
    assert!(page.contains(&format!("/app/pickups/new?order={}", order.no)));
    let warehouse = first_id(&page, "data-warehouse=\"");
    let chosen = order
        .seller
        .post_form(
            &format!("{path}/handover"),
            &[("warehouse", &warehouse.to_string())],
        )
        .await;
    assert_eq!(chosen.status(), 303);
    let page = order.seller.get_text(&path).await;
    assert!(page.contains("data-status=\"paid\""), "no state change");
    assert!(page.contains(&format!("data-drop-off=\"{warehouse}\"")));
    assert!(page.contains("请送至 深圳宝安仓"));
    assert!(page.contains("福永街道福海工业区"), "the address");
    assert!(page.contains("09:00–18:00"), "the opening hours");
    assert!(page.contains("data-event=\"drop_off\""), "a timeline note");
    assert_eq!(
        crate::paid::quoted_total(&order.seller, &order.no).await,
        order.total,
        "the handover moves no money"
    );
    assert_eq!(crate::paid::entries(&app, order.company).len(), 2);
    order.seller.english().await;
    let english = order.seller.get_text(&path).await;
    assert!(english.contains("Drop it off at 深圳宝安仓"));
    assert_eq!(
        shipment(&app, &order.no),
        (Some("drop_off".to_owned()), Some(warehouse), None)
    );
    assert_eq!(
        crate::orders::audit_actions(&app, &order.no).last(),
        Some(&"order.handover".to_owned())
    );

    // A warehouse the admin deactivated is no longer offered, but the order keeps it.
    let admin = app.staff(Role::Admin).await;
    admin
        .post_form(
            &format!("/admin/warehouses/{warehouse}/active"),
            &[("active", "no"), ("confirm", "yes")],
        )
        .await;
    let page = order.seller.get_text(&path).await;
    assert!(page.contains(&format!("data-drop-off=\"{warehouse}\"")));
    assert!(!page.contains(&format!("data-warehouse=\"{warehouse}\"")));
    let again = order
        .seller
        .post_form(
            &format!("{path}/handover"),
            &[("warehouse", &warehouse.to_string())],
        )
        .await;
    assert_eq!(
        location(&again),
        format!("{path}#handover"),
        "said on the page"
    );
    let handovers = crate::orders::audit_actions(&app, &order.no)
        .into_iter()
        .filter(|action| action == "order.handover")
        .count();
    assert_eq!(handovers, 1, "the refused choice changed nothing");
}

#[tokio::test]
async fn drop_off_is_not_offered_for_an_unpaid_order_nor_for_another_company() {
    let app = TestApp::spawn().await;
    let order = paid(&app).await;
    let unpaid = crate::orders::submitted(
        &order.seller,
        &[("form_token", "unpaid"), ("acknowledge", "yes")],
    )
    .await;
    let page = order
        .seller
        .get_text(&format!("/app/orders/{unpaid}"))
        .await;
    assert!(
        !page.contains("id=\"handover\""),
        "no section before payment"
    );
    let refused = order
        .seller
        .post_form(
            &format!("/app/orders/{unpaid}/handover"),
            &[("warehouse", "1")],
        )
        .await;
    assert_eq!(refused.status(), 409);

    let (other, _) = app.seller("Rival").await;
    let response = other
        .post_form(
            &format!("/app/orders/{}/handover", order.no),
            &[("warehouse", "1")],
        )
        .await;
    assert_eq!(response.status(), 404);
    assert_eq!(
        other
            .get(&format!("/app/pickups/new?order={}", order.no))
            .await
            .status(),
        200
    );
    assert_eq!(shipment(&app, &order.no), (None, None, None));
}
