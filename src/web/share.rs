//! A link handed to someone outside the company (a recipient, an invitee):
//! the full URL to copy, and a QR code to open it on a phone.

use qrcode::{Color, EcLevel, QrCode};
use std::fmt::Write;

/// Modules of white space around the code, as the QR standard asks for.
const QUIET_ZONE: usize = 4;

/// A link as a page shows it (`templates/partials/share.html`).
pub struct ShareLink {
    /// `PUBLIC_URL` + path: what is copied or sent.
    pub url: String,
    /// The URL as a QR code, an `<svg>` element; `None` if the URL is too long for one.
    pub qr_svg: Option<String>,
}

impl ShareLink {
    /// The link to `path` (`/r/…`) on this deployment's public address.
    pub fn new(public_url: &str, path: &str) -> ShareLink {
        let url = format!("{}{path}", public_url.trim_end_matches('/'));
        let qr_svg = qr_svg(&url);
        ShareLink { url, qr_svg }
    }
}

/// `text` as a QR code drawn in SVG: one square per dark module, so it stays
/// sharp at any size and needs no image file (the CSP allows no inline
/// script, but inline SVG markup is fine). Level M survives a smudged screen.
fn qr_svg(text: &str) -> Option<String> {
    let code = match QrCode::with_error_correction_level(text, EcLevel::M) {
        Ok(code) => code,
        Err(error) => {
            tracing::warn!(%error, "no QR code for a link");
            return None;
        }
    };
    let width = code.width();
    let side = width + 2 * QUIET_ZONE;
    let mut path = String::new();
    for (i, color) in code.to_colors().into_iter().enumerate() {
        if color == Color::Dark {
            let (x, y) = (i % width + QUIET_ZONE, i / width + QUIET_ZONE);
            // Writing to a String cannot fail.
            let _ = write!(path, "M{x} {y}h1v1h-1z");
        }
    }
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" \
         width=\"180\" height=\"180\" shape-rendering=\"crispEdges\" aria-hidden=\"true\">\
         <rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/>\
         <path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_is_the_public_address_and_the_path() {
        let link = ShareLink::new("https://samplepost.example/", "/r/abc");
        assert_eq!(link.url, "https://samplepost.example/r/abc");
    }

    #[test]
    fn a_link_of_a_long_token_fits_a_qr_code_drawn_as_squares() {
        let token = "a".repeat(64);
        let link = ShareLink::new("https://samplepost.example", &format!("/r/{token}"));
        let svg = link.qr_svg.expect("a URL of 100 characters fits");
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
        // The three finder patterns alone are dozens of dark modules.
        assert!(svg.matches("h1v1h-1z").count() > 100);
        // Nothing of the URL itself is written into the markup.
        assert!(!svg.contains("samplepost"));
    }

    #[test]
    fn a_url_too_long_for_any_qr_code_has_none() {
        let path = format!("/{}", "x".repeat(5000));
        assert!(ShareLink::new("https://a.example", &path).qr_svg.is_none());
    }
}
