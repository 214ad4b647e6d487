use crate::common::{Browser, TestApp, location, refused_beside};

pub use crate::common::order_fields as order;

pub async fn post_order(seller: &Browser, overrides: &[(&str, &str)]) -> reqwest::Response {
    seller.post_form("/app/orders", &order(overrides)).await
}

/// The order number a redirect to its page names.
pub fn order_no(response: &reqwest::Response) -> String {
    let target = location(response);
    target
        .strip_prefix("/app/orders/")
        .map(|rest| rest.trim_end_matches("/edit").to_owned())
        .unwrap_or_else(|| panic!("not an order page: {target}"))
}

/// Attaches `document` (e.g. `un38_3`) to an order as a PNG.
pub async fn attach(by: &Browser, no: &str, document: &str) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", by.csrf().await)
        .text("document", document.to_owned())
        .part(
            "file",
            reqwest::multipart::Part::bytes(crate::common::png()).file_name("document.png"),
        );
    by.post_multipart(&format!("/app/orders/{no}/documents"), form)
        .await
}

/// Saves a battery order as a draft, attaches the documents batteries need
/// (UN38.3 and the test summary), submits it with the warnings acknowledged,
/// and returns its number.
pub async fn submitted_with_battery_papers(by: &Browser, overrides: &[(&str, &str)]) -> String {
    let mut fields = overrides.to_vec();
    fields.push(("action", "save"));
    let response = post_order(by, &fields).await;
    assert_eq!(response.status(), 303, "draft saved");
    let no = order_no(&response);
    for document in ["un38_3", "battery_test_summary"] {
        assert_eq!(
            attach(by, &no, document).await.status(),
            303,
            "{document} attached"
        );
    }
    let submitted = by
        .post_form(
            &format!("/app/orders/{no}/submit"),
            &[("acknowledge", "yes")],
        )
        .await;
    assert_eq!(submitted.status(), 303, "submitted");
    no
}

/// Submits an order and returns its number.
pub async fn submitted(seller: &Browser, overrides: &[(&str, &str)]) -> String {
    let response = post_order(seller, overrides).await;
    assert_eq!(response.status(), 303, "submitted");
    order_no(&response)
}

#[tokio::test]
async fn a_complete_order_is_submitted_with_its_quote_frozen() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let list = seller.get_text("/app/orders").await;
    assert!(list.contains("创建第一个样品订单"), "empty state");
    let no = submitted(&seller, &[]).await;
    assert!(
        no.starts_with("SP") && no.len() == 14,
        "human-friendly number: {no}"
    );
    let page = seller.get_text(&format!("/app/orders/{no}")).await;
    assert!(page.contains("data-status=\"approved\""), "{page}");
    assert!(page.contains("Jane Smith") && page.contains("+442079460958"));
    assert!(page.contains("610910"), "HS code stored as digits");
    assert!(page.contains("data-total=\""), "the frozen quote is shown");
    assert!(page.contains("data-event=\"submit\""), "timeline");
    let list = seller.get_text("/app/orders").await;
    assert!(list.contains(&no) && list.contains("SPRING-26"));
    assert_eq!(app.count("order_quotes"), 1);
    assert_eq!(
        audit_actions(&app, &no),
        ["order.create", "order.submit"],
        "create and submit are audited"
    );
}

/// The audit actions recorded for one order, oldest first.
pub fn audit_actions(app: &TestApp, no: &str) -> Vec<String> {
    use diesel::prelude::*;
    use samplepost::db::schema::audit_log;
    audit_log::table
        .filter(audit_log::target_type.eq("order"))
        .filter(audit_log::target_id.eq(no))
        .order(audit_log::id.asc())
        .select(audit_log::action)
        .load(&mut *app.conn())
        .expect("audit")
}

