//! Rows of sample orders: the order, its recipient, items, frozen quote,
//! timeline and documents.

use super::schema::{
    order_documents, order_events, order_items, order_quotes, order_recipients, orders,
};
use crate::domain::order::Purpose;
use crate::domain::order_state::OrderStatus;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Queryable, Selectable, Identifiable, Clone, Debug)]
#[diesel(table_name = orders)]
pub struct Order {
    pub id: i64,
    pub order_no: String,
    pub company_id: i64,
    pub created_by: i64,
    pub form_token: String,
    #[diesel(deserialize_as = String)]
    pub status: OrderStatus,
    pub sender_address_id: Option<i64>,
    #[diesel(deserialize_as = String)]
    pub purpose: Purpose,
    pub reference: String,
    pub weight_g: Option<i64>,
    pub length_mm: Option<i64>,
    pub width_mm: Option<i64>,
    pub height_mm: Option<i64>,
    pub battery: String,
    pub liquid: bool,
    pub magnetic: bool,
    pub powder: bool,
    pub route_code: Option<String>,
    pub backup_route_code: Option<String>,
    pub signature: bool,
    pub insurance: bool,
    pub expedited: bool,
    pub ddp: bool,
    pub recipient_token_sha256: Option<String>,
    pub recipient_token_expires_at: Option<NaiveDateTime>,
    pub submitted_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Who must approve while pending: "manager" (or the owner) or "owner".
    pub approval_level: Option<String>,
    /// Why approval is needed, `;`-separated reason codes.
    pub approval_reasons: Option<String>,
    /// Who submitted it (the last time); approval and budgets look at this member.
    pub submitted_by: Option<i64>,
    /// Who last saved its content (form, import, attachments).
    pub content_changed_by: Option<i64>,
}

impl Order {
    /// The sensitive goods the order declares (an unknown battery kind reads as none).
    pub fn declared(&self) -> crate::domain::customs::Declared {
        crate::domain::customs::Declared {
            battery: crate::domain::customs::Battery::parse(&self.battery).unwrap_or_default(),
            liquid: self.liquid,
            magnetic: self.magnetic,
            powder: self.powder,
        }
    }
}

/// The columns a draft sets, on create and on every save.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = orders, treat_none_as_null = true)]
pub struct OrderContent {
    pub sender_address_id: Option<i64>,
    pub purpose: String,
    pub reference: String,
    pub weight_g: Option<i64>,
    pub length_mm: Option<i64>,
    pub width_mm: Option<i64>,
    pub height_mm: Option<i64>,
    pub battery: String,
    pub liquid: bool,
    pub magnetic: bool,
    pub powder: bool,
    pub route_code: Option<String>,
    pub backup_route_code: Option<String>,
    pub signature: bool,
    pub insurance: bool,
    pub expedited: bool,
    pub ddp: bool,
    pub content_changed_by: Option<i64>,
    pub updated_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug, Default)]
#[diesel(table_name = order_recipients)]
pub struct OrderRecipient {
    pub order_id: i64,
    pub name: String,
    pub company: String,
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub state: String,
    pub postcode: String,
    pub country: String,
    pub phone: String,
    pub email: String,
    pub tax_id: String,
}

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = order_items)]
pub struct OrderItem {
    pub id: i64,
    pub order_id: i64,
    pub position: i64,
    pub description_en: String,
    pub description_zh: String,
    pub quantity: Option<i64>,
    pub unit_value_cents: Option<i64>,
    pub hs_code: String,
    pub origin: String,
    pub photo_upload_id: Option<i64>,
}

#[derive(Insertable)]
#[diesel(table_name = order_items)]
pub struct NewOrderItem {
    pub order_id: i64,
    pub position: i64,
    pub description_en: String,
    pub description_zh: String,
    pub quantity: Option<i64>,
    pub unit_value_cents: Option<i64>,
    pub hs_code: String,
    pub origin: String,
    pub photo_upload_id: Option<i64>,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = order_quotes)]
pub struct OrderQuote {
    pub order_id: i64,
    pub route_code: String,
    pub rate_sheet_id: i64,
    pub total_fen: i64,
    pub chargeable_weight_g: i64,
    /// `[{"kind": "freight", "amount_fen": 5460}, …]`
    pub lines: String,
    pub transit_min_days: i64,
    pub transit_max_days: i64,
    pub quoted_at: NaiveDateTime,
    /// The pricing rules and discount inputs (JSON `QuoteBasis`); empty on old quotes.
    pub basis: String,
}

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = order_events)]
pub struct OrderEvent {
    pub id: i64,
    pub order_id: i64,
    pub kind: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub actor_id: Option<i64>,
    pub note: String,
    pub at: NaiveDateTime,
    /// Typed parameters as JSON (`domain::order_event::EventParams`).
    pub params: String,
}

#[derive(Insertable)]
#[diesel(table_name = order_events)]
pub struct NewOrderEvent<'a> {
    pub order_id: i64,
    pub kind: &'a str,
    pub from_status: Option<&'a str>,
    pub to_status: &'a str,
    pub actor_id: Option<i64>,
    pub note: &'a str,
    pub at: NaiveDateTime,
    pub params: String,
}

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = order_documents)]
pub struct OrderDocument {
    pub id: i64,
    pub order_id: i64,
    pub document: String,
    pub upload_id: i64,
    pub created_at: NaiveDateTime,
}
