//! Orders through the ERP API: create (draft or submitted, with the order
//! form's own checks), list with keyset pagination, one order, cancel and
//! the label PDF. The token acts as the member who made it.

use super::order_out::{OrderOut, OrderPageOut, order_out, row_out, warnings_out};
use super::{ApiError, Caller, acting, audit, field_problems, run};
use crate::domain::api_scope::ApiScope;
use crate::domain::customs::ItemFields;
use crate::domain::order::{OrderForm, Services};
use crate::domain::order_state::OrderStatus;
use crate::domain::recipient::RecipientFields;
use crate::pdf::{self, LabelPaper};
use crate::services::api_orders::{self, Creation, ListQuery};
use crate::services::orders;
use crate::services::{Actor, labels};
use crate::web::AppState;
use actix_web::{HttpResponse, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(create, list, get, cancel, label),
    components(schemas(
        OrderRequest,
        ParcelRequest,
        ItemRequest,
        ServicesRequest,
        super::order_out::OrderOut,
        super::order_out::OrderPageOut,
    ))
)]
pub struct OrdersApi;

/// A number or a string, kept as the text the order form would receive.
fn text_or_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text,
        Some(Value::Number(number)) => number.to_string(),
        Some(other) => {
            return Err(serde::de::Error::custom(format!(
                "expected a number or a string, got {other}"
            )));
        }
    })
}

/// The parcel: weight and size as the form takes them (kg and cm, up to
/// the form's decimals), and its sensitive goods.
#[derive(Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ParcelRequest {
    /// Kilograms, e.g. `0.48` or `"0.48"`.
    #[serde(deserialize_with = "text_or_number")]
    #[schema(value_type = String)]
    weight_kg: String,
    #[serde(deserialize_with = "text_or_number")]
    #[schema(value_type = Option<String>)]
    length_cm: String,
    #[serde(deserialize_with = "text_or_number")]
    #[schema(value_type = Option<String>)]
    width_cm: String,
    #[serde(deserialize_with = "text_or_number")]
    #[schema(value_type = Option<String>)]
    height_cm: String,
    /// `none` (default), `in_equipment`, `with_equipment` or `standalone`.
    battery: String,
    liquid: bool,
    magnetic: bool,
    powder: bool,
}

/// One customs item. Error fields name it `item{i}_…`, `i` counted from 0.
#[derive(Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ItemRequest {
    description_en: String,
    description_zh: String,
    #[serde(deserialize_with = "text_or_number")]
    #[schema(value_type = String)]
    quantity: String,
    /// USD, e.g. `3.5`.
    #[serde(deserialize_with = "text_or_number")]
    #[schema(value_type = String)]
    unit_value_usd: String,
    hs_code: String,
    /// ISO country code; `CN` when left out.
    origin: String,
}

#[derive(Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ServicesRequest {
    signature: bool,
    insurance: bool,
    expedited: bool,
    /// Duties and VAT paid (双清包税).
    ddp: bool,
}

/// A new order. The declared value is the items' quantity × unit value.
#[derive(Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct OrderRequest {
    recipient: RecipientFields,
    /// An address of the company's book in China to send from; the
    /// company's own sender address when left out.
    sender_address_id: Option<i64>,
    /// `sample` (default), `influencer`, `buyer_evaluation` or `internal`.
    purpose: String,
    /// The ERP's own reference (SKU, campaign).
    reference: String,
    parcel: ParcelRequest,
    items: Vec<ItemRequest>,
    /// The route code, e.g. `CN-US-EXPRESS`.
    route: String,
    backup_route: String,
    services: ServicesRequest,
    /// Submit the order at once (else it stays a draft).
    submit: bool,
    /// Submit despite warnings (declared value over USD 10, …).
    acknowledge_warnings: bool,
}

