//! Hostile input at the edge (issue #8): control characters, open
//! redirects, oversized and stalled bodies, and the framework's own
//! refusals, each answered with the app's bilingual page and never a 500.

use crate::common::{Browser, PASSWORD, TestApp, location, png, verification_form};
use crate::orders::{order, order_no, post_order};
use crate::team::{invite, join};
use samplepost::config::BodyTimeouts;
use samplepost::domain::status::Role;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Asserts the app's bilingual error page with `status`; returns it.
async fn app_page(response: reqwest::Response, status: u16) -> String {
    assert_eq!(response.status(), status, "{}", response.url());
    let html = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let page = response.text().await.expect("body");
    assert!(html, "an HTML page: {page}");
    assert!(
        page.contains("返回首页") && page.contains("Back to the home page"),
        "the app's own page in both languages: {page}"
    );
    page
}

/// Asserts a 400 page naming `field` as holding control characters.
async fn names_control_characters(response: reqwest::Response, field: &str) {
    let page = app_page(response, 400).await;
    assert!(
        page.contains(&format!("「{field}」包含不可见的控制字符"))
            && page.contains(&format!("“{field}” contains invisible control characters")),
        "names {field}: {page}"
    );
}

async fn still_answers(browser: &Browser) {
    assert_eq!(browser.get("/healthz").await.status(), 200, "server alive");
}

#[tokio::test]
async fn nul_in_sign_in_and_registration_fields_is_refused_naming_the_field() {
    let app = TestApp::spawn().await;
    let visitor = app.browser();
    let response = visitor
        .post_form("/login", &[("email", "a\0@example.cn"), ("password", "x")])
        .await;
    names_control_characters(response, "email").await;
    let users = app.count("users");
    for field in ["company_name", "display_name", "email", "password"] {
        let mut fields = vec![
            ("company_name", "Acme"),
            ("display_name", "Li Lei"),
            ("email", "new@example.cn"),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ];
        if let Some(entry) = fields.iter_mut().find(|(k, _)| *k == field) {
            entry.1 = "Ac\0me";
        }
        names_control_characters(visitor.post_form("/register", &fields).await, field).await;
    }
    assert_eq!(app.count("users"), users, "nobody registered");
    still_answers(&visitor).await;
}

#[tokio::test]
async fn nul_in_an_order_draft_is_refused_and_nothing_is_saved() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    for (field, value) in [
        ("name", "Jane\0Smith"),
        ("item0_description_en", "Cotton\0T-shirt"),
        ("reference", "\u{1b}[31m"),
        ("city", "London\u{85}"),
    ] {
        let response = post_order(&seller, &[(field, value), ("action", "save")]).await;
        names_control_characters(response, field).await;
    }
    assert_eq!(app.count("orders"), 0);
    let typed = post_order(&seller, &[("name", "Jane\tSmith"), ("action", "save")]).await;
    assert_eq!(
        typed.status(),
        303,
        "a tab is text, not a control character"
    );
    still_answers(&seller).await;
}

#[tokio::test]
async fn nul_in_a_reject_comment_is_refused_and_the_order_stays_pending() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.seller("Acme").await;
    let policy = owner
        .post_form("/app/settings/approval", &[("always", "yes")])
        .await;
    assert_eq!(policy.status(), 303);
    let seller = join(&app, &invite(&owner, "seller@example.cn", "seller").await).await;
    let no = order_no(&post_order(&seller, &[]).await);
    let path = format!("/app/approvals/{no}");
    let response = owner
        .post_form(&path, &[("decision", "reject"), ("comment", "No\0way")])
        .await;
    names_control_characters(response, "comment").await;
    let page = owner.get_text(&format!("/app/orders/{no}")).await;
    assert!(page.contains("data-status=\"pending_approval\""));
}

#[tokio::test]
async fn nul_in_list_searches_and_path_segments_is_refused() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    names_control_characters(seller.get("/app/orders?q=%00").await, "q").await;
    names_control_characters(seller.get("/app/orders?country=GB%00").await, "country").await;
    let page = app_page(seller.get("/app/orders/%00").await, 400).await;
    assert!(page.contains("网址中包含不可见的控制字符") && page.contains("The address contains"));
    app_page(seller.get("/app/orders/SP%00/edit").await, 400).await;
    let admin = app.staff(Role::Admin).await;
    names_control_characters(admin.get("/admin/audit?actor=%00").await, "actor").await;
    names_control_characters(admin.get("/admin/audit?action=a%7Fb").await, "action").await;
    assert_eq!(seller.get("/app/orders?q=Jane").await.status(), 200);
    still_answers(&seller).await;
}

