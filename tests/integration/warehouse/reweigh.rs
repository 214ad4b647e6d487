//! Receiving and re-weighing: the measured parcel is priced on the quote's
//! rate-sheet version and rules; the difference is charged or refunded.
//!
//! The standard order goes to London on POST-SMALL, whose demo row for GB is
//! ¥62.00 per kg (step 1 g) plus ¥16.00 registration, no volumetric weight:
//! 0.48 kg is 62.00 × 0.48 + 16.00 = ¥45.76.

use super::{BOX, entry, ledger_of, receive, status_of};
use crate::common::{TestApp, location};
use crate::paid::paid_order;
use samplepost::domain::status::Role;

const QUOTE_048: i64 = 4576;

#[tokio::test]
async fn a_heavier_parcel_is_charged_the_difference_on_the_statement_and_the_order() {
    let app = TestApp::spawn().await;
    let paid = paid_order(&app, 100_000, &[]).await;
    assert_eq!(paid.total, QUOTE_048);
    let operator = app.staff(Role::Operator).await;
    let response = receive(&operator, &paid.no, "0.60", BOX).await;
    assert_eq!(response.status(), 303, "received");
    assert_eq!(location(&response), format!("/admin/warehouse/{}", paid.no));
    // 0.60 kg: 62.00 × 0.60 + 16.00 = ¥53.20, ¥7.44 more than paid.
    assert_eq!(
        ledger_of(&app, &paid.no),
        [entry("payment", -4576), entry("reweigh", -744)]
    );
    assert_eq!(status_of(&app, &paid.no), "received");
    let page = paid
        .seller
        .get_text(&format!("/app/orders/{}", paid.no))
        .await;
    assert!(page.contains("data-supplement=\"744\""), "{page}");
    assert!(page.contains("data-bill-total=\"5320\""));
    assert!(page.contains("data-line=\"freight\""));
    assert!(page.contains("data-event=\"receive\""));
    let statement = paid.seller.get_text("/app/balance").await;
    assert!(statement.contains("复重补款") && statement.contains(&paid.no));
    let actions = crate::orders::audit_actions(&app, &paid.no);
    assert!(actions.contains(&"order.receive".to_owned()), "{actions:?}");
}

#[tokio::test]
async fn a_lighter_parcel_gets_the_difference_back() {
    let app = TestApp::spawn().await;
    let paid = paid_order(&app, 100_000, &[]).await;
    let operator = app.staff(Role::Operator).await;
    receive(&operator, &paid.no, "0.40", BOX).await;
    // 0.40 kg: 62.00 × 0.40 + 16.00 = ¥40.80, ¥4.96 less than paid.
    assert_eq!(
        ledger_of(&app, &paid.no),
        [entry("payment", -4576), entry("reweigh", 496)]
    );
    let page = paid
        .seller
        .get_text(&format!("/app/orders/{}", paid.no))
        .await;
    assert!(page.contains("data-refunded=\"-496\""), "{page}");
}

#[tokio::test]
async fn a_difference_within_the_tolerance_moves_no_money() {
    let app = TestApp::spawn().await;
    let paid = paid_order(&app, 100_000, &[]).await;
    let operator = app.staff(Role::Operator).await;
    // 40 g over the declared 480 g: within the default 50 g (3 % would be 14 g).
    receive(&operator, &paid.no, "0.52", BOX).await;
    assert_eq!(ledger_of(&app, &paid.no), [entry("payment", -4576)]);
    assert_eq!(status_of(&app, &paid.no), "received");
    let page = paid
        .seller
        .get_text(&format!("/app/orders/{}", paid.no))
        .await;
    assert!(page.contains("data-within-tolerance"));
    assert!(page.contains("data-bill-difference=\"0\""));
}

#[tokio::test]
async fn a_bigger_box_is_charged_by_its_volumetric_weight() {
    let app = TestApp::spawn().await;
    // INTL-EXPRESS to GB: divisor 5000, 500 g steps, first 500 g ¥160.00, each
    // further 500 g ¥38.00, fuel 20.5 % of freight. Declared 0.48 kg in
    // 30 × 20 × 5 cm = 3,000 cm³ → 0.6 kg volumetric → 1,000 g charged:
    // 160.00 + 38.00 = 198.00, fuel 40.59 → ¥238.59.
    let paid = paid_order(&app, 100_000, &[("route", "INTL-EXPRESS")]).await;
    assert_eq!(paid.total, 23859);
    let operator = app.staff(Role::Operator).await;
    // Same weight, box 40 × 30 × 20 cm = 24,000 cm³ → 4.8 kg → 5,000 g charged:
    // 160.00 + 9 × 38.00 = 502.00, fuel 102.91 → ¥604.91.
    receive(&operator, &paid.no, "0.48", ["40", "30", "20"]).await;
    assert_eq!(
        ledger_of(&app, &paid.no),
        [entry("payment", -23859), entry("reweigh", -(60491 - 23859))]
    );
}

