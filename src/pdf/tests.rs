//! Tests of the PDF writer. Text checks use poppler's `pdftotext`/`pdfinfo`
//! (Debian `poppler-utils`); without them those checks are skipped with a
//! note, unless `E2E_REQUIRED=1`, where they fail.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Instant;

use chrono::NaiveDate;

use super::canvas::{Op, PdfFont};
use super::layout::{BOTTOM, layout};
use super::*;

fn party_cn() -> Party {
    Party {
        name: "Li Wei 李伟".into(),
        company: Some("Shenzhen Bright Trading Co., Ltd. 深圳明亮贸易有限公司".into()),
        lines: vec![
            "广东省深圳市南山区科技园南区高新南七道 18 号".into(),
            "Room 1203, Block B, 18 Gaoxin South 7th Rd, Nanshan".into(),
            "Shenzhen, Guangdong 518057".into(),
        ],
        phone: "+8613800138000".into(),
        country: "China 中国".into(),
    }
}

fn party_us() -> Party {
    Party {
        name: "Jane Doe".into(),
        company: None,
        lines: vec![
            "350 Fifth Avenue, Suite 4100".into(),
            "New York, NY 10118".into(),
        ],
        phone: "+12125550123".into(),
        country: "United States".into(),
    }
}

fn item(en: &str, zh: Option<&str>, hs: &str, qty: u32, cents: i64) -> InvoiceItem {
    InvoiceItem {
        description_en: en.into(),
        description_zh: zh.map(Into::into),
        hs_code: hs.into(),
        origin: "CN".into(),
        quantity: qty,
        unit_value_cents: cents,
    }
}

fn invoice(items: Vec<InvoiceItem>) -> ProformaInvoice {
    ProformaInvoice {
        order_no: "SP2611250001A7".into(),
        date: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        sender: party_cn(),
        recipient: party_us(),
        items,
        currency: "USD",
        route_name: "Yanwen Special Line 燕文专线".into(),
        purpose: "Sample 样品".into(),
        weight_g: 450,
        draft: false,
    }
}

fn two_items() -> ProformaInvoice {
    invoice(vec![
        item(
            "Cotton T-shirt, women's",
            Some("女式棉质T恤"),
            "610910",
            1,
            850,
        ),
        item("Phone case, silicone", Some("硅胶手机壳"), "392690", 2, 425),
    ])
}

fn forty_items() -> ProformaInvoice {
    let items = (1..=40)
        .map(|i| {
            item(
                &format!("Sample item number {i}, assorted colours and sizes"),
                Some("样品，多种颜色和尺码"),
                "630790",
                1,
                100 + i,
            )
        })
        .collect();
    invoice(items)
}

/// Runs a poppler tool on `pdf` (given on stdin is not supported by all of
/// them, so through a temporary file); `None` when the tool is missing.
pub(super) fn poppler(tool: &str, pdf: &[u8], extra: &[&str]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::File::create(&path)
        .unwrap()
        .write_all(pdf)
        .unwrap();
    let out = Command::new(tool)
        .args(extra)
        .arg(&path)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .stderr(Stdio::inherit())
        .output();
    match out {
        Ok(out) => {
            assert!(out.status.success(), "{tool} failed on the PDF");
            Some(String::from_utf8(out.stdout).unwrap())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let required = std::env::var("E2E_REQUIRED").is_ok_and(|v| v == "1");
            assert!(
                !required,
                "E2E_REQUIRED=1 but {tool} was not found (apt-get install -y poppler-utils)"
            );
            eprintln!(
                "note: {tool} not found (Debian poppler-utils); skipping the checks that need it"
            );
            None
        }
        Err(e) => panic!("running {tool}: {e}"),
    }
}

#[test]
fn amounts_are_plain_decimals() {
    assert_eq!(format_amount(850), "8.50");
    assert_eq!(format_amount(1700), "17.00");
    assert_eq!(format_amount(5), "0.05");
    assert_eq!(format_amount(0), "0.00");
    assert_eq!(format_amount(-1234), "-12.34");
    assert_eq!(format_amount(123_456_789), "1234567.89");
    assert_eq!(two_items().total_cents(), 1700);
    assert_eq!(two_items().total_quantity(), 3);
}

#[test]
fn two_item_invoice_is_a_pdf_with_the_chinese_text() {
    let started = Instant::now();
    let pdf = render_pdf(&two_items()).unwrap();
    eprintln!(
        "rendered {} bytes in {:?} (first render, font parsed)",
        pdf.len(),
        started.elapsed()
    );
    assert!(pdf.starts_with(b"%PDF"));
    assert!(
        pdf.len() < 200_000,
        "the font must be subset, got {} bytes",
        pdf.len()
    );
    let Some(text) = poppler("pdftotext", &pdf, &["-enc", "UTF-8"]) else {
        return;
    };
    for needle in [
        "SP2611250001A7",
        "2026-11-25",
        "PROFORMA INVOICE",
        "形式发票",
        "样品，无商业价值",
        "610910",
        "392690",
        "女式棉质T恤",
        "深圳明亮贸易有限公司",
        "Jane Doe",
        "8.50",
        "4.25",
        "17.00",
        "Signature / 签字",
        "Yanwen Special Line",
        "0.450 kg",
        "Page 1 / 1",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
    }
}

