//! Parcel labels (one, several, staff's re-print) and the shipment proof.

use crate::barcode_scan;
use crate::common::{Browser, TestApp};
use crate::paid::{self, Paid, paid_order};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use samplepost::db::DbConnection;
use samplepost::db::schema::{
    order_events, order_shipments, orders, parcel_checks, uploads, users,
};
use samplepost::domain::status::Role;
use samplepost::storage::{LocalStorage, Storage};
use std::io::Write;
use std::process::Command;

/// Runs a poppler tool on `pdf`; `None` when it is missing and not required.
fn poppler(tool: &str, pdf: &[u8]) -> Option<String> {
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    file.write_all(pdf).expect("write pdf");
    let mut command = Command::new(tool);
    command.arg(file.path());
    if tool == "pdftotext" {
        command.args(["-enc", "UTF-8", "-"]);
    }
    match command.output() {
        Ok(out) => {
            assert!(out.status.success(), "{tool} failed");
            Some(String::from_utf8(out.stdout).expect("UTF-8"))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let required = std::env::var("E2E_REQUIRED").is_ok_and(|v| v == "1");
            assert!(!required, "E2E_REQUIRED=1 but {tool} is missing");
            None
        }
        Err(e) => panic!("{tool}: {e}"),
    }
}

/// `pdfinfo`'s page size in whole millimetres and its page count.
fn page_format(pdf: &[u8]) -> Option<((i64, i64), usize)> {
    let info = poppler("pdfinfo", pdf)?;
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name))
            .unwrap_or_else(|| panic!("pdfinfo prints {name}"))
            .to_owned()
    };
    let size: Vec<f64> = field("Page size:")
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    let mm = |pt: f64| (pt * 25.4 / 72.0).round() as i64;
    let pages = field("Pages:").trim().parse().expect("page count");
    Some(((mm(size[0]), mm(size[1])), pages))
}

async fn get_pdf(browser: &Browser, path: &str) -> Vec<u8> {
    let response = browser.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    let kind = response.headers()["content-type"].to_str().expect("type");
    assert_eq!(kind, "application/pdf");
    response.bytes().await.expect("body").to_vec()
}

#[tokio::test]
async fn a_paid_orders_a6_label_carries_a_barcode_that_reads_back_the_order_number() {
    let app = TestApp::spawn().await;
    let Paid {
        seller,
        no,
        company,
        total,
        ..
    } = paid_order(&app, 100_000, &[]).await;
    let pdf = get_pdf(&seller, &format!("/app/orders/{no}/label.pdf")).await;
    if let Some(format) = page_format(&pdf) {
        assert_eq!(format, ((105, 148), 1), "one A6 page");
    }
    if let Some(text) = poppler("pdftotext", &pdf) {
        for needle in [no.as_str(), "Jane Smith", "London", "POST-SMALL", "0.48 kg"] {
            assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
        }
        assert!(
            text.contains("上门揽收"),
            "no drop-off chosen yet: a pickup"
        );
    }
    if let Some(read) = barcode_scan::read_pdf(&pdf, 1) {
        assert_eq!(read, Ok(no.clone()), "the bars say the order number");
    }
    let a4 = get_pdf(&seller, &format!("/app/orders/{no}/label.pdf?size=a4")).await;
    if let Some(format) = page_format(&a4) {
        assert_eq!(format, ((210, 297), 1), "A4 on request");
    }
    if let Some(read) = barcode_scan::read_pdf(&a4, 1) {
        assert_eq!(read, Ok(no.clone()));
    }
    // Printing reads only: the ledger still holds the credit and the payment.
    assert_eq!(total, paid::quoted_total(&seller, &no).await);
    let ledger = paid::entries(&app, company);
    assert_eq!(ledger.len(), 2);
    assert_eq!(ledger[1], ("payment".to_owned(), -total));
    let odd = seller
        .get(&format!("/app/orders/{no}/label.pdf?size=letter"))
        .await;
    assert_eq!(odd.status(), 400);
    let page = odd.text().await.expect("body");
    assert!(page.contains("?size=a4") && page.contains("A6"), "{page}");
}

#[tokio::test]
async fn the_label_page_prints_the_bars_as_svg_without_inline_script() {
    let app = TestApp::spawn().await;
    let Paid { seller, no, .. } = paid_order(&app, 100_000, &[]).await;
    let order = seller.get_text(&format!("/app/orders/{no}")).await;
    assert!(order.contains(&format!("href=\"/app/orders/{no}/label\"")));
    assert!(
        !order.contains("/proof.pdf"),
        "no proof before the warehouse has the parcel"
    );
    let page = seller.get_text(&format!("/app/orders/{no}/label")).await;
    assert!(page.contains(&format!("data-label=\"{no}\"")));
    assert!(page.contains("<svg ") && page.contains(&format!("aria-label=\"{no}\"")));
    assert!(page.contains("/static/label.css") && page.contains("data-print"));
    assert!(!page.contains("<script>"), "only script files (CSP)");
    assert!(page.contains("Jane Smith") && page.contains("上门揽收"));
    let css = app.browser().get("/static/label.css").await;
    assert_eq!(css.status(), 200);
}

