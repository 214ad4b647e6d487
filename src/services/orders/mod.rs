//! Sample orders of a seller company: create and edit drafts, look them up,
//! list them. Submitting is in `submit`, the recipient link in `link`,
//! import and export in `sheet`.

pub mod attachments;
pub mod link;
mod list;
mod proforma;
pub mod receipt;
mod rules;
pub mod sheet;
mod submit;
pub mod transition;

pub use list::{FilterChoices, OrderFilter, OrderRow, SortOrder, filter_choices, list, members};
pub use proforma::proforma;
use rules::check_sender;
pub(crate) use rules::may_change;
pub(crate) use rules::require_active;
pub use rules::{NotReady, SENDER_COUNTRY, readiness};
pub(crate) use submit::store_quote;
pub(crate) use submit::submit_in;
pub use submit::{Submission, parcel_of, quote_for, submit};
pub use transition::{By, transition};

use super::audit::{self, Event};
use super::{Actor, ServiceError, ServiceResult, addresses, now, pricing};
use crate::db::orders::{
    NewOrderEvent, NewOrderItem, Order, OrderContent, OrderDocument, OrderEvent, OrderItem,
    OrderQuote, OrderRecipient,
};
use crate::db::schema::{
    order_counters, order_documents, order_events, order_items, order_quotes, order_recipients,
    orders, routes, users,
};
use crate::db::{DbConnection, write_tx};
use crate::domain::ids::CompanyId;
use crate::domain::money::UsdCents;
use crate::domain::order::{Draft, DraftItem, Services};
use crate::domain::order_event::EventParams;
use crate::domain::order_no::OrderNo;
use crate::domain::order_state::{self, OrderStatus};
use crate::domain::recipient::RecipientFields;
use crate::domain::route::RouteCode;
use diesel::prelude::*;

/// Everything the order page shows.
pub struct OrderView {
    pub order: Order,
    pub draft: Draft,
    pub items: Vec<OrderItem>,
    pub quote: Option<OrderQuote>,
    /// Events with the name of who sent them, oldest first.
    pub events: Vec<(OrderEvent, Option<String>)>,
    pub documents: Vec<OrderDocument>,
    pub creator: String,
    /// The chosen route's Chinese and English names, if it exists.
    pub route_names: Option<(String, String)>,
    /// The name of the API token that created the order (issue #13).
    pub api_token: Option<String>,
}

/// Where `create` left the order, and whether this call made it.
pub struct Created {
    pub order_no: String,
    /// False when the same form was posted before (a double click).
    pub new: bool,
    /// The one-time recipient link token, when the recipient fills in the address.
    pub link_token: Option<String>,
}

/// One order of the actor's company by number; any other is "not found".
pub fn find(conn: &mut DbConnection, actor: &Actor, order_no: &str) -> ServiceResult<Order> {
    let company = actor.company()?;
    let number =
        OrderNo::parse(order_no).map_err(|_| ServiceError::Db(diesel::result::Error::NotFound))?;
    Ok(orders::table
        .filter(orders::order_no.eq(number.as_str()))
        .filter(orders::company_id.eq(company.0))
        .first(conn)?)
}

/// The order with its recipient, items, quote, timeline and documents.
pub fn view(conn: &mut DbConnection, actor: &Actor, order_no: &str) -> ServiceResult<OrderView> {
    let order = find(conn, actor, order_no)?;
    let recipient: OrderRecipient = order_recipients::table.find(order.id).first(conn)?;
    let items: Vec<OrderItem> = order_items::table
        .filter(order_items::order_id.eq(order.id))
        .order(order_items::position.asc())
        .load(conn)?;
    let quote = order_quotes::table.find(order.id).first(conn).optional()?;
    let events = order_events::table
        .left_join(users::table.on(users::id.nullable().eq(order_events::actor_id)))
        .filter(order_events::order_id.eq(order.id))
        .order((order_events::at.asc(), order_events::id.asc()))
        .select((OrderEvent::as_select(), users::display_name.nullable()))
        .load(conn)?;
    let documents = order_documents::table
        .filter(order_documents::order_id.eq(order.id))
        .order(order_documents::id.asc())
        .load(conn)?;
    let creator = users::table
        .find(order.created_by)
        .select(users::display_name)
        .first(conn)?;
    let route_names = match &order.route_code {
        Some(code) => routes::table
            .filter(routes::code.eq(code))
            .select((routes::name_zh, routes::name_en))
            .first::<(String, String)>(conn)
            .optional()?,
        None => None,
    };
    let api_token = crate::services::api_orders::token_name(conn, order.id)?;
    Ok(OrderView {
        api_token,
        route_names,
        draft: draft_of(&order, &recipient, &items),
        order,
        items,
        quote,
        events,
        documents,
        creator,
    })
}