#[tokio::test]
async fn a_draft_saves_incomplete_and_says_what_is_missing() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let response = seller
        .post_form(
            "/app/orders",
            &[
                ("name", "Jane Smith"),
                ("form_token", "t"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let no = order_no(&response);
    let page = seller.get_text(&format!("/app/orders/{no}")).await;
    assert!(page.contains("data-status=\"draft\""));
    assert!(
        page.contains("data-field=\"weight_kg\""),
        "missing weight named"
    );
    assert!(page.contains("data-field=\"route\""));
    // Named by the form's labels, in the reader's language, not by code names.
    let (zh, en) = crate::wording::both_languages(&seller, &format!("/app/orders/{no}")).await;
    let missing = |page: &str| {
        let start = page.find("class=\"missing\"").expect("the missing list");
        let end = page[start..].find("</ul>").expect("end") + start;
        crate::wording::visible_text(&page[start..end])
    };
    assert!(missing(&zh).contains("线路"), "{}", missing(&zh));
    assert!(missing(&en).contains("Route"), "{}", missing(&en));
    assert!(!missing(&en).contains("weight_kg") && !missing(&zh).contains("weight_kg"));
    let edit = seller.get_text(&format!("/app/orders/{no}/edit")).await;
    assert!(
        edit.contains("value=\"Jane Smith\""),
        "what was typed is kept"
    );
    let saved = seller
        .post_form(
            &format!("/app/orders/{no}"),
            &order(&[("action", "save"), ("reference", "EDITED-ONCE")]),
        )
        .await;
    assert_eq!(saved.status(), 303);
    assert!(
        seller
            .get_text(&format!("/app/orders/{no}"))
            .await
            .contains("EDITED-ONCE")
    );
    assert_eq!(
        audit_actions(&app, &no),
        ["order.create", "order.edit"],
        "the edit is audited"
    );
}

#[tokio::test]
async fn a_malformed_weight_is_refused_beside_it_and_nothing_is_saved() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let response = post_order(&seller, &[("weight_kg", "heavy"), ("action", "save")]).await;
    let page = refused_beside(response, &["weight_kg"]).await;
    assert!(page.contains("value=\"Cotton T-shirt\""), "typed data kept");
    assert_eq!(app.count("orders"), 0);
}

#[tokio::test]
async fn item_rows_are_added_and_removed_without_losing_what_was_typed() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let page = post_order(&seller, &[("action", "add_item")]).await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.expect("body");
    assert!(
        page.contains("name=\"item1_description_en\""),
        "a second row"
    );
    assert!(page.contains("value=\"Cotton T-shirt\""));
    assert!(page.contains("value=\"Jane Smith\""));
    let page = post_order(
        &seller,
        &[
            ("item_count", "2"),
            ("item1_description_en", "Silk scarf"),
            ("action", "remove_item:0"),
        ],
    )
    .await
    .text()
    .await
    .expect("body");
    assert!(page.contains("value=\"Silk scarf\""));
    assert!(
        !page.contains("value=\"Cotton T-shirt\""),
        "the first row is gone"
    );
    assert_eq!(app.count("orders"), 0, "redrawing saves nothing");
}

#[tokio::test]
async fn address_rules_are_checked_at_submit_beside_each_field() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let response = post_order(&seller, &[("line1", "伦敦高街1号"), ("form_token", "a")]).await;
    let page = refused_beside(response, &["line1"]).await;
    assert!(
        page.contains("伦敦高街"),
        "names the characters not allowed"
    );
    let response = post_order(&seller, &[("phone", "123"), ("form_token", "b")]).await;
    refused_beside(response, &["phone"]).await;
    for (country, postcode, phone) in [
        ("GB", "12345", "020 7946 0958"),
        ("US", "ABCDE", "(212) 555-0123"),
        ("DE", "1011", "030 123456"),
        ("JP", "1000", "03-1234-5678"),
    ] {
        let token = format!("postcode-{country}");
        let response = post_order(
            &seller,
            &[
                ("country", country),
                ("postcode", postcode),
                ("phone", phone),
                ("state", "NY"),
                ("form_token", &token),
            ],
        )
        .await;
        refused_beside(response, &["postcode"]).await;
    }
    assert_eq!(
        app.count("order_quotes"),
        0,
        "nothing was submitted; the drafts are kept"
    );
}

#[tokio::test]
async fn a_vague_description_is_refused_and_a_broad_one_is_a_warning() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let response = post_order(&seller, &[("item0_description_en", "gift")]).await;
    refused_beside(response, &["item0_description_en"]).await;
    let response = post_order(
        &seller,
        &[("item0_description_en", "Clothes"), ("form_token", "2")],
    )
    .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("body");
    assert!(page.contains("data-warning=\"warning.vague_description\""));
}

#[tokio::test]
async fn a_battery_on_a_route_that_refuses_it_is_an_error_beside_the_route() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let us = [
        ("country", "US"),
        ("state", "NY"),
        ("postcode", "10118"),
        ("phone", "(212) 555-0123"),
        ("battery", "in_equipment"),
        ("item0_description_en", "Bluetooth speaker"),
        ("item0_hs_code", "851822"),
        ("route", "NA-SAVER"),
    ];
    let response = post_order(&seller, &us).await;
    let page = refused_beside(response, &["route"]).await;
    assert!(page.contains("battery"), "says which attribute");
    assert!(
        page.contains("data-route=\"US-BATT\""),
        "other routes are offered"
    );
}