impl OrderRequest {
    /// The order form as if typed: the same parsing and field names follow.
    fn form(&self) -> OrderForm {
        let parcel = &self.parcel;
        OrderForm {
            sender: self
                .sender_address_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            recipient: self.recipient.clone(),
            purpose: self.purpose.clone(),
            reference: self.reference.clone(),
            weight_kg: parcel.weight_kg.clone(),
            length_cm: parcel.length_cm.clone(),
            width_cm: parcel.width_cm.clone(),
            height_cm: parcel.height_cm.clone(),
            battery: parcel.battery.clone(),
            liquid: parcel.liquid,
            magnetic: parcel.magnetic,
            powder: parcel.powder,
            items: self
                .items
                .iter()
                .map(|item| ItemFields {
                    description_en: item.description_en.clone(),
                    description_zh: item.description_zh.clone(),
                    quantity: item.quantity.clone(),
                    unit_value_usd: item.unit_value_usd.clone(),
                    hs_code: item.hs_code.clone(),
                    origin: item.origin.clone(),
                })
                .collect(),
            route: self.route.clone(),
            backup_route: self.backup_route.clone(),
            services: Services {
                signature: self.services.signature,
                insurance: self.services.insurance,
                expedited: self.services.expedited,
                ddp: self.services.ddp,
            },
        }
    }
}

async fn order_answer(
    state: &AppState,
    actor: Actor,
    order_no: String,
) -> Result<OrderOut, ApiError> {
    run(state, move |conn| {
        let view = orders::view(conn, &actor, &order_no)?;
        let token = api_orders::token_name(conn, view.order.id)?;
        Ok(order_out(&view, token))
    })
    .await
}

/// Handles POST /api/v1/orders (scope `orders:write`): a draft, or with
/// `submit` a submitted order; the order form's checks and field names.
#[utoipa::path(
    post,
    path = "/api/v1/orders",
    tag = "orders",
    request_body = OrderRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "1–200 printable ASCII characters; a retry with the same key and body gets the first answer")),
    responses(
        (status = 201, description = "The order (as GET /api/v1/orders/{order_no})", body = OrderOut),
        (status = 401, description = "No valid token, or its creator is disabled (`token_owner_inactive`)", body = super::ErrorBody),
        (status = 403, description = "The token lacks `orders:write`", body = super::ErrorBody),
        (status = 409, description = "The company cannot order yet, or the key's first request is still running", body = super::ErrorBody),
        (status = 422, description = "`validation_failed` with `errors: [{field, code, message}]` `warnings_unacknowledged` with `warnings: [{code, message, detail}]`, or `idempotency_key_reused`", body = super::ErrorBody),
    ),
    security(("bearer" = ["orders:write"])),
)]
pub async fn create(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<OrderRequest>,
) -> Result<HttpResponse, ApiError> {
    let actor = acting(&state, &caller, ApiScope::OrdersWrite).await?;
    let request = body.into_inner();
    let draft = request
        .form()
        .draft()
        .map_err(|errors| ApiError::Invalid(field_problems(&errors)))?;
    let token_id = caller.client.token_id;
    let (submit, acknowledged) = (request.submit, request.acknowledge_warnings);
    let creating = actor.clone();
    let creation = run(&state, move |conn| {
        api_orders::create(conn, &creating, token_id, &draft, submit, acknowledged)
    })
    .await;
    let (order_no, _status) = match creation {
        Ok(Creation::Created(order_no, status)) => (order_no, status),
        Ok(Creation::Unacknowledged(warnings)) => {
            audit(&state, &caller, "api.orders.create", "warnings".to_owned()).await?;
            return Ok(HttpResponse::UnprocessableEntity().json(warnings_out(&warnings)));
        }
        Err(error) => {
            audit(&state, &caller, "api.orders.create", "refused".to_owned()).await?;
            return Err(error);
        }
    };
    audit(&state, &caller, "api.orders.create", order_no.clone()).await?;
    let answer = order_answer(&state, actor, order_no).await?;
    Ok(HttpResponse::Created().json(answer))
}

