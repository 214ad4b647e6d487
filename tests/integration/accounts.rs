use crate::common::{PASSWORD, TestApp, location, refused_beside};

#[tokio::test]
async fn health_check_names_the_database_backend() {
    let app = TestApp::spawn().await;
    let response = app.browser().get("/healthz").await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["status"], "ok");
    let expected = if std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        "postgres"
    } else {
        "sqlite"
    };
    assert_eq!(body["database"], expected);
}

#[tokio::test]
async fn registering_creates_the_owner_and_lands_on_the_dashboard() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("深圳样品科技").await;
    let dashboard = owner.get_text("/app").await;
    assert!(dashboard.contains("深圳样品科技"));
    assert!(dashboard.contains("data-company-status=\"unverified\""));
    assert!(
        dashboard.contains("href=\"/app/company\""),
        "next step links to verification"
    );
}

#[tokio::test]
async fn registering_twice_with_the_same_email_in_other_case_is_refused() {
    let app = TestApp::spawn().await;
    let (_, email) = app.owner("First Co").await;
    let response = app
        .browser()
        .register(&email.to_uppercase(), "Second Co")
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("body");
    assert!(page.contains("该邮箱已注册"));
    assert!(page.contains("Second Co"), "typed values are kept");
    assert_eq!(app.count("companies"), 1);
}

#[tokio::test]
async fn a_short_or_common_password_is_refused_beside_the_field() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    for (password, message) in [("short", "至少需要 10 个字符"), ("1234567890", "常见密码")]
    {
        let response = browser
            .post_form(
                "/register",
                &[
                    ("company_name", "Acme"),
                    ("display_name", "Li"),
                    ("email", "li@example.cn"),
                    ("password", password),
                    ("password_confirm", password),
                ],
            )
            .await;
        let page = refused_beside(response, &["password"]).await;
        assert!(page.contains(message), "{password}: {message}");
    }
    assert_eq!(app.count("users"), 0);
}

