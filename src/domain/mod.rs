//! Pure types and rules: no I/O here.

pub mod country;
pub mod customs;
pub mod email;
pub mod field_errors;
pub mod hs;
pub mod ids;
pub mod measure;
pub mod money;
pub mod order;
pub mod order_no;
pub mod order_sheet;
pub mod order_state;
pub mod password;
pub mod phone;
pub mod postcode;
pub mod quote;
pub mod rate_sheet;
pub mod recipient;
pub mod resident_id;
pub mod route;
pub mod spreadsheet;
pub mod status;
pub mod tax_id;
pub mod text;
pub mod upload;
pub mod uscc;
