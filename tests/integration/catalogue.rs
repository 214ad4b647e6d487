use crate::common::{Browser, TestApp, refused_beside};
use samplepost::domain::status::Role;

const GOOD_SHEET: &str = "route_code,route_name_zh,route_name_en,transport,transit_min_days,transit_max_days,volumetric_divisor,accepts,max_weight_g,country,min_weight_g,step_g,first_weight_g,first_price,step_price,per_kg_price,registration_fee,fuel_pct,battery_fee,liquid_fee,magnetic_fee,powder_fee,remote_postcodes,remote_fee
TEST-LINE,测试专线,Test Line,special_line,5,9,8000,battery,2000,DE,50,10,0,,,85.00,18.00,12.5,20.00,,,,BT;HS,30.00
TEST-LINE,测试专线,Test Line,special_line,5,9,8000,battery,2000,GB,50,10,0,,,90.00,18.00,12.5,20.00,,,,BT;HS,30.00
";

const BAD_SHEET: &str = "route_code,route_name_zh,route_name_en,transport,transit_min_days,transit_max_days,volumetric_divisor,accepts,max_weight_g,country,min_weight_g,step_g,first_weight_g,first_price,step_price,per_kg_price,registration_fee,fuel_pct,battery_fee,liquid_fee,magnetic_fee,powder_fee,remote_postcodes,remote_fee
BAD-LINE,坏线,Bad Line,boat,5,9,8000,,2000,DE,50,10,0,,,85.00,18.00,,,,,,,
BAD-LINE,坏线,Bad Line,special_line,5,9,8000,,2000,FR,50,10,0,,,eighty,18.00,,,,,,,
BAD-LINE,坏线,Bad Line,special_line,5,9,8000,,2000,XX,50,10,0,,,85.00,18.00,,,,,,,
BAD-LINE,坏线,Bad Line,special_line,5,9,8000,laser,2000,IT,50,10,0,,,85.00,18.00,,,,,,,
";

async fn upload(admin: &Browser, name: &str, body: &str) -> reqwest::Response {
    let token = admin.csrf().await;
    let part = reqwest::multipart::Part::bytes(body.as_bytes().to_vec())
        .file_name(name.to_owned())
        .mime_str("text/csv")
        .expect("mime");
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .part("sheet", part);
    admin.post_multipart("/admin/rates", form).await
}

#[tokio::test]
async fn the_demo_catalogue_is_loaded_on_first_start() {
    let app = TestApp::spawn().await;
    assert_eq!(app.count("routes"), 8);
    assert!(app.count("countries") >= 249);
    assert_eq!(app.count("rate_sheets"), 1);
}

#[tokio::test]
async fn the_calculator_lists_available_routes_cheapest_first_with_reasons_for_the_rest() {
    let app = TestApp::spawn().await;
    let visitor = app.browser();
    visitor.english().await;
    let page = visitor
        .get_text("/rates?to=US&postcode=10001&weight_kg=0.48&length_cm=30&width_cm=20&height_cm=10&battery=on")
        .await;
    // Only the battery line and the express take a battery to the US.
    let batt = page.find("data-route=\"US-BATT\"").expect("US-BATT priced");
    let express = page
        .find("data-route=\"INTL-EXPRESS\"")
        .expect("express priced");
    assert!(batt < express, "cheapest first");
    assert!(
        page.contains("Does not accept battery"),
        "refusal explained"
    );
    assert!(
        page.contains("Does not serve United States"),
        "routes without a rate say so"
    );
    // 300×200×100 mm / 6000 = 1 kg chargeable; 108.00/kg + 24.00 + battery 8.00 = 140.00
    assert!(page.contains("data-total=\"140.00\""), "{page}");
}

#[tokio::test]
async fn the_calculator_explains_bad_input_beside_the_field() {
    let app = TestApp::spawn().await;
    let response = app.browser().get("/rates?to=ZZ&weight_kg=abc").await;
    let page = refused_beside(response, &["to", "weight_kg"]).await;
    assert!(page.contains("value=\"abc\""), "typed values stay");
}