#[tokio::test]
async fn a_category_the_destination_prohibits_is_refused_with_the_reason() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let response = post_order(
        &seller,
        &[
            ("country", "AU"),
            ("state", "NSW"),
            ("city", "Sydney"),
            ("postcode", "2000"),
            ("phone", "02 9374 4000"),
            ("item0_description_en", "Laser pointer"),
            ("item0_hs_code", "901320"),
        ],
    )
    .await;
    let page = refused_beside(response, &["item0_description_en"]).await;
    assert!(page.contains("laser pointer"));
}

#[tokio::test]
async fn a_backup_route_is_required_when_the_company_says_so() {
    use diesel::prelude::*;
    use samplepost::db::schema::companies;
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    {
        let mut conn = app.conn();
        let conn: &mut samplepost::db::DbConnection = &mut conn;
        diesel::update(companies::table)
            .set(companies::require_backup_route.eq(true))
            .execute(conn)
            .expect("policy");
    }
    let response = post_order(&seller, &[]).await;
    refused_beside(response, &["backup_route"]).await;
    let response = post_order(
        &seller,
        &[("backup_route", "INTL-EXPRESS"), ("form_token", "2")],
    )
    .await;
    assert_eq!(response.status(), 303, "with a backup it goes through");
}

#[tokio::test]
async fn warnings_must_be_acknowledged_before_the_order_is_submitted() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let response = post_order(&seller, &[("item0_unit_value_usd", "8.00")]).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("body");
    assert!(page.contains("data-warning=\"warning.unit_over_5\""));
    assert!(page.contains("data-warning=\"warning.declared_over_10\""));
    assert!(page.contains("name=\"acknowledge\""));
    let action = "action=\"/app/orders/";
    let start = page.find(action).expect("the saved order's form") + action.len();
    let no: String = page[start..].chars().take(14).collect();
    assert_eq!(app.count("order_quotes"), 0);
    let response = seller
        .post_form(
            &format!("/app/orders/{no}"),
            &order(&[("item0_unit_value_usd", "8.00"), ("acknowledge", "yes")]),
        )
        .await;
    assert_eq!(response.status(), 303);
    let page = seller.get_text(&format!("/app/orders/{no}")).await;
    assert!(page.contains("data-status=\"approved\""));
    assert!(
        page.contains("data-warning=\"unit_over_5\"") && page.contains("有物品单价超过 5 美元"),
        "acknowledged warnings are on the timeline, in words"
    );
}

#[tokio::test]
async fn the_same_recipient_within_14_days_is_a_warning() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let first = submitted(&seller, &[]).await;
    let response = post_order(&seller, &[("form_token", "again")]).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("body");
    assert!(page.contains("data-warning=\"warning.same_recipient\""));
    assert!(page.contains(&first), "names the earlier order");
}

#[tokio::test]
async fn a_double_clicked_submit_creates_one_order() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let fields = order(&[("form_token", "double")]);
    let (first, second) = tokio::join!(
        seller.post_form("/app/orders", &fields),
        seller.post_form("/app/orders", &fields)
    );
    assert_eq!(first.status(), 303);
    assert_eq!(second.status(), 303);
    assert_eq!(location(&first), location(&second));
    assert_eq!(app.count("orders"), 1);
    assert_eq!(app.count("order_quotes"), 1);
}

#[tokio::test]
async fn a_submitted_order_cannot_be_edited() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let no = submitted(&seller, &[]).await;
    let response = seller.get(&format!("/app/orders/{no}/edit")).await;
    assert_eq!(response.status(), 409);
    let response = seller
        .post_form(
            &format!("/app/orders/{no}"),
            &order(&[("name", "Someone Else"), ("action", "save")]),
        )
        .await;
    assert_eq!(response.status(), 409);
    assert!(response.text().await.expect("body").contains("不能再修改"));
    let page = seller.get_text(&format!("/app/orders/{no}")).await;
    assert!(page.contains("Jane Smith") && !page.contains("Someone Else"));
}

