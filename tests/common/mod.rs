//! The test harness: starts the real server on a random port against a fresh
//! database (SQLite in a temp folder, or a new PostgreSQL database when
//! `TEST_DATABASE_URL` is set) and talks HTTP to it like a browser.
#![allow(dead_code)] // each test binary uses a different part of the harness

pub mod a11y;
pub mod board;
pub mod smtp;

use diesel::prelude::*;
use samplepost::app;
use samplepost::config::{
    ApiRate, BodyTimeouts, Secret, SessionLifetime, Settings, WebhookSettings,
};
use samplepost::db::{DbConnection, DbPool};
use samplepost::domain::email::Email;
use samplepost::domain::status::Role;
use samplepost::services::accounts;
use std::net::TcpListener;

pub const PASSWORD: &str = "Correct-Horse-42";
pub const USCC: &str = "91350100M000100Y43";
/// The bearer token of `/metrics` on test servers.
pub const METRICS_TOKEN: &str = "test-metrics-token-0123456789";
pub const RESIDENT_ID: &str = "11010519491231002X";

pub struct TestApp {
    pub address: String,
    /// What the server's `DATABASE_URL` was, to point the CLI at the same database.
    pub database_url: String,
    pub pool: DbPool,
    pub data_dir: tempfile::TempDir,
    postgres: Option<(String, String)>,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::start(None, false, |_| {}).await
    }

    /// A server whose settings `adjust` changes first (a short timeout, say).
    pub async fn spawn_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
        TestApp::start(None, false, adjust).await
    }

    /// A server with a fresh random session key, returned with it: a second
    /// instance (`crash::start`) given the key accepts the same cookies.
    pub async fn spawn_sharing_key(adjust: impl FnOnce(&mut Settings)) -> (TestApp, Vec<u8>) {
        let key: Vec<u8> = (0..64).map(|_| rand::random::<u8>()).collect();
        let shared = key.clone();
        let app = TestApp::spawn_with(move |settings| {
            settings.session_key = samplepost::config::Secret::new(shared);
            adjust(settings);
        })
        .await;
        (app, key)
    }

    /// A server whose companies may keep at most `megabytes` of uploads.
    pub async fn spawn_with_upload_quota(megabytes: u64) -> TestApp {
        TestApp::start(None, false, |settings| settings.upload_quota_mb = megabytes).await
    }

    /// A server whose mail worker looks every 100 ms, sending to `smtp_url`
    /// (see [`smtp::SmtpSink`]) or, without one, marking mails skipped.
    pub async fn spawn_with_smtp(smtp_url: Option<String>) -> TestApp {
        TestApp::start(smtp_url, true, |_| {}).await
    }

    async fn start(
        smtp_url: Option<String>,
        mail_sink: bool,
        adjust: impl FnOnce(&mut Settings),
    ) -> TestApp {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let (database_url, postgres) = match new_postgres_database() {
            Some((url, admin)) => (url, Some(admin)),
            None => (
                data_dir
                    .path()
                    .join("test.sqlite3")
                    .to_string_lossy()
                    .into_owned(),
                None,
            ),
        };
        let mut settings = Settings {
            database_url,
            bind: "127.0.0.1:0".to_owned(),
            data_dir: data_dir.path().to_path_buf(),
            session_key: Secret::new((0..64).map(|_| rand::random::<u8>()).collect()),
            cookie_secure: false,
            admin_email: "admin@samplepost.local".to_owned(),
            smtp_url: smtp_url.map(Secret::new),
            mail_from: "Samplepost <noreply@samplepost.test>".to_owned(),
            public_url: "http://samplepost.test".to_owned(),
            // Only the mail tests need the worker to look often; the others
            // would load the database for nothing.
            outbox_poll: std::time::Duration::from_millis(if mail_sink { 100 } else { 3_600_000 }),
            // Rounds are run by the watchdog tests themselves.
            watchdog_poll: std::time::Duration::from_secs(3600),
            invitations_per_day: 20,
            body_timeouts: BodyTimeouts::default(),
            upload_quota_mb: 500,
            session_lifetime: SessionLifetime::default(),
            // The webhook tests look often; the others need not load the database.
            webhooks: WebhookSettings {
                poll: std::time::Duration::from_secs(3600),
                ..WebhookSettings::default()
            },
            api_rate: ApiRate::default(),
            metrics_token: Some(Secret::new(METRICS_TOKEN.to_owned())),
            shutdown_timeout: std::time::Duration::from_secs(30),
            trusted_proxies: Vec::new(),
            s3: None,
        };
        adjust(&mut settings);
        let database_url = settings.database_url.clone();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind random port");
        let port = listener.local_addr().expect("local addr").port();
        let pool = app::prepare_database(&settings).expect("database ready");
        let server = app::serve(listener, pool.clone(), settings).expect("server starts");
        tokio::spawn(server);
        TestApp {
            address: format!("http://127.0.0.1:{port}"),
            database_url,
            pool,
            data_dir,
            postgres,
        }
    }

    /// A new browser: its own cookie jar, redirects not followed.
    pub fn browser(&self) -> Browser {
        Browser {
            base: self.address.clone(),
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
        }
    }

    pub fn conn(&self) -> samplepost::db::PooledConn {
        self.pool.get().expect("pooled connection")
    }

    /// Creates a staff account directly (no one-time password step) with the
    /// tests' password and returns its e-mail.
    pub fn staff_account(&self, role: Role) -> String {
        let email = format!("{}-{}@samplepost.test", role, hex(rand_bytes()));
        let parsed = Email::parse(&email).expect("email");
        let mut conn = self.conn();
        let (user, _) =
            accounts::create_staff_account(&mut conn, &parsed, "Staff", role).expect("staff");
        set_password(&mut conn, user.id, PASSWORD);
        email
    }

    /// A staff account of `role`, signed in in a new browser.
    pub async fn staff(&self, role: Role) -> Browser {
        let email = self.staff_account(role);
        let browser = self.browser();
        let response = browser.sign_in(&email, PASSWORD).await;
        assert_eq!(response.status(), 303, "staff sign-in");
        browser
    }

    /// Registers a new seller company and returns its signed-in owner and e-mail.
    pub async fn owner(&self, company: &str) -> (Browser, String) {
        let browser = self.browser();
        let email = format!("owner-{}@example.cn", hex(rand_bytes()));
        let response = browser.register(&email, company).await;
        assert_eq!(response.status(), 303, "registration redirects");
        (browser, email)
    }

    /// An owner whose company is verified (set directly) and may apply for
    /// the sample-logistics module.
    pub async fn verified_owner(&self, company: &str) -> (Browser, String) {
        use samplepost::db::schema::companies;
        let (browser, email) = self.owner(company).await;
        let mut conn = self.conn();
        let conn: &mut DbConnection = &mut conn;
        diesel::update(companies::table.find(self.company_of(&email)))
            .set(companies::status.eq("verified"))
            .execute(conn)
            .expect("verified");
        (browser, email)
    }

    /// An owner whose company is verified and has the sample-logistics module
    /// active (set directly: the review steps have their own tests).
    pub async fn seller(&self, company: &str) -> (Browser, String) {
        use samplepost::db::schema::{companies, users};
        let (browser, email) = self.owner(company).await;
        let mut conn = self.conn();
        let conn: &mut DbConnection = &mut conn;
        let company_id: i64 = users::table
            .filter(users::email.eq(&email))
            .select(users::company_id.assume_not_null())
            .first(conn)
            .expect("company of the owner");
        diesel::update(companies::table.find(company_id))
            .set((
                companies::status.eq("verified"),
                companies::module_status.eq("active"),
                companies::name_zh.eq(format!("{company}样品有限公司")),
                companies::name_en.eq(format!("{company} Samples Co., Ltd.")),
                companies::sender_name.eq("Li Lei"),
                companies::sender_phone.eq("+8613800138000"),
                companies::sender_province.eq("广东省"),
                companies::sender_city.eq("深圳市"),
                companies::sender_address.eq("南山区科技园 1 号"),
                companies::sender_postcode.eq("518000"),
                companies::sender_name_en.eq("Li Lei"),
                companies::sender_address_en
                    .eq("1 Science Park, Nanshan District, Shenzhen, Guangdong 518000"),
            ))
            .execute(conn)
            .expect("activate the company");
        (browser, email)
    }

    /// The company of a user, by e-mail.
    pub fn company_of(&self, email: &str) -> i64 {
        use samplepost::db::schema::users;
        let mut conn = self.conn();
        let conn: &mut DbConnection = &mut conn;
        users::table
            .filter(users::email.eq(email))
            .select(users::company_id.assume_not_null())
            .first(conn)
            .expect("company of the user")
    }

    /// Credits the company directly, as an admin's adjustment would (the
    /// top-up flow has its own tests).
    pub fn credit(&self, company: i64, fen: i64) {
        use samplepost::db::schema::ledger_entries;
        let mut conn = self.conn();
        let conn: &mut DbConnection = &mut conn;
        diesel::insert_into(ledger_entries::table)
            .values((
                ledger_entries::company_id.eq(company),
                ledger_entries::kind.eq("adjustment"),
                ledger_entries::amount_fen.eq(fen),
                ledger_entries::note.eq("test credit"),
                ledger_entries::created_at.eq(chrono::Utc::now().naive_utc()),
            ))
            .execute(conn)
            .expect("credit");
    }

    /// Counts rows of a table, to check that a refused request changed nothing.
    pub fn count(&self, table: &str) -> i64 {
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = self.conn();
        let conn: &mut DbConnection = &mut conn;
        diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
            .get_result::<Count>(conn)
            .expect("count")
            .n
    }
}