/// The draft stored for an order, as the domain sees it.
pub fn draft_of(order: &Order, recipient: &OrderRecipient, items: &[OrderItem]) -> Draft {
    let number = |value: Option<i64>| value.and_then(|v| u32::try_from(v).ok());
    let route = |code: &Option<String>| code.as_deref().and_then(|c| RouteCode::parse(c).ok());
    Draft {
        sender_address_id: order.sender_address_id,
        recipient: RecipientFields {
            name: recipient.name.clone(),
            company: recipient.company.clone(),
            line1: recipient.line1.clone(),
            line2: recipient.line2.clone(),
            city: recipient.city.clone(),
            state: recipient.state.clone(),
            postcode: recipient.postcode.clone(),
            country: recipient.country.clone(),
            phone: recipient.phone.clone(),
            email: recipient.email.clone(),
            tax_id: recipient.tax_id.clone(),
        },
        purpose: order.purpose,
        reference: order.reference.clone(),
        weight_g: number(order.weight_g),
        length_mm: number(order.length_mm),
        width_mm: number(order.width_mm),
        height_mm: number(order.height_mm),
        declared: order.declared(),
        items: items
            .iter()
            .map(|item| DraftItem {
                description_en: item.description_en.clone(),
                description_zh: item.description_zh.clone(),
                quantity: number(item.quantity),
                unit_value: item.unit_value_cents.map(UsdCents),
                hs_code: item.hs_code.clone(),
                origin: item.origin.clone(),
            })
            .collect(),
        route: route(&order.route_code),
        backup_route: route(&order.backup_route_code),
        services: Services {
            signature: order.signature,
            insurance: order.insurance,
            expedited: order.expedited,
            ddp: order.ddp,
        },
    }
}

fn content(draft: &Draft, actor: &Actor) -> OrderContent {
    let number = |value: Option<u32>| value.map(i64::from);
    OrderContent {
        sender_address_id: draft.sender_address_id,
        purpose: draft.purpose.as_str().to_owned(),
        reference: draft.reference.clone(),
        weight_g: number(draft.weight_g),
        length_mm: number(draft.length_mm),
        width_mm: number(draft.width_mm),
        height_mm: number(draft.height_mm),
        battery: draft.declared.battery.as_str().to_owned(),
        liquid: draft.declared.liquid,
        magnetic: draft.declared.magnetic,
        powder: draft.declared.powder,
        route_code: draft.route.as_ref().map(|r| r.as_str().to_owned()),
        backup_route_code: draft.backup_route.as_ref().map(|r| r.as_str().to_owned()),
        signature: draft.services.signature,
        insurance: draft.services.insurance,
        expedited: draft.services.expedited,
        ddp: draft.services.ddp,
        content_changed_by: Some(actor.user_id.0),
        updated_at: now(),
    }
}

fn recipient_row(order_id: i64, fields: &RecipientFields) -> OrderRecipient {
    OrderRecipient {
        order_id,
        name: fields.name.clone(),
        company: fields.company.clone(),
        line1: fields.line1.clone(),
        line2: fields.line2.clone(),
        city: fields.city.clone(),
        state: fields.state.clone(),
        postcode: fields.postcode.clone(),
        country: fields.country.trim().to_ascii_uppercase(),
        phone: fields.phone.clone(),
        email: fields.email.clone(),
        tax_id: fields.tax_id.clone(),
    }
}

