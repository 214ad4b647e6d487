//! A manager approves a seller's order and pays it, in the browser.

use crate::browser::browser_test;
use crate::common::{Browser, PASSWORD, TestApp, location};

/// Invites `email` as `role` and joins through the link; returns the member's browser.
async fn member(app: &TestApp, owner: &Browser, email: &str, role: &str) -> Browser {
    owner
        .post_form("/app/team/invitations", &[("email", email), ("role", role)])
        .await;
    let page = owner.get_text("/app/team").await;
    // The read-only field shows the link on the public address; the test server is elsewhere.
    let marker = "class=\"invitation-link\" value=\"http://samplepost.test";
    let start = page.find(marker).expect("invitation link") + marker.len();
    let link: String = page[start..].chars().take_while(|c| *c != '"').collect();
    let browser = app.browser();
    let response = browser
        .post_form(
            &link,
            &[
                ("display_name", role),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(location(&response), "/app");
    browser
}

#[tokio::test]
async fn a_manager_approves_a_sellers_order_and_pays_it() {
    browser_test(
        "a_manager_approves_a_sellers_order_and_pays_it",
        async |browsers| {
            let app = TestApp::spawn().await;
            let (owner, owner_email) = app.seller("Acme").await;
            app.credit(app.company_of(&owner_email), 100_000);
            owner
                .post_form("/app/settings/approval", &[("always", "yes")])
                .await;
            member(&app, &owner, "manager@example.cn", "manager").await;
            let seller = member(&app, &owner, "seller@example.cn", "seller").await;
            let response = seller
                .post_form(
                    "/app/orders",
                    &crate::common::order_fields(&[("form_token", "e2e")]),
                )
                .await;
            let order_page = location(&response);
            let no = order_page.trim_start_matches("/app/orders/").to_owned();

            let tab = browsers.open(&app.address).await;
            tab.sign_in("manager@example.cn").await;
            tab.click(r#"header a[href="/app/approvals"]"#).await;
            let card = format!(r#"[data-pending="{no}"]"#);
            tab.wait_for(&card).await;
            assert!(tab.text(&card).await.contains("Jane Smith"));
            tab.click(&format!(r#"{card} button[value="approve"]"#))
                .await;
            tab.wait_until(
                "!document.querySelector('[data-pending]')",
                "the queue is empty after approving",
            )
            .await;
            tab.goto(&order_page).await;
            tab.wait_for(r#"[data-status="approved"]"#).await;
            let due = tab.text("[data-due]").await;
            tab.click(r#".pay-box button[type="submit"]"#).await;
            tab.wait_for(r#"[data-status="paid"]"#).await;
            tab.click(r#"header a[href="/app/balance"]"#).await;
            tab.wait_for(r#"tr[data-entry="payment"]"#).await;
            assert!(due.starts_with('¥'), "the amount due was shown: {due}");
        },
    )
    .await;
}
