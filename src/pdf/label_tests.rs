//! Tests of the label and shipment-proof PDFs (poppler checks as in `tests`).

use chrono::NaiveDate;

use super::canvas::{Op, PageSize, PdfFont, Photo};
use super::tests::poppler;
use super::*;
use crate::domain::barcode::Barcode;

fn label(no: &str) -> Label {
    Label {
        order_no: no.to_owned(),
        barcode: Barcode::code128(no).unwrap(),
        sender_city: "深圳市".into(),
        recipient_name: "Jane Doe".into(),
        recipient_city: "New York, NY, 10118".into(),
        country_code: "US".into(),
        country_name: "United States".into(),
        route_code: "YW-US".into(),
        route_name: "Yanwen Special Line".into(),
        weight_g: 450,
        marks: vec![Mark::Battery, Mark::Liquid, Mark::Magnetic, Mark::Powder],
        warehouse: Some("Shenzhen Bao'an · 深圳市宝安区福永街道".into()),
    }
}

/// "Page size: 297.638 x 419.528 pts" → millimetres, rounded.
fn page_mm(info: &str) -> (i64, i64) {
    let line = info
        .lines()
        .find_map(|l| l.strip_prefix("Page size:"))
        .expect("pdfinfo prints the page size");
    let mut numbers = line
        .split_whitespace()
        .filter_map(|w| w.parse::<f64>().ok());
    let mut mm = || (numbers.next().unwrap() * 25.4 / 72.0).round() as i64;
    (mm(), mm())
}

fn pages(info: &str) -> usize {
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|n| n.trim().parse().unwrap())
        .expect("pdfinfo prints Pages:")
}

#[test]
fn a_label_is_one_a6_page_with_the_number_route_recipient_and_marks() {
    let pdf = render_labels(&[label("SP2611250001BU")], LabelPaper::A6).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    if let Some(info) = poppler("pdfinfo", &pdf, &[]) {
        assert_eq!(page_mm(&info), (105, 148));
        assert_eq!(pages(&info), 1);
    }
    let Some(text) = poppler("pdftotext", &pdf, &["-enc", "UTF-8"]) else {
        return;
    };
    for needle in [
        "SP2611250001BU",
        "YW-US",
        "Jane Doe",
        "New York",
        "United States (US)",
        "深圳市",
        "0.45 kg",
        "带电 BATTERY",
        "液体 LIQUID",
        "带磁 MAGNETIC",
        "粉末 POWDER",
        "宝安区",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
    }
}

#[test]
fn four_labels_share_an_a4_sheet_and_a_fifth_starts_the_next() {
    let labels: Vec<Label> = (1..=5)
        .map(|i| {
            label(
                crate::domain::order_no::OrderNo::new(
                    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
                    i,
                )
                .as_str(),
            )
        })
        .collect();
    let pdf = render_labels(&labels, LabelPaper::A4).unwrap();
    if let Some(info) = poppler("pdfinfo", &pdf, &[]) {
        assert_eq!(page_mm(&info), (210, 297));
        assert_eq!(pages(&info), 2);
    }
    if let Some(text) = poppler("pdftotext", &pdf, &["-enc", "UTF-8"]) {
        for l in &labels {
            assert!(text.contains(&l.order_no), "{} missing", l.order_no);
        }
    }
}

#[test]
fn the_bars_keep_their_quiet_zones_inside_the_label() {
    let font = PdfFont::get().unwrap();
    let l = label("SP2611250001BU");
    let pages = label::layout(font, &l, 0.0, 0.0);
    let (x, module, bars) = pages
        .iter()
        .find_map(|op| match op {
            Op::Bars {
                x, module, bars, ..
            } => Some((*x, *module, bars.clone())),
            _ => None,
        })
        .expect("the label has bars");
    assert_eq!(bars, l.barcode.bars());
    let quiet = module * crate::domain::barcode::QUIET_ZONE as f32;
    let end = x + module * l.barcode.modules() as f32;
    assert!(
        x - quiet >= 0.0 && end + quiet <= PageSize::A6.w,
        "{x} {end}"
    );
    // Wide enough for a handheld scanner at 0.33 mm (0.94 pt) or more.
    assert!(module >= 0.94, "module {module} pt");
}

#[test]
fn paper_sizes_are_a6_by_default_and_a4_on_request() {
    assert_eq!(LabelPaper::parse(None), Some(LabelPaper::A6));
    assert_eq!(LabelPaper::parse(Some("a6")), Some(LabelPaper::A6));
    assert_eq!(LabelPaper::parse(Some("A4")), Some(LabelPaper::A4));
    assert_eq!(LabelPaper::parse(Some("letter")), None);
}

