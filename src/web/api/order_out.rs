//! What the orders API answers, as typed structures so the OpenAPI
//! document describes each field (the ERP's generated client gets types,
//! not a free-form object).

use crate::db::orders::OrderItem;
use crate::domain::customs::Warning;
use crate::domain::money::UsdCents;
use crate::domain::recipient::RecipientFields;
use crate::i18n::{self, Lang};
use crate::services::api_orders::ListRow;
use crate::services::orders::OrderView;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An RFC 3339 instant in UTC.
pub(super) fn at(value: NaiveDateTime) -> String {
    value.and_utc().to_rfc3339()
}

/// The parcel in grams and millimetres.
#[derive(Serialize, ToSchema)]
pub struct ParcelOut {
    pub weight_g: Option<i64>,
    pub length_mm: Option<i64>,
    pub width_mm: Option<i64>,
    pub height_mm: Option<i64>,
    /// `none`, or the kind of lithium battery (`in_equipment`, `with_equipment`, `standalone`).
    pub battery: String,
    pub liquid: bool,
    pub magnetic: bool,
    pub powder: bool,
}

/// One customs item.
#[derive(Serialize, ToSchema)]
pub struct ItemOut {
    pub description_en: String,
    pub description_zh: String,
    pub quantity: Option<i64>,
    /// Decimal string, e.g. `"3.50"`.
    pub unit_value_usd: Option<String>,
    pub hs_code: String,
    /// ISO 3166-1 alpha-2 country of origin.
    pub origin: String,
}

/// The extra services asked for.
#[derive(Serialize, ToSchema)]
pub struct ServicesOut {
    pub signature: bool,
    pub insurance: bool,
    pub expedited: bool,
    pub ddp: bool,
}

/// Why the order waits for a manager.
#[derive(Serialize, ToSchema)]
pub struct ApprovalOut {
    /// `manager` or `owner`.
    pub level: String,
    /// Reason codes, e.g. `over_budget`, `sensitive_goods`.
    pub reasons: Vec<String>,
}

/// One line of the frozen quote.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct QuoteLineOut {
    /// `freight`, `fuel`, `battery`, `erp_discount`, …
    pub kind: String,
    /// Fen (1/100 CNY); discounts are negative.
    pub amount_fen: i64,
}

/// The quote frozen at submission.
#[derive(Serialize, ToSchema)]
pub struct QuoteOut {
    pub route: String,
    /// Always `CNY`.
    pub currency: String,
    pub total_fen: i64,
    pub chargeable_weight_g: i64,
    pub lines: Vec<QuoteLineOut>,
    pub transit_min_days: i64,
    pub transit_max_days: i64,
    pub quoted_at: String,
}

/// One order, as `GET /api/v1/orders/{order_no}` answers it.
#[derive(Serialize, ToSchema)]
pub struct OrderOut {
    pub order_no: String,
    /// `draft`, `pending_approval`, `approved`, `paid`, `handed_over`, … (DESIGN.md §3).
    pub status: String,
    pub created_at: String,
    pub submitted_at: Option<String>,
    /// `influencer`, `buyer`, `distributor`, …
    pub purpose: String,
    pub reference: String,
    pub sender_address_id: Option<i64>,
    /// As stored: normalized by the order form's rules (phone in E.164).
    pub recipient: RecipientFields,
    pub parcel: ParcelOut,
    pub items: Vec<ItemOut>,
    pub route: Option<String>,
    pub backup_route: Option<String>,
    pub services: ServicesOut,
    pub approval: Option<ApprovalOut>,
    pub quote: Option<QuoteOut>,
    /// The name of the API token that created the order, if one did.
    pub api_token: Option<String>,
}

fn item_out(item: &OrderItem) -> ItemOut {
    ItemOut {
        description_en: item.description_en.clone(),
        description_zh: item.description_zh.clone(),
        quantity: item.quantity,
        unit_value_usd: item.unit_value_cents.map(|v| UsdCents(v).to_string()),
        hs_code: item.hs_code.clone(),
        origin: item.origin.clone(),
    }
}