/// Writes the recipient and items of a draft, replacing what was there.
/// Photos stay with the item in the same position.
fn write_parts(conn: &mut DbConnection, order_id: i64, draft: &Draft) -> QueryResult<()> {
    let row = recipient_row(order_id, &draft.recipient);
    let updated = diesel::update(order_recipients::table.find(order_id))
        .set(&row)
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(order_recipients::table)
            .values(&row)
            .execute(conn)?;
    }
    let rows: Vec<NewOrderItem> = draft
        .items
        .iter()
        .enumerate()
        .map(|(position, item)| NewOrderItem {
            order_id,
            position: position as i64,
            description_en: item.description_en.clone(),
            description_zh: item.description_zh.clone(),
            quantity: item.quantity.map(i64::from),
            unit_value_cents: item.unit_value.map(|v| v.0),
            hs_code: item.hs_code.clone(),
            origin: item.origin.clone(),
            photo_upload_id: None,
        })
        .collect();
    replace_items(conn, order_id, rows)
}

/// Replaces the order's items; each keeps the photo of the item that was in
/// its position before.
pub(crate) fn replace_items(
    conn: &mut DbConnection,
    order_id: i64,
    mut rows: Vec<NewOrderItem>,
) -> QueryResult<()> {
    let photos: Vec<(i64, Option<i64>)> = order_items::table
        .filter(order_items::order_id.eq(order_id))
        .select((order_items::position, order_items::photo_upload_id))
        .load(conn)?;
    for row in &mut rows {
        row.photo_upload_id = photos
            .iter()
            .find(|(position, _)| *position == row.position)
            .and_then(|(_, photo)| *photo);
    }
    diesel::delete(order_items::table.filter(order_items::order_id.eq(order_id))).execute(conn)?;
    if !rows.is_empty() {
        crate::with_backend!(conn, |c| diesel::insert_into(order_items::table)
            .values(&rows)
            .execute(c))?;
    }
    Ok(())
}

/// One entry of an order's timeline.
pub(crate) struct TimelineEntry<'a> {
    pub kind: &'a str,
    /// `None` for the entry that creates the order.
    pub from: Option<OrderStatus>,
    pub to: OrderStatus,
    /// What a person wrote (a comment, a name); empty for most entries.
    pub note: &'a str,
    pub params: EventParams,
}

impl<'a> TimelineEntry<'a> {
    /// An entry that leaves the status as it is (an edit, a document).
    pub fn unchanged(kind: &'a str, status: OrderStatus, params: EventParams) -> Self {
        TimelineEntry {
            kind,
            from: Some(status),
            to: status,
            note: "",
            params,
        }
    }
}

/// Appends to the order's timeline.
pub(crate) fn add_event(
    conn: &mut DbConnection,
    order_id: i64,
    actor: Option<&Actor>,
    entry: TimelineEntry,
) -> QueryResult<()> {
    diesel::insert_into(order_events::table)
        .values(NewOrderEvent {
            order_id,
            kind: entry.kind,
            from_status: entry.from.map(OrderStatus::as_str),
            to_status: entry.to.as_str(),
            actor_id: actor.map(|a| a.user_id.0),
            note: entry.note,
            at: now(),
            params: entry.params.to_json(),
        })
        .execute(conn)?;
    Ok(())
}

pub(crate) fn audit(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &str,
    company: CompanyId,
    order_no: &str,
    detail: String,
) -> QueryResult<()> {
    audit::record(
        conn,
        actor,
        Event {
            action,
            company: Some(company),
            target_type: "order",
            target_id: order_no.to_owned(),
            detail,
        },
    )
}

