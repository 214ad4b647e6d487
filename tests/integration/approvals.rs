use crate::common::{Browser, TestApp, refused_beside};
use crate::orders::{order_no, post_order, submitted_with_battery_papers};
use crate::team::{invite, join};

/// An owner with a manager and a seller in the company, and the policy set.
pub async fn team(app: &TestApp, policy: &[(&str, &str)]) -> (Browser, Browser, Browser) {
    let (owner, _) = app.seller("Acme").await;
    let manager = join(app, &invite(&owner, "manager@example.cn", "manager").await).await;
    let seller = join(app, &invite(&owner, "seller@example.cn", "seller").await).await;
    let response = owner.post_form("/app/settings/approval", policy).await;
    assert_eq!(response.status(), 303, "policy saved");
    (owner, manager, seller)
}

/// Submits the standard order (overridden) and returns its number and status.
async fn submit(by: &Browser, overrides: &[(&str, &str)]) -> (String, String) {
    let response = post_order(by, overrides).await;
    assert_eq!(response.status(), 303, "submitted");
    let no = order_no(&response);
    let status = status_of(by, &no).await;
    (no, status)
}

/// The order's status as its page shows it to `by`.
pub async fn status_of(by: &Browser, no: &str) -> String {
    let page = by.get_text(&format!("/app/orders/{no}")).await;
    let marker = "data-status=\"";
    let start = page.find(marker).expect("status on the order page") + marker.len();
    page[start..].chars().take_while(|c| *c != '"').collect()
}

#[tokio::test]
async fn always_sends_a_sellers_order_to_a_manager_who_approves_it() {
    let app = TestApp::spawn().await;
    let (_, manager, seller) = team(&app, &[("always", "yes")]).await;
    let (no, status) = submit(&seller, &[]).await;
    assert_eq!(status, "pending_approval");
    let queue = manager.get_text("/app/approvals").await;
    assert!(queue.contains(&format!("data-pending=\"{no}\"")));
    assert!(queue.contains("data-reason=\"always\""));
    assert!(
        manager
            .get_text("/app/notifications")
            .await
            .contains("order.approval_requested")
    );
    assert_eq!(seller.get("/app/approvals").await.status(), 403);
    let response = manager
        .post_form(&format!("/app/approvals/{no}"), &[("decision", "approve")])
        .await;
    assert_eq!(response.status(), 303);
    let page = seller.get_text(&format!("/app/orders/{no}")).await;
    assert!(page.contains("data-status=\"approved\"") && page.contains("data-event=\"approve\""));
    assert!(
        seller
            .get_text("/app/notifications")
            .await
            .contains("data-kind=\"order.approved\"")
    );
}

#[tokio::test]
async fn nobody_approves_their_own_order_and_a_lone_manager_goes_to_the_owner() {
    let app = TestApp::spawn().await;
    let (owner, manager, _) = team(&app, &[("always", "yes")]).await;
    let (no, status) = submit(&manager, &[]).await;
    assert_eq!(status, "pending_approval");
    assert!(!manager.get_text("/app/approvals").await.contains(&no));
    let response = manager
        .post_form(&format!("/app/approvals/{no}"), &[("decision", "approve")])
        .await;
    assert_eq!(response.status(), 409, "self-approval refused");
    assert!(owner.get_text("/app/approvals").await.contains(&no));
    let (_, status) = submit(&owner, &[("form_token", "own"), ("name", "Other Person")]).await;
    assert_eq!(
        status, "approved",
        "the owner's own order needs no approval"
    );
}

#[tokio::test]
async fn an_order_over_the_budget_needs_the_owner() {
    let app = TestApp::spawn().await;
    let (owner, manager, seller) = team(&app, &[("monthly_budget", "10.00")]).await;
    let (no, status) = submit(&seller, &[]).await;
    assert_eq!(status, "pending_approval");
    assert!(!manager.get_text("/app/approvals").await.contains(&no));
    let response = manager
        .post_form(&format!("/app/approvals/{no}"), &[("decision", "approve")])
        .await;
    assert_eq!(response.status(), 403);
    let queue = owner.get_text("/app/approvals").await;
    assert!(queue.contains("data-reason=\"company_budget\""));
    assert!(
        queue.contains("data-left=\"-"),
        "what is left after the order is shown"
    );
    owner
        .post_form(&format!("/app/approvals/{no}"), &[("decision", "approve")])
        .await;
    assert!(
        seller
            .get_text(&format!("/app/orders/{no}"))
            .await
            .contains("data-status=\"approved\"")
    );
}

#[tokio::test]
async fn a_rejection_needs_a_comment_and_returns_the_order_to_draft() {
    let app = TestApp::spawn().await;
    let (_, manager, seller) = team(&app, &[("always", "yes")]).await;
    let (no, _) = submit(&seller, &[]).await;
    let path = format!("/app/approvals/{no}");
    manager.post_form(&path, &[("decision", "reject")]).await;
    assert!(
        seller
            .get_text(&format!("/app/orders/{no}"))
            .await
            .contains("data-status=\"pending_approval\""),
        "not without a comment"
    );
    manager
        .post_form(
            &path,
            &[("decision", "reject"), ("comment", "Use the cheaper line")],
        )
        .await;
    let page = seller.get_text(&format!("/app/orders/{no}")).await;
    assert!(page.contains("data-status=\"draft\""));
    assert!(
        page.contains("Use the cheaper line"),
        "the comment is shown"
    );
    let banner_at = page.find("data-rejection").expect("a banner at the top");
    assert!(
        banner_at < page.find("data-event=").expect("timeline"),
        "above the timeline"
    );
    assert!(page[banner_at..].contains("Use the cheaper line"));
    assert!(
        seller
            .get_text("/app/notifications")
            .await
            .contains("data-kind=\"order.rejected\""),
        "the seller is told"
    );
}