#[tokio::test]
async fn no_label_before_payment_nor_for_another_companys_order() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let unpaid = crate::orders::submitted(&seller, &[]).await;
    for path in [
        format!("/app/orders/{unpaid}/label"),
        format!("/app/orders/{unpaid}/label.pdf"),
    ] {
        let response = seller.get(&path).await;
        assert_eq!(response.status(), 409, "{path}");
        let page = response.text().await.expect("body");
        assert!(page.contains("付款后才能打印面单"), "{page}");
    }
    let Paid { no, .. } = paid_order(&app, 100_000, &[("form_token", "other")]).await;
    for path in [
        format!("/app/orders/{no}/label"),
        format!("/app/orders/{no}/label.pdf"),
        format!("/app/orders/{no}/proof.pdf"),
        "/app/orders/SP0000000000XX/label.pdf".to_owned(),
    ] {
        assert_eq!(seller.get(&path).await.status(), 404, "{path}");
    }
}

#[tokio::test]
async fn several_labels_print_in_one_pdf_from_the_order_list() {
    let app = TestApp::spawn().await;
    let Paid { seller, no, .. } = paid_order(&app, 200_000, &[]).await;
    let second = paid::pay_new(&seller, &[("form_token", "second")]).await;
    let draft =
        crate::orders::submitted(&seller, &[("form_token", "third"), ("acknowledge", "yes")]).await;
    let list = seller.get_text("/app/orders").await;
    assert!(list.contains("action=\"/app/orders/labels.pdf\""));
    for paid in [&no, &second] {
        assert!(list.contains(&format!(
            "name=\"no\" value=\"{paid}\" form=\"labels-form\""
        )));
    }
    assert!(
        !list.contains(&format!("value=\"{draft}\"")),
        "unpaid: no box"
    );

    let both = format!("/app/orders/labels.pdf?size=a6&no={no}&no={second}&no={no}");
    let pdf = get_pdf(&seller, &both).await;
    if let Some(format) = page_format(&pdf) {
        assert_eq!(format, ((105, 148), 2), "one A6 page each, repeats once");
    }
    if let Some(read) = barcode_scan::read_pdf(&pdf, 2) {
        assert_eq!(read, Ok(second.clone()), "in the order asked for");
    }
    let sheet = get_pdf(&seller, &format!("{both}&size=a4")).await;
    if let Some(format) = page_format(&sheet) {
        assert_eq!(format, ((210, 297), 1), "four to an A4 sheet");
    }

    let (other, _) = app.owner("Other").await;
    let response = other
        .get(&format!("/app/orders/labels.pdf?no={no}&no={second}"))
        .await;
    assert_eq!(response.status(), 404, "another company's orders");
    let page = response.text().await.expect("body");
    assert!(!page.contains("Jane Smith") && !page.contains(&no));
    let unpaid = seller
        .get(&format!("/app/orders/labels.pdf?no={no}&no={draft}"))
        .await;
    assert_eq!(unpaid.status(), 409);
    assert_eq!(seller.get("/app/orders/labels.pdf").await.status(), 400);
    let many: String = (0..101).map(|_| format!("no={no}&")).collect();
    let response = seller.get(&format!("/app/orders/labels.pdf?{many}")).await;
    assert_eq!(response.status(), 400);
    assert!(response.text().await.expect("body").contains("100"));
}

#[tokio::test]
async fn staff_reprint_any_orders_label_and_sellers_cannot() {
    let app = TestApp::spawn().await;
    let Paid { seller, no, .. } = paid_order(&app, 100_000, &[]).await;
    let operator = app.staff(Role::Operator).await;
    let pdf = get_pdf(&operator, &format!("/admin/orders/{no}/label.pdf")).await;
    if let Some(read) = barcode_scan::read_pdf(&pdf, 1) {
        assert_eq!(read, Ok(no.clone()));
    }
    let refused = seller.get(&format!("/admin/orders/{no}/label.pdf")).await;
    assert_eq!(refused.status(), 403);
    let unknown = operator.get("/admin/orders/SP2611259999ZZ/label.pdf").await;
    assert_eq!(unknown.status(), 404);
}

