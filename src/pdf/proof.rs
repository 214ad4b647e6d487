//! The shipment proof: an A4 record of what the seller declared, what the
//! warehouse measured and photographed, when the parcel went to the carrier
//! under which waybill, and its delivery — the evidence for a dispute.

use chrono::NaiveDateTime;

use super::PdfError;
use super::canvas::{Op, PAGE_H, PAGE_W, PageSize, PdfFont, Photo, Style, render};
use super::label::Mark;

/// Everything printed on a shipment proof. Times are China time already.
#[derive(Clone, Debug)]
pub struct ShipmentProof {
    pub order_no: String,
    /// Carrier name and waybill number, once handed over.
    pub waybill: Option<(String, String)>,
    pub route: String,
    pub recipient: String,
    pub declared: Parcel,
    pub marks: Vec<Mark>,
    /// Description and quantity of each customs item.
    pub items: Vec<(String, u32)>,
    pub measured: Option<Measured>,
    pub photo: PhotoSlot,
    pub received_at: NaiveDateTime,
    pub handed_over_at: Option<NaiveDateTime>,
    /// When and where (the event's note) the parcel was delivered.
    pub delivered: Option<(NaiveDateTime, String)>,
    pub generated_at: NaiveDateTime,
}

/// Weight and size of a parcel; either may be unknown on a declaration.
#[derive(Clone, Debug, Default)]
pub struct Parcel {
    pub weight_g: Option<u32>,
    /// Length, width, height in millimetres.
    pub size_mm: Option<(u32, u32, u32)>,
}

/// The warehouse's measurement.
#[derive(Clone, Debug)]
pub struct Measured {
    pub parcel: Parcel,
    pub contents_match: bool,
    pub checked_at: NaiveDateTime,
}

/// The warehouse photo, as far as it could be read.
#[derive(Clone, Debug)]
pub enum PhotoSlot {
    /// The warehouse took none.
    None,
    Photo(Photo),
    /// There is one, but the file is missing or not an image the PDF takes.
    Unreadable,
}

/// What the proof says where a photo could not be read.
pub const PHOTO_UNREADABLE: &str =
    "The warehouse photo could not be read. 仓库照片无法读取，请联系客服获取。";

const MARGIN: f32 = 48.0;
const W: f32 = PAGE_W - 2.0 * MARGIN;
const LABEL_W: f32 = 170.0;
const LH: f32 = 14.0;
const BODY: f32 = 9.5;

/// Renders the proof. A photo whose data turns out broken while the PDF is
/// written is replaced by a note rather than failing the document.
pub fn render_proof(proof: &ShipmentProof) -> Result<Vec<u8>, PdfError> {
    let font = PdfFont::get()?;
    let title = format!("Shipment proof {}", proof.order_no);
    let pages = layout(font, proof);
    match render(font, &title, PageSize::A4, &pages) {
        Err(error) if matches!(proof.photo, PhotoSlot::Photo(_)) => {
            tracing::warn!(%error, order = %proof.order_no, "the parcel photo does not render");
            let without = ShipmentProof {
                photo: PhotoSlot::Unreadable,
                ..proof.clone()
            };
            render(font, &title, PageSize::A4, &layout(font, &without))
        }
        result => result,
    }
}

/// Grams as "0.45 kg".
fn kg(grams: u32) -> String {
    format!("{} kg", crate::domain::measure::kg_text(grams))
}

fn parcel_text(parcel: &Parcel) -> (String, String) {
    let weight = parcel.weight_g.map(kg).unwrap_or_else(|| "-".to_owned());
    let size = match parcel.size_mm {
        Some((l, w, h)) => {
            let cm = crate::domain::measure::cm_text;
            format!("{} × {} × {} cm", cm(l), cm(w), cm(h))
        }
        None => "-".to_owned(),
    };
    (weight, size)
}

fn time(at: &NaiveDateTime) -> String {
    format!("{} (China time 北京时间)", at.format("%Y-%m-%d %H:%M"))
}

struct Flow<'a> {
    font: &'a PdfFont,
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Flow<'_> {
    fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    /// Starts a new page when `h` more points do not fit.
    fn room(&mut self, h: f32) {
        if self.y + h > PAGE_H - MARGIN - 20.0 {
            self.pages.push(Vec::new());
            self.y = MARGIN;
        }
    }

    fn heading(&mut self, text: &str) {
        self.room(LH * 3.0);
        self.y += 10.0;
        self.push(Op::text(MARGIN, self.y, 16.0, 11.5, Style::Bold, text));
        self.y += 17.0;
        self.push(Op::Line {
            from: (MARGIN, self.y),
            to: (MARGIN + W, self.y),
            width: 0.6,
            grey: 120,
        });
        self.y += 4.0;
    }

    /// A label and its value, the value wrapped beside the label.
    fn fact(&mut self, label: &str, value: &str) {
        let lines = self.font.wrap(value, BODY, W - LABEL_W);
        let n = lines.len().max(1);
        self.room(LH * n as f32);
        self.push(Op::text(MARGIN, self.y, LH, BODY, Style::Muted, label));
        for (k, line) in lines.iter().enumerate() {
            let y = self.y + k as f32 * LH;
            self.push(Op::text(
                MARGIN + LABEL_W,
                y,
                LH,
                BODY,
                Style::Regular,
                line,
            ));
        }
        self.y += LH * n as f32;
    }
}

