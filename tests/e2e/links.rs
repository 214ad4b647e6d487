//! The copy button of a shareable link, in a real browser (CSP on, script from `static/copy.js`).

use crate::browser::browser_test;
use crate::common::TestApp;

#[tokio::test]
async fn the_owner_copies_a_new_invitation_link_with_one_click() {
    browser_test(
        "the_owner_copies_a_new_invitation_link_with_one_click",
        async |browsers| {
            let app = TestApp::spawn().await;
            let (_, email) = app.owner("Acme").await;
            let tab = browsers.open(&app.address).await;
            tab.sign_in(&email).await;
            tab.wait_for(r#"header a[href="/app/orders"]"#).await;
            tab.goto("/app/team").await;
            tab.fill("#email", "new.seller@example.com").await;
            tab.click(r#"form[action="/app/team/invitations"] button[type="submit"]"#)
                .await;
            tab.wait_for("input.invitation-link").await;
            tab.wait_for(".qr svg").await;
            // Hidden in the markup, shown by the script: without JavaScript there is no dead button.
            tab.wait_until(
                r#"document.querySelector('button[data-copy="invitation-link"]').offsetParent !== null"#,
                "the copy button is shown",
            )
            .await;
            tab.screenshot("links-invitation").await;
            tab.click(r#"button[data-copy="invitation-link"]"#).await;
            tab.wait_until(
                r#"document.querySelector('button[data-copy="invitation-link"]').textContent === "已复制""#,
                "the button says the link was copied",
            )
            .await;
            tab.wait_until(
                r#"String(window.getSelection()).startsWith("http://samplepost.test/invite/")"#,
                "the whole link is selected",
            )
            .await;
        },
    )
    .await;
}