/// The query string of the list, as typed.
#[derive(Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct ListParams {
    /// One status, e.g. `pending_approval`.
    status: Option<String>,
    /// `YYYY-MM-DD` (China time, inclusive) or an RFC 3339 instant.
    created_from: Option<String>,
    /// `YYYY-MM-DD` (China time, inclusive) or an RFC 3339 instant (exclusive).
    created_to: Option<String>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    /// 1–100, default 50.
    limit: Option<String>,
}

fn bad_filter(what: &str) -> ApiError {
    ApiError::BadRequest("invalid_filter", format!("{what} cannot be read"))
}

/// A bound of the list: a China-time day (the end bound takes the whole
/// day) or an exact instant.
fn instant(value: &str, end: bool) -> Option<NaiveDateTime> {
    let value = value.trim();
    if let Ok(day) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        let day = if end { day.succ_opt()? } else { day };
        return Some(crate::domain::china_time::day_start(day));
    }
    DateTime::parse_from_rfc3339(value)
        .ok()
        .map(|at| at.naive_utc())
}

fn cursor_of(id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("o{id}"))
}

fn id_of_cursor(cursor: &str) -> Option<i64> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim()).ok()?;
    std::str::from_utf8(&bytes)
        .ok()?
        .strip_prefix('o')?
        .parse()
        .ok()
}

impl ListParams {
    fn query(&self) -> Result<ListQuery, ApiError> {
        let status = match self.status.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(status) => Some(OrderStatus::parse(status).map_err(|_| bad_filter("status"))?),
        };
        let bound = |value: &Option<String>, end: bool, name: &str| match value.as_deref() {
            None | Some("") => Ok(None),
            Some(value) => instant(value, end)
                .map(Some)
                .ok_or_else(|| bad_filter(name)),
        };
        let limit = match self.limit.as_deref().map(str::trim) {
            None | Some("") => 50,
            Some(limit) => limit
                .parse::<i64>()
                .map_err(|_| bad_filter("limit"))?
                .clamp(1, 100),
        };
        let before_id = match self.cursor.as_deref() {
            None | Some("") => None,
            Some(cursor) => Some(id_of_cursor(cursor).ok_or_else(|| {
                ApiError::BadRequest("invalid_cursor", "the cursor cannot be read".to_owned())
            })?),
        };
        Ok(ListQuery {
            status,
            created_from: bound(&self.created_from, false, "created_from")?,
            created_to: bound(&self.created_to, true, "created_to")?,
            before_id,
            limit,
        })
    }
}

/// Handles GET /api/v1/orders (scope `orders:read`): the company's orders,
/// newest first, `limit` at a time; `next_cursor` fetches the next page.
#[utoipa::path(
    get,
    path = "/api/v1/orders",
    tag = "orders",
    params(ListParams),
    responses(
        (status = 200, description = "One page, newest first; `next_cursor` is null on the last page", body = OrderPageOut),
        (status = 400, description = "`invalid_filter` or `invalid_cursor`", body = super::ErrorBody),
        (status = 401, description = "No valid token", body = super::ErrorBody),
        (status = 403, description = "The token lacks `orders:read`", body = super::ErrorBody),
    ),
    security(("bearer" = ["orders:read"])),
)]
pub async fn list(
    caller: Caller,
    state: web::Data<AppState>,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, ApiError> {
    let actor = acting(&state, &caller, ApiScope::OrdersRead).await?;
    let query = params.query()?;
    audit(&state, &caller, "api.orders.list", String::new()).await?;
    let (rows, next) = run(&state, move |conn| api_orders::list(conn, &actor, &query)).await?;
    Ok(HttpResponse::Ok().json(OrderPageOut {
        orders: rows.iter().map(row_out).collect(),
        next_cursor: next.map(cursor_of),
    }))
}

/// Handles GET /api/v1/orders/{order_no} (scope `orders:read`).
#[utoipa::path(
    get,
    path = "/api/v1/orders/{order_no}",
    tag = "orders",
    params(("order_no" = String, Path, description = "The order number")),
    responses(
        (status = 200, description = "The order with recipient, parcel, items, route, approval and frozen quote", body = OrderOut),
        (status = 404, description = "No such order in the token's company", body = super::ErrorBody),
    ),
    security(("bearer" = ["orders:read"])),
)]
pub async fn get(
    caller: Caller,
    state: web::Data<AppState>,
    order_no: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let actor = acting(&state, &caller, ApiScope::OrdersRead).await?;
    let order_no = order_no.into_inner();
    audit(&state, &caller, "api.orders.get", order_no.clone()).await?;
    Ok(HttpResponse::Ok().json(order_answer(&state, actor, order_no).await?))
}