/// Sets a known password and clears the must-change flag.
pub fn set_password(conn: &mut DbConnection, user_id: i64, password: &str) {
    use samplepost::db::schema::users;
    diesel::update(users::table.find(user_id))
        .set((
            users::password_hash.eq(accounts::hash_password(password)),
            users::must_change_password.eq(false),
        ))
        .execute(conn)
        .expect("set password");
}

/// A new, empty PostgreSQL database when `TEST_DATABASE_URL` is set: its URL,
/// and the maintenance URL and name to drop it with.
fn new_postgres_database() -> Option<(String, (String, String))> {
    let given = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.is_empty())?;
    let (admin_base, query) = given.split_once('?').unwrap_or((&given, ""));
    // libpq's GSSAPI (Kerberos) libraries tear down at exit while the test
    // servers' threads still hold connections, which crashed the test binary
    // after every test had passed; the tests never use GSS encryption.
    // OpenSSL's exit handlers race the same way, so a server on this
    // machine is reached without TLS too (it brings nothing on loopback).
    let mut settings: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    if !query.contains("gssencmode") {
        settings.push("gssencmode=disable".to_owned());
    }
    let loopback = ["@127.0.0.1", "@localhost", "@[::1]"]
        .iter()
        .any(|host| admin_base.contains(host));
    if loopback && !query.contains("sslmode") {
        settings.push("sslmode=disable".to_owned());
    }
    let query = settings.join("&");
    let admin_url = format!("{admin_base}?{query}");
    let name = format!("sp_test_{}", hex(rand_bytes()));
    let mut admin =
        diesel::PgConnection::establish(&admin_url).expect("connect to TEST_DATABASE_URL");
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .expect("create test database");
    let base = admin_base
        .rsplit_once('/')
        .map(|(b, _)| b)
        .unwrap_or(admin_base);
    Some((format!("{base}/{name}?{query}"), (admin_url, name)))
}

