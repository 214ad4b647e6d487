//! The authorisation matrix (issue #14): every route of the URL map, asked by
//! every role, answers as one table says (`matrix.rs`); a route added without
//! a row fails `scan.rs`.

mod fixtures;
pub mod matrix;
mod scan;

use crate::common::{Browser, location, png};
use fixtures::World;

/// Who asks. Company A has the seller and the manager (and an owner who
/// makes the fixtures); "other" is the owner of company B.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Visitor,
    Seller,
    Manager,
    Other,
    Operator,
    Admin,
}

/// The matrix's columns, in order.
pub const ROLES: [Role; 6] = [
    Role::Visitor,
    Role::Seller,
    Role::Manager,
    Role::Other,
    Role::Operator,
    Role::Admin,
];

/// What a role gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// 200.
    Ok,
    /// 303 to `/login?next=…`.
    Login,
    /// 303 anywhere but the sign-in page: a form that was done.
    Done,
    /// 401 (the API, carrier webhooks).
    Unauthorized,
    Forbidden,
    NotFound,
    /// 409: allowed, but not in the order's state.
    Conflict,
    /// 422: allowed, the empty form is refused beside its fields.
    Invalid,
    /// Let in, whatever the form makes of the request (2xx, 3xx but the
    /// sign-in page, 400, 409, 422): never 401, 403, 404 or 5xx. For posts
    /// that two allowed roles send in turn, where the second may find the
    /// first's work done.
    Allowed,
    /// Any other exact status (400, 410, …).
    Status(u16),
}

impl Expect {
    /// Refusals run before the allowed roles' requests in a row, so that no
    /// refusal meets a fixture someone else just changed.
    fn refuses(self) -> bool {
        matches!(
            self,
            Expect::Login | Expect::Unauthorized | Expect::Forbidden | Expect::NotFound
        )
    }

    fn matches(self, status: u16, location: &str) -> bool {
        let to_login = location.starts_with("/login");
        match self {
            Expect::Ok => status == 200,
            Expect::Login => status == 303 && to_login,
            Expect::Done => status == 303 && !to_login,
            Expect::Unauthorized => status == 401,
            Expect::Forbidden => status == 403,
            Expect::NotFound => status == 404,
            Expect::Conflict => status == 409,
            Expect::Invalid => status == 422,
            Expect::Allowed => {
                !matches!(status, 401 | 403 | 404) && status < 500 && !to_login && status != 429
            }
            Expect::Status(expected) => status == expected,
        }
    }
}

