//! Rules for uploaded documents: the type is decided by the content, not the name.

/// Largest accepted document.
pub const MAX_UPLOAD_BYTES: usize = 5 * 1024 * 1024;

/// How many bytes of uploaded files one company may keep (setting
/// `UPLOAD_QUOTA_MB`), counted from the sizes the `uploads` table records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UploadQuota {
    pub bytes: i64,
}

impl UploadQuota {
    pub const DEFAULT_MEGABYTES: u64 = 500;

    pub fn from_megabytes(megabytes: u64) -> UploadQuota {
        let bytes = megabytes.saturating_mul(1 << 20);
        UploadQuota {
            bytes: i64::try_from(bytes).unwrap_or(i64::MAX),
        }
    }

    /// Whether a file of `adding` bytes fits beside the `used` ones.
    pub fn allows(self, used: i64, adding: usize) -> bool {
        let adding = i64::try_from(adding).unwrap_or(i64::MAX);
        used.saturating_add(adding) <= self.bytes
    }
}

/// The content types a document may have.
const ALLOWED: &[&str] = &["image/jpeg", "image/png", "image/webp", "application/pdf"];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UploadError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than 5 MB")]
    TooLarge,
    #[error("the file is not a JPEG, PNG, WebP or PDF")]
    WrongType,
}

impl UploadError {
    pub fn message_key(&self) -> &'static str {
        match self {
            UploadError::Empty => "error.upload.empty",
            UploadError::TooLarge => "error.upload.too_large",
            UploadError::WrongType => "error.upload.wrong_type",
        }
    }
}

/// Whether a browser may show the file in the page: images only. Anything
/// else (PDFs) is served as a download.
pub fn is_inline_image(mime: &str) -> bool {
    matches!(mime, "image/jpeg" | "image/png" | "image/webp")
}

/// The file extension of an accepted type, for a download's name.
pub fn extension(mime: &str) -> &'static str {
    match mime {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        "application/pdf" => "pdf",
        _ => "bin",
    }
}

/// Returns the sniffed MIME type of an acceptable document.
pub fn check(bytes: &[u8]) -> Result<&'static str, UploadError> {
    if bytes.is_empty() {
        return Err(UploadError::Empty);
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(UploadError::TooLarge);
    }
    let kind = infer::get(bytes).ok_or(UploadError::WrongType)?;
    ALLOWED
        .iter()
        .find(|allowed| **allowed == kind.mime_type())
        .copied()
        .ok_or(UploadError::WrongType)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG_HEADER: &[u8] = &[
        0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D,
    ];

    #[test]
    fn a_png_is_recognised_by_its_content() {
        assert_eq!(check(PNG_HEADER), Ok("image/png"));
    }

    #[test]
    fn an_executable_is_refused_whatever_its_name() {
        let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff";
        assert_eq!(check(exe), Err(UploadError::WrongType));
    }

    #[test]
    fn plain_text_is_refused() {
        assert_eq!(check(b"just some text"), Err(UploadError::WrongType));
    }

    #[test]
    fn the_quota_counts_what_is_stored_and_the_new_file() {
        let quota = UploadQuota::from_megabytes(1);
        assert!(quota.allows(0, 1 << 20));
        assert!(quota.allows((1 << 20) - 10, 10));
        assert!(!quota.allows((1 << 20) - 10, 11));
        assert_eq!(UploadQuota::from_megabytes(u64::MAX).bytes, i64::MAX);
    }

    #[test]
    fn a_file_over_five_megabytes_is_refused() {
        let mut big = PNG_HEADER.to_vec();
        big.resize(MAX_UPLOAD_BYTES + 1, 0);
        assert_eq!(check(&big), Err(UploadError::TooLarge));
    }
}