#[tokio::test]
async fn another_companys_order_answers_404_everywhere() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let no = submitted(&seller, &[]).await;
    let (other, _) = app.seller("Globex").await;
    for path in [
        format!("/app/orders/{no}"),
        format!("/app/orders/{no}/edit"),
        format!("/app/orders/{no}/pi"),
        format!("/app/orders/{no}/pi.pdf"),
    ] {
        assert_eq!(other.get(&path).await.status(), 404, "{path}");
    }
    let response = other
        .post_form(&format!("/app/orders/{no}/cancel"), &[("confirm", "yes")])
        .await;
    assert_eq!(response.status(), 404);
    assert!(!other.get_text("/app/orders").await.contains(&no));
}

#[tokio::test]
async fn a_cancellation_needs_confirmation_and_is_on_the_timeline() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let no = submitted(&seller, &[]).await;
    let path = format!("/app/orders/{no}/cancel");
    seller.post_form(&path, &[]).await;
    assert!(
        seller
            .get_text(&format!("/app/orders/{no}"))
            .await
            .contains("data-status=\"approved\""),
        "not without the confirmation"
    );
    seller.post_form(&path, &[("confirm", "yes")]).await;
    let page = seller.get_text(&format!("/app/orders/{no}")).await;
    assert!(page.contains("data-status=\"cancelled\""));
    assert!(page.contains("data-event=\"cancel\""));
    assert_eq!(
        audit_actions(&app, &no),
        ["order.create", "order.submit", "order.cancel"]
    );
}

#[tokio::test]
async fn a_duplicate_is_a_new_draft_with_the_same_content() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let no = submitted(&seller, &[]).await;
    let response = seller
        .post_form(&format!("/app/orders/{no}/duplicate"), &[])
        .await;
    assert_eq!(response.status(), 303);
    let copy = order_no(&response);
    assert_ne!(copy, no);
    let page = seller.get_text(&format!("/app/orders/{copy}")).await;
    assert!(page.contains("data-status=\"draft\"") && page.contains("Cotton T-shirt"));
}

#[tokio::test]
async fn the_list_filters_by_country_and_searches_references() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let london = submitted(&seller, &[]).await;
    let berlin = submitted(
        &seller,
        &[
            ("name", "Max Muster"),
            ("city", "Berlin"),
            ("country", "DE"),
            ("postcode", "10115"),
            ("phone", "030 123456"),
            ("reference", "BERLIN-1"),
            ("form_token", "2"),
        ],
    )
    .await;
    let de = seller.get_text("/app/orders?country=DE").await;
    assert!(de.contains(&berlin) && !de.contains(&london));
    let search = seller.get_text("/app/orders?q=berlin-1").await;
    assert!(search.contains(&berlin) && !search.contains(&london));
    let none = seller.get_text("/app/orders?status=paid").await;
    assert!(!none.contains(&berlin) && none.contains("没有符合条件的记录"));
}

#[tokio::test]
async fn an_inactive_company_cannot_create_orders_and_is_told_why_before_typing() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    let form = owner.get_text("/app/orders/new").await;
    assert!(
        form.contains("data-not-ready=\"verification\"") && form.contains("href=\"/app/company\""),
        "the form says what to finish first, with a link"
    );
    let response = post_order(&owner, &[("reference", "KEEP-ME")]).await;
    assert_eq!(response.status(), 409);
    let page = response.text().await.expect("page");
    assert!(page.contains("data-not-ready=\"verification\""));
    assert!(
        page.contains("value=\"KEEP-ME\"") && page.contains("value=\"Jane Smith\""),
        "nothing typed is lost"
    );
    assert_eq!(app.count("orders"), 0);
}