#[tokio::test]
async fn the_calculator_sorts_by_speed_when_asked() {
    let app = TestApp::spawn().await;
    let page = app
        .browser()
        .get_text("/rates?to=US&weight_kg=0.3&sort=speed")
        .await;
    let express = page.find("data-route=\"INTL-EXPRESS\"").expect("express");
    let post = page.find("data-route=\"POST-SMALL\"").expect("postal");
    assert!(
        express < post,
        "the 3–7 day express comes before the 15–30 day postal line"
    );
}

#[tokio::test]
async fn an_admin_imports_a_sheet_as_a_new_version_and_quotes_use_it() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let response = upload(&admin, "test.csv", GOOD_SHEET).await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.expect("body");
    assert!(page.contains("data-imported-version=\"2\""));
    assert!(
        admin
            .get_text("/admin/routes")
            .await
            .contains("data-route=\"TEST-LINE\"")
    );
    // 0.5 kg to GB remote postcode BT1: 90.00 × 0.5 + 18.00 = 63.00; fuel 12.5 % = 7.88 (7.875); remote 30.00
    let quote = app
        .browser()
        .get_text("/rates?to=GB&postcode=BT1+1AA&weight_kg=0.5")
        .await;
    assert!(quote.contains("data-total=\"100.88\""), "{quote}");
    let audit = admin.get_text("/admin/audit?action=rates.import").await;
    assert!(audit.contains("test.csv"));
}

#[tokio::test]
async fn a_sheet_with_bad_rows_is_refused_whole_with_every_error_listed() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    admin.english().await;
    let rows_before = app.count("rate_rows");
    let response = upload(&admin, "bad.csv", BAD_SHEET).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("body");
    for expected in [
        "row 2, column transport",
        "row 3, column per_kg_price",
        "row 4, column country",
        "row 5, column accepts",
    ] {
        assert!(
            page.contains(expected),
            "missing {expected:?} in the error list"
        );
    }
    assert_eq!(app.count("rate_rows"), rows_before, "nothing imported");
    assert_eq!(app.count("rate_sheets"), 1);
    assert!(!admin.get_text("/admin/routes").await.contains("BAD-LINE"));
}

#[tokio::test]
async fn the_current_sheet_exports_in_the_import_format_and_imports_again() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let csv = admin.get_text("/admin/rates/current.csv").await;
    // A byte-order mark first, so Excel opens the Chinese names correctly.
    let header = csv.strip_prefix('\u{feff}').expect("BOM");
    assert!(header.starts_with("route_code,route_name_zh"));
    let response = upload(&admin, "round-trip.csv", &csv).await;
    assert_eq!(response.status(), 200, "an export imports cleanly");
    let xlsx = admin.get("/admin/rates/current.xlsx").await;
    assert_eq!(xlsx.status(), 200);
    let bytes = xlsx.bytes().await.expect("xlsx");
    assert_eq!(&bytes[..2], b"PK", "an xlsx is a zip file");
    // Both versions stay readable.
    assert!(admin.get_text("/admin/rates/1").await.contains("EU-ECO"));
    assert_eq!(admin.get("/admin/rates/2/sheet.csv").await.status(), 200);
}

#[tokio::test]
async fn a_suspended_route_shows_its_notice_in_the_calculator() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let form = [
        ("name_zh", "欧洲经济线"),
        ("name_en", "Europe Economy Line"),
        ("max_longest_side_cm", "60"),
        ("status", "suspended"),
        ("notice", "Customs backlog in Leipzig"),
    ];
    let response = admin.post_form("/admin/routes/EU-ECO", &form[..4]).await;
    assert_eq!(response.status(), 422, "a suspension needs a notice");
    let response = admin.post_form("/admin/routes/EU-ECO", &form).await;
    assert_eq!(response.status(), 303);
    let page = app.browser().get_text("/rates?to=DE&weight_kg=0.5").await;
    assert!(page.contains("Customs backlog in Leipzig"));
}