/// The warehouse's steps the lead's services will take, written directly:
/// an accepted check with a photo, the receipt, the hand-over and delivery.
fn receive_and_dispatch(app: &TestApp, paid: &Paid, photo: &[u8]) {
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    let order: i64 = orders::table
        .filter(orders::order_no.eq(&paid.no))
        .select(orders::id)
        .first(conn)
        .expect("order");
    let user: i64 = users::table
        .filter(users::email.eq(&paid.email))
        .select(users::id)
        .first(conn)
        .expect("user");
    let storage = LocalStorage::new(app.data_dir.path().join("uploads"));
    let key = storage.put(photo).expect("stored");
    let at = |text: &str| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("time");
    diesel::insert_into(uploads::table)
        .values((
            uploads::company_id.eq(Some(paid.company)),
            uploads::uploaded_by.eq(user),
            uploads::kind.eq("parcel_photo"),
            uploads::sha256.eq(&key),
            uploads::mime.eq("image/png"),
            uploads::size_bytes.eq(photo.len() as i64),
            uploads::original_name.eq("parcel.png"),
            uploads::created_at.eq(at("2026-12-02 01:00")),
        ))
        .execute(conn)
        .expect("upload");
    let upload: i64 = uploads::table
        .filter(uploads::sha256.eq(&key))
        .select(uploads::id)
        .first(conn)
        .expect("upload id");
    for (weight, outcome, minute) in [(600, "refused", "01:10"), (520, "accepted", "01:30")] {
        diesel::insert_into(parcel_checks::table)
            .values((
                parcel_checks::order_id.eq(order),
                parcel_checks::outcome.eq(outcome),
                parcel_checks::weight_g.eq(weight),
                parcel_checks::length_mm.eq(310),
                parcel_checks::width_mm.eq(200),
                parcel_checks::height_mm.eq(50),
                parcel_checks::contents_match.eq(outcome == "accepted"),
                parcel_checks::photo_upload_id.eq(Some(upload)),
                parcel_checks::refusal_reason.eq((outcome == "refused").then_some("damaged")),
                parcel_checks::note.eq(""),
                parcel_checks::bill_lines.eq("[]"),
                parcel_checks::bill_total_fen.eq(Some(1000)),
                parcel_checks::charged_before_fen.eq(1000),
                parcel_checks::within_tolerance.eq(false),
                parcel_checks::checked_by.eq(user),
                parcel_checks::checked_at.eq(at(&format!("2026-12-02 {minute}"))),
            ))
            .execute(conn)
            .expect("parcel check");
    }
    diesel::update(order_shipments::table.find(order))
        .set((
            order_shipments::received_at.eq(Some(at("2026-12-02 01:00"))),
            order_shipments::carrier.eq(Some("DHL")),
            order_shipments::waybill.eq(Some("JD014600009912")),
            order_shipments::handed_over_at.eq(Some(at("2026-12-02 09:45"))),
        ))
        .execute(conn)
        .expect("shipment");
    diesel::insert_into(order_events::table)
        .values((
            order_events::order_id.eq(order),
            order_events::kind.eq("deliver"),
            order_events::from_status.eq(Some("out_for_delivery")),
            order_events::to_status.eq("delivered"),
            order_events::note.eq("Left at the front desk"),
            order_events::at.eq(at("2026-12-06 14:05")),
        ))
        .execute(conn)
        .expect("delivery event");
}

#[tokio::test]
async fn the_shipment_proof_waits_for_receipt_then_shows_waybill_measure_and_handover() {
    let app = TestApp::spawn().await;
    let paid = paid_order(&app, 100_000, &[]).await;
    let (seller, no) = (&paid.seller, &paid.no);
    let early = seller.get(&format!("/app/orders/{no}/proof.pdf")).await;
    assert_eq!(early.status(), 409);
    let page = early.text().await.expect("body");
    assert!(page.contains("仓库收到包裹后") && page.contains("once the warehouse has received"));

    // A PNG signature over zeros: the photo cannot be read, the proof says so.
    receive_and_dispatch(&app, &paid, &crate::common::png());
    let pdf = get_pdf(seller, &format!("/app/orders/{no}/proof.pdf")).await;
    if let Some(format) = page_format(&pdf) {
        assert_eq!(format.0, (210, 297), "A4");
    }
    let Some(text) = poppler("pdftotext", &pdf) else {
        return;
    };
    for needle in [
        no,
        "JD014600009912",
        "DHL Express",
        "0.52 kg",
        "31 × 20 × 5 cm",
        "0.48 kg",
        // 01:00 UTC received, 01:30 checked, 09:45 handed over: China time.
        "2026-12-02 09:00",
        "2026-12-02 09:30",
        "2026-12-02 17:45",
        "2026-12-06 22:05",
        "Left at the front desk",
        "Cotton T-shirt × 2",
        "could not be read",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
    }
    assert!(!text.contains("0.6 kg"), "the refused check does not count");
}
