//! One-time tokens: CSRF tokens and the links a recipient or an invitee
//! opens. Links keep only the SHA-256 of their token, so a copy of the
//! database cannot be used to open them.

use sha2::{Digest, Sha256};

/// 32 random bytes, hex-encoded.
pub fn generate() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

/// What is stored for a link's token (surrounding whitespace, as a pasted
/// link may carry, does not count).
pub fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}