fn layout(font: &PdfFont, proof: &ShipmentProof) -> Vec<Vec<Op>> {
    let mut f = Flow {
        font,
        pages: vec![Vec::new()],
        y: MARGIN,
    };
    let title = "SHIPMENT PROOF 发货证明";
    let tx = (PAGE_W - font.width(title, 18.0)) / 2.0;
    f.push(Op::text(tx, f.y, 24.0, 18.0, Style::Bold, title));
    f.y += 34.0;
    f.fact("Order no. 订单号", &proof.order_no);
    match &proof.waybill {
        Some((carrier, waybill)) => {
            f.fact("Waybill no. 运单号", waybill);
            f.fact("Carrier 承运商", carrier);
        }
        None => f.fact(
            "Waybill no. 运单号",
            "not handed to a carrier yet 尚未交承运商",
        ),
    }
    f.fact("Route 线路", &proof.route);
    f.fact("Recipient 收件人", &proof.recipient);

    f.heading("Declared parcel 申报包裹");
    let (weight, size) = parcel_text(&proof.declared);
    f.fact("Weight 重量", &weight);
    f.fact("Size 尺寸", &size);
    let marks: Vec<&str> = proof.marks.iter().map(|m| m.words()).collect();
    let marks = if marks.is_empty() {
        "none 无".to_owned()
    } else {
        marks.join(" · ")
    };
    f.fact("Attributes 敏感属性", &marks);
    for (n, (description, quantity)) in proof.items.iter().enumerate() {
        let label = format!("Item {} 物品", n + 1);
        f.fact(&label, &format!("{description} × {quantity}"));
    }

    f.heading("Measured at the warehouse 仓库实测");
    f.fact("Received 入库时间", &time(&proof.received_at));
    match &proof.measured {
        Some(m) => {
            let (weight, size) = parcel_text(&m.parcel);
            f.fact("Weight 重量", &weight);
            f.fact("Size 尺寸", &size);
            let tick = if m.contents_match {
                "yes 是"
            } else {
                "no 否"
            };
            f.fact("Contents match 内容相符", tick);
            f.fact("Checked 核验时间", &time(&m.checked_at));
        }
        None => f.fact("Measurement 实测", "-"),
    }
    photo(&mut f, &proof.photo);

    f.heading("Hand-over and delivery 交接与签收");
    let handed = proof.handed_over_at.as_ref().map(time);
    f.fact(
        "Handed to carrier 交承运商",
        handed.as_deref().unwrap_or("not yet 尚未"),
    );
    match &proof.delivered {
        Some((at, note)) => {
            let text = if note.trim().is_empty() {
                time(at)
            } else {
                format!("{} · {note}", time(at))
            };
            f.fact("Delivered 签收", &text);
        }
        None => f.fact("Delivered 签收", "no delivery event yet 暂无签收记录"),
    }

    let generated = format!(
        "Generated by Samplepost 样品邮 · {}",
        time(&proof.generated_at)
    );
    let n = f.pages.len();
    for (i, page) in f.pages.iter_mut().enumerate() {
        let y = PAGE_H - 40.0;
        page.push(Op::text(MARGIN, y, 12.0, 7.5, Style::Muted, &generated));
        let number = format!("{} · Page {} / {n}", proof.order_no, i + 1);
        let x = MARGIN + W - font.width(&number, 7.5);
        page.push(Op::text(x, y, 12.0, 7.5, Style::Muted, &number));
    }
    f.pages
}

/// The warehouse photo, up to 9 cm tall, or a line saying why there is none.
fn photo(f: &mut Flow<'_>, slot: &PhotoSlot) {
    match slot {
        PhotoSlot::None => f.fact("Photo 照片", "none taken 未拍照"),
        PhotoSlot::Unreadable => f.fact("Photo 照片", PHOTO_UNREADABLE),
        PhotoSlot::Photo(photo) => {
            let (w, h) = photo.fit(W - LABEL_W, 255.0);
            f.room(h + 8.0);
            f.push(Op::text(MARGIN, f.y, LH, BODY, Style::Muted, "Photo 照片"));
            f.push(Op::Image {
                rect: (MARGIN + LABEL_W, f.y + 2.0, w, h),
                image: photo.clone(),
            });
            f.y += h + 8.0;
        }
    }
}