#[test]
fn forty_items_flow_onto_more_pages() {
    let inv = forty_items();
    let pages = layout(PdfFont::get().unwrap(), &inv);
    assert!(pages.len() >= 2, "{} page(s)", pages.len());
    // Nothing but the footer (7.5 pt) reaches below the content area.
    for (n, page) in pages.iter().enumerate() {
        for op in page {
            if let Op::Text { y, size, text, .. } = op {
                assert!(*y < BOTTOM || *size == 7.5, "page {n}: {text:?} at {y}");
            }
        }
    }
    let pdf = render_pdf(&inv).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    if let Some(info) = poppler("pdfinfo", &pdf, &[]) {
        let n: usize = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .map(|n| n.trim().parse().unwrap())
            .expect("pdfinfo prints Pages:");
        assert_eq!(n, pages.len());
    }
    if let Some(text) = poppler("pdftotext", &pdf, &["-enc", "UTF-8"]) {
        let last = format!("Page {0} / {0}", pages.len());
        for needle in [
            "continued 续",
            "Sample item number 40",
            "Signature / 签字",
            &last,
        ] {
            assert!(text.contains(needle), "{needle:?} missing");
        }
        // Rows come in order across the page breaks.
        let at = |i: usize| text.find(&format!("number {i},")).expect("every row");
        assert!((2..=40).all(|i| at(i - 1) < at(i)), "rows out of order");
        // 40 items of 1.01…1.40: 40 + (1+…+40)/100 = 48.20
        assert!(text.contains("48.20"), "total missing");
    }
}

#[test]
fn wrapping_breaks_words_and_han_text() {
    let font = PdfFont::get().unwrap();
    let lines = font.wrap("alpha beta gamma delta", 10.0, 60.0);
    assert!(lines.len() >= 2, "{lines:?}");
    assert!(
        lines
            .iter()
            .all(|l| !l.starts_with(' ') && !l.ends_with(' '))
    );
    assert_eq!(lines.join(" "), "alpha beta gamma delta");
    let han = "广东省深圳市南山区科技园南区高新南七道十八号，样品。";
    let lines = font.wrap(han, 10.0, 55.0);
    assert!(lines.len() >= 4, "{lines:?}");
    assert_eq!(lines.concat(), han);
    assert!(
        lines
            .iter()
            .all(|l| !l.starts_with('，') && !l.starts_with('。'))
    );
    // A word longer than the column is split rather than overflowing.
    let long = font.wrap("Supercalifragilisticexpialidocious", 10.0, 40.0);
    assert!(long.len() > 1 && long.concat() == "Supercalifragilisticexpialidocious");
    assert!(font.wrap("", 10.0, 40.0).is_empty());
}

#[test]
fn long_and_odd_input_still_renders() {
    let mut inv = two_items();
    inv.items[0].description_en = "Very long description ".repeat(30);
    inv.items[0].description_zh = Some("很长的中文描述".repeat(20));
    inv.recipient
        .lines
        .push("Tab\there and an emoji 🎁 not in the font".into());
    inv.items[1].unit_value_cents = i64::MAX;
    let pdf = render_pdf(&inv).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    inv.items.clear();
    let empty = render_pdf(&inv).unwrap();
    assert!(empty.starts_with(b"%PDF"));
}

/// Writes a sample to /tmp/pi-sample.pdf (and a 40-item one beside it) for
/// a look with `pdftoppm -png -r 60 /tmp/pi-sample.pdf /tmp/pi`.
#[test]
#[ignore = "writes sample files to /tmp"]
fn write_samples() {
    let started = Instant::now();
    let pdf = render_pdf(&two_items()).unwrap();
    eprintln!("2 items: {} bytes, {:?}", pdf.len(), started.elapsed());
    std::fs::write("/tmp/pi-sample.pdf", pdf).unwrap();
    let started = Instant::now();
    let pdf = render_pdf(&forty_items()).unwrap();
    eprintln!("40 items: {} bytes, {:?}", pdf.len(), started.elapsed());
    std::fs::write("/tmp/pi-sample-40.pdf", pdf).unwrap();
}

#[test]
fn a_drafts_invoice_says_draft_and_a_submitted_ones_does_not() {
    let mut draft = two_items();
    draft.draft = true;
    let pdf = render_pdf(&draft).expect("pdf");
    let final_pdf = render_pdf(&two_items()).expect("pdf");
    assert!(pdf.len() > final_pdf.len(), "the mark is drawn");
    let (Some(text), Some(final_text)) = (
        poppler("pdftotext", &pdf, &["-enc", "UTF-8"]),
        poppler("pdftotext", &final_pdf, &["-enc", "UTF-8"]),
    ) else {
        return;
    };
    assert!(text.contains("DRAFT") && text.contains("草稿"), "{text}");
    assert!(!final_text.contains("DRAFT"));
}
