//! Parcel labels: the order number as a Code 128 barcode with the number
//! readable below it, the route, recipient, sender city, declared weight,
//! the sensitive-goods marks and how the parcel reaches the warehouse.
//!
//! One label is A6 (105 × 148 mm). On A4 four labels share a sheet, two by
//! two, with cut lines between them (A4 is exactly four A6).

use super::PdfError;
use super::canvas::{Op, PageSize, PdfFont, Style, render};
use crate::domain::barcode::{Barcode, QUIET_ZONE};
use crate::domain::customs::{Battery, Declared};

/// Everything printed on a parcel label.
#[derive(Clone, Debug)]
pub struct Label {
    pub order_no: String,
    pub barcode: Barcode,
    pub sender_city: String,
    pub recipient_name: String,
    /// City, state and postcode as one line.
    pub recipient_city: String,
    /// ISO code, printed large for sorting.
    pub country_code: String,
    /// The country's English name.
    pub country_name: String,
    pub route_code: String,
    pub route_name: String,
    pub weight_g: u32,
    pub marks: Vec<Mark>,
    /// The warehouse the seller drops the parcel off at; `None` for a pickup.
    pub warehouse: Option<String>,
}

/// A sensitive-goods mark, boxed on the label so the warehouse sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Battery,
    Liquid,
    Magnetic,
    Powder,
}

impl Mark {
    /// The marks of a declaration, in a fixed order.
    pub fn of(declared: &Declared) -> Vec<Mark> {
        [
            (declared.battery != Battery::None, Mark::Battery),
            (declared.liquid, Mark::Liquid),
            (declared.magnetic, Mark::Magnetic),
            (declared.powder, Mark::Powder),
        ]
        .into_iter()
        .filter_map(|(set, mark)| set.then_some(mark))
        .collect()
    }

    /// The mark's words in Chinese and English, as on the parcel.
    pub fn words(self) -> &'static str {
        match self {
            Mark::Battery => "带电 BATTERY",
            Mark::Liquid => "液体 LIQUID",
            Mark::Magnetic => "带磁 MAGNETIC",
            Mark::Powder => "粉末 POWDER",
        }
    }

    /// A symbol beside the words on the print page (the PDF font has none).
    pub fn symbol(self) -> &'static str {
        match self {
            Mark::Battery => "⚡",
            Mark::Liquid => "💧",
            Mark::Magnetic => "🧲",
            Mark::Powder => "⛁",
        }
    }
}

/// What the label says when the parcel is collected rather than dropped off.
pub const PICKUP: &str = "Pickup / 上门揽收";

/// Paper for labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelPaper {
    /// One label per A6 page (a label printer).
    A6,
    /// Four labels per A4 sheet (an office printer), cut along the lines.
    A4,
}

impl LabelPaper {
    /// `?size=`: absent or `a6` is A6, `a4` is A4, anything else `None`.
    pub fn parse(size: Option<&str>) -> Option<LabelPaper> {
        match size.map(|s| s.trim().to_ascii_lowercase()).as_deref() {
            None | Some("") | Some("a6") => Some(LabelPaper::A6),
            Some("a4") => Some(LabelPaper::A4),
            Some(_) => None,
        }
    }
}

const MARGIN: f32 = 14.0;

/// Renders the labels, one per A6 page or four per A4 sheet.
pub fn render_labels(labels: &[Label], paper: LabelPaper) -> Result<Vec<u8>, PdfError> {
    let font = PdfFont::get()?;
    let cell = PageSize::A6;
    let pages: Vec<Vec<Op>> = match paper {
        LabelPaper::A6 => labels.iter().map(|l| layout(font, l, 0.0, 0.0)).collect(),
        LabelPaper::A4 => labels
            .chunks(4)
            .map(|sheet| {
                let mut ops = cut_lines(cell);
                for (i, label) in sheet.iter().enumerate() {
                    let (col, row) = ((i % 2) as f32, (i / 2) as f32);
                    ops.extend(layout(font, label, col * cell.w, row * cell.h));
                }
                ops
            })
            .collect(),
    };
    let size = match paper {
        LabelPaper::A6 => PageSize::A6,
        LabelPaper::A4 => PageSize::A4,
    };
    let title = match labels {
        [one] => format!("Parcel label {}", one.order_no),
        _ => format!("Parcel labels ({})", labels.len()),
    };
    render(font, &title, size, &pages)
}

/// Thin grey lines between the four labels of an A4 sheet.
fn cut_lines(cell: PageSize) -> Vec<Op> {
    let line = |from, to| Op::Line {
        from,
        to,
        width: 0.3,
        grey: 170,
    };
    vec![
        line((cell.w, 0.0), (cell.w, 2.0 * cell.h)),
        line((0.0, cell.h), (2.0 * cell.w, cell.h)),
    ]
}

