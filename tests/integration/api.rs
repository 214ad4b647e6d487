//! The ERP API (issue #13): tokens made by the owner and shown once, bearer
//! sign-in with scopes, JSON errors with stable codes, the address check
//! and the quote.

use crate::common::{Browser, TestApp};
use serde_json::{Value, json};

/// Creates a token named `name` with `scopes` as the owner; returns its secret.
pub(crate) async fn new_token(owner: &Browser, name: &str, scopes: &[&str]) -> String {
    let mut fields = vec![("name", name)];
    fields.extend(scopes.iter().map(|scope| ("scopes", *scope)));
    let response = owner.post_form("/app/api-tokens", &fields).await;
    assert_eq!(response.status(), 200, "the page shows the secret");
    let page = response.text().await.expect("page");
    let start = page.find("data-secret>").expect("the secret is shown") + "data-secret>".len();
    page[start..].split('<').next().expect("secret").to_owned()
}

async fn call(app: &TestApp, token: Option<&str>, path: &str, body: &str) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .post(format!("{}{path}", app.address))
        .header("Content-Type", "application/json")
        .body(body.to_owned());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let json = response.json().await.expect("a JSON answer");
    (status, json)
}

fn bad_uk_address() -> String {
    json!({"name": "Jane Smith", "line1": "1 High Street", "city": "London",
        "postcode": "12345", "country": "GB", "phone": "020 7946 0958"})
    .to_string()
}

#[actix_web::test]
async fn an_owner_sees_a_new_token_once_and_an_erp_checks_addresses_with_it() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.seller("Acme").await;
    let secret = new_token(&owner, "Kingdee ERP", &["quote"]).await;
    assert!(secret.starts_with("sp_") && secret.len() > 60, "{secret}");
    let list = owner.get_text("/app/api-tokens").await;
    assert!(list.contains("Kingdee ERP") && list.contains(&secret[..9]));
    assert!(!list.contains(&secret), "the secret is never shown again");

    let (status, answer) = call(
        &app,
        Some(&secret),
        "/api/v1/addresses/validate",
        &bad_uk_address(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(answer["valid"], false);
    let errors = answer["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{answer}");
    assert_eq!(errors[0]["field"], "postcode");
    assert_eq!(errors[0]["code"], "postcode.format");
    assert!(
        errors[0]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty() && !m.contains("error."))
    );
    assert_eq!(answer["normalized"], Value::Null);

    let good = json!({"name": "Jane Smith", "line1": "1 High Street", "city": "London",
        "postcode": "sw1a 1aa", "country": "gb", "phone": "020 7946 0958"});
    let (status, answer) = call(
        &app,
        Some(&secret),
        "/api/v1/addresses/validate",
        &good.to_string(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(answer["valid"], true, "{answer}");
    assert_eq!(answer["normalized"]["postcode"], "SW1A 1AA");
    assert_eq!(answer["normalized"]["phone_e164"], "+442079460958");
    assert_eq!(answer["normalized"]["country"], "GB");

    let logged = app.count("audit_log WHERE actor_email = 'api:Kingdee ERP'");
    assert_eq!(
        logged, 2,
        "every call is in the audit log under the token's name"
    );
}

#[actix_web::test]
async fn calls_without_a_live_token_or_its_scope_are_refused_in_json() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.seller("Acme").await;
    let (status, answer) = call(&app, None, "/api/v1/addresses/validate", &bad_uk_address()).await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (401, Some("unauthorized"))
    );
    let (status, _) = call(
        &app,
        Some("sp_nonsense"),
        "/api/v1/addresses/validate",
        "{}",
    )
    .await;
    assert_eq!(status, 401);

    let reader = new_token(&owner, "Reader", &["orders:read"]).await;
    let (status, answer) = call(
        &app,
        Some(&reader),
        "/api/v1/addresses/validate",
        &bad_uk_address(),
    )
    .await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (403, Some("missing_scope"))
    );

    let quoter = new_token(&owner, "Quoter", &["quote"]).await;
    let (status, answer) = call(
        &app,
        Some(&quoter),
        "/api/v1/addresses/validate",
        "{not json",
    )
    .await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (400, Some("invalid_json"))
    );
    let (status, answer) = call(&app, Some(&quoter), "/api/v1/nothing-here", "{}").await;
    assert_eq!((status, answer["code"].as_str()), (404, Some("not_found")));

    let page = owner.get_text("/app/api-tokens").await;
    let id = crate::common::first_id(&page, "data-token=\"");
    let unconfirmed = owner
        .post_form(&format!("/app/api-tokens/{id}/revoke"), &[])
        .await;
    assert_eq!(unconfirmed.status(), 303);
    let (status, _) = call(
        &app,
        Some(&quoter),
        "/api/v1/addresses/validate",
        &bad_uk_address(),
    )
    .await;
    assert_eq!(status, 200, "not revoked without the confirmation");
    let revoked = owner
        .post_form(
            &format!("/app/api-tokens/{id}/revoke"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(revoked.status(), 303);
    let (status, _) = call(
        &app,
        Some(&quoter),
        "/api/v1/addresses/validate",
        &bad_uk_address(),
    )
    .await;
    assert_eq!(status, 401, "a revoked token is refused");
}

#[actix_web::test]
async fn the_quote_answers_like_the_command_line_and_bad_parcels_get_400() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.seller("Acme").await;
    let secret = new_token(&owner, "ERP", &["quote"]).await;
    let parcel =
        json!({"to": "US", "postcode": "10001", "weight_g": 480, "dims_mm": "300x200x100"});
    let (status, answer) = call(&app, Some(&secret), "/api/v1/quote", &parcel.to_string()).await;
    assert_eq!(status, 200, "{answer}");
    let quotes = answer.as_array().expect("a list of routes");
    assert!(!quotes.is_empty());
    assert!(quotes[0]["route"].is_string(), "{}", quotes[0]);
    let (status, answer) = call(
        &app,
        Some(&secret),
        "/api/v1/quote",
        &json!({"to": "US", "weight_g": -3}).to_string(),
    )
    .await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (400, Some("invalid_parcel"))
    );
}

#[actix_web::test]
async fn only_the_owner_manages_tokens_and_bad_forms_keep_what_was_typed() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.seller("Acme").await;
    let response = owner
        .post_form("/app/api-tokens", &[("name", "My ERP")])
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("page");
    assert!(page.contains("value=\"My ERP\"") && page.contains("scopes-error"));
    let operator = app.staff(samplepost::domain::status::Role::Operator).await;
    assert_eq!(operator.get("/app/api-tokens").await.status(), 403);
}