fn drop_postgres_database(admin_url: &str, name: &str) -> bool {
    let Ok(mut admin) = diesel::PgConnection::establish(admin_url) else {
        return false;
    };
    diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .is_ok()
}

/// The database a command-line test runs the binary against: a fresh
/// PostgreSQL database with `TEST_DATABASE_URL`, else the SQLite file the
/// binary makes in its data directory.
pub struct CliDatabase {
    postgres: Option<(String, (String, String))>,
}

impl CliDatabase {
    pub fn new() -> CliDatabase {
        CliDatabase {
            postgres: new_postgres_database(),
        }
    }

    /// Points `command` at this database.
    pub fn apply(&self, command: &mut std::process::Command) {
        match &self.postgres {
            Some((url, _)) => command.env("DATABASE_URL", url),
            None => command.env_remove("DATABASE_URL"),
        };
    }
}

impl Drop for CliDatabase {
    fn drop(&mut self) {
        if let Some((_, (admin_url, name))) = &self.postgres {
            drop_postgres_database(admin_url, name);
        }
    }
}

impl TestApp {
    /// Drops the PostgreSQL test database under the running server; false on SQLite.
    pub fn drop_database(&self) -> bool {
        match &self.postgres {
            Some((admin_url, name)) => drop_postgres_database(admin_url, name),
            None => false,
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.drop_database();
    }
}

fn rand_bytes() -> [u8; 6] {
    rand::random()
}

fn hex(bytes: [u8; 6]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One browser session against the test server.
pub struct Browser {
    pub base: String,
    pub client: reqwest::Client,
}

impl Browser {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_text(&self, path: &str) -> String {
        self.get(path).await.text().await.expect("body")
    }

    /// The session's CSRF token, read from a page's form as a browser would see it.
    pub async fn csrf(&self) -> String {
        // Signed in, every page has the sign-out form; signed out, the sign-in page has its form.
        let page = self.get_text("/").await;
        match csrf_in(&page) {
            Some(token) => token,
            None => csrf_in(&self.get_text("/login").await).expect("page has a CSRF token"),
        }
    }

    /// Posts a URL-encoded form with the session's CSRF token.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.csrf().await;
        let mut body: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        body.extend_from_slice(fields);
        self.client
            .post(self.url(path))
            .form(&body)
            .send()
            .await
            .expect("POST")
    }

    /// Posts a multipart form (the token is added first, as the page's form has it).
    pub async fn post_multipart(
        &self,
        path: &str,
        form: reqwest::multipart::Form,
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .multipart(form)
            .send()
            .await
            .expect("POST multipart")
    }

    pub async fn register(&self, email: &str, company: &str) -> reqwest::Response {
        self.post_form(
            "/register",
            &[
                ("company_name", company),
                ("display_name", "Li Lei"),
                ("email", email),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_form("/login", &[("email", email), ("password", password)])
            .await
    }

    /// Switches this browser's pages to English.
    pub async fn english(&self) {
        self.get("/lang/en").await;
    }
}

/// Extracts the value of the hidden `csrf_token` input.
pub fn csrf_in(page: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = page.find(marker)? + marker.len();
    let end = page[start..].find('"')?;
    Some(page[start..start + end].to_owned())
}

/// The number right after the first `marker` on a page, e.g. the id in
/// `href="/admin/verifications/12"` for the marker `href="/admin/verifications/`.
pub fn first_id(page: &str, marker: &str) -> i64 {
    let start = page.find(marker).expect("marker on the page") + marker.len();
    page[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .expect("a number after the marker")
}

/// Asserts a form was refused with 422 and a message beside each of `fields`;
/// returns the page for further checks.
pub async fn refused_beside(response: reqwest::Response, fields: &[&str]) -> String {
    assert_eq!(response.status(), 422, "the form is refused");
    let page = response.text().await.expect("body");
    for field in fields {
        assert!(
            page.contains(&format!("id=\"{field}-error\"")),
            "no message beside {field}"
        );
    }
    page
}

/// The `Location` header of a redirect.
pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// A few bytes that are a PNG by content.
pub fn png() -> Vec<u8> {
    let mut bytes = vec![
        0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D', b'R',
    ];
    bytes.extend_from_slice(&[0u8; 64]);
    bytes
}

/// The verification form with valid data; `overrides` replace fields by name.
pub fn verification_form(
    csrf: &str,
    licence: Option<(Vec<u8>, &str)>,
    overrides: &[(&str, &str)],
) -> reqwest::multipart::Form {
    let mut fields: Vec<(String, String)> = [
        ("name_zh", "深圳市样品科技有限公司"),
        ("name_en", "Shenzhen Sample Technology Co., Ltd."),
        ("uscc", USCC),
        ("legal_rep_name", "王芳"),
        ("legal_rep_id", RESIDENT_ID),
        ("contact_phone", "13812345678"),
        ("sender_name", "张伟"),
        ("sender_phone", "0755-86013388"),
        ("sender_province", "广东省"),
        ("sender_city", "深圳市"),
        ("sender_address", "南山区科技园科苑路 15 号"),
        ("sender_postcode", "518000"),
        ("sender_name_en", "Zhang Wei"),
        (
            "sender_address_en",
            "15 Keyuan Road, Nanshan District, Shenzhen, Guangdong 518000",
        ),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (key, value) in overrides {
        if let Some(field) = fields.iter_mut().find(|(k, _)| k == key) {
            field.1 = value.to_string();
        }
    }
    let mut form = reqwest::multipart::Form::new().text("csrf_token", csrf.to_owned());
    for (key, value) in fields {
        form = form.text(key, value);
    }
    if let Some((bytes, name)) = licence {
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(name.to_owned())
            .mime_str("image/png")
            .expect("mime");
        form = form.part("licence", part);
    }
    form
}

/// A complete order to London on the postal small-packet line.
pub fn order_fields<'a>(overrides: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("name", "Jane Smith"),
        ("company", ""),
        ("line1", "1 High Street"),
        ("line2", ""),
        ("city", "London"),
        ("state", ""),
        ("postcode", "SW1A 1AA"),
        ("country", "GB"),
        ("phone", "020 7946 0958"),
        ("email", ""),
        ("tax_id", ""),
        ("purpose", "influencer"),
        ("reference", "SPRING-26"),
        ("weight_kg", "0.48"),
        ("length_cm", "30"),
        ("width_cm", "20"),
        ("height_cm", "5"),
        ("battery", "none"),
        ("item_count", "1"),
        ("item0_description_en", "Cotton T-shirt"),
        ("item0_description_zh", "棉质T恤"),
        ("item0_quantity", "2"),
        ("item0_unit_value_usd", "3.50"),
        ("item0_hs_code", "6109.10"),
        ("item0_origin", "CN"),
        ("route", "POST-SMALL"),
        ("backup_route", ""),
        ("form_token", "token-1"),
        ("action", "submit"),
    ];
    for (key, value) in overrides {
        match fields.iter_mut().find(|(k, _)| k == key) {
            Some(field) => field.1 = value,
            None => fields.push((key, value)),
        }
    }
    fields
}
