//! Shareable links (full URL, copy button, QR code), the recipient's language,
//! and the favicon.

use crate::common::{Browser, TestApp, location};
use reqwest::header::{ACCEPT_LANGUAGE, CONTENT_TYPE};

/// The public address the test server is configured with.
const PUBLIC_URL: &str = "http://samplepost.test";

/// The URL in the read-only field `class` of a page, as a path on the test
/// server (the page shows it on the public address).
pub fn shown_link(page: &str, class: &str) -> String {
    let marker = format!("class=\"{class}\"");
    let start = page.find(&marker).expect("the link is shown") + marker.len();
    let value = page[start..].find("value=\"").expect("in a field's value") + start + 7;
    let url: String = page[value..].chars().take_while(|c| *c != '"').collect();
    url.strip_prefix(PUBLIC_URL)
        .unwrap_or_else(|| panic!("a full URL on the public address: {url}"))
        .to_owned()
}

/// A shared link's block: the field, the copy button for it, the QR code.
fn assert_shareable(page: &str, class: &str) {
    let path = shown_link(page, class);
    assert!(
        page.contains(&format!("value=\"{PUBLIC_URL}{path}\" readonly")),
        "read-only"
    );
    assert!(
        page.contains(&format!("data-copy=\"{class}\"")),
        "copy button"
    );
    assert!(
        page.contains("<script src=\"/static/copy.js\" defer></script>"),
        "the copy script is referenced"
    );
    let qr = page.find("<figure class=\"qr\"><svg").expect("a QR code") + 20;
    assert!(
        page[qr..].find("</svg>").is_some_and(|end| end > 1000),
        "the code is drawn"
    );
}

#[tokio::test]
async fn the_owner_is_shown_the_invitation_as_a_full_url_with_copy_button_and_qr_code() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    let response = owner
        .post_form(
            "/app/team/invitations",
            &[("email", "new@example.com"), ("role", "seller")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let page = owner.get_text("/app/team").await;
    assert_shareable(&page, "invitation-link");
    let path = shown_link(&page, "invitation-link");
    assert!(path.starts_with("/invite/"), "{path}");
    assert_eq!(app.browser().get(&path).await.status(), 200, "it opens");
}

#[tokio::test]
async fn a_new_recipient_link_is_a_full_url_with_copy_button_and_qr_code() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let (_, path, page) = crate::recipient_link::order_with_link(&seller).await;
    assert_shareable(&page, "recipient-link");
    assert!(path.starts_with("/r/"), "{path}");
    assert_eq!(app.browser().get(&path).await.status(), 200, "it opens");
}

#[tokio::test]
async fn the_copy_script_is_served_as_javascript() {
    let app = TestApp::spawn().await;
    let response = app.browser().get("/static/copy.js").await;
    assert_eq!(response.status(), 200);
    let kind = response.headers()[CONTENT_TYPE].to_str().expect("ASCII");
    assert!(kind.starts_with("text/javascript"), "{kind}");
    let script = response.text().await.expect("body");
    assert!(script.contains("clipboard") && script.contains("data-copy"));
}

/// The recipient page's `<html lang>` for a browser sending `accept_language`.
async fn page_lang(recipient: &Browser, path: &str, accept_language: &str) -> String {
    let page = recipient
        .client
        .get(recipient.url(path))
        .header(ACCEPT_LANGUAGE, accept_language)
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    let start = page.find("<html lang=\"").expect("html lang") + 12;
    page[start..].chars().take_while(|c| *c != '"').collect()
}

#[tokio::test]
async fn the_recipient_page_speaks_the_browsers_language() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let (_, path, _) = crate::recipient_link::order_with_link(&seller).await;
    let recipient = app.browser();
    let german = "de-DE,de;q=0.9,en;q=0.8";
    assert_eq!(page_lang(&recipient, &path, german).await, "en");
    assert_eq!(page_lang(&recipient, &path, "fr-FR").await, "en");
    assert_eq!(
        page_lang(&recipient, &path, "zh-CN,zh;q=0.9").await,
        "zh-CN"
    );
    // No header names no language: the page is for people abroad.
    let page = recipient.get_text(&path).await;
    assert!(page.contains("<html lang=\"en\""));
    // The seller's own pages keep the app's default.
    assert_eq!(page_lang(&recipient, "/", german).await, "zh-CN");
}

#[tokio::test]
async fn the_language_switch_wins_over_the_browser_on_the_recipient_page() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let (_, path, _) = crate::recipient_link::order_with_link(&seller).await;
    let recipient = app.browser();
    let german = "de-DE,de;q=0.9,en;q=0.8";
    let page = recipient
        .client
        .get(recipient.url(&path))
        .header(ACCEPT_LANGUAGE, german)
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert!(
        page.contains("<a href=\"/lang/zh-CN\" lang=\"zh-CN\">"),
        "the switch is offered"
    );
    let response = recipient
        .client
        .get(recipient.url("/lang/zh-CN"))
        .header(reqwest::header::REFERER, recipient.url(&path))
        .send()
        .await
        .expect("switch");
    assert_eq!(location(&response), path, "back to the page");
    assert_eq!(page_lang(&recipient, &path, german).await, "zh-CN");
}

#[tokio::test]
async fn the_english_recipient_page_asks_for_latin_letters_not_pinyin() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let (_, path, _) = crate::recipient_link::order_with_link(&seller).await;
    let recipient = app.browser();
    recipient.english().await;
    let page = recipient.get_text(&path).await;
    assert!(page.contains("<html lang=\"en\""));
    assert!(page.contains("Latin letters"));
    assert!(!page.to_lowercase().contains("pinyin"), "{page}");
    let response = recipient
        .post_form(
            &path,
            &[
                ("name", "Amy"),
                ("line1", "東京都 1-1"),
                ("city", "London"),
                ("postcode", "SW1A 2AA"),
                ("country", "GB"),
                ("phone", "020 7946 0958"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("body");
    assert!(page.contains("id=\"line1-error\">Latin letters only"));
    assert!(!page.to_lowercase().contains("pinyin"), "{page}");
}

#[tokio::test]
async fn the_favicon_is_linked_and_served_at_the_address_browsers_ask_for() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    assert!(
        browser
            .get_text("/")
            .await
            .contains("<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">")
    );
    let response = browser.get("/favicon.ico").await;
    assert_eq!(response.status(), 301);
    assert_eq!(location(&response), "/static/favicon.svg");
    let icon = browser.get("/static/favicon.svg").await;
    assert_eq!(icon.status(), 200);
    assert_eq!(icon.headers()[CONTENT_TYPE], "image/svg+xml");
    assert!(icon.text().await.expect("body").starts_with("<svg"));
}
