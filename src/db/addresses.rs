//! Rows of the address book.

use super::schema::addresses;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Queryable, Clone, Debug)]
#[diesel(table_name = addresses)]
pub struct Address {
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    pub company: Option<String>,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub state: Option<String>,
    pub postcode: String,
    pub country: String,
    pub phone: String,
    pub email: Option<String>,
    pub tax_id: Option<String>,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The recipient columns, written on create and on edit.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = addresses, treat_none_as_null = true)]
pub struct AddressFields {
    pub name: String,
    pub company: Option<String>,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub state: Option<String>,
    pub postcode: String,
    pub country: String,
    pub phone: String,
    pub email: Option<String>,
    pub tax_id: Option<String>,
    pub updated_at: NaiveDateTime,
}
