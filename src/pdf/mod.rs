//! PDF documents: the proforma invoice, parcel labels, the shipment proof and
//! the warehouse's hand-over manifest.
//!
//! Written with [`krilla`] (the PDF backend typst uses): it embeds only the
//! glyphs a document uses, so the shipped CJK font costs each PDF a few tens
//! of kilobytes. Text is laid out here by hand (no shaping: Latin and Han
//! need none), with glyph advances read by `skrifa`.
//!
//! The font is a subset of Noto Sans CJK SC Regular compiled into the binary
//! (`assets/fonts/NotoSansCJKsc-Regular-subset.otf`, SIL OFL 1.1, see the
//! `.LICENSE.txt` beside it): Latin, CJK punctuation, full-width forms and
//! every ideograph of U+4E00–U+9FFF, so rendering needs nothing installed.

mod canvas;
pub mod label;
mod layout;
pub mod manifest;
pub mod proforma;
pub mod proof;

#[cfg(test)]
mod label_tests;
#[cfg(test)]
mod tests;

pub use canvas::Photo;
pub use label::{Label, LabelPaper, Mark, render_labels};
pub use manifest::{Manifest, ManifestLine, render_manifest};
pub use proforma::{
    DRAFT_MARK, InvoiceItem, NO_COMMERCIAL_VALUE, Party, ProformaInvoice, format_amount, render_pdf,
};
pub use proof::{Measured, Parcel, PhotoSlot, ShipmentProof, render_proof};

/// Why a PDF could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The embedded font could not be parsed (a broken build, not bad input).
    #[error("the PDF font could not be loaded")]
    Font,
    /// The PDF writer refused the document.
    #[error("the PDF could not be written: {0}")]
    Write(String),
}
