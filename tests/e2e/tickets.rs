//! Tickets in the browser: a seller opens a ticket with a screenshot chosen
//! in the file input, staff answer it in their queue, and the seller sees
//! the answer (issue #11).

use crate::browser::browser_test;
use crate::common::TestApp;
use samplepost::domain::status::Role;

#[tokio::test]
async fn a_seller_opens_a_ticket_with_a_screenshot_and_sees_the_staff_answer() {
    browser_test("tickets", async |browsers| {
        let app = TestApp::spawn().await;
        let (_, email) = app.seller("Acme").await;
        let files = tempfile::tempdir().expect("temp dir");
        let screenshot = files.path().join("screenshot.png");
        std::fs::write(&screenshot, crate::common::png()).expect("write screenshot");

        let tab = browsers.open(&app.address).await;
        tab.sign_in(&email).await;
        tab.wait_for(r#"header a[href="/app/tickets"]"#).await;
        tab.goto("/app/tickets").await;
        tab.wait_for("[data-empty]").await;
        tab.click_and_load(r#"a[href="/app/tickets/new"]"#).await;
        tab.click(r#"#category option[value="damaged"]"#).await;
        tab.fill("#subject", "Box arrived crushed").await;
        tab.fill("#body", "The recipient sent the attached photo.")
            .await;
        tab.choose_file("#attachment", &screenshot).await;
        tab.click_and_load(r#"form[action="/app/tickets"] button[type="submit"]"#)
            .await;
        tab.wait_for(r#"[data-status="open"]"#).await;
        tab.wait_for("[data-attachment]").await;
        let path = tab.path().await;

        let staff = browsers.open(&app.address).await;
        staff.sign_in(&app.staff_account(Role::Operator)).await;
        staff.wait_for(r#"header a[href="/admin/tickets"]"#).await;
        staff.goto("/admin/tickets").await;
        let admin_path = path.replace("/app/", "/admin/");
        staff
            .click_and_load(&format!(r#"a[href="{admin_path}"]"#))
            .await;
        staff.wait_for("[data-attachment]").await;
        staff
            .fill("#body", "Sorry about that; a replacement is on its way.")
            .await;
        staff
            .click_and_load(&format!(
                r#"form[action="{admin_path}/reply"] button[type="submit"]"#
            ))
            .await;
        staff
            .wait_for(r#"[data-status="waiting_on_customer"]"#)
            .await;

        tab.goto(&path).await;
        tab.wait_for(r#"[data-status="waiting_on_customer"]"#).await;
        let answer = tab.text("[data-from-staff] .body").await;
        assert!(answer.contains("replacement is on its way"), "{answer}");
        tab.wait_for("[data-first-response]").await;
    })
    .await;
}
