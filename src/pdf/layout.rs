//! Where everything of a proforma invoice goes on the A4 pages.

use super::canvas::{Op, PAGE_H, PAGE_W, PdfFont, Style};
use super::proforma::{InvoiceItem, NO_COMMERCIAL_VALUE, Party, ProformaInvoice, format_amount};

const MARGIN: f32 = 42.0;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN;
/// Content stays above this line; the footer goes below it.
pub(super) const BOTTOM: f32 = PAGE_H - 52.0;
const BODY: f32 = 9.0;
const LH: f32 = 12.5;
const PAD: f32 = 4.0;

#[derive(Clone, Copy, PartialEq)]
enum Align {
    Left,
    Right,
}

/// The item table's columns: English and Chinese heading, width, alignment.
/// The description column takes what the others leave.
const COLUMNS: [(&str, &str, f32, Align); 7] = [
    ("No.", "序号", 26.0, Align::Left),
    ("Description of goods", "品名", 0.0, Align::Left),
    ("HS code", "海关编码", 62.0, Align::Left),
    ("Origin", "原产地", 42.0, Align::Left),
    ("Qty", "数量", 36.0, Align::Right),
    ("Unit value", "单价", 58.0, Align::Right),
    ("Total value", "总价", 64.0, Align::Right),
];

/// Left edge and width of each column.
fn columns() -> [(f32, f32); 7] {
    let fixed: f32 = COLUMNS.iter().map(|c| c.2).sum();
    let mut x = MARGIN;
    COLUMNS.map(|(_, _, w, _)| {
        let w = if w == 0.0 { CONTENT_W - fixed } else { w };
        let col = (x, w);
        x += w;
        col
    })
}

/// Lays the invoice out into pages of drawing operations.
pub(super) fn layout(font: &PdfFont, inv: &ProformaInvoice) -> Vec<Vec<Op>> {
    let mut l = Layout {
        font,
        inv,
        pages: vec![Vec::new()],
        y: MARGIN,
    };
    l.heading();
    l.parties();
    l.y += 14.0;
    l.table_header();
    let totals_h = l.totals(0.0).1;
    for (n, item) in inv.items.iter().enumerate() {
        let cells = row_cells(n, item);
        let (mut ops, h) = l.row(&cells, l.y);
        // The last row keeps the totals line with it.
        let need = if n + 1 == inv.items.len() {
            h + totals_h
        } else {
            h
        };
        if l.y + need > BOTTOM {
            l.new_page();
            l.table_header();
            ops = l.row(&cells, l.y).0;
        }
        l.place(ops, h);
    }
    let (ops, h) = l.totals(l.y);
    l.place(ops, h);
    let (_, h) = l.closing(0.0);
    if l.y + 14.0 + h > BOTTOM {
        l.new_page();
    }
    l.y += 14.0;
    let (ops, h) = l.closing(l.y);
    l.place(ops, h);
    l.footers();
    l.pages
}

/// The cells of one item row: lines and style per column.
fn row_cells(n: usize, item: &InvoiceItem) -> Vec<Vec<(String, Style)>> {
    let mut desc = vec![(item.description_en.clone(), Style::Regular)];
    if let Some(zh) = item
        .description_zh
        .as_ref()
        .filter(|z| !z.trim().is_empty())
    {
        desc.push((zh.clone(), Style::Muted));
    }
    let plain = |s: String| vec![(s, Style::Regular)];
    vec![
        plain(format!("{}", n + 1)),
        desc,
        plain(item.hs_code.clone()),
        plain(item.origin.clone()),
        plain(item.quantity.to_string()),
        plain(format_amount(item.unit_value_cents)),
        plain(format_amount(item.total_cents())),
    ]
}