/// The next order number of today (China time). The counter row is updated
/// before it is read, so two writers queue on its lock instead of sharing a number.
fn next_order_no(conn: &mut DbConnection) -> QueryResult<OrderNo> {
    let today = pricing::today();
    let day = today.format("%Y-%m-%d").to_string();
    let updated = diesel::update(order_counters::table.find(&day))
        .set(order_counters::last_seq.eq(order_counters::last_seq + 1))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(order_counters::table)
            .values((order_counters::day.eq(&day), order_counters::last_seq.eq(1)))
            .execute(conn)?;
    }
    let seq: i64 = order_counters::table
        .find(&day)
        .select(order_counters::last_seq)
        .first(conn)?;
    Ok(OrderNo::new(today, u32::try_from(seq).unwrap_or(u32::MAX)))
}

/// How a new order starts.
#[derive(Clone, Copy, Debug)]
pub enum Start {
    /// The seller typed (or picked) the recipient; `save_recipient` also
    /// puts a valid one in the address book.
    Draft { save_recipient: bool },
    /// The recipient fills in the address through a one-time link.
    RecipientLink,
}

/// Creates an order from the form. Posting the same form token again
/// (a double click) returns the order the first post created.
pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    form_token: &str,
    draft: &Draft,
    start: Start,
) -> ServiceResult<Created> {
    match write_tx(conn, |conn| insert(conn, actor, form_token, draft, start)) {
        // Two posts of one form racing (PostgreSQL lets both look before
        // either writes): the loser's retry finds the winner's order.
        Err(ServiceError::Db(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ))) => write_tx(conn, |conn| insert(conn, actor, form_token, draft, start)),
        result => result,
    }
}

/// [`create`] inside the caller's transaction (an import creates many).
pub(crate) fn insert(
    conn: &mut DbConnection,
    actor: &Actor,
    form_token: &str,
    draft: &Draft,
    start: Start,
) -> ServiceResult<Created> {
    let company = actor.company()?;
    let existing: Option<(String, i64)> = orders::table
        .filter(orders::form_token.eq(form_token))
        .select((orders::order_no, orders::company_id))
        .first(conn)
        .optional()?;
    match existing {
        Some((order_no, owner)) if owner == company.0 => {
            return Ok(Created {
                order_no,
                new: false,
                link_token: None,
            });
        }
        // Form tokens are unique across companies and random per form, so
        // another company's can only be made up; without this the insert
        // below fails on the unique index (a 500).
        Some(_) => return Err(ServiceError::Conflict("error.order.form_used")),
        None => {}
    }
    require_active(conn, company)?;
    check_sender(conn, actor, draft)?;
    let order_no = next_order_no(conn)?;
    let at = now();
    let status = match start {
        Start::Draft { .. } => OrderStatus::Draft,
        Start::RecipientLink => OrderStatus::AwaitingAddress,
    };
    let mut draft = draft.clone();
    if let Start::RecipientLink = start {
        // Whatever was typed is replaced by what the recipient confirms;
        // only the destination country is kept for the quote.
        draft.recipient = RecipientFields {
            country: draft.recipient.country.clone(),
            ..RecipientFields::default()
        };
    }
    let order_id: i64 = crate::with_backend!(conn, |c| diesel::insert_into(orders::table)
        .values((
            content(&draft, actor),
            orders::order_no.eq(order_no.as_str()),
            orders::company_id.eq(company.0),
            orders::created_by.eq(actor.user_id.0),
            orders::form_token.eq(form_token),
            orders::status.eq(status.as_str()),
            orders::created_at.eq(at),
        ))
        .returning(orders::id)
        .get_result(c))?;
    write_parts(conn, order_id, &draft)?;
    add_event(
        conn,
        order_id,
        Some(actor),
        TimelineEntry {
            kind: "create",
            from: None,
            to: status,
            note: "",
            params: EventParams::default(),
        },
    )?;
    audit(
        conn,
        actor,
        "order.create",
        company,
        order_no.as_str(),
        draft.recipient.name.clone(),
    )?;
    let link_token = match start {
        Start::Draft { save_recipient } => {
            if save_recipient {
                save_to_book(conn, actor, &draft)?;
            }
            None
        }
        Start::RecipientLink => Some(link::issue(conn, order_id, link::VALID_DAYS)?),
    };
    Ok(Created {
        order_no: order_no.as_str().to_owned(),
        new: true,
        link_token,
    })
}