#[tokio::test]
async fn a_members_own_budget_sends_only_their_orders_over_it_to_the_owner() {
    let app = TestApp::spawn().await;
    let (owner, manager, seller) = team(&app, &[]).await;
    let seller_id: i64 = {
        use diesel::prelude::*;
        use samplepost::db::schema::users;
        users::table
            .filter(users::email.eq("seller@example.cn"))
            .select(users::id)
            .first(&mut *app.conn())
            .expect("the seller")
    };
    let seller_field = format!("budget_{seller_id}");
    assert!(
        owner
            .get_text("/app/settings/approval")
            .await
            .contains(&format!("name=\"{seller_field}\"")),
        "each member has a budget field"
    );
    let response = owner
        .post_form("/app/settings/approval", &[(seller_field.as_str(), "1.00")])
        .await;
    assert_eq!(response.status(), 303);
    let (no, status) = submit(&seller, &[]).await;
    assert_eq!(status, "pending_approval", "over the seller's own budget");
    let queue = owner.get_text("/app/approvals").await;
    assert!(queue.contains(&format!("data-pending=\"{no}\"")));
    assert!(queue.contains("data-reason=\"member_budget\""));
    assert!(
        !manager.get_text("/app/approvals").await.contains(&no),
        "a member budget is the owner's to lift"
    );
    let (_, status) = submit(&manager, &[("form_token", "m"), ("name", "M M")]).await;
    assert_eq!(status, "approved", "the manager has no budget of their own");
}

#[tokio::test]
async fn each_rule_of_the_policy() {
    let app = TestApp::spawn().await;
    let (owner, manager, seller) = team(&app, &[("above", "1000")]).await;
    let (_, status) = submit(&seller, &[]).await;
    assert_eq!(status, "approved", "below the amount");
    owner
        .post_form("/app/settings/approval", &[("above", "1.00")])
        .await;
    let (_, status) = submit(&seller, &[("form_token", "2"), ("name", "B B")]).await;
    assert_eq!(status, "pending_approval", "above the amount");
    owner
        .post_form("/app/settings/approval", &[("sensitive_goods", "yes")])
        .await;
    let (_, status) = submit(&seller, &[("form_token", "3"), ("name", "C C")]).await;
    assert_eq!(status, "approved");
    let battery = submitted_with_battery_papers(
        &seller,
        &[
            ("form_token", "4"),
            ("name", "D D"),
            ("battery", "in_equipment"),
            ("item0_description_en", "Bluetooth speaker"),
            ("item0_hs_code", "851822"),
            ("route", "INTL-EXPRESS"),
        ],
    )
    .await;
    assert_eq!(
        status_of(&seller, &battery).await,
        "pending_approval",
        "sensitive goods"
    );
    owner
        .post_form("/app/settings/approval", &[("new_destination", "yes")])
        .await;
    let (_, status) = submit(&seller, &[("form_token", "5"), ("name", "E E")]).await;
    assert_eq!(status, "approved", "GB was shipped to before");
    let (no, status) = submit(
        &seller,
        &[
            ("form_token", "6"),
            ("name", "Max Muster"),
            ("city", "Berlin"),
            ("country", "DE"),
            ("postcode", "10115"),
            ("phone", "030 123456"),
        ],
    )
    .await;
    assert_eq!(status, "pending_approval", "first order to DE");
    let queue = manager.get_text("/app/approvals").await;
    assert!(queue.contains(&no) && queue.contains("data-reason=\"new_destination\""));
}

#[tokio::test]
async fn selected_orders_are_approved_together() {
    let app = TestApp::spawn().await;
    let (_, manager, seller) = team(&app, &[("always", "yes")]).await;
    let (first, _) = submit(&seller, &[]).await;
    let (second, _) = submit(&seller, &[("form_token", "2"), ("name", "B B")]).await;
    let response = manager
        .post_form(
            "/app/approvals/bulk",
            &[("order", first.as_str()), ("order", second.as_str())],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert!(
        manager
            .get_text("/app/approvals")
            .await
            .contains("没有等待您审批的订单")
    );
}

#[tokio::test]
async fn the_policy_form_refuses_a_bad_amount_beside_it() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.seller("Acme").await;
    let response = owner
        .post_form("/app/settings/approval", &[("above", "lots")])
        .await;
    refused_beside(response, &["above"]).await;
    assert_eq!(app.count("approval_policies"), 0);
}

#[tokio::test]
async fn the_approver_sees_the_items_the_sensitive_goods_and_the_acknowledged_warnings() {
    let app = TestApp::spawn().await;
    let (_, manager, seller) = team(&app, &[("always", "yes")]).await;
    let no = submitted_with_battery_papers(
        &seller,
        &[
            ("battery", "in_equipment"),
            ("item0_description_en", "Bluetooth speaker"),
            ("item0_hs_code", "851822"),
            ("item0_unit_value_usd", "6.00"),
            ("route", "INTL-EXPRESS"),
        ],
    )
    .await;
    assert_eq!(status_of(&seller, &no).await, "pending_approval");
    let queue = manager.get_text("/app/approvals").await;
    let start = queue.find(&format!("data-pending=\"{no}\"")).expect("card");
    let card = &queue[start..];
    assert!(card.contains("Bluetooth speaker"), "the items");
    assert!(card.contains("data-sensitive=\"in_equipment\"") && card.contains("电池装在设备内"));
    assert!(
        card.contains("data-warning=\"unit_over_5\""),
        "the acknowledged warnings"
    );
    assert!(card.contains("有物品单价超过 5 美元"));
}