struct Layout<'a> {
    font: &'a PdfFont,
    inv: &'a ProformaInvoice,
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Layout<'_> {
    fn ops(&mut self) -> &mut Vec<Op> {
        self.pages.last_mut().expect("a page")
    }

    fn place(&mut self, ops: Vec<Op>, h: f32) {
        self.ops().extend(ops);
        self.y += h;
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
        let text = format!(
            "PROFORMA INVOICE 形式发票 · {} (continued 续)",
            self.inv.order_no
        );
        let op = Op::text(MARGIN, self.y, 14.0, 10.0, Style::Bold, &text);
        self.ops().push(op);
        self.y += 22.0;
        self.draft_mark();
    }

    /// The DRAFT line of a draft's invoice, across the page.
    fn draft_mark(&mut self) {
        if !self.inv.draft {
            return;
        }
        let mark = super::proforma::DRAFT_MARK;
        let x = (PAGE_W - self.font.width(mark, 14.0)) / 2.0;
        let op = Op::text(x, self.y, 20.0, 14.0, Style::Bold, mark);
        self.ops().push(op);
        self.y += 24.0;
    }

    fn text_right(&self, right: f32, top: f32, lh: f32, size: f32, style: Style, s: &str) -> Op {
        let x = right - self.font.width(s, size);
        Op::text(x, top, lh, size, style, s)
    }

    fn heading(&mut self) {
        let title = "PROFORMA INVOICE 形式发票";
        let x = (PAGE_W - self.font.width(title, 18.0)) / 2.0;
        let op = Op::text(x, self.y, 24.0, 18.0, Style::Bold, title);
        self.ops().push(op);
        self.y += 32.0;
        self.draft_mark();
        let (no, date) = (&self.inv.order_no, self.inv.date.format("%Y-%m-%d"));
        let left = format!("Invoice / order no. 发票号: {no}");
        let right = format!("Date 日期: {date}");
        let ops = [
            Op::text(MARGIN, self.y, LH, 10.0, Style::Bold, &left),
            self.text_right(MARGIN + CONTENT_W, self.y, LH, 10.0, Style::Regular, &right),
        ];
        self.ops().extend(ops);
        self.y += LH + 10.0;
    }

    fn parties(&mut self) {
        let gap = 14.0;
        let w = (CONTENT_W - gap) / 2.0;
        let inner = w - 2.0 * PAD;
        let blocks = [
            ("Sender (exporter) 发件人（出口商）", &self.inv.sender),
            (
                "Recipient (consignee) 收件人（收货人）",
                &self.inv.recipient,
            ),
        ]
        .map(|(title, p)| (title, self.party_lines(p, inner)));
        let rows = blocks.iter().map(|b| b.1.len()).max().unwrap_or(0);
        let head_h = LH + 2.0;
        let h = head_h + rows as f32 * LH + 2.0 * PAD;
        let top = self.y;
        let mut ops = Vec::new();
        for (i, (title, lines)) in blocks.iter().enumerate() {
            let x = MARGIN + i as f32 * (w + gap);
            ops.push(Op::Fill {
                rect: (x, top, w, head_h),
                grey: 230,
            });
            ops.extend(boxed(x, top, w, h));
            ops.push(Op::text(x + PAD, top + 1.0, LH, BODY, Style::Bold, title));
            for (k, (line, style)) in lines.iter().enumerate() {
                let y = top + head_h + PAD + k as f32 * LH;
                ops.push(Op::text(x + PAD, y, LH, BODY, *style, line));
            }
        }
        self.ops().extend(ops);
        self.y += h;
    }

    fn party_lines(&self, p: &Party, width: f32) -> Vec<(String, Style)> {
        let mut out = Vec::new();
        let mut add = |text: &str, style: Style| {
            for line in self.font.wrap(text, BODY, width) {
                out.push((line, style));
            }
        };
        add(&p.name, Style::Bold);
        if let Some(company) = &p.company {
            add(company, Style::Regular);
        }
        for line in &p.lines {
            add(line, Style::Regular);
        }
        add(&p.country, Style::Regular);
        add(&format!("Tel 电话: {}", p.phone), Style::Regular);
        out
    }

    fn table_header(&mut self) {
        let cur = self.inv.currency;
        let cells: Vec<Vec<(String, Style)>> = COLUMNS
            .iter()
            .enumerate()
            .map(|(i, (en, zh, _, _))| {
                let zh = if i >= 5 {
                    format!("{zh} ({cur})")
                } else {
                    (*zh).to_owned()
                };
                vec![((*en).to_owned(), Style::Bold), (zh, Style::Bold)]
            })
            .collect();
        let (ops, h) = self.row(&cells, self.y);
        let top = self.y;
        self.ops().push(Op::Fill {
            rect: (MARGIN, top, CONTENT_W, h),
            grey: 230,
        });
        self.place(ops, h);
    }

    /// A table row at `top`: its operations and height. Each cell holds
    /// texts wrapped to the column, one under the other.
    fn row(&self, cells: &[Vec<(String, Style)>], top: f32) -> (Vec<Op>, f32) {
        let cols = columns();
        let size = BODY - 0.5;
        let lh = LH - 1.0;
        let mut ops = Vec::new();
        let mut lines_max = 1;
        for (k, cell) in cells.iter().enumerate() {
            let (x, w) = cols[k];
            let align = COLUMNS[k].3;
            let mut n = 0;
            for (text, style) in cell {
                for line in self.font.wrap(text, size, w - 2.0 * PAD) {
                    let y = top + PAD + n as f32 * lh;
                    ops.push(match align {
                        Align::Left => Op::text(x + PAD, y, lh, size, *style, &line),
                        Align::Right => self.text_right(x + w - PAD, y, lh, size, *style, &line),
                    });
                    n += 1;
                }
            }
            lines_max = lines_max.max(n);
        }
        let h = lines_max as f32 * lh + 2.0 * PAD;
        ops.push(rule(top + h, 0.5, 170));
        (ops, h)
    }

    fn totals(&self, top: f32) -> (Vec<Op>, f32) {
        let cols = columns();
        let label = format!("Total declared value 申报总价值 ({})", self.inv.currency);
        let total = format_amount(self.inv.total_cents());
        let qty = self.inv.total_quantity().to_string();
        let h = LH + 2.0 * PAD;
        let y = top + PAD;
        let right = |k: usize| cols[k].0 + cols[k].1 - PAD;
        let ops = vec![
            self.text_right(cols[4].0 - PAD, y, LH, BODY, Style::Bold, &label),
            self.text_right(right(4), y, LH, BODY, Style::Bold, &qty),
            self.text_right(right(6), y, LH, BODY + 0.5, Style::Bold, &total),
            rule(top + h, 1.0, 0),
        ];
        (ops, h)
    }

    /// Statement, purpose, route, weight, declaration and signature line.
    fn closing(&self, top: f32) -> (Vec<Op>, f32) {
        let mut ops = Vec::new();
        let mut y = top;
        let lines = self
            .font
            .wrap(NO_COMMERCIAL_VALUE, 10.5, CONTENT_W - 4.0 * PAD);
        let box_h = lines.len() as f32 * 14.0 + 2.0 * PAD + 4.0;
        ops.push(Op::Fill {
            rect: (MARGIN, y, CONTENT_W, box_h),
            grey: 242,
        });
        ops.extend(boxed(MARGIN, y, CONTENT_W, box_h));
        for (k, line) in lines.iter().enumerate() {
            let ly = y + PAD + 2.0 + k as f32 * 14.0;
            ops.push(Op::text(
                MARGIN + 2.0 * PAD,
                ly,
                14.0,
                10.5,
                Style::Bold,
                line,
            ));
        }
        y += box_h + 8.0;
        let kg = format!(
            "{}.{:03} kg",
            self.inv.weight_g / 1000,
            self.inv.weight_g % 1000
        );
        let facts = [
            ("Purpose of shipment 寄件目的:", self.inv.purpose.as_str()),
            ("Route 运输线路:", self.inv.route_name.as_str()),
            ("Gross weight 毛重:", kg.as_str()),
            ("Currency 币种:", self.inv.currency),
        ];
        let label_w = 150.0;
        for (label, value) in facts {
            let values = self.font.wrap(value, BODY, CONTENT_W - label_w);
            ops.push(Op::text(MARGIN, y, LH, BODY, Style::Muted, label));
            for (k, v) in values.iter().enumerate() {
                let vy = y + k as f32 * LH;
                ops.push(Op::text(MARGIN + label_w, vy, LH, BODY, Style::Regular, v));
            }
            y += LH * values.len().max(1) as f32;
        }
        y += 6.0;
        let declaration = "I declare that the information on this invoice is true and correct \
            and that the goods are samples of no commercial value. 本人声明以上信息真实无误，所寄物品为无商业价值的样品。";
        for line in self.font.wrap(declaration, 8.5, CONTENT_W) {
            ops.push(Op::text(MARGIN, y, LH, 8.5, Style::Muted, &line));
            y += LH;
        }
        y += 30.0;
        let sign = "Signature / 签字";
        let date = "Date / 日期";
        let sign_end = MARGIN + self.font.width(sign, BODY) + 6.0;
        let date_x = MARGIN + 320.0;
        let date_end = date_x + self.font.width(date, BODY) + 6.0;
        let base = y + LH - 2.0;
        ops.extend([
            Op::text(MARGIN, y, LH, BODY, Style::Regular, sign),
            line(sign_end, MARGIN + 290.0, base),
            Op::text(date_x, y, LH, BODY, Style::Regular, date),
            line(date_end, MARGIN + CONTENT_W, base),
        ]);
        y += LH + 4.0;
        (ops, y - top)
    }

    fn footers(&mut self) {
        let n = self.pages.len();
        let y = PAGE_H - 40.0;
        let left = format!("Proforma invoice {} · Samplepost", self.inv.order_no);
        for i in 0..n {
            let page = format!("Page {} / {n}", i + 1);
            let ops = [
                rule(y - 4.0, 0.5, 170),
                Op::text(MARGIN, y, 12.0, 7.5, Style::Muted, &left),
                self.text_right(MARGIN + CONTENT_W, y, 12.0, 7.5, Style::Muted, &page),
            ];
            self.pages[i].extend(ops);
        }
    }
}

/// A full-width horizontal rule at `y`.
fn rule(y: f32, width: f32, grey: u8) -> Op {
    Op::Line {
        from: (MARGIN, y),
        to: (MARGIN + CONTENT_W, y),
        width,
        grey,
    }
}

/// A signature line from `x1` to `x2` at `y`.
fn line(x1: f32, x2: f32, y: f32) -> Op {
    Op::Line {
        from: (x1, y),
        to: (x2, y),
        width: 0.6,
        grey: 0,
    }
}

/// The four sides of a rectangle, as thin lines.
fn boxed(x: f32, y: f32, w: f32, h: f32) -> [Op; 4] {
    let side = |from, to| Op::Line {
        from,
        to,
        width: 0.6,
        grey: 120,
    };
    [
        side((x, y), (x + w, y)),
        side((x, y + h), (x + w, y + h)),
        side((x, y), (x, y + h)),
        side((x + w, y), (x + w, y + h)),
    ]
}
