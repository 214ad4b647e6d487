//! A day's hand-over manifest for one route: every parcel given to the
//! carriers, with the lines the warehouse and the driver sign.

use super::PdfError;
use super::canvas::{Op, PAGE_H, PAGE_W, PageSize, PdfFont, Style, render};

/// One parcel of the manifest, as printed.
#[derive(Clone, Debug)]
pub struct ManifestLine {
    pub order_no: String,
    pub carrier: String,
    pub waybill: String,
    pub country: String,
    pub weight_g: u32,
}

/// The manifest of `route` on `day` (China time).
#[derive(Clone, Debug)]
pub struct Manifest {
    pub route: String,
    pub day: String,
    pub lines: Vec<ManifestLine>,
    pub generated_at: String,
}

const MARGIN: f32 = 42.0;
const ROW: f32 = 16.0;
const SIZE: f32 = 9.0;
/// Left edges of the columns: #, order, carrier, waybill, country, weight.
const COLUMNS: [f32; 6] = [0.0, 28.0, 148.0, 218.0, 390.0, 440.0];

pub fn render_manifest(manifest: &Manifest) -> Result<Vec<u8>, PdfError> {
    let font = PdfFont::get()?;
    let title = format!("Manifest {} {}", manifest.route, manifest.day);
    render(font, &title, PageSize::A4, &layout(font, manifest))
}

fn layout(font: &PdfFont, manifest: &Manifest) -> Vec<Vec<Op>> {
    let mut pages: Vec<Vec<Op>> = Vec::new();
    let mut page = Vec::new();
    let mut y = header(&mut page, manifest);
    for (n, line) in manifest.lines.iter().enumerate() {
        if y + ROW > PAGE_H - MARGIN - 90.0 {
            pages.push(std::mem::take(&mut page));
            y = header(&mut page, manifest);
        }
        let weight = format!("{} kg", crate::domain::measure::kg_text(line.weight_g));
        let cells = [
            (n + 1).to_string(),
            line.order_no.clone(),
            line.carrier.clone(),
            line.waybill.clone(),
            line.country.clone(),
            weight,
        ];
        for (x, cell) in COLUMNS.iter().zip(cells.iter()) {
            page.push(Op::text(MARGIN + x, y, ROW, SIZE, Style::Regular, cell));
        }
        y += ROW;
        page.push(Op::Line {
            from: (MARGIN, y),
            to: (PAGE_W - MARGIN, y),
            width: 0.3,
            grey: 190,
        });
    }
    let total_g: u64 = manifest.lines.iter().map(|l| u64::from(l.weight_g)).sum();
    let total = format!(
        "{} parcels 件 · {} kg",
        manifest.lines.len(),
        crate::domain::measure::kg_text(u32::try_from(total_g).unwrap_or(u32::MAX))
    );
    y += 8.0;
    page.push(Op::text(MARGIN, y, ROW, 10.0, Style::Bold, &total));
    y += 48.0;
    for (x, label) in [
        (MARGIN, "Handed over by 交接人 ____________________"),
        (
            PAGE_W / 2.0,
            "Received by the carrier 承运商签收 ____________",
        ),
    ] {
        page.push(Op::text(x, y, ROW, SIZE, Style::Regular, label));
    }
    pages.push(page);
    let count = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        let footer = format!(
            "Samplepost 样品邮 · {} · {} / {count}",
            manifest.generated_at,
            i + 1
        );
        let x = PAGE_W - MARGIN - font.width(&footer, 7.5);
        page.push(Op::text(x, PAGE_H - 36.0, 12.0, 7.5, Style::Muted, &footer));
    }
    pages
}

/// The title and the column heads; returns where the rows start.
fn header(page: &mut Vec<Op>, manifest: &Manifest) -> f32 {
    let mut y = MARGIN;
    let title = format!("Hand-over manifest 交接清单 · {}", manifest.route);
    page.push(Op::text(MARGIN, y, 24.0, 16.0, Style::Bold, &title));
    y += 26.0;
    let day = format!("{} (China time 北京时间)", manifest.day);
    page.push(Op::text(MARGIN, y, ROW, 10.0, Style::Muted, &day));
    y += ROW + 10.0;
    let heads = [
        "#",
        "Order 订单号",
        "Carrier 承运商",
        "Waybill 运单号",
        "To 目的国",
        "Weight 重量",
    ];
    for (x, head) in COLUMNS.iter().zip(heads) {
        page.push(Op::text(MARGIN + x, y, ROW, SIZE, Style::Bold, head));
    }
    y += ROW;
    page.push(Op::Line {
        from: (MARGIN, y),
        to: (PAGE_W - MARGIN, y),
        width: 0.8,
        grey: 0,
    });
    y
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_lists_every_parcel_with_its_waybill_and_the_total() {
        let manifest = Manifest {
            route: "POST-SMALL".to_owned(),
            day: "2026-11-30".to_owned(),
            lines: (0..60)
                .map(|n| ManifestLine {
                    order_no: format!("SP26113000{n:02}AB"),
                    carrier: "DHL".to_owned(),
                    waybill: format!("JD00012345{n:02}"),
                    country: "GB".to_owned(),
                    weight_g: 500,
                })
                .collect(),
            generated_at: "2026-11-30 18:00".to_owned(),
        };
        let pdf = render_manifest(&manifest).expect("pdf");
        let text = crate::pdf::tests::poppler("pdftotext", &pdf, &["-layout"]);
        let Some(text) = text else { return };
        assert!(text.contains("JD0001234559"), "the last parcel is there");
        assert!(text.contains("60 parcels"), "{text}");
        assert!(text.contains("30 kg"));
        assert!(text.contains("2 / 2"), "60 rows take two pages");
    }
}
