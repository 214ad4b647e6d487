//! Pure types and rules: no I/O here.

pub mod country;
pub mod email;
pub mod field_errors;
pub mod ids;
pub mod password;
pub mod phone;
pub mod resident_id;
pub mod status;
pub mod text;
pub mod upload;
pub mod uscc;