/// What a request carries besides the role's cookies (and, on `/api/v1`,
/// the company roles' bearer token).
#[derive(Clone, Copy, Debug)]
pub enum Body {
    None,
    /// A URL-encoded form with the session's CSRF token.
    Form(&'static [(&'static str, &'static str)]),
    /// A multipart form with the session's CSRF token, as file forms are
    /// sent, and a PNG in the named file field if there is one.
    Multipart(
        &'static [(&'static str, &'static str)],
        Option<&'static str>,
    ),
    Json(&'static str),
}

/// One route and what each role gets from it.
#[derive(Clone, Copy, Debug)]
pub struct Row {
    pub method: &'static str,
    /// The pattern as registered, e.g. `/app/orders/{no}`.
    pub pattern: &'static str,
    /// The concrete path: `{name}` is a fixture (`fixtures.rs`).
    pub path: &'static str,
    pub body: Body,
    /// Per role, in [`ROLES`] order.
    pub expect: [Expect; 6],
    /// Runs after every other row (signing out).
    pub last: bool,
}

/// A row of `method` with `body`; the constructors below name the kinds.
const fn row(
    method: &'static str,
    pattern: &'static str,
    path: &'static str,
    body: Body,
    expect: [Expect; 6],
) -> Row {
    Row {
        method,
        pattern,
        path,
        body,
        expect,
        last: false,
    }
}

pub const fn get(pattern: &'static str, path: &'static str, expect: [Expect; 6]) -> Row {
    row("GET", pattern, path, Body::None, expect)
}

pub const fn post(
    pattern: &'static str,
    path: &'static str,
    fields: &'static [(&'static str, &'static str)],
    expect: [Expect; 6],
) -> Row {
    row("POST", pattern, path, Body::Form(fields), expect)
}

pub const fn multipart(
    pattern: &'static str,
    path: &'static str,
    fields: &'static [(&'static str, &'static str)],
    expect: [Expect; 6],
) -> Row {
    row("POST", pattern, path, Body::Multipart(fields, None), expect)
}

/// A multipart form with a PNG in `file`.
pub const fn upload(
    pattern: &'static str,
    path: &'static str,
    fields: &'static [(&'static str, &'static str)],
    file: &'static str,
    expect: [Expect; 6],
) -> Row {
    row(
        "POST",
        pattern,
        path,
        Body::Multipart(fields, Some(file)),
        expect,
    )
}

pub const fn json(
    method: &'static str,
    pattern: &'static str,
    path: &'static str,
    body: &'static str,
    expect: [Expect; 6],
) -> Row {
    row(method, pattern, path, Body::Json(body), expect)
}

impl Row {
    pub const fn last(self) -> Row {
        Row { last: true, ..self }
    }
}

/// Sends `row` as `role`; returns the status and the `Location` header.
async fn send(world: &World, row: &Row, role: Role) -> (u16, String) {
    let browser: &Browser = world.browser(role);
    let path = world.path(row.path, role);
    let method = reqwest::Method::from_bytes(row.method.as_bytes()).expect("a method");
    let mut request = browser.client.request(method, browser.url(&path));
    let csrf = world.csrf(role);
    match row.body {
        Body::None => {}
        Body::Form(fields) => {
            let mut form = vec![("csrf_token", csrf.to_owned())];
            form.extend(fields.iter().map(|(k, v)| (*k, world.path(v, role))));
            request = request.form(&form);
        }
        Body::Multipart(fields, file) => {
            let mut form = reqwest::multipart::Form::new().text("csrf_token", csrf.to_owned());
            for (name, value) in fields {
                form = form.text(*name, world.path(value, role));
            }
            if let Some(file) = file {
                let part = reqwest::multipart::Part::bytes(png())
                    .file_name("file.png")
                    .mime_str("image/png")
                    .expect("mime");
                form = form.part(file, part);
            }
            request = request.multipart(form);
        }
        Body::Json(text) => {
            request = request
                .header("Content-Type", "application/json")
                .body(text);
        }
    }
    if let Some(token) = world
        .api_token(role)
        .filter(|_| path.starts_with("/api/v1/"))
    {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("request");
    (response.status().as_u16(), location(&response))
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_matrix_says() {
    let app = crate::common::TestApp::spawn().await;
    let world = fixtures::build(&app).await;
    let rows = matrix::MATRIX.iter().filter(|row| !row.last);
    let last = matrix::MATRIX.iter().filter(|row| row.last);
    let mut wrong = Vec::new();
    for row in rows.chain(last) {
        // The per-address limits and the sign-in throttle have their own
        // tests; here every role asks from one address, so each row starts
        // with fresh counters.
        for table in ["rate_limits", "login_attempts"] {
            diesel::RunQueryDsl::execute(
                diesel::sql_query(format!("DELETE FROM {table}")),
                &mut *app.conn(),
            )
            .expect("counters reset");
        }
        let mut order: Vec<usize> = (0..ROLES.len()).collect();
        order.sort_by_key(|&i| !row.expect[i].refuses());
        for i in order {
            let (status, location) = send(&world, row, ROLES[i]).await;
            if !row.expect[i].matches(status, &location) {
                wrong.push(format!(
                    "{} {} ({}) as {:?}: expected {:?}, got {status} {location}",
                    row.method, row.pattern, row.path, ROLES[i], row.expect[i]
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} answers differ from the matrix:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[tokio::test]
async fn an_order_form_token_another_company_used_is_a_409_not_a_500() {
    let app = crate::common::TestApp::spawn().await;
    let (acme, _) = app.seller("Acme").await;
    let (other, _) = app.seller("Other").await;
    let fields = [("action", "save"), ("form_token", "made-up")];
    let first = crate::orders::post_order(&acme, &fields).await;
    assert_eq!(first.status(), 303, "Acme's draft");
    let again = crate::orders::post_order(&other, &fields).await;
    assert_eq!(again.status(), 409, "the other company is refused");
    assert_eq!(app.count("orders"), 1, "nothing was created");
}
