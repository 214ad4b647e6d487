//! Accessibility rules the stylesheet must keep (issue #15): the focus
//! ring has 3:1 contrast (WCAG 2.2, 1.4.11) on every background it is drawn
//! on, and every focusable kind of element shows it.

use crate::common::TestApp;
use crate::every_page::heading_skips;
use crate::wording::both_languages;

/// The value of the custom property `--name: #rrggbb` (or `#rgb`) in the stylesheet.
fn colour(css: &str, name: &str) -> [f64; 3] {
    let prefix = format!("--{name}: #");
    let start = css.find(&prefix).expect("the colour is set") + prefix.len();
    let digits: String = css[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    // `#fff` is short for `#ffffff`.
    let hex = match digits.len() {
        3 => digits.chars().flat_map(|c| [c, c]).collect(),
        6 => digits,
        _ => panic!("--{name} is not #rgb or #rrggbb: {digits:?}"),
    };
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex") as f64 / 255.0;
    [channel(0), channel(2), channel(4)]
}

/// WCAG's relative luminance and contrast ratio.
fn contrast(a: [f64; 3], b: [f64; 3]) -> f64 {
    let luminance = |c: [f64; 3]| {
        let linear = |v: f64| {
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(c[0]) + 0.7152 * linear(c[1]) + 0.0722 * linear(c[2])
    };
    let (x, y) = (luminance(a) + 0.05, luminance(b) + 0.05);
    x.max(y) / x.min(y)
}

#[actix_web::test]
async fn the_focus_ring_has_three_to_one_contrast_and_covers_menus() {
    let app = TestApp::spawn().await;
    let page = app.browser().get_text("/login").await;
    let href = page
        .split("href=\"")
        .find_map(|rest| rest.split('"').next().filter(|h| h.contains("app.css")))
        .expect("the page links the stylesheet")
        .to_owned();
    let css = app.browser().get_text(&href).await;
    let focus = colour(&css, "focus");
    for background in ["bg", "card"] {
        let ratio = contrast(focus, colour(&css, background));
        assert!(ratio >= 3.0, "focus ring on --{background}: {ratio:.2}:1");
    }
    let rule = css
        .split('}')
        .find(|rule| rule.contains("outline: 3px solid var(--focus)"))
        .expect("the focus rule");
    for selector in [
        "a:focus-visible",
        "button:focus-visible",
        "summary:focus-visible",
        "[tabindex]:focus-visible",
    ] {
        assert!(rule.contains(selector), "{selector} shows the ring");
    }
}

/// The `autocomplete` token of the input named `name` on a page, if any.
fn autocomplete_of(page: &str, name: &str) -> Option<String> {
    let tag = regex::Regex::new(&format!(r#"<input id="{name}" name="{name}"[^>]*>"#))
        .expect("regex")
        .find(page)?
        .as_str()
        .to_owned();
    let token = tag.split("autocomplete=\"").nth(1)?;
    Some(token.split('"').next()?.to_owned())
}

#[tokio::test]
async fn the_users_own_details_say_what_to_fill_in() {
    // WCAG 1.3.5: the browser (or a password manager) can fill the user's
    // own details; a recipient's address is somebody else's and has none.
    let app = TestApp::spawn().await;
    let visitor = app.browser();
    let register = visitor.get_text("/register").await;
    for (name, token) in [
        ("company_name", "organization"),
        ("display_name", "name"),
        ("email", "email"),
        ("password", "new-password"),
        ("password_confirm", "new-password"),
    ] {
        assert_eq!(
            autocomplete_of(&register, name).as_deref(),
            Some(token),
            "/register {name}"
        );
    }
    let (seller, _) = app.seller("Autofill").await;
    let password = seller.get_text("/account/password").await;
    assert_eq!(
        autocomplete_of(&password, "current_password").as_deref(),
        Some("current-password")
    );
    assert_eq!(
        autocomplete_of(&password, "new_password").as_deref(),
        Some("new-password")
    );
    let address = seller.get_text("/app/addresses/new").await;
    assert_eq!(
        autocomplete_of(&address, "name"),
        None,
        "a recipient's name"
    );
}

#[tokio::test]
async fn the_navigation_marks_the_page_it_is_on() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Wayfinding").await;
    let page = seller.get_text("/app/orders").await;
    assert!(
        page.contains(r#"<a href="/app/orders" aria-current="page">"#),
        "the orders link is the current page"
    );
    assert_eq!(page.matches("aria-current").count(), 1, "only that one");
    let dashboard = seller.get_text("/app").await;
    assert!(dashboard.contains(r#"<a href="/app" aria-current="page">"#));
    assert!(!dashboard.contains(r#"<a href="/app/orders" aria-current"#));
}

#[tokio::test]
async fn the_service_agreement_is_a_focusable_named_region_without_a_second_title() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.verified_owner("Agreement").await;
    let (zh, en) = both_languages(&owner, "/app/module").await;
    for page in [&zh, &en] {
        assert_eq!(page.matches("<h1").count(), 1, "one page title");
        assert!(page.contains(r#"<section class="agreement" tabindex="0" aria-label=""#));
        assert_eq!(heading_skips(page), Vec::<String>::new());
    }
    // The agreement is bilingual: each page marks the other language's runs.
    assert!(en.contains(
        r#"<h2><span lang="zh-CN">样品物流服务协议</span> / Sample Logistics Service Agreement</h2>"#
    ));
    assert!(zh.contains(
        r#"<h2>样品物流服务协议 / <span lang="en">Sample Logistics Service Agreement</span></h2>"#
    ));
}

#[tokio::test]
async fn bilingual_print_pages_mark_the_other_language_and_sit_in_landmarks() {
    let app = TestApp::spawn().await;
    let (seller, email) = app.seller("Invoice").await;
    app.credit(app.company_of(&email), 300_000);
    let paid = crate::paid::pay_new(&seller, &[]).await;
    let (zh, en) = both_languages(&seller, &format!("/app/orders/{paid}/pi")).await;
    for page in [&zh, &en] {
        // Everything outside <main> is in a landmark: the actions in a <nav>.
        assert!(page.contains(r#"<nav class="no-print" aria-label=""#));
    }
    assert!(en.contains(r#"PROFORMA INVOICE <span lang="zh-CN">形式发票</span>"#));
    assert!(zh.contains(r#"<span lang="en">PROFORMA INVOICE</span> 形式发票"#));
    let (_, en) = both_languages(&seller, &format!("/app/orders/{paid}/label")).await;
    assert!(en.contains(r#"TO <span lang="zh-CN">收件人</span>"#));
}

#[tokio::test]
async fn catalogue_names_carry_their_language() {
    let app = TestApp::spawn().await;
    let admin = app.staff(samplepost::domain::status::Role::Admin).await;
    let (zh, en) = both_languages(&admin, "/admin/routes").await;
    for page in [&zh, &en] {
        assert!(
            page.contains(r#"<strong lang="zh-CN">"#),
            "the Chinese name"
        );
        assert!(page.contains(r#"<span lang="en">"#), "the English name");
    }
    let (zh, _) = both_languages(&admin, "/admin/countries").await;
    assert!(
        zh.contains(r#"<td lang="en">"#),
        "prohibited goods are listed in English"
    );
}

#[tokio::test]
async fn repeated_controls_say_whom_or_what_they_are_for() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.seller("Names").await;
    let link = crate::team::invite(&owner, "wang.fang@example.cn", "seller").await;
    crate::team::join(&app, &link).await;
    let team = owner.get_text("/app/team").await;
    // Each member's role select is named with the member.
    assert!(team.contains(r#"<select name="role" aria-label="角色 · Wang Fang">"#));
    // The header's menu under the user's name says what it holds.
    let page = owner.get_text("/app").await;
    assert!(
        page.contains(
            r#"<span class="visually-hidden"> · 我的账户：密码与登录会话</span></summary>"#
        )
    );
    // The e-mail settings' checkboxes are one group with a name.
    let notifications = owner.get_text("/app/notifications").await;
    assert!(notifications.contains("<legend>同时发送邮件的通知</legend>"));
}

/// The language of an error page and its first message.
fn first_of_error_page(page: &str) -> (String, String) {
    let lang = regex::Regex::new(r#"<html lang="([^"]+)">"#).expect("regex");
    let first = regex::Regex::new(r"<h1>\d+</h1>\s*<p>([^<]+)</p>").expect("regex");
    (
        lang.captures(page)
            .map(|c| c[1].to_owned())
            .unwrap_or_default(),
        first
            .captures(page)
            .map(|c| c[1].to_owned())
            .unwrap_or_default(),
    )
}

#[tokio::test]
async fn error_pages_speak_the_readers_language_first() {
    let app = TestApp::spawn().await;
    let visitor = app.browser();
    let url = format!("{}/no-such-page", visitor.base);
    // A browser asking for English (a recipient abroad, say).
    let english = visitor
        .client
        .get(&url)
        .header("Accept-Language", "en-GB,en;q=0.9")
        .send()
        .await
        .expect("request");
    assert_eq!(english.status(), 404);
    let page = english.text().await.expect("page");
    assert_eq!(
        first_of_error_page(&page),
        ("en".to_owned(), "This page does not exist.".to_owned())
    );
    assert!(
        page.contains(r#"<p lang="zh-CN">页面不存在。</p>"#),
        "Chinese after it"
    );
    // No sign of a language: Chinese first, as every page.
    let page = visitor.get_text("/no-such-page").await;
    assert_eq!(
        first_of_error_page(&page),
        ("zh-CN".to_owned(), "页面不存在。".to_owned())
    );
    // A seller who switched to English, refused a staff page; and a refusal
    // made before any handler (control characters in a form).
    let (seller, _) = app.seller("Reader").await;
    seller.get("/lang/en").await;
    let refused = seller.get("/admin").await;
    assert_eq!(refused.status(), 403);
    let page = refused.text().await.expect("page");
    assert_eq!(first_of_error_page(&page).1, "You may not open this page.");
    let hostile = seller
        .post_form("/app/addresses", &[("name", "Jane\0Doe")])
        .await;
    assert_eq!(hostile.status(), 400);
    let page = hostile.text().await.expect("page");
    assert_eq!(first_of_error_page(&page).0, "en", "{page}");
}