#[tokio::test]
async fn an_operator_cannot_change_the_catalogue() {
    let app = TestApp::spawn().await;
    let operator = app.staff(Role::Operator).await;
    assert_eq!(operator.get("/admin/rates").await.status(), 403);
    assert_eq!(
        upload(&operator, "test.csv", GOOD_SHEET).await.status(),
        403
    );
    assert_eq!(app.count("rate_sheets"), 1);
}

#[tokio::test]
async fn the_admin_changes_pricing_rules_and_creates_a_promotion() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let mut rules = vec![
        ("usd_cny", "7.1000"),
        ("signature_fee", "8.00"),
        ("insurance_pct", "1.5"),
        ("insurance_min", "5"),
        ("expedited_fee", "20"),
        ("ddp_pct", "10"),
        ("ddp_min", "15"),
        ("erp_pct", "3"),
        ("volume_tiers", "100:3;500:6"),
    ];
    let response = admin.post_form("/admin/pricing", &rules).await;
    assert_eq!(response.status(), 303);
    assert!(
        admin
            .get_text("/admin/pricing")
            .await
            .contains("value=\"7.1000\"")
    );
    rules[8] = ("volume_tiers", "lots");
    let response = admin.post_form("/admin/pricing", &rules).await;
    assert_eq!(response.status(), 422);
    let promotion = [
        ("code", "welcome10"),
        ("kind", "fixed"),
        ("amount", "10"),
        ("valid_from", "2026-01-01"),
        ("valid_until", "2030-12-31"),
        ("routes", ""),
    ];
    assert_eq!(
        admin
            .post_form("/admin/pricing/promotions", &promotion)
            .await
            .status(),
        303
    );
    assert!(admin.get_text("/admin/pricing").await.contains("WELCOME10"));
    assert_eq!(
        admin
            .post_form("/admin/pricing/promotions", &promotion)
            .await
            .status(),
        422,
        "codes are unique"
    );
}

#[tokio::test]
async fn prohibited_goods_are_editable_per_country() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    assert!(
        admin
            .get_text("/admin/countries?q=AU")
            .await
            .contains("laser pointer")
    );
    let response = admin
        .post_form(
            "/admin/countries/NZ",
            &[("prohibited", "Meat; seeds\nhoney")],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert!(
        admin
            .get_text("/admin/countries/NZ")
            .await
            .contains("meat;seeds;honey")
    );
}

#[tokio::test]
async fn services_ddp_and_a_promotion_code_appear_as_their_own_lines() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let route = [
        ("name_zh", "欧洲经济线"),
        ("name_en", "Europe Economy Line"),
        ("max_longest_side_cm", ""),
        ("ddp_offered", "on"),
        ("status", "active"),
        ("notice", ""),
    ];
    assert_eq!(
        admin
            .post_form("/admin/routes/EU-ECO", &route)
            .await
            .status(),
        303
    );
    let promotion = [
        ("code", "SAMPLE10"),
        ("kind", "fixed"),
        ("amount", "10"),
        ("valid_from", "2020-01-01"),
        ("valid_until", "2099-12-31"),
        ("routes", "EU-ECO"),
    ];
    assert_eq!(
        admin
            .post_form("/admin/pricing/promotions", &promotion)
            .await
            .status(),
        303
    );

    let visitor = app.browser();
    visitor.english().await;
    let page = visitor
        .get_text("/rates?to=DE&weight_kg=0.481&declared_usd=8&insurance=on&ddp=on&promo=sample10")
        .await;
    // EU-ECO: 53.28 carriage; insurance 1 % of 57.60 CNY → minimum 5.00; DDP 10 % = 5.76 → minimum 15.00; promotion −10.00
    assert!(page.contains("data-total=\"63.28\""), "{page}");
    assert!(
        page.contains("Insurance") && page.contains("DDP (duties paid)") && page.contains("-10.00")
    );
    assert!(
        page.contains("DDP not offered"),
        "routes without DDP say so"
    );
    let page = visitor
        .get_text("/rates?to=DE&weight_kg=0.481&promo=NOPE")
        .await;
    assert!(page.contains("The promotion code is unknown or expired."));
}
