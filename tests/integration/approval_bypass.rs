//! Approval cannot be walked around (issue #8): the submitter, not the
//! creator, is the one asking; whoever wrote an order's content does not
//! approve it; every status change is guarded by the status it was read in.

use crate::approvals::{status_of, team};
use crate::common::{Browser, TestApp};
use crate::orders::{order, order_no, post_order};

/// Saves the standard order as a draft and returns its number.
async fn draft(by: &Browser, token: &str) -> String {
    let response = post_order(by, &[("action", "save"), ("form_token", token)]).await;
    assert_eq!(response.status(), 303, "draft saved");
    order_no(&response)
}

async fn submit(by: &Browser, no: &str) -> reqwest::Response {
    by.post_form(
        &format!("/app/orders/{no}/submit"),
        &[("acknowledge", "yes")],
    )
    .await
}

async fn approve(by: &Browser, no: &str) -> reqwest::Response {
    by.post_form(&format!("/app/approvals/{no}"), &[("decision", "approve")])
        .await
}

#[tokio::test]
async fn a_seller_cannot_change_or_submit_a_draft_the_owner_made() {
    let app = TestApp::spawn().await;
    let (owner, _, seller) = team(&app, &[("always", "yes")]).await;
    let no = draft(&owner, "owner-draft").await;
    let edit = seller
        .post_form(
            &format!("/app/orders/{no}"),
            &order(&[("action", "save"), ("reference", "CHANGED-BY-SELLER")]),
        )
        .await;
    assert_eq!(edit.status(), 403, "a seller edits only their own drafts");
    assert_eq!(submit(&seller, &no).await.status(), 403);
    let page = owner.get_text(&format!("/app/orders/{no}")).await;
    assert!(page.contains("data-status=\"draft\""));
    assert!(!page.contains("CHANGED-BY-SELLER"), "nothing was saved");
    let seen = seller.get_text(&format!("/app/orders/{no}")).await;
    assert!(
        !seen.contains(&format!("/app/orders/{no}/edit")),
        "no edit button for the seller"
    );
}

#[tokio::test]
async fn the_owners_draft_submitted_by_a_manager_needs_approval_as_the_managers_order() {
    let app = TestApp::spawn().await;
    let (owner, manager, _) = team(&app, &[("always", "yes")]).await;
    let no = draft(&owner, "owner-draft").await;
    assert_eq!(submit(&manager, &no).await.status(), 303);
    assert_eq!(
        status_of(&owner, &no).await,
        "pending_approval",
        "the submitter asks, not the creator (whose own orders need none)"
    );
    assert_eq!(approve(&manager, &no).await.status(), 409, "own submission");
    assert_eq!(approve(&owner, &no).await.status(), 303);
    assert_eq!(status_of(&owner, &no).await, "approved");
}

#[tokio::test]
async fn a_manager_who_edited_a_sellers_draft_cannot_approve_it() {
    let app = TestApp::spawn().await;
    let (owner, manager, seller) = team(&app, &[("always", "yes")]).await;
    let no = draft(&seller, "seller-draft").await;
    let edit = manager
        .post_form(
            &format!("/app/orders/{no}"),
            &order(&[("action", "save"), ("reference", "MANAGER-EDIT")]),
        )
        .await;
    assert_eq!(edit.status(), 303, "managers may edit a colleague's draft");
    assert_eq!(submit(&seller, &no).await.status(), 303);
    assert_eq!(status_of(&seller, &no).await, "pending_approval");
    assert!(
        !manager.get_text("/app/approvals").await.contains(&no),
        "not in the editor's queue"
    );
    assert_eq!(approve(&manager, &no).await.status(), 409);
    assert_eq!(status_of(&seller, &no).await, "pending_approval");
    let queue = owner.get_text("/app/approvals").await;
    assert!(
        queue.contains(&format!("data-pending=\"{no}\"")),
        "with no other manager, the owner decides"
    );
    assert_eq!(approve(&owner, &no).await.status(), 303);
    assert_eq!(status_of(&seller, &no).await, "approved");
}

#[tokio::test]
async fn an_approval_after_the_order_was_cancelled_is_a_conflict() {
    let app = TestApp::spawn().await;
    let (_, manager, seller) = team(&app, &[("always", "yes")]).await;
    let no = draft(&seller, "seller-draft").await;
    submit(&seller, &no).await;
    assert_eq!(status_of(&seller, &no).await, "pending_approval");
    let cancel = seller
        .post_form(&format!("/app/orders/{no}/cancel"), &[("confirm", "yes")])
        .await;
    assert_eq!(cancel.status(), 303);
    let late = approve(&manager, &no).await;
    assert_eq!(late.status(), 409, "a late approve must not revive it");
    assert_eq!(status_of(&seller, &no).await, "cancelled");
    let entries = app.count("order_events");
    assert!(entries > 0);
    let approvals: i64 = {
        use diesel::prelude::*;
        use samplepost::db::schema::order_events;
        order_events::table
            .filter(order_events::kind.eq("approve"))
            .count()
            .get_result(&mut *app.conn())
            .expect("count")
    };
    assert_eq!(approvals, 0, "no approval on the timeline");
}

#[tokio::test]
async fn two_submissions_racing_for_a_budget_that_covers_one_send_one_to_the_owner() {
    let app = TestApp::spawn().await;
    let (owner, _, seller) = team(&app, &[]).await;
    // The price of the standard order, learned from a cancelled one
    // (cancelled orders spend nothing).
    let probe = draft(&seller, "probe").await;
    submit(&seller, &probe).await;
    let page = seller.get_text(&format!("/app/orders/{probe}")).await;
    let marker = "data-total=\"";
    let start = page.find(marker).expect("frozen total") + marker.len();
    let total: i64 = page[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect::<String>()
        .parse()
        .expect("fen");
    seller
        .post_form(
            &format!("/app/orders/{probe}/cancel"),
            &[("confirm", "yes")],
        )
        .await;
    let budget = format!("{:.2}", (total as f64 * 1.5) / 100.0);
    let response = owner
        .post_form(
            "/app/settings/approval",
            &[("monthly_budget", budget.as_str())],
        )
        .await;
    assert_eq!(response.status(), 303);
    let first = post_order(
        &seller,
        &[
            ("action", "save"),
            ("form_token", "a"),
            ("name", "Ann Able"),
        ],
    )
    .await;
    let second = post_order(
        &seller,
        &[
            ("action", "save"),
            ("form_token", "b"),
            ("name", "Ben Baker"),
        ],
    )
    .await;
    let (first, second) = (order_no(&first), order_no(&second));
    let (a, b) = tokio::join!(submit(&seller, &first), submit(&seller, &second));
    assert_eq!((a.status().as_u16(), b.status().as_u16()), (303, 303));
    let mut statuses = vec![
        status_of(&seller, &first).await,
        status_of(&seller, &second).await,
    ];
    statuses.sort();
    assert_eq!(
        statuses,
        ["approved", "pending_approval"],
        "the budget saw the other submission"
    );
}