/// A real PNG of `w` × `h` grey pixels (zlib through flate2, CRCs by flate2).
pub(super) fn png(w: u32, h: u32) -> Vec<u8> {
    use std::io::Write;
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    }
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    let mut raw = Vec::new();
    for y in 0..h {
        raw.push(0);
        raw.extend((0..w).map(|x| ((x + y) * 7 % 256) as u8));
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&raw).unwrap();
    let mut out = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &z.finish().unwrap());
    chunk(&mut out, b"IEND", &[]);
    out
}

fn proof(photo: PhotoSlot) -> ShipmentProof {
    let at = |h| {
        NaiveDate::from_ymd_opt(2026, 12, 2)
            .unwrap()
            .and_hms_opt(h, 30, 0)
            .unwrap()
    };
    ShipmentProof {
        order_no: "SP2611250001BU".into(),
        waybill: Some(("DHL Express".into(), "JD0146000099".into())),
        route: "Yanwen Special Line (YW-US)".into(),
        recipient: "Jane Doe, New York, US".into(),
        declared: Parcel {
            weight_g: Some(450),
            size_mm: Some((200, 150, 100)),
        },
        marks: vec![Mark::Battery],
        items: vec![("Cotton T-shirt".into(), 2)],
        measured: Some(Measured {
            parcel: Parcel {
                weight_g: Some(520),
                size_mm: Some((210, 150, 100)),
            },
            contents_match: true,
            checked_at: at(10),
        }),
        photo,
        received_at: at(9),
        handed_over_at: Some(at(16)),
        delivered: Some((at(20), "Front desk".into())),
        generated_at: at(21),
    }
}

#[test]
fn a_proof_embeds_the_warehouse_photo() {
    let photo = Photo::from_bytes(png(64, 48)).expect("a PNG");
    assert_eq!(photo.pixels(), (64, 48));
    let pdf = render_proof(&proof(PhotoSlot::Photo(photo))).unwrap();
    if let Some(list) = poppler("pdfimages", &pdf, &["-list"]) {
        assert!(
            list.lines()
                .any(|l| l.contains(" 64 ") && l.contains(" 48 ")),
            "{list}"
        );
    }
    let Some(text) = poppler("pdftotext", &pdf, &["-enc", "UTF-8"]) else {
        return;
    };
    for needle in [
        "SHIPMENT PROOF",
        "JD0146000099",
        "DHL Express",
        "0.52 kg",
        "21 × 15 × 10 cm",
        "0.45 kg",
        "2026-12-02 10:30",
        "2026-12-02 16:30",
        "2026-12-02 20:30",
        "Front desk",
        "Cotton T-shirt × 2",
        "带电 BATTERY",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
    }
    assert!(!text.contains(PHOTO_UNREADABLE_EN));
}

const PHOTO_UNREADABLE_EN: &str = "could not be read";

#[test]
fn a_photo_that_cannot_be_read_is_a_note_in_the_proof() {
    // A PNG signature over garbage: not an image at all.
    let mut broken = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    broken.extend_from_slice(&[0u8; 64]);
    assert!(Photo::from_bytes(broken).is_none());
    assert!(Photo::from_bytes(b"not an image".to_vec()).is_none());
    // A header that reads, with pixel data that does not: found while writing.
    let mut truncated = png(64, 48);
    let idat = truncated.windows(4).position(|w| w == b"IDAT").unwrap();
    truncated[idat + 6..idat + 14].fill(0xFF);
    let slot = Photo::from_bytes(truncated).map_or(PhotoSlot::Unreadable, PhotoSlot::Photo);
    for slot in [slot, PhotoSlot::Unreadable] {
        let pdf = render_proof(&proof(slot)).unwrap();
        if let Some(text) = poppler("pdftotext", &pdf, &["-enc", "UTF-8"]) {
            assert!(text.contains(PHOTO_UNREADABLE_EN), "{text}");
        }
    }
}

/// Writes samples to /tmp for a look with `pdftoppm -png -r 80`.
#[test]
#[ignore = "writes sample files to /tmp"]
fn write_label_samples() {
    let one = render_labels(&[label("SP2611250001BU")], LabelPaper::A6).unwrap();
    std::fs::write("/tmp/label-sample.pdf", one).unwrap();
    let four: Vec<Label> = (0..4).map(|_| label("SP2611250001BU")).collect();
    std::fs::write(
        "/tmp/labels-a4.pdf",
        render_labels(&four, LabelPaper::A4).unwrap(),
    )
    .unwrap();
    let photo = Photo::from_bytes(png(640, 480)).unwrap();
    std::fs::write(
        "/tmp/proof-sample.pdf",
        render_proof(&proof(PhotoSlot::Photo(photo))).unwrap(),
    )
    .unwrap();
}
