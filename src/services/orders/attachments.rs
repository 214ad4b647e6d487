//! Files attached to a draft: the documents sensitive goods need
//! (DESIGN.md §5) and a photo per customs item.

use super::{TimelineEntry, add_event, audit, find};
use crate::db::schema::{order_documents, order_items};
use crate::db::{DbConnection, write_tx};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::CompanyId;
use crate::domain::order_state::OrderStatus;
use crate::domain::status::UploadKind;
use crate::domain::upload::UploadQuota;
use crate::services::uploads::{self, NewFile};
use crate::services::{Actor, ServiceError, ServiceResult, now};
use crate::storage::Storage;
use diesel::prelude::*;

/// The documents a seller may attach, as named in `document.*` messages.
pub const DOCUMENTS: &[&str] = &["un38_3", "battery_test_summary", "msds", "magnetic_test"];

/// The actor's order, if they may change it and its status allows the
/// attachment: photos while the content is editable, documents until paid
/// (the warehouse, not the approver, reads them last).
fn order_taking(
    conn: &mut DbConnection,
    actor: &Actor,
    order_no: &str,
    allowed: fn(OrderStatus) -> bool,
) -> ServiceResult<crate::db::orders::Order> {
    let order = find(conn, actor, order_no)?;
    super::may_change(actor, &order)?;
    if !allowed(order.status) {
        return Err(ServiceError::Conflict("error.order.not_editable"));
    }
    Ok(order)
}

/// The documents the declared goods need (`document.*` keys) that are not
/// attached yet.
pub fn missing_documents(
    declared: &crate::domain::customs::Declared,
    attached: &[String],
) -> Vec<&'static str> {
    declared
        .documents()
        .into_iter()
        .filter(|key| {
            let code = key.trim_start_matches("document.");
            !attached.iter().any(|a| a == code)
        })
        .collect()
}

/// The codes of the documents attached to an order.
pub(crate) fn attached(conn: &mut DbConnection, order_id: i64) -> QueryResult<Vec<String>> {
    order_documents::table
        .filter(order_documents::order_id.eq(order_id))
        .select(order_documents::document)
        .load(conn)
}

/// Attaches a document (UN38.3, safety data sheet, …) to a draft; the file
/// reaches storage only once everything else is written.
#[expect(
    clippy::too_many_arguments,
    reason = "one use case with its file and where it goes"
)]
pub fn attach_document(
    conn: &mut DbConnection,
    storage: &dyn Storage,
    quota: UploadQuota,
    actor: &Actor,
    order_no: &str,
    document: &str,
    bytes: &[u8],
    file_name: &str,
) -> ServiceResult<()> {
    let Some(document) = DOCUMENTS.iter().find(|d| **d == document) else {
        return Err(ServiceError::Invalid(FieldErrors::single(
            "document",
            "error.order.document_kind",
        )));
    };
    write_tx(conn, |conn| {
        let order = order_taking(conn, actor, order_no, OrderStatus::takes_documents)?;
        let file = NewFile {
            kind: UploadKind::OrderDocument,
            field: "file",
            bytes,
            original_name: file_name,
        };
        let upload = uploads::record(conn, actor, quota, file)?;
        diesel::insert_into(order_documents::table)
            .values((
                order_documents::order_id.eq(order.id),
                order_documents::document.eq(*document),
                order_documents::upload_id.eq(upload.id.0),
                order_documents::created_at.eq(now()),
            ))
            .execute(conn)?;
        add_event(
            conn,
            order.id,
            Some(actor),
            TimelineEntry::unchanged(
                "document",
                order.status,
                crate::domain::order_event::EventParams::document(document),
            ),
        )?;
        audit(
            conn,
            actor,
            "order.document",
            CompanyId(order.company_id),
            &order.order_no,
            (*document).to_owned(),
        )?;
        upload.write(storage)?;
        Ok(())
    })
}

/// Sets the photo of item `position` (counted from 0) of a draft; the file
/// reaches storage only once everything else is written.
#[expect(
    clippy::too_many_arguments,
    reason = "one use case with its file and where it goes"
)]
pub fn attach_photo(
    conn: &mut DbConnection,
    storage: &dyn Storage,
    quota: UploadQuota,
    actor: &Actor,
    order_no: &str,
    position: i64,
    bytes: &[u8],
    file_name: &str,
) -> ServiceResult<()> {
    write_tx(conn, |conn| {
        let order = order_taking(conn, actor, order_no, OrderStatus::is_editable)?;
        let item = order_items::table
            .filter(order_items::order_id.eq(order.id))
            .filter(order_items::position.eq(position))
            .select(order_items::id)
            .first::<i64>(conn)?;
        let file = NewFile {
            kind: UploadKind::ItemPhoto,
            field: "file",
            bytes,
            original_name: file_name,
        };
        let upload = uploads::record(conn, actor, quota, file)?;
        diesel::update(order_items::table.find(item))
            .set(order_items::photo_upload_id.eq(Some(upload.id.0)))
            .execute(conn)?;
        audit(
            conn,
            actor,
            "order.item_photo",
            CompanyId(order.company_id),
            &order.order_no,
            format!("#{}", position + 1),
        )?;
        upload.write(storage)?;
        Ok(())
    })
}