/// One label with its top-left corner at (`ox`, `oy`).
pub(super) fn layout(font: &PdfFont, label: &Label, ox: f32, oy: f32) -> Vec<Op> {
    let w = PageSize::A6.w - 2.0 * MARGIN;
    let x = ox + MARGIN;
    let right = x + w;
    let mut ops = Vec::new();
    let mut y = oy + MARGIN;

    // Route and destination country, large: what sorting looks at first.
    ops.push(Op::text(x, y, 24.0, 20.0, Style::Bold, &label.route_code));
    let country = &label.country_code;
    let cw = font.width(country, 26.0);
    ops.push(Op::text(
        right - cw,
        y - 2.0,
        28.0,
        26.0,
        Style::Bold,
        country,
    ));
    y += 24.0;
    for line in font
        .wrap(&label.route_name, 8.0, w - cw - 8.0)
        .iter()
        .take(1)
    {
        ops.push(Op::text(x, y, 11.0, 8.0, Style::Muted, line));
    }
    y += 14.0;
    ops.push(rule(x, right, y, 1.0));
    y += 8.0;

    // The barcode with its quiet zones, as wide as the label allows.
    let modules = label.barcode.modules() + 2 * QUIET_ZONE;
    let module = (w / modules as f32).min(2.0);
    let bars_x = x + (w - module * modules as f32) / 2.0 + module * QUIET_ZONE as f32;
    let height = 66.0;
    ops.push(Op::Bars {
        x: bars_x,
        top: y,
        module,
        height,
        bars: label.barcode.bars(),
    });
    y += height + 2.0;
    let no = &label.order_no;
    let nw = font.width(no, 15.0);
    ops.push(Op::text(x + (w - nw) / 2.0, y, 18.0, 15.0, Style::Bold, no));
    y += 22.0;
    ops.push(rule(x, right, y, 1.0));
    y += 6.0;

    // Recipient.
    ops.push(Op::text(x, y, 11.0, 7.5, Style::Muted, "TO 收件人"));
    y += 11.0;
    for line in font.wrap(&label.recipient_name, 13.0, w).iter().take(2) {
        ops.push(Op::text(x, y, 16.0, 13.0, Style::Bold, line));
        y += 16.0;
    }
    for line in font.wrap(&label.recipient_city, 10.5, w).iter().take(2) {
        ops.push(Op::text(x, y, 14.0, 10.5, Style::Regular, line));
        y += 14.0;
    }
    let country_line = format!("{} ({})", label.country_name, label.country_code);
    for line in font.wrap(&country_line, 11.0, w).iter().take(1) {
        ops.push(Op::text(x, y, 15.0, 11.0, Style::Bold, line));
        y += 15.0;
    }
    y += 4.0;
    ops.push(rule(x, right, y, 0.5));
    y += 5.0;

    // Sender city, declared weight and the way to the warehouse.
    let kg = format!("{} kg", crate::domain::measure::kg_text(label.weight_g));
    let warehouse = label.warehouse.as_deref().unwrap_or(PICKUP);
    let half = w / 2.0;
    let facts = [
        ("FROM 寄件城市", label.sender_city.as_str(), x, half - 6.0),
        ("WEIGHT 申报重量", kg.as_str(), x + half, half),
    ];
    for (title, value, fx, fw) in facts {
        ops.push(Op::text(fx, y, 11.0, 7.5, Style::Muted, title));
        if let Some(line) = font.wrap(value, 10.5, fw).first() {
            ops.push(Op::text(fx, y + 11.0, 14.0, 10.5, Style::Bold, line));
        }
    }
    y += 28.0;
    ops.push(Op::text(x, y, 11.0, 7.5, Style::Muted, "WAREHOUSE 交货仓"));
    y += 11.0;
    for line in font.wrap(warehouse, 9.5, w).iter().take(2) {
        ops.push(Op::text(x, y, 13.0, 9.5, Style::Regular, line));
        y += 13.0;
    }
    y += 6.0;

    // Sensitive-goods marks: thick boxes, side by side while they fit.
    let (mut mx, pad, size, h) = (x, 5.0, 10.0, 20.0);
    for mark in &label.marks {
        let text = mark.words();
        let bw = font.width(text, size) + 2.0 * pad;
        if mx + bw > right && mx > x {
            mx = x;
            y += h + 4.0;
        }
        ops.extend(thick_box(mx, y, bw, h));
        ops.push(Op::text(mx + pad, y, h, size, Style::Bold, text));
        mx += bw + 6.0;
    }
    ops
}

/// A horizontal line from `x1` to `x2` at `y`.
fn rule(x1: f32, x2: f32, y: f32, width: f32) -> Op {
    Op::Line {
        from: (x1, y),
        to: (x2, y),
        width,
        grey: 0,
    }
}

/// A box with a 1.6 pt black border.
fn thick_box(x: f32, y: f32, w: f32, h: f32) -> [Op; 4] {
    let side = |from, to| Op::Line {
        from,
        to,
        width: 1.6,
        grey: 0,
    };
    [
        side((x - 0.8, y), (x + w + 0.8, y)),
        side((x - 0.8, y + h), (x + w + 0.8, y + h)),
        side((x, y), (x, y + h)),
        side((x + w, y), (x + w, y + h)),
    ]
}
