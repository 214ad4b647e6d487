//! The language switch in the header.

use crate::browser::browser_test;
use crate::common::TestApp;

#[tokio::test]
async fn the_language_switch_shows_english_and_remembers_it() {
    browser_test(
        "the_language_switch_shows_english_and_remembers_it",
        async |browsers| {
            let app = TestApp::spawn().await;
            let tab = browsers.open(&app.address).await;

            tab.goto("/").await;
            tab.wait_for(r#"html[lang="zh-CN"]"#).await;
            assert_ne!(
                tab.text(r#"header a[href="/login"]"#).await,
                "Sign in",
                "Chinese is the default"
            );

            tab.click(r#"header a[href="/lang/en"]"#).await;
            tab.wait_for(r#"html[lang="en"]"#).await;
            assert_eq!(
                tab.path().await,
                "/",
                "the switch goes back to the page it was clicked on"
            );
            assert_eq!(tab.text(r#"header a[href="/login"]"#).await, "Sign in");

            tab.click(r#"header a[href="/login"]"#).await;
            tab.wait_for(r#"form[action="/login"]"#).await;
            tab.reload().await;
            tab.wait_for(r#"html[lang="en"]"#).await;
            assert_eq!(
                tab.text("main h1").await,
                "Sign in",
                "another page, reloaded, is still English"
            );
            assert_eq!(tab.text(r#"header a[href="/lang/zh-CN"]"#).await, "中文");
        },
    )
    .await;
}