/// Puts the draft's recipient in the address book when it is valid.
fn save_to_book(conn: &mut DbConnection, actor: &Actor, draft: &Draft) -> ServiceResult<()> {
    let recipient = draft.recipient.parse().map_err(ServiceError::Invalid)?;
    addresses::insert(conn, actor, recipient)?;
    Ok(())
}

/// Saves a draft's new content. Only drafts (and orders still waiting for
/// the recipient's address) can be edited.
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    order_no: &str,
    draft: &Draft,
    save_recipient: bool,
) -> ServiceResult<()> {
    write_tx(conn, |conn| {
        let order = find(conn, actor, order_no)?;
        may_change(actor, &order)?;
        if !order.status.is_editable() {
            return Err(ServiceError::Conflict("error.order.not_editable"));
        }
        check_sender(conn, actor, draft)?;
        let mut draft = draft.clone();
        if order.status == OrderStatus::AwaitingAddress {
            // The address is the recipient's to give.
            let recipient: OrderRecipient = order_recipients::table.find(order.id).first(conn)?;
            draft.recipient = draft_of(&order, &recipient, &[]).recipient;
        }
        diesel::update(orders::table.find(order.id))
            .set(content(&draft, actor))
            .execute(conn)?;
        write_parts(conn, order.id, &draft)?;
        add_event(
            conn,
            order.id,
            Some(actor),
            TimelineEntry::unchanged("edit", order.status, EventParams::default()),
        )?;
        audit(
            conn,
            actor,
            "order.edit",
            CompanyId(order.company_id),
            &order.order_no,
            String::new(),
        )?;
        if save_recipient && order.status == OrderStatus::Draft {
            save_to_book(conn, actor, &draft)?;
        }
        Ok(())
    })
}

/// Cancels an order that has not been handed over (DESIGN.md §2); a paid
/// one is refunded in full in the same transaction.
pub fn cancel(conn: &mut DbConnection, actor: &Actor, order_no: &str) -> ServiceResult<()> {
    write_tx(conn, |conn| -> ServiceResult<()> {
        // Queued behind any payment of the company, so the status read
        // below is the one the refund depends on.
        crate::db::ledger::lock_company(conn, actor.company()?.0)?;
        let order = find(conn, actor, order_no)?;
        may_change(actor, &order)?;
        // Once the warehouse has the parcel, getting it back is a return
        // (with its fee), not a cancellation.
        if crate::db::warehouse::shipment(conn, order.id)?.is_some_and(|s| s.received_at.is_some())
        {
            return Err(ServiceError::Conflict("error.order.cancel_after_receipt"));
        }
        // The refund is known before the move, so the audit row can say it.
        let refunded = if order.status.is_paid() {
            Some(super::balance::refund(conn, actor, &order)?)
        } else {
            None
        };
        let detail = match refunded {
            Some(amount) => format!("{}; refund {amount}", order.status),
            None => order.status.as_str().to_owned(),
        };
        transition(
            conn,
            &order,
            &order_state::Event::Cancel,
            By::Member(actor),
            "",
            &crate::domain::order_event::EventParams::default(),
            detail,
        )?;
        diesel::update(orders::table.find(order.id))
            .set(orders::recipient_token_sha256.eq(None::<String>))
            .execute(conn)?;
        Ok(())
    })
}

/// A new draft with the content of an existing order (of any state).
pub fn duplicate(conn: &mut DbConnection, actor: &Actor, order_no: &str) -> ServiceResult<String> {
    let source = view(conn, actor, order_no)?;
    let created = create(
        conn,
        actor,
        &new_form_token(),
        &source.draft,
        Start::Draft {
            save_recipient: false,
        },
    )?;
    Ok(created.order_no)
}

/// A fresh one-time token for an order form (idempotent creation).
pub fn new_form_token() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}