#[tokio::test]
async fn control_characters_and_other_sites_as_the_sign_in_target_go_to_the_dashboard() {
    let app = TestApp::spawn().await;
    let (_, email) = app.owner("Acme").await;
    let browser = app.browser();
    for next in [
        "/app\r\nSet-Cookie: evil=1",
        "/app\0",
        "\r\n/app",
        "/%09/evil.example",
        "/\t/evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example",
        "%2F%2Fevil.example",
    ] {
        let response = browser
            .post_form(
                "/login",
                &[
                    ("email", email.as_str()),
                    ("password", PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(response.status(), 303, "{next:?}");
        assert_eq!(location(&response), "/app", "{next:?}");
        assert!(
            response
                .headers()
                .get("set-cookie")
                .is_none_or(|c| { !c.to_str().unwrap_or_default().contains("evil") })
        );
    }
    let response = browser
        .post_form(
            "/login",
            &[
                ("email", email.as_str()),
                ("password", PASSWORD),
                ("next", "/app/orders?x=1"),
            ],
        )
        .await;
    assert_eq!(
        location(&response),
        "/app/orders?x=1",
        "a path here is kept"
    );
    let visitor = app.browser();
    let form = visitor.get("/login?next=%0d%0a%00").await;
    assert_eq!(form.status(), 200, "the sign-in page still opens");
    let form = visitor.get_text("/login?next=/%09/evil.example").await;
    assert!(!form.contains("evil.example"), "not carried into the form");
}

/// Sends `head` and `body` on a raw socket, then reads the answer until the
/// page ends, the server closes the connection or `within` passes; returns
/// it with the time its first byte took.
async fn raw(app: &TestApp, head: &str, body: &[u8], within: Duration) -> (String, Duration) {
    let address = app.address.trim_start_matches("http://");
    let mut socket = TcpStream::connect(address).await.expect("connect");
    let started = Instant::now();
    socket.write_all(head.as_bytes()).await.expect("head");
    socket.write_all(body).await.expect("body");
    let mut answer = Vec::new();
    let mut first_byte = None;
    let reading = async {
        let mut buffer = [0u8; 8192];
        while let Ok(n @ 1..) = socket.read(&mut buffer).await {
            first_byte.get_or_insert_with(|| started.elapsed());
            answer.extend_from_slice(&buffer[..n]);
            if answer.trim_ascii_end().ends_with(b"</html>") {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(within, reading).await;
    let took = first_byte.unwrap_or_else(|| started.elapsed());
    (String::from_utf8_lossy(&answer).into_owned(), took)
}

fn form_head(length: usize) -> String {
    format!(
        "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {length}\r\n\r\n"
    )
}

#[tokio::test]
async fn an_anonymous_post_declaring_30_mb_is_refused_before_its_body_is_sent() {
    let app = TestApp::spawn().await;
    let (answer, took) = raw(
        &app,
        &form_head(30 * 1024 * 1024),
        b"",
        Duration::from_secs(10),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("256 KB") && answer.contains("Back to the home page"));
    assert!(took < Duration::from_secs(2), "answered at once: {took:?}");
}

#[tokio::test]
async fn large_bodies_are_refused_unless_a_signed_in_user_uploads() {
    let app = TestApp::spawn().await;
    let megabyte = "a".repeat(1024 * 1024);
    let visitor = app.browser();
    let response = visitor.post_form("/login", &[("email", &megabyte)]).await;
    app_page(response, 413).await;
    let token = visitor.csrf().await;
    let upload = verification_form(&token, Some((megabyte.clone().into_bytes(), "l.png")), &[]);
    app_page(visitor.post_multipart("/app/company", upload).await, 413).await;

    let (owner, _) = app.owner("Acme").await;
    let response = owner
        .post_form("/app/addresses", &[("name", &megabyte)])
        .await;
    app_page(response, 413).await;
    let mut licence = png();
    licence.resize(1024 * 1024, 0);
    let token = owner.csrf().await;
    let upload = verification_form(&token, Some((licence, "licence.png")), &[]);
    let response = owner.post_multipart("/app/company", upload).await;
    assert_eq!(response.status(), 303, "a signed-in owner uploads 1 MB");
}

#[tokio::test]
async fn a_stalled_or_trickling_body_is_timed_out_with_408() {
    let app = TestApp::spawn_with(|settings| {
        settings.body_timeouts = BodyTimeouts {
            idle: Duration::from_secs(1),
            total: Duration::from_secs(2),
        };
    })
    .await;
    let (answer, took) = raw(&app, &form_head(100), b"email=a", Duration::from_secs(8)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("Back to the home page"));
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(4),
        "{took:?}"
    );

    // A byte every 300 ms never waits a second, but passes the 2 s in all.
    let address = app.address.trim_start_matches("http://").to_owned();
    let socket = TcpStream::connect(address).await.expect("connect");
    let (mut reader, mut writer) = socket.into_split();
    let started = Instant::now();
    writer
        .write_all(form_head(100).as_bytes())
        .await
        .expect("head");
    tokio::spawn(async move {
        for _ in 0..30 {
            tokio::time::sleep(Duration::from_millis(300)).await;
            if writer.write_all(b"a").await.is_err() {
                break;
            }
        }
    });
    let mut answer = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(8), reader.read(&mut answer))
        .await
        .expect("answered in time")
        .expect("read");
    let answer = String::from_utf8_lossy(&answer[..n]);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(1900) && took < Duration::from_secs(4),
        "{took:?}"
    );
}

#[tokio::test]
async fn the_largest_order_draft_saves_and_comes_back_intact() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let mut fields: Vec<(String, String)> = Vec::new();
    for row in 0..20 {
        let item = |name: &str| format!("item{row}_{name}");
        fields.push((
            item("description_en"),
            format!("R{row:02}{}", "x".repeat(197)),
        ));
        fields.push((
            item("description_zh"),
            format!("{row:02}{}", "棉".repeat(198)),
        ));
        fields.push((item("quantity"), "1".to_owned()));
        fields.push((item("unit_value_usd"), "2.00".to_owned()));
        fields.push((item("hs_code"), "6109.10".to_owned()));
        fields.push((item("origin"), "CN".to_owned()));
    }
    fields.push(("item_count".to_owned(), "20".to_owned()));
    fields.push(("action".to_owned(), "save".to_owned()));
    let overrides: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let body = order(&overrides);
    let size = serde_urlencoded::to_string(&body).expect("encoded").len();
    assert!(size > 16 * 1024, "over the old 16 KB limit: {size}");
    let response = seller.post_form("/app/orders", &body).await;
    assert_eq!(response.status(), 303, "the maximal draft saves");
    let edit = seller
        .get_text(&format!("/app/orders/{}/edit", order_no(&response)))
        .await;
    for (name, value) in &fields {
        if name.contains("description") {
            assert!(edit.contains(&format!("value=\"{value}\"")), "{name} kept");
        }
    }
}

#[tokio::test]
async fn an_unreadable_form_is_a_bad_request_not_a_csrf_failure() {
    let app = TestApp::spawn().await;
    let visitor = app.browser();
    let token = visitor.csrf().await;
    for body in ["a=%ZZ".to_owned(), format!("csrf_token={token}&email=%FF")] {
        let response = visitor
            .client
            .post(visitor.url("/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("POST");
        let page = app_page(response, 400).await;
        assert!(page.contains("请求内容无法读取") && !page.contains("表单已过期"));
    }
    let response = visitor
        .client
        .post(visitor.url("/app/company"))
        .header("content-type", "multipart/form-data; boundary=XyZ")
        .body("--XyZ\r\nbroken")
        .send()
        .await
        .expect("POST");
    app_page(response, 400).await;
}

#[tokio::test]
async fn the_frameworks_own_refusals_are_the_apps_pages() {
    let app = TestApp::spawn().await;
    let visitor = app.browser();
    let token = visitor.csrf().await;
    let response = visitor
        .client
        .post(visitor.url("/login"))
        .header("content-type", "text/plain")
        .body(format!("csrf_token={token}&email=a"))
        .send()
        .await
        .expect("POST");
    let page = app_page(response, 415).await;
    assert!(page.contains("only accepts what a web form sends"));

    let (owner, _) = app.seller("Acme").await;
    // A form without its required field: the extractor's 400.
    let response = owner
        .post_form("/app/approvals/SP1", &[("comment", "x")])
        .await;
    app_page(response, 400).await;
    // A form or a query that does not fit its struct (a field twice).
    let response = owner
        .post_form(
            "/app/approvals/SP1",
            &[("decision", "a"), ("decision", "b")],
        )
        .await;
    app_page(response, 400).await;
    let page = app_page(visitor.get("/login?next=/a&next=/b").await, 400).await;
    assert!(page.contains("The parameters in the address could not be read"));
    let admin = app.staff(Role::Admin).await;
    // A path that is not a number where one is expected.
    app_page(admin.get("/admin/verifications/abc").await, 404).await;
}
