//! The proforma invoice of a sample parcel, as an A4 PDF.
//!
//! [`render_pdf`] lays out the title, the sender and recipient blocks side
//! by side, the item table (continued on further pages, with its header
//! repeated, when the items do not fit), the total declared value, the
//! "no commercial value" statement, purpose, route, weight and a signature
//! line; every page gets a footer with the order number and "Page i / n".

use chrono::NaiveDate;

use super::PdfError;
use super::canvas::{PageSize, PdfFont, render};
use super::layout::layout;

/// Everything printed on a proforma invoice.
#[derive(Clone, Debug)]
pub struct ProformaInvoice {
    pub order_no: String,
    pub date: NaiveDate,
    /// The exporter.
    pub sender: Party,
    /// The consignee.
    pub recipient: Party,
    pub items: Vec<InvoiceItem>,
    /// ISO currency code of the values, "USD".
    pub currency: &'static str,
    pub route_name: String,
    /// Why the parcel is sent, in English and Chinese ("Sample 样品").
    pub purpose: String,
    /// Gross weight of the parcel in grams.
    pub weight_g: u32,
    /// Not submitted yet: every page says DRAFT, so the paper is not
    /// mistaken for the one that travels with the parcel.
    pub draft: bool,
}

/// What a draft's invoice says on every page.
pub const DRAFT_MARK: &str = "DRAFT 草稿 · not valid for shipping 不可用于寄件";

/// A sender or recipient as printed: name, optional company, address lines
/// (street, city/state/postcode…), phone and country.
#[derive(Clone, Debug)]
pub struct Party {
    pub name: String,
    pub company: Option<String>,
    pub lines: Vec<String>,
    pub phone: String,
    pub country: String,
}

/// One customs line.
#[derive(Clone, Debug)]
pub struct InvoiceItem {
    pub description_en: String,
    pub description_zh: Option<String>,
    pub hs_code: String,
    /// Country of origin (e.g. "CN").
    pub origin: String,
    pub quantity: u32,
    pub unit_value_cents: i64,
}

impl InvoiceItem {
    /// Quantity × unit value, in cents.
    pub fn total_cents(&self) -> i64 {
        self.unit_value_cents
            .saturating_mul(i64::from(self.quantity))
    }
}

impl ProformaInvoice {
    /// The total declared value, in cents.
    pub fn total_cents(&self) -> i64 {
        self.items
            .iter()
            .fold(0i64, |sum, item| sum.saturating_add(item.total_cents()))
    }

    /// The sum of the item quantities.
    pub fn total_quantity(&self) -> u64 {
        self.items.iter().map(|i| u64::from(i.quantity)).sum()
    }
}

/// Cents as a plain decimal amount: 850 → "8.50", -5 → "-0.05".
pub fn format_amount(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// The statement every sample invoice carries.
pub const NO_COMMERCIAL_VALUE: &str =
    "Non-commercial sample, no commercial value. 样品，无商业价值。";

/// Renders the invoice as a PDF (A4, as many pages as the items need).
pub fn render_pdf(invoice: &ProformaInvoice) -> Result<Vec<u8>, PdfError> {
    let font = PdfFont::get()?;
    let pages = layout(font, invoice);
    let title = format!("Proforma invoice {}", invoice.order_no);
    render(font, &title, PageSize::A4, &pages)
}