/// Handles POST /api/v1/orders/{order_no}/cancel (scope `orders:write`):
/// the seller UI's rules (before the warehouse has it; a paid order is refunded).
#[utoipa::path(
    post,
    path = "/api/v1/orders/{order_no}/cancel",
    tag = "orders",
    params(("order_no" = String, Path, description = "The order number")),
    responses(
        (status = 200, description = "The cancelled order", body = OrderOut),
        (status = 404, description = "No such order in the token's company", body = super::ErrorBody),
        (status = 409, description = "`conflict`: the order can no longer be cancelled", body = super::ErrorBody),
    ),
    security(("bearer" = ["orders:write"])),
)]
pub async fn cancel(
    caller: Caller,
    state: web::Data<AppState>,
    order_no: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let actor = acting(&state, &caller, ApiScope::OrdersWrite).await?;
    let order_no = order_no.into_inner();
    audit(&state, &caller, "api.orders.cancel", order_no.clone()).await?;
    let (cancelling, no) = (actor.clone(), order_no.clone());
    run(&state, move |conn| orders::cancel(conn, &cancelling, &no)).await?;
    Ok(HttpResponse::Ok().json(order_answer(&state, actor, order_no).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct LabelParams {
    /// `a6` (default) or `a4`.
    size: Option<String>,
}

/// Handles GET /api/v1/orders/{order_no}/label.pdf (scope `orders:read`):
/// the seller UI's label PDF.
#[utoipa::path(
    get,
    path = "/api/v1/orders/{order_no}/label.pdf",
    tag = "orders",
    params(("order_no" = String, Path, description = "The order number"), LabelParams),
    responses(
        (status = 200, description = "The label", content_type = "application/pdf", body = Vec<u8>),
        (status = 400, description = "`invalid_size`", body = super::ErrorBody),
        (status = 404, description = "No such order in the token's company", body = super::ErrorBody),
        (status = 409, description = "`conflict`: not printable (unpaid or cancelled)", body = super::ErrorBody),
    ),
    security(("bearer" = ["orders:read"])),
)]
pub async fn label(
    caller: Caller,
    state: web::Data<AppState>,
    order_no: web::Path<String>,
    params: web::Query<LabelParams>,
) -> Result<HttpResponse, ApiError> {
    let actor = acting(&state, &caller, ApiScope::OrdersRead).await?;
    let paper = LabelPaper::parse(params.size.as_deref())
        .ok_or_else(|| ApiError::BadRequest("invalid_size", "size is a6 or a4".to_owned()))?;
    let order_no = order_no.into_inner();
    audit(&state, &caller, "api.orders.label", order_no.clone()).await?;
    let label = run(&state, move |conn| labels::label(conn, &actor, &order_no)).await?;
    let name = format!("label-{}.pdf", label.order_no);
    let bytes = web::block(move || pdf::render_labels(&[label], paper))
        .await?
        .map_err(|error| {
            tracing::error!(%error, "label PDF failed");
            ApiError::Internal
        })?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .body(bytes))
}