#[tokio::test]
async fn signing_in_sends_the_user_to_the_page_they_asked_for() {
    let app = TestApp::spawn().await;
    let (owner, email) = app.owner("Acme").await;
    owner.post_form("/logout", &[]).await;
    let response = owner.get("/app/company").await;
    assert_eq!(location(&response), "/login?next=%2Fapp%2Fcompany");
    let response = owner
        .post_form(
            "/login",
            &[
                ("email", &email),
                ("password", PASSWORD),
                ("next", "/app/company"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/app/company");
}

#[tokio::test]
async fn a_next_parameter_pointing_elsewhere_is_ignored() {
    let app = TestApp::spawn().await;
    let (owner, email) = app.owner("Acme").await;
    owner.post_form("/logout", &[]).await;
    let response = owner
        .post_form(
            "/login",
            &[
                ("email", &email),
                ("password", PASSWORD),
                ("next", "//evil.example/x"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/app");
}

#[tokio::test]
async fn six_wrong_passwords_lock_the_account_even_for_the_right_one() {
    let app = TestApp::spawn().await;
    let (_, email) = app.owner("Acme").await;
    let attacker = app.browser();
    for _ in 0..5 {
        let response = attacker.sign_in(&email, "wrong-password-1").await;
        assert_eq!(response.status(), 422);
    }
    let response = attacker.sign_in(&email, PASSWORD).await;
    assert_eq!(response.status(), 429);
    let page = response.text().await.expect("body");
    assert!(page.contains("登录失败次数过多"), "says why");
    assert!(page.contains("15 分钟"), "says how long");
    // The lock is per account and address, kept in the database: a fresh browser
    // on the same address is refused too (another address is not: see sessions.rs).
    let response = app.browser().sign_in(&email, PASSWORD).await;
    assert_eq!(response.status(), 429);
    let audit = app.count("audit_log");
    assert!(audit >= 8, "every attempt is audited, found {audit}");
}

#[tokio::test]
async fn changing_the_password_keeps_this_session_and_ends_the_others() {
    let app = TestApp::spawn().await;
    let (owner, email) = app.owner("Acme").await;
    let laptop = app.browser();
    assert_eq!(laptop.sign_in(&email, PASSWORD).await.status(), 303);
    let response = owner
        .post_form(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "Another-Long-Pass-7"),
                ("new_password_confirm", "Another-Long-Pass-7"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(owner.get("/app").await.status(), 200, "this session stays");
    let response = laptop.get("/app").await;
    assert_eq!(response.status(), 303, "the other session is void");
    assert!(location(&response).starts_with("/login"));
    assert_eq!(
        app.browser()
            .sign_in(&email, "Another-Long-Pass-7")
            .await
            .status(),
        303
    );
}

#[tokio::test]
async fn the_first_admin_must_replace_the_one_time_password() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let email = samplepost::domain::email::Email::parse("root@samplepost.test").expect("email");
    let password = samplepost::services::accounts::ensure_admin(&mut conn, &email)
        .expect("admin")
        .expect("created");
    drop(conn);
    let admin = app.browser();
    assert_eq!(
        admin
            .sign_in("root@samplepost.test", &password)
            .await
            .status(),
        303
    );
    let response = admin.get("/admin").await;
    assert_eq!(location(&response), "/account/password");
    let response = admin
        .post_form(
            "/account/password",
            &[
                ("current_password", &password),
                ("new_password", "Admin-Chosen-Pass-9"),
                ("new_password_confirm", "Admin-Chosen-Pass-9"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/admin");
    assert_eq!(admin.get("/admin").await.status(), 200);
}

#[tokio::test]
async fn the_language_switch_is_remembered() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    assert!(browser.get_text("/login").await.contains("登录"));
    let response = browser.get("/lang/en").await;
    assert_eq!(response.status(), 303);
    let page = browser.get_text("/login").await;
    assert!(page.contains("Sign in"));
    assert!(page.contains("lang=\"en\""));
    assert_eq!(browser.get("/lang/fr").await.status(), 404);
}

#[tokio::test]
async fn health_check_answers_503_when_the_database_is_gone() {
    let app = TestApp::spawn().await;
    if !app.drop_database() {
        return; // an open SQLite file cannot be taken away; PostgreSQL runs this test
    }
    let response = app.browser().get("/healthz").await;
    assert_eq!(response.status(), 503);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["status"], "unavailable");
}

/// A message key on a page means a string is missing from the catalogue (a
/// missing key shows itself) or a template prints a key without translating it.
#[tokio::test]
async fn no_page_shows_a_raw_message_key_in_either_language() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    let admin = app.staff(samplepost::domain::status::Role::Admin).await;
    let tables: std::collections::BTreeSet<&str> = samplepost::i18n::keys()
        .filter_map(|key| key.split('.').next())
        .collect();
    for language in ["zh-CN", "en"] {
        owner.get(&format!("/lang/{language}")).await;
        admin.get(&format!("/lang/{language}")).await;
        let pages = [
            (&owner, "/app"),
            (&owner, "/app/company"),
            (&owner, "/app/module"),
            (&owner, "/app/addresses"),
            (&owner, "/app/addresses/new"),
            (&owner, "/app/notifications"),
            (&owner, "/account/password"),
            (
                &owner,
                "/rates?to=US&weight_kg=0.5&battery=on&ddp=on&promo=X",
            ),
            (&admin, "/admin"),
            (&admin, "/admin/verifications"),
            (&admin, "/admin/modules"),
            (&admin, "/admin/routes"),
            (&admin, "/admin/routes/EU-ECO"),
            (&admin, "/admin/rates"),
            (&admin, "/admin/pricing"),
            (&admin, "/admin/countries?q=AU"),
            (&admin, "/admin/staff"),
        ];
        for (browser, path) in pages {
            let response = browser.get(path).await;
            assert_eq!(response.status(), 200, "{language} {path}");
            let page = response.text().await.expect("body");
            let shown = raw_keys(&page, &tables);
            assert!(
                shown.is_empty(),
                "{language} {path} shows raw keys {shown:?}"
            );
        }
    }
}

/// Words of the page's text (not its tags) that look like `table.name` for a
/// table of the catalogue.
fn raw_keys<'a>(page: &'a str, tables: &std::collections::BTreeSet<&str>) -> Vec<&'a str> {
    page.split('<')
        .filter_map(|chunk| chunk.split_once('>').map(|(_, text)| text))
        .flat_map(|text| {
            text.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
        })
        .map(|word| word.trim_matches('.'))
        .filter(|word| {
            let mut parts = word.split('.');
            let first = parts.next().unwrap_or_default();
            tables.contains(first) && parts.clone().count() >= 1 && parts.all(|p| !p.is_empty())
        })
        .collect()
}

/// A browser whose every request says it came through a proxy for `client`.
fn browser_behind_proxy(app: &TestApp, client: &str) -> crate::common::Browser {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "x-forwarded-for",
        reqwest::header::HeaderValue::from_str(client).expect("header"),
    );
    crate::common::Browser {
        base: app.address.clone(),
        client: reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            .build()
            .expect("client"),
    }
}

#[tokio::test]
async fn behind_a_trusted_proxy_throttling_and_the_audit_log_see_the_forwarded_client() {
    let app = TestApp::spawn_with(|settings| {
        settings.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")];
    })
    .await;
    let (_, email) = app.owner("Acme").await;
    let attacker = browser_behind_proxy(&app, "198.51.100.7");
    for _ in 0..5 {
        assert_eq!(
            attacker.sign_in(&email, "wrong-password-1").await.status(),
            422
        );
    }
    assert_eq!(attacker.sign_in(&email, PASSWORD).await.status(), 429);
    // The same balancer forwards the real owner from elsewhere: not locked.
    let owner = browser_behind_proxy(&app, "198.51.100.8");
    assert_eq!(owner.sign_in(&email, PASSWORD).await.status(), 303);
    let mut conn = app.conn();
    let from_attacker: i64 = {
        use diesel::prelude::*;
        use samplepost::db::schema::audit_log;
        audit_log::table
            .filter(audit_log::ip.eq("198.51.100.7"))
            .count()
            .get_result(&mut *conn)
            .expect("count")
    };
    assert!(from_attacker >= 5, "audited as the forwarded client");
}

#[tokio::test]
async fn without_trusted_proxies_a_forged_forwarded_for_changes_nothing() {
    let app = TestApp::spawn().await;
    let (_, email) = app.owner("Acme").await;
    for n in 0..5 {
        let forged = browser_behind_proxy(&app, &format!("198.51.100.{n}"));
        assert_eq!(
            forged.sign_in(&email, "wrong-password-1").await.status(),
            422
        );
    }
    let forged = browser_behind_proxy(&app, "198.51.100.99");
    assert_eq!(
        forged.sign_in(&email, PASSWORD).await.status(),
        429,
        "the socket's address is what counts"
    );
}