/// The order as the API shows it.
pub fn order_out(view: &OrderView, token_name: Option<String>) -> OrderOut {
    let order = &view.order;
    let quote = view.quote.as_ref().map(|quote| QuoteOut {
        route: quote.route_code.clone(),
        currency: "CNY".to_owned(),
        total_fen: quote.total_fen,
        chargeable_weight_g: quote.chargeable_weight_g,
        // Written by the submission from the same shape; an unreadable row
        // (none exist) would show no lines rather than fail the order.
        lines: serde_json::from_str(&quote.lines).unwrap_or_default(),
        transit_min_days: quote.transit_min_days,
        transit_max_days: quote.transit_max_days,
        quoted_at: at(quote.quoted_at),
    });
    OrderOut {
        order_no: order.order_no.clone(),
        status: order.status.as_str().to_owned(),
        created_at: at(order.created_at),
        submitted_at: order.submitted_at.map(at),
        purpose: order.purpose.as_str().to_owned(),
        reference: order.reference.clone(),
        sender_address_id: order.sender_address_id,
        recipient: view.draft.recipient.clone(),
        parcel: ParcelOut {
            weight_g: order.weight_g,
            length_mm: order.length_mm,
            width_mm: order.width_mm,
            height_mm: order.height_mm,
            battery: order.battery.clone(),
            liquid: order.liquid,
            magnetic: order.magnetic,
            powder: order.powder,
        },
        items: view.items.iter().map(item_out).collect(),
        route: order.route_code.clone(),
        backup_route: order.backup_route_code.clone(),
        services: ServicesOut {
            signature: order.signature,
            insurance: order.insurance,
            expedited: order.expedited,
            ddp: order.ddp,
        },
        approval: order.approval_level.as_ref().map(|level| ApprovalOut {
            level: level.clone(),
            reasons: order
                .approval_reasons
                .as_deref()
                .unwrap_or_default()
                .split(';')
                .filter(|r| !r.is_empty())
                .map(str::to_owned)
                .collect(),
        }),
        quote,
        api_token: token_name,
    }
}

/// One order of the list.
#[derive(Serialize, ToSchema)]
pub struct OrderRowOut {
    pub order_no: String,
    pub status: String,
    pub created_at: String,
    pub submitted_at: Option<String>,
    pub reference: String,
    pub recipient_name: String,
    pub country: String,
    pub route: Option<String>,
    /// The frozen quote's total in fen, once submitted.
    pub total_fen: Option<i64>,
    pub api_token: Option<String>,
}

/// One page of the list.
#[derive(Serialize, ToSchema)]
pub struct OrderPageOut {
    pub orders: Vec<OrderRowOut>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

pub fn row_out(row: &ListRow) -> OrderRowOut {
    let order = &row.order;
    OrderRowOut {
        order_no: order.order_no.clone(),
        status: order.status.as_str().to_owned(),
        created_at: at(order.created_at),
        submitted_at: order.submitted_at.map(at),
        reference: order.reference.clone(),
        recipient_name: row.recipient_name.clone(),
        country: row.country.clone(),
        route: order.route_code.clone(),
        total_fen: row.total_fen,
        api_token: row.token_name.clone(),
    }
}

/// A warning the order form would ask to acknowledge.
#[derive(Serialize, ToSchema)]
pub struct WarningOut {
    /// e.g. `battery_route`, `high_value`.
    pub code: String,
    pub message: String,
    pub detail: String,
}

/// 422 `warnings_unacknowledged`: nothing was saved.
#[derive(Serialize)]
pub struct WarningsOut {
    /// Always `warnings_unacknowledged`.
    pub code: String,
    pub message: String,
    pub warnings: Vec<WarningOut>,
}

pub fn warnings_out(warnings: &[Warning]) -> WarningsOut {
    WarningsOut {
        code: "warnings_unacknowledged".to_owned(),
        message: "the order has warnings; send it again with acknowledge_warnings: true".to_owned(),
        warnings: warnings
            .iter()
            .map(|w| WarningOut {
                code: w
                    .message_key()
                    .strip_prefix("warning.")
                    .unwrap_or(w.message_key())
                    .to_owned(),
                message: i18n::t(Lang::En, w.message_key()).to_owned(),
                detail: w.detail(),
            })
            .collect(),
    }
}