#[tokio::test]
async fn the_quotes_rate_sheet_version_prices_the_parcel_after_a_new_sheet() {
    let app = TestApp::spawn().await;
    let paid = paid_order(&app, 100_000, &[]).await;
    // A new sheet doubles POST-SMALL to GB after the order was paid.
    let admin = app.staff(Role::Admin).await;
    let sheet = "route_code,route_name_zh,route_name_en,transport,transit_min_days,transit_max_days,volumetric_divisor,accepts,max_weight_g,country,min_weight_g,step_g,first_weight_g,first_price,step_price,per_kg_price,registration_fee,fuel_pct,battery_fee,liquid_fee,magnetic_fee,powder_fee,remote_postcodes,remote_fee
POST-SMALL,邮政小包,Postal Small Packet,air_parcel,15,30,0,,2000,GB,10,1,0,,,124.00,32.00,,,,,,,
";
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", admin.csrf().await)
        .part(
            "sheet",
            reqwest::multipart::Part::bytes(sheet.as_bytes().to_vec())
                .file_name("new.csv")
                .mime_str("text/csv")
                .expect("mime"),
        );
    assert_eq!(
        admin.post_multipart("/admin/rates", form).await.status(),
        200
    );
    let quote = admin.get_text("/rates?to=GB&weight_kg=0.6").await;
    assert!(quote.contains("106.40"), "today's price is the new one");
    let operator = app.staff(Role::Operator).await;
    receive(&operator, &paid.no, "0.60", BOX).await;
    // Still the old sheet: ¥53.20 − ¥45.76.
    assert_eq!(
        ledger_of(&app, &paid.no),
        [entry("payment", -4576), entry("reweigh", -744)]
    );
}

#[tokio::test]
async fn the_scan_box_catches_a_typo_and_keeps_what_was_typed() {
    let app = TestApp::spawn().await;
    let paid = paid_order(&app, 100_000, &[]).await;
    let operator = app.staff(Role::Operator).await;
    let mut typo = paid.no.clone();
    let last = typo.pop().expect("a character");
    typo.push(if last == 'A' { 'B' } else { 'A' });
    let response = operator
        .get(&format!("/admin/warehouse/scan?order_no={typo}"))
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("page");
    assert!(page.contains("id=\"order_no-error\"") && page.contains(&typo));
    let response = operator
        .get(&format!(
            "/admin/warehouse/scan?order_no={}",
            paid.no.to_lowercase()
        ))
        .await;
    assert_eq!(response.status(), 303, "a scanner's lower case is fine");
    assert_eq!(location(&response), format!("/admin/warehouse/{}", paid.no));
    let parcel = operator
        .get_text(&format!("/admin/warehouse/{}", paid.no))
        .await;
    assert!(parcel.contains("data-declared-weight") && parcel.contains("0.48 kg"));
    // Sellers have no business in the warehouse.
    assert_eq!(paid.seller.get("/admin/warehouse").await.status(), 403);
}

#[tokio::test]
async fn receiving_needs_a_measurement_and_the_contents_ticked() {
    let app = TestApp::spawn().await;
    let paid = paid_order(&app, 100_000, &[]).await;
    let operator = app.staff(Role::Operator).await;
    let response = super::measure(
        &operator,
        &paid.no,
        "receive",
        &[
            ("weight_kg", "heavy"),
            ("length_cm", "30"),
            ("width_cm", "20"),
            ("height_cm", "5"),
        ],
        false,
    )
    .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("page");
    assert!(page.contains("id=\"weight_kg-error\""));
    assert!(page.contains("id=\"contents_match-error\""));
    assert!(page.contains("value=\"heavy\""), "what was typed stays");
    assert_eq!(status_of(&app, &paid.no), "paid");
    // A second receipt of a received parcel is refused and charges nothing.
    receive(&operator, &paid.no, "0.60", BOX).await;
    let again = receive(&operator, &paid.no, "0.90", BOX).await;
    assert_eq!(again.status(), 409);
    assert_eq!(ledger_of(&app, &paid.no).len(), 2);
}