#[tokio::test]
async fn the_proforma_invoice_prints_and_downloads_as_a_pdf() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let no = submitted(&seller, &[]).await;
    let page = seller.get_text(&format!("/app/orders/{no}/pi")).await;
    assert!(page.contains("PROFORMA INVOICE") && page.contains(&no));
    assert!(
        page.contains("Acme Samples Co., Ltd."),
        "the sender company"
    );
    assert!(
        page.contains("Li Lei") && page.contains("1 Science Park, Nanshan District, Shenzhen"),
        "the shipper block in Latin letters"
    );
    assert!(!page.contains("南山区科技园"), "not the Chinese address");
    assert!(page.contains("+86 138 0013 8000"), "the phone with +86");
    assert!(page.contains("Jane Smith") && page.contains("610910"));
    assert!(page.contains("data-declared=\"700\""), "2 × USD 3.50");
    assert!(page.contains("no commercial value"));
    assert!(
        page.contains(r#"<span lang="en">Influencer</span> 达人推广"#),
        "the purpose in both languages"
    );
    assert!(page.contains("Signature"));
    let response = seller.get(&format!("/app/orders/{no}/pi.pdf")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"].to_str().expect("type"),
        "application/pdf"
    );
    let bytes = response.bytes().await.expect("pdf");
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(bytes.len() > 2000);
    assert!(
        !page.contains("data-draft"),
        "a submitted order's invoice is final"
    );
    let draft = post_order(&seller, &[("action", "save"), ("form_token", "draft")]).await;
    let draft = order_no(&draft);
    let page = seller.get_text(&format!("/app/orders/{draft}/pi")).await;
    assert!(
        page.contains("data-draft") && page.contains(r#"<span lang="en">DRAFT</span> 草稿"#),
        "a draft's says so"
    );
}

#[tokio::test]
async fn documents_and_item_photos_attach_to_a_draft_and_stay_private() {
    use reqwest::multipart::{Form, Part};
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let response = post_order(&seller, &[("battery", "in_equipment"), ("action", "save")]).await;
    let no = order_no(&response);
    let page = seller.get_text(&format!("/app/orders/{no}")).await;
    assert!(
        page.contains("UN38.3"),
        "the documents a battery needs are named"
    );
    let file = |token: String| {
        Form::new()
            .text("csrf_token", token)
            .text("document", "un38_3")
            .part(
                "file",
                Part::bytes(crate::common::png()).file_name("un38.png"),
            )
    };
    let response = seller
        .post_multipart(
            &format!("/app/orders/{no}/documents"),
            file(seller.csrf().await),
        )
        .await;
    assert_eq!(response.status(), 303);
    let response = seller
        .post_multipart(
            &format!("/app/orders/{no}/items/0/photo"),
            file(seller.csrf().await),
        )
        .await;
    assert_eq!(response.status(), 303);
    let page = seller.get_text(&format!("/app/orders/{no}")).await;
    assert!(page.contains("data-document=\"un38_3\""));
    assert!(page.contains("data-photo=\"0\""));
    let upload = crate::common::first_id(&page, "data-document=\"un38_3\"><a href=\"/uploads/");
    let path = format!("/uploads/{upload}");
    assert_eq!(seller.get(&path).await.status(), 200);
    let (other, _) = app.seller("Globex").await;
    assert_eq!(other.get(&path).await.status(), 404);
    let exe = Form::new()
        .text("csrf_token", seller.csrf().await)
        .text("document", "msds")
        .part(
            "file",
            Part::bytes(b"MZ\x90\x00not a pdf".to_vec()).file_name("msds.pdf"),
        );
    seller
        .post_multipart(&format!("/app/orders/{no}/documents"), exe)
        .await;
    let page = seller.get_text(&format!("/app/orders/{no}")).await;
    assert!(
        page.contains("文件格式不支持"),
        "a refused file is explained"
    );
    assert!(!page.contains("data-document=\"msds\""));
}

#[tokio::test]
async fn a_recipient_is_found_in_the_address_book_and_taken_into_the_form() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    for (name, city, postcode) in [
        ("Jane Doe", "New York", "10118"),
        ("Bob Roe", "Boston", "02108"),
    ] {
        let response = seller
            .post_form(
                "/app/addresses",
                &[
                    ("name", name),
                    ("line1", "1 Main Street"),
                    ("city", city),
                    ("state", "NY"),
                    ("postcode", postcode),
                    ("country", "US"),
                    ("phone", "(212) 555-0123"),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
    }
    let page = post_order(
        &seller,
        &[
            ("action", "find_address"),
            ("address_q", "york"),
            ("name", ""),
        ],
    )
    .await
    .text()
    .await
    .expect("body");
    let picker = &page[page.find("id=\"address_id\"").expect("picker")..];
    let picker = &picker[..picker.find("</select>").expect("end")];
    assert!(picker.contains("Jane Doe") && !picker.contains("Bob Roe"));
    let id = crate::common::first_id(picker, "<option value=\"");
    let id = id.to_string();
    let page = post_order(&seller, &[("action", "pick_address"), ("address_id", &id)])
        .await
        .text()
        .await
        .expect("body");
    assert!(page.contains("value=\"Jane Doe\"") && page.contains("value=\"New York\""));
    assert!(
        page.contains("value=\"Cotton T-shirt\""),
        "the rest of the form is kept"
    );
    assert_eq!(app.count("orders"), 0);
}
