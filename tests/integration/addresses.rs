use crate::common::{Browser, TestApp, first_id, location, refused_beside};
use samplepost::domain::status::Role;

fn us_address<'a>(overrides: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("name", "Jane Doe"),
        ("company", "Doe Reviews LLC"),
        ("line1", "350 Fifth Avenue"),
        ("line2", "Suite 4200"),
        ("city", "New York"),
        ("state", "NY"),
        ("postcode", "10118"),
        ("country", "US"),
        ("phone", "(212) 555-0123"),
        ("email", "jane@example.com"),
        ("tax_id", ""),
    ];
    for (key, value) in overrides {
        if let Some(field) = fields.iter_mut().find(|(k, _)| k == key) {
            field.1 = value;
        }
    }
    fields
}

fn first_address_id(page: &str) -> i64 {
    first_id(page, "data-address=\"")
}

async fn add(owner: &Browser, overrides: &[(&str, &str)]) -> reqwest::Response {
    owner
        .post_form("/app/addresses", &us_address(overrides))
        .await
}

#[tokio::test]
async fn a_recipient_is_saved_with_the_phone_in_e164_and_listed() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    assert!(
        owner
            .get_text("/app/addresses")
            .await
            .contains("地址簿还是空的")
    );
    let response = add(&owner, &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/app/addresses");
    let list = owner.get_text("/app/addresses").await;
    assert!(list.contains("Jane Doe") && list.contains("350 Fifth Avenue"));
    assert!(
        list.contains("+1 212-555-0123"),
        "shown with its country code (a seller in China dials it from abroad)"
    );
    assert!(
        owner
            .get_text("/app/addresses?q=york")
            .await
            .contains("Jane Doe")
    );
    assert!(
        !owner
            .get_text("/app/addresses?q=paris")
            .await
            .contains("Jane Doe")
    );
}

#[tokio::test]
async fn chinese_in_an_address_field_is_refused_naming_the_characters() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    let response = add(&owner, &[("line1", "南山区科技园 5 号")]).await;
    let page = refused_beside(response, &["line1"]).await;
    assert!(
        page.contains("南山区科技园"),
        "the refused characters are named"
    );
    assert!(
        page.contains("value=\"Jane Doe\""),
        "the rest of the form is kept"
    );
    assert_eq!(app.count("addresses"), 0);
}

#[tokio::test]
async fn postcodes_must_fit_the_destination() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    for (country, postcode, state, phone) in [
        ("GB", "12345", "", "020 7946 0958"),
        ("US", "1011", "NY", "(212) 555-0123"),
        ("DE", "1011", "", "030 1234567"),
        ("JP", "ABC", "Tokyo", "03-1234-5678"),
    ] {
        let response = add(
            &owner,
            &[
                ("country", country),
                ("postcode", postcode),
                ("state", state),
                ("phone", phone),
            ],
        )
        .await;
        assert_eq!(response.status(), 422, "{country} {postcode}");
        let page = response.text().await.expect("body");
        assert!(page.contains("id=\"postcode-error\""), "{country}: {page}");
    }
    let response = add(
        &owner,
        &[
            ("country", "GB"),
            ("postcode", "sw1a 1aa"),
            ("state", ""),
            ("phone", "020 7946 0958"),
        ],
    )
    .await;
    assert_eq!(
        response.status(),
        303,
        "a valid UK postcode in lower case is accepted"
    );
}

#[tokio::test]
async fn a_phone_that_is_not_valid_for_the_country_is_refused() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    let response = add(&owner, &[("phone", "12345")]).await;
    refused_beside(response, &["phone"]).await;
}

#[tokio::test]
async fn brazil_and_korea_need_their_tax_ids() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    let brazil = [
        ("country", "BR"),
        ("state", "SP"),
        ("city", "Sao Paulo"),
        ("postcode", "01310-100"),
        ("phone", "11 91234-5678"),
    ];
    let response = add(&owner, &brazil).await;
    refused_beside(response, &["tax_id"]).await;
    let mut with_cpf = brazil.to_vec();
    with_cpf.push(("tax_id", "529.982.247-25"));
    assert_eq!(add(&owner, &with_cpf).await.status(), 303);
    let korea = [
        ("country", "KR"),
        ("state", "Seoul"),
        ("city", "Seoul"),
        ("postcode", "04524"),
        ("phone", "010-1234-5678"),
        ("tax_id", "X123"),
    ];
    let response = add(&owner, &korea).await;
    refused_beside(response, &["tax_id"]).await;
}

#[tokio::test]
async fn an_address_is_edited_and_deleted_only_with_confirmation() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    add(&owner, &[]).await;
    let id = first_address_id(&owner.get_text("/app/addresses").await);
    let response = owner
        .post_form(
            &format!("/app/addresses/{id}"),
            &us_address(&[("name", "Janet Doe")]),
        )
        .await;
    assert_eq!(response.status(), 303);
    assert!(owner.get_text("/app/addresses").await.contains("Janet Doe"));
    let response = owner
        .post_form(&format!("/app/addresses/{id}/delete"), &[])
        .await;
    assert_eq!(location(&response), format!("/app/addresses/{id}"));
    assert_eq!(
        app.count("addresses"),
        1,
        "not deleted without confirmation"
    );
    let response = owner
        .post_form(
            &format!("/app/addresses/{id}/delete"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(app.count("addresses"), 0);
    let audit = app
        .staff(Role::Admin)
        .await
        .get_text("/admin/audit?action=address")
        .await;
    assert!(
        audit.contains("address.create")
            && audit.contains("address.update")
            && audit.contains("address.delete")
    );
}

#[tokio::test]
async fn another_companys_address_answers_404() {
    let app = TestApp::spawn().await;
    let (first, _) = app.owner("First").await;
    add(&first, &[]).await;
    let id = first_address_id(&first.get_text("/app/addresses").await);
    let (second, _) = app.owner("Second").await;
    assert_eq!(
        second.get(&format!("/app/addresses/{id}")).await.status(),
        404
    );
    let response = second
        .post_form(
            &format!("/app/addresses/{id}"),
            &us_address(&[("name", "Hijacked")]),
        )
        .await;
    assert_eq!(response.status(), 404);
    let response = second
        .post_form(
            &format!("/app/addresses/{id}/delete"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(response.status(), 404);
    assert!(first.get_text("/app/addresses").await.contains("Jane Doe"));
    assert!(!second.get_text("/app/addresses").await.contains("Jane Doe"));
}

#[tokio::test]
async fn hs_code_suggestions_answer_in_english_and_chinese() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    let suggestions: serde_json::Value = owner
        .get("/app/hs-codes?q=power+bank")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(suggestions[0]["hs6"], "850760");
    let suggestions: serde_json::Value = owner
        .get("/app/hs-codes?q=口红")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(suggestions[0]["hs6"], "330410");
    assert!(
        suggestions[0]["description_zh"]
            .as_str()
            .is_some_and(|d| !d.is_empty())
    );
    let nothing: serde_json::Value = owner
        .get("/app/hs-codes?q=zzzz")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(nothing, serde_json::json!([]));
    let response = app.browser().get("/app/hs-codes?q=power").await;
    assert!(location(&response).starts_with("/login"), "members only");
}
