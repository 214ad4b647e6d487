//! Recording uploaded files: checked by content and against the company's
//! quota, recorded in `uploads`, and written to storage only as the last
//! step of the transaction that needs them, so a refused form leaves no file
//! on disk.

use super::{Actor, ServiceError, ServiceResult, now};
use crate::db::models::NewUpload;
use crate::db::schema::uploads;
use crate::db::{DbConnection, ledger};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::{CompanyId, UploadId, UserId};
use crate::domain::status::UploadKind;
use crate::domain::upload::{self, UploadQuota};
use crate::storage::{Storage, content_key};
use diesel::prelude::*;

/// A file a form brought, not yet recorded.
pub struct NewFile<'a> {
    pub kind: UploadKind,
    /// The form field a refusal is shown beside.
    pub field: &'static str,
    pub bytes: &'a [u8],
    pub original_name: &'a str,
}

/// A file recorded in `uploads` whose bytes are not yet in storage.
#[must_use = "write the file to storage as the last step of the transaction"]
pub struct PendingFile<'a> {
    pub id: UploadId,
    bytes: &'a [u8],
}

impl PendingFile<'_> {
    /// Writes the bytes; call it when nothing else in the transaction can
    /// fail any more. Should the commit still fail, the file stays as an
    /// unreferenced blob (content-addressed, never served, not in the quota).
    pub fn write(self, storage: &dyn Storage) -> ServiceResult<UploadId> {
        storage.put(self.bytes)?;
        Ok(self.id)
    }
}

/// The bytes the company's uploads take, as recorded.
pub fn used_bytes(conn: &mut DbConnection, company_id: i64) -> QueryResult<i64> {
    // SUM of a BIGINT is NUMERIC on PostgreSQL; the cast keeps one type on both.
    uploads::table
        .filter(uploads::company_id.eq(company_id))
        .filter(uploads::kind.ne_all([
            UploadKind::ParcelPhoto.as_str(),
            UploadKind::RecipientPhoto.as_str(),
        ]))
        .select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "COALESCE(CAST(SUM(size_bytes) AS BIGINT), 0)",
        ))
        .first(conn)
}

/// Checks a file of the actor's company (type and size by content, then the
/// quota) and records it. Call inside a `write_tx`; a refusal is reported
/// beside the file's field.
pub(crate) fn record<'a>(
    conn: &mut DbConnection,
    actor: &Actor,
    quota: UploadQuota,
    file: NewFile<'a>,
) -> ServiceResult<PendingFile<'a>> {
    let company = actor.company()?;
    record_for(conn, actor.user_id, company, Some(quota), file)
}

/// Records a file staff took of a company's parcel (a warehouse photo): the
/// company sees it with its order, and the platform's evidence does not
/// count against the company's quota.
pub(crate) fn record_evidence<'a>(
    conn: &mut DbConnection,
    staff: &Actor,
    company: CompanyId,
    file: NewFile<'a>,
) -> ServiceResult<PendingFile<'a>> {
    staff.require_staff()?;
    record_for(conn, staff.user_id, company, None, file)
}

/// Records the photo a recipient sent with their confirmation of receipt:
/// images only, kept with the order's company and outside its quota (the
/// company did not choose to send it). The recipient has no account, so the
/// row names `on_behalf_of`, the order's creator, as the uploader.
pub(crate) fn record_from_recipient<'a>(
    conn: &mut DbConnection,
    on_behalf_of: UserId,
    company: CompanyId,
    file: NewFile<'a>,
) -> ServiceResult<PendingFile<'a>> {
    if let Ok(mime) = upload::check(file.bytes)
        && !upload::is_inline_image(mime)
    {
        return Err(ServiceError::Invalid(FieldErrors::single(
            file.field,
            "recipient_confirm.photo_type",
        )));
    }
    record_for(conn, on_behalf_of, company, None, file)
}

fn record_for<'a>(
    conn: &mut DbConnection,
    uploaded_by: UserId,
    company: CompanyId,
    quota: Option<UploadQuota>,
    file: NewFile<'a>,
) -> ServiceResult<PendingFile<'a>> {
    let refuse = |key| ServiceError::Invalid(FieldErrors::single(file.field, key));
    let mime = upload::check(file.bytes).map_err(|error| refuse(error.message_key()))?;
    // Two uploads at once must not both fit into the last megabytes.
    ledger::lock_company(conn, company.0)?;
    if let Some(quota) = quota
        && !quota.allows(used_bytes(conn, company.0)?, file.bytes.len())
    {
        return Err(refuse("hostile.upload_quota"));
    }
    let name: String = file.original_name.chars().take(200).collect();
    let id: i64 = crate::with_backend!(conn, |c| diesel::insert_into(uploads::table)
        .values(NewUpload {
            company_id: Some(company.0),
            uploaded_by: uploaded_by.0,
            kind: file.kind.as_str(),
            sha256: &content_key(file.bytes),
            mime,
            size_bytes: file.bytes.len() as i64,
            original_name: &name,
            created_at: now(),
        })
        .returning(uploads::id)
        .get_result(c))?;
    Ok(PendingFile {
        id: UploadId(id),
        bytes: file.bytes,
    })
}
